"""PP 94/2021 discipline ladder for unexcused absence, table-driven from rules.md §6.2."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from sigap.rules.calendar import WorkingCalendar
from sigap.rules.discipline import absence_sanction, longest_consecutive_absence

LADDER = [
    (0, None), (2, None),
    (3, "teguran_lisan"),
    (4, "teguran_tertulis"), (6, "teguran_tertulis"),
    (7, "tidak_puas"), (10, "tidak_puas"),
    (11, "tukin_25_6"), (13, "tukin_25_6"),
    (14, "tukin_25_9"), (16, "tukin_25_9"),
    (17, "tukin_25_12"), (20, "tukin_25_12"),
    (21, "turun_jabatan"), (24, "turun_jabatan"),
    (25, "bebas_jabatan"), (27, "bebas_jabatan"),
    (28, "pdhtaps"), (60, "pdhtaps"),
]  # fmt: skip


@pytest.mark.parametrize(("days", "code"), LADDER)
def test_cumulative_absence_ladder(days, code):
    sanction = absence_sanction(days)
    assert (sanction.code if sanction else None) == code


@pytest.mark.parametrize(
    ("days", "level"),
    [(3, "ringan"), (10, "ringan"), (11, "sedang"), (20, "sedang"), (21, "berat")],
)
def test_sanction_levels(days, level):
    sanction = absence_sanction(days)
    assert sanction is not None and sanction.level == level


def test_seven_days_is_not_teguran_tertulis():
    # Some news say "4–7"; the BKN worked examples confirm 4–6.
    sanction = absence_sanction(7)
    assert sanction is not None and sanction.label == "Pernyataan tidak puas secara tertulis"


@pytest.mark.parametrize(
    ("total", "run", "code"), [(10, 10, "pdhtaps"), (12, 10, "pdhtaps"), (10, 9, "tidak_puas")]
)
def test_ten_consecutive_working_days_is_dismissal(total, run, code):
    sanction = absence_sanction(total, consecutive_days=run)
    assert sanction is not None and sanction.code == code
    assert sanction.consecutive == (run >= 10)


@pytest.mark.parametrize(("total", "run"), [(-1, 0), (3, 4)])
def test_impossible_counts_are_refused(total, run):
    with pytest.raises(ValueError):
        absence_sanction(total, run)


CAL = WorkingCalendar()


def _days(start: date, n: int) -> list[date]:
    return [start + timedelta(days=i) for i in range(n)]


def test_weekends_do_not_break_a_consecutive_run():
    # Mon 2025-08-04 to Fri 2025-08-15: 10 working days across a weekend
    days = [d for d in _days(date(2025, 8, 4), 12) if d.weekday() < 5]
    assert longest_consecutive_absence(days, CAL) == 10
    assert absence_sanction(len(days), longest_consecutive_absence(days, CAL)).code == "pdhtaps"


def test_a_working_day_present_breaks_the_run():
    days = [
        date(2025, 8, 4),
        date(2025, 8, 5),
        date(2025, 8, 7),
        date(2025, 8, 8),
        date(2025, 8, 11),
    ]
    assert longest_consecutive_absence(days, CAL) == 3  # Thu, Fri, Mon
    assert longest_consecutive_absence([], CAL) == 0


def test_holidays_do_not_break_a_run_either():
    # Thu 2025-06-05, then Idul Adha (Fri), the weekend and cuti bersama (Mon): Tue 06-10 is next
    assert longest_consecutive_absence([date(2025, 6, 5), date(2025, 6, 10)], CAL) == 2
    # a day off listed as absence is ignored
    assert longest_consecutive_absence([date(2025, 6, 6)], CAL) == 0
