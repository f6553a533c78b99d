"""Anonymous reporter pages (/lapor/...) and the Inspektorat's case pages.

The reporter never gets a session or a cookie of ours beyond the CSRF token (a session cookie,
see privacy.py): the receipt is typed again (or carried in a hidden field of a no-store page)
for every step.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sigap.access import Action, has_any_role, scoped
from sigap.accounts import services as account_services
from sigap.accounts.models import RoleGrant
from sigap.organisation.models import Unit
from sigap.web.errors import errors_to_form
from sigap.whistleblowing import receipts, services, throttle
from sigap.whistleblowing.files import read_evidence
from sigap.whistleblowing.forms import (
    FollowUpForm,
    GrantRefuseForm,
    GrantRequestForm,
    ReceiptForm,
    ReplyForm,
    ReportForm,
    StatusForm,
)
from sigap.whistleblowing.models import Attachment, Report


def report(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            files = read_evidence(data["evidence"])
            _created, receipt = services.report_submit(
                unit=data["unit"],
                what=data["what"],
                when=data["when"],
                service=data["service"],
                files=files,
            )
        except ValidationError as exc:
            errors_to_form(form, exc, default_field="evidence")
        else:
            return render(
                request, "whistleblowing/receipt.html", {"receipt": receipts.formatted(receipt)}
            )
    return render(request, "whistleblowing/report_form.html", {"form": form})


def _throttled(request: HttpRequest, form: ReceiptForm, exc: receipts.Throttled) -> HttpResponse:
    context: dict[str, Any] = {"form": form}
    if isinstance(exc, receipts.WaitRequired):
        context["wait"] = exc.ticket
    else:
        context["form"] = ReceiptForm()
        context["throttled"] = True
    response = render(request, "whistleblowing/followup_form.html", context, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


def followup(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "whistleblowing/followup_form.html", {"form": ReceiptForm()})
    form = ReceiptForm(request.POST)
    if not form.is_valid():
        return render(request, "whistleblowing/followup_form.html", {"form": form})
    receipt = receipts.normalise(form.cleaned_data["receipt"])
    try:
        found = receipts.find_report(
            receipt,
            client=getattr(request, "wbs_client", ""),
            ticket=request.POST.get("ticket", "")[:400],
            proof=request.POST.get("proof", "")[:20],
        )
    except receipts.Throttled as exc:
        return _throttled(request, form, exc)
    if found is None:
        form.add_error("receipt", _("This receipt does not open any report."))
        return render(request, "whistleblowing/followup_form.html", {"form": form})
    add = FollowUpForm(request.POST, request.FILES) if "text" in request.POST else None
    added = False
    if add is not None and add.is_valid():
        try:
            files = read_evidence(add.cleaned_data["evidence"])
            services.reporter_add(report=found, text=add.cleaned_data["text"], files=files)
        except ValidationError as exc:
            errors_to_form(add, exc, default_field="evidence")
        else:
            added = True
            add = None
    return render(
        request,
        "whistleblowing/followup.html",
        {
            "view": services.reporter_view(report=found),
            "form": add
            or FollowUpForm(
                initial={"receipt": receipt, "ticket": throttle.issue_pass(found.locator)}
            ),
            "added": added,
        },
    )


# Inspektorat ---------------------------------------------------------------------------------


def _cases(request: HttpRequest) -> Any:
    if not has_any_role(request.user, Action.WBS_HANDLE):
        raise PermissionDenied
    return scoped(request.user, Action.WBS_HANDLE, Report.objects.all())


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    cases = (
        _cases(request)
        .select_related("unit")
        .annotate(n_messages=Count("messages"))
        .order_by("-created_on", "-pk")
    )
    user = request.user
    assert user.is_authenticated
    pending = [
        g
        for g in account_services.visible_grants(user).filter(status=RoleGrant.Status.PENDING)
        if account_services.may_approve(user, g)
    ]
    return render(
        request,
        "whistleblowing/case_list.html",
        {"cases": cases, "today": timezone.localdate(), "grants_to_decide": pending},
    )


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _cases(request).select_related("unit").filter(pk=pk).first()
    if case is None:
        raise Http404
    user = request.user
    assert user.is_authenticated
    reply_form, status_form = ReplyForm(), StatusForm(initial={"status": case.status})
    if request.method == "POST":
        if request.POST.get("do") == "status":
            status_form = StatusForm(request.POST)
            if status_form.is_valid():
                services.inspector_set_status(
                    report=case,
                    user=user,
                    status=status_form.cleaned_data["status"],
                )
                return redirect("wbs_case_detail", pk=case.pk)
        else:
            reply_form = ReplyForm(request.POST)
            if reply_form.is_valid():
                services.inspector_reply(
                    report=case, user=user, text=reply_form.cleaned_data["text"]
                )
                return redirect("wbs_case_detail", pk=case.pk)
    view = services.inspector_read(report=case, user=user)
    return render(
        request,
        "whistleblowing/case_detail.html",
        {"view": view, "reply_form": reply_form, "status_form": status_form},
    )


@login_required
@require_GET
def case_attachment(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    case = _cases(request).filter(pk=pk).first()
    attachment = Attachment.objects.filter(report=case, pk=attachment_id).first() if case else None
    if attachment is None:
        raise Http404
    user = request.user
    assert user.is_authenticated
    name, content_type, data = services.attachment_read(attachment=attachment, user=user)
    response = HttpResponse(data, content_type=content_type)
    # Always a download, never rendered inline: a hostile PDF or image stays a file.
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


# Inspector role grants (two people for every WBS reader) -------------------------------------


def _grant_units(user: Any) -> Any:
    """The units `user` may ask a new inspector for: all for an administrator, their own
    inspector subtrees otherwise."""
    if account_services.administers(user):
        return Unit.objects.order_by("path")
    paths = scoped(user, Action.WBS_HANDLE, Unit.objects.all(), unit_field="")
    return paths.order_by("path")


def _grant_post(request: HttpRequest, user: Any, form: GrantRequestForm) -> HttpResponse | None:
    do = request.POST.get("do", "")
    if do == "request":
        if form.is_valid():
            grantee = User.objects.filter(
                username=form.cleaned_data["username"], is_active=True
            ).first()
            if grantee is None:
                form.add_error("username", _("No active user has this user name."))
                return None
            try:
                account_services.grant_request(
                    user=grantee,
                    unit=form.cleaned_data["unit"],
                    by=user,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                errors_to_form(form, exc, default_field="username")
                return None
            messages.success(request, _("Request recorded: it awaits a second person's approval."))
            return redirect("wbs_grants")
        return None
    raw = request.POST.get("grant", "")
    valid = raw.isascii() and raw.isdigit() and len(raw) <= 12
    grant = RoleGrant.objects.filter(pk=int(raw)).first() if valid else None
    if grant is None or do not in ("approve", "refuse"):
        raise Http404
    if grant.pk not in set(account_services.visible_grants(user).values_list("pk", flat=True)):
        raise Http404
    try:
        if do == "approve":
            account_services.grant_approve(grant=grant, by=user)
            messages.success(request, _("Approved: the role is now assigned."))
        else:
            refuse = GrantRefuseForm(request.POST)
            note = refuse.cleaned_data["note"] if refuse.is_valid() else ""
            account_services.grant_refuse(grant=grant, by=user, note=note)
            messages.success(request, _("Refused: no role was assigned."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("wbs_grants")


@login_required
def grant_list(request: HttpRequest) -> HttpResponse:
    """Pending inspector grants: the requests, and the second person's approve or refuse."""
    user = request.user
    assert user.is_authenticated
    units = _grant_units(user)
    if not units.exists():
        raise PermissionDenied
    form = GrantRequestForm(
        request.POST if request.POST.get("do") == "request" else None, units=units
    )
    if request.method == "POST":
        response = _grant_post(request, user, form)
        if response is not None:
            return response
    grants = account_services.visible_grants(user)
    pending = [
        (
            g,
            account_services.may_approve(user, g),
            account_services.may_refuse(user, g),
        )
        for g in grants.filter(status=RoleGrant.Status.PENDING)
    ]
    decided = grants.exclude(status=RoleGrant.Status.PENDING).exclude(requested_by=None)[:30]
    return render(
        request,
        "whistleblowing/grants.html",
        {"form": form, "pending": pending, "decided": decided},
    )
