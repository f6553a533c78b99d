"""Every state change of the SKP and talent data: one keyword-only, atomic function each.

Each function authorises itself through the access helper, so a view, the API or a command
cannot skip it (the rater needs `APPRAISAL_RATE` over the ratee's unit: `require_rater`; HR
needs `APPRAISAL_CALIBRATE`: `require_calibrator`; views call the same two functions to answer
403 early), validates, writes, and records an `AppraisalHistory` row (plus an
`AppraisalCorrection` for any change of a final rating, and an audit-trail entry for
finalisations, corrections, calibrations, org ratings, imports and absences).

A Sangat Baik for an officer with a confirmed integrity finding in the period (decided by the
Inspektorat, `sigap.integrity.services.signal_decide`) needs a written justification:
`appraisal_rate`, `appraisal_finalise` and `appraisal_correct` refuse it without one.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sigap.access import Action, can, has_any_role
from sigap.appraisals import conf
from sigap.appraisals.integrity_record import integrity_record, year_bounds
from sigap.appraisals.models import (
    YEARLY,
    AbsenceRecord,
    Appraisal,
    AppraisalCorrection,
    AppraisalHistory,
    EvidenceKey,
    OrgRating,
    PerformancePlan,
    PlanIndicator,
    PlanResult,
    PotentialScore,
    Predikat,
)
from sigap.audit.services import audit_record
from sigap.organisation.models import Employee, Unit
from sigap.organisation.services import agency_calendar
from sigap.rules.skp import InvalidRating, OrgPredikat, PeriodKind, evaluation_periods, predikat
from sigap.rules.talent import potential_level
from sigap.web import formatting

if TYPE_CHECKING:
    from django.contrib.auth.models import User

MIN_YEAR, MAX_YEAR = 2022, 2100  # PermenPANRB 6/2022 applies from the 2022 SKP onwards
MIN_REASON = 10  # characters: "ok" is not a reason


@dataclass(frozen=True)
class IndicatorInput:
    text: str
    target: str
    evidence_key: str = ""


@dataclass(frozen=True)
class ResultInput:
    text: str
    indicators: Sequence[IndicatorInput] = field(default_factory=tuple)
    parent_id: int | None = None  # a result of the rater's own plan this one is cascaded from


def _history(
    plan: PerformancePlan,
    action: str,
    actor: Any,
    appraisal: Appraisal | None = None,
    **detail: Any,
) -> None:
    AppraisalHistory.objects.create(
        plan=plan,
        appraisal=appraisal,
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        at=timezone.now(),
        detail=detail,
    )


def require_rater(actor: Any, employee: Employee) -> None:
    """The rater holds APPRAISAL_RATE over the ratee's unit and is not the ratee."""
    if not can(actor, Action.APPRAISAL_RATE, employee.unit):
        raise PermissionDenied(_("You may not rate employees of this unit."))
    if employee.user_id is not None and employee.user_id == getattr(actor, "pk", None):
        raise PermissionDenied(_("Nobody rates their own performance."))


def require_calibrator(actor: Any, unit: Unit | None = None) -> None:
    """HR holds APPRAISAL_CALIBRATE over `unit` (over some unit when `unit` is None)."""
    allowed = (
        can(actor, Action.APPRAISAL_CALIBRATE, unit)
        if unit is not None
        else has_any_role(actor, Action.APPRAISAL_CALIBRATE)
    )
    if not allowed:
        raise PermissionDenied(_("Only HR may do this for this unit."))


def _period_bounds(plan: PerformancePlan, period: int) -> tuple[date, date]:
    if period == YEARLY:
        return year_bounds(plan.year)
    _number, first, last = evaluation_periods(plan.period_kind, plan.year)[period - 1]
    return first, last


def _integrity_justification(
    *, plan: PerformancePlan, period: int, predikat: str, justification: str
) -> str:
    """The justification to store with a rating; refuses a Sangat Baik without one when the
    Inspektorat confirmed an integrity finding about the officer in the period (issue #12:
    merit must not ignore integrity; the rater may still judge, but in writing)."""
    if predikat != Predikat.SANGAT_BAIK:
        return ""
    text = justification.strip()
    if len(text) >= MIN_REASON:
        return text
    start, end = _period_bounds(plan, period)
    record = integrity_record(plan.employee, start, end)
    if record.findings:
        raise ValidationError(
            {
                "justification": _(
                    "The Inspektorat confirmed %(n)d integrity finding(s) about this employee "
                    "in the period: a Sangat Baik rating needs a written justification "
                    "(a sentence at least)."
                )
                % {"n": record.confirmed}
            }
        )
    return text


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError({"year": _("The SKP year must be between 2022 and 2100.")})


