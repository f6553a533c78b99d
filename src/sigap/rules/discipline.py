"""PNS discipline for unexcused absence: PP 94/2021 tentang Disiplin PNS.

Pasal 11(2)(d)(3) and the matching articles for ringan, sedang and berat sanctions, as confirmed
by the worked examples of Peraturan BKN 6/2022: unexcused absence is counted in hari kerja,
cumulatively within one year, and 10 consecutive working days of absence lead to honourable
dismissal not at one's own request (PDHTAPS), with salary stopped from the following month.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sigap.rules.calendar import WorkingCalendar

__all__ = [
    "ABSENCE_LADDER",
    "CONSECUTIVE_DISMISSAL_DAYS",
    "AbsenceSanction",
    "SanctionLevel",
    "absence_sanction",
    "longest_consecutive_absence",
]


class SanctionLevel(StrEnum):
    RINGAN = "ringan"
    SEDANG = "sedang"
    BERAT = "berat"


@dataclass(frozen=True)
class AbsenceSanction:
    code: str
    level: SanctionLevel
    label: str  # the hukuman disiplin in the regulation's words
    consecutive: bool = False  # given for 10 consecutive working days rather than the total


_R, _S, _B = SanctionLevel.RINGAN, SanctionLevel.SEDANG, SanctionLevel.BERAT
PDHTAPS = AbsenceSanction(
    "pdhtaps", _B, "Pemberhentian dengan hormat tidak atas permintaan sendiri sebagai PNS"
)

ABSENCE_LADDER: tuple[tuple[int, int | None, AbsenceSanction], ...] = (
    (3, 3, AbsenceSanction("teguran_lisan", _R, "Teguran lisan")),
    (4, 6, AbsenceSanction("teguran_tertulis", _R, "Teguran tertulis")),
    (7, 10, AbsenceSanction("tidak_puas", _R, "Pernyataan tidak puas secara tertulis")),
    (11, 13, AbsenceSanction("tukin_25_6", _S, "Pemotongan tunjangan kinerja 25% selama 6 bulan")),
    (14, 16, AbsenceSanction("tukin_25_9", _S, "Pemotongan tunjangan kinerja 25% selama 9 bulan")),
    (
        17,
        20,
        AbsenceSanction("tukin_25_12", _S, "Pemotongan tunjangan kinerja 25% selama 12 bulan"),
    ),
    (
        21,
        24,
        AbsenceSanction(
            "turun_jabatan", _B, "Penurunan jabatan setingkat lebih rendah selama 12 bulan"
        ),
    ),
    (
        25,
        27,
        AbsenceSanction(
            "bebas_jabatan",
            _B,
            "Pembebasan dari jabatannya menjadi jabatan pelaksana selama 12 bulan",
        ),
    ),
    (28, None, PDHTAPS),
)
"""(first day, last day or None, sanction) for cumulative unexcused absence in one year
(PP 94/2021; 4–6 days for teguran tertulis as in the BKN examples, not the "4–7" of some news)."""

CONSECUTIVE_DISMISSAL_DAYS = 10


def absence_sanction(cumulative_days: int, consecutive_days: int = 0) -> AbsenceSanction | None:
    """The hukuman disiplin for unexcused absence in one year (PP 94/2021), or None below 3 days.

    `cumulative_days`: working days absent without a valid reason in the year;
    `consecutive_days`: the longest run of consecutive working days among them.

    >>> absence_sanction(5).code
    'teguran_tertulis'
    >>> absence_sanction(10, consecutive_days=10).code
    'pdhtaps'
    """
    if cumulative_days < 0 or consecutive_days < 0:
        raise ValueError("days of absence cannot be negative")
    if consecutive_days > cumulative_days:
        raise ValueError("a consecutive run cannot be longer than the total")
    if consecutive_days >= CONSECUTIVE_DISMISSAL_DAYS:
        return AbsenceSanction(PDHTAPS.code, PDHTAPS.level, PDHTAPS.label, consecutive=True)
    for first, last, sanction in ABSENCE_LADDER:
        if cumulative_days >= first and (last is None or cumulative_days <= last):
            return sanction
    return None


def longest_consecutive_absence(days: Iterable[date], calendar: WorkingCalendar) -> int:
    """The longest run of absence days with no working day between them.

    Days off (weekends, holidays) neither break nor extend a run: absent on Friday and the next
    Monday is 2 consecutive working days. Dates that are not working days are ignored.
    """
    working = sorted({d for d in days if calendar.is_working_day(d)})
    best = run = 0
    previous: date | None = None
    for day in working:
        if previous is not None and calendar.working_days_between(previous, day) == 1:
            run += 1
        else:
            run = 1
        best = max(best, run)
        previous = day
    return best
