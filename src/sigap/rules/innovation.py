"""Regional innovation (inovasi daerah) and its Indeks Inovasi Daerah (IID),
rules-innovation-competency.md §1.

Basis: UU 23/2014 Pasal 386–390 (the urusan pemerintahan of Pasal 11–12 and the Lampiran), PP
38/2017 tentang Inovasi Daerah, Permendagri 104/2018 (the IID and the Innovative Government
Award); each year's indicators come by letter from the Minister (IGA 2023: Surat Mendagri
400.10.11/2704/SJ). Pure functions over plain values; no Django, no I/O.

A year's rules are a `Frame`: versioned configuration keyed by the indicator's *name key* (the
numbering differs between sources and years). What is known of each frame, and what is assumed:

**2026** (two regional implementations of the 2026 pedoman agree; UNCERTAIN as official text):
the 20 SID rows with their weights (Σ 37 → max 111) and the five mandatory ones (VERIFIED);
17 SPD rows by name, individual weights unknown (`weight=None`: the agency enters them), Σ 21 →
max 63; k = 12; jumlah inovasi = 0.38 × min(n, 200) when the counted innovations cover at
least 5 of the 6 urusan wajib pelayanan dasar (max 76); maximum 250; predikat 65.01 / 40.01 /
0.01 / 0 (UNCERTAIN); window: applied 2024-01-01..2025-12-31. The parameter descriptions are
the implementers' thresholds (UNCERTAIN: they change by year).

**2023** (VERIFIED: the formula's shape, 8 variables and 36 indicators, SPD 25.2 % and SID
74.8 % of the maximum, the bands 60.01 / 35.00 / 0.01 / 0). Everything else is ASSUMED and
marked UNCERTAIN in the frame's `assumptions`: the 2026 rows, weights and mandatory flags, with
"Penggunaan IT", "Online sistem" and "Kualitas inovasi (video)" in place of Alat kerja,
Layanan terintegrasi and Video (same weights); the 2026 SPD rows (17, although 2023 had one row
fewer in all — which one is not known); k = 12; the same jumlah-inovasi rule; maximum 250
(63 / 250 = 25.2 % and 187 / 250 = 74.8 %: the verified shares agree with this maximum); window
2021-01-01..2022-12-31 (the "last two years" of IGA 2022, VERIFIED, carried forward).

No frame exists for 2027+ (the prognosis k = 14 / 16 / 18 is UNCERTAIN): `frame(2027)` raises
`UnknownFrame`. Predikat banding is on the IID rounded to 2 dp (UNCERTAIN: `Frame.band_decimals`,
None = unrounded).

Other UNCERTAIN choices, documented defaults: an innovation lacking a mandatory indicator still
counts (it is listed, not dropped; `Frame.missing_mandatory_counts`); an indicator not answered
counts as parameter 0.

Texts for people (`name`, parameter descriptions, evidence, urusan names) are English msgids;
the web layer translates them (`sigap.innovation.iid_labels`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

__all__ = [
    "BASIC_URUSAN",
    "FRAMES",
    "PARAMETERS",
    "URUSAN",
    "Band",
    "Change",
    "ChangeKind",
    "Frame",
    "IidError",
    "IidScore",
    "Indicator",
    "InnovationInput",
    "InnovationScore",
    "JumlahRule",
    "Predikat",
    "SpdIndicator",
    "SpdInput",
    "UnknownFrame",
    "UrusanGroup",
    "agency_sid",
    "check_parameter",
    "check_spd_weights",
    "eligible",
    "frame",
    "iid",
    "improvements",
    "jumlah_inovasi",
    "missing_mandatory",
    "predikat",
    "round2",
    "row_score",
    "score",
    "sid_of_innovation",
    "spd",
]


def _(message: str) -> str:
    """Marks a name or a sentence for the translation catalogue (Django's makemessages finds it
    by this name) and returns it unchanged: the rules stay free of Django, and the web layer
    translates the text when it shows it."""
    return message


PARAMETERS = (0, 1, 2, 3)
"""Each indicator row is answered with parameter 1, 2 or 3; 0 = no evidence or not accepted."""


def round2(value: Decimal) -> Decimal:
    """Half up to 2 decimals, as the IID is printed."""
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- urusan pemerintahan (UU 23/2014 Pasal 11–12) ---------------------------------------------


class UrusanGroup(StrEnum):
    BASIC = "basic"  # wajib, berkaitan dengan pelayanan dasar (Pasal 12(1))
    MANDATORY = "mandatory"  # wajib, tidak berkaitan dengan pelayanan dasar (Pasal 12(2))
    CHOICE = "choice"  # pilihan (Pasal 12(3))
    SUPPORT = "support"  # fungsi penunjang urusan (Pasal 232; UNCERTAIN list, PP 18/2016)


# key -> (group, English msgid of the name). Keys are stored in Innovation.urusan (≤ 40 chars).
URUSAN: dict[str, tuple[UrusanGroup, str]] = {
    "education": (UrusanGroup.BASIC, "Education"),
    "health": (UrusanGroup.BASIC, _("Health")),
    "public_works": (UrusanGroup.BASIC, _("Public works and spatial planning")),
    "housing": (UrusanGroup.BASIC, _("Public housing and residential areas")),
    "public_order": (UrusanGroup.BASIC, _("Peace, public order and community protection")),
    "social": (UrusanGroup.BASIC, _("Social affairs")),
    "labour": (UrusanGroup.MANDATORY, _("Labour")),
    "women_children": (UrusanGroup.MANDATORY, _("Women's empowerment and child protection")),
    "food": (UrusanGroup.MANDATORY, _("Food")),
    "land": (UrusanGroup.MANDATORY, _("Land")),
    "environment": (UrusanGroup.MANDATORY, _("Environment")),
    "civil_registration": (
        UrusanGroup.MANDATORY, _("Population administration and civil registration")
    ),
    "village_empowerment": (UrusanGroup.MANDATORY, _("Community and village empowerment")),
    "family_planning": (UrusanGroup.MANDATORY, _("Population control and family planning")),
    "transport": (UrusanGroup.MANDATORY, _("Transport")),
    "communication": (UrusanGroup.MANDATORY, _("Communication and informatics")),
    "cooperatives_smes": (
        UrusanGroup.MANDATORY, _("Cooperatives and small and medium enterprises")
    ),
    "investment": (UrusanGroup.MANDATORY, _("Investment")),
    "youth_sports": (UrusanGroup.MANDATORY, _("Youth and sports")),
    "statistics": (UrusanGroup.MANDATORY, _("Statistics")),
    "cryptography": (UrusanGroup.MANDATORY, _("Cryptography")),
    "culture": (UrusanGroup.MANDATORY, _("Culture")),
    "libraries": (UrusanGroup.MANDATORY, _("Libraries")),
    "archives": (UrusanGroup.MANDATORY, _("Archives")),
    "marine_fisheries": (UrusanGroup.CHOICE, _("Marine affairs and fisheries")),
    "tourism": (UrusanGroup.CHOICE, _("Tourism")),
    "agriculture": (UrusanGroup.CHOICE, _("Agriculture")),
    "forestry": (UrusanGroup.CHOICE, _("Forestry")),
    "energy_mineral": (UrusanGroup.CHOICE, _("Energy and mineral resources")),
    "trade": (UrusanGroup.CHOICE, _("Trade")),
    "industry": (UrusanGroup.CHOICE, _("Industry")),
    "transmigration": (UrusanGroup.CHOICE, _("Transmigration")),
    "planning": (UrusanGroup.SUPPORT, _("Planning")),
    "finance": (UrusanGroup.SUPPORT, _("Finance")),
    "staffing": (UrusanGroup.SUPPORT, _("Staffing, education and training")),
    "research": (UrusanGroup.SUPPORT, _("Research and development")),
    "oversight": (UrusanGroup.SUPPORT, _("Internal oversight")),
    "general_government": (UrusanGroup.SUPPORT, _("General government affairs")),
}  # fmt: skip

BASIC_URUSAN: frozenset[str] = frozenset(
    k for k, (g, _n) in URUSAN.items() if g is UrusanGroup.BASIC
)
"""The 6 urusan wajib pelayanan dasar (UU 23/2014 Pasal 12(1)), VERIFIED."""


# --- the frame ----------------------------------------------------------------------------------


class IidError(ValueError):
    """Input the rules cannot score. `code` names the problem (the web layer words it),
    `field` the indicator or field concerned; the message names both."""

    def __init__(self, code: str, field: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.field = field


class UnknownFrame(ValueError):
    """No IID frame for the year asked; `year` and the `known` years are attributes."""

    def __init__(self, year: int, known: Iterable[int]) -> None:
        self.year = year
        self.known = tuple(sorted(known))
        super().__init__(
            f"no IID frame for {year}; frames known: {', '.join(map(str, self.known))}"
        )


@dataclass(frozen=True, slots=True)
class Indicator:
    """One SID row (scored per innovation)."""

    key: str
    name: str  # English msgid
    weight: int
    mandatory: bool
    parameters: tuple[str, str, str]  # what parameter 1, 2, 3 mean (English msgids)
    evidence: str  # the bukti dukung expected (English msgid)


@dataclass(frozen=True, slots=True)
class SpdIndicator:
    """One SPD row (the region's own data). `weight` None: not known, the agency enters it."""

    key: str
    name: str  # English msgid
    weight: int | None = None


@dataclass(frozen=True, slots=True)
class JumlahRule:
    """SkorJumlahInovasi = per_innovation × min(n, cap) when the counted innovations cover at
    least `basic_required` of the 6 urusan wajib pelayanan dasar, else 0."""

    per_innovation: Decimal
    cap: int
    basic_required: int

    @property
    def maximum(self) -> Decimal:
        return self.per_innovation * self.cap


class Predikat(StrEnum):
    SANGAT_INOVATIF = "sangat_inovatif"
    INOVATIF = "inovatif"
    KURANG_INOVATIF = "kurang_inovatif"
    TIDAK_DAPAT_DINILAI = "tidak_dapat_dinilai"  # disclaimer

    @property
    def official(self) -> str:
        """The predikat as printed (a proper name: the same in every language)."""
        return {
            "sangat_inovatif": "Sangat Inovatif",
            "inovatif": "Inovatif",
            "kurang_inovatif": "Kurang Inovatif",
            "tidak_dapat_dinilai": "Tidak Dapat Dinilai",
        }[self.value]


@dataclass(frozen=True, slots=True)
class Band:
    """From `at_least` (inclusive, on the IID rounded per the frame) up to the next band."""

    at_least: Decimal
    predikat: Predikat


@dataclass(frozen=True, slots=True)
class Frame:
    year: int
    sid: tuple[Indicator, ...]
    spd: tuple[SpdIndicator, ...]
    spd_total_weight: int
    k: int
    jumlah: JumlahRule
    maximum: Decimal
    bands: tuple[Band, ...]  # highest first
    window: tuple[date, date]  # application dates that count, both included
    band_decimals: int | None = 2  # UNCERTAIN: banding on the IID rounded to 2 dp
    # UNCERTAIN: an innovation lacking a mandatory indicator still counts (listed); False: it is
    # excluded ("missing_mandatory") and counts nowhere
    missing_mandatory_counts: bool = True
    assumptions: tuple[str, ...] = ()  # what is UNCERTAIN in this frame (for the docs/pages)

    def __post_init__(self) -> None:
        keys = [i.key for i in self.sid] + [i.key for i in self.spd]
        if len(keys) != len(set(keys)):
            raise ValueError(f"frame {self.year}: an indicator key is repeated")
        total = 3 * self.spd_total_weight + 3 * self.sid_total_weight + self.jumlah.maximum
        if total != self.maximum:
            raise ValueError(f"frame {self.year}: parts add up to {total}, not {self.maximum}")
        known = sum(i.weight or 0 for i in self.spd)
        if known > self.spd_total_weight:
            raise ValueError(f"frame {self.year}: SPD weights exceed {self.spd_total_weight}")

    @property
    def sid_total_weight(self) -> int:
        return sum(i.weight for i in self.sid)

    @property
    def sid_max(self) -> int:
        return 3 * self.sid_total_weight

    @property
    def spd_max(self) -> int:
        return 3 * self.spd_total_weight

    @property
    def mandatory(self) -> tuple[str, ...]:
        return tuple(i.key for i in self.sid if i.mandatory)

    def indicator(self, key: str) -> Indicator:
        for i in self.sid:
            if i.key == key:
                return i
        raise IidError(
            "unknown_indicator", key, f"indicator {key!r} is not in the {self.year} frame"
        )

    def spd_indicator(self, key: str) -> SpdIndicator:
        for i in self.spd:
            if i.key == key:
                return i
        raise IidError(
            "unknown_indicator", key, f"SPD indicator {key!r} is not in the {self.year} frame"
        )


def _i(key: str, name: str, weight: int, p1: str, p2: str, p3: str, evidence: str,
       mandatory: bool = False) -> Indicator:  # fmt: skip
    return Indicator(key, name, weight, mandatory, (p1, p2, p3), evidence)


_SID_2026: tuple[Indicator, ...] = (
    _i("regulasi", _("Innovation regulation"), 3,
       _("Decree of the head of a regional unit on behalf of the head of region"),
       _("Decree or regulation of the head of region (SK / Perkada)"),
       _("Regional regulation (Perda)"),
       _("The regulation or decree naming the innovation"), mandatory=True),
    _i("sdm", _("Availability of human resources"), 2,
       _("1–10 people"), _("11–30 people"), _("More than 30 people"),
       _("Decree or assignment letter listing the people who run the innovation"), mandatory=True),
    _i("anggaran", _("Budget support"), 2,
       _("Budgeted in one year"), _("Budgeted in two consecutive years"),
       _("Budgeted in the current year and the two before"),
       _("Budget document (DPA) pages of each year")),
    _i("alat_kerja", _("Work tools"), 2,
       _("Manual"), _("Electronic"), _("Online system or artificial intelligence"),
       _("Screenshots or photos of the tools in use")),
    _i("bimtek", _("Technical guidance on the innovation"), 1,
       _("Once in three years"), _("Twice in three years"), _("Three times or more in three years"),
       _("Reports or certificates of the guidance sessions")),
    _i("rkpd", _("Programme in the regional work plan (RKPD)"), 2,
       _("In the RKPD of one year"), _("In the RKPD of two years"), _("In the RKPD of three years"),
       _("The RKPD pages naming the innovation's programme")),
    _i("aktor", _("Involvement of actors"), 1,
       _("Three actors"), _("Four actors"), _("Five actors or more"),
       _("Decree, agreement or photos showing the actors involved")),
    _i("pelaksana", _("Implementers"), 1,
       _("No decree on the implementers"), _("Assignment letter (surat tugas)"), _("Decree (SK)"),
       _("The assignment letter or decree of the implementers")),
    _i("jejaring", _("Network of units"), 1,
       _("Two regional units"), _("Three to four regional units"), _("Five regional units or more"),
       _("Decree or agreement naming the units involved")),
    _i("sosialisasi", _("Dissemination"), 1,
       _("Photos of banners"), _("The agency's own media"), _("Independent media"),
       _("Links or clippings of the dissemination")),
    _i("pedoman_teknis", _("Technical guide"), 1,
       _("Printed"), _("Electronic book"), "Online",
       _("The technical guide or its link")),
    _i("kemudahan_informasi", _("Ease of obtaining information"), 1,
       _("One of four channels"), _("Two of four channels"), _("Three or more of four channels"),
       _("Screenshots of the channels (phone, e-mail, chat, website)")),
    _i("kemudahan_proses", _("Ease of the process"), 2,
       _("Six days or more"), _("Two to five days"), _("One day"),
       _("The SOP or service standard stating the service time")),
    _i("penyelesaian_pengaduan", _("Complaint resolution"), 1,
       # xgettext:no-python-format
       _("At most 50 % of complaints resolved"),
       # xgettext:no-python-format
       _("51–90 % resolved"),
       # xgettext:no-python-format
       _("91 % or more resolved"),
       _("The complaint recap with its resolution ratio")),
    _i("layanan_terintegrasi", _("Integrated service"), 2,
       _("Stand-alone application"), _("Within the agency's own portal"),
       _("Integrated with other units"),
       _("Screenshots of the integration")),
    _i("replikasi", _("Replication"), 3,
       _("Replicated once by another region"), _("Replicated twice"),
       _("Replicated three times or more"),
       _("Agreements or letters of the replicating regions")),
    _i("kecepatan_penciptaan", _("Speed of creation"), 2,
       _("Nine months or more"), _("Five to eight months"), _("One to four months"),
       _("Documents dating the idea and the start of application"), mandatory=True),
    _i("kemanfaatan", _("Benefit"), 3,
       _("1–200 beneficiaries"), _("201–500 beneficiaries"), _("501 beneficiaries or more"),
       _("Lists of beneficiaries (or the chosen basis)"), mandatory=True),
    _i("monev", _("Monitoring and evaluation"), 2,
       _("Internal report"), _("Community satisfaction survey (SKM) report"),
       _("External research"),
       _("The monitoring report, SKM report or research")),
    _i("video", _("Innovation video"), 4,
       _("One or two of the five content elements"), _("Three or four of the five elements"),
       _("All five elements (background, idea screening, idea selection, benefits, impact)"),
       _("The video link"), mandatory=True),
)  # fmt: skip

_SPD_ROWS: tuple[SpdIndicator, ...] = tuple(
    SpdIndicator(k, n)
    for k, n in (
        ("visi_misi", _("Innovation in the vision and mission of the head of region")),
        ("apbd_tepat_waktu", _("Regional budget (APBD) passed on time")),
        ("mandatory_spending", _("Mandatory spending met")),
        ("kualitas_perizinan", _("Quality of licensing services")),
        ("pertumbuhan_pendapatan", _("Growth of income per capita")),
        ("pengangguran", _("Unemployment rate")),
        ("investasi", _("Investment")),
        ("pad", _("Own-source regional revenue (PAD)")),
        ("opini_bpk", _("Audit opinion of the BPK")),
        ("sakip", _("Performance accountability (SAKIP)")),
        ("kemiskinan", _("Poverty rate")),
        ("ipm", _("Human development index (IPM)")),
        ("penghargaan_inovator", _("Awards for innovators")),
        ("rekomendasi_kebijakan", _("Policy recommendations used")),
        ("indeks_kualitas_kebijakan", _("Policy quality index")),
        ("ripj_pid", _("Research and innovation master plan (RIPJ-PID)")),
        ("fasilitasi_haki", _("Facilitation of intellectual property (HAKI)")),
    )
)

_JUMLAH = JumlahRule(Decimal("0.38"), 200, 5)

FRAME_2026 = Frame(
    year=2026,
    sid=_SID_2026,
    spd=_SPD_ROWS,
    spd_total_weight=21,
    k=12,
    jumlah=_JUMLAH,
    maximum=Decimal(250),
    bands=(
        Band(Decimal("65.01"), Predikat.SANGAT_INOVATIF),
        Band(Decimal("40.01"), Predikat.INOVATIF),
        Band(Decimal("0.01"), Predikat.KURANG_INOVATIF),
        Band(Decimal(0), Predikat.TIDAK_DAPAT_DINILAI),
    ),
    window=(date(2024, 1, 1), date(2025, 12, 31)),
    # English msgids (the workbench lists them, translated); free of values a setting may change
    assumptions=(
        _("the whole frame: two regional implementations of the 2026 guideline, not its text"),
        _("the predikat bands"),
        _("the parameter thresholds"),
        _("the weight of each regional indicator (the agency enters them)"),
        _("the rounding of the index before banding"),
    ),
)

_RENAMED_2023 = {
    "alat_kerja": ("penggunaan_it", _("Use of IT")),
    "layanan_terintegrasi": ("online_sistem", _("Online system")),
    "video": ("kualitas_inovasi", _("Quality of the innovation (video)")),
}

FRAME_2023 = Frame(
    year=2023,
    sid=tuple(
        replace(i, key=_RENAMED_2023[i.key][0], name=_RENAMED_2023[i.key][1])
        if i.key in _RENAMED_2023
        else i
        for i in _SID_2026
    ),
    spd=_SPD_ROWS,
    spd_total_weight=21,
    k=12,
    jumlah=_JUMLAH,
    maximum=Decimal(250),
    bands=(
        Band(Decimal("60.01"), Predikat.SANGAT_INOVATIF),
        Band(Decimal("35.00"), Predikat.INOVATIF),
        Band(Decimal("0.01"), Predikat.KURANG_INOVATIF),
        Band(Decimal(0), Predikat.TIDAK_DAPAT_DINILAI),
    ),
    window=(date(2021, 1, 1), date(2022, 12, 31)),
    assumptions=(
        _(
            "the innovation indicators, their weights, mandatory rows and parameters: those of "
            "2026, three renamed"
        ),
        _("the regional indicators: those of 2026 (2023 had one indicator fewer in all)"),
        _("the divisor of at least 12, the innovation count score and the maximum of 250"),
        _("the eligibility window"),
        _("the rounding of the index before banding"),
    ),
)

FRAMES: dict[int, Frame] = {f.year: f for f in (FRAME_2023, FRAME_2026)}


def frame(year: int, frames: Mapping[int, Frame] = FRAMES) -> Frame:
    """The frame of an IGA year; `UnknownFrame` (a ValueError) names the year and those known."""
    try:
        return frames[year]
    except (KeyError, TypeError):
        raise UnknownFrame(year, frames) from None


def eligible(f: Frame, applied_on: date | None) -> bool:
    """Whether an innovation counts for the frame: in application (`applied_on` given: the
    caller passes None for one not in application) and applied inside the frame's window."""
    return applied_on is not None and f.window[0] <= applied_on <= f.window[1]


# --- scoring ----------------------------------------------------------------------------------


def check_parameter(parameter: object, field: str) -> int:
    """A parameter 0..3 (whole number), or IidError naming the indicator."""
    if isinstance(parameter, bool) or not isinstance(parameter, int) or parameter not in PARAMETERS:
        raise IidError(
            "parameter_out_of_range", field, f"parameter {parameter!r} of {field!r} is not 0..3"
        )
    return parameter


def row_score(weight: int, parameter: int, field: str = "parameter") -> int:
    """weight (bobot) × parameter, parameter 0..3."""
    return weight * check_parameter(parameter, field)


@dataclass(frozen=True, slots=True)
class InnovationInput:
    """One innovation of the registry as the rules see it. `applied_on` None: not in
    application. `answers`: indicator key → parameter (an indicator absent counts as 0)."""

    key: object
    urusan: str
    applied_on: date | None
    answers: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SpdInput:
    indicator: str
    weight: int
    parameter: int


def sid_of_innovation(f: Frame, answers: Mapping[str, int]) -> int:
    """Σ weight × parameter over the frame's SID rows (0..f.sid_max). An unknown indicator or a
    parameter outside 0..3 raises IidError naming it."""
    for key in answers:
        f.indicator(key)
    return sum(row_score(i.weight, answers.get(i.key, 0), i.key) for i in f.sid)


def missing_mandatory(f: Frame, answers: Mapping[str, int]) -> tuple[str, ...]:
    """The mandatory indicators without accepted evidence (not answered, or parameter 0)."""
    return tuple(k for k in f.mandatory if not answers.get(k, 0))


def jumlah_inovasi(f: Frame, n: int, basic_covered: int) -> Decimal:
    """0.38 × min(n, 200) if the counted innovations cover ≥ 5 of the 6 basic urusan, else 0."""
    if n < 0 or basic_covered < 0:
        raise ValueError("n and basic_covered cannot be negative")
    if basic_covered < f.jumlah.basic_required:
        return Decimal(0)
    return f.jumlah.per_innovation * min(n, f.jumlah.cap)


def agency_sid(f: Frame, rows_total: int, n: int, basic_covered: int) -> tuple[Decimal, int]:
    """(SID, divisor): Σ SID rows / max(k, n) + SkorJumlahInovasi."""
    divisor = max(f.k, n)
    return Decimal(rows_total) / divisor + jumlah_inovasi(f, n, basic_covered), divisor


def check_spd_weights(f: Frame, answers: Sequence[SpdInput]) -> int:
    """Validates the SPD answers against the frame (known indicator, each once, a whole weight
    ≥ 1 — the frame's own where it knows one —, parameter 0..3, Σ weights at most the frame's
    total). Returns the weight not yet entered (0 when complete)."""
    seen: set[str] = set()
    total = 0
    for a in answers:
        row = f.spd_indicator(a.indicator)
        if a.indicator in seen:
            raise IidError("repeated_indicator", a.indicator, f"{a.indicator!r} answered twice")
        seen.add(a.indicator)
        if isinstance(a.weight, bool) or not isinstance(a.weight, int) or a.weight < 1:
            raise IidError("bad_weight", a.indicator, f"weight of {a.indicator!r} must be ≥ 1")
        if row.weight is not None and a.weight != row.weight:
            raise IidError("bad_weight", a.indicator, f"weight of {a.indicator!r} is {row.weight}")
        check_parameter(a.parameter, a.indicator)
        total += a.weight
    if total > f.spd_total_weight:
        raise IidError(
            "weights_over_total",
            "weight",
            f"SPD weights add up to {total}, more than the {f.spd_total_weight} of {f.year}",
        )
    return f.spd_total_weight - total


def spd(f: Frame, answers: Sequence[SpdInput]) -> int:
    """Σ weight × parameter over the SPD answers (validated by `check_spd_weights`)."""
    check_spd_weights(f, answers)
    return sum(a.weight * a.parameter for a in answers)


def iid(f: Frame, spd_score: Decimal | int, sid: Decimal) -> Decimal:
    """(SPD + SID) / maximum × 100, unrounded."""
    return (Decimal(spd_score) + sid) / f.maximum * 100


def predikat(f: Frame, value: Decimal) -> Predikat:
    """The predikat of an IID (banded on the value rounded to `f.band_decimals`)."""
    if value < 0 or value > 100:
        raise ValueError(f"IID {value} outside 0..100")
    if f.band_decimals is not None:
        value = value.quantize(Decimal(1).scaleb(-f.band_decimals), rounding=ROUND_HALF_UP)
    for b in f.bands:
        if value >= b.at_least:
            return b.predikat
    raise ValueError(f"IID {value} below every band")  # pragma: no cover - bands end at 0


@dataclass(frozen=True, slots=True)
class InnovationScore:
    key: object
    rows: int
    missing_mandatory: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class IidScore:
    year: int
    spd: int
    spd_weight_missing: int  # frame total minus the weights entered
    counted: tuple[InnovationScore, ...]
    # (key, "not_applied" | "outside_window" | "missing_mandatory")
    excluded: tuple[tuple[object, str], ...]
    rows_total: int
    n: int
    divisor: int
    basic_covered: frozenset[str]
    jumlah: Decimal
    sid: Decimal
    iid: Decimal  # unrounded
    predikat: Predikat

    @property
    def iid_rounded(self) -> Decimal:
        return round2(self.iid)

    @property
    def missing_mandatory(self) -> dict[object, tuple[str, ...]]:
        return {c.key: c.missing_mandatory for c in self.counted if c.missing_mandatory}


def score(
    f: Frame, spd_answers: Sequence[SpdInput], innovations: Sequence[InnovationInput]
) -> IidScore:
    """The agency's IID for the frame: every part. Innovations not in application or applied
    outside the window (and, when the frame says so, lacking a mandatory indicator) are listed
    in `excluded` and count nowhere (their answers are still validated). Raises IidError for
    bad input, naming the indicator."""
    spd_score = spd(f, spd_answers)
    missing_weight = check_spd_weights(f, spd_answers)
    counted: list[InnovationScore] = []
    excluded: list[tuple[object, str]] = []
    covered: set[str] = set()
    for inn in innovations:
        rows = sid_of_innovation(f, inn.answers)
        if inn.urusan not in URUSAN:
            raise IidError("unknown_urusan", "urusan", f"urusan {inn.urusan!r} is not known")
        if inn.applied_on is None:
            excluded.append((inn.key, "not_applied"))
        elif not eligible(f, inn.applied_on):
            excluded.append((inn.key, "outside_window"))
        elif (missing := missing_mandatory(f, inn.answers)) and not f.missing_mandatory_counts:
            excluded.append((inn.key, "missing_mandatory"))
        else:
            counted.append(InnovationScore(inn.key, rows, missing))
            if inn.urusan in BASIC_URUSAN:
                covered.add(inn.urusan)
    rows_total = sum(c.rows for c in counted)
    n = len(counted)
    sid, divisor = agency_sid(f, rows_total, n, len(covered))
    value = iid(f, spd_score, sid)
    return IidScore(
        year=f.year,
        spd=spd_score,
        spd_weight_missing=missing_weight,
        counted=tuple(counted),
        excluded=tuple(excluded),
        rows_total=rows_total,
        n=n,
        divisor=divisor,
        basic_covered=frozenset(covered),
        jumlah=jumlah_inovasi(f, n, len(covered)),
        sid=sid,
        iid=value,
        predikat=predikat(f, value),
    )


# --- what would raise the IID most ------------------------------------------------------------


class ChangeKind(StrEnum):
    RAISE = "raise"  # raise one innovation's indicator to `parameter`
    MANDATORY = "mandatory"  # add evidence (parameter 1) for a missing mandatory indicator
    SPD = "spd"  # raise one SPD answer to parameter 3
    ADD_INNOVATION = "add_innovation"  # one more innovation in application (same urusan cover)
    COVER_URUSAN = "cover_urusan"  # one more innovation, in a basic urusan not yet covered


@dataclass(frozen=True, slots=True)
class Change:
    kind: ChangeKind
    gain: Decimal  # IID points added (unrounded)
    innovation: object = None
    indicator: str = ""
    parameter: int = 0
    urusan: str = ""
    new_iid: Decimal = Decimal(0)


_KIND_ORDER = {k: i for i, k in enumerate(ChangeKind)}


def improvements(
    f: Frame,
    spd_answers: Sequence[SpdInput],
    innovations: Sequence[InnovationInput],
    *,
    new_innovation_rows: int | None = None,
) -> list[Change]:
    """Single changes to the current answers, each with the IID points it adds (exact: the IID's
    formula with the change; a row or SPD answer moves only its own part, so it is not
    rescored whole), ranked by gain (ties: kind, then input order); changes adding nothing are
    left out.

    - RAISE: each counted innovation's indicator raised to parameter 3 (the most that row can
      add; the gain is linear in the parameter);
    - MANDATORY: a mandatory indicator at 0 given evidence at parameter 1;
    - SPD: an entered SPD answer raised to 3;
    - ADD_INNOVATION: one more eligible innovation scoring `new_innovation_rows` (default: the
      mean of the counted innovations' rows, rounded down; 0 when none) — it acts through the
      divisor max(k, n) and the jumlah inovasi; it covers no new urusan;
    - COVER_URUSAN: the same innovation in each basic urusan not yet covered (the 5-of-6 rule).
    """
    base = score(f, spd_answers, innovations)
    counted_keys = {c.key for c in base.counted}
    changes: list[Change] = []

    def add(kind: ChangeKind, new_iid: Decimal, **kw: object) -> None:
        gain = new_iid - base.iid
        if gain > 0:
            changes.append(Change(kind, gain, new_iid=new_iid, **kw))  # type: ignore[arg-type]

    def with_rows(extra_rows: int) -> Decimal:
        # A counted innovation's row moves neither n, nor the divisor, nor the urusan covered:
        # the IID's formula with the rows total changed (what `score` would compute).
        sid = Decimal(base.rows_total + extra_rows) / base.divisor + base.jumlah
        return iid(f, base.spd, sid)

    for inn in innovations:
        if inn.key not in counted_keys:
            continue
        for ind in f.sid:
            current = inn.answers.get(ind.key, 0)
            if ind.mandatory and current == 0:
                add(ChangeKind.MANDATORY, with_rows(ind.weight), innovation=inn.key,
                    indicator=ind.key, parameter=1)  # fmt: skip
            if current < 3:
                add(ChangeKind.RAISE, with_rows(ind.weight * (3 - current)), innovation=inn.key,
                    indicator=ind.key, parameter=3)  # fmt: skip
    for a in spd_answers:
        if a.parameter < 3:
            new_spd = base.spd + a.weight * (3 - a.parameter)
            add(ChangeKind.SPD, iid(f, new_spd, base.sid), indicator=a.indicator, parameter=3)
    rows = new_innovation_rows
    if rows is None:
        rows = base.rows_total // base.n if base.n else 0
    answers = _answers_worth(f, rows)
    inside = f.window[1]
    covered_urusan = sorted(base.basic_covered) or [""]
    same = covered_urusan[0] or "general_government"
    extra = InnovationInput(("new",), same, inside, answers)
    add(ChangeKind.ADD_INNOVATION, score(f, spd_answers, [*innovations, extra]).iid,
        parameter=rows)  # fmt: skip
    for urusan in sorted(BASIC_URUSAN - base.basic_covered):
        extra = InnovationInput(("new",), urusan, inside, answers)
        add(ChangeKind.COVER_URUSAN, score(f, spd_answers, [*innovations, extra]).iid,
            urusan=urusan, parameter=rows)  # fmt: skip
    changes.sort(key=lambda c: (-c.gain, _KIND_ORDER[c.kind]))
    return changes


def _answers_worth(f: Frame, rows: int) -> dict[str, int]:
    """Answers of a hypothetical innovation scoring exactly `rows` (0..f.sid_max): each
    mandatory row at parameter 1 first, as far as the rows go (so that it counts also when a
    frame drops innovations lacking one), then parameters filled greedily, highest weight
    first."""
    if not 0 <= rows <= f.sid_max:
        raise ValueError(f"rows {rows} outside 0..{f.sid_max}")
    answers: dict[str, int] = {}
    left = rows
    for ind in f.sid:
        if ind.mandatory and left >= ind.weight:
            answers[ind.key] = 1
            left -= ind.weight
    for ind in sorted(f.sid, key=lambda i: -i.weight):
        current = answers.get(ind.key, 0)
        p = min(3 - current, left // ind.weight)
        if p:
            answers[ind.key] = current + p
            left -= p * ind.weight
    # weights include 1, so the greedy fill always lands exactly
    return answers
