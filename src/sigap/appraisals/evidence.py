"""The evidence job: per officer per year, from the service data into `EvidenceSnapshot`.

Rerunnable: each run replaces the year's snapshots of the agency in one transaction. Pages read
the snapshots only. Definitions (shown on the pages):

- requests handled: requests on which the officer recorded at least one event in the year;
- throughput: steps the officer recorded as done (outcome "done") in the year;
- closed / SLA share: requests closed (completed or rejected) in the year that the officer worked
  on, and the share of them within the SLA: the registry's `sla_share` (`sigap.metrics`), read
  from the stored case facts, so it agrees with every other page;
- rework: returns for correction the officer recorded, per request handled;
- median handling time: hours from the request's previous event to each step the officer
  recorded as done;
- IKM: the SKM answers (sigap.surveys) of the requests the officer worked on (PermenPANRB
  14/2017, weighting from `SIGAP["IKM_WEIGHTING"]`), when there are any;
- complaints: complaints naming the officer (sigap.complaints `reported_employee`) in the year.

The composite evidence score is the mean of the officer's percentile ranks on these measures
across the agency (`sigap.analytics.calibration.evidence_composite`).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sigap.analytics.calibration import evidence_composite
from sigap.appraisals.models import EvidenceSnapshot
from sigap.appraisals.services import local_year_bounds
from sigap.complaints.models import Complaint
from sigap.organisation.models import Agency, Employee
from sigap.rules.ikm import ELEMENT_CODES, ElementTally, Weighting, ikm_from_tallies
from sigap.service_requests.models import Outcome, RequestFact, ServiceEvent
from sigap.surveys.models import SurveyResponse


def _weighting() -> Weighting:
    value = getattr(settings, "SIGAP", {}).get("IKM_WEIGHTING", "exact")
    try:
        return Weighting(value)
    except ValueError:
        return Weighting.EXACT


@transaction.atomic
def evidence_refresh(*, year: int, agency: Agency | None = None) -> int:
    """Recompute the year's evidence snapshots (of one agency, or all); returns the count."""
    start, end = local_year_bounds(year)
    events = ServiceEvent.objects.filter(timestamp__gte=start, timestamp__lt=end)
    if agency is not None:
        events = events.filter(request__unit__agency=agency)

    handled: dict[int, set[int]] = defaultdict(set)
    throughput: dict[int, int] = defaultdict(int)
    returns: dict[int, int] = defaultdict(int)
    durations: dict[int, list[float]] = defaultdict(list)
    previous: tuple[int, datetime] | None = None
    rows = events.order_by("request_id", "seq").values_list(
        "request_id", "officer_id", "timestamp", "outcome"
    )
    for request_id, officer_id, at, outcome in rows.iterator(chunk_size=5000):
        if officer_id is not None:
            handled[officer_id].add(request_id)
            if outcome == Outcome.DONE:
                throughput[officer_id] += 1
                if previous is not None and previous[0] == request_id:
                    durations[officer_id].append((at - previous[1]).total_seconds() / 3600)
            elif outcome == Outcome.RETURNED:
                returns[officer_id] += 1
        previous = (request_id, at)

    # The registry's SLA figure (`sigap.metrics`), from the stored case facts: requests closed
    # (completed or rejected) in the year, within the SLA by the one rule (`sigap.rules.sla`).
    closed = RequestFact.objects.filter(closed_on__year=year)
    if agency is not None:
        closed = closed.filter(unit__agency=agency)
    on_time: dict[int, bool] = {
        request_id: bool(met)
        for request_id, met in closed.values_list("request_id", "within_sla").iterator(
            chunk_size=5000
        )
    }

    # IKM of the requests each officer worked on: answers tallied per unsur.
    tallies: dict[int, dict[str, list[int]]] = {}
    respondents: dict[int, int] = defaultdict(int)
    request_officers: dict[int, list[int]] = defaultdict(list)
    for officer_id, ids in handled.items():
        for rid in ids:
            request_officers[rid].append(officer_id)
    surveys = SurveyResponse.objects.filter(
        submitted_at__gte=start, submitted_at__lt=end, service_request__isnull=False
    )
    if agency is not None:
        surveys = surveys.filter(unit__agency=agency)
    for row in surveys.values_list("service_request_id", *ELEMENT_CODES).iterator(chunk_size=5000):
        for officer_id in request_officers.get(row[0], ()):
            t = tallies.setdefault(officer_id, {c: [0, 0] for c in ELEMENT_CODES})
            respondents[officer_id] += 1
            for code, answer in zip(ELEMENT_CODES, row[1:], strict=True):
                if answer is not None:
                    t[code][0] += answer
                    t[code][1] += 1

    complaints_qs = Complaint.objects.filter(
        submitted_at__gte=start, submitted_at__lt=end, reported_employee__isnull=False
    )
    if agency is not None:
        complaints_qs = complaints_qs.filter(unit__agency=agency)
    complaints: dict[int, int] = defaultdict(int)
    for employee_id in complaints_qs.values_list("reported_employee_id", flat=True):
        complaints[employee_id] += 1

    officers = Employee.objects.in_bulk(list(handled))
    weighting = _weighting()
    now = timezone.now()
    snapshots: list[EvidenceSnapshot] = []
    for officer_id, requests in sorted(handled.items()):
        employee = officers[officer_id]
        done = [on_time[r] for r in requests if r in on_time]
        ikm = None
        if officer_id in tallies:
            result = ikm_from_tallies(
                [ElementTally(c, s, n) for c, (s, n) in tallies[officer_id].items()],
                respondents[officer_id],
                weighting,
            )
            ikm = float(result.ikm) if result.ikm is not None else None
        snapshots.append(
            EvidenceSnapshot(
                employee=employee,
                unit_id=employee.unit_id,
                year=year,
                requests_handled=len(requests),
                throughput=throughput[officer_id],
                completed=len(done),
                sla_share=sum(done) / len(done) if done else None,
                returns=returns[officer_id],
                rework_rate=returns[officer_id] / len(requests),
                median_hours=statistics.median(durations[officer_id])
                if durations[officer_id]
                else None,
                ikm=ikm,
                ikm_respondents=respondents[officer_id],
                complaints=complaints[officer_id],
                computed_at=now,
            )
        )
    per_request = [
        (s.complaints or 0) / s.requests_handled if s.requests_handled else None for s in snapshots
    ]
    composite = evidence_composite(
        [
            ([s.sla_share for s in snapshots], True),
            ([float(s.throughput) for s in snapshots], True),
            ([s.rework_rate for s in snapshots], False),
            ([s.median_hours for s in snapshots], False),
            ([s.ikm for s in snapshots], True),
            (per_request, False),
        ]
    )
    for snapshot, score in zip(snapshots, composite, strict=True):
        snapshot.composite = score
    old = EvidenceSnapshot.objects.filter(year=year)
    if agency is not None:
        old = old.filter(unit__agency=agency)
    old.delete()
    EvidenceSnapshot.objects.bulk_create(snapshots, batch_size=500)
    return len(snapshots)
