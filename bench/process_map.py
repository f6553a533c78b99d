"""Process map and variant explorer HTML (sigap.analytics.processmap) on a large synthetic log.

    python -m bench.process_map                      # 400 activities, ~2,000 edges, 3,000 variants
    python -m bench.process_map --activities 1000 --variants 10000
    python -m bench.process_map --browser        # also the re-draw time in Chromium

Prints the time to build each fragment (best of --repeat) and its size, against a baseline: the
bare `json.dumps` of the same data (the edges with their counts and durations, the activities
with their counts, the variants with their steps). The ratio says what the layout, the escaping
and the markup cost on top of just serialising what is shown. With --browser, the page is opened
from a file in the system Chromium (Playwright, as tests/browser) and the script's re-draw of the
largest level (every embedded activity, paths at 100 %) is timed with performance.now().
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from sigap.analytics.discovery import DirectlyFollowsGraph, Edge, Variant
from sigap.analytics.processmap import process_map_html, variant_explorer_html


def synthetic(
    activities: int = 400, variants: int = 3000, fanout: int = 5, seed: int = 7
) -> tuple[DirectlyFollowsGraph, tuple[Variant, ...]]:
    """Variants as random walks over `activities` activities, each with `fanout` successors
    (mostly forward, some back: rework), counts Zipf-like; the DFG is read off the variants,
    so the two agree as they do on a real log."""
    rng = random.Random(seed)
    names = [f"Aktivitas {i:03d} {'ABCDEFGH'[i % 8]}" for i in range(activities)]
    succ = []
    for i in range(activities):
        forward = [min(activities - 1, i + rng.randint(1, 30)) for _ in range(fanout - 1)]
        back = [max(0, i - rng.randint(1, 6))]
        succ.append(sorted(set(forward + back)))
    seen: dict[tuple[str, ...], int] = {}
    for rank in range(variants * 3):
        if len(seen) >= variants:
            break
        node, walk = 0, [0]
        for _ in range(rng.randint(3, 60)):
            node = rng.choice(succ[node])
            walk.append(node)
            if node == activities - 1:
                break
        key = tuple(names[n] for n in walk)
        seen.setdefault(key, max(1, int(20000 / (rank + 1) ** 0.9)))
    vs = tuple(
        Variant(activities=k, count=c, median_duration_s=3600.0 * len(k), mean_duration_s=0.0)
        for k, c in sorted(seen.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    return dfg_of(vs, rng), vs


def dfg_of(vs: tuple[Variant, ...], rng: random.Random | None = None) -> DirectlyFollowsGraph:
    rng = rng or random.Random(0)
    pairs: Counter[tuple[str, str]] = Counter()
    starts: Counter[str] = Counter()
    ends: Counter[str] = Counter()
    acts: Counter[str] = Counter()
    for v in vs:
        starts[v.activities[0]] += v.count
        ends[v.activities[-1]] += v.count
        for a in v.activities:
            acts[a] += v.count
        for s, t in zip(v.activities, v.activities[1:], strict=False):
            pairs[s, t] += v.count
    edges = []
    for (s, t), n in sorted(pairs.items()):
        m = rng.uniform(60, 86400 * 5)
        edges.append(Edge(s, t, n, m, m, 2 * m, 0.0, 4 * m))
    return DirectlyFollowsGraph(
        edges=tuple(edges),
        start_activities=dict(starts),
        end_activities=dict(ends),
        activities=dict(acts),
        cases=sum(starts.values()),
        events=sum(acts.values()),
    )


def best(fn: Callable[[], str], repeat: int) -> tuple[float, str]:
    times, out = [], ""
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--activities", type=int, default=400)
    ap.add_argument("--variants", type=int, default=3000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--browser", action="store_true", help="time the re-draw in Chromium")
    args = ap.parse_args()
    dfg, vs = synthetic(args.activities, args.variants)
    print(f"load average (1 min) before: {os.getloadavg()[0]:.1f}")
    print(
        f"log: {len(dfg.activities)} activities, {len(dfg.edges)} edges, {len(vs)} variants, "
        f"{dfg.cases} cases"
    )
    cases = dfg.cases

    def bare_map() -> str:
        return json.dumps(
            {
                "activities": dfg.activities,
                "edges": [[e.source, e.target, e.count, e.median_s] for e in dfg.edges[:2000]],
            }
        )

    def bare_variants() -> str:
        return json.dumps([[v.activities, v.count, v.median_duration_s] for v in vs[:200]])

    for name, fn, base in (
        ("process map", lambda: process_map_html(dfg, vs), bare_map),
        ("variant explorer", lambda: variant_explorer_html(vs, cases), bare_variants),
    ):
        t, out = best(fn, args.repeat)
        tb, ref = best(base, args.repeat)
        print(
            f"{name}: {t * 1000:.0f} ms, {len(out.encode()) / 1024:.0f} KiB; bare json.dumps "
            f"{tb * 1000:.1f} ms, {len(ref.encode()) / 1024:.0f} KiB; ratio time "
            f"{t / tb:.0f}x, size {len(out.encode()) / len(ref.encode()):.2f}x"
        )
    if args.browser:
        redraw(process_map_html(dfg, vs), args.repeat)
    print(f"load average (1 min) after: {os.getloadavg()[0]:.1f}")


def redraw(fragment: str, repeat: int) -> None:
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("SIGAP_CHROMIUM") or shutil.which("chromium")
    if chromium is None:
        raise SystemExit("--browser needs the system Chromium (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        page_file = Path(tmp) / "map.html"
        page_file.write_text(
            f"<!doctype html><html><head><meta charset='utf-8'><title>bench</title></head>"
            f"<body>{fragment}</body></html>",
            encoding="utf-8",
        )
        browser = pw.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox"])
        page = browser.new_page()
        page.goto(page_file.as_uri())
        ms = page.evaluate(
            """(repeat) => {
                const acts = document.querySelector('.sgpm-acts');
                const paths = document.querySelector('.sgpm-paths');
                const times = [];
                for (let i = 0; i < repeat; i++) {
                    acts.value = 0; acts.dispatchEvent(new Event('input'));
                    const t0 = performance.now();
                    acts.value = acts.max; paths.value = 100;
                    acts.dispatchEvent(new Event('input'));
                    document.querySelector('svg').getBBox();  // forces layout of the new SVG
                    times.push(performance.now() - t0);
                }
                return [Math.min(...times), document.querySelectorAll('rect.sgpm-node').length,
                        document.querySelectorAll('path.sgpm-edge').length];
            }""",
            repeat,
        )
        browser.close()
    print(f"re-draw in Chromium: {ms[0]:.0f} ms for {ms[1]} boxes and {ms[2]} edges")


if __name__ == "__main__":
    main()
