"""Service performance: volume, lead time, SLA compliance, first-time-right, waiting, backlog.

Definitions (docs/analytics.md has the long form):

- A case starts at its first event. It is *closed* at its last event with outcome `completed` or
  `rejected` (`PerformanceSettings.closing_outcomes`); a log with no outcomes at all (most files)
  counts every case closed at its last event.
- Lead time is closed - start, in calendar days and in working days (`settings.calendar`:
  Indonesia's `WorkingCalendar` unless another is chosen; in the agency's local time zone):
  working days in (start day, closing day].
- A pause starts at an event with outcome `waiting` or `returned` (waiting for the applicant) and
  ends at the next `resumed` event (or when the case closes). Paused time is the *waiting* time;
  lead time minus paused time is the *processing* time. SLA compliance compares the working days
  net of pauses with the SLA of the service standard in force on the start day.
- First-time-right: a closed case never `returned` for correction.
- Grouping dimensions: `service`, `unit`, `officer` (the last one named on the case) and `period`
  (local time: of closing for closed-case metrics, of start for volume). A period is a calendar
  month ("2025-07"), quarter ("2025-Q3") or year ("2025"): `PerformanceSettings.period_grain`,
  the keys of `sigap.analytics.ikm.period_key`. `period_grain_for` picks one for a log's span
  so that a table of periods stays readable (months up to 3 years, quarters up to 10, years).

Working-day arithmetic happens in the engine: a calendar table (one row per local day number,
with its working-day index) is registered and joined, so the same SQL runs on DuckDB and Spark.
On DuckDB's linear pass (a canonical log within the memory budget) the per-case facts are built
in numpy instead (`linear_case_facts`: the same rows, the calendar as an array indexed by day
number) and the aggregations read them as an Arrow table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from sigap.analytics.engine import Engine
from sigap.analytics.ikm import PeriodKind, period_key
from sigap.analytics.linear import LinearLog
from sigap.rules.calendar import Calendar, WorkingCalendar
from sigap.rules.sla import within_sla, within_sla_sql

DIMENSIONS = ("service", "unit", "officer", "period")
US_PER_DAY = 86_400_000_000
EPOCH_DATE = date(1970, 1, 1)
# The SLA rule (sigap.rules.sla) over the case-facts columns.
_WITHIN = within_sla_sql("lead_wd", "paused_wd", "sla_days")
PERIOD_GRAINS = ("month", "quarter", "year")


def period_grain_for(first: date, last: date) -> str:
    """The period grain for a log from `first` to `last`: months while it spans at most 3
    years (36 rows per service), quarters up to 10 years (40 rows), years beyond. A table of
    13 years by month (156 rows per service) is read by nobody."""
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    if months <= 36:
        return "month"
    if months <= 120:
        return "quarter"
    return "year"


def log_span(engine: Engine, settings: PerformanceSettings) -> tuple[date, date] | None:
    """First and last local day of the registered log (None for an empty log)."""
    lo, hi = ts_range(engine)
    if lo is None or hi is None:
        return None
    off = settings.offset_us()
    return (
        EPOCH_DATE + timedelta(days=(lo + off) // US_PER_DAY),
        EPOCH_DATE + timedelta(days=(hi + off) // US_PER_DAY),
    )


@dataclass(frozen=True, slots=True)
class ServiceStandard:
    """The SLA of a service (standar pelayanan) from `valid_from` on, in working days.

    `procedure` is the declared sequence of steps (activities), used by conformance checking.
    """

    service: str
    valid_from: date
    sla_working_days: int
    procedure: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PerformanceSettings:
    calendar: Calendar = field(default_factory=WorkingCalendar)
    """Which days count as working days: Indonesia's (the default), another country's public
    holidays or plain calendar days (`sigap.rules.calendar.calendar_for("NL")`, `("none")`)."""
    timezone: str = "Asia/Jakarta"
    """Local time zone of the agency (WIB/WITA/WIT have no daylight saving: a fixed offset)."""
    standards: tuple[ServiceStandard, ...] = ()
    closing_outcomes: tuple[str, ...] = ("completed", "rejected")
    """Outcomes that close a case. In sigap's own log every finished step is `done`; the refresh
    marks the event that completed a request `completed` (see `sigap.analytics.refresh`)."""
    pause_outcomes: tuple[str, ...] = ("waiting", "returned")
    resume_outcome: str = "resumed"
    return_outcome: str = "returned"
    period_grain: str = "month"
    """The `period` dimension's length: "month", "quarter" or "year" (`period_grain_for`)."""

    def __post_init__(self) -> None:
        if self.period_grain not in PERIOD_GRAINS:
            raise ValueError(
                f"period_grain: {self.period_grain!r} is not one of {', '.join(PERIOD_GRAINS)}"
            )
        # The standard in force on a day must be unambiguous: with two standards of one service
        # from the same day the SQL's join would count that service's cases twice and the linear
        # pass once, so such settings are refused rather than left to differ between paths.
        seen: set[tuple[str, date]] = set()
        for std in self.standards:
            key = (std.service, std.valid_from)
            if key in seen:
                raise ValueError(
                    f"standards: two service standards of {std.service!r} take effect on "
                    f"{std.valid_from.isoformat()}; the one in force must be unambiguous"
                )
            seen.add(key)

    def period_of(self, day: date) -> str:
        """The key of the period holding `day`: 2025-07, 2025-Q3 or 2025."""
        return period_key(day, PeriodKind(self.period_grain))

    def offset_us(self) -> int:
        offset = datetime(2025, 1, 1, tzinfo=ZoneInfo(self.timezone)).utcoffset()
        assert offset is not None
        return int(offset.total_seconds()) * 1_000_000


