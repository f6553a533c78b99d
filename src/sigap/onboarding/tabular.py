"""Reading an onboarding file's table: the header matched by name, problems named by row/column.

Shared by the unit and employee imports. A column is found by its header compared without case,
spaces or punctuation ("NIP BARU", "nip_baru" and "Nip Baru" are one column), never by position.
Rows are read by `sigap.competency.sheets.read_table` (CSV or XLSX, numbered as the file shows).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime

from django.utils.translation import gettext as _

from sigap.competency.sheets import Table, Unreadable, read_table
from sigap.onboarding.plan import Problem


def header_key(text: object) -> str:
    return re.sub(r"[^0-9a-z]+", "", str(text).casefold())


def text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    # No NUL ("\u0000" in a UNOR JSON string): PostgreSQL refuses it in any text value.
    return " ".join(str(value).replace("\x00", "").split())


# The data rows one onboarding file may hold: a province's whole SIASN export (the ASN of the
# largest provinces number some tens of thousands), far above the competency imports' limit.
MAX_ROWS = 200_000


def read(data: bytes, name: str) -> tuple[Table | None, list[Problem]]:
    """The table, or the one problem that makes the file unreadable."""
    try:
        return read_table(data, max_rows=MAX_ROWS), []
    except Unreadable as exc:
        words = {
            "empty": _("The file is empty or has no header row."),
            "xlsx_broken": _("The file looks like an Excel workbook but cannot be read."),
            "too_many_rows": _(
                "The file has more than %(max)s data rows: one import takes at most that many."
            )
            % {"max": f"{MAX_ROWS:,}".replace(",", ".")},
            "broken": _(
                "The file is damaged and cannot be read from this row on (an unclosed quote in "
                "a CSV, a corrupt sheet in a workbook)."
            ),
        }
        return None, [Problem(name, exc.row or 0, "", words[exc.code])]


def columns(
    headers: Iterable[str], wanted: dict[str, tuple[str, ...]]
) -> tuple[dict[str, str], list[str]]:
    """Field -> the header that holds it, and the headers no field wanted (in file order)."""
    by_key: dict[str, str] = {}
    for h in headers:
        if h and header_key(h) not in by_key:
            by_key[header_key(h)] = h
    found: dict[str, str] = {}
    for field, aliases in wanted.items():
        for alias in aliases:
            if header_key(alias) in by_key:
                found[field] = by_key[header_key(alias)]
                break
    used = set(found.values())
    extra = [h for h in by_key.values() if h not in used]
    return found, extra


def duplicated(
    name: str,
    headers: list[str],
    header_row: int,
    used: Iterable[str],
    *,
    key: Callable[[object], str] = header_key,
    sheet: str = "",
) -> list[Problem]:
    """An error for each column the import reads whose header is written more than once (the
    reader would keep one of them silently): named by the header and its columns' letters."""
    from openpyxl.utils import get_column_letter

    problems = []
    for header in dict.fromkeys(used):
        letters = [
            get_column_letter(i)
            for i, h in enumerate(headers, start=1)
            if h and key(h) == key(header)
        ]
        if len(letters) > 1:
            problems.append(
                Problem(
                    name,
                    header_row,
                    header,
                    _(
                        "This column is in the header more than once (columns %(letters)s): "
                        "keep one."
                    )
                    % {"letters": ", ".join(letters)},
                    sheet=sheet,
                )
            )
    return problems


def missing_column(name: str, row: int, column: str) -> Problem:
    return Problem(name, row, column, _("This column is missing from the header."))


_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_YMD = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})")


def parse_date(value: object) -> date | None:
    """A date cell or a text date (DD-MM-YYYY, YYYY-MM-DD, DD/MM/YYYY); None if neither."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return _parse_text_date(text(value))


@functools.lru_cache(maxsize=4096)  # an export repeats its dates (TMT on the 1st of a month)
def _parse_text_date(raw: str) -> date | None:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T][\d:.]+", raw):
        raw = raw[:10]  # a date exported with its midnight time
    ymd = _YMD.fullmatch(raw)
    dmy = None if ymd else _DMY.fullmatch(raw)
    if ymd:
        y, m, d = (int(g) for g in ymd.groups())
    elif dmy:
        d, m, y = (int(g) for g in dmy.groups())
    else:
        return None
    try:
        day = date(y, m, d)
    except ValueError:
        return None
    return day if 1900 <= day.year <= 2100 else None
