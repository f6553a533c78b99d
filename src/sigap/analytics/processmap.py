"""The interactive process map and variant explorer of the analysis report (HTML fragments).

Both are self-contained: inline style and script, no external resource, so the report opens
from a file, offline. Python does the work that needs the whole log (ranking, coverage, layout);
the page's script only shows, hides and re-draws what is embedded.

Process map, like Disco's: activities are ranked by the cases that contain them (a case contains
an activity when its variant does). The activity slider steps through levels — the first 5, 10,
15, 20, 30, 40, 60, 80, 100, 150, 200, 300, 400 activities of that ranking, all of them, and the
default view — and says which share of cases runs entirely through the activities shown. At
each level the hidden activities are taken out of the cases, as Disco does: an edge a → b counts
the DFG's direct a → b plus the passages from a to b through hidden activities only (drawn
dotted, its median duration left out since the DFG's is of the direct ones), and START/END edges
count each case's first and last shown activity. The path slider keeps the most frequent edges
of the level covering the chosen share of its transitions, plus each node's heaviest incoming
and outgoing edge so nothing floats unconnected. The default view is the fewest activities
whose cases cover `coverage` of the log, at most `default_max` (30), so a 400-activity log
opens readable.

The layout of each level is layered (Sugiyama-like) and computed here: cycles broken by a
depth-first search from START taking heavier edges first, layers by longest path (an edge far
weaker than its target's heaviest incoming one sets no layer), END below everything, then
barycentre sweeps to reduce crossings. The script packs each layer's boxes left to right and
routes edges: down to the next row directly, round the left when skipping rows, round the right
when going back.

Embedded data is bounded: the top `max_activities` activities (400), per level the `max_edges`
(2,000) most frequent edges between activities plus at most 2k + 1 START/END edges, at most 15
levels; a note says how many activities and edges were left out. `variants` must be all the
log's variants (`discovery.cached_variants`): case coverage and the passages through hidden
activities are read off them.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from sigap.analytics.discovery import DirectlyFollowsGraph, Variant

MAX_ACTIVITIES = 400
MAX_EDGES = 2000
DEFAULT_MAX_SHOWN = 30
MAX_STEPS = 500  # per variant in the explorer's data; longer variants say how many are left out
PRESETS = (5, 10, 15, 20, 30, 40, 60, 80, 100, 150, 200, 300, 400)
START, END = -1, -2  # the two ends of the map in the edges' data
MARK_SHARE = 0.05  # boxes marked as start or end: at least this share of cases starts/ends there
CHIPS = 12  # steps shown as chips in the explorer's table row; all of them in the detail
WEAK = 0.1  # an edge under this share of its target's heaviest incoming one does not set layers
SWEEPS = 4  # down and up barycentre passes; more rarely changes the order of a process map

DurationFormat = Callable[[float | None], str]
CountFormat = Callable[[int], str]

TEXT: dict[str, dict[str, str]] = {
    "id": {
        "map_title": "Peta proses",
        "activities": "Aktivitas",
        "paths": "Jalur",
        "start": "Mulai",
        "end": "Selesai",
        "acts_status": "{k} dari {n} aktivitas · {cover} kasus seluruhnya melalui aktivitas ini",
        "through": "termasuk {n} melalui aktivitas yang disembunyikan",
        "paths_status": "{m} dari {t} jalur · {share} perpindahan",
        "legend": "Kotak bertepi hijau: awal dari sedikitnya {mark} kasus; bertepi merah: akhir "
        "dari sedikitnya {mark} kasus. "
        "Label jalur: jumlah perpindahan · durasi median; garis titik-titik: termasuk "
        "perpindahan melalui aktivitas yang disembunyikan.",
        "left_out": "Data peta dibatasi: {acts} aktivitas dan {edges} jalur paling jarang "
        "tidak dimuat.",
        "noscript": "Peta interaktif memerlukan JavaScript; tabel di bawah memuat jalur "
        "tampilan awalnya.",
        "table": "Tabel jalur pada tampilan awal ({n} jalur)",
        "from": "Dari",
        "to": "Ke",
        "count": "Jumlah",
        "median": "Durasi median",
        "cases": "kasus",
        "events": "kejadian",
        "empty": "Log tidak berisi aktivitas.",
        "variants": "Varian",
        "filter": "Saring menurut aktivitas",
        "shown": "Menampilkan {k} dari {n} varian",
        "rank": "No.",
        "share": "Pangsa kasus",
        "cumulative": "Kumulatif",
        "steps": "Langkah",
        "see": "Lihat langkah",
        "variant": "Varian {i}",
        "more_steps": "… dan {n} langkah lagi",
        "ve_caption": "{top} varian terbanyak dari {n}, mencakup {share} kasus",
        "detail_hint": "Pilih varian untuk melihat langkah-langkahnya.",
    },
    "en": {
        "map_title": "Process map",
        "activities": "Activities",
        "paths": "Paths",
        "start": "Start",
        "end": "End",
        "acts_status": "{k} of {n} activities · {cover} of cases run only through them",
        "through": "of which {n} through hidden activities",
        "paths_status": "{m} of {t} paths · {share} of transitions",
        "legend": "Green border: where at least {mark} of cases start; red border: where at "
        "least {mark} end. "
        "Path labels: transitions · median duration; dotted: including passages "
        "through hidden activities.",
        "left_out": "Map data is bounded: the {acts} least frequent activities and {edges} "
        "paths are left out.",
        "noscript": "The interactive map needs JavaScript; the table below lists the paths of "
        "its initial view.",
        "table": "Paths of the initial view ({n} paths)",
        "from": "From",
        "to": "To",
        "count": "Count",
        "median": "Median duration",
        "cases": "cases",
        "events": "events",
        "empty": "The log holds no activity.",
        "variants": "Variants",
        "filter": "Filter by activity",
        "shown": "Showing {k} of {n} variants",
        "rank": "No.",
        "share": "Share of cases",
        "cumulative": "Cumulative",
        "steps": "Steps",
        "see": "See steps",
        "variant": "Variant {i}",
        "more_steps": "… and {n} more steps",
        "ve_caption": "Top {top} variants of {n}, covering {share} of cases",
        "detail_hint": "Select a variant to see its steps.",
    },
}


def _text(lang: str) -> dict[str, str]:
    if lang not in TEXT:
        raise ValueError(f"unknown language {lang!r}; expected one of {sorted(TEXT)}")
    return TEXT[lang]


# --- default formatters (the report passes its own) ------------------------------------------

UNITS = {
    "id": (("hari", "hari"), ("jam", "jam"), ("menit", "menit"), ("detik", "detik")),
    "en": (("day", "days"), ("hour", "hours"), ("minute", "minutes"), ("second", "seconds")),
}


def default_duration(lang: str = "id") -> DurationFormat:
    """Two units in words, "3 hari 4 jam" / "3 days 4 hours"; "–" when unknown."""
    units = UNITS[lang] if lang in UNITS else UNITS["id"]

    def fmt(seconds: float | None) -> str:
        if seconds is None or math.isnan(seconds):
            return "–"
        left = round(seconds)
        parts: list[str] = []
        for (one, many), size in zip(units, (86400, 3600, 60, 1), strict=True):
            n, left = divmod(left, size)
            if n or parts:
                parts.append(f"{n} {one if n == 1 else many}")
            if len(parts) == 2:
                break
        parts = [p for p in parts if not p.startswith("0 ")]
        return " ".join(parts) or f"0 {units[3][1]}"

    return fmt


def default_count(lang: str = "id") -> CountFormat:
    """Thousands grouped as the language writes them: 1.234 (id), 1,234 (en)."""
    sep = "." if lang == "id" else ","
    return lambda n: f"{n:,}".replace(",", sep)


def percent(share: float, lang: str = "id") -> str:
    text = f"{share * 100:.1f}"
    return f"{text.replace('.', ',')} %" if lang == "id" else f"{text}%"


# --- coverage --------------------------------------------------------------------------------


def activity_cases(variants: Sequence[Variant]) -> Counter[str]:
    """Cases containing each activity (once per case, however often it repeats)."""
    cases: Counter[str] = Counter()
    for v in variants:
        for a in set(v.activities):
            cases[a] += v.count
    return cases


def rank_activities(
    dfg: DirectlyFollowsGraph, variants: Sequence[Variant], cases: Counter[str] | None = None
) -> list[str]:
    """Most cases first; ties by events, then by name (deterministic). `cases`: the
    `activity_cases` of `variants` when the caller has them already."""
    cases = activity_cases(variants) if cases is None else cases
    names = set(dfg.activities) | set(cases)
    return sorted(names, key=lambda a: (-cases.get(a, 0), -dfg.activities.get(a, 0), a))


def case_cover(ranking: Sequence[str], variants: Sequence[Variant]) -> list[float]:
    """cover[k]: the share of cases whose every activity is among the first k of `ranking`.

    A variant needs the prefix up to its rarest activity; an activity outside the ranking (left
    out of the embedded data) means its cases are never fully covered."""
    index = {a: i for i, a in enumerate(ranking)}
    total = sum(v.count for v in variants)
    needed = [0] * (len(ranking) + 2)
    for v in variants:
        k = max((index.get(a, len(ranking)) + 1 for a in v.activities), default=0)
        needed[min(k, len(ranking) + 1)] += v.count
    cover, acc = [], 0
    for k in range(len(ranking) + 1):
        acc += needed[k]
        cover.append(acc / total if total else 0.0)
    return cover


def default_shown(cover: Sequence[float], coverage: float, most: int) -> int:
    """The fewest activities whose cases cover `coverage`, at least 1 and at most `most`."""
    n = len(cover) - 1
    if n <= 0:
        return 0
    for k in range(1, n + 1):
        if cover[k] >= coverage - 1e-12:
            return max(1, min(k, most))
    return max(1, min(n, most))


def kept_edges(edges: Sequence[tuple[int, int, int]], share: float) -> list[int]:
    """Indices of the edges of one level shown with the path slider at `share` (0..1).

    `edges` are (source, target, count), most frequent first. Kept: the most frequent edges
    until they cover `share` of all transitions (at least one), then each node's heaviest
    outgoing and incoming edge to another node, so nothing shown floats unconnected. The
    page's script (static/processmap.js, `kept`) does the same."""
    total = sum(c for _, _, c in edges)
    keep: set[int] = set()
    acc = 0
    for i, (_, _, c) in enumerate(edges):
        if i == 0 or acc < share * total - 1e-9:
            keep.add(i)
            acc += c
    has_out: set[int] = set()
    has_in: set[int] = set()
    for i, (s, t, _) in enumerate(edges):
        if s == t:
            continue
        if s not in has_out:
            has_out.add(s)
            keep.add(i)
        if t not in has_in:
            has_in.add(t)
            keep.add(i)
    return sorted(keep)


