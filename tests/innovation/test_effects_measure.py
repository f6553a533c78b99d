"""`measure` on hand-built service panels: a planted effect is found with its size inside the CI,
no effect gives no claim, each reason of "no conclusion" is said, and a comparison already
moving before the change fails the pre-trend check. Pure: no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sigap.analytics.impact import Caveat, ImpactSettings, PanelRow, Reason, Verdict, month_number
from sigap.analytics.service_panel import FIRST_TIME_RIGHT, IKM, LEAD_TIME, SLA, ServiceCell
from sigap.innovation.effects import (
    COMPARISON_NONE_ELSEWHERE,
    COMPARISON_SAME,
    COMPARISON_TOO_FEW_ELSEWHERE,
    NO_COMPARISON,
    NO_CONCLUSION,
    NO_DATA,
    NO_SERVICES,
    OVERLAP,
    PLACEBO,
    PRE_TREND_BELOW,
    SAMPLE,
    STAGGERED,
    TOO_FEW_CHANGED,
    Intervention,
    explain,
    measure,
    start_period,
)

FIRST = month_number(2024, 1)  # the panel: January 2024 .. December 2025
MONTHS = 24
START = date(2025, 1, 1)  # month 12 of the panel
CASES = 200
FAST = ImpactSettings(bootstrap=199)


def noise(i: int, t: int) -> float:
    """A fixed, zero-mean-ish wiggle per (service, month) in [-0.5, 0.5]."""
    return (((i * 7 + t * 13) % 11) - 5) / 10


def lead_cells(
    codes: list[str],
    *,
    effect: dict[str, float] | None = None,
    start: int | dict[str, int] = 12,
    trend: dict[str, float] | None = None,
    months: int = MONTHS,
) -> list[ServiceCell]:
    """Cells with a mean lead time of 5 + i/2 working days (+ the common seasonality, the
    wiggle, an own trend per month before `start`), plus `effect[code]` from month `start`."""
    out = []
    for i, code in enumerate(codes):
        own = start.get(code, 12) if isinstance(start, dict) else start
        for t in range(months):
            value = 5 + i / 2 + 0.3 * (t % 6) + noise(i, t)
            if trend and code in trend:
                value += trend[code] * min(t, own)
            if effect and code in effect and t >= own:
                value += effect[code]
            out.append(
                ServiceCell(
                    service=code,
                    period=FIRST + t,
                    cases=CASES,
                    lead_wd_sum=value * CASES,
                    sla_cases=CASES,
                    sla_met=CASES // 2,
                    first_time_right=CASES - 10,
                )
            )
    return out


DOM = [f"kec-{c}-domisili" for c in "abcdefghijkl"]  # one service at 12 kecamatan
FAMILIES = {code: "kec-domisili" for code in DOM}


def innovation(
    codes: list[str], on: date = START, kpis: tuple[str, ...] = (LEAD_TIME,)
) -> Intervention:
    return Intervention("innovation", 1, dict.fromkeys(codes, on), kpis)


def msgids(m: object) -> list[str]:
    return [s.msgid for s in m.explanation]  # type: ignore[attr-defined]


def test_planted_effect_is_found_against_the_same_service_elsewhere() -> None:
    treated = DOM[:6]
    cells = lead_cells(DOM, effect=dict.fromkeys(treated, -1.5))
    [m] = measure(cells, {}, innovation(treated), FAMILIES, settings=FAST)
    assert m.kpi == LEAD_TIME
    assert m.comparison.basis == "same_service"
    assert m.comparison.units == tuple(DOM[6:])
    impact = m.impact
    assert impact.verdict == Verdict.IMPROVED, impact  # lower lead time is better
    assert impact.ci_low is not None and impact.ci_high is not None
    assert impact.ci_low <= -1.5 <= impact.ci_high
    assert abs(impact.estimate + 1.5) < 0.3  # type: ignore[operator]
    assert (impact.n_treated, impact.n_comparison) == (6, 6)
    assert (impact.pre_periods, impact.post_periods) == (12, 12)
    assert msgids(m)[:2] == [COMPARISON_SAME, SAMPLE]
    assert m.explanation[0].params == {"n": {"count": 6}}


def test_no_effect_gives_no_claim() -> None:
    treated = DOM[:6]
    [m] = measure(lead_cells(DOM), {}, innovation(treated), FAMILIES, settings=FAST)
    assert m.impact.verdict == Verdict.NO_EFFECT, m.impact
    assert m.impact.ci_low < 0 < m.impact.ci_high  # type: ignore[operator]
    assert NO_CONCLUSION[Reason.PRE_TREND] not in msgids(m)


def test_comparison_already_moving_before_fails_the_pre_trend() -> None:
    treated = DOM[:6]
    # The comparison kecamatan got 0.25 working days slower every month before the change.
    cells = lead_cells(DOM, trend=dict.fromkeys(DOM[6:], 0.25))
    [m] = measure(cells, {}, innovation(treated), FAMILIES, settings=FAST)
    assert (m.impact.verdict, m.impact.reason) == (Verdict.NO_CONCLUSION, Reason.PRE_TREND)
    said = msgids(m)
    p = m.impact.pre_trend_p
    assert p is not None and p < 0.05
    if p < 0.001:  # said "p < 0,001", never "p = 0,000"
        assert said[1] == PRE_TREND_BELOW
        assert m.explanation[1].params["p"] == {"decimal": 0.001, "places": 3}
    else:
        assert said[1] == NO_CONCLUSION[Reason.PRE_TREND]
        assert m.explanation[1].params["p"]["decimal"] == p
    assert SAMPLE in said
    # Both ways round, from the explanation alone.
    weak = explain(replace(m.impact, pre_trend_p=0.0002), m.comparison, {}, offer=0, elsewhere=0)
    assert [s.msgid for s in weak][1] == PRE_TREND_BELOW
    plain = explain(replace(m.impact, pre_trend_p=0.012), m.comparison, {}, offer=0, elsewhere=0)
    assert [s.msgid for s in plain][1] == NO_CONCLUSION[Reason.PRE_TREND]
    assert plain[1].params["p"] == {"decimal": 0.012, "places": 3}


def test_a_service_no_other_unit_offers_is_matched_on_level_and_trend() -> None:
    own = [f"svc-{i}" for i in range(16)]
    treated = own[:5]
    cells = lead_cells(own, effect=dict.fromkeys(treated, -1.5))
    [m] = measure(cells, {}, innovation(treated), {}, settings=FAST)
    assert m.comparison.basis == "matched"
    assert set(m.comparison.units) <= set(own[5:]) and len(m.comparison.units) >= 5
    assert msgids(m)[0] == COMPARISON_NONE_ELSEWHERE
    assert m.explanation[0].params == {"n": {"count": len(m.comparison.units)}}
    assert m.impact.verdict == Verdict.IMPROVED, m.impact


def test_too_few_elsewhere_says_so_and_falls_back_to_matching() -> None:
    others = [f"svc-{i}" for i in range(10)]
    dom = DOM[:8]  # 5 treated, only 3 other kecamatan offer it
    cells = lead_cells(dom + others)
    [m] = measure(cells, {}, innovation(dom[:5]), FAMILIES, settings=FAST)
    assert m.comparison.basis == "matched"
    assert msgids(m)[0] == COMPARISON_TOO_FEW_ELSEWHERE
    assert m.explanation[0].params == {
        "elsewhere": {"count": 3},
        "offer": {"count": 3},
        "min": {"count": 5},
        "n": {"count": len(m.comparison.units)},
    }


def test_elsewhere_counts_only_services_with_data_on_both_sides() -> None:
    others = [f"svc-{i}" for i in range(10)]
    # Seven other kecamatan offer it, but three only opened during 2025 (no months before).
    cells = [
        c for c in lead_cells(DOM + others) if not (c.service in DOM[9:] and c.period < FIRST + 12)
    ]
    [m] = measure(cells, {}, innovation(DOM[:5]), FAMILIES, settings=FAST)
    assert m.comparison.basis == "matched"
    assert msgids(m)[0] == COMPARISON_TOO_FEW_ELSEWHERE
    assert m.explanation[0].params["elsewhere"] == {"count": 4}
    assert m.explanation[0].params["offer"] == {"count": 7}


def test_too_few_comparison_services() -> None:
    dom = DOM[:8]  # nothing else in the panel: three comparison services at most
    [m] = measure(lead_cells(dom), {}, innovation(dom[:5]), FAMILIES, settings=FAST)
    assert (m.impact.verdict, m.impact.reason) == (
        Verdict.NO_CONCLUSION,
        Reason.TOO_FEW_COMPARISON,
    )
    assert msgids(m)[-1] == NO_CONCLUSION[Reason.TOO_FEW_COMPARISON]
    assert m.explanation[-1].params == {"n": {"count": 3}, "min": {"count": 5}}


def test_too_few_changed_services() -> None:
    [m] = measure(lead_cells(DOM), {}, innovation(DOM[:2]), FAMILIES, settings=FAST)
    assert m.impact.reason == Reason.TOO_FEW_TREATED
    assert msgids(m)[-1] == TOO_FEW_CHANGED
    assert m.explanation[-1].params == {"n": {"count": 2}, "min": {"count": 5}}


def test_too_few_changed_services_with_data() -> None:
    # Six services changed, but three of them have no requests in the log at all.
    cells = [c for c in lead_cells(DOM) if c.service not in DOM[3:6]]
    [m] = measure(cells, {}, innovation(DOM[:6]), FAMILIES, settings=FAST)
    assert m.impact.reason == Reason.TOO_FEW_TREATED
    assert msgids(m)[-1] == NO_CONCLUSION[Reason.TOO_FEW_TREATED]
    assert m.explanation[-1].params == {"n": {"count": 3}, "min": {"count": 5}}


def test_a_start_outside_the_data() -> None:
    [m] = measure(
        lead_cells(DOM), {}, innovation(DOM[:6], on=date(2026, 6, 1)), FAMILIES, settings=FAST
    )
    assert m.impact.reason == Reason.OUTSIDE_DATA
    # Only the reason: not "no other service has data ... nothing to compare with", which
    # blames the comparison for a date after the data.
    assert msgids(m) == [NO_CONCLUSION[Reason.OUTSIDE_DATA]]
    # Applied before the log begins (an innovation older than the data): the same.
    [m] = measure(
        lead_cells(DOM), {}, innovation(DOM[:6], on=date(2023, 5, 1)), FAMILIES, settings=FAST
    )
    assert m.impact.reason == Reason.OUTSIDE_DATA
    assert msgids(m) == [NO_CONCLUSION[Reason.OUTSIDE_DATA]]


def test_too_few_months_since_the_change() -> None:
    [m] = measure(
        lead_cells(DOM), {}, innovation(DOM[:6], on=date(2025, 11, 1)), FAMILIES, settings=FAST
    )
    assert m.impact.reason == Reason.TOO_FEW_POST_PERIODS
    assert m.explanation[-1].params == {"n": {"count": 2}, "min": {"count": 3}}


def test_a_start_within_a_month_leaves_that_month_out() -> None:
    assert start_period(date(2025, 1, 1)) == month_number(2025, 1)
    assert start_period(date(2025, 1, 15)) == month_number(2025, 2)
    [m] = measure(
        lead_cells(DOM), {}, innovation(DOM[:6], on=date(2025, 1, 15)), FAMILIES, settings=FAST
    )
    # 2024-01..2024-12 before; January 2025 dropped; 2025-02..2025-12 after.
    assert (m.impact.pre_periods, m.impact.post_periods) == (12, 11)


def test_services_under_another_intervention_stop_being_comparisons() -> None:
    treated = DOM[:6]
    cells = lead_cells(DOM)
    [alone] = measure(cells, {}, innovation(treated), FAMILIES, settings=FAST)
    # Another innovation changed two comparison kecamatan before this one started: from then
    # on they are no comparison rows, so they have none after the start and do not count.
    other = Intervention(
        "roadmap_action", 9, dict.fromkeys(DOM[6:8], date(2024, 9, 1)), (LEAD_TIME,)
    )
    [shared] = measure(cells, {}, innovation(treated), FAMILIES, [other], settings=FAST)
    assert alone.impact.n_comparison == 6
    assert shared.impact.n_comparison == 4
    assert shared.impact.reason == Reason.TOO_FEW_COMPARISON
    assert msgids(shared)[0] == COMPARISON_TOO_FEW_ELSEWHERE
    assert shared.explanation[0].params["elsewhere"] == {"count": 4}
    assert shared.explanation[0].params["offer"] == {"count": 6}
    # The intervention itself among `others` is ignored.
    [itself] = measure(
        cells, {}, innovation(treated), FAMILIES, [innovation(treated)], settings=FAST
    )
    assert itself.impact.n_comparison == 6


def test_staggered_starts_are_said() -> None:
    starts = {code: date(2025, 1, 1) for code in DOM[:3]}
    starts.update({code: date(2025, 4, 1) for code in DOM[3:6]})
    cells = lead_cells(DOM, effect=dict.fromkeys(DOM[:6], -1.5), start={c: 15 for c in DOM[3:6]})
    [m] = measure(
        cells, {}, Intervention("innovation", 1, starts, (LEAD_TIME,)), FAMILIES, settings=FAST
    )
    assert m.impact.verdict == Verdict.IMPROVED
    staggered = [s for s in m.explanation if s.msgid == STAGGERED]
    assert staggered and staggered[0].params == {
        "n": {"count": 2},
        "first": {"date": "2025-01-01"},
        "last": {"date": "2025-04-01"},
    }


def test_database_kpis_come_from_extra_and_missing_data_is_said() -> None:
    treated = DOM[:6]
    # IKM rows: 80 + i, and +4 points on the changed services from 2025 (60 answers a month).
    ikm = [
        PanelRow(
            code, FIRST + t, 80 + i + noise(i, t) + (4 if code in treated and t >= 12 else 0), 60.0
        )
        for i, code in enumerate(DOM)
        for t in range(MONTHS)
    ]
    kpis = (IKM, FIRST_TIME_RIGHT, SLA)
    measured = measure([], {IKM: ikm}, innovation(treated, kpis=kpis), FAMILIES, settings=FAST)
    assert [m.kpi for m in measured] == list(kpis)
    by = {m.kpi: m for m in measured}
    assert by[IKM].impact.verdict == Verdict.IMPROVED
    assert by[IKM].impact.ci_low <= 4 <= by[IKM].impact.ci_high  # type: ignore[operator]
    for kpi in (FIRST_TIME_RIGHT, SLA):  # no log cells at all
        assert by[kpi].impact.verdict == Verdict.NO_CONCLUSION
        assert msgids(by[kpi]) == [NO_DATA]


def test_a_change_before_the_date_shows_as_a_placebo_caveat() -> None:
    treated = DOM[:6]
    # The changed services were already 1.5 days faster from mid-2024, half a year before the
    # recorded date: the made-up earlier date shows the difference.
    cells = lead_cells(DOM, effect=dict.fromkeys(treated, -1.5), start=6)
    [m] = measure(cells, {}, innovation(treated), FAMILIES, settings=FAST)
    assert Caveat.PLACEBO_EFFECT in m.impact.caveats, m.impact
    assert msgids(m)[-1] == PLACEBO


def test_nothing_to_compare_with_when_every_other_service_changed_first() -> None:
    treated = DOM[:6]
    earlier = Intervention("innovation", 2, dict.fromkeys(DOM[6:], date(2024, 6, 1)), (LEAD_TIME,))
    [m] = measure(lead_cells(DOM), {}, innovation(treated), FAMILIES, [earlier], settings=FAST)
    assert m.comparison.units == ()
    assert m.impact.reason == Reason.TOO_FEW_COMPARISON
    assert msgids(m) == [NO_COMPARISON, NO_CONCLUSION[Reason.TOO_FEW_COMPARISON]]


def test_another_change_excludes_a_service_from_its_first_change_and_its_partial_month() -> None:
    treated = DOM[:6]
    cells = lead_cells(DOM)
    # Ours from 1 December 2024. Another one changed kecamatan g on 15 December 2024: its
    # December is partly changed, so g has no comparison row from December on, none after
    # our start: 5 comparison services, not 6.
    mid = Intervention("roadmap_action", 8, {DOM[6]: date(2024, 12, 15)}, (LEAD_TIME,))
    [m] = measure(
        cells, {}, innovation(treated, on=date(2024, 12, 1)), FAMILIES, [mid], settings=FAST
    )
    assert m.impact.n_comparison == 5
    assert DOM[6] not in m.comparison.units
    # Kecamatan h changed twice, in September 2024 and June 2025: it stops being a
    # comparison at the first, so it has no row after our start either.
    twice = [
        Intervention("roadmap_action", 8, {DOM[7]: date(2024, 9, 1)}, (LEAD_TIME,)),
        Intervention("roadmap_action", 9, {DOM[7]: date(2025, 6, 1)}, (LEAD_TIME,)),
    ]
    [m] = measure(cells, {}, innovation(treated), FAMILIES, twice, settings=FAST)
    assert m.impact.n_comparison == 5
    assert DOM[7] not in m.comparison.units


def test_a_change_that_reached_no_service_is_no_conclusion_said_so() -> None:
    nothing = Intervention("innovation", 3, {}, (LEAD_TIME, IKM), began=date(2025, 3, 10))
    measured = measure(lead_cells(DOM), {}, nothing, FAMILIES, settings=FAST)
    assert [m.kpi for m in measured] == [LEAD_TIME, IKM]
    for m in measured:
        assert m.impact.verdict == Verdict.NO_CONCLUSION
        assert m.comparison.units == ()
        assert msgids(m) == [NO_SERVICES]
    assert nothing.starts_on == date(2025, 3, 10)


def test_changed_services_changed_again_within_the_window_are_a_caveat() -> None:
    treated = DOM[:6]
    cells = lead_cells(DOM, effect=dict.fromkeys(treated, -1.5))
    others = [
        # A roadmap action on kecamatan a in June 2025 (inside the window), and one on b in
        # 2023 (before the panel: part of b's level, no caveat).
        Intervention("roadmap_action", 7, {DOM[0]: date(2025, 6, 1)}, (LEAD_TIME,)),
        Intervention("roadmap_action", 8, {DOM[1]: date(2023, 3, 1)}, (LEAD_TIME,)),
    ]
    [m] = measure(cells, {}, innovation(treated), FAMILIES, others, settings=FAST)
    overlap = [s for s in m.explanation if s.msgid == OVERLAP]
    assert overlap and overlap[0].params == {"n": {"count": 1}}
    [alone] = measure(cells, {}, innovation(treated), FAMILIES, others[1:], settings=FAST)
    assert OVERLAP not in msgids(alone)
    # The figures themselves are not changed by the caveat.
    assert m.impact == alone.impact
