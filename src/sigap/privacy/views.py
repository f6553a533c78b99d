"""PDP pages: the privacy notice, citizens' data requests, the staff queue, the breach register."""

from __future__ import annotations

import json
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from sigap.access import Action, has_any_role, scoped
from sigap.organisation.models import Unit
from sigap.privacy import categories, conf, selectors, services
from sigap.privacy.forms import AnswerForm, BreachForm, ReferenceForm, RequestForm
from sigap.privacy.models import Breach, Kind, PrivacyRequest, RequestStatus
from sigap.surveys.views import too_many
from sigap.throttling import ratelimit
from sigap.web.errors import errors_to_form, errors_to_messages


@require_GET
def notice(request: HttpRequest) -> HttpResponse:
    """The full privacy notice: every data category, its purpose, basis and retention."""
    return render(
        request,
        "privacy/notice.html",
        {
            "categories": categories.CATEGORIES,
            "officer": selectors.officer(),
            "request_hours": conf.request_hours(),
            "breach_hours": conf.breach_notice_hours(),
        },
    )


@never_cache
def request_new(request: HttpRequest) -> HttpResponse:
    """A citizen asks to see, correct or delete their data, or withdraws consent.

    The answer is the same whether or not the receipt and contact match a record."""
    form = RequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        decision = ratelimit.hit(request, "privacy")
        if not decision.allowed:
            return too_many(request, decision)
        if form.is_valid():
            data = form.cleaned_data
            submitted = services.privacy_request_submit(
                kind=data["kind"],
                receipt=data["receipt"],
                contact=data["contact"],
                details=data["details"],
                client_hash=ratelimit.client_hash(request, "privacy"),
            )
            return render(
                request,
                "privacy/request_done.html",
                {
                    "reference": services.formatted_reference(submitted.reference),
                    "pr": submitted.request,
                },
            )
        status = 400
    return render(request, "privacy/request_form.html", {"form": form}, status=status)