def _list(values: Sequence[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _local_day(col: str, offset_us: int) -> str:
    return f"CAST(floor(({col} + {offset_us}) / {US_PER_DAY}) AS BIGINT)"


def _calendar_span(
    engine: Engine, settings: PerformanceSettings, as_of_us: int
) -> tuple[date, date]:
    """The calendar's first and last day: the log and `as_of`, a day of margin either side."""
    lo_hi = ts_range(engine)
    off = settings.offset_us()
    first = EPOCH_DATE + timedelta(days=(int(lo_hi[0] or as_of_us) + off) // US_PER_DAY - 1)
    last = EPOCH_DATE + timedelta(days=(max(int(lo_hi[1] or 0), as_of_us) + off) // US_PER_DAY + 1)
    return first, last


def register_dimensions(engine: Engine, settings: PerformanceSettings, *, as_of_us: int) -> None:
    """Register `calendar_days` (covering the log and `as_of`) and `standards`."""
    days = settings.calendar.table(*_calendar_span(engine, settings, as_of_us))
    engine.register_table(
        "calendar_days",
        pa.table(
            {
                "day": pa.array([(d.date - EPOCH_DATE).days for d in days], pa.int64()),
                "is_working": pa.array([d.is_working for d in days], pa.bool_()),
                "wd_index": pa.array([d.working_day_index for d in days], pa.int64()),
                "period": pa.array([settings.period_of(d.date) for d in days], pa.string()),
            }
        ),
    )
    std = settings.standards
    engine.register_table(
        "standards",
        pa.table(
            {
                "service": pa.array([s.service for s in std], pa.string()),
                "valid_from_day": pa.array(
                    [(s.valid_from - EPOCH_DATE).days for s in std], pa.int64()
                ),
                "sla_days": pa.array([s.sla_working_days for s in std], pa.int64()),
            }
        ),
    )


def case_facts(engine: Engine, settings: PerformanceSettings, as_of_us: int) -> str:
    """Name of a relation with one row per case started by `as_of`, as seen at `as_of`.

    Computed once per (settings, as_of) and log, then shared by every analysis that needs it.
    """
    key = f"case_facts:{hash(settings)}:{as_of_us}"
    name = f"case_facts_{abs(hash(key)) % 10**12}"

    def build() -> str:
        register_dimensions(engine, settings, as_of_us=as_of_us)
        lin = engine.linear_log()
        facts = None
        if lin is not None and as_of_us >= int(ts_range(engine)[1] or 0):
            cal = calendar_table(engine, settings, as_of_us)
            if isinstance(lin, LinearLog):
                facts = linear_case_facts(lin, settings, as_of_us, cal)
            else:  # the same, chunk by chunk
                facts = lin.case_facts(settings, as_of_us, cal)
        if facts is None:
            engine.materialize(name, case_facts_sql(engine, settings, as_of_us))
            return name
        table, judged, met = facts
        engine.materialize_table(name, table)
        # In the log's case order, as the scorecards' linear pass wants them (no join back).
        engine.memo(f"sla_flags:{key}", lambda: (judged, met))
        return name

    return engine.memo(key, build)


def use_case_facts(
    engine: Engine, settings: PerformanceSettings, as_of_us: int, facts: pa.Table
) -> str:
    """Give `engine` the per-case facts as of `as_of_us` (computed elsewhere: per partition of a
    store, see `sigap.analytics.incremental`) in place of computing them from a registered log;
    the analyses that read the facts then run on them unchanged."""
    key = f"case_facts:{hash(settings)}:{as_of_us}"
    name = f"case_facts_{abs(hash(key)) % 10**12}"

    def build() -> str:
        # An Arrow table is read in place; copying it into a DuckDB table costs ~10x more.
        engine.materialize_table(name, facts)
        return name

    return engine.memo(key, build)


def sla_flags(
    engine: Engine, settings: PerformanceSettings, as_of_us: int
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Per case of the log, in file order: closed and judged against a standard; and met it.

    For the linear pass (engines that have one). Straight from the per-case facts' arrays when
    they were built in numpy; otherwise read back from the facts relation."""
    facts = case_facts(engine, settings, as_of_us)
    key = f"sla_flags:case_facts:{hash(settings)}:{as_of_us}"
    flags: tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]] | None = engine.memoised(key)
    if flags is not None:
        return flags
    cols = engine.per_case(
        f"""SELECT case_id, coalesce(closed AND sla_days IS NOT NULL, false) AS judged,
               coalesce(closed AND {_WITHIN}, false) AS met
        FROM {facts}"""
    )
    judged = np.asarray(np.ma.filled(cols["judged"], False), dtype=bool)
    met = np.asarray(np.ma.filled(cols["met"], False), dtype=bool)
    return engine.memo(key, lambda: (judged, met))


@dataclass(frozen=True, slots=True)
class CalendarArrays:
    """The calendar dimension as arrays indexed by local day number - `first_day`."""

    first_day: int
    wd_index: npt.NDArray[np.int64]
    period: npt.NDArray[np.int32]
    """index into `periods` of each day"""
    periods: list[str]


def calendar_table(engine: Engine, settings: PerformanceSettings, as_of_us: int) -> CalendarArrays:
    """The days `register_dimensions` registers, as arrays (working days between two times are
    then a subtraction of two indexed reads, no join)."""
    first, last = _calendar_span(engine, settings, as_of_us)
    days = settings.calendar.table(first, last)
    keys = [settings.period_of(d.date) for d in days]
    periods = sorted(set(keys))
    index = {p: i for i, p in enumerate(periods)}
    return CalendarArrays(
        first_day=(first - EPOCH_DATE).days,
        wd_index=np.array([d.working_day_index for d in days], np.int64),
        period=np.array([index[k] for k in keys], np.int32),
        periods=periods,
    )


def linear_case_facts(
    lin: LinearLog,
    settings: PerformanceSettings,
    as_of_us: int,
    cal: CalendarArrays,
    *,
    has_outcomes: bool | None = None,
) -> tuple[pa.Table, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """The rows of `case_facts_sql` (same columns, types and values; tests/analytics/
    test_linear.py compares them) from the log's arrays, for an `as_of` at or after the last
    event; plus the per-case SLA flags.

    Cases are runs of rows, so per-case facts are segmented reductions; working days are reads
    of the calendar's cumulative working-day index; pauses are matched to the next resume of
    their case by one `searchsorted` over the (few) resume rows.

    `has_outcomes`: whether the whole log has any outcome (then only closing ones close a
    case), when `lin` is a part of it (the streaming pass); by default read off `lin`."""
    starts = lin.case_starts()
    n_rows, n_cases = len(lin.seq), len(starts)
    ts = lin.ts_us
    lc, lc_names = lin.column_codes("lifecycle")
    res, res_names = lin.column_codes("resource")

    # One gather over the lifecycle codes finds the rows whose outcome matters (a few per case
    # at most), each with its kinds as bits; everything else is computed on those rows only.
    closing_k, return_k, pause_k, resume_k = 1, 2, 4, 8
    kind_of = np.zeros(len(lc_names) + 1, np.uint8)  # one slot more: code -1 (NULL) reads it
    for i, name in enumerate(lc_names):
        kind_of[i] = (
            closing_k * (name in settings.closing_outcomes)
            | return_k * (name == settings.return_outcome)
            | pause_k * (name in settings.pause_outcomes)
            | resume_k * (name == settings.resume_outcome)
        )
    rows = np.flatnonzero(kind_of[lc])
    kinds = kind_of[lc[rows]]
    case_of_row = lin.case_of_row()
    ends = np.append(starts[1:], n_rows) - 1
    start_us = ts[starts] if lin.monotonic() else np.minimum.reduceat(ts, starts)
    if has_outcomes is None:
        has_outcomes = bool(len(lc_names)) and int(lc.max()) >= 0
    if has_outcomes:  # the log has outcomes: closing ones close
        closed_us = np.zeros(n_cases, np.int64)
        closed = np.zeros(n_cases, bool)
        c_rows = rows[(kinds & closing_k) > 0]
        if len(c_rows):
            c_case = case_of_row[c_rows]
            seg = np.flatnonzero(np.concatenate(([True], c_case[1:] != c_case[:-1])))
            closed_us[c_case[seg]] = np.maximum.reduceat(ts[c_rows], seg)
            closed[c_case[seg]] = True
    else:
        closed_us = ts[ends] if lin.monotonic() else np.maximum.reduceat(ts, starts)
        closed = np.ones(n_cases, bool)
    returned = np.zeros(n_cases, bool)
    returned[case_of_row[rows[(kinds & return_k) > 0]]] = True
    # the officer: the resource of the case's last event that names one
    if int(res.min()) >= 0:
        officer = res[ends]
    else:
        named_row = np.where(res >= 0, np.arange(n_rows, dtype=np.int64), -1)
        last_named = np.maximum.reduceat(named_row, starts)
        officer = np.where(last_named >= 0, res[np.maximum(last_named, 0)], -1)
    service, svc_names = _min_string(lin, "service", starts)
    unit, unit_names = _min_string(lin, "unit", starts)

    off = settings.offset_us()
    first = cal.first_day

    def day(us: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        d: npt.NDArray[np.int64] = (us + off) // US_PER_DAY - first
        return d

    # pauses: each pause row, the next resume row of its case; pauses before the same resume
    # (or with none after them) are one span from the earliest of them
    p_rows = rows[(kinds & pause_k) > 0]
    r_rows = rows[(kinds & resume_k) > 0]
    paused_us = np.zeros(n_cases, np.int64)
    paused_wd = np.zeros(n_cases, np.int64)
    if len(p_rows):
        p_case = case_of_row[p_rows].astype(np.int64)
        j = np.searchsorted(r_rows, p_rows, side="right")
        r = r_rows[np.minimum(j, max(len(r_rows) - 1, 0))] if len(r_rows) else p_rows
        resumed = (j < len(r_rows)) & (case_of_row[r] == p_case) if len(r_rows) else j < 0
        span = np.where(resumed, r.astype(np.int64), -1 - p_case)
        g = np.flatnonzero(np.concatenate(([True], span[1:] != span[:-1])))
        g_case = p_case[g]
        pause_us = np.minimum.reduceat(ts[p_rows], g)
        end_us = np.where(closed[g_case], closed_us[g_case], as_of_us)
        resume_us = np.minimum(np.where(resumed[g], ts[r[g]], end_us), end_us)
        us = np.maximum(resume_us - pause_us, 0)
        wd = np.maximum(cal.wd_index[day(resume_us)] - cal.wd_index[day(pause_us)], 0)
        c = np.flatnonzero(np.concatenate(([True], g_case[1:] != g_case[:-1])))
        paused_us[g_case[c]] = np.add.reduceat(us, c)
        paused_wd[g_case[c]] = np.add.reduceat(wd, c)

    start_day = day(start_us)
    closed_day = np.where(closed, day(closed_us), start_day)
    start_wd = cal.wd_index[start_day]
    lead_us = closed_us - start_us
    lead_wd = cal.wd_index[closed_day] - start_wd
    age_wd = cal.wd_index[day(np.array([as_of_us], np.int64))[0]] - start_wd
    # the standard in force on the start day: the latest valid_from on or before it
    sla = np.zeros(n_cases, np.int64)
    has_sla = np.zeros(n_cases, bool)
    for std in sorted(settings.standards, key=lambda s: s.valid_from):
        if std.service not in svc_names:
            continue
        in_force = (service == svc_names.index(std.service)) & (
            start_day + first >= (std.valid_from - EPOCH_DATE).days
        )
        sla[in_force] = std.sla_working_days
        has_sla |= in_force
    judged = closed & has_sla
    met = judged & np.asarray(within_sla(lead_wd, paused_wd, sla), dtype=bool)

    open_ = ~closed
    periods = pa.array(cal.periods, pa.string())
    table = pa.table(
        {
            "case_id": lin.case_ids(),
            "service": _strings(service, svc_names),
            "unit": _strings(unit, unit_names),
            "officer": _strings(officer, res_names),
            "start_us": pa.array(start_us),
            "closed_us": pa.array(closed_us, mask=open_),
            "closed": pa.array(closed),
            "returned": pa.array(returned),
            "start_period": pa.DictionaryArray.from_arrays(
                pa.array(cal.period[start_day]), periods),
            "closed_period": pa.DictionaryArray.from_arrays(
                pa.array(cal.period[closed_day], mask=open_), periods),
            "lead_us": pa.array(lead_us, mask=open_),
            "lead_wd": pa.array(lead_wd, mask=open_),
            "paused_us": pa.array(paused_us),
            "paused_wd": pa.array(paused_wd),
            "age_us": pa.array(as_of_us - start_us),
            "age_wd": pa.array(age_wd),
            "sla_days": pa.array(sla, mask=~has_sla),
        }
    )  # fmt: skip
    return table, judged, met


def _min_string(
    lin: LinearLog, column: str, starts: npt.NDArray[np.intp]
) -> tuple[npt.NDArray[np.int32], list[str]]:
    """min(column) per case (-1 if NULL throughout) as codes into the column's dictionary:
    the minimum of each string's rank (byte order, as DuckDB's; UTF-8 byte order is code point
    order, as Python's)."""
    codes, names = lin.column_codes(column)
    if names == sorted(names):
        # As unsigned, NULL (-1) is the greatest code: min() skips it as the SQL's does.
        low = np.minimum.reduceat(codes.view(np.uint32), starts)
        result: npt.NDArray[np.int32] = low.view(np.int32)
        return result, names
    order = sorted(range(len(names)), key=lambda i: names[i])
    rank = np.empty(len(names) + 1, np.int32)
    rank[order] = np.arange(len(names), dtype=np.int32)
    rank[len(names)] = len(names)  # NULL (code -1) after every string: min() skips it
    ranks = np.minimum.reduceat(rank[codes], starts)
    back = np.append(np.array(order, np.int32), np.int32(-1))
    result = back[ranks]
    return result, names


def _strings(codes: npt.NDArray[np.int32], names: list[str]) -> pa.Array:
    """Codes (-1 for NULL) as a dictionary-encoded string array: DuckDB reads it as VARCHAR,
    and it holds 4 bytes a case, not a copy of the string (~1 GB less at 100M events)."""
    return pa.DictionaryArray.from_arrays(
        pa.array(codes, mask=codes < 0), pa.array(names, pa.string())
    )


def case_facts_sql(engine: Engine, settings: PerformanceSettings, as_of_us: int) -> str:
    """One row per case started by `as_of`, as seen at `as_of` (needs `register_dimensions`)."""
    has_outcomes = engine.rows("SELECT count(lifecycle) FROM events")[0][0] > 0
    off = settings.offset_us()
    closing = (
        f"max(CASE WHEN lifecycle IN ({_list(settings.closing_outcomes)}) THEN ts_us END)"
        if has_outcomes
        else "max(ts_us)"
    )
    pause_in = _list(settings.pause_outcomes)
    resume = _list([settings.resume_outcome])
    # Pauses touch few events: found by joining the pause and resume events only, not by
    # ordering every event of every case.
    return f"""WITH cases AS (
        SELECT case_id, min(ts_us) AS start_us, {closing} AS closed_us,
               max_by(resource, CASE WHEN resource IS NOT NULL THEN seq END) AS officer,
               min(service) AS service, min(unit) AS unit,
               max(CASE WHEN lifecycle = '{settings.return_outcome}' THEN 1 ELSE 0 END) AS returned
        FROM events WHERE ts_us <= {as_of_us} GROUP BY case_id),
    pause_ev AS (
        SELECT case_id, seq, ts_us FROM events
        WHERE lifecycle IN ({pause_in}) AND ts_us <= {as_of_us}),
    resume_ev AS (
        SELECT case_id, seq, ts_us FROM events
        WHERE lifecycle IN ({resume}) AND ts_us <= {as_of_us}),
    pause_next AS (
        SELECT p.case_id, p.ts_us AS pause_us, min(r.seq) AS resume_seq
        FROM pause_ev p LEFT JOIN resume_ev r ON r.case_id = p.case_id AND r.seq > p.seq
        GROUP BY p.case_id, p.seq, p.ts_us),
    pause_spans AS (
        SELECT pn.case_id, min(pn.pause_us) AS pause_us, min(r.ts_us) AS resume_us
        FROM pause_next pn
        LEFT JOIN resume_ev r ON r.case_id = pn.case_id AND r.seq = pn.resume_seq
        GROUP BY pn.case_id, pn.resume_seq),
    pauses AS (
        SELECT p.case_id, p.pause_us,
               least(coalesce(p.resume_us, c.closed_us, {as_of_us}),
                     coalesce(c.closed_us, {as_of_us})) AS resume_us
        FROM pause_spans p JOIN cases c ON c.case_id = p.case_id),
    paused AS (
        SELECT p.case_id, sum(greatest(p.resume_us - p.pause_us, 0)) AS paused_us,
               sum(greatest(ce.wd_index - cs.wd_index, 0)) AS paused_wd
        FROM pauses p
        JOIN calendar_days cs ON cs.day = {_local_day("p.pause_us", off)}
        JOIN calendar_days ce ON ce.day = {_local_day("p.resume_us", off)}
        GROUP BY p.case_id),
    case_std AS (
        SELECT c.case_id, max(s.valid_from_day) AS valid_from_day
        FROM cases c JOIN standards s ON s.service = c.service
             AND s.valid_from_day <= {_local_day("c.start_us", off)}
        GROUP BY c.case_id)
    SELECT c.case_id, c.service, c.unit, c.officer, c.start_us, c.closed_us,
           c.closed_us IS NOT NULL AS closed, c.returned = 1 AS returned,
           cs.period AS start_period, ce.period AS closed_period,
           c.closed_us - c.start_us AS lead_us,
           ce.wd_index - cs.wd_index AS lead_wd,
           coalesce(p.paused_us, 0) AS paused_us, coalesce(p.paused_wd, 0) AS paused_wd,
           {as_of_us} - c.start_us AS age_us,
           ca.wd_index - cs.wd_index AS age_wd,
           s.sla_days
    FROM cases c
    JOIN calendar_days cs ON cs.day = {_local_day("c.start_us", off)}
    LEFT JOIN calendar_days ce ON ce.day = {_local_day("c.closed_us", off)}
    JOIN calendar_days ca ON ca.day = {_local_day(str(as_of_us), off)}
    LEFT JOIN paused p ON p.case_id = c.case_id
    LEFT JOIN case_std cst ON cst.case_id = c.case_id
    LEFT JOIN standards s ON s.service = c.service AND s.valid_from_day = cst.valid_from_day"""


@dataclass(frozen=True, slots=True)
class ServicePerformance:
    """Performance of one group (the dimensions not grouped by are None)."""

    service: str | None
    unit: str | None
    officer: str | None
    period: str | None
    volume: int
    """cases started (in the period)"""
    closed: int
    """throughput: cases closed (in the period)"""
    lead_days_median: float | None
    lead_days_p90: float | None
    lead_working_days_median: float | None
    lead_working_days_p90: float | None
    sla_cases: int
    """closed cases with a service standard in force"""
    sla_met: int
    sla_share: float | None
    first_time_right: int
    first_time_right_share: float | None
    waiting_days_median: float | None
    """median time paused waiting for the applicant, calendar days"""
    processing_days_median: float | None
    waiting_share: float | None
    """share of all lead time spent paused"""


def _key_exprs(by: Sequence[str], period_col: str) -> list[str]:
    for d in by:
        if d not in DIMENSIONS:
            raise ValueError(f"unknown dimension {d!r}; expected some of {DIMENSIONS}")
    return [period_col if d == "period" else d for d in by]


def ts_range(engine: Engine) -> tuple[int | None, int | None]:
    """First and last event time of the registered log (µs), read once and shared."""

    # the linear pass knows it without a scan: a log streamed in chunks memoises it on opening
    lin = engine.linear_log()

    def compute() -> tuple[int | None, int | None]:
        if isinstance(lin, LinearLog):
            return int(lin.ts_us.min()), int(lin.ts_us.max())
        lo, hi = engine.rows("SELECT min(ts_us), max(ts_us) FROM events")[0]
        return (None if lo is None else int(lo), None if hi is None else int(hi))

    return engine.memo("ts_range", compute)


def as_of_us(engine: Engine, as_of: datetime | None) -> int:
    if as_of is None:
        return int(ts_range(engine)[1])  # type: ignore[arg-type]
    if as_of.tzinfo is None:
        raise ValueError("as_of must carry a time zone")
    return int((as_of - datetime(1970, 1, 1, tzinfo=UTC)) / timedelta(microseconds=1))


def service_performance(
    engine: Engine,
    by: Sequence[str] = ("service",),
    settings: PerformanceSettings | None = None,
    *,
    as_of: datetime | None = None,
) -> tuple[ServicePerformance, ...]:
    """Per-group performance of the log in `engine` as seen at `as_of` (default: its last event)."""
    settings = settings or PerformanceSettings()
    facts = case_facts(engine, settings, as_of_us(engine, as_of))
    keys_closed = _key_exprs(by, "closed_period")
    keys_start = _key_exprs(by, "start_period")
    n = len(by)
    sel_closed = ", ".join([*keys_closed, ""]) if n else ""
    grp_closed = f"GROUP BY {', '.join(keys_closed)} ORDER BY {', '.join(keys_closed)}" if n else ""
    day = float(US_PER_DAY)
    closed_rows = engine.rows(
        f"""SELECT {sel_closed} count(*),
            median(lead_us), quantile_cont(lead_us, 0.9),
            median(lead_wd), quantile_cont(lead_wd, 0.9),
            count(sla_days), count(CASE WHEN {_WITHIN} THEN 1 END),
            count(CASE WHEN NOT returned THEN 1 END),
            median(paused_us), median(lead_us - paused_us), sum(paused_us), sum(lead_us)
        FROM {facts} WHERE closed {grp_closed}"""
    )
    sel_start = ", ".join([*keys_start, ""]) if n else ""
    grp_start = f"GROUP BY {', '.join(keys_start)}" if n else ""
    volume = {
        tuple(r[:n]): int(r[n])
        for r in engine.rows(f"SELECT {sel_start} count(*) FROM {facts} {grp_start}")
    }
    out: dict[tuple[object, ...], ServicePerformance] = {}
    for r in closed_rows:
        key = tuple(r[:n])
        if not r[n]:
            continue  # no grouping and nothing closed
        (closed, lead_med, lead_p90, wd_med, wd_p90, sla_n, sla_met, ftr) = r[n : n + 8]
        wait_med, proc_med, wait_sum, lead_sum = r[n + 8 : n + 12]
        out[key] = ServicePerformance(
            **_dims(by, key),
            volume=volume.get(key, 0),
            closed=int(closed),
            lead_days_median=_div(lead_med, day),
            lead_days_p90=_div(lead_p90, day),
            lead_working_days_median=_f(wd_med),
            lead_working_days_p90=_f(wd_p90),
            sla_cases=int(sla_n),
            sla_met=int(sla_met),
            sla_share=(int(sla_met) / int(sla_n)) if sla_n else None,
            first_time_right=int(ftr),
            first_time_right_share=int(ftr) / int(closed),
            waiting_days_median=_div(wait_med, day),
            processing_days_median=_div(proc_med, day),
            waiting_share=(int(wait_sum) / int(lead_sum)) if lead_sum else None,
        )
    for key, v in volume.items():
        if key not in out:
            out[key] = ServicePerformance(
                **_dims(by, key), volume=v, closed=0, lead_days_median=None,
                lead_days_p90=None, lead_working_days_median=None, lead_working_days_p90=None,
                sla_cases=0, sla_met=0, sla_share=None, first_time_right=0,
                first_time_right_share=None, waiting_days_median=None,
                processing_days_median=None, waiting_share=None,
            )  # fmt: skip
    return tuple(out[k] for k in sorted(out, key=lambda k: tuple(str(x) for x in k)))


def _dims(by: Sequence[str], key: tuple[object, ...]) -> dict[str, str | None]:
    dims: dict[str, str | None] = dict.fromkeys(DIMENSIONS)
    for d, v in zip(by, key, strict=True):
        dims[d] = None if v is None else str(v)
    return dims


def _f(x: object) -> float | None:
    return None if x is None else round(float(x), 6)  # type: ignore[arg-type]


def _div(x: object, d: float) -> float | None:
    return None if x is None else round(float(x) / d, 10)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Backlog:
    """Open cases of one group at `as_of`, and how old they are (working days, net of pauses)."""

    service: str | None
    unit: str | None
    officer: str | None
    period: str | None
    open: int
    age_working_days_median: float
    age_working_days_max: int
    age_0_5: int
    age_6_10: int
    age_11_20: int
    age_over_20: int
    over_sla: int


def backlog(
    engine: Engine,
    by: Sequence[str] = ("service",),
    settings: PerformanceSettings | None = None,
    *,
    as_of: datetime | None = None,
) -> tuple[Backlog, ...]:
    """Backlog and ageing at `as_of`: cases started but not closed; period = start month."""
    settings = settings or PerformanceSettings()
    facts = case_facts(engine, settings, as_of_us(engine, as_of))
    keys = _key_exprs(by, "start_period")
    n = len(by)
    sel = ", ".join([*keys, ""]) if n else ""
    grp = f"GROUP BY {', '.join(keys)} ORDER BY {', '.join(keys)}" if n else ""
    rows = engine.rows(
        f"""WITH open_cases AS (
            SELECT *, age_wd - paused_wd AS net_wd FROM {facts} WHERE NOT closed)
        SELECT {sel} count(*), median(net_wd), max(net_wd),
            count(CASE WHEN net_wd <= 5 THEN 1 END),
            count(CASE WHEN net_wd BETWEEN 6 AND 10 THEN 1 END),
            count(CASE WHEN net_wd BETWEEN 11 AND 20 THEN 1 END),
            count(CASE WHEN net_wd > 20 THEN 1 END),
            count(CASE WHEN net_wd > sla_days THEN 1 END)
        FROM open_cases {grp}"""
    )
    return tuple(
        Backlog(
            **_dims(by, tuple(r[:n])),
            open=int(r[n]),
            age_working_days_median=float(r[n + 1]),
            age_working_days_max=int(r[n + 2]),
            age_0_5=int(r[n + 3]),
            age_6_10=int(r[n + 4]),
            age_11_20=int(r[n + 5]),
            age_over_20=int(r[n + 6]),
            over_sla=int(r[n + 7]),
        )
        for r in rows
        if r[n]
    )


__all__ = [
    "DIMENSIONS",
    "PERIOD_GRAINS",
    "Backlog",
    "PerformanceSettings",
    "ServicePerformance",
    "ServiceStandard",
    "backlog",
    "log_span",
    "period_grain_for",
    "service_performance",
    "use_case_facts",
]
