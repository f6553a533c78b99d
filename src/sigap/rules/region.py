"""Kode wilayah: the Kemendagri region code of an agency (Kepmendagri 300.2.2-2138/2025).

Format `PP.KK.CC.DDDD` (the integration notes, §5 "Kode wilayah"; docs/open-data.md):

    PP      province, 11 (Aceh) to 99
    KK      kabupaten 01–69, kota 71–99 (00 and 70 are no regency)
    CC      kecamatan, 01–99
    DDDD    village: the first digit is 1 for a kelurahan, 2 for a desa

A code is written down to the level it names: "32" a province, "32.19" a kabupaten, "32.19.01" a
kecamatan, "32.19.01.2001" a desa. An agency's own code is at its level: a province "PP", a
kabupaten or kota "PP.KK" (with the range of its kind), a ministry none (or any well-formed code
of the office it sits in).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["InvalidRegionCode", "RegionCode", "check_agency_region", "parse_region_code"]

_FORMAT = re.compile(r"\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?")
KABUPATEN = range(1, 70)  # 01–69
KOTA = range(71, 100)  # 71–99


class InvalidRegionCode(ValueError):
    """A region code the format or the agency's kind refuses.

    `code` says which rule (for the sentence a person reads, written by the caller in the
    reader's language); the message is English, for logs and developers.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class RegionCode:
    province: int
    regency: int | None = None  # KK
    district: int | None = None  # CC
    village: str | None = None  # DDDD

    @property
    def level(self) -> str:
        if self.village is not None:
            return "village"
        if self.district is not None:
            return "district"
        if self.regency is not None:
            return "regency"
        return "province"

    @property
    def is_kota(self) -> bool:
        return self.regency is not None and self.regency in KOTA


def parse_region_code(value: str) -> RegionCode:
    """Parse "PP", "PP.KK", "PP.KK.CC" or "PP.KK.CC.DDDD" (digits), checking every range."""
    text = value.strip()
    if not _FORMAT.fullmatch(text):
        raise InvalidRegionCode(
            "format", f"{text!r} is not PP, PP.KK, PP.KK.CC or PP.KK.CC.DDDD in digits"
        )
    parts = text.split(".")
    province = int(parts[0])
    if province < 11:
        raise InvalidRegionCode("province", f"province {parts[0]} is not 11–99")
    regency = district = None
    village = None
    if len(parts) > 1:
        regency = int(parts[1])
        if regency not in KABUPATEN and regency not in KOTA:
            raise InvalidRegionCode(
                "regency", f"regency {parts[1]} is neither a kabupaten (01–69) nor a kota (71–99)"
            )
    if len(parts) > 2:
        district = int(parts[2])
        if district == 0:
            raise InvalidRegionCode("district", "kecamatan 00 does not exist")
    if len(parts) > 3:
        village = parts[3]
        if village[0] not in "12" or village[1:] == "000":
            raise InvalidRegionCode(
                "village", f"village {village} is not 1xxx (kelurahan) or 2xxx (desa), xxx > 000"
            )
    return RegionCode(province, regency, district, village)


def check_agency_region(value: str, kind: str) -> RegionCode | None:
    """The region code of an agency of `kind` ("kabupaten", "kota", "provinsi", "kementerian").

    A kabupaten has "PP.KK" with KK 01–69, a kota "PP.KK" with KK 71–99, a province "PP"; a
    ministry may have none (None) or any well-formed code. Raises `InvalidRegionCode`.
    """
    text = value.strip()
    if not text:
        if kind == "kementerian":
            return None
        raise InvalidRegionCode("required", f"a {kind} needs its region code")
    code = parse_region_code(text)
    if kind == "provinsi" and code.level != "province":
        raise InvalidRegionCode("level_province", "a province's code is PP")
    if kind in ("kabupaten", "kota"):
        if code.level != "regency":
            raise InvalidRegionCode("level_regency", f"a {kind}'s code is PP.KK")
        if kind == "kabupaten" and code.is_kota:
            raise InvalidRegionCode("kabupaten_range", "a kabupaten's KK is 01–69")
        if kind == "kota" and not code.is_kota:
            raise InvalidRegionCode("kota_range", "a kota's KK is 71–99")
    return code
