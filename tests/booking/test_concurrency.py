"""Parallel bookings for the last seat, on real separate connections: exactly one wins."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from sigap.booking import services
from sigap.booking.models import Booking, BookingStatus, Slot
from tests import factories
from tests.booking.conftest import CONTACT, slot
from tests.conftest import local

NOW = local(2025, 3, 28, 8)
RACERS = 8


@pytest.mark.django_db(transaction=True)
def test_parallel_bookings_for_the_last_seat_one_wins():
    if connection.vendor != "postgresql":
        pytest.skip("the row lock is PostgreSQL's; SQLite serialises writers (BEGIN IMMEDIATE)")
    world = factories.build_world()
    world.ktp_standard.needs_presence = True
    world.ktp_standard.save(update_fields=["needs_presence"])
    s = slot(world, date(2025, 4, 2), capacity=3)
    # Two seats already taken: the racers compete for the last one.
    for _ in range(2):
        taken = factories.submit(world, at=local(2025, 3, 27))
        services.booking_make(receipt=taken.receipt_code, contact=CONTACT, slot_id=s.pk, now=NOW)
    codes = [factories.submit(world, at=local(2025, 3, 27)).receipt_code for _ in range(RACERS)]
    start = threading.Barrier(RACERS)
    won: list[str] = []
    full: list[str] = []
    errors: list[BaseException] = []

    def racer(code: str) -> None:
        try:
            start.wait()
            with translation.override("en"):  # a thread starts without the test's language
                services.booking_make(receipt=code, contact=CONTACT, slot_id=s.pk, now=NOW)
            won.append(code)
        except ValidationError as exc:
            full.append(exc.message_dict["slot"][0])
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=racer, args=(code,)) for code in codes]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(won) == 1
    assert full == ["This time is full; choose another."] * (RACERS - 1)
    s.refresh_from_db()
    assert s.booked == s.capacity == 3
    assert Booking.objects.filter(slot=s, status=BookingStatus.BOOKED).count() == 3
    assert Slot.objects.get(pk=s.pk).booked == 3


@pytest.mark.django_db(transaction=True)
def test_two_applicants_swapping_slots_at_once_do_not_deadlock():
    if connection.vendor != "postgresql":
        pytest.skip("the row lock is PostgreSQL's; SQLite serialises writers (BEGIN IMMEDIATE)")
    world = factories.build_world()
    world.ktp_standard.needs_presence = True
    world.ktp_standard.save(update_fields=["needs_presence"])
    a, b = slot(world, date(2025, 4, 2)), slot(world, date(2025, 4, 3))
    one, two = (factories.submit(world, at=local(2025, 3, 27)) for _ in range(2))
    services.booking_make(receipt=one.receipt_code, contact=CONTACT, slot_id=a.pk, now=NOW)
    services.booking_make(receipt=two.receipt_code, contact=CONTACT, slot_id=b.pk, now=NOW)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def move(code: str, to: int) -> None:
        try:
            for _ in range(10):
                start.wait()
                services.booking_make(receipt=code, contact=CONTACT, slot_id=to, now=NOW)
                to = a.pk if to == b.pk else b.pk
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=move, args=(one.receipt_code, b.pk)),
        threading.Thread(target=move, args=(two.receipt_code, a.pk)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.booked + b.booked == 2
    assert Booking.objects.filter(status=BookingStatus.BOOKED).count() == 2
