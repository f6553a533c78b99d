from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from sigap.accounts import services
from sigap.accounts.models import RoleAssignment


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit"]
    list_filter = ["role"]
    search_fields = ["user__username", "unit__name"]
    raw_id_fields = ["user", "unit"]

    # Roles are granted and withdrawn through the audited write functions; an assignment is
    # never edited in place (withdraw it and grant the new one).
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        created = services.role_assign(user=obj.user, role=obj.role, unit=obj.unit, by=request.user)
        obj.pk = created.pk

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.role_revoke(assignment=obj, by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for assignment in queryset.select_related("user", "unit"):
            services.role_revoke(assignment=assignment, by=request.user)
