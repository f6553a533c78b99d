from django.contrib import admin

from sigap.catalogue.models import ProcedureStep, Service, ServiceStandard


class ProcedureStepInline(admin.TabularInline):
    model = ProcedureStep
    extra = 0


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "unit", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]
    raw_id_fields = ["unit"]


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
    raw_id_fields = ["service"]
    inlines = [ProcedureStepInline]


@admin.register(ProcedureStep)
class ProcedureStepAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "standard", "expected_minutes"]
    raw_id_fields = ["standard"]
