"""Activity instances: how long a step was worked on (service time) and how long the case waited
before it (waiting time).

A plain event log has one time per event, so the time between two events mixes the work on the
second step with the wait for it. Logs that record when work started separate the two. An
*activity instance* is one execution of a step with a start and a completion time:

- an event with a start time (`start_ts`, an interval log's `start_timestamp`) is one instance,
  from `start_ts` to `ts`;
- otherwise, events whose XES life-cycle (`transition`) is `start` or `complete` are paired
  within a case and activity, first in first out: the n-th `start` with the n-th `complete` in
  the log's order (`seq`: completion time by default, ties in file order). A `complete` with no
  open `start` before it, and a `start` never completed, are counted (`unmatched_completes`,
  `unmatched_starts`), not paired and not errors. Other transitions (`schedule`, `assign`,
  `suspend`, `resume`...) are counted and otherwise ignored.

Per instance: *service time* = completion - start; *waiting time* = its start - the completion
of the instance before it in the same case, instances ordered by their completing event's
position in the log (the order the log was imported in). The first instance of a case has no
waiting time; an instance that starts before the previous one completed (parallel work) waits 0.

Compared with pm4py (tests/analytics/test_instances.py checks the figures against it):
`pm4py.get_service_time(log, start_timestamp_key="start_timestamp")` averages complete - start
of each event of an interval log, as here. `pm4py.objects.log.util.interval_lifecycle.to_interval`
pairs start/complete events first in first out, as here, but also turns each `complete` without
a `start` into an instance of zero duration (with `concept:instance`, it pairs per instance id);
sigap leaves such completes out of the service times and counts them instead, so the means agree
on every activity whose completes all have a start.

The SQL is in DuckDB's dialect over `events` only, so Spark runs it too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sigap.analytics.engine import Engine

US_PER_S = 1_000_000


@dataclass(frozen=True, slots=True)
class InstanceStats:
    """The activity instances of one activity; times in seconds, None when there are none."""

    activity: str
    instances: int
    from_start_times: int
    """instances from an event with a start time (interval log)"""
    from_transitions: int
    """instances from a start event paired with a complete event"""
    unmatched_starts: int
    unmatched_completes: int
    other_transitions: int
    """events with another life-cycle transition (schedule, assign, suspend...), ignored"""
    service_mean_s: float | None
    service_median_s: float | None
    service_p90_s: float | None
    waiting_instances: int
    """instances with an instance before them in their case (the others have no waiting time)"""
    waiting_mean_s: float | None
    waiting_median_s: float | None
    service_total_s: float
    waiting_total_s: float


@dataclass(frozen=True, slots=True)
class InstanceSummary:
    """The whole log: how much of the instances' time was service and how much waiting."""

    instances: int
    from_start_times: int
    from_transitions: int
    unmatched_starts: int
    unmatched_completes: int
    other_transitions: int
    service_total_s: float
    waiting_total_s: float
    service_share: float | None
    """service / (service + waiting), over every instance"""
    waiting_share: float | None

    @classmethod
    def of(cls, stats: Sequence[InstanceStats]) -> InstanceSummary:
        service = sum(s.service_total_s for s in stats)
        waiting = sum(s.waiting_total_s for s in stats)
        total = service + waiting
        return cls(
            instances=sum(s.instances for s in stats),
            from_start_times=sum(s.from_start_times for s in stats),
            from_transitions=sum(s.from_transitions for s in stats),
            unmatched_starts=sum(s.unmatched_starts for s in stats),
            unmatched_completes=sum(s.unmatched_completes for s in stats),
            other_transitions=sum(s.other_transitions for s in stats),
            service_total_s=round(service, 6),
            waiting_total_s=round(waiting, 6),
            service_share=round(service / total, 10) if total else None,
            waiting_share=round(waiting / total, 10) if total else None,
        )


