"""NIP: the 18-digit Nomor Identitas Pegawai Negeri Sipil of a PNS (and CPNS).

Structure, Peraturan Kepala BKN 22/2007 tentang Nomor Identitas PNS (request and issue procedure in
Perka BKN 43/2007), as commonly documented by BKN and regional BKD pages:

    digits 1–8    birth date, yyyymmdd
    digits 9–14   TMT (start) of the first appointment as CPNS, yyyymm (always the 1st of a month)
    digit 15      gender: 1 = male (L), 2 = female (P)
    digits 16–18  serial 001–999 among people sharing the first 15 digits

Printed with spaces between the parts: "19850317 201001 1 002"; stored without them.

Not covered: the NI PPPK (Nomor Induk PPPK) is also 18 digits, but digits 9–14 hold the appointment
year and the number of work contracts, not a yyyymm month, so a NI PPPK usually fails `parse_nip`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

__all__ = [
    "InvalidNip",
    "Nip",
    "NipPart",
    "format_nip",
    "is_valid_nip",
    "make_nip",
    "parse_nip",
]

NIP_LENGTH = 18
# Anyone born before 1940 retired before the 18-digit NIP replaced the 9-digit one (2007–2008);
# an earlier year is a typo.
MIN_BIRTH_YEAR = 1940
# PP 11/2017 Pasal 23(1)(a): a CPNS applicant is at least 18 years old.
MIN_APPOINTMENT_AGE = 18

NipPart = Literal["length", "digits", "birth_date", "appointment", "gender", "serial"]
_GENDER_BY_DIGIT: dict[str, Literal["L", "P"]] = {"1": "L", "2": "P"}
_DIGIT_BY_GENDER = {"L": "1", "P": "2"}


class InvalidNip(ValueError):
    """A NIP that breaks the Perka BKN 22/2007 structure.

    `field` is always "nip" (the form field to attach the error to); `part` says which part is
    wrong; the message (English, for logs and developers) says what was expected. `code` and
    `params` say the same for a person: the web layer turns them into a sentence in the reader's
    language (sigap.web.rule_messages), so this module stays free of Django and translations.
    """

    def __init__(
        self,
        part: NipPart,
        message: str,
        *,
        code: str = "",
        params: dict[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.field = "nip"
        self.part: NipPart = part
        self.message = message
        self.code = code or part
        self.params: dict[str, object] = params or {}


@dataclass(frozen=True)
class Nip:
    """A parsed NIP (Perka BKN 22/2007)."""

    value: str  # the 18 digits, no spaces
    birth_date: date
    appointment_month: tuple[int, int]  # (year, month) of the TMT CPNS
    gender: Literal["L", "P"]
    serial: int


def parse_nip(value: str, *, today: date | None = None) -> Nip:
    """Parse and check a NIP against the structure of Perka BKN 22/2007.

    Spaces are ignored (the printed form has them). Rejects, with `InvalidNip`: anything but 18
    digits; an impossible birth date; a birth year before 1940 or a birth date after `today`; a TMT
    month outside 01–12, before the month the person turns 18 (PP 11/2017 Pasal 23(1)(a)) or after
    `today`; a gender digit other than 1/2; serial 000. The age check is per month, not per day,
    because the NIP has no TMT day. `today` defaults to the system date.
    """
    today = today or date.today()
    digits = _digits(value)

    try:
        birth = date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise InvalidNip(
            "birth_date",
            f"NIP digits 1–8 ({digits[0:8]}) are not a real birth date (yyyymmdd).",
            params={"digits": digits[0:8]},
        ) from None
    if birth.year < MIN_BIRTH_YEAR or birth > today:
        raise InvalidNip(
            "birth_date",
            f"NIP birth date {birth.isoformat()} is out of range "
            f"({MIN_BIRTH_YEAR}-01-01 to {today.isoformat()}).",
            code="birth_range",
            params={"born": birth, "earliest": date(MIN_BIRTH_YEAR, 1, 1), "today": today},
        )

    tmt_year, tmt_month = int(digits[8:12]), int(digits[12:14])
    if not 1 <= tmt_month <= 12:
        raise InvalidNip(
            "appointment",
            f"NIP digits 9–14 ({digits[8:14]}) are not an appointment month (yyyymm): "
            f"month {digits[12:14]} is not 01–12.",
            params={"digits": digits[8:14]},
        )
    if (tmt_year, tmt_month) < (birth.year + MIN_APPOINTMENT_AGE, birth.month):
        raise InvalidNip(
            "appointment",
            f"NIP appointment month {tmt_year}-{tmt_month:02d} is before the person turned "
            f"{MIN_APPOINTMENT_AGE} (born {birth.isoformat()}).",
            code="appointment_age",
            params={"year": tmt_year, "month": tmt_month, "age": MIN_APPOINTMENT_AGE},
        )
    if (tmt_year, tmt_month) > (today.year, today.month):
        raise InvalidNip(
            "appointment",
            f"NIP appointment month {tmt_year}-{tmt_month:02d} is in the future.",
            code="appointment_future",
            params={"year": tmt_year, "month": tmt_month},
        )

    gender = _GENDER_BY_DIGIT.get(digits[14])
    if gender is None:
        raise InvalidNip(
            "gender",
            f"NIP digit 15 (gender) must be 1 (male) or 2 (female), got {digits[14]}.",
            params={"digit": digits[14]},
        )

    serial = int(digits[15:18])
    if serial == 0:
        raise InvalidNip("serial", "NIP digits 16–18 (serial) must be 001–999, got 000.")

    return Nip(
        value=digits,
        birth_date=birth,
        appointment_month=(tmt_year, tmt_month),
        gender=gender,
        serial=serial,
    )


def is_valid_nip(value: str, *, today: date | None = None) -> bool:
    """True if `parse_nip` accepts `value` (Perka BKN 22/2007)."""
    try:
        parse_nip(value, today=today)
    except InvalidNip:
        return False
    return True


def format_nip(value: str) -> str:
    """The printed form of a NIP, "19850317 201001 1 002" (Perka BKN 22/2007 parts).

    Only the shape (18 digits, spaces ignored) is checked, so stored legacy values still print.
    """
    d = _digits(value)
    return f"{d[0:8]} {d[8:14]} {d[14]} {d[15:18]}"


def make_nip(
    birth_date: date,
    appointment_year: int,
    appointment_month: int,
    gender: Literal["L", "P"],
    serial: int,
    *,
    today: date | None = None,
) -> str:
    """Build the 18-digit NIP from its parts (Perka BKN 22/2007), e.g. for demo data.

    The result is checked with `parse_nip`, so impossible parts raise `InvalidNip`.
    """
    if gender not in _DIGIT_BY_GENDER:
        raise InvalidNip("gender", f"gender must be 'L' or 'P', got {gender!r}.")
    if not 1 <= serial <= 999:
        raise InvalidNip("serial", f"serial must be 1–999, got {serial}.")
    if not 1 <= appointment_month <= 12:
        raise InvalidNip("appointment", f"appointment month must be 1–12, got {appointment_month}.")
    if not 1000 <= appointment_year <= 9999:
        raise InvalidNip("appointment", f"appointment year must have 4 digits: {appointment_year}.")
    value = (
        f"{birth_date.year:04d}{birth_date.month:02d}{birth_date.day:02d}"
        f"{appointment_year:04d}{appointment_month:02d}{_DIGIT_BY_GENDER[gender]}{serial:03d}"
    )
    return parse_nip(value, today=today).value


def _digits(value: str) -> str:
    digits = "".join(value.split())
    # isdecimal() alone would let through non-ASCII digits such as Arabic-Indic ones.
    if digits and not (digits.isascii() and digits.isdecimal()):
        raise InvalidNip("digits", "NIP must contain only the digits 0–9 (spaces are ignored).")
    if len(digits) != NIP_LENGTH:
        raise InvalidNip(
            "length",
            f"NIP must be {NIP_LENGTH} digits, got {len(digits)}.",
            params={"expected": NIP_LENGTH, "got": len(digits)},
        )
    return digits
