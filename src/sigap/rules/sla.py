"""The SLA rule of a service request, once: within the time limit, and past its due date.

The jangka waktu pelayanan of a service standard (UU 25/2009 Pasal 21 huruf e; PermenPANRB
15/2014) is counted in hari kerja (`sigap.rules.calendar`). sigap's conventions on top of it,
which every page, export, scorecard and analysis uses through this module:

- **Lead time in working days** is `working_days_between(submission day, closing day)`: the
  working days in (submitted, closed], i.e. the difference of the two days' working-day indexes.
- **Paused working days** are the working days the file was back with the applicant
  (`paused_working_days`); the clock does not run for them.
- **Within the SLA**: net working days (lead − paused) at most the SLA of the standard in force
  at submission. A request finished on a day off after its due date is judged by the working
  days it used, so a Saturday closing after a Friday due date is still within the SLA.
- **Past the due date (overdue)**: a request that is open *and running* (not paused) whose net
  working days so far exceed the SLA. Equivalently, its due date (which moves on when a pause
  closes) lies before the last working day up to today: `due_date < last_working_day(today)`.
  A file with the applicant is *paused*, never overdue.

`within_sla` works element-wise on numpy arrays too, and `WITHIN_SLA_SQL` is the same comparison
for the analytics engines, so the rule is written here and nowhere else.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TypeVar

from sigap.rules.calendar import WorkingCalendar

T = TypeVar("T")

WITHIN_SLA_SQL = "({lead} - {paused} <= {sla})"
"""`within_sla` as a SQL boolean; format with the column names of lead, paused and SLA days."""


def within_sla(lead_working_days: T, paused_working_days: T, sla_working_days: T) -> T:
    """Did a closed request stay within its SLA? Element-wise on arrays.

    >>> within_sla(5, 0, 5), within_sla(6, 1, 5), within_sla(6, 0, 5)
    (True, True, False)
    """
    return lead_working_days - paused_working_days <= sla_working_days  # type: ignore[operator,no-any-return]


def within_sla_sql(lead: str, paused: str, sla: str) -> str:
    """`within_sla` over three SQL expressions (DuckDB and Spark alike)."""
    return WITHIN_SLA_SQL.format(lead=lead, paused=paused, sla=sla)


def last_working_day(calendar: WorkingCalendar, day: date) -> date:
    """The latest working day on or before `day` (`day` itself on a working day)."""
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day


def overdue_before(calendar: WorkingCalendar, today: date) -> date:
    """Open, running requests whose due date is before this day are overdue on `today`.

    >>> from sigap.rules.calendar import WorkingCalendar
    >>> str(overdue_before(WorkingCalendar(), date(2026, 3, 7)))  # a Saturday
    '2026-03-06'
    """
    return last_working_day(calendar, today)


def is_overdue(calendar: WorkingCalendar, due: date, today: date, *, running: bool) -> bool:
    """Is a request past its due date on `today`? Only a running (open, not paused) one can be.

    >>> from sigap.rules.calendar import WorkingCalendar
    >>> cal = WorkingCalendar()
    >>> is_overdue(cal, date(2026, 3, 6), date(2026, 3, 7), running=True)  # due Fri, Saturday
    False
    >>> is_overdue(cal, date(2026, 3, 6), date(2026, 3, 9), running=True)  # Monday
    True
    >>> is_overdue(cal, date(2026, 3, 6), date(2026, 3, 9), running=False)  # paused
    False
    """
    return running and due < overdue_before(calendar, today)


__all__ = [
    "WITHIN_SLA_SQL",
    "is_overdue",
    "last_working_day",
    "overdue_before",
    "within_sla",
    "within_sla_sql",
]
