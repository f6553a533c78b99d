"""The employee directory for HR, unit heads, leadership and the inspectorate."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sigap.access import Action, can, has_any_role
from sigap.organisation import selectors


@login_required
@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    if not has_any_role(request.user, Action.EMPLOYEE_VIEW):
        raise PermissionDenied
    search = request.GET.get("q", "").strip()[:100]
    qs = selectors.employee_directory(request.user, search=search)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    # HR over an employee's unit opens their competency records from here.
    records = {e.pk for e in page if can(request.user, Action.COMPETENCY_MANAGE, e.unit)}
    return render(
        request, "organisation/directory.html", {"page": page, "q": search, "records": records}
    )
