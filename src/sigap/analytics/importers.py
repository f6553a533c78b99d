"""Read CSV, XLSX, Parquet and XES (IEEE 1849) event logs into the canonical sorted Parquet log.

Parsing is left to well-kept readers (DuckDB's CSV and Parquet readers, openpyxl, lxml); this module
only maps columns, checks the rows and writes the canonical file. Any problem raises
`EventLogError` naming the file, row and column, and the output file is written atomically, so a
bad file never leaves a half-loaded log behind.

Real logs are read the way the field reads them (pm4py's `format_dataframe`): events are sorted
within each case by time, ties keeping file order; exact duplicates are kept (and counted by the
quality module) unless `drop_duplicates`; timestamps without an offset are read in the mapping's
time zone, even when others carry one; logs without usable timestamps are read in file order
when asked (`order="file"`). What was done is returned as `ImportNotes`.
"""

from __future__ import annotations

import difflib
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from sigap.analytics.engine import SORTED_KEY, SORTED_VALUE
from sigap.analytics.eventlog import (
    CANONICAL_COLUMNS,
    DIMENSION_PREFIX,
    OPTIONAL_COLUMNS,
    ORDERS,
    ColumnMapping,
    EventLogError,
    ImportNotes,
)

FORMATS = ("csv", "xlsx", "parquet", "xes")
# A time of day followed by an offset: "...12:00:00+07:00", "...12:00Z", "...12:00:00.5 +0700".
_OFFSET_RE = r"\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}(:?\d{2})?)$"
_ROW = "__row"
MISSING_TIMESTAMPS = ("", "?")
"""Timestamp values that mean "not known" (after trimming): empty, and the "?" some XES
exporters write (pm4py's partial-order example)."""
MAX_DIMENSIONS = 50
"""Case dimension columns (`case:*`) kept; the others are listed as ignored."""
MAX_EXAMPLES = 5
MAX_IGNORED = 50


@dataclass(frozen=True, slots=True)
class ImportedLog:
    """Where the canonical log was written and what it holds."""

    path: Path
    events: int
    cases: int
    activities: int
    notes: ImportNotes = field(default_factory=ImportNotes)


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
    order: str = "completion",
    drop_duplicates: bool = False,
    strict_order: bool = False,
    extra: dict[str, str] | None = None,
    source_row: bool = False,
) -> ImportedLog:
    """Read `source` (csv/xlsx/parquet/xes), check it, and write the canonical log to `out`.

    `order` (see `eventlog.ORDERS`) says how events are sorted within a case: "completion" by
    `ts`, "start" by the start time where there is one (then `ts`), "file" as listed (and then
    events without a timestamp are accepted). Ties keep file order. `drop_duplicates` keeps
    only the first of exactly repeated events; `strict_order` refuses a file that lists a
    case's events out of time order instead of sorting them.

    For other readers of event files (the onboarding of a request history): `extra` maps output
    column -> source column, carried over as text (the source column must exist);
    `source_row` adds `source_row`, the 1-based data row each event comes from.
    """
    source = Path(source)
    out = Path(out)
    mapping = mapping or ColumnMapping()
    if order not in ORDERS:
        raise ValueError(f"unknown event order {order!r}; expected one of {ORDERS}")
    fmt = format or detect_format(source)
    if not source.exists():
        raise EventLogError("file not found", file=source)
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        ignored = _load_raw(con, source, fmt)
        dimensions, dropped_dims = _map_columns(con, source, mapping, extra or {})
        notes = _check(con, source, mapping, order=order, drop_duplicates=drop_duplicates,
                       strict_order=strict_order)  # fmt: skip
        notes = replace(notes, ignored_attributes=tuple((ignored + dropped_dims)[:MAX_IGNORED]))
        select = _canonical_select(dimensions, [*(extra or {}), *([_ROW] * source_row)])
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
        return ImportedLog(path=out, events=row[0], cases=row[1], activities=row[2], notes=notes)
    finally:
        con.close()


