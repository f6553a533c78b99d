"""IKM (PermenPANRB 14/2017): the vectors of rules.md §1.7 and the interpretation table."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sigap.rules.ikm import (
    ELEMENT_CODES,
    ELEMENTS,
    ElementTally,
    Mutu,
    Weighting,
    element,
    ikm_from_nrr,
    ikm_from_tallies,
    mutu_for,
    nrr,
)

T2 = [3.2, 3.1, 3.0, 3.4, 3.3, 3.2, 3.5, 2.9, 3.0]


def test_t2_synthetic_vector_with_exact_weight_is_79_44_grade_b():
    ikm = ikm_from_nrr(T2)
    assert ikm == Decimal("79.44")
    assert mutu_for(ikm) is Mutu.B and Mutu.B.kinerja == "Baik"


def test_t2_synthetic_vector_with_printed_weight_is_79_37_grade_b():
    ikm = ikm_from_nrr(T2, Weighting.PRINTED)
    assert ikm == Decimal("79.37")
    assert mutu_for(ikm) is Mutu.B


@pytest.mark.parametrize(
    ("ikm", "grade"),
    [
        ("100", "A"),
        ("88.31", "A"),
        ("88.30", "B"),
        ("76.61", "B"),
        ("76.60", "C"),
        ("65.00", "C"),
        ("64.99", "D"),
        ("25.00", "D"),
    ],
)
def test_t3_boundaries(ikm, grade):
    assert mutu_for(Decimal(ikm)) == grade


@pytest.mark.parametrize(
    ("answer", "ikm", "grade", "kinerja"),
    [
        (4, "100.00", "A", "Sangat Baik"),
        (3, "75.00", "C", "Kurang Baik"),
        (2, "50.00", "D", "Tidak Baik"),
        (1, "25.00", "D", "Tidak Baik"),
    ],
)
def test_everyone_giving_the_same_answer(answer, ikm, grade, kinerja):
    result = ikm_from_tallies(
        [ElementTally(c, answer * 7, 7) for c in ELEMENT_CODES], respondents=7
    )
    assert result.ikm == Decimal(ikm)
    assert result.mutu == grade and result.kinerja == kinerja


def test_all_fours_with_printed_weight_gives_the_99_90_of_hand_made_sheets():
    assert ikm_from_nrr([4] * 9, Weighting.PRINTED) == Decimal("99.90")


def test_all_threes_is_grade_c_not_b():
    assert mutu_for(ikm_from_nrr([3] * 9)) is Mutu.C


def test_mutu_rounds_to_two_decimals_before_comparing():
    assert mutu_for(Decimal("88.305")) is Mutu.A  # rounds half up to 88.31
    assert mutu_for(Decimal("88.304")) is Mutu.B


def test_mutu_refuses_an_ikm_off_the_scale():
    with pytest.raises(ValueError):
        mutu_for(24.99)
    with pytest.raises(ValueError):
        mutu_for(100.01)


def test_nrr_divides_by_filled_answers_only():
    assert nrr([4, 3, None, 2]) == Decimal(3)
    assert nrr([None, None]) is None


@pytest.mark.parametrize("bad", [0, 5, -1])
def test_nrr_refuses_an_answer_outside_1_to_4(bad):
    with pytest.raises(ValueError):
        nrr([3, bad])


def test_ikm_from_a_mapping_is_independent_of_order():
    by_code = dict(zip(ELEMENT_CODES, T2, strict=True))
    reordered = dict(reversed(list(by_code.items())))
    assert ikm_from_nrr(reordered) == ikm_from_nrr(T2)


def test_ikm_needs_all_nine_elements():
    with pytest.raises(ValueError):
        ikm_from_nrr(T2[:8])
    with pytest.raises(ValueError):
        ikm_from_nrr({c: 3 for c in ELEMENT_CODES[:8]})


def test_ikm_refuses_an_nrr_off_the_scale():
    with pytest.raises(ValueError):
        ikm_from_nrr([4.5] + [3] * 8)


def test_the_weakest_element_is_the_improvement_priority():
    tallies = [ElementTally(c, 30, 10) for c in ELEMENT_CODES if c != "waktu"]
    result = ikm_from_tallies([*tallies, ElementTally("waktu", 18, 10)], respondents=10)
    assert result.weakest == ("waktu",)
    assert result.nrr["waktu"] == Decimal("1.8")


def test_a_skipped_element_gives_no_ikm_but_still_the_nrr_of_the_others():
    tallies = [ElementTally(c, 30, 10) for c in ELEMENT_CODES if c != "biaya"]
    result = ikm_from_tallies(tallies, respondents=10)
    assert result.ikm is None and result.mutu is None
    assert result.nrr["biaya"] is None and result.nrr["waktu"] == 3


def test_an_impossible_tally_is_refused():
    with pytest.raises(ValueError):
        ikm_from_tallies([ElementTally("waktu", 50, 10)], respondents=10)
    with pytest.raises(ValueError):
        ikm_from_tallies([ElementTally("maklumat", 30, 10)], respondents=10)


def test_nine_elements_with_stable_codes_in_regulation_order():
    assert [e.code for e in ELEMENTS] == [
        "persyaratan",
        "prosedur",
        "waktu",
        "biaya",
        "produk",
        "kompetensi",
        "perilaku",
        "pengaduan",
        "sarana",
    ]
    assert [e.number for e in ELEMENTS] == list(range(1, 10))
    assert element("biaya").labels == ("Sangat mahal", "Cukup mahal", "Murah", "Gratis")
    assert element("sarana").labels[3] == "Sangat Baik"


def test_weighted_nrr_as_on_the_processing_form():
    result = ikm_from_tallies(
        [ElementTally(c, 32, 10) for c in ELEMENT_CODES], 10, Weighting.PRINTED
    )
    assert result.nrr_weighted("waktu") == Decimal("3.2") * Decimal("0.111")
