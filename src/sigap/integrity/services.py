"""`integrity_refresh`: read the operational database into plain rows, run the pure signals
of `sigap.analytics.integrity`, and replace the result tables in one transaction."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sigap.access import Action, can
from sigap.analytics.integrity import (
    ComplaintRow,
    Finding,
    RequestRow,
    Thresholds,
    integrity_findings,
    mentions_paying,
)
from sigap.audit.services import audit_record
from sigap.catalogue.models import Service
from sigap.complaints.models import Category as ComplaintCategory
from sigap.complaints.models import Complaint
from sigap.complaints.models import Status as ComplaintStatus
from sigap.integrity.models import (
    IntegrityRun,
    IntegritySignal,
    SignalDecision,
    SignalFollowUp,
    SignalFollowUpEvent,
)
from sigap.integrity.selectors import case_dates, subject_q
from sigap.organisation.models import Employee
from sigap.payments.selectors import paid_by_request
from sigap.service_requests.models import Outcome, ServiceEvent, ServiceRequest, Status
from sigap.surveys.models import SurveyResponse

# A complaint counts as substantiated once the unit has followed it up or closed it with action.
SUBSTANTIATED = (ComplaintStatus.DITINDAKLANJUTI, ComplaintStatus.SELESAI)


def thresholds() -> Thresholds:
    """Defaults of `Thresholds`, overridden by settings.SIGAP["INTEGRITY_THRESHOLDS"]
    (`jump_tolerance` in minutes)."""
    overrides = dict(settings.SIGAP.get("INTEGRITY_THRESHOLDS", {}) or {})  # type: ignore[call-overload]
    if "jump_tolerance" in overrides:
        overrides["jump_tolerance"] = timedelta(minutes=float(overrides["jump_tolerance"]))
    return dataclasses.replace(Thresholds(), **overrides)


def _bounds(since: date, until: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(since, time.min, tzinfo=tz),
        datetime.combine(until + timedelta(days=1), time.min, tzinfo=tz),
    )


def citizen_statements(start: datetime, end: datetime) -> dict[int, list[str]]:
    """Per request submitted in [start, end), the citizens' statements about it that mention
    paying: SKM comments given with the receipt code ("skm:<id>") and complaints about the
    request ("complaint:<code>"); a complaint filed as pungli counts whatever its words."""
    period = Q(service_request__submitted_at__gte=start, service_request__submitted_at__lt=end)
    found: dict[int, list[str]] = {}
    for pk, request_id, comment in (
        SurveyResponse.objects.filter(period, service_request__isnull=False)
        .exclude(comment="")
        .order_by("pk")
        .values_list("pk", "service_request_id", "comment")
    ):
        if mentions_paying(comment):
            found.setdefault(request_id, []).append(f"skm:{pk}")
    for code, request_id, category, description in (
        Complaint.objects.filter(period, service_request__isnull=False)
        .order_by("pk")
        .values_list("receipt_code", "service_request_id", "category", "description")
    ):
        if category == ComplaintCategory.PUNGLI or mentions_paying(description):
            found.setdefault(request_id, []).append(f"complaint:{code}")
    return found


def request_rows(since: date, until: date) -> list[RequestRow]:
    """Requests submitted in [since, until] as plain rows (a few queries, no N+1)."""
    start, end = _bounds(since, until)
    in_period = Q(request__submitted_at__gte=start, request__submitted_at__lt=end)
    pauses = dict(
        ServiceEvent.objects.filter(in_period)
        .values("request_id")
        .annotate(
            returns=Count("pk", filter=Q(outcome=Outcome.RETURNED)),
            waits=Count("pk", filter=Q(outcome=Outcome.WAITING)),
        )
        .filter(Q(returns__gt=0) | Q(waits__gt=0))
        .values_list("request_id", "returns")
    )
    intake = dict(
        ServiceEvent.objects.filter(
            in_period, outcome=Outcome.SUBMITTED, officer__isnull=False
        ).values_list("request_id", "officer_id")
    )
    paid = paid_by_request(in_period)
    statements = citizen_statements(start, end)
    received = dict(
        ServiceEvent.objects.filter(in_period, outcome=Outcome.RECEIVED)
        .order_by("request_id", "-seq")  # the first reception wins in dict()
        .values_list("request_id", "timestamp")
    )
    rows = []
    for r in (
        ServiceRequest.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
        .values_list(
            "pk",
            "receipt_code",
            "service__code",
            "unit_id",
            "assigned_officer_id",
            "submitted_at",
            "finished_at",
            "status",
            "standard__tariff_rupiah",
            "applicant_gender",
            "applicant_disability",
            "region_kecamatan",
            "applicant_age_band",
        )
        .iterator(chunk_size=5000)
    ):
        pk, receipt, service, unit, officer, submitted, finished, status, tariff = r[:9]
        gender, disability, region, age_band = r[9:]
        rows.append(
            RequestRow(
                receipt=receipt,
                service=service,
                unit=unit,
                officer=officer if officer is not None else intake.get(pk),
                submitted=submitted,
                finished=finished,
                completed=status == Status.COMPLETED,
                rejected=status == Status.REJECTED,
                returns=pauses.get(pk, 0),
                paused=pk in pauses,
                paid=paid.get(pk, 0),
                tariff=int(tariff),
                counter_officer=intake.get(pk),
                received=received.get(pk),
                gender=gender,
                disability=disability,
                region=region,
                age_band=age_band,
                statements=tuple(statements.get(pk, ())),
            )
        )
    return rows


def complaint_rows(since: date, until: date) -> list[ComplaintRow]:
    start, end = _bounds(since, until)
    return [
        ComplaintRow(
            code=code,
            officer=officer,
            unit=unit,
            category=category,
            substantiated=status in SUBSTANTIATED,
        )
        for code, officer, unit, category, status in Complaint.objects.filter(
            submitted_at__gte=start, submitted_at__lt=end, reported_employee__isnull=False
        ).values_list("receipt_code", "reported_employee_id", "unit_id", "category", "status")
    ]


def _signal(
    run: IntegrityRun, f: Finding, officers: dict[int, Employee], services: dict[str, Service]
) -> IntegritySignal | None:
    kind, _, ident = f.subject.partition(":")
    officer = officers.get(int(ident)) if kind == "officer" else None
    service = services.get(ident) if kind == "service" else None
    unit_id = f.unit or (officer.unit_id if officer else service.unit_id if service else None)
    if unit_id is None:
        return None
    return IntegritySignal(
        run=run,
        kind=f.kind,
        unit_id=unit_id,
        officer=officer,
        service=service,
        flagged=f.flagged,
        value=f.value,
        summary=f.summary,
        evidence=list(f.evidence),
    )


@transaction.atomic
def integrity_refresh(
    *, since: date, until: date, actor: Any = "sigap integrity refresh", t: Thresholds | None = None
) -> IntegrityRun:
    """Recompute every signal for the period; the previous results are replaced."""
    t = t or thresholds()
    started = timezone.now()
    requests = request_rows(since, until)
    findings = integrity_findings(requests, complaint_rows(since, until), t)
    officer_ids = {
        int(f.subject.split(":")[1]) for f in findings if f.subject.startswith("officer:")
    }
    officers = Employee.objects.in_bulk(officer_ids)
    services = {
        s.code: s
        for s in Service.objects.filter(
            code__in={
                f.subject.split(":", 1)[1] for f in findings if f.subject.startswith("service:")
            }
        )
    }
    IntegrityRun.objects.all().delete()
    run = IntegrityRun.objects.create(
        started_at=started,
        period_start=since,
        period_end=until,
        thresholds={
            k: (v.total_seconds() / 60 if isinstance(v, timedelta) else v)
            for k, v in dataclasses.asdict(t).items()
        },
        requests=len(requests),
        officers=len({r.officer for r in requests if r.officer is not None}),
    )
    rows = [s for f in findings if (s := _signal(run, f, officers, services)) is not None]
    IntegritySignal.objects.bulk_create(rows, batch_size=1000)
    run.signals = len(rows)
    run.flagged = sum(1 for s in rows if s.flagged)
    run.finished_at = timezone.now()
    run.save(update_fields=["signals", "flagged", "finished_at"])
    audit_record(
        actor=actor,
        action="integrity.refresh",
        obj=run,
        data={
            "period": [since.isoformat(), until.isoformat()],
            "requests": run.requests,
            "signals": run.signals,
            "flagged": run.flagged,
        },
    )
    return run


MIN_DECISION_REASON = 10  # characters: a decision that weighs on an SKP says why


@transaction.atomic
def signal_decide(
    *, signal: IntegritySignal, outcome: str, reason: str, actor: Any
) -> SignalDecision:
    """The Inspektorat confirms (a finding) or dismisses a flagged signal about an officer.

    The decision covers the signal's cases that no earlier decision covered; it copies them
    with the run's period, because the next refresh replaces the signal rows.
    """
    # Authorise on the row as stored, never on the caller's copy of it.
    stored = (
        IntegritySignal.objects.select_related("run", "unit", "officer")
        .filter(pk=signal.pk)
        .first()
    )
    if stored is None or not can(actor, Action.INTEGRITY_DECIDE, stored.unit):
        raise PermissionDenied(_("Only the Inspektorat of this unit decides on its signals."))
    signal = stored
    officer = signal.officer
    if officer is None or not signal.flagged:
        raise ValidationError(
            {"signal": _("Only a flagged signal about a named officer can be decided.")}
        )
    if officer.user_id is not None and officer.user_id == getattr(actor, "pk", None):
        raise PermissionDenied(_("Nobody decides on a signal about themselves."))
    if outcome not in SignalDecision.Outcome.values:
        raise ValidationError({"outcome": _("Choose: confirmed finding or dismissed.")})
    if len(reason.strip()) < MIN_DECISION_REASON:
        raise ValidationError({"reason": _("Give the reason for the decision (a sentence).")})
    # One decision at a time per officer: two inspectors cannot decide the same cases twice.
    Employee.objects.select_for_update().filter(pk=officer.pk).first()
    decided = {
        code
        for cases in SignalDecision.objects.filter(officer=officer, kind=signal.kind).values_list(
            "cases", flat=True
        )
        for code in cases
    }
    cases = [code for code in signal.evidence if code not in decided]
    if not cases:
        raise ValidationError({"signal": _("Every case of this signal is already decided.")})
    # The finding's period is that of its cases (it weighs on the SKP of those dates), not the
    # whole run's: a rolling 365-day run would otherwise reach into two SKP years.
    days = sorted(case_dates(cases).values())
    decision = SignalDecision.objects.create(
        officer=officer,
        unit=signal.unit,
        kind=signal.kind,
        outcome=outcome,
        reason=reason.strip(),
        period_start=days[0] if days else signal.run.period_start,
        period_end=days[-1] if days else signal.run.period_end,
        cases=cases,
        decided_by=actor if getattr(actor, "pk", None) else None,
        decided_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action=f"integrity.{outcome}",
        obj=decision,
        # Ids and counts only: the reason stays on the decision row (audit data is no place
        # for free text about a person).
        data={"signal": signal.pk, "kind": signal.kind, "officer": officer.pk,
              "cases": len(cases)},
    )  # fmt: skip
    return decision


MIN_CLOSING_NOTE = 10  # characters: a closed signal says what was found or done


def _stored_signal(signal: IntegritySignal, actor: Any) -> IntegritySignal:
    """The signal as stored, when `actor` is of the Inspektorat over its unit."""
    stored = IntegritySignal.objects.select_related("unit").filter(pk=signal.pk).first()
    if stored is None or not can(actor, Action.INTEGRITY_VIEW, stored.unit):
        raise PermissionDenied(_("Only the Inspektorat of this unit follows up its signals."))
    return stored


def _follow_up(signal: IntegritySignal) -> SignalFollowUp:
    """The subject's follow-up, locked; created on first use (one per subject)."""
    # Lock the unit row: two inspectors acting on a new subject at once make one follow-up.
    from sigap.organisation.models import Unit

    Unit.objects.select_for_update().filter(pk=signal.unit_id).first()
    found = SignalFollowUp.objects.select_for_update().filter(subject_q(signal)).first()
    if found is not None:
        return found
    return SignalFollowUp.objects.create(
        kind=signal.kind,
        unit_id=signal.unit_id,
        officer_id=signal.officer_id,
        service_id=signal.service_id,
        updated_at=timezone.now(),
    )


