"""The pure scoring rules of the scorecard and roadmap, against hand-computed answers."""

from __future__ import annotations

from datetime import date

import pytest

from sigap.leadership import scoring
from sigap.leadership.scoring import METRICS, Sense


@pytest.mark.parametrize(
    ("label", "before"),
    [
        ("2026-01", "2025-12"),
        ("2026-10", "2026-09"),
        ("2026-Q1", "2025-Q4"),
        ("2026-Q3", "2026-Q2"),
        ("2026", "2025"),
    ],
)
def test_previous_period_is_the_same_kind_just_before(label: str, before: str) -> None:
    assert scoring.previous_period(label) == before


def test_periods_between_lists_every_period_of_the_kind() -> None:
    first, last = date(2025, 11, 28), date(2026, 2, 3)
    assert scoring.periods_between(first, last, "month") == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    ]
    assert scoring.periods_between(first, last, "quarter") == ["2025-Q4", "2026-Q1"]
    assert scoring.periods_between(first, last, "year") == ["2025", "2026"]


def test_period_label_and_bounds() -> None:
    assert scoring.period_label(date(2026, 8, 17), "quarter") == "2026-Q3"
    assert scoring.bounds("2026-Q3") == (date(2026, 7, 1), date(2026, 9, 30))
    assert scoring.bounds("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))


def test_rank_is_competition_ranking_and_skips_unmeasured() -> None:
    assert scoring.rank({"a": 0.9, "b": 0.7, "c": 0.9, "d": None}) == {"a": 1, "c": 1, "b": 3}
    # Lower is better (integrity signals per 1,000 requests): the smallest ranks first.
    assert scoring.rank({"a": 2.0, "b": 0.0, "c": 1.5}, higher_is_better=False) == {
        "b": 1,
        "c": 2,
        "a": 3,
    }
    assert scoring.rank({}) == {}


def test_change_and_its_sense() -> None:
    assert scoring.change(0.75, 0.8) == pytest.approx(-0.05)
    assert scoring.change(None, 0.8) is None
    assert scoring.change(0.8, None) is None
    assert scoring.sense(-0.05, higher_is_better=True) is Sense.WORSE
    assert scoring.sense(-0.05, higher_is_better=False) is Sense.BETTER  # fewer signals
    assert scoring.sense(0.0, higher_is_better=True) is Sense.SAME
    assert scoring.sense(None, higher_is_better=True) is None


def test_gap_is_the_shortfall_over_the_span_from_worst_to_target() -> None:
    # SLA compliance 72 %, target 90 %: (0.90 - 0.72) / 0.90 = 0.2.
    assert scoring.gap(0.72, METRICS["sla_share"]) == pytest.approx(0.2)
    # IKM 75.648, target 88.31 (mutu A), worst 25: 12.662 / 63.31 = 0.2.
    assert scoring.gap(75.648, METRICS["ikm"]) == pytest.approx(0.2)
    # At or past the target: no gap; unmeasured: no gap.
    assert scoring.gap(0.95, METRICS["sla_share"]) == 0.0
    assert scoring.gap(None, METRICS["sla_share"]) == 0.0
    # Lower is better: 1.5 flagged signals per 1,000 requests, worst 2, target 0 → 0.75.
    assert scoring.gap(1.5, METRICS["integrity_rate"]) == pytest.approx(0.75)
    # Capped at 1.
    assert scoring.gap(5.0, METRICS["integrity_rate"]) == 1.0


def test_priority_is_gap_times_citizens() -> None:
    assert scoring.priority(0.2, 1500) == pytest.approx(300.0)
    assert scoring.priority(0.0, 10_000) == 0.0


def test_small_helpers() -> None:
    assert scoring.share(2, 3) == pytest.approx(2 / 3)
    assert scoring.share(0, 0) is None
    assert scoring.median([5, 1, 4]) == 4.0
    assert scoring.median([1, 2, 4, 5]) == 3.0
    assert scoring.median([]) is None
    assert scoring.mean_present(1.0, None, 0.5) == 0.75
    assert scoring.mean_present(None, None) is None
    assert scoring.per_thousand(3, 1500) == 2.0
    assert scoring.per_thousand(None, 1500) is None
    assert scoring.per_thousand(3, 0) is None
