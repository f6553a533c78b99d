"""The one spreadsheet writer: formula-like text stays inert, characters XLSX cannot hold are
dropped, numbers stay numbers and dates stay dates (sigap.spreadsheets)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from sigap import spreadsheets

HOSTILE = ['=HYPERLINK("http://x","klik")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def read_xlsx(body: bytes, sheet: str | None = None):  # type: ignore[no-untyped-def]
    book = load_workbook(io.BytesIO(body))
    return book[sheet] if sheet else book.active


def test_formula_text_is_a_string_cell_never_a_formula_in_xlsx():
    body = spreadsheets.table_xlsx(["Komentar"], [[text] for text in HOSTILE])
    ws = read_xlsx(body)
    cells = [row[0] for row in ws.iter_rows(min_row=2)]
    assert [c.value for c in cells] == HOSTILE  # the text itself, unchanged
    assert all(c.data_type == "s" for c in cells)
    # quotePrefix: editing the cell in a spreadsheet keeps it text as well.
    assert all(c.quotePrefix for c in cells)
    assert b"<f>" not in body  # no formula element anywhere in the package


def test_formula_text_is_prefixed_with_an_apostrophe_in_csv():
    body = spreadsheets.to_csv(["Komentar"], [[text] for text in HOSTILE])
    rows = list(csv.reader(io.StringIO(body.decode("utf-8").lstrip("\ufeff"), newline="")))
    assert [r[0] for r in rows[1:]] == ["'" + text for text in HOSTILE]


def test_characters_xml_cannot_hold_are_dropped_not_fatal():
    text = "antre\x0blama\x00 sekali\x1f\ttab\nbaris"
    ws = read_xlsx(spreadsheets.to_xlsx([spreadsheets.Sheet("Saran\x07 [x]", rows=[[text]])]))
    assert ws["A1"].value == "antrelama sekali\ttab\nbaris"
    assert ws.title == "Saran  x"


def test_numbers_stay_numbers_and_dates_stay_dates():
    jakarta = ZoneInfo("Asia/Jakarta")
    at = datetime(2025, 3, 27, 2, 0, tzinfo=UTC)
    rows = [[7, 91.5, Decimal("70.83"), date(2025, 3, 27), at, None, True, 10**17, float("nan")]]
    ws = read_xlsx(spreadsheets.table_xlsx(list("ABCDEFGHI"), rows, tz=jakarta))
    values = [c.value for c in ws[2]]
    assert values[:3] == [7, 91.5, 70.83]
    assert ws["D2"].is_date and values[3] == datetime(2025, 3, 27)
    assert values[4] == datetime(2025, 3, 27, 9, 0)  # wall time in Jakarta
    assert values[5] is None and values[6] == "True"
    assert values[7] == "100000000000000000"  # longer than 15 digits: text, not rounded
    assert values[8] is None
    assert ws["A1"].font.bold and not ws["A2"].font.bold


def test_csv_numbers_and_dates():
    body = spreadsheets.to_csv(["n", "d"], [[-5, date(2025, 1, 2)]])
    assert body.decode("utf-8").endswith("n,d\r\n-5,2025-01-02\r\n")  # a negative number is no text


def test_sheet_titles_are_unique_and_short():
    body = spreadsheets.to_xlsx(
        [spreadsheets.Sheet("Rekap " * 10), spreadsheets.Sheet("Rekap " * 10)]
    )
    names = load_workbook(io.BytesIO(body)).sheetnames
    assert len(names) == 2 and len(set(names)) == 2 and all(len(n) <= 31 for n in names)
