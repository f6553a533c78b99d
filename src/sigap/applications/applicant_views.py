"""The applicant's own page (no password: the signed link in their messages), its product
download, and the form that sends the link again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_GET

from sigap.applications import applicant
from sigap.applications.forms import FixForm, LinkForm
from sigap.applications.views import read_upload
from sigap.booking.services import active_booking
from sigap.catalogue.requirements import Kind
from sigap.documents.models import Purpose
from sigap.documents.views import attachment
from sigap.notifications.links import LinkExpired, LinkInvalid, link_days, receipt_of
from sigap.service_requests.models import Outcome, ServiceRequest, Status
from sigap.service_requests.selectors import tracking
from sigap.surveys.views import too_many
from sigap.throttling import ratelimit
from sigap.web.errors import errors_to_form


@dataclass(frozen=True)
class Moment:
    """One line of the applicant's timeline."""

    at: datetime
    what: str
    note: str


def _moment_label(outcome: str, activity: str) -> str:
    if outcome == Outcome.DONE:
        return _("Done: %(step)s") % {"step": activity}
    labels: dict[str, str] = {
        Outcome.SUBMITTED: _("Your request was registered"),
        Outcome.RECEIVED: _("An officer took up your request"),
        Outcome.RETURNED: _("Returned to you for correction"),
        Outcome.WAITING: _("Waiting for you"),
        Outcome.RESUMED: _("Back with the officer"),
        Outcome.REJECTED: _("Rejected"),
    }
    return labels.get(outcome, activity)


def _timeline(sr: ServiceRequest) -> list[Moment]:
    # Reasons and corrections are for the applicant; officers' names are not shown.
    shown_notes = {Outcome.RETURNED, Outcome.WAITING, Outcome.REJECTED, Outcome.RESUMED}
    events = sr.events.order_by("seq").only("request", "timestamp", "outcome", "activity", "note")
    return [
        Moment(
            e.timestamp,
            _moment_label(e.outcome, e.activity),
            e.note if e.outcome in shown_notes else "",
        )
        for e in events
    ]


def _request_of(token: str) -> tuple[ServiceRequest | None, bool]:
    """The request a link names, or None and whether the link was real but expired."""
    try:
        code = receipt_of(token)
    except LinkExpired:
        return None, True
    except LinkInvalid:
        return None, False
    sr = (
        ServiceRequest.objects.filter(receipt_code=code)
        .select_related("service", "unit", "standard")
        .first()
    )
    return sr, False


def _bad_link(request: HttpRequest, expired: bool) -> HttpResponseBase:
    response = render(
        request,
        "applications/link_bad.html",
        {"expired": expired, "days": link_days(), "form": LinkForm()},
        status=410 if expired else 404,
    )
    return _private(response)


def _private(response: HttpResponseBase) -> HttpResponseBase:
    # The page's address is the applicant's key: kept out of search engines. The site-wide
    # `Referrer-Policy: same-origin` (settings) already keeps it from other sites; not
    # `no-referrer`, with which Chromium posts the page's forms with `Origin: null` and Django's
    # CSRF check refuses every real browser (docs/security.md).
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@csrf_protect
def page(request: HttpRequest, token: str) -> HttpResponseBase:
    sr, expired = _request_of(token)
    if sr is None:
        return _bad_link(request, expired)
    requirements = applicant.requirements_of_request(sr)
    answers = applicant.current_answers(sr)
    form = None
    if sr.status == Status.RETURNED or request.method == "POST":
        bound = request.method == "POST"
        form = FixForm(
            request.POST if bound else None,
            request.FILES if bound else None,
            requirements=requirements,
            answers=answers,
        )
    if request.method == "POST":
        decision = ratelimit.hit(request, "application")
        if not decision.allowed:
            return too_many(request, decision)
        fix = applicant.Fix()
        for req in requirements:
            name = f"req_{req.key}"
            upload = request.FILES.get(name)
            if req.kind is Kind.DOCUMENT and upload is not None:
                fix.uploads[req.key] = read_upload(upload)
            elif req.kind is Kind.FIELD and name in request.POST:
                fix.answers[req.key] = request.POST.get(name, "")
        try:
            applicant.applicant_fix(request=sr, fix=fix)
        except ValidationError as exc:
            assert form is not None
            form.is_valid()
            errors_to_form(form, exc)
        else:
            messages.success(
                request,
                _("Thank you: your correction is sent to the officer and your request is "
                  "being processed again."),
            )  # fmt: skip
            return redirect("applicant_page", token=token)
    tracked = tracking(sr.receipt_code)
    assert tracked is not None
    documents = sr.documents.order_by("uploaded_at", "pk")
    context = {
        "sr": sr,
        "t": tracked,
        "token": token,
        "masked_nik": sr.applicant_nik_masked,
        "timeline": _timeline(sr),
        "received": [d for d in documents if d.purpose == Purpose.REQUIREMENT],
        "products": [d for d in documents if d.purpose == Purpose.PRODUCT],
        "form": form,
        "days": link_days(),
        "resend": reverse("applicant_link_resend"),
        # A service that needs the applicant in person: their counter time, to book or change.
        "presence": sr.standard.needs_presence and not sr.is_finished,
        "booking": active_booking(sr) if sr.standard.needs_presence else None,
    }
    status = 400 if request.method == "POST" else 200
    return _private(render(request, "applications/applicant.html", context, status=status))


@never_cache
@require_GET
def product(request: HttpRequest, token: str, pk: int) -> HttpResponseBase:
    sr, expired = _request_of(token)
    if sr is None:
        return _bad_link(request, expired)
    try:
        document, path = applicant.product_open(request=sr, document_id=pk)
    except ValidationError as exc:
        for error in exc.message_dict.get("file", []):
            messages.error(request, error)
        return redirect("applicant_page", token=token)
    return _private(attachment(document, path))


@never_cache
@csrf_protect
def resend(request: HttpRequest) -> HttpResponse:
    """ "Send me my link again": the same answer whether or not the pair matched."""
    form = LinkForm(request.POST or None)
    if request.method == "POST":
        decision = ratelimit.hit(request, "link")
        if not decision.allowed:
            return too_many(request, decision)
        if form.is_valid():
            data = form.cleaned_data
            if not data["website"]:
                applicant.link_resend(receipt=data["receipt"], contact=data["contact"])
            return render(request, "applications/link_sent.html", {"days": link_days()})
    return render(
        request,
        "applications/link_resend.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
