"""A measured effect (`InterventionEffect`) in the reader's words.

`effect_sentences(effect)` gives the headline first — one sentence per KPI × conclusion, with
the change in the KPI's own unit (working days for the lead time, percentage points for a
share, IKM points, complaints per 1,000 requests) and its confidence interval at the level it was
judged at (the row's `confidence`: 95 % for the subject's primary KPI, Bonferroni-adjusted for
the others, `sigap.innovation.effects.levels`; printed "IK 98,75 %", never "IK 95 %" for a
wider interval) — then the
explanation `sigap innovation effects` stored with the row (Said parts: the sample, the
caveats, or why the data carry no conclusion).

The figures are the row's own (`estimate`, `ci_low`, `ci_high`: the difference in differences
of `sigap.analytics.impact`, in the KPI's unit; shares on the 0–1 scale): nothing is
recomputed here, so every page that shows an effect shows the same numbers. Numbers are
formatted for the active language by `sigap.web.formatting` (2,1 / 2.1; 1.000 / 1,000).

The KPI keys are those of `sigap.analytics.service_panel` (LEAD_TIME, SLA, FIRST_TIME_RIGHT,
IKM, COMPLAINTS); whether higher is better follows the same table.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy, gettext_noop

from sigap.innovation.models import Conclusion, InterventionEffect
from sigap.web import formatting
from sigap.web.said import Said, from_stored

# The KPI keys of sigap.analytics.service_panel (one definition of each figure is there).
LEAD_TIME = "lead_time"
SLA = "sla_share"
FIRST_TIME_RIGHT = "first_time_right"
IKM = "ikm"
COMPLAINTS = "complaints_per_1000"

HIGHER_IS_BETTER: dict[str, bool] = {
    LEAD_TIME: False,
    SLA: True,
    FIRST_TIME_RIGHT: True,
    IKM: True,
    COMPLAINTS: False,
}

# What a KPI is called in a sentence and in a table heading.
KPI_NAMES: dict[str, Any] = {
    LEAD_TIME: gettext_lazy("lead time"),
    SLA: gettext_lazy("share of requests completed within the service standard's time"),
    FIRST_TIME_RIGHT: gettext_lazy("share of requests never returned for correction"),
    IKM: gettext_lazy("community satisfaction index (IKM)"),
    COMPLAINTS: gettext_lazy("complaints per 1,000 requests"),
}

# How the change began, by subject.
SINCE: dict[str, str] = {
    InterventionEffect.Subject.INNOVATION: gettext_noop("After the innovation was applied"),
    InterventionEffect.Subject.ROADMAP_ACTION: gettext_noop(
        "After the roadmap action was completed"
    ),
}

# The headline per KPI: the figure fell / rose measurably, or did not change measurably.
# %(change)s, %(low)s and %(high)s are figures in the KPI's unit, written after them.
HEADLINES: dict[str, dict[str, str]] = {
    LEAD_TIME: {
        "fell": gettext_noop(
            "%(since)s, the lead time fell by %(change)s working days (%(level)s CI "
            "%(low)s–%(high)s) compared with the comparison services."
        ),
        "rose": gettext_noop(
            "%(since)s, the lead time rose by %(change)s working days (%(level)s CI "
            "%(low)s–%(high)s) compared with the comparison services."
        ),
        "none": gettext_noop(
            "%(since)s, the lead time did not change measurably compared with the comparison "
            "services (change %(change)s working days, %(level)s CI %(low)s to %(high)s)."
        ),
    },
    SLA: {
        "fell": gettext_noop(
            "%(since)s, the share of requests completed within the service standard's time fell "
            "by %(change)s percentage points (%(level)s CI %(low)s–%(high)s) compared with the "
            "comparison services."
        ),
        "rose": gettext_noop(
            "%(since)s, the share of requests completed within the service standard's time rose "
            "by %(change)s percentage points (%(level)s CI %(low)s–%(high)s) compared with the "
            "comparison services."
        ),
        "none": gettext_noop(
            "%(since)s, the share of requests completed within the service standard's time did "
            "not change measurably compared with the comparison services (change %(change)s "
            "percentage points, %(level)s CI %(low)s to %(high)s)."
        ),
    },
    FIRST_TIME_RIGHT: {
        "fell": gettext_noop(
            "%(since)s, the share of requests never returned for correction fell by %(change)s "
            "percentage points (%(level)s CI %(low)s–%(high)s) compared with the comparison "
            "services."
        ),
        "rose": gettext_noop(
            "%(since)s, the share of requests never returned for correction rose by %(change)s "
            "percentage points (%(level)s CI %(low)s–%(high)s) compared with the comparison "
            "services."
        ),
        "none": gettext_noop(
            "%(since)s, the share of requests never returned for correction did not change "
            "measurably compared with the comparison services (change %(change)s percentage "
            "points, %(level)s CI %(low)s to %(high)s)."
        ),
    },
    IKM: {
        "fell": gettext_noop(
            "%(since)s, the community satisfaction index (IKM) fell by %(change)s points "
            "(%(level)s CI %(low)s–%(high)s) compared with the comparison services."
        ),
        "rose": gettext_noop(
            "%(since)s, the community satisfaction index (IKM) rose by %(change)s points "
            "(%(level)s CI %(low)s–%(high)s) compared with the comparison services."
        ),
        "none": gettext_noop(
            "%(since)s, the community satisfaction index (IKM) did not change measurably compared "
            "with the comparison services (change %(change)s points, %(level)s CI %(low)s to "
            "%(high)s)."
        ),
    },
    COMPLAINTS: {
        "fell": gettext_noop(
            "%(since)s, complaints fell by %(change)s per 1,000 requests (%(level)s CI "
            "%(low)s–%(high)s) compared with the comparison services."
        ),
        "rose": gettext_noop(
            "%(since)s, complaints rose by %(change)s per 1,000 requests (%(level)s CI "
            "%(low)s–%(high)s) compared with the comparison services."
        ),
        "none": gettext_noop(
            "%(since)s, complaints per 1,000 requests did not change measurably compared with the "
            "comparison services (change %(change)s, %(level)s CI %(low)s to %(high)s)."
        ),
    },
}
# No conclusion: the reason follows in the stored explanation.
NO_CONCLUSION: dict[str, str] = {
    LEAD_TIME: gettext_noop("No conclusion yet on whether the lead time changed."),
    SLA: gettext_noop(
        "No conclusion yet on whether the share of requests completed within the service "
        "standard's time changed."
    ),
    FIRST_TIME_RIGHT: gettext_noop(
        "No conclusion yet on whether the share of requests never returned for correction changed."
    ),
    IKM: gettext_noop(
        "No conclusion yet on whether the community satisfaction index (IKM) changed."
    ),
    COMPLAINTS: gettext_noop("No conclusion yet on whether complaints per 1,000 requests changed."),
}
# A KPI this module does not know (a newer analysis): still a sentence without internal names.
OTHER: dict[str, str] = {
    "improved": gettext_noop("%(since)s, this indicator improved measurably."),
    "worsened": gettext_noop("%(since)s, this indicator worsened measurably."),
    "none": gettext_noop("%(since)s, this indicator did not change measurably."),
    "no_conclusion": gettext_noop("No conclusion yet on whether this indicator changed."),
}

# Percentage points for the shares (stored 0–1); decimals shown per KPI.
_SHARES = frozenset({SLA, FIRST_TIME_RIGHT})
_PLACES: dict[str, int] = {LEAD_TIME: 1, SLA: 1, FIRST_TIME_RIGHT: 1, IKM: 2, COMPLAINTS: 1}


def _shown(kpi: str, value: float) -> str:
    """A change in the KPI's unit for the active language (percentage points for a share)."""
    scaled = value * 100 if kpi in _SHARES else value
    return formatting.decimal(scaled, _PLACES.get(kpi, 2))


