"""The step panel's months (`sigap.analytics.step_panel`): local calendar months, and the
training month left out of the effect."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from sigap.analytics.impact import ImpactSettings, month_number
from sigap.analytics.step_panel import StepCell, StepKpi, month_bounds, step_effects

WIB = ZoneInfo("Asia/Jakarta")


def _us(moment: datetime) -> int:
    return int(moment.timestamp()) * 1_000_000


def _period_of(us: int, first_us: int, last_us: int) -> int:
    table = month_bounds(first_us, last_us).to_pylist()
    (row,) = [r for r in table if r["start_us"] <= us < r["end_us"]]
    return int(row["period"])


def test_an_event_late_on_the_last_day_of_a_month_is_that_months() -> None:
    late = _us(datetime(2025, 3, 31, 23, 30, tzinfo=WIB))  # 16:30 UTC, still 31 March
    early = _us(datetime(2025, 4, 1, 0, 30, tzinfo=WIB))  # 17:30 UTC on 31 March
    first, last = _us(datetime(2025, 2, 10, tzinfo=WIB)), _us(datetime(2025, 5, 2, tzinfo=WIB))
    assert _period_of(late, first, last) == month_number(2025, 3)
    assert _period_of(early, first, last) == month_number(2025, 4)
    periods = [r["period"] for r in month_bounds(first, last).to_pylist()]
    assert periods == [month_number(2025, m) for m in (2, 3, 4, 5)]


def _cell(officer: str, month: int, value: int) -> StepCell:
    return StepCell("KK", "Verifikasi", officer, month_number(2025, month), 1, value, 0, None)


def test_the_training_month_is_left_out_and_the_effect_starts_the_month_after() -> None:
    # Trained officers t1, t2 finished on 15 March. Their March cells (100, far off) are left
    # out; April is their first treated month. February -> April: treated +4.5 on average,
    # comparison +1.5, so the effect is 3.
    values = {
        "t1": {2: 10, 3: 100, 4: 15},
        "t2": {2: 12, 3: 100, 4: 16},
        "c1": {2: 8, 3: 8, 4: 9},
        "c2": {2: 9, 3: 10, 4: 11},
    }
    cells = [_cell(o, m, v) for o, by in values.items() for m, v in by.items()]
    loose = ImpactSettings(
        min_treated=2, min_comparison=2, min_pre_periods=1, min_post_periods=1,
        min_events=0, min_unit_events=0, bootstrap=49,
    )  # fmt: skip
    trained = {"t1": date(2025, 3, 15), "t2": date(2025, 3, 15)}
    kpi = StepKpi("redone", True, lambda c: float(c.redone))
    r = step_effects(cells, trained, settings=loose, kpis=(kpi,))["redone"]
    # Without the March cells in the FE fit: comparison's March row does not shift the
    # counterfactual of the treated (their units and April are identified by Feb and Apr).
    assert (r.pre_periods, r.post_periods, r.events_before, r.events_after) == (1, 1, 2, 2)
    assert r.before == pytest.approx(11.0)
    assert r.after == pytest.approx(15.5)
    assert r.estimate == pytest.approx(3.0)
