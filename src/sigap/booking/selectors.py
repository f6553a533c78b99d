"""Reads of the counter slots: the day list of a unit and the officers' "today at the counter"
on their work home read the same rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Count, Q, Sum

from sigap.access import Action, scoped
from sigap.booking.models import Booking, BookingStatus, Slot
from sigap.organisation.models import Unit

if TYPE_CHECKING:
    from sigap.access import AnyUser


def day_slots(unit: Unit, day: date) -> list[tuple[Slot, list[Booking]]]:
    """The unit's slots on `day`, each with its bookings (cancelled ones left out)."""
    slots = list(Slot.objects.filter(unit=unit, day=day).order_by("start"))
    bookings: dict[int, list[Booking]] = defaultdict(list)
    for b in (
        Booking.objects.filter(slot__in=slots)
        .exclude(status=BookingStatus.CANCELLED)
        .select_related("request")
        .order_by("id")
    ):
        bookings[b.slot_id].append(b)
    return [(slot, bookings[slot.pk]) for slot in slots]


@dataclass(frozen=True)
class CounterDay:
    """One unit's counter on one day: its slots, their seats and the bookings in them."""

    unit: Unit
    slots: int
    seats: int
    booked: int


def counter_days(user: AnyUser, day: date) -> list[CounterDay]:
    """The units in the user's queue scope that have slots on `day`, with the figures of
    `day_slots` summed (the same bookings: cancelled ones left out)."""
    rows = (
        scoped(user, Action.QUEUE_VIEW, Slot.objects.filter(day=day))
        .values("unit_id")
        .annotate(
            slots=Count("pk", distinct=True),
            booked=Count("bookings", filter=~Q(bookings__status=BookingStatus.CANCELLED)),
        )
        .order_by()
    )
    seats = dict(
        scoped(user, Action.QUEUE_VIEW, Slot.objects.filter(day=day))
        .values("unit_id")
        .annotate(n=Sum("capacity"))
        .values_list("unit_id", "n")
        .order_by()
    )
    units = Unit.objects.in_bulk([r["unit_id"] for r in rows])
    return sorted(
        (
            CounterDay(units[r["unit_id"]], r["slots"], seats.get(r["unit_id"]) or 0, r["booked"])
            for r in rows
        ),
        key=lambda c: c.unit.path,
    )
