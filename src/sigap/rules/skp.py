"""SKP: employee performance under PermenPANRB 6/2022 (Pengelolaan Kinerja Pegawai ASN).

- The predikat matrix of hasil kerja × perilaku kerja (Lampiran PermenPANRB 6/2022).
- The organisation predikat and the distribution guide for employee predikat ("panduan pola
  distribusi predikat kinerja pegawai"), UNCERTAIN: one secondary source, so it is a guide with
  configurable rounding, not a hard cap.
- Evaluation periods (Pasal 5; the period is chosen by each instansi, UNCERTAIN wording).
- The BerAKHLAK core values and their indicators (SE MenPANRB 20/2021), the basis of the
  perilaku kerja rating.
- Predikat → angka kredit for jabatan fungsional (PermenPANRB 1/2023 + Peraturan BKN 3/2023).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Literal

__all__ = [
    "AK_PERCENT",
    "BERAKHLAK",
    "KOEFISIEN_AK",
    "KOEFISIEN_AK_VERIFIED",
    "PREDIKAT_MATRIX",
    "CoreValue",
    "GuidanceBreach",
    "GuidanceRounding",
    "InvalidRating",
    "OrgPredikat",
    "PeriodKind",
    "Predikat",
    "Rating",
    "angka_kredit",
    "distribution_breaches",
    "evaluation_periods",
    "parse_rating",
    "predikat",
]


class InvalidRating(ValueError):
    """A rating, predikat or period that is not one of the regulation's values."""


class Rating(StrEnum):
    """The hasil kerja and perilaku kerja ratings (PermenPANRB 6/2022 Lampiran)."""

    DI_ATAS = "di_atas"
    SESUAI = "sesuai"
    DI_BAWAH = "di_bawah"

    @property
    def label(self) -> str:
        return {
            "di_atas": "Di atas ekspektasi",
            "sesuai": "Sesuai ekspektasi",
            "di_bawah": "Di bawah ekspektasi",
        }[self.value]


class Predikat(StrEnum):
    """Predikat kinerja pegawai, best first (PermenPANRB 6/2022 Lampiran)."""

    SANGAT_BAIK = "sangat_baik"
    BAIK = "baik"
    BUTUH_PERBAIKAN = "butuh_perbaikan"
    KURANG = "kurang"
    SANGAT_KURANG = "sangat_kurang"

    @property
    def label(self) -> str:
        return {
            "sangat_baik": "Sangat Baik",
            "baik": "Baik",
            "butuh_perbaikan": "Butuh Perbaikan",
            "kurang": "Kurang/Misconduct",
            "sangat_kurang": "Sangat Kurang",
        }[self.value]

    @property
    def score(self) -> int:
        """4 (Sangat Baik) down to 0 (Sangat Kurang): an ordinal for ranking, not a regulation."""
        return 4 - list(Predikat).index(self)


class OrgPredikat(StrEnum):
    """Predikat kinerja organisasi (PermenPANRB 6/2022; "Butuh Perbaikan/Cukup")."""

    ISTIMEWA = "istimewa"
    BAIK = "baik"
    BUTUH_PERBAIKAN = "butuh_perbaikan"
    KURANG = "kurang"
    SANGAT_KURANG = "sangat_kurang"

    @property
    def label(self) -> str:
        return {
            "istimewa": "Istimewa",
            "baik": "Baik",
            "butuh_perbaikan": "Butuh Perbaikan/Cukup",
            "kurang": "Kurang",
            "sangat_kurang": "Sangat Kurang",
        }[self.value]


_A, _S, _B = Rating.DI_ATAS, Rating.SESUAI, Rating.DI_BAWAH
PREDIKAT_MATRIX: Mapping[tuple[Rating, Rating], Predikat] = {
    # (hasil kerja, perilaku kerja) -> predikat
    (_A, _B): Predikat.KURANG,
    (_A, _S): Predikat.BAIK,
    (_A, _A): Predikat.SANGAT_BAIK,
    (_S, _B): Predikat.KURANG,
    (_S, _S): Predikat.BAIK,
    (_S, _A): Predikat.BAIK,
    (_B, _B): Predikat.SANGAT_KURANG,
    (_B, _S): Predikat.BUTUH_PERBAIKAN,
    (_B, _A): Predikat.BUTUH_PERBAIKAN,
}
"""The 3×3 matrix of the PermenPANRB 6/2022 Lampiran, keyed (hasil kerja, perilaku kerja)."""


