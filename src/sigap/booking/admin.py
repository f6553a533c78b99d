"""Slots and bookings change only through sigap.booking.services (audited): read-only here."""

from django.contrib import admin

from sigap.booking.models import Booking, Slot, SlotPlan
from sigap.web.admin import ReadOnlyAdmin


@admin.register(SlotPlan)
class SlotPlanAdmin(ReadOnlyAdmin):
    list_display = ["unit", "weekday", "start", "capacity"]
    list_filter = ["weekday"]


@admin.register(Slot)
class SlotAdmin(ReadOnlyAdmin):
    list_display = ["unit", "day", "start", "capacity", "booked"]
    date_hierarchy = "day"


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    list_display = ["request", "slot", "status", "changed_at"]
    list_filter = ["status"]
    raw_id_fields = ["slot", "request"]
