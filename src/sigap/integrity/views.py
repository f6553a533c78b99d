"""Oversight pages: the Inspektorat dashboard, a signal with its evidence, the read-only
Ombudsman view. Every page reads precomputed results, scoped by the access helper."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sigap.access import Action, can, has_any_role
from sigap.integrity import selectors, services
from sigap.integrity.models import SignalDecision
from sigap.web import backlinks
from sigap.web.errors import errors_to_messages


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
            "decisions": selectors.decisions_for(signal),
            "may_decide": signal.officer_id is not None
            and signal.flagged
            and can(request.user, Action.INTEGRITY_DECIDE, signal.unit),
            "outcomes": SignalDecision.Outcome.choices,
            "statements": selectors.statement_links(signal),
            # Back to the dashboard or ombudsman page it was opened from, else one's home.
            "back": backlinks.back_for(request, f"signal:{signal.pk}", backlinks.home()),
        },
    )


@login_required
@require_POST
def signal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The Inspektorat confirms or dismisses a signal; `services.signal_decide` authorises."""
    if not has_any_role(request.user, Action.INTEGRITY_DECIDE):
        raise PermissionDenied
    signal = selectors.signal_for_user(request.user, pk)
    if signal is None:
        raise Http404
    try:
        services.signal_decide(
            signal=signal,
            outcome=request.POST.get("outcome", ""),
            reason=request.POST.get("reason", "")[:4000],
            actor=request.user,
        )
    except ValidationError as exc:
        labels = {"outcome": _("Decision"), "reason": _("Reason"), "signal": _("Signal")}
        errors_to_messages(request, exc, labels=labels)
    else:
        messages.success(request, _("Decision recorded with its reason."))
    return redirect("integrity_signal", pk=pk)
