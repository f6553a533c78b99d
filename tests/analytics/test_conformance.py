"""Conformance to the declared procedure: hand-checked deviations."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sigap.analytics.conformance import Deviation, conformance, trace_deviations
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
