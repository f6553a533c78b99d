"""`performance_refresh`: bring the analytics store up to date, then replace the result tables.

The store (`settings.VAR_DIR / "analytics"`) is refreshed incrementally by
`sigap.analytics.refresh`; the results are combined from per-partition partials
(`sigap.analytics.incremental`: only the partitions the refresh rewrote are read again), equal to
a computation over the whole store, and written to narrow tables in one transaction, one row per
unit × service (plus its top bottlenecks, deviations and officer scorecards), which is all the
"Kinerja layanan" page reads.

Definitions, beyond those of `sigap.analytics.performance`:

- Bottleneck of a step: the time from the previous event of the case until the step's event
  (as `sigap.analytics.discovery.bottlenecks`), per unit and service; the top five by total.
- Conformance: the sequence of *finished* steps of a closed case (events `done`/`completed`,
  and the step it was rejected at) against the procedure of the newest standard of its service
  (`step_traces`, `trace_deviations`); receipt, returns and pauses are not steps. A rejected
  case is judged only on the part of the procedure it reached (its later steps are not
  "skipped"); open cases are not judged yet.
- Scorecards: `officer_scorecards` per service and officer (NIP), only above `MIN_CASES`,
  shown at the officer's own unit.
- Data quality: the store checked as an event log (merged from per-partition partials, as the
  results are), and the operational records checked per unit (`sigap.performance.quality`); the
  last run's findings are kept.
"""

from __future__ import annotations

import shutil
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from sigap.analytics.conformance import trace_deviations
from sigap.analytics.incremental import DERIVED, Results, store_results
from sigap.analytics.performance import PerformanceSettings
from sigap.analytics.refresh import (
    EVENTS,
    STANDARDS,
    STATE,
    load_standards,
    refresh_store,
)
from sigap.analytics.scorecards import MIN_CASES
from sigap.catalogue.models import Service
from sigap.organisation.models import Agency, Employee, Unit
from sigap.organisation.services import agency_calendar
from sigap.performance.models import (
    DataQualityFinding,
    OfficerScore,
    PerformanceRun,
    ProcessDeviation,
    StepBottleneck,
    UnitServicePerformance,
)
from sigap.performance.quality import Found, operational_findings, store_findings
from sigap.rules.calendar import WorkingCalendar

TOP_BOTTLENECKS = 5
TOP_DEVIATIONS = 5
US_PER_DAY = 86_400_000_000


def store_dir() -> Path:
    return Path(settings.VAR_DIR) / "analytics"


def clear_store(store: Path) -> None:
    """Forget the store, so the next refresh reads every request again.

    The refresh is incremental: requests deleted from the operational database (a rebuilt
    demo) would otherwise stay in the store.
    """
    store = Path(store)
    (store / STATE).unlink(missing_ok=True)  # first: a store without state is started over
    for name in (EVENTS, STANDARDS):
        (store / name).unlink(missing_ok=True)
    for folder in [store / DERIVED, *store.glob("events-*")]:
        shutil.rmtree(folder, ignore_errors=True)


def store_calendar() -> WorkingCalendar:
    """The agency's own working-day calendar (its local days off included), for the analyses.

    The operational pages and the scorecards judge every request on its agency's calendar
    (`sigap.organisation.services.agency_calendar`); the analyses must use the same one or the
    same request is "within the SLA" on one page and late on another. One installation serves
    one pemda: with several agencies the calendar of the first one is used (they share the
    regency's days off).
    """
    agency = Agency.objects.order_by("pk").first()
    return agency_calendar(agency.pk) if agency is not None else WorkingCalendar()


@dataclass
class _Row:
    values: dict[str, Any]
    bottlenecks: list[dict[str, Any]]
    deviations: list[dict[str, Any]]
    scores: list[dict[str, Any]]


def performance_refresh(store: Path | None = None, *, min_cases: int = MIN_CASES) -> PerformanceRun:
    """Refresh the store from the operational database and replace every result table."""
    started = time.monotonic()
    store = Path(store or store_dir())
    result = refresh_store(connection, store, paramstyle="format")
    perf_settings = PerformanceSettings(
        calendar=store_calendar(), timezone=settings.TIME_ZONE, standards=load_standards(store)
    )
    now = timezone.now()
    # The store's quality comes with the results, merged from the partitions' partials: its
    # cost follows the change too (never a pass over the whole store).
    res = store_results(
        store, perf_settings, min_cases=min_cases, now_us=int(now.timestamp() * 1_000_000)
    )
    rows = _compute(res, perf_settings)
    found: list[Found] = store_findings(res.quality) if res.quality is not None else []
    found += operational_findings(now)
    run = _save(rows, result, started)
    _save_findings(run, found)
    return run


@transaction.atomic
def _save_findings(run: PerformanceRun, found: list[Found]) -> None:
    """Replace the findings: only the last run's are shown."""
    DataQualityFinding.objects.exclude(run=run).delete()
    DataQualityFinding.objects.bulk_create(
        DataQualityFinding(
            run=run, unit_id=f.unit_id, code=f.code, count=f.count, total=f.total,
            examples=f.examples,
        )
        for f in found
    )  # fmt: skip


