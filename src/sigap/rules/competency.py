"""Competency development of ASN (rules-innovation-competency.md §2): the routes of Peraturan
LAN 10/2018, JP, the 20-JP duty and the job–person match (JPM).

Pure functions over plain values; no Django. The UNCERTAIN parts (the JP conversion of
non-classroom routes, JPM capping and bands) are parameters with the documented defaults.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class RouteGroup(StrEnum):
    PENDIDIKAN = "pendidikan"
    KLASIKAL = "klasikal"
    NONKLASIKAL = "nonklasikal"


class Route(StrEnum):
    """A development route of Peraturan LAN 10/2018 (the stored code of a training record)."""

    # pendidikan
    TUGAS_BELAJAR = "tugas_belajar"
    IZIN_BELAJAR = "izin_belajar"
    # pelatihan klasikal
    STRUKTURAL_KEPEMIMPINAN = "struktural_kepemimpinan"
    MANAJERIAL = "manajerial"
    TEKNIS = "teknis"
    FUNGSIONAL = "fungsional"
    SOSIAL_KULTURAL = "sosial_kultural"
    SEMINAR = "seminar"
    WORKSHOP = "workshop"
    KURSUS = "kursus"
    PENATARAN = "penataran"
    BIMBINGAN_TEKNIS = "bimbingan_teknis"
    SOSIALISASI = "sosialisasi"
    # pelatihan nonklasikal
    COACHING = "coaching"
    MENTORING = "mentoring"
    E_LEARNING = "e_learning"
    JARAK_JAUH = "jarak_jauh"
    DETASERING = "detasering"
    ALAM_TERBUKA = "alam_terbuka"
    PATOK_BANDING = "patok_banding"
    PERTUKARAN = "pertukaran"
    BELAJAR_MANDIRI = "belajar_mandiri"
    KOMUNITAS_BELAJAR = "komunitas_belajar"
    BIMBINGAN_DI_TEMPAT_KERJA = "bimbingan_di_tempat_kerja"
    MAGANG = "magang"


ROUTE_GROUP: dict[Route, RouteGroup] = {
    **{r: RouteGroup.PENDIDIKAN for r in (Route.TUGAS_BELAJAR, Route.IZIN_BELAJAR)},
    **{
        r: RouteGroup.KLASIKAL
        for r in (
            Route.STRUKTURAL_KEPEMIMPINAN, Route.MANAJERIAL, Route.TEKNIS, Route.FUNGSIONAL,
            Route.SOSIAL_KULTURAL, Route.SEMINAR, Route.WORKSHOP, Route.KURSUS,
            Route.PENATARAN, Route.BIMBINGAN_TEKNIS, Route.SOSIALISASI,
        )
    },
    **{
        r: RouteGroup.NONKLASIKAL
        for r in (
            Route.COACHING, Route.MENTORING, Route.E_LEARNING, Route.JARAK_JAUH,
            Route.DETASERING, Route.ALAM_TERBUKA, Route.PATOK_BANDING, Route.PERTUKARAN,
            Route.BELAJAR_MANDIRI, Route.KOMUNITAS_BELAJAR, Route.BIMBINGAN_DI_TEMPAT_KERJA,
            Route.MAGANG,
        )
    },
}  # fmt: skip

MIN_LEVEL = 1
MAX_LEVEL = 5
JP_MINUTES = 45
"""1 JP (jam pelajaran) = 45 minutes (VERIFIED)."""
YEARLY_JP = 20
"""At least 20 JP per PNS per year (PP 11/2017 Pasal 203(4) as amended by PP 17/2020)."""


# --- JP conversion (rules-innovation-competency.md §2.1) ---------------------------------------


class JpBasis(StrEnum):
    """How a route's JP follow from the record (the agency's conversion table, a setting)."""

    ACTUAL = "actual"  # the hours actually taught, 45 minutes a JP (classroom routes)
    PER_DAY = "per_day"  # a fixed number of JP per calendar day attended
    CAP_PER_DAY = "cap_per_day"  # actual JP, at most so many per calendar day
    PER_SESSION = "per_session"  # so many JP a session, at most `monthly_sessions` a month
    PER_SEMESTER = "per_semester"  # so many JP per (started) semester of study
    FIXED = "fixed"  # so many JP for the whole activity


@dataclass(frozen=True, slots=True)
class JpRule:
    basis: JpBasis
    jp: Decimal = Decimal(0)
    monthly_sessions: int | None = None


_A = JpRule(JpBasis.ACTUAL)

# One agency's (BPS) table, the documented default (UNCERTAIN: no national table was found).
DEFAULT_CONVERSION: dict[Route, JpRule] = {
    Route.TUGAS_BELAJAR: JpRule(JpBasis.PER_SEMESTER, Decimal(20)),
    Route.IZIN_BELAJAR: JpRule(JpBasis.PER_SEMESTER, Decimal(20)),
    Route.STRUKTURAL_KEPEMIMPINAN: _A,
    Route.MANAJERIAL: _A,
    Route.TEKNIS: _A,
    Route.FUNGSIONAL: _A,
    Route.SOSIAL_KULTURAL: _A,
    Route.SEMINAR: JpRule(JpBasis.PER_DAY, Decimal(4)),
    Route.SOSIALISASI: JpRule(JpBasis.PER_DAY, Decimal(4)),
    Route.WORKSHOP: JpRule(JpBasis.PER_DAY, Decimal(5)),
    Route.KURSUS: _A,
    Route.PENATARAN: _A,
    Route.BIMBINGAN_TEKNIS: _A,
    Route.COACHING: JpRule(JpBasis.PER_SESSION, Decimal(2), monthly_sessions=2),
    Route.MENTORING: JpRule(JpBasis.PER_SESSION, Decimal(2), monthly_sessions=2),
    Route.E_LEARNING: JpRule(JpBasis.CAP_PER_DAY, Decimal(3)),
    Route.JARAK_JAUH: _A,
    Route.DETASERING: JpRule(JpBasis.FIXED, Decimal(20)),
    Route.PERTUKARAN: JpRule(JpBasis.FIXED, Decimal(20)),
    Route.MAGANG: JpRule(JpBasis.FIXED, Decimal(20)),
    Route.ALAM_TERBUKA: _A,
    Route.PATOK_BANDING: JpRule(JpBasis.FIXED, Decimal(10)),
    Route.BELAJAR_MANDIRI: JpRule(JpBasis.CAP_PER_DAY, Decimal(2)),
    Route.KOMUNITAS_BELAJAR: JpRule(JpBasis.CAP_PER_DAY, Decimal(2)),
    Route.BIMBINGAN_DI_TEMPAT_KERJA: _A,
}


class JpError(ValueError):
    """A training record that cannot be converted; `code` names the problem (the web layer
    words it), `field` the field concerned."""

    def __init__(self, code: str, field: str) -> None:
        super().__init__(code)
        self.code = code
        self.field = field


def _months(starts_on: date, ends_on: date) -> int:
    """Calendar months touched by the period (a session cap applies per month)."""
    return (ends_on.year - starts_on.year) * 12 + ends_on.month - starts_on.month + 1


def _semesters(starts_on: date, ends_on: date) -> int:
    """Started semesters (six months) of a study from `starts_on` to `ends_on` inclusive: a
    study of exactly six months, wherever in the month it starts, is one; a day more is two."""
    end = ends_on + timedelta(days=1)  # exclusive end
    months = (end.year - starts_on.year) * 12 + end.month - starts_on.month
    if end.day > starts_on.day:
        months += 1  # a started month
    return max(1, -(-months // 6))


def hours_to_jp(hours: Decimal) -> Decimal:
    """Clock hours as JP of 45 minutes, to two decimals (half up)."""
    return (Decimal(hours) * 60 / JP_MINUTES).quantize(Decimal("0.01"), ROUND_HALF_UP)


def training_jp(
    route: Route,
    starts_on: date,
    ends_on: date,
    hours: Decimal,
    sessions: int | None = None,
    conversion: Mapping[Route, JpRule] = DEFAULT_CONVERSION,
) -> Decimal:
    """The JP a development activity counts for, by the agency's conversion table.

    `hours` are clock hours of learning (0 when the route counts days or sessions); `sessions`
    the coaching/mentoring sessions held. Raises `JpError` for an end before the start,
    negative hours or sessions, or a per-session route without sessions.
    """
    if ends_on < starts_on:
        raise JpError("ends_before_start", "ends_on")
    if hours < 0:
        raise JpError("negative_hours", "hours")
    if sessions is not None and sessions < 0:
        raise JpError("negative_sessions", "sessions")
    rule = conversion[route]
    days = (ends_on - starts_on).days + 1
    if rule.basis is JpBasis.ACTUAL:
        return hours_to_jp(hours)
    if rule.basis is JpBasis.PER_DAY:
        return rule.jp * days
    if rule.basis is JpBasis.CAP_PER_DAY:
        return min(hours_to_jp(hours), rule.jp * days)
    if rule.basis is JpBasis.PER_SESSION:
        if sessions is None:
            raise JpError("sessions_required", "sessions")
        cap = rule.monthly_sessions
        counted = sessions if cap is None else min(sessions, cap * _months(starts_on, ends_on))
        return rule.jp * counted
    if rule.basis is JpBasis.PER_SEMESTER:
        return rule.jp * _semesters(starts_on, ends_on)
    return rule.jp  # FIXED


# --- the 20-JP duty ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class JpStanding:
    total: Decimal
    required: int
    compliant: bool
    short: Decimal
    """JP still missing this year (0 when compliant)."""


def jp_standing(total: Decimal, required: int = YEARLY_JP) -> JpStanding:
    """Whether a year's JP meet the duty: 19 JP is not compliant, 20 JP is."""
    total = Decimal(total)
    short = max(Decimal(0), Decimal(required) - total)
    return JpStanding(total, required, total >= required, short)


