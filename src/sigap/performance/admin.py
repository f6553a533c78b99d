"""Performance results are computed, never edited: read-only in the admin."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sigap.performance.models import (
    OfficerScore,
    PerformanceRun,
    ProcessDeviation,
    StepBottleneck,
    UnitServicePerformance,
)


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PerformanceRun)
class PerformanceRunAdmin(_ReadOnly):
    list_display = ["finished_at", "seconds", "changed_cases", "total_events", "watermark"]


@admin.register(UnitServicePerformance)
class UnitServicePerformanceAdmin(_ReadOnly):
    list_display = ["unit", "service", "volume", "lead_wd_median", "sla_share", "backlog_open"]
    list_select_related = ["unit", "service"]


@admin.register(StepBottleneck)
class StepBottleneckAdmin(_ReadOnly):
    list_display = ["perf", "rank", "activity", "total_wait_days", "share_of_waiting"]
    list_select_related = ["perf__unit", "perf__service"]


@admin.register(ProcessDeviation)
class ProcessDeviationAdmin(_ReadOnly):
    list_display = ["perf", "rank", "kind", "activity", "cases"]
    list_select_related = ["perf__unit", "perf__service"]


@admin.register(OfficerScore)
class OfficerScoreAdmin(_ReadOnly):
    list_display = ["perf", "officer", "cases", "sla_share", "rework_caused"]
    list_select_related = ["perf__unit", "perf__service", "officer"]
