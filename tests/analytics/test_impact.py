"""Difference in differences (`sigap.analytics.impact`): hand-computed 2x2 and staggered cases,
the sample rules, and an oracle — statsmodels OLS with cluster-robust errors — on simulated
panels."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from sigap.analytics.impact import (
    Caveat,
    ImpactSettings,
    PanelRow,
    Reason,
    Verdict,
    did,
    month_number,
    t_quantile,
    t_sf,
)

LOOSE = ImpactSettings(
    min_treated=2,
    min_comparison=2,
    min_pre_periods=1,
    min_post_periods=1,
    min_events=0,
    min_unit_events=0,
)


def two_by_two(weights: dict[str, float] | None = None) -> list[PanelRow]:
    values = {"t1": (10, 15), "t2": (12, 16), "c1": (8, 9), "c2": (9, 11)}
    w = weights or {}
    return [
        PanelRow(u, period, v, w.get(u, 1.0))
        for u, pair in values.items()
        for period, v in enumerate(pair)
    ]


def test_two_by_two_is_the_difference_of_mean_changes() -> None:
    # Treated: (15 + 16)/2 - (10 + 12)/2 = 4.5; comparison: (9 + 11)/2 - (8 + 9)/2 = 1.5.
    r = did(two_by_two(), {"t1": 1, "t2": 1}, higher_is_better=True, settings=LOOSE)
    assert r.estimate == pytest.approx(3.0)
    assert r.before == pytest.approx(11.0)
    assert r.after == pytest.approx(15.5)
    # The baseline is the counterfactual: the treated pre-level 11 plus the comparison's
    # change 1.5 = 12.5, not the pre-level 11 (which misses the common trend).
    assert r.baseline == pytest.approx(12.5)
    assert r.relative == pytest.approx(3.0 / 12.5)
    assert r.ci_low is not None and r.ci_high is not None
    assert r.relative_low == pytest.approx(r.ci_low / 12.5)
    assert r.relative_high == pytest.approx(r.ci_high / 12.5)
    assert (r.n_treated, r.n_comparison, r.pre_periods, r.post_periods) == (2, 2, 1, 1)


def test_two_by_two_weights_average_the_changes_by_events() -> None:
    # t1 changes by 5 with weight 1, t2 by 4 with weight 3: 4.25; c1 +1 (w 1), c2 +2 (w 3): 1.75.
    r = did(
        two_by_two({"t2": 3.0, "c2": 3.0}),
        {"t1": 1, "t2": 1},
        higher_is_better=True,
        settings=LOOSE,
    )
    assert r.estimate == pytest.approx(2.5)


def test_staggered_starts_average_each_cohorts_own_effect() -> None:
    # y = unit + period + effect, exactly: cohort A (start 2) gains 2, cohort B (start 3) gains
    # 4. Treated rows: 4 of A (2 units x periods 2, 3) and 2 of B: (4*2 + 2*4) / 6 = 8/3. The
    # plain two-way regression would also compare B with the already-treated A.
    level = {"a1": 5, "a2": 6, "b1": 1, "b2": 2, "c1": 0, "c2": 3}
    start = {"a1": 2, "a2": 2, "b1": 3, "b2": 3}
    gain = {"a1": 2, "a2": 2, "b1": 4, "b2": 4}
    period_effect = [0, 1, 3, 4]
    rows = [
        PanelRow(u, t, a + period_effect[t] + (gain[u] if u in start and t >= start[u] else 0))
        for u, a in level.items()
        for t in range(4)
    ]
    r = did(rows, start, higher_is_better=True, settings=LOOSE)
    assert r.estimate == pytest.approx(8 / 3)
    # Without noise the untreated rows fit exactly: no trend difference before.
    assert r.pre_trend_slope == pytest.approx(0.0, abs=1e-9)


def test_a_unit_treated_by_something_else_stops_being_a_comparison() -> None:
    rows = [*two_by_two(), PanelRow("c3", 0, 0.0), PanelRow("c3", 1, 100.0)]
    kept = did(rows, {"t1": 1, "t2": 1}, higher_is_better=True, settings=LOOSE)
    dropped = did(
        rows, {"t1": 1, "t2": 1}, higher_is_better=True, settings=LOOSE, excluded_from={"c3": 1}
    )
    assert kept.estimate != pytest.approx(3.0)
    assert dropped.estimate == pytest.approx(3.0)
    assert dropped.n_comparison == 2


def test_not_yet_treated_units_count_as_comparison_units() -> None:
    # The staggered panel: b1, b2 (start 3) have untreated rows before and after the earliest
    # start (2), so they are comparison units as well as c1, c2; df = min(4, 4) - 1.
    level = {"a1": 5, "a2": 6, "b1": 1, "b2": 2, "c1": 0, "c2": 3}
    start = {"a1": 2, "a2": 2, "b1": 3, "b2": 3}
    rows = [PanelRow(u, t, a + t + (1 if u in start and t >= start[u] else 0)) for u, a in
            level.items() for t in range(4)]  # fmt: skip
    strict = replace(LOOSE, min_comparison=3, bootstrap=49)
    r = did(rows, start, higher_is_better=True, settings=strict)
    assert r.reason is None
    assert (r.n_treated, r.n_comparison, r.df) == (4, 4, 3)


def test_a_unit_with_too_few_events_is_no_comparison_unit() -> None:
    # c3 has one event on each side: it does not count toward the comparison minimum.
    rows = [*two_by_two({u: 5.0 for u in ("t1", "t2", "c1", "c2")})]
    rows += [PanelRow("c3", 0, 8.0), PanelRow("c3", 1, 9.0)]
    settings = replace(LOOSE, min_unit_events=10, min_comparison=3)
    r = did(rows, {"t1": 1, "t2": 1}, higher_is_better=True, settings=settings)
    assert (r.reason, r.n_comparison) == (Reason.TOO_FEW_COMPARISON, 2)
    # Nor a treated unit: t2 with 2 events is not evaluable.
    light = [*two_by_two({"t1": 5.0, "c1": 5.0, "c2": 5.0}), *rows[-2:]]
    few = replace(LOOSE, min_unit_events=10)
    r = did(light, {"t1": 1, "t2": 1}, higher_is_better=True, settings=few)
    assert (r.reason, r.n_treated) == (Reason.TOO_FEW_TREATED, 1)


def test_treated_rows_without_comparison_rows_are_not_counted() -> None:
    # Period 2 has only treated rows: they cannot be imputed, so they are neither in the
    # estimate nor in `after` / `events_after`.
    rows = [*two_by_two(), PanelRow("t1", 2, 100.0), PanelRow("t2", 2, 100.0)]
    r = did(rows, {"t1": 1, "t2": 1}, higher_is_better=True, settings=LOOSE)
    assert r.estimate == pytest.approx(3.0)
    assert r.after == pytest.approx(15.5)
    assert r.events_after == 2


def test_no_imputable_treated_row_gives_no_conclusion() -> None:
    # The comparison units have no row in the treated period 1.
    rows = [PanelRow(u, t, float(t)) for u in ("t1", "t2") for t in (0, 1)]
    rows += [PanelRow(u, t, float(t)) for u in ("c1", "c2") for t in (0, 2)]
    r = did(rows, {"t1": 1, "t2": 1}, higher_is_better=True, settings=LOOSE)
    assert (r.verdict, r.reason) == (Verdict.NO_CONCLUSION, Reason.TOO_FEW_COMPARISON)


@pytest.mark.parametrize(
    "bad",
    [
        {"bootstrap": 1},
        {"confidence": 1.0},
        {"confidence": 0.0},
        {"min_treated": 0},
        {"min_comparison": 0},
        {"min_pre_periods": 0},
        {"min_post_periods": 0},
        {"pre_trend_alpha": 1.5},
        {"min_unit_events": -1},
    ],
)
def test_impossible_settings_are_refused(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=f"ImpactSettings.{next(iter(bad))} must"):
        ImpactSettings(**bad)  # type: ignore[arg-type]


def simulated(
    seed: int,
    *,
    units: int = 40,
    treated: int = 15,
    periods: int = 12,
    start: int = 6,
    effect: float = 0.5,
    trend_gap: float = 0.0,
    weights: bool = False,
) -> tuple[list[PanelRow], dict[str, int]]:
    """Unit levels, a common trend, AR(1) noise within each unit (so errors are clustered);
    3 events per cell unless `weights` (36 per unit: enough for `min_unit_events`)."""
    rng = np.random.default_rng(seed)
    rows, starts = [], {}
    for u in range(units):
        name = f"u{u:02d}"
        is_treated = u < treated
        level = rng.normal(0, 1)
        noise = 0.0
        for t in range(periods):
            noise = 0.6 * noise + rng.normal(0, 0.4)
            y = level + 0.1 * t + noise
            y += trend_gap * t if is_treated else 0.0
            y += effect if is_treated and t >= start else 0.0
            w = float(rng.integers(5, 40)) if weights else 3.0
            rows.append(PanelRow(name, t, y, w))
        if is_treated:
            starts[name] = start
    return rows, starts


def test_finds_a_simulated_effect_and_no_effect_where_there_is_none() -> None:
    rows, starts = simulated(1, effect=0.5)
    r = did(rows, starts, higher_is_better=True)
    assert r.verdict == Verdict.IMPROVED
    assert r.ci_low is not None and r.ci_high is not None
    assert r.ci_low < 0.5 < r.ci_high
    worse = did(rows, starts, higher_is_better=False)
    assert worse.verdict == Verdict.WORSENED
    for result in (r, worse):
        # One interval: the relative one is the absolute one over the baseline.
        assert result.baseline is not None and result.relative_low is not None
        assert result.relative_low == pytest.approx(result.ci_low / result.baseline)
    rows, starts = simulated(2, effect=0.0)
    none = did(rows, starts, higher_is_better=True)
    assert none.verdict == Verdict.NO_EFFECT and none.reason is None
    assert none.ci_low is not None and none.ci_high is not None
    assert none.ci_low < 0 < none.ci_high


def test_a_diverging_pre_trend_gives_no_conclusion() -> None:
    rows, starts = simulated(3, effect=0.5, trend_gap=0.15)
    r = did(rows, starts, higher_is_better=True)
    assert r.verdict == Verdict.NO_CONCLUSION
    assert r.reason == Reason.PRE_TREND
    assert r.pre_trend_p is not None and r.pre_trend_p < 0.05
    assert r.estimate is not None  # the figure is still reported, with the caveat
    assert Caveat.PLACEBO_EFFECT in r.caveats


def test_the_same_seed_gives_the_same_interval() -> None:
    rows, starts = simulated(4)
    assert did(rows, starts, higher_is_better=True) == did(rows, starts, higher_is_better=True)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"treated": 3}, Reason.TOO_FEW_TREATED),
        ({"units": 18}, Reason.TOO_FEW_COMPARISON),
        ({"start": 2}, Reason.TOO_FEW_PRE_PERIODS),
        ({"start": 10}, Reason.TOO_FEW_POST_PERIODS),
        ({"start": 30}, Reason.OUTSIDE_DATA),
        ({"start": -5}, Reason.OUTSIDE_DATA),
    ],
)
def test_too_little_data_gives_no_conclusion_with_the_reason(
    change: dict[str, int], reason: Reason
) -> None:
    rows, starts = simulated(5, **change)  # type: ignore[arg-type]
    r = did(rows, starts, higher_is_better=True)
    assert (r.verdict, r.reason) == (Verdict.NO_CONCLUSION, reason)
    assert r.estimate is None


def test_too_few_events_gives_no_conclusion() -> None:
    rows, starts = simulated(6)  # weight 3 per row: 15 treated x 6 periods x 3 = 270 each side
    r = did(rows, starts, higher_is_better=True, settings=ImpactSettings(min_events=300))
    assert (r.verdict, r.reason) == (Verdict.NO_CONCLUSION, Reason.TOO_FEW_EVENTS)
    assert r.events_before == 270


def test_month_numbers_are_consecutive_across_years() -> None:
    assert month_number(2026, 1) - month_number(2025, 12) == 1


# --- oracle: statsmodels -----------------------------------------------------------------------


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_matches_two_way_fixed_effects_ols_with_cluster_errors(seed: int) -> None:
    """With one start date on a balanced, unweighted panel the imputation estimate is the
    coefficient of the two-way fixed-effects regression; the bootstrap interval is about as
    wide as the cluster-robust one."""
    sm = pytest.importorskip("statsmodels.formula.api")
    pd = pytest.importorskip("pandas")
    rows, starts = simulated(seed, effect=0.3)
    r = did(rows, starts, higher_is_better=True)
    df = pd.DataFrame([(x.unit, x.period, x.value) for x in rows], columns=["u", "t", "y"])
    df["d"] = [float(u in starts and t >= starts[u]) for u, t in zip(df.u, df.t, strict=True)]
    fit = sm.ols("y ~ d + C(u) + C(t)", df).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(df.u)[0]}
    )
    assert r.estimate == pytest.approx(fit.params["d"], abs=1e-9)
    assert r.se == pytest.approx(fit.bse["d"], rel=0.25)
    assert r.df == 14  # min(15 treated, 25 comparison) - 1
    assert r.ci_low is not None and r.ci_high is not None
    assert (r.ci_high - r.ci_low) / 2 == pytest.approx(t_quantile(0.975, 14) * r.se)


@pytest.mark.parametrize("seed", [21, 22])
def test_pre_trend_matches_weighted_ols_with_cluster_errors(seed: int) -> None:
    sm = pytest.importorskip("statsmodels.formula.api")
    pd = pytest.importorskip("pandas")
    rows, starts = simulated(seed, trend_gap=0.03, weights=True)
    r = did(rows, starts, higher_is_better=True)
    pre = [x for x in rows if not (x.unit in starts and x.period >= starts[x.unit])]
    df = pd.DataFrame(
        [(x.unit, x.period, x.value, x.weight) for x in pre], columns=["u", "t", "y", "w"]
    )
    df["rel"] = [
        float(t - starts[u]) if u in starts else 0.0 for u, t in zip(df.u, df.t, strict=True)
    ]
    fit = sm.wls("y ~ rel + C(u) + C(t)", df, weights=df.w).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(df.u)[0]}
    )
    assert r.pre_trend_slope == pytest.approx(fit.params["rel"], rel=1e-7)
    assert r.pre_trend_se == pytest.approx(fit.bse["rel"], rel=1e-7)
    # The p-value: on min(treated, comparison) - 1 degrees of freedom, not the normal one.
    stats = pytest.importorskip("scipy.stats")
    t = fit.params["rel"] / fit.bse["rel"]
    assert r.pre_trend_p == pytest.approx(2 * stats.t.sf(abs(t), 14), rel=1e-9)


@pytest.mark.parametrize("df", [1, 2, 5, 14, 60])
def test_student_t_matches_scipy(df: int) -> None:
    stats = pytest.importorskip("scipy.stats")
    assert t_quantile(0.975, df) == pytest.approx(stats.t.ppf(0.975, df), rel=1e-10)
    for x in (-2.5, 0.0, 0.7, 3.1):
        assert t_sf(x, df) == pytest.approx(stats.t.sf(x, df), rel=1e-10)


def test_a_panel_without_any_variation_shows_no_effect_and_no_trend() -> None:
    # Every service at SLA share 1.0 every month: the fit is exact and what is left of the
    # estimate, its standard error and the pre-trend slope is rounding noise, never a claim.
    rows = [PanelRow(f"s{i}", t, 1.0, 50.0) for i in range(12) for t in range(24)]
    result = did(rows, {f"s{i}": 12 for i in range(6)}, higher_is_better=True)
    assert result.verdict == Verdict.NO_EFFECT
    assert result.estimate == 0.0 and result.se == 0.0
    assert result.pre_trend_p == 1.0
    assert result.caveats == ()


def test_too_few_events_after_the_start_gives_no_conclusion() -> None:
    # Plenty before (15 treated x 6 periods x 3 = 270) but only 15 x 6 x 0.2 = 18 after: the
    # estimate would rest on 18 cases; no conclusion, and the counts are said.
    rows, starts = simulated(6)
    thin = [
        PanelRow(r.unit, r.period, r.value, 0.2)
        if r.unit in starts and r.period >= starts[r.unit]
        else r
        for r in rows
    ]
    # (Each treated unit keeps 6 x 3 + 6 x 0.2 = 19.2 events: enough for it to count at 10.)
    r = did(thin, starts, higher_is_better=True, settings=ImpactSettings(min_unit_events=10))
    assert (r.verdict, r.reason) == (Verdict.NO_CONCLUSION, Reason.TOO_FEW_EVENTS)
    assert r.events_before == 270
    assert r.events_after == pytest.approx(18)


def test_the_placebo_start_is_the_middle_of_the_pre_period() -> None:
    # y = unit + period exactly, plus a bump of 1 at the treated units in periods 3, 4 and 5,
    # before their real start at 6. The placebo moves the start to the middle of the six
    # pre-periods (period 3): its treated rows are 3, 4 and 5, all bumped, and the fit on
    # periods 0-2 imputes them exactly: placebo effect 1. (A start at period 1 would give 0.6.)
    level = {f"t{i}": float(i) for i in range(5)} | {f"c{i}": 2.0 * i for i in range(5)}
    rows = [
        PanelRow(u, t, a + 0.5 * t + (1.0 if u[0] == "t" and 3 <= t < 6 else 0.0), 10.0)
        for u, a in level.items()
        for t in range(10)
    ]
    r = did(rows, {f"t{i}": 6 for i in range(5)}, higher_is_better=True)
    assert r.placebo_estimate == pytest.approx(1.0)
    assert Caveat.PLACEBO_EFFECT in r.caveats


def test_one_unit_on_a_side_gives_no_interval_of_width_zero() -> None:
    # Settings that let one treated unit through: min(1, 3) - 1 = 0 degrees of freedom, a
    # t critical value of 0 and an interval of width 0 that "excludes zero" whatever the
    # noise. No conclusion instead.
    rows = [
        PanelRow(u, t, base + 0.1 * t + (1.0 if u == "t" and t >= 2 else 0.0) + 0.01 * (t % 2), 10)
        for u, base in (("t", 1.0), ("c1", 2.0), ("c2", 3.0), ("c3", 1.5))
        for t in range(4)
    ]
    one = replace(LOOSE, min_treated=1, min_comparison=1, bootstrap=49)
    r = did(rows, {"t": 2}, higher_is_better=True, settings=one)
    assert (r.verdict, r.reason) == (Verdict.NO_CONCLUSION, Reason.TOO_FEW_TREATED)
    assert r.ci_low is None
    with pytest.raises(ValueError, match="degree of freedom"):
        t_quantile(0.975, 0)
