"""The analysis report for people: its words (Indonesian and English), its formats, its periods,
its typed spreadsheet and its self-contained page."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterator
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest

from sigap.analytics import wording
from sigap.analytics.engine import DuckDBEngine
from sigap.analytics.report import (
    SHOWN_ROWS,
    Report,
    build_report,
    render_html,
    render_xlsx,
    write_report,
)

from .conftest import data_file

# English words that must not appear in the Indonesian report's own words (log data aside).
ENGLISH = {
    "the", "of", "and", "to", "by", "with", "case", "cases", "step", "steps", "time", "lead",
    "waiting", "days", "day", "hours", "hour", "minutes", "report", "performance", "rework",
    "backlog", "officer", "officers", "variant", "variants", "events", "share", "mean",
    "throughput", "bottleneck", "bottlenecks", "period", "summary", "findings", "working",
    "open", "closed", "edges", "activity", "activities", "scenario", "what", "if", "none",
}  # fmt: skip
SNAKE = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")


def english_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[A-Za-z]+", text) if w.lower() in ENGLISH}


# --- formats ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "id_", "en"),
    [
        (3 * 86_400 + 4 * 3600, "3 hari 4 jam", "3 days 4 hours"),
        (45 * 60, "45 menit", "45 minutes"),
        (2 * 3600 + 5 * 60, "2 jam 5 menit", "2 hours 5 minutes"),
        (3600, "1 jam", "1 hour"),
        (86_400 + 23 * 3600 + 40 * 60, "2 hari", "2 days"),  # rounded to the hour shown
        (86_400 - 20 * 60, "1 hari", "1 day"),
        (60, "1 menit", "1 minute"),
        (10, "< 1 menit", "< 1 minute"),
        (0, "0 menit", "0 minutes"),
        (1234 * 86_400, "1.234 hari", "1,234 days"),
        (None, "—", "—"),
    ],
)
def test_durations_in_words(seconds: float | None, id_: str, en: str) -> None:
    assert wording.duration(seconds, "id") == id_
    assert wording.duration(seconds, "en") == en


def test_numbers_dates_and_periods_in_indonesian_and_english() -> None:
    assert wording.integer(1_234_567, "id") == "1.234.567"
    assert wording.integer(1_234_567, "en") == "1,234,567"
    assert wording.number(12.5, "id") == "12,5"
    assert wording.number(3.0, "id") == "3"
    assert wording.percent(0.623, "id") == "62,3 %"
    assert wording.percent(0.623, "en") == "62.3%"
    assert wording.working_days(2.5, "id") == "2,5 hari kerja"
    assert wording.working_days(1, "en") == "1 working day"
    assert wording.day(date(2026, 12, 5), "id") == "5 Des 2026"
    assert wording.period("2025-Q1", "id") == "Triwulan I 2025"
    assert wording.period("2025-Q1", "en") == "Q1 2025"
    assert wording.period("2025-07", "id") == "Juli 2025"
    assert wording.period("2025", "id") == "2025"
    with pytest.raises(ValueError, match="unknown report language 'fr'"):
        wording.lang_of("fr")


def test_every_indonesian_word_has_no_snake_case_nor_english() -> None:
    for key, (id_, en) in wording.WORDS.items():
        words = re.sub(r"{\w+}", "", id_)  # the values filled in are checked on the page
        assert not SNAKE.search(words), key
        assert not english_words(words), (key, english_words(words))
        assert (en and en != id_) or key in {"h_unit", "lead_median_value"}, key
        # both languages take the same values
        assert set(re.findall(r"{(\w+)}", id_)) == set(re.findall(r"{(\w+)}", en)), key


# --- the report of a log ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def running_example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Report]:
    from sigap.analytics.importers import import_log

    tmp = tmp_path_factory.mktemp("report")
    imported = import_log(data_file("running-example.xes"), tmp / "log.parquet")
    with DuckDBEngine() as engine:
        engine.register_log(imported.path)
        yield build_report(
            engine, source="running-example.xes", procedure=("register request", "decide"),
            min_cases=1,
        )  # fmt: skip


class Texts(HTMLParser):
    """The text of the page's own words: headings, header cells, summary labels, the nav."""

    OWN = {"h1", "h2", "h3", "th", "dt", "summary", "a", "title", "footer"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.own: list[str] = []
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append(tag)
        self.links += [(tag, f"{k}={v}") for k, v in attrs if k in ("src", "href")]

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] in self.OWN and data.strip():
            self.own.append(data.strip())


def parsed(page: str) -> Texts:
    texts = Texts()
    texts.feed(page)
    return texts


def test_indonesian_page_has_its_own_words_in_indonesian(running_example: Report) -> None:
    page = render_html(running_example, lang="id")
    texts = parsed(page)
    activities = set(running_example.dfg.activities)
    own = [t for t in texts.own if t not in activities and "running-example" not in t]
    assert "Ringkasan" in own and "Temuan utama" in own and "Peta proses" in own
    for t in own:
        assert not SNAKE.search(t), t
        assert not english_words(t), t
    assert "<html lang=id>" in page
    # the findings in sentences, the conformance in a sentence
    assert "Langkah «" in page and "hari kerja" in page
    assert "mengikuti prosedur register request → decide" in page


def test_english_page(running_example: Report) -> None:
    page = render_html(running_example, lang="en")
    own = parsed(page).own
    assert {"Summary", "Key findings", "Process map", "Performance by service"} <= set(own)
    assert "Step «" in page and "Ringkasan" not in page


