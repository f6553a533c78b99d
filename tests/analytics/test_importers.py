"""Importers: every format gives the same canonical log; bad input fails and loads nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sigap.analytics.eventlog import ColumnMapping, EventLogError
from sigap.analytics.importers import import_log

from .conftest import data_file, write_csv

MAP = ColumnMapping(case="case", activity="activity", timestamp="timestamp", resource="resource")
HEADER = ("case", "activity", "timestamp", "resource")
ROWS = [
    ("R1", "submit", "2025-03-03T08:00:00+07:00", "citizen"),
    ("R1", "verify", "2025-03-03T10:30:00+07:00", "budi"),
    ("R2", "submit", "2025-03-04T09:00:00+07:00", "citizen"),
]


def canonical(path: Path) -> list[tuple[object, ...]]:
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    sql = f"SELECT case_id, seq, activity, ts, resource FROM read_parquet('{path}')"
    return con.execute(sql).fetchall()


EXPECTED = [
    ("R1", 0, "submit", datetime(2025, 3, 3, 1, 0, tzinfo=UTC), "citizen"),
    ("R1", 1, "verify", datetime(2025, 3, 3, 3, 30, tzinfo=UTC), "budi"),
    ("R2", 0, "submit", datetime(2025, 3, 4, 2, 0, tzinfo=UTC), "citizen"),
]


def test_csv_is_sorted_and_in_utc(tmp_path: Path) -> None:
    src = write_csv(tmp_path / "log.csv", [ROWS[2], ROWS[0], ROWS[1]], HEADER)
    info = import_log(src, tmp_path / "out.parquet", MAP)
    assert (info.events, info.cases, info.activities) == (3, 2, 2)
    assert canonical(info.path) == EXPECTED


def test_xlsx_and_parquet_give_the_same_log(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADER)
    for r in ROWS:
        ws.append(r)
    wb.save(tmp_path / "log.xlsx")
    pq.write_table(
        pa.table(dict(zip(HEADER, zip(*ROWS, strict=True), strict=True))), tmp_path / "log.parquet"
    )
    for name in ("log.xlsx", "log.parquet"):
        out = import_log(tmp_path / name, tmp_path / f"{name}.out.parquet", MAP).path
        assert canonical(out) == EXPECTED, name


def test_xlsx_datetime_cells_read_in_the_given_zone(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADER)
    ws.append(("R1", "submit", datetime(2025, 3, 3, 8, 0), "citizen"))
    wb.save(tmp_path / "log.xlsx")
    mapping = ColumnMapping(
        case="case",
        activity="activity",
        timestamp="timestamp",
        resource="resource",
        timezone="Asia/Jakarta",
    )
    out = import_log(tmp_path / "log.xlsx", tmp_path / "out.parquet", mapping).path
    assert canonical(out)[0][3] == datetime(2025, 3, 3, 1, 0, tzinfo=UTC)


def test_timestamp_format_for_local_exports(tmp_path: Path) -> None:
    src = write_csv(tmp_path / "log.csv", [("R1", "submit", "03/03/2025 08:00", "x")], HEADER)
    mapping = ColumnMapping(
        case="case",
        activity="activity",
        timestamp="timestamp",
        resource="resource",
        timestamp_format="%d/%m/%Y %H:%M",
        timezone="Asia/Makassar",
    )
    out = import_log(src, tmp_path / "out.parquet", mapping).path
    assert canonical(out)[0][3] == datetime(2025, 3, 3, 0, 0, tzinfo=UTC)


def test_mixed_utc_offsets_are_normalised(tmp_path: Path) -> None:
    # receipt.csv switches from +02:00 to +01:00 at the end of daylight saving time
    out = import_log(data_file("receipt.csv.gz"), tmp_path / "r.parquet", format="csv").path
    first = canonical(out)[0]
    assert first[:3] == ("case-10011", 0, "Confirmation of receipt")
    assert first[3] == datetime(2011, 10, 11, 11, 45, 40, 276000, tzinfo=UTC)  # 13:45:40.276+02:00


def test_xes_trace_attributes_become_case_columns(tmp_path: Path) -> None:
    info = import_log(data_file("running-example.xes"), tmp_path / "re.parquet")
    assert (info.events, info.cases, info.activities) == (42, 6, 8)
    rows = canonical(info.path)
    assert rows[0] == (
        "1",
        0,
        "register request",
        datetime(2010, 12, 30, 10, 2, tzinfo=UTC),
        "Pete",
    )


# --- bad input: a clear error naming file, row and column; nothing half-loaded -----------------


def fails(
    tmp_path: Path,
    rows: list[tuple[str, ...]],
    mapping: ColumnMapping = MAP,
    header: tuple[str, ...] = HEADER,
) -> EventLogError:
    src = write_csv(tmp_path / "bad.csv", rows, header)
    out = tmp_path / "out.parquet"
    out.write_bytes(b"previous good log")
    with pytest.raises(EventLogError) as info:
        import_log(src, out, mapping)
    assert out.read_bytes() == b"previous good log"  # untouched
    assert not list(tmp_path.glob(".out.parquet.*"))  # no temporary left over
    err = info.value
    assert "bad.csv" in str(err)
    return err


def test_misnamed_column_is_named_with_a_suggestion(tmp_path: Path) -> None:
    err = fails(tmp_path, ROWS, header=("case", "activty", "timestamp", "resource"))
    assert err.column == "activity"
    assert "did you mean 'activty'" in str(err)


def test_missing_optional_column_that_was_asked_for(tmp_path: Path) -> None:
    mapping = ColumnMapping(
        case="case", activity="activity", timestamp="timestamp", resource="officer"
    )
    err = fails(tmp_path, ROWS, mapping)
    assert err.column == "officer"


def test_unparseable_timestamp_names_row_and_value(tmp_path: Path) -> None:
    rows = [ROWS[0], ("R1", "verify", "2025-02-30T10:00:00+07:00", "budi")]
    err = fails(tmp_path, rows)
    assert (err.row, err.column) == (2, "timestamp")
    assert "2025-02-30" in str(err)


def test_mixed_time_zones_are_refused(tmp_path: Path) -> None:
    rows = [ROWS[0], ROWS[1], ("R2", "submit", "2025-03-04 09:00:00", "citizen")]
    err = fails(tmp_path, rows)
    assert (err.row, err.column) == (3, "timestamp")
    assert "mixed time zones" in str(err)


def test_empty_log(tmp_path: Path) -> None:
    err = fails(tmp_path, [])
    assert "no events" in str(err)


def test_empty_case_id(tmp_path: Path) -> None:
    err = fails(tmp_path, [ROWS[0], ("", "verify", "2025-03-03T10:30:00+07:00", "budi")])
    assert (err.row, err.column) == (2, "case")


def test_duplicate_event(tmp_path: Path) -> None:
    err = fails(tmp_path, [ROWS[0], ROWS[1], ROWS[2], ROWS[1]])
    assert err.row == 4
    assert "duplicate" in str(err) and "row 2" in str(err)


def test_case_going_back_in_time(tmp_path: Path) -> None:
    rows = [ROWS[1], ROWS[2], ROWS[0]]  # R1 verify 10:30 then R1 submit 08:00
    err = fails(tmp_path, rows)
    assert (err.row, err.column) == (3, "timestamp")
    assert "goes back in time" in str(err) and "row 1" in str(err)


def test_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(EventLogError, match="unknown log format"):
        import_log(tmp_path / "log.txt", tmp_path / "out.parquet")


def test_broken_xes_names_the_event(tmp_path: Path) -> None:
    src = tmp_path / "bad.xes"
    src.write_text('<log><trace><event><string key="concept:name" value="a"/></event><event>')
    with pytest.raises(EventLogError) as info:
        import_log(src, tmp_path / "out.parquet")
    assert "bad.xes" in str(info.value) and info.value.row == 2
