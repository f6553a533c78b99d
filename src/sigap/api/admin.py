from django.contrib import admin

from sigap.api.models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys are created with `sigap apikey` (the raw key is shown once); here they are listed
    and can be deactivated."""

    list_display = ["name", "prefix", "scopes", "is_active", "created_at"]
    readonly_fields = ["prefix", "created_at"]
    fields = ["name", "prefix", "scopes", "is_active", "created_at"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
