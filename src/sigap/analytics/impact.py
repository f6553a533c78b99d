"""Did an intervention change a KPI? Difference in differences on a panel, for training effects
(issue #15) and innovations and roadmap actions (issue #16).

Input: a panel of `(unit, period, value, weight)` rows — the unit of analysis (an officer, a
unit, a service), an integer period (a month number), the KPI value of that cell and its weight
(the events behind it) — plus the treated units with the first period each was treated in
(staggered adoption: every unit has its own start). Comparison units are the units not treated
(yet): never-treated units and, before its own start, every treated unit. Units that received
*another* intervention can be passed in `excluded_from`: their rows from that period on are
not comparison rows.

The estimate is the imputation estimator of Borusyak, Jaravel and Spiess (2024): a weighted
two-way fixed-effects model `value = unit + period` is fitted on the untreated rows only, it
imputes what every treated row would have been without the intervention, and the effect is the
weighted mean of `observed - imputed` over the treated rows. With one start date on a balanced
panel it is the textbook 2x2 / two-way fixed-effects DiD; with staggered starts it does not
compare later-treated units with already-treated ones (the bias of the plain two-way regression
when effects differ between cohorts).

The 95 % confidence interval comes from a cluster bootstrap over units (`bootstrap` replicates,
a fixed seed, treated and comparison units resampled separately so every replicate has both):
an officer's months are correlated, so units are the independent draws, and the imputation
estimator with event weights and staggered starts has no short closed-form cluster-robust
variance, while the bootstrap needs no formula and reruns exactly. The interval is the estimate
plus or minus the bootstrap standard error times the Student-t critical value on
min(treated, comparison units) - 1 degrees of freedom (comparison units: never-treated units
and not-yet-treated ones, those with untreated rows on both sides of the earliest start, as the
estimator uses both): with few treated units (a training of
six officers) percentile intervals and normal critical values are too narrow, and the
comparison's precision is bounded by the smaller group (Conley and Taber 2011; Imbens and
Kolesar 2016).

The relative change is the effect divided by the counterfactual `baseline`: the weighted mean
of the imputed values over the treated rows (what the treated rows would have been), not the
treated units' level before their start (which misses the common trend). Its interval is the
absolute interval divided by the same baseline, so the relative interval excludes zero exactly
when the absolute one does and a verdict never disagrees with its percentage.

Only treated rows that can be imputed (their period has untreated rows) enter the estimate, and
only those count in `after` and `events_after`. A unit counts as treated or as a comparison unit
only with at least `min_unit_events` events (summed weights) over the window: a unit with one
event each side carries no information about its own trend.

The pre-trend check is a regression on the untreated rows with the treated units' relative time
(periods before their start) as an extra regressor besides both fixed effects; its slope is the
difference in trend between treated and comparison units before treatment, with a
cluster-robust (CR1, by unit, as statsmodels' 'cluster') standard error and a Student-t p-value
on the same degrees of freedom. A slope with p below `pre_trend_alpha` means the comparison
units are not a credible counterfactual: no conclusion. The placebo check re-runs the estimate
on the untreated rows only, with each treated unit's start moved back to the middle of its own
pre-period; an effect there is reported as a caveat.

Verdict: `no_conclusion` with a reason when the data cannot carry a claim (too few treated or
comparison units, too few periods before or after, too few events, the intervention outside the
data, or a failed pre-trend check); otherwise `improved` / `worsened` when the CI excludes zero
(the direction by `higher_is_better`), else `no_effect`.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt

Arr = npt.NDArray[np.float64]
IntArr = npt.NDArray[np.int64]


class Verdict(StrEnum):
    IMPROVED = "improved"
    WORSENED = "worsened"
    NO_EFFECT = "no_effect"
    NO_CONCLUSION = "no_conclusion"


class Reason(StrEnum):
    """Why there is no conclusion."""

    OUTSIDE_DATA = "outside_data"  # every start lies before the first or after the last period
    TOO_FEW_TREATED = "too_few_treated"
    TOO_FEW_COMPARISON = "too_few_comparison"
    TOO_FEW_PRE_PERIODS = "too_few_pre_periods"
    TOO_FEW_POST_PERIODS = "too_few_post_periods"
    TOO_FEW_EVENTS = "too_few_events"
    PRE_TREND = "pre_trend"


class Caveat(StrEnum):
    PLACEBO_EFFECT = "placebo_effect"  # an "effect" at a date before the real one


@dataclass(frozen=True)
class ImpactSettings:
    """Minimum samples and test levels. Defaults: 5 treated and 5 comparison units (fewer
    clusters make any CI unreliable; comparison units are those not treated in the data and
    those not yet treated, with untreated rows before and after the earliest start), 3 periods
    with data before and after each treated unit's start, 30 events (summed weights) in the
    treated rows before and after, 30 events per unit over the window for a unit to count as
    treated or comparison (the scorecards' minimum sample, `MIN_CASES`), 95 % intervals,
    pre-trend rejected below p = 0.05, 999 bootstrap replicates from seed 20_240_515."""

    min_treated: int = 5
    min_comparison: int = 5
    min_pre_periods: int = 3
    min_post_periods: int = 3
    min_events: float = 30
    min_unit_events: float = 30
    confidence: float = 0.95
    pre_trend_alpha: float = 0.05
    bootstrap: int = 999
    seed: int = 20_240_515
    placebo: bool = True

    def __post_init__(self) -> None:
        for name in ("min_treated", "min_comparison", "min_pre_periods", "min_post_periods"):
            if getattr(self, name) < 1:
                raise ValueError(f"ImpactSettings.{name} must be at least 1")
        if self.bootstrap < 2:
            raise ValueError("ImpactSettings.bootstrap must be at least 2 (a standard error)")
        if not 0 < self.confidence < 1:
            raise ValueError("ImpactSettings.confidence must lie strictly between 0 and 1")
        if not 0 < self.pre_trend_alpha < 1:
            raise ValueError("ImpactSettings.pre_trend_alpha must lie strictly between 0 and 1")
        for name in ("min_events", "min_unit_events"):
            if getattr(self, name) < 0:
                raise ValueError(f"ImpactSettings.{name} must not be negative")


DEFAULT_SETTINGS = ImpactSettings()


@dataclass(frozen=True)
class PanelRow:
    unit: str
    period: int
    value: float
    weight: float = 1.0


@dataclass(frozen=True)
class Impact:
    """The result. `estimate` is in the KPI's own unit (treated minus counterfactual, averaged
    over the imputed treated rows by weight); `baseline` is the counterfactual, the weighted
    mean of the imputed values over those rows; `relative` is `estimate / baseline` and
    `relative_low`/`relative_high` the absolute CI divided by the baseline. `before` is the
    treated units' weighted mean before their start, `after` over the imputed treated rows."""

    verdict: Verdict
    reason: Reason | None
    higher_is_better: bool
    estimate: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    relative: float | None = None
    relative_low: float | None = None
    relative_high: float | None = None
    before: float | None = None
    baseline: float | None = None
    after: float | None = None
    se: float | None = None  # bootstrap standard error of `estimate`
    df: int | None = None  # degrees of freedom of the t critical values and p-values
    pre_trend_slope: float | None = None
    pre_trend_se: float | None = None
    pre_trend_p: float | None = None
    placebo_estimate: float | None = None
    placebo_low: float | None = None
    placebo_high: float | None = None
    n_treated: int = 0
    n_comparison: int = 0
    pre_periods: int = 0  # fewest periods with data before the start, over the treated units
    post_periods: int = 0  # fewest periods with data from the start on
    events_before: float = 0.0
    events_after: float = 0.0
    ci_method: str = "cluster bootstrap SE over units (stratified), Student-t critical values"
    caveats: tuple[Caveat, ...] = field(default_factory=tuple)


