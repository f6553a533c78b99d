"""The analysis report: every result of one log, written as JSON, XLSX or a self-contained HTML
page with the process map drawn as an SVG picture (no script, no CDN: works offline)."""

from __future__ import annotations

import dataclasses
import html
import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sigap.analytics.conformance import Conformance, conformance
from sigap.analytics.discovery import (
    Bottleneck,
    DirectlyFollowsGraph,
    Rework,
    Variant,
    bottlenecks,
    cached_variants,
    directly_follows,
    rework,
)
from sigap.analytics.engine import Engine
from sigap.analytics.eventlog import ImportNotes
from sigap.analytics.performance import (
    Backlog,
    PerformanceSettings,
    ServicePerformance,
    backlog,
    service_performance,
)
from sigap.analytics.scorecards import MIN_CASES, OfficerScorecard, officer_scorecards
from sigap.analytics.whatif import WhatIf, what_if

REPORT_FORMATS = ("html", "json", "xlsx")
TOP_VARIANTS = 20


@dataclass(frozen=True, slots=True)
class Report:
    source: str
    engine: str
    dfg: DirectlyFollowsGraph
    variants: tuple[Variant, ...]
    variant_count: int
    rework: tuple[Rework, ...]
    bottlenecks: tuple[Bottleneck, ...]
    conformance: Conformance | None
    performance: tuple[ServicePerformance, ...]
    performance_by_period: tuple[ServicePerformance, ...]
    backlog: tuple[Backlog, ...]
    scorecards: tuple[OfficerScorecard, ...]
    min_cases: int
    what_if: tuple[WhatIf, ...]
    notes: ImportNotes | None = None
    """What the importer found and did (None when the log did not come through it)."""


def build_report(
    engine: Engine,
    *,
    source: str,
    procedure: Sequence[str] = (),
    settings: PerformanceSettings | None = None,
    min_cases: int = MIN_CASES,
    progress: Callable[[str], None] = lambda step: None,
    notes: ImportNotes | None = None,
) -> Report:
    """Run every analysis on the log registered in `engine`; `progress` is told each step.

    A log imported in file order (`notes.order == "file"`) is not in time order, so the
    time-based analyses (performance, backlog, scorecards, what-if) are left empty."""
    settings = settings or PerformanceSettings()
    timed = notes is None or notes.order != "file"
    progress("process map")
    dfg = directly_follows(engine)
    progress("variants")
    variants = cached_variants(engine)
    progress("rework")
    rw = rework(engine)
    progress("bottlenecks")
    bn = bottlenecks(engine)
    progress("conformance")
    conf = conformance(engine, procedure) if procedure else None
    progress("service performance")
    perf = service_performance(engine, ("service",), settings) if timed else ()
    perf_period = service_performance(engine, ("service", "period"), settings) if timed else ()
    progress("backlog")
    bl = backlog(engine, ("service", "unit"), settings) if timed else ()
    progress("officer scorecards")
    cards = officer_scorecards(engine, min_cases=min_cases, settings=settings) if timed else ()
    progress("what-if")
    wi = tuple(what_if(engine, b.activity, cut=0.5) for b in bn[:3]) if timed else ()
    return Report(
        source=source,
        engine=engine.name,
        dfg=dfg,
        variants=variants[:TOP_VARIANTS],
        variant_count=len(variants),
        rework=rw,
        bottlenecks=bn,
        conformance=conf,
        performance=perf,
        performance_by_period=perf_period,
        backlog=bl,
        scorecards=cards,
        min_cases=min_cases,
        what_if=wi,
        notes=notes,
    )


STEPS = 9  # calls of `progress` in build_report


