"""Reads of complaints, always through the access helper's scope; the public status page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from sigap.access import Action, scoped
from sigap.complaints.models import CLOSED, PRE_FORWARD, Actor, Complaint, ComplaintEvent, Status

if TYPE_CHECKING:
    from sigap.access import AnyUser


def overdue_q(today: date) -> Q:
    """Complaints past their running SP4N deadline (verification or follow-up)."""
    return Q(status__in=PRE_FORWARD, verify_due__lt=today) | Q(
        status=Status.DIDISPOSISIKAN, follow_up_due__lt=today
    )


DUE_SOON_DAYS = 3  # calendar days: "due soon" on the unit head's home and the list filter


def due_soon_q(today: date) -> Q:
    """Complaints whose running SP4N deadline falls today or in the next `DUE_SOON_DAYS`
    days (not yet past it: those are `overdue_q`)."""
    last = today + timedelta(days=DUE_SOON_DAYS)
    return Q(status__in=PRE_FORWARD, verify_due__range=(today, last)) | Q(
        status=Status.DIDISPOSISIKAN, follow_up_due__range=(today, last)
    )


def complaint_search(
    user: AnyUser,
    *,
    status: str = "",
    category: str = "",
    overdue: bool = False,
    due_soon: bool = False,
    unit_id: int | None = None,
    today: date | None = None,
) -> QuerySet[Complaint]:
    qs = scoped(user, Action.COMPLAINT_VIEW, Complaint.objects.all())
    # An escalated complaint is also visible to the head of the unit it was escalated to.
    qs = qs | scoped(
        user, Action.COMPLAINT_VIEW, Complaint.objects.filter(escalated_to__isnull=False),
        unit_field="escalated_to",
    )  # fmt: skip
    if status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category=category)
    if overdue:
        qs = qs.filter(overdue_q(today or timezone.localdate()))
    if due_soon:
        qs = qs.filter(due_soon_q(today or timezone.localdate()))
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    return qs.select_related("unit", "service").order_by("verify_due", "submitted_at")


def complaint_for_user(user: AnyUser, code: str) -> Complaint | None:
    return (
        complaint_search(user)
        .filter(receipt_code=code)
        .select_related("unit", "service", "service_request", "reported_employee", "escalated_to")
        .first()
    )


def complaint_timeline(complaint: Complaint) -> QuerySet[ComplaintEvent]:
    return complaint.events.select_related("user", "unit").order_by("seq")


@dataclass(frozen=True)
class PublicStep:
    label: str
    on: date
    note: str  # staff notes meant for the reporter; the reporter's own words are not repeated


@dataclass(frozen=True)
class PublicStatus:
    """What anyone holding the receipt code sees: no names, contacts or description."""

    receipt_code: str
    category: str
    unit_name: str
    status: str
    status_label: str
    submitted_on: date
    due: date | None
    overdue: bool
    auto_close_on: date | None
    steps: list[PublicStep]
    may_reply: bool
    may_reopen: bool


def public_status(code: str, *, today: date | None = None) -> PublicStatus | None:
    c = Complaint.objects.filter(receipt_code=code).select_related("unit").first()
    if c is None:
        return None
    today = today or timezone.localdate()
    labels = dict(Status.choices)
    steps = [
        PublicStep(
            label=str(labels.get(e.to_status, e.to_status))
            if e.actor != Actor.REPORTER or e.action == "submit"
            else str(_reporter_label(e.action)),
            on=timezone.localtime(e.timestamp).date(),
            note=e.note if e.public and e.actor != Actor.REPORTER else "",
        )
        for e in c.events.order_by("seq")
    ]
    due = c.due
    return PublicStatus(
        receipt_code=c.receipt_code,
        category=c.get_category_display(),
        unit_name=c.unit.name,
        status=c.status,
        status_label=c.get_status_display(),
        submitted_on=timezone.localtime(c.submitted_at).date(),
        due=due,
        overdue=due is not None and due < today and c.status not in CLOSED,
        auto_close_on=c.auto_close_on if c.status == Status.DITINDAKLANJUTI else None,
        steps=steps,
        may_reply=c.status == Status.DITINDAKLANJUTI,
        may_reopen=c.status == Status.SELESAI,
    )


def _reporter_label(action: str) -> str:
    from django.utils.translation import gettext as _

    return {"reply": _("You replied"), "reopen": _("You reopened the complaint")}.get(
        action, _("Your message")
    )


@dataclass(frozen=True, slots=True)
class Resolution:
    """Complaint resolution of a set of complaints (the IID's *penyelesaian pengaduan*).

    `handled`: the complaints that were the agency's to handle (not archived as no complaint,
    not outside its authority). `resolved`: of those, the ones followed up by the unit or
    closed. `ratio` is resolved ÷ handled (None without any)."""

    received: int
    handled: int
    resolved: int

    @property
    def ratio(self) -> float | None:
        return self.resolved / self.handled if self.handled else None


def resolution(complaints: QuerySet[Complaint]) -> Resolution:
    """The resolution of `complaints` (filter them by unit, service and submission first)."""
    counted = complaints.aggregate(
        received=Count("pk"),
        handled=Count("pk", filter=~Q(status__in=(Status.BUKAN_WEWENANG, Status.DIARSIPKAN))),
        resolved=Count(
            "pk",
            filter=~Q(status__in=(Status.BUKAN_WEWENANG, Status.DIARSIPKAN))
            & (Q(followed_up_at__isnull=False) | Q(status=Status.SELESAI)),
        ),
    )
    return Resolution(counted["received"], counted["handled"], counted["resolved"])
