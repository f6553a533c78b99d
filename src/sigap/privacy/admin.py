from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from sigap.audit.services import audit_record
from sigap.privacy.models import Breach, DataProtectionOfficer, PrivacyRequest
from sigap.web.admin import ReadOnlyAdmin


@admin.register(DataProtectionOfficer)
class DataProtectionOfficerAdmin(admin.ModelAdmin):
    """Edited here: the contact every public form names (docs/privacy.md)."""

    list_display = ("agency", "name", "email", "phone")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_record(
                actor=request.user,
                action="privacy.dpo",
                obj=obj,
                data={"fields": sorted(form.changed_data)},
            )


@admin.register(PrivacyRequest)
class PrivacyRequestAdmin(ReadOnlyAdmin):
    """Answered through the staff queue (/privasi/antrian/), where every answer is audited."""

    list_display = ("pk", "kind", "subject_type", "unit", "matched", "status", "due_at")
    list_filter = ("kind", "status", "matched")
    exclude = ("export", "details")


@admin.register(Breach)
class BreachAdmin(ReadOnlyAdmin):
    """Recorded through the breach register (/privasi/insiden/), where it is audited."""

    list_display = ("title", "unit", "discovered_at", "subjects_count")
