"""What-if by replaying the log: the lead time if a step were removed or its waiting cut.

With one timestamp per event, the time a step adds is the time from the previous event of the case
to it (its waiting plus its work). Replaying each case with that time removed (or cut by a
fraction) and every other duration unchanged gives the case's new lead time. Removing a case's
first step makes the case start at its next event.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from sigap.analytics.engine import Engine
from sigap.analytics.streaming import ChunkLog, Rider, StreamingLog

DAY_US = 86_400_000_000
I64 = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class WhatIf:
    activity: str
    scenario: str
    """"remove" or "cut 50% waiting" """
    cases: int
    cases_affected: int
    lead_days_mean_before: float
    lead_days_mean_after: float
    lead_days_median_before: float
    lead_days_median_after: float
    lead_days_p90_before: float
    lead_days_p90_after: float

    @property
    def mean_change(self) -> float:
        """Relative change of the mean lead time (negative = faster)."""
        before = self.lead_days_mean_before
        return (self.lead_days_mean_after - before) / before if before else 0.0


def what_if(engine: Engine, activity: str, *, cut: float = 1.0) -> WhatIf:
    """Lead time if `activity` is removed (`cut=1`) or the time before it cut by `cut` (0..1)."""
    if not 0 < cut <= 1:
        raise ValueError(f"cut must be in (0, 1], got {cut}")
    lin = engine.linear_log()
    scale = _decimals(cut)
    if isinstance(lin, StreamingLog) and scale is not None:  # over the memory budget: numpy
        rider = plan_what_if(engine, (activity,), cut=cut)
        assert rider is not None
        lin.run(rider)  # unless it rode along the per-case facts pass
        replayed = rider.replayed.pop(activity)
        if replayed is not None:
            return _what_if(activity, cut, replayed)
    act = activity.replace("'", "''")
    first = f"WHEN seq = 0 AND source = '{act}' THEN coalesce(dur_us, 0)" if cut == 1 else ""
    per_case = f"""SELECT case_id, sum(coalesce(dur_us, 0)) AS lead_us,
            sum(CASE WHEN target = '{act}' THEN dur_us {first} ELSE 0 END) AS saved_us
        FROM pairs GROUP BY case_id"""
    r = engine.rows(
        f"""WITH per_case AS ({per_case}),
        replay AS (SELECT lead_us, lead_us - {cut!r} * saved_us AS after_us, saved_us FROM per_case)
        SELECT count(*), count(CASE WHEN saved_us > 0 THEN 1 END),
               avg(lead_us), avg(after_us), median(lead_us), median(after_us),
               quantile_cont(lead_us, 0.9), quantile_cont(after_us, 0.9)
        FROM replay"""
    )[0]
    return _what_if(activity, cut, r)


def _what_if(activity: str, cut: float, r: Sequence[Any]) -> WhatIf:
    def days(x: object) -> float:
        return round(float(x) / DAY_US, 10)  # type: ignore[arg-type]

    return WhatIf(
        activity=activity,
        scenario="remove" if cut == 1 else f"cut {cut:.0%} waiting",
        cases=int(r[0]),
        cases_affected=int(r[1]),
        lead_days_mean_before=days(r[2]),
        lead_days_mean_after=days(r[3]),
        lead_days_median_before=days(r[4]),
        lead_days_median_after=days(r[5]),
        lead_days_p90_before=days(r[6]),
        lead_days_p90_after=days(r[7]),
    )


class WhatIfRider(Rider):
    """Per case of a log read in chunks, its lead time and the time before each of `activities`
    (the sums of the SQL's `per_case`: a case's waits add up to its last minus its first time;
    its time saved is that of its pairs ending in the activity, and with `cut == 1` of its
    first pair when it starts with the activity)."""

    def __init__(self, activities: Sequence[str], cut: float, cases: int) -> None:
        self.activities, self.cut = tuple(activities), cut
        # filled chunk by chunk in place (no list of parts to concatenate: half the peak)
        self.lead = np.empty(cases, np.int64)
        self.saved = {a: np.empty(cases, np.int64) for a in self.activities}
        self.filled = 0
        self.replayed: dict[str, tuple[object, ...] | None] = {}
        """per activity, the row of the replay's SQL (None: beyond what numpy replays exactly)"""

    def add(self, chunk: ChunkLog) -> None:
        seq, codes, ts = chunk.seq, chunk.codes, chunk.ts_us
        starts = chunk.case_starts()
        ends = np.append(starts[1:], len(seq)) - 1
        at = slice(self.filled, self.filled + len(starts))
        np.subtract(ts[ends], ts[starts], out=self.lead[at])
        cont = seq[1:] > 0
        dur = ts[1:] - ts[:-1]
        for activity in self.activities:
            code = chunk.names.index(activity) if activity in chunk.names else -1
            hit = cont & (codes[1:] == code)
            if self.cut == 1:
                hit |= cont & (seq[:-1] == 0) & (codes[:-1] == code)
            # each pair's time on its first row, which is its case's: summed per case
            on_row = np.zeros(len(seq), np.int64)
            on_row[:-1][hit] = dur[hit]
            self.saved[activity][at] = np.add.reduceat(on_row, starts)
        self.filled += len(starts)

    def finish(self) -> None:
        """The replay's aggregates for each activity, then the per-case times dropped (4 of 8
        bytes a case at 100M events: freed before the report's DuckDB aggregations)."""
        assert self.filled == len(self.lead)
        scale = _decimals(self.cut)
        assert scale is not None
        before = _lead_stats(self.lead)
        for activity in self.activities:
            saved = self.saved.pop(activity)
            self.replayed[activity] = _replay(self.lead, saved, self.cut, scale, before)
            del saved
        self.lead = np.empty(0, np.int64)


