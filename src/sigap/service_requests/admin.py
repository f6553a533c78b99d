"""Admin views are read-only for requests and events: state changes go through the write
functions in `services.py`, never through a generic edit form."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from sigap.service_requests.models import RequestFact, ServiceEvent, ServiceRequest, TrackingLookup
from sigap.web.admin import ReadOnlyAdmin


class ServiceEventInline(admin.TabularInline):
    model = ServiceEvent
    extra = 0
    can_delete = False
    readonly_fields = ("seq", "activity", "outcome", "officer", "timestamp", "note")
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ServiceRequest)
class ServiceRequestAdmin(ReadOnlyAdmin):
    list_display = ["receipt_code", "service", "unit", "status", "submitted_at", "due_date"]
    list_filter = ["status", "channel"]
    search_fields = ["receipt_code"]
    exclude = ["applicant_nik_hash"]
    inlines = [ServiceEventInline]
    # Prefetch instead of a join: on SQLite the join makes the planner sort the whole table.
    list_select_related = ()
    show_full_result_count = False  # no COUNT(*) over 200,000 rows on every page

    def get_queryset(self, request: HttpRequest) -> QuerySet[ServiceRequest]:
        return super().get_queryset(request).prefetch_related("service", "unit")


@admin.register(ServiceEvent)
class ServiceEventAdmin(ReadOnlyAdmin):
    list_display = ["request", "seq", "activity", "outcome", "officer", "timestamp"]
    list_filter = ["outcome"]
    search_fields = ["request__receipt_code"]
    list_select_related = ()
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[ServiceEvent]:
        return super().get_queryset(request).prefetch_related("request", "officer")


@admin.register(TrackingLookup)
class TrackingLookupAdmin(ReadOnlyAdmin):
    """Counts only: written by the public tracking page (and the demo), never by hand."""

    list_display = ["request", "day", "lookups"]
    date_hierarchy = "day"
    search_fields = ["request__receipt_code"]
    list_select_related = ()
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[TrackingLookup]:
        return super().get_queryset(request).prefetch_related("request")


@admin.register(RequestFact)
class RequestFactAdmin(ReadOnlyAdmin):
    """The stored case facts, for checking a figure down to a request; written only by the
    write functions (`sigap.service_requests.facts`)."""

    list_display = [
        "request", "service", "unit", "submitted_on", "closed_on", "lead_working_days",
        "paused_working_days", "within_sla", "first_time_right",
    ]  # fmt: skip
    list_filter = ["within_sla", "first_time_right", "channel"]
    search_fields = ["request__receipt_code"]
    list_select_related = ()
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[RequestFact]:
        return super().get_queryset(request).prefetch_related("request", "service", "unit")
