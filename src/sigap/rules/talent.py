"""Talent management 9-box (PermenPANRB 3/2020 tentang Manajemen Talenta ASN).

The box numbering is the regulation's, not the common "diagonal" layout:

    Potensial ↓ / Kinerja →   di bawah  sesuai  di atas
    Tinggi                        6        8       9
    Menengah                      3        5       7
    Rendah                        1        2       4

Recommendations per box and the succession groups (instansi: 7–9; nasional: 9) follow the same
sources (BKN KMS as reproduced in public code). The performance axis from the SKP predikat and
the potential cut-offs are UNCERTAIN (instansi-defined) and therefore parameters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from sigap.rules.skp import InvalidRating, Predikat, Rating, parse_rating

__all__ = [
    "BOX_RECOMMENDATIONS",
    "NINE_BOX",
    "Potential",
    "SuccessionGroup",
    "TalentAdvice",
    "box_label",
    "merit_recommendations",
    "nine_box",
    "performance_axis",
    "potential_level",
    "succession_groups",
]


class Potential(StrEnum):
    RENDAH = "rendah"
    MENENGAH = "menengah"
    TINGGI = "tinggi"


class SuccessionGroup(StrEnum):
    INSTANSI = "instansi"  # Kelompok Rencana Suksesi Instansi: boxes 7, 8, 9
    NASIONAL = "nasional"  # Kelompok Rencana Suksesi Nasional: box 9


NINE_BOX: Mapping[tuple[Potential, Rating], int] = {
    (Potential.TINGGI, Rating.DI_BAWAH): 6,
    (Potential.TINGGI, Rating.SESUAI): 8,
    (Potential.TINGGI, Rating.DI_ATAS): 9,
    (Potential.MENENGAH, Rating.DI_BAWAH): 3,
    (Potential.MENENGAH, Rating.SESUAI): 5,
    (Potential.MENENGAH, Rating.DI_ATAS): 7,
    (Potential.RENDAH, Rating.DI_BAWAH): 1,
    (Potential.RENDAH, Rating.SESUAI): 2,
    (Potential.RENDAH, Rating.DI_ATAS): 4,
}
"""(potensial, kinerja) -> box, PermenPANRB 3/2020."""

BOX_RECOMMENDATIONS: Mapping[int, tuple[str, ...]] = {
    9: (
        "Dipromosikan dan dipertahankan",
        "Masuk Kelompok Rencana Suksesi Instansi/Nasional",
        "Penghargaan",
    ),
    8: (
        "Dipertahankan",
        "Masuk Kelompok Rencana Suksesi Instansi",
        "Rotasi/Perluasan jabatan",
        "Bimbingan kinerja",
    ),
    7: (
        "Dipertahankan",
        "Masuk Kelompok Rencana Suksesi Instansi",
        "Rotasi/Pengayaan jabatan",
        "Pengembangan kompetensi",
        "Tugas belajar",
    ),
    6: ("Penempatan yang sesuai", "Bimbingan kinerja", "Konseling kinerja"),
    5: ("Penempatan yang sesuai", "Bimbingan kinerja", "Pengembangan kompetensi"),
    4: ("Rotasi", "Pengembangan kompetensi"),
    3: (
        "Bimbingan kinerja",
        "Konseling kinerja",
        "Pengembangan kompetensi",
        "Penempatan yang sesuai",
    ),
    2: ("Bimbingan kinerja", "Pengembangan kompetensi", "Penempatan yang sesuai"),
    1: ("Diproses sesuai ketentuan peraturan perundang-undangan",),
}
"""Rekomendasi per box (PermenPANRB 3/2020, as reproduced word for word by several codebases)."""


def performance_axis(predikat: Predikat | str) -> Rating:
    """Kinerja axis from the SKP predikat: Sangat Baik → di atas; Baik → sesuai; the rest →
    di bawah. UNCERTAIN (one codebase); it is the only mapping seen."""
    try:
        pred = Predikat(predikat)
    except ValueError:
        raise InvalidRating(f"{predikat!r} is not a predikat") from None
    if pred is Predikat.SANGAT_BAIK:
        return Rating.DI_ATAS
    if pred is Predikat.BAIK:
        return Rating.SESUAI
    return Rating.DI_BAWAH


def potential_level(score: float, cutoffs: tuple[float, float] = (78.0, 90.0)) -> Potential:
    """Potential band from a 0–100 score: below `cutoffs[0]` rendah, below `cutoffs[1]` menengah,
    else tinggi. The default 78/90 matches the JPM bands (Peraturan BRIN 3/2023 Pasal 33, BKN
    practice); cut-offs are instansi-defined (UNCERTAIN). A score outside 0–100 raises ValueError.
    """
    low, high = cutoffs
    if not 0 < low < high <= 100:
        raise ValueError("cut-offs must satisfy 0 < low < high <= 100")
    if not 0 <= score <= 100:
        raise ValueError(f"a potential score is between 0 and 100, not {score}")
    if score >= high:
        return Potential.TINGGI
    if score >= low:
        return Potential.MENENGAH
    return Potential.RENDAH


def nine_box(potential: Potential | str, kinerja: Rating | str) -> int:
    """The box (1–9) of PermenPANRB 3/2020 for a potential level and a kinerja rating.

    >>> nine_box("tinggi", "di_bawah"), nine_box("menengah", "di_atas")
    (6, 7)
    """
    try:
        pot = Potential(potential)
    except ValueError:
        raise InvalidRating(f"{potential!r} is not a potential level") from None
    return NINE_BOX[(pot, parse_rating(kinerja))]


_BOX_POSITION = {box: key for key, box in NINE_BOX.items()}


def box_label(box: int) -> str:
    """The box's label: box 9 is "Kinerja di atas ekspektasi dan potensial tinggi"."""
    potential, kinerja = _BOX_POSITION[box]
    return f"Kinerja {kinerja.label.lower()} dan potensial {potential.value}"


