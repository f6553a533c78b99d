"""The innovation registry and ideas from staff (/inovasi/).

Reading the registry: `Action.INNOVATION_VIEW` over one of the innovation's units (staff of
the unit, HR, leadership, the Inspektorat). Changing an innovation: `INNOVATION_MANAGE` over
all its units (the unit head, HR). Ideas are read by the people of their unit who propose
(`IDEA_PROPOSE`) or decide (`IDEA_DECIDE`); they name employees, so their pages are not stored
(sigap.web.nostore). An object outside one's scope answers 404, like one that does not exist.
The write functions of `sigap.innovation.services` authorise themselves too.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sigap.access import Action, can, has_any_role, scoped
from sigap.innovation import services, urusan
from sigap.innovation.answers import may_manage as may_keep_iid
from sigap.innovation.forms import (
    AcceptForm,
    DeclineForm,
    IdeaForm,
    InnovationForm,
    ReplicationForm,
    StageForm,
)
from sigap.innovation.models import (
    Endorsement,
    Idea,
    IdeaSource,
    IdeaStatus,
    Innovation,
    Kind,
    Replication,
    Stage,
)
from sigap.leadership.models import ActionStatus, RoadmapAction
from sigap.organisation.models import Unit
from sigap.rules.innovation import FRAMES
from sigap.web.errors import errors_to_form, errors_to_messages
from sigap.web.fields import query_id

PER_PAGE = 50


def _units(user: Any, action: Action) -> QuerySet[Unit]:
    return scoped(user, action, Unit.objects.all(), unit_field="").order_by("path")


def _visible(user: Any) -> QuerySet[Innovation]:
    return Innovation.objects.filter(units__in=_units(user, Action.INNOVATION_VIEW)).distinct()


def _innovation(request: HttpRequest, pk: int) -> Innovation:
    if not has_any_role(request.user, Action.INNOVATION_VIEW):
        raise PermissionDenied
    found = _visible(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _managed(request: HttpRequest, pk: int) -> Innovation:
    if not has_any_role(request.user, Action.INNOVATION_MANAGE):
        raise PermissionDenied
    innovation = _innovation(request, pk)
    if not services.may_manage(request.user, innovation):
        raise PermissionDenied
    return innovation


# --- the registry ------------------------------------------------------------------------------


@login_required
@require_GET
def innovation_list(request: HttpRequest) -> HttpResponse:
    if not has_any_role(request.user, Action.INNOVATION_VIEW):
        raise PermissionDenied
    units = _units(request.user, Action.INNOVATION_VIEW)
    found = _visible(request.user)
    stage = request.GET.get("tahap", "")
    if stage in Stage.values:
        found = found.filter(stage=stage)
    chosen_urusan = request.GET.get("urusan", "")
    if chosen_urusan in urusan.BY_KEY:
        found = found.filter(urusan=chosen_urusan)
    kind = request.GET.get("jenis", "")
    if kind in Kind.values:
        found = found.filter(kind=kind)
    unit_id = query_id(request.GET.get("unit"))
    unit = units.filter(pk=unit_id).first() if unit_id is not None else None
    if unit is not None:
        found = found.filter(units__in=unit.subtree())
    found = found.prefetch_related(
        Prefetch("units", queryset=Unit.objects.order_by("path"))
    ).order_by("-initiated_on", "name", "pk")
    shown = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    rows = [(i, urusan.label(i.urusan)) for i in shown.object_list]
    return render(
        request,
        "innovation/registry/list.html",
        {
            "rows": rows,
            "page_obj": shown,
            "stages": Stage.choices,
            "kinds": Kind.choices,
            "urusan_choices": urusan.choices(),
            "units": units,
            "chosen": {
                "tahap": stage,
                "urusan": chosen_urusan,
                "jenis": kind,
                "unit": unit.pk if unit is not None else None,
            },
            "may_register": has_any_role(request.user, Action.INNOVATION_MANAGE),
            "may_propose": has_any_role(request.user, Action.IDEA_PROPOSE),
        },
    )


@login_required
@require_GET
def innovation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    innovation = _innovation(request, pk)
    adoptions = (
        Replication.objects.filter(original=innovation)
        .select_related("adopter_unit", "replica")
        .order_by("adopted_on", "pk")
    )
    return render(
        request,
        "innovation/registry/detail.html",
        {
            "innovation": innovation,
            "urusan_label": urusan.label(innovation.urusan),
            "basic_service": innovation.urusan in urusan.BASIC_SERVICE,
            "units": innovation.units.order_by("path"),
            "services": innovation.services.select_related("unit").order_by("name"),
            "history": innovation.stage_changes.select_related("by").order_by("at", "pk"),
            "adoptions": adoptions,
            "original": innovation.replication_of,
            "replicas": innovation.replications.order_by("initiated_on", "pk"),
            "idea": Idea.objects.filter(innovation=innovation).first(),
            "may_manage": services.may_manage(request.user, innovation),
            # HR's link to this innovation's IID answers, in the frame the workbench opens on.
            "may_iid": may_keep_iid(request.user, innovation.agency),
            "iid_year": max(
                (y for y in FRAMES if y <= timezone.localdate().year), default=max(FRAMES)
            ),
        },
    )


def _profile(form: InnovationForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data["units"] = list(data["units"])
    data["services"] = list(data["services"])
    return data


@login_required
@require_http_methods(["GET", "POST"])
def innovation_new(request: HttpRequest) -> HttpResponse:
    if not has_any_role(request.user, Action.INNOVATION_MANAGE):
        raise PermissionDenied
    units = _units(request.user, Action.INNOVATION_MANAGE)
    form = InnovationForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            innovation = services.innovation_create(actor=request.user, **_profile(form))
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The innovation is registered."))
            return redirect("innovation_detail", pk=innovation.pk)
    return render(request, "innovation/registry/form.html", {"form": form, "innovation": None})


@login_required
@require_http_methods(["GET", "POST"])
def innovation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    innovation = _managed(request, pk)
    units = _units(request.user, Action.INNOVATION_MANAGE)
    initial = {
        field: getattr(innovation, field)
        for field in (
            "name",
            "initiator",
            "initiator_name",
            "form",
            "kind",
            "urusan",
            "target_kpi",
            "design",
            "goals",
            "benefits",
            "results",
            "video_url",
        )
    }
    initial["units"] = list(innovation.units.all())
    initial["services"] = list(innovation.services.all())
    form = InnovationForm(
        request.POST or None,
        units=units,
        editing=True,
        current_services=initial["services"],
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.innovation_update(actor=request.user, innovation=innovation, **_profile(form))
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The innovation is saved."))
            return redirect("innovation_detail", pk=innovation.pk)
    return render(
        request, "innovation/registry/form.html", {"form": form, "innovation": innovation}
    )


@login_required
@require_http_methods(["GET", "POST"])
def innovation_stage(request: HttpRequest, pk: int) -> HttpResponse:
    innovation = _managed(request, pk)
    following = {Stage.INITIATIVE: Stage.TRIAL, Stage.TRIAL: Stage.APPLIED}
    form = StageForm(
        request.POST or None,
        initial={"stage": following.get(Stage(innovation.stage), innovation.stage)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.innovation_set_stage(
                actor=request.user, innovation=innovation, **form.cleaned_data
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The stage is recorded."))
            return redirect("innovation_detail", pk=innovation.pk)
    return render(
        request, "innovation/registry/stage.html", {"form": form, "innovation": innovation}
    )


@login_required
@require_http_methods(["GET", "POST"])
def innovation_replicate(request: HttpRequest, pk: int) -> HttpResponse:
    innovation = _managed(request, pk)
    units = (
        Unit.objects.filter(agency_id=innovation.agency_id)
        .exclude(pk__in=innovation.units.values("pk"))
        .order_by("path")
    )
    form = ReplicationForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            services.replication_record(
                actor=request.user, original=innovation, **form.cleaned_data
            )
        except ValidationError as exc:
            errors_to_form(form, exc, rename={"adopter": "adopter_unit"})
        else:
            messages.success(request, _("The replication is recorded."))
            return redirect("innovation_detail", pk=innovation.pk)
    return render(
        request, "innovation/registry/replicate.html", {"form": form, "innovation": innovation}
    )


# --- ideas -------------------------------------------------------------------------------------


def _may_read_ideas(user: Any) -> bool:
    return has_any_role(user, Action.IDEA_PROPOSE) or has_any_role(user, Action.IDEA_DECIDE)


def _ideas(user: Any) -> QuerySet[Idea]:
    return Idea.objects.filter(services.ideas_scope_q(user))


@login_required
@require_GET
def idea_list(request: HttpRequest) -> HttpResponse:
    if not _may_read_ideas(request.user):
        raise PermissionDenied
    status = request.GET.get("status", "")
    found = _ideas(request.user).select_related("unit", "proposed_by")
    if status in IdeaStatus.values:
        found = found.filter(status=status)
    found = found.annotate(endorsed=Count("endorsements")).order_by("-proposed_at", "-pk")
    shown = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "innovation/registry/ideas.html",
        {
            "page_obj": shown,
            "statuses": IdeaStatus.choices,
            "status": status,
            "may_propose": has_any_role(request.user, Action.IDEA_PROPOSE),
        },
    )


def _actions_for(units: QuerySet[Unit]) -> QuerySet[RoadmapAction]:
    """Roadmap actions about the user's units, above or below them, not dismissed (the source
    must be in the unit's line: the write function checks the chosen unit)."""
    paths = list(units.values_list("path", flat=True))
    related = Unit.objects.none()
    for path in paths:
        ancestors = [int(p) for p in path.strip("/").split("/") if p]
        related = (
            related
            | Unit.objects.filter(path__startswith=path)
            | Unit.objects.filter(pk__in=ancestors)
        )
    return (
        RoadmapAction.objects.filter(unit__in=related.values("pk"))
        .exclude(status=ActionStatus.DISMISSED)
        .select_related("unit")
        .order_by("unit__path", "-priority", "pk")
    )


