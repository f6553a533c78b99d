"""NIP structure (Perka BKN 22/2007): birth date, TMT CPNS, gender, serial."""

from __future__ import annotations

from datetime import date

import pytest

from sigap.rules.nip import InvalidNip, Nip, format_nip, is_valid_nip, make_nip, parse_nip

TODAY = date(2025, 6, 30)  # a fixed clock, so "in the future" does not drift


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "198503172010011002",
            Nip("198503172010011002", date(1985, 3, 17), (2010, 1), "L", 2),
        ),
        (
            "19850317 201001 1 002",  # the printed form
            Nip("198503172010011002", date(1985, 3, 17), (2010, 1), "L", 2),
        ),
        (
            "199602292019032999",  # born on 29 February, female, the last serial
            Nip("199602292019032999", date(1996, 2, 29), (2019, 3), "P", 999),
        ),
        (
            "198003172010081001",  # appointed at 30: any age from 18 up is fine
            Nip("198003172010081001", date(1980, 3, 17), (2010, 8), "L", 1),
        ),
        (
            "200103152019031001",  # appointed in the month the person turns 18: allowed
            Nip("200103152019031001", date(2001, 3, 15), (2019, 3), "L", 1),
        ),
        (
            "199001012025061001",  # appointed this month
            Nip("199001012025061001", date(1990, 1, 1), (2025, 6), "L", 1),
        ),
    ],
)
def test_valid_nip(value: str, expected: Nip) -> None:
    assert parse_nip(value, today=TODAY) == expected
    assert is_valid_nip(value, today=TODAY)


@pytest.mark.parametrize(
    ("value", "part", "message"),
    [
        ("19850317201001100", "length", "18 digits, got 17"),
        ("1985031720100110021", "length", "18 digits, got 19"),
        ("", "length", "18 digits, got 0"),
        ("19850317-201001-1-002", "digits", "only the digits"),
        ("19850317201001100A", "digits", "only the digits"),
        ("١٩٨٥٠٣١٧٢٠١٠٠١١٠٠٢", "digits", "only the digits"),  # Arabic-Indic digits
        ("199902312019011001", "birth_date", "not a real birth date"),  # 31 February
        ("198513172010011002", "birth_date", "not a real birth date"),  # month 13
        ("193912312010011001", "birth_date", "out of range"),  # born before 1940
        ("202507012025071001", "birth_date", "out of range"),  # born after today
        ("198503172010001002", "appointment", "month 00"),
        ("198503172010131002", "appointment", "month 13"),
        ("198503172003021002", "appointment", "before the person turned 18"),
        ("198503172025071002", "appointment", "in the future"),
        ("198503172010013002", "gender", "got 3"),
        ("198503172010010002", "gender", "got 0"),
        ("198503172010011000", "serial", "got 000"),
    ],
)
def test_invalid_nip(value: str, part: str, message: str) -> None:
    with pytest.raises(InvalidNip, match=message) as caught:
        parse_nip(value, today=TODAY)
    assert caught.value.part == part
    assert caught.value.field == "nip"
    assert isinstance(caught.value, ValueError)
    assert not is_valid_nip(value, today=TODAY)


def test_today_defaults_to_the_system_date() -> None:
    assert parse_nip("198503172010011002").appointment_month == (2010, 1)
    assert is_valid_nip("198503172010011002")


@pytest.mark.parametrize(
    ("value", "printed"),
    [
        ("198503172010011002", "19850317 201001 1 002"),
        ("19850317 201001 1 002", "19850317 201001 1 002"),
        (" 199602292019032999 ", "19960229 201903 2 999"),
    ],
)
def test_format_nip(value: str, printed: str) -> None:
    assert format_nip(value) == printed


def test_format_nip_checks_only_the_shape() -> None:
    assert format_nip("193912312010011000") == "19391231 201001 1 000"  # legacy value prints
    with pytest.raises(InvalidNip, match="18 digits"):
        format_nip("1985031720100110")


def test_make_nip_round_trips() -> None:
    value = make_nip(date(1985, 3, 17), 2010, 1, "L", 2, today=TODAY)
    assert value == "198503172010011002"
    assert parse_nip(value, today=TODAY).birth_date == date(1985, 3, 17)
    assert make_nip(date(1996, 2, 29), 2019, 3, "P", 999) == "199602292019032999"


@pytest.mark.parametrize(
    ("args", "part"),
    [
        ((date(1985, 3, 17), 2010, 1, "L", 0), "serial"),
        ((date(1985, 3, 17), 2010, 1, "L", 1000), "serial"),
        ((date(1985, 3, 17), 2010, 13, "L", 1), "appointment"),
        ((date(1985, 3, 17), 2010, 0, "L", 1), "appointment"),
        ((date(1985, 3, 17), 10, 1, "L", 1), "appointment"),
        ((date(1985, 3, 17), 2002, 1, "L", 1), "appointment"),  # aged 16
        ((date(1985, 3, 17), 2010, 1, "X", 1), "gender"),
        ((date(1935, 3, 17), 2010, 1, "L", 1), "birth_date"),
    ],
)
def test_make_nip_rejects_impossible_parts(
    args: tuple[date, int, int, str, int], part: str
) -> None:
    with pytest.raises(InvalidNip) as caught:
        make_nip(*args, today=TODAY)  # type: ignore[arg-type]
    assert caught.value.part == part
