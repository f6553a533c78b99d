"""Reads of the outbox for staff pages. The callers have already decided the reader may see
the request or complaint; what is shown of the recipient is always masked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from sigap.notifications.conf import conf
from sigap.notifications.contact import mask
from sigap.notifications.models import PENDING_STATES, Channel, Outbox

# What each message was about, in words (request events, then the complaint actions).
EVENT_LABELS = {
    "received": _("Request registered"),
    "returned": _("Returned for correction"),
    "waiting": _("Waiting for the applicant"),
    "completed": _("Completed, with the survey invitation"),
    "rejected": _("Rejected"),
    "sla_missed": _("Apology: past the service time"),
    "link": _("The applicant's link, sent again on request"),
    "slot_reminder": _("Reminder of the counter visit tomorrow"),
    "submit": _("Complaint received"),
    "verify": _("Complaint verified"),
    "hold": _("On hold: information needed"),
    "not_authority": _("Not our authority"),
    "archive": _("Archived"),
    "forward": _("Forwarded to the unit"),
    "follow_up": _("Follow-up"),
    "reply": _("Reply received"),
    "reopen": _("Complaint reopened"),
    "close": _("Complaint closed"),
    "auto_close": _("Closed automatically"),
}


@dataclass(frozen=True)
class Delivery:
    """One message as staff see it."""

    created_at: datetime
    event: str
    event_label: str
    channel: str
    recipient: str  # masked
    state: str
    state_label: str
    attempts: int
    sent_at: datetime | None
    next_attempt_at: datetime
    last_error: str


def _rows(qs: Any) -> list[Delivery]:
    return [
        Delivery(
            created_at=r.created_at,
            event=r.event,
            event_label=str(EVENT_LABELS.get(r.event, r.event)),
            channel=r.get_channel_display(),
            recipient=mask(r.recipient),
            state=r.state,
            state_label=r.get_state_display(),
            attempts=r.attempts,
            sent_at=r.sent_at,
            next_attempt_at=r.next_attempt_at,
            last_error=r.last_error,
        )
        for r in qs.order_by("created_at", "pk")
    ]


def for_request(request: Any) -> list[Delivery]:
    return _rows(Outbox.objects.filter(request_id=request.pk))


def for_complaint(complaint: Any) -> list[Delivery]:
    return _rows(Outbox.objects.filter(complaint_id=complaint.pk))


def waiting_without_channel() -> int:
    """Messages waiting for a gateway that is not configured (they stay queued, not lost)."""
    c = conf()
    off = [ch for ch, url in ((Channel.WHATSAPP, c.whatsapp_url), (Channel.SMS, c.sms_url))
           if not url]  # fmt: skip
    return Outbox.objects.filter(channel__in=off, state__in=PENDING_STATES).count()