def _sql_str(s: str | Path) -> str:
    return str(s).replace("'", "''")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _load_raw(con: duckdb.DuckDBPyConnection, source: Path, fmt: str) -> list[str]:
    """Create table `raw`: every source column as VARCHAR plus `__row` (1-based data row).
    Returns the keys of attributes that could not be flattened (XES lists and nested ones)."""
    src = _sql_str(source)
    ignored: list[str] = []
    if source.is_file() and source.stat().st_size == 0:
        raise EventLogError("the file is empty", file=source)
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
            table, ignored = _read_xes(source)
            con.register("raw_arrow", table)
            con.execute("CREATE TABLE raw AS SELECT * FROM raw_arrow")
        else:
            raise EventLogError(f"unknown log format {fmt!r}", file=source)
    except duckdb.Error as exc:
        raise EventLogError(f"cannot read {fmt}: {_reason(exc)}", file=source) from exc
    return ignored


def _reason(exc: Exception) -> str:
    """DuckDB's reading errors in one line: they run to twenty lines of hints about its own
    options (encoding=, delim=...), which a person running `sigap analyze` cannot pass."""
    message = str(exc)
    line = re.search(r"CSV Error on Line: (\d+)", message)
    where = f" (near line {line[1]})" if line else ""
    if "Invalid unicode" in message:
        return f"not UTF-8 text{where}; save the file as UTF-8 (in Excel: CSV UTF-8)"
    if "sniffing file" in message:
        return "cannot tell how its columns are separated; is it a CSV text file?"
    first = message.strip().splitlines()[0] if message.strip() else type(exc).__name__
    return first + where


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


_NESTED = frozenset({"list", "container", "values"})
"""XES elements holding other attributes: their contents cannot be one column."""


def _read_xes(source: Path) -> tuple[pa.Table, list[str]]:
    """Flatten an XES file: one row per event, trace attributes prefixed `case:`; any version,
    with or without the XES namespace. Every typed attribute (string, date, int, float, boolean,
    id) is read as its text. Lists and containers are skipped, and so are the meta attributes
    nested inside an attribute (the attribute's own value is kept); their keys are returned."""
    from lxml import etree

    ignored: dict[str, None] = {}  # keys, first seen first
    events: list[dict[str, str | None]] = []
    trace_of_event: list[int] = []
    traces: list[dict[str, str | None]] = []

    def attributes(elem: Any, prefix: str) -> dict[str, str | None]:
        found: dict[str, str | None] = {}
        for child in elem:
            key = child.get("key")
            if key is None:
                continue  # comments, and children that are not attributes
            value = child.get("value")
            if len(child) or value is None:  # the rare case: look closer
                if _local(child.tag) in _NESTED:
                    ignored.setdefault(prefix + key)
                    continue
                for meta in child:
                    if meta.get("key") is not None:
                        ignored.setdefault(f"{prefix}{key}/{meta.get('key')}")
            found[key] = value
        return found

    in_trace = False
    try:
        # only trace and event elements are reported: attributes are read from their parent
        for ev, elem in _iter_xes(source, etree):
            tag = _local(elem.tag)
            if ev == "start":
                if tag == "trace":
                    in_trace = False
                elif not in_trace:
                    parent = elem.getparent()
                    # a trace's attributes come before its events (XES 1849-2016, 5.4)
                    if parent is not None and _local(parent.tag) == "trace":
                        traces.append(attributes(parent, DIMENSION_PREFIX))
                    else:
                        traces.append({})  # an event outside any trace
                    in_trace = True
                continue
            if tag == "event":
                events.append(attributes(elem, ""))
                trace_of_event.append(len(traces) - 1)
                elem.clear()
            else:
                in_trace = False
                elem.clear()
                # drop the traces already read, so memory stays that of one trace
                parent = elem.getparent()
                while parent is not None and elem.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        raise EventLogError(
            f"not well-formed XES: {exc}", file=source, row=len(events) + 1
        ) from exc
    except (OSError, EOFError) as exc:  # e.g. a truncated or not really gzipped file
        raise EventLogError(f"cannot read xes: {exc}", file=source) from exc
    table = pa.table({_ROW: pa.array(range(1, len(events) + 1), pa.int64())})
    trace_keys = list(dict.fromkeys(k for t in traces for k in t))
    if trace_keys:
        per_trace = pa.Table.from_pylist(
            traces, schema=pa.schema([(k, pa.string()) for k in trace_keys])
        ).take(pa.array(trace_of_event, pa.int64()))
        for k in trace_keys:
            table = table.append_column(DIMENSION_PREFIX + k, per_trace.column(k))
    event_keys = list(dict.fromkeys(k for e in events for k in e))
    if event_keys:
        per_event = pa.Table.from_pylist(
            events, schema=pa.schema([(k, pa.string()) for k in event_keys])
        )
        for k in event_keys:
            if k not in table.column_names:  # an event attribute named like a case one
                table = table.append_column(k, per_event.column(k))
    return table, list(ignored)


