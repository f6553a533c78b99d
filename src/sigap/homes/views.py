"""The work home (/beranda/): where staff land after logging in, one section per role held."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from sigap.homes.selectors import sections


@login_required
@require_GET
def work_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "homes/home.html",
        {"sections": sections(request.user, timezone.localdate()), "today": timezone.localdate()},
    )
