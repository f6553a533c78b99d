"""Process-discovery benchmark: sigap (DuckDB) against pm4py, against a bare scan, and at scale.

    python -m bench.discovery                 # 1M vs pm4py, 10M vs bare scan (a few minutes)
    python -m bench.discovery --scale 100000000   # also 100M events out of core (~5+ min)
    python -m bench.discovery --small 0 --large 0 --scale 100000000   # only the 100M run

Every measurement runs in its own process, so its peak RSS is its own (os.wait4). Times are the
best of --repeat runs, measured in this run; the logs are generated here (bench/out/, reused when
present) in sigap's canonical form: Parquet sorted by (case, seq), as `import_log` writes them.
Ratios: pm4py seconds / sigap seconds (higher is better), and sigap seconds / bare-scan seconds
(lower is better). pm4py is AGPL-3.0 and is used here only as a yardstick: its standard API on a
DataFrame already in memory (reading the file is not timed for pm4py; it is for sigap).

At --scale the whole report is timed too: registering the log and `build_report` (what `sigap
analyze` runs, minus the import and the writing), with each step's seconds from its `progress`
callback and the peak RSS after each on stderr, and its ratio to the same bare scan.

The machine's load average (1 min) is printed before and after every measurement: on a shared
machine the ratios move with it. `--sql` runs sigap with the linear pass turned off (DuckDBEngine
fast_path=False), for comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "out"
PROCEDURE = ("Register", "Verify", "Check", "Approve", "Issue", "Archive")
EVENTS_PER_CASE = 6.4  # what the generator below averages


def generate(path: Path, events: int) -> Path:
    """A synthetic service log: 10 activities, ~6.4 events a case, returns and rework in 10%."""
    import duckdb

    from sigap.analytics.engine import SORTED_KEY, SORTED_VALUE

    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    cases = int(events / EVENTS_PER_CASE)
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = true")
    tmp = path.with_suffix(".tmp")
    # Rows come out in (case, seq) order without a sort: cases in range order, steps unnested.
    con.execute(
        f"""COPY (
        WITH c AS (SELECT range AS c FROM range({cases})),
        steps AS (
          SELECT c, list_concat(
            ['Register', 'Verify'],
            CASE WHEN hash(c, 1) % 3 = 0 THEN ['Inspect'] ELSE ['Check'] END,
            CASE WHEN hash(c, 2) % 10 = 0 THEN ['Return', 'Check'] ELSE [] END,
            CASE WHEN hash(c, 3) % 4 = 0 THEN ['Approve', 'Sign'] ELSE ['Approve'] END,
            CASE WHEN hash(c, 4) % 20 = 0 THEN ['Reject'] ELSE ['Issue', 'Archive'] END) AS acts
          FROM c),
        e AS (SELECT c, unnest(acts) AS activity, generate_subscripts(acts, 1) - 1 AS k FROM steps)
        SELECT 'C' || lpad(c::VARCHAR, 10, '0') AS case_id, k::INTEGER AS seq, activity,
          TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_microseconds(
            (c * 20000000 + k * 7200000000 + hash(c, k) % 7200000000)::BIGINT) AS ts,
          'R' || (hash(c, k, 9) % 200)::VARCHAR AS resource,
          CASE WHEN activity = 'Return' THEN 'returned'
               WHEN activity = 'Check' AND k > 2 THEN 'resumed'
               WHEN activity IN ('Issue', 'Reject') THEN 'done' END AS lifecycle,
          'S' || (c % 5)::VARCHAR AS service, 'U' || (c % 7)::VARCHAR AS unit
        FROM e
        ) TO '{tmp}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880,
                      KV_METADATA {{{SORTED_KEY}: '{SORTED_VALUE}'}})"""
    )
    os.replace(tmp, path)
    return path


def _best(repeat: int, fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def _duck_options(args: argparse.Namespace) -> dict[str, Any]:
    opts: dict[str, Any] = {}
    if args.memory_limit:
        opts["memory_limit"] = args.memory_limit
        opts["temp_directory"] = str(OUT / "spill")
    return opts


def worker(task: str, path: str, repeat: int, args: argparse.Namespace) -> float:
    """One measurement, in this (child) process. Returns the best time in seconds."""
    if task == "pm4py":
        import warnings

        import pandas as pd
        import pm4py

        warnings.simplefilter("ignore")
        df = pd.read_parquet(path, columns=["case_id", "activity", "ts"]).rename(
            columns={"case_id": "case:concept:name", "activity": "concept:name",
                     "ts": "time:timestamp"}
        )  # fmt: skip

        def run_pm4py() -> None:
            pm4py.discover_performance_dfg(df)
            pm4py.get_variants(df)

        return _best(repeat, run_pm4py)

    from sigap.analytics import discovery
    from sigap.analytics.engine import DuckDBEngine

    eng = DuckDBEngine(**_duck_options(args), fast_path=not args.sql)
    if task == "bare-scan":
        q = f"""SELECT count(*), count(DISTINCT case_id), min(seq), max(seq),
                count(DISTINCT activity), min(ts), max(ts) FROM read_parquet('{path}')"""
        return _best(repeat, lambda: eng.rows(q))
    if task == "bare-minmax":
        q = f"""SELECT count(*), min(case_id), max(case_id), min(seq), max(seq),
                min(activity), max(activity), min(ts), max(ts) FROM read_parquet('{path}')"""
        return _best(repeat, lambda: eng.rows(q))
    if task == "bare-minmax-3":
        # only the columns sigap's linear pass reads for discovery (seq marks the cases)
        q = f"""SELECT count(*), min(seq), max(seq), min(activity), max(activity), min(ts),
                max(ts) FROM read_parquet('{path}')"""
        return _best(repeat, lambda: eng.rows(q))
    if task == "bare-minmax-all":
        # every column the full analysis reads (the per-case facts read them all)
        cols = ("case_id", "seq", "activity", "ts", "resource", "lifecycle", "service", "unit")
        aggs = ", ".join(f"min({c}), max({c})" for c in cols)
        q = f"SELECT count(*), {aggs} FROM read_parquet('{path}')"
        return _best(repeat, lambda: eng.rows(q))
    if task == "sigap-discovery":

        def run_discovery() -> None:
            eng.register_log(path)
            discovery.directly_follows(eng)  # computes the variants too (start/end activities)
            discovery.cached_variants(eng)

        return _best(repeat, run_discovery)
    if task == "sigap-full":
        return _best(repeat, lambda: full_analysis(eng, path))
    if task == "sigap-report":
        return _best(repeat, lambda: whole_report(eng, path))
    raise SystemExit(f"unknown task {task}")


REPORT_STEPS: dict[str, float] = {}
"""The last `whole_report`'s seconds per step, for the worker's JSON line."""


def _settings() -> Any:
    from sigap.analytics.performance import PerformanceSettings, ServiceStandard

    return PerformanceSettings(
        standards=tuple(ServiceStandard(f"S{i}", date(2020, 1, 1), 5 + i) for i in range(5)),
        timezone="UTC",
        closing_outcomes=("done", "rejected"),  # the generator marks Issue/Reject `done`
    )


def whole_report(eng: Any, path: str) -> None:
    """Everything `sigap analyze` runs on an imported log, minus the import and the writing:
    registering the log and `build_report`, each of its steps timed (its `progress` callback
    marks where one ends and the next begins). Step seconds and the peak RSS after each go to
    stderr and into `REPORT_STEPS`."""
    import resource

    from sigap.analytics.report import build_report

    spent: dict[str, float] = {}
    peak: dict[str, int] = {}
    current = ["register"]
    t = [time.perf_counter()]

    def mark(step: str) -> None:
        now = time.perf_counter()
        spent[current[0]] = round(spent.get(current[0], 0.0) + now - t[0], 3)
        peak[current[0]] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        current[0], t[0] = step, now

    eng.register_log(path)
    # before the first `progress`: the log's span (and, on the streaming path, the discovery
    # pass that reads it)
    mark("span")
    build_report(eng, source=Path(path).name, procedure=PROCEDURE, settings=_settings(),
                 progress=mark)  # fmt: skip
    mark("")
    REPORT_STEPS.clear()
    REPORT_STEPS.update(spent)
    print(json.dumps({"report_steps": spent, "peak_rss_mib_after": peak}), file=sys.stderr)


def full_analysis(eng: Any, path: str) -> None:
    """Everything in points 3-5 of the issue: performance, discovery, conformance, scorecards.

    Prints each step's seconds, and the peak RSS so far after it, to stderr: where the time and
    the memory go."""
    from sigap.analytics import discovery
    from sigap.analytics.conformance import conformance
    from sigap.analytics.performance import backlog, service_performance
    from sigap.analytics.scorecards import officer_scorecards

    settings = _settings()
    steps: list[tuple[str, Callable[[], object]]] = [
        ("register", lambda: eng.register_log(path)),
        # Bottlenecks first: their pass also yields the DFG's edges (one pass, not two).
        ("bottlenecks", lambda: discovery.bottlenecks(eng)),
        ("dfg", lambda: discovery.directly_follows(eng)),
        ("variants", lambda: discovery.cached_variants(eng)),
        ("rework", lambda: discovery.rework(eng)),
        ("conformance", lambda: conformance(eng, PROCEDURE)),
        ("performance", lambda: service_performance(eng, ("service", "unit", "period"), settings)),
        ("backlog", lambda: backlog(eng, ("service", "unit"), settings)),
        ("scorecards", lambda: officer_scorecards(eng, settings=settings)),
    ]
    import resource

    spent, peak = {}, {}
    for name, step in steps:
        t = time.perf_counter()
        step()
        spent[name] = round(time.perf_counter() - t, 3)
        peak[name] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024  # MiB so far
    print(json.dumps({"full_analysis_steps": spent, "peak_rss_mib_after": peak}), file=sys.stderr)


def measure(task: str, path: Path, repeat: int, args: argparse.Namespace) -> dict[str, float]:
    """Run one task in a child process; its best seconds and its peak RSS in MiB."""
    cmd = [sys.executable, "-m", "bench.discovery", "--worker", task, "--path", str(path),
           "--repeat", str(repeat)]  # fmt: skip
    if args.memory_limit:
        cmd += ["--memory-limit", args.memory_limit]
    if args.sql:
        cmd += ["--sql"]
    load_before = os.getloadavg()[0]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, cwd=Path(__file__).resolve().parents[1])
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"{task} on {path} failed ({status})")
    result = json.loads(out.decode().strip().splitlines()[-1])
    seconds = float(result["seconds"])
    load = (load_before, os.getloadavg()[0])
    # CPU seconds of the whole child (start-up included): on a loaded machine they move less
    # than the wall clock, and they show what a measurement costs on both cores together
    cpu = usage.ru_utime + usage.ru_stime
    return {"seconds": seconds, "rss_mib": usage.ru_maxrss / 1024, "load": load, "cpu_s": cpu,
            "steps": result.get("steps") or {}}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--small", type=int, default=1_000_000, help="events for the pm4py comparison")
    p.add_argument("--large", type=int, default=10_000_000, help="events for the bare-scan ratio")
    p.add_argument("--scale", type=int, default=0, help="events for the out-of-core run (opt-in)")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--memory-limit", default="", help="DuckDB memory_limit, e.g. 3GB")
    p.add_argument("--sql", action="store_true", help="sigap without the linear pass (all SQL)")
    p.add_argument("--worker", help=argparse.SUPPRESS)
    p.add_argument("--path", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.worker:
        seconds = worker(args.worker, args.path, args.repeat, args)
        print(json.dumps({"seconds": seconds, "steps": REPORT_STEPS}))
        return 0

    rows: list[tuple[str, int, dict[str, Any], str]] = []

    def row(name: str, events: int, m: dict[str, Any], ratio: str = "") -> None:
        rows.append((name, events, m, ratio))
        print(f"  {name}: {m['seconds']:.3f} s ({m['cpu_s']:.1f} s of CPU in its process), "
              f"peak RSS {m['rss_mib']:.0f} MiB {ratio} "
              f"(load {m['load'][0]:.2f} -> {m['load'][1]:.2f})", file=sys.stderr)  # fmt: skip

    if args.small:
        small = generate(OUT / f"log_{args.small}.parquet", args.small)
        n_small = _count(small)
        pm = measure("pm4py", small, args.repeat, args)
        row("pm4py: performance DFG + variants", n_small, pm)
        sg = measure("sigap-discovery", small, args.repeat, args)
        row("sigap: performance DFG + variants", n_small, sg,
            f"{pm['seconds'] / sg['seconds']:.1f}x faster than pm4py")  # fmt: skip
    if args.large:
        _large(args, row)
    if args.scale:
        _scale(args, row)

    print(f"\n| {'measurement':<58} | {'events':>11} | {'seconds':>8} | {'events/s':>11} | "
          f"{'peak RSS':>9} | load | ratio |")  # fmt: skip
    print(f"|{'-' * 60}|{'-' * 13}|{'-' * 10}|{'-' * 13}|{'-' * 11}|------|-------|")
    for name, events, m, ratio in rows:
        rate = events / m["seconds"]
        load = f"{m['load'][0]:.1f}-{m['load'][1]:.1f}"
        print(f"| {name:<58} | {events:>11,} | {m['seconds']:>8.3f} | {rate:>11,.0f} | "
              f"{m['rss_mib']:>5.0f} MiB | {load} | {ratio} |")  # fmt: skip
    return 0


def _large(args: argparse.Namespace, row: Callable[..., None]) -> None:
    """sigap at 10M events against bare scans of the same file. The scans run before and after
    sigap and the quicker of the two counts (the stricter yardstick when the load moves)."""
    large = generate(OUT / f"log_{args.large}.parquet", args.large)
    n_large = _count(large)
    tasks = ("bare-scan", "bare-minmax", "bare-minmax-3")
    before = [measure(t, large, args.repeat, args) for t in tasks]
    disc = measure("sigap-discovery", large, args.repeat, args)
    full = measure("sigap-full", large, args.repeat, args)
    after = [measure(t, large, args.repeat, args) for t in tasks]
    quickest = [min(b, a, key=lambda m: m["seconds"]) for b, a in zip(before, after, strict=True)]
    scan, minmax, three = quickest
    row("bare DuckDB scan (count, distinct, min, max)", n_large, scan, "1.0x")
    row("bare DuckDB scan (count, min, max only)", n_large, minmax,
        f"{minmax['seconds'] / scan['seconds']:.1f}x")  # fmt: skip
    row("bare scan of seq, activity, ts only (min, max)", n_large, three,
        f"{three['seconds'] / scan['seconds']:.1f}x")  # fmt: skip
    row("sigap: performance DFG + variants", n_large, disc,
        f"{disc['seconds'] / scan['seconds']:.1f}x the scan "
        f"({disc['seconds'] / minmax['seconds']:.1f}x min/max, "
        f"{disc['seconds'] / three['seconds']:.1f}x the 3 columns)")  # fmt: skip
    row("sigap: full analysis (points 3-5)", n_large, full,
        f"{full['seconds'] / scan['seconds']:.1f}x the scan "
        f"({full['seconds'] / minmax['seconds']:.1f}x the min/max scan)")  # fmt: skip


def _scale(args: argparse.Namespace, row: Callable[..., None]) -> None:
    """The full analysis out of core (beyond the in-memory budget: the streaming pass, or the
    SQL with --sql) against a bare scan of the columns it reads, before and after (the quicker
    counts)."""
    huge = generate(OUT / f"log_{args.scale}.parquet", args.scale)
    n_huge = _count(huge)
    how = "SQL" if args.sql else "streaming"
    if args.memory_limit:
        how += f", DuckDB memory_limit {args.memory_limit}"
    before = measure("bare-minmax-all", huge, 1, args)
    full = measure("sigap-full", huge, 1, args)
    report = measure("sigap-report", huge, 1, args)
    after = measure("bare-minmax-all", huge, 1, args)
    scan = min(before, after, key=lambda m: m["seconds"])
    row("bare scan of the 8 columns the analysis reads (min, max)", n_huge, scan, "1.0x")
    row(f"sigap: full analysis, out of core ({how})", n_huge, full,
        f"{full['seconds'] / scan['seconds']:.1f}x the scan "
        f"({full['cpu_s'] / scan['cpu_s']:.1f}x its CPU seconds)")  # fmt: skip
    row(f"sigap: whole build_report, out of core ({how})", n_huge, report,
        f"{report['seconds'] / scan['seconds']:.1f}x the scan "
        f"({report['cpu_s'] / scan['cpu_s']:.1f}x its CPU seconds)")  # fmt: skip
    steps = ", ".join(f"{k} {v:.1f} s" for k, v in report["steps"].items())
    print(f"  build_report per step: {steps}", file=sys.stderr)


def _count(path: Path) -> int:
    import duckdb

    row = duckdb.sql(f"SELECT count(*) FROM read_parquet('{path}')").fetchone()
    assert row is not None
    return int(row[0])


if __name__ == "__main__":
    raise SystemExit(main())
