"""The demo's counter bookings: slots only on working days, seats never over capacity, the
booked counters agree with the bookings, and some no-shows on the officer's day list."""

from __future__ import annotations

import pytest
from django.db.models import Count, Q
from django.test import Client

from sigap.booking.models import Booking, BookingStatus, Slot
from sigap.catalogue.models import ServiceStandard
from sigap.organisation.models import Agency
from tests.demo.conftest import UNTIL

pytestmark = pytest.mark.django_db


def test_flagged_services_get_slots_on_working_days_and_bookings(small_demo: str) -> None:
    flagged = set(
        ServiceStandard.objects.filter(needs_presence=True).values_list("service__code", flat=True)
    )
    assert flagged == {"dukcapil-ktp-el", "dukcapil-legalisir", "disdik-legalisir-ijazah",
                       "dishub-kir"}  # fmt: skip
    calendar = Agency.objects.get().working_calendar()
    days = set(Slot.objects.values_list("day", flat=True))
    assert days and all(calendar.is_working_day(d) for d in days)
    assert max(days) > UNTIL  # bookable times after the demo's end date
    counted = Slot.objects.annotate(
        held=Count("bookings", filter=~Q(bookings__status=BookingStatus.CANCELLED))
    )
    assert all(s.held == s.booked <= s.capacity for s in counted)
    statuses = dict(Booking.objects.values_list("status").annotate(n=Count("id")))
    assert statuses[BookingStatus.BOOKED] > 10
    assert 0 < statuses[BookingStatus.NO_SHOW] < statuses[BookingStatus.BOOKED]
    assert not Booking.objects.filter(
        status=BookingStatus.NO_SHOW, slot__day__gt=UNTIL
    ).exists()  # a no-show only once the time has passed


def test_the_demo_officer_sees_the_no_shows_of_a_day(small_demo: str) -> None:
    from django.contrib.auth import get_user_model

    no_show = (
        Booking.objects.filter(status=BookingStatus.NO_SHOW, unit__code="dukcapil-loket-dafduk")
        .select_related("slot", "request")
        .first()
    )
    assert no_show is not None
    client = Client()
    client.force_login(get_user_model().objects.get(username="demo.petugas"))
    page = client.get(
        "/antrian-loket/harian/",
        {"unit": no_show.unit_id, "tanggal": no_show.slot.day.isoformat()},
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert no_show.request.receipt_code in html
    assert no_show.request.applicant_contact not in html  # masked