def level_places(level: float) -> int:
    """The decimals a confidence level needs as a percentage, at most two: 0.95 -> 0 ("95 %"),
    0.975 -> 1, 0.9875 -> 2 ("98,75 %"), 0.98333 -> 2 ("98,33 %")."""
    points = round(level * 100, 2)
    for places in (0, 1):
        if abs(points - round(points, places)) < 1e-9:
            return places
    return 2


def confidence_level(level: float | None) -> str:
    """A stored confidence level as the reader writes it: "98,75 %" / "98.75%"."""
    found = 0.95 if level is None else float(level)
    return formatting.percent(found, level_places(found))


def _headline(effect: InterventionEffect) -> Said:
    """The first sentence: what changed, by how much and how surely, or that the data carry no
    conclusion yet. Improved / worsened read "fell" or "rose" by the KPI's good direction."""
    kpi, conclusion = effect.kpi, effect.conclusion
    since = {"since": SINCE.get(effect.subject, SINCE[InterventionEffect.Subject.INNOVATION])}
    if conclusion == Conclusion.NO_CONCLUSION:
        return Said(NO_CONCLUSION.get(kpi, OTHER["no_conclusion"]))
    figures = (effect.estimate, effect.ci_low, effect.ci_high)
    if kpi not in HEADLINES or None in figures:
        key = "none" if conclusion == Conclusion.NO_EFFECT else str(conclusion)
        return Said(OTHER.get(key, OTHER["none"]), since)
    estimate, low, high = (float(v) for v in figures)  # type: ignore[arg-type]
    # The level the interval was judged at, as stored (never a fixed "95 %").
    since |= {"level": confidence_level(effect.confidence)}
    if conclusion == Conclusion.NO_EFFECT:
        params = {"change": _shown(kpi, estimate), "low": _shown(kpi, low)}
        params["high"] = _shown(kpi, high)
        return Said(HEADLINES[kpi]["none"], since | params)
    improved = conclusion == Conclusion.IMPROVED
    rose = improved == HIGHER_IS_BETTER[kpi]
    # The size of the change and its interval as magnitudes: "fell 2,1 (1,2–3,0)".
    ends = sorted((abs(low), abs(high)))
    params = {"change": _shown(kpi, abs(estimate))}
    params |= {"low": _shown(kpi, ends[0]), "high": _shown(kpi, ends[1])}
    return Said(HEADLINES[kpi]["rose" if rose else "fell"], since | params)


def headline(effect: InterventionEffect) -> str:
    """The headline in the active language."""
    return _translated(_headline(effect))


def _translated(s: Said) -> str:
    # `since` is a msgid itself: translated before it goes into the sentence.
    params: Mapping[str, Any] = s.params
    if "since" in params:
        params = dict(params) | {"since": str(Said(str(params["since"])))}
    return str(Said(s.msgid, dict(params)))


def effect_sentences(effect: InterventionEffect) -> list[str]:
    """The headline, then the stored explanation, in the active language."""
    return [headline(effect), *(str(s) for s in from_stored(effect.explanation))]


def kpi_name(kpi: str) -> str:
    """The KPI as a reader calls it (never the internal key)."""
    found = KPI_NAMES.get(kpi)
    return str(found) if found is not None else str(gettext_lazy("indicator"))


__all__ = [
    "HEADLINES",
    "HIGHER_IS_BETTER",
    "KPI_NAMES",
    "NO_CONCLUSION",
    "confidence_level",
    "effect_sentences",
    "headline",
    "kpi_name",
    "level_places",
]