# -- the SQL's aggregates over the per-case sums, to the bit -------------------------------------
#
# In the SQL the per-case sums are HUGEINT; `lead - cut * saved` is HUGEINT when `cut` is written
# as an integer, else a DECIMAL with as many decimals as `cut` is written with (the replay's
# literal `{cut!r}`). DuckDB averages a 128-bit sum divided in long double by the count (times
# 10^scale for a DECIMAL); quantile_cont interpolates a BIGINT/HUGEINT in double
# (`linear._quantile`) and a DECIMAL as lo * (1 - d) + hi * d in double, truncated to its scale.
# tests/analytics/test_streaming.py checks each against DuckDB on random values.

MAX_SCALE = 4
"""`cut` written with more decimals than this takes the SQL (the scaled sums stay in 64 bits);
so do per-case times beyond 2^53 once scaled (`_replay`)."""


def _decimals(cut: float) -> int | None:
    """How many decimals DuckDB reads `{cut!r}` with (0: an integer), None beyond `MAX_SCALE`."""
    text = repr(cut)
    if "e" in text.lower():
        return None
    scale = len(text.split(".")[1]) if "." in text else 0
    return scale if scale <= MAX_SCALE else None


def _exact_sum(values: I64) -> int:
    """The sum of int64 values as Python's exact integer (no int64 overflow)."""
    high = values >> 32
    low = values & 0xFFFFFFFF
    return (int(high.sum()) << 32) + int(low.sum())


def _long_double(value: int) -> np.longdouble:
    """DuckDB's cast of a HUGEINT to long double (its upper half times 2^64 - 1)."""
    upper, lower = value >> 64, value & (2**64 - 1)
    if upper == -1:
        return -(np.longdouble(np.uint64(2**64 - 1 - lower))) - 1
    return np.longdouble(np.uint64(lower)) + np.longdouble(upper) * np.longdouble(2**64 - 1)


def _avg(values: I64, scale: int) -> float:
    divident = np.longdouble(len(values)) * np.longdouble(10**scale)
    return float(_long_double(_exact_sum(values)) / divident)


def _quantiles(values: I64, scale: int) -> list[float]:
    """quantile_cont at 0.5 and 0.9, of integers (`scale` 0) or of a DECIMAL's scaled ones."""
    n = len(values)
    at = sorted({i for q in (0.5, 0.9) for i in (math.floor((n - 1) * q), math.ceil((n - 1) * q))})
    part = np.partition(values, at)
    out = []
    for q in (0.5, 0.9):
        rn = (n - 1) * q
        lo, hi = math.floor(rn), math.ceil(rn)
        a, b = float(part[lo]), float(part[hi])
        if scale == 0:  # as `linear._quantile`
            out.append(a if lo == hi else a * (hi - rn) + b * (rn - lo))
            continue
        d = rn - lo
        out.append(float(Decimal(int(a * (1 - d) + b * d)).scaleb(-scale)))
    return out


def _lead_stats(lead: I64) -> tuple[float, float, float] | None:
    """avg, median and 90th percentile of the lead times (None beyond 2^53: see `_replay`)."""
    if max(abs(int(lead.min())), int(lead.max())) >= 2**53:
        return None
    q50, q90 = _quantiles(lead, 0)
    return _avg(lead, 0), q50, q90


def _replay(
    lead: I64,
    saved: I64,
    cut: float,
    scale: int,
    before: tuple[float, float, float] | None,
) -> tuple[object, ...] | None:
    """The row of the replay's SQL from every case's lead and saved time; None when a (scaled)
    time is beyond 2^53, where doubles no longer hold every integer and DuckDB's interpolation
    of a DECIMAL takes other roundings."""
    # in place, one array of temporaries: these are 8 bytes a case
    after = saved * -(int(cut) if scale == 0 else round(cut * 10**scale))
    after += lead if scale == 0 else lead * 10**scale
    # `before`: `_lead_stats(lead)`, shared by every activity replayed
    if before is None or max(abs(int(after.min())), int(after.max())) >= 2**53:
        return None
    q_after = _quantiles(after, scale)
    return (len(lead), int(np.count_nonzero(saved > 0)), before[0], _avg(after, scale),
            before[1], q_after[0], before[2], q_after[1])  # fmt: skip


def plan_what_if(
    engine: Engine, activities: Sequence[str], *, cut: float = 1.0
) -> WhatIfRider | None:
    """On a log read in chunks, have `what_if(engine, a, cut=cut)` for each of `activities` ride
    along the next per-case facts pass (one rider for them all; None: not such a log)."""
    lin = engine.linear_log()
    if not isinstance(lin, StreamingLog):
        return None
    keys = [f"what_if_rider:{a}:{cut!r}" for a in activities]
    planned = [engine.memoised(k) for k in keys]
    if _decimals(cut) is None:
        return None
    fresh = [a for a, p in zip(activities, planned, strict=True)
             if p is None or (a not in p.saved and a not in p.replayed)]  # fmt: skip
    if not fresh:
        rider: WhatIfRider = planned[0]
        return rider
    rider = WhatIfRider(fresh, cut, lin.num_cases())
    lin.ride_along(rider)
    for a in fresh:
        engine.remember(f"what_if_rider:{a}:{cut!r}", rider)
    return rider


__all__ = ["WhatIf", "plan_what_if", "what_if"]