# --- the estimator on arrays ------------------------------------------------------------------


def _fe_fit(unit: IntArr, period: IntArr, y: Arr, w: Arr, n_units: int, n_periods: int) -> Arr:
    """Weighted least squares of `y` on unit and period dummies, by the normal equations
    (small: units + periods unknowns). Returns the coefficients (units, then periods); only
    sums unit + period of cells with untreated rows in their unit and period are meaningful
    (callers mask the others out)."""
    k = n_units + n_periods
    xtx = np.zeros((k, k))
    wu = np.bincount(unit, weights=w, minlength=n_units)
    wp = np.bincount(period, weights=w, minlength=n_periods)
    cross = np.bincount(unit * n_periods + period, weights=w, minlength=n_units * n_periods)
    cross = cross.reshape(n_units, n_periods)
    xtx[:n_units, :n_units] = np.diag(wu)
    xtx[n_units:, n_units:] = np.diag(wp)
    xtx[:n_units, n_units:] = cross
    xtx[n_units:, :n_units] = cross.T
    xty = np.concatenate(
        [
            np.bincount(unit, weights=w * y, minlength=n_units),
            np.bincount(period, weights=w * y, minlength=n_periods),
        ]
    )
    # Unknowns with no rows stay 0, and the first period with rows is the baseline (0): the
    # rest is positive definite when the untreated rows connect all units and periods, and a
    # Cholesky test plus an LU solve is ~20x faster than least squares by SVD (the bootstrap
    # calls this thousands of times). Otherwise: the minimum-norm least-squares solution.
    present = np.flatnonzero(np.diag(xtx) > 0)
    periods = present[present >= n_units]
    keep = present[present != periods[0]] if len(periods) else present
    sub = xtx[np.ix_(keep, keep)]
    coef: Arr = np.zeros(k)
    try:
        np.linalg.cholesky(sub)
        coef[keep] = np.linalg.solve(sub, xty[keep])
    except np.linalg.LinAlgError:
        coef = np.linalg.lstsq(xtx, xty, rcond=None)[0]
    return coef


