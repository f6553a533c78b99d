"""Every table a page shows can be downloaded as CSV or XLSX, through one function.

A view calls `export_response(request, filename=..., headers=..., rows=...)` before rendering:
it answers `?export=csv` or `?export=xlsx` with a download, `None` when no export is asked (the
view renders its page), and 400 for any other format. A page with several tables names them
(`?export=xlsx&table=ranking`): pass `table="ranking"` and only that table answers; or hand all
of them to `export_tables`, which also answers an unknown table name with 400. The template
include `web/_export_links.html` renders the two links, keeping the page's query string.

Cells are written for spreadsheets that may be opened by anyone: a text cell beginning with
= + - @ (or a tab / carriage return) is prefixed with an apostrophe in CSV so that it is never
run as a formula (OWASP "CSV injection"); in XLSX it is stored as text, which is never a formula.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.text import slugify
from django.utils.translation import gettext as _

FORMATS: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 (and so XLSX) cannot hold.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

Rows = Iterable[Sequence[object]]


def requested_format(request: HttpRequest) -> str | None:
    return request.GET.get("export") or None


def safe_filename(filename: str, fmt: str) -> str:
    """`filename` as an ASCII slug with the extension: "SLA Loket A" → "sla-loket-a.csv"."""
    stem = re.sub(r"\.(csv|xlsx)$", "", filename, flags=re.IGNORECASE)
    return f"{slugify(stem) or 'export'}.{fmt}"


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def csv_cell(value: object) -> object:
    """A CSV cell: numbers as they are, text that a spreadsheet would run as a formula defused."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    text = _text(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def to_csv(headers: Sequence[object], rows: Rows) -> bytes:
    out = io.StringIO()
    # A BOM so that spreadsheet programs read the file as UTF-8 (names with non-ASCII letters).
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_cell(h) for h in headers])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return out.getvalue().encode("utf-8")


def to_xlsx(headers: Sequence[object], rows: Rows, *, sheet: str = "data") -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    # A sheet title has at most 31 characters and none of []:*?/\
    ws = wb.create_sheet(title=re.sub(r"[\[\]:*?/\\]", " ", sheet)[:31] or "data")

    def cell(value: object, bold: bool = False) -> WriteOnlyCell:
        if isinstance(value, (int, float, Decimal, date, datetime)) and not isinstance(value, bool):
            if isinstance(value, datetime) and value.tzinfo is not None:
                value = value.replace(tzinfo=None)  # XLSX has no time zones: local wall time
            c = WriteOnlyCell(ws, value=value)
        else:
            c = WriteOnlyCell(ws, value=_ILLEGAL_XML.sub("", _text(value)))
            # openpyxl takes a string starting with "=" as a formula: store it as text.
            c.data_type = "s"
        if bold:
            c.font = Font(bold=True)
        return c

    ws.append([cell(h, bold=True) for h in headers])
    for row in rows:
        ws.append([cell(v) for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


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
            _("Unknown export format %(fmt)s: use csv or xlsx.") % {"fmt": fmt[:20]},
            content_type="text/plain; charset=utf-8",
        )
    if table is not None and request.GET.get("table") != table:
        return None
    return _download(fmt, filename, headers, rows, sheet=table or filename)


def _download(
    fmt: str, filename: str, headers: Sequence[object], rows: Rows, *, sheet: str
) -> HttpResponse:
    body = to_csv(headers, rows) if fmt == "csv" else to_xlsx(headers, rows, sheet=sheet)
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
