"""The working-day calendar against real 2024–2026 Indonesian holidays and cuti bersama.

The dates come from the SKB 3 Menteri for 2025 and 2026 as shipped in `holidays` 0.109.
"""

from __future__ import annotations

import dataclasses
import itertools
from datetime import date, datetime, timedelta

import pytest
from holidays.countries.indonesia import Indonesia

from sigap.rules.calendar import (
    EPOCH,
    LOCAL_DAY_OFF_REASON,
    CalendarDay,
    WorkingCalendar,
    due_date,
    paused_working_days,
)

FULL = WorkingCalendar()  # public holidays + cuti bersama are days off (the default)
PUBLIC_ONLY = WorkingCalendar(cuti_bersama_is_day_off=False)
D = date.fromisoformat


# date, reason with cuti bersama off (None = working day), reason with public holidays only
DAYS = [
    ("2025-03-27", None, None),  # Thursday before Nyepi/Lebaran 2025
    ("2025-03-28", "Cuti bersama: Hari Suci Nyepi", None),
    ("2025-03-29", "Hari Suci Nyepi", "Hari Suci Nyepi"),  # Nyepi on a Saturday
    ("2025-03-30", "Minggu", "Minggu"),
    ("2025-03-31", "Hari Raya Idul Fitri", "Hari Raya Idul Fitri"),
    ("2025-04-01", "Hari kedua dari Hari Raya Idul Fitri", "Hari kedua dari Hari Raya Idul Fitri"),
    ("2025-04-02", "Cuti bersama: Hari Raya Idul Fitri", None),
    ("2025-04-03", "Cuti bersama: Hari Raya Idul Fitri", None),
    ("2025-04-04", "Cuti bersama: Hari Raya Idul Fitri", None),
    ("2025-04-05", "Sabtu", "Sabtu"),
    ("2025-04-07", "Cuti bersama: Hari Raya Idul Fitri", None),
    ("2025-04-08", None, None),
    ("2025-08-17", "Hari Kemerdekaan Republik Indonesia", "Hari Kemerdekaan Republik Indonesia"),
    ("2025-08-18", "Cuti bersama: Hari Kemerdekaan Republik Indonesia", None),
    ("2025-12-24", None, None),
    ("2025-12-25", "Hari Raya Natal", "Hari Raya Natal"),
    ("2025-12-26", "Cuti bersama: Hari Raya Natal", None),
    ("2026-01-01", "Tahun Baru Masehi", "Tahun Baru Masehi"),
    ("2026-01-02", None, None),
    ("2026-02-16", "Cuti bersama: Tahun Baru Imlek", None),
    ("2026-02-17", "Tahun Baru Imlek", "Tahun Baru Imlek"),
    ("2026-03-18", "Cuti bersama: Hari Suci Nyepi", None),
    ("2026-03-19", "Hari Suci Nyepi", "Hari Suci Nyepi"),
    ("2026-03-20", "Cuti bersama: Hari Raya Idul Fitri", None),
    ("2026-03-21", "Hari Raya Idul Fitri", "Hari Raya Idul Fitri"),  # Lebaran 2026 on a Saturday
    ("2026-03-23", "Cuti bersama: Hari Raya Idul Fitri", None),
    ("2026-03-24", "Cuti bersama: Hari Raya Idul Fitri", None),
    ("2026-03-25", None, None),
    ("2026-08-17", "Hari Kemerdekaan Republik Indonesia", "Hari Kemerdekaan Republik Indonesia"),
    ("2026-12-24", "Cuti bersama: Hari Raya Natal", None),
    ("2026-12-25", "Hari Raya Natal", "Hari Raya Natal"),
    ("2024-02-14", "Hari Pemilihan Umum", "Hari Pemilihan Umum"),  # one-off election day
]


@pytest.mark.parametrize(("day", "reason_full", "reason_public_only"), DAYS)
def test_day_status_and_reason(
    day: str, reason_full: str | None, reason_public_only: str | None
) -> None:
    assert FULL.day_off_reason(D(day)) == reason_full
    assert FULL.is_working_day(D(day)) is (reason_full is None)
    assert PUBLIC_ONLY.day_off_reason(D(day)) == reason_public_only
    assert PUBLIC_ONLY.is_working_day(D(day)) is (reason_public_only is None)


