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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from typing import Protocol

import holidays
from holidays.countries.indonesia import Indonesia

__all__ = [
    "EPOCH",
    "LOCAL_DAY_OFF_REASON",
    "MAX_YEAR",
    "MIN_YEAR",
    "Calendar",
    "CalendarDay",
    "CountryCalendar",
    "NoHolidayCalendar",
    "WorkingCalendar",
    "calendar_for",
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
# Indonesian weekday names, Monday first: the reason of a weekend day off (a Friday in some
# countries).
_DAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
_CUTI_PREFIX = "cuti bersama"
LOCAL_DAY_OFF_REASON = "Libur instansi"
"""`day_off_reason` of an agency day off (`extra_days_off`) with no national holiday on it."""


class CalendarRangeError(ValueError):
    """A day outside the years a calendar has holiday data for: the caller knows which file
    or record the day came from, so it can say where to look."""


@dataclass(frozen=True, slots=True)
class CalendarDay:
    """One row of `WorkingCalendar.table` (one date)."""

    date: date
    is_working: bool
    working_day_index: int
    reason: str | None


class Calendar(Protocol):
    """What deadlines and the analytics need of a calendar: `WorkingCalendar` (Indonesia, the
    default), `CountryCalendar` (another country's public holidays) or `NoHolidayCalendar`
    (calendar days). `calendar_for(spec)` gives one from a short name. Instances are hashable."""

    @property
    def spec(self) -> str:
        """The short name `calendar_for` takes back: "ID", "NL", "DE-BY", "none"."""
        ...

    def label(self, lang: str = "id") -> str:
        """What the calendar counts, for a report ("id" or "en")."""
        ...

    def is_working_day(self, d: date) -> bool: ...

    def day_off_reason(self, d: date) -> str | None: ...

    def add_working_days(self, start: date, n: int) -> date: ...

    def working_days_between(self, start: date, end: date) -> int: ...

    def working_days_in_year(self, year: int) -> int: ...

    def working_day_index(self, d: date) -> int: ...

    def table(self, start: date, end: date) -> list[CalendarDay]: ...


class _TableCalendar:
    """The arithmetic every calendar shares, over a precomputed table of its days off.

    A subclass says which years it knows (`_years`) and which days of some years are off, with
    the reason (`_days_off`, weekends included); the table, its cache and every count follow.
    Subclasses are frozen dataclasses, so equal settings share one table. The regulations cited
    below are those of `WorkingCalendar`; other calendars count their own days off the same way.
    """

    def _years(self) -> tuple[int, int]:
        raise NotImplementedError

    def _days_off(self, first_year: int, last_year: int) -> dict[int, str]:
        raise NotImplementedError

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


@dataclass(frozen=True)
class WorkingCalendar(_TableCalendar):
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

    @property
    def spec(self) -> str:
        return "ID"

    def label(self, lang: str = "id") -> str:
        """ "Hari kerja Indonesia (libur nasional dan cuti bersama)" and the like."""
        if lang == "en":
            kinds = ["national holidays"]
            if self.cuti_bersama_is_day_off:
                kinds.append("cuti bersama")
            if self.extra_days_off:
                kinds.append("agency days off")
            return f"Indonesian working days ({_join(kinds, 'and')})"
        kinds = ["libur nasional"]
        if self.cuti_bersama_is_day_off:
            kinds.append("cuti bersama")
        if self.extra_days_off:
            kinds.append("libur instansi")
        return f"Hari kerja Indonesia ({_join(kinds, 'dan')})"

    def _years(self) -> tuple[int, int]:
        return MIN_YEAR, MAX_YEAR

    def _days_off(self, first_year: int, last_year: int) -> dict[int, str]:
        named = _named_days_off(self, first_year, last_year)
        _add_weekends(named, first_year, last_year, lambda o: (o + 6) % 7 >= 5)
        for d in self.extra_working_days:
            named.pop(d.toordinal(), None)
        return named


@dataclass(frozen=True)
class CountryCalendar(_TableCalendar):
    """Working days of another country: Monday to Friday (or the weekend the `holidays` package
    gives the country, e.g. Friday and Saturday in Saudi Arabia, per year where it changed) minus
    its public holidays (category "public", observed days included), and weekend days the package
    lists as working (transferred working Saturdays in Russia or China) counted as working.
    `subdiv` adds a region's holidays (a state, a province) where the package has them.

    For logs of other countries (the public process-mining logs are mostly Dutch); an Indonesian
    agency uses `WorkingCalendar`. Holiday names are in English where the package has them.
    """

    country: str
    subdiv: str | None = None

    def __post_init__(self) -> None:
        _check_country(self.country, self.subdiv)

    @property
    def spec(self) -> str:
        return self.country if self.subdiv is None else f"{self.country}-{self.subdiv}"

    def label(self, lang: str = "id") -> str:
        """ "Hari kerja NL (libur umum)" / "Working days NL (public holidays)"."""
        if lang == "en":
            return f"Working days {self.spec} (public holidays)"
        return f"Hari kerja {self.spec} (libur umum)"

    def _years(self) -> tuple[int, int]:
        cls = type(holidays.country_holidays(self.country, subdiv=self.subdiv, years=()))
        return max(int(cls.start_year), date.min.year + 1), min(int(cls.end_year), 9998)

    def _days_off(self, first_year: int, last_year: int) -> dict[int, str]:
        probe = holidays.country_holidays(self.country, subdiv=self.subdiv, years=())
        language = "en_US" if "en_US" in probe.supported_languages else None
        days = holidays.country_holidays(
            self.country,
            subdiv=self.subdiv,
            years=range(first_year, last_year + 1),
            categories=("public",),
            language=language,
        )
        named = {d.toordinal(): str(name) for d, name in days.items()}
        working = {d.toordinal() for d in days.weekend_workdays}

        def weekend(o: int) -> bool:
            return o not in working and days.is_weekend(date.fromordinal(o))

        _add_weekends(named, first_year, last_year, weekend)
        return named


@dataclass(frozen=True)
class NoHolidayCalendar(_TableCalendar):
    """Every day counts ("hari kalender"): working days between two dates are calendar days.

    For lead times in calendar days where the analytics ask for working days, and for logs whose
    country has no holiday data."""

    @property
    def spec(self) -> str:
        return "none"

    def label(self, lang: str = "id") -> str:
        return "Calendar days (no holidays)" if lang == "en" else "Hari kalender (tanpa libur)"

    def _years(self) -> tuple[int, int]:
        return date.min.year + 1, date.max.year - 1

    def _days_off(self, first_year: int, last_year: int) -> dict[int, str]:
        return {}


HOW_TO_LIST_COUNTRIES = (
    'python -c "import holidays; print(sorted(holidays.list_supported_countries()))"'
)


def calendar_for(spec: str = "ID") -> Calendar:
    """The calendar a short name stands for (case does not matter):

    - "ID" (or ""): `WorkingCalendar()`, Indonesia with cuti bersama as days off (the default);
    - "none": `NoHolidayCalendar()`, every day counts;
    - any other ISO 3166-1 alpha-2 code the `holidays` package supports ("NL", "DE", "SA"),
      optionally with a subdivision ("DE-BY"): `CountryCalendar`.

    Anything else raises ValueError saying how to list the valid codes.
    """
    text = spec.strip()
    if text.upper() in ("", "ID"):
        return WorkingCalendar()
    if text.lower() == "none":
        return NoHolidayCalendar()
    country, _, subdiv = text.partition("-")
    country = country.upper()
    if country == "ID":
        raise ValueError(
            f"calendar {spec!r}: the Indonesian calendar has no regional variants; use 'ID' "
            "(an agency's own days off are set on its working calendar)"
        )
    supported = holidays.list_supported_countries()
    if country not in supported:
        raise ValueError(
            f"unknown calendar {spec!r}: expected 'ID' (Indonesia, the default), 'none' "
            "(calendar days, no holidays) or a country code of the holidays package, e.g. 'NL' "
            f"or 'DE-BY'; list the codes with: {HOW_TO_LIST_COUNTRIES}"
        )
    if not subdiv:
        return CountryCalendar(country)
    by_upper = {s.upper(): s for s in supported[country]}
    if subdiv.upper() not in by_upper:
        raise ValueError(f"unknown calendar {spec!r}: {_subdiv_hint(country)}")
    return CountryCalendar(country, by_upper[subdiv.upper()])


def _check_country(country: str, subdiv: str | None) -> None:
    supported = holidays.list_supported_countries()
    if country not in supported:
        raise ValueError(
            f"unknown country {country!r} for a calendar; list the codes with: "
            f"{HOW_TO_LIST_COUNTRIES}"
        )
    if subdiv is not None and subdiv not in supported[country]:
        raise ValueError(f"unknown subdivision {subdiv!r}: {_subdiv_hint(country)}")


def _subdiv_hint(country: str) -> str:
    subdivs = holidays.list_supported_countries()[country]
    if not subdivs:
        return f"the holidays package has no subdivisions of {country}"
    return f"subdivisions of {country}: {', '.join(subdivs)}"


def _join(items: list[str], conjunction: str) -> str:
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def _add_weekends(
    named: dict[int, str], first_year: int, last_year: int, is_weekend: Callable[[int], bool]
) -> None:
    """Weekend days of these years become days off (a holiday keeps its own name)."""
    for o in range(date(first_year, 1, 1).toordinal(), date(last_year, 12, 31).toordinal() + 1):
        if o not in named and is_weekend(o):
            # date.fromordinal(1) is a Monday, so weekday() == (o + 6) % 7.
            named[o] = _DAY_NAMES[(o + 6) % 7]


def due_date(
    calendar: Calendar,
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
    calendar: Calendar,
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
    index = calendar.working_day_index
    return sum(index(date.fromordinal(e)) - index(date.fromordinal(s)) for s, e in merged)


# --- precomputed tables -------------------------------------------------------------------------


class _Table:
    """An immutable snapshot covering whole years [first_year, last_year]; always contains EPOCH."""

    __slots__ = ("cum", "first_index", "flags", "hi", "lo", "named", "working")

    def __init__(self, calendar: _TableCalendar, first_year: int, last_year: int) -> None:
        self.lo = date(first_year, 1, 1).toordinal()
        self.hi = date(last_year, 12, 31).toordinal()
        self.named = calendar._days_off(first_year, last_year)
        self.flags = bytearray(self.hi - self.lo + 1)
        self.working = array("q")
        for o in range(self.lo, self.hi + 1):
            if o not in self.named:
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
        return self.named.get(o)


class _State:
    """The growing table of one calendar setting; swapped atomically so readers never lock."""

    def __init__(self, calendar: _TableCalendar) -> None:
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
        min_year, max_year = self._calendar._years()
        if not min_year <= year <= max_year:
            raise CalendarRangeError(
                f"no holiday data for year {year}; supported: {min_year}–{max_year}"
            )
        with self._lock:
            table = self._table
            if table is not None and table.lo <= o <= table.hi:
                return table
            first = min(EPOCH.year, year - 1)
            last = max(EPOCH.year, year + _PAD_YEARS)
            if table is not None:
                first = min(first, date.fromordinal(table.lo).year)
                last = max(last, date.fromordinal(table.hi).year)
            table = _Table(self._calendar, max(first, min_year), min(last, max_year))
            self._table = table
            return table


@lru_cache(maxsize=128)
def _state(calendar: _TableCalendar) -> _State:
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
