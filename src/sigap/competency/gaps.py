"""The gap refresh: every employee's competency gaps, from three sides, as `CompetencyGap` rows.

`gaps_refresh(as_of)` replaces all rows in one transaction and records a `GapRefresh`:

- **Profile gap** (PP 11/2017 Pasal 205–207): the latest assessment per competency (up to
  `as_of`) against the level the employee's position requires in the agency's standard version
  in force on `as_of` (kind `current`), and against the standard of their `CareerTarget`
  position (kind `target`). A required competency never assessed is a row with
  `actual_level` NULL and size 0: the gap is unknown, it is shown as "not assessed yet" and the
  AKPK does not plan training on it (an assessment comes first). Otherwise the size is the
  number of levels short.
- **Performance gap from evidence**: a step linked to a technical competency (`StepCompetency`)
  where the officer's rework share, median handling time or first-time-right over the last 12
  months is worse than the median of their peers on the same service and step by a margin
  (`sigap.analytics.steps.step_scorecards`, with its minimum sample; settings
  COMPETENCY_GAP_*). The size is the largest shortfall as a share: points of rework or
  first-time-right, or how much slower (capped at 1). `citizens_affected` is the number of
  requests through that step in the last 12 months.
- **Soft-skill gap**: complaints about the officer's behaviour (`Complaint.reported_employee`,
  category `perilaku`) per request they handled, and the SKM unsur U6 Kompetensi pelaksana and
  U7 Perilaku pelaksana of the responses to the requests they handled (the request's
  `assigned_officer`; anonymous responses name no request and count for no one), each against
  the median of the agency's other officers with the minimum sample (settings COMPETENCY_SOFT_*).
  Conduct does not depend on the service, so peers are agency-wide. The signals point to the
  national dictionary's Komunikasi and Pelayanan Publik (COMPETENCY_SOFT_SKILL_COMPETENCIES);
  when that competency is not in the dictionary the signal is skipped with a logged note.
  `citizens_affected` is the number of requests the officer handled.

Every row carries its evidence as `Said` sentences (msgid and values), rendered in the reader's
language. The 12-month window is the 365 days up to and including `as_of`.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from statistics import median
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from sigap.analytics.engine import DuckDBEngine, Engine
from sigap.analytics.refresh import EVENTS, refresh_store
from sigap.analytics.steps import StepScorecard, step_scorecards
from sigap.competency import conf
from sigap.competency.models import (
    CareerTarget,
    Competency,
    CompetencyGap,
    GapRefresh,
    PositionRequirement,
    StepCompetency,
)
from sigap.competency.profile import latest_assessments
from sigap.competency.standards import versions_in_force
from sigap.complaints.models import Category, Complaint
from sigap.organisation.models import Employee, Position
from sigap.performance.services import store_dir
from sigap.rules.ikm import element
from sigap.service_requests.models import ServiceRequest
from sigap.surveys.models import SurveyResponse
from sigap.web import said as figures
from sigap.web.said import Said, from_stored

log = logging.getLogger(__name__)

WINDOW_DAYS = 365
SKM_SCALE_SPAN = 3  # answers run 1..4


@dataclass
class Found:
    """One gap before it is written."""

    employee_id: int
    competency_id: int
    kind: str
    size: float
    required_level: int | None = None
    actual_level: int | None = None
    service_id: int | None = None
    step: str = ""
    citizens_affected: int = 0
    evidence: list[Said] = field(default_factory=list)


@dataclass(frozen=True)
class Window:
    as_of: date
    start: datetime
    end: datetime

    @classmethod
    def ending(cls, as_of: date) -> Window:
        tz = ZoneInfo(settings.TIME_ZONE)
        first = as_of - timedelta(days=WINDOW_DAYS - 1)
        return cls(
            as_of,
            datetime.combine(first, datetime.min.time(), tz),
            datetime.combine(as_of + timedelta(days=1), datetime.min.time(), tz),
        )

    def us(self) -> tuple[int, int]:
        return int(self.start.timestamp() * 1e6), int(self.end.timestamp() * 1e6)


def gaps_refresh(
    as_of: date | None = None, *, store: Path | None = None, engine: Engine | None = None
) -> GapRefresh:
    """Recompute every gap up to `as_of` (default today) and replace the stored ones.

    The step figures come from `engine` when given (a test, a benchmark), else from the
    analytics store, refreshed from the operational database first.
    """
    started = time.monotonic()
    window = Window.ending(as_of or timezone.localdate())
    cards = _cards(window, store, engine)
    active = active_employees(window.as_of)
    handled = requests_handled(window)
    found = [
        *profile_gaps(window.as_of, active, handled),
        *performance_gaps(cards, active),
        *soft_skill_gaps(window, active, handled),
    ]
    now = timezone.now()
    with transaction.atomic():
        CompetencyGap.objects.all().delete()
        CompetencyGap.objects.bulk_create(
            [
                CompetencyGap(
                    employee_id=f.employee_id,
                    competency_id=f.competency_id,
                    kind=f.kind,
                    required_level=f.required_level,
                    actual_level=f.actual_level,
                    size=round(f.size, 6),
                    service_id=f.service_id,
                    step=f.step,
                    citizens_affected=f.citizens_affected,
                    evidence=[s.stored() for s in f.evidence],
                    computed_at=now,
                )
                for f in found
            ],
            batch_size=1000,
        )
        return GapRefresh.objects.create(
            finished_at=now, seconds=round(time.monotonic() - started, 3), gaps=len(found)
        )


def _cards(window: Window, store: Path | None, engine: Engine | None) -> tuple[StepScorecard, ...]:
    since, until = window.us()
    min_events = int(conf.get("COMPETENCY_GAP_MIN_EVENTS"))
    if engine is not None:
        return step_scorecards(engine, since_us=since, until_us=until, min_events=min_events)
    folder = Path(store or store_dir())
    refresh_store(connection, folder, paramstyle="format")
    if not (folder / EVENTS).exists():
        return ()
    with DuckDBEngine() as eng:
        eng.register_log(folder / EVENTS)
        return step_scorecards(eng, since_us=since, until_us=until, min_events=min_events)


@dataclass(frozen=True)
class Active:
    """An employee in service on the day: what the gaps need of them."""

    pk: int
    nip: str
    agency_id: int
    position_id: int


def active_employees(as_of: date) -> dict[int, Active]:
    rows = (
        Employee.objects.filter(active_from__lte=as_of)
        .filter(Q(active_until__isnull=True) | Q(active_until__gte=as_of))
        .values_list("pk", "nip", "unit__agency_id", "position_id")
    )
    return {pk: Active(pk, nip, agency, position) for pk, nip, agency, position in rows}


def requests_handled(window: Window) -> dict[int, int]:
    """Requests submitted in the window per officer they were assigned to."""
    return dict(
        ServiceRequest.objects.filter(
            submitted_at__gte=window.start,
            submitted_at__lt=window.end,
            assigned_officer__isnull=False,
        )
        .values_list("assigned_officer")
        .annotate(n=Count("pk"))
        .values_list("assigned_officer", "n")
    )


# --- the profile gap ---------------------------------------------------------------------------


def profile_gaps(
    as_of: date, active: dict[int, Active], handled: dict[int, int]
) -> Iterable[Found]:
    versions = {agency_id: v.pk for agency_id, v in versions_in_force(as_of).items()}
    required: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for version_id, position_id, competency_id, level in PositionRequirement.objects.filter(
        version_id__in=versions.values()
    ).values_list("version_id", "position_id", "competency_id", "level"):
        required[(version_id, position_id)].append((competency_id, level))
    latest = {
        (employee_id, competency_id): (a.level, a.assessed_on)
        for employee_id, by_competency in latest_assessments(None, as_of).items()
        for competency_id, a in by_competency.items()
    }
    targets = dict(CareerTarget.objects.values_list("employee_id", "position_id"))
    names = dict(Position.objects.values_list("pk", "name"))
    for emp in active.values():
        version = versions.get(emp.agency_id)
        if version is None:
            continue
        sides = [(CompetencyGap.Kind.CURRENT_POSITION, emp.position_id)]
        target = targets.get(emp.pk)
        if target is not None and target != emp.position_id:
            sides.append((CompetencyGap.Kind.TARGET_POSITION, target))
        for kind, position_id in sides:
            for competency_id, level in required.get((version, position_id), ()):
                got = latest.get((emp.pk, competency_id))
                gap = _profile_gap(emp, kind, names[position_id], competency_id, level, got)
                if gap is not None:
                    gap.citizens_affected = handled.get(emp.pk, 0)
                    yield gap


def _profile_gap(
    emp: Active,
    kind: str,
    position: str,
    competency_id: int,
    level: int,
    got: tuple[int, date] | None,
) -> Found | None:
    target = kind == CompetencyGap.Kind.TARGET_POSITION
    if got is None:
        msgid = (
            gettext_noop(
                "Not assessed yet; the target position %(position)s requires level %(required)d."
            )
            if target
            else gettext_noop(
                "Not assessed yet; the position %(position)s requires level %(required)d."
            )
        )
        return Found(
            emp.pk, competency_id, kind, 0.0, level, None,
            evidence=[Said(msgid, {"position": position, "required": level})],
        )  # fmt: skip
    actual, on = got
    if actual >= level:
        return None
    msgid = (
        gettext_noop(
            "Assessed at level %(actual)d on %(date)s; the target position %(position)s "
            "requires level %(required)d."
        )
        if target
        else gettext_noop(
            "Assessed at level %(actual)d on %(date)s; the position %(position)s requires "
            "level %(required)d."
        )
    )
    params = {
        "actual": actual,
        "date": figures.day(on),
        "position": position,
        "required": level,
    }
    return Found(
        emp.pk, competency_id, kind, float(level - actual), level, actual,
        evidence=[Said(msgid, params)],
    )  # fmt: skip


# --- the performance gap -----------------------------------------------------------------------


def performance_gaps(cards: Iterable[StepScorecard], active: dict[int, Active]) -> Iterable[Found]:
    links: dict[tuple[str, str], list[tuple[int, int, str]]] = defaultdict(list)
    for code, name, service_id, step, competency_id in StepCompetency.objects.values_list(
        "service__code", "service__name", "service_id", "step", "competency_id"
    ):
        links[(code, step)].append((service_id, competency_id, name))
    by_nip = {a.nip: a for a in active.values()}
    min_peers = int(conf.get("COMPETENCY_GAP_MIN_PEERS"))
    for card in cards:
        linked = links.get((card.service or "", card.step))
        emp = by_nip.get(card.officer)
        if not linked or emp is None or card.peers < min_peers:
            continue
        shortfall, evidence = step_shortfall(card, linked[0][2])
        if not evidence:
            continue
        for service_id, competency_id, _name in linked:
            yield Found(
                emp.pk, competency_id, CompetencyGap.Kind.PERFORMANCE, shortfall,
                service_id=service_id, step=card.step, citizens_affected=card.step_cases,
                evidence=list(evidence),
            )  # fmt: skip


def step_shortfall(card: StepScorecard, service: str) -> tuple[float, list[Said]]:
    """How far the officer is below peers on the step (the largest shortfall as a share), with
    a sentence per figure that is worse by the margin; no sentence: no gap."""
    share_margin = float(conf.get("COMPETENCY_GAP_SHARE_MARGIN"))
    handling_margin = float(conf.get("COMPETENCY_GAP_HANDLING_MARGIN"))
    common = {
        "step": card.step,
        "service": service,
        "events": figures.count(card.events),
        "peers": card.peers,
    }
    sizes: list[float] = []
    out: list[Said] = []
    if card.peer_rework_share is not None:
        diff = round(card.rework_share - card.peer_rework_share, 6)
        if diff >= share_margin:
            sizes.append(diff)
            out.append(
                Said(
                    REWORK,
                    {
                        **common,
                        "share": figures.percent(card.rework_share, 0),
                        "peers_share": figures.percent(card.peer_rework_share, 0),
                    },
                )
            )
    if card.peer_first_time_right is not None:
        diff = round(card.peer_first_time_right - card.first_time_right, 6)
        if diff >= share_margin:
            sizes.append(diff)
            out.append(
                Said(
                    FIRST_TIME_WRONG,
                    {
                        **common,
                        "share": figures.percent(card.first_time_right, 0),
                        "peers_share": figures.percent(card.peer_first_time_right, 0),
                    },
                )
            )
    if card.peer_handling_median_s:
        excess = round(card.handling_median_s / card.peer_handling_median_s - 1, 6)
        if excess >= handling_margin:
            sizes.append(min(excess, 1.0))
            out.append(
                Said(
                    gettext_noop(
                        "On “%(step)s” (%(service)s), this officer's median handling time was "
                        "%(hours)s hours over %(events)s events, against a median of "
                        "%(peers_hours)s hours among %(peers)d peers."
                    ),
                    {
                        **common,
                        "hours": figures.decimal(card.handling_median_s / 3600, 1),
                        "peers_hours": figures.decimal(card.peer_handling_median_s / 3600, 1),
                    },
                )
            )
    return (max(sizes) if sizes else 0.0), out


# --- the soft-skill gap ------------------------------------------------------------------------


def soft_skill_gaps(
    window: Window, active: dict[int, Active], handled: dict[int, int]
) -> Iterable[Found]:
    targets: dict[str, str] = conf.get("COMPETENCY_SOFT_SKILL_COMPETENCIES")
    codes = dict(Competency.objects.filter(code__in=targets.values()).values_list("code", "pk"))
    signals: dict[tuple[int, int], Found] = {}

    def add(signal: str, employee_id: int, size: float, sentence: Said) -> None:
        code = targets.get(signal)
        competency_id = codes.get(code or "")
        if competency_id is None:
            log.info("soft-skill gap skipped: competency %r is not in the dictionary", code)
            return
        key = (employee_id, competency_id)
        if key not in signals:
            signals[key] = Found(
                employee_id, competency_id, CompetencyGap.Kind.SOFT_SKILL, 0.0,
                citizens_affected=handled.get(employee_id, 0),
            )  # fmt: skip
        signals[key].size = max(signals[key].size, size)
        signals[key].evidence.append(sentence)

    for employee_id, size, sentence in complaint_signals(window, active, handled):
        add("complaints", employee_id, size, sentence)
    for code, employee_id, size, sentence in skm_signals(window, active):
        add(code, employee_id, size, sentence)
    return signals.values()


def _peers(
    values: dict[int, tuple[float, int]], active: dict[int, Active], min_sample: int
) -> dict[int, tuple[float, int]]:
    """Per officer with the minimum sample: (median of the other such officers of the same
    agency, how many)."""
    by_agency: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for pk, (value, n) in values.items():
        if n >= min_sample and pk in active:
            by_agency[active[pk].agency_id].append((pk, value))
    out: dict[int, tuple[float, int]] = {}
    for group in by_agency.values():
        for pk, _value in group:
            others = [v for p, v in group if p != pk]
            if others:
                out[pk] = (median(others), len(others))
    return out


def complaint_signals(
    window: Window, active: dict[int, Active], handled: dict[int, int]
) -> Iterable[tuple[int, float, Said]]:
    min_sample = int(conf.get("COMPETENCY_SOFT_MIN_SAMPLE"))
    min_peers = int(conf.get("COMPETENCY_GAP_MIN_PEERS"))
    min_complaints = int(conf.get("COMPETENCY_SOFT_MIN_COMPLAINTS"))
    margin = float(conf.get("COMPETENCY_SOFT_COMPLAINT_MARGIN"))
    complaints = dict(
        Complaint.objects.filter(
            category=Category.BEHAVIOUR,
            reported_employee__isnull=False,
            submitted_at__gte=window.start,
            submitted_at__lt=window.end,
        )
        .values_list("reported_employee")
        .annotate(n=Count("pk"))
        .values_list("reported_employee", "n")
    )
    rates = {pk: (complaints.get(pk, 0) / n, n) for pk, n in handled.items() if n}
    for pk, (peer_rate, peers) in _peers(rates, active, min_sample).items():
        rate, n = rates[pk]
        count = complaints.get(pk, 0)
        if peers < min_peers or count < min_complaints or round(rate - peer_rate, 6) < margin:
            continue
        yield (
            pk,
            rate - peer_rate,
            Said(
                gettext_noop(
                    "%(complaints)d complaints about this officer's behaviour over %(requests)s "
                    "requests handled in the last 12 months (%(rate)s), against a median of "
                    "%(peers_rate)s among %(peers)d peers."
                ),
                {
                    "complaints": count,
                    "requests": figures.count(n),
                    "rate": figures.percent(rate, 1),
                    "peers_rate": figures.percent(peer_rate, 1),
                    "peers": peers,
                },
            ),
        )


def skm_signals(
    window: Window, active: dict[int, Active]
) -> Iterable[tuple[str, int, float, Said]]:
    min_sample = int(conf.get("COMPETENCY_SOFT_MIN_SAMPLE"))
    min_peers = int(conf.get("COMPETENCY_GAP_MIN_PEERS"))
    margin = float(conf.get("COMPETENCY_SOFT_SKM_MARGIN"))
    officer = "service_request__assigned_officer"
    rows: list[dict[str, Any]] = list(
        SurveyResponse.objects.filter(
            submitted_at__gte=window.start,
            submitted_at__lt=window.end,
            **{f"{officer}__isnull": False},
        )
        .values(officer)
        .annotate(
            n_kompetensi=Count("kompetensi"),
            kompetensi=Avg("kompetensi"),
            n_perilaku=Count("perilaku"),
            perilaku=Avg("perilaku"),
        )
    )
    for code in ("kompetensi", "perilaku"):
        means = {
            r[officer]: (float(r[code]), int(r[f"n_{code}"])) for r in rows if r[code] is not None
        }
        unsur = element(code)
        for pk, (peer_mean, peers) in _peers(means, active, min_sample).items():
            mean, n = means[pk]
            if peers < min_peers or round(peer_mean - mean, 6) < margin:
                continue
            yield (
                code,
                pk,
                (peer_mean - mean) / SKM_SCALE_SPAN,
                Said(
                    gettext_noop(
                        "SKM unsur U%(number)d %(element)s: %(mean)s out of 4 from %(n)s "
                        "responses on requests this officer handled, against a median of "
                        "%(peers_mean)s among %(peers)d peers."
                    ),
                    {
                        "number": unsur.number,
                        "element": unsur.name,
                        "mean": figures.decimal(mean, 2),
                        "n": figures.count(n),
                        "peers_mean": figures.decimal(peer_mean, 2),
                        "peers": peers,
                    },
                ),
            )


# --- reading the gaps --------------------------------------------------------------------------

PROFILE_KINDS = (CompetencyGap.Kind.CURRENT_POSITION, CompetencyGap.Kind.TARGET_POSITION)
TOP_GAPS = 2


def gap_share(kind: str, size: float, required_level: int | None) -> float:
    """A gap as a share of what is needed: a profile gap's levels short ÷ the level required;
    an evidence gap is already a share."""
    if kind in PROFILE_KINDS:
        return size / required_level if required_level else 0.0
    return size


REWORK = gettext_noop(
    "On “%(step)s” (%(service)s), %(share)s of this officer's %(events)s events had to be "
    "redone, against a median of %(peers_share)s among %(peers)d peers."
)
FIRST_TIME_WRONG = gettext_noop(
    "On “%(step)s” (%(service)s), %(share)s of this officer's %(events)s events were right the "
    "first time, against a median of %(peers_share)s among %(peers)d peers."
)
RETURN_EVIDENCE = frozenset({REWORK, FIRST_TIME_WRONG})
"""The sentences of a step gap that concern work redone or returned."""


@dataclass
class GapCase:
    """One employee's gap within a group: its share, the requests it touches, its evidence."""

    employee: Any
    fraction: float
    citizens: int
    evidence: list[Any]


