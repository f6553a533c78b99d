"""Conformance of cases to the declared procedure of a service standard.

A case conforms when its sequence of activities is exactly the declared procedure. Otherwise each
deviation is one of:

- `skipped`: a declared step that never happened;
- `extra`: an activity outside the procedure, or a declared step done again (rework);
- `out_of_order`: a declared step that happened, but not in the declared order. The steps kept in
  order are the longest subsequence of the case that follows the procedure's order; the others are
  out of order (so one step done too early counts once, not for every step it jumped). When
  two choices are equally long (a swap), the step declared later is the one out of order.

A case that *stopped early by design* — rejected (an event with outcome `rejected`) — is judged
only on the part of the procedure it reached: the declared steps after the furthest declared
step it performed are not `skipped` (a rejected application is not sent on to the signature),
while a declared step missing *before* that point still is, and `extra` and `out_of_order` count
as for any case. A case rejected before any declared step has skipped nothing.

The check runs on variants (computed in the engine), so its cost does not grow with the log.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sigap.analytics.discovery import SEP, cached_variants, variants
from sigap.analytics.engine import Engine
from sigap.analytics.eventlog import REJECTED_OUTCOME

KINDS = ("skipped", "extra", "out_of_order")
STOP_OUTCOMES: tuple[str, ...] = (REJECTED_OUTCOME,)
"""Outcomes that end a case early by design (judged on the prefix of the procedure it reached)."""


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
    stopped: int = 0
    """cases that stopped early by design (rejected), judged on the prefix they reached"""


def trace_deviations(
    trace: Sequence[str], procedure: Sequence[str], *, stopped: bool = False
) -> set[tuple[str, str]]:
    """The (kind, activity) deviations of one trace from the procedure (steps are distinct).

    `stopped`: the case ended early by design (rejected), so only the declared steps up to the
    furthest one it reached could have been skipped.

    >>> sorted(trace_deviations(["a", "c", "b", "x"], ["a", "b", "c", "d"]))
    [('extra', 'x'), ('out_of_order', 'b'), ('skipped', 'd')]
    >>> sorted(trace_deviations(["a", "c"], ["a", "b", "c", "d"], stopped=True))
    [('skipped', 'b')]
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
    due = procedure
    if stopped:
        reached = max((position[a] for a in firsts), default=-1)
        due = procedure[: reached + 1]
    found.update(("skipped", s) for s in due if s not in firsts)
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


# The variants of the cases that stopped early: few cases, so spelled out one by one.
STOPPED_SQL = """WITH stopped AS (
        SELECT DISTINCT case_id FROM events WHERE lifecycle IN ({outcomes}) {and_service}),
    traces AS (
        SELECT case_id, string_agg(activity, chr(31) ORDER BY seq) AS variant
        FROM events WHERE case_id IN (SELECT case_id FROM stopped) GROUP BY case_id)
    SELECT variant, count(*) FROM traces GROUP BY variant"""


def stopped_variants(
    engine: Engine,
    *,
    service: str | None = None,
    outcomes: Sequence[str] = STOP_OUTCOMES,
) -> dict[tuple[str, ...], int]:
    """Activity sequences of the cases (of `service`) with one of `outcomes`, and their counts."""
    if not outcomes:
        return {}
    quoted = _quoted(outcomes)
    and_service = "" if service is None else "AND service = '{}'".format(service.replace("'", "''"))
    rows = engine.rows(STOPPED_SQL.format(outcomes=quoted, and_service=and_service))
    return {tuple(str(v).split(SEP)): int(n) for v, n in rows}


# Per closed case: the steps it finished (and the one it was rejected at), in order.
STEP_TRACES_SQL = """WITH t AS (
        SELECT case_id, any_value(unit) AS unit, any_value(service) AS service,
               string_agg(activity, chr(31) ORDER BY seq)
                   FILTER (WHERE lifecycle IN ({steps})) AS trace,
               max(CASE WHEN lifecycle IN ({stops}) THEN 1 ELSE 0 END) AS stopped,
               max(CASE WHEN lifecycle IN ({closing}) THEN 1 ELSE 0 END) AS closed
        FROM events GROUP BY case_id)
    SELECT unit, service, trace, stopped, count(*) FROM t
    WHERE closed = 1 AND trace IS NOT NULL
    GROUP BY unit, service, trace, stopped"""


def step_traces(
    engine: Engine,
    *,
    step_outcomes: Sequence[str] = ("done", "completed"),
    stop_outcomes: Sequence[str] = STOP_OUTCOMES,
    closing_outcomes: Sequence[str] = ("completed", REJECTED_OUTCOME),
) -> list[tuple[str | None, str | None, tuple[str, ...], bool, int]]:
    """(unit, service, steps, stopped early, cases) of the *closed* cases of a log that records
    outcomes (sigap's own): the sequence of steps each finished, with the step it was rejected
    at, for `trace_deviations(steps, procedure, stopped=...)`.

    Receipt, returns and pauses are not steps. Open cases are left out: the steps they have not
    reached yet are still to come, not skipped."""
    steps = _quoted([*step_outcomes, *stop_outcomes])
    rows = engine.rows(
        STEP_TRACES_SQL.format(
            steps=steps, stops=_quoted(stop_outcomes), closing=_quoted(closing_outcomes)
        )
    )
    return [
        (unit, service, tuple(str(trace).split(SEP)), bool(stopped), int(n))
        for unit, service, trace, stopped, n in rows
    ]


def _quoted(values: Sequence[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values) or "NULL"


def conformance(
    engine: Engine,
    procedure: Sequence[str],
    *,
    service: str | None = None,
    stop_outcomes: Sequence[str] = STOP_OUTCOMES,
) -> Conformance:
    """Share of cases (of `service`, if given) following `procedure`, and their deviations.

    Cases with an outcome in `stop_outcomes` are judged on the prefix they reached (see the
    module's docstring)."""
    proc = tuple(procedure)
    counts: Counter[tuple[str, str]] = Counter()
    cases = conforming = 0
    stopped = stopped_variants(engine, service=service, outcomes=stop_outcomes)
    for v in variants(engine, service=service) if service else cached_variants(engine):
        early = stopped.get(v.activities, 0)
        for is_stopped, n in ((False, v.count - early), (True, early)):
            if n <= 0:
                continue
            found = trace_deviations(v.activities, proc, stopped=is_stopped)
            cases += n
            if not found:
                conforming += n
            for dev in found:
                counts[dev] += n
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
        stopped=sum(stopped.values()),
    )


__all__ = [
    "KINDS",
    "STOP_OUTCOMES",
    "Conformance",
    "Deviation",
    "conformance",
    "step_traces",
    "stopped_variants",
    "trace_deviations",
]
