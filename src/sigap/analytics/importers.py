"""Read CSV, XLSX, Parquet and XES (IEEE 1849) event logs into the canonical sorted Parquet log.

Parsing is left to well-kept readers (DuckDB's CSV and Parquet readers, openpyxl, lxml); this module
only maps columns, checks the rows and writes the canonical file. Any problem raises
`EventLogError` naming the file, row and column, and the output file is written atomically, so a
bad file never leaves a half-loaded log behind.
"""

from __future__ import annotations

import difflib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from sigap.analytics.engine import SORTED_KEY, SORTED_VALUE
from sigap.analytics.eventlog import CANONICAL_COLUMNS, ColumnMapping, EventLogError

FORMATS = ("csv", "xlsx", "parquet", "xes")
# A time of day followed by an offset: "...12:00:00+07:00", "...12:00Z", "...12:00:00.5 +0700".
_OFFSET_RE = r"\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}(:?\d{2})?)$"
_ROW = "__row"


@dataclass(frozen=True, slots=True)
class ImportedLog:
    """Where the canonical log was written and what it holds."""

    path: Path
    events: int
    cases: int
    activities: int


def detect_format(path: str | Path) -> str:
    name = Path(path).name.lower()
    for suffix in (".gz", ".zst"):
        name = name.removesuffix(suffix)
    ext = name.rsplit(".", 1)[-1]
    if ext in FORMATS:
        return ext
    raise EventLogError(f"unknown log format {ext!r}; expected one of {FORMATS}", file=path)


def import_log(
    source: str | Path,
    out: str | Path,
    mapping: ColumnMapping | None = None,
    *,
    format: str | None = None,
) -> ImportedLog:
    """Read `source` (csv/xlsx/parquet/xes), check it, and write the canonical log to `out`."""
    source = Path(source)
    out = Path(out)
    mapping = mapping or ColumnMapping()
    fmt = format or detect_format(source)
    if not source.exists():
        raise EventLogError("file not found", file=source)
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        _load_raw(con, source, fmt)
        select = _canonical_select(con, source, mapping)
        _check(con, source, mapping)
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
        os.close(fd)
        try:
            con.execute(
                f"COPY ({select} ORDER BY case_id, seq) TO '{_sql_str(tmp)}' "
                "(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880, "
                f"KV_METADATA {{{SORTED_KEY}: '{SORTED_VALUE}'}})"
            )
            os.replace(tmp, out)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        row = con.execute(
            "SELECT count(*), count(DISTINCT case_id), count(DISTINCT activity) "
            f"FROM read_parquet('{_sql_str(str(out))}')"
        ).fetchone()
        assert row is not None
        return ImportedLog(path=out, events=row[0], cases=row[1], activities=row[2])
    finally:
        con.close()


def _sql_str(s: str | Path) -> str:
    return str(s).replace("'", "''")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _load_raw(con: duckdb.DuckDBPyConnection, source: Path, fmt: str) -> None:
    """Create table `raw`: every source column as VARCHAR plus `__row` (1-based data row)."""
    src = _sql_str(source)
    try:
        if fmt == "csv":
            con.execute(
                f"CREATE TABLE raw0 AS SELECT * FROM read_csv('{src}', all_varchar = true, "
                "header = true)"
            )
            con.execute(f"CREATE TABLE raw AS SELECT rowid + 1 AS {_ROW}, * FROM raw0")
        elif fmt == "parquet":
            cols = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{src}')").fetchall()
            casts = ", ".join(f"CAST({_ident(c[0])} AS VARCHAR) AS {_ident(c[0])}" for c in cols)
            con.execute(
                f"CREATE TABLE raw AS SELECT file_row_number + 1 AS {_ROW}, {casts} "
                f"FROM read_parquet('{src}', file_row_number = true)"
            )
        elif fmt == "xlsx":
            con.register("raw_arrow", _read_xlsx(source))
            con.execute("CREATE TABLE raw AS SELECT * FROM raw_arrow")
        elif fmt == "xes":
            con.register("raw_arrow", _read_xes(source))
            con.execute("CREATE TABLE raw AS SELECT * FROM raw_arrow")
        else:
            raise EventLogError(f"unknown log format {fmt!r}", file=source)
    except duckdb.Error as exc:
        raise EventLogError(f"cannot read {fmt}: {exc}", file=source) from exc