@dataclass
class GapGroup:
    """The gaps of one unit on one competency (and, for a step gap, its service and step), each
    employee once with their largest gap. THE definition shared by the AKPK and the roadmap."""

    competency: Any
    service_id: int | None
    step: str
    by_employee: dict[int, GapCase] = field(default_factory=dict)

    def add(self, gap: GapCase) -> None:
        had = self.by_employee.get(gap.employee.pk)
        if had is None or (gap.fraction, gap.citizens) > (had.fraction, had.citizens):
            self.by_employee[gap.employee.pk] = gap

    @property
    def priority(self) -> float:
        """Σ over the employees of gap × requests affected."""
        return round(sum(g.fraction * g.citizens for g in self.by_employee.values()), 6)

    def cases(self) -> list[GapCase]:
        """The employees' gaps, the heaviest first."""
        return sorted(
            self.by_employee.values(),
            key=lambda g: (-g.fraction * g.citizens, -g.fraction, g.employee.name),
        )


def gap_groups(gaps: Iterable[CompetencyGap]) -> dict[int, dict[tuple[Any, ...], GapGroup]]:
    """The gaps of a known size grouped per unit, then per competency (and service and step)."""
    groups: dict[int, dict[tuple[Any, ...], GapGroup]] = defaultdict(dict)
    for gap in gaps:
        fraction = gap_share(gap.kind, gap.size, gap.required_level)
        if fraction <= 0:
            continue
        key = (gap.competency_id, gap.service_id, gap.step) if gap.step else (
            gap.competency_id, None, "")  # fmt: skip
        unit_groups = groups[gap.employee.unit_id]
        group = unit_groups.get(key)
        if group is None:
            group = unit_groups[key] = GapGroup(gap.competency, key[1], key[2])
        group.add(GapCase(gap.employee, fraction, gap.citizens_affected, gap.evidence))
    return groups


