"""Calibration statistics against hand-computed values."""

from __future__ import annotations

import doctest
import math

import pytest

from sigap.analytics import calibration
from sigap.analytics.calibration import (
    InflationSettings,
    average_ranks,
    calibrate_unit,
    differentiation_index,
    evidence_composite,
    inflation_flag,
    percentile_ranks,
    spearman,
)


@pytest.mark.parametrize(
    ("values", "ranks"),
    [
        ([3, 1, 2], [3.0, 1.0, 2.0]),
        ([10, 20, 20, 30], [1.0, 2.5, 2.5, 4.0]),
        ([5, 5, 5], [2.0, 2.0, 2.0]),
        ([2, 1, 2, 1, 2], [4.0, 1.5, 4.0, 1.5, 4.0]),
        ([], []),
    ],
)
def test_average_ranks(values, ranks):
    assert average_ranks(values) == ranks


def test_spearman_without_ties_matches_the_textbook_formula():
    # d = rank differences 0, 1, -1, 0 → rho = 1 − 6·2 / (4·15) = 0.8
    assert spearman([1, 2, 3, 4], [10, 30, 20, 40]) == pytest.approx(0.8)
    assert spearman([1, 2, 3, 4, 5], [5, 4, 3, 2, 1]) == pytest.approx(-1.0)


def test_spearman_with_ties_uses_average_ranks():
    # x ranks [1.5, 1.5, 3, 4]; y ranks [1, 2, 3.5, 3.5]. Pearson on the ranks by hand:
    # means 2.5; dx = [-1, -1, .5, 1.5]; dy = [-1.5, -.5, 1, 1]
    # Σdxdy = 1.5 + .5 + .5 + 1.5 = 4; Σdx² = 1 + 1 + .25 + 2.25 = 4.5;
    # Σdy² = 2.25 + .25 + 1 + 1 = 4.5
    assert spearman([1, 1, 2, 3], [1, 2, 3, 3]) == pytest.approx(4 / 4.5)


@pytest.mark.parametrize(("x", "y"), [([1, 2], [2, 1]), ([1, 1, 1], [1, 2, 3]), ([], [])])
def test_spearman_undefined_cases_return_none(x, y):
    assert spearman(x, y) is None


def test_spearman_refuses_unequal_lengths():
    with pytest.raises(ValueError):
        spearman([1, 2, 3], [1, 2])


def test_percentile_ranks_respect_direction_and_missing_values():
    assert percentile_ranks([10, None, 30, 20]) == [0.0, None, 1.0, 0.5]
    assert percentile_ranks([10, 30, 20], higher_is_better=False) == [1.0, 0.0, 0.5]
    assert percentile_ranks([7]) == [0.5]


def test_evidence_composite_averages_the_available_measures():
    sla = [0.9, 0.5, None]  # higher is better
    rework = [0.1, 0.3, None]  # lower is better
    assert evidence_composite([(sla, True), (rework, False)]) == [1.0, 0.0, None]


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (["baik"] * 10, 0.0),
        (["a", "b", "c", "d", "e"], 1.0),
        (["a", "a", "b", "b"], (1 - 0.5) / 0.8),
        ([], None),
    ],
)
def test_differentiation_index(labels, expected):
    result = differentiation_index(labels)
    assert result == (None if expected is None else pytest.approx(expected))


@pytest.mark.parametrize(
    ("top", "evidence", "n", "flag"),
    [
        (1.0, 0.2, 10, True),
        (0.4, 0.45, 10, True),
        (0.39, 0.2, 10, False),
        (1.0, 0.46, 10, False),
        (1.0, None, 10, False),
        (1.0, 0.2, 2, False),
    ],
)
def test_inflation_flag(top, evidence, n, flag):
    assert inflation_flag(top, evidence, n, InflationSettings()) is flag


def test_calibrate_unit_summary():
    rows = [("sangat_baik", 4, 0.1), ("sangat_baik", 4, 0.3), ("baik", 3, 0.05), ("baik", 3, None)]
    result = calibrate_unit(rows, top="sangat_baik")
    assert result.rated == 4 and result.with_evidence == 3
    assert result.top_share == 0.5
    assert math.isclose(result.evidence_level or 0, 0.15)
    assert result.inflated
    assert result.distribution == {"sangat_baik": 2, "baik": 2}
    # ratings [4, 4, 3] vs evidence [.1, .3, .05]: ranks [2.5, 2.5, 1] vs [2, 3, 1];
    # dx = [.5, .5, -1], dy = [0, 1, -1] → 1.5 / √(1.5 · 2) = 0.866
    assert result.correlation == pytest.approx(1.5 / math.sqrt(3))


def test_docstring_examples():
    assert doctest.testmod(calibration).failed == 0
