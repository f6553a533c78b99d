"""Competency records in the admin. Records HR writes (standards, assessments, training) are
written through the competency pages and imports (validated, audited), so they are read-only
here; computed results (gaps, plans, effects) are never edited by hand."""

from django.contrib import admin

from sigap.competency.models import (
    Assessment,
    CareerTarget,
    Competency,
    CompetencyGap,
    CompetencyLevel,
    DevelopmentPlan,
    GapRefresh,
    PlanItem,
    PositionRequirement,
    StandardVersion,
    StepCompetency,
    TrainingEffect,
    TrainingRecord,
)
from sigap.web.admin import ReadOnlyAdmin


@admin.register(Competency)
class CompetencyAdmin(ReadOnlyAdmin):
    list_display = ["name", "group", "agency"]
    list_filter = ["group"]
    search_fields = ["name", "code"]


@admin.register(CompetencyLevel)
class CompetencyLevelAdmin(ReadOnlyAdmin):
    list_display = ["competency", "level", "description"]
    list_select_related = ["competency"]


@admin.register(StandardVersion)
class StandardVersionAdmin(ReadOnlyAdmin):
    list_display = ["agency", "valid_from", "note"]


@admin.register(PositionRequirement)
class PositionRequirementAdmin(ReadOnlyAdmin):
    list_display = ["version", "position", "competency", "level"]
    list_select_related = ["version", "position", "competency"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["employee", "competency", "level", "assessed_on", "method"]
    list_filter = ["method", "source"]
    list_select_related = ["employee", "competency"]
    search_fields = ["employee__nip", "employee__name"]


@admin.register(CareerTarget)
class CareerTargetAdmin(ReadOnlyAdmin):
    list_display = ["employee", "position", "set_on"]
    list_select_related = ["employee", "position"]


@admin.register(StepCompetency)
class StepCompetencyAdmin(ReadOnlyAdmin):
    list_display = ["service", "step", "competency"]
    list_select_related = ["service", "competency"]


@admin.register(TrainingRecord)
class TrainingRecordAdmin(ReadOnlyAdmin):
    list_display = ["employee", "title", "route", "starts_on", "ends_on", "jp"]
    list_filter = ["route", "source"]
    list_select_related = ["employee"]
    search_fields = ["employee__nip", "employee__name", "title"]


@admin.register(GapRefresh)
class GapRefreshAdmin(ReadOnlyAdmin):
    list_display = ["finished_at", "seconds", "gaps"]


@admin.register(CompetencyGap)
class CompetencyGapAdmin(ReadOnlyAdmin):
    list_display = ["employee", "competency", "kind", "size"]
    list_filter = ["kind"]
    list_select_related = ["employee", "competency"]


@admin.register(DevelopmentPlan)
class DevelopmentPlanAdmin(ReadOnlyAdmin):
    list_display = ["year", "agency", "unit", "status"]
    list_filter = ["status", "year"]


@admin.register(PlanItem)
class PlanItemAdmin(ReadOnlyAdmin):
    list_display = ["plan", "rank", "competency", "route", "priority"]
    list_select_related = ["plan", "competency"]


@admin.register(TrainingEffect)
class TrainingEffectAdmin(ReadOnlyAdmin):
    list_display = ["title", "step", "kpi", "conclusion", "estimate"]
    list_filter = ["conclusion", "kpi"]
