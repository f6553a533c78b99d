"""The employee directory for HR, unit heads, leadership and the inspectorate."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sigap.access import Action, has_any_role
from sigap.organisation import selectors


@login_required
@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    if not has_any_role(request.user, Action.EMPLOYEE_VIEW):
        raise PermissionDenied
    search = request.GET.get("q", "").strip()[:100]
    qs = selectors.employee_directory(request.user, search=search)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "organisation/directory.html", {"page": page, "q": search})
