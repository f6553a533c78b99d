"""SKP rules of PermenPANRB 6/2022, table-driven from rules.md §2."""

from __future__ import annotations

import doctest
from decimal import Decimal

import pytest

from sigap.rules import skp
from sigap.rules.skp import (
    BERAKHLAK,
    InvalidRating,
    OrgPredikat,
    Predikat,
    angka_kredit,
    distribution_breaches,
    evaluation_periods,
    predikat,
)

SB, B, BP, K, SK = (
    Predikat.SANGAT_BAIK,
    Predikat.BAIK,
    Predikat.BUTUH_PERBAIKAN,
    Predikat.KURANG,
    Predikat.SANGAT_KURANG,
)


# §2.1: the 9 entries of the matrix, (hasil kerja, perilaku kerja) -> predikat
@pytest.mark.parametrize(
    ("hasil", "perilaku", "expected"),
    [
        ("di_atas", "di_bawah", K),
        ("di_atas", "sesuai", B),
        ("di_atas", "di_atas", SB),
        ("sesuai", "di_bawah", K),
        ("sesuai", "sesuai", B),
        ("sesuai", "di_atas", B),
        ("di_bawah", "di_bawah", SK),
        ("di_bawah", "sesuai", BP),
        ("di_bawah", "di_atas", BP),
    ],
)
def test_predikat_matrix_follows_the_lampiran(hasil, perilaku, expected):
    assert predikat(hasil, perilaku) is expected


def test_predikat_labels_use_the_regulation_words():
    assert [p.label for p in Predikat] == [
        "Sangat Baik",
        "Baik",
        "Butuh Perbaikan",
        "Kurang/Misconduct",
        "Sangat Kurang",
    ]


@pytest.mark.parametrize(("hasil", "perilaku"), [("baik", "sesuai"), ("sesuai", ""), ("4", "3")])
def test_a_rating_outside_the_matrix_is_refused(hasil, perilaku):
    with pytest.raises(InvalidRating):
        predikat(hasil, perilaku)


# §2.2 distribution guide (UNCERTAIN): the rules.md vectors and one per rule
@pytest.mark.parametrize(
    ("org", "counts", "broken"),
    [
        # org Baik, 20 staff: at most 14 Baik and at least 1 of {BP, K}
        ("baik", {B: 14, SB: 5, BP: 1}, []),
        ("baik", {B: 15, SB: 4, BP: 1}, ["baik.b_max"]),
        ("baik", {B: 14, SB: 6}, ["baik.bp_k_some"]),
        ("baik", {B: 13, SB: 6, K: 1}, []),
        ("baik", {B: 20}, ["baik.b_max", "baik.bp_k_some"]),
        # Sangat Kurang with any Sangat Baik is invalid
        ("sangat_kurang", {SK: 6, K: 2, B: 1, SB: 1}, ["sk.sb_none"]),
        ("sangat_kurang", {SK: 6, K: 2, B: 2}, []),
        ("sangat_kurang", {SK: 5, K: 2, B: 3}, ["sk.sk_min"]),
        ("sangat_kurang", {SK: 9, B: 1}, ["sk.k_bp_min"]),
        ("istimewa", {SB: 7, B: 3}, []),
        ("istimewa", {SB: 8, B: 2}, ["istimewa.sb_max"]),
        ("butuh_perbaikan", {BP: 6, SB: 1, B: 3}, []),
        ("butuh_perbaikan", {BP: 5, B: 5}, ["bp.bp_min"]),
        ("butuh_perbaikan", {BP: 6, SB: 2, B: 2}, ["bp.sb_max"]),
        ("kurang", {K: 6, BP: 1, SB: 1, B: 2}, []),
        ("kurang", {K: 6, B: 4}, ["kurang.bp_min"]),
        ("kurang", {K: 5, BP: 3, B: 2}, ["kurang.k_min"]),
        ("kurang", {K: 6, BP: 1, SB: 2, B: 1}, ["kurang.sb_max"]),
    ],
)
def test_distribution_guide(org, counts, broken):
    assert [b.rule for b in distribution_breaches(org, counts)] == broken