@dataclass(frozen=True)
class _Panel:
    unit: IntArr  # 0..n_units-1
    period: IntArr  # 0..n_periods-1 (index into `periods`)
    value: Arr
    weight: Arr
    treated_row: npt.NDArray[np.bool_]  # row of a treated unit at/after its start
    start: IntArr  # per unit: index of its first treated period, or -1
    n_units: int
    n_periods: int


def _imputation(
    p: _Panel, rows: IntArr
) -> tuple[float, float, float, npt.NDArray[np.bool_]] | None:
    """(effect, treated weight, counterfactual baseline, mask of the imputed treated rows) over
    `rows` of the panel; None when no treated row can be imputed."""
    unit, period, y, w = p.unit[rows], p.period[rows], p.value[rows], p.weight[rows]
    treated = p.treated_row[rows]
    untreated = ~treated
    coef = _fe_fit(
        unit[untreated], period[untreated], y[untreated], w[untreated], p.n_units, p.n_periods
    )
    # A treated row is imputable when its unit and its period both have untreated rows.
    unit_known = np.bincount(unit[untreated], minlength=p.n_units) > 0
    period_known = np.bincount(period[untreated], minlength=p.n_periods) > 0
    use = treated & unit_known[unit] & period_known[period]
    if not use.any():
        return None
    imputed = coef[unit[use]] + coef[p.n_units + period[use]]
    wt = w[use]
    total = float(wt.sum())
    effect = float(np.sum(wt * (y[use] - imputed)) / total)
    return effect, total, float(np.sum(wt * imputed) / total), use


