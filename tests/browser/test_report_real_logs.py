"""Real logs end to end, as a stranger would use sigap: `sigap analyze` writes the HTML report,
Chromium opens it from the file (file://, offline), and the page works: no console error, no
request leaves the file, the map's sliders re-draw it, the variant explorer lists the steps of a
variant and filters, and in the default view no box overlaps another and no path label lies on
a box or on another label.

The logs are the public suite's copies in tests/analytics/data (see its README).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sigap.analytics.cli import main
from tests.browser.conftest import DESKTOP

pytestmark = [pytest.mark.browser]

SUITE = Path(__file__).resolve().parents[1] / "analytics" / "data" / "public-suite"

RECT = """els => els.map(e => { const r = e.getBoundingClientRect();
    return {x: r.x, y: r.y, w: r.width, h: r.height, text: e.textContent}; })"""


def overlaps(a: list[dict[str, Any]], b: list[dict[str, Any]] | None = None) -> list[str]:
    """Pairs of rectangles that overlap by more than a pixel (within `a`, or `a` against `b`)."""
    found = []
    for i, r in enumerate(a):
        for s in a[i + 1 :] if b is None else b:
            if (
                r["x"] < s["x"] + s["w"] - 1
                and s["x"] < r["x"] + r["w"] - 1
                and r["y"] < s["y"] + s["h"] - 1
                and s["y"] < r["y"] + r["h"] - 1
            ):
                found.append(f"{r['text'][:40]!r} / {s['text'][:40]!r}")
    return found


@pytest.fixture
def tab(browser: Any) -> Iterator[tuple[Any, list[str]]]:
    context = browser.new_context(viewport=DESKTOP, locale="id-ID")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: None if r.url.startswith(("file:", "data:")) else
            problems.append(f"request: {r.url}"))  # fmt: skip
    yield page, problems
    context.close()


@pytest.mark.parametrize(
    ("log", "args", "variant_steps"),
    [
        # start and complete events (each step twice in a variant)
        ("reviewing.xes.gz", (), None),
        # 10,000 cases, 4 exact duplicates kept
        ("fairness/hiring_log_high.xes.gz", (), None),
        # no timestamps: read in file order, no durations
        ("partial-order-example.xes.gz", ("--order", "file"), 5),
    ],
)
def test_real_log_report_opened_from_a_file(
    log: str,
    args: tuple[str, ...],
    variant_steps: int | None,
    tab: tuple[Any, list[str]],
    tmp_path: Path,
) -> None:
    page, problems = tab
    out = tmp_path / "laporan.html"
    assert main([str(SUITE / log), "--no-progress", "--out", str(out), *args]) == 0
    page.goto(out.as_uri())

    # The default view is readable.
    nodes = page.locator("rect.sgpm-node, rect.sgpm-terminal").evaluate_all(RECT)
    labels = page.locator("text.sgpm-label").evaluate_all(RECT)
    assert 2 < len(nodes) <= 32 and labels
    assert overlaps(nodes) == []
    assert overlaps(labels) == []
    assert overlaps(labels, nodes) == []

    # The activity slider: fewest boxes at its first level, every activity at its last.
    acts = page.locator(".sgpm-acts")
    default = page.locator("rect.sgpm-node").count()
    acts.fill(acts.get_attribute("max") or "0")
    every = page.locator("rect.sgpm-node").count()
    acts.fill("0")
    assert page.locator("rect.sgpm-node").count() <= default <= every
    status = page.locator(".sgpm-acts-status").inner_text()
    assert status.startswith(f"{page.locator('rect.sgpm-node').count()} dari {every} aktivitas")
    # The path slider: fewer paths at 0 % than at 100 %.
    paths = page.locator(".sgpm-paths")
    paths.fill("100")
    most = page.locator("path.sgpm-edge").count()
    paths.fill("0")
    assert page.locator("path.sgpm-edge").count() < most

    # The variant explorer: the first variant's steps, then a filter that matches nothing.
    page.locator("button.sgve-see").first.click()
    steps = page.locator(".sgve-detail ol li").all_inner_texts()
    assert steps and (variant_steps is None or len(steps) == variant_steps)
    first_row = page.locator(".sgve-table tbody tr").first.inner_text()
    assert f"{len(steps)}:" in first_row
    page.locator(".sgve-filter").fill("tidak ada langkah bernama begini")
    assert page.locator(".sgve-table tbody tr:not([hidden])").count() == 0
    assert page.locator(".sgve-count").inner_text().startswith("Menampilkan 0 dari ")

    # The summary says how the events were ordered; nothing reads like code.
    text = page.locator("main, body").first.inner_text()
    assert "Urutan kejadian dalam kasus" in text
    for word in ("None", "nan", "undefined", "NaN", "_days", "lead_", "sla_"):
        assert word not in text.split(), word
    assert problems == []
