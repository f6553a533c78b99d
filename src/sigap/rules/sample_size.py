"""Sample size of a satisfaction survey: Krejcie & Morgan (1970).

PermenPANRB 14/2017 Lampiran points to the Krejcie–Morgan table for "besaran sampel dan
populasi". The table comes from the formula

    S = X²·N·P(1−P) / (d²(N−1) + X²·P(1−P)),  X² = 3,841, P = 0,5, d = 0,05,

rounded to the nearest integer; the formula reproduces all 90 published rows (see
`KREJCIE_MORGAN_TABLE` and its test), and between rows it is used directly. A unit below the
sample size gets a warning, never a block (units often fall short; ``rules.md`` §1.6).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

__all__ = [
    "KREJCIE_MORGAN_TABLE",
    "SampleAdequacy",
    "krejcie_morgan",
    "sample_adequacy",
]

_CHI2 = Decimal("3.841")  # χ² for 1 degree of freedom at 95 %
_P = Decimal("0.5")
_D = Decimal("0.05")

KREJCIE_MORGAN_TABLE: tuple[tuple[int, int], ...] = (
    (10, 10), (15, 14), (20, 19), (25, 24), (30, 28), (35, 32), (40, 36), (45, 40), (50, 44),
    (55, 48), (60, 52), (65, 56), (70, 59), (75, 63), (80, 66), (85, 70), (90, 73), (95, 76),
    (100, 80), (110, 86), (120, 92), (130, 97), (140, 103), (150, 108), (160, 113), (170, 118),
    (180, 123), (190, 127), (200, 132), (210, 136), (220, 140), (230, 144), (240, 148),
    (250, 152), (260, 155), (270, 159), (280, 162), (290, 165), (300, 169), (320, 175),
    (340, 181), (360, 186), (380, 191), (400, 196), (420, 201), (440, 205), (460, 210),
    (480, 214), (500, 217), (550, 226), (600, 234), (650, 242), (700, 248), (750, 254),
    (800, 260), (850, 265), (900, 269), (950, 274), (1000, 278), (1100, 285), (1200, 291),
    (1300, 297), (1400, 302), (1500, 306), (1600, 310), (1700, 313), (1800, 317), (1900, 320),
    (2000, 322), (2200, 327), (2400, 331), (2600, 335), (2800, 338), (3000, 341), (3500, 346),
    (4000, 351), (4500, 354), (5000, 357), (6000, 361), (7000, 364), (8000, 367), (9000, 368),
    (10000, 370), (15000, 375), (20000, 377), (30000, 379), (40000, 380), (50000, 381),
    (75000, 382), (1000000, 384),
)  # fmt: skip
"""(population N, sample S): Table 1 of Krejcie & Morgan (1970), all 90 rows."""


@lru_cache(maxsize=4096)  # pure, and in Decimal: the open data asks it for thousands of rows
def krejcie_morgan(population: int) -> int:
    """Required sample for a population of `population` service recipients.

    Krejcie & Morgan (1970), as referred to by PermenPANRB 14/2017 Lampiran. 0 for an empty
    population; a negative one raises `ValueError`.

    >>> krejcie_morgan(100), krejcie_morgan(1000), krejcie_morgan(1_000_000)
    (80, 278, 384)
    """
    if population < 0:
        raise ValueError(f"A population cannot be negative ({population}).")
    if population == 0:
        return 0
    variance = _P * (1 - _P)
    s = _CHI2 * population * variance / (_D * _D * (population - 1) + _CHI2 * variance)
    return int(s.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True, slots=True)
class SampleAdequacy:
    population: int
    required: int
    respondents: int

    @property
    def adequate(self) -> bool:
        return self.respondents >= self.required

    @property
    def shortfall(self) -> int:
        return max(0, self.required - self.respondents)


def sample_adequacy(population: int, respondents: int) -> SampleAdequacy:
    """Compare the respondents with the Krejcie–Morgan sample for the population.

    The population is never taken below the respondents (everyone who answered was served).
    """
    population = max(population, respondents)
    return SampleAdequacy(population, krejcie_morgan(population), respondents)
