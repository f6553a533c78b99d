"""The monthly KPI panel of officers on a procedure step, for `sigap.analytics.impact`.

One row per (service, step, officer, month) from `step_events_sql()` — the one definition of an
officer's work on a step — with the counts behind the KPIs:

- `events`: the officer's events on the step that month (the weight of the cell);
- rework share = `redone / events` (the step happened again later in the case);
- first-time-right = 1 - `returned / events` (the file went back to the applicant);
- `handling_median_s`: the median time from the case's previous event to the officer's.

Months are calendar months in the agency's time zone (a file handled at 23:30 WIB on 31 March
is March's), numbered by `impact.month_number`. They are cut on the engine by a join with a
small table of month boundaries, so both engines agree to the microsecond.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pyarrow as pa

from sigap.analytics.engine import Engine
from sigap.analytics.impact import (
    DEFAULT_SETTINGS,
    Impact,
    ImpactSettings,
    did,
    month_number,
)
from sigap.analytics.steps import step_events_sql

DEFAULT_TZ = "Asia/Jakarta"


@dataclass(frozen=True)
class StepCell:
    service: str
    step: str
    officer: str
    period: int  # impact.month_number of the local month
    events: int
    redone: int
    returned: int
    handling_median_s: float | None

    @property
    def rework_share(self) -> float:
        return self.redone / self.events

    @property
    def first_time_right(self) -> float:
        return 1 - self.returned / self.events


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def month_bounds(first_us: int, last_us: int, tz: str = DEFAULT_TZ) -> pa.Table:
    """The local months covering [first_us, last_us]: period, start_us, end_us (exclusive)."""
    zone = ZoneInfo(tz)
    first = datetime.fromtimestamp(first_us / 1e6, zone)
    last = datetime.fromtimestamp(last_us / 1e6, zone)
    periods, starts, ends = [], [], []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        nxt = (year + month // 12, month % 12 + 1)
        periods.append(month_number(year, month))
        starts.append(int(datetime(year, month, 1, tzinfo=zone).timestamp()) * 1_000_000)
        ends.append(int(datetime(nxt[0], nxt[1], 1, tzinfo=zone).timestamp()) * 1_000_000)
        year, month = nxt
    return pa.table(
        {
            "period": pa.array(periods, pa.int64()),
            "start_us": pa.array(starts, pa.int64()),
            "end_us": pa.array(ends, pa.int64()),
        }
    )


def step_panel(
    eng: Engine, pairs: Sequence[tuple[str, str]], *, tz: str = DEFAULT_TZ
) -> list[StepCell]:
    """The panel of every (service, step) in `pairs`, in one pass over the registered log."""
    if not pairs:
        return []
    services = ", ".join(sorted({_quote(s) for s, _ in pairs}))
    span = eng.rows(f"SELECT min(ts_us), max(ts_us) FROM events WHERE service IN ({services})")
    if not span or span[0][0] is None:
        return []
    eng.register_table("step_months", month_bounds(int(span[0][0]), int(span[0][1]), tz))
    wanted = " OR ".join(f"(s.service = {_quote(a)} AND s.step = {_quote(b)})" for a, b in pairs)
    rows = eng.rows(
        f"""SELECT s.service, s.step, s.officer, m.period, count(*) AS events,
                   sum(CASE WHEN s.redone THEN 1 ELSE 0 END) AS redone,
                   sum(CASE WHEN s.returned THEN 1 ELSE 0 END) AS returned,
                   median(s.handling_us) AS handling
            FROM ({step_events_sql(f"e.service IN ({services})")}) s
            JOIN step_months m ON s.ts_us >= m.start_us AND s.ts_us < m.end_us
            WHERE {wanted}
            GROUP BY s.service, s.step, s.officer, m.period
            ORDER BY s.service, s.step, s.officer, m.period"""
    )
    return [
        StepCell(
            service=str(service),
            step=str(step),
            officer=str(officer),
            period=int(period),
            events=int(events),
            redone=int(redone),
            returned=int(returned),
            handling_median_s=float(handling) / 1e6 if handling is not None else None,
        )
        for service, step, officer, period, events, redone, returned, handling in rows
    ]


@dataclass(frozen=True)
class StepKpi:
    name: str
    higher_is_better: bool
    value: Callable[[StepCell], float | None]


REWORK, HANDLING, FIRST_TIME_RIGHT = "rework", "handling", "first_time_right"
STEP_KPIS: tuple[StepKpi, ...] = (
    StepKpi(REWORK, False, lambda c: c.rework_share),
    StepKpi(
        HANDLING,
        False,
        lambda c: c.handling_median_s / 3600 if c.handling_median_s is not None else None,
    ),
    StepKpi(FIRST_TIME_RIGHT, True, lambda c: c.first_time_right),
)


def step_effects(
    cells: Sequence[StepCell],
    trained: Mapping[str, date],
    *,
    elsewhere: Mapping[str, date] | None = None,
    settings: ImpactSettings = DEFAULT_SETTINGS,
    kpis: Sequence[StepKpi] = STEP_KPIS,
) -> dict[str, Impact]:
    """The effect of an intervention on officers (`trained`: officer -> the day it ended) on
    each KPI of the cells of one service and step, against the step's other officers.

    An officer's first treated month is the month after the one their training ended in; that
    month itself (partly before, partly after) is left out. Officers in `elsewhere` (officer ->
    end of another intervention on the same step) are comparison officers only before the
    month theirs ended.
    """
    ended = {o: month_number(d.year, d.month) for o, d in trained.items()}
    others = {o: month_number(d.year, d.month) for o, d in (elsewhere or {}).items()}
    starts = {o: m + 1 for o, m in ended.items()}
    kept = [c for c in cells if ended.get(c.officer) != c.period]
    return {
        kpi.name: did(
            [(c.officer, c.period, kpi.value(c), float(c.events)) for c in kept],
            starts,
            higher_is_better=kpi.higher_is_better,
            excluded_from={o: m for o, m in others.items() if o not in starts},
            settings=settings,
        )
        for kpi in kpis
    }


__all__ = [
    "DEFAULT_TZ",
    "FIRST_TIME_RIGHT",
    "HANDLING",
    "REWORK",
    "STEP_KPIS",
    "StepCell",
    "StepKpi",
    "month_bounds",
    "step_effects",
    "step_panel",
]
