"""Scorecards are computed, never edited: read-only in the admin. Roadmap actions change status
through the roadmap page (audited), so they are read-only here too."""

from django.contrib import admin

from sigap.leadership.models import RoadmapAction, ScorecardRefresh, ServiceScorecard, UnitScorecard
from sigap.web.admin import ReadOnlyAdmin


@admin.register(ScorecardRefresh)
class ScorecardRefreshAdmin(ReadOnlyAdmin):
    list_display = [
        "finished_at",
        "as_of",
        "seconds",
        "unit_rows",
        "service_rows",
        "actions_created",
    ]


@admin.register(UnitScorecard)
class UnitScorecardAdmin(ReadOnlyAdmin):
    list_display = ["unit", "period_label", "volume", "sla_share", "ftr_share", "ikm"]
    list_filter = ["period_kind", "peer_group"]
    list_select_related = ["unit"]


@admin.register(ServiceScorecard)
class ServiceScorecardAdmin(ReadOnlyAdmin):
    list_display = ["unit", "service", "period_label", "volume", "sla_share"]
    list_filter = ["period_kind"]
    list_select_related = ["unit", "service"]


@admin.register(RoadmapAction)
class RoadmapActionAdmin(ReadOnlyAdmin):
    list_display = ["unit", "direction", "title", "priority", "status", "baseline_period"]
    list_filter = ["direction", "status"]
    list_select_related = ["unit"]
