"""Every state change of a complaint: one keyword-only, atomic function each, one event row each.

The states and deadlines are those of SP4N-LAPOR! (`sigap.rules.sp4n`): verify and forward within
3 working days, follow up within 5 working days of forwarding, close automatically 10 working
days after a follow-up with no reply. Working days use the agency's calendar. Every stage
(`_move`, and the filing) queues a message to a reporter who left a contact, in the same
transaction (`sigap.notifications`).

Who may act is decided here, once per write, whoever calls it (a page, the API, a command):

- staff writes take the acting `user` and check it with `_authorise` (sigap.access) before
  anything is read for writing; a refusal raises PermissionDenied and writes nothing. The pages
  ask sigap.access only to decide which buttons to show.
- the reporter's writes (`complaint_submit`, `complaint_reply`, `complaint_reopen`,
  `complaint_accept`) are public by design: no account acts. Filing needs nothing; the others
  need the reporter secret, which the caller checks (`reporter_key_matches`) because only the
  caller holds the proof (the link or the session that showed it).
- `complaints_auto_close` is the system's own job (SP4N-LAPOR!): no person acts, the audit
  trail names the command.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from sigap.access import Action, can
from sigap.audit.services import audit_record
from sigap.catalogue.models import Service
from sigap.complaints.models import (
    CLOSED,
    DESCRIPTION_MAX,
    Actor,
    Category,
    Channel,
    Complaint,
    ComplaintEvent,
    Status,
)
from sigap.notifications.services import complaint_message, notify
from sigap.organisation.models import Employee, Unit
from sigap.organisation.services import agency_calendar
from sigap.rules.sp4n import (
    ComplaintState,
    InvalidTransition,
    auto_close_date,
    check_transition,
    follow_up_due,
    verification_due,
)
from sigap.service_requests.models import ServiceRequest
from sigap.service_requests.services import new_receipt_code, normalise_receipt_code
from sigap.surveys.lookup import active_service
from sigap.throttling import intake
from sigap.throttling.ratelimit import Charge

FUTURE_TOLERANCE = timedelta(minutes=5)
NOTE_MAX = 4000


@dataclass(frozen=True)
class Reporter:
    """Who complains. Anonymous: no name or contact is kept. Confidential: kept, but shown only
    to the complaint administrators (Inspektorat)."""

    name: str = ""
    contact: str = ""
    anonymous: bool = False
    confidential: bool = False


@dataclass(frozen=True)
class Location:
    address: str = ""
    lat: Decimal | float | str | None = None
    long: Decimal | float | str | None = None
    media_url: str = ""


# The reporter secret: 24 random bytes (192 bits), URL-safe, in the reporter's link. Stored as
# an HMAC-SHA256 keyed with the site's SECRET_KEY: a random secret of this size needs no slow
# password hash, and the key means a leaked table alone cannot even test a guess.
_REPORTER_KEY_SALT = "sigap.complaints.reporter_key"
REPORTER_KEY_MAX = 64  # longer input is no key of ours: refused before hashing


def new_reporter_key() -> str:
    return secrets.token_urlsafe(24)


def reporter_key_hash(key: str, *, secret: str | None = None) -> str:
    return salted_hmac(_REPORTER_KEY_SALT, key, secret=secret, algorithm="sha256").hexdigest()


def reporter_key_matches(complaint: Complaint, key: str) -> bool:
    """Whether `key` is this complaint's reporter secret (constant-time comparison).

    Complaints without a stored secret (filed before it existed) match nothing. The site's
    fallback keys are tried too, so rotating SECRET_KEY with SECRET_KEY_FALLBACKS keeps the
    reporters' links working.
    """
    stored = complaint.reporter_key_hash
    if not stored or not key or len(key) > REPORTER_KEY_MAX:
        return False
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    matched = False
    for secret in keys:  # no early exit: the time does not say which key matched
        matched |= constant_time_compare(reporter_key_hash(key, secret=secret), stored)
    return matched


def _local(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _coordinate(value: object, limit: int, field: str, errors: dict[str, str]) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        errors[field] = _("“%s” is not a number.") % str(value)[:30]
        return None
    if not number.is_finite() or abs(number) > limit:
        errors[field] = _("%(field)s must be between -%(n)d and %(n)d.") % {
            "field": field,
            "n": limit,
        }
        return None
    return number.quantize(Decimal("0.000001"))


def complaint_submit(
    *,
    category: str,
    description: str,
    reporter: Reporter,
    service: Service | str | None = None,
    unit: Unit | None = None,
    receipt_code: str = "",
    officer_description: str = "",
    location: Location = Location(),
    channel: str = Channel.WEB,
    client_hash: str = "",
    submitted_at: datetime | None = None,
    charge: Charge | None = None,
    lapor_tracking_id: str = "",
) -> Complaint:
    """Register a complaint and route it to the responsible unit.

    Public by design: anyone may complain, without an account (the web form, the API, Open311),
    so no user is checked; `charge` limits how often one client may.

    The unit is the one of the request (receipt code), else of the service, else the one the
    reporter chose. The verification clock (3 hari kerja) starts now.

    A reporter secret is made for the complaint: only its hash is stored, and the plain secret
    is on the returned instance as `issued_reporter_key`, for the caller to give to the
    reporter once (in the reporter's link). The receipt code only shows the public status.

    `charge` is the client's rate-limit hit: counted whatever the outcome, RateLimited when the
    client is over its limit. The complaint and its first event are written by one statement
    with the hit (`sigap.throttling.intake`): atomic, one commit, a colliding receipt code retried.

    `lapor_tracking_id` is the SP4N-LAPOR! Tracking ID of a report imported from LAPOR!
    (`sigap.integrations.lapor`, channel LAPOR); the caller checks it is not taken.
    """
    at = submitted_at or timezone.now()
    errors: dict[str, str] = {}
    if category not in Category.values:
        errors["category"] = _("Unknown category “%(value)s”; use one of %(choices)s.") % {
            "value": str(category)[:40],
            "choices": ", ".join(Category.values),
        }
    texts = (description, officer_description, reporter.name, reporter.contact, location.address,
             location.media_url, receipt_code)  # fmt: skip
    if any("\x00" in t for t in texts):
        if charge is not None:
            charge.enforce()
        raise ValidationError({"description": _("Text may not contain NUL characters.")})
    description = description.strip()
    if not description:
        errors["description"] = _("Describe what happened.")
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = _("The description is longer than %(max)d characters (%(n)d).") % {
            "max": DESCRIPTION_MAX,
            "n": len(description),
        }
    if len(officer_description) > 200:
        errors["officer_description"] = _("At most 200 characters.")
    name, contact = reporter.name.strip(), reporter.contact.strip()
    if reporter.anonymous:
        name = contact = ""
    elif not name:
        errors["reporter_name"] = _("Give your name, or choose to complain anonymously.")
    if len(name) > 200 or len(contact) > 200:
        errors["reporter_contact"] = _("Name and contact are at most 200 characters each.")
    if channel not in Channel.values:
        errors["channel"] = _("Unknown channel “%s”.") % channel[:20]
    if at > timezone.now() + FUTURE_TOLERANCE:
        errors["submitted_at"] = _("The submission time is in the future.")
    lapor_tracking_id = lapor_tracking_id.strip()
    if len(lapor_tracking_id) > 32:
        errors["lapor_tracking_id"] = _("At most %d characters.") % 32

    service_request = None
    if receipt_code:
        code = normalise_receipt_code(receipt_code)
        service_request = (
            ServiceRequest.objects.filter(receipt_code=code).select_related("service").first()
        )
        if service_request is None:
            errors["receipt_code"] = _("No request has the receipt code “%s”.") % code[:20]
        elif service is None:
            service = service_request.service
    if isinstance(service, str):
        found = active_service(service)
        if found is None:
            errors["service_code"] = _("Unknown service code “%s”.") % service[:60]
        service = found
    target = (
        service_request.unit
        if service_request
        else service.unit
        if isinstance(service, Service)
        else unit
    )
    if target is None and "service_code" not in errors and "receipt_code" not in errors:
        errors["unit"] = _("Choose the unit or the service the complaint is about.")
    lat = _coordinate(location.lat, 90, "lat", errors)
    long = _coordinate(location.long, 180, "long", errors)
    if location.media_url:
        try:
            URLValidator(schemes=["http", "https"])(location.media_url)
        except ValidationError:
            errors["media_url"] = _("The media URL is not a web address.")
    if len(location.address) > 300:
        errors["address"] = _("The address is at most 300 characters.")
    if errors:
        if charge is not None:
            charge.enforce()  # a refused submission counts against the limit too
        raise ValidationError(errors)
    assert target is not None
    calendar = agency_calendar(target.agency_id)
    key = new_reporter_key()
    complaint = Complaint(
        category=category,
        unit=target,
        service=service if isinstance(service, Service) else None,
        service_request=service_request,
        officer_description=officer_description.strip(),
        description=description,
        channel=channel,
        is_anonymous=reporter.anonymous,
        is_confidential=reporter.confidential,
        reporter_name=name,
        reporter_contact=contact,
        address=location.address.strip(),
        lat=lat,
        long=long,
        media_url=location.media_url,
        status=Status.DITERIMA,
        submitted_at=at,
        verify_due=verification_due(calendar, _local(at)),
        last_event_at=at,
        event_count=1,
        client_hash=client_hash,
        reporter_key_hash=reporter_key_hash(key),
        lapor_tracking_id=lapor_tracking_id,
    )
    event = ComplaintEvent(
        seq=1,
        action="submit",
        from_status="",
        to_status=Status.DITERIMA,
        actor=Actor.REPORTER,
        unit=target,
        timestamp=at,
    )
    for _attempt in range(5):
        complaint.receipt_code = new_receipt_code()
        children = [intake.Child(event, "complaint")]
        # The reporter's first message ("received") is written by the same statement.
        message = complaint_message(action="submit", complaint=complaint)
        if message is not None:
            children.append(intake.Child(message, "complaint"))
        stored = intake.store(complaint, charge=charge, unique="receipt_code", children=children)
        if stored:
            break
        charge = None  # counted with the first attempt; a receipt-code collision is ours
    else:  # pragma: no cover
        raise RuntimeError("could not allocate a receipt code")
    complaint.issued_reporter_key = key
    return complaint


@transaction.atomic
def complaint_reporter_link_issue(*, complaint: Complaint, user: User) -> Complaint:
    """Give the reporter a new secret (a new reporter link), replacing any previous one.

    For a reporter who lost their link, or whose complaint was filed before reporter secrets
    existed. Staff pass the link on through the contact the reporter left, so a complaint
    without a contact (anonymous) cannot get one: nobody could tell its reporter from anyone
    else. Audited without the secret. The plain secret is on the returned instance as
    `issued_reporter_key`.

    Whoever may handle the complaint and, when it is confidential, see who filed it: the link
    goes to the reporter's contact.
    """
    complaint = _lock(complaint)
    _authorise(user, Action.COMPLAINT_HANDLE, complaint)
    if complaint.is_confidential:
        _authorise(user, Action.COMPLAINT_IDENTITY, complaint)
    if complaint.is_anonymous or not complaint.reporter_contact.strip():
        message = _("The reporter left no contact: a new link could not reach them.")
        raise ValidationError({"reporter_contact": message})
    replaced = bool(complaint.reporter_key_hash)
    key = new_reporter_key()
    complaint.reporter_key_hash = reporter_key_hash(key)
    complaint.save(update_fields=["reporter_key_hash"])
    audit_record(
        actor=user,
        action="complaint.reporter_link",
        obj=complaint,
        unit=complaint.unit,
        data={"replaced": replaced},
    )
    complaint.issued_reporter_key = key
    return complaint


# Who acted, as the audit trail names a party without an account (never the reporter's identity).
_AUDIT_ACTORS: dict[str, str] = {
    Actor.REPORTER: "reporter",
    Actor.SYSTEM: "sigap complaints_autoclose",
}


def _lock(complaint: Complaint) -> Complaint:
    return (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=complaint.pk)
    )


def _authorise(user: User, action: Action, complaint: Complaint) -> None:
    """The one authorisation check of the staff writes; PermissionDenied when `user` may not.

    Checked on the locked row, so a complaint forwarded meanwhile is judged by its new unit.
    Handling is allowed over the complaint's unit or the unit it was escalated to (the parent
    unit's head); seeing a confidential reporter's identity only over the complaint's unit.
    """
    units = [complaint.unit]
    if action == Action.COMPLAINT_HANDLE and complaint.escalated_to is not None:
        units.append(complaint.escalated_to)
    if any(can(user, action, unit) for unit in units):
        return
    if action == Action.COMPLAINT_IDENTITY:
        message = _("Only the Inspektorat may see who filed this confidential complaint.")
    else:
        message = _("You may not handle complaints about this unit.")
    raise PermissionDenied(message)


def _move(
    complaint: Complaint,
    *,
    to: str,
    action: str,
    actor: str,
    at: datetime,
    user: User | None = None,
    note: str = "",
    unit: Unit | None = None,
    public: bool = True,
) -> ComplaintEvent:
    """Check the SP4N transition and the clock, then append the event (status not saved)."""
    try:
        check_transition(ComplaintState(complaint.status), ComplaintState(to))
    except InvalidTransition:
        raise ValidationError(
            {
                "status": _("This action is not possible while the complaint is “%s”.")
                % complaint.get_status_display()
            }
        ) from None
    if at < complaint.last_event_at:
        raise ValidationError({"timestamp": _("The time is earlier than the previous step.")})
    if at > timezone.now() + FUTURE_TOLERANCE:
        raise ValidationError({"timestamp": _("The time of the step is in the future.")})
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": _("At most %d characters.") % NOTE_MAX})
    complaint.event_count += 1
    complaint.last_event_at = at
    event = ComplaintEvent.objects.create(
        complaint=complaint,
        seq=complaint.event_count,
        action=action,
        from_status=complaint.status,
        to_status=to,
        actor=actor,
        user=user,
        unit=unit,
        note=note,
        public=public,
        timestamp=at,
    )
    # Complaint status is one of the state changes oversight must be able to trust.
    audit_record(
        actor=user if user is not None else _AUDIT_ACTORS.get(actor, actor),
        action="complaint.status",
        obj=complaint,
        unit=complaint.unit,
        data={"action": action, "from": complaint.status, "to": to, "seq": event.seq},
        at=at,
    )
    complaint.status = to
    # Every SP4N-LAPOR! stage reaches a reporter who left a contact, with the note they may see.
    notify(event=action, complaint=complaint, note=note if public else "")
    return event


def _need(text: str, field: str, message: str) -> str:
    if not text.strip():
        raise ValidationError({field: message})
    return text.strip()


@transaction.atomic
def complaint_verify(
    *, complaint: Complaint, user: User, note: str = "", at: datetime | None = None
) -> Complaint:
    """The admin checks the complaint is a complaint (LAPOR! "Verifikasi")."""
    at = at or timezone.now()
    complaint = _lock(complaint)
    _authorise(user, Action.COMPLAINT_HANDLE, complaint)
    _move(complaint, to=Status.TERVERIFIKASI, action="verify", actor=Actor.STAFF, at=at,
          user=user, note=note.strip())  # fmt: skip
    complaint.save()
    return complaint


@transaction.atomic
def complaint_hold(
    *, complaint: Complaint, user: User, reason: str, at: datetime | None = None
) -> Complaint:
    """Hold the complaint for more information (LAPOR! "Tunda"); the 3-day clock keeps running."""
    at = at or timezone.now()
    complaint = _lock(complaint)
    _authorise(user, Action.COMPLAINT_HANDLE, complaint)
    reason = _need(reason, "reason", _("Say what information is missing; the reporter sees it."))
    _move(complaint, to=Status.DITUNDA, action="hold", actor=Actor.STAFF, at=at, user=user,
          note=reason)  # fmt: skip
    complaint.save()
    return complaint


@transaction.atomic
def complaint_reject(
    *,
    complaint: Complaint,
    user: User,
    reason: str,
    archive: bool = False,
    at: datetime | None = None,
) -> Complaint:
    """Close without follow-up: not this instansi's authority, or archived (spam, duplicate)."""
    at = at or timezone.now()
    complaint = _lock(complaint)
    _authorise(user, Action.COMPLAINT_HANDLE, complaint)
    reason = _need(reason, "reason", _("Give the reason; the reporter sees it."))
    to = Status.DIARSIPKAN if archive else Status.BUKAN_WEWENANG
    _move(complaint, to=to, action="archive" if archive else "not_authority", actor=Actor.STAFF,
          at=at, user=user, note=reason)  # fmt: skip
    complaint.closed_at = at
    complaint.save()
    return complaint


@transaction.atomic
def complaint_forward(
    *,
    complaint: Complaint,
    user: User,
    unit: Unit | None = None,
    note: str = "",
    at: datetime | None = None,
) -> Complaint:
    """Forward (disposisi) to the responsible unit: its 5-working-day follow-up clock starts.

    Whoever may handle the complaint where it is now may forward it within the agency.
    """
    at = at or timezone.now()
    complaint = _lock(complaint)
    _authorise(user, Action.COMPLAINT_HANDLE, complaint)
    target = unit or complaint.unit
    if target.agency_id != complaint.unit.agency_id:
        raise ValidationError({"unit": _("The unit belongs to another agency.")})
    _move(complaint, to=Status.DIDISPOSISIKAN, action="forward", actor=Actor.STAFF, at=at,
          user=user, note=note.strip(), unit=target, public=False)  # fmt: skip
    complaint.unit = target
    complaint.forwarded_at = at
    complaint.follow_up_due = follow_up_due(agency_calendar(target.agency_id), _local(at))
    complaint.save()
    return complaint


@transaction.atomic
def complaint_follow_up(
    *,
    complaint: Complaint,
    user: User,
    response: str,
    reported_employee: Employee | None = None,
    at: datetime | None = None,
) -> Complaint:
    """The unit's answer (tindak lanjut); with no reply it closes itself in 10 working days."""
    at = at or timezone.now()
    complaint = _lock(complaint)
    _authorise(user, Action.COMPLAINT_HANDLE, complaint)
    response = _need(response, "response", _("Write the follow-up; the reporter reads it."))
    _move(complaint, to=Status.DITINDAKLANJUTI, action="follow_up", actor=Actor.STAFF, at=at,
          user=user, note=response)  # fmt: skip
    complaint.followed_up_at = at
    complaint.auto_close_on = auto_close_date(agency_calendar(complaint.unit.agency_id), _local(at))
    if reported_employee is not None:
        complaint.reported_employee = reported_employee
    complaint.save()
    return complaint


def _back_to_unit(complaint: Complaint, at: datetime) -> None:
    complaint.forwarded_at = at
    complaint.follow_up_due = follow_up_due(agency_calendar(complaint.unit.agency_id), _local(at))
    complaint.auto_close_on = None
    complaint.closed_at = None


@transaction.atomic
def complaint_reply(*, complaint: Complaint, message: str, at: datetime | None = None) -> Complaint:
    """The reporter answers a follow-up (not satisfied): back to the unit for a new follow-up.

    Public by design: the reporter acts, without an account; the caller has checked the
    reporter secret.
    """
    at = at or timezone.now()
    message = _need(message, "message", _("Write your reply."))
    complaint = _lock(complaint)
    _move(complaint, to=Status.DIDISPOSISIKAN, action="reply", actor=Actor.REPORTER, at=at,
          note=message)  # fmt: skip
    _back_to_unit(complaint, at)
    complaint.save()
    return complaint


@transaction.atomic
def complaint_reopen(
    *, complaint: Complaint, message: str, at: datetime | None = None
) -> Complaint:
    """The reporter reopens a closed complaint (the problem is back or was not solved).

    Public by design: the reporter acts, without an account; the caller has checked the
    reporter secret.
    """
    at = at or timezone.now()
    message = _need(message, "message", _("Say why you reopen the complaint."))
    complaint = _lock(complaint)
    if complaint.status != Status.SELESAI:
        raise ValidationError({"status": _("Only a closed complaint can be reopened.")})
    _move(complaint, to=Status.DIDISPOSISIKAN, action="reopen", actor=Actor.REPORTER, at=at,
          note=message)  # fmt: skip
    _back_to_unit(complaint, at)
    complaint.save()
    return complaint


@transaction.atomic
def complaint_close(
    *, complaint: Complaint, user: User, note: str = "", at: datetime | None = None
) -> Complaint:
    """Staff close a followed-up complaint."""
    at = at or timezone.now()
    complaint = _lock(complaint)
    _authorise(user, Action.COMPLAINT_HANDLE, complaint)
    return _close(complaint, actor=Actor.STAFF, user=user, note=note, at=at)


@transaction.atomic
def complaint_accept(
    *, complaint: Complaint, note: str = "", at: datetime | None = None
) -> Complaint:
    """The reporter accepts the follow-up, which closes the complaint.

    Public by design: the reporter acts, without an account; the caller has checked the
    reporter secret.
    """
    at = at or timezone.now()
    return _close(_lock(complaint), actor=Actor.REPORTER, user=None, note=note, at=at)


def _close(
    complaint: Complaint, *, actor: str, user: User | None, note: str, at: datetime
) -> Complaint:
    _move(complaint, to=Status.SELESAI, action="close", actor=actor, at=at, user=user,
          note=note.strip())  # fmt: skip
    complaint.closed_at = at
    complaint.save()
    return complaint


@transaction.atomic
def complaint_escalate(
    *, complaint: Complaint, user: User, note: str = "", today: date | None = None
) -> Complaint:
    """A unit head sends an overdue complaint up to the parent unit's head."""
    at = timezone.now()
    today = today or _local(at)
    complaint = _lock(complaint)
    _authorise(user, Action.COMPLAINT_HANDLE, complaint)
    due = complaint.due
    if due is None or due >= today:
        raise ValidationError({"status": _("Only an overdue complaint can be escalated.")})
    parent = complaint.unit.parent
    if parent is None:
        raise ValidationError({"unit": _("This unit has no parent unit to escalate to.")})
    complaint.event_count += 1
    complaint.last_event_at = max(at, complaint.last_event_at)
    ComplaintEvent.objects.create(
        complaint=complaint,
        seq=complaint.event_count,
        action="escalate",
        from_status=complaint.status,
        to_status=complaint.status,
        actor=Actor.STAFF,
        user=user,
        unit=parent,
        note=note.strip()[:NOTE_MAX],
        public=False,
        timestamp=complaint.last_event_at,
    )
    complaint.escalated_to = parent
    complaint.escalated_at = complaint.last_event_at
    complaint.save()
    audit_record(
        actor=user,
        action="complaint.escalate",
        obj=complaint,
        unit=complaint.unit,
        data={"to_unit": parent.pk},
        at=complaint.last_event_at,
    )
    return complaint


def complaints_auto_close(*, today: date | None = None) -> int:
    """Close every followed-up complaint whose 10 working days passed with no reply.

    The system's own job (SP4N-LAPOR! closes these by rule, `sigap complaints_autoclose`), so it
    takes no user: nobody decides, the deadline does, and the audit trail names the command.
    Each complaint is closed in its own transaction (so a long run never holds many locks, and a
    rerun after a crash picks up where it stopped). Returns how many were closed.
    """
    today = today or timezone.localdate()
    due = Complaint.objects.filter(
        status=Status.DITINDAKLANJUTI, auto_close_on__lte=today
    ).values_list("pk", flat=True)
    closed = 0
    for pk in list(due):
        with transaction.atomic():
            complaint = _lock(Complaint(pk=pk))
            if complaint.status != Status.DITINDAKLANJUTI:
                continue  # the reporter replied meanwhile
            at = max(timezone.now(), complaint.last_event_at)
            _move(complaint, to=Status.SELESAI, action="auto_close", actor=Actor.SYSTEM, at=at,
                  note=_("Closed automatically: no reply within 10 working days."))  # fmt: skip
            complaint.closed_at = at
            complaint.save()
            closed += 1
    return closed


def is_overdue(complaint: Complaint, today: date) -> bool:
    due = complaint.due
    return due is not None and due < today and complaint.status not in CLOSED