def _compute(res: Results, perf_settings: PerformanceSettings) -> dict[tuple[str, str], _Row]:
    rows: dict[tuple[str, str], _Row] = {}

    def row(unit: str | None, service: str | None) -> _Row:
        key = (unit or "", service or "")
        if key not in rows:
            rows[key] = _Row({}, [], [], [])
        return rows[key]

    for p in res.performance:
        row(p.unit, p.service).values.update(
            volume=p.volume,
            closed=p.closed,
            lead_wd_median=p.lead_working_days_median,
            lead_wd_p90=p.lead_working_days_p90,
            sla_cases=p.sla_cases,
            sla_met=p.sla_met,
            sla_share=p.sla_share,
            first_time_right=p.first_time_right,
            first_time_right_share=p.first_time_right_share,
        )
    for b in res.backlog:
        row(b.unit, b.service).values.update(
            backlog_open=b.open, backlog_over_sla=b.over_sla, backlog_age_max=b.age_working_days_max
        )
    for unit, service, activity, n, total, med, all_wait in res.waits:
        r = row(unit, service)
        if len(r.bottlenecks) < TOP_BOTTLENECKS:
            r.bottlenecks.append(
                {
                    "activity": activity,
                    "events": int(n),
                    "total_wait_days": int(total) / US_PER_DAY,
                    "median_wait_days": float(med) / US_PER_DAY,
                    "share_of_waiting": int(total) / int(all_wait) if all_wait else 0.0,
                }
            )
    _conformance(res.traces, perf_settings, row)
    for s in res.scorecards:
        # The unit is resolved in `_save`, from the officer's own unit.
        row("", s.service).scores.append(
            {
                "nip": s.officer,
                "cases": s.cases,
                "steps": s.steps,
                "handling_median_hours": s.handling_median_s / 3600,
                "sla_cases": s.sla_cases,
                "sla_share": s.sla_share,
                "rework_caused": s.rework_caused,
                "throughput_percentile": s.throughput_percentile,
                "speed_percentile": s.speed_percentile,
                "peers": s.peers,
            }
        )
    return rows


def _conformance(traces: Any, perf_settings: PerformanceSettings, row: Any) -> None:
    newest: dict[str, tuple[Any, tuple[str, ...]]] = {}
    for st in perf_settings.standards:
        if st.procedure and (st.service not in newest or st.valid_from > newest[st.service][0]):
            newest[st.service] = (st.valid_from, st.procedure)
    found: dict[tuple[str, str], dict[str, Any]] = defaultdict(
        lambda: {"cases": 0, "conforming": 0, "devs": defaultdict(int)}
    )
    for unit, service, trace, stopped, n in traces:
        if service not in newest:
            continue
        devs = trace_deviations(trace, newest[service][1], stopped=stopped)
        acc = found[(unit or "", service)]
        acc["cases"] += int(n)
        if not devs:
            acc["conforming"] += int(n)
        for d in devs:
            acc["devs"][d] += int(n)
    for (unit, service), acc in found.items():
        r = row(unit, service)
        r.values.update(
            conformance_cases=acc["cases"],
            conforming=acc["conforming"],
            conformance_share=acc["conforming"] / acc["cases"] if acc["cases"] else None,
        )
        ranked = sorted(acc["devs"].items(), key=lambda kv: (-kv[1], kv[0]))
        r.deviations = [
            {"kind": k, "activity": a, "cases": c} for (k, a), c in ranked[:TOP_DEVIATIONS]
        ]


@transaction.atomic
def _save(rows: dict[tuple[str, str], _Row], result: Any, started: float) -> PerformanceRun:
    services = {s.code: s for s in Service.objects.select_related("unit")}
    units = {(u.agency_id, u.code): u for u in Unit.objects.all()}
    # A unit × service keeps its row (and so the address of its page) from run to run; the
    # step tables are replaced whole.
    for model in (StepBottleneck, ProcessDeviation, OfficerScore):
        model.objects.all().delete()
    kept = {(p.unit_id, p.service_id): p.pk for p in UnitServicePerformance.objects.all()}
    made: dict[tuple[int, int], UnitServicePerformance] = {}
    pending: list[tuple[UnitServicePerformance, _Row]] = []
    for (unit_code, service_code), r in rows.items():
        service = services.get(service_code)
        if service is None or not unit_code:
            continue
        unit = units.get((service.unit.agency_id, unit_code))
        if unit is None:
            continue
        perf = UnitServicePerformance(unit=unit, service=service, **r.values)
        made[(unit.pk, service.pk)] = perf
        pending.append((perf, r))
    UnitServicePerformance.objects.exclude(pk__in=[kept[k] for k in made if k in kept]).delete()
    for key, perf in made.items():
        if key in kept:
            perf.pk = kept[key]
            perf.save(force_update=True)
    UnitServicePerformance.objects.bulk_create([p for k, p in made.items() if k not in kept])
    bottlenecks, deviations = [], []
    for perf, r in pending:
        bottlenecks += [StepBottleneck(perf=perf, rank=i, **b) for i, b in enumerate(r.bottlenecks)]
        deviations += [ProcessDeviation(perf=perf, rank=i, **d) for i, d in enumerate(r.deviations)]
    StepBottleneck.objects.bulk_create(bottlenecks, batch_size=1000)
    ProcessDeviation.objects.bulk_create(deviations, batch_size=1000)
    scores = []
    by_nip = {
        e.nip: e
        for e in Employee.objects.filter(
            nip__in=[s["nip"] for (u, _), r in rows.items() if not u for s in r.scores]
        )
    }
    for (unit_code, service_code), r in rows.items():
        if unit_code:
            continue
        service = services.get(service_code)
        for s in r.scores:
            officer = by_nip.get(s.pop("nip"))
            if service is None or officer is None:
                continue
            at = made.get((officer.unit_id, service.pk))
            if at is not None:
                scores.append(OfficerScore(perf=at, officer=officer, **s))
    OfficerScore.objects.bulk_create(scores, batch_size=1000)
    return PerformanceRun.objects.create(
        finished_at=timezone.now(),
        seconds=round(time.monotonic() - started, 2),
        changed_cases=result.changed_cases,
        total_events=result.total_events,
        watermark=result.watermark or "",
    )
