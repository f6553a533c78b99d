"""The process map and variant explorer fragments (sigap.analytics.processmap).

The small log's answers are worked out by hand in the comments; the large one is the synthetic
400-activity log of bench/process_map.py.
"""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from bench.process_map import dfg_of, synthetic

from sigap.analytics import processmap as pm
from sigap.analytics.discovery import DirectlyFollowsGraph, Variant

STATIC = Path(pm.__file__).resolve().parent / "static"


def variant(*acts: str, count: int, median: float = 3600.0) -> Variant:
    return Variant(activities=acts, count=count, median_duration_s=median, mean_duration_s=median)


# 10 cases. Cases containing each activity: a 10, c 9, b 6, d 1, e 1 (d and e tie on cases and
# events: by name). Ranking a, c, b, d, e.
SMALL = (
    variant("a", "b", "c", count=5),
    variant("a", "c", count=3),
    variant("a", "b", "d", "c", count=1),
    variant("a", "e", count=1),
)


def small() -> tuple[DirectlyFollowsGraph, tuple[Variant, ...]]:
    return dfg_of(SMALL), SMALL


def embedded(fragment: str, cls: str) -> dict[str, Any]:
    m = re.search(rf"<script type='application/json' class='{cls}'>(.*?)</script>", fragment)
    assert m is not None
    data: dict[str, Any] = json.loads(m.group(1))
    return data


def test_ranking_and_case_cover_by_hand() -> None:
    dfg, vs = small()
    assert pm.activity_cases(vs) == {"a": 10, "c": 9, "b": 6, "d": 1, "e": 1}
    ranking = pm.rank_activities(dfg, vs)
    assert ranking == ["a", "c", "b", "d", "e"]
    # Only a: no case. a, c: the 3 (a, c). + b: the 5 (a, b, c). + d: 1 more. + e: the last.
    assert pm.case_cover(ranking, vs) == [0.0, 0.0, 0.3, 0.8, 0.9, 1.0]
    cover = pm.case_cover(ranking, vs)
    assert pm.default_shown(cover, 0.8, 30) == 3
    assert pm.default_shown(cover, 0.85, 30) == 4
    assert pm.default_shown(cover, 0.8, 2) == 2  # capped
    assert pm.default_shown(cover, 0.0, 30) == 1  # never an empty map
    # An activity left out of the ranking (beyond the embedded ones) never counts as covered.
    assert pm.case_cover(ranking[:3], vs) == [0.0, 0.0, 0.3, 0.8]


def test_projected_edges_and_path_filter_by_hand() -> None:
    dfg, vs = small()
    ranking = pm.rank_activities(dfg, vs)  # a=0, c=1, b=2 shown; d, e hidden
    S, E = pm.START, pm.END
    # a→b 6 (direct); b→c 5 direct + 1 through d; a→c 3; START→a 10; c→END 9; a→END 1 (the
    # case a, e: e is hidden, so the case leaves the map at a).
    edges = pm.projected_edges(dfg, vs, ranking, 3)
    assert edges == [(S, 0, 10, 0), (1, E, 9, 0), (0, 2, 6, 0), (2, 1, 6, 1), (0, 1, 3, 0),
                     (0, E, 1, 0)]  # fmt: skip
    triples = [e[:3] for e in edges]
    # Total 35; 80 % is 28: 10, 19, 25 are below it, so the fourth edge (31) is the last one
    # taken by share. Every node already has its heaviest edge in and out among them.
    assert pm.kept_edges(triples, 0.8) == [0, 1, 2, 3]
    # At 0 %: the heaviest edge (START→a), then each node's heaviest out and in: c→END (c's
    # out, END's in), a→b (a's out, b's in), b→c (b's out, c's in).
    assert pm.kept_edges(triples, 0.0) == [0, 1, 2, 3]
    # With all activities the direct counts are the DFG's and nothing passes through hidden ones.
    full = pm.projected_edges(dfg, vs, ranking, 5)
    assert all(e[3] == 0 for e in full)
    assert {(e[0], e[1]): e[2] for e in full if e[0] >= 0 and e[1] >= 0} == {
        (ranking.index(s), ranking.index(t)): c for (s, t), c in dfg.counts().items()
    }
    # No activity shown: every case goes from START straight to END.
    assert pm.projected_edges(dfg, vs, ranking, 0) == [(S, E, 10, 0)]


def test_path_filter_keeps_every_node_connected() -> None:
    # A strong chain and a weak side node x: at 0 % x keeps its heaviest way in and out.
    triples = [(0, 1, 100), (1, 2, 90), (0, 3, 2), (3, 2, 1)]
    assert pm.kept_edges(triples, 0.0) == [0, 1, 2, 3]
    assert pm.kept_edges(triples, 1.0) == [0, 1, 2, 3]
    # A self-loop never stands in for a node's way out.
    # (The loop is the heaviest edge, so it is the one taken by share.)
    assert pm.kept_edges([(1, 1, 50), (0, 1, 10), (1, 2, 5)], 0.0) == [0, 1, 2]


