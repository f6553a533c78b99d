"""Oversight pages: the Inspektorat dashboard, a signal with its evidence, the read-only
Ombudsman view. Every page reads precomputed results, scoped by the access helper."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from sigap.access import Action, has_any_role
from sigap.integrity import selectors


def _page(request: HttpRequest, action: Action, template: str) -> HttpResponse:
    if not has_any_role(request.user, action):
        raise PermissionDenied
    today = timezone.localdate()
    overdue = selectors.overdue_complaints(request.user, action, today)
    return render(
        request,
        template,
        {
            "run": selectors.last_run(),
            "signals": selectors.signals(request.user, action)[:200],
            "units": selectors.per_unit(request.user, action, today),
            "overdue": overdue[:20],
            "overdue_count": overdue.count(),
            "wbs": selectors.wbs_counts(request.user, action),
            "today": today,
        },
    )


@login_required
@require_GET
def inspectorate_dashboard(request: HttpRequest) -> HttpResponse:
    return _page(request, Action.INTEGRITY_VIEW, "integrity/dashboard.html")


@login_required
@require_GET
def ombudsman_view(request: HttpRequest) -> HttpResponse:
    return _page(request, Action.OMBUDSMAN_VIEW, "integrity/ombudsman.html")


@login_required
@require_GET
def signal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not any(has_any_role(request.user, a) for a in selectors.OVERSIGHT_ACTIONS):
        raise PermissionDenied
    signal = selectors.signal_for_user(request.user, pk)
    if signal is None:
        raise Http404
    return render(
        request,
        "integrity/signal.html",
        {
            "s": signal,
            "evidence": selectors.evidence_links(signal),
            "statements": selectors.statement_links(signal),
        },
    )