@dataclass(frozen=True, slots=True)
class Projector:
    """The log in ranks, read once for every level of the map (`projected_edges`)."""

    direct: tuple[tuple[int, int, int], ...]
    """the DFG's edges as (source rank, target rank, count)"""
    traces: tuple[tuple[tuple[int, ...], int, int], ...]
    """each variant's ranks, its cases and its highest rank; an unranked activity ranks last"""

    @classmethod
    def of(
        cls, dfg: DirectlyFollowsGraph, variants: Sequence[Variant], ranking: Sequence[str]
    ) -> Projector:
        index = {a: i for i, a in enumerate(ranking)}
        beyond = len(ranking)
        direct = tuple(
            (index[e.source], index[e.target], e.count)
            for e in dfg.edges
            if e.source in index and e.target in index
        )
        traces = []
        for v in variants:
            ranks = tuple(index.get(a, beyond) for a in v.activities)
            traces.append((ranks, v.count, max(ranks, default=-1)))
        return cls(direct=direct, traces=tuple(traces))

    def edges(self, k: int) -> list[tuple[int, int, int, int]]:
        through: Counter[tuple[int, int]] = Counter()
        for ranks, n, top in self.traces:
            if not ranks:
                continue
            if top < k:  # all shown: its inner edges are the DFG's own
                through[START, ranks[0]] += n
                through[ranks[-1], END] += n
                continue
            prev, gap = START, False
            for r in ranks:
                if r >= k:
                    gap = True
                    continue
                if gap or prev == START:
                    through[prev, r] += n
                prev, gap = r, False
            through[prev, END] += n
        counts: Counter[tuple[int, int]] = Counter(through)
        for s, t, n in self.direct:
            if s < k and t < k:
                counts[s, t] += n
        out = [
            (s, t, c, 0 if s == START or t == END else through[s, t])
            for (s, t), c in counts.items()
        ]
        out.sort(key=lambda e: (-e[2], e[0], e[1]))
        return out