def boxes_overlap(placed: dict[int, tuple[int, int]]) -> list[tuple[int, int]]:
    w, h = pm.BOX_W, pm.BOX_H
    return [
        (a, b)
        for (a, (xa, ya)), (b, (xb, yb)) in itertools.combinations(placed.items(), 2)
        if xa < xb + w and xb < xa + w and ya < yb + h and yb < ya + h
    ]


def test_layout_is_layered_deterministic_and_boxes_do_not_overlap() -> None:
    # A chain 0→1→2→3 with a skip 0→3 and a return 3→1: longest-path layers keep the chain.
    edges = [(0, 1, 10), (1, 2, 9), (2, 3, 9), (0, 3, 1), (3, 1, 2), (4, 0, 10), (3, 5, 10)]
    lay = pm.layered_layout(6, edges, roots=(4,), sink=5)
    assert lay.layer == (1, 2, 3, 4, 0, 5)
    assert lay == pm.layered_layout(6, edges, roots=(4,), sink=5)
    # One rare case through an extra step 2 does not push the main successor 1 down a row:
    # 2→1 carries 1 against 0→1's 100, under the WEAK share, so it sets no layer.
    assert pm.layered_layout(3, [(0, 1, 100), (0, 2, 1), (2, 1, 1)]).layer == (0, 1, 1)
    assert pm.layered_layout(3, [(0, 1, 100), (0, 2, 50), (2, 1, 50)]).layer == (0, 2, 1)
    dfg, vs = synthetic(400, 3000)
    data = pm.process_map_data(dfg, vs)
    again = pm.process_map_data(dfg, vs)
    assert data == again
    for level in data["levels"]:
        k = level["k"]
        layout = pm.Layout(layer=tuple(level["layer"]), order=tuple(level["order"]))
        # Within a layer, every node has its own slot.
        slots = {(layout.layer[v], layout.order[v]) for v in range(k + 2)}
        assert len(slots) == k + 2
        assert layout.layer[k] == 0 and layout.layer[k + 1] == max(layout.layer)
        if k <= 60:  # pairwise check: quadratic
            placed = pm.coordinates(layout, range(k + 2))
            assert boxes_overlap(placed) == []
            assert min(x for x, _ in placed.values()) >= pm.PAD + pm.MARGIN


def test_a_400_activity_log_opens_readable_and_bounded() -> None:
    dfg, vs = synthetic(450, 3000)
    assert len(dfg.activities) > pm.MAX_ACTIVITIES
    fragment = pm.process_map_html(dfg, vs)
    data = embedded(fragment, "sgpm-data")
    assert len(data["activities"]) == pm.MAX_ACTIVITIES
    assert 1 <= data["shown"] <= pm.DEFAULT_MAX_SHOWN
    assert len(data["levels"]) <= len(pm.PRESETS) + 2
    for level in data["levels"]:
        inner = [e for e in level["edges"] if e[0] >= 0 and e[1] >= 0]
        assert len(inner) <= pm.MAX_EDGES
        assert len(level["edges"]) - len(inner) <= 2 * level["k"] + 1
    # The slider opens on the default level, and the fallback table lists its kept paths.
    default = next(i for i, lv in enumerate(data["levels"]) if lv["k"] == data["shown"])
    assert f"value='{default}'" in fragment
    table = fragment.split("<tbody>")[1].split("</tbody>")[0]
    names = set(re.findall(r"<td>(.*?)</td>", table)) - {"Mulai", "Selesai"}
    shown_names = {a[0] for a in data["activities"][: data["shown"]]}
    assert names & shown_names and len(names & shown_names) <= pm.DEFAULT_MAX_SHOWN
    # What was left out is said.
    assert data["left_out"][0] == len(dfg.activities) - pm.MAX_ACTIVITIES
    assert "tidak dimuat" in fragment


def test_edge_bound_is_kept_and_said() -> None:
    dfg, vs = synthetic(120, 800)
    data = pm.process_map_data(dfg, vs, max_edges=50)
    for level in data["levels"]:
        assert sum(1 for e in level["edges"] if e[0] >= 0 and e[1] >= 0) <= 50
    assert data["left_out"][1] > 0
    assert "jalur paling jarang" in pm.process_map_html(dfg, vs, max_edges=50)


NASTY = (
    "</script><script>alert(1)</script>",
    "Periksa \"berkas\" & 'tanda tangan' <b>",
    "Verifikasi ✓ — ñ 日本語 \u2028 baris \u2029",
    "x" * 200,
    "<!-- komentar",
)


def test_names_from_the_log_are_escaped_everywhere() -> None:
    vs = (
        variant(NASTY[0], NASTY[1], NASTY[2], count=4),
        variant(NASTY[0], NASTY[3], NASTY[4], count=2),
    )
    dfg = dfg_of(vs)
    page = pm.process_map_html(dfg, vs) + pm.variant_explorer_html(vs, dfg.cases)
    # Only the four script elements this module writes open or close.
    assert page.count("<script") == 4 and page.count("</script") == 4
    assert "<b>" not in page and "<!-- komentar" not in page
    for script in re.findall(r"<script[^>]*>(.*?)</script>", page, re.S):
        assert "\u2028" not in script and "\u2029" not in script
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&quot;berkas&quot; &amp; &#x27;tanda tangan&#x27;" in page
    # The embedded data round-trips the exact names.
    data = embedded(page, "sgpm-data")
    assert {a[0] for a in data["activities"]} == set(NASTY)
    assert set(embedded(page, "sgve-data")["names"]) == set(NASTY)


