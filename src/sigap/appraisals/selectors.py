"""Reads of the SKP and talent data, always through the access helper's scope.

The calibration and talent pages read the yearly appraisals and the precomputed evidence
snapshots: a handful of queries, no aggregation over service events inside a request.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from sigap.access import Action, can, has_any_role, scoped
from sigap.analytics.calibration import (
    UnitCalibration,
    calibrate_unit,
    differentiation_index,
    spearman,
)
from sigap.appraisals import conf
from sigap.appraisals.integrity_record import IntegrityRecord, integrity_records, year_bounds
from sigap.appraisals.models import (
    YEARLY,
    AbsenceRecord,
    Appraisal,
    AppraisalCorrection,
    EvidenceSnapshot,
    OrgRating,
    PerformancePlan,
    PotentialScore,
)
from sigap.appraisals.models import Predikat as PredikatChoice
from sigap.competency import profile as competency_profile
from sigap.organisation.models import Employee, Position, Unit
from sigap.organisation.services import agency_calendar
from sigap.rules.discipline import AbsenceSanction, absence_sanction, longest_consecutive_absence
from sigap.rules.skp import (
    KOEFISIEN_AK,
    KOEFISIEN_AK_VERIFIED,
    GuidanceBreach,
    OrgPredikat,
    Predikat,
    angka_kredit,
    distribution_breaches,
    evaluation_periods,
)
from sigap.rules.talent import (
    BOX_RECOMMENDATIONS,
    SuccessionGroup,
    TalentAdvice,
    box_label,
    merit_recommendations,
    nine_box,
    performance_axis,
    potential_level,
    succession_groups,
)
from sigap.web import formatting

if TYPE_CHECKING:
    from sigap.access import AnyUser


def employee_for_user(user: AnyUser, employee_id: int) -> Employee | None:
    """The employee if the user may read their SKP: their own, or in APPRAISAL_VIEW scope."""
    employee = (
        Employee.objects.select_related("unit", "position", "supervisor", "user")
        .filter(pk=employee_id)
        .first()
    )
    if employee is None:
        return None
    if employee.user_id is not None and employee.user_id == user.pk:
        return employee
    return employee if can(user, Action.APPRAISAL_VIEW, employee.unit) else None


@dataclass
class SkpDocument:
    employee: Employee
    year: int
    plan: PerformancePlan | None
    results: list[Any]
    periods: list[tuple[int, Any, Any]]
    appraisals: dict[int, Appraisal]
    evidence: EvidenceSnapshot | None
    corrections: list[Any]
    history: list[Any]
    rater_results: list[Any]
    angka_kredit: Decimal | None = None
    ak_coefficient: Decimal | None = None
    ak_verified: bool = False  # the coefficient is one of the VERIFIED ones (rules.md §2.5)
    # When the employee leads their unit: the unit's organisation predikat (rules.md §2.2).
    led_unit_rating: OrgRating | None = None
    # Open integrity flags and confirmed findings of the year, as the viewer may see them.
    integrity: IntegrityRecord | None = None

    @property
    def yearly(self) -> Appraisal | None:
        return self.appraisals.get(YEARLY)


def skp_document(employee: Employee, year: int, *, viewer: AnyUser | None = None) -> SkpDocument:
    """The SKP of a year; with `viewer`, also the integrity record as that viewer may see it."""
    plan = PerformancePlan.objects.filter(employee=employee, year=year).first()
    results: list[Any] = []
    periods: list[tuple[int, Any, Any]] = []
    appraisals: dict[int, Appraisal] = {}
    corrections: list[Any] = []
    history: list[Any] = []
    if plan is not None:
        results = list(plan.results.prefetch_related("indicators").select_related("parent"))
        periods = evaluation_periods(plan.period_kind, year)
        appraisals = {a.period: a for a in plan.appraisals.select_related("rated_by")}
        corrections = list(
            AppraisalCorrection.objects.filter(appraisal__plan=plan).select_related(
                "by", "appraisal"
            )
        )
        history = list(plan.history.select_related("actor"))
    rater_results: list[Any] = []
    if employee.supervisor_id:
        rater_results = list(
            PerformancePlan.objects.filter(employee_id=employee.supervisor_id, year=year)
            .values_list("results__pk", "results__text")
            .filter(results__isnull=False)
        )
    doc = SkpDocument(
        employee=employee,
        year=year,
        plan=plan,
        results=results,
        periods=periods,
        appraisals=appraisals,
        evidence=EvidenceSnapshot.objects.filter(employee=employee, year=year).first(),
        corrections=corrections,
        history=history,
        rater_results=rater_results,
    )
    if (
        conf.get("SKP_LEADER_RESULT_FROM_ORG")
        and employee.reports.filter(unit=employee.unit_id).exists()
    ):
        doc.led_unit_rating = OrgRating.objects.filter(unit=employee.unit_id, year=year).first()
    if viewer is not None:
        doc.integrity = integrity_records([employee.pk], *year_bounds(year), viewer=viewer)[
            employee.pk
        ]
    position: Position = employee.position
    yearly = doc.yearly
    jenjang = functional_jenjang(position)
    if jenjang is not None and yearly is not None:
        coefficient = conf.ak_coefficients()[jenjang]
        doc.ak_coefficient = coefficient
        doc.angka_kredit = angka_kredit(yearly.predikat, coefficient)
        doc.ak_verified = jenjang in KOEFISIEN_AK_VERIFIED and coefficient == KOEFISIEN_AK[jenjang]
    return doc


def functional_jenjang(position: Position) -> str | None:
    """The jenjang of a functional position ("Ahli Pertama"...), from its level or its name."""
    if position.kind != Position.Kind.FUNGSIONAL:
        return None
    coefficients = conf.ak_coefficients()
    if position.level in coefficients:
        return position.level
    for jenjang in sorted(coefficients, key=len, reverse=True):
        if position.name.endswith(jenjang):
            return jenjang
    return None


def appraisal_overview(
    user: AnyUser, year: int, *, search: str = "", unit_id: int | None = None
) -> QuerySet[Employee]:
    """Employees in the user's APPRAISAL_VIEW scope with their yearly predikat and evidence."""
    qs = scoped(user, Action.APPRAISAL_VIEW, Employee.objects.all())
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(nip__startswith=search))
    yearly = Appraisal.objects.filter(plan__year=year, period=YEARLY, plan__employee=OuterRef("pk"))
    evidence = EvidenceSnapshot.objects.filter(employee=OuterRef("pk"), year=year)
    return (
        qs.select_related("unit", "position")
        .annotate(
            year_predikat=Subquery(yearly.values("predikat")[:1]),
            year_status=Subquery(yearly.values("status")[:1]),
            has_plan=Exists(PerformancePlan.objects.filter(employee=OuterRef("pk"), year=year)),
            evidence_score=Subquery(evidence.values("composite")[:1]),
        )
        .order_by("unit__path", "name")
    )


