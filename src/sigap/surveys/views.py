"""The public SKM form (no JavaScript needed), its QR code, IKM results and the public IKM page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sigap.access import Action, can, has_any_role
from sigap.analytics.ikm import IkmPoint, PeriodKind
from sigap.catalogue.models import Service
from sigap.notifications import survey_links
from sigap.rules.contact import contact_matches
from sigap.rules.ikm import ELEMENTS
from sigap.rules.skm import SurveyMoment
from sigap.service_requests.selectors import units_in_scope
from sigap.surveys import selectors, services
from sigap.surveys.forms import ApplicantContactForm, ResultsFilterForm, SurveyForm
from sigap.surveys.models import SurveyChannel
from sigap.surveys.templatetags.skm import qr_svg_bytes
from sigap.throttling import ratelimit
from sigap.web import backlinks, formatting
from sigap.web.errors import errors_to_form


def too_many(request: HttpRequest, decision: ratelimit.Decision) -> HttpResponse:
    minutes = max(1, decision.retry_after // 60)
    response = render(
        request,
        "surveys/too_many.html",
        {"minutes": minutes, "limit": decision.limit},
        status=429,
    )
    response["Retry-After"] = str(decision.retry_after)
    return response


def _service(code: str) -> Service:
    service = Service.objects.filter(code=code, is_active=True).select_related("unit").first()
    if service is None:
        raise Http404
    return service


def survey_url(request: HttpRequest, service: Service, via: str = "qr", token: str = "") -> str:
    query = f"?via={via}" + (f"&t={token}" if token else "")
    return request.build_absolute_uri(f"/skm/{service.code}/{query}")


def _request_of(code: str, service: Service) -> tuple[int, str, str] | None:
    """(key, status, receipt code) of the request of `service` with this receipt code, or None."""
    from sigap.service_requests.models import ServiceRequest
    from sigap.service_requests.services import normalise_receipt_code

    code = normalise_receipt_code(code)
    if not code:
        return None
    return (
        ServiceRequest.objects.filter(receipt_code=code, service=service)
        .values_list("pk", "status", "receipt_code")
        .first()
    )


def survey_form(request: HttpRequest, service_code: str) -> HttpResponse:
    """The questionnaire for one service (and so one unit), reached by link or QR code.

    Anonymous for anyone; tied to a request only with the applicant's survey token (`t`,
    `sigap.notifications.survey_links`), which the form carries along. A token that names no
    request of this service (edited by hand) is ignored: the answers count, anonymously."""
    service = _service(service_code)
    via = request.GET.get("via", "")
    channel = via if via in (SurveyChannel.QR, SurveyChannel.RECEIPT) else SurveyChannel.WEB
    sent = request.POST if request.method == "POST" else request.GET
    token = sent.get("t", "")[:400]
    code = survey_links.receipt_of(token)
    tied = _request_of(code, service) if code else None
    if tied is None:
        token = ""
    if request.method == "POST":
        form = SurveyForm(request.POST)
        decision = ratelimit.hit(request, "survey")
        if not decision.allowed:
            return too_many(request, decision)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.survey_submit(
                    service=service,
                    answers={e.code: data[e.code] for e in ELEMENTS},
                    respondent=services.Respondent(
                        gender=data["gender"],
                        age_band=data["age_band"],
                        education=data["education"],
                        occupation=data["occupation"],
                    ),
                    comment=data["comment"],
                    receipt_code=tied[2] if tied else "",
                    receipt_token=token,
                    channel=channel,
                    client_hash=ratelimit.client_hash(request, "survey"),
                )
            except ValidationError as exc:
                errors_to_form(form, exc)  # a refused receipt: above the form
            else:
                return redirect("survey_thanks")
        status = 400
    else:
        kode = request.GET.get("kode", "")[:20]
        if tied is None and kode:
            # A receipt printed or a message sent before the survey asked for proof links here
            # with `?kode=`: its request's questionnaire opens through the applicant's check.
            legacy = _request_of(kode, service)
            if legacy is not None:
                return redirect("survey_for_receipt", code=legacy[2])
        if tied is not None:
            moment = selectors.receipt_moment(request_id=tied[0], status=tied[1])
            if moment is not SurveyMoment.OPEN:
                return _not_now(request, moment, service, tied[2])
        form = SurveyForm(initial={"t": token})
        status = 200
    response = render(
        request,
        "surveys/form.html",
        {"form": form, "service": service, "code": tied[2] if tied else ""},
        status=status,
    )
    if tied is not None:
        add_never_cache_headers(response)  # the moment changes, and the token is the applicant's
    return response


@require_GET
def survey_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "surveys/thanks.html")


@require_GET
def survey_qr(request: HttpRequest, service_code: str) -> HttpResponse:
    """The QR code printed at the counter: an SVG that opens this service's questionnaire."""
    service = _service(service_code)
    svg = qr_svg_bytes(survey_url(request, service))
    return HttpResponse(svg, content_type="image/svg+xml")


