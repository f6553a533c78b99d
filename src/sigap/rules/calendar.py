"""The working-day calendar (hari kerja) behind every SLA and deadline in sigap.

A day is a working day unless it is a Saturday or Sunday (Keppres 68/1995 Pasal 1(1): five
working days, Monday to Friday), a national public holiday (hari libur nasional), a cuti bersama day
(when the agency counts those as days off), or one of the agency's own days off. Both kinds of
national days are set every year by the joint decree (SKB) of the Menteri Agama, Menteri
Ketenagakerjaan and MenPANRB on "hari libur nasional dan cuti bersama"; sigap reads them from
`holidays.Indonesia` (category "public" = libur nasional, "government" = cuti bersama), with names
in Bahasa Indonesia. Years not yet decreed have no cuti bersama, and future Islamic holidays are
estimates (their names end in "(perkiraan)").

Deadlines counted in hari kerja that use this calendar include SP4N-LAPOR! (Perpres 76/2013;
PermenPANRB 62/2018 as amended by 46/2020: 3 / 5 / 10 hari kerja), gratifikasi reports (UU 31/1999
jo. UU 20/2001 Pasal 12C(2): 30 hari kerja) and the SLA of each service's standar pelayanan
(UU 25/2009 Pasal 21; PermenPANRB 15/2014).

Counting convention (used everywhere below): the day an event happens is day 0, and the next working
day is day 1, so `add_working_days(d, n)` is the n-th working day strictly after d, and
`working_days_between(a, b)` counts the working days in the half-open interval (a, b].
"""

from __future__ import annotations

import threading
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache

from holidays.countries.indonesia import Indonesia

__all__ = [
    "EPOCH",
    "LOCAL_DAY_OFF_REASON",
    "MAX_YEAR",
    "MIN_YEAR",
    "CalendarDay",
    "WorkingCalendar",
    "due_date",
    "paused_working_days",
]

EPOCH = date(2000, 1, 1)
"""`working_day_index(d)` counts the working days from EPOCH up to and including d."""

# The holidays library has Indonesian data for these years only; outside them we would silently
# treat real holidays as working days, so we refuse instead.
MIN_YEAR: int = Indonesia.start_year
MAX_YEAR: int = Indonesia.end_year

_EPOCH_ORDINAL = EPOCH.toordinal()
# When a date outside the cached years is asked for, cache this many extra years around it, so that
# a generator walking forward through time does not rebuild the table every new year.
_PAD_YEARS = 10
_WEEKEND_NAMES = {5: "Sabtu", 6: "Minggu"}
_CUTI_PREFIX = "cuti bersama"
LOCAL_DAY_OFF_REASON = "Libur instansi"
"""`day_off_reason` of an agency day off (`extra_days_off`) with no national holiday on it."""


@dataclass(frozen=True, slots=True)
class CalendarDay:
    """One row of `WorkingCalendar.table` (one date)."""

    date: date
    is_working: bool
    working_day_index: int
    reason: str | None


