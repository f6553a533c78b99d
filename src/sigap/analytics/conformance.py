"""Conformance of cases to the declared procedure of a service standard.

A case conforms when its sequence of activities is exactly the declared procedure. Otherwise each
deviation is one of:

- `skipped`: a declared step that never happened;
- `extra`: an activity outside the procedure, or a declared step done again (rework);
- `out_of_order`: a declared step that happened, but not in the declared order. The steps kept in
  order are the longest subsequence of the case that follows the procedure's order; the others are
  out of order (so one step done too early counts once, not for every step it jumped). When
  two choices are equally long (a swap), the step declared later is the one out of order.

The check runs on variants (computed in the engine), so its cost does not grow with the log.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sigap.analytics.discovery import cached_variants, variants
from sigap.analytics.engine import Engine

KINDS = ("skipped", "extra", "out_of_order")


@dataclass(frozen=True, slots=True)
class Deviation:
    kind: str
    activity: str
    cases: int
    """cases with this deviation at least once"""


@dataclass(frozen=True, slots=True)
class Conformance:
    procedure: tuple[str, ...]
    cases: int
    conforming: int
    share: float
    deviations: tuple[Deviation, ...]
    """most frequent first"""


def trace_deviations(trace: Sequence[str], procedure: Sequence[str]) -> set[tuple[str, str]]:
    """The (kind, activity) deviations of one trace from the procedure (steps are distinct).

    >>> sorted(trace_deviations(["a", "c", "b", "x"], ["a", "b", "c", "d"]))
    [('extra', 'x'), ('out_of_order', 'b'), ('skipped', 'd')]
    """
    position = {step: i for i, step in enumerate(procedure)}
    if len(position) != len(procedure):
        raise ValueError(f"a declared procedure lists each step once: {list(procedure)}")
    found: set[tuple[str, str]] = set()
    firsts: list[str] = []
    for act in trace:
        if act not in position or act in firsts:
            found.add(("extra", act))
        else:
            firsts.append(act)
    found.update(("skipped", s) for s in procedure if s not in firsts)
    for act in _not_in_longest_ordered_run([position[a] for a in firsts], firsts):
        found.add(("out_of_order", act))
    return found


def _not_in_longest_ordered_run(idx: list[int], acts: list[str]) -> list[str]:
    """Activities outside one longest increasing subsequence of `idx` (patience sorting)."""
    tails: list[int] = []  # tails[k] = smallest tail value of an increasing run of length k+1
    tail_at: list[int] = []  # position in idx of that tail
    prev = [-1] * len(idx)
    for i, v in enumerate(idx):
        k = bisect_left(tails, v)
        if k == len(tails):
            tails.append(v)
            tail_at.append(i)
        else:
            tails[k] = v
            tail_at[k] = i
        prev[i] = tail_at[k - 1] if k else -1
    keep: set[int] = set()
    i = tail_at[-1] if tail_at else -1
    while i >= 0:
        keep.add(i)
        i = prev[i]
    return [a for j, a in enumerate(acts) if j not in keep]


def conformance(
    engine: Engine, procedure: Sequence[str], *, service: str | None = None
) -> Conformance:
    """Share of cases (of `service`, if given) following `procedure`, and their deviations."""
    proc = tuple(procedure)
    counts: Counter[tuple[str, str]] = Counter()
    cases = conforming = 0
    for v in variants(engine, service=service) if service else cached_variants(engine):
        found = trace_deviations(v.activities, proc)
        cases += v.count
        if not found:
            conforming += v.count
        for dev in found:
            counts[dev] += v.count
    deviations = tuple(
        Deviation(kind=k, activity=a, cases=n)
        for (k, a), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    return Conformance(
        procedure=proc,
        cases=cases,
        conforming=conforming,
        share=conforming / cases if cases else 0.0,
        deviations=deviations,
    )


__all__ = ["KINDS", "Conformance", "Deviation", "conformance", "trace_deviations"]
