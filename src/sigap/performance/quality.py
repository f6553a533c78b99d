"""Data quality of sigap's own records, checked by each analytics refresh.

Two halves. The analytics store is checked as any event log is (`sigap.analytics.quality`:
duplicates, ties, implausible spans...), over the whole store (merged from its partitions'
partials, `sigap.analytics.incremental`). The operational records are checked for what only
they can show, per unit (so each page shows its reader's units only):

- `no_events`: requests without any event (every request starts with its submission event);
  out of all requests.
- `before_submission`: events dated before their request was submitted; out of all events.
- `future_events`: events dated after the moment of the check; out of all events.
- `back_in_time`: requests with an event dated before an event that precedes it in the
  request's sequence; out of all requests.
- `officer_missing`: finished steps (outcome "done") without an officer; out of finished steps.
- `duplicate_events`: events repeating the step, time and officer of an earlier event of the
  same request (no officer equal to no officer); out of all events.

Examples are up to five receipt codes, the smallest first: never an applicant's data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from sigap.analytics.quality import EXAMPLES, DataQuality
from sigap.service_requests.models import Outcome, ServiceEvent, ServiceRequest

OPERATIONAL_CODES = (
    "no_events",
    "before_submission",
    "future_events",
    "back_in_time",
    "officer_missing",
    "duplicate_events",
)
STORE_CODES = (
    "store_duplicates",
    "store_ties",
    "store_long_cases",
    "store_out_of_range",
    "store_zero_length",
    "store_single_activities",
)


@dataclass
class Found:
    """One check's result for one unit (`unit_id`), or for the store (`unit_id` None)."""

    code: str
    unit_id: int | None
    count: int
    total: int
    examples: list[str] = field(default_factory=list)


def store_findings(dq: DataQuality) -> list[Found]:
    """The event-log checks that can find something in the store (its other columns are always
    filled by the refresh): kept whether or not they found anything."""
    checks = {
        "store_duplicates": dq.duplicates,
        "store_ties": dq.ties,
        "store_long_cases": dq.long_cases,
        "store_out_of_range": dq.out_of_range,
        "store_zero_length": dq.zero_length_cases,
        "store_single_activities": dq.single_activities,
    }
    return [Found(code, None, c.count, c.total, list(c.examples)) for code, c in checks.items()]


def operational_findings(now: datetime) -> list[Found]:
    """Every operational check, per unit; only units where a check found something."""
    events = ServiceEvent.objects.all()
    requests = ServiceRequest.objects.all()
    event_totals = _per_unit(events, "request__unit_id")
    request_totals = _per_unit(requests, "unit_id")
    done = events.filter(outcome=Outcome.DONE)
    earlier = ServiceEvent.objects.filter(request=OuterRef("request"), seq__lt=OuterRef("seq"))
    keyed = events.annotate(officer_key=Coalesce("officer_id", Value(0)))
    flagged: dict[str, tuple[QuerySet, str, dict[int, int]]] = {  # type: ignore[type-arg]
        "no_events": (
            requests.filter(~Exists(ServiceEvent.objects.filter(request=OuterRef("pk")))),
            "",
            request_totals,
        ),
        "before_submission": (
            events.filter(timestamp__lt=F("request__submitted_at")),
            "request__",
            event_totals,
        ),
        "future_events": (events.filter(timestamp__gt=now), "request__", event_totals),
        "back_in_time": (
            requests.filter(
                Exists(
                    ServiceEvent.objects.filter(request=OuterRef("pk")).filter(
                        Exists(earlier.filter(timestamp__gt=OuterRef("timestamp")))
                    )
                )
            ),
            "",
            request_totals,
        ),
        "officer_missing": (
            done.filter(officer__isnull=True),
            "request__",
            _per_unit(done, "request__unit_id"),
        ),
        "duplicate_events": (
            keyed.filter(
                Exists(
                    earlier.annotate(officer_key=Coalesce("officer_id", Value(0))).filter(
                        activity=OuterRef("activity"),
                        timestamp=OuterRef("timestamp"),
                        officer_key=OuterRef("officer_key"),
                    )
                )
            ),
            "request__",
            event_totals,
        ),
    }
    out: list[Found] = []
    for code, (qs, prefix, totals) in flagged.items():
        counts = _per_unit(qs, f"{prefix}unit_id")
        examples = _examples(qs, prefix, counts)
        out += [
            Found(code, unit_id, n, totals.get(unit_id, n), examples[unit_id])
            for unit_id, n in sorted(counts.items())
        ]
    return out


def _per_unit(qs: QuerySet, unit_field: str) -> dict[int, int]:  # type: ignore[type-arg]
    return {u: n for u, n in qs.order_by().values_list(unit_field).annotate(n=Count("pk")) if n}


def _examples(
    qs: QuerySet,  # type: ignore[type-arg]
    prefix: str,
    units: Iterable[int],
) -> dict[int, list[str]]:
    """The first receipt codes of each unit, one small query per unit with a problem."""
    out: dict[int, list[str]] = defaultdict(list)
    for unit_id in units:
        codes = (
            qs.filter(Q(**{f"{prefix}unit_id": unit_id}))
            .order_by(f"{prefix}receipt_code")
            .values_list(f"{prefix}receipt_code", flat=True)
            .distinct()[:EXAMPLES]
        )
        out[unit_id] = list(codes)
    return out


__all__ = ["OPERATIONAL_CODES", "STORE_CODES", "Found", "operational_findings", "store_findings"]