# start, n, result with cuti bersama off, result with public holidays only
ADD = [
    ("2025-03-27", 3, "2025-04-10", "2025-04-03"),  # the check vector across Lebaran 2025
    ("2025-03-27", 1, "2025-04-08", "2025-03-28"),
    ("2025-03-29", 1, "2025-04-08", "2025-04-02"),  # starting on a non-working Saturday
    ("2025-03-27", 10, "2025-04-22", "2025-04-14"),  # Good Friday 2025-04-18 is skipped
    ("2025-12-24", 1, "2025-12-29", "2025-12-26"),
    ("2025-12-24", 5, "2026-01-05", "2026-01-02"),  # across the year boundary and 1 January
    ("2025-12-31", 1, "2026-01-02", "2026-01-02"),
    ("2025-08-15", 1, "2025-08-19", "2025-08-18"),  # 17 August on a Sunday, cuti on Monday
    ("2026-08-14", 1, "2026-08-18", "2026-08-18"),  # 17 August on a Monday
    ("2025-06-02", 0, "2025-06-02", "2025-06-02"),  # n = 0 is the start itself...
    ("2025-03-29", 0, "2025-03-29", "2025-03-29"),  # ...even on a day off
]


@pytest.mark.parametrize(("start", "n", "full", "public_only"), ADD)
def test_add_working_days(start: str, n: int, full: str, public_only: str) -> None:
    assert FULL.add_working_days(D(start), n) == D(full)
    assert PUBLIC_ONLY.add_working_days(D(start), n) == D(public_only)


def test_add_working_days_rejects_negative_n() -> None:
    with pytest.raises(ValueError, match="n must be >= 0"):
        FULL.add_working_days(D("2025-03-27"), -1)


def test_add_working_days_accepts_a_datetime_and_returns_a_date() -> None:
    result = FULL.add_working_days(datetime(2025, 3, 27, 16, 45), 3)
    assert result == D("2025-04-10")
    assert type(result) is date
    assert type(FULL.add_working_days(datetime(2025, 3, 27, 16, 45), 0)) is date


@pytest.mark.parametrize(
    ("start", "end", "full", "public_only"),
    [
        ("2025-03-27", "2025-04-10", 3, 8),
        ("2025-03-27", "2025-03-27", 0, 0),
        ("2025-04-10", "2025-03-27", 0, 0),  # end before start
        ("2025-03-28", "2025-04-07", 0, 4),  # the whole Lebaran break
        ("2024-12-31", "2025-12-31", 237, 248),
        ("2025-12-31", "2026-01-02", 1, 1),
    ],
)
def test_working_days_between(start: str, end: str, full: int, public_only: int) -> None:
    assert FULL.working_days_between(D(start), D(end)) == full
    assert PUBLIC_ONLY.working_days_between(D(start), D(end)) == public_only


# 2025: 261 weekdays - 13 public holidays on weekdays = 248; - 11 cuti bersama = 237.
# 2026: 261 weekdays - 13 public holidays on weekdays = 248; - 8 cuti bersama = 240.
@pytest.mark.parametrize(
    ("year", "full", "public_only"), [(2025, 237, 248), (2026, 240, 248), (2024, 238, 248)]
)
def test_working_days_in_year(year: int, full: int, public_only: int) -> None:
    assert FULL.working_days_in_year(year) == full
    assert PUBLIC_ONLY.working_days_in_year(year) == public_only


@pytest.mark.parametrize("year", [1950, 1999, 2000, 2013, 2024, 2025, 2026, 2027, 2040, 2099])
@pytest.mark.parametrize("cuti_off", [True, False])
def test_working_days_in_year_matches_a_direct_count_from_holidays(
    year: int, cuti_off: bool
) -> None:
    # Oracle: count Monday–Friday minus the library's days, without any of our tables.
    categories = ("public", "government") if cuti_off else ("public",)
    days_off = Indonesia(years=year, categories=categories, language="id")
    start = date(year, 1, 1)
    expected = sum(
        1
        for i in range((date(year, 12, 31) - start).days + 1)
        if (d := start + timedelta(days=i)).weekday() < 5 and d not in days_off
    )
    calendar = WorkingCalendar(cuti_bersama_is_day_off=cuti_off)
    assert calendar.working_days_in_year(year) == expected


def test_working_day_index_counts_from_the_epoch() -> None:
    assert D("2000-01-01") == EPOCH  # a Saturday
    assert FULL.working_day_index(D("1999-12-31")) == 0
    assert FULL.working_day_index(D("2000-01-02")) == 0
    assert FULL.working_day_index(D("2000-01-03")) == 1
    assert FULL.working_day_index(D("1999-12-30")) < 0


def test_working_day_index_difference_is_working_days_between() -> None:
    dates = [D("1998-07-01") + timedelta(days=i * 37) for i in range(400)]
    for a in dates[::7]:
        for b in dates:
            if b >= a:
                expected = FULL.working_days_between(a, b)
                assert FULL.working_day_index(b) - FULL.working_day_index(a) == expected


