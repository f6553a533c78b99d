"""Write functions of counter slot booking. Each validates, runs in one transaction and is
audited; staff writes check the acting user through sigap.access themselves.

- `slot_plan_add`, `slot_plan_remove`, `slots_generate`: the unit head (`Action.SLOT_PLAN`).
- `booking_make`, `booking_cancel`: public by design. The applicant has no account: the receipt
  code and the contact given at submission tie them to the request. A wrong code and a wrong
  contact get the same answer, so the form cannot be used to learn whether a code exists.
- `booking_mark_no_show`: an officer of the unit (`Action.REQUEST_PROCESS`), after the slot's time.

No double booking: the seat is taken with one conditional UPDATE (`booked < capacity`) that the
database applies atomically per row, whatever the number of server processes; the request's
row is locked first, so one request's concurrent bookings queue behind each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sigap.access import Action, can
from sigap.audit.services import audit_record
from sigap.booking.models import Booking, BookingStatus, Slot, SlotPlan
from sigap.notifications.services import notify
from sigap.organisation.models import Unit
from sigap.organisation.services import agency_calendar
from sigap.rules.contact import contact_matches
from sigap.service_requests.models import OPEN_STATUSES, ServiceRequest
from sigap.service_requests.services import normalise_receipt_code
from sigap.web import formatting

MAX_CAPACITY = 500
MAX_GENERATE_DAYS = 92  # a quarter at a time: the plan may change
BOOKING_HORIZON_DAYS = 30  # how far ahead an applicant may book


def _authorise(user: Any, action: Action, unit: Unit) -> None:
    if not can(user, action, unit):
        raise PermissionDenied(_("You may not do this for this unit."))


# --- the unit head's plan --------------------------------------------------------------------


def slot_plan_add(*, user: Any, unit: Unit, weekday: int, start: time, capacity: int) -> SlotPlan:
    """Add a line to the unit's weekly template (or change the capacity of an existing one)."""
    _authorise(user, Action.SLOT_PLAN, unit)
    errors: dict[str, str] = {}
    if weekday not in range(7):
        errors["weekday"] = _("Choose a day of the week.")
    if not 1 <= capacity <= MAX_CAPACITY:
        errors["capacity"] = _("The capacity must be between 1 and %(max)s.") % {
            "max": MAX_CAPACITY
        }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        plan, created = SlotPlan.objects.update_or_create(
            unit=unit, weekday=weekday, start=start, defaults={"capacity": capacity}
        )
        audit_record(
            actor=user,
            action="booking.plan_set",
            obj=plan,
            data={"weekday": weekday, "start": start.strftime("%H:%M"), "capacity": capacity,
                  "created": created},
        )  # fmt: skip
    return plan


def slot_plan_remove(*, user: Any, plan: SlotPlan) -> None:
    """Remove a line of the template. Slots already generated stay (they may be booked)."""
    _authorise(user, Action.SLOT_PLAN, plan.unit)
    with transaction.atomic():
        audit_record(
            actor=user,
            action="booking.plan_remove",
            obj=plan,
            data={"weekday": plan.weekday, "start": plan.start.strftime("%H:%M")},
        )
        plan.delete()


def slots_generate(*, user: Any, unit: Unit, first: date, last: date) -> int:
    """Create the slots of the template on the agency's working days from `first` to `last`.

    Holidays, cuti bersama and local days off (the agency calendar) get no slots. Slots that
    already exist are kept as they are (with their bookings). Returns how many were created.
    """
    _authorise(user, Action.SLOT_PLAN, unit)
    if last < first:
        raise ValidationError({"last": _("The last day is before the first day.")})
    if (last - first).days >= MAX_GENERATE_DAYS:
        raise ValidationError(
            {"last": _("Generate at most %(days)s days at a time.") % {"days": MAX_GENERATE_DAYS}}
        )
    plans = list(SlotPlan.objects.filter(unit=unit))
    if not plans:
        raise ValidationError({"first": _("The unit has no weekly slot plan yet.")})
    calendar = agency_calendar(unit.agency_id)
    rows: list[Slot] = []
    day = first
    while day <= last:
        if calendar.is_working_day(day):
            rows.extend(
                Slot(unit=unit, day=day, start=p.start, capacity=p.capacity)
                for p in plans
                if p.weekday == day.weekday()
            )
        day += timedelta(days=1)
    with transaction.atomic():
        existing = set(
            Slot.objects.filter(unit=unit, day__range=(first, last)).values_list("day", "start")
        )
        new = [s for s in rows if (s.day, s.start) not in existing]
        Slot.objects.bulk_create(new)
        audit_record(
            actor=user,
            action="booking.slots_generate",
            unit=unit,
            data={"first": first.isoformat(), "last": last.isoformat(), "created": len(new)},
        )
    return len(new)


