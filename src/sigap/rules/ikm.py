"""Survei Kepuasan Masyarakat (SKM) and its Indeks Kepuasan Masyarakat (IKM).

Regulation: **PermenPANRB 14/2017** tentang Pedoman Penyusunan Survei Kepuasan Masyarakat Unit
Penyelenggara Pelayanan Publik (replaces PermenPANRB 16/2014), Lampiran: the 9 unsur, the 1–4
answer scale, the NRR/IKM formula and the interpretation table (nilai interval, mutu, kinerja).

The unsur are identified by a stable code, never by position: the regulation's list puts
*Penanganan Pengaduan* 8th and *Sarana dan Prasarana* 9th, while the sample questionnaire in the
same Lampiran asks them the other way round, and public apps disagree (``rules.md`` §1.2).

Arithmetic is decimal so the published vectors (e.g. 79.365 → 79.37) round as printed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

__all__ = [
    "ELEMENTS",
    "ELEMENT_CODES",
    "IKM_BASE",
    "MUTU_THRESHOLDS",
    "SCALE",
    "Element",
    "ElementTally",
    "IkmResult",
    "Mutu",
    "Weighting",
    "element",
    "ikm_from_nrr",
    "ikm_from_tallies",
    "mutu_for",
    "nrr",
    "round2",
]

SCALE = (1, 2, 3, 4)
"""Nilai persepsi: 1 = worst, 4 = best (PermenPANRB 14/2017 Lampiran)."""

IKM_BASE = Decimal(25)
"""IKM unit pelayanan = IKM × 25 ("nilai dasar"), so the index runs from 25 to 100."""


@dataclass(frozen=True, slots=True)
class Element:
    """One unsur of the survey with the official answer labels for scores 1..4."""

    code: str
    number: int  # position in the regulation's list (U1..U9), for printing only
    name: str
    labels: tuple[str, str, str, str]
    labels_verified: bool


ELEMENTS: tuple[Element, ...] = (
    Element(
        "persyaratan",
        1,
        "Persyaratan",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
        True,
    ),
    Element(
        "prosedur",
        2,
        "Sistem, Mekanisme, dan Prosedur",
        ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
        True,
    ),
    Element(
        "waktu",
        3,
        "Waktu Penyelesaian",
        ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
        True,
    ),
    Element("biaya", 4, "Biaya/Tarif", ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"), True),
    Element(
        "produk",
        5,
        "Produk Spesifikasi Jenis Pelayanan",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
        True,
    ),
    Element(
        "kompetensi",
        6,
        "Kompetensi Pelaksana",
        ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
        False,
    ),
    Element(
        "perilaku",
        7,
        "Perilaku Pelaksana",
        (
            "Tidak sopan dan ramah",
            "Kurang sopan dan ramah",
            "Sopan dan ramah",
            "Sangat sopan dan ramah",
        ),
        True,
    ),
    Element(
        "pengaduan",
        8,
        "Penanganan Pengaduan, Saran dan Masukan",
        (
            "Tidak ada",
            "Ada tetapi tidak berfungsi",
            "Berfungsi kurang maksimal",
            "Dikelola dengan baik",
        ),
        False,
    ),
    Element("sarana", 9, "Sarana dan Prasarana", ("Buruk", "Cukup", "Baik", "Sangat Baik"), True),
)
"""The 9 unsur of PermenPANRB 14/2017 in the regulation's order (U8 pengaduan, U9 sarana)."""

ELEMENT_CODES: tuple[str, ...] = tuple(e.code for e in ELEMENTS)
_BY_CODE = {e.code: e for e in ELEMENTS}


def element(code: str) -> Element:
    """The unsur with this stable code; `KeyError` for an unknown code."""
    return _BY_CODE[code]


class Weighting(StrEnum):
    """Weight of each unsur: exact 1/9 (default) or the 0,111 printed on the official form.

    PermenPANRB 14/2017 Lampiran: "bobot nilai rata-rata tertimbang = jumlah bobot / jumlah unsur
    = 1/9 = 0,111". Only exact 1/9 gives the 100,00 units publish when every answer is 4.
    """

    EXACT = "exact"
    PRINTED = "printed"

    @property
    def weight(self) -> Decimal:
        return Decimal(1) / Decimal(9) if self is Weighting.EXACT else Decimal("0.111")

    @property
    def label(self) -> str:
        return "1/9 (eksak)" if self is Weighting.EXACT else "0,111 (formulir)"