def projected_edges(
    dfg: DirectlyFollowsGraph, variants: Sequence[Variant], ranking: Sequence[str], k: int
) -> list[tuple[int, int, int, int]]:
    """The map of the first k activities of `ranking` with the others taken out of each case,
    as Disco draws a filtered map: (source, target, count, indirect), most frequent first.

    Sources and targets are ranks, START (-1) and END (-2). `count` is the DFG's own count of
    the pair plus `indirect`, the cases' passages from source to target through hidden
    activities only (read off the variants). START and END edges count each case's first and
    last shown activity; START → END, the cases with no shown activity."""
    return Projector.of(dfg, variants, ranking).edges(k)


# --- layout ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Layout:
    """Layer (row, from the top) and order (slot within the row) of each node 0..n-1."""

    layer: tuple[int, ...]
    order: tuple[int, ...]


def layered_layout(
    n: int, edges: Sequence[tuple[int, int, int]], roots: Sequence[int] = (), sink: int = -1
) -> Layout:
    """A deterministic layered layout of nodes 0..n-1 and weighted edges (source, target, w).

    Depth-first from `roots` (then from every unvisited node in index order), heavier edges
    first; an edge back to a node on the stack closes a cycle and does not count for layers.
    Layers: longest path in what is left, counting for each node only its incoming edges of at
    least a WEAK share of its heaviest one: a single rare case through an extra step must not
    push the main path down a row. `sink` (if given) goes below everything else.
    Then SWEEPS barycentre passes down and up order each layer."""
    out: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for s, t, w in edges:
        if s != t:
            out[s].append((w, t))
    for lst in out:
        lst.sort(key=lambda wt: (-wt[0], wt[1]))
    state = [0] * n  # 0 new, 1 on the stack, 2 done
    dag: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    postorder: list[int] = []
    for root in [*roots, *range(n)]:
        if state[root]:
            continue
        state[root] = 1
        stack = [(root, 0)]
        while stack:  # iterative: a 400-activity chain would overflow Python's recursion
            v, i = stack[-1]
            if i < len(out[v]):
                stack[-1] = (v, i + 1)
                w, t = out[v][i]
                if state[t] == 0:
                    dag[v].append((t, w))
                    state[t] = 1
                    stack.append((t, 0))
                elif state[t] == 2:
                    dag[v].append((t, w))
            else:
                state[v] = 2
                postorder.append(v)
                stack.pop()
    # Nodes out of reach of the roots start one layer below them, never beside START.
    layer = [0 if (v in roots or not roots) else 1 for v in range(n)]
    heaviest = [0] * n
    for v in range(n):
        for t, w in dag[v]:
            heaviest[t] = max(heaviest[t], w)
    for v in reversed(postorder):  # a topological order of the DAG
        for t, w in dag[v]:
            if w < WEAK * heaviest[t]:
                continue
            layer[t] = max(layer[t], layer[v] + 1)
    if 0 <= sink < n:
        layer[sink] = max((layer[v] for v in range(n) if v != sink), default=-1) + 1
    rows: dict[int, list[int]] = {}
    for v in range(n):
        rows.setdefault(layer[v], []).append(v)
    up: list[list[int]] = [[] for _ in range(n)]
    down: list[list[int]] = [[] for _ in range(n)]
    for s, t, _ in edges:
        if layer[s] < layer[t]:
            down[s].append(t)
            up[t].append(s)
        elif layer[t] < layer[s]:
            down[t].append(s)
            up[s].append(t)
    pos = [0.0] * n
    order = [rows[k] for k in sorted(rows)]
    for row in order:
        for i, v in enumerate(row):
            pos[v] = i

    def sweep(rows_: list[list[int]], nbrs: list[list[int]]) -> None:
        for row in rows_:
            bary = {}
            for v in row:
                ns = nbrs[v]
                bary[v] = sum(pos[u] for u in ns) / len(ns) if ns else pos[v]
            row.sort(key=lambda v: (bary[v], pos[v], v))
            for i, v in enumerate(row):
                pos[v] = i

    for _ in range(SWEEPS):
        sweep(order[1:], up)
        sweep(list(reversed(order[:-1])), down)
    return Layout(layer=tuple(layer), order=tuple(int(p) for p in pos))


