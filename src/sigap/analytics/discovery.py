"""Process discovery: directly-follows graph, start/end activities, variants, rework, bottlenecks.

Durations are computed in integer microseconds inside the engine and turned into seconds here,
rounded to the microsecond (the data's own resolution), so both engines give identical numbers.
Quantiles are linear interpolations between order statistics (numpy's default, pm4py's median).
A log read in file order without timestamps (`ImportNotes.missing_timestamps`) has no durations:
they are None, and there are no bottlenecks (no waiting is known).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sigap.analytics.engine import Engine, Row

SEP = "\x1f"  # joins a variant's activities inside the engine (never in an activity name)


def seconds(us: float | int | None) -> float | None:
    return None if us is None else round(float(us) / 1e6, 6)


@dataclass(frozen=True, slots=True)
class Edge:
    """`source` directly followed by `target` within a case, `count` times; durations in seconds."""

    source: str
    target: str
    count: int
    mean_s: float | None
    median_s: float | None
    p90_s: float | None
    min_s: float | None
    max_s: float | None


@dataclass(frozen=True, slots=True)
class DirectlyFollowsGraph:
    edges: tuple[Edge, ...]
    start_activities: dict[str, int]
    end_activities: dict[str, int]
    activities: dict[str, int]
    cases: int
    events: int

    def edge(self, source: str, target: str) -> Edge:
        for e in self.edges:
            if e.source == source and e.target == target:
                return e
        raise KeyError((source, target))

    def counts(self) -> dict[tuple[str, str], int]:
        return {(e.source, e.target): e.count for e in self.edges}


# One pass over `pairs`, edges only: start, end and activity counts are read off the variants.
DFG_SQL = """SELECT source, target, count(*), sum(dur_us), quantile_cont(dur_us, [0.5, 0.9]),
        min(dur_us), max(dur_us)
    FROM pairs WHERE target IS NOT NULL GROUP BY {groups}"""
EDGES = "source, target"
# The edges and, in the same pass, the waiting time before each activity (rows with source NULL,
# grouped by target only): what `bottlenecks` needs, ~1.3x the cost of the edges alone instead of
# 2x for two passes. A DFG asked for after the bottlenecks reuses it.
EDGES_AND_WAITS = "GROUPING SETS ((source, target), (target))"


def _edge_rows(engine: Engine) -> list[Row]:
    lin = engine.linear_log()
    if lin is not None:
        return engine.memo("dfg_rows", lin.edge_rows)
    both: list[Row] | None = engine.memoised("dfg_rows:waits")
    if both is not None:
        return [r for r in both if r[0] is not None]  # activities are never NULL
    return engine.memo("dfg_rows", lambda: engine.rows(DFG_SQL.format(groups=EDGES)))


def _wait_rows(engine: Engine) -> list[Row]:
    lin = engine.linear_log()
    if lin is not None:
        return engine.memo("wait_rows", lin.wait_rows)
    both: list[Row] = engine.memo(
        "dfg_rows:waits", lambda: engine.rows(DFG_SQL.format(groups=EDGES_AND_WAITS))
    )
    return [r for r in both if r[0] is None]


def directly_follows(engine: Engine) -> DirectlyFollowsGraph:
    """The performance DFG of the log registered in `engine`."""
    edges = sorted(
        (
            Edge(
                source=source,
                target=target,
                count=int(n),
                mean_s=_mean(total, n),
                median_s=seconds(q[0]) if q else None,
                p90_s=seconds(q[1]) if q else None,
                min_s=seconds(lo),
                max_s=seconds(hi),
            )
            for source, target, n, total, q, lo, hi in _edge_rows(engine)
        ),
        key=lambda e: (e.source, e.target),
    )
    starts: Counter[str] = Counter()
    ends: Counter[str] = Counter()
    activities: Counter[str] = Counter()
    for v in cached_variants(engine):
        starts[v.activities[0]] += v.count
        ends[v.activities[-1]] += v.count
        for activity, k in Counter(v.activities).items():
            activities[activity] += k * v.count
    return DirectlyFollowsGraph(
        edges=tuple(edges),
        start_activities=dict(sorted(starts.items())),
        end_activities=dict(sorted(ends.items())),
        activities=dict(sorted(activities.items())),
        cases=sum(starts.values()),
        events=sum(activities.values()),
    )


def _s(us: float | int) -> float:
    return round(float(us) / 1e6, 6)


def _mean(total_us: int | None, n: int) -> float | None:
    return None if total_us is None else round(int(total_us) / int(n) / 1e6, 6)


@dataclass(frozen=True, slots=True)
class Variant:
    """One distinct sequence of activities, the cases that follow it, and their lead time."""

    activities: tuple[str, ...]
    count: int
    median_duration_s: float | None
    mean_duration_s: float | None


# A case's variant is identified by the sum of a 64-bit hash of each (position, activity) and its
# length: one hash aggregation, no per-case sort. Only one case per variant (the smallest id) has
# its activities spelled out. Two different sequences of the same length collide with chance
# ~2^-64 per pair of variants (below 1e-7 for a million variants).
VARIANTS_SQL = """WITH traces AS (
        SELECT case_id, sum(hash(seq, activity)) AS h, count(*) AS n,
               max(ts_us) - min(ts_us) AS dur_us
        FROM events {where} GROUP BY case_id),
    by_variant AS (
        SELECT h, n, count(*) AS cases, min(case_id) AS example, median(dur_us) AS med,
               sum(dur_us) AS total
        FROM traces GROUP BY h, n),
    spelled AS (
        SELECT case_id, string_agg(activity, chr(31) ORDER BY seq) AS variant
        FROM events WHERE case_id IN (SELECT example FROM by_variant) GROUP BY case_id)
    SELECT s.variant, v.cases, v.med, v.total
    FROM by_variant v JOIN spelled s ON s.case_id = v.example
    ORDER BY v.cases DESC, s.variant"""


def variants(engine: Engine, *, service: str | None = None) -> tuple[Variant, ...]:
    """Variants, most frequent first (ties by their activity sequence); of one service if given."""
    where = "" if service is None else "WHERE service = '{}'".format(service.replace("'", "''"))
    lin = engine.linear_log() if service is None else None
    rows = lin.variant_rows() if lin is not None else engine.rows(VARIANTS_SQL.format(where=where))
    return tuple(
        Variant(
            activities=tuple(r[0].split(SEP)),
            count=int(r[1]),
            median_duration_s=seconds(r[2]),
            mean_duration_s=_mean(r[3], r[1]),
        )
        for r in rows
    )


def cached_variants(engine: Engine) -> tuple[Variant, ...]:
    """All variants of the registered log, computed once and shared (rework, conformance...)."""
    return engine.memo("variants", lambda: variants(engine))


@dataclass(frozen=True, slots=True)
class Rework:
    """An activity done more than once in the same case."""

    activity: str
    cases: int
    """cases where it happens at least twice"""
    repeats: int
    """executions beyond the first, summed over those cases"""
    share_of_cases: float


def rework(engine: Engine) -> tuple[Rework, ...]:
    """Rework loops, most frequent first. Read off the variants: a repeat is in the sequence."""
    cases: dict[str, int] = {}
    repeats: dict[str, int] = {}
    total = 0
    for v in cached_variants(engine):
        total += v.count
        for activity, n in Counter(v.activities).items():
            if n > 1:
                cases[activity] = cases.get(activity, 0) + v.count
                repeats[activity] = repeats.get(activity, 0) + (n - 1) * v.count
    return tuple(
        Rework(activity=a, cases=n, repeats=repeats[a], share_of_cases=n / total)
        for a, n in sorted(cases.items(), key=lambda kv: (-kv[1], kv[0]))
    )


@dataclass(frozen=True, slots=True)
class Bottleneck:
    """Waiting before an activity: the time from the previous event of the case until it."""

    activity: str
    events: int
    total_wait_s: float
    mean_wait_s: float
    median_wait_s: float
    p90_wait_s: float
    share_of_waiting: float
    """its share of all the waiting time in the log"""


def bottlenecks(engine: Engine) -> tuple[Bottleneck, ...]:
    """Activities ranked by the total waiting time they add (the time spent before them)."""
    waits = sorted(
        ((str(target), int(n), int(total), q) for _, target, n, total, q, _, _ in
         _wait_rows(engine) if total is not None),
        key=lambda w: (-w[2], w[0]),
    )  # fmt: skip
    everything = sum(w[2] for w in waits)
    rows = [(a, n, total, q[0], q[1], everything) for a, n, total, q in waits]
    return tuple(
        Bottleneck(
            activity=r[0],
            events=int(r[1]),
            total_wait_s=_s(r[2]),
            mean_wait_s=round(int(r[2]) / int(r[1]) / 1e6, 6),
            median_wait_s=_s(r[3]),
            p90_wait_s=_s(r[4]),
            share_of_waiting=(int(r[2]) / int(r[5])) if r[5] else 0.0,
        )
        for r in rows
    )


__all__ = [
    "Bottleneck",
    "DirectlyFollowsGraph",
    "Edge",
    "Rework",
    "Variant",
    "bottlenecks",
    "directly_follows",
    "rework",
    "seconds",
    "variants",
]
