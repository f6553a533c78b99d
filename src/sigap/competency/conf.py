"""Competency settings: the rules marked UNCERTAIN in rules-innovation-competency.md §2, read
from `settings.SIGAP` with their documented defaults (a missing key is the default).

The settings are instance-wide (one sigap per agency today). `problems()` validates every one of
them; the system check `sigap.E010` (sigap.competency.checks) runs it at startup, so a wrong
value stops `manage.py check`/`runserver` with the setting named instead of failing every page.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django.conf import settings

from sigap.analytics.scorecards import MIN_CASES
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
    "COMPETENCY_GAP_MIN_EVENTS": MIN_CASES,
    "COMPETENCY_GAP_MIN_PEERS": 2,
    # Worse than the peers' median by at least: rework share or first-time-right, in points of
    # a share (0.10 = 10 points); median handling time, relative (0.5 = 50 % slower).
    "COMPETENCY_GAP_SHARE_MARGIN": 0.10,
    "COMPETENCY_GAP_HANDLING_MARGIN": 0.50,
    # The soft-skill gap: an officer is read with at least this many requests handled (the
    # complaints' base) or SKM responses on their requests, against at least
    # COMPETENCY_GAP_MIN_PEERS officers of the agency with as many.
    "COMPETENCY_SOFT_MIN_SAMPLE": MIN_CASES,
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


# --- validation (the system check) ---------------------------------------------------------


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return None
    return number if number.is_finite() else None


def _whole(value: Any, least: int, most: int | None = None) -> bool:
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and value >= least
        and (most is None or value <= most)
    )


def _conversion_problems(table: Any) -> list[str]:
    key = "COMPETENCY_JP_CONVERSION"
    if not isinstance(table, dict):
        return [f"{key} must be a dict of route -> {{'basis': ..., 'jp': ...}}."]
    found = []
    for route, rule in table.items():
        if route not in Route._value2member_map_:
            found.append(f"{key}: unknown route {route!r} (one of {', '.join(Route)}).")
            continue
        if not isinstance(rule, dict):
            found.append(f"{key}[{route!r}] must be a dict with 'basis' and 'jp'.")
            continue
        basis = rule.get("basis")
        if basis not in JpBasis._value2member_map_:
            found.append(
                f"{key}[{route!r}]: unknown basis {basis!r} (one of {', '.join(JpBasis)})."
            )
        jp = _number(rule.get("jp", 0))
        if jp is None or jp < 0:
            found.append(f"{key}[{route!r}]: 'jp' must be a number of at least 0.")
        sessions = rule.get("monthly_sessions")
        if sessions is not None and not _whole(sessions, 1):
            found.append(f"{key}[{route!r}]: 'monthly_sessions' must be a whole number ≥ 1.")
    return found


def _band_problems(key: str, bands: Any) -> list[str]:
    try:
        pairs = [(_number(at), code) for at, code in bands]
    except (TypeError, ValueError):
        return [f"{key} must be a list of (threshold in %, code) pairs."]
    if not pairs:
        return [f"{key} must have at least one band."]
    if any(at is None or not isinstance(code, str) or not code for at, code in pairs):
        return [f"{key}: every band is a (number, non-empty code) pair."]
    if min(at for at, _ in pairs if at is not None) > 0:
        return [f"{key}: the lowest band must start at 0 (a JPM of 0 % falls in no band)."]
    return []


def _route_table_problems(key: str, table: Any, value_ok: Any, what: str) -> list[str]:
    if not isinstance(table, dict):
        return [f"{key} must be a dict of route -> {what}, with a '*' entry."]
    found = []
    if "*" not in table:
        found.append(f"{key} needs a '*' entry (the value of a route not listed).")
    for route, value in table.items():
        if route != "*" and route not in Route._value2member_map_:
            found.append(f"{key}: unknown route {route!r}.")
        elif not value_ok(value):
            found.append(f"{key}[{route!r}] must be {what}.")
    return found


def _akpk_routes_problems(table: Any) -> list[str]:
    key = "COMPETENCY_AKPK_ROUTES"
    if not isinstance(table, dict) or "teknis" not in table:
        return [f"{key} must be a dict of group -> [route for a group, route for few], "
                "with a 'teknis' entry."]  # fmt: skip
    found = []
    for group, pair in table.items():
        if (
            not isinstance(pair, (list, tuple))
            or len(pair) != 2
            or any(r not in Route._value2member_map_ for r in pair)
        ):
            found.append(f"{key}[{group!r}] must be two routes (one of {', '.join(Route)}).")
    return found


def problems() -> list[str]:
    """Every competency setting that is not usable, each sentence naming its setting (English:
    the system check's words, read by the person deploying)."""
    found = _conversion_problems(get("COMPETENCY_JP_CONVERSION"))
    if not _whole(get("COMPETENCY_YEARLY_JP"), 0):
        found.append("COMPETENCY_YEARLY_JP must be a whole number of JP (≥ 0).")
    if get("COMPETENCY_JPM_CAPPING") not in JpmCapping._value2member_map_:
        found.append(
            f"COMPETENCY_JPM_CAPPING must be one of {', '.join(JpmCapping)}; "
            f"it is {get('COMPETENCY_JPM_CAPPING')!r}."
        )
    for key in ("COMPETENCY_MAPPING_BANDS", "COMPETENCY_SELECTION_BANDS"):
        found += _band_problems(key, get(key))
    wholes = {
        "COMPETENCY_GAP_MIN_EVENTS": 1,
        "COMPETENCY_GAP_MIN_PEERS": 1,
        "COMPETENCY_SOFT_MIN_SAMPLE": 1,
        "COMPETENCY_SOFT_MIN_COMPLAINTS": 0,
        "COMPETENCY_AKPK_GROUP_SIZE": 1,
        "COMPETENCY_AKPK_ITEMS_PER_MONTH": 1,
    }
    for key, least in wholes.items():
        if not _whole(get(key), least):
            found.append(f"{key} must be a whole number ≥ {least}.")
    if not _whole(get("COMPETENCY_AKPK_FIRST_MONTH"), 1, 12):
        found.append("COMPETENCY_AKPK_FIRST_MONTH must be a month, 1 to 12.")
    for key in (
        "COMPETENCY_GAP_SHARE_MARGIN",
        "COMPETENCY_GAP_HANDLING_MARGIN",
        "COMPETENCY_SOFT_COMPLAINT_MARGIN",
        "COMPETENCY_SOFT_SKM_MARGIN",
    ):
        margin = _number(get(key))
        if margin is None or margin < 0:
            found.append(f"{key} must be a number ≥ 0.")
    targets = get("COMPETENCY_SOFT_SKILL_COMPETENCIES")
    if not isinstance(targets, dict) or not all(isinstance(v, str) and v for v in targets.values()):
        found.append(
            "COMPETENCY_SOFT_SKILL_COMPETENCIES must be a dict of signal -> competency code."
        )
    found += _akpk_routes_problems(get("COMPETENCY_AKPK_ROUTES"))

    def non_negative(v: Any) -> bool:
        return (n := _number(v)) is not None and n >= 0

    found += _route_table_problems(
        "COMPETENCY_AKPK_JP", get("COMPETENCY_AKPK_JP"), non_negative, "a number of JP ≥ 0"
    )
    found += _route_table_problems(
        "COMPETENCY_AKPK_BUDGET", get("COMPETENCY_AKPK_BUDGET"), non_negative, "an amount ≥ 0"
    )
    found += _route_table_problems(
        "COMPETENCY_AKPK_PROVIDER",
        get("COMPETENCY_AKPK_PROVIDER"),
        lambda v: isinstance(v, str) and bool(v.strip()),
        "a provider's name",
    )
    return found
