"""WBS rows hold ciphertext only; the admin shows the routing fields and nothing editable."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sigap.whistleblowing.models import (
    Attachment,
    InspectorKey,
    KeyWrap,
    Message,
    ReceiptThrottle,
    Report,
)


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(_ReadOnly):
    list_display = ["pk", "unit", "status", "created_on", "delete_after"]
    list_filter = ["status"]
    fields = ["unit", "status", "created_on", "last_activity_on", "delete_after"]


@admin.register(Message)
class MessageAdmin(_ReadOnly):
    list_display = ["pk", "report", "author", "created_on"]
    fields = ["report", "author", "created_on"]


@admin.register(Attachment)
class AttachmentAdmin(_ReadOnly):
    list_display = ["pk", "report"]
    fields = ["report"]


@admin.register(KeyWrap)
class KeyWrapAdmin(_ReadOnly):
    list_display = ["pk", "report", "user"]
    fields = ["report", "user"]


@admin.register(InspectorKey)
class InspectorKeyAdmin(_ReadOnly):
    list_display = ["user", "created_on"]
    fields = ["user", "created_on"]


@admin.register(ReceiptThrottle)
class ReceiptThrottleAdmin(_ReadOnly):
    list_display = ["key", "count", "day"]
