"""The one spreadsheet writer: formula-like text stays inert, characters XLSX cannot hold are
dropped, numbers stay numbers and dates stay dates (sigap.spreadsheets)."""

from __future__ import annotations

import csv
import io
import math
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


# --- CSV dialects ------------------------------------------------------------------------------


def read_id_csv(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads the names right
    text = body.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def test_the_indonesian_dialect_round_trips_with_semicolons_and_decimal_commas():
    headers = ["Unit", "IKM", "Permohonan", "Tanggal", "Catatan", "Rumus"]
    rows = [["Loket A; lantai 2", 95.4, 1234567, date(2025, 3, 27), 'kata "kutip"', "=1+1"]]
    body = spreadsheets.to_csv(headers, rows, dialect=spreadsheets.INDONESIAN)
    text = body.decode("utf-8-sig")
    assert text.endswith('"Loket A; lantai 2";95,4;1234567;2025-03-27;"kata ""kutip""";\'=1+1\r\n')
    assert text.count("\r\n") == 2
    assert read_id_csv(body) == [
        headers,
        ["Loket A; lantai 2", "95,4", "1234567", "2025-03-27", 'kata "kutip"', "'=1+1"],
    ]


def test_indonesian_numbers_read_back_as_the_same_numbers():
    values = [95.4, 0.1 + 0.2, -12.5, 1e-7, 2.5e20, Decimal("70.80"), 1234567, -5, 0]
    body = spreadsheets.to_csv(["n"] * len(values), [values], dialect=spreadsheets.INDONESIAN)
    cells = read_id_csv(body)[1]
    assert cells[0] == "95,4" and cells[5] == "70,80" and cells[6] == "1234567"
    assert all("." not in c and "e" not in c.lower() for c in cells)  # no grouping, no exponent
    assert [Decimal(c.replace(",", ".")) for c in cells] == [
        Decimal(repr(v)) if isinstance(v, float) else Decimal(v) for v in values
    ]


def test_both_dialects_defuse_formulas_and_drop_nul():
    for dialect in (spreadsheets.INTERNATIONAL, spreadsheets.INDONESIAN):
        body = spreadsheets.to_csv(
            ["Komentar"], [[text] for text in [*HOSTILE, "nul\x00byte"]], dialect=dialect
        )
        text = body.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=dialect.delimiter))
        assert [r[0] for r in rows[1:]] == ["'" + t for t in HOSTILE] + ["nulbyte"]
        assert "\x00" not in text


def test_the_international_dialect_is_unchanged():
    body = spreadsheets.to_csv(["a", "b"], [[95.4, "x,y"]])
    assert body == '\ufeffa,b\r\n95.4,"x,y"\r\n'.encode()


def test_xlsx_decimals_keep_their_places_and_dates_are_date_cells():
    rows = [[Decimal("70.80"), Decimal("3"), 91.5, 7, date(2025, 3, 27)]]
    ws = read_xlsx(spreadsheets.table_xlsx(list("ABCDE"), rows))
    assert [c.number_format for c in ws[2][:4]] == ["0.00", "0", "General", "General"]
    assert ws["A2"].data_type == "n" and ws["E2"].is_date


def test_a_figure_is_a_number_cell_with_its_format_and_the_plain_number_in_csv():
    rows = [[spreadsheets.Figure(1234567, "#,##0"), spreadsheets.Figure(2.5, "0.0"),
             spreadsheets.Figure(None, "0.0"), spreadsheets.Figure(math.nan, "0.0")]]  # fmt: skip
    ws = read_xlsx(spreadsheets.table_xlsx(list("ABCD"), rows))
    assert (ws["A2"].data_type, ws["A2"].value, ws["A2"].number_format) == ("n", 1234567, "#,##0")
    assert (ws["B2"].value, ws["B2"].number_format) == (2.5, "0.0")
    assert ws["C2"].value is None and ws["D2"].value is None
    indonesian = spreadsheets.to_csv(list("ABCD"), rows, dialect=spreadsheets.INDONESIAN)
    assert indonesian == "\ufeffA;B;C;D\r\n1234567;2,5;;\r\n".encode()


def test_a_ratio_is_a_percentage_cell_in_xlsx_and_the_plain_number_in_csv():
    rows = [[spreadsheets.Ratio(0.954), spreadsheets.Ratio(0.4, 0), spreadsheets.Ratio(None)]]
    ws = read_xlsx(spreadsheets.table_xlsx(list("ABC"), rows))
    assert (ws["A2"].data_type, ws["A2"].value, ws["A2"].number_format) == ("n", 0.954, "0.0%")
    assert (ws["B2"].value, ws["B2"].number_format) == (0.4, "0%")
    assert ws["C2"].value is None
    assert spreadsheets.to_csv(list("ABC"), rows) == "\ufeffA,B,C\r\n0.954,0.4,\r\n".encode()
    indonesian = spreadsheets.to_csv(list("ABC"), rows, dialect=spreadsheets.INDONESIAN)
    assert indonesian == "\ufeffA;B;C\r\n0,954;0,4;\r\n".encode()
