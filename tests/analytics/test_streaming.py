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
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from sigap.analytics import discovery, streaming
from sigap.analytics.engine import DuckDBEngine
from sigap.analytics.linear import LinearLog
from sigap.analytics.performance import as_of_us, sla_flags
from sigap.analytics.report import build_report
from sigap.analytics.scorecards import officer_scorecards
from sigap.analytics.streaming import StreamingLog

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