def jp_between(
    jp: Decimal, starts_on: date, ends_on: date, period_start: date, period_end: date
) -> Decimal:
    """The JP of an activity that fall in a period: its JP spread evenly over its calendar days
    (`starts_on` to `ends_on`, both included), the share of the days from `period_start` to
    `period_end` (both included); 2 decimals, half up.

    A 4-year tugas belajar of 160 JP counts about 40 JP in each of its years, not 160 in the
    year it ends; an activity still under way counts the days done up to `period_end`.
    """
    if ends_on < starts_on:
        raise ValueError("an activity cannot end before it starts")
    first, last = max(starts_on, period_start), min(ends_on, period_end)
    if last < first:
        return Decimal("0.00")
    days = Decimal((last - first).days + 1)
    total = Decimal((ends_on - starts_on).days + 1)
    return (Decimal(jp) * days / total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- the job–person match (§2.2) -----------------------------------------------------------------


class JpmCapping(StrEnum):
    """UNCERTAIN which: a setting. Default NONE (the total is uncapped; shown capped at 100 %
    with the surplus beside it)."""

    NONE = "none"
    PER_COMPETENCY = "per_competency"  # each level counts at most up to its standard
    TOTAL = "total"  # the match is at most 100 %


@dataclass(frozen=True, slots=True)
class Jpm:
    percent: Decimal
    """Σ individual ÷ Σ standard × 100, two decimals (half up), after the capping policy."""
    individual: int
    standard: int

    @property
    def shown(self) -> Decimal:
        """What a page shows: at most 100 %; the rest is `surplus`."""
        return min(self.percent, Decimal(100))

    @property
    def surplus(self) -> Decimal:
        return max(Decimal(0), self.percent - Decimal(100))


def jpm(pairs: Sequence[tuple[int, int]], capping: JpmCapping = JpmCapping.NONE) -> Jpm:
    """The job–person match of (individual level, standard level) pairs, one per competency of
    the position's standard. A competency not assessed counts as level 0."""
    if not pairs:
        raise ValueError("no_standard")
    for individual, standard in pairs:
        if not (0 <= individual <= MAX_LEVEL and MIN_LEVEL <= standard <= MAX_LEVEL):
            raise ValueError("level_out_of_range")
    if capping is JpmCapping.PER_COMPETENCY:
        total = sum(min(i, s) for i, s in pairs)
    else:
        total = sum(i for i, _s in pairs)
    standard_total = sum(s for _i, s in pairs)
    percent = (Decimal(total) * 100 / standard_total).quantize(Decimal("0.01"), ROUND_HALF_UP)
    if capping is JpmCapping.TOTAL:
        percent = min(percent, Decimal(100))
    return Jpm(percent, total, standard_total)


@dataclass(frozen=True, slots=True)
class Band:
    """A band of a JPM scale: from `at_least` (inclusive) up to the next band."""

    at_least: Decimal
    code: str


# UNCERTAIN (one vendor): the documented defaults, settings per agency.
MAPPING_BANDS: tuple[Band, ...] = (
    Band(Decimal(90), "optimal"),
    Band(Decimal(78), "cukup_optimal"),
    Band(Decimal(0), "kurang_optimal"),
)
SELECTION_BANDS: tuple[Band, ...] = (
    Band(Decimal(80), "memenuhi_syarat"),
    Band(Decimal(68), "masih_memenuhi_syarat"),
    Band(Decimal(0), "kurang_memenuhi_syarat"),
)


def band(percent: Decimal, bands: Sequence[Band] = MAPPING_BANDS) -> str:
    """The band code of a JPM percentage (bands from the highest threshold down)."""
    for b in sorted(bands, key=lambda b: b.at_least, reverse=True):
        if percent >= b.at_least:
            return b.code
    raise ValueError("below_every_band")
