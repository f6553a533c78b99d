"""The numpy linear pass (DuckDB's fast path) gives exactly the SQL's results.

Every comparison runs the same analysis twice on DuckDB, once through `LinearLog` and once as
SQL (`fast_path=False`), and asserts the frozen dataclasses are equal: same edges, counts,
sums, quantiles (DuckDB's interpolation to the bit, then rounded to the microsecond), variants in
the same order with the same median and mean durations.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import numpy as np
import pytest

from sigap.analytics import discovery, linear
from sigap.analytics.delays import step_delays
from sigap.analytics.engine import DuckDBEngine
from sigap.analytics.eventlog import ColumnMapping
from sigap.analytics.importers import import_log
from sigap.analytics.linear import LinearLog
from sigap.analytics.performance import (
    PerformanceSettings,
    ServiceStandard,
    as_of_us,
    backlog,
    case_facts,
    service_performance,
    ts_range,
)
from sigap.analytics.scorecards import officer_scorecards

from . import test_discovery, test_performance
from .conftest import data_file

ROOT = Path(__file__).resolve().parents[2]

DISCOVERY: dict[str, Callable[[DuckDBEngine], object]] = {
    "directly_follows": discovery.directly_follows,
    "variants": discovery.variants,
    "cached_variants": discovery.cached_variants,
    "bottlenecks": discovery.bottlenecks,
    "rework": discovery.rework,
    "step_delays": step_delays,
}


SETTINGS = PerformanceSettings(
    standards=(
        ServiceStandard("KTP", date(2025, 1, 1), 3),  # the performance log's services
        ServiceStandard("IMB", date(2025, 1, 1), 5),
        ServiceStandard("IMB", date(2025, 3, 5), 2),
        *(ServiceStandard(f"S{i}", date(2020, 1, 1), 5 + i) for i in range(4)),  # generated
    ),
    timezone="UTC",
    closing_outcomes=("done", "completed", "rejected"),
)
SCORECARDS: dict[str, Callable[[DuckDBEngine], object]] = {
    # the per-case facts are SQL on both sides; the scorecards read them
    "performance": lambda e: service_performance(e, ("service", "unit", "period"), SETTINGS),
    "performance_by_officer": lambda e: service_performance(e, ("officer",), SETTINGS),
    "backlog": lambda e: backlog(e, ("service", "unit"), SETTINGS),
    "backlog_by_officer": lambda e: backlog(e, ("officer", "period"), SETTINGS),
    "performance_default_settings": lambda e: service_performance(e, ("service",)),
    # as of an earlier time the facts come from the SQL on both sides
    "backlog_as_of_midway": lambda e: backlog(e, ("service",), SETTINGS, as_of=_midway(e)),
    "scorecards": lambda e: officer_scorecards(e, settings=SETTINGS),
    "scorecards_min_1": lambda e: officer_scorecards(e, min_cases=1, settings=SETTINGS),
    "scorecards_min_3": lambda e: officer_scorecards(e, min_cases=3, settings=SETTINGS),
}


def _midway(engine: DuckDBEngine) -> datetime:
    lo, hi = ts_range(engine)
    assert lo is not None and hi is not None
    return datetime.fromtimestamp((lo + hi) // 2 / 1e6, UTC)


def assert_same_as_sql(
    path: Path, *, scorecards: bool = True, fast_engine: DuckDBEngine | None = None
) -> None:
    """`fast_engine`: the engine of the fast side (e.g. one made to stream), default in-memory."""
    analyses = {**DISCOVERY, **(SCORECARDS if scorecards else {})}
    with fast_engine or DuckDBEngine() as fast, DuckDBEngine(fast_path=False) as sql:
        fast.register_log(path)
        sql.register_log(path)
        assert fast.linear_log() is not None
        assert sql.linear_log() is None
        for name, analysis in analyses.items():
            result = analysis(fast)
            assert result == analysis(sql), name
            shown[name] = result
        if scorecards:
            # the per-case facts themselves, row for row (numpy on one side, SQL on the other)
            for settings in (SETTINGS, PerformanceSettings()):
                tables = [case_facts(e, settings, as_of_us(e, None)) for e in (fast, sql)]
                assert fast.memoised(f"table:{tables[0]}") is not None  # built by numpy
                fast_rows, sql_rows = (
                    e.rows(f"SELECT * FROM {t} ORDER BY case_id")
                    for e, t in zip((fast, sql), tables, strict=True)
                )
                assert fast_rows == sql_rows
                shown["facts"] = fast_rows
                assert (
                    len(fast_rows) == fast.rows("SELECT count(DISTINCT case_id) FROM events")[0][0]
                )


shown: dict[str, object] = {}


def test_tiny_log(make_log: Callable[..., Path]) -> None:
    assert_same_as_sql(make_log(test_discovery.TINY))


def test_performance_log(make_log: Callable[..., Path]) -> None:
    assert_same_as_sql(make_log(test_performance.LOG))
    cards = shown["scorecards_min_1"]
    assert isinstance(cards, tuple) and len(cards) > 2  # the comparison saw real scorecards
    assert any(c.sla_cases for c in cards)
    # the facts compared include paused cases, open cases and cases without an officer
    facts = shown["facts"]
    assert isinstance(facts, list)
    assert any(r[12] for r in facts) and any(not r[6] for r in facts)


def test_case_facts_edge_cases(make_log: Callable[..., Path]) -> None:
    """The per-case facts where numpy and SQL could part: two pauses before one resume, a
    pause after the closing event, pause/resume/pause never resumed, a case whose service
    changes (min by string, first seen "Z" then "A"), no service, no officer on the last event,
    no officer at all, a case never closed."""
    ev = test_performance.ev
    rows = [
        ev("A", "submit", 3, "09:00", "ani", "submitted", "Z", "U2"),
        ev("A", "ask", 3, "10:00", "ani", "waiting", "Z", "U2"),
        ev("A", "ask", 4, "10:00", "ani", "returned", "Z", "U2"),
        ev("A", "fix", 6, "10:00", "", "resumed", "A", "U1"),
        ev("A", "issue", 7, "10:00", "", "completed", "KTP", "U1"),
        ev("A", "note", 10, "10:00", "ani", "waiting", "KTP", "U1"),
        ev("B", "submit", 4, "09:00", "", "submitted", "", ""),
        ev("B", "ask", 4, "11:00", "", "waiting", "", ""),
        ev("B", "fix", 5, "11:00", "", "resumed", "", ""),
        ev("B", "ask", 6, "11:00", "", "returned", "", ""),
        ev("B", "issue", 12, "11:00", "", "rejected", "", ""),
        ev("C", "submit", 5, "09:00", "budi", "submitted", "KTP", "U1"),
        ev("C", "ask", 5, "12:00", "budi", "waiting", "KTP", "U1"),
        ev("D", "submit", 6, "09:00", "siti", "submitted", "IMB", "U3"),
        ev("D", "issue", 14, "09:00", "siti", "completed", "IMB", "U3"),
    ]
    assert_same_as_sql(make_log(rows))
    facts = shown["facts"]
    assert isinstance(facts, list) and len(facts) == 4


@pytest.mark.parametrize(
    "name", ["running-example.xes", "roadtraffic100traces.xes", "receipt.csv.gz"]
)
def test_real_logs(name: str, tmp_path: Path) -> None:
    out = tmp_path / "log.parquet"
    fmt = "csv" if name.endswith(".gz") else None
    import_log(data_file(name), out, ColumnMapping(), format=fmt)
    assert_same_as_sql(out)


def test_generated_log_with_rework(tmp_path: Path) -> None:
    """The benchmark's generator: 10 activities, returns and rework, ~3,000 cases."""
    sys.path.insert(0, str(ROOT))
    try:
        from bench.discovery import generate
    finally:
        sys.path.remove(str(ROOT))
    assert_same_as_sql(generate(tmp_path / "gen.parquet", 20_000))
    cards = shown["scorecards_min_3"]  # 5 services × 200 officers, ~15 cases each
    assert isinstance(cards, tuple) and len(cards) > 500
    assert all(c.peers > 1 for c in cards)
    assert any(c.sla_cases for c in cards) and any(not c.sla_cases for c in cards)  # no S4 SLA
    assert any(c.rework_caused for c in cards)