# --- calibration --------------------------------------------------------------------------------


@dataclass
class RatedPerson:
    employee_id: int
    name: str
    nip: str
    unit_id: int
    predikat: str
    status: str
    appraisal_id: int
    evidence: float | None
    hasil_kerja: str = ""
    justification: str = ""  # why Sangat Baik despite a confirmed integrity finding
    integrity: IntegrityRecord | None = None

    @property
    def unjustified(self) -> bool:
        """Sangat Baik, a confirmed finding in the year and no justification: a rating made
        before the Inspektorat's decision, for HR to look at again."""
        return (
            self.predikat == Predikat.SANGAT_BAIK.value
            and self.integrity is not None
            and bool(self.integrity.findings)
            and not self.justification
        )


@dataclass
class UnitRow:
    unit: Unit
    people: list[RatedPerson]
    summary: UnitCalibration
    org_predikat: str | None
    breaches: list[tuple[GuidanceBreach, list[RatedPerson]]] = field(default_factory=list)

    @property
    def distribution(self) -> list[tuple[str, int, float]]:
        n = self.summary.rated or 1
        return [
            (
                p.label,
                self.summary.distribution.get(p.value, 0),
                self.summary.distribution.get(p.value, 0) / n,
            )
            for p in Predikat
        ]


@dataclass
class Calibration:
    year: int
    units: list[UnitRow]
    rated: int
    distribution: list[tuple[str, int, float]]
    correlation: float | None
    paired: int
    differentiation: float | None
    inflated: list[UnitRow]
    variants: dict[str, str]
    # The rated people with open integrity flags or confirmed findings, best predikat first.
    integrity: list[RatedPerson] = field(default_factory=list)