@never_cache
def request_status(request: HttpRequest) -> HttpResponse:
    """Status by reference, posted rather than put in the address (the reference is a secret)."""
    if request.method != "POST":
        return render(request, "privacy/status_form.html", {"form": ReferenceForm()})
    decision = ratelimit.hit(request, "status")
    if not decision.allowed:
        return too_many(request, decision)
    form = ReferenceForm(request.POST)
    pr = services.privacy_request_by_reference(form.data.get("reference", "")[:40])
    if pr is None:
        return render(
            request, "privacy/status_form.html", {"form": form, "unknown": True}, status=404
        )
    now = timezone.now()
    # Until the deadline an unmatched request reads exactly like a matched one being handled.
    unmatched = not pr.matched and now >= pr.due_at
    if request.POST.get("download") and pr.status == RequestStatus.FULFILLED and pr.export:
        response = HttpResponse(
            json.dumps(pr.export, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="data-pribadi.json"'
        return response
    return render(
        request,
        "privacy/status.html",
        {"pr": pr, "unmatched": unmatched, "reference": form.data.get("reference", "")},
    )


def _require_handler(request: HttpRequest) -> User:
    """The signed-in handler, for the pages' own choices; each write checks again, per unit."""
    user = request.user
    if not isinstance(user, User) or not has_any_role(user, Action.PRIVACY_HANDLE):
        raise PermissionDenied
    return user


@login_required
@require_GET
@never_cache
def queue(request: HttpRequest) -> HttpResponse:
    _require_handler(request)
    overdue_only = request.GET.get("terlambat") == "1"
    rows = list(selectors.request_queue(request.user, overdue_only=overdue_only)[:500])
    now = timezone.now()
    return render(
        request,
        "privacy/queue.html",
        {
            "rows": [(pr, pr.is_overdue(now)) for pr in rows],
            "overdue_only": overdue_only,
            "unmatched_open": PrivacyRequest.objects.filter(matched=False, due_at__gt=now).count(),
        },
    )


@login_required
@require_GET
@never_cache
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_handler(request)
    pr = selectors.request_for_user(request.user, pk)
    if pr is None:
        raise Http404
    subject = pr.subject
    fields = services.CORRECTABLE.get(pr.subject_type, ())
    correction = [
        (name, getattr(subject._meta.get_field(name), "verbose_name", name), getattr(subject, name))
        for name in fields
    ] if subject is not None and pr.kind == Kind.CORRECTION else []  # fmt: skip
    return render(
        request,
        "privacy/request_detail.html",
        {
            "pr": pr,
            "overdue": pr.is_overdue(timezone.now()),
            "correction": correction,
            "preview": selectors.subject_export(subject, at=timezone.now()) if subject else None,
            "form": AnswerForm(),
        },
    )


@login_required
@require_POST
def request_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = _require_handler(request)
    if action not in ("fulfil", "refuse"):
        raise Http404
    pr = selectors.request_for_user(request.user, pk)
    if pr is None:
        raise Http404
    answer = request.POST.get("answer", "")[:4000]
    try:
        if action == "fulfil":
            changes = {
                name: request.POST[f"field_{name}"][:300]
                for name in services.CORRECTABLE.get(pr.subject_type, ())
                if f"field_{name}" in request.POST
            }
            services.privacy_request_fulfil(pr=pr, user=user, answer=answer, changes=changes)
            messages.success(request, _("The request was fulfilled."))
        else:
            services.privacy_request_refuse(pr=pr, user=user, reason=answer)
            messages.success(request, _("The request was refused; the citizen sees the reason."))
    except ValidationError as exc:
        errors_to_messages(request, exc)
    return redirect("privacy_request_detail", pk=pr.pk)


def _countdown(breach: Breach) -> dict[str, object]:
    left = breach.notice_due - timezone.now()
    late = left < timedelta(0)
    minutes = int(abs(left).total_seconds() // 60)
    return {"late": late, "hours": minutes // 60, "minutes": minutes % 60}


@login_required
@require_GET
@never_cache
def breach_list(request: HttpRequest) -> HttpResponse:
    _require_handler(request)
    rows = list(selectors.breaches(request.user)[:200])
    return render(
        request,
        "privacy/breach_list.html",
        {"rows": [(b, _countdown(b)) for b in rows]},
    )


@login_required
@never_cache
def breach_new(request: HttpRequest) -> HttpResponse:
    user = _require_handler(request)
    units = scoped(request.user, Action.PRIVACY_HANDLE, Unit.objects.order_by("path"), "")
    form = BreachForm(request.POST or None, units=units)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                breach = services.breach_record(
                    unit=data["unit"],
                    user=user,
                    facts=services.BreachFacts(
                        title=data["title"],
                        discovered_at=data["discovered_at"],
                        occurred_at=data["occurred_at"],
                        how=data["how"],
                        data_categories=data["data_categories"],
                        subjects_count=data["subjects_count"],
                        measures=data["measures"],
                        contact=data["contact"],
                        public_notice=data["public_notice"],
                    ),
                )
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                return redirect("privacy_breach_detail", pk=breach.pk)
        status = 400
    return render(request, "privacy/breach_form.html", {"form": form}, status=status)


@login_required
@require_GET
@never_cache
def breach_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_handler(request)
    breach = selectors.breach_for_user(request.user, pk)
    if breach is None:
        raise Http404
    return render(
        request,
        "privacy/breach_detail.html",
        {"b": breach, "countdown": _countdown(breach), "hours": conf.breach_notice_hours()},
    )


@login_required
@require_POST
def breach_notified(request: HttpRequest, pk: int, recipient: str) -> HttpResponse:
    user = _require_handler(request)
    breach = selectors.breach_for_user(request.user, pk)
    if breach is None:
        raise Http404
    try:
        services.breach_mark_notified(breach=breach, user=user, recipient=recipient)
    except ValidationError as exc:
        errors_to_messages(request, exc)
    else:
        messages.success(request, _("The notice was recorded."))
    return redirect("privacy_breach_detail", pk=breach.pk)


def letter_text(breach: Breach, recipient: str) -> str:
    """The written notice of Pasal 46, in Bahasa Indonesia whatever the reader's language."""
    with translation.override("id"):
        return render_to_string(
            f"privacy/letter_{recipient}.txt",
            {
                "b": breach,
                "officer": selectors.officer(),
                "discovered": timezone.localtime(breach.discovered_at),
                "occurred": timezone.localtime(breach.occurred_at) if breach.occurred_at else None,
                "due": timezone.localtime(breach.notice_due),
                "hours": conf.breach_notice_hours(),
            },
        )


@login_required
@require_GET
@never_cache
def breach_letter(request: HttpRequest, pk: int, recipient: str) -> HttpResponse:
    _require_handler(request)
    if recipient not in ("subjects", "authority"):
        raise Http404
    breach = selectors.breach_for_user(request.user, pk)
    if breach is None:
        raise Http404
    text = letter_text(breach, recipient)
    if request.GET.get("format") == "txt":
        response = HttpResponse(text, content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="pemberitahuan-{recipient}-{breach.pk}.txt"'
        )
        return response
    return render(
        request,
        "privacy/breach_letter.html",
        {"b": breach, "text": text, "recipient": recipient},
    )
