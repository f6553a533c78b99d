"""The competency figures of people, units and the agency, each defined once (selectors).

Every page of issue #15 that shows one of these figures (the own page, the team view, the
agency view, the work home, the 9-box when it reads JPM) reads it here:

- the required levels of a position: the agency's standard version in force on the day;
- an employee's profile: the latest assessment per competency, assessed on or before the day;
- JPM and its band (`sigap.rules.competency.jpm`, capping and bands from `competency.conf`),
  against the current position and against the career-target position; a required competency
  never assessed counts as level 0 there, and the 9-box's potential (`assessed_jpm_on`) leaves
  such an employee without a score;
- JP this year: an activity's JP are spread evenly over its calendar days
  (`sigap.rules.competency.jp_between`); a year's JP are the JP of its days from 1 January up
  to and including the day (a 4-year tugas belajar of 160 JP gives about 40 JP a year; an
  activity across New Year counts in both years by its days; one under way counts the days
  done), against the yearly duty (`jp_standing`, `conf.yearly_jp()`);
- compliance: the share of the active PNS who meet the duty. The duty of the rules
  (PP 11/2017 Pasal 203(4), rules-innovation-competency.md §2.1) is a PNS's; PPPK are shown
  with their JP but neither counted in the share nor listed as short;
- working days left in the year: the agency's working calendar, the day itself included when
  it is a working day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sigap.competency import conf
from sigap.competency.models import (
    Assessment,
    CareerTarget,
    Competency,
    CompetencyLevel,
    StandardVersion,
    TrainingRecord,
)
from sigap.competency.standards import required_levels, standard_on
from sigap.organisation.models import Agency, Employee, Position, Unit
from sigap.rules.competency import Jpm, JpStanding, band, jp_between, jp_standing, jpm

# --- the profile ---------------------------------------------------------------------------------


def latest_assessments(
    employee_ids: Iterable[int] | None, day: date
) -> dict[int, dict[int, Assessment]]:
    """employee id → {competency id: the latest assessment on or before `day`} (the profile).
    Of two results on the same day, the one recorded last. `employee_ids` None: everyone (the
    gap refresh), without a list of ids in the query."""
    out: dict[int, dict[int, Assessment]] = defaultdict(dict)
    rows = Assessment.objects.filter(assessed_on__lte=day)
    if employee_ids is not None:
        rows = rows.filter(employee_id__in=list(employee_ids))
    rows = rows.select_related("competency").order_by(
        "employee_id", "competency_id", "-assessed_on", "-id"
    )
    for a in rows:
        out[a.employee_id].setdefault(a.competency_id, a)
    return out


@dataclass(frozen=True)
class MatchRow:
    """One competency of a position's standard, with the employee's level against it."""

    competency: Competency
    required: int
    assessed: int | None  # None: never assessed (counts as level 0 in JPM)
    assessment: Assessment | None
    required_text: str = ""  # what the required level means (CompetencyLevel)
    assessed_text: str = ""

    @property
    def short(self) -> int:
        return max(0, self.required - (self.assessed or 0))

    @property
    def surplus(self) -> int:
        return max(0, (self.assessed or 0) - self.required)


@dataclass(frozen=True)
class PositionMatch:
    """An employee against one position's standard (the current or the target one)."""

    position: Position
    version: StandardVersion | None
    rows: list[MatchRow]
    jpm: Jpm | None  # None when the position has no standard in force
    band: str | None

    @property
    def has_standard(self) -> bool:
        return self.jpm is not None


def _jpm_of(required: dict[int, int], levels: dict[int, int]) -> tuple[Jpm | None, str | None]:
    if not required:
        return None, None
    pairs = [(levels.get(c, 0), level) for c, level in sorted(required.items())]
    match = jpm(pairs, conf.jpm_capping())
    return match, band(match.percent, conf.mapping_bands())


def _levels(profile: dict[int, Assessment]) -> dict[int, int]:
    return {c: a.level for c, a in profile.items()}


def latest_levels(employee_ids: Iterable[int], day: date) -> dict[int, dict[int, int]]:
    """employee id → {competency id: level}: `latest_assessments` as plain levels (the same
    order and choice), for many employees at once."""
    out: dict[int, dict[int, int]] = defaultdict(dict)
    for employee_id, competency_id, level in (
        Assessment.objects.filter(employee_id__in=list(employee_ids), assessed_on__lte=day)
        .order_by("employee_id", "competency_id", "-assessed_on", "-id")
        .values_list("employee_id", "competency_id", "level")
    ):
        out[employee_id].setdefault(competency_id, level)
    return out


