"""Online applications in the admin: read-only (they are made by the public form only)."""

from django.contrib import admin

from sigap.applications.models import OnlineApplication
from sigap.web.admin import ReadOnlyAdmin


@admin.register(OnlineApplication)
class OnlineApplicationAdmin(ReadOnlyAdmin):
    list_display = ["request", "consent_at"]
    search_fields = ["request__receipt_code"]
    exclude = ["idempotency_key"]
    list_select_related = ("request",)
