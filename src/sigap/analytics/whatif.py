"""What-if by replaying the log: the lead time if a step were removed or its waiting cut.

With one timestamp per event, the time a step adds is the time from the previous event of the case
to it (its waiting plus its work). Replaying each case with that time removed (or cut by a
fraction) and every other duration unchanged gives the case's new lead time. Removing a case's
first step makes the case start at its next event.
"""

from __future__ import annotations

from dataclasses import dataclass

from sigap.analytics.engine import Engine

DAY_US = 86_400_000_000


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
    act = activity.replace("'", "''")
    first = f"WHEN seq = 0 AND source = '{act}' THEN coalesce(dur_us, 0)" if cut == 1 else ""
    r = engine.rows(
        f"""WITH per_case AS (
            SELECT case_id, sum(coalesce(dur_us, 0)) AS lead_us,
                   sum(CASE WHEN target = '{act}' THEN dur_us {first} ELSE 0 END) AS saved_us
            FROM pairs GROUP BY case_id),
        replay AS (SELECT lead_us, lead_us - {cut!r} * saved_us AS after_us, saved_us FROM per_case)
        SELECT count(*), count(CASE WHEN saved_us > 0 THEN 1 END),
               avg(lead_us), avg(after_us), median(lead_us), median(after_us),
               quantile_cont(lead_us, 0.9), quantile_cont(after_us, 0.9)
        FROM replay"""
    )[0]

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


__all__ = ["WhatIf", "what_if"]