def _read_xlsx(source: Path) -> pa.Table:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise EventLogError(f"cannot read xlsx: {exc}", file=source) from exc
    try:
        rows = wb.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise EventLogError("the sheet is empty (no header row)", file=source)
        names = [str(h) if h is not None else f"column{i + 1}" for i, h in enumerate(header)]
        columns: list[list[str | None]] = [[] for _ in names]
        row_numbers: list[int] = []
        for n, values in enumerate(rows, start=1):
            if all(v is None for v in values):
                continue
            row_numbers.append(n)
            for i in range(len(names)):
                columns[i].append(_cell_text(values[i] if i < len(values) else None))
    finally:
        wb.close()
    arrays = {_ROW: pa.array(row_numbers, pa.int64())}
    arrays.update(
        {name: pa.array(col, pa.string()) for name, col in zip(names, columns, strict=True)}
    )
    return pa.table(arrays)


def _cell_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def _read_xes(source: Path) -> pa.Table:
    """Flatten an XES file: one row per event, trace attributes prefixed `case:`."""
    from lxml import etree

    columns: dict[str, list[str | None]] = {}
    n_events = 0

    def put(key: str, value: str | None) -> None:
        col = columns.get(key)
        if col is None:
            col = columns[key] = [None] * (n_events - 1)
        col.append(value)

    trace_attrs: dict[str, str] = {}
    try:
        for ev, elem in _iter_xes(source, etree):
            tag = etree.QName(elem).localname
            if ev == "start":
                if tag == "trace":
                    trace_attrs = {}
                continue
            if tag == "event":
                attrs = {
                    child.get("key"): child.get("value")
                    for child in elem
                    if child.get("key") is not None
                }
                n_events += 1
                for key, value in trace_attrs.items():
                    put("case:" + key, value)
                for key, value in attrs.items():
                    put(str(key), value)
                for col in columns.values():
                    if len(col) < n_events:
                        col.append(None)
                elem.clear()
            elif tag != "trace" and tag != "log":
                parent = elem.getparent()
                if parent is not None and etree.QName(parent).localname == "trace":
                    key = elem.get("key")
                    if key is not None:
                        trace_attrs[key] = elem.get("value")
    except etree.XMLSyntaxError as exc:
        raise EventLogError(f"not well-formed XES: {exc}", file=source, row=n_events + 1) from exc
    arrays = {_ROW: pa.array(range(1, n_events + 1), pa.int64())}
    arrays.update({k: pa.array(v, pa.string()) for k, v in columns.items()})
    return pa.table(arrays)


def _iter_xes(source: Path, etree: Any) -> Iterator[tuple[str, Any]]:
    opener: Any = open
    if source.name.lower().endswith(".gz"):
        import gzip

        opener = gzip.open
    with opener(source, "rb") as fh:
        yield from etree.iterparse(fh, events=("start", "end"), huge_tree=True)


def _canonical_select(con: duckdb.DuckDBPyConnection, source: Path, m: ColumnMapping) -> str:
    """Check the mapped columns exist; return the SELECT producing canonical rows from `parsed`."""
    present = [r[0] for r in con.execute("DESCRIBE raw").fetchall() if r[0] != _ROW]
    defaults = ColumnMapping()

    def need(field: str, name: str | None, required: bool) -> str:
        if name is None:
            return "CAST(NULL AS VARCHAR)"
        if name in present:
            return f"CAST({_ident(name)} AS VARCHAR)"
        if not required and name == getattr(defaults, field):
            return "CAST(NULL AS VARCHAR)"  # the XES default name is optional; explicit ones not
        hint = difflib.get_close_matches(name, present, n=1)
        suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
        raise EventLogError(
            f"no such column (mapped as {field}); the columns are {present}{suggestion}",
            file=source,
            column=name,
        )

    exprs = {f: need(f, n, True) for f, n in m.required().items()}
    exprs.update({f: need(f, n, False) for f, n in m.optional().items()})
    con.execute(
        f"""CREATE TABLE mapped AS SELECT {_ROW},
            {exprs["case"]} AS case_id, {exprs["activity"]} AS activity,
            trim({exprs["timestamp"]}) AS ts_text,
            {exprs["resource"]} AS resource, {exprs["lifecycle"]} AS lifecycle,
            {exprs["service"]} AS service, {exprs["unit"]} AS unit
            FROM raw"""
    )
    return """SELECT case_id,
        CAST(row_number() OVER (PARTITION BY case_id ORDER BY __row) - 1 AS INTEGER) AS seq,
        activity, ts, resource, lifecycle, service, unit FROM parsed"""


