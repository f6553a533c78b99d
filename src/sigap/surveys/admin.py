"""Survey responses are read-only here: they are citizens' answers, never edited. Follow-up
plans too: they are written only through `survey_follow_up_add`, which checks who writes and
audits it."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sigap.surveys.models import SurveyFollowUp, SurveyResponse
from sigap.web.admin import ReadOnlyAdmin


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    list_display = ["pk", "service", "unit", "submitted_at", "channel"]
    list_filter = ["channel"]
    list_select_related = ["service", "unit"]
    exclude = ["client_hash"]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SurveyFollowUp)
class SurveyFollowUpAdmin(ReadOnlyAdmin):
    list_display = ["unit", "period", "element", "timeline", "responsible"]
    list_filter = ["period", "element"]
