"""The streaming pass (the linear pass chunk by chunk, for logs beyond the memory budget) gives
exactly the SQL's results.

Each log is rewritten with row groups of a few rows and read in chunks of a few rows, so chunk
boundaries fall inside cases, a case spans three chunks or more, and single-event cases sit at
the edges; then every analysis is compared with the SQL (`fast_path=False`) as in
`test_linear.py`: discovery, per-case facts row for row, service performance, backlog, scorecards.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sigap.analytics import discovery, streaming, whatif
from sigap.analytics.delays import plan_delays, step_delays
from sigap.analytics.engine import SORTED_KEY, SORTED_VALUE, DuckDBEngine
from sigap.analytics.linear import LinearLog
from sigap.analytics.performance import as_of_us, case_facts, sla_flags
from sigap.analytics.quality import DataQuality, log_quality, plan_quality
from sigap.analytics.report import build_report
from sigap.analytics.scorecards import officer_scorecards
from sigap.analytics.streaming import StreamingLog
from sigap.analytics.whatif import plan_what_if, what_if

from . import test_discovery, test_performance
from .test_linear import ROOT, SETTINGS, assert_same_as_sql, shown


def small_groups(path: Path, rows_per_group: int) -> Path:
    """The same canonical log (its sorted mark kept), in row groups of `rows_per_group` rows."""
    out = path.with_name(f"{path.stem}_rg{rows_per_group}.parquet")
    pq.write_table(pq.read_table(path), out, row_group_size=rows_per_group)
    assert pq.ParquetFile(out).metadata.num_row_groups > 1
    return out


def streaming_engine(chunk_rows: int) -> DuckDBEngine:
    return DuckDBEngine(max_in_memory_events=0, chunk_rows=chunk_rows)


def assert_streams_like_sql(path: Path, *, rows_per_group: int, chunk_rows: int) -> None:
    log = small_groups(path, rows_per_group)
    with streaming_engine(chunk_rows) as eng:
        eng.register_log(log)
        assert isinstance(eng.linear_log(), StreamingLog)
    assert_same_as_sql(log, fast_engine=streaming_engine(chunk_rows))


# A case of one event first and last, a long case across several chunks, cases of one event
# between longer ones; rework (b twice), returns and pauses, officers and services.
MIXED = [
    ("A", "a", "2025-03-03T08:00:00Z", "p", "submitted", "KTP", "U1"),
    *[
        ("B", act, f"2025-03-{3 + i // 3:02d}T{9 + i % 3:02d}:00:00Z", who, outcome, "KTP", "U1")
        for i, (act, who, outcome) in enumerate(
            [
                ("a", "p", "submitted"),
                ("b", "q", "done"),
                ("c", "r", "waiting"),
                ("d", "q", "resumed"),
                ("b", "q", "done"),
                ("c", "r", "returned"),
                ("d", "s", "resumed"),
                ("b", "q", "done"),
                ("e", "r", "completed"),
            ]
        )
    ],
    ("C", "a", "2025-03-04T08:00:00Z", "p", "submitted", "IMB", "U2"),
    ("D", "a", "2025-03-04T09:00:00Z", "p", "submitted", "IMB", "U2"),
    ("D", "b", "2025-03-05T09:00:00Z", "q", "done", "IMB", "U2"),
    ("D", "e", "2025-03-10T09:00:00Z", "", "rejected", "IMB", "U2"),
    ("E", "a", "2025-03-05T09:00:00Z", "", "submitted", "", ""),
    ("E", "b", "2025-03-05T10:00:00Z", "q", "", "", ""),
    ("F", "z", "2025-03-11T09:00:00Z", "s", "submitted", "KTP", "U1"),
]


@pytest.mark.parametrize(("rows_per_group", "chunk_rows"), [(1, 1), (2, 3), (3, 7), (5, 4)])
def test_mixed_log(make_log: Callable[..., Path], rows_per_group: int, chunk_rows: int) -> None:
    assert_streams_like_sql(make_log(MIXED), rows_per_group=rows_per_group, chunk_rows=chunk_rows)
    cards = shown["scorecards_min_1"]
    assert isinstance(cards, tuple) and any(c.rework_caused for c in cards)
    facts = shown["facts"]
    assert isinstance(facts, list) and len(facts) == 6


def test_tiny_log(make_log: Callable[..., Path]) -> None:
    assert_streams_like_sql(make_log(test_discovery.TINY), rows_per_group=2, chunk_rows=2)


def test_performance_log(make_log: Callable[..., Path]) -> None:
    assert_streams_like_sql(make_log(test_performance.LOG), rows_per_group=3, chunk_rows=5)


def test_generated_log(tmp_path: Path) -> None:
    """The benchmark's generator (~3,000 cases) in chunks of ~1,000 rows: many chunks, every
    scorecard part added up across them."""
    sys.path.insert(0, str(ROOT))
    try:
        from bench.discovery import generate
    finally:
        sys.path.remove(str(ROOT))
    path = generate(tmp_path / "gen.parquet", 20_000)
    assert_streams_like_sql(path, rows_per_group=500, chunk_rows=1_000)
    cards = shown["scorecards_min_3"]
    assert isinstance(cards, tuple) and len(cards) > 500


def test_durations_beyond_the_packed_keys_take_the_sql(make_log: Callable[..., Path]) -> None:
    """A case spanning decades does not fit the packed keys (±2.2 years): the SQL answers."""
    path = small_groups(
        make_log(
            [
                ("A", "a", "1990-01-01T00:00:00Z"),
                ("A", "b", "2020-01-01T00:00:00Z"),
                ("B", "a", "1990-01-01T00:00:00Z"),
            ]
        ),
        1,
    )
    with streaming_engine(1) as eng:
        eng.register_log(path)
        assert eng.linear_log() is None
        assert discovery.directly_follows(eng).edge("a", "b").count == 1


def test_budget_decides_the_stream() -> None:
    assert streaming.fits(10**9, None)
    assert streaming.fits(1_000, 1_000 * streaming.BYTES_PER_EVENT)
    assert not streaming.fits(1_001, 1_000 * streaming.BYTES_PER_EVENT)


def test_scorecards_in_a_pass_of_their_own(make_log: Callable[..., Path]) -> None:
    """Flags other than the facts pass's (here copies) make the scorecards read the file
    themselves: the same rows as the in-memory pass."""
    path = small_groups(make_log(MIXED), 2)
    with streaming_engine(3) as eng, DuckDBEngine() as mem:
        for e in (eng, mem):
            e.register_log(path)
            officer_scorecards(e, min_cases=1, settings=SETTINGS)
        stream, lin = eng.linear_log(), mem.linear_log()
        assert isinstance(stream, StreamingLog) and isinstance(lin, LinearLog)
        judged, met = sla_flags(eng, SETTINGS, as_of_us(eng, None))
        assert judged.any() and met.any()
        repeated = stream.repeated()
        assert repeated == ["b", "c", "d"]
        for min_cases in (1, 2):
            expected = lin.scorecard_rows(judged, met, min_cases, repeated)
            assert stream.scorecard_rows(judged.copy(), met.copy(), min_cases, repeated) == expected
            assert stream.scorecard_rows(judged, met, min_cases, repeated) == expected


def test_build_report_on_the_stream(make_log: Callable[..., Path]) -> None:
    """The whole report (what-if and conformance included) from the streaming engine equals the
    one from the SQL."""
    path = small_groups(make_log(MIXED), 2)
    reports = []
    for eng in (streaming_engine(3), DuckDBEngine(fast_path=False)):
        with eng:
            eng.register_log(path)
            reports.append(
                build_report(
                    eng, source="log", procedure=("a", "b", "e"), settings=SETTINGS, min_cases=1
                )
            )
            assert isinstance(eng.linear_log(), StreamingLog) == (eng.fast_path is True)
    assert reports[0] == reports[1]
    assert reports[0].scorecards and reports[0].conformance is not None


def _at(day: int, hour: int = 9, year: int = 2025) -> datetime:
    return datetime(year, 1, 1, hour, tzinfo=UTC) + timedelta(days=day)


# case, activity, ts, resource, transition, start_ts: duplicates with and without the transition,
# ties, a case whose time goes back (its tie and duplicate are not neighbours in the file), a
# future event, a start after its end, cases all at one instant, a case of 1.5 years, NULLs, an
# activity seen once; case ids not in string order (c10 before c9) and more than `EXAMPLES` hits.
QUALITY = [
    ("c1", "a", _at(0), "x", "start", None),
    ("c1", "a", _at(0), "x", "complete", None),
    ("c1", "b", _at(0, 10), None, "complete", _at(0, 9)),
    ("c1", "b", _at(0, 10), None, "complete", _at(0, 11)),
    ("c2", "a", _at(1), "y", None, None),
    ("c2", "c", _at(3), "y", None, None),
    ("c2", "a", _at(1), "y", None, None),
    ("c2", "b", _at(2), None, None, None),
    ("c3", "a", _at(700), "y", None, None),
    ("c3", "b", _at(700), "z", None, None),
    ("c4", "a", _at(1), "z", None, _at(2)),
    ("c5", "a", _at(0), None, None, None),
    ("c5", "b", _at(550), None, None, None),
    ("c6", "once", _at(5), "x", "start", None),
    ("c6", "a", _at(5), "x", "start", None),
    *[(f"c{i}", act, _at(i, h), "x", None, None)
      for i in (10, 9, 11, 12, 13, 14, 15) for act, h in (("a", 9), ("b", 9))],
    ("c7", "a", _at(2), "x", None, None),
]  # fmt: skip
NOW = int(_at(600).timestamp() * 1e6)


def write_sorted(path: Path, rows: list[tuple[Any, ...]], *, optional: bool) -> Path:
    """Rows in file order as a canonical log (seq numbered per case, marked sorted)."""
    seq: list[int] = []
    for i, r in enumerate(rows):
        seq.append(seq[-1] + 1 if i and rows[i - 1][0] == r[0] else 0)
    ts = pa.timestamp("us", tz="UTC")
    cols: dict[str, pa.Array] = {
        "case_id": pa.array([r[0] for r in rows], pa.string()),
        "seq": pa.array(seq, pa.int32()),
        "activity": pa.array([r[1] for r in rows], pa.string()),
        "ts": pa.array([r[2] for r in rows], ts),
        "resource": pa.array([r[3] for r in rows], pa.string()),
        "lifecycle": pa.array([None] * len(rows), pa.string()),
        "service": pa.array(["S" if i % 3 else None for i in range(len(rows))], pa.string()),
        "unit": pa.array(["U"] * len(rows), pa.string()),
    }
    if optional:
        cols["transition"] = pa.array([r[4] for r in rows], pa.string())
        cols["start_ts"] = pa.array([r[5] for r in rows], ts)
    table = pa.table(cols).replace_schema_metadata({SORTED_KEY: SORTED_VALUE})
    pq.write_table(table, path, row_group_size=2)
    return path


def assert_same_quality(path: Path, chunk_rows: int, **options: Any) -> DataQuality:
    with streaming_engine(chunk_rows) as stream, DuckDBEngine(fast_path=False) as sql:
        for e in (stream, sql):
            e.register_log(path)
        assert isinstance(stream.linear_log(), StreamingLog)
        got = log_quality(stream, now_us=NOW, **options)
        assert got == log_quality(sql, now_us=NOW, **options)
    return got


@pytest.mark.parametrize("optional", [True, False])
@pytest.mark.parametrize("chunk_rows", [1, 3, 7, 100])
def test_quality_on_the_stream(tmp_path: Path, optional: bool, chunk_rows: int) -> None:
    path = write_sorted(tmp_path / "q.parquet", QUALITY, optional=optional)
    dq = assert_same_quality(path, chunk_rows, max_span_years=1)
    # the comparison saw every check hit
    assert (dq.duplicates.count, dq.duplicates.cases) == (3, 2)
    assert (dq.ties.count, dq.ties.cases) == (12, 11)
    assert dq.ties.examples == ("c1", "c10", "c11", "c12", "c13")
    assert dq.long_cases.examples == ("c5",)
    assert (dq.out_of_range.count, dq.out_of_range.examples) == (2, ("c3",))
    assert dq.zero_length_cases.count == 9
    assert dq.single_activities.examples == ("c", "once")
    assert dq.column("resource").missing == 5
    assert dq.column("resource").examples == ("c1", "c2", "c5")
    if optional:
        assert dq.duplicates_with_transition is not None
        assert dq.duplicates_with_transition.count == 2
        assert dq.start_after_end is not None and dq.start_after_end.count == 2
    else:
        assert dq.column("transition").examples == ("c1", "c10", "c11", "c12", "c13")
    assert_same_quality(path, chunk_rows)


def test_quality_of_other_logs_on_the_stream(make_log: Callable[..., Path], tmp_path: Path) -> None:
    for path in (small_groups(make_log(MIXED), 2), small_groups(make_log(test_performance.LOG), 3)):
        assert_same_quality(path, 4)
    sys.path.insert(0, str(ROOT))
    try:
        from bench.discovery import generate
    finally:
        sys.path.remove(str(ROOT))
    generated = small_groups(generate(tmp_path / "gen.parquet", 20_000), 500)
    dq = assert_same_quality(generated, 1_000)
    assert dq.column("lifecycle").missing > 0


@pytest.mark.parametrize("cut", [1, 1.0, 0.5, 0.25, 0.125, 0.3])
def test_replay_aggregates_as_duckdb(cut: float) -> None:
    """The what-if's aggregates from numpy equal DuckDB's over the same per-case sums (HUGEINT,
    as the SQL's), on random values: averages, medians and 90th percentiles, DECIMAL or not."""
    rng = np.random.default_rng(7)
    con = duckdb.connect()
    scale = whatif._decimals(cut)
    assert scale is not None
    for _ in range(150):
        n = int(rng.integers(1, 80))
        big = 10 ** int(rng.integers(8, 14))
        lead = rng.integers(-(10**9), big, n)
        saved = np.where(rng.random(n) < 0.6, rng.integers(0, big // 10, n), 0)
        con.register("cases", pa.table({"lead_us": lead, "saved_us": saved}))
        expected = con.execute(
            f"""WITH per_case AS (SELECT CAST(lead_us AS HUGEINT) AS lead_us,
                CAST(saved_us AS HUGEINT) AS saved_us FROM cases),
            replay AS (SELECT lead_us, lead_us - {cut!r} * saved_us AS after_us, saved_us
                FROM per_case)
            SELECT count(*), count(CASE WHEN saved_us > 0 THEN 1 END),
                avg(lead_us), avg(after_us), median(lead_us), median(after_us),
                quantile_cont(lead_us, 0.9), quantile_cont(after_us, 0.9)
            FROM replay"""
        ).fetchone()
        assert expected is not None
        got = whatif._replay(lead, saved, cut, scale, whatif._lead_stats(lead))
        if got is None:  # beyond 2^53 once scaled: the SQL answers
            assert max(lead.max(), saved.max()) * 10**scale >= 2**53
            continue
        assert [float(x) for x in got] == [float(x) for x in expected]


@pytest.mark.parametrize("chunk_rows", [1, 4, 100])
def test_what_if_on_the_stream(
    make_log: Callable[..., Path], tmp_path: Path, chunk_rows: int
) -> None:
    """Every activity removed or cut, on logs with cases that start with it, do it twice or go
    back in time: the same as the SQL; a cut written with many decimals takes the SQL."""
    logs = [small_groups(make_log(MIXED), 2),
            write_sorted(tmp_path / "q.parquet", QUALITY, optional=False)]  # fmt: skip
    for path in logs:
        with streaming_engine(chunk_rows) as stream, DuckDBEngine(fast_path=False) as sql:
            for e in (stream, sql):
                e.register_log(path)
            assert isinstance(stream.linear_log(), StreamingLog)
            names = [r[0] for r in sql.rows("SELECT DISTINCT activity FROM events")]
            for activity in [*names, "absent"]:
                for cut in (1, 1.0, 0.5, 0.25, 1e-05):
                    got = what_if(stream, activity, cut=cut)
                    assert got == what_if(sql, activity, cut=cut), (activity, cut)


def test_analyses_ride_along_the_facts_pass(make_log: Callable[..., Path]) -> None:
    """Planned before the per-case facts pass, data quality, step delays and what-if are added
    up during it (no pass of their own) and equal the SQL's."""
    path = small_groups(make_log(MIXED), 2)
    with streaming_engine(3) as stream, DuckDBEngine(fast_path=False) as sql:
        for e in (stream, sql):
            e.register_log(path)
        lin = stream.linear_log()
        assert isinstance(lin, StreamingLog)
        riders = [plan_quality(stream, NOW), plan_delays(stream, SETTINGS),
                  plan_what_if(stream, ["b", "e"], cut=0.5)]  # fmt: skip
        assert not any(r is None or r.complete for r in riders)
        case_facts(stream, SETTINGS, as_of_us(stream, None))
        assert all(r is not None and r.complete for r in riders)
        lin.chunks = None  # type: ignore[method-assign]  # no pass may read the file now
        assert log_quality(stream, now_us=NOW) == log_quality(sql, now_us=NOW)
        assert step_delays(stream, SETTINGS) == step_delays(sql, SETTINGS)
        for activity in ("b", "e"):
            assert what_if(stream, activity, cut=0.5) == what_if(sql, activity, cut=0.5)
