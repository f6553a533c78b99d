"""Calibration of performance ratings against objective evidence: pure functions, no Django.

- `spearman`: Spearman's rank correlation with average ranks for ties (Pearson on the ranks),
  so ratings on a 5-step scale with many ties are handled correctly.
- `differentiation_index`: how spread the predikat of a group are (normalised Gini-Simpson:
  0 = everyone the same, 1 = evenly spread over the 5 predikat).
- `evidence_composite`: each person's evidence as the mean of their percentile ranks on the
  available measures (direction-aware), comparable across units.
- `inflation_flag`: a unit whose ratings are high while its evidence is weak.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

__all__ = [
    "InflationSettings",
    "UnitCalibration",
    "average_ranks",
    "calibrate_unit",
    "differentiation_index",
    "evidence_composite",
    "inflation_flag",
    "percentile_ranks",
    "spearman",
]


def average_ranks(values: Sequence[float]) -> list[float]:
    """Ranks 1..n, ties sharing the mean of the ranks they span.

    >>> average_ranks([10, 20, 20, 30])
    [1.0, 2.5, 2.5, 4.0]
    """
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        mean = (i + j) / 2 + 1
        for k in range(i, j + 1):
            ranks[order[k]] = mean
        i = j + 1
    return ranks


def _pearson(x: Sequence[float], y: Sequence[float]) -> float | None:
    n = len(x)
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def spearman(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Spearman's rho with average ranks for ties; None when n < 3 or either side is constant.

    >>> spearman([1, 2, 3, 4], [10, 30, 20, 40])
    0.8
    """
    if len(x) != len(y):
        raise ValueError("both sequences must have the same length")
    if len(x) < 3:
        return None
    rho = _pearson(average_ranks(x), average_ranks(y))
    return None if rho is None else round(rho, 12)


def percentile_ranks(
    values: Sequence[float | None], *, higher_is_better: bool = True
) -> list[float | None]:
    """Each value's mid-rank percentile in 0..1 among the non-missing values (ties share it).

    With one value the percentile is 0.5. Missing values stay None.
    """
    present = [(i, v) for i, v in enumerate(values) if v is not None]
    out: list[float | None] = [None] * len(values)
    if not present:
        return out
    signed = [v if higher_is_better else -v for _, v in present]
    ranks = average_ranks(signed)
    n = len(present)
    for (i, _), r in zip(present, ranks, strict=True):
        out[i] = 0.5 if n == 1 else (r - 1) / (n - 1)
    return out


def evidence_composite(
    measures: Sequence[tuple[Sequence[float | None], bool]],
) -> list[float | None]:
    """Per person, the mean of their percentile ranks over the measures they have.

    `measures`: (one value per person, higher_is_better). A person with no measure at all gets
    None (no evidence). Equal weights: a sigap convention, shown in the UI.
    """
    if not measures:
        return []
    n = len(measures[0][0])
    columns = [percentile_ranks(values, higher_is_better=hib) for values, hib in measures]
    out: list[float | None] = []
    for i in range(n):
        got = [c[i] for c in columns if c[i] is not None]
        out.append(sum(g for g in got if g is not None) / len(got) if got else None)
    return out


def differentiation_index(labels: Sequence[Hashable], categories: int = 5) -> float | None:
    """Normalised Gini-Simpson index of the labels: (1 − Σ p²) / (1 − 1/k).

    0 when everyone has the same predikat, 1 when they are spread evenly over `categories`.
    None for an empty group.

    >>> differentiation_index(["baik"] * 10)
    0.0
    """
    if categories < 2:
        raise ValueError("need at least 2 categories")
    n = len(labels)
    if n == 0:
        return None
    simpson = 1 - sum((c / n) ** 2 for c in Counter(labels).values())
    return round(simpson / (1 - 1 / categories), 12)


@dataclass(frozen=True)
class InflationSettings:
    """When a unit's ratings count as inflated (a sigap convention, shown in the UI)."""

    min_rated: int = 3  # smaller groups are not judged
    min_top_share: float = 0.40  # share rated at the top (Sangat Baik) that counts as high
    max_evidence: float = 0.45  # mean evidence percentile at or below which evidence is weak


def inflation_flag(
    top_share: float, evidence_level: float | None, rated: int, settings: InflationSettings
) -> bool:
    """High ratings (`top_share` of the top predikat) while the unit's evidence is weak."""
    if evidence_level is None or rated < settings.min_rated:
        return False
    return top_share >= settings.min_top_share and evidence_level <= settings.max_evidence


@dataclass(frozen=True)
class UnitCalibration:
    rated: int
    distribution: dict[str, int]
    top_share: float
    evidence_level: float | None  # mean evidence percentile of the rated people with evidence
    with_evidence: int
    correlation: float | None  # Spearman between rating score and evidence, within the unit
    differentiation: float | None
    inflated: bool


def calibrate_unit(
    rows: Sequence[tuple[str, int, float | None]],
    *,
    top: str,
    settings: InflationSettings = InflationSettings(),
) -> UnitCalibration:
    """Summary of one unit from (predikat code, rating score, evidence composite or None) rows."""
    labels = [r[0] for r in rows]
    n = len(rows)
    distribution = dict(Counter(labels))
    top_share = distribution.get(top, 0) / n if n else 0.0
    paired = [(score, ev) for _, score, ev in rows if ev is not None]
    level = sum(ev for _, ev in paired) / len(paired) if paired else None
    rho = spearman([p[0] for p in paired], [p[1] for p in paired]) if paired else None
    return UnitCalibration(
        rated=n,
        distribution=distribution,
        top_share=top_share,
        evidence_level=level,
        with_evidence=len(paired),
        correlation=rho,
        differentiation=differentiation_index(labels),
        inflated=inflation_flag(top_share, level, n, settings),
    )