def position_match(
    employee: Employee,
    position: Position,
    day: date,
    *,
    profile: dict[int, Assessment] | None = None,
    with_descriptions: bool = True,
) -> PositionMatch:
    """`employee`'s latest levels against `position`'s standard in force on `day` in the
    employee's agency."""
    if profile is None:
        profile = latest_assessments([employee.pk], day)[employee.pk]
    version = standard_on(employee.unit.agency_id, day)
    required = required_levels(version, [position.pk])[position.pk]
    competencies = Competency.objects.in_bulk(list(required))
    texts: dict[tuple[int, int], str] = {}
    if with_descriptions:
        texts = {
            (c, lvl): text
            for c, lvl, text in CompetencyLevel.objects.filter(
                competency_id__in=list(required) + list(profile)
            ).values_list("competency_id", "level", "description")
        }
    rows = []
    for competency_id, level in required.items():
        assessment = profile.get(competency_id)
        assessed = assessment.level if assessment else None
        rows.append(
            MatchRow(
                competencies[competency_id],
                level,
                assessed,
                assessment,
                texts.get((competency_id, level), ""),
                texts.get((competency_id, assessed), "") if assessed else "",
            )
        )
    rows.sort(key=lambda r: (r.competency.group, r.competency.name))
    match, code = _jpm_of(required, _levels(profile))
    return PositionMatch(position, version, rows, match, code)


@dataclass(frozen=True)
class Profile:
    """An employee's competency profile on a day: the current position, the target, and the
    competencies assessed that neither standard asks for."""

    employee: Employee
    day: date
    current: PositionMatch
    target: PositionMatch | None
    other: list[Assessment]


def employee_profile(employee: Employee, day: date) -> Profile:
    profile = latest_assessments([employee.pk], day)[employee.pk]
    current = position_match(employee, employee.position, day, profile=profile)
    goal = CareerTarget.objects.filter(employee=employee).select_related("position").first()
    target = (
        position_match(employee, goal.position, day, profile=profile) if goal is not None else None
    )
    in_standard = {r.competency.pk for r in current.rows} | {
        r.competency.pk for r in (target.rows if target else [])
    }
    other = sorted(
        (a for c, a in profile.items() if c not in in_standard), key=lambda a: a.competency.name
    )
    return Profile(employee, day, current, target, other)


def _required_and_levels(
    employees: Sequence[Employee], day: date
) -> dict[int, tuple[dict[int, int], dict[int, int]]]:
    """employee id → (the current position's required levels, the latest levels)."""
    levels = latest_levels([e.pk for e in employees], day)
    by_agency: dict[int, list[Employee]] = defaultdict(list)
    for e in employees:
        by_agency[e.unit.agency_id].append(e)
    out: dict[int, tuple[dict[int, int], dict[int, int]]] = {}
    for agency_id, people in by_agency.items():
        version = standard_on(agency_id, day)
        required = required_levels(version, {e.position_id for e in people})
        for e in people:
            out[e.pk] = (required.get(e.position_id, {}), levels[e.pk])
    return out


def jpm_on(employees: Sequence[Employee], day: date) -> dict[int, tuple[Jpm | None, str | None]]:
    """employee id → (JPM, band) against the current position, for many employees at once
    (the same definition as `position_match`)."""
    return {
        e: _jpm_of(required, levels)
        for e, (required, levels) in _required_and_levels(employees, day).items()
    }


def assessed_jpm_on(employees: Sequence[Employee], day: date) -> dict[int, Jpm]:
    """employee id → JPM against the current position, only for those assessed on every
    competency the position requires. A competency never assessed counts as level 0 in the
    JPM (the profile shows it so), but it is no measure of potential: the 9-box reading JPM
    (TALENT_POTENTIAL_SOURCE=jpm) treats such an employee, like one without a standard, as
    without a potential score."""
    out: dict[int, Jpm] = {}
    for e, (required, levels) in _required_and_levels(employees, day).items():
        if required and all(c in levels for c in required):
            match, _band = _jpm_of(required, levels)
            if match is not None:
                out[e] = match
    return out


# --- JP and the yearly duty -----------------------------------------------------------------------


