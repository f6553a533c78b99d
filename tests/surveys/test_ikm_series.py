"""IKM per group and period (sigap.analytics.ikm): periods, trend and the sample check."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sigap.analytics.ikm import (
    GroupTally,
    PeriodKind,
    ikm_series,
    period_bounds,
    period_key,
    period_label,
)
from sigap.rules.ikm import ELEMENT_CODES


@pytest.mark.parametrize(
    ("kind", "key"),
    [("month", "2025-08"), ("quarter", "2025-Q3"), ("semester", "2025-S2"), ("year", "2025")],
)
def test_period_keys_and_their_bounds(kind, key):
    assert period_key(date(2025, 8, 17), PeriodKind(kind)) == key
    first, last = period_bounds(key)
    assert first <= date(2025, 8, 17) <= last


def test_period_bounds_and_labels():
    assert period_bounds("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert period_bounds("2025-Q4") == (date(2025, 10, 1), date(2025, 12, 31))
    assert period_label("2025-Q3") == "Triwulan III 2025"
    assert period_label("2025-S1") == "Semester I 2025"
    assert period_label("2025-07") == "Juli 2025"
    assert period_label("2025") == "Tahun 2025"


@pytest.mark.parametrize("bad", ["2025-Q5", "2025-S3", "2025-13", "x", "2025-", "1800"])
def test_a_malformed_period_is_refused(bad):
    with pytest.raises(ValueError):
        period_bounds(bad)


def tally(group, period, n, score):
    return GroupTally(
        group, period, n, dict.fromkeys(ELEMENT_CODES, score * n), dict.fromkeys(ELEMENT_CODES, n)
    )


def test_the_trend_is_the_change_from_the_previous_period_of_the_same_group():
    points = ikm_series(
        [tally("a", "2025-Q2", 10, 4), tally("a", "2025-Q1", 10, 3), tally("b", "2025-Q1", 5, 2)],
        populations={("a", "2025-Q1"): 100},
    )
    assert [(p.group, p.period) for p in points] == [
        ("a", "2025-Q1"),
        ("a", "2025-Q2"),
        ("b", "2025-Q1"),
    ]
    assert points[0].change is None and points[1].change == Decimal("25.00")
    assert points[0].sample.required == 80 and not points[0].sample.adequate
    assert points[1].sample is None


def test_unknown_unsur_codes_are_refused():
    with pytest.raises(ValueError):
        ikm_series([GroupTally("a", "2025", 1, {"maklumat": 3}, {"maklumat": 1})])