class Mutu(StrEnum):
    """Mutu pelayanan, PermenPANRB 14/2017 Lampiran (interpretation table)."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"

    @property
    def kinerja(self) -> str:
        """Kinerja unit pelayanan for this mutu."""
        return {"A": "Sangat Baik", "B": "Baik", "C": "Kurang Baik", "D": "Tidak Baik"}[self.value]


MUTU_THRESHOLDS: tuple[tuple[Decimal, Mutu], ...] = (
    (Decimal("88.31"), Mutu.A),
    (Decimal("76.61"), Mutu.B),
    (Decimal("65.00"), Mutu.C),
    (Decimal("25.00"), Mutu.D),
)
"""Lower bounds of the nilai interval konversi (NIK) per mutu. The table printed in the Lampiran
has gaps between bands (88,30 / 88,31), so the IKM is rounded to 2 dp and compared with these."""


def round2(value: Decimal) -> Decimal:
    """Round half up to 2 decimals, as the published reports print."""
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def mutu_for(ikm: Decimal | float | int) -> Mutu:
    """Mutu pelayanan of an IKM on the 25–100 scale (PermenPANRB 14/2017 Lampiran).

    >>> mutu_for(88.31), mutu_for(88.30), mutu_for(75)
    (<Mutu.A: 'A'>, <Mutu.B: 'B'>, <Mutu.C: 'C'>)
    """
    value = round2(Decimal(str(ikm)))
    if value < IKM_BASE or value > 100:
        raise ValueError(f"An IKM is between 25 and 100, not {value}.")
    for bound, grade in MUTU_THRESHOLDS:
        if value >= bound:
            return grade
    raise AssertionError("unreachable")  # pragma: no cover


def nrr(scores: Iterable[int | None]) -> Decimal | None:
    """Nilai rata-rata of one unsur: sum of the scores / number of filled answers.

    Skipped answers (None) leave the denominator ("jumlah kuesioner yang terisi"); None when no
    respondent answered. A score outside 1..4 raises `ValueError`.
    """
    total = count = 0
    for score in scores:
        if score is None:
            continue
        if score not in SCALE:
            raise ValueError(f"A survey answer is 1, 2, 3 or 4, not {score!r}.")
        total += score
        count += 1
    return Decimal(total) / Decimal(count) if count else None


def ikm_from_nrr(
    nrrs: Mapping[str, Decimal | float] | Iterable[Decimal | float],
    weighting: Weighting = Weighting.EXACT,
) -> Decimal:
    """IKM on the 25–100 scale, rounded to 2 dp: Σ (NRR_u × bobot) × 25.

    PermenPANRB 14/2017 Lampiran. Needs the NRR of all 9 unsur (a mapping by code, or 9 values).

    >>> ikm_from_nrr([3.2, 3.1, 3.0, 3.4, 3.3, 3.2, 3.5, 2.9, 3.0])
    Decimal('79.44')
    >>> ikm_from_nrr([3.2, 3.1, 3.0, 3.4, 3.3, 3.2, 3.5, 2.9, 3.0], Weighting.PRINTED)
    Decimal('79.37')
    """
    if isinstance(nrrs, Mapping):
        missing = [c for c in ELEMENT_CODES if c not in nrrs]
        if missing or len(nrrs) != len(ELEMENTS):
            raise ValueError(f"The IKM needs the NRR of the 9 unsur; missing {missing}.")
        values = [Decimal(str(nrrs[c])) for c in ELEMENT_CODES]
    else:
        values = [Decimal(str(v)) for v in nrrs]
        if len(values) != len(ELEMENTS):
            raise ValueError(f"The IKM needs the NRR of the 9 unsur, got {len(values)}.")
    for v in values:
        if not 1 <= v <= 4:
            raise ValueError(f"An NRR is between 1 and 4, not {v}.")
    if weighting is Weighting.EXACT:  # Σ NRR / 9 × 25 without rounding 1/9 first
        return round2(sum(values, Decimal(0)) * IKM_BASE / Decimal(9))
    return round2(sum(values, Decimal(0)) * weighting.weight * IKM_BASE)


@dataclass(frozen=True, slots=True)
class ElementTally:
    """Sum and number of the filled answers of one unsur (what SQL `SUM`/`COUNT` return)."""

    code: str
    total: int
    count: int

    @property
    def nrr(self) -> Decimal | None:
        return Decimal(self.total) / Decimal(self.count) if self.count else None


@dataclass(frozen=True, slots=True)
class IkmResult:
    """NRR per unsur, IKM, mutu and kinerja of a set of questionnaires."""

    respondents: int
    nrr: dict[str, Decimal | None]  # full precision, by unsur code
    ikm: Decimal | None  # 25–100, 2 dp; None when some unsur has no answer at all
    mutu: Mutu | None
    weighting: Weighting
    weakest: tuple[str, ...]  # unsur code(s) with the lowest NRR: the improvement priority

    @property
    def kinerja(self) -> str | None:
        return self.mutu.kinerja if self.mutu else None

    def nrr_weighted(self, code: str) -> Decimal | None:
        """NRR tertimbang of one unsur (NRR × bobot), as on the official processing form."""
        value = self.nrr[code]
        return None if value is None else value * self.weighting.weight


def ikm_from_tallies(
    tallies: Iterable[ElementTally],
    respondents: int,
    weighting: Weighting = Weighting.EXACT,
) -> IkmResult:
    """The whole result from per-unsur sums and counts (PermenPANRB 14/2017 Lampiran).

    Unknown codes or a tally whose mean is outside 1..4 raise `ValueError`.
    """
    by_code: dict[str, Decimal | None] = {c: None for c in ELEMENT_CODES}
    for t in tallies:
        if t.code not in by_code:
            raise ValueError(f"Unknown unsur code {t.code!r}.")
        if t.count < 0 or (t.count and not t.count <= t.total <= 4 * t.count):
            raise ValueError(f"Impossible tally for {t.code}: {t.total}/{t.count}.")
        by_code[t.code] = t.nrr
    present = {c: v for c, v in by_code.items() if v is not None}
    ikm = ikm_from_nrr(present, weighting) if len(present) == len(ELEMENTS) else None
    weakest: tuple[str, ...] = ()
    if present:
        low = min(present.values())
        weakest = tuple(c for c in ELEMENT_CODES if by_code[c] == low)
    return IkmResult(
        respondents=respondents,
        nrr=by_code,
        ikm=ikm,
        mutu=mutu_for(ikm) if ikm is not None else None,
        weighting=weighting,
        weakest=weakest,
    )