# `seq` orders a case's events (the log's chosen order); pairing is per case and activity.
INSTANCES_SQL = """WITH ev AS (
    SELECT case_id, seq, activity, ts_us, start_ts IS NOT NULL AS has_start,
           CASE WHEN start_ts IS NOT NULL THEN epoch_us(start_ts) END AS start_us,
           lower(trim(transition)) AS tr
    FROM events),
life AS (
    SELECT case_id, seq, activity, ts_us, tr,
           sum(CASE WHEN tr = 'start' THEN 1 ELSE 0 END) OVER w AS starts_so_far,
           sum(CASE WHEN tr = 'complete' THEN 1 ELSE 0 END) OVER w AS completes_so_far
    FROM ev WHERE NOT has_start AND tr IN ('start', 'complete')
    WINDOW w AS (PARTITION BY case_id, activity ORDER BY seq
                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)),
completes AS (
    -- The k-th complete finds (k - starts before it) completes ahead of it in the queue. The
    -- largest such deficit so far is the number of completes that found no open start; a
    -- complete that raises it is one of them, any other takes start number k - that number.
    SELECT case_id, seq, activity, ts_us, completes_so_far AS k,
           completes_so_far - starts_so_far AS deficit,
           greatest(coalesce(max(completes_so_far - starts_so_far) OVER (
               PARTITION BY case_id, activity ORDER BY seq
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0), 0) AS orphans_before
    FROM life WHERE tr = 'complete'),
paired AS (
    SELECT c.case_id, c.activity, c.seq AS end_seq, s.ts_us AS start_us, c.ts_us AS end_us,
           0 AS from_interval
    FROM completes c
    JOIN life s ON s.case_id = c.case_id AND s.activity = c.activity AND s.tr = 'start'
         AND s.starts_so_far = c.k - c.orphans_before
    WHERE c.deficit <= c.orphans_before),
inst AS (
    SELECT case_id, activity, seq AS end_seq, start_us, ts_us AS end_us, 1 AS from_interval
    FROM ev WHERE has_start
    UNION ALL
    SELECT case_id, activity, end_seq, start_us, end_us, from_interval FROM paired),
ordered AS (
    SELECT activity, from_interval, start_us, end_us,
           lag(end_us) OVER (PARTITION BY case_id ORDER BY end_seq) AS prev_end_us
    FROM inst),
timed AS (
    SELECT activity, from_interval, end_us - start_us AS service_us,
           CASE WHEN prev_end_us IS NOT NULL
                THEN greatest(start_us - prev_end_us, 0) END AS waiting_us
    FROM ordered),
per_activity AS (
    SELECT activity, count(*) AS n, sum(from_interval) AS n_interval,
           sum(service_us) AS service_sum, median(service_us) AS service_median,
           quantile_cont(service_us, 0.9) AS service_p90,
           count(waiting_us) AS waiting_n, sum(waiting_us) AS waiting_sum,
           median(waiting_us) AS waiting_median
    FROM timed GROUP BY activity),
orphans AS (
    SELECT activity, count(*) AS n FROM completes WHERE deficit > orphans_before
    GROUP BY activity),
transitions AS (
    SELECT activity,
           count(CASE WHEN NOT has_start AND tr = 'start' THEN 1 END) AS starts,
           count(CASE WHEN NOT has_start AND tr = 'complete' THEN 1 END) AS completes,
           count(CASE WHEN NOT has_start AND tr NOT IN ('start', 'complete') THEN 1 END)
               AS other
    FROM ev GROUP BY activity)
SELECT t.activity, coalesce(p.n, 0), coalesce(p.n_interval, 0), t.starts, coalesce(o.n, 0),
       t.other, p.service_sum, p.service_median, p.service_p90, coalesce(p.waiting_n, 0),
       p.waiting_sum, p.waiting_median
FROM transitions t
LEFT JOIN per_activity p ON p.activity = t.activity
LEFT JOIN orphans o ON o.activity = t.activity
WHERE p.n IS NOT NULL OR t.starts > 0 OR t.completes > 0 OR t.other > 0
ORDER BY t.activity"""


def activity_instances(engine: Engine) -> tuple[InstanceStats, ...]:
    """Per activity (by name), its instances' service and waiting times; empty when the log has
    no activity instance at all (no start times and no start/complete pair)."""

    def compute() -> tuple[InstanceStats, ...]:
        columns = set(engine.log_columns())
        if columns and not {"start_ts", "transition"} & columns:
            return ()  # a file without either column (`events` shows them NULL): no scan
        has = engine.rows(
            "SELECT count(start_ts), count(CASE WHEN lower(trim(transition)) = 'start' THEN 1 END)"
            " FROM events"
        )[0]
        if not (has[0] or has[1]):
            return ()
        stats = tuple(_stats(r) for r in engine.rows(INSTANCES_SQL))
        return stats if any(s.instances for s in stats) else ()

    return engine.memo("activity_instances", compute)


def instance_summary(engine: Engine) -> InstanceSummary | None:
    """The log's totals over `activity_instances`; None when it has no activity instance."""
    stats = activity_instances(engine)
    return InstanceSummary.of(stats) if stats else None


def _stats(r: Sequence[object]) -> InstanceStats:
    (activity, n, n_interval, starts, orphans, other, service_sum, service_median, service_p90,
     waiting_n, waiting_sum, waiting_median) = r  # fmt: skip
    n, n_interval, starts = _int(n), _int(n_interval), _int(starts)
    waiting_n = _int(waiting_n)
    paired = n - n_interval
    return InstanceStats(
        activity=str(activity),
        instances=n,
        from_start_times=n_interval,
        from_transitions=paired,
        unmatched_starts=starts - paired,
        unmatched_completes=_int(orphans),
        other_transitions=_int(other),
        # Means from exact integer sums, so both engines give the same float.
        service_mean_s=_seconds(_int(service_sum) / n) if n else None,
        service_median_s=_seconds(service_median),
        service_p90_s=_seconds(service_p90),
        waiting_instances=waiting_n,
        waiting_mean_s=_seconds(_int(waiting_sum) / waiting_n) if waiting_n else None,
        waiting_median_s=_seconds(waiting_median),
        service_total_s=_seconds(service_sum) or 0.0,
        waiting_total_s=_seconds(waiting_sum) or 0.0,
    )


def _int(x: object) -> int:
    return 0 if x is None else int(x)  # type: ignore[call-overload]


def _seconds(us: object) -> float | None:
    return None if us is None else round(float(us) / US_PER_S, 6)  # type: ignore[arg-type]


__all__ = [
    "InstanceStats",
    "InstanceSummary",
    "activity_instances",
    "instance_summary",
]
