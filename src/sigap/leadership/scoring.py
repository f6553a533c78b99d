"""Pure scoring rules of the leadership scorecard and roadmap: periods, ranks, trends, gaps.

No Django here: `sigap.leadership.refresh` brings the numbers and stores the results. The
targets are sigap conventions (no regulation sets an agency-wide SLA-compliance target), shown
on the pages and in docs/leadership.md; the IKM target is the lower bound of mutu A
(PermenPANRB 14/2017).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from statistics import median as _median
from typing import TypeVar

from sigap.analytics.ikm import PeriodKind as IkmPeriodKind
from sigap.analytics.ikm import period_bounds, period_key
from sigap.metrics import registry

K = TypeVar("K", bound=Hashable)

KINDS = ("month", "quarter", "year")
MIN_SAMPLE = 10
"""Fewer cases (or responses) than this: the figure is shown, marked small, and not ranked."""


def period_label(day: date, kind: str) -> str:
    """The period of `day`: '2026-10', '2026-Q3' or '2026'.

    >>> period_label(date(2026, 8, 17), "quarter")
    '2026-Q3'
    """
    return period_key(day, IkmPeriodKind(kind))


def bounds(label: str) -> tuple[date, date]:
    """First and last day of a period label."""
    return period_bounds(label)


def previous_period(label: str) -> str:
    """The period of the same kind just before `label`.

    >>> previous_period("2026-01"), previous_period("2026-Q1"), previous_period("2026")
    ('2025-12', '2025-Q4', '2025')
    """
    first, _ = period_bounds(label)
    year, _, rest = label.partition("-")
    if not rest:
        return str(int(year) - 1)
    if rest.startswith("Q"):
        q = int(rest[1])
        return f"{year}-Q{q - 1}" if q > 1 else f"{int(year) - 1}-Q4"
    return f"{year}-{first.month - 1:02d}" if first.month > 1 else f"{int(year) - 1}-12"


def periods_between(first: date, last: date, kind: str) -> list[str]:
    """Every period label of `kind` from the one holding `first` to the one holding `last`."""
    out: list[str] = []
    label = period_label(last, kind)
    stop = period_label(first, kind)
    while True:
        out.append(label)
        if label == stop or len(out) > 1200:
            break
        label = previous_period(label)
    return out[::-1]


def share(part: int, whole: int) -> float | None:
    """part / whole, None when nothing was measured."""
    return part / whole if whole else None


def median(values: Iterable[float]) -> float | None:
    got = list(values)
    return float(_median(got)) if got else None


def rank(values: Mapping[K, float | None], *, higher_is_better: bool = True) -> dict[K, int]:
    """Competition ranking ("1224"): 1 = best; ties share a rank; None values are not ranked.

    >>> rank({"a": 0.9, "b": 0.7, "c": 0.9, "d": None})
    {'a': 1, 'c': 1, 'b': 3}
    """
    present = [(k, v) for k, v in values.items() if v is not None]
    present.sort(key=lambda kv: -kv[1] if higher_is_better else kv[1])
    out: dict[K, int] = {}
    for i, (k, v) in enumerate(present):
        if i and v == present[i - 1][1]:
            out[k] = out[present[i - 1][0]]
        else:
            out[k] = i + 1
    return out


def change(current: float | None, previous: float | None) -> float | None:
    """current − previous, None unless both were measured."""
    if current is None or previous is None:
        return None
    return round(current - previous, 6)


class Sense(StrEnum):
    BETTER = "better"
    WORSE = "worse"
    SAME = "same"


def sense(delta: float | None, *, higher_is_better: bool, tolerance: float = 1e-9) -> Sense | None:
    """Whether a change is an improvement, for the trend arrow's colour and label."""
    if delta is None:
        return None
    if abs(delta) <= tolerance:
        return Sense.SAME
    return Sense.BETTER if (delta > 0) == higher_is_better else Sense.WORSE


@dataclass(frozen=True, slots=True)
class Metric:
    """A scorecard figure the roadmap can target: where it starts being a gap, and its worst."""

    key: str
    higher_is_better: bool
    target: float
    worst: float


# The roadmap's targets come from the metric registry, the one place a figure is defined.
METRICS: dict[str, Metric] = {
    m.key: Metric(m.key, bool(m.higher_is_better), m.target, m.worst if m.worst is not None else 0)
    for m in registry.METRICS.values()
    if m.target is not None
}
# Shown with a trend, never a roadmap target.
METRICS["lead_wd_median"] = Metric("lead_wd_median", False, 0.0, 0.0)

# The figure that ranks each dimension of the scorecard.
DIMENSIONS: dict[str, str] = {
    "speed": "sla_share",
    "accuracy": "ftr_share",
    "responsiveness": "complaints_on_time_share",
    "satisfaction": "ikm",
    "transparency": "transparency_score",
    "integrity": "integrity_rate",
    "appraisal": "appraisal_diff_index",
}
LOWER_IS_BETTER = frozenset(k for k, m in registry.METRICS.items() if m.higher_is_better is False)


def gap(value: float | None, metric: Metric) -> float:
    """How far `value` is from the target, as a fraction (0 = at or past target, 1 = worst).

    >>> gap(0.72, METRICS["sla_share"])
    0.2
    >>> gap(75.648, METRICS["ikm"])
    0.2
    """
    if value is None:
        return 0.0
    span = metric.target - metric.worst
    if span == 0:
        return 0.0
    shortfall = (metric.target - value) / span
    return round(min(1.0, max(0.0, shortfall)), 6)


def priority(gap_fraction: float, citizens: int) -> float:
    """The roadmap's ranking rule: gap × citizens affected (a gap no one meets ranks last)."""
    return round(gap_fraction * citizens, 6)


def mean_present(*values: float | None) -> float | None:
    """Mean of the measured values; None when none was measured."""
    got = [v for v in values if v is not None]
    return sum(got) / len(got) if got else None


def per_thousand(count: int | None, volume: int) -> float | None:
    if count is None or not volume:
        return None
    return round(1000 * count / volume, 6)