@dataclass(frozen=True)
class WorkingCalendar:
    """An agency's working-day calendar (hari kerja).

    Regulation: Keppres 68/1995 Pasal 1(1) (Monday–Friday), the yearly SKB 3 Menteri on hari
    libur nasional dan cuti bersama, and the agency's own decisions (local days off, weekend days
    declared working). Whether cuti bersama stops an SLA clock is not settled nationally (cuti
    bersama for ASN is taken out of annual leave), hence `cuti_bersama_is_day_off` (default True).

    Instances are immutable and hashable; equal settings share one precomputed table, so creating
    many `WorkingCalendar()` objects is cheap. Precedence for a date: `extra_working_days` wins over
    everything (even a Sunday); otherwise a national holiday, a cuti bersama day (if counted), an
    `extra_days_off` day, a Saturday or a Sunday makes it a day off.
    """

    cuti_bersama_is_day_off: bool = True
    # The agency's local days off, e.g. the regency's anniversary (hari jadi).
    extra_days_off: frozenset[date] = frozenset()
    # Weekend or holiday dates the agency declares working (rare); they override every day off.
    extra_working_days: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        # Normalise datetimes to dates so equal settings hash equal and share one cached table.
        off = frozenset(date.fromordinal(d.toordinal()) for d in self.extra_days_off)
        working = frozenset(date.fromordinal(d.toordinal()) for d in self.extra_working_days)
        if both := off & working:
            listed = ", ".join(d.isoformat() for d in sorted(both))
            raise ValueError(f"dates both in extra_days_off and extra_working_days: {listed}")
        object.__setattr__(self, "extra_days_off", off)
        object.__setattr__(self, "extra_working_days", working)

    def is_working_day(self, d: date) -> bool:
        """True if `d` is a hari kerja (Keppres 68/1995 Pasal 1(1); SKB 3 Menteri on holidays)."""
        o = d.toordinal()
        table = _state(self).table_for(o)
        return table.flags[o - table.lo] == 1

    def day_off_reason(self, d: date) -> str | None:
        """Why `d` is not a working day, in Bahasa Indonesia; None for a working day.

        The most specific reason wins: a holiday name ("Hari Raya Idul Fitri"), then
        "Cuti bersama: <holiday>", then `LOCAL_DAY_OFF_REASON`, then "Sabtu"/"Minggu". So Nyepi on
        Saturday 2025-03-29 gives "Hari Suci Nyepi". Regulation: as `is_working_day`.
        """
        o = d.toordinal()
        return _state(self).table_for(o).reason(o)

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day strictly after `start` (the start day itself is not counted).

        2025-03-27 + 3 = 2025-04-10 (Lebaran 2025 with cuti bersama), 2025-04-03 without.
        n = 0 returns `start` itself, working day or not: it is the only choice that keeps
        `working_days_between(a, add_working_days(a, n)) == n` for every n. n < 0 raises ValueError.
        Regulation: the "hari kerja" deadlines of the module docstring.
        """
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        o = start.toordinal()
        if n == 0:
            return date.fromordinal(o)
        state = _state(self)
        table = state.table_for(o)
        target = table.index(o) + n
        # Indexes never change when the table grows, so `target` stays valid across extensions.
        while (k := target - table.first_index) >= len(table.working):
            table = state.table_for(table.hi + 1)
        return date.fromordinal(table.working[k])

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in the half-open interval (start, end]; 0 if end <= start.

        Regulation: the "hari kerja" deadlines of the module docstring.
        """
        if end <= start:
            return 0
        state = _state(self)
        return state.index(end.toordinal()) - state.index(start.toordinal())

    def working_days_in_year(self, year: int) -> int:
        """Number of working days in `year` (2025: 237 with public holidays and cuti bersama).

        Regulation: as `is_working_day`.
        """
        first, last = date(year, 1, 1), date(year, 12, 31)
        # index(Jan 1) already counts Jan 1 itself; add it back rather than reading Dec 31 of the
        # year before, which may lie outside the supported years.
        return (
            self.working_day_index(last)
            - self.working_day_index(first)
            + int(self.is_working_day(first))
        )

    def working_day_index(self, d: date) -> int:
        """Working days from `EPOCH` (2000-01-01) up to and including `d`; <= 0 before EPOCH.

        Monotone, constant across non-working days, and
        `working_days_between(a, b) == working_day_index(b) - working_day_index(a)` for a <= b, so
        SQL can compute SLA ages as a difference of two indexes. Regulation: as `is_working_day`.
        """
        return _state(self).index(d.toordinal())

    def table(self, start: date, end: date) -> list[CalendarDay]:
        """One `CalendarDay` per date from `start` to `end`, both included (empty if end < start).

        Meant to be loaded into the analytics store as a calendar dimension table.
        Regulation: as `is_working_day`.
        """
        lo, hi = start.toordinal(), end.toordinal()
        if hi < lo:
            return []
        state = _state(self)
        table = state.table_for(lo)
        if hi > table.hi:
            table = state.table_for(hi)
        return [
            CalendarDay(
                date=date.fromordinal(o),
                is_working=table.flags[o - table.lo] == 1,
                working_day_index=table.cum[o - table.lo],
                reason=table.reason(o),
            )
            for o in range(lo, hi + 1)
        ]


def due_date(
    calendar: WorkingCalendar,
    submitted: date,
    sla_working_days: int,
    paused_working_days: int = 0,
) -> date:
    """The due date of a request: `sla_working_days` + `paused_working_days` working days after
    `submitted` (the day of submission is not counted).

    Regulation: the jangka waktu pelayanan of the service's standar pelayanan (UU 25/2009 Pasal 21;
    PermenPANRB 15/2014), counted in hari kerja. Adding the paused days is sigap's convention for
    "the clock stops while the file is back with the applicant", not a national formula.
    """
    if sla_working_days < 0:
        raise ValueError(f"sla_working_days must be >= 0, got {sla_working_days}")
    if paused_working_days < 0:
        raise ValueError(f"paused_working_days must be >= 0, got {paused_working_days}")
    return calendar.add_working_days(submitted, sla_working_days + paused_working_days)


def paused_working_days(
    calendar: WorkingCalendar,
    pauses: Iterable[tuple[date, date | None]],
    until: date,
) -> int:
    """Working days during which the SLA clock was stopped, up to `until`.

    Each pause (start, end) is a date or datetime pair (the calendar date is used; pass local
    times). It stops the clock for the working days in (start, end]: the day the file went back to
    the applicant was a day of work, and the day it came back is the new "day 0", as for a new
    submission. An open pause (end None) runs to `until`; everything is cut at `until`; overlapping
    pauses count once. Regulation: as `due_date` (sigap convention, not a national formula).
    """
    stop = until.toordinal()
    spans: list[tuple[int, int]] = []
    for start, end in pauses:
        s = start.toordinal()
        if end is not None and end.toordinal() < s:
            raise ValueError(f"pause ends ({end}) before it starts ({start})")
        e = stop if end is None else min(end.toordinal(), stop)
        if e > s:
            spans.append((s, e))
    # Merge overlapping or touching spans first, so that a day paused twice is counted once.
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    state = _state(calendar)
    return sum(state.index(e) - state.index(s) for s, e in merged)


