"""How much a step delays the cases that pass through it, in working days: the bottlenecks of
`sigap.analytics.discovery` told per case, so a report can say "step X adds on average N
working days to Y % of cases".

Definition (docs/analytics.md, "Step delays"):

- The *wait before* an event is the time from the previous event of its case until it: the
  same waiting `discovery.bottlenecks` ranks (a case's first event has none).
- A case *passes through* step X when X follows another event of the case at least once. Its
  delay at X is the sum of its waits before X (a step done twice in a case delays it twice).
- `share_of_cases` = cases that pass through X / all cases of the log.
- `mean_working_days` = the mean delay at X over the cases that pass through it, in working
  days of the agency's calendar (`PerformanceSettings.calendar`, local time zone): each wait
  counts the working days in (day of the previous event, day of X], the lead time's rule, so a
  wait within one day counts 0 and a wait from Friday to Monday counts 1.
- `mean_wait_s` = the same mean in elapsed seconds.

Steps are ranked by the working days they add over all cases (mean × cases), most first. The
SQL reads the `pairs` relation and the calendar table, so DuckDB and Spark run the same query;
DuckDB's linear pass (a canonical log in memory) computes the same integer totals in numpy from
the log's arrays, without joining every pair with the calendar (bench/discovery.py's 1M-event
log on a shared 2-CPU machine: 0.8 s, against 2.4 s for the SQL); a log over the memory budget
gets the same computation chunk by chunk (`sigap.analytics.streaming`), its sums added up.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from sigap.analytics.engine import Engine, Row
from sigap.analytics.linear import LinearLog
from sigap.analytics.performance import (
    US_PER_DAY,
    CalendarArrays,
    PerformanceSettings,
    calendar_table,
    register_dimensions,
    ts_range,
)
from sigap.analytics.streaming import ChunkLog, Rider, StreamingLog

I64 = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class StepDelay:
    """The delay step `activity` adds to the cases passing through it (definition above)."""

    activity: str
    cases: int
    """cases in which the step follows another event at least once"""
    share_of_cases: float
    mean_working_days: float
    mean_wait_s: float


def _day(col: str, offset_us: int) -> str:
    return f"CAST(floor(({col} + {offset_us}) / {US_PER_DAY}) AS BIGINT)"


def step_delays(
    engine: Engine, settings: PerformanceSettings | None = None
) -> tuple[StepDelay, ...]:
    """The delay of every step of the log registered in `engine`, most working days first."""
    settings = settings or PerformanceSettings()
    last = ts_range(engine)[1]
    if last is None:
        return ()
    off = settings.offset_us()
    lin = engine.linear_log()
    if isinstance(lin, LinearLog):  # in memory
        total = len(lin.case_starts())
        rows = _linear_rows(lin, calendar_table(engine, settings, int(last)), off)
    elif isinstance(lin, StreamingLog):  # over the memory budget: the same, chunk by chunk
        rider = plan_delays(engine, settings)
        assert rider is not None
        lin.run(rider)  # unless it rode along the per-case facts pass
        total, rows = rider.cases, rider.rows()
    else:
        register_dimensions(engine, settings, as_of_us=int(last))
        total = int(engine.rows("SELECT count(DISTINCT case_id) FROM events")[0][0])
        rows = _sql_rows(engine, off)
    # Ranked on the exact integer totals, so every path orders ties alike.
    ranked = sorted(rows, key=lambda r: (-int(r[3]), -int(r[2]), str(r[0])))
    return tuple(
        StepDelay(
            activity=str(a),
            cases=int(n),
            share_of_cases=int(n) / total,
            mean_working_days=round(int(wd) / int(n), 6),
            mean_wait_s=round(int(us) / int(n) / 1e6, 6),
        )
        for a, n, us, wd in ranked
    )


def _sql_rows(engine: Engine, off: int) -> list[Row]:
    """(activity, cases passing through it, total wait µs, total working days) per activity."""
    return engine.rows(
        f"""WITH waits AS (
            SELECT p.case_id, p.target AS activity, p.dur_us, ct.wd_index - cs.wd_index AS wd
            FROM pairs p
            JOIN calendar_days cs ON cs.day = {_day("p.ts_us", off)}
            JOIN calendar_days ct ON ct.day = {_day("p.ts_us + p.dur_us", off)}
            WHERE p.target IS NOT NULL),
        per_case AS (
            SELECT activity, case_id, sum(dur_us) AS us, sum(wd) AS wd
            FROM waits GROUP BY activity, case_id)
        SELECT activity, count(*), sum(us), sum(wd) FROM per_case GROUP BY activity"""
    )


def _linear_rows(lin: LinearLog, cal: CalendarArrays, off: int) -> list[Row]:
    """The rows of `_sql_rows` from the log's arrays: a pair is a row whose next row is the
    same case's (seq > 0); the totals per activity are sums over its pairs (the per-case sums
    add up to them), and the cases passing through are the distinct (case, activity) keys."""
    target = np.flatnonzero(lin.seq[1:] > 0) + 1
    if not len(target):
        return []
    end_us, start_us = lin.ts_us[target], lin.ts_us[target - 1]
    wd = cal.wd_index[(end_us + off) // US_PER_DAY - cal.first_day]
    wd = wd - cal.wd_index[(start_us + off) // US_PER_DAY - cal.first_day]
    code = lin.codes[target].astype(np.int64)
    n = len(lin.names)
    us = _exact_sums(code, end_us - start_us, n)  # integer sums: exact, as the SQL's
    days = _exact_sums(code, wd, n)
    # (case, activity) keys sorted: the cases passing through an activity are its distinct keys
    # (a plain sort, cheaper here than np.unique's hashing).
    keys = np.sort(lin.case_of_row()[target].astype(np.int64) * n + code)
    distinct = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
    cases = np.bincount(distinct % n, minlength=n)
    return [
        (lin.names[a], int(cases[a]), int(us[a]), int(days[a]))
        for a in np.flatnonzero(cases).tolist()
    ]


def _exact_sums(groups: npt.NDArray[np.int64], values: npt.NDArray[np.int64], n: int) -> I64:
    """Per group in [0, n), the sum of its int64 values, exactly: as two float64 bincounts of the
    values' high and low 26 bits, each sum exact below 2^53 (for under 2^27 values of up to 2^47
    µs), ~50x quicker than `np.add.at`."""
    if len(values) >= 1 << 27 or (len(values) and int(np.abs(values).max()) >= 1 << 47):
        out = np.zeros(n, np.int64)
        np.add.at(out, groups, values)
        return out
    high = np.bincount(groups, weights=values >> 26, minlength=n).astype(np.int64)
    low = np.bincount(groups, weights=values & ((1 << 26) - 1), minlength=n).astype(np.int64)
    high <<= 26
    high += low
    return high


class DelayRider(Rider):
    """The cases and the rows of `_linear_rows` over a log read in chunks: a chunk holds whole
    cases, so each activity's cases passing through it and its totals add up across chunks."""

    def __init__(self, cal: CalendarArrays, off: int) -> None:
        self.cal, self.off = cal, off
        self.cases = 0
        self.sums: dict[str, list[int]] = {}

    def add(self, chunk: ChunkLog) -> None:
        self.cases += len(chunk.case_starts())
        for activity, n, us, wd in _linear_rows(chunk, self.cal, self.off):
            total = self.sums.setdefault(activity, [0, 0, 0])
            total[0] += n
            total[1] += us
            total[2] += wd

    def rows(self) -> list[Row]:
        assert self.complete
        return [(a, *t) for a, t in self.sums.items()]


def plan_delays(engine: Engine, settings: PerformanceSettings) -> DelayRider | None:
    """On a log read in chunks, have `step_delays(engine, settings)` ride along the next per-case
    facts pass instead of reading the file itself (None: not such a log, or an empty one)."""
    lin = engine.linear_log()
    last = ts_range(engine)[1]
    if not isinstance(lin, StreamingLog) or last is None:
        return None

    def make() -> DelayRider:
        rider = DelayRider(calendar_table(engine, settings, int(last)), settings.offset_us())
        lin.ride_along(rider)
        return rider

    return engine.memo(f"delay_rider:{hash(settings)}:{last}", make)


__all__ = ["StepDelay", "step_delays"]