def _idea_initial(request: HttpRequest, units: QuerySet[Unit]) -> dict[str, Any]:
    """The prefilled form of a link from a roadmap action, a complaint category or an SKM
    unsur: ?sumber=roadmap&aksi=<id>, ?sumber=complaints&kunci=<category>,
    ?sumber=skm&kunci=<unsur>, and ?unit=<id>."""
    initial: dict[str, Any] = {}
    first = units.first()
    if first is not None:
        initial["unit"] = first.pk
    unit_id = query_id(request.GET.get("unit"))
    if unit_id is not None and units.filter(pk=unit_id).exists():
        initial["unit"] = unit_id
    source = request.GET.get("sumber", "")
    key = request.GET.get("kunci", "")[:40]
    if source == IdeaSource.ROADMAP:
        initial["source"] = source
        action_id = query_id(request.GET.get("aksi"))
        action = _actions_for(units).filter(pk=action_id).first() if action_id else None
        if action is not None:
            initial["roadmap_action"] = action.pk
            in_line = units.filter(path=action.unit.path).first()
            if in_line is not None:
                initial["unit"] = in_line.pk
            initial.setdefault("title", action.title_text[:300])
    elif source == IdeaSource.COMPLAINTS:
        initial |= {"source": source, "source_key": f"c:{key}"}
    elif source == IdeaSource.SKM:
        initial |= {"source": source, "source_key": f"u:{key}"}
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def idea_new(request: HttpRequest) -> HttpResponse:
    if not has_any_role(request.user, Action.IDEA_PROPOSE):
        raise PermissionDenied
    units = _units(request.user, Action.IDEA_PROPOSE)
    form = IdeaForm(
        request.POST or None,
        units=units,
        actions=_actions_for(units),
        initial=_idea_initial(request, units),
    )
    if request.method == "POST" and form.is_valid():
        try:
            idea = services.idea_propose(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc, default_field="source")
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You may not propose ideas."))
        else:
            messages.success(request, _("Your idea is proposed: colleagues can now endorse it."))
            return redirect("idea_detail", pk=idea.pk)
    return render(request, "innovation/registry/idea_form.html", {"form": form})