BOX_W, BOX_H, GAP_X, GAP_Y, PAD = 180, 46, 64, 80, 24
MARGIN = (
    160  # left and right of the boxes: edges skipping rows go round the left, back ones the right
)


def coordinates(layout: Layout, visible: Sequence[int]) -> dict[int, tuple[int, int]]:
    """Top-left corner of each visible node's box: visible nodes of a layer packed left to
    right in their order, empty layers dropped, rows centred. The script's `place` does the
    same; the tests check that no two boxes overlap."""
    rows: dict[int, list[int]] = {}
    for v in sorted(visible, key=lambda v: (layout.layer[v], layout.order[v])):
        rows.setdefault(layout.layer[v], []).append(v)
    widest = max((len(r) for r in rows.values()), default=0)
    placed: dict[int, tuple[int, int]] = {}
    for r, key in enumerate(sorted(rows)):
        row = rows[key]
        left = PAD + MARGIN + (widest - len(row)) * (BOX_W + GAP_X) // 2
        for i, v in enumerate(row):
            placed[v] = (left + i * (BOX_W + GAP_X), PAD + r * (BOX_H + GAP_Y))
    return placed


# --- embedding -------------------------------------------------------------------------------


def script_json(data: object) -> str:
    """JSON safe inside <script>: no `<`, `>` or `&` (no `</script>`, no `<!--`), and the line
    separators U+2028/2029 escaped (old JavaScript parsers end a string at them)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for ch, esc in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(ch, esc)
    return text


def _uid(prefix: str, payload: str) -> str:
    """A stable element id from the data, so two fragments on one page never share ids."""
    return f"{prefix}-{hashlib.sha1(payload.encode('utf-8')).hexdigest()[:10]}"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def process_map_data(
    dfg: DirectlyFollowsGraph,
    variants: Sequence[Variant],
    *,
    lang: str = "id",
    coverage: float = 0.8,
    max_activities: int = MAX_ACTIVITIES,
    max_edges: int = MAX_EDGES,
    default_max: int = DEFAULT_MAX_SHOWN,
    fmt_duration: DurationFormat | None = None,
    fmt_count: CountFormat | None = None,
) -> dict[str, Any]:
    """What the map's script reads: ranked activities, edges, presets with their layouts."""
    if not 0.0 <= coverage <= 1.0:
        raise ValueError(f"coverage must lie between 0 and 1, got {coverage}")
    text = _text(lang)
    fd = fmt_duration or default_duration(lang)
    fc = fmt_count or default_count(lang)
    cases = activity_cases(variants)
    ranking = rank_activities(dfg, variants, cases)
    total_cases = sum(v.count for v in variants) or dfg.cases
    kept = ranking[:max_activities]
    cover = case_cover(kept, variants)
    shown = default_shown(cover, coverage, default_max)
    n = len(kept)
    median = {(e.source, e.target): e.median_s for e in dfg.edges}
    projector = Projector.of(dfg, variants, kept)
    left_edges = 0
    levels = []
    for k in sorted({p for p in PRESETS if p < n} | {n, shown} - {0}):
        every, inner = [], 0
        for e in projector.edges(k):
            if e[0] < 0 or e[1] < 0:
                every.append(e)  # at most 2k + 1 of them
            elif inner < max_edges:
                every.append(e)
                inner += 1
            else:
                left_edges += 1 if k == n else 0  # counted once, at the level of all
        edges: list[list[Any]] = [
            [s, t, c, _edge_label(kept, s, t, c, i, median, fc, fd)] for s, t, c, i in every
        ]
        for row, (_, _, _, i) in zip(edges, every, strict=True):
            if i:
                row.append(fc(i))  # passages through hidden activities, for the tooltip
        triples = [(s, t, c) for s, t, c, _ in every]
        # START is node k, END node k+1; every edge of the level takes part (the path slider
        # moves over one layout), the rare ones kept from setting layers by WEAK.
        node = {START: k, END: k + 1}
        lay_edges = [(node.get(s, s), node.get(t, t), c) for s, t, c in triples]
        lay = layered_layout(k + 2, lay_edges, roots=(k,), sink=k + 1)
        levels.append({"k": k, "layer": lay.layer, "order": lay.order, "edges": edges})
    marked = MARK_SHARE * total_cases
    return {
        "lang": lang,
        "text": {
            key: text[key] for key in ("start", "end", "acts_status", "paths_status", "through")
        },
        "cases": total_cases,
        "activities": [
            [
                a,
                fc(dfg.activities.get(a, 0)),
                f"{a}\n{fc(dfg.activities.get(a, 0))} {text['events']} · "
                f"{fc(cases.get(a, 0))} {text['cases']} "
                f"({percent(cases.get(a, 0) / total_cases if total_cases else 0, lang)})",
                dfg.activities.get(a, 0),
                int(dfg.start_activities.get(a, 0) >= marked)
                + 2 * int(dfg.end_activities.get(a, 0) >= marked),
            ]
            for a in kept
        ],
        "cover": [round(c, 6) for c in cover],
        "levels": levels,
        "shown": shown,
        "share": round(coverage * 100),
        "left_out": [len(ranking) - n, left_edges],
        "box": [BOX_W, BOX_H, GAP_X, GAP_Y, PAD, MARGIN],
    }


