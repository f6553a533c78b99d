"""A version of the standar kompetensi jabatan as an XLSX sheet, both ways: one row per
position and competency with the columns Jabatan, Kode kompetensi, Level (the file an agency
keeps), read by `read_rows` for `standards.standard_import` and written by `version_xlsx` in
the same layout, so an exported version imports back unchanged."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from sigap.competency.models import StandardVersion
from sigap.competency.sheets import BROKEN_WHILE_READING
from sigap.competency.standards import ImportFailed, ImportRow
from sigap.spreadsheets import table_xlsx

HEADERS = ("Jabatan", "Kode kompetensi", "Level")
# Header names read (case and spacing ignored): the file's own Indonesian ones, or English.
ACCEPTED = {
    "position": {"jabatan", "nama jabatan", "position"},
    "code": {"kode kompetensi", "kode", "competency code"},
    "level": {"level", "level standar", "required level"},
}
MAX_ROWS = 20_000


def version_xlsx(version: StandardVersion) -> bytes:
    rows = version.requirements.select_related("position", "competency").order_by(
        "position__name", "competency__code"
    )
    return table_xlsx(
        HEADERS,
        ([r.position.name, r.competency.code, r.level] for r in rows),
        sheet="Standar kompetensi",
    )


def read_rows(data: bytes, filename: str) -> tuple[list[ImportRow], dict[str, str]]:
    """The rows of the first sheet under its header row, and each field's column as the file
    names it ("B (Kode kompetensi)"). Raises `ImportFailed` for a file that is not an XLSX
    workbook or lacks a column."""
    import openpyxl

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportFailed([_("%(file)s is not an XLSX workbook.") % {"file": filename}])
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ImportFailed([_("%(file)s is not an XLSX workbook.") % {"file": filename}]) from exc
    try:
        sheet = workbook.worksheets[0]
        lines = _guarded(sheet.iter_rows(values_only=True), filename)
        header = next(lines, None) or ()
        names = [" ".join(str(h or "").split()).casefold() for h in header]
        where: dict[str, int] = {}
        missing = []
        for field, accepted in ACCEPTED.items():
            index = next((i for i, n in enumerate(names) if n in accepted), None)
            if index is None:
                missing.append(HEADERS[list(ACCEPTED).index(field)])
            else:
                where[field] = index
        if missing:
            raise ImportFailed(
                [
                    _("%(file)s, row 1: the column %(column)s is missing.")
                    % {"file": filename, "column": name}
                    for name in missing
                ]
            )
        columns = {field: f"{get_column_letter(i + 1)} ({header[i]})" for field, i in where.items()}
        rows: list[ImportRow] = []
        for number, values in enumerate(lines, start=2):
            if number > MAX_ROWS + 1:
                raise ImportFailed(
                    [_("%(file)s has more than %(max)d rows.") % {"file": filename,
                                                                  "max": MAX_ROWS}]
                )  # fmt: skip
            if all(v is None or str(v).strip() == "" for v in values):
                continue

            def cell(field: str, values: tuple[object, ...] = values) -> object:
                i = where[field]
                return values[i] if i < len(values) else None

            rows.append(
                ImportRow(
                    row=number,
                    position=str(cell("position") or ""),
                    code=str(cell("code") or ""),
                    level=cell("level"),
                )
            )
    finally:
        workbook.close()
    return rows, columns


def _guarded(rows: Iterator[tuple[object, ...]], filename: str) -> Iterator[tuple[object, ...]]:
    """The sheet's rows; a sheet damaged past some row (XML that does not parse, a corrupt ZIP
    member) refuses the file naming it and the row where reading stopped, not a server error."""
    number = 0
    while True:
        try:
            values = next(rows, None)
        except BROKEN_WHILE_READING as exc:
            raise ImportFailed(
                [
                    _("%(file)s, row %(row)d: the workbook is damaged and cannot be read from "
                      "this row on.") % {"file": filename, "row": number + 1}
                ]
            ) from exc  # fmt: skip
        if values is None:
            return
        number += 1
        yield values
