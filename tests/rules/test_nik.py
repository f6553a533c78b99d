"""NIK structure (UU 23/2006 Pasal 13 jo. UU 24/2013; Dukcapil): region, ddmmyy (+40), serial."""

from __future__ import annotations

from datetime import date

import pytest

from sigap.rules.nik import InvalidNik, Nik, is_valid_nik, mask_nik, parse_nik

TODAY = date(2025, 6, 30)  # a fixed clock, so the century choice does not drift


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (  # the example Dukcapil uses: Banten, Kab. Serang, born 12 November 1987
            "3602041211870001",
            Nik("3602041211870001", "36", "3602", "360204", date(1987, 11, 12), "L", 1),
        ),
        (  # a woman born on the 17th has 57
            "3201015703850002",
            Nik("3201015703850002", "32", "3201", "320101", date(1985, 3, 17), "P", 2),
        ),
        (  # spaces are ignored
            "3201 0117 0385 0001",
            Nik("3201011703850001", "32", "3201", "320101", date(1985, 3, 17), "L", 1),
        ),
        (  # day 31 + 40 = 71, the highest day code
            "3578017112999999",
            Nik("3578017112999999", "35", "3578", "357801", date(1999, 12, 31), "P", 9999),
        ),
        (  # Papua Pegunungan, a province created in 2022 (Kemendagri code 95)
            "9501011703230001",
            Nik("9501011703230001", "95", "9501", "950101", date(2023, 3, 17), "L", 1),
        ),
        (  # 29 February 2000: "00" is read as 2000, a leap year
            "3201016902000001",
            Nik("3201016902000001", "32", "3201", "320101", date(2000, 2, 29), "P", 1),
        ),
    ],
)
def test_valid_nik(value: str, expected: Nik) -> None:
    assert parse_nik(value, today=TODAY) == expected
    assert is_valid_nik(value, today=TODAY)


@pytest.mark.parametrize(
    ("birth_digits", "born"),
    [
        ("170305", date(2005, 3, 17)),
        ("300625", date(2025, 6, 30)),  # born today: this century
        ("010725", date(1925, 7, 1)),  # tomorrow in 2025, so 1925
        ("170385", date(1985, 3, 17)),
        ("010100", date(2000, 1, 1)),
    ],
)
def test_two_digit_year_takes_the_latest_century_not_in_the_future(
    birth_digits: str, born: date
) -> None:
    assert parse_nik(f"320101{birth_digits}0001", today=TODAY).birth_date == born


@pytest.mark.parametrize(
    ("value", "part", "message"),
    [
        ("320101170385000", "length", "16 digits, got 15"),
        ("32010117038500011", "length", "16 digits, got 17"),
        ("", "length", "16 digits, got 0"),
        ("3201-0117-0385-0001", "digits", "only the digits"),
        ("32010117038500O1", "digits", "only the digits"),  # letter O
        ("9901011703850001", "region", "99 is not"),
        ("0001011703850001", "region", "00 is not"),
        ("2001011703850001", "region", "20 is not"),
        ("3200011703850001", "region", "kabupaten/kota code"),
        ("3201001703850001", "region", "kecamatan code"),
        ("3201010003850001", "birth_date", "not a past birth date"),  # day 00
        ("3201013203850001", "birth_date", "not a past birth date"),  # day 32
        ("3201014003850001", "birth_date", "not a past birth date"),  # day 40 = woman's 0
        ("3201017203850001", "birth_date", "not a past birth date"),  # day 72 = woman's 32
        ("3201011713850001", "birth_date", "not a past birth date"),  # month 13
        ("3201013104850001", "birth_date", "not a past birth date"),  # 31 April
        ("3201012902010001", "birth_date", "not a past birth date"),  # 29 Feb 2001 and 1901
        ("3201011703850000", "serial", "got 0000"),
    ],
)
def test_invalid_nik(value: str, part: str, message: str) -> None:
    with pytest.raises(InvalidNik, match=message) as caught:
        parse_nik(value, today=TODAY)
    assert caught.value.part == part
    assert caught.value.field == "nik"
    assert isinstance(caught.value, ValueError)
    assert not is_valid_nik(value, today=TODAY)


def test_today_defaults_to_the_system_date() -> None:
    assert parse_nik("3602041211870001").birth_date == date(1987, 11, 12)


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("3201015703850002", "320101******0002"),
        ("3602 0412 1187 0001", "360204******0001"),
        ("9901010000000000", "990101******0000"),  # only the shape is checked: legacy data
    ],
)
def test_mask_nik_hides_the_birth_date(value: str, masked: str) -> None:
    assert mask_nik(value) == masked


@pytest.mark.parametrize("value", ["320101570385000", "32010157038500021", "3201-0157-0385-0002"])
def test_mask_nik_rejects_a_value_that_is_not_16_digits(value: str) -> None:
    with pytest.raises(InvalidNik):
        mask_nik(value)
