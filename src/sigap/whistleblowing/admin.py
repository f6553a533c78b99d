"""WBS rows hold ciphertext only; the admin shows the routing fields and nothing editable."""

from django.contrib import admin

from sigap.web.admin import ReadOnlyAdmin
from sigap.whistleblowing.models import (
    Attachment,
    InspectorKey,
    KeyWrap,
    Message,
    ReceiptThrottle,
    Report,
)


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["pk", "unit", "status", "created_on", "delete_after"]
    list_filter = ["status"]
    fields = ["unit", "status", "created_on", "last_activity_on", "delete_after"]


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["pk", "report", "author", "created_on"]
    fields = ["report", "author", "created_on"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["pk", "report"]
    fields = ["report"]


@admin.register(KeyWrap)
class KeyWrapAdmin(ReadOnlyAdmin):
    list_display = ["pk", "report", "user"]
    fields = ["report", "user"]


@admin.register(InspectorKey)
class InspectorKeyAdmin(ReadOnlyAdmin):
    list_display = ["user", "created_on"]
    fields = ["user", "created_on"]


@admin.register(ReceiptThrottle)
class ReceiptThrottleAdmin(ReadOnlyAdmin):
    list_display = ["key", "count", "day"]
