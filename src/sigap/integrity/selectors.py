"""Reads for the oversight pages, always through the access helper's scope."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from sigap.access import Action, can, scoped
from sigap.accounts.models import Role
from sigap.complaints.models import Complaint
from sigap.complaints.selectors import overdue_q
from sigap.integrity.models import (
    IntegrityRun,
    IntegritySignal,
    SignalDecision,
    SignalFollowUp,
    SignalFollowUpEvent,
)
from sigap.organisation.models import Unit
from sigap.payments.selectors import paid_by_request
from sigap.service_requests.models import ServiceRequest
from sigap.whistleblowing.models import Report

if TYPE_CHECKING:
    from sigap.access import AnyUser

OVERSIGHT_ACTIONS = (Action.INTEGRITY_VIEW, Action.OMBUDSMAN_VIEW)


def last_run() -> IntegrityRun | None:
    return IntegrityRun.objects.order_by("-pk").first()


def signals(
    user: AnyUser, action: Action, *, flagged_only: bool = True
) -> QuerySet[IntegritySignal]:
    qs = scoped(user, action, IntegritySignal.objects.all())
    if flagged_only:
        qs = qs.filter(flagged=True)
    return qs.select_related("unit", "officer", "service").order_by("kind", "-value")


def signal_for_user(user: AnyUser, pk: int) -> IntegritySignal | None:
    signal = (
        IntegritySignal.objects.select_related("unit", "officer", "service", "run")
        .filter(pk=pk)
        .first()
    )
    if signal is None or not any(can(user, a, signal.unit) for a in OVERSIGHT_ACTIONS):
        return None
    return signal


def overdue_complaints(user: AnyUser, action: Action, today: date) -> QuerySet[Complaint]:
    return (
        scoped(user, action, Complaint.objects.filter(overdue_q(today)))
        .select_related("unit", "service")
        .order_by("submitted_at")
    )


def wbs_counts(user: AnyUser, action: Action) -> dict[str, int]:
    """Numbers only: case content is for the unit's inspectors, through the WBS pages."""
    qs = scoped(user, action, Report.objects.all())
    counts = dict(qs.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    counts["deletion_warned"] = qs.filter(deletion_warned_on__isnull=False).count()
    return counts


@dataclass(frozen=True)
class UnitRow:
    unit: Unit
    overcharge: int
    queue_jumping: int
    unequal_treatment: int
    officer_risk: int
    overdue_complaints: int
    wbs_reports: int


def per_unit(user: AnyUser, action: Action, today: date) -> list[UnitRow]:
    """Flagged signals, overdue complaints and WBS report counts per unit in scope."""
    by_kind: dict[tuple[int, str], int] = {
        (unit, kind): n
        for unit, kind, n in signals(user, action)
        .order_by()
        .values_list("unit_id", "kind")
        .annotate(n=Count("pk"))
    }
    overdue = dict(
        overdue_complaints(user, action, today)
        .order_by()
        .values_list("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )
    wbs = dict(
        scoped(user, action, Report.objects.all())
        .order_by()
        .values_list("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )
    unit_ids = {u for u, _ in by_kind} | set(overdue) | set(wbs)
    units = Unit.objects.filter(pk__in=unit_ids).order_by("path")
    return [
        UnitRow(
            unit=u,
            overcharge=by_kind.get((u.pk, "overcharge"), 0),
            queue_jumping=by_kind.get((u.pk, "queue_jumping"), 0),
            unequal_treatment=by_kind.get((u.pk, "unequal_treatment"), 0),
            officer_risk=by_kind.get((u.pk, "officer_risk"), 0),
            overdue_complaints=overdue.get(u.pk, 0),
            wbs_reports=wbs.get(u.pk, 0),
        )
        for u in units
    ]


def evidence_links(signal: IntegritySignal) -> list[tuple[str, str, str, str]]:
    """(kind, code, url name, basis) for each evidence item: requests and complaints. `basis`
    says, for an overcharge case, what it rests on ("payments", "statements", "both")."""
    basis: dict[str, str] = dict(signal.summary.get("case_evidence") or {})
    links = []
    for item in signal.evidence:
        kind, _, code = str(item).rpartition(":")
        if kind == "complaint":
            links.append(("complaint", code, "complaint_detail", ""))
        else:
            links.append((kind or signal.kind, code, "request_detail", basis.get(code, "")))
    return links


def decisions_for(signal: IntegritySignal) -> list[SignalDecision]:
    """The Inspektorat's decisions on this officer and kind (any run): shown on the signal."""
    if signal.officer_id is None:
        return []
    return list(
        SignalDecision.objects.filter(officer_id=signal.officer_id, kind=signal.kind)
        .select_related("decided_by")
        .order_by("-decided_at", "-pk")
    )


CASE_CHUNK = 5000  # codes per query: well under SQLite's limit on bound parameters


def case_dates(codes: Iterable[str]) -> dict[str, date]:
    """The local date of each case a signal rests on: a request's submission for a receipt
    code, a complaint's for "complaint:<code>"; a kind prefix ("overcharge:<receipt>", as in
    the officer-risk signal) is looked through. Codes of no known case are left out."""
    wanted: dict[str, list[str]] = {}
    for code in codes:
        kind, _, inner = str(code).rpartition(":")
        wanted.setdefault(inner if kind != "complaint" else f"complaint:{inner}", []).append(code)
    receipts = [k for k in wanted if not k.startswith("complaint:")]
    complaints = [k.removeprefix("complaint:") for k in wanted if k.startswith("complaint:")]
    found: dict[str, date] = {}
    tz = timezone.get_current_timezone()
    for model, keys, prefix in (
        (ServiceRequest, receipts, ""),
        (Complaint, complaints, "complaint:"),
    ):
        for i in range(0, len(keys), CASE_CHUNK):
            for code, at in model.objects.filter(
                receipt_code__in=keys[i : i + CASE_CHUNK]
            ).values_list("receipt_code", "submitted_at"):
                day = at.astimezone(tz).date()
                for original in wanted[f"{prefix}{code}"]:
                    found[original] = day
    return found


def statement_links(signal: IntegritySignal) -> list[tuple[str, str]]:
    """The citizen statements behind an overcharge: ("complaint", code) links to the complaint;
    ("skm", id) is an SKM response, read on the SKM pages."""
    out = []
    for item in signal.summary.get("statements") or []:
        kind, _, ref = str(item).partition(":")
        out.append((kind, ref))
    return out


# --- follow-up: assignment and closing ---------------------------------------------------------


def subject_q(signal: IntegritySignal) -> Q:
    """The follow-ups of the signal's subject (see `SignalFollowUp`)."""
    return Q(
        kind=signal.kind,
        unit_id=signal.unit_id,
        officer_id=signal.officer_id,
        service_id=signal.service_id,
    )


def follow_up_for(signal: IntegritySignal) -> SignalFollowUp | None:
    return (
        SignalFollowUp.objects.filter(subject_q(signal))
        .select_related("assignee")
        .order_by("-pk")
        .first()
    )


def follow_up_history(follow_up: SignalFollowUp | None) -> list[SignalFollowUpEvent]:
    if follow_up is None:
        return []
    return list(follow_up.events.select_related("assignee", "by").order_by("at", "pk"))


def follow_ups(signals: Iterable[IntegritySignal]) -> dict[int, SignalFollowUp]:
    """The follow-up of each signal (by signal pk) of `signals`, in one query."""
    rows = list(signals)
    if not rows:
        return {}
    kinds = {s.kind for s in rows}
    units = {s.unit_id for s in rows}
    by_subject = {
        (f.kind, f.unit_id, f.officer_id, f.service_id): f
        for f in SignalFollowUp.objects.filter(kind__in=kinds, unit_id__in=units)
        .select_related("assignee")
        .order_by("pk")
    }
    out = {}
    for s in rows:
        found = by_subject.get((s.kind, s.unit_id, s.officer_id, s.service_id))
        if found is not None:
            out[s.pk] = found
    return out


def new_signals(user: AnyUser) -> list[IntegritySignal]:
    """Flagged signals in the user's Inspektorat scope that nobody follows up yet: neither
    assigned nor closed (the inspector's work home counts them)."""
    flagged = list(signals(user, Action.INTEGRITY_VIEW))
    taken = follow_ups(flagged)
    return [s for s in flagged if s.pk not in taken]


def assigned_to(user: AnyUser) -> list[IntegritySignal]:
    """Flagged signals in scope assigned to `user` and not closed."""
    flagged = list(signals(user, Action.INTEGRITY_VIEW))
    taken = follow_ups(flagged)
    uid = getattr(user, "pk", None)
    return [
        s
        for s in flagged
        if (f := taken.get(s.pk)) is not None and not f.is_closed and f.assignee_id == uid
    ]


def inspectors_for(unit: Unit) -> list[object]:
    """The people who may be given a signal of `unit`: those whom the access helper lets see
    the unit's signals (the Inspektorat over it)."""
    candidates = (
        get_user_model()
        .objects.filter(role_assignments__role=Role.INSPECTOR, is_active=True)
        .distinct()
        .order_by("username")
    )
    return [u for u in candidates if can(u, Action.INTEGRITY_VIEW, unit)]


# --- the cases behind a signal -------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One case a signal rests on, as the signal page lists it."""

    kind: str  # "request" or "complaint"
    code: str
    url_name: str
    basis: str
    day: date | None
    service: str
    officer: str
    paid: int | None  # rupiah recorded as paid (requests)
    tariff: int | None  # rupiah of the standard in force (requests)

    @property
    def excess(self) -> int | None:
        if self.paid is None or self.tariff is None:
            return None
        return max(0, self.paid - self.tariff)


CASES_PER_PAGE = 25


def signal_cases(
    signal: IntegritySignal, page: str | int | None
) -> tuple[Page[tuple[str, str, str, str]], list[Case]]:
    """One page of the signal's cases (the page of evidence links, and its cases with their
    date, service, officer and amounts): the receipt codes alone say nothing, and a signal
    may rest on hundreds of them."""
    links = evidence_links(signal)
    paged = Paginator(links, CASES_PER_PAGE, allow_empty_first_page=True).get_page(page)
    items = list(paged.object_list)
    receipts = [code for _k, code, url, _b in items if url == "request_detail"]
    complaints = [code for _k, code, url, _b in items if url == "complaint_detail"]
    tz = timezone.get_current_timezone()
    requests = {
        r.receipt_code: r
        for r in ServiceRequest.objects.filter(receipt_code__in=receipts).select_related(
            "service", "assigned_officer", "standard"
        )
    }
    paid = paid_by_request([r.pk for r in requests.values()])
    found = {
        c.receipt_code: c
        for c in Complaint.objects.filter(receipt_code__in=complaints).select_related(
            "service", "reported_employee"
        )
    }
    cases: list[Case] = []
    for _kind, code, url, basis in items:
        if url == "request_detail":
            r = requests.get(code)
            cases.append(
                Case(
                    "request", code, url, basis,
                    r.submitted_at.astimezone(tz).date() if r else None,
                    r.service.name if r else "",
                    r.assigned_officer.name if r and r.assigned_officer else "",
                    paid.get(r.pk, 0) if r else None,
                    int(r.standard.tariff_rupiah or 0) if r and r.standard else None,
                )
            )  # fmt: skip
        else:
            c = found.get(code)
            cases.append(
                Case(
                    "complaint", code, url, basis,
                    c.submitted_at.astimezone(tz).date() if c else None,
                    c.service.name if c and c.service else "",
                    c.reported_employee.name if c and c.reported_employee else "",
                    None, None,
                )
            )  # fmt: skip
    return paged, cases
