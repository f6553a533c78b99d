"""The write functions: the plan, slots on working days only, booking, moving, cancelling and
no-shows; every refusal names its field and writes nothing."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sigap.audit.models import AuditEntry
from sigap.booking import services
from sigap.booking.models import Booking, BookingStatus, Slot, SlotPlan
from sigap.organisation.models import AgencySpecialDay
from sigap.organisation.services import invalidate_calendars
from sigap.service_requests.models import ServiceRequest, Status
from tests import factories
from tests.booking.conftest import CONTACT, slot
from tests.conftest import local

NOW = local(2025, 3, 28, 8)  # Friday morning, the day after the request
MONDAY = date(2025, 4, 28)


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


# --- the plan ----------------------------------------------------------------------------------


def test_only_the_unit_head_sets_the_plan(presence):
    head, officer = presence.users["head_a"], presence.users["officer_a"]
    with pytest.raises(PermissionDenied):
        services.slot_plan_add(
            user=officer, unit=presence.counter_a, weekday=0, start=time(8), capacity=5
        )
    with pytest.raises(PermissionDenied):  # a head of another unit's subtree: not this one
        services.slot_plan_add(
            user=head, unit=presence.puskesmas_b, weekday=0, start=time(8), capacity=5
        )
    plan = services.slot_plan_add(
        user=head, unit=presence.counter_a, weekday=0, start=time(8), capacity=5
    )
    assert plan.capacity == 5
    assert AuditEntry.objects.filter(action="booking.plan_set").count() == 1


@pytest.mark.parametrize(("weekday", "capacity", "field"), [(7, 5, "weekday"), (0, 0, "capacity")])
def test_a_bad_plan_line_names_its_field(presence, weekday, capacity, field):
    with pytest.raises(ValidationError) as exc:
        services.slot_plan_add(
            user=presence.users["head_a"],
            unit=presence.counter_a,
            weekday=weekday,
            start=time(8),
            capacity=capacity,
        )
    assert field in _errors(exc)
    assert not SlotPlan.objects.exists()


def test_slots_only_on_the_agencys_working_days(presence):
    head = presence.users["head_a"]
    for weekday in range(7):  # even Saturday and Sunday lines: the calendar decides
        services.slot_plan_add(
            user=head, unit=presence.counter_a, weekday=weekday, start=time(8), capacity=3
        )
    AgencySpecialDay.objects.create(
        agency=presence.agency, date=date(2025, 4, 30), name="Hari jadi"
    )
    invalidate_calendars()
    created = services.slots_generate(
        user=head, unit=presence.counter_a, first=MONDAY, last=date(2025, 5, 4)
    )
    days = sorted(Slot.objects.values_list("day", flat=True))
    # Thursday 1 May is Labour Day, Wednesday 30 April the local day off, 3-4 May a weekend.
    assert days == [date(2025, 4, 28), date(2025, 4, 29), date(2025, 5, 2)]
    assert created == 3
    # Run again: nothing new, existing slots kept.
    assert (
        services.slots_generate(
            user=head, unit=presence.counter_a, first=MONDAY, last=date(2025, 5, 4)
        )
        == 0
    )


def test_generating_needs_a_plan_and_a_sane_range(presence):
    head = presence.users["head_a"]
    with pytest.raises(ValidationError) as exc:
        services.slots_generate(user=head, unit=presence.counter_a, first=MONDAY, last=MONDAY)
    assert "first" in _errors(exc)
    services.slot_plan_add(user=head, unit=presence.counter_a, weekday=0, start=time(8), capacity=1)
    with pytest.raises(ValidationError) as exc:
        services.slots_generate(
            user=head, unit=presence.counter_a, first=MONDAY, last=date(2025, 4, 1)
        )
    assert "last" in _errors(exc)
    with pytest.raises(PermissionDenied):
        services.slots_generate(
            user=presence.users["officer_a"], unit=presence.counter_a, first=MONDAY, last=MONDAY
        )


# --- the applicant -----------------------------------------------------------------------------


@pytest.fixture
def sr(presence) -> ServiceRequest:
    return factories.submit(presence, at=local(2025, 3, 27))


def test_booking_with_the_contact_in_another_spelling(presence, sr):
    s = slot(presence, date(2025, 4, 2))
    booked = services.booking_make(
        receipt=sr.receipt_code.lower(), contact="+62 812 3456 7890", slot_id=s.pk, now=NOW
    )
    assert booked.booking.status == BookingStatus.BOOKED and booked.moved_from is None
    s.refresh_from_db()
    assert s.booked == 1
    assert AuditEntry.objects.filter(action="booking.make").count() == 1


def test_a_stranger_gets_one_answer_for_a_wrong_code_or_a_wrong_contact(presence, sr):
    s = slot(presence, date(2025, 4, 2))
    answers = []
    for receipt, contact in [
        ("ZZZZZZZZZZ", CONTACT),
        (sr.receipt_code, "0899-0000-0000"),
        ("", ""),
    ]:
        with pytest.raises(ValidationError) as exc:
            services.booking_make(receipt=receipt, contact=contact, slot_id=s.pk, now=NOW)
        answers.append(_errors(exc))
    assert answers[0] == answers[1] == answers[2]
    assert list(answers[0]) == ["receipt"]
    assert not Booking.objects.exists()


def test_only_open_requests_of_services_that_need_presence(presence, sr):
    s = slot(presence, date(2025, 4, 2))
    other = factories.submit(presence, at=local(2025, 3, 27), service=presence.rujukan)
    with pytest.raises(ValidationError) as exc:
        services.booking_make(receipt=other.receipt_code, contact=CONTACT, slot_id=s.pk, now=NOW)
    assert "does not need you" in _errors(exc)["receipt"][0]
    ServiceRequest.objects.filter(pk=sr.pk).update(status=Status.COMPLETED)
    with pytest.raises(ValidationError) as exc:
        services.booking_make(receipt=sr.receipt_code, contact=CONTACT, slot_id=s.pk, now=NOW)
    assert "finished" in _errors(exc)["receipt"][0]


def test_a_slot_of_another_unit_or_in_the_past_is_refused(presence, sr):
    elsewhere = Slot.objects.create(
        unit=presence.puskesmas_b, day=date(2025, 4, 2), start=time(9), capacity=5
    )
    past = slot(presence, date(2025, 3, 27))
    for bad, word in [(elsewhere, "Choose one"), (past, "passed")]:
        with pytest.raises(ValidationError) as exc:
            services.booking_make(receipt=sr.receipt_code, contact=CONTACT, slot_id=bad.pk, now=NOW)
        assert word in _errors(exc)["slot"][0]
    assert not Booking.objects.exists()


def test_a_full_slot_is_refused_and_nothing_is_written(presence, sr):
    s = slot(presence, date(2025, 4, 2), capacity=1)
    first = factories.submit(presence, at=local(2025, 3, 27))
    services.booking_make(receipt=first.receipt_code, contact=CONTACT, slot_id=s.pk, now=NOW)
    with pytest.raises(ValidationError) as exc:
        services.booking_make(receipt=sr.receipt_code, contact=CONTACT, slot_id=s.pk, now=NOW)
    assert _errors(exc) == {"slot": ["This time is full; choose another."]}
    s.refresh_from_db()
    assert s.booked == 1
    assert Booking.objects.filter(request=sr).count() == 0


def test_rebooking_moves_the_one_booking_and_frees_the_old_seat(presence, sr):
    a, b = slot(presence, date(2025, 4, 2)), slot(presence, date(2025, 4, 3))
    services.booking_make(receipt=sr.receipt_code, contact=CONTACT, slot_id=a.pk, now=NOW)
    again = services.booking_make(receipt=sr.receipt_code, contact=CONTACT, slot_id=a.pk, now=NOW)
    assert again.moved_from is None  # the same time twice: one booking, one seat
    moved = services.booking_make(receipt=sr.receipt_code, contact=CONTACT, slot_id=b.pk, now=NOW)
    assert moved.moved_from == a
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.booked, b.booked) == (0, 1)
    assert Booking.objects.filter(request=sr).count() == 1
    assert AuditEntry.objects.filter(action="booking.move").count() == 1


def test_cancel_frees_the_seat_and_then_there_is_nothing_to_cancel(presence, sr):
    s = slot(presence, date(2025, 4, 2), capacity=1)
    services.booking_make(receipt=sr.receipt_code, contact=CONTACT, slot_id=s.pk, now=NOW)
    with pytest.raises(ValidationError):  # a stranger cannot cancel it
        services.booking_cancel(receipt=sr.receipt_code, contact="0811", now=NOW)
    cancelled = services.booking_cancel(receipt=sr.receipt_code, contact=CONTACT, now=NOW)
    assert cancelled.status == BookingStatus.CANCELLED
    s.refresh_from_db()
    assert s.booked == 0
    with pytest.raises(ValidationError) as exc:
        services.booking_cancel(receipt=sr.receipt_code, contact=CONTACT, now=NOW)
    assert "no booking" in _errors(exc)["receipt"][0]
    # The seat is free again for someone else, and the request may book anew.
    services.booking_make(receipt=sr.receipt_code, contact=CONTACT, slot_id=s.pk, now=NOW)


# --- the officer -------------------------------------------------------------------------------


def test_no_show_only_after_the_time_by_an_officer_of_the_unit(presence, sr):
    s = slot(presence, date(2025, 4, 2), at=time(9))
    booking = services.booking_make(
        receipt=sr.receipt_code, contact=CONTACT, slot_id=s.pk, now=NOW
    ).booking
    officer = presence.users["officer_a"]
    with pytest.raises(ValidationError) as exc:
        services.booking_mark_no_show(user=officer, booking=booking, now=local(2025, 4, 2, 8, 59))
    assert "not come yet" in _errors(exc)["status"][0]
    with pytest.raises(PermissionDenied):
        services.booking_mark_no_show(
            user=presence.users["officer_b"], booking=booking, now=local(2025, 4, 2, 10)
        )
    marked = services.booking_mark_no_show(user=officer, booking=booking, now=local(2025, 4, 2, 10))
    assert marked.status == BookingStatus.NO_SHOW
    assert AuditEntry.objects.filter(action="booking.no_show").count() == 1
    with pytest.raises(ValidationError):
        services.booking_mark_no_show(user=officer, booking=booking, now=local(2025, 4, 2, 11))


@pytest.mark.parametrize(
    ("contact", "shown"),
    [("0812-3456-7890", "•••7890"), ("ahmad@contoh.id", "a•••@contoh.id"), ("12", "•••")],
)
def test_the_day_list_masks_the_contact(contact, shown):
    assert services.mask_contact(contact) == shown


def test_a_booking_whose_time_has_passed_is_not_moved(presence, sr):
    a, b = slot(presence, date(2025, 4, 2)), slot(presence, date(2025, 4, 9))
    services.booking_make(receipt=sr.receipt_code, contact=CONTACT, slot_id=a.pk, now=NOW)
    with pytest.raises(ValidationError) as exc:
        services.booking_make(
            receipt=sr.receipt_code, contact=CONTACT, slot_id=b.pk, now=local(2025, 4, 3)
        )
    assert "has passed" in _errors(exc)["slot"][0]
    a.refresh_from_db()
    assert a.booked == 1 and Booking.objects.get(request=sr).slot == a


def test_the_reminder_goes_the_day_before_once_per_booking(presence, sr):
    from sigap.notifications.models import Outbox

    s = slot(presence, date(2025, 4, 2), at=time(10))
    services.booking_make(receipt=sr.receipt_code, contact=CONTACT, slot_id=s.pk, now=NOW)
    assert services.booking_reminders(today=date(2025, 3, 31)) == 0  # two days before: not yet
    assert services.booking_reminders(today=date(2025, 4, 1)) == 1
    assert services.booking_reminders(today=date(2025, 4, 1)) == 0  # a rerun adds nothing
    (row,) = Outbox.objects.filter(request=sr, event="slot_reminder")
    assert "besok" in row.text and "Rabu, 2 April 2025" in row.text and "pukul 10.00" in row.text
    assert presence.counter_a.name in row.text and "/antrian-loket/" in row.text
    assert "/permohonan-saya/" in row.text
    assert AuditEntry.objects.filter(action="booking.remind").count() == 1
    # A cancelled booking gets no reminder.
    services.booking_cancel(receipt=sr.receipt_code, contact=CONTACT, now=NOW)
    Outbox.objects.all().delete()
    assert services.booking_reminders(today=date(2025, 4, 1)) == 0