# --- the applicant ---------------------------------------------------------------------------


def wrong_code_or_contact() -> ValidationError:
    """The one answer to a code that does not exist, or exists with another contact."""
    return ValidationError(
        {"receipt": _("The receipt code or the contact does not match any request.")}
    )


def request_for_applicant(receipt: str, contact: str) -> ServiceRequest:
    """The request with this receipt code whose contact matches; else `wrong_code_or_contact`."""
    code = normalise_receipt_code(receipt)[:20]
    found = (
        ServiceRequest.objects.filter(receipt_code=code)
        .select_related("unit", "standard", "service")
        .first()
        if code
        else None
    )
    stored = found.applicant_contact if found is not None else ""
    # Compared even when nothing was found, so the time taken tells nothing either.
    matched = contact_matches(contact, stored or "-")
    if found is None or not matched:
        raise wrong_code_or_contact()
    return found


def check_bookable(sr: ServiceRequest) -> None:
    """Only an open request of a service whose standard needs the applicant in person books."""
    if not sr.standard.needs_presence:
        raise ValidationError(
            {"receipt": _("This service does not need you at the counter: no booking is needed.")}
        )
    if sr.status not in OPEN_STATUSES:
        raise ValidationError({"receipt": _("This request is finished: it cannot be booked.")})


def open_slots(sr: ServiceRequest, *, now: datetime | None = None) -> list[Slot]:
    """The slots of the request's unit with a free seat, from now to the booking horizon."""
    now = timezone.localtime(now or timezone.now())
    today = now.date()
    slots = Slot.objects.filter(
        unit=sr.unit,
        day__gte=today,
        day__lte=today + timedelta(days=BOOKING_HORIZON_DAYS),
        booked__lt=F("capacity"),
    ).order_by("day", "start")
    return [s for s in slots if s.starts_at > now]


def active_booking(sr: ServiceRequest) -> Booking | None:
    return (
        Booking.objects.filter(request=sr, status=BookingStatus.BOOKED)
        .select_related("slot", "unit")
        .first()
    )


@dataclass(frozen=True)
class Booked:
    booking: Booking
    moved_from: Slot | None


def _take_seat(slot_id: int) -> bool:
    """One atomic conditional UPDATE: True when a seat was free and is now taken."""
    return (
        Slot.objects.filter(pk=slot_id, booked__lt=F("capacity")).update(booked=F("booked") + 1)
        == 1
    )


def _free_seat(slot_id: int) -> None:
    Slot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)


