"""The report records the calendar it counted working days in, and shows activity instances."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from sigap.analytics.cli import main
from sigap.analytics.engine import DuckDBEngine
from sigap.analytics.performance import PerformanceSettings
from sigap.analytics.report import build_report, write_report
from sigap.rules.calendar import calendar_for

from .conftest import data_file
from .test_instances import EXPECTED, HAND, write_canonical


def test_cli_calendar_is_recorded_in_every_format(tmp_path: Path) -> None:
    log = str(data_file("running-example.xes"))
    for ext in ("json", "html", "xlsx"):
        out = tmp_path / f"report.{ext}"
        args = [log, "--out", str(out), "--no-progress", "--calendar", "nl"]
        assert main(args) == 0
        if ext == "json":
            report = json.loads(out.read_text())
            assert report["calendar"] == [
                "Hari kerja NL (libur umum)",
                "Working days NL (public holidays)",
            ]
            assert report["instances"] == []  # complete events only: no instances
        elif ext == "html":
            assert "<dt>Kalender kerja</dt><dd>Hari kerja NL (libur umum);" in out.read_text()
        else:
            book = openpyxl.load_workbook(out)
            rows = list(book["Ringkasan"].iter_rows(values_only=True))
            assert any(
                r[:2] == ("Kalender kerja", "Hari kerja NL (libur umum); zona waktu Asia/Jakarta")
                for r in rows
            )


def test_cli_default_calendar_is_indonesias(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    assert main([str(data_file("running-example.xes")), "--out", str(out), "--no-progress"]) == 0
    calendar = json.loads(out.read_text())["calendar"]
    assert calendar[0] == "Hari kerja Indonesia (libur nasional dan cuti bersama)"


def test_cli_unknown_calendar_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.json"
    args = [str(data_file("running-example.xes")), "--out", str(out), "--no-progress",
            "--calendar", "Jakarta"]  # fmt: skip
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "--calendar: unknown calendar 'Jakarta'" in err
    assert "list_supported_countries" in err
    assert not out.exists()


def test_report_shows_activity_instances(tmp_path: Path) -> None:
    with DuckDBEngine() as engine:
        engine.register_log(write_canonical(tmp_path / "hand.parquet", HAND))
        report = build_report(
            engine, source="hand", settings=PerformanceSettings(calendar=calendar_for("none"))
        )
    assert report.instances == EXPECTED
    assert report.calendar == ("Hari kalender (tanpa libur)", "Calendar days (no holidays)")
    data = json.loads(write_report(report, tmp_path / "r.json").read_text())
    check = next(i for i in data["instances"] if i["activity"] == "check")
    assert (check["instances"], check["service_mean_s"]) == (4, 1650.0)
    # service 10200 s of 15600 (test_instances.py): 65.4 %, waiting 34.6 %
    page = write_report(report, tmp_path / "r.html").read_text()
    assert "Waktu layanan dan waktu tunggu per langkah (layanan 65,4 %, menunggu 34,6 %)" in page
    book = openpyxl.load_workbook(write_report(report, tmp_path / "r.xlsx"))
    rows = list(book["Waktu layanan dan waktu tunggu"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Langkah", "Pelaksanaan langkah", "Median waktu layanan (jam)")
    assert [r[0] for r in rows[1:]] == ["archive", "check", "decide", "register"]
