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


SUITE = Path(__file__).resolve().parent / "data" / "public-suite"


def test_log_without_timestamps_needs_order_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = str(SUITE / "partial-order-example.xes.gz")
    out = tmp_path / "report.json"
    assert main([src, "--out", str(out), "--no-progress"]) == 2
    assert "--order file" in capsys.readouterr().err
    assert main([src, "--order", "file", "--out", str(out), "--no-progress"]) == 0
    said = capsys.readouterr().out  # the console speaks the report's language, id by default
    assert said.startswith("impor: 25 baris dibaca; urutan: seperti dalam berkas;")
    assert "kejadian tanpa waktu: 25" in said and "simulasi tidak dihitung" in said
    assert main([src, "--order", "file", "--out", str(out), "--no-progress", "--lang", "en"]) == 0
    said = capsys.readouterr().out
    assert "ordered as in the file" in said and "events without a timestamp: 25" in said
    assert "what-if skipped" in said and "25 events, 5 cases, 5 variants →" in said
    report = json.loads(out.read_text())
    assert len(report["dfg"]["edges"]) == 11 and report["variant_count"] == 5
    assert report["dfg"]["edges"][0]["mean_s"] is None
    assert report["performance"] == [] and report["what_if"] == []
    assert report["notes"]["missing_timestamps"] == 25
    html_out = tmp_path / "report.html"
    assert main([src, "--order", "file", "--out", str(html_out), "--no-progress"]) == 0
    assert "<svg" in html_out.read_text()


def test_order_start_and_strict_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = str(SUITE / "interval_event_log.csv.gz")
    out = tmp_path / "report.json"
    assert main([src, "--out", str(out), "--no-progress"]) == 0
    assert "kasus diurutkan ulang menurut waktu: 39" in capsys.readouterr().out
    assert len(json.loads(out.read_text())["dfg"]["edges"]) == 15
    assert main([src, "--order", "start", "--out", str(out), "--no-progress"]) == 0
    report = json.loads(out.read_text())
    assert len(report["dfg"]["edges"]) == 14 and report["variant_count"] == 9
    assert report["notes"]["order"] == "start"
    assert main([src, "--strict-order", "--out", str(out), "--no-progress"]) == 2
    assert "goes back in time" in capsys.readouterr().err


def test_duplicates_kept_or_dropped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [("1", "a", "2025-01-01T08:00:00Z"), ("1", "b", "2025-01-01T09:00:00Z"),
            ("1", "b", "2025-01-01T09:00:00Z")]  # fmt: skip
    src = write_csv(tmp_path / "log.csv", rows, ("case", "act", "time"))
    out = tmp_path / "report.json"
    args = [str(src), "--case", "case", "--activity", "act", "--timestamp", "time",
            "--out", str(out), "--no-progress"]  # fmt: skip
    assert main(args) == 0
    assert "kejadian ganda dipertahankan: 1" in capsys.readouterr().out
    assert json.loads(out.read_text())["dfg"]["events"] == 3
    assert main([*args, "--drop-duplicates"]) == 0
    said = capsys.readouterr().out
    assert "kejadian ganda dibuang: 1" in said and "kejadian ganda dipertahankan: 0" in said
    assert json.loads(out.read_text())["dfg"]["events"] == 2


def test_start_timestamp_and_transition_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [("1", "a", "2025-01-01T08:00:00Z", "START"), ("1", "a", "2025-01-01T09:00:00Z",
            "complete")]  # fmt: skip
    src = write_csv(tmp_path / "log.csv", rows, ("case", "act", "time", "phase"))
    out = tmp_path / "report.json"
    args = [str(src), "--case", "case", "--activity", "act", "--timestamp", "time",
            "--out", str(out), "--no-progress"]  # fmt: skip
    assert main([*args, "--transition", "phase"]) == 0
    assert "langkah dengan waktu mulai: 1" in capsys.readouterr().out
    assert json.loads(out.read_text())["notes"]["paired_instances"] == 1
    assert main([*args, "--start-timestamp", "begun"]) == 2
    assert "column 'begun'" in capsys.readouterr().err


def test_help_explains_the_order_choice(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "format_dataframe" in text and "discover_dfg" in text
