"""The audit trail is read-only everywhere, the admin included."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sigap.audit.models import AuditChainHead, AuditEntry


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(_ReadOnly):
    list_display = ["seq", "at", "actor", "action", "object_type", "object_id", "unit"]
    list_filter = ["action"]
    search_fields = ["actor", "object_id"]
    list_select_related = ["unit"]
    show_full_result_count = False


@admin.register(AuditChainHead)
class AuditChainHeadAdmin(_ReadOnly):
    list_display = ["seq", "hash"]
