"""SKP pages: overview, one employee's SKP (plan, evidence, ratings, corrections), calibration,
talent 9-box, potential import, discipline, and the PDF/XLSX exports.

Reads: APPRAISAL_VIEW (unit heads, HR, leadership) or one's own SKP. Rating: APPRAISAL_RATE over
the ratee's unit (the unit head); HR: APPRAISAL_CALIBRATE. The write functions authorise
themselves; the views ask the same functions (`services.require_rater`,
`services.require_calibrator`) first only to answer 403 before reading a form.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sigap.access import Action, can, has_any_role
from sigap.appraisals import conf, exports, selectors, services
from sigap.appraisals.forms import (
    INDICATOR_ROWS,
    AbsenceForm,
    CorrectionForm,
    OrgRatingForm,
    PotentialImportForm,
    RateForm,
    ResultForm,
    year_from,
)
from sigap.appraisals.models import (
    YEARLY,
    Appraisal,
    AppraisalCorrection,
    EvidenceSnapshot,
    OrgPredikat,
    PerformancePlan,
    Predikat,
    Rating,
)
from sigap.organisation.models import Employee, Unit
from sigap.rules.skp import BERAKHLAK
from sigap.web import backlinks, formatting
from sigap.web.errors import errors_to_messages
from sigap.web.fields import query_id


def _form_errors(request: HttpRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else None
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    """A write function's errors as messages, each named by the field as the page calls it."""
    labels = {
        "year": _("Year"),
        "results": _("Planned result"),
        "period": _("Period"),
        "hasil_kerja": _("Work results"),
        "perilaku_kerja": _("Work behaviour"),
        "reason": _("Reason"),
        "justification": _("Justification"),
        "predikat": _("Organisation predikat"),
        "kind": _("Kind"),
        "day": _("Date"),
    }
    errors_to_messages(request, exc, labels=labels)


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    if not has_any_role(request.user, Action.APPRAISAL_VIEW):
        raise PermissionDenied
    year = year_from(request.GET)
    search = request.GET.get("q", "").strip()[:100]
    unit_id = query_id(request.GET.get("unit"))
    qs = selectors.appraisal_overview(request.user, year, search=search, unit_id=unit_id)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "appraisals/overview.html",
        {"page": page, "year": year, "q": search, "unit_id": unit_id,
         "predikat": dict(Predikat.choices),
         "units": selectors.units_in_scope(request.user, Action.APPRAISAL_VIEW)},
    )  # fmt: skip


def _employee(request: HttpRequest, employee_id: int) -> Employee:
    employee = selectors.employee_for_user(request.user, employee_id)
    if employee is None:
        raise Http404  # same answer for "no such employee" and "not yours to read"
    return employee


@login_required
@require_GET
def employee_skp(request: HttpRequest, employee_id: int, year: int) -> HttpResponse:
    employee = _employee(request, employee_id)
    doc = selectors.skp_document(employee, year, viewer=request.user)
    may_rate = can(request.user, Action.APPRAISAL_RATE, employee.unit) and (
        employee.user_id != request.user.pk
    )
    yearly = doc.yearly
    context: dict[str, Any] = {
        "doc": doc,
        "year": year,
        "may_rate": may_rate,
        "result_form": ResultForm(parents=doc.rater_results),
        "rate_form": RateForm(initial={"period": YEARLY}),
        "correction_form": CorrectionForm(initial={"appraisal": yearly.pk if yearly else ""}),
        "berakhlak": BERAKHLAK,
        "ratings": dict(Rating.choices),
        "predikat": dict(Predikat.choices),
        "evidence_values": [
            (
                # the model's translatable labels; the PDF keeps its Indonesian ones
                getattr(EvidenceSnapshot._meta.get_field(name), "verbose_name", name),
                exports.evidence_value(doc.evidence, name),
            )
            for name, _label in exports.EVIDENCE_FIELDS
        ],
        "indicator_evidence": {
            ind.pk: exports.evidence_value(doc.evidence, ind.evidence_key)
            for r in doc.results
            for ind in r.indicators.all()
            if ind.evidence_key
        },
        "variants": conf.variants(),
        # Back to the overview, calibration, talent grid or scorecard it was opened from.
        "back": backlinks.back_for(
            request,
            f"skp:{employee_id}:{year}",
            backlinks.Back(f"{reverse('appraisal_overview')}?tahun={year}", _("Performance (SKP)")),
        ),
    }
    return render(request, "appraisals/employee.html", context)


def _rateable(request: HttpRequest, employee_id: int) -> Employee:
    employee = Employee.objects.select_related("unit").filter(pk=employee_id).first()
    if employee is None:
        raise PermissionDenied
    services.require_rater(request.user, employee)
    return employee


