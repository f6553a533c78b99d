"""Import and discovery time of each log of the public suite (tests/analytics/data/public-suite).

    python -m bench.public_suite            # best of 3 runs per log, a markdown table

Per log: `import_log` (parse, check, sort, write the canonical Parquet) and discovery on DuckDB
(directly-follows graph, variants, rework, bottlenecks), timed together and apart, best of
--repeat runs in this process, with the process's CPU time (all threads) of that run. The
figures (events, cases, activities, edges, variants) are sigap's; the test suite checks they
equal pm4py's reference figures. The machine's load average
is printed: on a shared machine the times move with it.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from sigap.analytics import discovery
from sigap.analytics.engine import DuckDBEngine
from sigap.analytics.importers import import_log

SUITE = Path(__file__).resolve().parents[1] / "tests" / "analytics" / "data" / "public-suite"
LOGS = {  # stored file -> order (the partial-order example has no timestamps)
    "reviewing.xes.gz": "completion",
    "receipt.xes.gz": "completion",
    "interval_event_log.xes.gz": "completion",
    "interval_event_log.csv.gz": "completion",
    "roadtraffic50traces.xes.gz": "completion",
    "running-example.csv.gz": "completion",
    "partial-order-example.xes.gz": "file",
    "fairness/hiring_log_high.xes.gz": "completion",
    "fairness/hospital_log_high.xes.gz": "completion",
    "fairness/lending_log_high.xes.gz": "completion",
    "fairness/renting_log_high.xes.gz": "completion",
}


def run(stored: str, order: str, out: Path) -> tuple[float, float, float, tuple[int, ...]]:
    c0 = time.process_time()
    t0 = time.perf_counter()
    log = import_log(SUITE / stored, out, order=order)
    t1 = time.perf_counter()
    with DuckDBEngine() as engine:
        engine.register_log(log.path)
        dfg = discovery.directly_follows(engine)
        n_variants = len(discovery.variants(engine))
        discovery.rework(engine)
        discovery.bottlenecks(engine)
    t2 = time.perf_counter()
    figures = (dfg.events, dfg.cases, len(dfg.activities), len(dfg.edges), n_variants)
    return t1 - t0, t2 - t1, time.process_time() - c0, figures


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    print("| Log | Order | Events | Cases | Activities | DF edges | Variants | Import s | "
          "Discovery s | Total s | CPU s |")  # fmt: skip
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for i, (stored, order) in enumerate(LOGS.items()):
            runs = [run(stored, order, Path(tmp) / f"{i}.parquet") for _ in range(args.repeat)]
            imp, disc, cpu, figures = min(runs, key=lambda r: r[0] + r[1])
            cells = " | ".join(f"{n:,}" for n in figures)
            print(f"| `{stored}` | {order} | {cells} | {imp:.2f} | {disc:.2f} | "
                  f"{imp + disc:.2f} | {cpu:.2f} |")  # fmt: skip
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
