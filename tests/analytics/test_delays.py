"""Step delays on the hand-checked performance log (tests/analytics/test_performance.py): March
2025 in Jakarta, working days Monday to Friday, no holidays before the 28th."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sigap.analytics.delays import StepDelay, step_delays
from sigap.analytics.engine import DuckDBEngine

from . import test_performance

HOUR = 3600.0


@pytest.mark.parametrize("fast_path", [True, False])
def test_step_delays_of_the_performance_log(make_log: Callable[..., Path], fast_path: bool) -> None:
    with DuckDBEngine(fast_path=fast_path) as engine:
        engine.register_log(make_log(test_performance.LOG))
        got = step_delays(engine)
    # issue, waits before it (working days, hours): K1 verify Tue 4 11:00 → Wed 5 15:00 (1, 28);
    # K2 fix Mon 10 08:00 → Wed 12 16:00 (2, 56); K3 Mon 10 → Mon 17 09:00 (5, 168);
    # I1 Tue 4 → Tue 11 09:00 (5, 168); I2 ask Wed 5 12:00 → Fri 7 09:00 (2, 45):
    # 5 of 6 cases, 15 / 5 = 3 working days, 465 / 5 = 93 hours on average.
    assert got[0] == StepDelay("issue", 5, 5 / 6, 3.0, 93 * HOUR)
    # fix: Thu 6 10:00 → Mon 10 08:00 is Fri and Mon (2), 94 hours; verify Mon → Tue (1, 25).
    assert got[1] == StepDelay("fix", 1, 1 / 6, 2.0, 94 * HOUR)
    assert got[2] == StepDelay("verify", 1, 1 / 6, 1.0, 25 * HOUR)
    # the same-day waits add no working day; ties on 3 hours in all go by name
    assert [d.activity for d in got[3:]] == ["ask", "receive", "check"]
    assert got[4] == StepDelay("receive", 3, 0.5, 0.0, HOUR)


def test_an_empty_log_has_no_delays(make_log: Callable[..., Path]) -> None:
    with DuckDBEngine() as engine:
        engine.register_log(make_log([("A", "submit", "2025-03-03T09:00:00+07:00")]))
        assert step_delays(engine) == ()


def test_exact_sums_equal_integer_sums() -> None:
    """The two-bincount sums equal int64 sums to the unit, negative and large values included,
    and beyond their range fall back to np.add.at."""
    import numpy as np

    from sigap.analytics.delays import _exact_sums

    rng = np.random.default_rng(5)
    for bound in (10, 10**9, 2**46, 2**50):
        groups = rng.integers(0, 7, 5_000)
        values = rng.integers(-bound, bound, 5_000)
        expected = np.zeros(7, np.int64)
        np.add.at(expected, groups, values)
        assert _exact_sums(groups, values, 7).tolist() == expected.tolist()
