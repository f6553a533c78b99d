"""HR's pages of the competency records: an employee's assessments and trainings, the forms to
add one, the two imports, and the certificate download (the employee, HR, the unit head)."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sigap.access import Action, can, has_any_role
from sigap.competency import records
from sigap.competency.forms import AssessmentForm, ImportForm, TrainingForm
from sigap.competency.models import Assessment, Competency, TrainingRecord
from sigap.documents.services import max_bytes, refusal_message, safe_name
from sigap.documents.sniff import Refused
from sigap.organisation.models import Employee
from sigap.web.errors import errors_to_form, errors_to_messages


def _managed_employee(request: HttpRequest, employee_id: int) -> Employee:
    """The employee whose records the user keeps: 403 without the HR role anywhere, 404 for
    an employee outside the user's units (the same answer as for one that does not exist)."""
    if not has_any_role(request.user, Action.COMPETENCY_MANAGE):
        raise PermissionDenied
    employee = get_object_or_404(
        Employee.objects.select_related("unit", "position"), pk=employee_id
    )
    if not can(request.user, Action.COMPETENCY_MANAGE, employee.unit):
        raise Http404
    return employee


@login_required
@require_GET
def employee_records(request: HttpRequest, employee_id: int) -> HttpResponse:
    employee = _managed_employee(request, employee_id)
    assessments = (
        Assessment.objects.filter(employee=employee)
        .select_related("competency")
        .order_by("competency__name", "-assessed_on", "-id")
    )
    history = [
        (competency, list(items))
        for competency, items in groupby(assessments, key=lambda a: a.competency)
    ]
    trainings = (
        TrainingRecord.objects.filter(employee=employee)
        .select_related("service")
        .prefetch_related(Prefetch("competencies", queryset=Competency.objects.order_by("name")))
        .order_by("-starts_on", "-id")
    )
    return render(
        request,
        "competency/records/employee.html",
        {"employee": employee, "history": history, "trainings": trainings},
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_add(request: HttpRequest, employee_id: int) -> HttpResponse:
    employee = _managed_employee(request, employee_id)
    form = AssessmentForm(request.POST or None, employee=employee)
    if request.method == "POST" and form.is_valid():
        try:
            records.assessment_record(employee=employee, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The assessment result is recorded."))
            return redirect("competency_employee_records", employee_id=employee.pk)
    return render(
        request, "competency/records/assessment_form.html", {"employee": employee, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def training_add(request: HttpRequest, employee_id: int) -> HttpResponse:
    employee = _managed_employee(request, employee_id)
    form = TrainingForm(request.POST or None, request.FILES or None, employee=employee)
    if request.method == "POST" and form.is_valid():
        data: dict[str, Any] = dict(form.cleaned_data)
        upload = data.pop("certificate")
        try:
            if upload is not None and upload.size > max_bytes():
                raise ValidationError({"certificate": refusal_message(Refused("too_large"))})
            records.training_record(
                employee=employee,
                actor=request.user,
                competencies=list(data.pop("competencies")),
                certificate=upload.read(max_bytes() + 1) if upload is not None else None,
                certificate_filename=(upload.name or "") if upload is not None else "",
                **data,
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The training is recorded."))
            return redirect("competency_employee_records", employee_id=employee.pk)
    return render(
        request, "competency/records/training_form.html", {"employee": employee, "form": form}
    )


def _import_page(
    request: HttpRequest, template: str, run: Any, context: dict[str, Any]
) -> HttpResponse:
    if not has_any_role(request.user, Action.COMPETENCY_MANAGE):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[records.Problem] = []
    summary: records.ImportSummary | None = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        name = safe_name(upload.name or "")
        try:
            summary = run(file=upload.read(), name=name, actor=request.user)
        except records.ImportRefused as exc:
            problems = exc.problems
    return render(
        request, template, {"form": form, "problems": problems, "summary": summary, **context}
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_import(request: HttpRequest) -> HttpResponse:
    return _import_page(
        request,
        "competency/records/assessment_import.html",
        records.assessments_import,
        {},
    )


@login_required
@require_http_methods(["GET", "POST"])
def siasn_import(request: HttpRequest) -> HttpResponse:
    return _import_page(
        request,
        "competency/records/siasn_import.html",
        records.siasn_training_import,
        {"routes": records.route_table()},
    )


@login_required
@require_GET
def certificate(request: HttpRequest, pk: int) -> HttpResponseBase:
    record = get_object_or_404(TrainingRecord.objects.select_related("employee__unit"), pk=pk)
    try:
        path = records.certificate_open(record=record, user=request.user)
    except PermissionDenied:
        raise Http404 from None  # the same answer as for a record that does not exist
    except ValidationError as exc:
        errors_to_messages(request, exc)
        if can(request.user, Action.COMPETENCY_MANAGE, record.employee.unit):
            return redirect(reverse("competency_employee_records", args=[record.employee_id]))
        raise Http404 from None
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"sertifikat-{record.pk}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
