"""The AKPK pages: a unit's plan (the unit head sees it, edits draft items and approves) and the
agency's (HR: every unit's plan, the agency plan, approval and export). Scoped by the access
helper: COMPETENCY_VIEW to read, the DEVPLAN_* actions to act."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from sigap.access import Action, can, has_any_role, scope_q
from sigap.competency.akpk import (
    PlanError,
    may_edit,
    plan_hr_approve,
    plan_item_edit,
    plan_unit,
    plan_unit_approve,
    plan_xlsx,
)
from sigap.competency.models import ROUTE_CHOICES, DevelopmentPlan, PlanItem
from sigap.competency.people import agencies_for_user
from sigap.organisation.models import Unit
from sigap.web import formatting
from sigap.web.exports import xlsx_response
from sigap.web.fields import query_id
from sigap.web.said import from_stored, said

PLAN_ERRORS: dict[str, Any] = {
    "not_draft": gettext_lazy("Only a draft plan can be changed or approved by the unit head."),
    "unit_first": gettext_lazy("The unit head approves this plan first."),
    "approved": gettext_lazy("This plan is already approved."),
    "agency_plan": gettext_lazy("The agency plan is approved by HR alone."),
    "units_first": gettext_lazy(
        "The agency plan is approved once every unit's plan of the year has been approved."
    ),
}


def _reader(request: HttpRequest) -> None:
    if not has_any_role(request.user, Action.COMPETENCY_VIEW):
        raise PermissionDenied


def _plan_in_scope(request: HttpRequest, pk: int) -> DevelopmentPlan:
    _reader(request)
    plan = (
        DevelopmentPlan.objects.select_related(
            "agency", "unit", "unit_approved_by", "hr_approved_by"
        )
        .filter(pk=pk)
        .first()
    )
    if plan is None or not can(request.user, Action.COMPETENCY_VIEW, plan_unit(plan)):
        raise Http404
    return plan


def _units_pending(plan: DevelopmentPlan) -> bool:
    """Whether a unit plan of the agency plan's year is not yet approved by HR."""
    return (
        DevelopmentPlan.objects.filter(agency_id=plan.agency_id, year=plan.year)
        .exclude(unit__isnull=True)
        .exclude(status=DevelopmentPlan.Status.APPROVED)
        .exists()
    )


@dataclass
class ItemRow:
    item: PlanItem
    employees: list[Any]
    evidence: str
    route_label: str
    schedule: str


def _months(year: int) -> list[tuple[int, str]]:
    return [(m, formatting.month(date(year, m, 1))) for m in range(1, 13)]


def _plan_context(request: HttpRequest, plan: DevelopmentPlan) -> dict[str, Any]:
    labels = dict(ROUTE_CHOICES)
    rows = [
        ItemRow(
            item,
            sorted(item.employees.all(), key=lambda e: e.name),
            said(from_stored(item.evidence)),
            str(labels.get(item.route, "")),
            formatting.month(date(plan.year, item.month, 1)) if item.month else "—",
        )
        for item in plan.items.select_related("competency", "service").prefetch_related("employees")
    ]
    unit = plan_unit(plan)
    user = request.user
    draft = plan.status == DevelopmentPlan.Status.DRAFT
    # One query: whether some unit plan of the year still waits (the agency plan only).
    pending = plan.unit is None and draft and _units_pending(plan)
    return {
        "plan": plan,
        "rows": rows,
        "total_budget": sum((r.item.budget for r in rows), Decimal(0)),
        "total_jp": sum((r.item.jp for r in rows), Decimal(0)),
        "can_edit": may_edit(user, plan),
        "can_unit_approve": draft
        and plan.unit is not None
        and can(user, Action.DEVPLAN_UNIT_APPROVE, unit),
        "can_hr_approve": can(user, Action.DEVPLAN_HR_APPROVE, unit)
        and plan.status
        == (DevelopmentPlan.Status.UNIT_APPROVED if plan.unit else DevelopmentPlan.Status.DRAFT)
        and not pending,
        "units_pending": pending,
        "routes": ROUTE_CHOICES,
        "months": _months(plan.year),
    }


@login_required
@require_GET
def plan_unit_page(request: HttpRequest, year: int, unit_id: int) -> HttpResponse:
    _reader(request)
    unit = Unit.objects.select_related("agency").filter(pk=unit_id).first()
    if unit is None or not can(request.user, Action.COMPETENCY_VIEW, unit):
        raise Http404
    plan = (
        DevelopmentPlan.objects.select_related(
            "agency", "unit", "unit_approved_by", "hr_approved_by"
        )
        .filter(unit=unit, year=year)
        .first()
    )
    context: dict[str, Any] = {"unit": unit, "year": year, "plan": None}
    if plan is not None:
        context.update(_plan_context(request, plan))
    return render(request, "competency/plan/unit.html", context)


