"""Integrity results are computed, never edited: read-only in the admin."""

from django.contrib import admin

from sigap.integrity.models import IntegrityRun, IntegritySignal, SignalDecision
from sigap.web.admin import ReadOnlyAdmin


@admin.register(IntegrityRun)
class IntegrityRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "period_start", "period_end", "requests", "signals", "flagged"]


@admin.register(IntegritySignal)
class IntegritySignalAdmin(ReadOnlyAdmin):
    list_display = ["kind", "unit", "officer", "service", "flagged", "value"]
    list_filter = ["kind", "flagged"]
    list_select_related = ["unit", "officer", "service"]


@admin.register(SignalDecision)
class SignalDecisionAdmin(ReadOnlyAdmin):
    """Decided through `signal_decide` on the signal page (audited), never here."""

    list_display = ["decided_at", "kind", "officer", "outcome", "unit"]
    list_filter = ["kind", "outcome"]
    list_select_related = ["officer", "unit"]
