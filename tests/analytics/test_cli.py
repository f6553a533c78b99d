"""`sigap analyze` called the way the `sigap` entry point calls it: main(argv)."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from lxml import etree

from sigap.analytics.cli import main

from .conftest import data_file, write_csv


def test_json_report_of_an_xes_log(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    assert main([str(data_file("running-example.xes")), "--out", str(out), "--no-progress"]) == 0
    report = json.loads(out.read_text())
    assert len(report["dfg"]["edges"]) == 16
    assert report["variant_count"] == 6
    assert report["dfg"]["start_activities"] == {"register request": 6}


def test_html_report_draws_the_process_map(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    procedure = "Confirmation of receipt,T02 Check confirmation of receipt"
    args = [str(data_file("receipt.csv.gz")), "--format", "csv", "--out", str(out),
            "--no-progress", "--procedure", procedure]  # fmt: skip
    assert main(args) == 0
    page = out.read_text()
    svg = page[page.index("<svg") : page.index("</svg>") + 6]
    etree.fromstring(svg.encode())  # a well-formed picture, drawn by the map's script
    start = page.index("<script type='application/json' class='sgpm-data'>")
    payload = page[page.index(">", start) + 1 : page.index("</script>", start)]
    data = json.loads(payload)
    assert len(data["activities"]) == 27  # every activity is in the map's data
    assert data["shown"] <= 30  # the default view is readable
    assert "class='sgve'" in page  # the variant explorer
    assert "mengikuti prosedur Confirmation of receipt → T02 Check confirmation of receipt" in page
    assert "Kinerja per layanan" in page


def test_xlsx_report_has_a_sheet_per_table(tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    args = [str(data_file("running-example.xes")), "--out", str(out), "--no-progress",
            "--min-cases", "1"]  # fmt: skip
    assert main(args) == 0
    sheets = openpyxl.load_workbook(out).sheetnames
    assert {"Ringkasan", "Perpindahan antarlangkah", "Varian proses", "Kinerja petugas"} <= set(
        sheets
    )
    assert main([*args, "--lang", "en"]) == 0
    sheets = openpyxl.load_workbook(out).sheetnames
    assert {"Summary", "Moves between steps", "Process variants", "Officers"} <= set(sheets)


def test_bad_log_exits_2_naming_row_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write_csv(tmp_path / "bad.csv", [("1", "a", "yesterday")], ("case", "act", "time"))
    out = tmp_path / "report.json"
    args = [str(src), "--case", "case", "--activity", "act", "--timestamp", "time",
            "--out", str(out), "--no-progress"]  # fmt: skip
    assert main(args) == 2
    assert (
        "bad.csv, row 1, column 'time': unparseable timestamp 'yesterday'"
        in capsys.readouterr().err
    )
    assert not out.exists()
