"""Local Spark's fixed overhead against DuckDB, by log size: when is a cluster worth it?

    PYTHONPATH=src .venv/bin/python -m bench.spark_overhead   # --sizes 10000,100000,1000000,5000000

For each size, a log in canonical form (bench.discovery.generate, in bench/out/, reused) and
four measurements, each in its own process (so nothing is warm and each peak RSS is its own):

- **Spark analysis**: start a local[2] session as `sigap analyze --engine spark` does
  (`spark_session`, timed on its own as "session start"), then register the log and run the
  whole report (`build_report`: process map, variants, rework, bottlenecks, conformance,
  service performance overall and by month, backlog, scorecards, what-if);
- **Spark scan**: a fresh session, then one bare scan of the file (count, distinct cases and
  activities, min/max of seq and ts): the least any analysis must pay to read the log;
- **DuckDB analysis** and **DuckDB scan**: the same on `DuckDBEngine`.

Every time is one cold run (no best-of: the first run is what a scheduled job pays). The fixed
overhead is the intercept of a least-squares line of Spark's analysis seconds against events
(and the same for DuckDB); peak RSS of a Spark run is the Python driver's plus the JVM's (read
from /proc before the process ends). The load average (1 min) is printed around each run: on a
shared machine every figure moves with it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from bench.discovery import OUT, PROCEDURE, generate

SCAN_SQL = """SELECT count(*), count(DISTINCT case_id), min(seq), max(seq),
    count(DISTINCT activity), min(ts), max(ts) FROM events"""
TASKS = ("spark-analysis", "spark-scan", "duckdb-analysis", "duckdb-scan")


def _settings() -> Any:
    from sigap.analytics.performance import PerformanceSettings, ServiceStandard

    return PerformanceSettings(
        standards=tuple(ServiceStandard(f"S{i}", date(2020, 1, 1), 5 + i) for i in range(5)),
        timezone="UTC",
        closing_outcomes=("done", "rejected"),  # the generator marks Issue/Reject `done`
    )


def _vm_hwm_mib(pid: int) -> float:
    """Peak resident set of another process (the JVM), from the kernel's own high-water mark."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def worker(task: str, path: str) -> dict[str, float]:
    """One measurement in this (child) process."""
    from sigap.analytics.report import build_report

    out: dict[str, float] = {}
    if task.startswith("spark"):
        from sigap.analytics.engine import SparkEngine, spark_session

        t = time.perf_counter()
        session = spark_session("local[2]")
        session.range(1).count()  # the JVM and the first job really started
        out["start_s"] = time.perf_counter() - t
        eng: Any = SparkEngine(session=session)
    else:
        from sigap.analytics.engine import DuckDBEngine

        eng = DuckDBEngine()
    t = time.perf_counter()
    eng.register_log(path)
    if task.endswith("scan"):
        eng.rows(SCAN_SQL)
    else:
        build_report(eng, source=path, procedure=PROCEDURE, settings=_settings())
    out["seconds"] = time.perf_counter() - t
    if task.startswith("spark"):
        out["jvm_rss_mib"] = _vm_hwm_mib(eng.spark.sparkContext._gateway.proc.pid)
    eng.close()
    return out


def measure(task: str, path: Path) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "bench.spark_overhead", "--worker", task, "--path", str(path)]
    load_before = os.getloadavg()[0]
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert proc.stdout is not None
    text = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"{task} on {path} failed ({status})")
    result: dict[str, Any] = json.loads(text.decode().strip().splitlines()[-1])
    result["rss_mib"] = usage.ru_maxrss / 1024 + result.pop("jvm_rss_mib", 0.0)
    result["load"] = (load_before, os.getloadavg()[0])
    return result


def intercept(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """(intercept, slope) of the least-squares line of ys against xs."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx if sxx else 0.0
    return my - slope * mx, slope


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--sizes", default="10000,100000,1000000,5000000", help="events, a,b,c")
    p.add_argument("--json", type=Path, default=OUT / "spark_overhead.json")
    p.add_argument("--worker", help=argparse.SUPPRESS)
    p.add_argument("--path", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker, args.path)))
        return 0

    rows: list[dict[str, Any]] = []
    for size in (int(s) for s in args.sizes.split(",")):
        path = generate(OUT / f"log_{size}.parquet", size)
        row: dict[str, Any] = {"events": _count(path)}
        for task in TASKS:
            row[task] = measure(task, path)
            m = row[task]
            print(f"{row['events']:>11,} {task:<16} {m['seconds']:8.2f} s "
                  f"(start {m.get('start_s', 0):.1f} s) RSS {m['rss_mib']:.0f} MiB "
                  f"load {m['load'][0]:.1f}->{m['load'][1]:.1f}", file=sys.stderr)  # fmt: skip
        rows.append(row)
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=1))  # kept after each size
    print_table(rows)
    return 0


def print_table(rows: list[dict[str, Any]]) -> None:
    events = [float(r["events"]) for r in rows]
    fits = {
        task: intercept(events, [r[task]["seconds"] for r in rows]) if len(rows) > 1 else (0, 0)
        for task in ("spark-analysis", "duckdb-analysis", "spark-scan")
    }
    print("| events | Spark session start | Spark analysis | DuckDB analysis | Spark / DuckDB "
          "| Spark scan | DuckDB scan | peak RSS Spark / DuckDB | load |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        sa, da = r["spark-analysis"], r["duckdb-analysis"]
        ss, ds = r["spark-scan"], r["duckdb-scan"]
        loads = [x for t in TASKS for x in r[t]["load"]]
        print(f"| {r['events']:,} | {sa['start_s']:.1f} s | {sa['seconds']:.2f} s | "
              f"{da['seconds']:.3f} s | {sa['seconds'] / da['seconds']:.0f}× | "
              f"{ss['seconds']:.2f} s | {ds['seconds']:.3f} s | "
              f"{sa['rss_mib']:,.0f} / {da['rss_mib']:,.0f} MiB | "
              f"{min(loads):.1f}–{max(loads):.1f} |")  # fmt: skip
    for task, (a, b) in fits.items():
        print(f"\n{task}: fixed overhead (intercept) {a:.2f} s, then {b * 1e6:.2f} s per million "
              "events (least squares over the sizes above)", end="")  # fmt: skip
    print()


def _count(path: Path) -> int:
    import duckdb

    row = duckdb.sql(f"SELECT count(*) FROM read_parquet('{path}')").fetchone()
    assert row is not None
    return int(row[0])


if __name__ == "__main__":
    raise SystemExit(main())
