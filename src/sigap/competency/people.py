"""Reads behind the people's competency pages (the own page, the team view, the agency view),
scoped through `sigap.access`. The figures themselves are defined in `competency.profile`;
the gaps, plan items and training effects are read from the rows their refreshes wrote."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sigap.access import Action, can, scoped
from sigap.competency import labels, profile
from sigap.competency.gaps import gap_share
from sigap.competency.models import CompetencyGap, PlanItem, TrainingEffect, TrainingRecord
from sigap.competency.profile import JpRow, Profile
from sigap.organisation.models import Agency, Employee, Unit
from sigap.rules.competency import Jpm
from sigap.web.said import Said, from_stored

if TYPE_CHECKING:
    from sigap.access import AnyUser

KPI_LABELS = {
    "rework": _("rework caused"),
    "rework_share": _("rework caused"),
    "handling": _("handling time"),
    "handling_time": _("handling time"),
    "first_time_right": _("first time right"),
    "returned": _("files returned"),
}


# --- who may read whom ---------------------------------------------------------------------------


def _employees() -> QuerySet[Employee]:
    return Employee.objects.select_related("unit__agency", "position", "user")


def own_employee(user: AnyUser) -> Employee | None:
    """The employee record linked to the signed-in account, if any."""
    if not user.is_authenticated:
        return None
    return _employees().filter(user_id=user.pk).first()


def employee_for_user(user: AnyUser, employee_id: int) -> Employee | None:
    """The employee if the user may read their competency page: their own, or one in the
    user's COMPETENCY_VIEW scope (unit head, HR, leadership)."""
    employee = _employees().filter(pk=employee_id).first()
    if employee is None:
        return None
    if employee.user_id is not None and employee.user_id == user.pk:
        return employee
    return employee if can(user, Action.COMPETENCY_VIEW, employee.unit) else None


def team_units(user: AnyUser) -> QuerySet[Unit]:
    return scoped(user, Action.COMPETENCY_VIEW, Unit.objects.all(), unit_field="").order_by("path")


def team_employees(user: AnyUser, unit: Unit | None = None) -> QuerySet[Employee]:
    """The employees in the user's COMPETENCY_VIEW scope (under `unit` when given)."""
    qs = scoped(user, Action.COMPETENCY_VIEW, _employees())
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    return qs.order_by("name")


def agencies_for_user(user: AnyUser) -> list[Agency]:
    """Agencies whose whole tree the user may read (COMPETENCY_VIEW over the root unit): the
    agency view's figures are the agency's, never a part of it."""
    roots = team_units(user).filter(parent__isnull=True).select_related("agency")
    return [u.agency for u in roots]


# --- the employee page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GapView:
    gap: CompetencyGap
    evidence: list[Said]


@dataclass(frozen=True)
class EmployeePage:
    profile: Profile
    jp: JpRow
    days_left: int
    gaps: list[GapView]
    plan_items: list[PlanItem]
    trainings: list[TrainingRecord]


def employee_page(employee: Employee, day: date) -> EmployeePage:
    gaps = [
        GapView(g, from_stored(g.evidence))
        for g in CompetencyGap.objects.filter(employee=employee)
        .select_related("competency", "service")
        .order_by("kind", "-size", "competency__name")
    ]
    # The unit plan's items: the agency plan repeats every unit's items for HR's whole view.
    items = list(
        PlanItem.objects.filter(
            employees=employee, plan__year__gte=day.year, plan__unit__isnull=False
        )
        .select_related("plan", "competency")
        .order_by("plan__year", "month", "rank")
    )
    trainings = list(
        TrainingRecord.objects.filter(employee=employee)
        .select_related("employee__unit")
        .prefetch_related("competencies")
        .order_by("-ends_on", "-starts_on")
    )
    (jp,) = profile.jp_rows([employee], day) or [
        # someone no longer active still sees their JP; the duty no longer applies
        profile.JpRow(employee, profile.jp_in_year([employee.pk], day)[employee.pk], None)
    ]
    return EmployeePage(
        profile.employee_profile(employee, day),
        jp,
        profile.working_days_left(employee.unit.agency, day),
        gaps,
        items,
        trainings,
    )


