"""The audit trail is read-only everywhere, the admin included."""

from django.contrib import admin

from sigap.audit.models import AuditChainHead, AuditEntry
from sigap.web.admin import ReadOnlyAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["seq", "at", "actor", "action", "object_type", "object_id", "unit"]
    list_filter = ["action"]
    search_fields = ["actor", "object_id"]
    list_select_related = ["unit"]
    show_full_result_count = False


@admin.register(AuditChainHead)
class AuditChainHeadAdmin(ReadOnlyAdmin):
    list_display = ["seq", "hash"]
