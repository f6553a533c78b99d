"""Computing and storing the case facts of service requests (`RequestFact`).

`case_facts` is the pure rule: given what happened to a request, on the agency's calendar, its
lead working days, whether it stayed within the SLA and whether it was first time right. The
write functions call `request_fact_record` after every step, in their transaction; bulk loads
call `request_facts_rebuild`. The analytics engine computes the same facts from the event log in
SQL/numpy with the same rule (`sigap.rules.sla`), and the consistency tests prove they agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from sigap.organisation.models import Unit
from sigap.organisation.services import agency_calendar
from sigap.rules.calendar import WorkingCalendar
from sigap.rules.sla import within_sla
from sigap.service_requests.models import (
    FINISHED_STATUSES,
    Outcome,
    RequestFact,
    ServiceEvent,
    ServiceRequest,
)

BATCH = 5000


@dataclass(frozen=True, slots=True)
class CaseFacts:
    lead_working_days: int | None
    within_sla: bool | None
    first_time_right: bool | None


def case_facts(
    calendar: WorkingCalendar,
    *,
    submitted_on: date,
    closed_on: date | None,
    sla_working_days: int,
    paused_working_days: int,
    returned: bool,
) -> CaseFacts:
    """The facts of one request; those judged at closing are None while it is open.

    Lead time is the working days in (submitted, closed] on the agency's calendar; the SLA rule
    is `sigap.rules.sla.within_sla`; first time right means never returned for correction.
    """
    if closed_on is None:
        return CaseFacts(None, None, None)
    lead = calendar.working_days_between(submitted_on, closed_on)
    return CaseFacts(
        lead_working_days=lead,
        within_sla=bool(within_sla(lead, paused_working_days, sla_working_days)),
        first_time_right=not returned,
    )


def _local(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _fact(
    request: ServiceRequest,
    calendar: WorkingCalendar,
    sla: int,
    returned: bool,
    last_officer_id: int | None,
) -> RequestFact:
    closed_on = (
        _local(request.finished_at)
        if request.status in FINISHED_STATUSES and request.finished_at is not None
        else None
    )
    submitted_on = _local(request.submitted_at)
    facts = case_facts(
        calendar,
        submitted_on=submitted_on,
        closed_on=closed_on,
        sla_working_days=sla,
        paused_working_days=request.paused_working_days,
        returned=returned,
    )
    return RequestFact(
        request_id=request.pk,
        unit_id=request.unit_id,
        service_id=request.service_id,
        channel=request.channel,
        submitted_on=submitted_on,
        closed_on=closed_on,
        sla_working_days=sla,
        lead_working_days=facts.lead_working_days,
        paused_working_days=request.paused_working_days,
        within_sla=facts.within_sla,
        returned=returned,
        first_time_right=facts.first_time_right,
        last_officer_id=last_officer_id,
    )


def request_fact_record(
    request: ServiceRequest, *, new: bool = False, officer_id: int | None = None
) -> RequestFact:
    """Store the facts of one request as they are now (called by every write function).

    `new`: the request was just submitted (its one event is the submission, by `officer_id` at a
    counter): nothing to read back from the event log, and the row is inserted, not updated.
    """
    if new:
        returned, last_officer = False, officer_id
        agency_id = request.unit.agency_id
    else:
        events = ServiceEvent.objects.filter(request_id=request.pk)
        returned = events.filter(outcome=Outcome.RETURNED).exists()
        last_officer = (
            events.filter(officer__isnull=False)
            .order_by("-seq")
            .values_list("officer_id", flat=True)
        ).first()
        agency_id = Unit.objects.only("agency_id").get(pk=request.unit_id).agency_id
    fact = _fact(
        request,
        agency_calendar(agency_id),
        request.standard.sla_working_days,
        returned,
        last_officer,
    )
    fact.save(force_insert=new)
    return fact


@transaction.atomic
def request_facts_rebuild(request_ids: Iterable[int] | None = None) -> int:
    """Recompute the facts of every request (or of `request_ids`) in bulk; returns the count.

    For loads that write requests without the write functions (the demo, imports of history).
    """
    requests = ServiceRequest.objects.all()
    events = ServiceEvent.objects.all()
    if request_ids is not None:
        ids = list(request_ids)
        requests, events = requests.filter(pk__in=ids), events.filter(request_id__in=ids)
    RequestFact.objects.filter(request__in=requests).delete()
    returned = set(
        events.filter(outcome=Outcome.RETURNED).values_list("request_id", flat=True).distinct()
    )
    last_officer: dict[int, int] = {}
    for request_id, officer_id in (
        events.filter(officer__isnull=False)
        .order_by("request_id", "seq")
        .values_list("request_id", "officer_id")
        .iterator(chunk_size=BATCH)
    ):
        last_officer[request_id] = officer_id
    calendars: dict[int, WorkingCalendar] = {}
    agency_of = dict(Unit.objects.values_list("pk", "agency_id"))
    batch: list[RequestFact] = []
    count = 0
    for request in (
        requests.only(
            "pk", "unit_id", "service_id", "channel", "status", "submitted_at", "finished_at",
            "paused_working_days", "standard__sla_working_days",
        )
        .select_related("standard")
        .iterator(chunk_size=BATCH)
    ):  # fmt: skip
        agency = agency_of[request.unit_id]
        if agency not in calendars:
            calendars[agency] = agency_calendar(agency)
        batch.append(
            _fact(
                request,
                calendars[agency],
                request.standard.sla_working_days,
                request.pk in returned,
                last_officer.get(request.pk),
            )
        )
        if len(batch) >= BATCH:
            RequestFact.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    RequestFact.objects.bulk_create(batch)
    return count + len(batch)
