"""Reads for the public transparency pages: a few queries over precomputed rows only.

The performance figures come from `sigap.leadership.models.UnitScorecard` (filled by
`sigap leadership refresh`); the service standards from `sigap.catalogue`. Nothing here reads
requests, events, survey answers or complaints, and nothing returns a person: no citizen, no
officer, no NIK or telephone number of anyone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from django.db.models import Max, Min, Q
from django.utils import timezone

from sigap.analytics.ikm import period_bounds
from sigap.catalogue.models import Service, ServiceStandard
from sigap.leadership.models import ScorecardRefresh, ServiceScorecard, UnitScorecard
from sigap.leadership.scoring import MIN_SAMPLE, period_label, previous_period
from sigap.organisation.models import Unit
from sigap.rules.ikm import Mutu
from sigap.rules.sample_size import sample_adequacy

Kind = Literal["month", "quarter", "year"]
KINDS: tuple[Kind, ...] = ("month", "quarter", "year")
# Quarterly by default: SKM periods are usually quarters, and a month is a thin sample for a
# small Puskesmas.
DEFAULT_KIND: Kind = "quarter"
# How many periods a trend shows, ending at the period on the page.
TREND_LENGTH: dict[str, int] = {"month": 12, "quarter": 8, "year": 5}


@dataclass(frozen=True)
class Period:
    label: str  # 2026-10, 2026-Q3, 2026
    kind: Kind
    start: date
    end: date


def parse_period(label: str) -> Period | None:
    """A month, quarter or year label, or None (malformed, or a semester: not published here)."""
    try:
        start, end = period_bounds(label)
    except ValueError:
        return None
    rest = label.partition("-")[2]
    if rest.startswith("S"):
        return None
    kind: Kind = "year" if not rest else "quarter" if rest.startswith("Q") else "month"
    return Period(label, kind, start, end)


def next_period(label: str) -> str:
    """The period of the same kind just after `label`."""
    period = parse_period(label)
    if period is None:
        raise ValueError(label)
    year = period.end.year
    if period.kind == "year":
        return str(year + 1)
    if period.kind == "quarter":
        q = (period.end.month - 1) // 3 + 1
        return f"{year}-Q{q + 1}" if q < 4 else f"{year + 1}-Q1"
    m = period.end.month
    return f"{year}-{m + 1:02d}" if m < 12 else f"{year + 1}-01"


@dataclass(frozen=True)
class Share:
    """A share measured on `whole` cases, `part` of which count; value in percent or None."""

    part: int
    whole: int
    percent: float | None

    @property
    def small(self) -> bool:
        return 0 < self.whole < MIN_SAMPLE


def _share(part: int, whole: int, stored: float | None) -> Share:
    return Share(part, whole, None if stored is None or not whole else stored * 100)


@dataclass(frozen=True)
class Ikm:
    value: float | None
    mutu: str
    respondents: int
    requests: int  # the population the Krejcie–Morgan sample is computed for
    required: int  # Krejcie–Morgan sample for that population

    @property
    def small(self) -> bool:
        return 0 < self.respondents < self.required

    @property
    def kinerja(self) -> str:
        """The regulation's words for the mutu (PermenPANRB 14/2017): "Baik"..."""
        return Mutu(self.mutu).kinerja if self.mutu in Mutu.__members__ else ""


@dataclass(frozen=True)
class UnitFigures:
    """The public figures of one unit in one period (all None/0 when not measured)."""

    period_label: str
    volume: int
    sla: Share
    ikm: Ikm
    complaints: Share

    @property
    def has_data(self) -> bool:
        return bool(self.volume or self.sla.whole or self.ikm.respondents or self.complaints.whole)


def figures(row: UnitScorecard | None, label: str) -> UnitFigures:
    if row is None:
        return UnitFigures(label, 0, Share(0, 0, None), Ikm(None, "", 0, 0, 0), Share(0, 0, None))
    adequacy = sample_adequacy(row.volume, row.skm_responses)
    return UnitFigures(
        period_label=row.period_label,
        volume=row.volume,
        sla=_share(row.sla_met, row.sla_cases, row.sla_share),
        ikm=Ikm(
            value=row.ikm if row.skm_responses else None,
            mutu=row.ikm_mutu if row.skm_responses else "",
            respondents=row.skm_responses,
            requests=adequacy.population,
            required=adequacy.required,
        ),
        complaints=_share(row.complaints_on_time, row.complaints, row.complaints_on_time_share),
    )


def last_refresh() -> ScorecardRefresh | None:
    return ScorecardRefresh.objects.order_by("-finished_at").first()


def period_ranges(unit: Unit | None = None) -> dict[str, tuple[str, str]]:
    """The first and last period computed of each kind (of one unit, or of any): one query."""
    rows = UnitScorecard.objects.all() if unit is None else UnitScorecard.objects.filter(unit=unit)
    spans = rows.values("period_kind").annotate(first=Min("period_start"), last=Max("period_start"))
    return {
        r["period_kind"]: (
            period_label(r["first"], r["period_kind"]),
            period_label(r["last"], r["period_kind"]),
        )
        for r in spans.order_by()
        if r["period_kind"] in KINDS
    }


