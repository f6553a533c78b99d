"""Officer scorecards: what each officer handled, how fast, with what result, against peers.

Per (service, officer), over the registered log:

- `steps`: events the officer recorded after the case's first event (a submission is not work);
  `cases`: distinct cases they worked on.
- `handling_median_s`: median time from the case's previous event to the officer's event.
- `sla_cases` / `sla_met`: closed cases they worked on that were judged against a standard, and
  how many met it (net of pauses; see `sigap.analytics.performance`).
- `rework_caused`: their events whose activity had to be done again later in the same case.
- Percentiles against the peers doing the same service (only peers shown, see below):
  `throughput_percentile` = share of peers with fewer steps; `speed_percentile` = share of peers
  with a slower median handling time.

Officers with fewer than `min_cases` cases are not shown and do not count as peers: nobody is
judged on a handful of cases.
"""

from __future__ import annotations

from dataclasses import dataclass

from sigap.analytics.discovery import rework
from sigap.analytics.engine import Engine, Row
from sigap.analytics.performance import PerformanceSettings, as_of_us, case_facts, sla_flags
from sigap.rules.sla import within_sla_sql

MIN_CASES = 30


@dataclass(frozen=True, slots=True)
class OfficerScorecard:
    service: str | None
    officer: str
    steps: int
    cases: int
    handling_median_s: float
    sla_cases: int
    sla_met: int
    sla_share: float | None
    rework_caused: int
    throughput_percentile: float
    speed_percentile: float
    peers: int
    """officers shown for the same service, this one included"""


RANKED_SQL = """shown AS (
            SELECT ps.service, ps.officer, ps.steps, pc.cases, ps.med, pc.judged, pc.met
            FROM per_steps ps JOIN per_cases pc
                 ON pc.service = ps.service AND pc.officer = ps.officer),
        redone AS ({redone})
        SELECT s.service, s.officer, s.steps, s.cases, s.med,
               s.judged, s.met, coalesce(r.redone, 0),
               percent_rank() OVER (PARTITION BY s.service ORDER BY s.steps),
               percent_rank() OVER (PARTITION BY s.service ORDER BY s.med DESC),
               count(*) OVER (PARTITION BY s.service)
        FROM shown s
        LEFT JOIN redone r ON r.service = s.service AND r.officer = s.officer
        ORDER BY s.service, s.officer"""
"""The end of the scorecards' query, after CTEs `per_cases` (service, officer, cases, judged,
met; above the threshold) and `per_steps` (service, officer, steps, med): the rows
`scorecards_from_rows` reads. Shared with the store's partials (`sigap.analytics.incremental`)."""


def officer_scorecards(
    engine: Engine,
    *,
    min_cases: int = MIN_CASES,
    settings: PerformanceSettings | None = None,
) -> tuple[OfficerScorecard, ...]:
    """Scorecards of officers with at least `min_cases` cases, per service and officer."""
    settings = settings or PerformanceSettings()
    # Only activities that some variant repeats can have been redone: look only at those.
    repeated = sorted(r.activity for r in rework(engine))
    lin = engine.linear_log()
    if lin is not None:
        # The same rows from the linear pass (tests/analytics/test_linear.py compares them).
        judged, met = sla_flags(engine, settings, as_of_us(engine, None))
        rows = lin.scorecard_rows(judged, met, min_cases, repeated)
        if rows is not None:  # None: more service×officer pairs than the streaming pass holds
            return scorecards_from_rows(rows)
    facts = case_facts(engine, settings, as_of_us(engine, None))
    if repeated:
        names = ", ".join("'" + a.replace("'", "''") + "'" for a in repeated)
        redone = f"""SELECT service, resource AS officer, count(*) AS redone FROM (
                SELECT coalesce(service, '') AS service, resource,
                       lead(seq) OVER (PARTITION BY case_id, activity ORDER BY seq) AS again
                FROM events WHERE activity IN ({names})) r
            WHERE again IS NOT NULL AND resource IS NOT NULL GROUP BY service, resource"""
    else:
        redone = "SELECT '' AS service, '' AS officer, 0 AS redone WHERE false"
    rows = engine.rows(
        f"""WITH handled AS (
            SELECT coalesce(service, '') AS service, target_resource AS officer, case_id, dur_us
            FROM pairs WHERE target IS NOT NULL AND target_resource IS NOT NULL),
        touched AS (
            SELECT service, officer, case_id FROM handled GROUP BY service, officer, case_id),
        judged AS (
            SELECT case_id, {within_sla_sql("lead_wd", "paused_wd", "sla_days")} AS met
            FROM {facts} WHERE closed AND sla_days IS NOT NULL),
        per_cases AS (
            SELECT t.service, t.officer, count(*) AS cases, count(j.case_id) AS judged,
                   count(CASE WHEN j.met THEN 1 END) AS met
            FROM touched t LEFT JOIN judged j ON j.case_id = t.case_id
            GROUP BY t.service, t.officer HAVING count(*) >= {int(min_cases)}),
        per_steps AS (
            SELECT service, officer, count(*) AS steps, median(dur_us) AS med
            FROM handled GROUP BY service, officer),
        {RANKED_SQL.format(redone=redone)}"""
    )
    return scorecards_from_rows(rows)


def scorecards_from_rows(rows: list[Row]) -> tuple[OfficerScorecard, ...]:
    """Scorecards from the rows of the query above (also combined from per-partition partials,
    `sigap.analytics.incremental`)."""
    return tuple(
        OfficerScorecard(
            service=r[0] or None,
            officer=r[1],
            steps=int(r[2]),
            cases=int(r[3]),
            handling_median_s=round(float(r[4]) / 1e6, 6),
            sla_cases=int(r[5]),
            sla_met=int(r[6]),
            sla_share=int(r[6]) / int(r[5]) if r[5] else None,
            rework_caused=int(r[7]),
            throughput_percentile=round(float(r[8]), 6),
            speed_percentile=round(float(r[9]), 6),
            peers=int(r[10]),
        )
        for r in rows
    )


__all__ = [
    "MIN_CASES",
    "RANKED_SQL",
    "OfficerScorecard",
    "officer_scorecards",
    "scorecards_from_rows",
]
