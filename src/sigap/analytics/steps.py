"""One definition of an officer's work on a procedure step, shared by the competency gaps (an
officer below peers on a step) and the training effects (a step's KPIs before and after).

`step_events_sql()` is a query (DuckDB dialect, over the registered `events`) with one row per
event an officer recorded on a step after the case's first event (a submission is not work):

- `case_id`, `service` ('' when the log has none), `step` (the activity), `officer`, `ts_us`;
- `handling_us`: time from the case's previous event to this one (as the officer scorecards);
- `redone`: the same activity happens again later in the case (rework this event caused);
- `returned`: this event returned the file to the applicant for correction (outcome
  `returned`), i.e. the file was not right the first time at this step.

KPIs of (officer, step) over a set of such rows: rework share = redone / events; median
handling; first-time-right = 1 − returned / events.
"""

from __future__ import annotations

from sigap.analytics.eventlog import RETURN_OUTCOME


def step_events_sql(where: str = "TRUE") -> str:
    """The per-event rows; `where` filters `events` (alias `e`) before the windows, e.g. on
    service."""
    return f"""SELECT case_id, service, step, officer, ts_us, handling_us, redone, returned
        FROM (
            SELECT e.case_id, coalesce(e.service, '') AS service, e.activity AS step,
                   e.resource AS officer, e.ts_us, e.seq,
                   e.ts_us - lag(e.ts_us) OVER (PARTITION BY e.case_id ORDER BY e.seq)
                       AS handling_us,
                   (lead(e.seq) OVER (PARTITION BY e.case_id, e.activity ORDER BY e.seq))
                       IS NOT NULL AS redone,
                   coalesce(e.lifecycle = '{RETURN_OUTCOME}', FALSE) AS returned
            FROM events e WHERE {where}) s
        WHERE seq > 0 AND officer IS NOT NULL"""


__all__ = ["step_events_sql"]