def test_the_page_is_self_contained(running_example: Report) -> None:
    for lang in wording.LANGS:
        page = render_html(running_example, lang=lang)
        texts = parsed(page)
        assert all(v.split("=", 1)[1].startswith("#") for _, v in texts.links), texts.links
        assert not re.search(r"<script[^>]*\bsrc", page)
        assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page)
        assert "<style>" in page and "@media print" in page


def test_summary_at_the_top(running_example: Report) -> None:
    page = render_html(running_example, lang="id")
    summary = page[page.index("id=summary") : page.index("id=findings")]
    for label in ("Peristiwa tercatat", "Kasus", "Periode data", "Kalender kerja",
                  "Median waktu penyelesaian"):  # fmt: skip
        assert f"<dt>{label}</dt>" in summary
    # running-example: 30 Dec 2010 to 24 Jan 2011 in Jakarta
    assert "<dd>30 Des 2010 s.d. 24 Jan 2011</dd>" in summary
    assert "<dd>42</dd>" in summary  # events


def test_long_tables_fold_after_the_first_rows(running_example: Report) -> None:
    page = render_html(running_example, lang="id")
    edges = page[page.index("id=edges") :]
    edges = edges[: edges.index("</section>")]
    n = len(running_example.dfg.edges)
    assert n > SHOWN_ROWS + 2
    shown, folded = edges.split("<details>")
    assert shown.count("<tr>") == SHOWN_ROWS + 1  # and the header
    assert folded.count("<tr>") == n - SHOWN_ROWS + 1
    assert f"Tampilkan {n - SHOWN_ROWS} baris lainnya" in folded
    # figures right-aligned in Indonesian format
    assert re.search(r"<td class=n>\d+ (hari|jam|menit)", edges)


def test_xlsx_cells_are_typed(running_example: Report) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx(running_example, lang="id")))
    assert wb.sheetnames[0] == "Ringkasan"
    summary = {r[0].value: r[1] for r in wb["Ringkasan"].iter_rows(min_row=2) if r[0].value}
    assert (summary["Peristiwa tercatat"].value, summary["Kasus"].value) == (42, 6)
    ws = wb["Varian proses"]
    assert ws.freeze_panes == "A2"
    header = [c.value for c in ws[1]]
    assert header[:3] == ["Urutan langkah", "Kasus", "Porsi kasus"]
    assert header[3] == "Median lama kasus (jam)"
    first = ws[2]
    assert first[1].data_type == "n" and isinstance(first[1].value, int)
    assert first[1].number_format == "#,##0"
    assert first[2].data_type == "n" and first[2].number_format == "0.0%"
    assert 0 < first[2].value <= 1
    assert isinstance(first[3].value, float) and first[3].number_format == "#,##0.00"
    for sheet in wb.worksheets:
        for cell in sheet[1]:
            if cell.value:
                assert not SNAKE.search(str(cell.value)), (sheet.title, cell.value)
                assert not english_words(str(cell.value)), (sheet.title, cell.value)


def test_json_keeps_the_machine_keys(running_example: Report, tmp_path: Path) -> None:
    out = write_report(running_example, tmp_path / "r.json", lang="en")
    data = json.loads(out.read_text())
    assert {"performance_by_period", "bottlenecks", "step_delays", "period_grain"} <= set(data)
    assert "lead_days_median" in data["performance"][0]
    assert data["period_grain"] == "month"


def test_periods_follow_the_span_of_the_log(
    make_log: Callable[..., Path], duck: Callable[[Path], DuckDBEngine]
) -> None:
    from . import test_performance

    engine = duck(make_log(test_performance.SPAN_LOG))  # Feb 2023 to Nov 2025: 34 months
    assert build_report(engine, source="x").period_grain == "month"
    engine = duck(
        make_log([*test_performance.SPAN_LOG, ("D", "submit", "2026-03-05T09:00:00+07:00")], "y")
    )
    report = build_report(engine, source="y")
    assert report.period_grain == "quarter"
    assert [p.period for p in report.performance_by_period] == [
        "2023-Q1", "2024-Q1", "2024-Q2", "2025-Q4", "2026-Q1",
    ]  # fmt: skip
    page = render_html(report, lang="id")
    assert "Kinerja per triwulan" in page and "Triwulan II 2024" in page
    year = build_report(engine, source="y", period_grain="year")
    assert [p.period for p in year.performance_by_period] == ["2023", "2024", "2025", "2026"]


def test_the_map_and_the_variants_have_their_places(running_example: Report) -> None:
    """Another map or a variant explorer takes the body of its section, the rest unchanged."""
    page = render_html(running_example, process_map="<p>MAP</p>", variant_explorer="<p>VAR</p>")
    assert "<div class=map><p>MAP</p></div>" in page and "<svg" not in page
    variants = page[page.index("<section id=variants>") :]
    assert variants[: variants.index("</section>")].endswith("<p>VAR</p>")
    assert "id=performance>" in page


def test_cli_language_and_period(tmp_path: Path) -> None:
    from sigap.analytics.cli import main

    out = tmp_path / "r.json"
    args = [str(data_file("running-example.xes")), "--no-progress", "--out", str(out)]
    assert main([*args, "--period", "year"]) == 0
    data = json.loads(out.read_text())
    assert data["period_grain"] == "year"
    assert [p["period"] for p in data["performance_by_period"]] == ["2010", "2011"]
    with pytest.raises(SystemExit):
        main([*args, "--lang", "fr"])