def _rated_people(
    user: AnyUser | None, action: Action, year: int, agency_id: int | None = None
) -> list[RatedPerson]:
    """Yearly appraisals in the user's scope (`user` None: every unit, for system reports),
    each with the integrity record of the year as `user` may see it."""
    qs = Appraisal.objects.filter(plan__year=year, period=YEARLY)
    if user is not None:
        qs = scoped(user, action, qs)
    if agency_id is not None:
        qs = qs.filter(unit__agency_id=agency_id)
    rows = qs.values_list(
        "plan__employee_id",
        "plan__employee__name",
        "plan__employee__nip",
        "unit_id",
        "predikat",
        "status",
        "pk",
        "hasil_kerja",
        "integrity_justification",
    )
    evidence = dict(
        EvidenceSnapshot.objects.filter(year=year).values_list("employee_id", "composite")
    )
    people = [
        RatedPerson(e, name, nip, u, pred, status, pk, evidence.get(e), hasil, why)
        for e, name, nip, u, pred, status, pk, hasil, why in rows
    ]
    records = integrity_records([p.employee_id for p in people], *year_bounds(year), viewer=user)
    for p in people:
        p.integrity = records.get(p.employee_id)
    return people


def calibration(user: AnyUser | None, year: int, *, agency_id: int | None = None) -> Calibration:
    """Per unit: distribution beside evidence, Spearman, differentiation, inflation, guidance.

    `user` None reads every unit (the `sigap calibration-report` command, not a page).
    """
    people = _rated_people(user, Action.APPRAISAL_VIEW, year, agency_id)
    by_unit: dict[int, list[RatedPerson]] = defaultdict(list)
    for p in people:
        by_unit[p.unit_id].append(p)
    units = Unit.objects.in_bulk(list(by_unit))
    org = dict(
        OrgRating.objects.filter(year=year, unit_id__in=list(by_unit)).values_list(
            "unit_id", "predikat"
        )
    )
    settings = conf.inflation()
    guidance_on = bool(conf.get("SKP_GUIDANCE"))
    rounding = conf.guidance_rounding()
    rows: list[UnitRow] = []
    for unit_id, members in by_unit.items():
        members.sort(key=lambda p: (-Predikat(p.predikat).score, p.name))
        summary = calibrate_unit(
            [(p.predikat, Predikat(p.predikat).score, p.evidence) for p in members],
            top=Predikat.SANGAT_BAIK.value,
            settings=settings,
        )
        row = UnitRow(units[unit_id], members, summary, org.get(unit_id))
        if guidance_on and row.org_predikat:
            counts = Counter(Predikat(p.predikat) for p in members)
            for breach in distribution_breaches(
                OrgPredikat(row.org_predikat), counts, rounding=rounding
            ):
                named = [p for p in members if Predikat(p.predikat) in breach.predikats]
                if breach.kind == "min":  # the ratings that would have to move: the others
                    named = [p for p in members if Predikat(p.predikat) not in breach.predikats]
                row.breaches.append((replace(breach, text=guidance_text(breach)), named))
        rows.append(row)
    rows.sort(key=lambda r: r.unit.path)
    paired = [(Predikat(p.predikat).score, p.evidence) for p in people if p.evidence is not None]
    total = Counter(p.predikat for p in people)
    n = len(people) or 1
    return Calibration(
        year=year,
        units=rows,
        rated=len(people),
        distribution=[
            (p.label, total.get(p.value, 0), total.get(p.value, 0) / n) for p in Predikat
        ],
        correlation=spearman([a for a, _ in paired], [b for _, b in paired]) if paired else None,
        paired=len(paired),
        differentiation=differentiation_index([p.predikat for p in people]),
        inflated=[r for r in rows if r.summary.inflated],
        variants=conf.variants(),
        integrity=sorted(
            (p for p in people if p.integrity is not None and not p.integrity.clean),
            key=lambda p: (-Predikat(p.predikat).score, -len(p.integrity.findings), p.name),  # type: ignore[union-attr]
        ),
    )


