"""IID settings: the values of rules-innovation-competency.md §1 marked UNCERTAIN, read from
`settings.SIGAP` with their documented defaults (a missing key is the frame's own value).

- `IID_BANDS` — the predikat bands of a frame year, highest first, as (threshold, predikat)
  pairs: ``{2026: [("65.01", "sangat_inovatif"), ("40.01", "inovatif"), ("0.01",
  "kurang_inovatif"), ("0", "tidak_dapat_dinilai")]}``. A year not listed keeps the frame's
  bands (2026: 65.01 / 40.01 / 0.01 / 0, UNCERTAIN; 2023: 60.01 / 35.00 / 0.01 / 0, VERIFIED).
- `IID_WINDOWS` — the eligibility window of a frame year, both dates included:
  ``{2026: ("2024-01-01", "2025-12-31")}``; a year not listed keeps the frame's.
- `IID_BAND_DECIMALS` — the decimals the IID is rounded to (half up) before it is banded;
  None bands the unrounded value. Default 2 (UNCERTAIN).
- `IID_MISSING_MANDATORY_COUNTS` — whether an innovation lacking a mandatory indicator
  (parameter 0) still counts. Default True (UNCERTAIN): it counts and is listed; False: it is
  listed among those not counted ("mandatory evidence missing").

The pages, the answers and the export take their frame from `frame(year)` / `frames()` here, so
an override applies everywhere at once. `problems()` validates the settings; the system check
`sigap.E011` (sigap.innovation.checks) runs it at startup.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any, cast

from django.conf import settings

from sigap.rules.innovation import FRAMES, Band, Frame, Predikat, UnknownFrame

DEFAULTS: dict[str, Any] = {
    "IID_BANDS": {},
    "IID_WINDOWS": {},
    "IID_BAND_DECIMALS": 2,
    "IID_MISSING_MANDATORY_COUNTS": True,
}


def get(key: str) -> Any:
    return cast(dict[str, Any], getattr(settings, "SIGAP", {})).get(key, DEFAULTS[key])


def _date(value: Any) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _bands(pairs: Any) -> tuple[Band, ...]:
    return tuple(Band(Decimal(str(at)), Predikat(code)) for at, code in pairs)


def frames() -> dict[int, Frame]:
    """The rules' frames with the settings applied."""
    bands = get("IID_BANDS") or {}
    windows = get("IID_WINDOWS") or {}
    decimals = get("IID_BAND_DECIMALS")
    found: dict[int, Frame] = {}
    for year, f in FRAMES.items():
        changes: dict[str, Any] = {
            "band_decimals": decimals,
            "missing_mandatory_counts": get("IID_MISSING_MANDATORY_COUNTS"),
        }
        if year in bands:
            changes["bands"] = _bands(bands[year])
        if year in windows:
            start, end = windows[year]
            changes["window"] = (_date(start), _date(end))
        found[year] = replace(f, **changes)
    return found


def frame(year: int) -> Frame:
    """The frame of `year` with the settings applied; `UnknownFrame` for a year without one."""
    known = frames()
    try:
        return known[year]
    except (KeyError, TypeError):
        raise UnknownFrame(year, known) from None


# --- validation (the system check) ---------------------------------------------------------


def _band_problems(year: Any, pairs: Any) -> list[str]:
    key = f"IID_BANDS[{year!r}]"
    try:
        items = [(Decimal(str(at)), code) for at, code in pairs]
    except (TypeError, ValueError, InvalidOperation):
        return [f"{key} must be a list of (threshold 0..100, predikat) pairs."]
    if not items:
        return [f"{key} must have at least one band."]
    found = []
    codes = ", ".join(p.value for p in Predikat)
    for at, code in items:
        if not at.is_finite() or not 0 <= at <= 100:
            found.append(f"{key}: the threshold {at} is not between 0 and 100.")
        if code not in Predikat._value2member_map_:
            found.append(f"{key}: unknown predikat {code!r} (one of {codes}).")
    thresholds = [at for at, _ in items if at.is_finite()]
    if any(a <= b for a, b in pairwise(thresholds)):
        found.append(f"{key}: the thresholds must go down strictly, the highest band first.")
    if thresholds and min(thresholds) != 0:
        found.append(f"{key}: the lowest band must start at 0 (an IID of 0 falls in no band).")
    return found


def _window_problems(year: Any, window: Any) -> list[str]:
    key = f"IID_WINDOWS[{year!r}]"
    try:
        start, end = window
        start, end = _date(start), _date(end)
    except (TypeError, ValueError):
        return [f"{key} must be two dates (start, end), e.g. ('2024-01-01', '2025-12-31')."]
    if start > end:
        return [f"{key}: the start {start} is after the end {end}."]
    return []


def problems() -> list[str]:
    """Every IID setting that is not usable, each sentence naming its setting (English: the
    system check's words, read by the person deploying)."""
    found: list[str] = []
    known = ", ".join(map(str, sorted(FRAMES)))
    for key, check in (("IID_BANDS", _band_problems), ("IID_WINDOWS", _window_problems)):
        table = get(key)
        if not isinstance(table, dict):
            found.append(f"{key} must be a dict of frame year -> value.")
            continue
        for year, value in table.items():
            if year not in FRAMES:
                found.append(f"{key}: no IID frame for {year!r} (frames known: {known}).")
                continue
            found += check(year, value)
    decimals = get("IID_BAND_DECIMALS")
    if decimals is not None and (
        isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 6
    ):
        found.append("IID_BAND_DECIMALS must be None or a whole number from 0 to 6.")
    if not isinstance(get("IID_MISSING_MANDATORY_COUNTS"), bool):
        found.append("IID_MISSING_MANDATORY_COUNTS must be True or False.")
    return found
