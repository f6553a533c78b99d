"""The outbox's writes: queue a message with its event, claim due messages, record the outcome.

`notify` is called by the write functions of service requests and complaints inside their own
transaction, so the message commits or rolls back with the step; it checks no user itself, the
calling write function has done so. The idempotency key makes a second call for the same event a
no-op (a retried write, the daily job run twice).

The sender's writes (`outbox_claim`, `outbox_record`, `outbox_release`) are the system's own
(no person acts). They are not audited one by one: the row itself is the delivery record (time,
attempts, provider id, reason), and an audit entry per message would queue every sender on the
chain head. Giving up on a message is audited: a citizen who never heard is an accountability
fact.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, CharField, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from sigap.audit.services import audit_record
from sigap.notifications import contact as contacts
from sigap.notifications.conf import conf
from sigap.notifications.models import PENDING_STATES, Channel, Outbox, State
from sigap.notifications.texts import CITIZEN_LANGUAGE, complaint_text, request_text

REQUEST_EVENTS = (
    "received", "returned", "waiting", "completed", "rejected", "sla_missed", "link",
    "slot_reminder",
)  # fmt: skip
ERROR_MAX = 300


def channel_for(recipient: str) -> str:
    """E-mail for an address, the configured phone channel (WhatsApp by default) for a number,
    "" for anything else."""
    if contacts.is_email(recipient):
        return Channel.EMAIL
    if contacts.phone_number(recipient):
        return conf().phone_channel
    return ""


def _message(
    *, key: str, event: str, template: str, recipient: str, text: str, at: datetime
) -> Outbox:
    recipient = recipient.strip()
    channel = channel_for(recipient)
    row = Outbox(
        idempotency_key=key[:120],
        event=event,
        recipient=recipient,
        channel=channel or Channel.EMAIL,
        template_key=template,
        text=text,
        created_at=at,
        next_attempt_at=at,
    )
    if not channel:  # kept, visibly: staff see why this citizen hears nothing
        row.state = State.GIVEN_UP
        with override(CITIZEN_LANGUAGE):
            row.last_error = _("The contact is neither a phone number nor an e-mail address.")
    return row


def request_message(*, event: str, request: Any, note: str = "", key: str = "") -> Outbox:
    """The unsaved message of a request event. `key` defaults to the request's event number."""
    if event not in REQUEST_EVENTS:
        raise ValueError(f"unknown request event {event!r}")
    row = _message(
        key=key or f"request:{request.receipt_code}:{request.event_count}:{event}",
        event=event,
        template=f"request.{event}",
        recipient=request.applicant_contact,
        text=request_text(event, request, note),
        at=timezone.now(),
    )
    row.request = request
    return row


def complaint_message(*, action: str, complaint: Any, note: str = "") -> Outbox | None:
    """The unsaved message of a complaint's new stage, or None when the reporter left no contact
    (anonymous complaints never have one)."""
    if complaint.is_anonymous or not complaint.reporter_contact.strip():
        return None
    row = _message(
        key=f"complaint:{complaint.receipt_code}:{complaint.event_count}",
        event=action,
        template="complaint.stage",
        recipient=complaint.reporter_contact,
        text=complaint_text(complaint, note),
        at=timezone.now(),
    )
    row.complaint = complaint
    return row


def _queue(row: Outbox | None) -> bool:
    if row is None:
        return False
    # ON CONFLICT DO NOTHING: a second call for the same event adds nothing and, unlike a
    # caught IntegrityError, needs no savepoint in the caller's transaction.
    before = Outbox.objects.filter(idempotency_key=row.idempotency_key).exists()
    if before:
        return False
    Outbox.objects.bulk_create([row], ignore_conflicts=True)
    return True


def notify(
    *, event: str, request: Any = None, complaint: Any = None, note: str = "", key: str = ""
) -> bool:
    """Queue the message of `event` about `request` (a request event) or `complaint` (a new
    stage; `event` is the complaint's action), in the caller's transaction.

    Returns whether a message was queued (False: already queued, or no contact to reach).
    """
    if request is not None:
        return _queue(request_message(event=event, request=request, note=note, key=key))
    return _queue(complaint_message(action=event, complaint=complaint, note=note))


# --- the sender's writes ---------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What a channel made of one message."""

    ok: bool
    provider_id: str = ""
    error: str = ""
    permanent: bool = False  # retrying cannot help (an address the provider refuses)


def backoff(attempts: int) -> timedelta:
    """The wait before the next try after `attempts` failed ones: doubling, capped."""
    c = conf()
    seconds = c.backoff_seconds * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, c.backoff_max_seconds))


def _claimable(now: datetime) -> Q:
    lapsed = Q(state=State.SENDING, claimed_until__lt=now)  # its sender died mid-batch
    return Q(state__in=PENDING_STATES, next_attempt_at__lte=now) | lapsed


