"""Complaint pages: the public form and status page (with reply/reopen), staff list and actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_POST

from sigap.access import Action, can, has_any_role
from sigap.api import ratelimit
from sigap.complaints import selectors, services
from sigap.complaints.forms import ComplaintFilterForm, ComplaintForm, MessageForm, StatusLookupForm
from sigap.complaints.models import Complaint, Status
from sigap.organisation.models import Unit
from sigap.service_requests.services import normalise_receipt_code
from sigap.surveys.views import too_many
from sigap.web.errors import errors_to_form, errors_to_messages


def complaint_new(request: HttpRequest) -> HttpResponse:
    """The public complaint form; anonymous and confidential options."""
    form = ComplaintForm(request.POST or None)
    status = 200
    if request.method == "POST":
        decision = ratelimit.hit(request, "complaint")
        if not decision.allowed:
            return too_many(request, decision)
        if form.is_valid():
            data = form.cleaned_data
            try:
                complaint = services.complaint_submit(
                    category=data["category"],
                    description=data["description"],
                    reporter=services.Reporter(
                        name=data["reporter_name"],
                        contact=data["reporter_contact"],
                        anonymous=data["anonymous"],
                        confidential=data["confidential"],
                    ),
                    service=data["service"],
                    unit=data["unit"],
                    receipt_code=data["kode"],
                    officer_description=data["officer_description"],
                    client_hash=ratelimit.client_hash(request, "complaint"),
                )
            except ValidationError as exc:
                errors_to_form(form, exc, rename={"receipt_code": "kode"})
            else:
                messages.success(
                    request,
                    _("Your complaint was registered. Keep the code %s to follow it.")
                    % complaint.receipt_code,
                )
                return redirect("complaint_status", code=complaint.receipt_code)
        status = 400
    return render(request, "complaints/new.html", {"form": form}, status=status)


@require_GET
def complaint_status_lookup(request: HttpRequest) -> HttpResponse:
    form = StatusLookupForm(request.GET or None)
    if form.is_valid():
        return redirect("complaint_status", code=normalise_receipt_code(form.cleaned_data["kode"]))
    return render(request, "complaints/lookup.html", {"form": form})


@require_GET
def complaint_status(request: HttpRequest, code: str) -> HttpResponse:
    """Public status by receipt code: progress and the unit's answers, no personal data."""
    decision = ratelimit.hit(request, "status")
    if not decision.allowed:
        return too_many(request, decision)
    status = selectors.public_status(normalise_receipt_code(code))
    if status is None:
        return render(
            request,
            "complaints/lookup.html",
            {"form": StatusLookupForm(), "unknown": code[:20]},
            status=404,
        )
    return render(request, "complaints/status.html", {"s": status, "message_form": MessageForm()})


@require_POST
def complaint_reporter_act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    """The reporter replies to a follow-up, accepts it, or reopens a closed complaint."""
    if action not in ("reply", "reopen", "accept"):
        raise Http404
    decision = ratelimit.hit(request, "status")
    if not decision.allowed:
        return too_many(request, decision)
    complaint = Complaint.objects.filter(receipt_code=normalise_receipt_code(code)).first()
    if complaint is None:
        raise Http404
    message = request.POST.get("message", "")[:4000]
    try:
        if action == "reply":
            services.complaint_reply(complaint=complaint, message=message)
        elif action == "reopen":
            services.complaint_reopen(complaint=complaint, message=message)
        else:
            services.complaint_close(complaint=complaint, by_reporter=True, note=message)
    except ValidationError as exc:
        for errors in exc.message_dict.values():
            for error in errors:
                messages.error(request, error)
    else:
        messages.success(request, _("Thank you; your answer was recorded."))
    return redirect("complaint_status", code=complaint.receipt_code)


