"""Officer pages (work queue, request detail and its actions) and the public tracking page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_POST

from sigap.access import Action, can, has_any_role
from sigap.notifications import selectors as notifications
from sigap.organisation.models import Employee
from sigap.service_requests import duties, selectors, services
from sigap.service_requests.forms import (
    IntakeForm,
    NoteForm,
    QueueFilterForm,
    ReasonForm,
    RequestSearchForm,
    TrackForm,
)
from sigap.service_requests.models import Status
from sigap.web import backlinks
from sigap.web.errors import errors_to_form, errors_to_messages


def _user_id(request: HttpRequest) -> int:
    pk = request.user.pk
    assert isinstance(pk, int)  # only called behind login_required
    return pk


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    if not has_any_role(request.user, Action.QUEUE_VIEW):
        raise PermissionDenied
    form = QueueFilterForm(request.GET or None)
    status, mine = "", False
    if form.is_valid():
        status, mine = form.cleaned_data["status"], form.cleaned_data["mine"]
    # Each current step says who may do it (a step declaring four eyes names the earlier step).
    qs = selectors.work_queue(request.user, status=status).prefetch_related(
        "current_step__other_officer_than"
    )
    if mine:
        qs = qs.filter(assigned_officer__user_id=_user_id(request))
    page = Paginator(qs, 50, allow_empty_first_page=True).get_page(request.GET.get("page"))
    return render(
        request,
        "service_requests/queue.html",
        {"form": form, "page": page, "today": timezone.localdate()},
    )


@login_required
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    """All requests in the user's reading scope: for oversight and leadership."""
    if not has_any_role(request.user, Action.REQUEST_VIEW):
        raise PermissionDenied
    form = RequestSearchForm(
        request.GET or None, units=selectors.units_in_scope(request.user, Action.REQUEST_VIEW)
    )
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "code": services.normalise_receipt_code(data["kode"]),
            "status": data["status"],
            "unit_id": data["unit"].pk if data["unit"] else None,
            "overdue": data["overdue"],
        }
    qs = selectors.request_search(request.user, **filters)
    page = selectors.request_page(qs, request.GET.get("page"))
    return render(
        request,
        "service_requests/list.html",
        {"form": form, "page": page, "today": timezone.localdate()},
    )


def _officer(request: HttpRequest) -> Employee:
    employee = Employee.objects.filter(user_id=_user_id(request)).select_related("unit").first()
    if employee is None:
        raise PermissionDenied
    return employee


@login_required
@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    service_request = selectors.request_for_user(request.user, code)
    if service_request is None:
        # Same answer for "does not exist" and "not yours": codes are not to be probed.
        raise Http404
    # Back to the list it was opened from, else the queue of those who have one, else home.
    default = (
        backlinks.Back(reverse("queue"), _("Work queue"))
        if has_any_role(request.user, Action.QUEUE_VIEW)
        else backlinks.home()
    )
    may_process = can(request.user, Action.REQUEST_PROCESS, service_request.unit)
    may_see_messages = may_process
    may_process = may_process and not service_request.is_finished
    # Who must do the current step instead, when the standard does not let this officer: the
    # buttons the write functions would refuse (step done, return, reject) are not offered.
    step_refusals: list[str] = []
    step_holders: list[str] = []
    current = service_request.current_step
    if may_process and current is not None:
        officer = Employee.objects.filter(user_id=_user_id(request)).select_related(
            "position", "user"
        )
        if (me := officer.first()) is not None:
            step_refusals = duties.step_refusals(service_request, me, current)
            if step_refusals:
                step_holders = duties.holders(service_request, current)
    context: dict[str, Any] = {
        "sr": service_request,
        "events": selectors.request_timeline(service_request),
        "steps": service_request.standard.ordered_steps(),
        "may_process": may_process,
        "step_refusals": step_refusals,
        "step_holders": step_holders,
        "note_form": NoteForm(),
        "reason_form": ReasonForm(),
        "Status": Status,
        # The messages to the applicant and their delivery: for the unit's officers.
        "deliveries": notifications.for_request(service_request) if may_see_messages else [],
        "may_see_messages": may_see_messages,
        "back": backlinks.back_for(request, f"request:{service_request.receipt_code}", default),
    }
    return render(request, "service_requests/detail.html", context)