def outbox_claim(
    *, channels: list[str], limit: int, now: datetime | None = None
) -> tuple[str, list[Outbox]]:
    """Take up to `limit` due messages of `channels` for this sender alone, for the claim time.

    PostgreSQL: SELECT … FOR UPDATE SKIP LOCKED, so parallel senders each take other rows
    without waiting. SQLite: the transaction begins IMMEDIATE (settings), which takes the
    database's write lock first, so claims are made one after another. Either way a row is
    marked "being sent" with this claim's token before the transaction commits, and no other
    claim can take it until `claimed_until` has passed.
    """
    now = now or timezone.now()
    token = secrets.token_hex(16)
    with transaction.atomic():
        rows = Outbox.objects.filter(_claimable(now), channel__in=channels)
        if connection.vendor == "postgresql":
            rows = rows.select_for_update(skip_locked=True)
        ids = list(rows.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])
        if not ids:
            return token, []
        Outbox.objects.filter(pk__in=ids).update(
            state=State.SENDING,
            claim_token=token,
            claimed_until=now + timedelta(seconds=conf().claim_seconds),
        )
    return token, list(Outbox.objects.filter(pk__in=ids, claim_token=token).order_by("pk"))


def outbox_record(
    *, token: str, results: list[tuple[Outbox, Outcome]], now: datetime | None = None
) -> dict[str, int]:
    """Write down what happened to each claimed message, in one transaction.

    Only rows still held by this claim are written (a claim that lapsed belongs to another
    sender now). A failure waits `backoff(attempts)`; past NOTIFY_MAX_ATTEMPTS, or when retrying
    cannot help, the message is given up with the reason.
    """
    now = now or timezone.now()
    limit = conf().max_attempts
    counts = {State.SENT: 0, State.RETRYING: 0, State.GIVEN_UP: 0}
    sent = [(row, outcome) for row, outcome in results if outcome.ok]
    with transaction.atomic():
        if sent:
            # One statement for the sent ones (almost all of them): the provider's ids by key.
            ids = Case(
                *[When(pk=row.pk, then=Value(o.provider_id[:100])) for row, o in sent],
                default=Value(""),
                output_field=CharField(),
            )
            counts[State.SENT] = Outbox.objects.filter(
                pk__in=[row.pk for row, _o in sent], claim_token=token, state=State.SENDING
            ).update(state=State.SENT, sent_at=now, attempts=F("attempts") + 1, claim_token="",
                     claimed_until=None, last_error="", provider_message_id=ids)  # fmt: skip
        for row, outcome in results:
            if outcome.ok:
                continue
            attempts = row.attempts + 1
            mine = Outbox.objects.filter(pk=row.pk, claim_token=token, state=State.SENDING)
            error = outcome.error
            state = State.GIVEN_UP if outcome.permanent or attempts >= limit else State.RETRYING
            if state == State.GIVEN_UP and not outcome.permanent:
                with override(CITIZEN_LANGUAGE):
                    error = _("Given up after %(n)d attempts. ") % {"n": attempts} + error
            done = mine.update(
                state=state,
                attempts=attempts,
                claim_token="",
                claimed_until=None,
                last_error=error[:ERROR_MAX],
                next_attempt_at=now + backoff(attempts),
            )
            if not done:
                continue
            counts[state] += 1
            if state == State.GIVEN_UP:
                data = {"id": row.pk, "attempts": attempts}
                audit_record(
                    actor="sigap notify", action="notification.given_up", obj=row, data=data, at=now
                )
    return {str(k): v for k, v in counts.items()}


def outbox_release(*, token: str, rows: list[Outbox]) -> int:
    """Give back claimed messages this sender did not try (its time was up): due again now."""
    ids = [r.pk for r in rows]
    mine = Outbox.objects.filter(pk__in=ids, claim_token=token, state=State.SENDING)
    back = {"claim_token": "", "claimed_until": None}
    with transaction.atomic():
        n = mine.filter(attempts=0).update(state=State.QUEUED, **back)
        n += mine.update(state=State.RETRYING, **back)
    return n


def outbox_forget(*, requests: Any = None, complaints: Any = None) -> int:
    """Erase the contact and the text of the messages about these requests or complaints (PDP:
    their subject's identity is being deleted, `sigap.privacy`); one still waiting is given up
    with that reason. Called inside the anonymising transaction. Returns the rows changed."""
    rows = Outbox.objects.none()
    if requests is not None:
        rows = Outbox.objects.filter(request__in=requests)
    if complaints is not None:
        rows = rows | Outbox.objects.filter(complaint__in=complaints)
    rows = rows.exclude(recipient="", text="")
    with override(CITIZEN_LANGUAGE):
        reason = _("Deleted with the citizen's personal data before it was sent.")
    rows.filter(state__in=[*PENDING_STATES, State.SENDING]).update(
        state=State.GIVEN_UP, claim_token="", claimed_until=None, last_error=reason
    )
    return rows.update(recipient="", text="")
