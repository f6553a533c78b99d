"""Intervention-effect benchmark: the impact evaluation of many interventions (innovations and
roadmap actions) on service KPIs, against a bare scan of the rows read.

    PYTHONPATH=src .venv/bin/python -m bench.intervention_effects          # 1.3 M and 10 M events
    PYTHONPATH=src .venv/bin/python -m bench.intervention_effects --sizes 1300000 --engine spark

For each size it generates (once; bench/out/intervention_effects/, reused) a synthetic service log
in sigap's canonical form (Parquet sorted by case and seq, as `import_log` writes it): 120
services (30 families offered by 4 units each), 24 months of requests up to 15 November 2026
(events after that day are not in the log, so the last months have open cases, as in a real
store), a lead time and a return rate per service, ~4.3 events a request (submitted,
received, returned + resumed for some, verified, completed or rejected). Three interventions are
planted in the generator from known dates:

- **A** (returns x 0.4: first-time-right up) on the 8 services of families F01 and F02, at four
  of them from December 2025 and at the other four from February 2026 (staggered adoption;
  the whole families are treated, so the comparison is matched);
- **B** (processing time x 0.7: lead time down) on the 8 services of F03 and F04 from
  January 2026;
- **C** (returns x 0.5) on five services of F05 to F07 from March 2026 (their families'
  other units are untreated: the comparison is the same service elsewhere);

plus 17 interventions with nothing planted (5 services each, none of the planted ones, start
months drawn from April 2025 to April 2026; a service can sit in several, and each
intervention's comparison excludes the services under another one from that one's start, as
`sigap innovation effects` does). Then it times, best of --repeat:

- **analysis**: the service panel (`sigap.analytics.service_panel`, one query over the case
  facts), then for every intervention x KPI (lead time, SLA share, first-time-right): the panel
  rows, `choose_comparisons` and `did` with its 999-replicate bootstrap, pre-trend test and
  placebo — 60 evaluations;
- **panel query**: the service panel alone (the part that runs on the engine);
- **bare scan**: one aggregate over the same rows on the same engine (every event: the panel
  reads every service; count and sum of the timestamps).

All three open the engine and register the log inside the timing, the same way.

Prints per size the times, the ratio analysis / bare scan, the load average before and after,
the planted interventions' measured effects and how many of the 37 null interventions got a
claim (improved or worsened: at a 95 % level about one in twenty evaluations is a false
alarm), and writes
bench/out/intervention_effects.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

OUT = Path(__file__).resolve().parent / "out"
WIB = ZoneInfo("Asia/Jakarta")
FIRST_DAY = date(2024, 11, 1)
TODAY = datetime(2026, 11, 15, tzinfo=WIB)
FAMILIES, UNITS = 30, 4
EVENTS_PER_CASE = 4.3  # about what the generator below averages


def service_codes() -> list[str]:
    return [f"F{f:02d}-U{u}" for f in range(FAMILIES) for u in range(UNITS)]


@dataclass(frozen=True)
class Planted:
    name: str
    starts: dict[str, date]  # service -> first day of the change
    returns: float = 1.0  # factor on the return probability
    processing: float = 1.0  # factor on the processing time


PLANTED = (
    Planted(
        "A",
        {
            **{f"F01-U{u}": date(2025, 12, 1) for u in range(4)},
            **{f"F02-U{u}": date(2026, 2, 1) for u in range(4)},
        },
        returns=0.4,
    ),
    Planted(
        "B",
        {f"F{f:02d}-U{u}": date(2026, 1, 1) for f in (3, 4) for u in range(4)},
        processing=0.7,
    ),
    Planted(
        "C",
        {s: date(2026, 3, 1) for s in ("F05-U0", "F05-U1", "F06-U0", "F06-U1", "F07-U0")},
        returns=0.5,
    ),
)


def null_interventions(n: int = 17, seed: int = 7) -> list[Planted]:
    """Interventions with no planted change: 5 services each (none of the planted ones), a
    start month from April 2025 to April 2026."""
    rng = random.Random(seed)
    planted = {s for p in PLANTED for s in p.starts}
    codes = [c for c in service_codes() if c not in planted]
    out = []
    for i in range(n):
        month = 3 + rng.randrange(13)  # months after January 2025: April 2025 .. April 2026
        start = date(2025 + month // 12, month % 12 + 1, 1)
        picked = rng.sample(codes, 5)
        out.append(Planted(f"N{i:02d}", dict.fromkeys(picked, start)))
    return out


def _ts(d: date) -> str:
    return f"TIMESTAMPTZ '{d.isoformat()} 00:00:00+07:00'"


def generate(path: Path, events: int, *, plant: bool = True) -> Path:
    """The synthetic log (see the module docstring), written in (case, seq) order. With
    `plant=False`, the same requests with the same draws and no planted change: the
    counterfactual the planted sizes are measured against."""
    import duckdb

    from sigap.analytics.engine import SORTED_KEY, SORTED_VALUE

    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    cases = int(events / EVENTS_PER_CASE)
    codes = service_codes()
    # The planted changes as (service, from, returns factor, processing factor).
    changes = [
        f"('{s}', {_ts(d)}, {p.returns}, {p.processing})"
        for p in PLANTED
        for s, d in p.starts.items()
    ]
    span_us = int((TODAY - datetime(2024, 11, 1, tzinfo=WIB)).total_seconds() * 1e6)
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = true")
    tmp = path.with_suffix(".tmp")
    con.execute(
        f"""COPY (
        WITH svc AS (
          SELECT i, code, 2 + (hash(code, 'lead') % 1000) / 100.0 AS lead_days,
                 0.05 + (hash(code, 'ret') % 1000) / 5000.0 AS p_return
          FROM (SELECT unnest(range({len(codes)})) AS i,
                       unnest([{", ".join(f"'{c}'" for c in codes)}]) AS code)),
        plant(service, since, returns, processing) AS (
          SELECT * FROM (VALUES {", ".join(changes)}) WHERE {str(plant).lower()}),
        c AS (
          SELECT range AS c,
                 {_ts(FIRST_DAY)} + to_microseconds((hash(range, 1) % {span_us})::BIGINT) AS t0,
                 (hash(range, 2) % {len(codes)})::INTEGER AS si
          FROM range({cases})),
        cc AS (
          SELECT c.c, c.t0, s.code,
                 coalesce(p.returns, 1.0) AS rf, coalesce(p.processing, 1.0) AS pf,
                 s.lead_days, s.p_return
          FROM c JOIN svc s ON s.i = c.si
          LEFT JOIN plant p ON p.service = s.code AND c.t0 >= p.since),
        k AS (
          SELECT c, t0, code,
                 (hash(c, 3) % 10000) / 10000.0 < p_return * rf AS ret,
                 hash(c, 4) % 20 = 0 AS rej,
                 -- processing hours: the service's lead x (0.5 .. 1.5) x the planted factor
                 lead_days * 24 * (0.5 + (hash(c, 5) % 1000) / 1000.0) * pf AS proc_h,
                 24 * (1 + hash(c, 6) % 5) AS wait_h
          FROM cc),
        steps AS (
          SELECT c, t0, code, list_concat(
              [{{'a': 'submit', 'o': 'submitted', 'h': 0.0}},
               {{'a': 'receive', 'o': 'received', 'h': 0.1 * proc_h}}],
              CASE WHEN ret THEN
                [{{'a': 'check', 'o': 'returned', 'h': 0.2 * proc_h}},
                 {{'a': 'fix', 'o': 'resumed', 'h': 0.2 * proc_h + wait_h}}]
              ELSE [] END,
              [{{'a': 'verify', 'o': 'done',
                 'h': 0.6 * proc_h + CASE WHEN ret THEN wait_h ELSE 0 END}},
               {{'a': CASE WHEN rej THEN 'refuse' ELSE 'issue' END,
                 'o': CASE WHEN rej THEN 'rejected' ELSE 'completed' END,
                 'h': proc_h + CASE WHEN ret THEN wait_h ELSE 0 END}}]) AS acts
          FROM k),
        e AS (SELECT c, t0, code, unnest(acts) AS x, generate_subscripts(acts, 1) - 1 AS seq
              FROM steps)
        SELECT 'C' || lpad(c::VARCHAR, 10, '0') AS case_id, seq::INTEGER AS seq,
               x.a AS activity, t0 + to_microseconds((x.h * 3600e6)::BIGINT) AS ts,
               CASE WHEN seq = 0 THEN 'pemohon' ELSE 'P' || (hash(c, seq) % 12)::VARCHAR
                    || '-' || code END AS resource,
               x.o AS lifecycle, code AS service, substr(code, 5) AS unit
        FROM e
        WHERE t0 + to_microseconds((x.h * 3600e6)::BIGINT) <= TIMESTAMPTZ '{TODAY.isoformat()}'
        -- the joins above do not keep the order of the rows: sorted, as the file's metadata
        -- says (the linear pass relies on it)
        ORDER BY c, seq
        ) TO '{tmp}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880,
                      KV_METADATA {{{SORTED_KEY}: '{SORTED_VALUE}'}})"""
    )
    os.replace(tmp, path)
    return path


def settings() -> Any:
    from sigap.analytics.performance import PerformanceSettings, ServiceStandard

    sla = {c: 3 + (sum(map(ord, c)) % 8) for c in service_codes()}
    return PerformanceSettings(
        standards=tuple(ServiceStandard(c, date(2024, 1, 1), d) for c, d in sla.items())
    )


def _best(repeat: int, fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def analyse(engine_name: str, path: Path, interventions: list[Planted]) -> dict[str, Any]:
    """Panel, then every intervention x KPI: comparisons and difference in differences."""
    from sigap.analytics.engine import connect
    from sigap.analytics.impact import choose_comparisons, did, month_number
    from sigap.analytics.service_panel import (
        HIGHER_IS_BETTER,
        LOG_KPIS,
        panel_rows,
        service_panel,
    )

    as_of = int(TODAY.timestamp()) * 1_000_000
    with connect(engine_name) as eng:
        eng.register_log(path)
        cells = service_panel(eng, settings(), as_of)
    rows_of = {kpi: panel_rows(cells, kpi) for kpi in LOG_KPIS}
    codes = service_codes()
    results: dict[str, Any] = {}
    for iv in interventions:
        starts = {s: month_number(d.year, d.month) for s, d in iv.starts.items()}
        excluded: dict[str, int] = {}
        for other in interventions:
            if other is iv:
                continue
            for s, d in other.starts.items():
                if s not in starts:
                    m = month_number(d.year, d.month)
                    excluded[s] = min(excluded.get(s, m), m)
        family = {s[:3] for s in starts}
        same = [c for c in codes if c[:3] in family and c not in starts]
        others = [c for c in codes if c not in starts and c not in same]
        for kpi in LOG_KPIS:
            rows = rows_of[kpi]
            # A service under another intervention is no candidate from that one's start.
            comparison = choose_comparisons(
                rows, starts, same_service=same, others=others, excluded_from=excluded
            )
            kept = [r for r in rows if r.unit in starts or r.unit in comparison.units]
            results[f"{iv.name}:{kpi}"] = (
                comparison,
                did(kept, starts, higher_is_better=HIGHER_IS_BETTER[kpi], excluded_from=excluded),
            )
    return results


def run_size(args: argparse.Namespace, events: int) -> dict[str, Any]:
    from sigap.analytics.engine import connect

    folder = OUT / "intervention_effects"
    path = generate(folder / f"log-{events}.parquet", events)
    counterfactual = generate(folder / f"log-{events}-unplanted.parquet", events, plant=False)
    interventions = [*PLANTED, *null_interventions()]
    with connect(args.engine) as eng:
        eng.register_log(path)
        total = eng.rows("SELECT count(*) FROM events")[0][0]

    def bare() -> object:
        with connect(args.engine) as one:
            one.register_log(path)
            return one.rows("SELECT count(*), sum(ts_us) FROM events")

    def panel() -> object:
        from sigap.analytics.service_panel import service_panel

        with connect(args.engine) as one:
            one.register_log(path)
            return service_panel(one, settings(), int(TODAY.timestamp()) * 1_000_000)

    load_before = os.getloadavg()[0]
    bare_s = _best(args.repeat, bare)
    panel_s = _best(args.repeat, panel)
    results: dict[str, Any] = {}

    def analysis() -> None:
        results.update(analyse(args.engine, path, interventions))

    analysis_s = _best(args.repeat, analysis)
    load_after = os.getloadavg()[0]
    truth = planted_sizes(args.engine, path, counterfactual)
    planted: dict[str, Any] = {}
    for key, (comparison, r) in sorted(results.items()):
        if key.startswith("N"):
            continue
        size = truth[key]
        planted[key] = {
            "planted": _r(size),
            "covered": r.ci_low is not None and r.ci_low <= size <= r.ci_high,
            "basis": comparison.basis,
            "comparison": len(comparison.units),
            "verdict": r.verdict.value,
            "reason": r.reason.value if r.reason else None,
            "estimate": _r(r.estimate),
            "ci": [_r(r.ci_low), _r(r.ci_high)],
            "relative": _r(r.relative),
            "baseline": _r(r.baseline),
        }
    nulls = [r for key, (_c, r) in results.items() if key.startswith("N")]
    return {
        "engine": args.engine,
        "events": total,
        "rows_read": total,
        "interventions": len(interventions),
        "evaluations": len(results),
        "analysis_s": round(analysis_s, 3),
        "panel_query_s": round(panel_s, 3),
        "bare_scan_s": round(bare_s, 4),
        "ratio": round(analysis_s / bare_s, 1),
        # derived, not measured: what the pure part (comparisons + did) costs per evaluation
        "per_evaluation_s": round((analysis_s - panel_s) / max(len(results), 1), 3),
        "load_before": load_before,
        "load_after": load_after,
        "planted": planted,
        "null_claims": sum(1 for r in nulls if r.verdict.value in ("improved", "worsened")),
        "null_verdicts": {
            v: sum(1 for r in nulls if r.verdict.value == v)
            for v in ("improved", "worsened", "no_effect", "no_conclusion")
        },
    }


def planted_sizes(engine_name: str, path: Path, counterfactual: Path) -> dict[str, float]:
    """The planted effect of A, B and C on each KPI, exactly on this sample: the weighted mean
    over their treated cells (from their start) of the KPI in the log minus the KPI of the same
    requests without the change (the unplanted log: the same draws), weights the cells' cases
    in the log. 0 where the change does not touch the KPI."""
    from sigap.analytics.engine import connect
    from sigap.analytics.impact import month_number
    from sigap.analytics.service_panel import LOG_KPIS, service_panel

    as_of = int(TODAY.timestamp()) * 1_000_000
    panels = []
    for p in (path, counterfactual):
        with connect(engine_name) as eng:
            eng.register_log(p)
            panels.append({(c.service, c.period): c for c in service_panel(eng, settings(), as_of)})
    seen, unseen = panels
    out = {}
    for iv in PLANTED:
        starts = {s: month_number(d.year, d.month) for s, d in iv.starts.items()}
        for kpi in LOG_KPIS:
            num = den = 0.0
            for (service, period), c in seen.items():
                other = unseen.get((service, period))
                if service in starts and period >= starts[service] and other is not None:
                    a, b = c.value(kpi), other.value(kpi)
                    if a is not None and b is not None:
                        num += c.weight(kpi) * (a - b)
                        den += c.weight(kpi)
            out[f"{iv.name}:{kpi}"] = num / den if den else 0.0
    return out


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=lambda s: [int(x) for x in s.split(",")], default=[1_300_000, 10_000_000]
    )
    parser.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    out = [run_size(args, n) for n in args.sizes]
    print(json.dumps(out, indent=1, default=str))
    (OUT / "intervention_effects.json").write_text(json.dumps(out, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
