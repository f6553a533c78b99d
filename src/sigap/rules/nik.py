"""NIK: the 16-digit Nomor Induk Kependudukan of every resident.

Every resident has one NIK for life (UU 23/2006 Pasal 13 as amended by UU 24/2013 on Administrasi
Kependudukan; PP 40/2019 Pasal 30(2): it never changes, not even on moving). Structure as documented
by Ditjen Dukcapil Kemendagri:

    digits 1–2    province code (Kemendagri kode wilayah) where the NIK was first registered
    digits 3–4    kabupaten/kota code
    digits 5–6    kecamatan code
    digits 7–12   birth date ddmmyy; women add 40 to the day (a woman born on the 7th has 47)
    digits 13–16  serial 0001–9999

The NIK is personal data: show `mask_nik(nik)` wherever the full number is not needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

__all__ = [
    "PROVINCE_CODES",
    "InvalidNik",
    "Nik",
    "NikPart",
    "is_valid_nik",
    "mask_nik",
    "parse_nik",
]

NIK_LENGTH = 16
# Kemendagri province codes (kode wilayah; Permendagri 56/2015 and later Kepmendagri updates),
# including the Papua provinces created in 2022 (93–96); new NIKs there carry the new codes.
# fmt: off
PROVINCE_CODES: frozenset[str] = frozenset({
    "11", "12", "13", "14", "15", "16", "17", "18", "19",  # Sumatera
    "21",  # Kepulauan Riau
    "31", "32", "33", "34", "35", "36",  # Jawa
    "51", "52", "53",  # Bali, Nusa Tenggara
    "61", "62", "63", "64", "65",  # Kalimantan
    "71", "72", "73", "74", "75", "76",  # Sulawesi
    "81", "82",  # Maluku
    "91", "92", "93", "94", "95", "96",  # Papua
})
# fmt: on
_FEMALE_DAY_OFFSET = 40
_MASK = "*" * 6

NikPart = Literal["length", "digits", "region", "birth_date", "serial"]


class InvalidNik(ValueError):
    """A NIK that breaks the Dukcapil structure.

    `field` is always "nik"; `part` says which part is wrong; the message (English, for logs and
    developers) says what was expected. `code` and `params` say the same for a person: the web
    layer turns them into a sentence in the reader's language (sigap.web.rule_messages), so this
    module stays free of Django and of translations.
    """

    def __init__(
        self,
        part: NikPart,
        message: str,
        *,
        code: str = "",
        params: dict[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.field = "nik"
        self.part: NikPart = part
        self.message = message
        self.code = code or part
        self.params: dict[str, object] = params or {}


@dataclass(frozen=True)
class Nik:
    """A parsed NIK (UU 23/2006 Pasal 13 jo. UU 24/2013; Dukcapil structure)."""

    value: str  # the 16 digits, no spaces
    province_code: str  # "32"
    regency_code: str  # kabupaten/kota with its province: "3201"
    district_code: str  # kecamatan with its kabupaten/kota and province: "320101"
    birth_date: date
    gender: Literal["L", "P"]
    serial: int


def parse_nik(value: str, *, today: date | None = None) -> Nik:
    """Parse and check a NIK against the Dukcapil structure (UU 23/2006 Pasal 13 jo. UU 24/2013).

    Spaces are ignored. Rejects, with `InvalidNik`: anything but 16 digits; an unknown province code
    or a kabupaten/kota or kecamatan code 00; a birth day outside 01–31 / 41–71, an impossible date
    or one after `today`; serial 0000.

    The year has two digits: the century is the latest one that does not put the birth after
    `today` (so "85" is 1985 and "05" is 2005). A person over about 100 years old is read a
    century too late; the NIK is still valid. `today` defaults to the system date.
    """
    today = today or date.today()
    digits = _digits(value)

    province, regency, district = digits[0:2], digits[2:4], digits[4:6]
    if province not in PROVINCE_CODES:
        raise InvalidNik(
            "region",
            f"NIK digits 1–2: {province} is not an Indonesian province code.",
            code="province",
            params={"code": province},
        )
    if regency == "00":
        raise InvalidNik(
            "region", "NIK digits 3–4 (kabupaten/kota code) cannot be 00.", code="regency"
        )
    if district == "00":
        raise InvalidNik("region", "NIK digits 5–6 (kecamatan code) cannot be 00.", code="district")

    day, month, yy = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    gender: Literal["L", "P"] = "L"
    if day > _FEMALE_DAY_OFFSET:
        gender, day = "P", day - _FEMALE_DAY_OFFSET
    birth = _birth_date(day, month, yy, today)
    if birth is None:
        raise InvalidNik(
            "birth_date",
            f"NIK digits 7–12 ({digits[6:12]}) are not a past birth date "
            "(ddmmyy; women add 40 to the day).",
            params={"digits": digits[6:12]},
        )

    serial = int(digits[12:16])
    if serial == 0:
        raise InvalidNik("serial", "NIK digits 13–16 (serial) must be 0001–9999, got 0000.")

    return Nik(
        value=digits,
        province_code=province,
        regency_code=digits[0:4],
        district_code=digits[0:6],
        birth_date=birth,
        gender=gender,
        serial=serial,
    )


def is_valid_nik(value: str, *, today: date | None = None) -> bool:
    """True if `parse_nik` accepts `value` (UU 23/2006 Pasal 13 jo. UU 24/2013)."""
    try:
        parse_nik(value, today=today)
    except InvalidNik:
        return False
    return True


def mask_nik(nik: str) -> str:
    """The NIK with its six birth-date digits hidden: "3201014506900001" -> "320101******0001".

    Keeps the region code and the serial so staff can still tell two records apart, and hides the
    birth date and gender: personal data to be kept confidential (UU 24/2013 Pasal 79(1); UU 27/2022
    on Pelindungan Data Pribadi, Pasal 4), as commonly cited. Only the shape (16 digits, spaces
    ignored) is checked, so stored legacy values can still be shown masked.
    """
    d = _digits(nik)
    return f"{d[0:6]}{_MASK}{d[12:16]}"


def _birth_date(day: int, month: int, yy: int, today: date) -> date | None:
    for century in (2000, 1900):
        try:
            born = date(century + yy, month, day)
        except ValueError:
            continue
        if born <= today:
            return born
    return None


def _digits(value: str) -> str:
    digits = "".join(value.split())
    # isdecimal() alone would let through non-ASCII digits such as Arabic-Indic ones.
    if digits and not (digits.isascii() and digits.isdecimal()):
        raise InvalidNik("digits", "NIK must contain only the digits 0–9 (spaces are ignored).")
    if len(digits) != NIK_LENGTH:
        raise InvalidNik(
            "length",
            f"NIK must be {NIK_LENGTH} digits, got {len(digits)}.",
            params={"expected": NIK_LENGTH, "got": len(digits)},
        )
    return digits
