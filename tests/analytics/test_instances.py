"""Activity instances: start/complete pairs and interval events, service and waiting times.

The hand log is written straight to canonical Parquet (with `transition` and `start_ts`), every
expected number worked out in the comments; the public logs are checked against pm4py.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sigap.analytics.engine import SORTED_KEY, SORTED_VALUE, DuckDBEngine, Engine
from sigap.analytics.instances import (
    InstanceStats,
    InstanceSummary,
    activity_instances,
    instance_summary,
)

from .conftest import data_file

BASE = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
Row = tuple[str, str, int, str | None, int | None]
"""case, activity, minutes after BASE, transition, start minutes after BASE (interval events)"""


def at(minutes: int | None) -> datetime | None:
    return None if minutes is None else BASE + timedelta(minutes=minutes)


def write_canonical(path: Path, rows: Sequence[Row]) -> Path:
    """A canonical log: rows grouped by case in the order given (seq 0, 1, ...), sorted footer."""
    seqs: dict[str, int] = {}
    numbered = []
    for case, activity, minutes, transition, start in rows:
        seqs[case] = seqs.get(case, -1) + 1
        numbered.append((case, seqs[case], activity, at(minutes), transition, at(start)))
    numbered.sort(key=lambda r: (r[0], r[1]))
    ts_type = pa.timestamp("us", tz="UTC")
    cols = list(zip(*numbered, strict=True))
    nulls = pa.nulls(len(numbered), pa.string())
    table = pa.table(
        {
            "case_id": pa.array(cols[0], pa.string()),
            "seq": pa.array(cols[1], pa.int32()),
            "activity": pa.array(cols[2], pa.string()),
            "ts": pa.array(cols[3], ts_type),
            "resource": nulls,
            "lifecycle": nulls,
            "service": nulls,
            "unit": nulls,
            "transition": pa.array(cols[4], pa.string()),
            "start_ts": pa.array(cols[5], ts_type),
        }
    ).replace_schema_metadata({SORTED_KEY: SORTED_VALUE})
    pq.write_table(table, path)
    return path


HAND = [
    # Case A, life-cycle transitions:
    ("A", "register", 0, "start", None),
    ("A", "register", 10, "complete", None),  # register 600 s; the case's first: no waiting
    ("A", "check", 20, "schedule", None),  # other transition: counted, ignored
    ("A", "check", 30, "start", None),
    ("A", "check", 40, "START", None),  # a second start (case does not matter)
    ("A", "check", 60, "complete", None),  # first in first out: 08:30-09:00, 1800 s;
    #                                        waits 08:30 - 08:10 = 1200 s
    ("A", "check", 90, "complete", None),  # 08:40-09:30, 3000 s; starts before the previous
    #                                        instance completes (09:00): waits 0
    ("A", "decide", 120, "complete", None),  # no start before it: an unmatched complete
    ("A", "decide", 130, "start", None),
    ("A", "decide", 160, "complete", None),  # 10:10-10:40, 1800 s; waits 10:10 - 09:30 = 2400 s
    ("A", "archive", 180, "start", None),  # never completed: an unmatched start
    # Case B, an interval log's events (start time on the event):
    ("B", "register", 80, None, 60),  # 09:00-09:20, 1200 s; first: no waiting
    ("B", "check", 120, None, 110),  # 09:50-10:00, 600 s; waits 09:50 - 09:20 = 1800 s
    ("B", "check", 140, None, 120),  # 10:00-10:20, 1200 s; waits 0
    ("B", "decide", 180, None, None),  # one time only: not an instance, not counted
]

EXPECTED = (
    InstanceStats(
        activity="archive", instances=0, from_start_times=0, from_transitions=0,
        unmatched_starts=1, unmatched_completes=0, other_transitions=0,
        service_mean_s=None, service_median_s=None, service_p90_s=None,
        waiting_instances=0, waiting_mean_s=None, waiting_median_s=None,
        service_total_s=0.0, waiting_total_s=0.0,
    ),
    # services 600, 1200, 1800, 3000: mean 1650, median 1500, p90 1800 + 0.7 * 1200 = 2640;
    # waiting 0, 0, 1200, 1800: mean 750, median 600
    InstanceStats(
        activity="check", instances=4, from_start_times=2, from_transitions=2,
        unmatched_starts=0, unmatched_completes=0, other_transitions=1,
        service_mean_s=1650.0, service_median_s=1500.0, service_p90_s=2640.0,
        waiting_instances=4, waiting_mean_s=750.0, waiting_median_s=600.0,
        service_total_s=6600.0, waiting_total_s=3000.0,
    ),
    InstanceStats(
        activity="decide", instances=1, from_start_times=0, from_transitions=1,
        unmatched_starts=0, unmatched_completes=1, other_transitions=0,
        service_mean_s=1800.0, service_median_s=1800.0, service_p90_s=1800.0,
        waiting_instances=1, waiting_mean_s=2400.0, waiting_median_s=2400.0,
        service_total_s=1800.0, waiting_total_s=2400.0,
    ),
    # services 600, 1200: p90 600 + 0.9 * 600 = 1140; both first of their case: no waiting
    InstanceStats(
        activity="register", instances=2, from_start_times=1, from_transitions=1,
        unmatched_starts=0, unmatched_completes=0, other_transitions=0,
        service_mean_s=900.0, service_median_s=900.0, service_p90_s=1140.0,
        waiting_instances=0, waiting_mean_s=None, waiting_median_s=None,
        service_total_s=1800.0, waiting_total_s=0.0,
    ),
)  # fmt: skip


def open_duck(path: Path) -> Engine:
    engine = DuckDBEngine()
    engine.register_log(path)
    return engine


def test_hand_log(tmp_path: Path) -> None:
    with open_duck(write_canonical(tmp_path / "hand.parquet", HAND)) as engine:
        assert activity_instances(engine) == EXPECTED
        summary = instance_summary(engine)
    # service 1800 + 6600 + 1800 = 10200 s, waiting 3000 + 2400 = 5400 s: 10200 / 15600
    assert summary == InstanceSummary(
        instances=7, from_start_times=3, from_transitions=4, unmatched_starts=1,
        unmatched_completes=1, other_transitions=1, service_total_s=10200.0,
        waiting_total_s=5400.0, service_share=round(10200 / 15600, 10),
        waiting_share=round(5400 / 15600, 10),
    )  # fmt: skip


def test_pairing_is_first_in_first_out_with_unmatched_completes(tmp_path: Path) -> None:
    # complete (no start yet: unmatched), start 10, start 20, complete 30 (with the start at 10),
    # complete 50 (with the start at 20), complete 60 (none open: unmatched)
    rows: list[Row] = [
        ("C", "a", 0, "complete", None),
        ("C", "a", 10, "start", None),
        ("C", "a", 20, "start", None),
        ("C", "a", 30, "complete", None),
        ("C", "a", 50, "complete", None),
        ("C", "a", 60, "complete", None),
    ]
    with open_duck(write_canonical(tmp_path / "fifo.parquet", rows)) as engine:
        (a,) = activity_instances(engine)
    # services 20 min and 30 min; the second starts (00:20) before the first completes: waits 0
    assert (a.instances, a.unmatched_starts, a.unmatched_completes) == (2, 0, 2)
    assert (a.service_mean_s, a.service_total_s) == (1500.0, 3000.0)
    assert (a.waiting_instances, a.waiting_total_s) == (1, 0.0)


def test_logs_without_instances_give_none(tmp_path: Path) -> None:
    plain: list[Row] = [("A", "a", 0, None, None), ("A", "b", 5, None, None)]
    completes: list[Row] = [("A", "a", 0, "complete", None), ("A", "b", 5, "complete", None)]
    for name, rows in (("plain", plain), ("completes", completes)):
        with open_duck(write_canonical(tmp_path / f"{name}.parquet", rows)) as engine:
            assert activity_instances(engine) == ()
            assert instance_summary(engine) is None


def test_logs_without_the_optional_columns(tmp_path: Path) -> None:
    # A canonical file written before `transition` and `start_ts` existed reads them as NULL.
    path = write_canonical(tmp_path / "full.parquet", [("A", "a", 0, None, None)])
    old = tmp_path / "old.parquet"
    table = pq.read_table(path).drop_columns(["transition", "start_ts"])
    pq.write_table(table, old)
    with open_duck(old) as engine:
        # no query at all: the file has neither column, so there is nothing to scan for
        engine.rows = None  # type: ignore[assignment,method-assign]
        assert activity_instances(engine) == ()


# --- against pm4py -------------------------------------------------------------------------


def interval_log(out: Path) -> Path:
    """interval_event_log.csv as a canonical log in completion order (ties in file order)."""
    src = str(data_file("public-suite/interval_event_log.csv")).replace("'", "''")
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(
        f"""COPY (
            SELECT case_id, CAST(row_number() OVER (PARTITION BY case_id ORDER BY ts, row)
                                 - 1 AS INTEGER) AS seq,
                   activity, ts, NULL::VARCHAR AS resource, NULL::VARCHAR AS lifecycle,
                   NULL::VARCHAR AS service, NULL::VARCHAR AS unit,
                   NULL::VARCHAR AS transition, start_ts
            FROM (SELECT "case:concept:name" AS case_id, "concept:name" AS activity,
                         CAST("time:timestamp" AS TIMESTAMPTZ) AS ts,
                         CAST(start_timestamp AS TIMESTAMPTZ) AS start_ts,
                         row_number() OVER () AS row
                  FROM read_csv('{src}', all_varchar = true))
            ORDER BY case_id, seq)
        TO '{out}' (FORMAT parquet, KV_METADATA {{{SORTED_KEY}: '{SORTED_VALUE}'}})"""
    )
    con.close()
    return out


def test_interval_log(tmp_path: Path) -> None:
    with open_duck(interval_log(tmp_path / "interval.parquet")) as engine:
        stats = activity_instances(engine)
        summary = instance_summary(engine)
    assert summary is not None
    # 8,109 events, each with a start time: 8,109 instances; the 1,266 cases' first ones wait
    # for nothing before them
    assert (summary.instances, summary.from_start_times, summary.from_transitions) == (
        8109, 8109, 0,
    )  # fmt: skip
    assert sum(s.waiting_instances for s in stats) == 8109 - 1266
    assert summary.unmatched_starts == summary.unmatched_completes == 0
    assert all(s.service_median_s is not None and s.service_median_s >= 0 for s in stats)


def test_interval_log_service_times_match_pm4py(tmp_path: Path) -> None:
    pm4py = pytest.importorskip("pm4py")
    import pandas as pd

    df = pd.read_csv(data_file("public-suite/interval_event_log.csv"))
    df = pm4py.format_dataframe(
        df, case_id="case:concept:name", activity_key="concept:name",
        timestamp_key="time:timestamp", start_timestamp_key="start_timestamp",
    )  # fmt: skip
    expected = {
        measure: pm4py.get_service_time(
            df, aggregation_measure=measure, start_timestamp_key="start_timestamp"
        )
        for measure in ("mean", "median")
    }
    with open_duck(interval_log(tmp_path / "interval.parquet")) as engine:
        stats = activity_instances(engine)
    assert {s.activity for s in stats} == set(expected["mean"])
    for s in stats:
        assert s.service_mean_s == pytest.approx(expected["mean"][s.activity], abs=1e-6)
        assert s.service_median_s == pytest.approx(expected["median"][s.activity], abs=1e-6)


def test_reviewing_pairs_match_pm4py(tmp_path: Path) -> None:
    pm4py = pytest.importorskip("pm4py")
    from pm4py.objects.log.util import interval_lifecycle

    df = pm4py.read_xes(str(data_file("public-suite/reviewing.xes")))
    # The canonical log: completion order within a case, ties in file order (as imported).
    df = df.reset_index(drop=True)
    df["row"] = range(len(df))
    df = df.sort_values(["case:concept:name", "time:timestamp", "row"], kind="stable")
    rows: list[tuple[object, ...]] = []
    seqs: dict[str, int] = {}
    for case, act, ts, tr in zip(
        df["case:concept:name"], df["concept:name"], df["time:timestamp"],
        df["lifecycle:transition"], strict=True,
    ):  # fmt: skip
        seqs[case] = seqs.get(case, -1) + 1
        rows.append((case, seqs[case], act, ts.to_pydatetime(), tr))
    rows.sort(key=lambda r: (r[0], r[1]))
    cols = list(zip(*rows, strict=True))
    ts_type = pa.timestamp("us", tz="UTC")
    nulls = pa.nulls(len(rows), pa.string())
    path = tmp_path / "reviewing.parquet"
    pq.write_table(
        pa.table(
            {
                "case_id": pa.array(cols[0], pa.string()), "seq": pa.array(cols[1], pa.int32()),
                "activity": pa.array(cols[2], pa.string()), "ts": pa.array(cols[3], ts_type),
                "resource": nulls, "lifecycle": nulls, "service": nulls, "unit": nulls,
                "transition": pa.array(cols[4], pa.string()),
                "start_ts": pa.nulls(len(rows), ts_type),
            }
        ).replace_schema_metadata({SORTED_KEY: SORTED_VALUE}),
        path,
    )  # fmt: skip
    with open_duck(path) as engine:
        stats = {s.activity: s for s in activity_instances(engine)}

    # pm4py's pairing over the same event order; it turns a complete without a start into a
    # zero-length instance (no "@@startevent_" attributes), which sigap counts as unmatched.
    log = pm4py.convert_to_event_log(df.drop(columns=["row"]))
    durations: dict[str, list[float]] = {}
    lone: dict[str, int] = {}
    for trace in interval_lifecycle.to_interval(log):
        for event in trace:
            act = event["concept:name"]
            if "@@startevent_concept:name" in event:
                seconds = (event["time:timestamp"] - event["start_timestamp"]).total_seconds()
                durations.setdefault(act, []).append(seconds)
            else:
                lone[act] = lone.get(act, 0) + 1
    assert {a for a, s in stats.items() if s.instances} == set(durations)
    for act, values in durations.items():
        assert stats[act].instances == len(values), act
        assert stats[act].service_mean_s == pytest.approx(sum(values) / len(values), abs=1e-6)
    assert {a: s.unmatched_completes for a, s in stats.items() if s.unmatched_completes} == lone
    # 1,452 starts and 2,278 completes in the file (README); every start is completed
    assert sum(s.from_transitions for s in stats.values()) == 1452
    assert sum(s.unmatched_completes for s in stats.values()) == 2278 - 1452
