"""A unit that books its counter: the KTP-el standard needs the applicant in person."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from sigap.booking.models import Slot
from sigap.organisation.services import agency_calendar
from tests import factories


@pytest.fixture
def presence(world: factories.World) -> factories.World:
    world.ktp_standard.needs_presence = True
    world.ktp_standard.save(update_fields=["needs_presence"])
    return world


def slot(world: factories.World, day: date, at: time = time(9), capacity: int = 2) -> Slot:
    return Slot.objects.create(unit=world.counter_a, day=day, start=at, capacity=capacity)


def next_working_day(world: factories.World, after: date) -> date:
    calendar = agency_calendar(world.agency.pk)
    day = after + timedelta(days=1)
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


CONTACT = factories.APPLICANT.contact