def _placebo_panel(p: _Panel) -> _Panel | None:
    """The untreated rows, with each treated unit's start moved to the middle of its pre-rows."""
    keep = ~p.treated_row
    unit, period = p.unit[keep], p.period[keep]
    start = np.full(p.n_units, -1, dtype=np.int64)
    for u in np.flatnonzero(p.start >= 0):
        pre = np.unique(period[unit == u])
        if len(pre) >= 2:
            start[u] = pre[len(pre) // 2]
    if not (start >= 0).any():
        return None
    treated_row = (start[unit] >= 0) & (period >= start[unit])
    return _Panel(
        unit, period, p.value[keep], p.weight[keep], treated_row, start, p.n_units, p.n_periods
    )


def _pre_trend(p: _Panel, df: int) -> tuple[float, float, float] | None:
    """(slope, cluster-robust SE, two-sided t p-value on `df` degrees of freedom) of the treated
    units' relative time on the untreated rows, with unit and period fixed effects (weighted;
    CR1 like statsmodels' 'cluster')."""
    rows = ~p.treated_row
    unit, period, y, w = p.unit[rows], p.period[rows], p.value[rows], p.weight[rows]
    ever = p.start[unit] >= 0
    if ever.sum() == 0 or (~ever).sum() == 0:
        return None
    rel = np.where(ever, period - p.start[unit], 0).astype(np.float64)
    units = np.unique(unit)
    periods = np.unique(period)
    x = np.column_stack(
        [
            rel,
            (unit[:, None] == units[None, :]).astype(float),
            (period[:, None] == periods[None, 1:]).astype(float),
        ]
    )
    sw = np.sqrt(w)
    xs, ys = x * sw[:, None], y * sw
    # One SVD gives the least-squares fit, the rank and the pseudo-inverse of X'X.
    u_, sv, vt = np.linalg.svd(xs, full_matrices=False)
    ok = sv > sv.max() * max(xs.shape) * np.finfo(float).eps
    rank = int(ok.sum())
    n, g = len(ys), len(units)
    if g < 2 or n <= rank:
        return None
    v = vt[ok].T
    beta = v @ ((u_[:, ok].T @ ys) / sv[ok])
    bread = (v / sv[ok] ** 2) @ v.T
    resid = ys - xs @ beta
    scores = np.zeros((g, x.shape[1]))
    index = np.searchsorted(units, unit)
    np.add.at(scores, index, xs * resid[:, None])
    meat = scores.T @ scores
    cov = bread @ meat @ bread * (g / (g - 1)) * ((n - 1) / (n - rank))
    se = float(math.sqrt(max(cov[0, 0], 0.0)))
    slope = float(beta[0])
    if se == 0.0:
        return slope, se, 1.0 if slope == 0 else 0.0
    return slope, se, 2 * t_sf(abs(slope / se), df)


# --- Student's t, without scipy ------------------------------------------------------------


def _betacf(a: float, b: float, x: float) -> float:
    """The continued fraction of the regularized incomplete beta (modified Lentz)."""
    tiny, eps = 1e-300, 1e-15
    qab, qap, qam = a + b, a + 1, a - 1
    c, d = 1.0, 1 - qab * x / qap
    d = 1 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 400):
        m2 = 2 * m
        for aa in (m * (b - m) * x / ((qam + m2) * (a + m2)),
                   -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))):  # fmt: skip
            d = 1 + aa * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + aa / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1) < eps:
            break
    return h


def _betainc(a: float, b: float, x: float) -> float:
    """The regularized incomplete beta function I_x(a, b)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
        + a * math.log(x) + b * math.log1p(-x)
    )  # fmt: skip
    if x < (a + 1) / (a + b + 2):
        return math.exp(log_front) * _betacf(a, b, x) / a
    return 1 - math.exp(log_front) * _betacf(b, a, 1 - x) / b


def t_sf(t: float, df: int) -> float:
    """P(T > t) for Student's t with `df` degrees of freedom."""
    if df < 1:
        return float("nan")
    tail = 0.5 * _betainc(df / 2, 0.5, df / (df + t * t))
    return tail if t >= 0 else 1 - tail


def t_quantile(q: float, df: int) -> float:
    """The `q` quantile of Student's t (bisection on `t_sf`; q in (0.5, 1))."""
    lo, hi = 0.0, 1.0
    while t_sf(hi, df) > 1 - q:
        hi *= 2
    for _ in range(100):
        mid = (lo + hi) / 2
        if t_sf(mid, df) > 1 - q:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


# --- the analysis -----------------------------------------------------------------------------