def _validate_results(
    results: Sequence[ResultInput], parent_ids: set[int], offset: int = 0
) -> None:
    errors: list[str] = []
    for n, result in enumerate(results, start=offset + 1):
        if not result.text.strip():
            errors.append(_("Result %(n)d: the planned result is empty.") % {"n": n})
        if not result.indicators:
            errors.append(_("Result %(n)d: a result needs at least one indicator.") % {"n": n})
        for indicator in result.indicators:
            if not indicator.text.strip() or not indicator.target.strip():
                errors.append(
                    _("Result %(n)d: every indicator needs a text and a target.") % {"n": n}
                )
            if indicator.evidence_key not in EvidenceKey.values:
                errors.append(
                    _("Result %(n)d: unknown evidence “%(key)s”.")
                    % {"n": n, "key": indicator.evidence_key}
                )
        if result.parent_id is not None and result.parent_id not in parent_ids:
            errors.append(
                _("Result %(n)d: it can only be cascaded from a result of the rater's plan.")
                % {"n": n}
            )
    if errors:
        raise ValidationError({"results": errors})


def _rater_result_ids(employee: Employee, year: int) -> set[int]:
    if employee.supervisor_id is None:
        return set()
    return set(
        PlanResult.objects.filter(
            plan__employee_id=employee.supervisor_id, plan__year=year
        ).values_list("pk", flat=True)
    )


def _write_results(plan: PerformancePlan, results: Sequence[ResultInput], start: int) -> None:
    for order, result in enumerate(results, start=start):
        row = PlanResult.objects.create(
            plan=plan, order=order, text=result.text.strip(), parent_id=result.parent_id
        )
        PlanIndicator.objects.bulk_create(
            PlanIndicator(
                result=row,
                text=i.text.strip(),
                target=i.target.strip(),
                evidence_key=i.evidence_key,
            )
            for i in result.indicators
        )


@transaction.atomic
def plan_create(
    *,
    employee: Employee,
    year: int,
    results: Sequence[ResultInput],
    actor: User,
    period_kind: PeriodKind | str | None = None,
) -> PerformancePlan:
    """Create the yearly SKP of `employee` with at least one result, each with indicators."""
    employee = Employee.objects.select_related("unit", "supervisor").get(pk=employee.pk)
    require_rater(actor, employee)
    _check_year(year)
    kind = PeriodKind(period_kind) if period_kind else conf.period_kind()
    if PerformancePlan.objects.filter(employee=employee, year=year).exists():
        raise ValidationError({"year": _("This employee already has an SKP for that year.")})
    if not results:
        raise ValidationError({"results": [_("A plan needs at least one result.")]})
    _validate_results(results, _rater_result_ids(employee, year))
    plan = PerformancePlan.objects.create(
        employee=employee,
        unit=employee.unit,
        year=year,
        rater=employee.supervisor,
        period_kind=kind.value,
    )
    _write_results(plan, results, start=1)
    _history(plan, "plan.create", actor, results=len(results), period=kind.value)
    return plan


@transaction.atomic
def plan_add_result(*, plan: PerformancePlan, result: ResultInput, actor: User) -> PlanResult:
    """Add one result (with its indicators) to an existing plan."""
    plan = PerformancePlan.objects.select_related("employee__unit").get(pk=plan.pk)
    require_rater(actor, plan.employee)
    if plan.appraisals.filter(period=YEARLY, status=Appraisal.Status.FINAL).exists():
        raise ValidationError(_("The yearly appraisal is final: the plan can no longer change."))
    count = plan.results.count()
    _validate_results([result], _rater_result_ids(plan.employee, plan.year), offset=count)
    _write_results(plan, [result], start=count + 1)
    _history(plan, "plan.add_result", actor, text=result.text[:200])
    return plan.results.get(order=count + 1)


def _ratings(hasil_kerja: str, perilaku_kerja: str) -> str:
    try:
        return predikat(hasil_kerja, perilaku_kerja).value
    except InvalidRating:
        raise ValidationError(
            {
                "hasil_kerja": _(
                    "Choose a rating: above expectations, meets expectations or below "
                    "expectations (PermenPANRB 6/2022)."
                ),
            }
        ) from None


