from typing import Any

from django.contrib import admin
from django.db.models import ForeignKey
from django.http import HttpRequest

from sigap.catalogue.models import (
    Consultation,
    ConsultationComment,
    LifeEvent,
    ProcedureStep,
    Service,
    ServiceStandard,
)


class ProcedureStepInline(admin.TabularInline):
    model = ProcedureStep
    extra = 0
    fields = [
        "order",
        "name",
        "expected_minutes",
        "done_by_role",
        "done_by_position",
        "other_officer_than",
    ]

    def formfield_for_foreignkey(
        self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> Any:
        # Four eyes refers to a step of the same standard: offer only those.
        if db_field.name == "other_officer_than":
            match = request.resolver_match
            standard_id = match.kwargs.get("object_id") if match else None
            kwargs["queryset"] = ProcedureStep.objects.filter(standard_id=standard_id or 0)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "unit", "is_active", "document_retention_days"]
    list_filter = ["is_active", "life_events"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["unit"]
    filter_horizontal = ["life_events"]


@admin.register(LifeEvent)
class LifeEventAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]
    list_editable = ["order"]
    search_fields = ["name", "code", "description"]


@admin.register(ServiceStandard)
class ServiceStandardAdmin(admin.ModelAdmin):
    list_display = [
        "service",
        "version",
        "valid_from",
        "valid_until",
        "sla_working_days",
        "tariff_rupiah",
    ]
    search_fields = ["service__name"]
    autocomplete_fields = ["service"]
    inlines = [ProcedureStepInline]
    # Requirements, procedure and versions are edited in sigap's own editor (/standar-pelayanan/),
    # which validates each row and keeps published versions unchanged.


@admin.register(ProcedureStep)
class ProcedureStepAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "order",
        "standard",
        "expected_minutes",
        "done_by_role",
        "done_by_position",
    ]
    search_fields = ["name", "standard__service__name"]
    autocomplete_fields = ["standard", "other_officer_than"]


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["standard", "opens_on", "closes_on", "hearing_on"]
    search_fields = ["standard__service__name"]
    autocomplete_fields = ["standard"]


@admin.register(ConsultationComment)
class ConsultationCommentAdmin(admin.ModelAdmin):
    list_display = ["consultation", "submitted_at", "status"]
    list_filter = ["status"]
    search_fields = ["consultation__standard__service__name"]
    autocomplete_fields = ["consultation", "answered_by"]
