"""Integrity results are computed, never edited: read-only in the admin."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sigap.integrity.models import IntegrityRun, IntegritySignal


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(IntegrityRun)
class IntegrityRunAdmin(_ReadOnly):
    list_display = ["started_at", "period_start", "period_end", "requests", "signals", "flagged"]


@admin.register(IntegritySignal)
class IntegritySignalAdmin(_ReadOnly):
    list_display = ["kind", "unit", "officer", "service", "flagged", "value"]
    list_filter = ["kind", "flagged"]
    list_select_related = ["unit", "officer", "service"]
