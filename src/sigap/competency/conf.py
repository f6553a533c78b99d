"""Competency settings: the rules marked UNCERTAIN in rules-innovation-competency.md §2, read
from `settings.SIGAP` with their documented defaults (a missing key is the default)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django.conf import settings

from sigap.rules.competency import (
    DEFAULT_CONVERSION,
    MAPPING_BANDS,
    SELECTION_BANDS,
    YEARLY_JP,
    Band,
    JpBasis,
    JpmCapping,
    JpRule,
    Route,
)

DEFAULTS: dict[str, Any] = {
    # §2.1: the agency's JP conversion for non-classroom routes, overriding the default (BPS)
    # table per route: {"seminar": {"basis": "per_day", "jp": 4}, ...}.
    "COMPETENCY_JP_CONVERSION": {},
    # §2.1: the yearly duty (PP 11/2017 as amended: 20 JP).
    "COMPETENCY_YEARLY_JP": YEARLY_JP,
    # §2.2: "none" (default: the total uncapped, shown capped at 100 % with the surplus),
    # "per_competency" or "total".
    "COMPETENCY_JPM_CAPPING": "none",
    # §2.2: the mapping and selection bands as (threshold, code) from the highest down.
    "COMPETENCY_MAPPING_BANDS": [(b.at_least, b.code) for b in MAPPING_BANDS],
    "COMPETENCY_SELECTION_BANDS": [(b.at_least, b.code) for b in SELECTION_BANDS],
    # --- the gaps (sigap.competency.gaps) ---
    # The performance gap: an officer is judged on a step only with at least this many events
    # in the last 12 months, against at least this many peers with as many (the scorecards'
    # minimum sample, sigap.analytics.scorecards.MIN_CASES).
    "COMPETENCY_GAP_MIN_EVENTS": 30,
    "COMPETENCY_GAP_MIN_PEERS": 2,
    # Worse than the peers' median by at least: rework share or first-time-right, in points of
    # a share (0.10 = 10 points); median handling time, relative (0.5 = 50 % slower).
    "COMPETENCY_GAP_SHARE_MARGIN": 0.10,
    "COMPETENCY_GAP_HANDLING_MARGIN": 0.50,
    # The soft-skill gap: an officer is read with at least this many requests handled (the
    # complaints' base) or SKM responses on their requests, against at least
    # COMPETENCY_GAP_MIN_PEERS officers of the agency with as many.
    "COMPETENCY_SOFT_MIN_SAMPLE": 30,
    # Behaviour complaints: at least this many, and at least this many more per request than
    # the peers' median (0.01 = one more per 100 requests).
    "COMPETENCY_SOFT_MIN_COMPLAINTS": 2,
    "COMPETENCY_SOFT_COMPLAINT_MARGIN": 0.01,
    # SKM unsur U6/U7: at least this far below the peers' median on the 1-4 scale.
    "COMPETENCY_SOFT_SKM_MARGIN": 0.25,
    # Which competency (national dictionary code) each soft-skill signal points to.
    "COMPETENCY_SOFT_SKILL_COMPETENCIES": {
        "complaints": "komunikasi",
        "perilaku": "komunikasi",
        "kompetensi": "pelayanan-publik",
    },
    # --- the AKPK (sigap.competency.akpk) ---
    # The suggested route per competency group (Peraturan LAN 10/2018): the first for a group of
    # at least COMPETENCY_AKPK_GROUP_SIZE employees (a classroom course pays off), the second
    # for fewer (on the job). Technical gaps on a step: bimbingan teknis or bimbingan di tempat
    # kerja; managerial: pelatihan manajerial or coaching; socio-cultural: pelatihan sosial
    # kultural or mentoring.
    "COMPETENCY_AKPK_ROUTES": {
        "teknis": ["bimbingan_teknis", "bimbingan_di_tempat_kerja"],
        "manajerial": ["manajerial", "coaching"],
        "sosial_kultural": ["sosial_kultural", "mentoring"],
    },
    "COMPETENCY_AKPK_GROUP_SIZE": 3,
    # Planned JP, the provider and the budget per participant (Rp) per route; a route missing
    # here takes the "*" entry.
    "COMPETENCY_AKPK_JP": {
        "bimbingan_teknis": 16,
        "bimbingan_di_tempat_kerja": 8,
        "manajerial": 24,
        "coaching": 4,
        "sosial_kultural": 16,
        "mentoring": 4,
        "*": 8,
    },
    "COMPETENCY_AKPK_PROVIDER": {
        "bimbingan_teknis": "BKPSDM",
        "bimbingan_di_tempat_kerja": "Atasan langsung di unit kerja",
        "manajerial": "BPSDM Provinsi",
        "coaching": "Atasan langsung",
        "sosial_kultural": "BPSDM Provinsi",
        "mentoring": "Atasan langsung",
        "*": "BKPSDM",
    },
    "COMPETENCY_AKPK_BUDGET": {
        "bimbingan_teknis": 1_500_000,
        "bimbingan_di_tempat_kerja": 0,
        "manajerial": 3_500_000,
        "coaching": 0,
        "sosial_kultural": 2_500_000,
        "mentoring": 0,
        "*": 1_000_000,
    },
    # Scheduling: the first month of the year with training (the budget year opens in January),
    # and how many items a month, in priority order.
    "COMPETENCY_AKPK_FIRST_MONTH": 2,
    "COMPETENCY_AKPK_ITEMS_PER_MONTH": 3,
}


def get(key: str) -> Any:
    return cast(dict[str, Any], getattr(settings, "SIGAP", {})).get(key, DEFAULTS[key])


def jp_conversion() -> dict[Route, JpRule]:
    """The default table with the agency's overrides applied."""
    table = dict(DEFAULT_CONVERSION)
    for route, rule in cast(dict[str, dict[str, Any]], get("COMPETENCY_JP_CONVERSION")).items():
        sessions = rule.get("monthly_sessions")
        table[Route(route)] = JpRule(
            JpBasis(rule["basis"]),
            Decimal(str(rule.get("jp", 0))),
            int(sessions) if sessions is not None else None,
        )
    return table


def yearly_jp() -> int:
    return int(get("COMPETENCY_YEARLY_JP"))


def jpm_capping() -> JpmCapping:
    return JpmCapping(get("COMPETENCY_JPM_CAPPING"))


def _bands(key: str) -> tuple[Band, ...]:
    return tuple(Band(Decimal(str(at)), str(code)) for at, code in get(key))


def mapping_bands() -> tuple[Band, ...]:
    return _bands("COMPETENCY_MAPPING_BANDS")


def selection_bands() -> tuple[Band, ...]:
    return _bands("COMPETENCY_SELECTION_BANDS")