def _iter_xes(source: Path, etree: Any) -> Iterator[tuple[str, Any]]:
    opener: Any = open
    if source.name.lower().endswith(".gz"):
        import gzip

        opener = gzip.open
    with opener(source, "rb") as fh:
        yield from etree.iterparse(
            fh, events=("start", "end"), tag=("{*}trace", "{*}event"), huge_tree=True
        )


def _local(tag: Any) -> str:
    """An element's name without its namespace ("{http://www.xes-standard.org/}event")."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _map_columns(
    con: duckdb.DuckDBPyConnection, source: Path, m: ColumnMapping, extra: dict[str, str]
) -> tuple[list[str], list[str]]:
    """Check the mapped columns exist and create table `mapped` (text values, one per field,
    plus the case dimensions). Returns the dimension columns kept and those left out."""
    present = [r[0] for r in con.execute("DESCRIBE raw").fetchall() if r[0] != _ROW]
    defaults = ColumnMapping()
    missing: list[tuple[str, str]] = []

    def need(field: str, name: str | None, required: bool) -> str:
        if name is None:
            return "CAST(NULL AS VARCHAR)"
        if name in present:
            return f"CAST({_ident(name)} AS VARCHAR)"
        if not required and name == getattr(defaults, field):
            return "CAST(NULL AS VARCHAR)"  # the XES default name is optional; explicit ones not
        missing.append((field, name))
        return "CAST(NULL AS VARCHAR)"

    exprs = {f: need(f, n, True) for f, n in m.required().items()}
    exprs.update({f: need(f, n, False) for f, n in m.optional().items()})
    carried = {out: need(out, name, True) for out, name in extra.items()}
    if len(missing) == 1:
        field, name = missing[0]
        hint = difflib.get_close_matches(name, present, n=1)
        suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
        raise EventLogError(
            f"no such column (mapped as {field}); the columns are {present}{suggestion}",
            file=source,
            column=name,
        )
    ragged = _ragged_row(source) if missing and detect_format(source) == "csv" else None
    if ragged is not None:
        # DuckDB's sniffer guesses another header, or a single column, when the rows do not
        # all have the same number of fields: name the row rather than list wrong "columns".
        row, fields, expected = ragged
        raise EventLogError(
            f"this row has {fields} field{'s' * (fields != 1)}, the header {expected}",
            file=source,
            row=row,
        )
    if missing:
        names = ", ".join(f"{field} {name!r}" for field, name in missing)
        raise EventLogError(f"no such columns: {names}; the columns are {present}", file=source)
    mapped = {n for n in (*m.required().values(), *m.optional().values(), *extra.values()) if n}
    candidates = [c for c in present if c.startswith(DIMENSION_PREFIX) and c not in mapped]
    dimensions, dropped = candidates[:MAX_DIMENSIONS], candidates[MAX_DIMENSIONS:]
    dims = "".join(f", CAST({_ident(c)} AS VARCHAR) AS {_ident(c)}" for c in dimensions)
    dims += "".join(f", {expr} AS {_ident(out)}" for out, expr in carried.items())
    con.execute(
        f"""CREATE TABLE mapped AS SELECT {_ROW},
            {exprs["case"]} AS case_id, {exprs["activity"]} AS activity,
            trim({exprs["timestamp"]}) AS ts_text, trim({exprs["start_timestamp"]}) AS start_text,
            {exprs["resource"]} AS resource, {exprs["lifecycle"]} AS lifecycle,
            {exprs["service"]} AS service, {exprs["unit"]} AS unit,
            nullif(lower(trim({exprs["transition"]})), '') AS transition{dims}
            FROM raw"""
    )
    return dimensions, dropped


def _ragged_row(source: Path) -> tuple[int, int, int] | None:
    """The first data row (1-based) of a CSV whose number of fields differs from the
    header's, with both numbers; None when all agree or the file cannot be read as text."""
    import csv
    import gzip

    opener: Any = gzip.open if source.name.lower().endswith(".gz") else open
    try:
        with opener(source, "rt", encoding="utf-8-sig", newline="") as fh:
            header = fh.readline()
            delimiter = max(",;\t|", key=header.count)
            fh.seek(0)
            rows = csv.reader(fh, delimiter=delimiter)
            expected = len(next(rows, []))
            for i, fields in enumerate(rows, start=1):
                if fields and len(fields) != expected:
                    return i, len(fields), expected
    except (OSError, UnicodeDecodeError, csv.Error, EOFError):
        return None
    return None