def _idea(request: HttpRequest, pk: int) -> Idea:
    if not _may_read_ideas(request.user):
        raise PermissionDenied
    return get_object_or_404(
        _ideas(request.user).select_related(
            "unit", "proposed_by", "roadmap_action", "innovation", "decided_by"
        ),
        pk=pk,
    )


@login_required
@require_GET
def idea_detail(request: HttpRequest, pk: int) -> HttpResponse:
    idea = _idea(request, pk)
    me = services.employee_of(request.user)
    endorsements = list(
        Endorsement.objects.filter(idea=idea).select_related("employee").order_by("at", "pk")
    )
    is_open = idea.status == IdeaStatus.PROPOSED
    return render(
        request,
        "innovation/registry/idea.html",
        {
            "idea": idea,
            "source_label": _source_label(idea),
            "endorsements": endorsements,
            "may_endorse": is_open
            and me is not None
            and me.pk != idea.proposed_by_id
            and can(request.user, Action.IDEA_PROPOSE, idea.unit)
            and all(e.employee_id != me.pk for e in endorsements),
            "may_decide": is_open and can(request.user, Action.IDEA_DECIDE, idea.unit),
            "accept_form": AcceptForm(),
            "decline_form": DeclineForm(),
            "may_see_innovation": idea.innovation is not None
            and services.may_view(request.user, idea.innovation),
        },
    )


