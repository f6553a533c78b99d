"""The demo's counter bookings: a weekly slot plan for each unit that serves a service needing
the applicant in person, its slots on the agency's working days from six weeks before the end
date to two weeks after, and bookings of the recent requests of those services, some of them
no-shows and a few cancelled.

Written through the ORM without the audit trail, like the rest of the demo's history.
Deterministic: the same seed and end date give the same rows.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from sigap.booking.models import Booking, BookingStatus, Slot, SlotPlan
from sigap.organisation.models import Agency, Unit
from sigap.service_requests.models import ServiceRequest

# The counter's weekly plan: hours and seats; Friday closes earlier (Friday prayers).
HOURS = (time(8), time(9), time(10), time(11), time(13), time(14))
FRIDAY_HOURS = (time(8), time(9), time(10))
CAPACITY = 4
DAYS_BEFORE = 42
DAYS_AFTER = 14
BOOKED_SHARE = 0.7  # of the recent requests of a presence service
P_NO_SHOW = 0.15
P_CANCELLED = 0.05


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(0)))


def wipe_bookings(*, agency_ids: list[int]) -> None:
    """Delete the demo's booking rows (call before deleting requests and units)."""
    units = Unit.objects.filter(agency_id__in=agency_ids)
    Booking.objects.filter(unit__in=units).delete()
    Slot.objects.filter(unit__in=units).delete()
    SlotPlan.objects.filter(unit__in=units).delete()


def build_bookings(*, seed: int, until: date, agency: Agency) -> dict[str, int]:
    """The plans, slots and bookings; returns counts for the demo log."""
    rng = random.Random(seed * 41 + 13)
    calendar = agency.working_calendar()
    units = list(
        Unit.objects.filter(
            agency=agency, services__standards__needs_presence=True
        ).distinct().order_by("id")
    )  # fmt: skip
    plans = [
        SlotPlan(unit=unit, weekday=weekday, start=start, capacity=CAPACITY)
        for unit in units
        for weekday in range(5)
        for start in (FRIDAY_HOURS if weekday == 4 else HOURS)
    ]
    SlotPlan.objects.bulk_create(plans)
    first, last = until - timedelta(days=DAYS_BEFORE), until + timedelta(days=DAYS_AFTER)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    slots = [
        Slot(unit=p.unit, day=day, start=p.start, capacity=p.capacity)
        for day in days
        if calendar.is_working_day(day)
        for p in plans
        if p.weekday == day.weekday()
    ]
    Slot.objects.bulk_create(slots)
    by_unit: dict[int, list[Slot]] = defaultdict(list)
    by_day: dict[tuple[int, date], list[Slot]] = defaultdict(list)
    for s in Slot.objects.filter(unit__in=units).order_by("day", "start"):
        by_unit[s.unit_id].append(s)
        by_day[s.unit_id, s.day].append(s)
    requests = list(
        ServiceRequest.objects.filter(
            unit__in=units,
            standard__needs_presence=True,
            # Datetime bounds, not __date: the (unit, submitted_at) index answers them.
            submitted_at__gte=_midnight(first - timedelta(days=7)),
            submitted_at__lt=_midnight(until + timedelta(days=1)),
        )
        .exclude(applicant_contact="")
        .order_by("id")
    )
    end_of_demo = _midnight(until + timedelta(days=1))
    bookings: list[Booking] = []
    taken: dict[int, int] = defaultdict(int)
    counts = {"plans": len(plans), "slots": len(slots), "bookings": 0, "no_shows": 0}
    for sr in requests:
        if rng.random() >= BOOKED_SHARE:
            continue
        submitted = timezone.localdate(sr.submitted_at)
        options = [
            s
            for n in range(1, 8)
            for s in by_day[sr.unit_id, submitted + timedelta(days=n)]
            if taken[s.pk] < s.capacity
        ]
        if not options:
            continue
        slot = rng.choice(options)
        booked_at = sr.submitted_at + timedelta(minutes=rng.randint(5, 600))
        status = BookingStatus.BOOKED
        if rng.random() < P_CANCELLED and slot.starts_at > booked_at + timedelta(hours=2):
            status = BookingStatus.CANCELLED
        elif slot.starts_at < end_of_demo and rng.random() < P_NO_SHOW:
            status = BookingStatus.NO_SHOW
            counts["no_shows"] += 1
        if status != BookingStatus.CANCELLED:
            taken[slot.pk] += 1
        changed = min(slot.starts_at + timedelta(hours=1), end_of_demo)
        bookings.append(
            Booking(
                slot=slot,
                request=sr,
                unit_id=sr.unit_id,
                status=status,
                created_at=booked_at,
                changed_at=changed if status != BookingStatus.BOOKED else booked_at,
            )
        )
    Booking.objects.bulk_create(bookings)
    held = [s for slots_of_unit in by_unit.values() for s in slots_of_unit if taken[s.pk]]
    for s in held:
        s.booked = taken[s.pk]
    Slot.objects.bulk_update(held, ["booked"], batch_size=500)
    counts["bookings"] = len(bookings)
    return counts
