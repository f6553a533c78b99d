"""Innovation records in the admin, read-only: the registry, ideas and IID answers are written
through the innovation pages (validated, audited); measured effects are computed, never edited."""

from django.contrib import admin

from sigap.innovation.models import (
    Endorsement,
    Idea,
    IndicatorAnswer,
    Innovation,
    InterventionEffect,
    Replication,
    SpdAnswer,
    StageChange,
)
from sigap.web.admin import ReadOnlyAdmin


@admin.register(Innovation)
class InnovationAdmin(ReadOnlyAdmin):
    list_display = ["name", "agency", "stage", "initiated_on", "applied_on"]
    list_filter = ["stage", "kind", "form"]
    search_fields = ["name"]


@admin.register(StageChange)
class StageChangeAdmin(ReadOnlyAdmin):
    list_display = ["innovation", "stage", "on", "at"]
    list_select_related = ["innovation"]


@admin.register(Replication)
class ReplicationAdmin(ReadOnlyAdmin):
    list_display = ["original", "adopter_unit", "adopter_region", "adopted_on"]
    list_select_related = ["original", "adopter_unit"]


@admin.register(IndicatorAnswer)
class IndicatorAnswerAdmin(ReadOnlyAdmin):
    list_display = ["innovation", "frame", "indicator", "parameter"]
    list_filter = ["frame"]
    list_select_related = ["innovation"]


@admin.register(SpdAnswer)
class SpdAnswerAdmin(ReadOnlyAdmin):
    list_display = ["agency", "frame", "indicator", "weight", "parameter"]
    list_filter = ["frame"]


@admin.register(Idea)
class IdeaAdmin(ReadOnlyAdmin):
    list_display = ["title", "unit", "status", "proposed_at"]
    list_filter = ["status", "source"]
    list_select_related = ["unit"]


@admin.register(Endorsement)
class EndorsementAdmin(ReadOnlyAdmin):
    list_display = ["idea", "employee", "at"]
    list_select_related = ["idea", "employee"]


@admin.register(InterventionEffect)
class InterventionEffectAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kpi", "starts_on", "conclusion", "primary", "confidence"]
    list_filter = ["subject", "kpi", "conclusion", "primary"]
