"""Scorecards are computed, never edited: read-only in the admin. Roadmap actions change status
through the roadmap page (audited), so they are read-only here too."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sigap.leadership.models import RoadmapAction, ScorecardRefresh, ServiceScorecard, UnitScorecard


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ScorecardRefresh)
class ScorecardRefreshAdmin(_ReadOnly):
    list_display = [
        "finished_at",
        "as_of",
        "seconds",
        "unit_rows",
        "service_rows",
        "actions_created",
    ]


@admin.register(UnitScorecard)
class UnitScorecardAdmin(_ReadOnly):
    list_display = ["unit", "period_label", "volume", "sla_share", "ftr_share", "ikm"]
    list_filter = ["period_kind", "peer_group"]
    list_select_related = ["unit"]


@admin.register(ServiceScorecard)
class ServiceScorecardAdmin(_ReadOnly):
    list_display = ["unit", "service", "period_label", "volume", "sla_share"]
    list_filter = ["period_kind"]
    list_select_related = ["unit", "service"]


@admin.register(RoadmapAction)
class RoadmapActionAdmin(_ReadOnly):
    list_display = ["unit", "direction", "title", "priority", "status", "baseline_period"]
    list_filter = ["direction", "status"]
    list_select_related = ["unit"]
