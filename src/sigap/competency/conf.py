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