def _canonical_select(dimensions: list[str], extra: list[str] | None = None) -> str:
    """The SELECT producing canonical rows from `ordered`, in the canonical column order (then
    the carried `extra` columns; the source row is written as `source_row`)."""
    dims = "".join(f", {_ident(c)}" for c in dimensions)
    dims += "".join(
        f", {_ROW} AS source_row" if c == _ROW else f", {_ident(c)}" for c in extra or []
    )
    return f"""SELECT {", ".join(CANONICAL_COLUMNS)}, {", ".join(OPTIONAL_COLUMNS)}{dims}
        FROM ordered"""


def _first(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[Any, ...] | None:
    return con.execute(sql + " ORDER BY 1 LIMIT 1").fetchone()


def _missing(column: str) -> str:
    values = ", ".join(f"'{v}'" for v in MISSING_TIMESTAMPS)
    return f"({column} IS NULL OR {column} IN ({values}))"


def _parse(column: str, m: ColumnMapping) -> str:
    """SQL reading one timestamp text column: values with an offset as they say, the others in
    the mapping's time zone; NULL for missing and unparseable values (told apart later)."""
    tz = _sql_str(m.timezone)
    if m.timestamp_format:
        fmt = _sql_str(m.timestamp_format)
        aware = f"CAST(try_strptime({column}, '{fmt}') AS TIMESTAMPTZ)"
        naive = f"timezone('{tz}', CAST(try_strptime({column}, '{fmt}') AS TIMESTAMP))"
    else:
        aware = f"TRY_CAST({column} AS TIMESTAMPTZ)"
        naive = f"timezone('{tz}', TRY_CAST({column} AS TIMESTAMP))"
    return f"""CASE WHEN {_missing(column)} THEN NULL
        WHEN regexp_matches({column}, '{_OFFSET_RE}') THEN {aware} ELSE {naive} END"""


_ORDER_KEYS = {
    "completion": ("ts",),
    "start": ("coalesce(start_ts, ts)", "ts"),
    "file": (),
}


def _check(
    con: duckdb.DuckDBPyConnection,
    source: Path,
    m: ColumnMapping,
    *,
    order: str,
    drop_duplicates: bool,
    strict_order: bool,
) -> ImportNotes:
    """Check `mapped` and build `ordered` (parsed, deduplicated if asked, numbered in order)."""
    n = con.execute("SELECT count(*) FROM mapped").fetchone()
    if n is None or n[0] == 0:
        raise EventLogError("the log has no events", file=source)
    for column, col in (("case_id", m.case), ("activity", m.activity)):
        bad = _first(
            con, f"SELECT {_ROW} FROM mapped WHERE {column} IS NULL OR trim({column}) = ''"
        )
        if bad:
            raise EventLogError("empty value", file=source, row=bad[0], column=col)
    missing = con.execute(
        f"SELECT count(*), min({_ROW}) FROM mapped WHERE {_missing('ts_text')}"
    ).fetchone() or (0, None)
    if missing[0] and order != "file":
        raise EventLogError(
            f"{missing[0]:,} events have no timestamp (empty or '?'); to analyse the log "
            "without durations, read it in file order (--order file)",
            file=source,
            row=missing[1],
            column=m.timestamp,
        )
    naive = con.execute(
        f"""SELECT count(*) FILTER (WHERE NOT {_missing("ts_text")}
                AND NOT regexp_matches(ts_text, '{_OFFSET_RE}'))
            + count(*) FILTER (WHERE NOT {_missing("start_text")}
                AND NOT regexp_matches(start_text, '{_OFFSET_RE}'))
            FROM mapped"""
    ).fetchone()
    try:
        con.execute(
            f"""CREATE TABLE parsed AS SELECT *, {_parse("ts_text", m)} AS ts,
                {_parse("start_text", m)} AS start_ts FROM mapped"""
        )
    except duckdb.Error as exc:
        raise EventLogError(
            f"cannot read timestamps: {exc}", file=source, column=m.timestamp
        ) from exc
    for text, col, name in (("ts_text", "ts", m.timestamp), ("start_text", "start_ts",
                                                               m.start_timestamp)):  # fmt: skip
        bad = _first(
            con,
            f"SELECT {_ROW}, {text} FROM parsed WHERE {col} IS NULL AND NOT {_missing(text)}",
        )
        if bad:
            raise EventLogError(
                f"unparseable timestamp {bad[1]!r}", file=source, row=bad[0], column=name
            )
        # DuckDB reads years up to 294247; Python's dates (and so every analysis) stop at 9999.
        bad = _first(
            con,
            f"SELECT {_ROW}, {text} FROM parsed WHERE {col} < TIMESTAMPTZ '0001-01-02 00:00:00+00' "
            f"OR {col} > TIMESTAMPTZ '9999-12-30 00:00:00+00'",
        )
        if bad:
            raise EventLogError(
                f"timestamp {bad[1]!r} is outside the years 1 to 9999",
                file=source,
                row=bad[0],
                column=name,
            )
    kept = "parsed"
    dropped = 0
    if drop_duplicates:
        con.execute(
            f"""CREATE TABLE deduped AS SELECT * FROM parsed QUALIFY row_number() OVER (
                PARTITION BY case_id, activity, ts, resource, lifecycle, transition
                ORDER BY {_ROW}) = 1"""
        )
        left = con.execute("SELECT count(*) FROM deduped").fetchone()
        dropped = n[0] - (left[0] if left else 0)
        kept = "deduped"
    keys = _ORDER_KEYS[order]
    late = _late_rows(con, kept, keys)
    n_late = _late_cases(con) if late else 0
    if strict_order and late:
        row, case, text, prev_text, prev_row = late[0]
        raise EventLogError(
            f"case {case!r} goes back in time: {text!r} is earlier than {prev_text!r} "
            f"at row {prev_row}",
            file=source,
            row=row,
            column=m.timestamp if order != "start" else f"{m.start_timestamp} / {m.timestamp}",
        )
    sort = ", ".join((*keys, _ROW))
    con.execute(
        f"""CREATE TABLE ordered AS SELECT *, CAST(row_number() OVER (
            PARTITION BY case_id ORDER BY {sort}) - 1 AS INTEGER) AS seq FROM {kept}"""
    )
    return ImportNotes(
        source_rows=int(n[0]),
        order=order,
        duplicates_dropped=dropped,
        out_of_order_cases=n_late,
        out_of_order_examples=tuple(r[1] for r in late),
        naive_timestamps=int(naive[0]) if naive else 0,
        timezone_assumed=m.timezone,
        missing_timestamps=int(missing[0]),
        paired_instances=_paired(con),
    )


def _late_rows(
    con: duckdb.DuckDBPyConnection, table: str, keys: tuple[str, ...]
) -> list[tuple[Any, ...]]:
    """(row, case, value, previous value, previous row): for the first few cases the file lists
    out of order (by the order's keys), the first event listed after a later one of its case, in
    file order; none for file order. Keeps all such events in table `late` for counting."""
    con.execute("CREATE OR REPLACE TEMP TABLE late (__row BIGINT, case_id VARCHAR)")
    if not keys:
        return []
    cols = ", ".join(f"{k} AS k{i}" for i, k in enumerate(keys))
    lags = ", ".join(f"lag(k{i}) OVER w AS p{i}" for i in range(len(keys)))
    # (k0, k1) < (p0, p1), lexicographically
    earlier = " OR ".join(
        "(" + " AND ".join([*(f"k{j} = p{j}" for j in range(i)), f"k{i} < p{i}"]) + ")"
        for i in range(len(keys))
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE late AS
            SELECT {_ROW}, case_id, text, prev_text, prev_row FROM (
              SELECT {_ROW}, case_id, {lags}, k.*  EXCLUDE ({_ROW}, case_id),
                     lag(text) OVER w AS prev_text, lag({_ROW}) OVER w AS prev_row
              FROM (SELECT {_ROW}, case_id, {cols},
                           coalesce(start_text, ts_text) AS text FROM {table}) k
              WINDOW w AS (PARTITION BY case_id ORDER BY {_ROW}))
            WHERE {earlier}"""
    )
    return con.execute(
        f"""SELECT {_ROW}, case_id, text, prev_text, prev_row FROM late
            QUALIFY row_number() OVER (PARTITION BY case_id ORDER BY {_ROW}) = 1
            ORDER BY {_ROW} LIMIT {MAX_EXAMPLES}"""
    ).fetchall()


def _late_cases(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute("SELECT count(DISTINCT case_id) FROM late").fetchone()
    return int(row[0]) if row else 0


def _paired(con: duckdb.DuckDBPyConnection) -> int:
    """Events carrying their own start time, plus start/complete pairs: per case and activity,
    each `complete` closes the earliest open `start` before it (greedy, first in first out)."""
    row = con.execute(
        """WITH t AS (
              SELECT case_id, activity, transition,
                     sum(CASE WHEN transition = 'complete' THEN 1 ELSE -1 END) OVER (
                         PARTITION BY case_id, activity ORDER BY seq
                         ROWS UNBOUNDED PRECEDING) AS balance
              FROM ordered WHERE transition IN ('start', 'complete')),
            per AS (
              SELECT count(*) FILTER (WHERE transition = 'complete') AS completes,
                     greatest(max(balance), 0) AS unmatched
              FROM t GROUP BY case_id, activity)
            SELECT (SELECT count(start_ts) FROM ordered),
                   (SELECT coalesce(sum(completes - unmatched), 0) FROM per)"""
    ).fetchone()
    return int(row[0]) + int(row[1]) if row else 0


def duplicate_events(path: str | Path) -> int:
    """Events of the canonical log at `path` that repeat an earlier one exactly (same case,
    activity, timestamp, resource, lifecycle and transition): the ones `drop_duplicates` drops."""
    con = duckdb.connect()
    try:
        row = con.execute(
            "SELECT count(*) - count(DISTINCT (case_id, activity, ts, resource, lifecycle, "
            f"transition)) FROM read_parquet('{_sql_str(path)}')"
        ).fetchone()
        return int(row[0]) if row else 0
    finally:
        con.close()


__all__ = [
    "CANONICAL_COLUMNS",
    "FORMATS",
    "ImportedLog",
    "detect_format",
    "duplicate_events",
    "import_log",
]
