"""The SIASN buttons of HR's competency records page: pull an employee's riwayat kursus and
diklat, send one training record entered in sigap. Both POST, both back to the records page
with a message; off (or without credentials) the message says so and nothing is called."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sigap.access import Action, can, has_any_role
from sigap.competency.models import TrainingRecord
from sigap.integrations.siasn import SiasnError, siasn_import_training, siasn_push_training
from sigap.organisation.models import Employee, Unit


def _may(request: HttpRequest, unit: Unit | None = None) -> bool:
    actions = (Action.COMPETENCY_MANAGE, Action.ONBOARD_PEOPLE)
    if unit is None:
        return any(has_any_role(request.user, a) for a in actions)
    return any(can(request.user, a, unit) for a in actions)


@login_required
@require_POST
def training_pull(request: HttpRequest, employee_id: int) -> HttpResponse:
    if not _may(request):
        raise PermissionDenied
    employee = get_object_or_404(Employee.objects.select_related("unit"), pk=employee_id)
    if not _may(request, employee.unit):
        raise Http404
    try:
        result = siasn_import_training(employee, request.user)
    except SiasnError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _(
                "From SIASN: %(created)d training records added, %(already)d imported before, "
                "%(matched)d already recorded."
            )
            % {"created": result.created, "already": result.already, "matched": result.matched},
        )
    return redirect("competency_employee_records", employee_id=employee.pk)


@login_required
@require_POST
def training_push(request: HttpRequest, pk: int) -> HttpResponse:
    if not _may(request):
        raise PermissionDenied
    record = get_object_or_404(TrainingRecord.objects.select_related("employee__unit"), pk=pk)
    if not _may(request, record.employee.unit):
        raise Http404
    try:
        siasn_push_training(record, request.user)
    except SiasnError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The training record was sent to SIASN."))
    return redirect("competency_employee_records", employee_id=record.employee_id)
