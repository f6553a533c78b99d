"""Counter slot booking (antrian online) for services whose standard needs the applicant in
person: the unit's weekly plan, the slots generated from it on working days, and bookings.

A slot keeps its own count of active bookings (`booked`); the write functions raise it with one
conditional UPDATE (`booked < capacity`), so two applicants racing for the last seat cannot both
win, on any number of server processes. The check constraint is the last line of defence.
"""

from __future__ import annotations

from datetime import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sigap.organisation.models import Unit
from sigap.service_requests.models import ServiceRequest


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class SlotPlan(models.Model):
    """One line of a unit's weekly template: on `weekday` at `start`, `capacity` applicants."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="slot_plans")
    weekday = models.PositiveSmallIntegerField(_("day of the week"), choices=Weekday.choices)
    start = models.TimeField(_("start time"))
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )

    class Meta:
        verbose_name = _("slot plan")
        verbose_name_plural = _("slot plans")
        ordering = ["unit", "weekday", "start"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "weekday", "start"], name="uniq_slot_plan"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="slot_plan_capacity_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_weekday_display()} {self.start:%H:%M}"


class Slot(models.Model):
    """A bookable time at a unit's counter on one working day."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="slots")
    day = models.DateField(_("day"))
    start = models.TimeField(_("start time"))
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    booked = models.PositiveSmallIntegerField(_("booked"), default=0)

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["unit", "day", "start"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "day", "start"], name="uniq_slot"),
            models.CheckConstraint(
                condition=Q(booked__gte=0) & Q(booked__lte=F("capacity")),
                name="slot_booked_within_capacity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.day} {self.start:%H:%M}"

    @property
    def starts_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.day, self.start))

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.booked)


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("booked")
    CANCELLED = "cancelled", _("cancelled")
    NO_SHOW = "no_show", _("did not come")


class Booking(models.Model):
    """A request's appointment at the counter. Moving it to another slot keeps the row."""

    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="bookings")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    created_at = models.DateTimeField(_("booked at"))
    changed_at = models.DateTimeField(_("last changed at"))

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["slot__day", "slot__start", "id"]
        constraints = [
            # One active booking per request: rebooking moves it.
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(status="booked"),
                name="uniq_active_booking_per_request",
            ),
        ]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return f"{self.request} @ {self.slot}"
