"""`leadership_refresh`: compute the unit and service scorecards of every period, then the roadmap.

One pass over the case facts of the requests (`sigap.service_requests.models.RequestFact`, the
one place lead time, pauses and the SLA rule are computed) and over complaints, SKM answers, WBS
report dates and the existing result tables (integrity signals, appraisal calibration, step
bottlenecks), folded into months, quarters and years in Python; the pages read only the rows
written here. What each figure means is in the metric registry (`sigap.metrics.registry`,
docs/metrics.md): volume by day of submission, the closing figures by day of closing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from time import monotonic
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from sigap.analytics.ikm import PeriodKind as IkmPeriodKind
from sigap.analytics.ikm import ikm_series
from sigap.catalogue.models import Service, ServiceStandard
from sigap.complaints.models import Complaint
from sigap.integrity.models import IntegrityRun, IntegritySignal
from sigap.leadership import scoring
from sigap.leadership.models import (
    RoadmapAction,
    ScorecardRefresh,
    ServiceScorecard,
    UnitScorecard,
)
from sigap.leadership.roadmap import roadmap_generate
from sigap.metrics import registry
from sigap.metrics.selectors import DIGITAL_CHANNELS
from sigap.organisation.models import Agency, Unit
from sigap.service_requests.facts import request_facts_rebuild
from sigap.service_requests.models import (
    RequestFact,
    ServiceRequest,
    TrackingLookup,
)
from sigap.surveys.models import SurveyResponse
from sigap.surveys.selectors import tallies, weighting
from sigap.whistleblowing.models import Report

LATE_CASES = 20
"""Receipt codes kept per service and period of the requests closed beyond the SLA."""


# --- accumulation -------------------------------------------------------------------------------


@dataclass
class _Acc:
    """Request-based sums of one (unit[, service], kind, period)."""

    volume: int = 0
    digital: int = 0
    closed: int = 0
    ftr: int = 0
    sla_cases: int = 0
    sla_met: int = 0
    leads: list[int] = field(default_factory=list)
    # Requests of `volume` whose receipt a citizen looked up at least once (unit rows only).
    tracked: int = 0
    # (finished at, receipt code) of the requests closed beyond the SLA: the service page's
    # drill-down to a case.
    late: list[tuple[date, str]] = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        return {
            "volume": self.volume,
            "digital_requests": self.digital,
            "digital_share": scoring.share(self.digital, self.volume),
            "closed": self.closed,
            "first_time_right": self.ftr,
            "ftr_share": scoring.share(self.ftr, self.closed),
            "sla_cases": self.sla_cases,
            "sla_met": self.sla_met,
            "sla_share": scoring.share(self.sla_met, self.sla_cases),
            "lead_wd_median": scoring.median(self.leads),
        }


class _Days:
    """Local date → period labels and working-day index, cached (a few hundred distinct days)."""

    def __init__(self, calendars: dict[int, Any], tz: ZoneInfo) -> None:
        self.calendars = calendars
        self.tz = tz
        self._labels: dict[date, tuple[str, str, str]] = {}
        self._index: dict[tuple[int, date], int] = {}

    def local(self, moment: datetime) -> date:
        return moment.astimezone(self.tz).date()

    def labels(self, day: date) -> tuple[str, str, str]:
        got = self._labels.get(day)
        if got is None:
            got = tuple(scoring.period_label(day, k) for k in scoring.KINDS)  # type: ignore[assignment]
            self._labels[day] = got  # type: ignore[assignment]
        return got  # type: ignore[return-value]

    def index(self, agency_id: int, day: date) -> int:
        key = (agency_id, day)
        got = self._index.get(key)
        if got is None:
            got = self.calendars[agency_id].working_day_index(day)
            self._index[key] = got
        return got


# --- the refresh --------------------------------------------------------------------------------


def leadership_refresh(
    *, as_of: date | None = None, min_sample: int = scoring.MIN_SAMPLE
) -> ScorecardRefresh:
    """Recompute every scorecard row and propose roadmap actions; rerunnable at any time."""
    started = monotonic()
    as_of = as_of or timezone.localdate()
    # Requests loaded in bulk (imports, an older installation) get their case facts first.
    missing = list(ServiceRequest.objects.filter(fact__isnull=True).values_list("pk", flat=True))
    if missing:
        request_facts_rebuild(missing)
    tz = ZoneInfo(settings.TIME_ZONE)
    agencies = list(Agency.objects.prefetch_related("special_days"))
    days = _Days({a.pk: a.working_calendar() for a in agencies}, tz)
    units = {u.pk: u for u in Unit.objects.all()}

    unit_acc: dict[tuple[int, str, str], _Acc] = defaultdict(_Acc)
    service_acc: dict[tuple[int, int, str, str], _Acc] = defaultdict(_Acc)
    run = IntegrityRun.objects.filter(finished_at__isnull=False).order_by("-finished_at").first()
    window = (run.period_start, run.period_end) if run else None
    tracked_ids, first_lookup = _tracking(as_of)
    first_day, window_volume = _requests(
        days, units, unit_acc, service_acc, as_of, window, tracked_ids
    )

    services_by_unit: dict[int, list[int]] = defaultdict(list)
    for sid, uid in Service.objects.filter(is_active=True).values_list("pk", "unit_id"):
        services_by_unit[uid].append(sid)
    standards: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    # Drafts (no start date yet, sigap.catalogue.services) are no standard in force.
    for sid, valid_from, valid_until in ServiceStandard.objects.filter(
        valid_from__isnull=False
    ).values_list("service_id", "valid_from", "valid_until"):
        if valid_from is not None:  # filtered above; for the type checker
            standards[sid].append((valid_from, valid_until))
    skm = _surveys(tz, as_of)
    complaints = _complaints(days, as_of)
    wbs = _wbs(as_of)
    integrity = _integrity(run)
    appraisal = _appraisals()
    appraisal_years: dict[int, list[int]] = defaultdict(list)
    for uid, year in appraisal:
        appraisal_years[uid].append(year)

    active_units = (
        {k[0] for k in unit_acc}
        | set(services_by_unit)
        | {k[0] for k in skm}
        | {k[0] for k in complaints}
    )
    if first_day is None:
        first_day = as_of
    rows: list[UnitScorecard] = []
    for kind in scoring.KINDS:
        labels = scoring.periods_between(first_day, as_of, kind)
        for uid in sorted(active_units):
            unit = units[uid]
            for label in labels:
                start, end = scoring.bounds(label)
                acc = unit_acc.get((uid, kind, label), _Acc())
                values: dict[str, Any] = acc.figures()
                # Before sigap recorded its first look-up, tracking use was not measured.
                tracking = (
                    scoring.share(acc.tracked, acc.volume)
                    if first_lookup is not None and end >= first_lookup
                    else None
                )
                c_recv, c_judged, c_on_time = complaints.get((uid, kind, label), (0, 0, 0))
                ikm = skm.get((uid, kind, label))
                svc = services_by_unit.get(uid, [])
                published = sum(
                    1
                    for sid in svc
                    if any(f <= end and (u is None or u >= start) for f, u in standards[sid])
                )
                signals = integrity(uid, start, end)
                wbs_n = wbs.get((uid, label), 0)
                # SKP ratings are yearly and final only after the year: a period shows the
                # latest rated year up to its own.
                skp_year = max(
                    (y for y in appraisal_years.get(uid, ()) if y <= start.year), default=None
                )
                rated, diff, inflated = appraisal.get((uid, skp_year or 0), (0, None, False))
                std_share = scoring.share(published, len(svc))
                values.update(
                    complaints_received=c_recv,
                    complaints=c_judged,
                    complaints_on_time=c_on_time,
                    complaints_on_time_share=scoring.share(c_on_time, c_judged),
                    skm_responses=ikm[0] if ikm else 0,
                    ikm=ikm[1] if ikm else None,
                    ikm_mutu=ikm[2] if ikm else "",
                    weakest_element=ikm[3] if ikm else "",
                    weakest_nrr=ikm[4] if ikm else None,
                    services=len(svc),
                    services_published=published,
                    standards_published=std_share,
                    tracked=acc.tracked,
                    tracking_share=tracking,
                    transparency_score=scoring.mean_present(
                        std_share, values["digital_share"], tracking
                    ),
                    integrity_signals=signals,
                    wbs_cases=wbs_n,
                    integrity_rate=scoring.per_thousand(signals, window_volume.get(uid, 0)),
                    appraisal_year=skp_year if rated else None,
                    appraisal_rated=rated,
                    appraisal_diff_index=diff,
                    appraisal_inflated=inflated,
                )
                rows.append(
                    UnitScorecard(
                        unit=unit,
                        peer_group=unit.kind,
                        period_kind=kind,
                        period_start=start,
                        period_end=end,
                        period_label=label,
                        **values,
                    )
                )
    _rank(rows, min_sample)
    _trends(rows)
    service_rows = [
        ServiceScorecard(
            unit_id=uid,
            service_id=sid,
            period_kind=kind,
            period_start=scoring.bounds(label)[0],
            period_end=scoring.bounds(label)[1],
            period_label=label,
            late_cases=[code for _at, code in sorted(acc.late, reverse=True)[:LATE_CASES]],
            **acc.figures(),
        )
        for (uid, sid, kind, label), acc in service_acc.items()
    ]
    return _save(rows, service_rows, as_of, started, min_sample)


def _requests(
    days: _Days,
    units: dict[int, Unit],
    unit_acc: dict[tuple[int, str, str], _Acc],
    service_acc: dict[tuple[int, int, str, str], _Acc],
    as_of: date,
    window: tuple[date, date] | None,
    tracked_ids: set[int],
) -> tuple[date | None, dict[int, int]]:
    """Fold the case facts of every request into its periods; returns the first submission
    day and the requests per unit submitted in `window` (the integrity run's, for its rate per
    1,000 requests).

    Nothing is computed here: lead time, SLA and first time right are the stored case facts
    (`sigap.metrics`), so the scorecard and every other page count the same requests the same
    way. Volume is by day of submission, the closing figures by day of closing.
    """
    in_window: dict[int, int] = defaultdict(int)
    first: date | None = None
    rows = RequestFact.objects.values_list(
        "request_id", "request__receipt_code", "unit_id", "service_id", "channel",
        "submitted_on", "closed_on", "lead_working_days", "within_sla", "first_time_right",
    ).iterator(chunk_size=5000)  # fmt: skip
    for pk, code, uid, sid, channel, day, end_day, lead, met, ftr in rows:
        if day > as_of:
            continue
        if first is None or day < first:
            first = day
        if window is not None and window[0] <= day <= window[1]:
            in_window[uid] += 1
        digital = channel in DIGITAL_CHANNELS
        tracked = pk in tracked_ids
        for kind, label in zip(scoring.KINDS, days.labels(day), strict=True):
            unit_acc[(uid, kind, label)].tracked += tracked
            for acc in (unit_acc[(uid, kind, label)], service_acc[(uid, sid, kind, label)]):
                acc.volume += 1
                acc.digital += digital
        if end_day is None or end_day > as_of:
            continue
        for kind, label in zip(scoring.KINDS, days.labels(end_day), strict=True):
            for acc in (unit_acc[(uid, kind, label)], service_acc[(uid, sid, kind, label)]):
                acc.closed += 1
                acc.ftr += bool(ftr)
                acc.sla_cases += 1
                acc.sla_met += bool(met)
                if lead is not None:  # always, for a closed request
                    acc.leads.append(lead)
            if not met:
                service_acc[(uid, sid, kind, label)].late.append((end_day, code))
    return first, in_window


def _tracking(as_of: date) -> tuple[set[int], date | None]:
    """The requests a citizen looked up on /lacak/ up to `as_of`, and the first day sigap
    recorded a look-up at all (periods ending before it were not measured)."""
    lookups = TrackingLookup.objects.filter(day__lte=as_of)
    ids = set(lookups.values_list("request_id", flat=True).distinct())
    first = lookups.aggregate(first=Min("day"))["first"]
    return ids, first


def _surveys(
    tz: ZoneInfo, as_of: date
) -> dict[tuple[int, str, str], tuple[int, float | None, str, str, float | None]]:
    """(respondents, IKM, mutu, weakest unsur, its NRR) per (unit, kind, period)."""
    out: dict[tuple[int, str, str], tuple[int, float | None, str, str, float | None]] = {}
    w = weighting()
    until = datetime.combine(as_of + timedelta(days=1), time.min, tzinfo=tz)
    responses = SurveyResponse.objects.filter(submitted_at__lt=until)
    for kind in scoring.KINDS:
        found = tallies(responses, group="unit", kind=IkmPeriodKind(kind))
        for p in ikm_series(found, weighting=w):
            r = p.result
            weakest = r.weakest[0] if r.weakest else ""
            nrr = r.nrr.get(weakest) if weakest else None
            out[(int(p.group), kind, p.period)] = (
                r.respondents,
                None if r.ikm is None else float(r.ikm),
                r.mutu.value if r.mutu else "",
                weakest,
                None if nrr is None else float(nrr),
            )
    return out


def _complaints(days: _Days, as_of: date) -> dict[tuple[int, str, str], tuple[int, int, int]]:
    """(received, judged, followed up on time) per (unit, kind, period of submission).

    Judged: forwarded to the unit (a follow-up deadline was set) and either followed up or
    past the deadline at `as_of`. On time: followed up on or before the deadline.
    """
    out: dict[tuple[int, str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    rows = Complaint.objects.values_list(
        "unit_id", "submitted_at", "follow_up_due", "followed_up_at"
    ).iterator(chunk_size=5000)
    for uid, submitted, due, followed in rows:
        day = days.local(submitted)
        if day > as_of:
            continue
        followed_day = days.local(followed) if followed else None
        if followed_day is not None and followed_day > as_of:
            followed_day = None
        judged = due is not None and (followed_day is not None or due < as_of)
        on_time = judged and followed_day is not None and due is not None and followed_day <= due
        for kind, label in zip(scoring.KINDS, days.labels(day), strict=True):
            acc = out[(uid, kind, label)]
            acc[0] += 1
            acc[1] += judged
            acc[2] += on_time
    return {k: (v[0], v[1], v[2]) for k, v in out.items()}


def _wbs(as_of: date) -> dict[tuple[int, str], int]:
    """Whistleblowing reports per (unit, period of the report date): counts only, never content."""
    out: dict[tuple[int, str], int] = defaultdict(int)
    for uid, day in Report.objects.filter(created_on__lte=as_of).values_list(
        "unit_id", "created_on"
    ):
        for kind in scoring.KINDS:
            out[(uid, scoring.period_label(day, kind))] += 1
    return out


def _integrity(run: IntegrityRun | None) -> Any:
    """A lookup: flagged signals of the latest integrity run, for a unit and a period.

    Signals are computed over the run's window (usually twelve months), not per month: a period
    overlapping the window shows the window's count; other periods show nothing measured.
    """
    counts: dict[int, int] = defaultdict(int)
    if run is not None:
        for uid in IntegritySignal.objects.filter(run=run, flagged=True).values_list(
            "unit_id", flat=True
        ):
            counts[uid] += 1

    def lookup(unit_id: int, start: date, end: date) -> int | None:
        if run is None or end < run.period_start or start > run.period_end:
            return None
        return counts.get(unit_id, 0)

    return lookup


def _appraisals() -> dict[tuple[int, int], tuple[int, float | None, bool]]:
    """(rated, differentiation index, inflated) per (unit, year) from the SKP calibration."""
    from sigap.appraisals.models import PerformancePlan
    from sigap.appraisals.selectors import calibration

    out: dict[tuple[int, int], tuple[int, float | None, bool]] = {}
    for year in PerformancePlan.objects.values_list("year", flat=True).distinct():
        for row in calibration(None, year).units:
            s = row.summary
            out[(row.unit.pk, year)] = (s.rated, s.differentiation, s.inflated)
    return out


def _rank(rows: list[UnitScorecard], min_sample: int) -> None:
    """Rank each dimension among the units of the same kind, in the same period.

    Only units with a value and, where the metric has a sample (the registry's `sample`), at
    least `min_sample` of it are ranked, and "rank r of n" counts only those n: a unit with no
    complaints judged, or three, is neither ranked nor counted as a peer. Ties share a rank.
    """
    groups: dict[tuple[str, str, str], list[UnitScorecard]] = defaultdict(list)
    for r in rows:
        groups[(r.period_kind, r.period_label, r.peer_group)].append(r)
    for members in groups.values():
        for r in members:
            r.peers = len(members)
            r.ranked_peers = {}
        for dim, metric in scoring.DIMENSIONS.items():
            sample = registry.METRICS[metric].sample
            values = {
                i: getattr(r, metric) if not sample or getattr(r, sample) >= min_sample else None
                for i, r in enumerate(members)
            }
            ranks = scoring.rank(values, higher_is_better=metric not in scoring.LOWER_IS_BETTER)
            for i, r in enumerate(members):
                setattr(r, f"rank_{dim}", ranks.get(i))
                if i in ranks:
                    r.ranked_peers[dim] = len(ranks)


TREND_FIELDS = (
    "volume",
    "sla_share",
    "lead_wd_median",
    "ftr_share",
    "complaints_on_time_share",
    "ikm",
    "digital_share",
    "standards_published",
    "tracking_share",
    "transparency_score",
    "integrity_rate",
    "appraisal_diff_index",
)


def _trends(rows: list[UnitScorecard]) -> None:
    by_key = {(r.unit.pk, r.period_kind, r.period_label): r for r in rows}
    for r in rows:
        before = by_key.get((r.unit.pk, r.period_kind, scoring.previous_period(r.period_label)))
        r.trends = {
            f: scoring.change(getattr(r, f), getattr(before, f) if before else None)
            for f in TREND_FIELDS
        }


@transaction.atomic
def _save(
    rows: list[UnitScorecard],
    service_rows: list[ServiceScorecard],
    as_of: date,
    started: float,
    min_sample: int,
) -> ScorecardRefresh:
    refresh = ScorecardRefresh.objects.create(
        finished_at=timezone.now(),
        as_of=as_of,
        unit_rows=len(rows),
        service_rows=len(service_rows),
    )
    # Replaced whole: a rerun gives the same rows (idempotent), never duplicates.
    UnitScorecard.objects.all().delete()
    ServiceScorecard.objects.all().delete()
    for r in rows:
        r.refresh = refresh
    for s in service_rows:
        s.refresh = refresh
    UnitScorecard.objects.bulk_create(rows, batch_size=500)
    ServiceScorecard.objects.bulk_create(service_rows, batch_size=500)
    refresh.actions_created = roadmap_generate(refresh=refresh, rows=rows, min_sample=min_sample)
    refresh.seconds = round(monotonic() - started, 2)
    refresh.save(update_fields=["actions_created", "seconds"])
    # Older runs only name the rows they made; those rows are gone now.
    cited = RoadmapAction.objects.filter(created_by_refresh__isnull=False)
    ScorecardRefresh.objects.filter(finished_at__lt=refresh.finished_at).exclude(
        pk__in=cited.values("created_by_refresh")
    ).delete()
    return refresh
