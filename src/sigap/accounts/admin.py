from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from sigap.accounts import services
from sigap.accounts.models import ActivationToken, RoleAssignment, RoleGrant
from sigap.web.admin import ReadOnlyAdmin


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit"]
    list_filter = ["role"]
    search_fields = ["user__username", "unit__name"]
    autocomplete_fields = ["user", "unit"]

    # Roles are granted and withdrawn through the audited write functions; an assignment is
    # never edited in place (withdraw it and grant the new one).
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if services.needs_second_person(obj.role):
            # Two people for every WBS reader: here it is only requested; nothing is assigned
            # (obj keeps no primary key) until a second person approves on the grants page.
            services.grant_request(user=obj.user, unit=obj.unit, by=request.user)  # type: ignore[arg-type]
            return
        created = services.role_assign(user=obj.user, role=obj.role, unit=obj.unit, by=request.user)
        obj.pk = created.pk

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        if obj.pk is None:  # a request, not an assignment: the audit trail has it
            return None
        return super().log_addition(request, obj, message)

    def response_add(
        self, request: HttpRequest, obj: Any, post_url_continue: str | None = None
    ) -> HttpResponse:
        if obj.pk is None:
            messages.info(
                request,
                _(
                    "The inspector role was requested, not assigned: a second authorised "
                    "person must approve it on the Inspector role grants page."
                ),
            )
            return HttpResponseRedirect(reverse("wbs_grants"))
        return super().response_add(request, obj, post_url_continue)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.role_revoke(assignment=obj, by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for assignment in queryset.select_related("user", "unit"):
            services.role_revoke(assignment=assignment, by=request.user)


@admin.register(RoleGrant)
class RoleGrantAdmin(ReadOnlyAdmin):
    """Requested and decided on the grants page (write functions), never edited here."""

    list_display = ["user", "role", "unit", "status", "requested_by", "decided_by", "decided_at"]
    list_filter = ["status"]


@admin.register(ActivationToken)
class ActivationTokenAdmin(ReadOnlyAdmin):
    """Which activation links were made, until when, and whether they were used (for the
    helpdesk). The hash is not shown; a new link: `sigap accounts activation-link NIP`."""

    list_display = ["user", "created_at", "expires_at", "used_at"]
    search_fields = ["user__username"]
    fields = ["user", "created_at", "expires_at", "used_at"]