@transaction.atomic
def signal_assign(*, signal: IntegritySignal, assignee: Any, actor: Any) -> SignalFollowUp:
    """Give a signal to an inspector to follow up; on a closed signal this reopens it."""
    signal = _stored_signal(signal, actor)
    if assignee is None or not can(assignee, Action.INTEGRITY_VIEW, signal.unit):
        raise ValidationError(
            {"assignee": _("Choose an inspector who may see this unit's signals.")}
        )
    follow_up = _follow_up(signal)
    now = timezone.now()
    reopened = follow_up.is_closed
    follow_up.assignee = assignee
    follow_up.closed_at = None
    follow_up.closing_note = ""
    follow_up.updated_at = now
    follow_up.save()
    SignalFollowUpEvent.objects.create(
        follow_up=follow_up,
        action=SignalFollowUpEvent.Action.ASSIGNED,
        assignee=assignee,
        by=actor if getattr(actor, "pk", None) else None,
        at=now,
    )
    audit_record(
        actor=actor,
        action="integrity.assign",
        obj=follow_up,
        data={"signal": signal.pk, "kind": signal.kind, "assignee": assignee.pk,
              "reopened": reopened},
    )  # fmt: skip
    return follow_up


@transaction.atomic
def signal_close(*, signal: IntegritySignal, note: str, actor: Any) -> SignalFollowUp:
    """Close a signal's follow-up with a note saying what was found or done."""
    signal = _stored_signal(signal, actor)
    if len(note.strip()) < MIN_CLOSING_NOTE:
        raise ValidationError(
            {"note": _("Write what was found or done before closing (a sentence).")}
        )
    follow_up = _follow_up(signal)
    if follow_up.is_closed:
        raise ValidationError({"signal": _("This signal is already closed.")})
    now = timezone.now()
    follow_up.closed_at = now
    follow_up.closing_note = note.strip()
    follow_up.updated_at = now
    follow_up.save()
    SignalFollowUpEvent.objects.create(
        follow_up=follow_up,
        action=SignalFollowUpEvent.Action.CLOSED,
        assignee=follow_up.assignee,
        note=note.strip(),
        by=actor if getattr(actor, "pk", None) else None,
        at=now,
    )
    # Ids only: the note stays on the follow-up (no free text about a person in the audit data).
    audit_record(
        actor=actor,
        action="integrity.close",
        obj=follow_up,
        data={"signal": signal.pk, "kind": signal.kind},
    )
    return follow_up