def to_jsonable(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [to_jsonable(v) for v in obj]
    return obj


def write_report(report: Report, out: str | Path) -> Path:
    """Write the report; the format follows the extension (.html, .json, .xlsx)."""
    out = Path(out)
    ext = out.suffix.lower().lstrip(".")
    if ext not in REPORT_FORMATS:
        raise ValueError(f"unknown report format {ext!r}; expected one of {REPORT_FORMATS}")
    out.parent.mkdir(parents=True, exist_ok=True)
    if ext == "json":
        out.write_text(json.dumps(to_jsonable(report), indent=2, ensure_ascii=False))
    elif ext == "html":
        out.write_text(render_html(report), encoding="utf-8")
    else:
        write_xlsx(report, out)
    return out


def _tables(report: Report) -> list[tuple[str, list[str], list[list[Any]]]]:
    """(title, header, rows) of every table, shared by the HTML and XLSX writers."""

    def table(title: str, items: Iterable[Any], skip: Sequence[str] = ()) -> None:
        items = list(items)
        if not items:
            return
        names = [f.name for f in dataclasses.fields(items[0]) if f.name not in skip]
        rows = [[_cell(getattr(it, n)) for n in names] for it in items]
        out.append((title, names, rows))

    out: list[tuple[str, list[str], list[list[Any]]]] = []
    table(
        "Kinerja layanan (service performance)", report.performance, ("unit", "officer", "period")
    )
    table("Kinerja per bulan (by month)", report.performance_by_period, ("unit", "officer"))
    table("Tunggakan (backlog)", report.backlog, ("officer", "period"))
    table("Directly-follows edges", report.dfg.edges)
    out.append(
        (
            "Start and end activities",
            ["activity", "start", "end", "events"],
            [
                [a, report.dfg.start_activities.get(a, 0), report.dfg.end_activities.get(a, 0), n]
                for a, n in report.dfg.activities.items()
            ],
        )
    )
    table(f"Variants (top {TOP_VARIANTS} of {report.variant_count})", report.variants)
    table("Rework loops", report.rework)
    table("Bottlenecks (waiting added)", report.bottlenecks)
    if report.conformance:
        c = report.conformance
        out.append(
            (
                f"Conformance to {' → '.join(c.procedure)}: {c.conforming} of {c.cases} "
                f"cases ({c.share:.1%})",
                ["kind", "activity", "cases"],
                [[d.kind, d.activity, d.cases] for d in c.deviations],
            )
        )
    table(f"Officer scorecards (at least {report.min_cases} cases)", report.scorecards)
    table("What-if (replay)", report.what_if)
    return out


def _cell(v: Any) -> Any:
    if isinstance(v, tuple):
        return " → ".join(map(str, v))
    if isinstance(v, float):
        return round(v, 6)
    return v


def write_xlsx(report: Report, out: Path) -> None:
    """Through the one spreadsheet writer: activity names come from the log (any text)."""
    from sigap import spreadsheets

    sheets = [
        spreadsheets.Sheet(
            _sheet_name(title), rows=[list(header), *(list(r) for r in rows)], header_rows=1
        )
        for title, header, rows in _tables(report)
    ]
    out.write_bytes(spreadsheets.to_xlsx(sheets))


def _sheet_name(title: str) -> str:
    name = title.split(" (")[0].split(":")[0]
    for ch in "[]:*?/\\":
        name = name.replace(ch, " ")
    return name[:31]


def render_html(report: Report) -> str:
    parts = [
        "<!doctype html><html lang='id'><head><meta charset='utf-8'>",
        f"<title>sigap: {html.escape(report.source)}</title>",
        "<style>body{font-family:system-ui,sans-serif;margin:2em;color:#222}"
        "table{border-collapse:collapse;margin:0 0 2em;font-size:13px}"
        "td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}"
        "td:first-child,th:first-child{text-align:left}th{background:#f3f3f3}"
        "svg{border:1px solid #ddd;max-width:100%;height:auto}</style></head><body>",
        f"<h1>Analisis log: {html.escape(report.source)}</h1>",
        f"<p>{report.dfg.events:,} events, {report.dfg.cases:,} cases, "
        f"{len(report.dfg.activities)} activities, {report.variant_count} variants "
        f"(engine: {html.escape(report.engine)}).</p>",
        "<h2>Peta proses (process map)</h2>",
        process_map_svg(report.dfg),
    ]
    for title, header, rows in _tables(report):
        parts.append(f"<h2>{html.escape(title)}</h2><table><tr>")
        parts.extend(f"<th>{html.escape(h)}</th>" for h in header)
        parts.append("</tr>")
        for r in rows:
            cells = "".join(f"<td>{html.escape(_fmt(v))}</td>" for v in r)
            parts.append(f"<tr>{cells}</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts)


def _fmt(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:,.3f}".rstrip("0").rstrip(".")
    if isinstance(v, int) and not isinstance(v, bool):
        return f"{v:,}"
    return str(v)


def process_map_svg(dfg: DirectlyFollowsGraph, *, max_edges: int = 60) -> str:
    """The DFG as an SVG: activities in columns by their distance from a start activity, edges
    drawn with a width by frequency and labelled with count and median duration."""
    edges = sorted(dfg.edges, key=lambda e: -e.count)[:max_edges]
    rank: dict[str, int] = {a: 0 for a in dfg.start_activities}
    frontier = list(rank)
    succ: dict[str, list[str]] = {}
    for e in edges:
        succ.setdefault(e.source, []).append(e.target)
    while frontier:
        nxt = []
        for a in frontier:
            for b in succ.get(a, []):
                if b not in rank:
                    rank[b] = rank[a] + 1
                    nxt.append(b)
        frontier = nxt
    depth = max(rank.values(), default=0) + 1
    for a in dfg.activities:
        rank.setdefault(a, depth)
    columns: dict[int, list[str]] = {}
    for a in sorted(dfg.activities, key=lambda a: -dfg.activities[a]):
        columns.setdefault(rank[a], []).append(a)
    box_w, box_h, gap_x, gap_y = 170, 44, 90, 30
    pos: dict[str, tuple[float, float]] = {}
    for col, acts in columns.items():
        for i, a in enumerate(acts):
            pos[a] = (20 + col * (box_w + gap_x), 20 + i * (box_h + gap_y))
    width = 40 + (max(columns) + 1) * (box_w + gap_x)
    height = 40 + max(len(v) for v in columns.values()) * (box_h + gap_y)
    top = max((e.count for e in edges), default=1)
    svg = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}' font-family='sans-serif' font-size='11'>",
        "<defs><marker id='arrow' viewBox='0 0 10 10' refX='10' refY='5' markerWidth='6' "
        "markerHeight='6' orient='auto-start-reverse'><path d='M0,0L10,5L0,10z' fill='#555'/>"
        "</marker></defs>",
    ]
    for e in edges:
        (x1, y1), (x2, y2) = pos[e.source], pos[e.target]
        w = 1 + 5 * math.sqrt(e.count / top)
        label = f"{e.count:,} · {_duration(e.median_s)}"
        if e.source == e.target:
            cx, cy = x1 + box_w / 2, y1
            path = f"M{cx - 15},{cy} C{cx - 30},{cy - 35} {cx + 30},{cy - 35} {cx + 15},{cy}"
            lx, ly = cx, cy - 30
        else:
            sx, sy = x1 + box_w, y1 + box_h / 2
            tx, ty = x2, y2 + box_h / 2
            if x2 <= x1:  # backwards: go round below the boxes
                sx, sy, tx, ty = x1 + box_w / 2, y1 + box_h, x2 + box_w / 2, y2 + box_h
                my = max(sy, ty) + 40
                path = f"M{sx},{sy} C{sx},{my} {tx},{my} {tx},{ty}"
                lx, ly = (sx + tx) / 2, my - 8
            else:
                mx = (sx + tx) / 2
                path = f"M{sx},{sy} C{mx},{sy} {mx},{ty} {tx},{ty}"
                lx, ly = mx, (sy + ty) / 2 - 4
        svg.append(
            f"<path d='{path}' fill='none' stroke='#888' stroke-width='{w:.1f}' "
            f"marker-end='url(#arrow)'><title>{html.escape(e.source)} → "
            f"{html.escape(e.target)}: {label}</title></path>"
            f"<text x='{lx:.0f}' y='{ly:.0f}' text-anchor='middle' fill='#444'>"
            f"{html.escape(label)}</text>"
        )
    for a, (x, y) in pos.items():
        fill = "#d8f0d8" if a in dfg.start_activities else "#e8eef8"
        stroke = "#a33" if a in dfg.end_activities else "#557"
        svg.append(
            f"<rect x='{x}' y='{y}' width='{box_w}' height='{box_h}' rx='6' fill='{fill}' "
            f"stroke='{stroke}'/><text x='{x + box_w / 2}' y='{y + 18}' text-anchor='middle' "
            f"font-weight='bold'>{html.escape(a[:26])}</text><text x='{x + box_w / 2}' "
            f"y='{y + 34}' text-anchor='middle'>{dfg.activities[a]:,}</text>"
        )
    svg.append("</svg>")
    return "".join(svg)


def _duration(seconds: float | None) -> str:
    if seconds is None:  # a log without timestamps
        return "–"
    if seconds >= 86400:
        return f"{seconds / 86400:.1f} d"
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 60:.0f} min"


__all__ = ["REPORT_FORMATS", "STEPS", "Report", "build_report", "render_html", "write_report"]