def test_script_json_is_safe_inside_a_script_element() -> None:
    text = pm.script_json({"a": "</script><!--&\u2028\u2029", "b": ">"})
    assert not set(text) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(text) == {"a": "</script><!--&\u2028\u2029", "b": ">"}


def test_fragments_load_nothing_from_outside() -> None:
    dfg, vs = synthetic(60, 300)
    page = pm.process_map_html(dfg, vs) + pm.variant_explorer_html(vs, dfg.cases)
    # The SVG namespace is a name, never fetched (in the markup and in the script).
    assert set(re.findall(r"https?://[^\s'\"]+", page)) == {"http://www.w3.org/2000/svg"}
    assert not re.search(r"\s(src|href)\s*=", page)
    assert "@import" not in page and "fetch(" not in page and "XMLHttpRequest" not in page
    assert set(re.findall(r"url\(([^)]*)\)", page)) <= {"#' + d.id + '-arrow"}  # in-page


def test_accessible_parts_and_languages() -> None:
    dfg, vs = small()
    fragment = pm.process_map_html(dfg, vs)
    uid = re.search(r"<section class='sgpm' id='([\w-]+)'>", fragment)
    assert uid is not None
    for control in ("acts", "paths"):
        assert f"<label for='{uid.group(1)}-{control}'>" in fragment
        assert f"id='{uid.group(1)}-{control}'" in fragment
    assert re.search(r"<svg [^>]*aria-labelledby='[\w-]+-title'[^>]*><title id=", fragment)
    assert "<details class='sgpm-table'>" in fragment and "<noscript>" in fragment
    assert ">Aktivitas</label>" in fragment and "Peta proses" in fragment
    english = pm.process_map_html(dfg, vs, lang="en")
    assert ">Activities</label>" in english and "Process map" in english
    explorer = pm.variant_explorer_html(vs, 10, lang="en")
    assert "Filter by activity" in explorer and "50.0%" in explorer  # 5 of 10 cases
    with pytest.raises(ValueError, match="unknown language"):
        pm.process_map_html(dfg, vs, lang="fr")
    with pytest.raises(ValueError, match="coverage"):
        pm.process_map_html(dfg, vs, coverage=1.5)
    empty = DirectlyFollowsGraph((), {}, {}, {}, 0, 0)
    assert "tidak berisi aktivitas" in pm.process_map_html(empty, ())


def test_variant_explorer_shares_and_bounds() -> None:
    vs = SMALL
    fragment = pm.variant_explorer_html(vs, 10, top=3)
    rows = re.findall(
        r"<tr data-v='(\d+)'><td>(\d+)</td><td>([^<]*)</td><td>([^<]*)</td>", fragment
    )
    # 5, 3, 1 of 10 cases (the fourth variant is beyond top=3): cumulative 50, 80, 90 %.
    assert rows == [
        ("0", "1", "50,0 %", "50,0 %"),
        ("1", "2", "30,0 %", "80,0 %"),
        ("2", "3", "10,0 %", "90,0 %"),
    ]
    data = embedded(fragment, "sgve-data")
    assert data["total"] == 4 and len(data["variants"]) == 3
    assert [[data["names"][i] for i in v[0]] for v in data["variants"]][2] == ["a", "b", "d", "c"]
    long = (variant(*(f"step {i}" for i in range(700)), count=1),)
    data = embedded(pm.variant_explorer_html(long, 1, max_steps=500), "sgve-data")
    assert len(data["variants"][0][0]) == 500 and data["variants"][0][1] == 200
    fmt = pm.variant_explorer_html(
        vs, 10, fmt_duration=lambda s: f"D{s}", fmt_count=lambda n: f"N{n}"
    )
    assert "<td>D3600.0</td>" in fmt and "<td>N5</td>" in fmt


def test_default_formatters() -> None:
    id_, en = pm.default_duration("id"), pm.default_duration("en")
    assert id_(3 * 86400 + 4 * 3600 + 59) == "3 hari 4 jam"
    assert id_(3 * 86400 + 120) == "3 hari"  # two units at most; a zero unit is dropped
    assert id_(45) == "45 detik" and id_(0) == "0 detik" and id_(None) == "–"
    assert en(86400 + 2 * 3600) == "1 day 2 hours" and en(60) == "1 minute"
    assert pm.default_count("id")(1234567) == "1.234.567"
    assert pm.default_count("en")(1234567) == "1,234,567"
    assert pm.percent(0.8123, "id") == "81,2 %" and pm.percent(0.8123, "en") == "81.2%"


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
@pytest.mark.parametrize("name", ["processmap.js", "variants.js"])
def test_scripts_parse(name: str) -> None:
    node = shutil.which("node")
    assert node is not None
    subprocess.run([node, "--check", str(STATIC / name)], check=True)
