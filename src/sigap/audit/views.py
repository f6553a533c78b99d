"""The Inspektorat's page over the audit trail: list and filter, nothing else."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sigap.access import Action, has_any_role, scoped
from sigap.audit import labels, selectors
from sigap.audit.forms import AuditFilterForm
from sigap.organisation.models import Unit


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    if not has_any_role(request.user, Action.AUDIT_VIEW):
        raise PermissionDenied
    units = scoped(request.user, Action.AUDIT_VIEW, Unit.objects.all(), unit_field="").order_by(
        "path"
    )
    form = AuditFilterForm(request.GET or None, units=units, actions=selectors.known_actions())
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "action": data["action"].strip(),
            "actor": data["actor"].strip(),
            "unit_id": data["unit"].pk if data["unit"] else None,
            "since": data["since"],
            "until": data["until"],
            "object_type": data["object_type"],
            "object_id": data["object_id"],
        }
    qs = selectors.audit_search(request.user, **filters)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    # Each entry as a person reads it: names for the codes, labelled lines for the details.
    records = labels.record_names(entry.data or {} for entry in page)
    for entry in page:
        entry.action_label = labels.action_label(entry.action)  # type: ignore[attr-defined]
        entry.actor_label = labels.actor_label(entry.actor)  # type: ignore[attr-defined]
        entry.object_label = labels.object_label(  # type: ignore[attr-defined]
            entry.object_type, entry.object_id
        )
        entry.lines = labels.detail_lines(  # type: ignore[attr-defined]
            entry.action, entry.data or {}, records
        )
    return render(request, "audit/log.html", {"form": form, "page": page})
