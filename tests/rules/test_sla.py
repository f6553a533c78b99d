"""`sigap.rules.sla`: the SLA rule and "past the due date", table-driven, on a calendar with a
local day off (the demo regency's Hari Jadi, 12 March) and the national holidays of 2026."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from sigap.rules.calendar import WorkingCalendar, due_date
from sigap.rules.sla import (
    is_overdue,
    last_working_day,
    overdue_before,
    within_sla,
    within_sla_sql,
)

LOCAL = WorkingCalendar(extra_days_off=frozenset({date(2026, 3, 12)}))
NATIONAL = WorkingCalendar()


@pytest.mark.parametrize(
    ("lead", "paused", "sla", "met"),
    [
        (5, 0, 5, True),  # exactly at the limit
        (6, 0, 5, False),  # one working day over
        (6, 1, 5, True),  # the paused day does not count
        (0, 0, 1, True),  # same-day service
        (14, 4, 10, True),
        (15, 4, 10, False),
    ],
)
def test_within_sla(lead: int, paused: int, sla: int, met: bool) -> None:
    assert within_sla(lead, paused, sla) is met


def test_within_sla_is_elementwise_on_arrays_with_the_same_answers() -> None:
    lead, paused, sla = np.array([5, 6, 6, 15]), np.array([0, 0, 1, 4]), np.array([5, 5, 5, 10])
    assert within_sla(lead, paused, sla).tolist() == [True, False, True, False]


def test_the_sql_form_is_the_same_comparison() -> None:
    assert within_sla_sql("l", "p", "s") == "(l - p <= s)"


@pytest.mark.parametrize(
    ("calendar", "day", "expected"),
    [
        (NATIONAL, date(2026, 3, 6), date(2026, 3, 6)),  # a Friday: itself
        (NATIONAL, date(2026, 3, 7), date(2026, 3, 6)),  # Saturday -> Friday
        (NATIONAL, date(2026, 3, 9), date(2026, 3, 9)),  # Monday
        (LOCAL, date(2026, 3, 12), date(2026, 3, 11)),  # the local day off -> the day before
        (NATIONAL, date(2026, 3, 12), date(2026, 3, 12)),  # a working day nationally
        (NATIONAL, date(2026, 3, 19), date(2026, 3, 17)),  # Nyepi 2026 and its cuti bersama
    ],
)
def test_last_working_day(calendar: WorkingCalendar, day: date, expected: date) -> None:
    assert last_working_day(calendar, day) == expected
    assert overdue_before(calendar, day) == expected


@pytest.mark.parametrize(
    ("calendar", "due", "today", "running", "overdue"),
    [
        (NATIONAL, date(2026, 3, 6), date(2026, 3, 6), True, False),  # due today
        (NATIONAL, date(2026, 3, 6), date(2026, 3, 7), True, False),  # Saturday after Friday
        (NATIONAL, date(2026, 3, 6), date(2026, 3, 8), True, False),  # Sunday
        (NATIONAL, date(2026, 3, 6), date(2026, 3, 9), True, True),  # Monday: a day has gone by
        (NATIONAL, date(2026, 3, 6), date(2026, 3, 9), False, False),  # paused: never overdue
        (NATIONAL, date(2026, 3, 11), date(2026, 3, 12), True, True),  # nationally a working day
        (LOCAL, date(2026, 3, 11), date(2026, 3, 12), True, False),  # the agency is closed
        (LOCAL, date(2026, 3, 11), date(2026, 3, 13), True, True),
    ],
)
def test_is_overdue(
    calendar: WorkingCalendar, due: date, today: date, running: bool, overdue: bool
) -> None:
    assert is_overdue(calendar, due, today, running=running) is overdue


@pytest.mark.parametrize("sla", [1, 3, 5, 10, 15])
@pytest.mark.parametrize("paused", [0, 2])
def test_overdue_is_the_sla_rule_applied_to_the_days_so_far(sla: int, paused: int) -> None:
    """Overdue on a day ⇔ a request closed that day would not be within the SLA."""
    submitted = date(2026, 2, 27)
    due = due_date(LOCAL, submitted, sla, paused)
    for offset in range(0, 40):
        today = date.fromordinal(submitted.toordinal() + offset)
        so_far = LOCAL.working_days_between(submitted, today)
        assert is_overdue(LOCAL, due, today, running=True) is (
            not within_sla(so_far, paused, sla)
        ), today