def jp_in_year(employee_ids: Iterable[int], day: date) -> dict[int, Decimal]:
    """employee id → JP of the days from 1 January of `day`'s year up to `day` (each
    activity's JP spread evenly over its calendar days, `jp_between`)."""
    ids = list(employee_ids)
    start = date(day.year, 1, 1)
    totals: dict[int, Decimal] = {e: Decimal(0) for e in ids}
    for employee_id, jp, starts_on, ends_on in TrainingRecord.objects.filter(
        employee_id__in=ids, starts_on__lte=day, ends_on__gte=start
    ).values_list("employee_id", "jp", "starts_on", "ends_on"):
        totals[employee_id] += jp_between(jp, starts_on, ends_on, start, day)
    return totals


def has_duty(employee: Employee) -> bool:
    """The 20-JP duty is a PNS's (PP 11/2017 Pasal 203(4)); PPPK are shown, not counted."""
    return employee.status == Employee.Status.PNS


def jp_this_year(employee: Employee, day: date) -> JpStanding:
    return jp_standing(jp_in_year([employee.pk], day)[employee.pk], conf.yearly_jp())


def working_days_left(agency: Agency, day: date) -> int:
    """Working days from `day` (included when a working day) to 31 December, by the agency's
    working calendar."""
    return agency.working_calendar().working_days_between(
        day - timedelta(days=1), date(day.year, 12, 31)
    )


@dataclass(frozen=True)
class JpRow:
    """One employee's JP this year against the duty (`standing` is None for a PPPK)."""

    employee: Employee
    jp: Decimal
    standing: JpStanding | None

    @property
    def short(self) -> Decimal:
        return self.standing.short if self.standing else Decimal(0)

    @property
    def compliant(self) -> bool | None:
        return self.standing.compliant if self.standing else None


def jp_rows(employees: Iterable[Employee], day: date) -> list[JpRow]:
    """JP this year of the employees active on `day`, in the given order."""
    people = [e for e in employees if e.is_active_on(day)]
    totals = jp_in_year([e.pk for e in people], day)
    required = conf.yearly_jp()
    return [
        JpRow(e, totals[e.pk], jp_standing(totals[e.pk], required) if has_duty(e) else None)
        for e in people
    ]


@dataclass(frozen=True)
class Compliance:
    """The share of active PNS meeting the duty in a unit (or the agency: `unit` None)."""

    unit: Unit | None
    counted: int
    compliant: int
    short_jp: Decimal = Decimal(0)  # JP still missing, summed over those short

    @property
    def share(self) -> float | None:
        return self.compliant / self.counted if self.counted else None


def compliance(rows: Iterable[JpRow], unit: Unit | None = None) -> Compliance:
    counted = [r for r in rows if r.standing is not None]
    return Compliance(
        unit,
        len(counted),
        sum(1 for r in counted if r.compliant),
        sum((r.short for r in counted), Decimal(0)),
    )


def compliance_by_unit(rows: Sequence[JpRow]) -> list[Compliance]:
    """One line per unit that has active employees (their own, not the units below), by the
    unit tree's order."""
    by_unit: dict[int, list[JpRow]] = defaultdict(list)
    units: dict[int, Unit] = {}
    for r in rows:
        by_unit[r.employee.unit_id].append(r)
        units[r.employee.unit_id] = r.employee.unit
    return [compliance(by_unit[u], units[u]) for u in sorted(units, key=lambda u: units[u].path)]


def short_list(rows: Iterable[JpRow]) -> list[JpRow]:
    """Who is short of the duty, the most JP missing first."""
    return sorted(
        (r for r in rows if r.standing is not None and not r.standing.compliant),
        key=lambda r: (-r.short, r.employee.name),
    )


@dataclass
class Standings:
    """JP figures of a set of employees on a day (the team or the agency)."""

    day: date
    rows: list[JpRow]
    overall: Compliance
    units: list[Compliance]
    short: list[JpRow]
    days_left: dict[int, int] = field(default_factory=dict)  # agency id → working days left


def standings(employees: Iterable[Employee], day: date) -> Standings:
    return standings_of(jp_rows(employees, day), day)


def standings_of(rows: list[JpRow], day: date) -> Standings:
    """The figures of `jp_rows` already read (the team view reads them once)."""
    agencies = {r.employee.unit.agency_id: r.employee.unit.agency for r in rows}
    return Standings(
        day,
        rows,
        compliance(rows),
        compliance_by_unit(rows),
        short_list(rows),
        {a: working_days_left(agency, day) for a, agency in agencies.items()},
    )