def _check_period(plan: PerformancePlan, period: int) -> None:
    periods = len(evaluation_periods(plan.period_kind, plan.year))
    if not 0 <= period <= periods:
        raise ValidationError(
            {"period": _("Period %(p)s does not exist: 0 (yearly) or 1 to %(n)d.")
             % {"p": period, "n": periods}}
        )  # fmt: skip


@transaction.atomic
def appraisal_rate(
    *,
    plan: PerformancePlan,
    period: int,
    hasil_kerja: str,
    perilaku_kerja: str,
    actor: User,
    behaviour_notes: dict[str, str] | None = None,
    peer_feedback: str = "",
    citizen_feedback: str = "",
    finalise: bool = False,
    justification: str = "",
) -> Appraisal:
    """Rate one period (0 = the year): both ratings give the predikat by the 3×3 matrix.

    A final appraisal is locked: it changes only through `appraisal_correct`. `justification`
    is required for a Sangat Baik when an integrity finding was confirmed in the period.
    """
    plan = PerformancePlan.objects.select_related("employee__unit").get(pk=plan.pk)
    require_rater(actor, plan.employee)
    _check_period(plan, period)
    value = _ratings(hasil_kerja, perilaku_kerja)
    justified = _integrity_justification(
        plan=plan, period=period, predikat=value, justification=justification
    )
    if not PlanIndicator.objects.filter(result__plan=plan).exists():
        raise ValidationError(_("The plan has no indicators yet: plan before rating."))
    existing = Appraisal.objects.select_for_update().filter(plan=plan, period=period).first()
    if existing and existing.is_final:
        raise ValidationError(
            _("This appraisal is final; it can only be changed by a reasoned correction.")
        )
    now = timezone.now()
    notes = {k: str(v)[:1000] for k, v in (behaviour_notes or {}).items() if str(v).strip()}
    appraisal = existing or Appraisal(plan=plan, unit=plan.unit, period=period)
    old = (appraisal.hasil_kerja, appraisal.perilaku_kerja, appraisal.predikat)
    appraisal.hasil_kerja, appraisal.perilaku_kerja, appraisal.predikat = (
        hasil_kerja,
        perilaku_kerja,
        value,
    )
    appraisal.behaviour_notes = notes
    appraisal.peer_feedback = peer_feedback.strip()
    appraisal.citizen_feedback = citizen_feedback.strip()
    appraisal.integrity_justification = justified
    appraisal.rated_by = actor
    appraisal.rated_at = now
    if finalise:
        appraisal.status, appraisal.finalised_at = Appraisal.Status.FINAL, now
    appraisal.save()
    _history(
        plan,
        "appraisal.rate",
        actor,
        appraisal,
        period=period,
        old=list(old) if existing else None,
        new=[hasil_kerja, perilaku_kerja, value],
        final=finalise,
        **({"justification": justified[:2000]} if justified else {}),
    )
    if justified:
        _audit_justification(actor, appraisal, value)
    if finalise:
        audit_record(
            actor=actor,
            action="appraisal.finalise",
            obj=appraisal,
            data={"period": period, "predikat": value, "employee": plan.employee_id},
        )
    return appraisal


def _audit_justification(actor: Any, appraisal: Appraisal, predikat: str) -> None:
    """The justification itself stays on the appraisal and its history (audit data is ids and
    values, no free text about a person); the trail records that one was given, by whom."""
    audit_record(
        actor=actor,
        action="appraisal.integrity_justification",
        obj=appraisal,
        data={"period": appraisal.period, "predikat": predikat,
              "employee": appraisal.plan.employee_id,
              "chars": len(appraisal.integrity_justification)},
    )  # fmt: skip


@transaction.atomic
def appraisal_finalise(*, appraisal: Appraisal, actor: User, justification: str = "") -> Appraisal:
    """Lock a draft. A Sangat Baik drafted before the Inspektorat confirmed a finding needs
    its justification now (unless the draft already carries one)."""
    appraisal = (
        Appraisal.objects.select_for_update(of=("self",))
        .select_related("plan__employee__unit")
        .get(pk=appraisal.pk)
    )
    require_rater(actor, appraisal.plan.employee)
    if appraisal.is_final:
        raise ValidationError(_("This appraisal is already final."))
    justified = _integrity_justification(
        plan=appraisal.plan,
        period=appraisal.period,
        predikat=appraisal.predikat,
        justification=justification or appraisal.integrity_justification,
    )
    changed = justified != appraisal.integrity_justification
    appraisal.integrity_justification = justified
    appraisal.status, appraisal.finalised_at = Appraisal.Status.FINAL, timezone.now()
    appraisal.save(update_fields=["status", "finalised_at", "integrity_justification"])
    _history(
        appraisal.plan,
        "appraisal.finalise",
        actor,
        appraisal,
        period=appraisal.period,
        **({"justification": justified[:2000]} if changed and justified else {}),
    )
    if changed and justified:
        _audit_justification(actor, appraisal, appraisal.predikat)
    audit_record(
        actor=actor,
        action="appraisal.finalise",
        obj=appraisal,
        data={"period": appraisal.period, "predikat": appraisal.predikat},
    )
    return appraisal


