"""Reads of service requests, always through the access helper's scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, cast

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils import timezone

from sigap.access import Action, scoped
from sigap.catalogue.models import Service
from sigap.organisation.models import Agency, Unit
from sigap.organisation.services import agency_calendar
from sigap.rules.calendar import due_date as sla_due_date
from sigap.rules.calendar import paused_working_days
from sigap.rules.sla import is_overdue, overdue_before
from sigap.service_requests.models import (
    OPEN_STATUSES,
    PAUSED_STATUSES,
    RUNNING_STATUSES,
    Outcome,
    RequestFact,
    ServiceEvent,
    ServiceRequest,
    Status,
)

if TYPE_CHECKING:
    from sigap.access import AnyUser


def overdue_q(today: date) -> Q:
    """Requests past their due date on `today`: open and running (never paused), with a due
    date before the last working day up to `today` on their agency's calendar."""
    agencies = list(Agency.objects.values_list("pk", flat=True))
    running = Q(status__in=RUNNING_STATUSES)
    if len(agencies) == 1:
        # One agency (every installation today): a plain (status, due_date) index range.
        return running & Q(due_date__lt=overdue_before(agency_calendar(agencies[0]), today))
    by_agency = Q(pk__in=[])
    for agency in agencies:
        cut = overdue_before(agency_calendar(agency), today)
        by_agency |= Q(unit__agency_id=agency, due_date__lt=cut)
    return running & by_agency


def paused_q() -> Q:
    """Open requests with the applicant (returned or waiting): the SLA clock is stopped."""
    return Q(status__in=PAUSED_STATUSES)


def request_is_overdue(request: ServiceRequest, today: date) -> bool:
    """`overdue_q` for one request (the tracking and request pages)."""
    return is_overdue(
        agency_calendar(request.unit.agency_id),
        request.due_date,
        today,
        running=request.status in RUNNING_STATUSES,
    )


def work_queue(
    user: AnyUser, *, status: str = "", unit_id: int | None = None
) -> QuerySet[ServiceRequest]:
    """Open requests the user may process, the most urgent first."""
    qs = scoped(user, Action.QUEUE_VIEW, ServiceRequest.objects.filter(status__in=OPEN_STATUSES))
    if status:
        qs = qs.filter(status=status)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    # prefetch, not select_related: with joins SQLite's planner walks the services first and
    # sorts the whole table; alone, the request query walks the (status, due_date) index.
    return qs.prefetch_related("service", "unit", "current_step", "assigned_officer").order_by(
        "due_date", "submitted_at"
    )


CODE_CHARACTERS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # what normalise_receipt_code keeps


def code_prefix(code: str) -> Q:
    """Receipt codes that start with `code`, as a range of the codes' unique index.

    `startswith` is a `LIKE`, which SQLite cannot answer from that index (its LIKE ignores
    case): a search by code read every row of the scope, seconds on the full demo. A normalised
    code holds only digits and upper-case letters, which sort alike in every collation: the
    codes from `code` up to, not including, the next prefix (AB → AC, A9 → AA, AZ → B).
    """
    if not code or any(ch not in CODE_CHARACTERS for ch in code):
        return Q(receipt_code__startswith=code)
    chars = list(code)
    while chars:
        last = CODE_CHARACTERS.index(chars.pop())
        if last + 1 < len(CODE_CHARACTERS):
            return Q(
                receipt_code__gte=code, receipt_code__lt="".join(chars) + CODE_CHARACTERS[last + 1]
            )
    return Q(receipt_code__gte=code)  # ZZ...: nothing comes after


def request_search(
    user: AnyUser,
    *,
    code: str = "",
    status: str = "",
    unit_id: int | None = None,
    overdue: bool = False,
    today: date | None = None,
) -> QuerySet[ServiceRequest]:
    """Requests the user may read (oversight, leadership), newest first."""
    qs = scoped(user, Action.REQUEST_VIEW, ServiceRequest.objects.all())
    if code:
        qs = qs.filter(code_prefix(code))
    if status:
        qs = qs.filter(status=status)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if overdue:
        qs = qs.filter(overdue_q(today or timezone.localdate()))
    # The key breaks ties (submitted in the same second), so a row is on exactly one page.
    return qs.prefetch_related("service", "unit").order_by("-submitted_at", "-pk")


def units_in_scope(user: AnyUser, action: Action) -> QuerySet[Unit]:
    return scoped(user, action, Unit.objects.all(), unit_field="").order_by("path")


def services_for_intake(user: AnyUser) -> QuerySet[Service]:
    """Services whose requests the user may register (those of units they process for)."""
    return scoped(user, Action.REQUEST_PROCESS, Service.objects.filter(is_active=True)).order_by(
        "name"
    )


