"""Demo builds and their planted ground truth, read-only: `sigap demo` writes them."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sigap.demo.models import DemoBuild, PlantedPattern


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DemoBuild)
class DemoBuildAdmin(ReadOnlyAdmin):
    list_display = ("id", "seed", "until", "requests", "is_clean", "seconds", "built_at")


@admin.register(PlantedPattern)
class PlantedPatternAdmin(ReadOnlyAdmin):
    list_display = ("kind", "subject", "build")
    list_filter = ("kind",)
    search_fields = ("subject",)
