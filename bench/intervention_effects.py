"""Intervention-effect benchmark: the impact evaluation of every intervention (innovations and
roadmap actions) on service KPIs through the code that runs in production, against a bare scan
of the columns it reads.

    PYTHONPATH=src .venv/bin/python -m bench.intervention_effects                    # 1.3 M, 10 M
    PYTHONPATH=src .venv/bin/python -m bench.intervention_effects --demo-var /tmp/demovar  # + demo
    PYTHONPATH=src .venv/bin/python -m bench.intervention_effects --sizes 1300000 --engine spark

**Synthetic logs.** For each size it generates (once; bench/out/intervention_effects/, reused) a
synthetic service log in sigap's canonical form (Parquet sorted by case and seq, as
`import_log` writes it): 120 services (30 families offered by 4 units each), 24 months of
requests up to 15 November 2026 (events after that day are not in the log, so the last months
have open cases, as in a real store), a lead time and a return rate per service, ~4.3 events a
request (submitted, received, returned + resumed for some, verified, completed or rejected).
Three interventions are planted in the generator from known dates:

- **A** (returns x 0.4: first-time-right up) on the 8 services of families F01 and F02, at four
  of them from December 2025 and at the other four from February 2026 (staggered adoption;
  the whole families are treated, so there is no same service elsewhere);
- **B** (processing time x 0.7: lead time down) on the 8 services of F03 and F04 from
  January 2026;
- **C** (returns x 0.5) on five services of F05 to F07 from March 2026 (their families'
  other units are untreated);

plus 17 interventions with nothing planted (5 services each, none of the planted ones, start
months drawn from April 2025 to April 2026; a service can sit in several). Then it times, best
of --repeat:

- **analysis**: the real path of `sigap innovation effects` minus the database: the service
  panel (`sigap.analytics.service_panel.service_panel`, one query over the case facts), then
  `sigap.innovation.effects.measure` for every intervention (each an `Intervention` on the
  three log KPIs, the others passed as `others`, families = the service code's family) —
  comparisons, `did` with its bootstrap, pre-trend test, placebo and the explanation: 60
  evaluations;
- **panel query**: the service panel alone (the part that runs on the engine);
- **bare scan**: one aggregate over the same rows on the same engine (every event: the panel
  reads every service; count and sum of the timestamps).

All three open the engine and register the log inside the timing, the same way. Each planted
size is measured exactly on its treated cells against the same log generated without the plants
(the same draws).

**The demo** (`--demo-var DIR`: the SIGAP_VAR_DIR of a built demo, holding `analytics/` and
`sigap.sqlite3`; it is not rebuilt): `sigap.innovation.effects.effects_refresh` as `sigap
innovation effects` runs it — every innovation in application and every completed roadmap
action, on the five KPIs (the log's three from the service panel, IKM and complaints from the
database), writing the InterventionEffect rows (the only write to DIR) — against the panel
query alone and a bare scan of the demo's events.

Prints per run the times, the ratio analysis / bare scan, the load average before and after,
the planted interventions' measured effects next to their planted size, how many null
evaluations got a claim (improved or worsened: at a 95 % level about one in twenty is a false
alarm) and, for the demo, the verdicts written; writes bench/out/intervention_effects.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import Counter
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
AS_OF_US = int(TODAY.timestamp()) * 1_000_000
FAMILIES, UNITS = 30, 4
EVENTS_PER_CASE = 4.3  # about what the generator below averages


def setup_django(var: Path | None) -> None:
    """Django on the demo's folder (`var`: its SIGAP_VAR_DIR, database `sigap.sqlite3` there), or
    on a folder of the bench's own when there is no demo (the synthetic runs use no database;
    `sigap.innovation.effects` only needs the models loaded). Before `django.setup()`."""
    if var is None:
        var = OUT / "intervention_effects" / "var"
        var.mkdir(parents=True, exist_ok=True)
    os.environ["SIGAP_VAR_DIR"] = str(var)
    os.environ["SIGAP_DATABASE_URL"] = f"sqlite:///{var / 'sigap.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigap.settings")
    from sigap import keys

    keys.use_demo_keys(var)  # the demo's own keys file (made in the bench's folder otherwise)
    import django

    django.setup()


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


def families() -> dict[str, str]:
    """Service code -> family key (as `catalogue.Service.family`): the same service elsewhere."""
    return {c: c[:3] for c in service_codes()}


def as_interventions(plan: list[Planted]) -> list[Any]:
    """The plan as `sigap.innovation.effects.Intervention`s on the three KPIs of the log."""
    from sigap.analytics.service_panel import LOG_KPIS
    from sigap.innovation.effects import Intervention

    return [
        Intervention("innovation", i, p.starts, tuple(LOG_KPIS))
        for i, p in enumerate(plan, start=1)
    ]


def analyse(engine_name: str, path: Path, plan: list[Planted]) -> dict[str, Any]:
    """The production path on a log: the service panel, then `measure` of every intervention
    (the others as `others`). `{"<name>:<kpi>": Measured}`."""
    from sigap.analytics.engine import connect
    from sigap.analytics.service_panel import service_panel
    from sigap.innovation.effects import measure

    every = as_interventions(plan)
    fam = families()
    with connect(engine_name) as eng:
        eng.register_log(path)
        cells = service_panel(eng, settings(), AS_OF_US)
    out: dict[str, Any] = {}
    for p, intervention in zip(plan, every, strict=True):
        for m in measure(cells, {}, intervention, fam, every):
            out[f"{p.name}:{m.kpi}"] = m
    return out


def _bare(engine_name: str, path: Path) -> Callable[[], object]:
    """The yardstick: open the engine, register the log, one aggregate over every event."""
    from sigap.analytics.engine import connect

    def scan() -> object:
        with connect(engine_name) as one:
            one.register_log(path)
            return one.rows("SELECT count(*), sum(ts_us) FROM events")

    return scan


def run_size(args: argparse.Namespace, events: int) -> dict[str, Any]:
    from sigap.analytics.engine import connect
    from sigap.analytics.service_panel import service_panel

    folder = OUT / "intervention_effects"
    path = generate(folder / f"log-{events}.parquet", events)
    counterfactual = generate(folder / f"log-{events}-unplanted.parquet", events, plant=False)
    plan = [*PLANTED, *null_interventions()]
    with connect(args.engine) as eng:
        eng.register_log(path)
        total = eng.rows("SELECT count(*) FROM events")[0][0]

    def panel() -> object:
        with connect(args.engine) as one:
            one.register_log(path)
            return service_panel(one, settings(), AS_OF_US)

    load_before = os.getloadavg()[0]
    bare_s = _best(args.repeat, _bare(args.engine, path))
    panel_s = _best(args.repeat, panel)
    results: dict[str, Any] = {}

    def analysis() -> None:
        results.update(analyse(args.engine, path, plan))

    analysis_s = _best(args.repeat, analysis)
    load_after = os.getloadavg()[0]
    truth = planted_sizes(args.engine, path, counterfactual)
    planted: dict[str, Any] = {}
    for key, m in sorted(results.items()):
        if key.startswith("N"):
            continue
        size, r = truth[key], m.impact
        planted[key] = {
            "planted": _r(size),
            "covered": r.ci_low is not None and r.ci_low <= size <= r.ci_high,
            "basis": m.comparison.basis,
            "comparison": len(m.comparison.units),
            "verdict": r.verdict.value,
            "reason": r.reason.value if r.reason else None,
            "estimate": _r(r.estimate),
            "ci": [_r(r.ci_low), _r(r.ci_high)],
            "relative": _r(r.relative),
            "baseline": _r(r.baseline),
        }
    nulls = [m.impact.verdict.value for key, m in results.items() if key.startswith("N")]
    return {
        "log": f"synthetic {events:,}",
        "engine": args.engine,
        "events": total,
        "rows_read": total,
        "interventions": len(plan),
        "evaluations": len(results),
        "analysis_s": round(analysis_s, 3),
        "panel_query_s": round(panel_s, 3),
        "bare_scan_s": round(bare_s, 4),
        "ratio": round(analysis_s / bare_s, 1),
        # derived, not measured: what the pure part (`measure`) costs per evaluation
        "per_evaluation_s": round((analysis_s - panel_s) / max(len(results), 1), 3),
        "load_before": load_before,
        "load_after": load_after,
        "planted": planted,
        "null_claims": sum(1 for v in nulls if v in ("improved", "worsened")),
        "null_verdicts": {
            v: nulls.count(v) for v in ("improved", "worsened", "no_effect", "no_conclusion")
        },
    }


def run_demo(args: argparse.Namespace, var: Path) -> dict[str, Any]:
    """`effects_refresh` on the demo in `var` (its store and database, as they are)."""
    from datetime import time as clock
    from datetime import timedelta

    from django.conf import settings as django_settings
    from django.utils import timezone

    from sigap.analytics.engine import connect
    from sigap.analytics.performance import PerformanceSettings
    from sigap.analytics.refresh import EVENTS, load_standards
    from sigap.analytics.service_panel import service_panel
    from sigap.demo.models import PlantedPattern
    from sigap.innovation.effects import effects_refresh, interventions
    from sigap.innovation.models import InterventionEffect
    from sigap.performance.services import store_calendar, store_dir

    events = Path(store_dir()) / EVENTS
    if not events.is_relative_to(var) or not events.exists():
        raise SystemExit(f"--demo-var {var}: no analytics store at {events}")
    found = interventions()
    tz = timezone.get_current_timezone()
    with connect(args.engine) as eng:
        eng.register_log(events)
        total, last = eng.rows("SELECT count(*), max(ts_us) FROM events")[0]
    # The data's own today, as effects_refresh dates them: up to the end of the last event's day.
    last_day = datetime.fromtimestamp(int(last) / 1e6, tz).date()
    until = datetime.combine(last_day + timedelta(days=1), clock.min, tzinfo=tz)
    until_us = int(until.timestamp()) * 1_000_000

    def panel() -> object:
        perf = PerformanceSettings(
            calendar=store_calendar(),
            timezone=django_settings.TIME_ZONE,
            standards=load_standards(events.parent),
        )
        with connect(args.engine) as one:
            one.register_log(events)
            return service_panel(one, perf, until_us - 1, tz=django_settings.TIME_ZONE)

    written = 0

    def refresh() -> None:
        nonlocal written
        written = effects_refresh(engine=args.engine)

    load_before = os.getloadavg()[0]
    bare_s = _best(args.repeat, _bare(args.engine, events))
    panel_s = _best(args.repeat, panel)
    refresh_s = _best(args.repeat, refresh)
    load_after = os.getloadavg()[0]
    rows = list(InterventionEffect.objects.values_list("subject", "conclusion"))
    subjects = Counter(s for s, _c in rows)
    # The demo's planted innovations (`sigap.demo.innovation_plant`): what was written for them.
    planted: dict[str, Any] = {}
    for pattern in PlantedPattern.objects.filter(kind=PlantedPattern.Kind.INNOVATION_EFFECT):
        d = pattern.detail
        effect = (
            InterventionEffect.objects.filter(innovation__name=pattern.subject, kpi=d["kpi"])
            .order_by("innovation_id")
            .first()
        )
        size = d.get("planted_size")
        planted[f"{d['key']}:{d['kpi']}"] = {
            "planted": _r(size),
            "expect": d.get("expect"),
            "covered": None
            if effect is None or size is None or effect.ci_low is None
            else effect.ci_low <= size <= effect.ci_high,
            "basis": None if effect is None else effect.comparison_basis,
            "comparison": None if effect is None else effect.comparison,
            "verdict": "not measured" if effect is None else effect.conclusion,
            "reason": None,
            "estimate": None if effect is None else _r(effect.estimate),
            "ci": [None, None] if effect is None else [_r(effect.ci_low), _r(effect.ci_high)],
            "pre_trend_p": None if effect is None else _r(effect.pre_trend_p),
        }
    return {
        "log": f"demo {var}",
        "engine": args.engine,
        "events": total,
        "rows_read": total,
        "data_until": last_day.isoformat(),
        "interventions": len(found),
        "innovations": sum(1 for i in found if i.subject == "innovation"),
        "roadmap_actions": sum(1 for i in found if i.subject != "innovation"),
        "evaluations": written,
        "analysis_s": round(refresh_s, 3),
        "panel_query_s": round(panel_s, 3),
        "bare_scan_s": round(bare_s, 4),
        "ratio": round(refresh_s / bare_s, 1),
        "per_evaluation_s": round((refresh_s - panel_s) / max(written, 1), 3),
        "load_before": load_before,
        "load_after": load_after,
        "rows_by_subject": dict(sorted(subjects.items())),
        "verdicts": dict(sorted(Counter(c for _s, c in rows).items())),
        "demo_planted": dict(sorted(planted.items())),
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


def _fmt(x: float | None, digits: int = 3) -> str:
    return "–" if x is None else f"{x:+.{digits}f}"


def table(out: list[dict[str, Any]]) -> str:
    """The printed tables: the timings, the planted effects, the nulls and the demo's verdicts."""
    lines = [
        "| log | engine | events | interventions | evaluations | analysis | panel query "
        "| bare scan | ratio | per evaluation | load |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in out:
        lines.append(
            f"| {r['log']} | {r['engine']} | {r['events']:,} | {r['interventions']} "
            f"| {r['evaluations']} | {r['analysis_s']:.2f} s | {r['panel_query_s']:.2f} s "
            f"| {r['bare_scan_s']:.3f} s | {r['ratio']:.0f} | {r['per_evaluation_s']:.3f} s "
            f"| {r['load_before']:.1f} → {r['load_after']:.1f} |"
        )
    for r in out:
        planted = r.get("planted") or r.get("demo_planted") or {}
        if not planted:
            continue
        lines += [
            "",
            f"Planted → measured, {r['log']} ({r['engine']}):",
            "",
            "| intervention:KPI | planted | measured | 95 % CI | covered | verdict | comparison |",
            "|---|---:|---:|---|---|---|---|",
        ]
        for key, p in planted.items():
            lo, hi = p["ci"]
            ci = "–" if lo is None else f"{_fmt(lo)} to {_fmt(hi)}"
            verdict = p["verdict"] + (f" ({p['reason']})" if p["reason"] else "")
            if p.get("pre_trend_p") is not None:
                verdict += f", pre-trend p {p['pre_trend_p']:.3f}"
            covered = {True: "yes", False: "no", None: "–"}[p["covered"]]
            lines.append(
                f"| {key} | {_fmt(p['planted'])} | {_fmt(p['estimate'])} | {ci} "
                f"| {covered} | {verdict} | {p['basis']} ({p['comparison']}) |"
            )
        if "null_verdicts" not in r:
            continue
        nv = r["null_verdicts"]
        lines.append("")
        lines.append(
            f"Null interventions: {r['null_claims']} claims in {sum(nv.values())} evaluations "
            f"({', '.join(f'{k} {v}' for k, v in nv.items())})."
        )
    for r in out:
        if "verdicts" in r:
            lines.append("")
            lines.append(
                f"Demo ({r['engine']}, data up to {r['data_until']}): {r['innovations']} "
                f"innovations + {r['roadmap_actions']} roadmap actions, {r['evaluations']} rows "
                f"written ({', '.join(f'{k} {v}' for k, v in r['rows_by_subject'].items())}); "
                f"verdicts: {', '.join(f'{k} {v}' for k, v in r['verdicts'].items())}."
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=lambda s: [int(x) for x in s.split(",") if x],
        default=[1_300_000, 10_000_000],
        help="synthetic log sizes in events, comma-separated ('' for none)",
    )
    parser.add_argument(
        "--demo-var",
        type=Path,
        default=None,
        help="the SIGAP_VAR_DIR of a built demo: also time effects_refresh on it",
    )
    parser.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    var = args.demo_var.resolve() if args.demo_var else None
    setup_django(var)
    out = [run_size(args, n) for n in args.sizes]
    if var is not None:
        out.append(run_demo(args, var))
    print(table(out))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "intervention_effects.json").write_text(json.dumps(out, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
