"""Calendars by short name: Indonesia (default), another country's public holidays, none.

Every expected count is worked out in the comments (Easter and Lebaran 2025)."""

from __future__ import annotations

from datetime import date

import pytest

from sigap.rules.calendar import (
    CountryCalendar,
    NoHolidayCalendar,
    WorkingCalendar,
    calendar_for,
    due_date,
    paused_working_days,
)


def test_default_is_the_indonesian_working_calendar() -> None:
    assert calendar_for() == WorkingCalendar()
    assert calendar_for("id") == calendar_for(" ID ") == calendar_for("") == WorkingCalendar()
    assert calendar_for("ID").spec == "ID"


def test_specs_and_labels() -> None:
    assert calendar_for("nl") == CountryCalendar("NL")
    assert calendar_for("de-by") == CountryCalendar("DE", "BY")
    assert calendar_for("None") == NoHolidayCalendar()
    assert [calendar_for(s).spec for s in ("ID", "nl", "de-by", "NONE")] == [
        "ID", "NL", "DE-BY", "none",
    ]  # fmt: skip
    assert calendar_for("ID").label() == "Hari kerja Indonesia (libur nasional dan cuti bersama)"
    assert calendar_for("ID").label("en") == (
        "Indonesian working days (national holidays and cuti bersama)"
    )
    assert WorkingCalendar(cuti_bersama_is_day_off=False).label() == (
        "Hari kerja Indonesia (libur nasional)"
    )
    agency = WorkingCalendar(extra_days_off=frozenset({date(2025, 6, 2)}))
    assert agency.label() == (
        "Hari kerja Indonesia (libur nasional, cuti bersama dan libur instansi)"
    )
    assert calendar_for("NL").label() == "Hari kerja NL (libur umum)"
    assert calendar_for("NL").label("en") == "Working days NL (public holidays)"
    assert calendar_for("none").label() == "Hari kalender (tanpa libur)"
    assert calendar_for("none").label("en") == "Calendar days (no holidays)"


def test_unknown_codes_say_how_to_list_the_valid_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown calendar 'XX'.*list_supported_countries"):
        calendar_for("XX")
    with pytest.raises(ValueError, match=r"unknown calendar 'DE-ZZ'.*subdivisions of DE: .*BY"):
        calendar_for("DE-ZZ")
    with pytest.raises(ValueError, match="no regional variants"):
        calendar_for("ID-JK")
    with pytest.raises(ValueError, match="unknown country 'XX'"):
        CountryCalendar("XX")


def test_easter_2025_in_three_calendars() -> None:
    # (Thu 17 Apr, Tue 22 Apr]: Fri 18 Good Friday (Wafat Yesus Kristus in Indonesia), Sat 19,
    # Sun 20, Mon 21 (Easter Monday: a holiday in NL only), Tue 22.
    a, b = date(2025, 4, 17), date(2025, 4, 22)
    assert calendar_for("ID").working_days_between(a, b) == 2  # Mon 21, Tue 22
    assert calendar_for("NL").working_days_between(a, b) == 1  # Tue 22
    assert calendar_for("none").working_days_between(a, b) == 5
    nl = calendar_for("NL")
    assert nl.day_off_reason(date(2025, 4, 21)) == "Easter Monday"
    assert nl.day_off_reason(date(2025, 4, 19)) == "Sabtu"
    assert nl.day_off_reason(date(2025, 4, 22)) is None
    assert calendar_for("none").day_off_reason(date(2025, 4, 19)) is None


def test_lebaran_2025_in_three_calendars() -> None:
    # (Thu 27 Mar, Tue 8 Apr]: in Indonesia Fri 28 cuti bersama, Sat 29 Nyepi, Mon 31 and Tue 1
    # Idul Fitri, Wed 2 - Fri 4 and Mon 7 cuti bersama: only Tue 8 works. NL: Fri 28, Mon 31 -
    # Fri 4, Mon 7, Tue 8 = 8. Calendar days: 12.
    a, b = date(2025, 3, 27), date(2025, 4, 8)
    assert calendar_for("ID").working_days_between(a, b) == 1
    assert calendar_for("NL").working_days_between(a, b) == 8
    assert calendar_for("none").working_days_between(a, b) == 12
    assert calendar_for("NL").add_working_days(a, 8) == b
    assert calendar_for("none").add_working_days(a, 12) == b


def test_the_weekend_is_the_countrys() -> None:
    sa = calendar_for("SA")  # Saudi Arabia: Friday and Saturday
    assert sa.day_off_reason(date(2025, 1, 3)) == "Jumat"
    assert sa.is_working_day(date(2025, 1, 5))  # a Sunday
    ae = calendar_for("AE")  # the Emirates moved to Saturday-Sunday in 2022
    assert not ae.is_working_day(date(2021, 6, 4))  # a Friday
    assert ae.is_working_day(date(2023, 6, 2))  # a Friday
    ru = calendar_for("RU")  # Saturday 27 April 2024 was a transferred working day
    assert ru.is_working_day(date(2024, 4, 27))
    assert not ru.is_working_day(date(2024, 4, 20))


def test_every_calendar_serves_the_deadline_rules() -> None:
    nl, none = calendar_for("NL"), calendar_for("none")
    # 3 working days after Thu 17 Apr 2025 in NL: Tue 22, Wed 23, Thu 24.
    assert due_date(nl, date(2025, 4, 17), 3) == date(2025, 4, 24)
    assert due_date(none, date(2025, 4, 17), 3) == date(2025, 4, 20)
    # paused (17 Apr, 22 Apr]: 1 NL working day, 5 calendar days
    assert paused_working_days(nl, [(date(2025, 4, 17), date(2025, 4, 22))], date(2025, 5, 1)) == 1
    assert paused_working_days(none, [(date(2025, 4, 17), None)], date(2025, 4, 22)) == 5
    # 261 weekdays in 2025, 8 of them NL holidays: 1 Jan, 18 and 21 Apr, 5 and 29 May, 9 Jun,
    # 25 and 26 Dec
    assert nl.working_days_in_year(2025) == 261 - 8
    assert none.working_days_in_year(2024) == 366
    days = nl.table(date(2025, 4, 20), date(2025, 4, 22))
    assert [(d.is_working, d.reason) for d in days] == [
        (False, "Easter Sunday"), (False, "Easter Monday"), (True, None),
    ]  # fmt: skip
    assert days[2].working_day_index - days[0].working_day_index == 1