# --- The index -----------------------------------------------------------------------------


@dataclass
class PublicUnit:
    unit: Unit
    services: list[Service] = field(default_factory=list)
    figures: UnitFigures | None = None


def public_units(period: Period | None) -> list[PublicUnit]:
    """Every unit that delivers at least one active service, with its services and, when a
    period is given, its figures in that period. Two queries."""
    by_unit: dict[int, PublicUnit] = {}
    services = (
        Service.objects.filter(is_active=True).select_related("unit").order_by("unit__path", "name")
    )
    for service in services:
        entry = by_unit.setdefault(service.unit_id, PublicUnit(service.unit))
        entry.services.append(service)
    rows: dict[int, UnitScorecard] = {}
    if period is not None and by_unit:
        rows = {
            r.unit_id: r
            for r in UnitScorecard.objects.filter(
                period_kind=period.kind, period_label=period.label, unit_id__in=list(by_unit)
            )
        }
    for unit_id, entry in by_unit.items():
        if period is not None:
            entry.figures = figures(rows.get(unit_id), period.label)
    return list(by_unit.values())


# --- A unit's page -------------------------------------------------------------------------


def public_unit(code: str) -> Unit | None:
    """A unit with at least one active service, by its code (unit codes are unique in an
    agency, and one sigap installation serves one agency)."""
    return (
        Unit.objects.select_related("parent")
        .filter(code=code, services__is_active=True)
        .order_by("pk")
        .distinct()
        .first()
    )


def trend(unit: Unit, period: Period) -> list[UnitFigures]:
    """The unit's figures for the last periods of the period's kind up to it, oldest first,
    with empty figures for periods without a row (a gap, not a zero). One query."""
    fetched = list(
        UnitScorecard.objects.filter(
            unit=unit, period_kind=period.kind, period_start__lte=period.start
        ).order_by("-period_start")[: TREND_LENGTH[period.kind]]
    )
    by_label = {r.period_label: r for r in fetched}
    labels = [period.label]
    while len(labels) < TREND_LENGTH[period.kind]:
        labels.append(previous_period(labels[-1]))
    labels.reverse()
    # No leading empty periods: the trend starts where the unit's data starts.
    first_with_data = next((i for i, lb in enumerate(labels) if lb in by_label), len(labels) - 1)
    return [figures(by_label.get(lb), lb) for lb in labels[first_with_data:]]


@dataclass(frozen=True)
class PublishedService:
    service: Service
    standard: ServiceStandard | None  # the version in force today; None if none is published
    period_figures: ServiceScorecard | None

    @property
    def sla(self) -> Share:
        f = self.period_figures
        return _share(f.sla_met, f.sla_cases, f.sla_share) if f else Share(0, 0, None)


def services_with_standards(unit: Unit, period: Period | None) -> list[PublishedService]:
    """The unit's active services, each with the standard in force today (and its procedure
    steps) and its figures in `period`. Four queries whatever the number of services."""
    today = timezone.localdate()
    services = list(Service.objects.filter(unit=unit, is_active=True).order_by("name"))
    in_force: dict[int, ServiceStandard] = {}
    standards = (
        ServiceStandard.objects.filter(service__in=[s.pk for s in services], valid_from__lte=today)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .select_related("consultation")  # its public consultation record, if it had one
        .prefetch_related("steps__other_officer_than")  # who may do each step
        .order_by("service_id", "valid_from")
    )
    for std in standards:  # ordered by valid_from: the newest in force wins
        in_force[std.service_id] = std
    per_service: dict[int, ServiceScorecard] = {}
    if period is not None and services:
        per_service = {
            r.service_id: r
            for r in ServiceScorecard.objects.filter(
                unit=unit, period_kind=period.kind, period_label=period.label
            )
        }
    return [PublishedService(s, in_force.get(s.pk), per_service.get(s.pk)) for s in services]


# --- Open data (sigap.transparency.opendata) -----------------------------------------------


@dataclass(frozen=True)
class PeriodFigures:
    """One stored period of one public unit with the figures its page shows for it."""

    unit: Unit
    start: date
    end: date
    figures: UnitFigures


def published_figures(kind: Kind) -> list[PeriodFigures]:
    """Every stored period of `kind` of every public unit (one with an active service), with
    the same `figures()` the pages show; by unit path, then period. One query."""
    public = Service.objects.filter(is_active=True).values("unit_id")
    rows = (
        UnitScorecard.objects.filter(period_kind=kind, unit_id__in=public)
        .select_related("unit__agency")
        # The columns `figures()` reads: a scorecard row has some fifty.
        .only(
            "unit",
            "period_start",
            "period_end",
            "period_label",
            "volume",
            "sla_cases",
            "sla_met",
            "sla_share",
            "skm_responses",
            "ikm",
            "ikm_mutu",
            "complaints",
            "complaints_on_time",
            "complaints_on_time_share",
        )
        .order_by("unit__path", "period_start")
    )
    return [
        PeriodFigures(r.unit, r.period_start, r.period_end, figures(r, r.period_label))
        for r in rows
    ]


def first_refresh() -> ScorecardRefresh | None:
    return ScorecardRefresh.objects.order_by("finished_at").first()
