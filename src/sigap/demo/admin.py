"""Demo builds and their planted ground truth, read-only: `sigap demo` writes them."""

from django.contrib import admin

from sigap.demo.models import DemoBuild, PlantedPattern
from sigap.web.admin import ReadOnlyAdmin


@admin.register(DemoBuild)
class DemoBuildAdmin(ReadOnlyAdmin):
    list_display = ("id", "seed", "until", "requests", "is_clean", "seconds", "built_at")


@admin.register(PlantedPattern)
class PlantedPatternAdmin(ReadOnlyAdmin):
    list_display = ("kind", "subject", "build")
    list_filter = ("kind",)
    search_fields = ("subject",)
