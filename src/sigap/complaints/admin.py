"""Complaints are read-only here: every change goes through `complaints.services`."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sigap.complaints.models import Complaint, ComplaintEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ["receipt_code", "category", "unit", "status", "submitted_at", "verify_due"]
    list_filter = ["status", "category", "channel"]
    search_fields = ["receipt_code"]
    list_select_related = ["unit"]
    exclude = ["client_hash"]
    show_full_result_count = False


@admin.register(ComplaintEvent)
class ComplaintEventAdmin(ReadOnlyAdmin):
    list_display = ["complaint", "seq", "action", "from_status", "to_status", "actor", "timestamp"]
    list_filter = ["action", "actor"]
    list_select_related = ["complaint"]
    show_full_result_count = False