# --- talent -------------------------------------------------------------------------------------


@dataclass
class TalentPerson:
    employee_id: int
    name: str
    unit: str
    predikat: str
    score: Decimal
    box: int
    groups: frozenset[SuccessionGroup]
    advice: list[TalentAdvice]
    integrity: IntegrityRecord | None = None


@dataclass
class TalentGrid:
    year: int
    cells: list[list[tuple[int, str, list[TalentPerson]]]]  # rows tinggi..rendah
    people: list[TalentPerson]
    without_potential: int
    recommendations: dict[int, tuple[str, ...]]
    variants: dict[str, str]

    @property
    def succession_instansi(self) -> list[TalentPerson]:
        return [p for p in self.people if SuccessionGroup.INSTANSI in p.groups]

    @property
    def succession_nasional(self) -> list[TalentPerson]:
        return [p for p in self.people if SuccessionGroup.NASIONAL in p.groups]

    @property
    def recognition(self) -> list[TalentPerson]:
        return [p for p in self.people if any(a.code == "recognition" for a in p.advice)]

    @property
    def with_integrity(self) -> list[TalentPerson]:
        """Placed people with open integrity flags or confirmed findings in the year."""
        return [p for p in self.people if p.integrity is not None and not p.integrity.clean]

    @property
    def coaching(self) -> list[TalentPerson]:
        return [
            p for p in self.people if any(a.code in ("coaching", "counselling") for a in p.advice)
        ]


def _potential_scores(employee_ids: list[int], year: int) -> dict[int, Decimal]:
    """employee id → the potential axis's score (0–100), by TALENT_POTENTIAL_SOURCE: the
    imported score of the year, or the JPM against the current position on the year's last day
    (today for the current year), shown capped at 100; no standard, or a required competency
    never assessed, no score (`assessed_jpm_on`)."""
    if conf.talent_potential_source() == "score":
        return dict(
            PotentialScore.objects.filter(year=year, employee_id__in=employee_ids).values_list(
                "employee_id", "score"
            )
        )
    day = min(timezone.localdate(), date(year, 12, 31))
    employees = list(Employee.objects.select_related("unit").filter(pk__in=employee_ids))
    return {
        employee_id: match.shown
        for employee_id, match in competency_profile.assessed_jpm_on(employees, day).items()
    }


def talent_grid(user: AnyUser, year: int) -> TalentGrid:
    """The 9-box of PermenPANRB 3/2020 from the yearly predikat and the potential scores."""
    people = _rated_people(user, Action.TALENT_VIEW, year)
    scores = _potential_scores([p.employee_id for p in people], year)
    history: dict[int, list[str]] = defaultdict(list)
    for employee_id, pred in (
        Appraisal.objects.filter(
            period=YEARLY,
            plan__employee_id__in=[p.employee_id for p in people],
            plan__year__lte=year,
        )
        .order_by("plan__year")
        .values_list("plan__employee_id", "predikat")
    ):
        history[employee_id].append(pred)
    unit_names = dict(
        Unit.objects.filter(pk__in={p.unit_id for p in people}).values_list("pk", "name")
    )
    cutoffs = conf.potential_cutoffs()
    repeat = int(conf.get("RECOGNITION_REPEAT_YEARS"))
    by_hasil_kerja = conf.talent_axis() == "hasil_kerja"
    placed: list[TalentPerson] = []
    for p in people:
        if p.employee_id not in scores:
            continue
        score = scores[p.employee_id]
        kinerja = p.hasil_kerja if by_hasil_kerja else performance_axis(p.predikat)
        box = nine_box(potential_level(float(score), cutoffs), kinerja)
        placed.append(
            TalentPerson(
                p.employee_id,
                p.name,
                unit_names.get(p.unit_id, ""),
                p.predikat,
                score,
                box,
                succession_groups(box),
                merit_recommendations(history[p.employee_id], box, repeat_years=repeat),
                p.integrity,
            )
        )
    placed.sort(key=lambda t: (-t.box, -t.score, t.name))
    by_box: dict[int, list[TalentPerson]] = defaultdict(list)
    for t in placed:
        by_box[t.box].append(t)
    layout = [[6, 8, 9], [3, 5, 7], [1, 2, 4]]
    cells = [[(b, box_label(b), by_box[b]) for b in row] for row in layout]
    return TalentGrid(
        year=year,
        cells=cells,
        people=placed,
        without_potential=len(people) - len(placed),
        recommendations=dict(BOX_RECOMMENDATIONS),
        variants=conf.variants(),
    )


