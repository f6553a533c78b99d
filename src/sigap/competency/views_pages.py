"""The people's competency pages: "Kompetensi saya" (one's own), an employee's page as the unit
head or HR sees it, the unit head's team view and HR's agency view (with exports)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sigap.access import Action, has_any_role
from sigap.competency import conf, labels, people, profile, records
from sigap.competency.akpk import planning_year
from sigap.web.exports import export_tables
from sigap.web.fields import query_id

TEAM_PAGE = 100
SHORT_SHOWN = 200  # the most JP missing first; the export holds everyone


def _downloadable(trainings: list[Any], user: Any) -> set[int]:
    """The records whose certificate this reader may download (the download view's own rule,
    `records.may_read_certificate`; one employee's records, so one answer for all)."""
    with_file = [t for t in trainings if t.certificate]
    if not with_file or not records.may_read_certificate(user, with_file[0]):
        return set()
    return {t.pk for t in with_file}


def _employee_context(employee: Any, user: Any, *, own: bool) -> dict[str, Any]:
    day = timezone.localdate()
    page = people.employee_page(employee, day)
    target = page.profile.target
    return {
        "page": page,
        "downloadable": _downloadable(page.trainings, user),
        "day": day,
        "own": own,
        "duty": conf.yearly_jp(),
        "current_band": labels.band_label(page.profile.current.band),
        "target_band": labels.band_label(target.band if target else None),
    }


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    employee = people.own_employee(request.user)
    if employee is None:
        # An account without an employee record (a citizen-facing or technical account): say so.
        return render(request, "competency/pages/no_employee.html")
    return render(
        request,
        "competency/pages/employee.html",
        _employee_context(employee, request.user, own=True),
    )


@login_required
@require_GET
def employee(request: HttpRequest, employee_id: int) -> HttpResponse:
    found = people.employee_for_user(request.user, employee_id)
    if found is None:
        raise Http404  # the same answer for "no such employee" and "not yours to read"
    own = found.user_id == request.user.pk
    return render(
        request, "competency/pages/employee.html", _employee_context(found, request.user, own=own)
    )


@login_required
@require_GET
def team(request: HttpRequest) -> HttpResponse:
    if not has_any_role(request.user, Action.COMPETENCY_VIEW):
        raise PermissionDenied
    day = timezone.localdate()
    units = list(people.team_units(request.user))
    unit_id = query_id(request.GET.get("unit"))
    unit = next((u for u in units if u.pk == unit_id), None)
    sort = request.GET.get("urut", "name")
    sort = sort if sort in people.SORTS else "name"
    employees = list(people.team_employees(request.user, unit))
    rows = people.team_rows(employees, day, sort)
    standing = profile.standings_of([r.jp for r in rows], day)
    return render(
        request,
        "competency/pages/team.html",
        {
            "day": day,
            "rows": Paginator(rows, TEAM_PAGE).get_page(request.GET.get("page")),
            "standing": standing,
            "units": units,
            "unit": unit,
            # The AKPK of the unit shown (or of the top unit in scope), for the year planned.
            "plan_unit": unit or (units[0] if units else None),
            "plan_year": planning_year(day),
            "sort": sort,
            "duty": conf.yearly_jp(),
        },
    )


def _compliance_table(agency: Any, standing: profile.Standings) -> Any:
    def table() -> tuple[str, list[str], list[list[Any]]]:
        headers = [_("Unit"), _("PNS counted"), _("Compliant"), _("Share compliant"),
                   _("JP still missing")]  # fmt: skip
        rows = [
            [c.unit.name if c.unit else agency.name, c.counted, c.compliant,
             round(c.share, 4) if c.share is not None else None, c.short_jp]
            for c in [standing.overall, *standing.units]
        ]  # fmt: skip
        return f"kepatuhan-jp-{agency.code}-{standing.day.year}", headers, rows

    return table


def _short_table(agency: Any, standing: profile.Standings) -> Any:
    def table() -> tuple[str, list[str], list[list[Any]]]:
        headers = [_("Name"), "NIP", _("Unit"), _("JP this year"), _("JP short"),
                   _("Working days left")]  # fmt: skip
        left = standing.days_left.get(agency.pk)
        rows = [
            [r.employee.name, r.employee.nip, r.employee.unit.name, r.jp, r.short, left]
            for r in standing.short
        ]
        return f"kekurangan-jp-{agency.code}-{standing.day.year}", headers, rows

    return table


@login_required
@require_GET
def agency(request: HttpRequest) -> HttpResponse:
    agencies = people.agencies_for_user(request.user)
    if not agencies:
        raise PermissionDenied
    wanted = query_id(request.GET.get("instansi"))
    chosen = next((a for a in agencies if a.pk == wanted), agencies[0])
    day = timezone.localdate()
    employees = people.team_employees(request.user).filter(unit__agency=chosen)
    standing = profile.standings(employees, day)
    exported = export_tables(
        request,
        {
            "compliance": _compliance_table(chosen, standing),
            "short": _short_table(chosen, standing),
        },
    )
    if exported is not None:
        return exported
    return render(
        request,
        "competency/pages/agency.html",
        {
            "day": day,
            "agency": chosen,
            "agencies": agencies,
            "plan_year": planning_year(day),
            "standing": standing,
            "days_left": standing.days_left.get(chosen.pk),
            "short_shown": standing.short[:SHORT_SHOWN],
            "gaps": people.gaps_by_competency(chosen),
            "effects": people.training_effects(chosen),
            "duty": conf.yearly_jp(),
        },
    )
