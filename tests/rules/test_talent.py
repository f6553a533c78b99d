"""Talent 9-box of PermenPANRB 3/2020, table-driven from rules.md §3."""

from __future__ import annotations

import pytest

from sigap.rules.skp import InvalidRating, Predikat
from sigap.rules.talent import (
    BOX_RECOMMENDATIONS,
    Potential,
    SuccessionGroup,
    box_label,
    merit_recommendations,
    nine_box,
    performance_axis,
    potential_level,
    succession_groups,
)

# §3.1: the whole grid, (potensial, kinerja) -> box
GRID = [
    ("tinggi", "di_bawah", 6), ("tinggi", "sesuai", 8), ("tinggi", "di_atas", 9),
    ("menengah", "di_bawah", 3), ("menengah", "sesuai", 5), ("menengah", "di_atas", 7),
    ("rendah", "di_bawah", 1), ("rendah", "sesuai", 2), ("rendah", "di_atas", 4),
]  # fmt: skip


@pytest.mark.parametrize(("potential", "kinerja", "box"), GRID)
def test_nine_box_uses_the_regulation_numbering(potential, kinerja, box):
    assert nine_box(potential, kinerja) == box


def test_not_the_diagonal_layout():
    # The common diagonal layout would put 3 at (tinggi, di bawah) and 7 at (rendah, di atas).
    assert nine_box("tinggi", "di_bawah") == 6
    assert nine_box("rendah", "di_atas") == 4


def test_box_labels():
    assert box_label(9) == "Kinerja di atas ekspektasi dan potensial tinggi"
    assert box_label(1) == "Kinerja di bawah ekspektasi dan potensial rendah"


# §3.2 recommendations, word for word (first item of each box) and counts
@pytest.mark.parametrize(
    ("box", "first", "count"),
    [
        (9, "Dipromosikan dan dipertahankan", 3),
        (8, "Dipertahankan", 4),
        (7, "Dipertahankan", 5),
        (6, "Penempatan yang sesuai", 3),
        (5, "Penempatan yang sesuai", 3),
        (4, "Rotasi", 2),
        (3, "Bimbingan kinerja", 4),
        (2, "Bimbingan kinerja", 3),
        (1, "Diproses sesuai ketentuan peraturan perundang-undangan", 1),
    ],
)
def test_box_recommendations(box, first, count):
    assert BOX_RECOMMENDATIONS[box][0] == first
    assert len(BOX_RECOMMENDATIONS[box]) == count


@pytest.mark.parametrize(
    ("box", "groups"),
    [
        (9, {SuccessionGroup.INSTANSI, SuccessionGroup.NASIONAL}),
        (8, {SuccessionGroup.INSTANSI}),
        (7, {SuccessionGroup.INSTANSI}),
        *[(b, set()) for b in range(1, 7)],
    ],
)
def test_succession_groups(box, groups):
    assert succession_groups(box) == groups


@pytest.mark.parametrize(
    ("pred", "axis"),
    [("sangat_baik", "di_atas"), ("baik", "sesuai"), ("butuh_perbaikan", "di_bawah"),
     ("kurang", "di_bawah"), ("sangat_kurang", "di_bawah")],
)  # fmt: skip
def test_performance_axis_from_predikat(pred, axis):
    assert performance_axis(pred) == axis


@pytest.mark.parametrize(
    ("score", "level"),
    [(0, Potential.RENDAH), (77.99, Potential.RENDAH), (78, Potential.MENENGAH),
     (89.9, Potential.MENENGAH), (90, Potential.TINGGI), (100, Potential.TINGGI)],
)  # fmt: skip
def test_potential_cutoffs_default_to_the_jpm_bands(score, level):
    assert potential_level(score) is level


def test_potential_cutoffs_are_configurable():
    assert potential_level(61, (61, 81)) is Potential.MENENGAH
    assert potential_level(81, (61, 81)) is Potential.TINGGI


@pytest.mark.parametrize("score", [-0.1, 100.5, 150])
def test_potential_score_out_of_range_is_refused(score):
    with pytest.raises(ValueError, match="between 0 and 100"):
        potential_level(score)


def test_unknown_potential_is_refused():
    with pytest.raises(InvalidRating):
        nine_box("sedang", "sesuai")
    with pytest.raises(ValueError):
        succession_groups(10)


SB, B, BP, K = Predikat.SANGAT_BAIK, Predikat.BAIK, Predikat.BUTUH_PERBAIKAN, Predikat.KURANG


@pytest.mark.parametrize(
    ("history", "box", "codes"),
    [
        ([B], 9, ["recognition"]),
        ([SB, SB], 7, ["recognition"]),
        ([B, SB], 7, []),
        ([SB], None, []),
        ([SB, BP], 3, ["coaching"]),
        ([B, K], 1, ["counselling"]),
        ([], None, []),
    ],
)
def test_merit_recommendations(history, box, codes):
    assert [a.code for a in merit_recommendations(history, box)] == codes
