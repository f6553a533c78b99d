"""The live figures of the registry and the aggregates of the case facts, defined once.

"Past the due date" (overdue), "paused" and "open" are read here by the request list, the
"Kinerja layanan" pages, the leadership service page, the tracking page and the API; the closing
figures (SLA compliance, first time right, lead time) are aggregated from the stored case facts
(`RequestFact`) by `request_figures`, the registry's aggregate that the scorecard refresh folds
per period and the consistency tests compare every page against.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from statistics import median

from django.db.models import Count, Q, QuerySet

from sigap.service_requests.models import (
    OPEN_STATUSES,
    Channel,
    RequestFact,
    ServiceRequest,
)
from sigap.service_requests.selectors import overdue_q, paused_q

DIGITAL_CHANNELS = (Channel.ONLINE.value, Channel.MOBILE.value)


@dataclass(frozen=True, slots=True)
class OpenCounts:
    """The registry's live figures `open`, `overdue` and `paused` of one group, on `today`."""

    open: int
    overdue: int
    paused: int


def open_counts(
    requests: QuerySet[ServiceRequest], today: date, by: tuple[str, ...] = ()
) -> dict[tuple[object, ...], OpenCounts]:
    """Open, overdue and paused requests of `requests`, grouped by the fields `by` (one group,
    keyed `()`, when `by` is empty)."""
    counts = {
        "n_open": Count("pk"),
        "n_overdue": Count("pk", filter=overdue_q(today)),
        "n_paused": Count("pk", filter=paused_q()),
    }
    open_requests = requests.filter(status__in=OPEN_STATUSES)
    if not by:
        one = open_requests.aggregate(**counts)
        return {(): OpenCounts(one["n_open"], one["n_overdue"], one["n_paused"])}
    rows = open_requests.values(*by).annotate(**counts).order_by()
    return {
        tuple(r[f] for f in by): OpenCounts(r["n_open"], r["n_overdue"], r["n_paused"])
        for r in rows
    }


@dataclass(frozen=True, slots=True)
class RequestFigures:
    """The request figures of the registry for one group and period."""

    volume: int
    digital: int
    closed: int
    sla_cases: int
    sla_met: int
    first_time_right: int
    lead_wd_median: float | None

    @property
    def sla_share(self) -> float | None:
        return self.sla_met / self.sla_cases if self.sla_cases else None

    @property
    def ftr_share(self) -> float | None:
        return self.first_time_right / self.closed if self.closed else None

    @property
    def digital_share(self) -> float | None:
        return self.digital / self.volume if self.volume else None


def request_figures(
    facts: QuerySet[RequestFact], start: date, end: date, by: tuple[str, ...] = ()
) -> dict[tuple[object, ...], RequestFigures]:
    """Volume (submitted in [start, end]) and closing figures (closed in [start, end]) of the
    case facts in `facts`, grouped by the fields `by` (e.g. ("unit_id", "service_id"))."""
    volume: dict[tuple[object, ...], list[int]] = defaultdict(lambda: [0, 0])
    submitted = facts.filter(submitted_on__range=(start, end))
    counts = {"n": Count("pk"), "digital": Count("pk", filter=Q(channel__in=DIGITAL_CHANNELS))}
    # `.values()` with no field would group by every column: one group is an aggregate.
    rows = (
        [submitted.aggregate(**counts)]
        if not by
        else submitted.values(*by).annotate(**counts).order_by()
    )
    for row in rows:
        if row["n"]:
            volume[tuple(row[f] for f in by)] = [row["n"], row["digital"]]
    closed: dict[tuple[object, ...], list[tuple[int, bool, bool]]] = defaultdict(list)
    for *key, lead, met, ftr in facts.filter(closed_on__range=(start, end)).values_list(
        *by, "lead_working_days", "within_sla", "first_time_right"
    ):
        closed[tuple(key)].append((lead, bool(met), bool(ftr)))
    out: dict[tuple[object, ...], RequestFigures] = {}
    for key in set(volume) | set(closed):
        rows = closed.get(key, [])
        out[key] = RequestFigures(
            volume=volume[key][0] if key in volume else 0,
            digital=volume[key][1] if key in volume else 0,
            closed=len(rows),
            sla_cases=len(rows),
            sla_met=sum(met for _lead, met, _ftr in rows),
            first_time_right=sum(ftr for _lead, _met, ftr in rows),
            lead_wd_median=_median(lead for lead, _met, _ftr in rows),
        )
    return out


def _median(values: Iterable[int]) -> float | None:
    got = list(values)
    return float(median(got)) if got else None