def _edge_label(
    kept: Sequence[str],
    s: int,
    t: int,
    count: int,
    indirect: int,
    median: dict[tuple[str, str], float | None],
    fc: CountFormat,
    fd: DurationFormat,
) -> str:
    """Count and median duration; the count alone for START/END edges and for edges that
    include passages through hidden activities (the DFG's median is of the direct ones only)."""
    if s < 0 or t < 0 or indirect:
        return fc(count)
    return f"{fc(count)} · {fd(median.get((kept[s], kept[t])))}"


def process_map_html(
    dfg: DirectlyFollowsGraph,
    variants: Sequence[Variant],
    *,
    lang: str = "id",
    coverage: float = 0.8,
    max_activities: int = MAX_ACTIVITIES,
    max_edges: int = MAX_EDGES,
    default_max: int = DEFAULT_MAX_SHOWN,
    fmt_duration: DurationFormat | None = None,
    fmt_count: CountFormat | None = None,
) -> str:
    """The process map as an HTML fragment: SVG drawn by an inline script from embedded data,
    two labelled sliders (activities, paths), and the initial view's edges as a plain table."""
    text = _text(lang)
    if not dfg.activities and not variants:
        return f"<p class='sgpm-empty'>{_e(text['empty'])}</p>"
    data = process_map_data(
        dfg,
        variants,
        lang=lang,
        coverage=coverage,
        max_activities=max_activities,
        max_edges=max_edges,
        default_max=default_max,
        fmt_duration=fmt_duration,
        fmt_count=fmt_count,
    )
    payload = script_json(data)
    uid = _uid("sgpm", payload)
    data["id"] = uid
    payload = script_json(data)
    acts, levels = data["activities"], data["levels"]
    n, shown, share = len(acts), data["shown"], data["share"]
    at = next(i for i, level in enumerate(levels) if level["k"] == shown)
    edges = levels[at]["edges"]
    initial = kept_edges([(e[0], e[1], e[2]) for e in edges], share / 100)
    left_acts, left_edges = data["left_out"]
    fc = fmt_count or default_count(lang)
    parts = [
        f"<section class='sgpm' id='{uid}'>",
        _STYLE,
        "<div class='sgpm-controls'>",
        f"<div><label for='{uid}-acts'>{_e(text['activities'])}</label> "
        # The slider steps through the levels the layout was computed for (5, 10, 15, 20, 30...
        # and the default view): each shows exactly what Python worked out for it.
        f"<input type='range' class='sgpm-acts' id='{uid}-acts' min='0' "
        f"max='{len(levels) - 1}' value='{at}' step='1' "
        f"aria-describedby='{uid}-acts-status'> "
        f"<output class='sgpm-acts-status' id='{uid}-acts-status' for='{uid}-acts'>"
        f"{_e(_acts_status(text, shown, n, data['cover'][shown], lang))}</output></div>",
        f"<div><label for='{uid}-paths'>{_e(text['paths'])}</label> "
        f"<input type='range' class='sgpm-paths' id='{uid}-paths' min='0' max='100' "
        f"value='{share}' step='1' aria-describedby='{uid}-paths-status'> "
        f"<output class='sgpm-paths-status' id='{uid}-paths-status' for='{uid}-paths'>"
        f"</output></div></div>",
        f"<p class='sgpm-note'>{_e(text['legend'].format(mark=percent(MARK_SHARE, lang)))}</p>",
    ]
    if left_acts or left_edges:
        parts.append(
            f"<p class='sgpm-note'>"
            f"{_e(text['left_out'].format(acts=fc(left_acts), edges=fc(left_edges)))}</p>"
        )
    parts += [
        f"<div class='sgpm-canvas' role='region' tabindex='0' aria-label='{_e(text['map_title'])}'>"
        f"<svg xmlns='http://www.w3.org/2000/svg' role='img' aria-labelledby='{uid}-title' "
        f"width='{PAD * 2}' height='{PAD * 2}' font-family='system-ui,sans-serif' "
        f"font-size='11'><title id='{uid}-title'>{_e(text['map_title'])}: "
        f"{_e(fc(len(dfg.activities)))} {_e(text['activities'].lower())}</title>"
        f"<defs><marker id='{uid}-arrow' viewBox='0 0 10 10' refX='10' refY='5' "
        "markerUnits='userSpaceOnUse' markerWidth='9' markerHeight='9' orient='auto'>"
        "<path d='M0,0L10,5L0,10z' fill='#4a5568'/></marker></defs>"
        "<g class='sgpm-g'></g></svg></div>",
        f"<noscript><p>{_e(text['noscript'])}</p></noscript>",
        f"<details class='sgpm-table'><summary>{_e(text['table'].format(n=len(initial)))}"
        f"</summary><table><thead><tr><th scope='col'>{_e(text['from'])}</th>"
        f"<th scope='col'>{_e(text['to'])}</th><th scope='col'>{_e(text['count'])} · "
        f"{_e(text['median'])}</th></tr></thead><tbody>",
    ]

    def name(i: int) -> str:
        return text["start"] if i == START else text["end"] if i == END else acts[i][0]

    for i in initial:
        s, t, _, label = edges[i][:4]
        parts.append(f"<tr><td>{_e(name(s))}</td><td>{_e(name(t))}</td><td>{_e(label)}</td></tr>")
    parts += [
        "</tbody></table></details>",
        f"<script type='application/json' class='sgpm-data'>{payload}</script>",
        f"<script>{_SCRIPT}</script></section>",
    ]
    return "".join(parts)