@login_required
@require_GET
def complaint_list(request: HttpRequest) -> HttpResponse:
    """Complaints in the user's scope; "only overdue" is the escalation list of unit heads."""
    if not has_any_role(request.user, Action.COMPLAINT_VIEW):
        raise PermissionDenied
    form = ComplaintFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = dict(form.cleaned_data)
    today = timezone.localdate()
    qs = selectors.complaint_search(request.user, today=today, **filters)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "complaints/list.html",
        {"form": form, "page": page, "today": today, "query": query.urlencode()},
    )


@login_required
@require_GET
def complaint_detail(request: HttpRequest, code: str) -> HttpResponse:
    complaint = selectors.complaint_for_user(request.user, code)
    if complaint is None:
        raise Http404
    may_handle = can(request.user, Action.COMPLAINT_HANDLE, complaint.unit) or bool(
        complaint.escalated_to
        and can(request.user, Action.COMPLAINT_HANDLE, complaint.escalated_to)
    )
    show_identity = not complaint.is_confidential or can(
        request.user, Action.COMPLAINT_IDENTITY, complaint.unit
    )
    today = timezone.localdate()
    return render(
        request,
        "complaints/detail.html",
        {
            "c": complaint,
            "events": selectors.complaint_timeline(complaint),
            "may_handle": may_handle,
            "show_identity": show_identity,
            "overdue": services.is_overdue(complaint, today),
            "units": Unit.objects.filter(agency_id=complaint.unit.agency_id).order_by("path"),
            "Status": Status,
        },
    )


def _unit(data: dict[str, str]) -> Unit | None:
    pk = data.get("unit", "")
    return Unit.objects.filter(pk=int(pk)).first() if pk.isdigit() else None


STAFF_ACTIONS: dict[str, tuple[Callable[..., Any], str]] = {
    "verify": (
        lambda c, u, d: services.complaint_verify(complaint=c, user=u, note=d["note"]),
        gettext_noop("Complaint verified."),
    ),
    "hold": (
        lambda c, u, d: services.complaint_hold(complaint=c, user=u, reason=d["note"]),
        gettext_noop("Complaint put on hold."),
    ),
    "not_authority": (
        lambda c, u, d: services.complaint_reject(complaint=c, user=u, reason=d["note"]),
        gettext_noop("Marked as not our authority."),
    ),
    "archive": (
        lambda c, u, d: services.complaint_reject(
            complaint=c, user=u, reason=d["note"], archive=True
        ),
        gettext_noop("Complaint archived."),
    ),
    "forward": (
        lambda c, u, d: services.complaint_forward(
            complaint=c, user=u, unit=_unit(d), note=d["note"]
        ),
        gettext_noop("Complaint forwarded to the unit."),
    ),
    "follow_up": (
        lambda c, u, d: services.complaint_follow_up(complaint=c, user=u, response=d["note"]),
        gettext_noop("Follow-up sent to the reporter."),
    ),
    "close": (
        lambda c, u, d: services.complaint_close(complaint=c, user=u, note=d["note"]),
        gettext_noop("Complaint closed."),
    ),
    "escalate": (
        lambda c, u, d: services.complaint_escalate(complaint=c, user=u, note=d["note"]),
        gettext_noop("Complaint escalated to the parent unit."),
    ),
}


@login_required
@require_POST
def complaint_act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    if action not in STAFF_ACTIONS:
        raise Http404
    complaint = selectors.complaint_for_user(request.user, code)
    if complaint is None:
        raise Http404
    if not (
        can(request.user, Action.COMPLAINT_HANDLE, complaint.unit)
        or (
            complaint.escalated_to
            and can(request.user, Action.COMPLAINT_HANDLE, complaint.escalated_to)
        )
    ):
        raise PermissionDenied
    handler, done = STAFF_ACTIONS[action]
    data = {"note": request.POST.get("note", "")[:4000], "unit": request.POST.get("unit", "")}
    try:
        handler(complaint, request.user, data)
    except ValidationError as exc:
        errors_to_messages(request, exc)
    else:
        messages.success(request, _(done))
    return redirect("complaint_detail", code=code)
