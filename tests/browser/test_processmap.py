"""The report's process map and variant explorer in Chromium, opened from a file (file://), as
someone opens a saved report offline: the sliders re-draw the map, a variant shows its steps,
the filter hides variants, nothing breaks on names full of markup, and axe-core finds nothing.

No server and no database: the fragments are pure HTML written to a temporary file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bench.process_map import dfg_of, synthetic

from sigap.analytics import processmap as pm
from sigap.analytics.discovery import Variant
from sigap.analytics.processmap import process_map_html, variant_explorer_html
from tests.browser.conftest import AXE_JS, AXE_TAGS, DESKTOP, format_violations

pytestmark = [pytest.mark.browser]

HOSTILE = "</script><script>window.__pwned = 1</script> \"Periksa\" & 'tanda' ✓"


def report_page(path: Path, body: str) -> Path:
    path.write_text(
        "<!doctype html><html lang='id'><head><meta charset='utf-8'>"
        "<title>Laporan analisis</title></head><body><main><h1>Laporan analisis</h1>"
        f"<h2>Peta proses</h2>{body}</main></body></html>",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def tab(browser: Any) -> Iterator[tuple[Any, list[str]]]:
    """A tab that collects console errors, uncaught exceptions and dialogs (an alert would mean
    a name from the log ran as a script)."""
    context = browser.new_context(viewport=DESKTOP, locale="id-ID")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("dialog", lambda d: problems.append(f"dialog: {d.message}"))
    page.on("request", lambda r: None if r.url.startswith(("file:", "data:")) else
            problems.append(f"request: {r.url}"))  # fmt: skip
    yield page, problems
    context.close()


def boxes(page: Any) -> list[dict[str, float]]:
    return list(
        page.evaluate(
            """() => Array.from(document.querySelectorAll('rect.sgpm-node')).map(r => {
                const b = r.getBBox(); return {x: b.x, y: b.y, w: b.width, h: b.height}; })"""
        )
    )


def overlapping(rects: list[dict[str, float]]) -> int:
    n = 0
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            if (
                a["x"] < b["x"] + b["w"]
                and b["x"] < a["x"] + a["w"]
                and a["y"] < b["y"] + b["h"]
                and b["y"] < a["y"] + a["h"]
            ):
                n += 1
    return n


def test_sliders_redraw_the_map_and_a_variant_shows_its_steps(
    tab: tuple[Any, list[str]], tmp_path: Path
) -> None:
    page, problems = tab
    dfg, vs = synthetic(400, 2000)
    # One hostile name in the log, in a frequent variant so it is on the map and in the list.
    vs = (Variant((vs[0].activities[0], HOSTILE, *vs[0].activities[1:]), 50000, 60.0, 60.0), *vs)
    dfg = dfg_of(vs)
    html = process_map_html(dfg, vs) + variant_explorer_html(vs, dfg.cases)
    data = json.loads(html.split("class='sgpm-data'>")[1].split("</script>")[0])
    page.goto(report_page(tmp_path / "laporan.html", html).as_uri())

    # The default view: at most 30 boxes, none overlapping, the status says how many.
    shown = data["shown"]
    assert 1 <= shown <= 30
    assert page.locator("rect.sgpm-node").count() == shown
    assert overlapping(boxes(page)) == 0
    assert page.locator(".sgpm-acts-status").inner_text().startswith(f"{shown} dari ")
    assert page.locator("svg .sgpm-terminal").count() == 2
    # The script packs boxes and filters paths as the Python reference does.
    level = next(lv for lv in data["levels"] if lv["k"] == shown)
    layout = pm.Layout(layer=tuple(level["layer"]), order=tuple(level["order"]))
    expected = pm.coordinates(layout, range(shown + 2))
    drawn = {(round(b["x"]), round(b["y"])) for b in boxes(page)}
    assert drawn == {expected[i] for i in range(shown)}
    triples = [(e[0], e[1], e[2]) for e in level["edges"]]
    kept = pm.kept_edges(triples, data["share"] / 100)
    assert page.locator("path.sgpm-edge").count() == len(kept)

    # The activity slider: its first level (5 activities) and its last (all embedded).
    acts = page.locator(".sgpm-acts")
    acts.fill("0")
    assert page.locator("rect.sgpm-node").count() == data["levels"][0]["k"] == 5
    assert overlapping(boxes(page)) == 0
    acts.fill(str(len(data["levels"]) - 1))
    assert page.locator("rect.sgpm-node").count() == len(data["activities"])

    # The path slider: fewer paths at 0 % than at 100 %, never fewer than the boxes need.
    acts.fill("1")
    paths = page.locator(".sgpm-paths")
    paths.fill("100")
    every = page.locator("path.sgpm-edge").count()
    paths.fill("0")
    fewest = page.locator("path.sgpm-edge").count()
    assert fewest < every
    assert fewest >= data["levels"][1]["k"]  # each box keeps its way in

    # The hostile name is text on the map, not markup.
    assert page.evaluate("() => window.__pwned") is None
    acts.fill("2")
    assert HOSTILE in page.locator("svg").text_content()

    # The explorer: select the third variant, its steps are listed in order.
    page.locator("button.sgve-see").nth(2).click()
    steps = page.locator(".sgve-detail ol li").all_inner_texts()
    assert steps == list(vs[2].activities)
    assert page.locator("tr.sgve-selected").count() == 1
    assert page.locator("button.sgve-see").nth(2).get_attribute("aria-pressed") == "true"

    # The filter keeps the variants passing through an activity, case-insensitive.
    target = vs[5].activities[-1]
    page.locator(".sgve-filter").fill(target.upper())
    visible = page.locator(".sgve-table tbody tr:not([hidden])").count()
    expected = sum(1 for v in vs[:200] if any(target.lower() in a.lower() for a in v.activities))
    assert visible == expected and 0 < visible < 200
    assert page.locator(".sgve-count").inner_text().startswith(f"Menampilkan {visible} dari ")

    assert problems == []


def test_the_fragments_pass_axe(tab: tuple[Any, list[str]], tmp_path: Path) -> None:
    page, problems = tab
    dfg, vs = synthetic(60, 300)
    html = process_map_html(dfg, vs) + variant_explorer_html(vs, dfg.cases, top=30)
    page.goto(report_page(tmp_path / "laporan.html", html).as_uri())
    page.add_script_tag(path=str(AXE_JS))
    violations = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                 resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                helpUrl: v.helpUrl, nodes: v.nodes.map(n => ({target: n.target.join(' '),
                html: n.html.slice(0, 200), summary: n.failureSummary}))}));
        }""",
        AXE_TAGS,
    )
    assert violations == [], format_violations(page.url, violations)
    assert problems == []