def test_facts_relation_replaced_between_paths(
    make_log: Callable[..., Path], tmp_path: Path
) -> None:
    """One engine, the same log as a canonical file twice (numpy facts, an Arrow table), as a
    file without the sorted mark (SQL facts, a temp table), then canonical again: the per-case
    facts keep one name (same settings, same as_of) and each path replaces the last one's."""
    sorted_log = make_log(test_performance.LOG)
    unmarked = tmp_path / "unmarked.parquet"
    duckdb.sql(f"COPY (SELECT * FROM '{sorted_log}') TO '{unmarked}' (FORMAT parquet)")
    with DuckDBEngine() as eng:
        results = []
        for path in (sorted_log, sorted_log, unmarked, sorted_log):
            eng.register_log(path)
            results.append(service_performance(eng, ("service", "period"), SETTINGS))
            assert (eng.linear_log() is None) == (path == unmarked)
    assert results[0] == results[1] == results[2] == results[3]


def test_duplicate_standards_are_refused() -> None:
    """Two standards for one service from the same day: which is in force is ambiguous (the SQL's
    join would count the case twice, the linear pass once), so the settings are refused."""
    with pytest.raises(
        ValueError, match=r"two service standards of 'KTP' take effect on 2025-01-01"
    ):
        PerformanceSettings(standards=(ServiceStandard("KTP", date(2025, 1, 1), 3),) * 2)
    # Versions from different days are fine.
    PerformanceSettings(
        standards=(
            ServiceStandard("KTP", date(2025, 1, 1), 3),
            ServiceStandard("KTP", date(2025, 6, 1), 5),
        )
    )