@login_required
@require_POST
def plan_add(request: HttpRequest, employee_id: int, year: int) -> HttpResponse:
    employee = _rateable(request, employee_id)
    doc_parents = selectors.skp_document(employee, year).rater_results
    form = ResultForm(request.POST, parents=doc_parents)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("appraisal_employee", employee_id=employee_id, year=year)
    data = form.cleaned_data
    indicators = [
        services.IndicatorInput(
            text=data[f"indicator_{i}"],
            target=data[f"target_{i}"],
            evidence_key=data[f"evidence_{i}"],
        )
        for i in range(1, INDICATOR_ROWS + 1)
        if data[f"indicator_{i}"] or data[f"target_{i}"]
    ]
    result = services.ResultInput(
        text=data["text"], indicators=indicators, parent_id=data["parent"]
    )
    plan = PerformancePlan.objects.filter(employee=employee, year=year).first()
    try:
        if plan is None:
            services.plan_create(employee=employee, year=year, results=[result], actor=request.user)  # type: ignore[arg-type]
        else:
            services.plan_add_result(plan=plan, result=result, actor=request.user)  # type: ignore[arg-type]
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Result added to the plan."))
    return redirect("appraisal_employee", employee_id=employee_id, year=year)


@login_required
@require_POST
def rate(request: HttpRequest, employee_id: int, year: int) -> HttpResponse:
    employee = _rateable(request, employee_id)
    plan = PerformancePlan.objects.filter(employee=employee, year=year).first()
    form = RateForm(request.POST)
    if plan is None:
        messages.error(request, _("There is no plan to rate yet."))
    elif not form.is_valid():
        _form_errors(request, form)
    else:
        data = form.cleaned_data
        try:
            services.appraisal_rate(
                plan=plan,
                period=data["period"],
                hasil_kerja=data["hasil_kerja"],
                perilaku_kerja=data["perilaku_kerja"],
                actor=request.user,  # type: ignore[arg-type]
                behaviour_notes=form.behaviour_notes(),
                peer_feedback=data["peer_feedback"],
                citizen_feedback=data["citizen_feedback"],
                finalise=data["finalise"],
                justification=data["justification"],
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Rating recorded."))
    return redirect("appraisal_employee", employee_id=employee_id, year=year)


def _correct(request: HttpRequest) -> Appraisal | None:
    """Shared by the rater's correction and HR's calibration: returns the appraisal changed."""
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return None
    data = form.cleaned_data
    appraisal = (
        Appraisal.objects.select_related("plan__employee__unit", "unit")
        .filter(pk=data["appraisal"])
        .first()
    )
    if appraisal is None:
        raise Http404
    try:
        services.appraisal_correct(
            appraisal=appraisal,
            hasil_kerja=data["hasil_kerja"],
            perilaku_kerja=data["perilaku_kerja"],
            reason=data["reason"],
            actor=request.user,  # type: ignore[arg-type]
            kind=data["kind"],
            justification=data["justification"],
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Change recorded with its reason."))
    return appraisal


@login_required
@require_POST
def correct(request: HttpRequest, employee_id: int, year: int) -> HttpResponse:
    _rateable(request, employee_id)
    _correct(request)
    return redirect("appraisal_employee", employee_id=employee_id, year=year)


@login_required
@require_GET
def skp_pdf(request: HttpRequest, employee_id: int, year: int) -> HttpResponse:
    employee = _employee(request, employee_id)
    # The SKP is an Indonesian document whatever the page language (a correction's kind, a
    # rating's words: every gettext label in it is written in Indonesian).
    with translation.override("id"):
        pdf = exports.skp_pdf(selectors.skp_document(employee, year))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="skp-{year}-{employee.nip}.pdf"'
    return response


@login_required
@require_GET
def calibration(request: HttpRequest) -> HttpResponse:
    if not has_any_role(request.user, Action.APPRAISAL_VIEW):
        raise PermissionDenied
    year = year_from(request.GET)
    result = selectors.calibration(request.user, year)
    may_calibrate = selectors.may_calibrate(request.user)
    query = " ".join(request.GET.get("cari", "").split())[:100]
    options, more = _adjust_options(result, query) if may_calibrate and query else ([], False)
    return render(
        request,
        "appraisals/calibration.html",
        {
            "cal": result,
            "year": year,
            "may_calibrate": may_calibrate,
            "ratings": Rating.choices,
            "org_choices": OrgRatingForm.base_fields["predikat"].choices,  # type: ignore[attr-defined]
            "org_labels": dict(OrgPredikat.choices),
            "calibration_kind": AppraisalCorrection.Kind.CALIBRATION,
            "inflation": conf.inflation(),
            "predikat": dict(Predikat.choices),
            "unit_names": {r.unit.pk: r.unit.name for r in result.units},
            "adjust_query": query,
            "adjust_options": options,
            "adjust_more": more,
        },
    )


ADJUST_MATCHES = 30


def _adjust_options(
    result: Any, query: str
) -> tuple[list[tuple[str, list[tuple[int, str]]]], bool]:
    """The calibration form's choice of appraisal: the rated people whose name contains
    `query` or whose NIP starts with it (at most ADJUST_MATCHES), one label each. A search first,
    then a short list: a whole pemda is 1,500 names, which no one picks from a dropdown. The
    flag says more people matched than are listed."""
    predikat = dict(Predikat.choices)
    needle = query.casefold()
    digits = query.replace(" ", "")
    out = []
    shown = 0
    for r in result.units:
        options = []
        for p in r.people:
            if needle not in p.name.casefold() and not (digits and p.nip.startswith(digits)):
                continue
            shown += 1
            if shown > ADJUST_MATCHES:
                break
            label = f"{p.name}{f' ({p.nip})' if p.nip else ''} — {predikat.get(p.predikat, '')}"
            if p.evidence is not None:
                label += f" ({_('evidence')} {formatting.decimal(p.evidence, 2)})"
            if p.integrity.findings:
                label += " · " + ngettext(
                    "%(n)s confirmed integrity finding",
                    "%(n)s confirmed integrity findings",
                    p.integrity.confirmed,
                ) % {"n": p.integrity.confirmed}
            elif p.integrity.flags:
                label += " · " + _("open integrity flags")
            options.append((p.appraisal_id, label))
        if options:
            out.append((r.unit.name, options))
    return out, shown > ADJUST_MATCHES


@login_required
@require_POST
def calibration_adjust(request: HttpRequest) -> HttpResponse:
    services.require_calibrator(request.user)
    appraisal = _correct(request)
    year = appraisal.plan.year if appraisal else year_from(request.POST)
    return redirect(f"{reverse('calibration')}?tahun={year}")


@login_required
@require_POST
def org_rating(request: HttpRequest) -> HttpResponse:
    services.require_calibrator(request.user)
    form = OrgRatingForm(request.POST)
    year = year_from(request.POST)
    if form.is_valid():
        unit = Unit.objects.filter(pk=form.cleaned_data["unit"]).first()
        if unit is None:
            raise Http404
        year = form.cleaned_data["year"]
        try:
            services.org_rating_set(
                unit=unit,
                year=year,
                predikat=form.cleaned_data["predikat"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Organisation predikat recorded."))
    else:
        _form_errors(request, form)
    return redirect(f"{reverse('calibration')}?tahun={year}")


@login_required
@require_GET
def talent(request: HttpRequest) -> HttpResponse:
    if not has_any_role(request.user, Action.TALENT_VIEW):
        raise PermissionDenied
    year = year_from(request.GET)
    return render(
        request,
        "appraisals/talent.html",
        {"grid": selectors.talent_grid(request.user, year), "year": year,
         "predikat": dict(Predikat.choices)},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def potential_import(request: HttpRequest) -> HttpResponse:
    services.require_calibrator(request.user)
    form = PotentialImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        raw = form.cleaned_data["file"].read(2_000_000)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
        try:
            count = services.potential_import(
                text=text,
                year=form.cleaned_data["year"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except services.ImportFailed as exc:
            problems = exc.lines
        except ValidationError as exc:
            problems = exc.messages
        else:
            messages.success(request, _("%d potential scores imported.") % count)
            return redirect(f"{reverse('talent')}?tahun={form.cleaned_data['year']}")
    return render(
        request,
        "appraisals/potential_import.html",
        {"form": form, "problems": problems, "variants": conf.variants()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def discipline(request: HttpRequest) -> HttpResponse:
    services.require_calibrator(request.user)
    year = year_from(request.GET)
    form = AbsenceForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            employee = (
                Employee.objects.select_related("unit")
                .filter(nip=form.cleaned_data["nip"].replace(" ", ""))
                .first()
            )
            if employee is None or not can(request.user, Action.APPRAISAL_CALIBRATE, employee.unit):
                messages.error(request, _("Unknown NIP."))
            else:
                try:
                    services.absence_record(
                        employee=employee,
                        day=form.cleaned_data["day"],
                        note=form.cleaned_data["note"],
                        actor=request.user,  # type: ignore[arg-type]
                    )
                except ValidationError as exc:
                    _errors(request, exc)
                else:
                    messages.success(request, _("Absence recorded."))
                    year = form.cleaned_data["day"].year
        else:
            _form_errors(request, form)
        return redirect(f"{reverse('discipline')}?tahun={year}")
    return render(
        request,
        "appraisals/discipline.html",
        {"rows": selectors.discipline_overview(request.user, year), "year": year, "form": form},
    )


@login_required
@require_GET
def unit_recap(request: HttpRequest) -> HttpResponse:
    if not has_any_role(request.user, Action.APPRAISAL_VIEW):
        raise PermissionDenied
    year = year_from(request.GET)
    unit = None
    raw = request.GET.get("unit", "")
    if raw:
        unit_id = query_id(raw)
        unit = Unit.objects.filter(pk=unit_id).first() if unit_id else None
        if unit is None or not can(request.user, Action.APPRAISAL_VIEW, unit):
            raise Http404
    data = exports.unit_recap_xlsx(year, selectors.recap_rows(request.user, year, unit))
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    suffix = f"-{unit.code}" if unit else ""
    response["Content-Disposition"] = f'attachment; filename="rekap-skp-{year}{suffix}.xlsx"'
    return response
