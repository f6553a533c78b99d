"""The refresh from the operational database: incremental, resumable, idempotent.

The operational tables are made here in SQLite with the columns the refresh reads (their names are
checked against the real migrated schema in the last test).
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sigap.analytics import discovery
from sigap.analytics.engine import DuckDBEngine
from sigap.analytics.refresh import (
    TABLES,
    load_standards,
    partitions,
    read_state,
    refresh_store,
)


@pytest.fixture
def opdb() -> sqlite3.Connection:
    con = sqlite3.connect(":memory:")
    for table, cols in TABLES.items():
        con.execute(f"CREATE TABLE {table} ({', '.join(f'{c!r}' for c in cols)})")
    con.executemany("INSERT INTO catalogue_service VALUES (?, ?)", [(1, "ktp"), (2, "imb")])
    con.execute("INSERT INTO organisation_unit VALUES (1, 'disdukcapil')")
    con.execute("INSERT INTO organisation_employee VALUES (1, '198001012005011001')")
    con.execute("INSERT INTO catalogue_servicestandard VALUES (1, 1, '2025-01-01', 3)")
    con.executemany(
        "INSERT INTO catalogue_procedurestep VALUES (1, ?, ?)", [(2, "verify"), (1, "submit")]
    )
    return con


def add(con: sqlite3.Connection, req: int, seq: int, act: str, ts: str, outcome: str) -> None:
    """Record an event as the write functions would; `verify` is the last step (completes)."""
    status = "completed" if act == "verify" else "in_progress"
    known = "SELECT 1 FROM service_requests_servicerequest WHERE id = ?"
    if not con.execute(known, (req,)).fetchone():
        con.execute(
            "INSERT INTO service_requests_servicerequest VALUES (?, ?, 1, 1, ?, ?)",
            (req, f"R{req}", ts, status),
        )
    con.execute(
        "UPDATE service_requests_servicerequest SET last_event_at = ?, status = ? WHERE id = ?",
        (ts, status, req),
    )
    con.execute(
        "INSERT INTO service_requests_serviceevent VALUES (?, ?, ?, ?, ?, ?)",
        (req, seq, act, ts, 1 if act != "submit" else None, outcome),
    )


def test_first_refresh_then_only_changed_cases(opdb: sqlite3.Connection, tmp_path: Path) -> None:
    add(opdb, 1, 1, "submit", "2025-03-03 01:00:00", "submitted")
    add(opdb, 1, 2, "verify", "2025-03-03 02:00:00", "done")
    add(opdb, 2, 1, "submit", "2025-03-04 01:00:00", "submitted")
    first = refresh_store(opdb, tmp_path, grain="week")
    assert (first.changed_cases, first.changed_events, first.total_events) == (2, 3, 3)
    assert first.watermark == "2025-03-04 01:00:00"

    add(opdb, 2, 2, "verify", "2025-03-05 01:00:00", "done")
    add(opdb, 3, 1, "submit", "2025-03-05 02:00:00", "submitted")
    second = refresh_store(opdb, tmp_path, grain="week")
    assert (second.changed_cases, second.changed_events, second.total_events) == (2, 3, 5)
    assert read_state(tmp_path) == {
        "watermark": "2025-03-05 02:00:00",
        "generation": 2,
        "grain": "week",
    }
    # R2 closed: it left the open partition for the week it started in; R3 is open.
    assert second.rewritten == ("2025-03-03", "open")
    assert [p.name for p in partitions(tmp_path)] == ["2025-03-03.2.parquet", "open.2.parquet"]
    for part in partitions(tmp_path):
        with DuckDBEngine() as eng:
            eng.register_log(part)
            assert eng.linear_pairs  # each partition is a canonical, sorted log

    with DuckDBEngine() as eng:
        eng.register_log(tmp_path / "events.parquet")  # the generation in use, as one log
        dfg = discovery.directly_follows(eng)
        assert dfg.counts() == {("submit", "verify"): 2}
        assert dfg.edge("submit", "verify").mean_s == (3600 + 86400) / 2
        rows = eng.rows(
            "SELECT case_id, seq, resource, lifecycle, service, unit FROM events ORDER BY ALL"
        )
        assert rows[:2] == [
            ("R1", 0, None, "submitted", "ktp", "disdukcapil"),
            ("R1", 1, "198001012005011001", "completed", "ktp", "disdukcapil"),
        ]


def test_a_run_stopped_before_the_watermark_is_redone_the_same(
    opdb: sqlite3.Connection, tmp_path: Path
) -> None:
    add(opdb, 1, 1, "submit", "2025-03-03 01:00:00", "submitted")
    refresh_store(opdb, tmp_path, grain="week")
    (tmp_path / "state.json").unlink()  # as if the run had stopped before writing it
    again = refresh_store(opdb, tmp_path, grain="week")
    assert again.total_events == 1
    with DuckDBEngine() as eng:
        eng.register_log(tmp_path / "events.parquet")
        assert eng.rows("SELECT count(*) FROM events") == [(1,)]


def test_only_the_partitions_a_change_touches_are_rewritten(
    opdb: sqlite3.Connection, tmp_path: Path
) -> None:
    add(opdb, 1, 1, "submit", "2025-03-03 01:00:00", "submitted")
    add(opdb, 1, 2, "verify", "2025-03-03 02:00:00", "done")
    add(opdb, 2, 1, "submit", "2025-03-12 01:00:00", "submitted")
    add(opdb, 2, 2, "verify", "2025-03-12 02:00:00", "done")
    refresh_store(opdb, tmp_path, grain="week")
    old = {p.name.split(".")[0]: p for p in partitions(tmp_path)}
    add(opdb, 3, 1, "submit", "2025-03-13 01:00:00", "submitted")
    again = refresh_store(opdb, tmp_path, grain="week")
    # R2 is read again (its last event is at the watermark's second), so its week is rewritten.
    assert again.rewritten == ("2025-03-10", "open")
    new = {p.name.split(".")[0]: p for p in partitions(tmp_path)}
    assert sorted(new) == ["2025-03-03", "2025-03-10", "open"]
    # The untouched week is the same file (a hard link), not a copy.
    assert new["2025-03-03"].stat().st_ino == old["2025-03-03"].stat().st_ino
    # The previous generation stays readable; the one before it is removed by the next run.
    assert (tmp_path / "events-1").is_dir()
    add(opdb, 3, 2, "verify", "2025-03-13 02:00:00", "done")
    refresh_store(opdb, tmp_path, grain="week")
    assert sorted(p.name for p in tmp_path.glob("events-*")) == ["events-2", "events-3"]
    assert [p.name for p in partitions(tmp_path)] == [
        "2025-03-03.1.parquet",
        "2025-03-10.3.parquet",
    ]


def test_nothing_changed(opdb: sqlite3.Connection, tmp_path: Path) -> None:
    add(opdb, 1, 1, "submit", "2025-03-03 01:00:00", "submitted")
    refresh_store(opdb, tmp_path, grain="week")
    # the watermark's own second is read again (a late commit may share it): same store
    assert refresh_store(opdb, tmp_path, grain="week").total_events == 1


def test_standards_with_their_procedure(opdb: sqlite3.Connection, tmp_path: Path) -> None:
    refresh_store(opdb, tmp_path, grain="week")
    (std,) = load_standards(tmp_path)
    assert (std.service, std.valid_from, std.sla_working_days) == ("ktp", date(2025, 1, 1), 3)
    assert std.procedure == ("submit", "verify")


@pytest.mark.django_db
def test_tables_and_columns_exist_in_the_migrated_schema() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        for table, cols in TABLES.items():
            names = {c.name for c in connection.introspection.get_table_description(cur, table)}
            assert set(cols) <= names, (table, set(cols) - names)


def test_result_tables_after_a_refresh(opdb: sqlite3.Connection, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    from sigap.analytics.performance import PerformanceSettings
    from sigap.analytics.results import RESULTS, write_results

    add(opdb, 1, 1, "submit", "2025-03-03 01:00:00", "submitted")
    add(opdb, 1, 2, "verify", "2025-03-04 02:00:00", "done")
    refresh_store(opdb, tmp_path / "store", grain="week")
    settings = PerformanceSettings(standards=load_standards(tmp_path / "store"))
    with DuckDBEngine() as eng:
        eng.register_log(tmp_path / "store" / "events.parquet")
        paths = write_results(eng, tmp_path / "results", settings, min_cases=1)
    assert set(paths) == set(RESULTS)
    perf = pq.read_table(paths["performance"]).to_pylist()
    assert [(r["unit"], r["service"], r["period"], r["closed"], r["sla_met"]) for r in perf] == [
        ("disdukcapil", "ktp", "2025-03", 1, 1)
    ]


@pytest.mark.django_db
def test_end_to_end_from_the_write_functions(world: Any, ktp_request: Any, tmp_path: Path) -> None:
    """Requests recorded by the real write functions, refreshed through Django's connection (so
    on SQLite and on PostgreSQL), judged by the analytics as the operational model judges them."""
    from django.db import connection

    from sigap.analytics.performance import (
        PerformanceSettings,
        as_of_us,
        case_facts,
        service_performance,
    )
    from sigap.service_requests import services
    from tests import factories
    from tests.conftest import local

    o = world.officer_a
    sr = services.service_request_receive(request=ktp_request, officer=o, at=local(2025, 4, 8, 9))
    sr = services.service_request_complete_step(request=sr, officer=o, at=local(2025, 4, 8, 10))
    sr = services.service_request_return(
        request=sr, officer=o, reason="Fotokopi KK buram", at=local(2025, 4, 8, 11)
    )
    sr = services.service_request_resume(request=sr, officer=o, at=local(2025, 4, 14, 9))
    while sr.current_step is not None:
        sr = services.service_request_complete_step(request=sr, officer=o, at=local(2025, 4, 15, 9))
    assert sr.status == "completed"
    still_open = factories.submit(world, at=local(2025, 4, 15, 8))
    services.service_request_receive(request=still_open, officer=o, at=local(2025, 4, 15, 8, 30))

    result = refresh_store(connection, tmp_path, paramstyle="format", grain="week")
    assert result.changed_cases == 2
    settings = PerformanceSettings(standards=load_standards(tmp_path))
    for fast_path in (True, False):  # per-case facts from the numpy pass, and from the SQL
        with DuckDBEngine(fast_path=fast_path) as eng:
            eng.register_log(tmp_path / "events.parquet")
            (ktp,) = service_performance(eng, ("service",), settings)
            assert (ktp.volume, ktp.closed, ktp.first_time_right) == (2, 1, 0)
            # the same verdict and the same paused working days as the operational model
            assert ktp.sla_met == int(sr.finished_at.date() <= sr.due_date) == 1
            facts = case_facts(eng, settings, as_of_us(eng, None))
            paused = eng.rows(f"SELECT paused_wd FROM {facts} WHERE case_id = '{sr.receipt_code}'")
        assert paused == [(sr.paused_working_days,)] == [(4,)]


@pytest.mark.parametrize(
    ("events", "first", "last", "grain"),
    [
        # 10 M events over two years: ~96,000 a week, weekly files.
        (10_000_000, date(2024, 1, 1), date(2025, 12, 31), "week"),
        # 1 M over two years: ~9,600 a week, ~41,700 a month, ~125,000 a quarter.
        (1_000_000, date(2024, 1, 1), date(2025, 12, 31), "quarter"),
        # 300,000 over two years: ~12,500 a month, ~37,500 a quarter, ~150,000 a year.
        (300_000, date(2024, 1, 1), date(2025, 12, 31), "year"),
        # The demo's size: a year's files.
        (18_000, date(2024, 12, 1), date(2026, 11, 30), "year"),
        # 60,000 events in one week: weekly already.
        (60_000, date(2025, 3, 3), date(2025, 3, 9), "week"),
        # Fewer events than one file's worth: one file (of the year) holds them all.
        (40_000, date(2025, 3, 3), date(2025, 3, 12), "year"),
        (0, None, None, "week"),
    ],
)
def test_choose_grain_gives_files_of_about_the_target_size(events, first, last, grain) -> None:
    from sigap.analytics.refresh import choose_grain

    assert choose_grain(events, first, last) == grain


def test_a_small_new_store_is_cut_by_year_and_keeps_its_grain(
    opdb: sqlite3.Connection, tmp_path: Path
) -> None:
    add(opdb, 1, 1, "submit", "2025-03-03 01:00:00", "submitted")
    add(opdb, 1, 2, "verify", "2025-03-03 02:00:00", "done")
    add(opdb, 2, 1, "submit", "2025-11-04 01:00:00", "submitted")
    add(opdb, 2, 2, "verify", "2025-11-05 01:00:00", "done")
    add(opdb, 3, 1, "submit", "2026-01-05 01:00:00", "submitted")
    refresh_store(opdb, tmp_path)
    assert read_state(tmp_path)["grain"] == "year"
    assert [p.name.split(".")[0] for p in partitions(tmp_path)] == ["2025-01-01", "open"]
    add(opdb, 3, 2, "verify", "2026-01-06 01:00:00", "done")
    # Asked for weeks later, the store keeps the grain it was written with.
    again = refresh_store(opdb, tmp_path, grain="week")
    assert again.rewritten == ("2026-01-01", "open")
    assert read_state(tmp_path)["grain"] == "year"
    with pytest.raises(ValueError, match="grain must be one of"):
        refresh_store(opdb, tmp_path, grain="fortnight")