def did(
    rows: Iterable[PanelRow | tuple[str, int, float | None, float]],
    treated: Mapping[str, int],
    *,
    higher_is_better: bool,
    excluded_from: Mapping[str, int] | None = None,
    settings: ImpactSettings = DEFAULT_SETTINGS,
) -> Impact:
    """Difference in differences of the panel `rows` for the `treated` units (unit -> first
    treated period). Rows with no value or no weight are ignored. See the module docstring."""
    s = settings
    excluded = dict(excluded_from or {})
    clean: list[tuple[str, int, float, float]] = []
    for r in rows:
        name, at, v, w = (r.unit, r.period, r.value, r.weight) if isinstance(r, PanelRow) else r
        if v is None or w is None or not w > 0 or math.isnan(v):
            continue
        if name not in treated and name in excluded and at >= excluded[name]:
            continue  # treated by something else from then on: not a comparison row
        clean.append((name, int(at), float(v), float(w)))

    def fail(reason: Reason, **counts: Any) -> Impact:
        return Impact(Verdict.NO_CONCLUSION, reason, higher_is_better, **counts)

    if not clean:
        return fail(Reason.OUTSIDE_DATA if treated else Reason.TOO_FEW_TREATED)
    first = min(r[1] for r in clean)
    last = max(r[1] for r in clean)
    starts = {u: p for u, p in treated.items()}
    if starts and all(p <= first or p > last for p in starts.values()):
        return fail(Reason.OUTSIDE_DATA)

    # Each treated unit needs its own periods before and after its start.
    periods_of: dict[str, set[int]] = {}
    events_of: dict[str, float] = {}
    for name, at, _v, w in clean:
        periods_of.setdefault(name, set()).add(at)
        events_of[name] = events_of.get(name, 0.0) + w
    pre_counts = {u: sum(1 for q in periods_of.get(u, ()) if q < p) for u, p in starts.items()}
    post_counts = {u: sum(1 for q in periods_of.get(u, ()) if q >= p) for u, p in starts.items()}
    evaluable = {
        u
        for u in starts
        if pre_counts[u] >= s.min_pre_periods
        and post_counts[u] >= s.min_post_periods
        and events_of.get(u, 0.0) >= s.min_unit_events
    }
    # A treated unit that cannot be evaluated is no comparison unit after its start either.
    clean = [r for r in clean if r[0] in evaluable or r[0] not in starts or r[1] < starts[r[0]]]
    earliest = min((starts[u] for u in evaluable), default=None)
    # Comparison units: never treated, or not yet treated (evaluable units whose own start
    # comes later), with untreated rows on both sides of the earliest start and enough events.
    comparison = {
        u
        for u, ps in periods_of.items()
        if (u not in starts or u in evaluable)
        and earliest is not None
        and events_of[u] >= s.min_unit_events
        and any(q < earliest for q in ps)
        and any(earliest <= q < starts.get(u, last + 1) for q in ps)
    }
    present = [u for u in starts if u in periods_of]
    counts: dict[str, Any] = {
        "n_treated": len(evaluable),
        "n_comparison": len(comparison),
        "pre_periods": min((pre_counts[u] for u in evaluable), default=0),
        "post_periods": min((post_counts[u] for u in evaluable), default=0),
    }
    if len(evaluable) < s.min_treated:
        if len(present) >= s.min_treated:
            few_pre = sum(1 for u in present if pre_counts[u] < s.min_pre_periods)
            few_post = sum(1 for u in present if post_counts[u] < s.min_post_periods)
            if few_pre or few_post:
                counts["pre_periods"] = min(pre_counts[u] for u in present)
                counts["post_periods"] = min(post_counts[u] for u in present)
                reason = (
                    Reason.TOO_FEW_PRE_PERIODS
                    if few_pre >= few_post
                    else Reason.TOO_FEW_POST_PERIODS
                )
                return fail(reason, **counts)
        return fail(Reason.TOO_FEW_TREATED, **counts)
    if len(comparison) < s.min_comparison:
        return fail(Reason.TOO_FEW_COMPARISON, **counts)

    # Arrays: units of the analysis (evaluable treated + every other unit with rows).
    unit_names = sorted({r[0] for r in clean})
    unit_ix = {u: i for i, u in enumerate(unit_names)}
    period_values = sorted({r[1] for r in clean})
    period_ix = {q: i for i, q in enumerate(period_values)}
    unit = np.array([unit_ix[r[0]] for r in clean], dtype=np.int64)
    period = np.array([period_ix[r[1]] for r in clean], dtype=np.int64)
    value = np.array([r[2] for r in clean])
    weight = np.array([r[3] for r in clean])
    start = np.full(len(unit_names), -1, dtype=np.int64)
    for u in evaluable:
        # The index of the first period >= its start (periods are those with data).
        start[unit_ix[u]] = int(np.searchsorted(np.array(period_values), starts[u]))
    treated_row = (start[unit] >= 0) & (period >= start[unit])
    panel = _Panel(
        unit, period, value, weight, treated_row, start, len(unit_names), len(period_values)
    )
    is_treated_unit = start[unit] >= 0
    pre_rows = is_treated_unit & ~treated_row
    all_rows = np.arange(len(unit), dtype=np.int64)
    point = _imputation(panel, all_rows)
    if point is None:  # no treated row's period has comparison rows
        return fail(Reason.TOO_FEW_COMPARISON, **counts)
    estimate, _total, baseline, imputed = point
    # Treated rows whose period has no comparison rows are not in the estimate: not counted.
    after_rows = treated_row & imputed
    events_before = float(weight[pre_rows].sum())
    events_after = float(weight[after_rows].sum())
    counts.update(events_before=events_before, events_after=events_after)
    before = float(np.average(value[pre_rows], weights=weight[pre_rows]))
    after = float(np.average(value[after_rows], weights=weight[after_rows]))
    if events_before < s.min_events or events_after < s.min_events:
        return fail(Reason.TOO_FEW_EVENTS, before=before, after=after, **counts)

    placebo = _placebo_panel(panel) if s.placebo else None
    placebo_point = _imputation(placebo, np.arange(len(placebo.unit))) if placebo else None

    boot, boot_placebo = _bootstrap(panel, placebo, s)
    df = min(len(evaluable), len(comparison)) - 1
    crit = t_quantile(1 - (1 - s.confidence) / 2, df)
    se = float(np.std(boot, ddof=1))
    low, high = estimate - crit * se, estimate + crit * se
    # The relative change and its interval: the absolute ones over the counterfactual baseline
    # (one interval, so the percentage never contradicts the verdict).
    relative = rel_low = rel_high = None
    if baseline:
        relative = estimate / baseline
        rel_low, rel_high = sorted((low / baseline, high / baseline))
    pl_low = pl_high = None
    caveats: list[Caveat] = []
    if placebo_point is not None and len(boot_placebo):
        pl_se = float(np.std(boot_placebo, ddof=1))
        pl_low, pl_high = placebo_point[0] - crit * pl_se, placebo_point[0] + crit * pl_se
        if pl_low > 0 or pl_high < 0:
            caveats.append(Caveat.PLACEBO_EFFECT)
    trend = _pre_trend(panel, df)
    why: Reason | None = None
    if trend is not None and trend[2] < s.pre_trend_alpha:
        verdict, why = Verdict.NO_CONCLUSION, Reason.PRE_TREND
    elif low > 0 or high < 0:
        good = (estimate > 0) == higher_is_better
        verdict = Verdict.IMPROVED if good else Verdict.WORSENED
    else:
        verdict = Verdict.NO_EFFECT
    return Impact(
        verdict,
        why,
        higher_is_better,
        estimate=estimate,
        ci_low=low,
        ci_high=high,
        se=se,
        df=df,
        relative=relative,
        relative_low=rel_low,
        relative_high=rel_high,
        before=before,
        baseline=baseline,
        after=after,
        pre_trend_slope=trend[0] if trend else None,
        pre_trend_se=trend[1] if trend else None,
        pre_trend_p=trend[2] if trend else None,
        placebo_estimate=placebo_point[0] if placebo_point else None,
        placebo_low=pl_low,
        placebo_high=pl_high,
        caveats=tuple(caveats),
        n_treated=len(evaluable),
        n_comparison=len(comparison),
        pre_periods=int(counts["pre_periods"]),
        post_periods=int(counts["post_periods"]),
        events_before=events_before,
        events_after=events_after,
    )


