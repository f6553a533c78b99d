"""Every table a page shows can be downloaded as CSV or XLSX, through one function.

A view calls `export_response(request, filename=..., headers=..., rows=...)` before rendering:
it answers `?export=csv`, `?export=csv-id` or `?export=xlsx` with a download, `None` when no
export is asked (the view renders its page), and 400 for any other format. `csv` is the
international dialect (comma-separated, decimal point); `csv-id` the one Excel set to Indonesian
opens straight into columns (semicolon-separated, decimal comma); both are UTF-8 with a BOM and
named `<name>.csv` (see `sigap.spreadsheets`). A page with several tables names them
(`?export=xlsx&table=ranking`): pass `table="ranking"` and only that table answers; or hand all
of them to `export_tables`, which also answers an unknown table name with 400. The template
include `web/_export_links.html` renders the three links, keeping the page's query string.

Cells are written by the one spreadsheet writer, `sigap.spreadsheets`: formula-like text stays
inert (CSV and XLSX), characters XLSX cannot hold are dropped, numbers and dates keep their type.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sigap import spreadsheets
from sigap.spreadsheets import CsvDialect, Rows

FORMATS: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "csv-id": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS: dict[str, str] = {"csv": "csv", "csv-id": "csv", "xlsx": "xlsx"}
CSV_DIALECTS: dict[str, CsvDialect] = {
    "csv": spreadsheets.INTERNATIONAL,
    "csv-id": spreadsheets.INDONESIAN,
}
__all__ = [
    "CSV_DIALECTS",
    "EXTENSIONS",
    "FORMATS",
    "Rows",
    "csv_cell",
    "export_response",
    "export_tables",
    "safe_filename",
    "to_csv",
    "to_xlsx",
    "xlsx_response",
]


def requested_format(request: HttpRequest) -> str | None:
    return request.GET.get("export") or None


def safe_filename(filename: str, fmt: str) -> str:
    """`filename` as an ASCII slug with the format's extension: "SLA Loket A" → "sla-loket-a.csv"
    (`csv` and `csv-id` both end in .csv)."""
    stem = re.sub(r"\.(csv|xlsx)$", "", filename, flags=re.IGNORECASE)
    return f"{slugify(stem) or 'export'}.{EXTENSIONS.get(fmt, fmt)}"


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def csv_cell(value: object, dialect: CsvDialect = spreadsheets.INTERNATIONAL) -> str:
    """A CSV cell: numbers in the dialect's digits, text that a spreadsheet would run as a
    formula defused."""
    return spreadsheets.csv_cell(value, _text, dialect)


def to_csv(
    headers: Sequence[object], rows: Rows, dialect: CsvDialect = spreadsheets.INTERNATIONAL
) -> bytes:
    return spreadsheets.to_csv(headers, rows, text=_text, dialect=dialect)


def to_xlsx(headers: Sequence[object], rows: Rows, *, sheet: str = "data") -> bytes:
    return spreadsheets.table_xlsx(
        headers, rows, sheet=sheet, text=_text, tz=timezone.get_current_timezone()
    )


def xlsx_response(body: bytes, filename: str) -> HttpResponse:
    """An XLSX download (built with `sigap.spreadsheets`) named `filename` (slugged)."""
    response = HttpResponse(body, content_type=FORMATS["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{safe_filename(filename, "xlsx")}"'
    return response


def export_response(
    request: HttpRequest,
    *,
    filename: str,
    headers: Sequence[object],
    rows: Rows,
    table: str | None = None,
) -> HttpResponse | None:
    """A CSV/XLSX download of this table when the query string asks for it, else None.

    With `table`, only `?table=<table>` selects this table (a page with several tables).
    """
    fmt = requested_format(request)
    if fmt is None:
        return None
    if fmt not in FORMATS:
        return HttpResponseBadRequest(
            _("Unknown export format %(fmt)s: use csv, csv-id or xlsx.") % {"fmt": fmt[:20]},
            content_type="text/plain; charset=utf-8",
        )
    if table is not None and request.GET.get("table") != table:
        return None
    return _download(fmt, filename, headers, rows, sheet=table or filename)


def _download(
    fmt: str, filename: str, headers: Sequence[object], rows: Rows, *, sheet: str
) -> HttpResponse:
    dialect = CSV_DIALECTS.get(fmt)
    if dialect is not None:
        body = to_csv(headers, rows, dialect)
    else:
        body = to_xlsx(headers, rows, sheet=sheet)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{safe_filename(filename, fmt)}"'
    return response


def export_tables(
    request: HttpRequest,
    tables: Mapping[str, Callable[[], tuple[str, Sequence[object], Rows]]],
) -> HttpResponse | None:
    """Answer `?export=...&table=NAME` from `tables` (name → a function giving
    (filename, headers, rows), called only for the table asked for). None when no export is
    asked; 400 for an unknown format or table name."""
    fmt = requested_format(request)
    if fmt is None:
        return None
    if fmt not in FORMATS:
        return export_response(request, filename="", headers=(), rows=())  # the 400
    name = request.GET.get("table") or (next(iter(tables)) if len(tables) == 1 else "")
    if name not in tables:
        return HttpResponseBadRequest(
            _("Unknown table %(name)s.") % {"name": name[:40]},
            content_type="text/plain; charset=utf-8",
        )
    filename, headers, rows = tables[name]()
    return _download(fmt, filename, headers, rows, sheet=name)
