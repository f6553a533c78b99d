"""The monthly KPI panel of services, for `sigap.analytics.impact` (innovations and roadmap
actions, issue #16).

One cell per (service, month of submission) from the case facts of
`sigap.analytics.performance` — the one definition of a case's start, closing, lead time in
working days, pauses, SLA and returns; nothing is recomputed here — with the counts behind the
KPIs:

- `cases`: requests submitted that month and closed by `as_of` (the weight of the cell);
- lead time = `lead_wd_sum / cases`: the mean lead time in working days (lower is better);
- SLA share = `sla_met / sla_cases`: of the closed cases judged against a service standard,
  the share within its SLA (`sigap.rules.sla`; higher is better; no value without a standard);
- first-time-right = `first_time_right / cases`: the share of the closed cases never returned
  to the applicant for correction (higher is better).

IKM (from the SKM answers) and complaints per 1,000 requests come from the database, not the
log: their panels are built by `sigap.innovation.effects`; the names are here so every KPI of
an intervention has one key and one direction (`HIGHER_IS_BETTER`).

**Month of submission.** A case belongs to the calendar month, in the agency's time zone, of its
first event (a request submitted at 23:30 WIB on 31 March is March's), numbered by
`impact.month_number`. Months are cut on the engine by a join with a small table of month
boundaries, as in `step_panel`, so both engines agree to the microsecond. A change made in a
month shows in the cases *submitted* after it, whenever they close: the month of submission, not
of closing, is the period a case was treated in.

**Censoring of recent months.** A month's cases close over the following weeks. Counting only the
closed ones of a recent month keeps the quick cases and drops the slow ones still open, so lead
time would look shorter and the SLA share better than they are, exactly at the end of the panel
where an intervention's "after" lies. The rule:

1. the month containing `as_of` is never in the panel (its cases are a part-month's);
2. per service, walking back from its latest month, months whose submitted cases are less than
   `min_closed` (default `MIN_CLOSED_SHARE` = 95 %) closed by `as_of` are cut, up to the first
   month that reaches it; every earlier month is kept, whatever its share (a few requests
   abandoned years ago do not cut a month out of the middle of the panel).

With 95 % closed the cases still open can shift a month's mean lead time by at most 5 % of the
cases' excess over the others — well inside the noise of a month of one service — and a service
whose requests routinely take more than a month simply loses its last month or two. A cut month
is not "no change": `did` counts only the periods with data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sigap.analytics.engine import Engine
from sigap.analytics.impact import PanelRow
from sigap.analytics.performance import PerformanceSettings, case_facts
from sigap.analytics.step_panel import month_bounds
from sigap.rules.sla import within_sla_sql

LEAD_TIME = "lead_time"  # mean lead time in working days of the cases (lower is better)
SLA = "sla_share"  # share of judged cases closed within the SLA (higher is better)
FIRST_TIME_RIGHT = "first_time_right"  # share of closed cases never returned (higher)
IKM = "ikm"  # from the SKM answers (database side, `sigap.innovation.effects`) (higher)
COMPLAINTS = "complaints_per_1000"  # complaints per 1,000 requests (database side) (lower)

HIGHER_IS_BETTER: dict[str, bool] = {
    LEAD_TIME: False,
    SLA: True,
    FIRST_TIME_RIGHT: True,
    IKM: True,
    COMPLAINTS: False,
}
LOG_KPIS: tuple[str, ...] = (LEAD_TIME, SLA, FIRST_TIME_RIGHT)
"""The KPIs this panel carries (the others come from the database)."""

MIN_CLOSED_SHARE = 0.95
"""A recent month stays in the panel when at least this share of its submitted cases is closed."""


@dataclass(frozen=True)
class ServiceCell:
    """One service (by code) in one month (`impact.month_number`), by month of submission."""

    service: str
    period: int
    cases: int  # requests submitted that month and closed by as_of (the weight)
    lead_wd_sum: float
    sla_cases: int
    sla_met: int
    first_time_right: int

    def value(self, kpi: str) -> float | None:
        """The KPI of the cell; None when it has no cases behind it (an SLA share without a
        service standard)."""
        if kpi == LEAD_TIME:
            return self.lead_wd_sum / self.cases if self.cases else None
        if kpi == SLA:
            return self.sla_met / self.sla_cases if self.sla_cases else None
        if kpi == FIRST_TIME_RIGHT:
            return self.first_time_right / self.cases if self.cases else None
        raise ValueError(_unknown(kpi))

    def weight(self, kpi: str) -> int:
        """The cases behind the KPI's value: the judged cases for the SLA share, else `cases`."""
        if kpi == SLA:
            return self.sla_cases
        if kpi in (LEAD_TIME, FIRST_TIME_RIGHT):
            return self.cases
        raise ValueError(_unknown(kpi))