@require_GET
def survey_poster(request: HttpRequest, service_code: str) -> HttpResponse:
    """A printable A4 poster for the counter with the QR code."""
    service = _service(service_code)
    return render(
        request,
        "surveys/poster.html",
        {"service": service, "url": survey_url(request, service)},
    )


@require_GET
def ikm_public(request: HttpRequest) -> HttpResponse:
    """The latest IKM of every unit, for the public (PermenPANRB 14/2017: results published)."""
    points, names = selectors.latest_public()
    latest = max((p.period for p in points), default="")
    context = {
        "points": points,
        "names": names,
        "weighting": selectors.weighting(),
        "agency": selectors.agency_ikm(latest) if latest else None,
    }
    return render(request, "surveys/public.html", context)


@dataclass(frozen=True)
class _Cell:
    text: str
    css: str


@dataclass(frozen=True)
class _ResultRow:
    point: IkmPoint
    name: str | None
    cells: list[_Cell]


def _result_rows(res: selectors.Results) -> list[_ResultRow]:
    """The results table's rows with each unsur's cell formatted here, once: the template's
    loop over (rows × unsur) with a look-up and a filter per cell was most of the page's time
    on the full demo. Formatted by the formatting layer, in the page's language."""
    rows = []
    for p in res.points:
        cells = []
        for e in ELEMENTS:
            v = p.result.nrr.get(e.code)
            cells.append(
                _Cell(
                    formatting.decimal(v, 2),
                    "weakest" if e.code in p.result.weakest else "",
                )
            )
        rows.append(_ResultRow(p, res.names.get(p.group), cells))
    return rows


@login_required
@require_GET
def ikm_results(request: HttpRequest) -> HttpResponse:
    if not has_any_role(request.user, Action.SURVEY_VIEW):
        raise PermissionDenied
    form = ResultsFilterForm(request.GET or None)
    kind, group, year = PeriodKind.QUARTER, "unit", timezone.localdate().year
    if form.is_valid():
        kind = PeriodKind(form.cleaned_data["period"] or "quarter")
        group = form.cleaned_data["group"] or "unit"
        year = form.cleaned_data["year"] or year
    res = selectors.results_for_user(request.user, group=group, kind=kind, year=year)
    context: dict[str, Any] = {
        "form": form,
        "res": res,
        "rows": _result_rows(res),
        "elements": ELEMENTS,
        "group": group,
        "units": units_in_scope(request.user, Action.SURVEY_VIEW)[:200],
        "kind": kind,
    }
    return render(request, "surveys/results.html", context)