def booking_make(
    *, receipt: str, contact: str, slot_id: int, now: datetime | None = None
) -> Booked:
    """Book (or move the booking of) the request to the slot. Public by design (see module)."""
    now = now or timezone.now()
    sr = request_for_applicant(receipt, contact)
    check_bookable(sr)
    slot = Slot.objects.filter(pk=slot_id, unit_id=sr.unit_id).first()
    if slot is None:
        raise ValidationError({"slot": _("Choose one of the times offered.")})
    if slot.starts_at <= now:
        raise ValidationError({"slot": _("This time has already passed; choose another.")})
    if (slot.day - timezone.localtime(now).date()).days > BOOKING_HORIZON_DAYS:
        raise ValidationError({"slot": _("This time is too far ahead; choose another.")})
    with transaction.atomic():
        # The request's row first: two bookings of one request queue here, so "one active
        # booking per request" never races.
        ServiceRequest.objects.select_for_update().filter(pk=sr.pk).first()
        current = active_booking(sr)
        if current is not None and current.slot_id == slot.pk:
            return Booked(current, None)
        if current is not None and current.slot.starts_at <= now:
            # The visit is history (the day list and its no-shows read it): not moved.
            raise ValidationError(
                {"slot": _("Your booked time has passed; the counter will tell you what is next.")}
            )
        if current is not None:
            # Moving touches two slots: lock them in one order, so two applicants swapping
            # slots cannot deadlock.
            ids = sorted({slot.pk, current.slot_id})
            list(Slot.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        if not _take_seat(slot.pk):
            raise ValidationError({"slot": _("This time is full; choose another.")})
        moved_from = None
        if current is not None:
            moved_from = current.slot
            _free_seat(current.slot_id)
            current.slot = slot
            current.changed_at = now
            current.save(update_fields=["slot", "changed_at"])
            booking = current
        else:
            try:
                with transaction.atomic():
                    booking = Booking.objects.create(
                        slot=slot, request=sr, unit=sr.unit, created_at=now, changed_at=now
                    )
            except IntegrityError as exc:  # the unique active booking: should not happen
                raise ValidationError({"slot": _("This request is already booked.")}) from exc
        audit_record(
            actor="applicant",
            action="booking.move" if moved_from else "booking.make",
            obj=booking,
            data={"slot": slot.pk, "from": moved_from.pk if moved_from else None},
            at=now,
        )
    return Booked(booking, moved_from)


def booking_cancel(*, receipt: str, contact: str, now: datetime | None = None) -> Booking:
    """Cancel the request's active booking and free its seat. Public by design (see module)."""
    now = now or timezone.now()
    sr = request_for_applicant(receipt, contact)
    with transaction.atomic():
        ServiceRequest.objects.select_for_update().filter(pk=sr.pk).first()
        booking = active_booking(sr)
        if booking is None:
            raise ValidationError({"receipt": _("This request has no booking to cancel.")})
        if booking.slot.starts_at <= now:
            raise ValidationError(
                {"receipt": _("The booked time has passed; it cannot be cancelled.")}
            )
        _free_seat(booking.slot_id)
        booking.status = BookingStatus.CANCELLED
        booking.changed_at = now
        booking.save(update_fields=["status", "changed_at"])
        audit_record(
            actor="applicant", action="booking.cancel", obj=booking,
            data={"slot": booking.slot_id}, at=now,
        )  # fmt: skip
    return booking


# --- the officer -----------------------------------------------------------------------------


def booking_mark_no_show(*, user: Any, booking: Booking, now: datetime | None = None) -> Booking:
    """Record that the applicant did not come. Only after the slot's time; the seat stays used."""
    _authorise(user, Action.REQUEST_PROCESS, booking.unit)
    now = now or timezone.now()
    with transaction.atomic():
        booking = Booking.objects.select_for_update().select_related("slot").get(pk=booking.pk)
        if booking.status != BookingStatus.BOOKED:
            raise ValidationError({"status": _("Only an active booking can be marked.")})
        if booking.slot.starts_at > now:
            raise ValidationError(
                {"status": _("The booked time has not come yet: wait before marking a no-show.")}
            )
        booking.status = BookingStatus.NO_SHOW
        booking.changed_at = now
        booking.save(update_fields=["status", "changed_at"])
        audit_record(actor=user, action="booking.no_show", obj=booking, at=now)
    return booking


def mask_contact(contact: str) -> str:
    """What the day list shows of a contact: enough to recognise it, not to use it."""
    contact = contact.strip()
    if "@" in contact:
        name, _at, domain = contact.partition("@")
        return f"{name[:1]}•••@{domain}"
    digits = "".join(ch for ch in contact if ch.isdigit())
    return f"•••{digits[-4:]}" if len(digits) > 4 else "•••"


def booking_reminders(*, today: date | None = None) -> int:
    """Queue a reminder to each applicant booked at a counter tomorrow, once per booking.

    The system's own daily job (`sigap bookings_remind`, in the morning): no person acts. The
    message names the day, time and unit and carries the applicant's own link and the booking
    page (to move or cancel). The message key (`booking:<id>:<day>:reminder`) keeps a rerun from
    queueing another; a booking moved to another day gets the reminder of its new day.
    Audited once per run with the count. Returns how many were queued.
    """
    today = today or timezone.localdate()
    tomorrow = today + timedelta(days=1)
    due = (
        Booking.objects.filter(status=BookingStatus.BOOKED, slot__day=tomorrow)
        .select_related("slot", "unit", "request__service")
        .order_by("pk")
    )
    queued = 0
    with transaction.atomic():
        for booking in due.iterator(chunk_size=500):
            note = _slot_note(booking)
            queued += notify(
                event="slot_reminder",
                request=booking.request,
                note=note,
                key=f"booking:{booking.pk}:{tomorrow.isoformat()}:reminder",
            )
        if queued:
            audit_record(actor="sigap bookings_remind", action="booking.remind",
                         data={"queued": queued, "day": tomorrow.isoformat()})  # fmt: skip
    return queued


def _slot_note(booking: Booking) -> str:
    # In the citizens' language whatever the server's: the text goes into an Indonesian message.
    with translation.override("id"):
        return _("%(day)s at %(time)s at %(unit)s") % {
            "day": formatting.weekday_date(booking.slot.day),
            "time": formatting.clock(booking.slot.start),
            "unit": booking.unit.name,
        }
