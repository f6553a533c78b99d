"""The one writer of every spreadsheet sigap produces (CSV and XLSX), safe for any text.

Exported cells hold what citizens and staff typed (survey comments, names, complaint notes), and
the files are opened in Excel or LibreOffice by officers. So every cell goes through `cell_value`:

* Text that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
  return; OWASP "CSV injection") stays inert: in CSV it is prefixed with an apostrophe; in XLSX it
  is stored as a string cell (never a formula) marked `quotePrefix`, so that editing the cell in
  Excel does not turn it into one either.
* Characters XML 1.0 cannot hold (control characters but tab, newline and carriage return) are
  dropped from XLSX text, sheet titles included: one such character would otherwise make the whole
  workbook fail to write. CSV drops the NUL byte only (spreadsheets truncate at it).
* Numbers stay numbers and dates stay dates (XLSX has no time zone: an aware datetime is written
  as wall time in `tz`, or in its own zone). A float that is not finite is left empty, and an
  integer longer than a spreadsheet's 15 significant digits is written as text so it is not
  silently rounded.
* Booleans and everything else are written as text through `text` (callers pass their own, e.g.
  a translated yes/no).

CSV comes in two dialects (`CsvDialect`), both UTF-8 with a BOM (so that Excel reads names with
non-ASCII letters right) and CRLF line ends:

* `INTERNATIONAL`: comma-separated, "." as the decimal point (what Excel and LibreOffice set to
  English, and most programs, read).
* `INDONESIAN`: semicolon-separated, "," as the decimal comma: what Excel set to Indonesian
  (Windows "Indonesia" region: list separator ";", decimal symbol ",") opens straight into
  columns and numbers. The international file opened there lands in one column, and "95.4"
  becomes text or a wrong number.

Numbers are written in plain digits in both, the dialect's decimal mark and no thousands
separator (a grouped "1.234.567" is read back as a number by neither dialect reliably), no
exponent (1e-07 is written 0.0000001). Dates are ISO 8601 (YYYY-MM-DD) in both: Excel reads that
as a date whatever its region. Formula-like text gets its apostrophe and NUL is dropped in both.

In XLSX a `Decimal` keeps its stated decimal places as the cell's number format ("70.80" shows
as 70.80); dates get a date format. Other numbers use the "General" format: the writer does not
know whether an integer is a count or a year (a grouped format would show the year 2026 as
"2.026" in Indonesian Excel). A share on the 0–1 scale is passed as `Ratio(0.954)`: in XLSX a
number cell 0.954 with the percent format "0.0%" (Excel shows 95.4% or 95,4% in the reader's
locale, and computes with 0.954); in CSV the plain number 0.954. A number whose caller knows
how it reads is passed as `Figure(value, "#,##0")` (a count, grouped) or `Figure(2.5, "0.0")`
(days, one place): the number with that format in XLSX, the plain number in CSV. The writer
never turns a number
into text: pages format figures (sigap.web.formatting), spreadsheets keep them numbers.

No Django here: the analytics command line writes its reports through it too. The web layer adds
the downloads (`sigap.web.exports`).
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# The same set as openpyxl's ILLEGAL_CHARACTERS_RE: what XML 1.0 refuses.
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Spreadsheets keep 15 significant digits: a longer integer would be rounded.
MAX_EXACT_INT = 10**15

Cell = object
Rows = Iterable[Sequence[Cell]]
TextOf = Callable[[object], str]


def plain_text(value: object) -> str:
    return "" if value is None else str(value)


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)


def clean_text(text: str) -> str:
    """`text` without the characters XML (and so XLSX) cannot hold."""
    return ILLEGAL_XML.sub("", text)


@dataclass(frozen=True)
class Ratio:
    """A share on the 0–1 scale, written as a percentage cell in XLSX (see above)."""

    value: float | Decimal | None
    places: int = 1

    @property
    def number_format(self) -> str:
        return "0" + ("." + "0" * self.places if self.places else "") + "%"


@dataclass(frozen=True)
class Figure:
    """A number with the XLSX number format it is read in, e.g. "#,##0" for a count or "0.0"
    for a duration in days (see above)."""

    value: int | float | Decimal | None
    number_format: str


def _number(value: object) -> int | float | Decimal | None:
    """`value` if it is a number a spreadsheet holds exactly, else None."""
    if isinstance(value, Ratio | Figure):
        return _number(value.value)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if abs(value) < MAX_EXACT_INT else None
    if isinstance(value, float | Decimal):
        return value if math.isfinite(value) else None
    return None


def _not_finite(value: object) -> bool:
    return isinstance(value, float | Decimal) and not math.isfinite(value)


def _moment(value: object, tz: tzinfo | None) -> date | time | timedelta | None:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = (value.astimezone(tz) if tz is not None else value).replace(tzinfo=None)
        return value
    if isinstance(value, date | timedelta):
        return value
    if isinstance(value, time):
        return value.replace(tzinfo=None)
    return None


# --- CSV -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV separates its fields and writes a number's decimal mark."""

    name: str
    delimiter: str
    decimal: str