def _acts_status(text: dict[str, str], k: int, n: int, cover: float, lang: str) -> str:
    return text["acts_status"].format(k=k, n=n, cover=percent(cover, lang))


def _script(name: str) -> str:
    """A script kept as a file beside this module (readable, checked by node --check in the
    tests when node is there), inlined in the fragment."""
    code = files("sigap.analytics").joinpath("static", name).read_text(encoding="utf-8")
    if "</" in code or "<!--" in code:
        raise ValueError(f"{name} would end its <script> element early")
    return code


_SCRIPT = _script("processmap.js")
_VE_SCRIPT = _script("variants.js")

_STYLE = """<style>
.sgpm{margin:0 0 2em}.sgpm-controls{display:flex;flex-wrap:wrap;gap:.5em 2em;margin:.5em 0}
.sgpm-controls label{font-weight:600;margin-right:.4em}.sgpm-controls input{vertical-align:middle}
.sgpm-controls output{font-size:13px;color:#333}.sgpm-note{font-size:13px;color:#444;margin:.3em 0}
.sgpm-canvas{overflow:auto;max-height:80vh;border:1px solid #ccc;background:#fff}
.sgpm-canvas svg{display:block;max-width:none;border:0}
.sgpm-canvas:focus{outline:2px solid #1a56db}
.sgpm-edge{fill:none;stroke:#4a5568}.sgpm-edge.sgpm-term{stroke-dasharray:5 4}
.sgpm-edge.sgpm-through{stroke-dasharray:2 3}
.sgpm-label{fill:#1a202c;paint-order:stroke;stroke:#fff;
stroke-width:3px;stroke-linejoin:round;font-size:10px}.sgpm-node{stroke:#2d3748;stroke-width:1}
.sgpm-node.sgpm-start{stroke:#17803d;stroke-width:3}.sgpm-node.sgpm-end{stroke:#b42318;
stroke-width:3}.sgpm-node.sgpm-start.sgpm-end{stroke-dasharray:6 3}
.sgpm-table table{border-collapse:collapse;font-size:13px}
.sgpm-table td,.sgpm-table th{border:1px solid #ccc;padding:2px 6px;text-align:left}
</style>"""