def test_twenty_staff_org_baik_allows_fourteen_baik():
    (breach,) = distribution_breaches(OrgPredikat.BAIK, {B: 15, BP: 5})
    assert (breach.limit, breach.actual, breach.kind) == (14, 15, "max")


@pytest.mark.parametrize(
    ("rounding", "counts", "broken"),
    [
        # 5 staff, max 70% Baik: strict allows 3 (3.5 rounded down), nearest allows 4
        ("strict", {B: 4, BP: 1}, ["baik.b_max"]),
        ("nearest", {B: 4, BP: 1}, []),
    ],
)
def test_small_team_rounding_is_a_setting(rounding, counts, broken):
    assert [b.rule for b in distribution_breaches("baik", counts, rounding=rounding)] == broken


def test_an_empty_unit_breaks_nothing_and_bad_input_is_refused():
    assert distribution_breaches("baik", {}) == []
    with pytest.raises(InvalidRating):
        distribution_breaches("luar_biasa", {B: 1})
    with pytest.raises(ValueError):
        distribution_breaches("baik", {B: -1})


# §2.3 periods
@pytest.mark.parametrize(
    ("kind", "count", "last"),
    [("bulanan", 12, (12, "2025-12-01", "2025-12-31")),
     ("triwulanan", 4, (4, "2025-10-01", "2025-12-31")),
     ("semesteran", 2, (2, "2025-07-01", "2025-12-31"))],
)  # fmt: skip
def test_evaluation_periods_cover_the_year(kind, count, last):
    periods = evaluation_periods(kind, 2025)
    assert len(periods) == count
    number, start, end = periods[-1]
    assert (number, start.isoformat(), end.isoformat()) == last
    assert periods[0][1].isoformat() == "2025-01-01"
    assert all(
        periods[i][2].toordinal() + 1 == periods[i + 1][1].toordinal() for i in range(count - 1)
    )


def test_unknown_period_is_refused():
    with pytest.raises(InvalidRating):
        evaluation_periods("mingguan", 2025)


# §2.4 BerAKHLAK
def test_berakhlak_has_seven_values_with_three_indicators_each():
    assert [v.name for v in BERAKHLAK] == [
        "Berorientasi Pelayanan",
        "Akuntabel",
        "Kompeten",
        "Harmonis",
        "Loyal",
        "Adaptif",
        "Kolaboratif",
    ]
    assert all(len(v.indicators) == 3 for v in BERAKHLAK)
    assert BERAKHLAK[5].indicators[2] == "Bertindak proaktif"


# §2.5 angka kredit
@pytest.mark.parametrize(
    ("pred", "koef", "months", "expected"),
    [
        ("sangat_baik", "12.5", 12, Decimal("18.75")),  # Ahli Pertama, full year
        ("baik", "12.5", 2, Decimal("2.08")),  # Ahli Pertama, Baik, 2 months (2 dp)
        ("baik", "37.5", 12, Decimal("37.5")),  # Ahli Madya (guru example)
        ("butuh_perbaikan", "12.5", 12, Decimal("9.375")),  # Ahli Pertama
        ("kurang", "12.5", 12, Decimal("6.25")),
        ("sangat_kurang", "12.5", 12, Decimal("3.125")),
    ],
)
def test_angka_kredit_conversion(pred, koef, months, expected):
    places = -expected.as_tuple().exponent  # type: ignore[operator]
    assert round(angka_kredit(pred, koef, months), places) == expected


@pytest.mark.parametrize(("months", "koef"), [(0, "12.5"), (13, "12.5"), (12, "0")])
def test_angka_kredit_refuses_bad_months_and_coefficients(months, koef):
    with pytest.raises(ValueError):
        angka_kredit("baik", koef, months)


def test_verified_coefficients_are_marked():
    assert skp.KOEFISIEN_AK["Ahli Pertama"] == Decimal("12.5")
    assert skp.KOEFISIEN_AK["Ahli Madya"] == Decimal("37.5")
    assert {"Ahli Pertama", "Ahli Madya"} == skp.KOEFISIEN_AK_VERIFIED


@pytest.mark.parametrize(
    "module", ["sigap.rules.skp", "sigap.rules.talent", "sigap.rules.discipline"]
)
def test_docstring_examples(module):
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.failed == 0 and result.attempted > 0
