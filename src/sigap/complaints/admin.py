"""Complaints are read-only here: every change goes through `complaints.services`."""

from django.contrib import admin

from sigap.complaints.models import Complaint, ComplaintEvent
from sigap.web.admin import ReadOnlyAdmin


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ["receipt_code", "category", "unit", "status", "submitted_at", "verify_due"]
    list_filter = ["status", "category", "channel"]
    search_fields = ["receipt_code"]
    list_select_related = ["unit"]
    exclude = ["client_hash", "reporter_key_hash"]
    show_full_result_count = False


@admin.register(ComplaintEvent)
class ComplaintEventAdmin(ReadOnlyAdmin):
    list_display = ["complaint", "seq", "action", "from_status", "to_status", "actor", "timestamp"]
    list_filter = ["action", "actor"]
    list_select_related = ["complaint"]
    show_full_result_count = False