@login_required
@require_GET
def plan_agency_page(request: HttpRequest, year: int) -> HttpResponse:
    _reader(request)
    agencies = agencies_for_user(request.user)
    if not agencies:
        raise PermissionDenied
    wanted = query_id(request.GET.get("instansi"))
    agency = next((a for a in agencies if a.pk == wanted), agencies[0])
    plan = (
        DevelopmentPlan.objects.select_related(
            "agency", "unit", "unit_approved_by", "hr_approved_by"
        )
        .filter(agency=agency, unit__isnull=True, year=year)
        .first()
    )
    units = (
        DevelopmentPlan.objects.filter(
            scope_q(request.user, Action.COMPETENCY_VIEW),
            agency=agency,
            year=year,
            unit__isnull=False,
        )
        .select_related("unit")
        .annotate(n_items=Count("items", distinct=True), budget=Sum("items__budget"))
        .order_by("unit__path")
    )
    context: dict[str, Any] = {
        "agency": agency,
        "agencies": agencies,
        "year": year,
        "unit_plans": units,
        "plan": None,
    }
    if plan is not None:
        context.update(_plan_context(request, plan))
    return render(request, "competency/plan/agency.html", context)


def _back(plan: DevelopmentPlan) -> str:
    if plan.unit_id is None:
        url = reverse("competency_plan_agency", args=[plan.year])
        return f"{url}?instansi={plan.agency_id}"
    return reverse("competency_plan_unit", args=[plan.year, plan.unit_id])


@login_required
@require_POST
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_in_scope(request, pk)
    step = request.POST.get("step", "")
    try:
        if step == "unit":
            plan_unit_approve(plan=plan, actor=request.user)
            messages.success(request, _("The plan is approved by the unit head."))
        elif step == "hr":
            plan_hr_approve(plan=plan, actor=request.user)
            messages.success(request, _("The plan is approved by HR."))
        else:
            messages.error(request, _("Choose who approves."))
    except PlanError as exc:
        messages.error(request, str(PLAN_ERRORS.get(exc.code, exc.code)))
    return redirect(_back(plan))


def _decimal(text: str, places: int) -> Decimal | None:
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value != round(value, places):
        return None
    return value


@login_required
@require_POST
def plan_item_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    _reader(request)
    item = PlanItem.objects.select_related("plan__unit", "plan__agency").filter(pk=pk).first()
    if item is None or not can(request.user, Action.COMPETENCY_VIEW, plan_unit(item.plan)):
        raise Http404
    post = request.POST
    route = post.get("route", "")
    month_text = post.get("month", "")
    jp = _decimal(post.get("jp", ""), 2)
    budget = _decimal(post.get("budget", ""), 0)
    provider = post.get("provider", "").strip()
    problems = []
    if route not in dict(ROUTE_CHOICES):
        problems.append(_("Choose a development route from the list."))
    if month_text and not (month_text.isdigit() and 1 <= int(month_text) <= 12):
        problems.append(_("Choose a month from the list."))
    if jp is None or jp > 9999:
        problems.append(_("JP: a number of hours of at least 0, with at most two decimals."))
    if budget is None or budget >= 10**14:
        problems.append(_("Budget: a whole number of rupiah of at least 0."))
    if len(provider) > 300:
        problems.append(_("Provider: at most 300 characters."))
    if problems:
        for p in problems:
            messages.error(request, p)
        return redirect(_back(item.plan))
    try:
        plan_item_edit(
            item=item,
            actor=request.user,
            route=route,
            provider=provider,
            month=int(month_text) if month_text else None,
            jp=jp or Decimal(0),
            budget=budget or Decimal(0),
        )
    except PlanError as exc:
        messages.error(request, str(PLAN_ERRORS.get(exc.code, exc.code)))
    else:
        messages.success(request, _("Item %(rank)d is saved.") % {"rank": item.rank})
    return redirect(_back(item.plan))


@login_required
@require_GET
def plan_export(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_in_scope(request, pk)
    name = f"AKPK {plan.year} {plan.unit.name if plan.unit else plan.agency.name}"
    return xlsx_response(plan_xlsx(plan), name)
