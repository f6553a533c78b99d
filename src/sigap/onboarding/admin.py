"""Onboarding records in the admin: read-only (imports go through `sigap onboard` and the page)."""

from django.contrib import admin

from sigap.onboarding.models import HistoryCase, ImportRun
from sigap.web.admin import ReadOnlyAdmin


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "agency", "kind", "file_name", "applied"]
    list_filter = ["kind", "applied"]
    search_fields = ["file_name"]


@admin.register(HistoryCase)
class HistoryCaseAdmin(ReadOnlyAdmin):
    list_display = ["source", "case_id", "request", "events"]
    search_fields = ["case_id", "request__receipt_code"]
    list_select_related = ("request",)
