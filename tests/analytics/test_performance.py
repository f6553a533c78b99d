"""Service performance on a tiny log; every expected number is worked out in the comments.

Outcomes as sigap's own log records them: each finished step is `done`, the step that completes
the request `completed` (K1's `receive` is a `received`; a `done` step would not close a case).

March 2025 in Jakarta (WIB, +07:00): Monday 3rd; no holidays before the 28th.
Standards: KTP 3 working days; IMB 5 working days, 2 from 2025-03-05 on.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from sigap.analytics.engine import Engine
from sigap.analytics.performance import (
    PerformanceSettings,
    ServiceStandard,
    backlog,
    service_performance,
)


def ev(case: str, act: str, day: int, hhmm: str, who: str, outcome: str, svc: str, unit: str):
    return (case, act, f"2025-03-{day:02d}T{hhmm}:00+07:00", who, outcome, svc, unit)


LOG = [
    # K1: Mon 3 09:00 → Wed 5 15:00: 2.25 days, 2 working days, no pause → SLA met, first time right
    ev("K1", "submit", 3, "09:00", "citizen", "submitted", "KTP", "U1"),
    ev("K1", "receive", 3, "10:00", "budi", "received", "KTP", "U1"),
    ev("K1", "verify", 4, "11:00", "budi", "done", "KTP", "U1"),
    ev("K1", "issue", 5, "15:00", "budi", "completed", "KTP", "U1"),
    # K2: Thu 6 08:00 → Wed 12 16:00: 6.333333 days, 4 working days (Fri, Mon, Tue, Wed);
    #     returned Thu 6 10:00, resumed Mon 10 08:00: paused 3.916667 days, 2 working days
    #     → net 2 ≤ 3 met; returned → not first time right
    ev("K2", "submit", 6, "08:00", "citizen", "submitted", "KTP", "U1"),
    ev("K2", "receive", 6, "09:00", "budi", "received", "KTP", "U1"),
    ev("K2", "check", 6, "10:00", "budi", "returned", "KTP", "U1"),
    ev("K2", "fix", 10, "08:00", "citizen", "resumed", "KTP", "U1"),
    ev("K2", "issue", 12, "16:00", "siti", "completed", "KTP", "U1"),
    # K3: Mon 10 09:00 → Mon 17 09:00: 7 days, 5 working days > 3 → missed
    ev("K3", "submit", 10, "09:00", "citizen", "submitted", "KTP", "U2"),
    ev("K3", "issue", 17, "09:00", "andi", "completed", "KTP", "U2"),
    # K4: Fri 14, still open at the last event of the log (Mon 17 09:00): age 1 working day
    ev("K4", "submit", 14, "09:00", "citizen", "submitted", "KTP", "U2"),
    ev("K4", "receive", 14, "10:00", "andi", "received", "KTP", "U2"),
    # I1: Tue 4 → Tue 11 09:00: 7 days, 5 working days; standard of 2025-01-01 (5) → met
    ev("I1", "submit", 4, "09:00", "citizen", "submitted", "IMB", "U1"),
    ev("I1", "issue", 11, "09:00", "siti", "completed", "IMB", "U1"),
    # I2: Wed 5 09:00 → Fri 7 09:00: 2 days, 2 working days; standard of 03-05 (2);
    #     waiting from Wed 5 12:00, never resumed: paused until closing, 1.875 days, 2 wd → met
    ev("I2", "submit", 5, "09:00", "citizen", "submitted", "IMB", "U1"),
    ev("I2", "ask", 5, "12:00", "siti", "waiting", "IMB", "U1"),
    ev("I2", "issue", 7, "09:00", "siti", "completed", "IMB", "U1"),
]

SETTINGS = PerformanceSettings(
    standards=(
        ServiceStandard("KTP", date(2025, 1, 1), 3),
        ServiceStandard("IMB", date(2025, 1, 1), 5),
        ServiceStandard("IMB", date(2025, 3, 5), 2),
    )
)


@pytest.fixture
def log(make_log: Callable[..., Path], duck: Callable[[Path], Engine]) -> Engine:
    return duck(make_log(LOG))


def test_per_service(log: Engine) -> None:
    imb, ktp = service_performance(log, ("service",), SETTINGS)
    assert (ktp.service, ktp.volume, ktp.closed) == ("KTP", 4, 3)
    assert ktp.lead_days_median == pytest.approx(6.333333, abs=1e-6)
    assert ktp.lead_days_p90 == pytest.approx(6.333333 + 0.8 * (7 - 6.333333), abs=1e-5)
    assert (ktp.lead_working_days_median, ktp.lead_working_days_p90) == (4.0, 4.8)
    assert (ktp.sla_cases, ktp.sla_met, ktp.sla_share) == (3, 2, 2 / 3)
    assert (ktp.first_time_right, ktp.first_time_right_share) == (2, 2 / 3)
    assert ktp.waiting_days_median == 0.0
    assert ktp.processing_days_median == pytest.approx(6.333333 - 3.916667, abs=1e-5)
    assert ktp.waiting_share == pytest.approx(3.916667 / (2.25 + 6.333333 + 7), abs=1e-6)

    assert (imb.service, imb.volume, imb.closed) == ("IMB", 2, 2)
    assert (imb.lead_days_median, imb.lead_days_p90) == (4.5, 6.5)
    assert (imb.lead_working_days_median, imb.lead_working_days_p90) == (3.5, 4.7)
    assert (imb.sla_cases, imb.sla_met) == (2, 2)
    assert imb.first_time_right == 2  # waiting is not a return for correction
    assert imb.waiting_days_median == 0.9375  # (0 + 1.875) / 2


def test_the_standard_in_force_on_the_start_day_applies(log: Engine) -> None:
    # Same log, I1 judged against 2 working days if the new standard were already in force.
    early = PerformanceSettings(standards=(ServiceStandard("IMB", date(2025, 3, 1), 2),))
    imb = service_performance(log, ("service",), early)[0]
    assert (imb.sla_cases, imb.sla_met) == (2, 1)


def test_without_standard_no_sla(log: Engine) -> None:
    ktp = service_performance(log, ("service",), PerformanceSettings())[1]
    assert (ktp.sla_cases, ktp.sla_share) == (0, None)


def test_per_officer_unit_and_period(log: Engine) -> None:
    by_officer = {p.officer: (p.volume, p.closed) for p in service_performance(log, ("officer",))}
    assert by_officer == {"andi": (2, 1), "budi": (1, 1), "siti": (3, 3)}
    by_unit = {(p.unit, p.period): p.closed for p in service_performance(log, ("unit", "period"))}
    assert by_unit == {("U1", "2025-03"): 4, ("U2", "2025-03"): 1}
    (total,) = service_performance(log, ())
    assert (total.volume, total.closed, total.service) == (6, 5, None)


def test_backlog_and_ageing(log: Engine) -> None:
    (ktp,) = backlog(log, ("service",), SETTINGS)
    assert (ktp.service, ktp.open, ktp.age_working_days_max, ktp.age_0_5, ktp.over_sla) == (
        "KTP", 1, 1, 1, 0,
    )  # fmt: skip


def test_backlog_as_of_an_earlier_time(log: Engine) -> None:
    from datetime import UTC, datetime

    # Mon 10 at 12:00 WIB: K2 (returned, resumed that morning), K3 open; I1 open.
    as_of = datetime(2025, 3, 10, 5, 0, tzinfo=UTC)
    rows = {b.service: b for b in backlog(log, ("service",), SETTINGS, as_of=as_of)}
    assert rows["KTP"].open == 2
    # K2: (Thu 6, Mon 10] = 2 working days minus 2 paused = 0; K3: 0
    assert rows["KTP"].age_working_days_max == 0
    assert rows["IMB"].open == 1  # I1: (Tue 4, Mon 10] = 4 working days
    assert rows["IMB"].age_working_days_max == 4


def test_period_grain_follows_the_span_of_the_log() -> None:
    from sigap.analytics.performance import period_grain_for

    assert period_grain_for(date(2025, 1, 1), date(2027, 12, 31)) == "month"  # 36 months
    assert period_grain_for(date(2025, 1, 1), date(2028, 1, 1)) == "quarter"  # 37 months
    assert period_grain_for(date(2016, 1, 1), date(2025, 12, 31)) == "quarter"  # 120 months
    assert period_grain_for(date(2013, 1, 5), date(2026, 3, 1)) == "year"
    with pytest.raises(ValueError, match="period_grain: 'week'"):
        PerformanceSettings(period_grain="week")


# Three cases over three years: a quarter or a year groups them; one closes in the next quarter.
SPAN_LOG = [
    ("A", "submit", "2023-02-10T09:00:00+07:00"),
    ("A", "issue", "2023-03-01T09:00:00+07:00"),
    ("B", "submit", "2024-03-30T09:00:00+07:00"),
    ("B", "issue", "2024-04-02T09:00:00+07:00"),
    ("C", "submit", "2025-11-03T09:00:00+07:00"),
    ("C", "issue", "2025-11-04T09:00:00+07:00"),
]


@pytest.mark.parametrize(
    ("grain", "expected"),
    [
        ("month", {"2023-02": (1, 0), "2023-03": (0, 1), "2024-03": (1, 0), "2024-04": (0, 1),
                   "2025-11": (1, 1)}),
        ("quarter", {"2023-Q1": (1, 1), "2024-Q1": (1, 0), "2024-Q2": (0, 1),
                     "2025-Q4": (1, 1)}),
        ("year", {"2023": (1, 1), "2024": (1, 1), "2025": (1, 1)}),
    ],
)  # fmt: skip
def test_periods_of_a_grain_on_both_paths(
    make_log: Callable[..., Path], grain: str, expected: dict[str, tuple[int, int]]
) -> None:
    """(volume by start, closed by closing) per period; the numpy pass and the SQL agree."""
    from sigap.analytics.engine import DuckDBEngine

    path = make_log(SPAN_LOG)
    settings = PerformanceSettings(period_grain=grain)
    with DuckDBEngine() as fast, DuckDBEngine(fast_path=False) as sql:
        fast.register_log(path)
        sql.register_log(path)
        assert fast.linear_log() is not None and sql.linear_log() is None
        got = [service_performance(e, ("period",), settings) for e in (fast, sql)]
    assert got[0] == got[1]
    assert {p.period: (p.volume, p.closed) for p in got[0]} == expected