# --- variant explorer ------------------------------------------------------------------------


def variant_explorer_html(
    variants: Sequence[Variant],
    total_cases: int,
    *,
    lang: str = "id",
    top: int = 200,
    fmt_duration: DurationFormat | None = None,
    fmt_count: CountFormat | None = None,
    max_steps: int = MAX_STEPS,
) -> str:
    """The `top` most frequent variants as a table (share, cumulative share, count, median
    duration, steps as chips) with a text filter by activity and a detail of the selected
    variant's steps. `variants` most frequent first, as `discovery.variants` returns them."""
    text = _text(lang)
    fd = fmt_duration or default_duration(lang)
    fc = fmt_count or default_count(lang)
    ordered = sorted(variants, key=lambda v: (-v.count, v.activities))
    shown = ordered[: max(0, top)]
    names: dict[str, int] = {}
    rows = []
    for v in shown:
        steps = [names.setdefault(a, len(names)) for a in v.activities[:max_steps]]
        rows.append([steps, len(v.activities) - len(steps)])
    data = {
        "names": list(names),
        "variants": rows,
        "text": {k: text[k] for k in ("shown", "variant", "more_steps")},
        "total": len(ordered),
        "lang": lang,
    }
    payload = script_json(data)
    uid = _uid("sgve", payload)
    covered = sum(v.count for v in shown)
    share_all = covered / total_cases if total_cases else 0.0
    parts = [
        f"<section class='sgve' id='{uid}'>",
        _VE_STYLE,
        f"<p><label for='{uid}-filter'>{_e(text['filter'])}</label> "
        f"<input type='search' class='sgve-filter' id='{uid}-filter' autocomplete='off'></p>",
        f"<p class='sgve-count' aria-live='polite'>"
        f"{_e(text['shown'].format(k=fc(len(shown)), n=fc(len(ordered))))}</p>",
        "<div class='sgve-wrap'><table class='sgve-table'>",
        f"<caption>{_e(text['ve_caption'].format(top=fc(len(shown)), n=fc(len(ordered)), share=percent(share_all, lang)))}</caption>",  # noqa: E501
        f"<thead><tr><th scope='col'>{_e(text['rank'])}</th>"
        f"<th scope='col'>{_e(text['share'])}</th><th scope='col'>{_e(text['cumulative'])}</th>"
        f"<th scope='col'>{_e(text['count'])}</th><th scope='col'>{_e(text['median'])}</th>"
        f"<th scope='col'>{_e(text['steps'])}</th><th scope='col'><span class='sgve-sr'>"
        f"{_e(text['see'])}</span></th></tr></thead><tbody>",
    ]
    acc = 0
    for i, v in enumerate(shown):
        acc += v.count
        share = v.count / total_cases if total_cases else 0.0
        cum = acc / total_cases if total_cases else 0.0
        chips = "".join(f"<span class='sgve-chip'>{_e(a)}</span>" for a in v.activities[:CHIPS])
        if len(v.activities) > CHIPS:
            chips += f"<span class='sgve-more'>+{_e(fc(len(v.activities) - CHIPS))}</span>"
        parts.append(
            f"<tr data-v='{i}'><td>{i + 1}</td><td>{_e(percent(share, lang))}</td>"
            f"<td>{_e(percent(cum, lang))}</td><td>{_e(fc(v.count))}</td>"
            f"<td>{_e(fd(v.median_duration_s))}</td>"
            f"<td><span class='sgve-n'>{_e(fc(len(v.activities)))}:</span> {chips}</td>"
            f"<td><button type='button' class='sgve-see' data-v='{i}' aria-controls='{uid}-detail'"
            f" aria-pressed='false'>{_e(text['see'])}</button></td></tr>"
        )
    parts += [
        "</tbody></table></div>",
        f"<div class='sgve-detail' id='{uid}-detail' aria-live='polite'>"
        f"<p>{_e(text['detail_hint'])}</p></div>",
        f"<script type='application/json' class='sgve-data'>{payload}</script>",
        f"<script>{_VE_SCRIPT}</script></section>",
    ]
    return "".join(parts)


_VE_STYLE = """<style>
.sgve-wrap{max-height:32em;overflow:auto;border:1px solid #ccc}
.sgve-table{border-collapse:collapse;font-size:13px;width:100%}
.sgve-table td,.sgve-table th{border-bottom:1px solid #e2e2e2;padding:3px 6px;text-align:left;
vertical-align:top}.sgve-table th{background:#f3f3f3;position:sticky;top:0}
.sgve-chip{display:inline-block;background:#e8eef8;border:1px solid #9fb3d1;border-radius:9px;
padding:0 6px;margin:1px 2px;max-width:16em;overflow:hidden;text-overflow:ellipsis;
white-space:nowrap;vertical-align:bottom}.sgve-more,.sgve-n{color:#444}
.sgve-table tr.sgve-selected td{background:#fff6d6}
.sgve-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.sgve-detail ol{columns:2 20em;font-size:13px}.sgve-detail{margin:.5em 0 2em}
</style>"""


__all__ = [
    "Layout",
    "activity_cases",
    "case_cover",
    "coordinates",
    "default_count",
    "default_duration",
    "default_shown",
    "kept_edges",
    "layered_layout",
    "process_map_data",
    "process_map_html",
    "rank_activities",
    "script_json",
    "variant_explorer_html",
]