def ranked(groups: Iterable[GapGroup]) -> list[GapGroup]:
    """Highest priority first (ties: by competency, then step) — the AKPK's item order."""
    return sorted(groups, key=lambda g: (-g.priority, g.competency.name, g.step))


@dataclass(frozen=True)
class UnitGap:
    """One of a unit's largest competency gaps, for the roadmap: an AKPK item's group."""

    competency: str
    officers: int
    requests: int
    evidence: tuple[Said, ...]
    step: str = ""
    returns: bool = False
    """Whether the gap is a step's work redone or not right the first time."""


def unit_top_gaps(limit: int = TOP_GAPS) -> dict[int, list[UnitGap]]:
    """Per unit, its `limit` largest competency gaps ranked as the AKPK ranks its items (each
    employee once per competency and step, Σ gap × requests affected), with the evidence of
    the largest case. Gaps towards a target position are career development, not the
    service's: they are left out."""
    gaps = (
        CompetencyGap.objects.filter(size__gt=0)
        .exclude(kind=CompetencyGap.Kind.TARGET_POSITION)
        .select_related("employee", "competency")
        .order_by("pk")
    )
    out: dict[int, list[UnitGap]] = {}
    for unit_id, groups in gap_groups(gaps).items():
        top: list[UnitGap] = []
        for group in ranked(groups.values())[:limit]:
            cases = group.cases()
            evidence = tuple(from_stored(cases[0].evidence))
            top.append(
                UnitGap(
                    group.competency.name,
                    len(cases),
                    max(c.citizens for c in cases),
                    evidence,
                    group.step,
                    any(s.msgid in RETURN_EVIDENCE for c in cases for s in from_stored(c.evidence)),
                )
            )
        out[unit_id] = top
    return out
