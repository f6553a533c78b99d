from django.contrib import admin

from sigap.throttling.models import RateCounter


@admin.register(RateCounter)
class RateCounterAdmin(admin.ModelAdmin):
    list_display = ["key", "bucket", "hits"]
    search_fields = ["key"]
