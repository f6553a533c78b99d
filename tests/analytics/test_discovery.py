"""Process discovery on a tiny log whose answers are worked out by hand in the comments."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sigap.analytics import discovery
from sigap.analytics.engine import Engine

# Case A: a 00:00, b 01:00, c 03:00      a→b 3600 s, b→c 7200 s
# Case B: a 00:00, c 00:30               a→c 1800 s
# Case C: a 10:00, b 10:30, b 11:00, c 12:00   a→b 1800, b→b 1800, b→c 3600
# Case D: a 09:00, b 09:10, c 09:30 (next day)   a→b 600, b→c 1200
TINY = [
    ("A", "a", "2025-03-03T00:00:00Z"),
    ("A", "b", "2025-03-03T01:00:00Z"),
    ("A", "c", "2025-03-03T03:00:00Z"),
    ("B", "a", "2025-03-03T00:00:00Z"),
    ("B", "c", "2025-03-03T00:30:00Z"),
    ("C", "a", "2025-03-03T10:00:00Z"),
    ("C", "b", "2025-03-03T10:30:00Z"),
    ("C", "b", "2025-03-03T11:00:00Z"),
    ("C", "c", "2025-03-03T12:00:00Z"),
    ("D", "a", "2025-03-04T09:00:00Z"),
    ("D", "b", "2025-03-04T09:10:00Z"),
    ("D", "c", "2025-03-04T09:30:00Z"),
]


@pytest.fixture
def tiny(make_log: Callable[..., Path], duck: Callable[[Path], Engine]) -> Engine:
    return duck(make_log(TINY))


def test_edge_counts_and_durations(tiny: Engine) -> None:
    g = discovery.directly_follows(tiny)
    assert g.counts() == {("a", "b"): 3, ("b", "c"): 3, ("a", "c"): 1, ("b", "b"): 1}
    ab = g.edge("a", "b")  # 3600, 1800, 600
    assert (ab.mean_s, ab.median_s, ab.min_s, ab.max_s) == (2000.0, 1800.0, 600.0, 3600.0)
    assert ab.p90_s == 3240.0  # 1800 + 0.8 * (3600 - 1800)
    bc = g.edge("b", "c")  # 7200, 3600, 1200
    assert (bc.mean_s, bc.median_s, bc.p90_s) == (4000.0, 3600.0, 6480.0)
    assert g.edge("b", "b").mean_s == 1800.0


def test_start_and_end_activities(tiny: Engine) -> None:
    g = discovery.directly_follows(tiny)
    assert g.start_activities == {"a": 4}
    assert g.end_activities == {"c": 4}
    assert (g.cases, g.events) == (4, 12)
    assert g.activities == {"a": 4, "b": 4, "c": 4}


def test_variants_most_frequent_first_with_lead_times(tiny: Engine) -> None:
    v = discovery.variants(tiny)
    assert [(x.activities, x.count) for x in v] == [
        (("a", "b", "c"), 2),
        (("a", "b", "b", "c"), 1),
        (("a", "c"), 1),
    ]
    assert v[0].median_duration_s == 6300.0  # cases A (10800 s) and D (1800 s)
    assert v[1].median_duration_s == 7200.0
    assert v[2].mean_duration_s == 1800.0


def test_rework_counts_repeated_activity(tiny: Engine) -> None:
    assert discovery.rework(tiny) == (
        discovery.Rework(activity="b", cases=1, repeats=1, share_of_cases=0.25),
    )


def test_bottlenecks_ranked_by_waiting_added(tiny: Engine) -> None:
    b = discovery.bottlenecks(tiny)
    # before c: 7200 + 1800 + 3600 + 1200; before b: 3600 + 1800 + 1800 + 600
    assert [(x.activity, x.total_wait_s, x.events) for x in b] == [
        ("c", 13800.0, 4),
        ("b", 7800.0, 4),
    ]
    assert b[0].share_of_waiting == pytest.approx(13800 / 21600)
    assert b[0].median_wait_s == 2700.0


def test_equal_timestamps_keep_file_order(
    make_log: Callable[..., Path], duck: Callable[[Path], Engine]
) -> None:
    eng = duck(make_log([("A", "x", "2025-01-01T08:00:00Z"), ("A", "y", "2025-01-01T08:00:00Z")]))
    assert discovery.directly_follows(eng).counts() == {("x", "y"): 1}


def test_linear_pass_equals_window_on_a_real_log(tmp_path: Path) -> None:
    """DuckDB's sort-free pairs (canonical sorted file) are exactly the window-function pairs."""
    import duckdb

    from sigap.analytics.engine import PAIRS_WINDOW_SQL, SORTED_KEY, SORTED_VALUE, DuckDBEngine
    from sigap.analytics.importers import import_log

    from .conftest import data_file

    big = import_log(data_file("receipt.csv.gz"), tmp_path / "r.parquet", format="csv").path
    # many small row groups, read by parallel threads: order must still be kept
    out = tmp_path / "small-groups.parquet"
    duckdb.sql(
        f"COPY (SELECT * FROM read_parquet('{big}')) TO '{out}' (FORMAT parquet, "
        f"ROW_GROUP_SIZE 500, KV_METADATA {{{SORTED_KEY}: '{SORTED_VALUE}'}})"
    )
    with DuckDBEngine(threads=2) as eng:
        eng.register_log(out)
        assert eng.linear_pairs
        groups = eng.rows(f"SELECT count(DISTINCT row_group_id) FROM parquet_metadata('{out}')")
        assert groups[0][0] >= 4  # DuckDB rounds groups up to 2048 rows
        q = "SELECT * FROM {} ORDER BY case_id, seq"
        assert eng.rows(q.format("pairs")) == eng.rows(q.format(f"({PAIRS_WINDOW_SQL})"))


def test_a_parquet_not_written_by_sigap_falls_back_to_the_window(tmp_path: Path) -> None:
    import duckdb

    from sigap.analytics.engine import DuckDBEngine

    path = tmp_path / "foreign.parquet"
    # not sorted by case: a linear pass would pair B's x with A's x
    duckdb.sql(
        """COPY (SELECT case_id, seq, activity, ts::TIMESTAMPTZ AS ts,
                 NULL::VARCHAR AS resource, NULL::VARCHAR AS lifecycle,
                 NULL::VARCHAR AS service, NULL::VARCHAR AS unit
           FROM (VALUES ('B', 0, 'x', '2025-01-01 00:00:00+00'),
                        ('A', 0, 'x', '2025-01-01 00:00:00+00'),
                        ('A', 1, 'y', '2025-01-01 01:00:00+00')) t(case_id, seq, activity, ts))
        """
        + f"TO '{path}' (FORMAT parquet)"
    )
    with DuckDBEngine() as eng:
        eng.register_log(path)
        assert not eng.linear_pairs
        assert discovery.directly_follows(eng).counts() == {("x", "y"): 1}