def _first(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[Any, ...] | None:
    return con.execute(sql + " ORDER BY 1 LIMIT 1").fetchone()


def _check(con: duckdb.DuckDBPyConnection, source: Path, m: ColumnMapping) -> None:
    n = con.execute("SELECT count(*) FROM mapped").fetchone()
    if n is None or n[0] == 0:
        raise EventLogError("the log has no events", file=source)
    for field, col in (("case_id", m.case), ("activity", m.activity), ("ts_text", m.timestamp)):
        bad = _first(con, f"SELECT {_ROW} FROM mapped WHERE {field} IS NULL OR trim({field}) = ''")
        if bad:
            raise EventLogError("empty value", file=source, row=bad[0], column=col)
    con.execute(
        f"CREATE TABLE flagged AS SELECT *, regexp_matches(ts_text, '{_OFFSET_RE}') AS aware "
        "FROM mapped"
    )
    counts = con.execute("SELECT count(*) FILTER (aware), count(*) FILTER (NOT aware) FROM flagged")
    n_aware, n_naive = counts.fetchone() or (0, 0)
    if n_aware and n_naive:
        minority = "NOT aware" if n_naive <= n_aware else "aware"
        row = _first(con, f"SELECT {_ROW}, ts_text FROM flagged WHERE {minority}")
        assert row is not None
        raise EventLogError(
            f"mixed time zones: {n_aware} timestamps carry a UTC offset and {n_naive} do not "
            f"(e.g. {row[1]!r}); give every timestamp an offset, or none and set the time zone",
            file=source,
            row=row[0],
            column=m.timestamp,
        )
    tz = _sql_str(m.timezone)
    if m.timestamp_format:
        fmt = _sql_str(m.timestamp_format)
        if n_aware:
            parse = f"CAST(try_strptime(ts_text, '{fmt}') AS TIMESTAMPTZ)"
        else:
            parse = f"timezone('{tz}', CAST(try_strptime(ts_text, '{fmt}') AS TIMESTAMP))"
    elif n_aware:
        parse = "TRY_CAST(ts_text AS TIMESTAMPTZ)"
    else:
        parse = f"timezone('{tz}', TRY_CAST(ts_text AS TIMESTAMP))"
    try:
        con.execute(f"CREATE TABLE parsed AS SELECT *, {parse} AS ts FROM flagged")
    except duckdb.Error as exc:
        raise EventLogError(
            f"cannot read timestamps: {exc}", file=source, column=m.timestamp
        ) from exc
    bad = _first(con, f"SELECT {_ROW}, ts_text FROM parsed WHERE ts IS NULL")
    if bad:
        raise EventLogError(
            f"unparseable timestamp {bad[1]!r}", file=source, row=bad[0], column=m.timestamp
        )
    dup = _first(
        con,
        f"""SELECT min({_ROW}), max({_ROW}), count(*) FROM parsed
            GROUP BY case_id, activity, ts, resource, lifecycle HAVING count(*) > 1""",
    )
    if dup:
        raise EventLogError(
            f"duplicate event: the same case, activity, timestamp and resource as row {dup[0]}",
            file=source,
            row=dup[1],
        )
    back = _first(
        con,
        f"""SELECT {_ROW}, case_id, ts_text, prev_text, prev_row FROM (
              SELECT {_ROW}, case_id, ts, ts_text,
                     lag(ts) OVER w AS prev_ts, lag(ts_text) OVER w AS prev_text,
                     lag({_ROW}) OVER w AS prev_row
              FROM parsed WINDOW w AS (PARTITION BY case_id ORDER BY {_ROW}))
            WHERE ts < prev_ts""",
    )
    if back:
        raise EventLogError(
            f"case {back[1]!r} goes back in time: {back[2]!r} is earlier than {back[3]!r} "
            f"at row {back[4]}",
            file=source,
            row=back[0],
            column=m.timestamp,
        )


__all__ = ["CANONICAL_COLUMNS", "FORMATS", "ImportedLog", "detect_format", "import_log"]
