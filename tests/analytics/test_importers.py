"""Importers: every format gives the same canonical log; bad input fails and loads nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sigap.analytics import discovery
from sigap.analytics.engine import DuckDBEngine
from sigap.analytics.eventlog import (
    CANONICAL_COLUMNS,
    OPTIONAL_COLUMNS,
    ColumnMapping,
    EventLogError,
)
from sigap.analytics.importers import MAX_DIMENSIONS, duplicate_events, import_log

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


def test_empty_log(tmp_path: Path) -> None:
    err = fails(tmp_path, [])
    assert "no events" in str(err)


def test_empty_case_id(tmp_path: Path) -> None:
    err = fails(tmp_path, [ROWS[0], ("", "verify", "2025-03-03T10:30:00+07:00", "budi")])
    assert (err.row, err.column) == (2, "case")


def test_case_going_back_in_time_is_refused_in_strict_order(tmp_path: Path) -> None:
    rows = [ROWS[1], ROWS[2], ROWS[0]]  # R1 verify 10:30 then R1 submit 08:00
    src = write_csv(tmp_path / "bad.csv", rows, HEADER)
    with pytest.raises(EventLogError) as info:
        import_log(src, tmp_path / "out.parquet", MAP, strict_order=True)
    err = info.value
    assert (err.row, err.column) == (3, "timestamp")
    assert "case 'R1' goes back in time" in str(err) and "row 1" in str(err)
    assert not (tmp_path / "out.parquet").exists()


def test_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(EventLogError, match="unknown log format"):
        import_log(tmp_path / "log.txt", tmp_path / "out.parquet")


def test_broken_xes_names_the_event(tmp_path: Path) -> None:
    src = tmp_path / "bad.xes"
    src.write_text('<log><trace><event><string key="concept:name" value="a"/></event><event>')
    with pytest.raises(EventLogError) as info:
        import_log(src, tmp_path / "out.parquet")
    assert "bad.xes" in str(info.value) and info.value.row == 2


# --- real logs: read the way the field reads them ---------------------------------------------


def rows_of(path: Path, columns: str = "case_id, seq, activity, ts, resource") -> list[tuple]:
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    return con.execute(f"SELECT {columns} FROM read_parquet('{path}')").fetchall()


def test_exact_duplicates_are_kept_by_default_and_dropped_when_asked(tmp_path: Path) -> None:
    src = write_csv(tmp_path / "log.csv", [ROWS[0], ROWS[1], ROWS[2], ROWS[1]], HEADER)
    kept = import_log(src, tmp_path / "kept.parquet", MAP)
    assert kept.events == 4 and kept.notes.duplicates_dropped == 0
    assert duplicate_events(kept.path) == 1
    assert [r[:3] for r in rows_of(kept.path)] == [
        ("R1", 0, "submit"), ("R1", 1, "verify"), ("R1", 2, "verify"), ("R2", 0, "submit"),
    ]  # fmt: skip
    dropped = import_log(src, tmp_path / "dropped.parquet", MAP, drop_duplicates=True)
    assert dropped.events == 3 and dropped.notes.duplicates_dropped == 1
    assert rows_of(dropped.path) == EXPECTED
    assert duplicate_events(dropped.path) == 0


def test_the_same_step_at_the_same_time_by_another_officer_is_no_duplicate(
    tmp_path: Path,
) -> None:
    rows = [ROWS[0], ROWS[1], ("R1", "verify", "2025-03-03T10:30:00+07:00", "sari")]
    info = import_log(write_csv(tmp_path / "l.csv", rows, HEADER), tmp_path / "o.parquet", MAP,
                      drop_duplicates=True)  # fmt: skip
    assert info.events == 3 and info.notes.duplicates_dropped == 0


def test_events_are_sorted_by_time_within_a_case_ties_in_file_order(tmp_path: Path) -> None:
    rows = [
        ("R1", "verify", "2025-03-03T10:30:00+07:00", "budi"),
        ("R2", "submit", "2025-03-04T09:00:00+07:00", "citizen"),
        ("R1", "submit", "2025-03-03T08:00:00+07:00", "citizen"),
        ("R1", "pay", "2025-03-03T10:30:00+07:00", "citizen"),  # ties with verify: after it
        ("R2", "verify", "2025-03-04T09:00:00+07:00", "budi"),
    ]
    info = import_log(write_csv(tmp_path / "l.csv", rows, HEADER), tmp_path / "o.parquet", MAP)
    assert [r[:3] for r in rows_of(info.path)] == [
        ("R1", 0, "submit"), ("R1", 1, "verify"), ("R1", 2, "pay"),
        ("R2", 0, "submit"), ("R2", 1, "verify"),
    ]  # fmt: skip
    assert info.notes.out_of_order_cases == 1
    assert info.notes.out_of_order_examples == ("R1",)
    assert info.notes.order == "completion" and info.notes.source_rows == 5
    meta = pq.ParquetFile(info.path).metadata.metadata
    assert meta[b"sigap_sorted"] == b"case_id,seq"


def test_file_order_keeps_the_file_order(tmp_path: Path) -> None:
    rows = [ROWS[1], ROWS[2], ROWS[0]]
    info = import_log(write_csv(tmp_path / "l.csv", rows, HEADER), tmp_path / "o.parquet", MAP,
                      order="file")  # fmt: skip
    assert [r[:3] for r in rows_of(info.path)] == [
        ("R1", 0, "verify"), ("R1", 1, "submit"), ("R2", 0, "submit"),
    ]  # fmt: skip
    assert info.notes.order == "file" and info.notes.out_of_order_cases == 0


def test_unknown_order_is_a_value_error(tmp_path: Path) -> None:
    src = write_csv(tmp_path / "l.csv", ROWS, HEADER)
    with pytest.raises(ValueError, match="unknown event order"):
        import_log(src, tmp_path / "o.parquet", MAP, order="random")


INTERVAL_HEADER = ("case", "activity", "timestamp", "start")
INTERVAL_MAP = ColumnMapping(case="case", activity="activity", timestamp="timestamp",
                             resource=None, start_timestamp="start")  # fmt: skip
INTERVALS = [  # b starts after a but completes before it
    ("C1", "a", "2025-01-01 10:00:00+00:00", "2025-01-01 08:00:00+00:00"),
    ("C1", "b", "2025-01-01 09:30:00+00:00", "2025-01-01 09:00:00+00:00"),
    ("C1", "c", "2025-01-01 11:00:00+00:00", ""),
]


def test_start_timestamps_are_read_and_order_start_sorts_by_them(tmp_path: Path) -> None:
    src = write_csv(tmp_path / "l.csv", INTERVALS, INTERVAL_HEADER)
    completion = import_log(src, tmp_path / "c.parquet", INTERVAL_MAP)
    assert [r[0] for r in rows_of(completion.path, "activity")] == ["b", "a", "c"]
    assert completion.notes.out_of_order_cases == 1  # listed a, b: b completes first
    assert completion.notes.paired_instances == 2  # the events carrying a start time
    starts = rows_of(completion.path, "activity, start_ts")
    assert starts[0] == ("b", datetime(2025, 1, 1, 9, 0, tzinfo=UTC))
    assert starts[2] == ("c", None)
    start = import_log(src, tmp_path / "s.parquet", INTERVAL_MAP, order="start")
    assert [r[0] for r in rows_of(start.path, "activity")] == ["a", "b", "c"]
    assert start.notes.out_of_order_cases == 0


def test_unparseable_start_timestamp_names_its_column(tmp_path: Path) -> None:
    rows = [INTERVALS[0], ("C1", "b", "2025-01-01 09:30:00+00:00", "soon")]
    err = fails(tmp_path, rows, INTERVAL_MAP, INTERVAL_HEADER)
    assert (err.row, err.column) == (2, "start")


def test_xes_transitions_are_read_lower_case_and_paired(tmp_path: Path) -> None:
    src = tmp_path / "t.xes"
    ev = (
        '<event><string key="concept:name" value="{}"/><string key="lifecycle:transition" '
        'value="{}"/><date key="time:timestamp" value="2025-01-01T0{}:00:00+00:00"/></event>'
    )
    events = [("a", "START", 1), ("a", "Complete", 2), ("b", "complete", 3), ("a", "start", 4)]
    body = "".join(ev.format(*e) for e in events)
    src.write_text(f'<log><trace><string key="concept:name" value="1"/>{body}</trace></log>')
    info = import_log(src, tmp_path / "o.parquet")
    assert [r[0] for r in rows_of(info.path, "transition")] == [
        "start",
        "complete",
        "complete",
        "start",
    ]
    assert info.notes.paired_instances == 1  # a start..complete; b has no start, a's 2nd no end


def test_question_mark_timestamps_need_file_order(tmp_path: Path) -> None:
    rows = [("R1", "S", "?", "x"), ("R1", "a", "?", "x"), ("R2", "S", "", "x")]
    src = write_csv(tmp_path / "bad.csv", rows, HEADER)
    with pytest.raises(EventLogError) as info:
        import_log(src, tmp_path / "o.parquet", MAP)
    assert (info.value.row, info.value.column) == (1, "timestamp")
    assert "3 events have no timestamp" in str(info.value) and "--order file" in str(info.value)
    ok = import_log(src, tmp_path / "o.parquet", MAP, order="file")
    assert ok.notes.missing_timestamps == 3
    assert rows_of(ok.path, "case_id, seq, activity, ts") == [
        ("R1", 0, "S", None), ("R1", 1, "a", None), ("R2", 0, "S", None),
    ]  # fmt: skip


def test_partial_order_example_in_file_order_has_no_durations(tmp_path: Path) -> None:
    info = import_log(data_file("public-suite/partial-order-example.xes.gz"),
                      tmp_path / "p.parquet", order="file")  # fmt: skip
    assert (info.events, info.cases, info.notes.missing_timestamps) == (25, 5, 25)
    with DuckDBEngine() as engine:
        engine.register_log(info.path)
        dfg = discovery.directly_follows(engine)
        assert len(dfg.edges) == 11
        assert all(e.mean_s is None and e.median_s is None for e in dfg.edges)
        assert all(v.mean_duration_s is None for v in discovery.variants(engine))
        assert discovery.bottlenecks(engine) == ()
        assert discovery.rework(engine) == ()


def test_naive_timestamps_are_read_in_the_zone_and_counted(tmp_path: Path) -> None:
    rows = [ROWS[0], ROWS[1], ("R2", "submit", "2025-03-04 09:00:00", "citizen")]
    mapping = ColumnMapping(case="case", activity="activity", timestamp="timestamp",
                            resource="resource", timezone="Asia/Jakarta")  # fmt: skip
    info = import_log(write_csv(tmp_path / "l.csv", rows, HEADER), tmp_path / "o.parquet",
                      mapping)  # fmt: skip
    assert rows_of(info.path) == EXPECTED  # 09:00 in Jakarta is 02:00 UTC, like +07:00
    assert info.notes.naive_timestamps == 1
    assert info.notes.timezone_assumed == "Asia/Jakarta"


def test_nested_and_list_attributes_are_ignored_and_named(tmp_path: Path) -> None:
    src = tmp_path / "n.xes"
    src.write_text(
        '<log xmlns="http://www.xes-standard.org/"><trace>'
        '<string key="concept:name" value="1"/>'
        '<list key="tags"><values><string key="t" value="x"/></values></list>'
        '<event><string key="concept:name" value="a"/>'
        '<date key="time:timestamp" value="2025-01-01T00:00:00Z"/>'
        '<container key="box"><string key="inside" value="y"/></container>'
        '<string key="note" value="kept"><string key="meta" value="z"/></string>'
        '<boolean key="urgent" value="true"/><int key="n" value="3"/></event>'
        "</trace></log>"
    )
    info = import_log(src, tmp_path / "o.parquet")
    assert set(info.notes.ignored_attributes) == {"case:tags", "box", "note/meta"}
    assert info.events == 1


def test_case_attributes_are_kept_as_dimensions(tmp_path: Path) -> None:
    info = import_log(data_file("public-suite/running-example.csv.gz"), tmp_path / "r.parquet",
                      format="csv")  # fmt: skip
    names = pq.read_schema(info.path).names
    assert names == [*CANONICAL_COLUMNS, *OPTIONAL_COLUMNS, "case:creator"]
    assert {r[0] for r in rows_of(info.path, '"case:creator"')} == {"Fluxicon Nitro"}


def test_xes_trace_attributes_are_dimensions(tmp_path: Path) -> None:
    info = import_log(data_file("public-suite/fairness/lending_log_high.xes.gz"),
                      tmp_path / "l.parquet")  # fmt: skip
    names = pq.read_schema(info.path).names
    assert "case:protected" in names and "case:german speaking" in names
    assert "case:concept:name" not in names  # the case id itself
    assert set(rows_of(info.path, 'DISTINCT "case:protected"')) == {("true",), ("false",)}


def test_too_many_dimensions_are_capped_and_named(tmp_path: Path) -> None:
    header = (*HEADER, *(f"case:d{i}" for i in range(MAX_DIMENSIONS + 2)))
    rows = [(*r, *("v" for _ in range(MAX_DIMENSIONS + 2))) for r in ROWS]
    info = import_log(write_csv(tmp_path / "l.csv", rows, header), tmp_path / "o.parquet", MAP)
    names = pq.read_schema(info.path).names
    assert len(names) == len(CANONICAL_COLUMNS) + len(OPTIONAL_COLUMNS) + MAX_DIMENSIONS
    assert info.notes.ignored_attributes == (
        f"case:d{MAX_DIMENSIONS}",
        f"case:d{MAX_DIMENSIONS + 1}",
    )


def test_log_without_case_activity_and_timestamp_names_all_three(tmp_path: Path) -> None:
    with pytest.raises(EventLogError) as info:
        import_log(data_file("public-suite/composite_list_attributes.xes.gz"),
                   tmp_path / "o.parquet")  # fmt: skip
    message = str(info.value)
    for part in ("case 'case:concept:name'", "activity 'concept:name'",
                 "timestamp 'time:timestamp'", "the columns are []"):  # fmt: skip
        assert part in message


@pytest.mark.parametrize(
    ("name", "text", "row", "column"),
    [
        ("ragged.csv", "case,activity,timestamp\n1,a,2025-01-01\n2,b,2025-01-02,x,y\n", None, None),
        ("date.csv", "case,activity,timestamp\n1,a,2025-01-01\n1,b,2025-13-45\n", 2, "timestamp"),
        ("empty.csv", "case,activity,timestamp\n1,,2025-01-01\n", 1, "activity"),
        ("header.csv", "", None, None),
        ("tag.xes", "<log><trace><event><string key='concept:name' value='a'></event>", 1, None),
        ("binary.xes.gz", "not gzip at all", None, None),
        ("date.xes", "<log><trace><string key='concept:name' value='1'/><event><string "
         "key='concept:name' value='a'/><date key='time:timestamp' value='monday'/></event>"
         "</trace></log>", 1, "time:timestamp"),
    ],
)  # fmt: skip
def test_malformed_files_give_a_clear_error(
    tmp_path: Path, name: str, text: str, row: int | None, column: str | None
) -> None:
    src = tmp_path / name
    src.write_text(text)
    mapping = ColumnMapping(case="case", activity="activity", timestamp="timestamp",
                            resource=None) if name.endswith(".csv") else None  # fmt: skip
    with pytest.raises(EventLogError) as info:
        import_log(src, tmp_path / "o.parquet", mapping)
    assert name in str(info.value)
    if row is not None:
        assert info.value.row == row
    if column is not None:
        assert info.value.column == column