# --- discipline ---------------------------------------------------------------------------------


@dataclass
class AbsenceRow:
    employee: Employee
    days: int
    consecutive: int
    sanction: AbsenceSanction | None


def discipline_overview(user: AnyUser, year: int) -> list[AbsenceRow]:
    """Employees with unexcused absence in `year` and the PP 94/2021 sanction it calls for."""
    records = scoped(
        user, Action.APPRAISAL_CALIBRATE, AbsenceRecord.objects.filter(date__year=year)
    ).values_list("employee_id", "date")
    days: dict[int, list[Any]] = defaultdict(list)
    for employee_id, day in records:
        days[employee_id].append(day)
    employees = Employee.objects.select_related("unit").in_bulk(list(days))
    out: list[AbsenceRow] = []
    for employee_id, dates in days.items():
        employee = employees[employee_id]
        run = longest_consecutive_absence(dates, agency_calendar(employee.unit.agency_id))
        out.append(AbsenceRow(employee, len(dates), run, absence_sanction(len(dates), run)))
    out.sort(key=lambda r: (-r.days, r.employee.name))
    return out


def may_calibrate(user: AnyUser) -> bool:
    return has_any_role(user, Action.APPRAISAL_CALIBRATE)


def recap_rows(
    user: AnyUser, year: int, unit: Unit | None = None
) -> list[tuple[Employee, Appraisal | None, EvidenceSnapshot | None]]:
    """Employees of the scope (or of `unit`'s subtree), their yearly appraisal and evidence."""
    employees = scoped(user, Action.APPRAISAL_VIEW, Employee.objects.all())
    if unit is not None:
        employees = employees.filter(unit__path__startswith=unit.path)
    employees = employees.select_related("unit", "position").order_by("unit__path", "name")
    ids = list(employees.values_list("pk", flat=True))
    yearly = {
        a.plan.employee_id: a
        for a in Appraisal.objects.filter(
            plan__year=year, period=YEARLY, plan__employee_id__in=ids
        ).select_related("plan")
    }
    evidence = {
        s.employee_id: s for s in EvidenceSnapshot.objects.filter(year=year, employee_id__in=ids)
    }
    return [(e, yearly.get(e.pk), evidence.get(e.pk)) for e in employees]


def units_in_scope(user: AnyUser, action: Action) -> QuerySet[Unit]:
    return scoped(user, action, Unit.objects.all(), unit_field="")


def guidance_text(breach: GuidanceBreach) -> str:
    """The rule of the distribution guide a unit breaks, in the reader's language (the rules
    module words it in English for developers; the page words it from its parts)."""
    order = list(Predikat)  # best first
    labels = dict(PredikatChoice.choices)
    names = [str(labels[p.value]) for p in sorted(breach.predikats, key=order.index)]
    which = _(" and/or ").join(names)
    share = formatting.percent(breach.share, 0)
    if breach.kind == "max" and breach.share == 0:
        return _("no %(predikat)s") % {"predikat": which}
    if breach.kind == "min" and breach.share == 0:
        return _("some %(predikat)s") % {"predikat": which}
    if breach.kind == "max":
        return _("at most %(share)s %(predikat)s") % {"share": share, "predikat": which}
    return _("at least %(share)s %(predikat)s") % {"share": share, "predikat": which}