# --- the team view -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamRow:
    employee: Employee
    jpm: Jpm | None
    band: str | None
    jp: JpRow
    top_gaps: list[str]

    @property
    def band_label(self) -> str:
        return labels.band_label(self.band)


TOP_GAPS = 3
SORTS = {
    "name": lambda r: (r.employee.name,),
    "unit": lambda r: (r.employee.unit.path, r.employee.name),
    # no standard last; lowest match first: who needs development
    "jpm": lambda r: (r.jpm is None, r.jpm.percent if r.jpm else 0, r.employee.name),
    "jp": lambda r: (r.jp.jp, r.employee.name),
    "short": lambda r: (-r.jp.short, r.employee.name),
}


def team_rows(employees: Sequence[Employee], day: date, sort: str = "name") -> list[TeamRow]:
    jp_rows = {r.employee.pk: r for r in profile.jp_rows(employees, day)}
    people = [e for e in employees if e.pk in jp_rows]
    matches = profile.jpm_on(people, day)
    # An employee's largest gaps, profile and evidence gaps made comparable as a share
    # (`gaps.gap_share`: the levels short ÷ the level required; the share below peers), the
    # largest first; a gap never assessed (size 0) is not listed.
    found: dict[int, list[tuple[float, str]]] = defaultdict(list)
    for employee_id, name, kind, size, required in CompetencyGap.objects.filter(
        employee_id__in=[e.pk for e in people], size__gt=0
    ).values_list("employee_id", "competency__name", "kind", "size", "required_level"):
        found[employee_id].append((gap_share(kind, size, required), name))
    gaps: dict[int, list[str]] = defaultdict(list)
    for employee_id, shares in found.items():
        for _share, name in sorted(shares, key=lambda g: (-g[0], g[1])):
            if name not in gaps[employee_id] and len(gaps[employee_id]) < TOP_GAPS:
                gaps[employee_id].append(name)
    rows = [TeamRow(e, *matches[e.pk], jp_rows[e.pk], gaps[e.pk]) for e in people]
    return sorted(rows, key=SORTS.get(sort, SORTS["name"]))


# --- the agency view -----------------------------------------------------------------------------


@dataclass(frozen=True)
class GapSummary:
    competency: str
    kind: str
    people: int
    requests: int


def gaps_by_competency(agency: Agency) -> list[GapSummary]:
    """Across the agency: per competency and side, how many employees have a gap (a gap never
    assessed, size 0, is not one: an assessment comes first) and how many requests went
    through the steps concerned. Requests are counted as the AKPK counts them: one step's
    volume once (the largest recorded for that service and step), however many officers of
    that step have the gap; a profile gap has no step, its volume is counted once."""
    acc: dict[tuple[str, str], tuple[set[int], dict[tuple[int | None, str], int]]] = {}
    for name, kind, employee_id, service_id, step, citizens in (
        CompetencyGap.objects.filter(employee__unit__agency=agency, size__gt=0)
        .values_list(
            "competency__name", "kind", "employee_id", "service_id", "step", "citizens_affected"
        )
        .order_by("pk")
    ):
        officers, steps = acc.setdefault((name, kind), (set(), {}))
        officers.add(employee_id)
        steps[(service_id, step)] = max(steps.get((service_id, step), 0), citizens)
    labels = dict(CompetencyGap.Kind.choices)
    order = {k: i for i, k in enumerate(CompetencyGap.Kind.values)}
    return [
        GapSummary(name, str(labels.get(kind, "")), len(officers), sum(steps.values()))
        for (name, kind), (officers, steps) in sorted(
            acc.items(), key=lambda a: (-len(a[1][0]), a[0][0], order.get(a[0][1], 0))
        )
    ]


@dataclass(frozen=True)
class EffectView:
    effect: TrainingEffect
    headline: Said | None
    details: list[Said]

    @property
    def kpi_label(self) -> str:
        return str(KPI_LABELS.get(self.effect.kpi, self.effect.kpi))


def training_effects(agency: Agency) -> list[EffectView]:
    out = []
    for e in TrainingEffect.objects.filter(service__unit__agency=agency).select_related("service"):
        said = from_stored(e.explanation)
        out.append(EffectView(e, said[0] if said else None, said[1:]))
    return out
