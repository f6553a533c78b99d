"""Complaint pages: the public form and status page (with reply/reopen), staff list and actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_POST

from sigap.access import Action, can, has_any_role
from sigap.complaints import selectors, services
from sigap.complaints.forms import ComplaintFilterForm, ComplaintForm, MessageForm, StatusLookupForm
from sigap.complaints.models import Complaint, Status
from sigap.notifications import selectors as notifications
from sigap.organisation.models import Unit
from sigap.service_requests.services import normalise_receipt_code
from sigap.surveys.views import too_many
from sigap.throttling import ratelimit
from sigap.web import backlinks
from sigap.web.errors import errors_to_form, errors_to_messages


def _initial_service(request: HttpRequest) -> dict[str, Any]:
    code = request.GET.get("layanan", "")
    service = ComplaintForm.service_by_code(code) if code else None
    return {"service": service.pk} if service is not None else {}


def complaint_new(request: HttpRequest) -> HttpResponse:
    """The public complaint form; anonymous and confidential options. `?layanan=<code>` (the
    link on a service's catalogue page) preselects that service."""
    form = ComplaintForm(request.POST or None, initial=_initial_service(request))
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
                # The reporter link is shown once, on the status page this redirects to (kept
                # in the server-side session until then, never in a URL or a message cookie).
                _grant(request, complaint)
                request.session[_RECEIPT] = {
                    "code": complaint.receipt_code,
                    "key": complaint.issued_reporter_key,
                }
                return redirect("complaint_status", code=complaint.receipt_code)
        status = 400
    return render(request, "complaints/new.html", {"form": form}, status=status)


@require_GET
def complaint_status_lookup(request: HttpRequest) -> HttpResponse:
    form = StatusLookupForm(request.GET or None)
    if form.is_valid():
        return redirect("complaint_status", code=normalise_receipt_code(form.cleaned_data["kode"]))
    return render(request, "complaints/lookup.html", {"form": form})


# Session keys. _REPORTER: {receipt code: start of the stored secret hash} for the complaints
# whose reporter secret this browser presented (a re-issued secret ends it). _RECEIPT: the
# reporter link to show once after filing.
_REPORTER = "complaint_reporter"
_RECEIPT = "complaint_receipt"
_MARK = 16
_KEY_PARAM = "t"  # the secret in the reporter's link (?t=) and in the key form


def reporter_url(request: HttpRequest, complaint: Complaint) -> str:
    """The reporter's link: the status page with the secret just issued (given once)."""
    path = reverse("complaint_status", kwargs={"code": complaint.receipt_code})
    return request.build_absolute_uri(f"{path}?{_KEY_PARAM}={complaint.issued_reporter_key}")


def _grant(request: HttpRequest, complaint: Complaint) -> None:
    """Remember in the session that this browser holds the complaint's reporter secret."""
    grants = dict(request.session.get(_REPORTER, {}))
    grants[complaint.receipt_code] = complaint.reporter_key_hash[:_MARK]
    if not request.user.is_authenticated:
        request.session.cycle_key()  # a session id planted before cannot ride on the proof
        request.session.set_expiry(0)  # ends when the browser closes (a shared computer)
    request.session[_REPORTER] = dict(list(grants.items())[-20:])


def _granted(request: HttpRequest, complaint: Complaint) -> bool:
    mark = str(request.session.get(_REPORTER, {}).get(complaint.receipt_code, ""))
    stored = complaint.reporter_key_hash[:_MARK]
    return bool(stored) and constant_time_compare(mark, stored)


def _status_page(
    request: HttpRequest, complaint: Complaint, *, key_error: str = "", http_status: int = 200
) -> HttpResponse:
    s = selectors.public_status(complaint.receipt_code)
    assert s is not None
    receipt = request.session.get(_RECEIPT)
    link = ""
    if receipt and receipt.get("code") == complaint.receipt_code:
        del request.session[_RECEIPT]  # shown once, like a printed receipt
        complaint.issued_reporter_key = str(receipt.get("key", ""))
        link = reporter_url(request, complaint)
    is_reporter = _granted(request, complaint)
    response = render(
        request,
        "complaints/status.html",
        {
            "s": s,
            "message_form": MessageForm(),
            "is_reporter": is_reporter,
            "reporter_link": link,
            "key_error": key_error,
        },
        status=http_status,
    )
    if link or is_reporter:
        add_never_cache_headers(response)
    return response


def _check_key(request: HttpRequest, complaint: Complaint, key: str) -> HttpResponse | None:
    """None when `key` is the reporter secret (and the session now says so), else the refusal.

    Wrong secrets are counted per client (scope `reporter_key`); over the limit, nothing is
    checked any more for the window.
    """
    decision = ratelimit.peek(request, "reporter_key")
    if not decision.allowed:
        return too_many(request, decision)
    if services.reporter_key_matches(complaint, key):
        _grant(request, complaint)
        return None
    ratelimit.hit(request, "reporter_key")
    return _status_page(
        request,
        complaint,
        key_error=_(
            "This reporter link or key is not valid for this complaint. Nothing was changed. "
            "Use the link you received when you filed the complaint."
        ),
        http_status=403,
    )


@require_GET
def complaint_status(request: HttpRequest, code: str) -> HttpResponse:
    """Public status by receipt code: progress and the unit's answers, no personal data.

    With the reporter's secret (`?t=`, the reporter's link) the browser is remembered as the
    reporter for the session and sent on to the same page without the secret in its address.
    """
    decision = ratelimit.hit(request, "status")
    if not decision.allowed:
        return too_many(request, decision)
    complaint = Complaint.objects.filter(receipt_code=normalise_receipt_code(code)[:20]).first()
    if complaint is None:
        return render(
            request,
            "complaints/lookup.html",
            {"form": StatusLookupForm(), "unknown": code[:20]},
            status=404,
        )
    if _KEY_PARAM in request.GET:
        # No `Referrer-Policy: no-referrer` here: Chromium would then send `Origin: null` with
        # the page's forms and the CSRF check would refuse them. The site-wide `same-origin`
        # already keeps this address from other sites.
        refused = _check_key(request, complaint, request.GET[_KEY_PARAM])
        if refused is not None:
            return refused
        return redirect("complaint_status", code=complaint.receipt_code)
    return _status_page(request, complaint)


@require_POST
def complaint_reporter_act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    """The reporter replies to a follow-up, accepts it, or reopens a closed complaint.

    Only the reporter: the browser showed the reporter secret this session (the link), or the
    secret comes with the form (`t`, also the "key" action that only proves it). Without it:
    403 with the public page and a message, and nothing changes.
    """
    if action not in ("reply", "reopen", "accept", "key"):
        raise Http404
    decision = ratelimit.hit(request, "status")
    if not decision.allowed:
        return too_many(request, decision)
    complaint = (
        Complaint.objects.filter(receipt_code=normalise_receipt_code(code)[:20])
        .select_related("unit")
        .first()
    )
    if complaint is None:
        raise Http404
    key = request.POST.get(_KEY_PARAM, "").strip()
    if key or action == "key":
        refused = _check_key(request, complaint, key)
        if refused is not None:
            return refused
    elif not _granted(request, complaint):
        return _status_page(
            request,
            complaint,
            key_error=_(
                "Only the reporter can do this: open the reporter link you received when you "
                "filed the complaint, or enter its key below. Nothing was changed."
            ),
            http_status=403,
        )
    if action == "key":
        messages.success(request, _("You can now reply to or reopen your complaint."))
        return redirect("complaint_status", code=complaint.receipt_code)
    message = request.POST.get("message", "")[:4000]
    try:
        if action == "reply":
            services.complaint_reply(complaint=complaint, message=message)
        elif action == "reopen":
            services.complaint_reopen(complaint=complaint, message=message)
        else:
            services.complaint_accept(complaint=complaint, note=message)
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
    may_handle = _may_handle(request.user, complaint)
    show_identity = _shows_identity(request.user, complaint)
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
            "may_issue_link": may_handle
            and show_identity
            and not complaint.is_anonymous
            and bool(complaint.reporter_contact),
            "units": Unit.objects.filter(agency_id=complaint.unit.agency_id).order_by("path"),
            "Status": Status,
            "deliveries": notifications.for_complaint(complaint),
            # Back to the list as it was filtered (or the page it came from), else the list.
            "back": backlinks.back_for(
                request,
                f"complaint:{complaint.receipt_code}",
                backlinks.Back(reverse("complaint_list"), _("Complaints")),
            ),
        },
    )