@login_required
@require_GET
def skm_report(request: HttpRequest, unit_id: int, period: str, fmt: str) -> HttpResponse:
    """Laporan SKM of a unit (and its subtree) for a period, as PDF or XLSX."""
    from sigap.organisation.models import Unit
    from sigap.surveys import reports

    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None or not can(request.user, Action.SURVEY_VIEW, unit):
        raise Http404
    if fmt not in ("pdf", "xlsx"):
        raise Http404
    # The Laporan SKM is an Indonesian document whatever the page language: every label that
    # goes through gettext (a choice, an element, a profile group) is written in Indonesian.
    with translation.override("id"):
        try:
            report = reports.build(unit, period)
        except ValueError:
            raise Http404 from None
        if fmt == "xlsx":
            body = reports.to_xlsx(report)
            ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            body = reports.to_pdf(report)
            ctype = "application/pdf"
    name = f"laporan-skm-{unit.code}-{period}"
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@never_cache
def survey_for_receipt(request: HttpRequest, code: str) -> HttpResponse:
    """From a receipt code to its questionnaire, for its applicant only (`survey_links`).

    Said first, to anyone: when the request may not be rated now (`sigap.rules.skm`: not yet,
    rejected, or already rated), the page saying why. Else the applicant's survey token (`?t=`,
    from the message, the own page or the receipt slip's QR code) opens the questionnaire, and
    without it the page asks for the contact given with the request (rate-limited: a pair of
    code and contact cannot be probed)."""
    from sigap.service_requests.models import ServiceRequest
    from sigap.service_requests.services import normalise_receipt_code

    code = normalise_receipt_code(code)
    sr = ServiceRequest.objects.filter(receipt_code=code).select_related("service__unit").first()
    if sr is None:
        raise Http404
    moment = selectors.receipt_moment(request_id=sr.pk, status=sr.status)
    if moment is not SurveyMoment.OPEN:
        return _not_now(request, moment, sr.service, sr.receipt_code)
    token = request.GET.get("t", "")[:400]
    if survey_links.proves(token, sr.receipt_code):
        return redirect(survey_url(request, sr.service, via="receipt", token=token))
    form = ApplicantContactForm(request.POST or None)
    if request.method == "POST":
        decision = ratelimit.hit(request, "skm_contact")
        if not decision.allowed:
            return too_many(request, decision)
        if form.is_valid():
            if contact_matches(form.cleaned_data["contact"], sr.applicant_contact):
                token = survey_links.survey_token(sr.receipt_code)
                return redirect(survey_url(request, sr.service, via="receipt", token=token))
            form.add_error(
                "contact",
                _("This is not the number or e-mail given with request %s. Check it, or open "
                  "the survey from the message we sent or the QR code of the receipt slip.")
                % sr.receipt_code,
            )  # fmt: skip
    return render(
        request,
        "surveys/applicant_check.html",
        # Nothing said about the request's contact (whether there is one): a stranger learns
        # nothing here; an applicant without one uses the receipt slip's QR code.
        {"form": form, "service": sr.service, "code": sr.receipt_code},
        status=400 if form.errors else 200,
    )  # fmt: skip


def _not_now(
    request: HttpRequest, moment: SurveyMoment, service: Service, code: str
) -> HttpResponse:
    """In place of the questionnaire: not yet (an open request), no (a rejected one: the
    complaint instead), or thank you (already rated). Never cached: the moment changes."""
    response = render(
        request, "surveys/not_now.html", {"moment": moment, "service": service, "code": code}
    )
    add_never_cache_headers(response)
    return response


@login_required
def skm_follow_up(request: HttpRequest, unit_id: int, period: str) -> HttpResponse:
    """The follow-up plan of a unit's SKM for a period: read by SKM readers, written by its head."""
    from sigap.organisation.models import Unit
    from sigap.rules.ikm import element
    from sigap.surveys.forms import FollowUpForm
    from sigap.surveys.models import SurveyFollowUp

    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None or not can(request.user, Action.SURVEY_VIEW, unit):
        raise Http404
    may_plan = can(request.user, Action.SURVEY_PLAN, unit)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST":
        if not may_plan:  # spares a form's errors to someone who may not write; the service decides
            raise PermissionDenied
        if form.is_valid():
            try:
                services.survey_follow_up_add(unit=unit, period=period, user=request.user,  # type: ignore[arg-type]
                                              **form.cleaned_data)  # fmt: skip
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                return redirect("skm_follow_up", unit_id=unit.pk, period=period)
    rows = [
        (element(f.element).name, f)
        for f in SurveyFollowUp.objects.filter(unit=unit, period=period).order_by("pk")
    ]
    return render(
        request,
        "surveys/follow_up.html",
        {
            "unit": unit,
            "period": period,
            "rows": rows,
            "form": form,
            "may_plan": may_plan,
            "back": backlinks.back_for(
                request,
                f"skm-plan:{unit.pk}:{period}",
                backlinks.Back(reverse("ikm_results"), _("SKM results")),
            ),
        },
        status=400 if request.method == "POST" else 200,
    )