def succession_groups(box: int) -> frozenset[SuccessionGroup]:
    """Kelompok Rencana Suksesi: instansi for boxes 7–9, nasional for box 9 (PermenPANRB 3/2020)."""
    if box not in BOX_RECOMMENDATIONS:
        raise ValueError(f"there is no box {box}")
    if box == 9:
        return frozenset({SuccessionGroup.INSTANSI, SuccessionGroup.NASIONAL})
    if box in (7, 8):
        return frozenset({SuccessionGroup.INSTANSI})
    return frozenset()


@dataclass(frozen=True)
class TalentAdvice:
    code: str  # "recognition" | "coaching" | "counselling"
    reason: str


def merit_recommendations(
    history: Sequence[Predikat | str], box: int | None = None, *, repeat_years: int = 2
) -> list[TalentAdvice]:
    """Rewards and development advice from the yearly predikat, oldest first, and the 9-box.

    PP 11/2017 Pasal 134(2)(e) (rewards and sanctions from objective appraisal) with the box
    recommendations of PermenPANRB 3/2020: recognition for box 9 or for Sangat Baik in the last
    `repeat_years` years running; coaching (bimbingan kinerja) for Butuh Perbaikan; counselling
    (konseling kinerja) for Kurang/Misconduct or Sangat Kurang.
    """
    preds = [Predikat(p) for p in history]
    out: list[TalentAdvice] = []
    if box == 9:
        out.append(TalentAdvice("recognition", "box 9 (Penghargaan)"))
    elif len(preds) >= repeat_years and all(
        p is Predikat.SANGAT_BAIK for p in preds[-repeat_years:]
    ):
        out.append(TalentAdvice("recognition", f"Sangat Baik {repeat_years} years running"))
    if preds and preds[-1] is Predikat.BUTUH_PERBAIKAN:
        out.append(TalentAdvice("coaching", "Butuh Perbaikan (bimbingan kinerja)"))
    if preds and preds[-1] in (Predikat.KURANG, Predikat.SANGAT_KURANG):
        out.append(TalentAdvice("counselling", f"{preds[-1].label} (konseling kinerja)"))
    return out