def test_indexes_do_not_depend_on_the_order_of_questions() -> None:
    # Two calendars with settings no other test uses, so each starts with an empty cache.
    far_first = WorkingCalendar(extra_days_off=frozenset({D("2031-01-02")}))
    near_first = WorkingCalendar(extra_days_off=frozenset({D("2031-01-02")}) | {D("2099-12-01")})
    assert far_first.working_day_index(D("2098-06-01")) > 0
    assert far_first.working_day_index(D("1960-06-01")) < 0
    assert near_first.working_day_index(D("2025-03-27")) == far_first.working_day_index(
        D("2025-03-27")
    )
    assert near_first.working_day_index(D("2025-03-27")) == FULL.working_day_index(D("2025-03-27"))


def test_add_then_count_gives_back_n_for_many_dates() -> None:
    # Property: working_days_between(a, add_working_days(a, n)) == n, and the result is the
    # *first* such day: for n >= 1 it is a working day and one day earlier gives n - 1.
    start = D("2024-11-01")
    for calendar in (FULL, PUBLIC_ONLY):
        for i in range(0, 800, 3):
            a = start + timedelta(days=i)
            for n in range(0, 45):
                b = calendar.add_working_days(a, n)
                assert calendar.working_days_between(a, b) == n
                if n >= 1:
                    assert calendar.is_working_day(b)
                    assert calendar.working_days_between(a, b - timedelta(days=1)) == n - 1


def test_table_rows() -> None:
    rows = FULL.table(D("2025-03-27"), D("2025-04-10"))
    assert len(rows) == 15
    assert rows[0] == CalendarDay(
        date=D("2025-03-27"),
        is_working=True,
        working_day_index=FULL.working_day_index(D("2025-03-27")),
        reason=None,
    )
    assert [r.date for r in rows if r.is_working] == [
        D("2025-03-27"),
        D("2025-04-08"),
        D("2025-04-09"),
        D("2025-04-10"),
    ]
    assert rows[-1].working_day_index - rows[0].working_day_index == 3
    for row in rows:
        assert row.is_working is FULL.is_working_day(row.date)
        assert row.reason == FULL.day_off_reason(row.date)
        assert row.working_day_index == FULL.working_day_index(row.date)


def test_table_is_empty_when_end_is_before_start() -> None:
    assert FULL.table(D("2025-04-10"), D("2025-03-27")) == []


def test_table_across_many_years_is_monotone() -> None:
    rows = FULL.table(D("1995-01-01"), D("2035-12-31"))
    assert len(rows) == (D("2035-12-31") - D("1995-01-01")).days + 1
    for prev, row in itertools.pairwise(rows):
        assert row.working_day_index - prev.working_day_index == int(row.is_working)


ANNIVERSARY = D("2025-06-10")  # a Tuesday, e.g. the regency's hari jadi
LOCAL = WorkingCalendar(extra_days_off=frozenset({ANNIVERSARY}))


def test_extra_local_day_off() -> None:
    assert FULL.is_working_day(ANNIVERSARY)
    assert not LOCAL.is_working_day(ANNIVERSARY)
    assert LOCAL.day_off_reason(ANNIVERSARY) == LOCAL_DAY_OFF_REASON
    # Idul Adha Fri 6 June, weekend, cuti bersama Mon 9 June, then the local day off.
    assert FULL.add_working_days(D("2025-06-05"), 2) == D("2025-06-11")
    assert LOCAL.add_working_days(D("2025-06-05"), 2) == D("2025-06-12")
    assert LOCAL.working_days_in_year(2025) == 236


def test_a_national_holiday_name_wins_over_the_local_label() -> None:
    calendar = WorkingCalendar(extra_days_off=frozenset({D("2025-12-25")}))
    assert calendar.day_off_reason(D("2025-12-25")) == "Hari Raya Natal"
    assert calendar.working_days_in_year(2025) == 237


def test_extra_working_days_override_weekends_and_holidays() -> None:
    calendar = WorkingCalendar(
        extra_working_days=frozenset({D("2025-04-05"), D("2025-03-28"), D("2025-03-30")})
    )
    for day in ("2025-04-05", "2025-03-28", "2025-03-30"):  # Saturday, cuti bersama, Sunday
        assert calendar.is_working_day(D(day))
        assert calendar.day_off_reason(D(day)) is None
    assert calendar.add_working_days(D("2025-03-27"), 1) == D("2025-03-28")
    assert calendar.add_working_days(D("2025-03-28"), 2) == D("2025-04-05")
    assert calendar.working_days_in_year(2025) == 240


def test_a_date_cannot_be_both_a_day_off_and_a_working_day() -> None:
    with pytest.raises(ValueError, match="2025-06-10"):
        WorkingCalendar(
            extra_days_off=frozenset({ANNIVERSARY}), extra_working_days=frozenset({ANNIVERSARY})
        )


def test_calendar_is_frozen_and_hashable() -> None:
    assert WorkingCalendar() == FULL
    assert hash(WorkingCalendar()) == hash(FULL)
    assert len({FULL, WorkingCalendar(), PUBLIC_ONLY, LOCAL}) == 3
    with pytest.raises(dataclasses.FrozenInstanceError):
        FULL.cuti_bersama_is_day_off = False  # type: ignore[misc]