@transaction.atomic
def appraisal_correct(
    *,
    appraisal: Appraisal,
    hasil_kerja: str,
    perilaku_kerja: str,
    reason: str,
    actor: User,
    kind: str = AppraisalCorrection.Kind.CORRECTION,
    justification: str = "",
) -> AppraisalCorrection:
    """Change an appraisal through a recorded, reasoned correction.

    `kind` "correction": the rater corrects a final appraisal. "calibration": HR adjusts a
    draft or final appraisal on the calibration page (needs `APPRAISAL_CALIBRATE`). A new
    Sangat Baik needs `justification` when an integrity finding was confirmed in the period.
    """
    if kind not in AppraisalCorrection.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of correction.")})
    # Authorise on the row as stored, never on the caller's copy of it.
    appraisal = (
        Appraisal.objects.select_for_update(of=("self",))
        .select_related("plan__employee__unit", "unit")
        .get(pk=appraisal.pk)
    )
    if kind == AppraisalCorrection.Kind.CALIBRATION:
        if not can(actor, Action.APPRAISAL_CALIBRATE, appraisal.unit):
            raise PermissionDenied(_("Only HR may calibrate appraisals of this unit."))
    else:
        require_rater(actor, appraisal.plan.employee)
    if kind == AppraisalCorrection.Kind.CORRECTION and not appraisal.is_final:
        raise ValidationError(_("A draft is simply rated again; corrections are for final ones."))
    if len(reason.strip()) < MIN_REASON:
        raise ValidationError({"reason": _("Give the reason for the change (a sentence).")})
    value = _ratings(hasil_kerja, perilaku_kerja)
    if (hasil_kerja, perilaku_kerja) == (appraisal.hasil_kerja, appraisal.perilaku_kerja):
        raise ValidationError(_("The new ratings are the same as the current ones."))
    justified = _integrity_justification(
        plan=appraisal.plan, period=appraisal.period, predikat=value, justification=justification
    )
    now = timezone.now()
    correction = AppraisalCorrection.objects.create(
        appraisal=appraisal,
        kind=kind,
        old_hasil_kerja=appraisal.hasil_kerja,
        old_perilaku_kerja=appraisal.perilaku_kerja,
        old_predikat=appraisal.predikat,
        new_hasil_kerja=hasil_kerja,
        new_perilaku_kerja=perilaku_kerja,
        new_predikat=value,
        reason=reason.strip(),
        by=actor,
        at=now,
    )
    appraisal.hasil_kerja, appraisal.perilaku_kerja, appraisal.predikat = (
        hasil_kerja,
        perilaku_kerja,
        value,
    )
    appraisal.integrity_justification = justified
    appraisal.save(
        update_fields=["hasil_kerja", "perilaku_kerja", "predikat", "integrity_justification"]
    )
    _history(
        appraisal.plan,
        f"appraisal.{kind}",
        actor,
        appraisal,
        old=correction.old_predikat,
        new=value,
        reason=correction.reason[:500],
        **({"justification": justified[:2000]} if justified else {}),
    )
    audit_record(
        actor=actor,
        action=f"appraisal.{kind}",
        obj=appraisal,
        data={"old": correction.old_predikat, "new": value, "correction": correction.pk},
    )
    if justified:
        _audit_justification(actor, appraisal, value)
    return correction