# --- precomputed tables -------------------------------------------------------------------------


class _Table:
    """An immutable snapshot covering whole years [first_year, last_year]; always contains EPOCH."""

    __slots__ = ("cum", "first_index", "flags", "hi", "lo", "named", "working")

    def __init__(self, calendar: WorkingCalendar, first_year: int, last_year: int) -> None:
        self.lo = date(first_year, 1, 1).toordinal()
        self.hi = date(last_year, 12, 31).toordinal()
        self.named = _named_days_off(calendar, first_year, last_year)
        force_working = {d.toordinal() for d in calendar.extra_working_days}
        self.flags = bytearray(self.hi - self.lo + 1)
        self.working = array("q")
        for o in range(self.lo, self.hi + 1):
            # date.fromordinal(1) is a Monday, so weekday() == (o + 6) % 7.
            off = (o + 6) % 7 >= 5 or o in self.named
            if not off or o in force_working:
                self.flags[o - self.lo] = 1
                self.working.append(o)
        # Shift the running count so that index(EPOCH - 1) == 0 whatever the cached range is.
        before_epoch = sum(self.flags[: _EPOCH_ORDINAL - self.lo])
        self.first_index = 1 - before_epoch  # the index of self.working[0]
        self.cum = array("q", bytes(8 * len(self.flags)))
        running = -before_epoch
        for i, flag in enumerate(self.flags):
            running += flag
            self.cum[i] = running

    def index(self, o: int) -> int:
        return self.cum[o - self.lo]

    def reason(self, o: int) -> str | None:
        if self.flags[o - self.lo]:
            return None
        return self.named.get(o) or _WEEKEND_NAMES[(o + 6) % 7]


class _State:
    """The growing table of one calendar setting; swapped atomically so readers never lock."""

    def __init__(self, calendar: WorkingCalendar) -> None:
        self._calendar = calendar
        self._lock = threading.Lock()
        self._table: _Table | None = None

    def table_for(self, o: int) -> _Table:
        table = self._table
        if table is not None and table.lo <= o <= table.hi:
            return table
        return self._grow(o)

    def index(self, o: int) -> int:
        table = self.table_for(o)
        return table.cum[o - table.lo]

    def _grow(self, o: int) -> _Table:
        year = date.fromordinal(o).year if 1 <= o <= date.max.toordinal() else 0
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError(f"no holiday data for year {year}; supported: {MIN_YEAR}–{MAX_YEAR}")
        with self._lock:
            table = self._table
            if table is not None and table.lo <= o <= table.hi:
                return table
            first = min(EPOCH.year, year - 1)
            last = max(EPOCH.year, year + _PAD_YEARS)
            if table is not None:
                first = min(first, date.fromordinal(table.lo).year)
                last = max(last, date.fromordinal(table.hi).year)
            table = _Table(self._calendar, max(first, MIN_YEAR), min(last, MAX_YEAR))
            self._table = table
            return table


@lru_cache(maxsize=128)
def _state(calendar: WorkingCalendar) -> _State:
    return _State(calendar)


def _named_days_off(calendar: WorkingCalendar, first_year: int, last_year: int) -> dict[int, str]:
    """Ordinal -> reason for every national holiday, counted cuti bersama and local day off."""
    named: dict[int, str] = {}
    for year in range(first_year, last_year + 1):
        public, cuti = _national_days_off(year)
        for o, name in public:
            named[o] = name
        if calendar.cuti_bersama_is_day_off:
            for o, name in cuti:
                named.setdefault(o, name)
    lo, hi = date(first_year, 1, 1).toordinal(), date(last_year, 12, 31).toordinal()
    for d in calendar.extra_days_off:
        if lo <= d.toordinal() <= hi:
            named.setdefault(d.toordinal(), LOCAL_DAY_OFF_REASON)
    return named


@cache
def _national_days_off(
    year: int,
) -> tuple[tuple[tuple[int, str], ...], tuple[tuple[int, str], ...]]:
    """(public holidays, cuti bersama) of one year as (ordinal, Indonesian name) pairs."""
    public = Indonesia(years=year, categories=("public",), language="id")
    cuti = Indonesia(years=year, categories=("government",), language="id")
    return (
        tuple(sorted((d.toordinal(), name) for d, name in public.items())),
        tuple(sorted((d.toordinal(), _cuti_reason(name)) for d, name in cuti.items())),
    )


def _cuti_reason(name: str) -> str:
    # The library names these "Cuti Bersama Hari Raya Idul Fitri"; we show "Cuti bersama: Hari Raya
    # Idul Fitri" so that the holiday stands out. Several names on one day are joined by "; ".
    parts = []
    for part in name.split("; "):
        if part.lower().startswith(_CUTI_PREFIX):
            part = part[len(_CUTI_PREFIX) :].strip()
        parts.append(part)
    return "Cuti bersama: " + "; ".join(parts)
