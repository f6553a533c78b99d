"""Reading an uploaded table (CSV or XLSX) into rows of text, numbered as the person sees them.

The kind is decided by the content: an XLSX workbook is a ZIP archive ("PK\\x03\\x04"); anything
else is read as CSV text (UTF-8 with or without a BOM, UTF-16 with its BOM as Excel's "Unicode
Text" writes it, else Windows-1252, which is what Excel writes on an Indonesian Windows),
comma-, semicolon- or tab-separated. The first row that is not blank is the header (row 1 in
most files); a data row keeps the number it has in the file or the sheet, so an error can name
it. Blank rows are dropped (spreadsheets end with some). XLSX cells keep their types where they
mean something: a date cell becomes a `date`, a whole number an `int`.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

XLSX_MAGIC = b"PK\x03\x04"
MAX_ROWS = 20_000
MAX_IMPORT_BYTES = 5_000_000  # every competency import (records and standards): "5 MB"


# What a damaged file raises while its rows are read (after it opened): a sheet's XML that does
# not parse (ElementTree's ParseError and lxml's are SyntaxErrors), a truncated or corrupt ZIP
# member, a CSV field running past the csv module's limit (an unclosed quote).
BROKEN_WHILE_READING = (
    SyntaxError,
    ValueError,
    KeyError,
    EOFError,
    OSError,
    zipfile.BadZipFile,
    zlib.error,
    csv.Error,
    # A damaged zip's header can name a compression or version zipfile does not implement, or
    # an encryption flag; openpyxl then trips over what it could read.
    NotImplementedError,
    RuntimeError,
    IndexError,
    TypeError,
)


class Unreadable(ValueError):
    """The file is not a table this reader understands; `code` says why, `row` where (the row
    number in the file, when known)."""

    def __init__(self, code: str, row: int | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.row = row


@dataclass(frozen=True, slots=True)
class Row:
    number: int  # as in the file: the header is row 1
    cells: dict[str, Any]  # header (as written, trimmed) -> value ("" when empty)


@dataclass(frozen=True, slots=True)
class Table:
    headers: list[str]
    rows: list[Row]
    header_row: int = 1  # the row number of the header (blank rows above it are skipped)


def read_table(data: bytes, *, max_rows: int = MAX_ROWS) -> Table:
    """The header and the data rows of a CSV or XLSX file (at most `max_rows` data rows).
    Raises `Unreadable` ("empty", "xlsx_broken", "too_many_rows", or "broken" with the row
    where reading stopped)."""
    if not data.strip():
        raise Unreadable("empty")
    lines = _xlsx_lines(data) if data.startswith(XLSX_MAGIC) else _csv_lines(data)
    table = _table(lines, max_rows)
    if table is None:
        raise Unreadable("empty")
    return table


def read_workbook(data: bytes) -> dict[str, Table | None]:
    """Every sheet of an XLSX workbook by its title, read as `read_table` reads the first one
    (None for a sheet without a header row). Raises `Unreadable` as `read_table` does
    ("empty" when the data is not a workbook at all)."""
    if not data.strip() or not data.startswith(XLSX_MAGIC):
        raise Unreadable("empty")
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except BROKEN_WHILE_READING as exc:
        raise Unreadable("xlsx_broken") from exc
    try:
        return {sheet.title: _table(_sheet_lines(sheet)) for sheet in book.worksheets}
    finally:
        book.close()


def _table(lines: Iterator[tuple[int, list[Any]]], max_rows: int = MAX_ROWS) -> Table | None:
    header: list[str] | None = None
    header_row = 1
    rows: list[Row] = []
    for number, values in lines:
        if header is None:
            if all(_blank(v) for v in values):
                continue  # blank rows above the header
            header = ["" if v is None else str(v).strip() for v in values]
            header_row = number
            continue
        if all(_blank(v) for v in values):
            continue
        if len(rows) >= max_rows:
            raise Unreadable("too_many_rows", number)
        cells = {name: _cell(values[i]) if i < len(values) else "" for i, name in enumerate(header)}
        rows.append(Row(number, cells))
    if header is None:
        return None
    return Table(header, rows, header_row)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (int, float)):
        return value
    return str(value).strip()


def _decode(data: bytes) -> str:
    """The CSV's text, without NUL characters (no table means them, and PostgreSQL refuses
    them in a text value, even in a query)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode Text"
        text = data.decode("utf-16", errors="replace")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    return text.replace("\x00", "")


def _csv_lines(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    text = _decode(data)
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for values in reader:
            # The row number of the record's last line (a quoted cell may span lines).
            yield reader.line_num, list(values)
    except csv.Error as exc:  # an unclosed quote swallowing the file, say
        raise Unreadable("broken", reader.line_num or None) from exc


def _xlsx_lines(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except BROKEN_WHILE_READING as exc:
        raise Unreadable("xlsx_broken") from exc
    try:
        yield from _sheet_lines(book.worksheets[0])
    finally:
        book.close()


def _sheet_lines(sheet: Any) -> Iterator[tuple[int, list[Any]]]:
    number = 0
    rows = sheet.iter_rows(values_only=True)
    while True:
        try:
            values = next(rows, None)
        except BROKEN_WHILE_READING as exc:  # the sheet's XML is damaged past this row
            raise Unreadable("broken", number + 1) from exc
        if values is None:
            return
        number += 1
        yield number, list(values)
