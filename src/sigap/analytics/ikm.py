"""IKM per unit / service / period, trends and sample adequacy, from per-group tallies.

Pure: the caller brings rows of (group, period, unsur sums and counts) — one SQL `GROUP BY` — and
gets typed results back. The formula, the mutu table and Krejcie–Morgan live in `sigap.rules`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from sigap.rules.ikm import ELEMENT_CODES, ElementTally, IkmResult, Weighting, ikm_from_tallies
from sigap.rules.sample_size import SampleAdequacy, sample_adequacy

__all__ = [
    "GroupTally",
    "IkmPoint",
    "PeriodKind",
    "ikm_series",
    "period_bounds",
    "period_key",
    "period_label",
]


class PeriodKind(StrEnum):
    """Survey periods a unit may choose (PermenPANRB 14/2017: at least once a year)."""

    MONTH = "month"
    QUARTER = "quarter"
    SEMESTER = "semester"
    YEAR = "year"


def period_key(day: date, kind: PeriodKind) -> str:
    """Sortable key of the period holding `day`: 2025-03, 2025-Q1, 2025-S1, 2025.

    >>> period_key(date(2025, 8, 17), PeriodKind.QUARTER)
    '2025-Q3'
    """
    if kind is PeriodKind.MONTH:
        return f"{day.year}-{day.month:02d}"
    if kind is PeriodKind.QUARTER:
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if kind is PeriodKind.SEMESTER:
        return f"{day.year}-S{1 if day.month <= 6 else 2}"
    return f"{day.year}"


def period_bounds(key: str) -> tuple[date, date]:
    """First and last day of a period key; `ValueError` for a malformed key.

    >>> period_bounds("2025-S2")
    (datetime.date(2025, 7, 1), datetime.date(2025, 12, 31))
    """
    try:
        year_text, dash, rest = key.partition("-")
        year = int(year_text)
        if not 1900 <= year <= 2100 or (dash and not rest):
            raise ValueError
        if not rest:
            first, last = 1, 12
        elif rest[0] == "Q" and rest[1:] in {"1", "2", "3", "4"}:
            first = (int(rest[1]) - 1) * 3 + 1
            last = first + 2
        elif rest[0] == "S" and rest[1:] in {"1", "2"}:
            first = 1 if rest[1] == "1" else 7
            last = first + 5
        elif len(rest) == 2 and rest.isdigit() and 1 <= int(rest) <= 12:
            first = last = int(rest)
        else:
            raise ValueError
    except (ValueError, IndexError):
        raise ValueError(
            f"Not a period: {key!r} (use 2025, 2025-S1, 2025-Q3 or 2025-07)."
        ) from None
    end = date(year + 1, 1, 1) if last == 12 else date(year, last + 1, 1)
    return date(year, first, 1), date.fromordinal(end.toordinal() - 1)


def period_label(key: str) -> str:
    """How a report names the period, in Bahasa Indonesia: "Triwulan III 2025"."""
    period_bounds(key)  # validates
    year, _, rest = key.partition("-")
    roman = {"1": "I", "2": "II", "3": "III", "4": "IV"}
    if not rest:
        return f"Tahun {year}"
    if rest[0] == "Q":
        return f"Triwulan {roman[rest[1]]} {year}"
    if rest[0] == "S":
        return f"Semester {roman[rest[1]]} {year}"
    months = [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ]
    return f"{months[int(rest) - 1]} {year}"


@dataclass(frozen=True, slots=True)
class GroupTally:
    """One group (a unit, a service...) in one period: respondents and per-unsur sums/counts."""

    group: str
    period: str
    respondents: int
    totals: Mapping[str, int]
    counts: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class IkmPoint:
    """The IKM of one group in one period, its change from the previous period and its sample."""

    group: str
    period: str
    result: IkmResult
    change: Decimal | None  # IKM minus the previous period's IKM of the same group
    sample: SampleAdequacy | None


def ikm_series(
    tallies: Iterable[GroupTally],
    *,
    weighting: Weighting = Weighting.EXACT,
    populations: Mapping[tuple[str, str], int] | None = None,
) -> list[IkmPoint]:
    """IKM per (group, period), sorted by group then period, with the trend across periods.

    `populations[(group, period)]` is the number of service recipients, for the
    Krejcie–Morgan check; without it, `sample` is None.
    """
    points: list[IkmPoint] = []
    previous: dict[str, Decimal | None] = {}
    for t in sorted(tallies, key=lambda t: (t.group, t.period)):
        unknown = (set(t.totals) | set(t.counts)) - set(ELEMENT_CODES)
        if unknown:
            raise ValueError(f"Unknown unsur codes {sorted(unknown)}.")
        result = ikm_from_tallies(
            [ElementTally(c, t.totals.get(c, 0), t.counts.get(c, 0)) for c in ELEMENT_CODES],
            t.respondents,
            weighting,
        )
        before = previous.get(t.group)
        change = result.ikm - before if result.ikm is not None and before is not None else None
        population = (populations or {}).get((t.group, t.period))
        sample = sample_adequacy(population, t.respondents) if population is not None else None
        points.append(IkmPoint(t.group, t.period, result, change, sample))
        previous[t.group] = result.ikm
    return points