def _source_label(idea: Idea) -> str:
    from sigap.complaints.models import Category
    from sigap.rules.ikm import ELEMENT_CODES, element

    if idea.source == IdeaSource.COMPLAINTS:
        labels = dict(Category.choices)
        return str(labels.get(idea.source_key, idea.source_key))
    if idea.source == IdeaSource.SKM and idea.source_key in ELEMENT_CODES:
        return element(idea.source_key).name
    if idea.source == IdeaSource.ROADMAP and idea.roadmap_action is not None:
        return idea.roadmap_action.title_text
    return ""


@login_required
@require_POST
def idea_endorse(request: HttpRequest, pk: int) -> HttpResponse:
    idea = _idea(request, pk)
    try:
        services.idea_endorse(actor=request.user, idea=idea)
    except ValidationError as exc:
        errors_to_messages(request, exc)
    else:
        messages.success(request, _("You endorse this idea."))
    return redirect("idea_detail", pk=idea.pk)


@login_required
@require_POST
def idea_accept(request: HttpRequest, pk: int) -> HttpResponse:
    idea = _idea(request, pk)
    if not can(request.user, Action.IDEA_DECIDE, idea.unit):
        raise PermissionDenied
    form = AcceptForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else str(error))
        return redirect("idea_detail", pk=idea.pk)
    try:
        innovation = services.idea_accept(actor=request.user, idea=idea, **form.cleaned_data)
    except ValidationError as exc:
        errors_to_messages(request, exc, labels={"name": str(form.fields["name"].label)})
        return redirect("idea_detail", pk=idea.pk)
    messages.success(request, _("The idea is in the registry as an initiative."))
    return redirect("innovation_detail", pk=innovation.pk)


@login_required
@require_POST
def idea_decline(request: HttpRequest, pk: int) -> HttpResponse:
    idea = _idea(request, pk)
    if not can(request.user, Action.IDEA_DECIDE, idea.unit):
        raise PermissionDenied
    form = DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the idea is not taken up."))
        return redirect("idea_detail", pk=idea.pk)
    try:
        services.idea_decline(
            actor=request.user, idea=idea, note=form.cleaned_data["decision_note"]
        )
    except ValidationError as exc:
        errors_to_messages(request, exc)
    else:
        messages.success(request, _("Your answer is recorded."))
    return redirect("idea_detail", pk=idea.pk)