def parse_rating(value: str | Rating) -> Rating:
    """A rating from its code; anything else raises `InvalidRating`."""
    try:
        return Rating(value)
    except ValueError:
        raise InvalidRating(
            f"{value!r} is not a rating: expected one of {', '.join(r.value for r in Rating)}"
        ) from None


def predikat(hasil_kerja: str | Rating, perilaku_kerja: str | Rating) -> Predikat:
    """Predikat kinerja pegawai from the two ratings (PermenPANRB 6/2022 Lampiran).

    >>> predikat("di_atas", "di_atas").label
    'Sangat Baik'
    >>> predikat("di_bawah", "di_bawah").label
    'Sangat Kurang'
    """
    return PREDIKAT_MATRIX[(parse_rating(hasil_kerja), parse_rating(perilaku_kerja))]


# --- distribution guide (§2.2, UNCERTAIN) ---------------------------------------------------------

GuidanceRounding = Literal["strict", "nearest"]
"""How a percentage becomes a head count for a small team (UNCERTAIN).

"strict": a maximum rounds down, a minimum rounds up (20 staff, max 70% → 14; min 10% of 5 → 1).
"nearest": both round half up.
"""


@dataclass(frozen=True)
class _Rule:
    code: str
    predikats: frozenset[Predikat]
    kind: Literal["max", "min"]
    share: float
    text: str


@dataclass(frozen=True)
class GuidanceBreach:
    """One rule of the guide that a unit's distribution breaks.

    `limit` is the head count the rule allows (max) or requires (min); `actual` the unit's count;
    `predikats` the predikat the rule counts (so the UI can name the ratings concerned).
    """

    rule: str
    text: str
    kind: Literal["max", "min"]
    predikats: frozenset[Predikat]
    limit: int
    actual: int
    share: float = (
        0.0  # the rule's share: with kind and predikats, enough to word it in any language
    )


_SB, _BK, _BP, _K, _SK = (
    Predikat.SANGAT_BAIK,
    Predikat.BAIK,
    Predikat.BUTUH_PERBAIKAN,
    Predikat.KURANG,
    Predikat.SANGAT_KURANG,
)


def _r(
    code: str, preds: set[Predikat], kind: Literal["max", "min"], share: float, text: str
) -> _Rule:
    return _Rule(code, frozenset(preds), kind, share, text)


GUIDE: Mapping[OrgPredikat, tuple[_Rule, ...]] = {
    OrgPredikat.ISTIMEWA: (_r("istimewa.sb_max", {_SB}, "max", 0.70, "at most 70% Sangat Baik"),),
    OrgPredikat.BAIK: (
        _r("baik.b_max", {_BK}, "max", 0.70, "at most 70% Baik"),
        _r("baik.bp_k_some", {_BP, _K}, "min", 0.0, "some Butuh Perbaikan and/or Kurang"),
    ),
    OrgPredikat.BUTUH_PERBAIKAN: (
        _r("bp.bp_min", {_BP}, "min", 0.60, "at least 60% Butuh Perbaikan"),
        _r("bp.sb_max", {_SB}, "max", 0.10, "at most 10% Sangat Baik"),
    ),
    OrgPredikat.KURANG: (
        _r("kurang.k_min", {_K}, "min", 0.60, "at least 60% Kurang/Misconduct"),
        _r("kurang.bp_min", {_BP}, "min", 0.10, "at least 10% Butuh Perbaikan"),
        _r("kurang.sb_max", {_SB}, "max", 0.10, "at most 10% Sangat Baik"),
    ),
    OrgPredikat.SANGAT_KURANG: (
        _r("sk.sk_min", {_SK}, "min", 0.60, "at least 60% Sangat Kurang"),
        _r("sk.k_bp_min", {_K, _BP}, "min", 0.10, "at least 10% Kurang and/or Butuh Perbaikan"),
        _r("sk.sb_none", {_SB}, "max", 0.0, "no Sangat Baik"),
    ),
}
"""The guide per organisation predikat (§2.2 of rules.md). "Most employees, max 70%" is read
as a maximum only; "there must be some" as a minimum of one person."""


