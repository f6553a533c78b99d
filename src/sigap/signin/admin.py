from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from sigap.signin import services
from sigap.signin.models import RecoveryCode, TwoFactorDevice
from sigap.web.admin import ReadOnlyAdmin


@admin.register(TwoFactorDevice)
class TwoFactorDeviceAdmin(ReadOnlyAdmin):
    """Listed, never shown or edited (the secret is sealed); deleting one is the audited reset
    for a lost phone: the user enrols again at the next log-in."""

    list_display = ["user", "created_at"]
    search_fields = ["user__username"]
    fields = ["user", "created_at"]
    readonly_fields = ["user", "created_at"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.two_factor_reset(user=obj.user, by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for device in queryset.select_related("user"):
            services.two_factor_reset(user=device.user, by=request.user)


@admin.register(RecoveryCode)
class RecoveryCodeAdmin(ReadOnlyAdmin):
    list_display = ["user", "used_at"]
    search_fields = ["user__username"]
    fields = ["user", "used_at"]
