from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import ForeignKey
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sigap.catalogue.models import (
    Consultation,
    ConsultationComment,
    LifeEvent,
    ProcedureStep,
    Service,
    ServiceStandard,
)


def _published(standard: ServiceStandard | None) -> bool:
    """A standard that has been set (it has a start date) is the record requests were judged
    against: nobody edits or deletes it, in the admin either; a change is a new version."""
    return standard is not None and standard.valid_from is not None


class ProcedureStepInline(admin.TabularInline):
    model = ProcedureStep
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _published(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _published(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _published(obj) and super().has_delete_permission(request, obj)

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
    # which validates each row and keeps published versions unchanged; the admin keeps them too.

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _published(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _published(obj) and super().has_delete_permission(request, obj)


class ProcedureStepForm(forms.ModelForm):
    class Meta:
        model = ProcedureStep
        fields = [
            "standard",
            "order",
            "name",
            "expected_minutes",
            "done_by_role",
            "done_by_position",
            "other_officer_than",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if _published(data.get("standard")):
            raise ValidationError(
                {
                    "standard": _(
                        "This standard has been set: its procedure stays as it was. Draft a "
                        "new version in the standard editor."
                    )
                }
            )
        return data


@admin.register(ProcedureStep)
class ProcedureStepAdmin(admin.ModelAdmin):
    form = ProcedureStepForm
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

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        standard = obj.standard if obj is not None else None
        return not _published(standard) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        standard = obj.standard if obj is not None else None
        return not _published(standard) and super().has_delete_permission(request, obj)


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