def _bootstrap(p: _Panel, placebo: _Panel | None, s: ImpactSettings) -> tuple[Arr, Arr]:
    """Replicates of the effect and of the placebo effect,
    resampling treated and comparison units separately (with replacement); a unit drawn twice
    counts as two units."""
    rng = np.random.default_rng(s.seed)
    treated_units = np.flatnonzero(p.start >= 0)
    other_units = np.flatnonzero(p.start < 0)
    rows_of = [np.flatnonzero(p.unit == u) for u in range(p.n_units)]
    placebo_rows_of = (
        [np.flatnonzero(placebo.unit == u) for u in range(p.n_units)] if placebo else []
    )
    effects, placebos = [], []
    for _ in range(s.bootstrap):
        draw = np.concatenate(
            [
                rng.choice(treated_units, size=len(treated_units)),
                rng.choice(other_units, size=len(other_units)),
            ]
        )
        one = _resampled(p, rows_of, draw)
        got = _imputation(one, np.arange(len(one.unit), dtype=np.int64))
        if got is None:
            continue
        effects.append(got[0])
        if placebo is not None:
            pl = _resampled(placebo, placebo_rows_of, draw)
            got_pl = _imputation(pl, np.arange(len(pl.unit), dtype=np.int64))
            if got_pl is not None:
                placebos.append(got_pl[0])
    return np.array(effects), np.array(placebos)


