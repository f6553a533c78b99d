"""The shared CSV/XLSX export: content, headers, file name, errors, and formula-safe cells."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import RequestContext, Template
from django.utils import translation
from openpyxl import load_workbook

from sigap.web.exports import csv_cell, export_response, export_tables, safe_filename

HEADERS = ["Unit", "Requests", "SLA share (%)"]
ROWS = [["Loket A", 120, 91.5], ["Puskesmas Sukamaju", 8, None]]


def download(rf, query: dict[str, str], **kw: object):  # type: ignore[no-untyped-def]
    args: dict[str, object] = {"filename": "SLA per unit 2026-Q3", "headers": HEADERS, "rows": ROWS}
    args.update(kw)
    return export_response(rf.get("/transparansi/", query), **args)  # type: ignore[arg-type]


def read_csv(response, delimiter: str = ",") -> list[list[str]]:  # type: ignore[no-untyped-def]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # BOM: spreadsheets read it as UTF-8
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=delimiter))


def test_no_export_asked_means_the_page_renders(rf):
    assert download(rf, {}) is None


def test_csv_has_the_headers_rows_type_and_file_name(rf):
    response = download(rf, {"export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="sla-per-unit-2026-q3.csv"'
    assert read_csv(response) == [
        HEADERS,
        ["Loket A", "120", "91.5"],
        ["Puskesmas Sukamaju", "8", ""],
    ]


def test_csv_for_excel_set_to_indonesian_has_semicolons_and_decimal_commas(rf):
    response = download(rf, {"export": "csv-id"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="sla-per-unit-2026-q3.csv"'
    assert response.content.decode("utf-8").endswith(
        "Loket A;120;91,5\r\nPuskesmas Sukamaju;8;\r\n"
    )
    assert read_csv(response, ";") == [
        HEADERS,
        ["Loket A", "120", "91,5"],
        ["Puskesmas Sukamaju", "8", ""],
    ]


def test_xlsx_has_the_headers_and_typed_cells(rf):
    response = download(rf, {"export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == 'attachment; filename="sla-per-unit-2026-q3.xlsx"'
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [[c.value for c in row] for row in ws.iter_rows()] == [
        HEADERS,
        ["Loket A", 120, 91.5],
        ["Puskesmas Sukamaju", 8, None],
    ]
    assert ws["A1"].font.bold is True
    assert ws.title == "SLA per unit 2026-Q3"


@pytest.mark.parametrize("fmt", ["pdf", "CSV", "csv-ID", "csv-en", "csv;"])
def test_an_unknown_format_is_a_400(rf, fmt):
    response = download(rf, {"export": fmt})
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert b"use csv, csv-id or xlsx" in response.content
    with translation.override("id"):
        response = download(rf, {"export": fmt})
    assert "gunakan csv, csv-id atau xlsx" in response.content.decode()


def test_a_named_table_answers_only_its_own_name(rf):
    assert download(rf, {"export": "csv", "table": "other"}, table="ranking") is None
    response = download(rf, {"export": "csv", "table": "ranking"}, table="ranking")
    assert response.status_code == 200


def test_export_tables_builds_only_the_table_asked_for(rf):
    built: list[str] = []

    def table(name: str):  # type: ignore[no-untyped-def]
        def build():  # type: ignore[no-untyped-def]
            built.append(name)
            return f"{name}-2026", ["A"], [[name]]

        return build

    tables = {"sla": table("sla"), "ikm": table("ikm")}
    response = export_tables(rf.get("/", {"export": "csv", "table": "ikm"}), tables)
    assert read_csv(response) == [["A"], ["ikm"]]
    assert response["Content-Disposition"] == 'attachment; filename="ikm-2026.csv"'
    assert built == ["ikm"]
    assert export_tables(rf.get("/"), tables) is None
    assert export_tables(rf.get("/", {"export": "csv", "table": "nope"}), tables).status_code == 400
    assert export_tables(rf.get("/", {"export": "doc", "table": "ikm"}), tables).status_code == 400


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+62 812", "'+62 812"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("Loket A", "Loket A"),
        ("a=b", "a=b"),
        (-5, "-5"),  # a real number stays a number: no apostrophe
        (Decimal("2.50"), "2.50"),
        (1e-7, "0.0000001"),  # no exponent
        (None, ""),
        (date(2026, 9, 30), "2026-09-30"),
    ],
)
def test_csv_cells_that_a_spreadsheet_would_run_are_defused(value, cell):
    assert csv_cell(value) == cell


def test_formula_text_in_csv_and_xlsx_is_never_a_formula(rf):
    rows = [["=1+1", "@cmd", -3]]
    response = download(rf, {"export": "csv"}, rows=rows)
    assert read_csv(response)[1] == ["'=1+1", "'@cmd", "-3"]
    response = download(rf, {"export": "csv-id"}, rows=rows)
    assert read_csv(response, ";")[1] == ["'=1+1", "'@cmd", "-3"]
    response = download(rf, {"export": "xlsx"}, rows=rows)
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A2"].value == "=1+1" and ws["A2"].data_type == "s"  # text, not a formula
    assert ws["C2"].value == -3


def test_control_characters_do_not_break_the_xlsx(rf):
    response = download(rf, {"export": "xlsx"}, rows=[["bad\x01name", 1, 2]])
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A2"].value == "badname"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("SLA per unit", "sla-per-unit.csv"),
        ("laporan.csv", "laporan.csv"),
        ('a"; b\r\nX: y', "a-b-x-y.csv"),
        ("", "export.csv"),
    ],
)
def test_file_names_are_safe_ascii_slugs(name, expected):
    assert safe_filename(name, "csv") == expected
    assert safe_filename(name, "csv-id") == expected  # both dialects are .csv files


def test_export_links_keep_the_query_string_and_drop_the_page(rf):
    tpl = Template('{% include "web/_export_links.html" with table="ranking" label="Ranking" %}')
    request = rf.get("/pimpinan/", {"periode": "2026-Q3", "page": "2"})
    request.user = AnonymousUser()
    html = tpl.render(RequestContext(request))
    assert 'href="?periode=2026-Q3&amp;export=csv-id&amp;table=ranking"' in html
    assert 'href="?periode=2026-Q3&amp;export=csv&amp;table=ranking"' in html
    assert 'href="?periode=2026-Q3&amp;export=xlsx&amp;table=ranking"' in html
    assert 'CSV (international)<span class="visually-hidden"> (Ranking)</span>' in html
    # The Indonesian dialect comes first.
    assert html.index("export=csv-id") < html.index("export=csv&amp;") < html.index("xlsx")


def test_export_links_name_both_csv_dialects_in_indonesian(rf):
    tpl = Template('{% include "web/_export_links.html" with table="ranking" %}')
    request = rf.get("/pimpinan/")
    request.user = AnonymousUser()
    with translation.override("id"):
        html = tpl.render(RequestContext(request))
    assert 'CSV (Excel Indonesia)<span class="visually-hidden"> (tabel ini)</span>' in html
    assert "CSV (internasional)" in html
    assert "Unduh tabel ini:" in html
