"""Admin pages are read-only: SKP state changes go through `services.py`."""

from django.contrib import admin

from sigap.appraisals.models import (
    AbsenceRecord,
    Appraisal,
    AppraisalCorrection,
    AppraisalHistory,
    EvidenceSnapshot,
    OrgRating,
    PerformancePlan,
    PlanIndicator,
    PlanResult,
    PotentialScore,
)
from sigap.web.admin import ReadOnlyAdmin


@admin.register(PerformancePlan)
class PerformancePlanAdmin(ReadOnlyAdmin):
    list_display = ["employee", "year", "unit", "period_kind", "status"]
    list_filter = ["year", "period_kind"]
    search_fields = ["employee__name", "employee__nip"]
    list_select_related = ["employee", "unit"]


@admin.register(PlanResult)
class PlanResultAdmin(ReadOnlyAdmin):
    list_display = ["plan", "order", "text"]
    list_select_related = ["plan__employee"]


@admin.register(PlanIndicator)
class PlanIndicatorAdmin(ReadOnlyAdmin):
    list_display = ["result", "text", "target", "evidence_key"]


@admin.register(Appraisal)
class AppraisalAdmin(ReadOnlyAdmin):
    list_display = ["plan", "period", "hasil_kerja", "perilaku_kerja", "predikat", "status"]
    list_filter = ["status", "predikat", "period"]
    list_select_related = ["plan__employee"]


@admin.register(AppraisalHistory)
class AppraisalHistoryAdmin(ReadOnlyAdmin):
    list_display = ["at", "action", "plan", "actor"]
    list_filter = ["action"]
    list_select_related = ["plan__employee", "actor"]


@admin.register(AppraisalCorrection)
class AppraisalCorrectionAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "appraisal", "old_predikat", "new_predikat", "by"]
    list_filter = ["kind"]
    list_select_related = ["appraisal__plan__employee", "by"]


@admin.register(OrgRating)
class OrgRatingAdmin(ReadOnlyAdmin):
    list_display = ["unit", "year", "predikat", "set_by", "set_at"]


@admin.register(PotentialScore)
class PotentialScoreAdmin(ReadOnlyAdmin):
    list_display = ["employee", "year", "score", "source"]
    search_fields = ["employee__name", "employee__nip"]
    list_select_related = ["employee"]


@admin.register(AbsenceRecord)
class AbsenceRecordAdmin(ReadOnlyAdmin):
    list_display = ["employee", "date", "note"]
    list_select_related = ["employee"]


@admin.register(EvidenceSnapshot)
class EvidenceSnapshotAdmin(ReadOnlyAdmin):
    list_display = ["employee", "year", "requests_handled", "sla_share", "rework_rate", "composite"]
    list_filter = ["year"]
    list_select_related = ["employee"]