def _may_handle(user: Any, complaint: Complaint) -> bool:
    """Whether to offer the staff actions; the services decide (`services._authorise`)."""
    return can(user, Action.COMPLAINT_HANDLE, complaint.unit) or bool(
        complaint.escalated_to and can(user, Action.COMPLAINT_HANDLE, complaint.escalated_to)
    )


def _shows_identity(user: Any, complaint: Complaint) -> bool:
    return not complaint.is_confidential or can(user, Action.COMPLAINT_IDENTITY, complaint.unit)


@login_required
@require_POST
def complaint_reporter_link(request: HttpRequest, code: str) -> HttpResponse:
    """Issue a new reporter link, shown once, for staff to send to the reporter's contact.

    For reporters who lost their link and for complaints filed before reporter secrets existed.
    Who may is decided by the service (PermissionDenied: 403). The previous link stops working.
    Audited.
    """
    complaint = selectors.complaint_for_user(request.user, code)
    if complaint is None:
        raise Http404
    user = request.user
    assert isinstance(user, User)  # login_required
    try:
        complaint = services.complaint_reporter_link_issue(complaint=complaint, user=user)
    except ValidationError as exc:
        errors_to_messages(request, exc)
        return redirect("complaint_detail", code=complaint.receipt_code)
    response = render(
        request,
        "complaints/reporter_link.html",
        {"c": complaint, "link": reporter_url(request, complaint)},
    )
    add_never_cache_headers(response)
    return response


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
    # Whether this user may is decided by the service itself (PermissionDenied: 403).
    handler, done = STAFF_ACTIONS[action]
    data = {"note": request.POST.get("note", "")[:4000], "unit": request.POST.get("unit", "")}
    try:
        handler(complaint, request.user, data)
    except ValidationError as exc:
        errors_to_messages(request, exc)
    else:
        messages.success(request, _(done))
    return redirect("complaint_detail", code=code)
