"""One definition of an officer's work on a procedure step, shared by the competency gaps (an
officer below peers on a step) and the training effects (a step's KPIs before and after).

`step_events_sql()` is a query (DuckDB dialect, over the registered `events`) with one row per
event an officer recorded on a step after the case's first event (a submission is not work):

- `case_id`, `service` ('' when the log has none), `step` (the activity), `officer`, `ts_us`;
- `handling_us`: time from the case's previous event to this one (as the officer scorecards),
  NULL after a pause (the previous event returned the file or waited for the applicant): that
  time is the applicant's, not the officer's handling;
- `redone`: the same activity happens again later in the case (rework this event caused);
- `returned`: this event returned the file to the applicant for correction (outcome
  `returned`), i.e. the file was not right the first time at this step.

KPIs of (officer, step) over a set of such rows: rework share = redone / events; median
handling; first-time-right = 1 − returned / events.

`step_scorecards()` computes them per (service, step, officer) over a window, with the same
figures of the officer's peers on the same service and step. As in
`sigap.analytics.scorecards`, an officer with fewer than `min_events` events on the step is not
shown and does not count as a peer; the peers' figure is the median of the other shown officers'
figures (the officer excluded).
"""

from __future__ import annotations

from dataclasses import dataclass

from sigap.analytics.engine import Engine, Row
from sigap.analytics.eventlog import PAUSE_OUTCOMES, RETURN_OUTCOME
from sigap.analytics.scorecards import MIN_CASES

US_PER_YEAR = 365 * 86_400_000_000
"""The default window: the 365 days up to the log's latest event."""


def step_events_sql(where: str = "TRUE") -> str:
    """The per-event rows; `where` filters `events` (alias `e`) before the windows, e.g. on
    service."""
    paused = ", ".join(f"'{o}'" for o in sorted(PAUSE_OUTCOMES))
    return f"""SELECT case_id, service, step, officer, ts_us, handling_us, redone, returned
        FROM (
            SELECT e.case_id, coalesce(e.service, '') AS service, e.activity AS step,
                   e.resource AS officer, e.ts_us, e.seq,
                   CASE WHEN coalesce(lag(e.lifecycle) OVER (PARTITION BY e.case_id
                                ORDER BY e.seq), '') NOT IN ({paused})
                        THEN e.ts_us - lag(e.ts_us) OVER (PARTITION BY e.case_id ORDER BY e.seq)
                   END AS handling_us,
                   (lead(e.seq) OVER (PARTITION BY e.case_id, e.activity ORDER BY e.seq))
                       IS NOT NULL AS redone,
                   coalesce(e.lifecycle = '{RETURN_OUTCOME}', FALSE) AS returned
            FROM events e WHERE {where}) s
        WHERE seq > 0 AND officer IS NOT NULL"""


@dataclass(frozen=True, slots=True)
class StepScorecard:
    """One officer's work on one step of one service over the window, against peers."""

    service: str | None
    step: str
    officer: str
    events: int
    redone: int
    returned: int
    rework_share: float
    handling_median_s: float
    first_time_right: float
    step_cases: int
    """cases that went through this step (anyone's event) in the window"""
    peers: int
    """other officers shown for the same service and step"""
    peer_rework_share: float | None
    peer_handling_median_s: float | None
    peer_first_time_right: float | None


def step_scorecards(
    engine: Engine,
    *,
    since_us: int | None = None,
    until_us: int | None = None,
    min_events: int = MIN_CASES,
) -> tuple[StepScorecard, ...]:
    """Per (service, step, officer) with at least `min_events` events in
    [`since_us`, `until_us`): the officer's KPIs and the median of the peers' KPIs.

    The window defaults to the 365 days up to the log's latest event. Events are taken from
    `step_events_sql()` over the whole log and only then cut to the window, so an event's
    handling time and whether it was redone look at the whole case.
    """
    if since_us is None:
        latest = engine.rows("SELECT max(ts_us) FROM events")[0][0]
        if latest is None:
            return ()
        since_us = int(until_us if until_us is not None else latest + 1) - US_PER_YEAR
    until = f"AND ts_us < {int(until_us)}" if until_us is not None else ""
    rows = engine.rows(
        f"""WITH ev AS (
            SELECT * FROM ({step_events_sql()}) x WHERE ts_us >= {int(since_us)} {until}),
        per AS (
            SELECT service, step, officer, count(*) AS events,
                   count(CASE WHEN redone THEN 1 END) AS redone,
                   count(CASE WHEN returned THEN 1 END) AS returned,
                   median(handling_us) AS med
            FROM ev GROUP BY service, step, officer),
        shown AS (
            SELECT service, step, officer, events, redone, returned, med,
                   CAST(redone AS DOUBLE) / events AS rework,
                   1 - CAST(returned AS DOUBLE) / events AS ftr
            FROM per WHERE events >= {int(min_events)}),
        vol AS (
            SELECT service, step, count(DISTINCT case_id) AS cases
            FROM ev GROUP BY service, step),
        peer AS (
            SELECT s.service, s.step, s.officer, count(p.officer) AS peers,
                   median(p.rework) AS rework, median(p.med) AS med, median(p.ftr) AS ftr
            FROM shown s LEFT JOIN shown p
                 ON p.service = s.service AND p.step = s.step AND p.officer <> s.officer
            GROUP BY s.service, s.step, s.officer)
        SELECT s.service, s.step, s.officer, s.events, s.redone, s.returned, s.rework, s.med,
               s.ftr, v.cases, p.peers, p.rework, p.med, p.ftr
        FROM shown s
        JOIN vol v ON v.service = s.service AND v.step = s.step
        JOIN peer p ON p.service = s.service AND p.step = s.step AND p.officer = s.officer
        ORDER BY s.service, s.step, s.officer"""
    )
    return tuple(_card(r) for r in rows)


def _opt(value: object, scale: float = 1.0) -> float | None:
    return None if value is None else round(float(value) / scale, 6)  # type: ignore[arg-type]


def _card(r: Row) -> StepScorecard:
    return StepScorecard(
        service=r[0] or None,
        step=r[1],
        officer=r[2],
        events=int(r[3]),
        redone=int(r[4]),
        returned=int(r[5]),
        rework_share=round(float(r[6]), 6),
        handling_median_s=round(float(r[7]) / 1e6, 6),
        first_time_right=round(float(r[8]), 6),
        step_cases=int(r[9]),
        peers=int(r[10]),
        peer_rework_share=_opt(r[11]) if r[10] else None,
        peer_handling_median_s=_opt(r[12], 1e6) if r[10] else None,
        peer_first_time_right=_opt(r[13]) if r[10] else None,
    )


__all__ = ["US_PER_YEAR", "StepScorecard", "step_events_sql", "step_scorecards"]