def test_rework_without_the_packed_key(
    make_log: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Logs too large to pack (case, activity, seq) into 64 bits take the lexsort: same counts."""
    rows = [
        (case, act, f"2025-03-03T{h:02d}:00:00Z", who, "done", "KTP", "U1")
        for case, acts in {"A": "abab", "B": "aab", "C": "ab", "D": "bba"}.items()
        for h, (act, who) in enumerate(zip(acts, "pqrs", strict=False))
    ]
    path = make_log(rows)
    monkeypatch.setattr(linear, "KEY_BITS", 0)
    assert_same_as_sql(path)
    cards = shown["scorecards_min_1"]
    assert isinstance(cards, tuple)
    # p records only first events (no steps: not shown); A redoes q's b (and p's a)
    assert {(c.officer, c.rework_caused) for c in cards} == {("q", 1), ("r", 0), ("s", 0)}


def test_durations_beyond_the_packed_sort(make_log: Callable[..., Path]) -> None:
    """Cases spanning decades: durations above 2^47 µs take the lexsort, with the same answer."""
    rows = [
        ("A", "a", "1990-01-01T00:00:00Z"), ("A", "b", "2020-01-01T00:00:00Z"),
        ("B", "a", "1990-01-01T00:00:00Z"), ("B", "b", "1990-01-02T00:00:00Z"),
        ("C", "a", "2000-06-01T00:00:00Z"), ("C", "b", "2001-06-01T00:00:00Z"),
        ("C", "a", "2001-06-01T00:00:01Z"),
    ]  # fmt: skip
    path = make_log(rows)
    assert_same_as_sql(path)
    with DuckDBEngine() as eng:
        eng.register_log(path)
        edge = discovery.directly_follows(eng).edge("a", "b")
    assert edge.max_s == (30 * 365 + 7) * 86400  # 1990 → 2020: leap days 1992, 1996 ... 2016
    assert edge.count == 3


def test_sorted_within_falls_back_to_lexsort() -> None:
    groups = np.array([1, 0, 1, 0, 1], np.int64)
    values = np.array([5, -2, 1 << 50, 3, 0], np.int64)
    assert linear._sorted_within(groups, 2, values).tolist() == [-2, 3, 0, 5, 1 << 50]
    small = np.array([5, 2, 24, 3, 0], np.int64)  # fits the packed key
    assert linear._sorted_within(groups, 2, small).tolist() == [2, 3, 0, 5, 24]


def test_quantiles_match_duckdb_to_the_bit() -> None:
    """`_quantile` is DuckDB's quantile_cont, not numpy's (they differ in the last bit)."""
    rng = np.random.default_rng(7)
    con = duckdb.connect()
    for trial in range(60):
        n = int(rng.integers(1, 120))
        values = np.sort(rng.integers(0, 10 ** int(rng.integers(3, 13)), n))
        con.execute("CREATE OR REPLACE TABLE t AS SELECT unnest(?::BIGINT[]) d", [values.tolist()])
        expected = con.execute("SELECT quantile_cont(d, [0.5, 0.9]) FROM t").fetchone()
        assert expected is not None
        offsets, counts = np.array([0]), np.array([n])
        got = [float(linear._quantile(values, offsets, counts, q)[0]) for q in (0.5, 0.9)]
        assert got == list(expected[0]), (trial, n)
        assert not any(math.isnan(x) for x in got)


def test_budget_decides_the_path(make_log: Callable[..., Path]) -> None:
    path = make_log(test_discovery.TINY)
    assert linear.fits(12, None)
    assert not linear.fits(linear.DEFAULT_MAX_EVENTS + 1, None)
    assert linear.fits(1_000, 1_000 * linear.BYTES_PER_EVENT)
    assert not linear.fits(1_001, 1_000 * linear.BYTES_PER_EVENT)
    with DuckDBEngine(memory_limit="1GB") as eng:
        eng.register_log(path)
        assert eng.linear_log() is not None  # 12 events fit 1 GB


def test_only_canonical_logs(tmp_path: Path) -> None:
    """A file without the sorted mark (e.g. several files, or one written by someone else) is
    read with the window form and never by the linear pass."""
    path = tmp_path / "unsorted.parquet"
    duckdb.sql(
        "COPY (SELECT 'A' AS case_id, 0 AS seq, 'a' AS activity, TIMESTAMPTZ '2025-01-01' AS ts,"
        " NULL::VARCHAR AS resource, NULL::VARCHAR AS lifecycle, NULL::VARCHAR AS service,"
        f" NULL::VARCHAR AS unit) TO '{path}' (FORMAT parquet)"
    )
    with DuckDBEngine() as eng:
        eng.register_log(path)
        assert eng.linear_log() is None
        assert discovery.directly_follows(eng).start_activities == {"a": 1}
    assert LinearLog.read(path) is not None  # readable, but not trusted to be sorted
