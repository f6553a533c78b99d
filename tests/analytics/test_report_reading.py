"""What the report says about how it read the log: in which order the events of a case were read
(every figure after it, map, variants, delays, depends on it), how many variants it lists, which
checks found examples. Real logs from the public suite."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from sigap.analytics.cli import main

from .conftest import write_csv

SUITE = Path(__file__).resolve().parent / "data" / "public-suite"


def run(log: str, out: Path, *args: str) -> None:
    assert main([str(SUITE / log), "--no-progress", "--out", str(out), *args]) == 0


def test_start_order_gives_the_readme_figures_and_says_so(tmp_path: Path) -> None:
    run("interval_event_log.csv", tmp_path / "r.json", "--order", "start")
    report = json.loads((tmp_path / "r.json").read_text())
    # README: ordered by start time, 14 directly-follows edges and 9 variants
    assert (len(report["dfg"]["edges"]), report["variant_count"]) == (14, 9)
    assert report["notes"]["order"] == "start"
    run("interval_event_log.csv", tmp_path / "r.html", "--order", "start")
    page = (tmp_path / "r.html").read_text()
    assert "<dt>Urutan kejadian dalam kasus</dt><dd>menurut waktu mulai bila tercatat" in page
    run("interval_event_log.csv", tmp_path / "en.html", "--order", "start", "--lang", "en")
    page = (tmp_path / "en.html").read_text()
    assert "<dt>Order of events within a case</dt><dd>by start time where recorded" in page


def test_completion_order_is_named_in_the_xlsx_summary(tmp_path: Path) -> None:
    run("running-example.csv.gz", tmp_path / "r.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx")["Ringkasan"]
    rows = {r[0]: r[1] for r in sheet.iter_rows(values_only=True) if r and r[0]}
    assert rows["Urutan kejadian dalam kasus"].startswith("menurut waktu selesai")


@pytest.mark.parametrize(
    ("lang", "order", "no_wait", "grain"),
    [
        (
            "id",
            "menurut urutan dalam berkas; tanpa durasi",
            "Waktu tunggu tidak dihitung",
            "Rincian periode",
        ),
        (
            "en",
            "as listed in the file; without durations",
            "Waiting times are not computed",
            "Periods shown by",
        ),
    ],
)
def test_file_order_says_there_are_no_durations(
    lang: str, order: str, no_wait: str, grain: str, tmp_path: Path
) -> None:
    out = tmp_path / "r.html"
    run("partial-order-example.xes.gz", out, "--order", "file", "--lang", lang)
    page = out.read_text()
    assert order in page
    assert no_wait in page  # not "no waiting between steps": the waits are unknown
    assert grain not in page  # there is no table by period to speak of


def test_variant_heading_counts_what_the_explorer_lists(tmp_path: Path) -> None:
    # reviewing: 96 variants, all listed; hiring: 386, the explorer lists the top 200
    run("reviewing.xes.gz", tmp_path / "r.html")
    assert "<h2>Varian proses (semua 96)</h2>" in (tmp_path / "r.html").read_text()
    run("fairness/hiring_log_high.xes.gz", tmp_path / "h.html", "--lang", "en")
    page = (tmp_path / "h.html").read_text()
    assert "<h2>Process variants (top 200 of 386)</h2>" in page
    assert "top 20 of" not in page


def test_quality_sheet_leaves_examples_blank_when_there_are_none(tmp_path: Path) -> None:
    run("reviewing.xes.gz", tmp_path / "r.xlsx")
    rows = list(openpyxl.load_workbook(tmp_path / "r.xlsx")["Kualitas data"].values)
    examples = {r[0]: r[3] for r in rows[1:]}
    assert examples["Kejadian ganda"] == "10, 100, 11, 12, 13"
    # "(tidak tercatat)" would say the examples were not recorded; there are none to give
    assert examples["Zona waktu"] in ("", None)
    assert "(tidak tercatat)" not in examples.values()


def test_english_quality_sentences_read_as_english(tmp_path: Path) -> None:
    run("reviewing.xes.gz", tmp_path / "r.html", "--lang", "en")
    page = (tmp_path / "r.html").read_text()
    assert "No event has any outcome" in page and "Every event has its resource." in page
    assert "a outcome" not in page


def test_outcome_columns_only_for_a_log_with_outcomes(tmp_path: Path) -> None:
    # receipt has no outcome column: "first time right 100 %" would be invented
    assert main([str(SUITE.parent / "receipt.csv.gz"), "--no-progress", "--out",
                 str(tmp_path / "r.html")]) == 0  # fmt: skip
    page = (tmp_path / "r.html").read_text()
    assert "Median waktu penyelesaian" in page and "Benar sejak awal" not in page
    assert "Median menunggu pemohon" not in page
    rows = [("1", "submit", "2025-03-03T08:00:00+07:00", "completed"),
            ("1", "verify", "2025-03-04T08:00:00+07:00", "returned"),
            ("1", "issue", "2025-03-06T08:00:00+07:00", "completed")]  # fmt: skip
    src = write_csv(tmp_path / "log.csv", rows, ("case", "step", "time", "outcome"))
    mapping = ["--case", "case", "--activity", "step", "--timestamp", "time"]
    args = [str(src), *mapping, "--lifecycle", "outcome", "--no-progress"]
    args += ["--out", str(tmp_path / "o.html")]
    assert main(args) == 0
    assert "Benar sejak awal" in (tmp_path / "o.html").read_text()


def test_a_log_without_timestamps_claims_nothing_about_its_times(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    run("partial-order-example.xes.gz", out, "--order", "file")
    page = out.read_text()
    assert "25 kejadian (100,0 %) tidak memiliki waktu" in page
    claims = ("Semua waktu menyebut zona waktunya", "Semua waktu berada antara",
              "Semua kasus tercatat menurut urutan waktu", "Tidak ada dua kejadian")  # fmt: skip
    for claim in claims:
        assert claim not in page
