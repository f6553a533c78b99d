"""Reads for the oversight pages, always through the access helper's scope."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet
from django.utils import timezone

from sigap.access import Action, can, scoped
from sigap.complaints.models import Complaint
from sigap.complaints.selectors import overdue_q
from sigap.integrity.models import IntegrityRun, IntegritySignal, SignalDecision
from sigap.organisation.models import Unit
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