def _resampled(p: _Panel, rows_of: Sequence[IntArr], draw: IntArr) -> _Panel:
    """The panel of the drawn units, each draw a unit of its own."""
    parts = [rows_of[u] for u in draw]
    rows = np.concatenate(parts)
    unit = np.repeat(np.arange(len(draw), dtype=np.int64), [len(r) for r in parts])
    return _Panel(
        unit,
        p.period[rows],
        p.value[rows],
        p.weight[rows],
        p.treated_row[rows],
        p.start[draw],
        len(draw),
        p.n_periods,
    )


def month_number(year: int, month: int) -> int:
    """The period number of a calendar month (months since January of year 0), so periods of
    consecutive months are consecutive integers."""
    return year * 12 + month - 1


# --- choosing the comparison units ----------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """The comparison units of an intervention: `basis` "same_service" (the same service
    offered by other units) or "matched" (the units nearest on pre-period level and trend)."""

    basis: str  # "same_service" | "matched"
    units: tuple[str, ...]  # the comparison units (service codes), sorted


SAME_SERVICE, MATCHED = "same_service", "matched"


def choose_comparisons(
    rows: Sequence[PanelRow],
    treated: Mapping[str, int],
    *,
    same_service: Collection[str],
    others: Collection[str],
    settings: ImpactSettings = DEFAULT_SETTINGS,
    n_matched: int | None = None,
    excluded_from: Mapping[str, int] | None = None,
) -> Comparison:
    """The comparison units for the `treated` units (unit -> first treated period).

    A candidate *has data* when it would count as a comparison unit in `did`: rows (with a
    value and a weight) before the earliest treated start and from it on, and at least
    `settings.min_unit_events` events (summed weights) over the panel. Treated units are never
    candidates. `excluded_from` (unit -> period), as in `did`: a unit under another
    intervention has no rows from that period on, here as there.

    1. **Same service elsewhere**: when at least `settings.min_comparison` of the
       `same_service` candidates (untreated units offering the same service, by family) have
       data, they are the comparison, all of them: the same service, the same rules and
       demand, is the closest counterfactual there is, and nothing is matched.
    2. **Matched** otherwise: every candidate with data from `others` and `same_service`
       with at least two periods before the earliest start is described by its pre-period
       *level* and *trend*: the weighted least-squares line of its values on the period
       (weights: the cells' events), fitted on its rows before the earliest start; the trend is
       the line's slope per period and the level its value at the last period before the
       earliest start. A treated unit is described the same way over its rows before its own
       start (staggered starts: each its own pre-period), evaluated at the same reference
       period, so every level is read at one moment whatever the window. The target is the
       mean level and mean trend of the treated units. Distance:
       `sqrt(((level - target level) / sd level)^2 + ((trend - target trend) / sd trend)^2)`,
       the standard deviations taken over the candidates and treated units together (a term
       whose deviation is 0 is left out), so one month's trend counts as much as the level.
       The `n_matched` nearest are taken (default: twice `settings.min_comparison`, or twice
       the number of treated units if more; ties by name): enough units for the bootstrap and
       the minimum, few enough to stay near. A candidate whose trend diverges is far, so it is
       left out unless there are not enough nearer ones; `did`'s pre-trend test still judges
       the chosen ones.

    Fewer candidates than the minimum still give a Comparison (possibly empty): `did` then
    answers "no conclusion: too few comparison units".
    """
    if not treated:
        return Comparison(MATCHED, ())
    earliest = min(treated.values())
    excluded = excluded_from or {}
    clean = [
        r
        for r in rows
        if r.value is not None and r.weight is not None and r.weight > 0
        and not math.isnan(r.value)
        and not (r.unit not in treated and r.unit in excluded and r.period >= excluded[r.unit])
    ]  # fmt: skip
    by_unit: dict[str, list[PanelRow]] = {}
    for r in clean:
        by_unit.setdefault(r.unit, []).append(r)

    def has_data(unit: str) -> bool:
        mine = by_unit.get(unit, [])
        return (
            unit not in treated
            and sum(r.weight for r in mine) >= settings.min_unit_events
            and any(r.period < earliest for r in mine)
            and any(r.period >= earliest for r in mine)
        )

    same = sorted(u for u in set(same_service) if has_data(u))
    if len(same) >= settings.min_comparison:
        return Comparison(SAME_SERVICE, tuple(same))

    reference = earliest - 1

    def line(mine: Sequence[PanelRow], before: int) -> tuple[float, float] | None:
        pre = [r for r in mine if r.period < before]
        if len({r.period for r in pre}) < 2:
            return None
        t = np.array([r.period for r in pre], dtype=np.float64)
        y = np.array([r.value for r in pre], dtype=np.float64)
        w = np.array([r.weight for r in pre], dtype=np.float64)
        tm = float(np.average(t, weights=w))
        ym = float(np.average(y, weights=w))
        slope = float(np.sum(w * (t - tm) * (y - ym)) / np.sum(w * (t - tm) ** 2))
        return ym + slope * (reference - tm), slope

    fitted_treated = [
        f for u, start in treated.items() if (f := line(by_unit.get(u, []), start)) is not None
    ]
    pool = sorted({u for u in (*others, *same_service) if has_data(u)})
    fitted = {u: f for u in pool if (f := line(by_unit[u], earliest)) is not None}
    if not fitted_treated or not fitted:
        return Comparison(MATCHED, ())
    target = np.mean(np.array(fitted_treated), axis=0)
    everything = np.array([*fitted_treated, *fitted.values()])
    sd = everything.std(axis=0)
    scale = np.where(sd > 0, sd, np.inf)  # a feature nobody differs on adds nothing

    def distance(u: str) -> float:
        return float(np.sqrt(np.sum(((np.array(fitted[u]) - target) / scale) ** 2)))

    n = n_matched if n_matched is not None else 2 * max(settings.min_comparison, len(treated))
    if n < 1:
        raise ValueError("n_matched must be at least 1")
    nearest = sorted(fitted, key=lambda u: (distance(u), u))[:n]
    return Comparison(MATCHED, tuple(sorted(nearest)))


__all__ = [
    "DEFAULT_SETTINGS",
    "MATCHED",
    "SAME_SERVICE",
    "Caveat",
    "Comparison",
    "Impact",
    "ImpactSettings",
    "PanelRow",
    "Reason",
    "Verdict",
    "choose_comparisons",
    "did",
    "month_number",
    "t_quantile",
    "t_sf",
]
