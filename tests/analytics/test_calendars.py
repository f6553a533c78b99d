"""The same log, three calendars: working-day lead times under Indonesia's calendar, the
Netherlands' and plain calendar days, on the linear pass and on the SQL (same numbers).

Times are 09:00 WIB (+07:00), so each event's local day is the date written. Each case is its own
service, so a service's median lead time is its case's.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sigap.analytics.engine import DuckDBEngine
from sigap.analytics.performance import PerformanceSettings, service_performance
from sigap.rules.calendar import calendar_for


def ev(case: str, act: str, day: str, outcome: str) -> tuple[str, ...]:
    return (case, act, f"2025-{day}T09:00:00+07:00", "budi", outcome, case)


LOG = [
    # (Thu 17 Apr, Tue 22 Apr]: Good Friday 18 is a holiday in both countries, Easter Monday 21
    # in NL only: ID 2 (21, 22), NL 1 (22), calendar 5.
    ev("easter", "submit", "04-17", "submitted"),
    ev("easter", "issue", "04-22", "completed"),
    # (Thu 27 Mar, Tue 8 Apr]: Nyepi and Lebaran with cuti bersama (28 Mar, 31 Mar - 4 Apr, 7 Apr)
    # leave only Tue 8 in Indonesia; NL 8 (28, 31, 1-4, 7, 8), calendar 12.
    ev("lebaran", "submit", "03-27", "submitted"),
    ev("lebaran", "issue", "04-08", "completed"),
    # (Fri 2 May, Tue 6 May]: Liberation Day (Mon 5 May, a day off in lustrum years such as 2025)
    # in NL only: ID 2 (5, 6), NL 1 (6), calendar 4.
    ev("liberation", "submit", "05-02", "submitted"),
    ev("liberation", "issue", "05-06", "completed"),
]

EXPECTED = {
    "ID": {"easter": 2, "lebaran": 1, "liberation": 2},
    "NL": {"easter": 1, "lebaran": 8, "liberation": 1},
    "none": {"easter": 5, "lebaran": 12, "liberation": 4},
}


@pytest.mark.parametrize("fast_path", [True, False], ids=["linear", "sql"])
@pytest.mark.parametrize("spec", sorted(EXPECTED))
def test_working_day_lead_times_follow_the_calendar(
    spec: str, fast_path: bool, make_log: Callable[..., Path]
) -> None:
    path = make_log(LOG)
    settings = PerformanceSettings(calendar=calendar_for(spec))
    with DuckDBEngine(fast_path=fast_path) as engine:
        engine.register_log(path)
        assert (engine.linear_log() is not None) == fast_path
        perf = service_performance(engine, ("service",), settings)
    assert {p.service: p.lead_working_days_median for p in perf} == EXPECTED[spec]
    # calendar-day lead times do not depend on the calendar
    assert {p.service: p.lead_days_median for p in perf} == EXPECTED["none"]


def test_calendars_do_not_share_memoised_facts(make_log: Callable[..., Path]) -> None:
    # One engine, three settings: each gets its own per-case facts (keyed by the settings' hash).
    with DuckDBEngine() as engine:
        engine.register_log(make_log(LOG))
        got = {
            spec: {
                p.service: p.lead_working_days_median
                for p in service_performance(
                    engine, ("service",), PerformanceSettings(calendar=calendar_for(spec))
                )
            }
            for spec in EXPECTED
        }
    assert got == EXPECTED
