"""Integrity results are computed, never edited: read-only in the admin."""

from django.contrib import admin

from sigap.integrity.models import (
    IntegrityRun,
    IntegritySignal,
    SignalDecision,
    SignalFollowUp,
    SignalFollowUpEvent,
)
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


@admin.register(SignalFollowUp)
class SignalFollowUpAdmin(ReadOnlyAdmin):
    """Assigned and closed through `signal_assign` / `signal_close` (audited), never here."""

    list_display = ["updated_at", "kind", "unit", "officer", "service", "assignee", "closed_at"]
    list_filter = ["kind"]
    list_select_related = ["unit", "officer", "service", "assignee"]


@admin.register(SignalFollowUpEvent)
class SignalFollowUpEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "follow_up", "action", "assignee", "by"]
    list_filter = ["action"]