def _head_count(
    share: float, n: int, kind: Literal["max", "min"], rounding: GuidanceRounding
) -> int:
    exact = share * n
    if rounding == "nearest":
        return math.floor(exact + 0.5)
    # Float noise (0.7 * 20 = 14.000000000000002) must not cost or add a person.
    exact = round(exact, 9)
    return math.floor(exact) if kind == "max" else math.ceil(exact)


def distribution_breaches(
    org: OrgPredikat | str,
    counts: Mapping[Predikat, int],
    *,
    rounding: GuidanceRounding = "strict",
) -> list[GuidanceBreach]:
    """The rules of the distribution guide that `counts` breaks for an organisation predikat.

    Source: "panduan pola distribusi predikat kinerja pegawai" (PermenPANRB 6/2022 Lampiran as
    quoted by one secondary source: UNCERTAIN). An empty list means the distribution follows the
    guide. "There must be some X" requires at least one person whenever the unit has anyone.

    >>> [b.rule for b in distribution_breaches("baik", {Predikat.BAIK: 20})]
    ['baik.b_max', 'baik.bp_k_some']
    """
    try:
        org = OrgPredikat(org)
    except ValueError:
        raise InvalidRating(f"{org!r} is not an organisation predikat") from None
    if any(v < 0 for v in counts.values()):
        raise ValueError("counts cannot be negative")
    n = sum(counts.values())
    breaches: list[GuidanceBreach] = []
    if n == 0:
        return breaches
    for rule in GUIDE[org]:
        actual = sum(counts.get(p, 0) for p in rule.predikats)
        if rule.kind == "min" and rule.share == 0.0:
            limit = 1
        else:
            limit = _head_count(rule.share, n, rule.kind, rounding)
        broken = actual > limit if rule.kind == "max" else actual < limit
        if broken:
            breaches.append(
                GuidanceBreach(
                    rule.code, rule.text, rule.kind, rule.predikats, limit, actual, rule.share
                )
            )
    return breaches


# --- periods (§2.3) -------------------------------------------------------------------------------


class PeriodKind(StrEnum):
    """How often an instansi evaluates (PermenPANRB 6/2022 Pasal 5; each instansi chooses)."""

    BULANAN = "bulanan"
    TRIWULANAN = "triwulanan"
    SEMESTERAN = "semesteran"

    @property
    def months(self) -> int:
        return {"bulanan": 1, "triwulanan": 3, "semesteran": 6}[self.value]


def evaluation_periods(kind: PeriodKind | str, year: int) -> list[tuple[int, date, date]]:
    """(number, first day, last day) of each evaluation period of `year`, numbered from 1.

    >>> evaluation_periods("semesteran", 2025)[1]
    (2, datetime.date(2025, 7, 1), datetime.date(2025, 12, 31))
    """
    try:
        months = PeriodKind(kind).months
    except ValueError:
        raise InvalidRating(f"{kind!r} is not an evaluation period") from None
    out = []
    for number, first in enumerate(range(1, 13, months), start=1):
        last_month = first + months - 1
        end = date(year + 1, 1, 1) if last_month == 12 else date(year, last_month + 1, 1)
        out.append((number, date(year, first, 1), date.fromordinal(end.toordinal() - 1)))
    return out


# --- BerAKHLAK (§2.4) -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CoreValue:
    code: str
    name: str
    definition: str
    indicators: tuple[str, str, str]


