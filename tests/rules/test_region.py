"""Kode wilayah (Kepmendagri 300.2.2-2138/2025): the format and the ranges of each level."""

from __future__ import annotations

import pytest

from sigap.rules.region import (
    InvalidRegionCode,
    RegionCode,
    check_agency_region,
    parse_region_code,
)


@pytest.mark.parametrize(
    ("text", "expected", "level"),
    [
        ("32", RegionCode(32), "province"),
        ("32.19", RegionCode(32, 19), "regency"),
        ("32.73", RegionCode(32, 73), "regency"),
        (" 32.19.01 ", RegionCode(32, 19, 1), "district"),
        ("32.19.01.2001", RegionCode(32, 19, 1, "2001"), "village"),
        ("11.01.01.1001", RegionCode(11, 1, 1, "1001"), "village"),
    ],
)
def test_well_formed_codes_parse(text, expected, level):
    code = parse_region_code(text)
    assert code == expected
    assert code.level == level


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("", "format"),
        ("3", "format"),
        ("32.1", "format"),
        ("32-19", "format"),
        ("32.19.1", "format"),
        ("32.19.01.201", "format"),
        ("32.19.01.2001.5", "format"),
        ("ab.cd", "format"),
        ("10", "province"),
        ("00.01", "province"),
        ("32.00", "regency"),
        ("32.70", "regency"),
        ("32.19.00", "district"),
        ("32.19.01.3001", "village"),
        ("32.19.01.2000", "village"),
    ],
)
def test_malformed_codes_are_refused_with_the_rule(text, rule):
    with pytest.raises(InvalidRegionCode) as refused:
        parse_region_code(text)
    assert refused.value.code == rule


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("32.01", "kabupaten"),
        ("32.69", "kabupaten"),
        ("32.71", "kota"),
        ("32.99", "kota"),
        ("32", "provinsi"),
        ("", "kementerian"),
        ("31.71", "kementerian"),
    ],
)
def test_agency_codes_at_their_level(text, kind):
    code = check_agency_region(text, kind)
    assert (code is None) == (text == "")


@pytest.mark.parametrize(
    ("text", "kind", "rule"),
    [
        ("32.71", "kabupaten", "kabupaten_range"),
        ("32.69", "kota", "kota_range"),
        ("32", "kabupaten", "level_regency"),
        ("32.19.01", "kota", "level_regency"),
        ("32.19", "provinsi", "level_province"),
        ("", "kabupaten", "required"),
        ("", "provinsi", "required"),
        ("32.7", "kota", "format"),
    ],
)
def test_agency_codes_of_the_wrong_kind_are_refused(text, kind, rule):
    with pytest.raises(InvalidRegionCode) as refused:
        check_agency_region(text, kind)
    assert refused.value.code == rule