def test_datetimes_in_settings_are_read_as_dates() -> None:
    from_datetime = WorkingCalendar(extra_days_off=frozenset({datetime(2025, 6, 10, 8, 0)}))
    assert from_datetime == LOCAL
    assert not from_datetime.is_working_day(ANNIVERSARY)


@pytest.mark.parametrize("day", ["1945-12-31", "2101-01-01"])
def test_dates_without_holiday_data_are_refused(day: str) -> None:
    with pytest.raises(ValueError, match="no holiday data"):
        FULL.is_working_day(D(day))


def test_adding_past_the_last_supported_year_is_refused() -> None:
    with pytest.raises(ValueError, match="no holiday data"):
        FULL.add_working_days(D("2100-12-20"), 30)


# --- SLA clock -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("submitted", "sla", "paused", "due"),
    [
        ("2025-03-27", 3, 0, "2025-04-10"),
        ("2025-03-27", 3, 2, "2025-04-14"),
        ("2025-12-24", 5, 0, "2026-01-05"),
        ("2025-04-08", 0, 0, "2025-04-08"),
    ],
)
def test_due_date(submitted: str, sla: int, paused: int, due: str) -> None:
    assert due_date(FULL, D(submitted), sla, paused) == D(due)


def test_due_date_rejects_negative_numbers() -> None:
    with pytest.raises(ValueError, match="sla_working_days"):
        due_date(FULL, D("2025-03-27"), -1)
    with pytest.raises(ValueError, match="paused_working_days"):
        due_date(FULL, D("2025-03-27"), 3, -1)


P = tuple[date, date | None]

PAUSES: list[tuple[str, list[P], str, int]] = [
    ("one closed pause: 9 and 10 April", [(D("2025-04-08"), D("2025-04-10"))], "2025-05-01", 2),
    (
        "overlapping pauses count once",
        [(D("2025-04-08"), D("2025-04-10")), (D("2025-04-09"), D("2025-04-15"))],
        "2025-05-01",
        5,
    ),
    (
        "touching pauses",
        [(D("2025-04-10"), D("2025-04-14")), (D("2025-04-08"), D("2025-04-10"))],
        "2025-05-01",
        4,
    ),
    (
        "a pause inside another",
        [(D("2025-04-08"), D("2025-04-22")), (D("2025-04-09"), D("2025-04-10"))],
        "2025-05-01",
        9,  # Good Friday 18 April is not a working day
    ),
    ("an open pause runs to `until`", [(D("2025-04-08"), None)], "2025-04-11", 3),
    ("a pause is cut at `until`", [(D("2025-04-08"), D("2025-04-30"))], "2025-04-10", 2),
    ("a pause after `until` is ignored", [(D("2025-04-08"), None)], "2025-04-01", 0),
    ("a pause over Lebaran", [(D("2025-03-27"), D("2025-04-08"))], "2025-05-01", 1),
    ("a same-day pause", [(D("2025-04-08"), D("2025-04-08"))], "2025-05-01", 0),
    ("no pauses", [], "2025-05-01", 0),
]


@pytest.mark.parametrize(("label", "pauses", "until", "expected"), PAUSES)
def test_paused_working_days(label: str, pauses: list[P], until: str, expected: int) -> None:
    assert paused_working_days(FULL, pauses, D(until)) == expected, label


def test_paused_working_days_with_public_holidays_only() -> None:
    pauses: list[P] = [(D("2025-03-27"), D("2025-04-08"))]
    # 28 March, 2, 3, 4, 7 and 8 April are working days when cuti bersama is not a day off.
    assert paused_working_days(PUBLIC_ONLY, pauses, D("2025-05-01")) == 6


def test_paused_working_days_accepts_datetimes() -> None:
    pauses: list[P] = [(datetime(2025, 4, 8, 15, 30), datetime(2025, 4, 10, 9, 0))]
    assert paused_working_days(FULL, pauses, datetime(2025, 4, 30, 12, 0)) == 2


def test_a_pause_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        paused_working_days(FULL, [(D("2025-04-10"), D("2025-04-08"))], D("2025-05-01"))


def test_pause_then_due_date_moves_the_deadline() -> None:
    # Submitted Tue 8 April with a 5-day SLA; back with the applicant 9–14 April.
    submitted = D("2025-04-08")
    paused = paused_working_days(FULL, [(D("2025-04-09"), D("2025-04-14"))], D("2025-04-30"))
    assert paused == 3  # 10, 11 and 14 April
    assert due_date(FULL, submitted, 5) == D("2025-04-15")
    assert due_date(FULL, submitted, 5, paused) == D("2025-04-21")  # 18 April is Good Friday