def _unknown(kpi: str) -> str:
    if kpi in HIGHER_IS_BETTER:
        return f"KPI {kpi!r} comes from the database, not the service panel (see {LOG_KPIS})"
    return f"unknown KPI {kpi!r}; expected one of {tuple(HIGHER_IS_BETTER)}"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def service_panel(
    engine: Engine,
    settings: PerformanceSettings,
    as_of_us: int,
    *,
    services: Sequence[str] | None = None,
    tz: str | None = None,
    min_closed: float = MIN_CLOSED_SHARE,
) -> list[ServiceCell]:
    """The panel of every service (or those in `services`) of the registered log, as seen at
    `as_of_us`, in one query over the case facts. Months are local months of `tz`, by default
    the agency's (`settings.timezone`, the zone of its working-day calendar). Recent months
    are censored as the module docstring says. Sorted by service, then period."""
    if not 0 <= min_closed <= 1:
        raise ValueError("min_closed must lie between 0 and 1")
    if services is not None and not services:
        return []
    facts = case_facts(engine, settings, as_of_us)
    where = "service IS NOT NULL"
    if services is not None:
        where += f" AND service IN ({', '.join(sorted({_quote(s) for s in services}))})"
    span = engine.rows(f"SELECT min(start_us) FROM {facts} WHERE {where}")
    if not span or span[0][0] is None or int(span[0][0]) > as_of_us:
        return []
    months = month_bounds(int(span[0][0]), as_of_us, tz or settings.timezone)
    # Only whole months: the month containing as_of is left out.
    months = months.filter([end <= as_of_us for end in months.column("end_us").to_pylist()])
    if months.num_rows == 0:
        return []
    engine.register_table("service_months", months)
    within = within_sla_sql("f.lead_wd", "f.paused_wd", "f.sla_days")
    rows = engine.rows(
        f"""SELECT f.service, m.period, count(*) AS submitted,
                   count(CASE WHEN f.closed THEN 1 END) AS cases,
                   sum(CASE WHEN f.closed THEN f.lead_wd END) AS lead_wd_sum,
                   count(CASE WHEN f.closed AND f.sla_days IS NOT NULL THEN 1 END) AS sla_cases,
                   count(CASE WHEN f.closed AND f.sla_days IS NOT NULL AND {within}
                         THEN 1 END) AS sla_met,
                   count(CASE WHEN f.closed AND NOT f.returned THEN 1 END) AS ftr
            FROM (SELECT * FROM {facts} WHERE {where}) f
            JOIN service_months m ON f.start_us >= m.start_us AND f.start_us < m.end_us
            GROUP BY f.service, m.period
            ORDER BY f.service, m.period"""
    )
    return censor(
        [
            (
                int(submitted),
                ServiceCell(
                    service=str(service),
                    period=int(period),
                    cases=int(cases),
                    lead_wd_sum=float(lead or 0),
                    sla_cases=int(sla_cases),
                    sla_met=int(sla_met),
                    first_time_right=int(ftr),
                ),
            )
            for service, period, submitted, cases, lead, sla_cases, sla_met, ftr in rows
        ],
        min_closed,
    )


def censor(
    counted: Sequence[tuple[int, ServiceCell]], min_closed: float = MIN_CLOSED_SHARE
) -> list[ServiceCell]:
    """Rule 2 of the module docstring on (submitted, cell) pairs sorted by service and period:
    per service, the trailing months with fewer than `min_closed` of their submitted cases
    closed are dropped; cells with no closed case are dropped wherever they are."""
    out: list[ServiceCell] = []
    i = 0
    while i < len(counted):
        j = i
        while j < len(counted) and counted[j][1].service == counted[i][1].service:
            j += 1
        end = j
        while end > i and counted[end - 1][1].cases < min_closed * counted[end - 1][0]:
            end -= 1
        out.extend(cell for _n, cell in counted[i:end] if cell.cases > 0)
        i = j
    return out


def panel_rows(cells: Sequence[ServiceCell], kpi: str) -> list[PanelRow]:
    """The `impact.did` panel of one KPI: unit = service code, period = month, value = the
    KPI, weight = the cases behind it (`ServiceCell.weight`: the judged cases for the SLA
    share, the closed cases otherwise). Cells without a value are left out."""
    out = []
    for c in cells:
        v = c.value(kpi)
        if v is not None:
            out.append(PanelRow(c.service, c.period, v, float(c.weight(kpi))))
    return out


__all__ = [
    "COMPLAINTS",
    "FIRST_TIME_RIGHT",
    "HIGHER_IS_BETTER",
    "IKM",
    "LEAD_TIME",
    "LOG_KPIS",
    "MIN_CLOSED_SHARE",
    "SLA",
    "ServiceCell",
    "censor",
    "panel_rows",
    "service_panel",
]