@transaction.atomic
def org_rating_set(*, unit: Unit, year: int, predikat: str, actor: User) -> OrgRating:
    """Record the unit's predikat kinerja organisasi (set by the higher leader; entered by HR)."""
    require_calibrator(actor, unit)
    _check_year(year)
    try:
        value = OrgPredikat(predikat).value
    except ValueError:
        raise ValidationError({"predikat": _("Unknown organisation predikat.")}) from None
    rating, _created = OrgRating.objects.update_or_create(
        unit=unit,
        year=year,
        defaults={"predikat": value, "set_by": actor, "set_at": timezone.now()},
    )
    audit_record(actor=actor, action="appraisal.org_rating", obj=rating, unit=unit,
                 data={"year": year, "predikat": value})  # fmt: skip
    return rating


class ImportFailed(ValidationError):
    """All-or-nothing import refused; `.lines` are "line N: message" strings."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(lines)
        self.lines = lines


def _sniff_rows(text: str) -> list[dict[str, str]]:
    sample = text[:2000]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    if reader.fieldnames is None:
        return []
    reader.fieldnames = [f.strip().lower() for f in reader.fieldnames]
    return list(reader)


@transaction.atomic
def potential_import(*, text: str, year: int, actor: User) -> int:
    """Import potential scores from CSV (columns nip, score[, source]); all or nothing.

    Errors name the line of the file (the header is line 1). A score is 0–100 (decimal comma
    accepted); the NIP must be an employee in the importer's scope; a NIP appears once.
    """
    require_calibrator(actor)
    _check_year(year)
    rows = _sniff_rows(text.lstrip("\ufeff"))
    if not rows:
        raise ImportFailed([_("line 1: expected a header with the columns nip and score")])
    missing = {"nip", "score"} - set(rows[0])
    if missing:
        raise ImportFailed([_("line 1: missing column(s) %s") % ", ".join(sorted(missing))])
    nips = [r.get("nip", "").replace(" ", "").strip() for r in rows]
    employees = Employee.objects.select_related("unit").in_bulk(nips, field_name="nip")
    errors: list[str] = []
    seen: dict[str, int] = {}
    parsed: list[tuple[Employee, Decimal, str]] = []
    for line, (row, nip) in enumerate(zip(rows, nips, strict=True), start=2):
        employee = employees.get(nip)
        if employee is None or not can(actor, Action.APPRAISAL_CALIBRATE, employee.unit):
            errors.append(_("line %(n)d: unknown NIP “%(nip)s”") % {"n": line, "nip": nip})
            continue
        if nip in seen:
            errors.append(
                _("line %(n)d: NIP %(nip)s already on line %(first)d")
                % {"n": line, "nip": nip, "first": seen[nip]}
            )
            continue
        seen[nip] = line
        raw = (row.get("score") or "").strip().replace(",", ".")
        try:
            score = Decimal(raw)
            potential_level(float(score), conf.potential_cutoffs())
        except (InvalidOperation, ValueError):
            errors.append(
                _("line %(n)d: the score “%(s)s” is not a number from 0 to 100")
                % {"n": line, "s": raw}
            )
            continue
        parsed.append((employee, score.quantize(Decimal("0.01")), (row.get("source") or "")[:200]))
    if errors:
        raise ImportFailed(errors)
    now = timezone.now()
    for employee, score, source in parsed:
        PotentialScore.objects.update_or_create(
            employee=employee,
            year=year,
            defaults={"unit": employee.unit, "score": score, "source": source,
                      "imported_by": actor, "imported_at": now},
        )  # fmt: skip
    audit_record(
        actor=actor, action="appraisal.potential_import", data={"year": year, "rows": len(parsed)}
    )
    return len(parsed)


@transaction.atomic
def absence_record(*, employee: Employee, day: date, actor: User, note: str = "") -> AbsenceRecord:
    """Record one working day of unexcused absence (PP 94/2021), kept by HR."""
    employee = Employee.objects.select_related("unit").get(pk=employee.pk)
    require_calibrator(actor, employee.unit)
    if day > timezone.localdate():
        raise ValidationError({"day": _("An absence cannot be recorded in advance.")})
    calendar = agency_calendar(employee.unit.agency_id)
    if not calendar.is_working_day(day):
        raise ValidationError({"day": _("%s is not a working day.") % formatting.long_date(day)})
    if AbsenceRecord.objects.filter(employee=employee, date=day).exists():
        raise ValidationError({"day": _("That absence is already recorded.")})
    record = AbsenceRecord.objects.create(
        employee=employee,
        unit=employee.unit,
        date=day,
        note=note.strip()[:300],
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    audit_record(actor=actor, action="appraisal.absence", obj=record,
                 data={"employee": employee.pk, "date": day.isoformat()})  # fmt: skip
    return record


def local_year_bounds(year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)
