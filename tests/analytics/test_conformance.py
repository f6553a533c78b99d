"""Conformance to the declared procedure: hand-checked deviations."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sigap.analytics.conformance import Deviation, conformance, step_traces, trace_deviations
from sigap.analytics.engine import Engine

PROC = ("submit", "verify", "approve", "issue")


@pytest.mark.parametrize(
    ("trace", "expected"),
    [
        (PROC, set()),
        (("submit", "approve", "issue"), {("skipped", "verify")}),
        (("submit", "verify", "call", "approve", "issue"), {("extra", "call")}),
        (("submit", "verify", "verify", "approve", "issue"), {("extra", "verify")}),
        # a swap: equally short either way; the later-declared step is called out of order
        (("submit", "approve", "verify", "issue"), {("out_of_order", "approve")}),
        # issue jumped ahead of two steps: only issue is out of order, not verify and approve
        (("submit", "issue", "verify", "approve"), {("out_of_order", "issue")}),
        (
            ("verify", "x"),
            {("skipped", "submit"), ("skipped", "approve"), ("skipped", "issue"), ("extra", "x")},
        ),
    ],
)
def test_trace_deviations(trace: tuple[str, ...], expected: set[tuple[str, str]]) -> None:
    assert trace_deviations(trace, PROC) == expected


def test_procedure_steps_must_be_distinct() -> None:
    with pytest.raises(ValueError, match="once"):
        trace_deviations(["a"], ["a", "b", "a"])


def test_share_and_deviations_over_cases(
    make_log: Callable[..., Path], duck: Callable[[Path], Engine]
) -> None:
    rows = []
    traces = {
        "C1": PROC,
        "C2": PROC,
        "C3": ("submit", "approve", "issue"),
        "C4": ("submit", "approve", "verify", "issue", "call"),
    }
    for case, acts in traces.items():
        rows += [(case, a, f"2025-03-03T0{i}:00:00Z") for i, a in enumerate(acts)]
    result = conformance(duck(make_log(rows)), PROC)
    assert (result.cases, result.conforming, result.share) == (4, 2, 0.5)
    assert result.deviations == (
        Deviation("extra", "call", 1),
        Deviation("out_of_order", "approve", 1),
        Deviation("skipped", "verify", 1),
    )


# A rejected case stops early by design: only the declared steps up to the furthest one it
# reached are due; a step missing before that point is still skipped.
@pytest.mark.parametrize(
    ("trace", "expected"),
    [
        # rejected at verify: approve and issue were never due
        (("submit", "verify"), set()),
        # rejected at the first step: nothing was due after it
        (("submit",), set()),
        # rejected before any declared step (e.g. at receipt): nothing skipped, the rest is extra
        (("screen",), {("extra", "screen")}),
        # reached approve without verify: verify was skipped; issue was never due
        (("submit", "approve"), {("skipped", "verify")}),
        # order and repeats are judged as for any case
        (("submit", "approve", "verify"), {("out_of_order", "approve")}),
        (("submit", "submit", "verify"), {("extra", "submit")}),
    ],
)
def test_stopped_trace_is_judged_on_the_prefix_it_reached(
    trace: tuple[str, ...], expected: set[tuple[str, str]]
) -> None:
    assert trace_deviations(trace, PROC, stopped=True) == expected
    # the same trace of a case that was not stopped: the remaining steps were skipped
    reached = {a for a in trace if a in PROC}
    rest = {("skipped", s) for s in PROC if s not in reached}
    assert rest <= trace_deviations(trace, PROC)


def _outcome_log(make_log: Callable[..., Path]) -> Path:
    """C1 follows the procedure; C2 is rejected at verify; C3 is rejected at the first step;
    C4 is rejected at approve having skipped verify; C5 is still open after submit."""
    traces: dict[str, list[tuple[str, str]]] = {
        "C1": [("submit", "done"), ("verify", "done"), ("approve", "done"), ("issue", "completed")],
        "C2": [("submit", "done"), ("verify", "rejected")],
        "C3": [("submit", "rejected")],
        "C4": [("submit", "done"), ("approve", "rejected")],
        "C5": [("submit", "done")],
    }
    rows = []
    for case, steps in traces.items():
        rows += [
            (case, "receive", "2025-03-03T00:00:00Z", "p1", "received", "KTP", "U1"),
            *(
                (case, a, f"2025-03-03T0{i + 1}:00:00Z", "p1", outcome, "KTP", "U1")
                for i, (a, outcome) in enumerate(steps)
            ),
        ]
    return make_log(rows)


def test_rejected_cases_are_not_counted_as_skipping_the_rest(
    make_log: Callable[..., Path], duck: Callable[[Path], Engine]
) -> None:
    eng = duck(_outcome_log(make_log))
    # By hand, with `receive` declared as the first step: C1 conforms; C2 and C3 stopped at
    # verify / submit, nothing skipped; C4 stopped at approve without verify: verify skipped;
    # C5 (open, not stopped) skipped verify, approve and issue.
    result = conformance(eng, ("receive", *PROC))
    assert (result.cases, result.conforming, result.stopped) == (5, 3, 3)
    assert result.deviations == (
        Deviation("skipped", "verify", 2),
        Deviation("skipped", "approve", 1),
        Deviation("skipped", "issue", 1),
    )
    # Without the stop outcome (the old behaviour) every rejected case skipped the rest.
    old = conformance(eng, ("receive", *PROC), stop_outcomes=())
    assert (old.cases, old.conforming, old.stopped) == (5, 1, 0)
    assert Deviation("skipped", "issue", 4) in old.deviations


def test_step_traces_of_closed_cases(
    make_log: Callable[..., Path], duck: Callable[[Path], Engine]
) -> None:
    """What the Kinerja layanan page judges: finished steps plus the step rejected at, of
    closed cases only (C5 is open: its later steps are still to come)."""
    traces = sorted(step_traces(duck(_outcome_log(make_log))))
    assert traces == [
        ("U1", "KTP", ("submit",), True, 1),
        ("U1", "KTP", ("submit", "approve"), True, 1),
        ("U1", "KTP", ("submit", "verify"), True, 1),
        ("U1", "KTP", PROC, False, 1),
    ]
    judged = {t: trace_deviations(t, PROC, stopped=s) for _, _, t, s, _ in traces}
    assert judged == {
        ("submit",): set(),
        ("submit", "approve"): {("skipped", "verify")},
        ("submit", "verify"): set(),
        PROC: set(),
    }