@login_required
def intake(request: HttpRequest) -> HttpResponse:
    """Register a walk-in request at the counter; the receipt shows the tracking code."""
    available = selectors.services_for_intake(request.user)
    if not available.exists():
        raise PermissionDenied
    officer = _officer(request)
    form = IntakeForm(request.POST or None, services=available)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        applicant = services.Applicant(
            name=data["applicant_name"],
            contact=data["applicant_contact"],
            region_kecamatan=data["region_kecamatan"],
            region_desa=data["region_desa"],
            nik=data["applicant_nik"],
            gender=data["applicant_gender"],
            disability=data["applicant_disability"],
            age_band=data["applicant_age_band"],
        )
        try:
            created = services.service_request_submit(
                service=data["service"],
                applicant=applicant,
                channel="counter",
                officer=officer,
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            return redirect("request_receipt", code=created.receipt_code)
    return render(request, "service_requests/intake.html", {"form": form})


@login_required
@require_GET
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    """The printable receipt handed to the applicant."""
    service_request = selectors.request_for_user(request.user, code)
    if service_request is None:
        raise Http404
    track_url = request.build_absolute_uri(f"/lacak/{service_request.receipt_code}/")
    return render(
        request, "service_requests/receipt.html", {"sr": service_request, "track_url": track_url}
    )


def _do_receive(sr: Any, officer: Employee, data: dict[str, str]) -> Any:
    return services.service_request_receive(request=sr, officer=officer)


def _do_complete(sr: Any, officer: Employee, data: dict[str, str]) -> Any:
    return services.service_request_complete_step(
        request=sr, officer=officer, note=data.get("note", "")
    )


def _do_return(sr: Any, officer: Employee, data: dict[str, str]) -> Any:
    return services.service_request_return(
        request=sr, officer=officer, reason=data.get("reason", "")
    )


def _do_wait(sr: Any, officer: Employee, data: dict[str, str]) -> Any:
    return services.service_request_wait(request=sr, officer=officer, reason=data.get("reason", ""))


def _do_resume(sr: Any, officer: Employee, data: dict[str, str]) -> Any:
    return services.service_request_resume(request=sr, officer=officer, note=data.get("note", ""))


def _do_reject(sr: Any, officer: Employee, data: dict[str, str]) -> Any:
    return services.service_request_reject(
        request=sr, officer=officer, reason=data.get("reason", "")
    )


ACTIONS: dict[str, tuple[Callable[..., Any], str]] = {
    "receive": (_do_receive, gettext_noop("Request received into your queue.")),
    "complete": (_do_complete, gettext_noop("Step recorded as done.")),
    "return": (_do_return, gettext_noop("Returned to the applicant for correction.")),
    "wait": (_do_wait, gettext_noop("Now waiting for the applicant.")),
    "resume": (_do_resume, gettext_noop("Processing resumed.")),
    "reject": (_do_reject, gettext_noop("Request rejected.")),
}


@login_required
@require_POST
def act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    service_request = selectors.request_for_user(request.user, code)
    if service_request is None:
        raise Http404
    # The write function checks that this officer may process the unit's requests (and may do
    # the step); its PermissionDenied is the 403 of a user without that right.
    officer = _officer(request)
    handler, done_message = ACTIONS[action]
    data = {k: request.POST.get(k, "")[:2000] for k in ("note", "reason")}
    try:
        handler(service_request, officer, data)
    except ValidationError as exc:
        errors_to_messages(request, exc)
    else:
        messages.success(request, _(done_message))
    return redirect("request_detail", code=code)


@require_GET
def track(request: HttpRequest, code: str | None = None) -> HttpResponse:
    if code is None:
        form = TrackForm(request.GET or None)
        if form.is_valid():
            return redirect(
                "track_code", code=services.normalise_receipt_code(form.cleaned_data["kode"])
            )
        return render(request, "service_requests/track_form.html", {"form": form})
    normalised = services.normalise_receipt_code(code)
    if normalised and normalised != code:
        return redirect("track_code", code=normalised)
    tracked = selectors.tracking(code) if normalised else None
    if tracked is None:
        return render(
            request,
            "service_requests/track_unknown.html",
            {"code": code, "form": TrackForm()},
            status=404,
        )
    # Tracking use is a transparency figure about citizens: staff who may read the request in
    # sigap anyway (officers, unit heads, oversight over its unit) checking a code is work, not
    # citizen use, and is not counted. An unknown code (above) records nothing.
    if not can(request.user, Action.REQUEST_VIEW, tracked.unit):
        services.tracking_lookup_record(request_id=tracked.request_id, day=timezone.localdate())
    return render(request, "service_requests/track.html", {"t": tracked})
