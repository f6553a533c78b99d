"""HR's pages for the competency standards (/kompetensi/kamus/, /kompetensi/standar/,
/kompetensi/langkah/): the dictionary, the versions of the standar kompetensi jabatan with their
grid, import and export, and the links from procedure steps to technical competencies.

Reading: `Action.COMPETENCY_VIEW` (unit heads, HR, leadership) reads its agency's dictionary
and standards. Writing: HR over the whole agency (`standards.require_manager`); the write
functions authorise themselves, the views ask first only to answer 403 before reading a form.
A version or service of another agency is a 404.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sigap.access import Action, can, has_any_role, scoped
from sigap.catalogue.models import Service
from sigap.competency import standards
from sigap.competency.forms_standards import ImportForm, TechnicalCompetencyForm, VersionForm
from sigap.competency.models import Competency, StandardVersion, StepCompetency
from sigap.competency.standards_xlsx import read_rows, version_xlsx
from sigap.organisation.models import Agency
from sigap.web.errors import errors_to_form, errors_to_messages
from sigap.web.exports import safe_filename

# Level cells on one page of the grid form (Django refuses a POST of over 1,000 fields).
GRID_CELLS = 800
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATUS_LABELS = {
    "scheduled": gettext_lazy("Not yet in force"),
    "in_force": gettext_lazy("In force"),
    "past": gettext_lazy("Past"),
}


def _reader_agency(request: HttpRequest) -> Agency:
    agency = standards.agency_for(request.user, Action.COMPETENCY_VIEW)
    if agency is None:
        raise PermissionDenied
    return agency


def _manager_agency(request: HttpRequest) -> Agency:
    agency = standards.agency_for(request.user, Action.COMPETENCY_MANAGE)
    if agency is None or not standards.may_manage(request.user, agency):
        raise PermissionDenied
    return agency


def _version(request: HttpRequest, pk: int, agency: Agency) -> StandardVersion:
    return get_object_or_404(StandardVersion.objects.select_related("agency"), pk=pk, agency=agency)


# --- the dictionary ----------------------------------------------------------------------------


@login_required
@require_GET
def dictionary(request: HttpRequest) -> HttpResponse:
    agency = _reader_agency(request)
    competencies = standards.agency_competencies(agency).prefetch_related("levels")
    return render(
        request,
        "competency/standards/dictionary.html",
        {
            "agency": agency,
            "national": [c for c in competencies if c.agency_id is None],
            "technical": [c for c in competencies if c.agency_id is not None],
            "may_manage": standards.may_manage(request.user, agency),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def technical_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    agency = _manager_agency(request)
    competency = None
    initial: dict[str, Any] = {}
    if pk is not None:
        competency = get_object_or_404(Competency, pk=pk, agency=agency)
        initial = {"name": competency.name, "code": competency.code,
                   "definition": competency.definition}  # fmt: skip
        initial |= {f"level_{lv.level}": lv.description for lv in competency.levels.all()}
    form = TechnicalCompetencyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = standards.technical_competency_save(
                actor=request.user,
                agency=agency,
                name=form.cleaned_data["name"],
                code=form.cleaned_data["code"],
                definition=form.cleaned_data["definition"],
                levels=form.level_lines(),
                competency=competency,
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Competency %(name)s saved.") % {"name": saved.name})
            return redirect("competency_dictionary")
    return render(
        request,
        "competency/standards/technical_form.html",
        {"form": form, "competency": competency},
    )


# --- the standard versions ---------------------------------------------------------------------


@login_required
@require_GET
def version_list(request: HttpRequest) -> HttpResponse:
    agency = _reader_agency(request)
    today = timezone.localdate()
    in_force = standards.standard_on(agency, today)
    versions = (
        StandardVersion.objects.filter(agency=agency)
        .select_related("created_by")
        .annotate(rows=Count("requirements"))
    )
    rows = [
        (v, STATUS_LABELS[standards.status_of(v, today, in_force)], v.rows)
        for v in versions.order_by("-valid_from")
    ]
    return render(
        request,
        "competency/standards/versions.html",
        {
            "rows": rows,
            "may_manage": standards.may_manage(request.user, agency),
            "form": VersionForm(),
        },
    )


@login_required
@require_POST
def version_new(request: HttpRequest) -> HttpResponse:
    agency = _manager_agency(request)
    form = VersionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("competency_standards")
    try:
        version = standards.standard_version_new(
            actor=request.user,
            agency=agency,
            valid_from=form.cleaned_data["valid_from"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        errors_to_messages(request, exc)
        return redirect("competency_standards")
    messages.success(request, _("New version created: set its required levels."))
    return redirect("competency_standard_edit", pk=version.pk)


def _grid(version: StandardVersion, *, every: bool) -> dict[str, Any]:
    """Positions × competencies with the required levels; `every` lists all of the agency's
    (the edit form), else only those the version names."""
    levels = standards.version_requirements(version)
    competencies = list(standards.agency_competencies(version.agency))
    positions = standards.agency_positions(version.agency, version)
    if not every:
        used = {c for row in levels.values() for c in row}
        competencies = [c for c in competencies if c.pk in used]
        positions = [p for p in positions if p.pk in levels]
    return {
        "competencies": competencies,
        "positions": [
            (p, [(c, levels.get(p.pk, {}).get(c.pk)) for c in competencies]) for p in positions
        ],
    }


@login_required
@require_GET
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agency = _reader_agency(request)
    version = _version(request, pk, agency)
    today = timezone.localdate()
    status = standards.status_of(version, today, standards.standard_on(agency, today))
    return render(
        request,
        "competency/standards/version.html",
        {
            "version": version,
            "status": STATUS_LABELS[status],
            "editable": status == "scheduled" and standards.may_manage(request.user, agency),
            **_grid(version, every=False),
        },
    )


def _cell_name(position_id: int, competency_id: int) -> str:
    return f"l-{position_id}-{competency_id}"


@login_required
@require_http_methods(["GET", "POST"])
def version_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agency = _manager_agency(request)
    version = _version(request, pk, agency)
    try:
        standards.require_editable(version)
    except ValidationError as exc:
        errors_to_messages(request, exc)
        return redirect("competency_standard", pk=version.pk)
    grid = _grid(version, every=True)
    query = " ".join(request.GET.get("q", "").split())[:100]
    found = [row for row in grid["positions"] if query.casefold() in row[0].name.casefold()]
    # One page of positions at a time: a form stays under Django's limit on posted fields.
    per_page = max(1, GRID_CELLS // max(1, len(grid["competencies"])))
    shown = Paginator(found, per_page).get_page(request.GET.get("page"))
    entered: dict[str, str] = {}
    problems: list[str] = []
    if request.method == "POST":
        levels: dict[tuple[int, int], int | None] = {}
        for position, cells in shown.object_list:
            for competency, _level in cells:
                name = _cell_name(position.pk, competency.pk)
                raw = request.POST.get(name, "").strip()
                entered[name] = raw
                if not raw:
                    levels[(position.pk, competency.pk)] = None
                elif raw.isdigit() and int(raw) in standards.LEVELS:
                    levels[(position.pk, competency.pk)] = int(raw)
                else:
                    problems.append(
                        _("%(position)s, %(competency)s: a level is a whole number from 1 to 5.")
                        % {"position": position.name, "competency": competency.name}
                    )
        if not problems:
            try:
                changed = standards.standard_levels_set(
                    actor=request.user, version=version, levels=levels
                )
            except ValidationError as exc:
                problems = exc.messages
            else:
                messages.success(request, _("%(n)d required levels changed.") % {"n": changed})
                return redirect("competency_standard", pk=version.pk)
    rows = [
        (
            position,
            [
                (competency, _cell_name(position.pk, competency.pk),
                 entered.get(_cell_name(position.pk, competency.pk), level or ""))
                for competency, level in cells
            ],
        )
        for position, cells in shown.object_list
    ]  # fmt: skip
    return render(
        request,
        "competency/standards/version_edit.html",
        {
            "version": version,
            "competencies": grid["competencies"],
            "rows": rows,
            "problems": problems,
            "page": shown,
            "query": query,
        },
        status=400 if problems else 200,
    )


@login_required
@require_GET
def version_export(request: HttpRequest, pk: int) -> HttpResponse:
    agency = _reader_agency(request)
    version = _version(request, pk, agency)
    response = HttpResponse(version_xlsx(version), content_type=XLSX)
    name = safe_filename(f"standar-kompetensi-{version.valid_from.isoformat()}", "xlsx")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def version_import(request: HttpRequest) -> HttpResponse:
    agency = _manager_agency(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        filename = str(upload.name)[-100:]
        try:
            rows, columns = read_rows(upload.read(), filename)
            version = standards.standard_import(
                actor=request.user,
                agency=agency,
                valid_from=form.cleaned_data["valid_from"],
                rows=rows,
                filename=filename,
                columns=columns,
            )
        except standards.ImportFailed as exc:
            problems = exc.problems
        else:
            messages.success(
                request,
                _("%(n)d required levels imported.") % {"n": version.requirements.count()},
            )
            return redirect("competency_standard", pk=version.pk)
    return render(
        request,
        "competency/standards/import.html",
        {"form": form, "problems": problems},
        status=400 if problems else 200,
    )


# --- procedure steps ↔ competencies ------------------------------------------------------------


@login_required
@require_GET
def step_list(request: HttpRequest) -> HttpResponse:
    if not has_any_role(request.user, Action.COMPETENCY_VIEW):
        raise PermissionDenied
    today = timezone.localdate()
    services = list(
        scoped(request.user, Action.COMPETENCY_VIEW, Service.objects.filter(is_active=True))
        .select_related("unit")
        .order_by("unit__path", "name")[:300]
    )
    linked: dict[tuple[int, str], list[str]] = defaultdict(list)
    for link in StepCompetency.objects.filter(service__in=services).select_related("competency"):
        linked[(link.service_id, link.step)].append(link.competency.name)
    rows = [
        (
            service,
            [(step, sorted(linked.get((service.pk, step), []))) for step in
             standards.current_steps(service, today)],
            can(request.user, Action.COMPETENCY_MANAGE, service.unit),
        )
        for service in services
    ]  # fmt: skip
    return render(request, "competency/standards/steps.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def step_edit(request: HttpRequest, code: str) -> HttpResponse:
    if not has_any_role(request.user, Action.COMPETENCY_MANAGE):
        raise PermissionDenied
    service = get_object_or_404(Service.objects.select_related("unit__agency"), code=code)
    if not can(request.user, Action.COMPETENCY_MANAGE, service.unit):
        raise Http404
    steps = standards.current_steps(service, timezone.localdate())
    technical = list(
        Competency.objects.filter(
            agency=service.unit.agency, group=Competency.Group.TEKNIS
        ).order_by("name")
    )
    if request.method == "POST":
        known = {str(c.pk): c.pk for c in technical}
        # Steps by name, as the form listed them: a standard changed since the form was shown
        # cannot move a choice to another step; a step no longer in force is left alone.
        posted = [step for step in dict.fromkeys(request.POST.getlist("steps")) if step in steps]
        try:
            with transaction.atomic():
                for step in posted:
                    chosen = [known[v] for v in request.POST.getlist(f"step:{step}") if v in known]
                    standards.step_competencies_set(
                        actor=request.user, service=service, step=step, competency_ids=chosen
                    )
        except ValidationError as exc:
            errors_to_messages(request, exc)
        else:
            messages.success(request, _("Links of the procedure steps saved."))
            return redirect("competency_steps")
    have: dict[str, set[int]] = defaultdict(set)
    for step, competency_id in StepCompetency.objects.filter(service=service).values_list(
        "step", "competency_id"
    ):
        have[step].add(competency_id)
    rows = [
        (index, step, [(c, c.pk in have[step]) for c in technical])
        for index, step in enumerate(steps)
    ]
    return render(
        request,
        "competency/standards/step_edit.html",
        {"service": service, "rows": rows, "technical": technical},
    )
