"""Exchanges with national systems in the admin: read-only, a record of what was called."""

from django.contrib import admin

from sigap.integrations.models import Exchange
from sigap.web.admin import ReadOnlyAdmin


@admin.register(Exchange)
class ExchangeAdmin(ReadOnlyAdmin):
    list_display = ["at", "system", "operation", "direction", "object_ref", "ok", "status_code"]
    list_filter = ["system", "ok", "direction"]
    search_fields = ["object_ref", "operation"]
