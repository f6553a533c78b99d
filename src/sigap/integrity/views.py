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
    flagged = list(selectors.signals(request.user, action)[:200])
    follow_ups = selectors.follow_ups(flagged)
    return render(
        request,
        template,
        {
            "run": selectors.last_run(),
            "signals": flagged,
            "signal_rows": [(s, follow_ups.get(s.pk)) for s in flagged],
            "units": selectors.per_unit(request.user, action, today),
            "overdue": overdue[:20],
            "overdue_count": overdue.count(),
            "wbs": selectors.wbs_counts(request.user, action),
            "today": today,
            # Who follows a signal up is the Inspektorat's to see (signal_detail says why).
            "may_follow_up": action == Action.INTEGRITY_VIEW,
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
    follow_up = selectors.follow_up_for(signal)
    page, cases = selectors.signal_cases(signal, request.GET.get("page"))
    # The follow-up is the Inspektorat's working file: the Ombudsman reads its status only, not
    # who holds it, the history or the closing note (which may name a sanction).
    may_follow_up = can(request.user, Action.INTEGRITY_VIEW, signal.unit)
    return render(
        request,
        "integrity/signal.html",
        {
            "s": signal,
            "page": page,
            "cases": cases,
            "follow_up": follow_up,
            "history": selectors.follow_up_history(follow_up) if may_follow_up else [],
            "may_follow_up": may_follow_up,
            "inspectors": selectors.inspectors_for(signal.unit) if may_follow_up else [],
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


def _inspector_signal(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    if not has_any_role(request.user, Action.INTEGRITY_VIEW):
        raise PermissionDenied
    signal = selectors.signal_for_user(request.user, pk)
    if signal is None:
        raise Http404
    return signal


@login_required
@require_POST
def signal_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """An inspector gives the signal to an inspector (themselves included) to follow up."""
    signal = _inspector_signal(request, pk)
    assignee = next(
        (
            u
            for u in selectors.inspectors_for(signal.unit)
            if str(u.pk) == request.POST.get("assignee", "")  # type: ignore[attr-defined]
        ),
        None,
    )
    try:
        services.signal_assign(signal=signal, assignee=assignee, actor=request.user)
    except ValidationError as exc:
        errors_to_messages(request, exc, labels={"assignee": _("Assign to"), "signal": _("Signal")})
    else:
        messages.success(request, _("Signal assigned."))
    return redirect("integrity_signal", pk=pk)


@login_required
@require_POST
def signal_close(request: HttpRequest, pk: int) -> HttpResponse:
    """An inspector closes the signal's follow-up with a note."""
    signal = _inspector_signal(request, pk)
    try:
        services.signal_close(
            signal=signal, note=request.POST.get("note", "")[:4000], actor=request.user
        )
    except ValidationError as exc:
        errors_to_messages(request, exc, labels={"note": _("Closing note"), "signal": _("Signal")})
    else:
        messages.success(request, _("Signal closed with its note."))
    return redirect("integrity_signal", pk=pk)