BERAKHLAK: tuple[CoreValue, ...] = (
    CoreValue(
        "berorientasi_pelayanan",
        "Berorientasi Pelayanan",
        "Komitmen memberikan pelayanan prima demi kepuasan masyarakat",
        (
            "Memahami dan memenuhi kebutuhan masyarakat",
            "Ramah, cekatan, solutif, dan dapat diandalkan",
            "Melakukan perbaikan tiada henti",
        ),
    ),
    CoreValue(
        "akuntabel",
        "Akuntabel",
        "Bertanggung jawab atas kepercayaan yang diberikan",
        (
            "Melaksanakan tugas dengan jujur, bertanggung jawab, cermat, disiplin dan "
            "berintegritas tinggi",
            "Menggunakan kekayaan dan barang milik negara secara bertanggung jawab, efektif, "
            "dan efisien",
            "Tidak menyalahgunakan kewenangan jabatan",
        ),
    ),
    CoreValue(
        "kompeten",
        "Kompeten",
        "Terus belajar dan mengembangkan kapabilitas",
        (
            "Meningkatkan kompetensi diri untuk menjawab tantangan yang selalu berubah",
            "Membantu orang lain belajar",
            "Melaksanakan tugas dengan kualitas terbaik",
        ),
    ),
    CoreValue(
        "harmonis",
        "Harmonis",
        "Saling peduli dan menghargai perbedaan",
        (
            "Menghargai setiap orang apapun latar belakangnya",
            "Suka menolong orang lain",
            "Membangun lingkungan kerja yang kondusif",
        ),
    ),
    CoreValue(
        "loyal",
        "Loyal",
        "Berdedikasi dan mengutamakan kepentingan Bangsa dan Negara",
        (
            "Memegang teguh ideologi Pancasila, UUD 1945, setia kepada NKRI serta pemerintahan "
            "yang sah",
            "Menjaga nama baik sesama ASN, pimpinan, instansi, dan negara",
            "Menjaga rahasia jabatan dan negara",
        ),
    ),
    CoreValue(
        "adaptif",
        "Adaptif",
        "Terus berinovasi dan antusias dalam menggerakkan ataupun menghadapi perubahan",
        (
            "Cepat menyesuaikan diri menghadapi perubahan",
            "Terus berinovasi dan mengembangkan kreativitas",
            "Bertindak proaktif",
        ),
    ),
    CoreValue(
        "kolaboratif",
        "Kolaboratif",
        "Membangun kerja sama yang sinergis",
        (
            "Memberi kesempatan kepada berbagai pihak untuk berkontribusi",
            "Terbuka dalam bekerja sama untuk menghasilkan nilai tambah",
            "Menggerakkan pemanfaatan berbagai sumber daya untuk tujuan bersama",
        ),
    ),
)
"""The 7 BerAKHLAK core values with 3 panduan perilaku each (SE MenPANRB 20/2021)."""


# --- angka kredit (§2.5) --------------------------------------------------------------------------

AK_PERCENT: Mapping[Predikat, Decimal] = {
    Predikat.SANGAT_BAIK: Decimal("1.50"),
    Predikat.BAIK: Decimal("1.00"),
    Predikat.BUTUH_PERBAIKAN: Decimal("0.75"),
    Predikat.KURANG: Decimal("0.50"),
    Predikat.SANGAT_KURANG: Decimal("0.25"),
}
"""Share of the yearly AK coefficient per predikat (PermenPANRB 1/2023; Peraturan BKN 3/2023)."""

KOEFISIEN_AK: Mapping[str, Decimal] = {
    "Pemula": Decimal("3.75"),
    "Terampil": Decimal("5"),
    "Mahir": Decimal("12.5"),
    "Penyelia": Decimal("25"),
    "Ahli Pertama": Decimal("12.5"),
    "Ahli Muda": Decimal("25"),
    "Ahli Madya": Decimal("37.5"),
    "Ahli Utama": Decimal("50"),
}
"""Yearly AK coefficient per jenjang. Only Ahli Pertama and Ahli Madya are VERIFIED; the others
are UNCERTAIN (see `KOEFISIEN_AK_VERIFIED`) and can be overridden by the caller."""

KOEFISIEN_AK_VERIFIED = frozenset({"Ahli Pertama", "Ahli Madya"})


def angka_kredit(
    predikat: Predikat | str, koefisien: Decimal | float | str, months: int = 12
) -> Decimal:
    """Angka kredit earned: (months/12) × %predikat × yearly coefficient, to 3 decimals.

    PermenPANRB 1/2023 and Peraturan BKN 3/2023 (conversion of the SKP predikat into AK).

    >>> angka_kredit("sangat_baik", "12.5")
    Decimal('18.750')
    >>> angka_kredit("baik", "12.5", months=2)
    Decimal('2.083')
    """
    try:
        pred = Predikat(predikat)
    except ValueError:
        raise InvalidRating(f"{predikat!r} is not a predikat") from None
    if not 1 <= months <= 12:
        raise ValueError("months must be between 1 and 12")
    koef = Decimal(str(koefisien))
    if koef <= 0:
        raise ValueError("the AK coefficient must be positive")
    value = Decimal(months) / Decimal(12) * AK_PERCENT[pred] * koef
    return value.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
