"""Impact evaluation on service panels: choosing comparison units (`impact.choose_comparisons`:
the same service elsewhere first, else the units nearest on pre-period level and trend) on
hand-built panels, a 2x2 of service cells by hand, and on simulated service panels with
matched comparisons: statsmodels' two-way fixed-effects OLS with cluster-robust errors as the
reference, staggered adoption, a pre-trend, and a date outside the data. The officer-level
oracle tests of the estimator itself are in test_impact.py."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
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
from sigap.analytics.service_panel import HIGHER_IS_BETTER, LEAD_TIME, ServiceCell, panel_rows

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


# --- a 2x2 of service cells, by hand ----------------------------------------------------------


def cell(service: str, period: int, cases: int, lead_sum: float) -> ServiceCell:
    return ServiceCell(service, period, cases, lead_sum, 0, 0, cases)


def test_two_by_two_of_service_cells_by_hand() -> None:
    # Lead time (working days); the weights are the cases. Comparison C1: 6.0 (10 cases) ->
    # 5.5 (10), change -0.5; C2: 4.0 (20) -> 5.0 (5), change +1.0. With unit fixed effects the
    # weighted fit weighs a unit's change by w0 w1 / (w0 + w1): 5 for C1, 4 for C2, so the
    # common change is (5 * -0.5 + 4 * 1.0) / 9 = 1/6 (unweighted it would be 0.25).
    # Treated T1: 5.0 (10) -> 3.0 (10): 3 - (5 + 1/6) = -13/6; T2: 4.0 (30) -> 2.5 (20):
    # 2.5 - (4 + 1/6) = -10/6. Effect: (10 * -13/6 + 20 * -10/6) / 30 = -11/6; counterfactual
    # baseline (10 * 31/6 + 20 * 25/6) / 30 = 4.5.
    cells = [
        cell("C1", 0, 10, 60), cell("C1", 1, 10, 55), cell("C2", 0, 20, 80), cell("C2", 1, 5, 25),
        cell("T1", 0, 10, 50), cell("T1", 1, 10, 30), cell("T2", 0, 30, 120), cell("T2", 1, 20, 50),
    ]  # fmt: skip
    rows = panel_rows(cells, LEAD_TIME)
    settings = replace(LOOSE, min_treated=2, min_pre_periods=1, min_post_periods=1)
    treated = {"T1": 1, "T2": 1}
    comparison = choose_comparisons(
        rows, treated, same_service=["C1", "C2"], others=[], settings=settings
    )
    assert comparison == Comparison(SAME_SERVICE, ("C1", "C2"))
    r = did(rows, treated, higher_is_better=HIGHER_IS_BETTER[LEAD_TIME], settings=settings)
    assert r.estimate == pytest.approx(-11 / 6)
    assert r.baseline == pytest.approx(4.5)
    assert r.before == pytest.approx((50 + 120) / 40)
    assert r.after == pytest.approx((30 + 50) / 30)
    assert (r.events_before, r.events_after) == (40, 30)


# --- simulated service panels: matched comparisons, statsmodels as the reference ---------------


def simulated_services(
    seed: int,
    *,
    starts: dict[int, int] | None = None,
    n_treated: int = 8,
    n_pool: int = 40,
    periods: int = 24,
    effect: float = -1.0,
    treated_trend: float = 0.05,
    pool_trend: float | None = None,
    diverging_trend: float = 0.4,
    cases: tuple[int, int] | None = None,
) -> tuple[list[ServiceCell], dict[str, int], list[str], set[str]]:
    """Monthly lead time of services: a level per service, a common monthly shock, a trend
    per service, AR(1) noise within each service. Treated services T00.. have `treated_trend`
    and the `effect` from their start (`starts`: treated index -> start, default all at
    `periods // 2`); of the pool P00.., the even ones have `pool_trend` (default: the treated
    trend; give or take 0.01), the odd ones drift by `diverging_trend` a month. Cases per
    cell: 50, or drawn from `cases`. Returns the cells, the starts, the pool and its
    diverging units."""
    rng = np.random.default_rng(seed)
    shock = np.cumsum(rng.normal(0, 0.3, periods))
    cells, start_of = [], {}
    diverging = set()
    for i in range(n_treated + n_pool):
        treated = i < n_treated
        name = f"T{i:02d}" if treated else f"P{i - n_treated:02d}"
        if treated:
            level, trend = rng.normal(10, 1), treated_trend
            start_of[name] = (starts or {}).get(i, periods // 2)
        else:
            level = rng.normal(10, 3)
            odd = (i - n_treated) % 2 == 1
            shared = treated_trend if pool_trend is None else pool_trend
            trend = diverging_trend if odd else shared + rng.uniform(-0.01, 0.01)
            if odd:
                diverging.add(name)
        noise = 0.0
        for t in range(periods):
            noise = 0.5 * noise + rng.normal(0, 0.3)
            y = level + shock[t] + trend * t + noise
            if treated and t >= start_of[name]:
                y += effect
            n = int(rng.integers(*cases)) if cases else 50
            cells.append(cell(name, t, n, y * n))
    pool = [f"P{j:02d}" for j in range(n_pool)]
    return cells, start_of, pool, diverging


# The pre-trend test is at the 5 % level: on parallel trends it refuses one panel in twenty by
# design (seed 33 is such a panel, p = 0.043), so these seeds are fixed.
@pytest.mark.parametrize("seed", [31, 32, 34])
def test_matched_comparison_matches_two_way_fixed_effects_ols(seed: int) -> None:
    """Single start, balanced, equal weights: on the treated and the matched services the
    imputation estimate is the two-way fixed-effects OLS coefficient, and the bootstrap SE is
    near the cluster-robust one. Matching leaves the drifting services out; with them the
    pre-trend test refuses a conclusion."""
    sm = pytest.importorskip("statsmodels.formula.api")
    pd = pytest.importorskip("pandas")
    cells, starts, pool, diverging = simulated_services(seed)
    rows = panel_rows(cells, LEAD_TIME)
    comparison = choose_comparisons(rows, starts, same_service=[], others=pool)
    assert comparison.basis == MATCHED
    assert len(comparison.units) == 16  # twice max(min_comparison 5, 8 treated)
    assert not diverging & set(comparison.units)
    kept = [r for r in rows if r.unit in starts or r.unit in comparison.units]
    r = did(kept, starts, higher_is_better=False)
    assert r.verdict == Verdict.IMPROVED and r.reason is None
    assert r.ci_low is not None and r.ci_high is not None
    assert r.ci_low < -1.0 < r.ci_high

    df = pd.DataFrame([(x.unit, x.period, x.value) for x in kept], columns=["u", "t", "y"])
    df["d"] = [float(u in starts and t >= starts[u]) for u, t in zip(df.u, df.t, strict=True)]
    fit = sm.ols("y ~ d + C(u) + C(t)", df).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(df.u)[0]}
    )
    assert r.estimate == pytest.approx(fit.params["d"], abs=1e-9)
    assert r.se == pytest.approx(fit.bse["d"], rel=0.35)
    assert r.df == 7  # min(8 treated, 16 comparison) - 1

    everyone = did(rows, starts, higher_is_better=False)
    assert (everyone.verdict, everyone.reason) == (Verdict.NO_CONCLUSION, Reason.PRE_TREND)


@pytest.mark.parametrize("seed", [41, 42])
def test_staggered_adoption_recovers_a_known_effect(seed: int) -> None:
    # Three cohorts of treated services (months 9, 12 and 15), -1.5 working days each, cases
    # drawn per cell: the weighted imputation estimate covers -1.5.
    starts = {i: (9, 12, 15)[i % 3] for i in range(9)}
    cells, start_of, pool, diverging = simulated_services(
        seed, starts=starts, n_treated=9, effect=-1.5, cases=(20, 200)
    )
    assert sorted(set(start_of.values())) == [9, 12, 15]
    rows = panel_rows(cells, LEAD_TIME)
    comparison = choose_comparisons(rows, start_of, same_service=[], others=pool)
    assert not diverging & set(comparison.units)
    kept = [r for r in rows if r.unit in start_of or r.unit in comparison.units]
    r = did(kept, start_of, higher_is_better=False)
    assert r.verdict == Verdict.IMPROVED
    assert r.ci_low is not None and r.ci_high is not None
    assert r.ci_low < -1.5 < r.ci_high
    assert r.pre_periods == 9 and r.post_periods == 9  # the first and the last cohort


def test_no_comparison_sharing_the_trend_is_flagged() -> None:
    # The treated services climb 0.2 a month; the pool climbs 0.05 or falls 0.2: the nearest
    # are still on another trend, and the pre-trend test refuses a conclusion (no effect
    # planted). (A pool climbing 0.05 or 0.4 could be matched to 0.2 on average: that is a
    # credible comparison for a difference in differences, and not what this test is about.)
    cells, starts, pool, _ = simulated_services(
        51, treated_trend=0.2, pool_trend=0.05, diverging_trend=-0.2, effect=0.0
    )
    rows = panel_rows(cells, LEAD_TIME)
    comparison = choose_comparisons(rows, starts, same_service=[], others=pool)
    kept = [r for r in rows if r.unit in starts or r.unit in comparison.units]
    r = did(kept, starts, higher_is_better=False)
    assert (r.verdict, r.reason) == (Verdict.NO_CONCLUSION, Reason.PRE_TREND)
    assert r.pre_trend_p is not None and r.pre_trend_p < 0.05


@pytest.mark.parametrize("start", [30, 0, -3])
def test_an_intervention_date_outside_the_data_gives_no_conclusion(start: int) -> None:
    cells, starts, pool, _ = simulated_services(61)
    outside = dict.fromkeys(starts, start)
    rows = panel_rows(cells, LEAD_TIME)
    comparison = choose_comparisons(rows, outside, same_service=[], others=pool)
    assert comparison == Comparison(MATCHED, ())  # nobody has data on both sides
    r = did(rows, outside, higher_is_better=False)
    assert (r.verdict, r.reason) == (Verdict.NO_CONCLUSION, Reason.OUTSIDE_DATA)
    assert r.estimate is None


def test_a_unit_under_another_intervention_is_no_candidate_from_its_start() -> None:
    others = ["near1", "near2", "near3", "far_level", "diverging"]
    # near1 is changed by something else from period 4 (before the start, 6): no rows after
    # the start, no candidate. From period 8 on, it still has rows on both sides: kept.
    before = choose_comparisons(
        panel(),
        {"T": START},
        same_service=[],
        others=others,
        settings=LOOSE,
        n_matched=3,
        excluded_from={"near1": 4},
    )
    assert before.units == ("far_level", "near2", "near3")
    after = choose_comparisons(
        panel(),
        {"T": START},
        same_service=[],
        others=others,
        settings=LOOSE,
        n_matched=3,
        excluded_from={"near1": 8},
    )
    assert after.units == ("near1", "near2", "near3")
