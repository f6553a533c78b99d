"""Officer scorecards and what-if replay on the tiny logs of test_performance / test_discovery."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sigap.analytics.engine import Engine
from sigap.analytics.scorecards import officer_scorecards
from sigap.analytics.whatif import what_if

from . import test_discovery, test_performance

DAY = 86400.0


@pytest.fixture
def perf(make_log: Callable[..., Path], duck: Callable[[Path], Engine]) -> Engine:
    return duck(make_log(test_performance.LOG, name="perf"))


@pytest.fixture
def tiny(make_log: Callable[..., Path], duck: Callable[[Path], Engine]) -> Engine:
    return duck(make_log(test_discovery.TINY, name="tiny"))


def test_scorecards_only_above_the_minimum_sample(perf: Engine) -> None:
    cards = officer_scorecards(perf, min_cases=2, settings=test_performance.SETTINGS)
    assert [(c.service, c.officer) for c in cards] == [
        ("IMB", "siti"),
        ("KTP", "andi"),
        ("KTP", "budi"),
    ]  # siti and the citizen have one KTP case each: not shown, not peers
    siti, andi, budi = cards
    # budi: K1 receive 1 h, verify 25 h, issue 28 h; K2 receive 1 h, check 1 h
    assert (budi.steps, budi.cases, budi.handling_median_s) == (5, 2, 3600.0)
    assert (budi.sla_cases, budi.sla_met, budi.sla_share) == (2, 2, 1.0)  # K1, K2 met
    # andi: K3 issue 7 d, K4 receive 1 h; K3 missed its SLA, K4 is still open
    assert (andi.steps, andi.handling_median_s) == (2, (7 * DAY + 3600) / 2)
    assert (andi.sla_cases, andi.sla_met) == (1, 0)
    assert (budi.throughput_percentile, andi.throughput_percentile) == (1.0, 0.0)
    assert (budi.speed_percentile, andi.speed_percentile) == (1.0, 0.0)
    assert budi.peers == andi.peers == 2
    assert (siti.steps, siti.cases, siti.peers, siti.speed_percentile) == (3, 2, 1, 0.0)


def test_rework_caused_is_charged_to_the_step_that_was_redone(
    make_log: Callable[..., Path], duck: Callable[[Path], Engine]
) -> None:
    rows = [
        ("X", "a", "2025-03-03T08:00:00Z", "u1"),
        ("X", "b", "2025-03-03T09:00:00Z", "u2"),
        ("X", "b", "2025-03-03T10:00:00Z", "u3"),
    ]
    cards = {c.officer: c for c in officer_scorecards(duck(make_log(rows)), min_cases=1)}
    assert (cards["u2"].rework_caused, cards["u3"].rework_caused) == (1, 0)


def test_what_if_a_step_is_removed(tiny: Engine) -> None:
    # lead times A 10800 s, B 1800, C 7200, D 1800; time before b: A 3600, C 1800+1800, D 600
    w = what_if(tiny, "b")
    assert (w.cases, w.cases_affected, w.scenario) == (4, 3, "remove")
    assert w.lead_days_mean_before == pytest.approx(5400 / DAY, abs=1e-6)
    assert w.lead_days_mean_after == pytest.approx(3450 / DAY, abs=1e-6)
    assert w.lead_days_median_before == pytest.approx(4500 / DAY, abs=1e-6)
    assert w.lead_days_median_after == pytest.approx(2700 / DAY, abs=1e-6)
    assert w.mean_change == pytest.approx(3450 / 5400 - 1, abs=1e-6)


def test_what_if_the_first_step_is_removed(tiny: Engine) -> None:
    # each case then starts at its second event: A 7200, B 0, C 5400, D 1200
    w = what_if(tiny, "a")
    assert w.cases_affected == 4
    assert w.lead_days_mean_after == pytest.approx(13800 / 4 / DAY, abs=1e-6)


def test_what_if_waiting_is_cut_by_half(tiny: Engine) -> None:
    # time before c: A 7200, B 1800, C 3600, D 1200 → after: 7200, 900, 5400, 1200
    w = what_if(tiny, "c", cut=0.5)
    assert w.scenario == "cut 50% waiting"
    assert w.lead_days_mean_after == pytest.approx(14700 / 4 / DAY, abs=1e-6)


def test_what_if_rejects_a_cut_outside_0_1(tiny: Engine) -> None:
    with pytest.raises(ValueError, match="cut"):
        what_if(tiny, "c", cut=1.5)
