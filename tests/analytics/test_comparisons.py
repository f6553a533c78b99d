"""Choosing comparison units (`impact.choose_comparisons`) on hand-built panels: the same
service elsewhere first, else the units nearest on pre-period level and trend."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sigap.analytics.impact import (
    MATCHED,
    SAME_SERVICE,
    Comparison,
    ImpactSettings,
    PanelRow,
    Reason,
    Verdict,
    choose_comparisons,
    did,
)

LOOSE = ImpactSettings(
    min_treated=1, min_comparison=2, min_pre_periods=2, min_post_periods=2, min_events=0,
    min_unit_events=0, bootstrap=49,
)  # fmt: skip


def linear(unit: str, level: float, slope: float, periods: range, weight: float = 10.0):
    """value = level + slope * (period - 5): the level is read at period 5."""
    return [PanelRow(unit, t, level + slope * (t - 5), weight) for t in periods]


PERIODS = range(12)
START = 6  # reference period: 5, the last before the start


def panel() -> list[PanelRow]:
    rows = linear("T", 10.0, 0.5, PERIODS)
    rows += linear("near1", 10.5, 0.5, PERIODS)  # same trend, a little higher
    rows += linear("near2", 9.0, 0.4, PERIODS)
    rows += linear("near3", 11.0, 0.6, PERIODS)
    rows += linear("far_level", 12.0, 0.5, PERIODS)  # same trend, further level
    # The same level at the reference period but a diverging trend: nearest on level alone.
    rows += linear("diverging", 10.0, -1.5, PERIODS)
    return rows


def test_same_service_elsewhere_when_enough_have_data() -> None:
    rows = panel() + linear("S1", 50.0, 3.0, PERIODS) + linear("S2", 1.0, 0.0, PERIODS)
    got = choose_comparisons(
        rows, {"T": START}, same_service=["S2", "S1", "T"], others=["near1"], settings=LOOSE
    )
    # Taken as they are, however far their level or trend: the same service is the
    # counterfactual; the treated unit itself is never a candidate.
    assert got == Comparison(SAME_SERVICE, ("S1", "S2"))


def test_same_service_units_without_data_on_both_sides_do_not_count() -> None:
    # S2 stops before the start; S3 starts after it; S4 has no rows: one with data < 2.
    rows = panel() + linear("S1", 10.0, 0.5, PERIODS)
    rows += linear("S2", 10.0, 0.5, range(0, 6)) + linear("S3", 10.0, 0.5, range(6, 12))
    got = choose_comparisons(
        rows, {"T": START}, same_service=["S1", "S2", "S3", "S4"],
        others=["near1", "near2", "near3", "far_level", "diverging"],
        settings=LOOSE, n_matched=3,
    )  # fmt: skip
    assert got.basis == MATCHED
    # S1 (identical to T) joins the matching pool and is nearest; then near1, near2/near3.
    assert "S1" in got.units and len(got.units) == 3
    assert "S2" not in got.units and "S3" not in got.units


def test_matched_takes_the_nearest_and_not_a_diverging_trend() -> None:
    others = ["near1", "near2", "near3", "far_level", "diverging"]
    got = choose_comparisons(panel(), {"T": START}, same_service=[], others=others,
                             settings=LOOSE, n_matched=3)  # fmt: skip
    assert got == Comparison(MATCHED, ("near1", "near2", "near3"))
    # By hand (T first): levels 10, 10.5, 9, 11, 12, 10, sd 0.932 (population); slopes 0.5,
    # 0.5, 0.4, 0.6, 0.5, -1.5, sd 0.747. Distances: near1 0.5/0.932 = 0.54; near2 and near3
    # sqrt((1/0.932)^2 + (0.1/0.747)^2) = 1.08; far_level 2/0.932 = 2.15; diverging, on the
    # treated level but its trend 2/0.747 = 2.68 away: last.
    four = choose_comparisons(panel(), {"T": START}, same_service=[], others=others,
                              settings=LOOSE, n_matched=4)  # fmt: skip
    assert four.units == ("far_level", "near1", "near2", "near3")


def test_levels_are_read_at_the_same_period_whatever_the_window() -> None:
    # Staggered: T1 starts at 6, T2 at 9 (its pre-period, 0..8, runs longer). Both are
    # 10 + (t - 5): level 10 at period 5, the last before the earliest start, slope 1. "same"
    # is the same line: distance 0. Had levels been the pre-period means, T1's (over 0..5)
    # would be 7.5 and T2's (over 0..8) 9, target 8.25, and the candidates' means over 0..5:
    # "same" 7.5, "mean_of_window" 8.5 -- the latter would have won.
    rows = linear("T1", 10.0, 1.0, PERIODS) + linear("T2", 10.0, 1.0, PERIODS)
    rows += linear("same", 10.0, 1.0, PERIODS) + linear("mean_of_window", 11.0, 1.0, PERIODS)
    rows += linear("other", 5.0, 1.0, PERIODS)
    got = choose_comparisons(rows, {"T1": 6, "T2": 9}, same_service=[],
                             others=["same", "mean_of_window", "other"], settings=LOOSE,
                             n_matched=1)  # fmt: skip
    assert got.units == ("same",)


def test_default_number_matched_and_too_few_candidates() -> None:
    # Default: twice max(min_comparison, treated) = 4 here; only 5 candidates.
    others = ["near1", "near2", "near3", "far_level", "diverging"]
    got = choose_comparisons(panel(), {"T": START}, same_service=[], others=others,
                             settings=LOOSE)  # fmt: skip
    assert len(got.units) == 4 and "diverging" not in got.units
    # One candidate only: still a Comparison, and did() says too few comparison units.
    few = choose_comparisons(panel(), {"T": START}, same_service=[], others=["near1"],
                             settings=LOOSE)  # fmt: skip
    assert few == Comparison(MATCHED, ("near1",))
    rows = [r for r in panel() if r.unit in ("T", *few.units)]
    r = did(rows, {"T": START}, higher_is_better=True, settings=LOOSE)
    assert (r.verdict, r.reason) == (Verdict.NO_CONCLUSION, Reason.TOO_FEW_COMPARISON)
    # None at all, or no treated unit: an empty Comparison.
    assert choose_comparisons(panel(), {"T": START}, same_service=[], others=[],
                              settings=LOOSE) == Comparison(MATCHED, ())  # fmt: skip
    assert choose_comparisons(panel(), {}, same_service=[], others=others) == Comparison(
        MATCHED, ()
    )


def test_candidates_need_events_and_two_pre_periods() -> None:
    rows = panel() + linear("light", 10.0, 0.5, PERIODS, weight=1.0)  # 12 events
    rows += linear("short", 10.0, 0.5, range(5, 12))  # one period before the start
    got = choose_comparisons(
        rows, {"T": START}, same_service=[], others=["light", "short", "near2"],
        settings=replace(LOOSE, min_unit_events=50),
    )  # fmt: skip
    assert got.units == ("near2",)


def test_n_matched_must_be_positive() -> None:
    with pytest.raises(ValueError, match="n_matched"):
        choose_comparisons(panel(), {"T": START}, same_service=[], others=["near1"],
                           n_matched=0, settings=LOOSE)  # fmt: skip