INTERNATIONAL = CsvDialect("international", delimiter=",", decimal=".")
INDONESIAN = CsvDialect("indonesian", delimiter=";", decimal=",")


def number_text(value: int | float | Decimal, decimal: str = ".") -> str:
    """`value` in plain digits with `decimal` as its decimal mark: no grouping, no exponent.

    A float is written with the fewest digits that read back as the same float (95.4, not
    95.400000000000006)."""
    if isinstance(value, int):
        return str(value)
    exact = Decimal(repr(value)) if isinstance(value, float) else value
    out = format(exact, "f")
    return out.replace(".", decimal) if decimal != "." else out


def csv_cell(value: object, text: TextOf = plain_text, dialect: CsvDialect = INTERNATIONAL) -> str:
    """A CSV cell: numbers in the dialect's digits, dates in ISO 8601, formula-like text
    defused."""
    number = _number(value)
    if number is not None:
        return number_text(number, dialect.decimal)
    if _not_finite(value) or isinstance(value, Ratio | Figure):
        return ""
    if isinstance(value, date | time):
        return value.isoformat()
    out = text(value).replace("\x00", "")
    return "'" + out if is_formula_like(out) else out


def to_csv(
    headers: Sequence[Cell],
    rows: Rows,
    *,
    text: TextOf = plain_text,
    dialect: CsvDialect = INTERNATIONAL,
) -> bytes:
    """The table as CSV in `dialect`: UTF-8 with a BOM, CRLF, quoted only where needed."""
    out = io.StringIO()
    # A BOM so that spreadsheet programs read the file as UTF-8 (names with non-ASCII letters).
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=dialect.delimiter, lineterminator="\r\n")
    writer.writerow([csv_cell(h, text, dialect) for h in headers])
    for row in rows:
        writer.writerow([csv_cell(v, text, dialect) for v in row])
    return out.getvalue().encode("utf-8")


# --- XLSX ------------------------------------------------------------------------------------


def decimal_format(value: Decimal) -> str:
    """The XLSX number format that shows `value` with its own decimal places ("0.00")."""
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return "0." + "0" * min(places, 10) if places else "0"


@dataclass
class Sheet:
    """One worksheet: its rows (the first `header_rows` in bold), column widths by letter."""

    title: str
    rows: Rows = ()
    header_rows: int = 0
    bold_rows: Sequence[int] = ()  # further rows in bold (0-based)
    widths: dict[str, float] = field(default_factory=dict)
    freeze: str | None = None


def sheet_title(title: str, taken: Iterable[str] = ()) -> str:
    """A valid, unique sheet title: at most 31 characters, none of []:*?/\\ or control ones."""
    name = clean_text(re.sub(r"[\[\]:*?/\\]", " ", title)).strip()[:31] or "data"
    used = {t.lower() for t in taken}
    base, n = name, 1
    while name.lower() in used:
        n += 1
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
    return name


def to_xlsx(
    sheets: Sequence[Sheet], *, text: TextOf = plain_text, tz: tzinfo | None = None
) -> bytes:
    """A workbook of `sheets`, every cell written through the rules above."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    titles: list[str] = []
    for sheet in sheets:
        title = sheet_title(sheet.title, titles)
        titles.append(title)
        ws = wb.create_sheet(title=title)
        for column, width in sheet.widths.items():
            ws.column_dimensions[column].width = width
        if sheet.freeze:
            ws.freeze_panes = sheet.freeze

        def cell(value: object, strong: bool, ws: Any = ws) -> Any:
            number = _number(value)
            moment = _moment(value, tz) if number is None else None
            if number is not None:
                c = WriteOnlyCell(ws, value=number)
                if isinstance(value, Ratio | Figure):
                    c.number_format = value.number_format
                elif isinstance(number, Decimal):
                    c.number_format = decimal_format(number)
            elif moment is not None:
                c = WriteOnlyCell(ws, value=moment)
            elif _not_finite(value) or isinstance(value, Ratio | Figure):
                c = WriteOnlyCell(ws, value=None)
            else:
                content = clean_text(text(value))
                c = WriteOnlyCell(ws, value=content or None)
                # openpyxl takes a string starting with "=" as a formula: store it as text.
                c.data_type = "s"
                if is_formula_like(content):
                    c.quotePrefix = True
            if strong:
                c.font = bold
            return c

        strong_rows = set(sheet.bold_rows)
        for n, row in enumerate(sheet.rows):
            strong = n < sheet.header_rows or n in strong_rows
            ws.append([cell(v, strong) for v in row])
    if not titles:
        wb.create_sheet(title="data")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def table_xlsx(
    headers: Sequence[Cell],
    rows: Rows,
    *,
    sheet: str = "data",
    text: TextOf = plain_text,
    tz: tzinfo | None = None,
) -> bytes:
    """One table on one sheet, its header row in bold."""
    return to_xlsx(
        [Sheet(sheet, rows=_with_header(headers, rows), header_rows=1)], text=text, tz=tz
    )


def _with_header(headers: Sequence[Cell], rows: Rows) -> Iterable[Sequence[Cell]]:
    yield headers
    yield from rows