def request_for_user(user: AnyUser, receipt_code: str) -> ServiceRequest | None:
    return (
        scoped(user, Action.REQUEST_VIEW, ServiceRequest.objects.filter(receipt_code=receipt_code))
        .select_related("service", "unit", "standard", "current_step", "assigned_officer")
        .first()
    )


def request_timeline(request: ServiceRequest) -> QuerySet[ServiceEvent]:
    return request.events.select_related("officer", "step").order_by("seq")


@dataclass(frozen=True)
class TrackedStep:
    name: str
    done_on: date


@dataclass(frozen=True)
class Tracking:
    """What anyone holding a receipt code may see: no names, no contacts, no NIK."""

    receipt_code: str
    service_name: str
    unit_name: str
    status: str
    status_label: str
    submitted_on: date
    due_date: date
    finished_on: date | None
    current_step: str | None
    steps_done: list[TrackedStep]
    total_steps: int
    paused: bool
    overdue: bool
    finished_late: bool
    note_for_applicant: str
    # Not shown on the page: the view needs them to count the look-up and to tell staff (who
    # may read the request anyway) from citizens.
    request_id: int
    unit: Unit


def effective_due_date(request: ServiceRequest, today: date) -> date:
    """The due date as of `today`: while the file is with the applicant, the clock is stopped,
    so an open pause moves the promised date on day by day (the stored `due_date` moves when
    the pause closes)."""
    if request.paused_since is None:
        return request.due_date
    calendar = agency_calendar(request.unit.agency_id)
    open_days = paused_working_days(
        calendar, [(timezone.localtime(request.paused_since).date(), today)], today
    )
    return sla_due_date(
        calendar,
        timezone.localtime(request.submitted_at).date(),
        request.standard.sla_working_days,
        request.paused_working_days + open_days,
    )


def tracking(receipt_code: str, *, today: date | None = None) -> Tracking | None:
    request = (
        ServiceRequest.objects.filter(receipt_code=receipt_code)
        .select_related("service", "unit", "current_step", "standard")
        .first()
    )
    if request is None:
        return None
    # `request` too: the related manager sets each event's `request`, which reads its key (a
    # deferred key would cost one query per event).
    events = list(
        request.events.order_by("seq").only("request", "activity", "timestamp", "outcome", "note")
    )
    done = [
        TrackedStep(e.activity, timezone.localtime(e.timestamp).date())
        for e in events
        if e.outcome == Outcome.DONE
    ]
    # The applicant needs the officer's reason when the ball is in their court.
    note = ""
    if request.status in (Status.RETURNED, Status.WAITING, Status.REJECTED) and events:
        note = events[-1].note
    today = today or timezone.localdate()
    finished_on = timezone.localtime(request.finished_at).date() if request.finished_at else None
    due = effective_due_date(request, today)
    return Tracking(
        receipt_code=request.receipt_code,
        service_name=request.service.name,
        unit_name=request.unit.name,
        status=request.status,
        status_label=request.get_status_display(),
        submitted_on=timezone.localtime(request.submitted_at).date(),
        due_date=due,
        finished_on=finished_on,
        current_step=request.current_step.name if request.current_step else None,
        steps_done=done,
        total_steps=request.standard.steps.count(),
        paused=request.is_paused,
        overdue=request_is_overdue(request, today),
        finished_late=RequestFact.objects.filter(request_id=request.pk, within_sla=False).exists(),
        note_for_applicant=note,
        request_id=request.pk,
        unit=request.unit,
    )


def request_page(
    requests: QuerySet[ServiceRequest], number: int | str | None, per_page: int = 50
) -> Page[ServiceRequest]:
    """One page of `requests`, in their order: the page's keys first, then only its rows.

    Sorting the whole scope with every column is what made the request list slow on the full
    demo (200,000 rows read from the table into a sort, for 50 shown): the keys alone sort
    from an index, and only the rows shown are read in full, with the caller's filters, order
    and prefetches. The count and the page numbers are the paginator's, as before.
    """
    keys_page = Paginator(requests.values_list("pk", flat=True), per_page).get_page(number)
    # Nothing to show (an empty scope): no walk through the index looking for rows.
    keys = list(keys_page.object_list) if keys_page.paginator.count else []
    rows = {row.pk: row for row in requests.filter(pk__in=keys)}
    # The page's count and numbers are those of the keys' paginator: the same query, counted.
    paginator = cast("Paginator[ServiceRequest]", keys_page.paginator)
    return Page([rows[key] for key in keys if key in rows], keys_page.number, paginator)
