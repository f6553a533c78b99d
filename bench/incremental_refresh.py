"""Incremental refresh: what adding one day of events costs against a full refresh.

    python -m bench.incremental_refresh [--events 10000000] [--work DIR]

Builds an operational source (a SQLite database with the tables and columns
`sigap.analytics.refresh.TABLES` reads) of `--events` events spread over two years (~4.6 events
a request, 40 services in 8 units, 300 officers, returns, pauses and rejections), cut at the
start of the last day. Then:

1. a full refresh: the store from nothing, the per-partition facts and the results (with the
   store's data quality: per-partition partials, merged);
2. one more day of events (new requests and the next steps of open ones) is written to the
   source, as the operational application would;
3. the incremental refresh, timed.

Prints both times, the ratio (target: at most 2 %), the peak RSS and the load average; the
merge of the quality partials alone, and what one pass of `log_quality` over the whole store
(the way the quality was computed before the partials) costs; and checks that the incremental
results equal a full recomputation, the quality equal to that whole-store pass. The source is
kept in `--work` and reused by later runs with the same `--events` (generating 10M events takes
minutes).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sqlite3
import sys
import time
from pathlib import Path

DAYS = 730
EVENTS_PER_REQUEST = 4.6
BASE = "2024-01-01 00:00:00"

# Deterministic from the request number, so the extra day is the same events whatever the cut.
GENERATOR_SQL = """
WITH r AS (SELECT range AS r FROM range({requests})),
steps AS (
  SELECT r, list_concat(
      [['submit', 'submitted'], ['verify', 'done']],
      CASE WHEN hash(r, 2) % 10 = 0 THEN [['verify', 'returned'], ['verify', 'resumed']]
           ELSE [] END,
      CASE WHEN hash(r, 3) % 12 = 0 THEN [['inspect', 'waiting'], ['inspect', 'resumed']]
           ELSE [] END,
      [['approve', 'done']],
      CASE WHEN hash(r, 4) % 4 = 0 THEN [['sign', 'done']] ELSE [] END,
      CASE WHEN hash(r, 5) % 20 = 0 THEN [['approve', 'rejected']] ELSE [['issue', 'done']] END
    ) AS acts,
    TIMESTAMP '{base}' + to_microseconds(
      (r * ({days} * 86400000000 // {requests}))::BIGINT) AS start_ts
  FROM r),
e AS (
  SELECT r, start_ts, unnest(acts) AS a, generate_subscripts(acts, 1) AS seq,
         len(acts) AS n FROM steps),
t AS (
  SELECT r + 1 AS request_id, seq, a[1] AS activity, a[2] AS outcome, n,
         start_ts + to_microseconds(sum(
           CASE WHEN seq = 1 THEN 0 ELSE 600000000 + hash(r, seq) % 90000000000 END
         ) OVER (PARTITION BY r ORDER BY seq)::BIGINT) AS ts,
         CASE WHEN seq = 1 THEN NULL ELSE 1 + hash(r, seq, 7) % 300 END AS officer_id
  FROM e)
SELECT request_id, seq, activity, strftime(ts, '%Y-%m-%d %H:%M:%S') AS timestamp, officer_id,
       outcome, seq = n AS last
FROM t
"""


def _rss_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def _cut(offset_days: int) -> str:
    from datetime import datetime, timedelta

    return (datetime.fromisoformat(BASE) + timedelta(days=offset_days)).strftime(
        "%Y-%m-%d %H:%M:%S"
    )


def build_source(path: Path, events: int) -> None:
    """The operational tables up to the start of the last day (kept for later runs)."""
    import duckdb

    from sigap.analytics.refresh import TABLES

    if path.exists():
        return
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    con.execute("PRAGMA journal_mode = OFF")
    con.execute("PRAGMA synchronous = OFF")
    for table, cols in TABLES.items():
        con.execute(f"CREATE TABLE {table} ({', '.join(f'{c!r}' for c in cols)})")
    con.executemany(
        "INSERT INTO catalogue_service VALUES (?, ?)", [(i, f"S{i:02d}") for i in range(1, 41)]
    )
    con.executemany(
        "INSERT INTO organisation_unit VALUES (?, ?)", [(i, f"U{i}") for i in range(1, 9)]
    )
    con.executemany(
        "INSERT INTO organisation_employee VALUES (?, ?)",
        [(i, f"19800101200501{i:04d}") for i in range(1, 301)],
    )
    con.executemany(
        "INSERT INTO catalogue_servicestandard VALUES (?, ?, '2023-01-01', ?)",
        [(i, i, 3 + i % 5) for i in range(1, 41)],
    )
    con.executemany(
        "INSERT INTO catalogue_procedurestep VALUES (?, ?, ?)",
        [
            (i, k, name)
            for i in range(1, 41)
            for k, name in enumerate(("submit", "verify", "approve", "issue"), 1)
        ],
    )
    requests = int(events / EVENTS_PER_REQUEST)
    duck = duckdb.connect()
    duck.execute(
        f"CREATE VIEW gen AS {GENERATOR_SQL.format(requests=requests, days=DAYS, base=BASE)}"
    )
    _append(con, duck, "0001-01-01", _cut(DAYS - 1))
    con.execute("CREATE INDEX ev_req ON service_requests_serviceevent (request_id)")
    con.execute("CREATE INDEX req_last ON service_requests_servicerequest (last_event_at)")
    con.execute("CREATE UNIQUE INDEX req_id ON service_requests_servicerequest (id)")
    con.commit()
    con.close()
    (path.with_suffix(".requests")).write_text(str(requests))
    os.replace(tmp, path)


def _append(con: sqlite3.Connection, duck: object, after: str, until: str) -> int:
    """Write the generated events in (after, until] and their requests' current state."""
    cur = duck.execute(  # type: ignore[attr-defined]
        f"""SELECT request_id, seq, activity, timestamp, officer_id, outcome FROM gen
        WHERE timestamp > '{after}' AND timestamp <= '{until}'"""
    )
    n = 0
    while rows := cur.fetchmany(200_000):
        con.executemany("INSERT INTO service_requests_serviceevent VALUES (?, ?, ?, ?, ?, ?)", rows)
        n += len(rows)
    state = duck.execute(  # type: ignore[attr-defined]
        f"""SELECT request_id, 'R' || lpad(request_id::VARCHAR, 9, '0'),
               1 + (request_id % 40), 1 + (request_id % 40) % 8, max(timestamp),
               CASE WHEN bool_or(last AND outcome = 'done') THEN 'completed'
                    WHEN bool_or(last AND outcome = 'rejected') THEN 'rejected'
                    ELSE 'in_progress' END
        FROM gen WHERE timestamp <= '{until}' AND request_id IN (
            SELECT DISTINCT request_id FROM gen
            WHERE timestamp > '{after}' AND timestamp <= '{until}')
        GROUP BY request_id"""
    )
    while rows := state.fetchmany(200_000):
        con.executemany(
            "INSERT OR REPLACE INTO service_requests_servicerequest VALUES (?, ?, ?, ?, ?, ?)", rows
        )
    con.commit()
    return n


def _timed(fn: object) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn()  # type: ignore[operator]
    return time.perf_counter() - t, out


def main(argv: list[str] | None = None) -> int:
    import duckdb

    from sigap.analytics.engine import DuckDBEngine
    from sigap.analytics.incremental import DERIVED, derived_dir, store_quality, store_results
    from sigap.analytics.performance import PerformanceSettings
    from sigap.analytics.quality import log_quality
    from sigap.analytics.refresh import load_standards, partitions, refresh_store

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--events", type=int, default=10_000_000)
    p.add_argument("--work", type=Path, default=Path("bench/out/incremental"))
    args = p.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    source = args.work / f"source-{args.events}.sqlite3"
    t = time.perf_counter()
    build_source(source, args.events)
    print(f"source: {source} ({time.perf_counter() - t:.1f} s to build or find)")
    db = args.work / "run.sqlite3"
    shutil.copyfile(source, db)
    store = args.work / "store"
    shutil.rmtree(store, ignore_errors=True)
    con = sqlite3.connect(db)

    def settings() -> PerformanceSettings:
        return PerformanceSettings(standards=load_standards(store))

    # One "now" for every data-quality check of the run, so they can be compared.
    now_us = time.time_ns() // 1000
    full_store, first = _timed(lambda: refresh_store(con, store))
    full_results, _ = _timed(lambda: store_results(store, settings(), now_us=now_us))
    print(
        f"full refresh: {first.total_events:,} events, {first.changed_cases:,} requests; "  # type: ignore[attr-defined]
        f"store {full_store:.2f} s + results {full_results:.2f} s",
        flush=True,
    )

    requests = int((source.with_suffix(".requests")).read_text())
    duck = duckdb.connect()
    duck.execute(
        f"CREATE VIEW gen AS {GENERATOR_SQL.format(requests=requests, days=DAYS, base=BASE)}"
    )
    added = _append(con, duck, _cut(DAYS - 1), _cut(DAYS))
    inc_store, second = _timed(lambda: refresh_store(con, store))
    inc_results, incremental = _timed(lambda: store_results(store, settings(), now_us=now_us))
    print(
        f"one day more: {added:,} events added, {second.changed_cases:,} requests changed, "  # type: ignore[attr-defined]
        f"partitions rewritten {', '.join(second.rewritten)}; "  # type: ignore[attr-defined]
        f"store {inc_store:.2f} s + results {inc_results:.2f} s"
    )
    full = full_store + full_results
    inc = inc_store + inc_results
    print(
        f"RATIO incremental/full = {inc:.2f} s / {full:.2f} s = {100 * inc / full:.2f} % "
        f"(target <= 2 %); analytics part alone {inc_results:.2f} s / {full_results:.2f} s "
        f"= {100 * inc_results / full_results:.2f} %"
    )
    print(f"peak RSS {_rss_mib():.0f} MiB; load average {os.getloadavg()}", flush=True)
    folders = [derived_dir(store, p, settings()) for p in partitions(store)]
    merge, _ = _timed(lambda: store_quality(folders, now_us=now_us))

    def whole_store_quality() -> object:
        with DuckDBEngine() as eng:
            eng.register_log(store / "events.parquet")
            return log_quality(eng, now_us=now_us)

    whole, whole_quality = _timed(whole_store_quality)
    print(
        f"data quality: merge of {len(folders)} partitions' partials {merge:.3f} s (part of the "
        f"incremental results); one pass over the whole store (the previous way) {whole:.2f} s "
        f"= {100 * whole / full:.2f} % of a full refresh; equal: "
        f"{incremental.quality == whole_quality}; load average {os.getloadavg()}",  # type: ignore[attr-defined]
        flush=True,
    )
    # The same results from nothing: every partition derived again.
    shutil.rmtree(store / DERIVED)
    again, recomputed = _timed(lambda: store_results(store, settings(), now_us=now_us))
    same = recomputed == incremental and incremental.quality == whole_quality  # type: ignore[attr-defined]
    print(
        f"results recomputed from scratch in {again:.2f} s: equal to the incremental ones "
        f"(quality equal to the whole-store pass): {same}"
    )
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
