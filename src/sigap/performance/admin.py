"""Performance results are computed, never edited: read-only in the admin."""

from django.contrib import admin

from sigap.performance.models import (
    DataQualityFinding,
    OfficerScore,
    PerformanceRun,
    ProcessDeviation,
    StepBottleneck,
    UnitServicePerformance,
)
from sigap.web.admin import ReadOnlyAdmin


@admin.register(PerformanceRun)
class PerformanceRunAdmin(ReadOnlyAdmin):
    list_display = ["finished_at", "seconds", "changed_cases", "total_events", "watermark"]


@admin.register(UnitServicePerformance)
class UnitServicePerformanceAdmin(ReadOnlyAdmin):
    list_display = ["unit", "service", "volume", "lead_wd_median", "sla_share", "backlog_open"]
    list_select_related = ["unit", "service"]


@admin.register(StepBottleneck)
class StepBottleneckAdmin(ReadOnlyAdmin):
    list_display = ["perf", "rank", "activity", "total_wait_days", "share_of_waiting"]
    list_select_related = ["perf__unit", "perf__service"]


@admin.register(ProcessDeviation)
class ProcessDeviationAdmin(ReadOnlyAdmin):
    list_display = ["perf", "rank", "kind", "activity", "cases"]
    list_select_related = ["perf__unit", "perf__service"]


@admin.register(OfficerScore)
class OfficerScoreAdmin(ReadOnlyAdmin):
    list_display = ["perf", "officer", "cases", "sla_share", "rework_caused"]
    list_select_related = ["perf__unit", "perf__service", "officer"]


@admin.register(DataQualityFinding)
class DataQualityFindingAdmin(ReadOnlyAdmin):
    list_display = ["run", "unit", "code", "count", "total"]
    list_select_related = ["run", "unit"]
