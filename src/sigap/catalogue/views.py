"""The service-standard editor (staff): a unit's services and their versions, a draft's
components, requirements and procedure, its publication and its public consultation.

Everything works without JavaScript: a row is added with a submit button that re-renders the
form, removed with a checkbox. Access: `Action.STANDARD_DRAFT` to see and draft,
`Action.STANDARD_PUBLISH` to publish; a version outside one's units is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sigap.access import Action, can, has_any_role, scoped
from sigap.catalogue import services
from sigap.catalogue.forms import (
    AnswerForm,
    ComponentsForm,
    ConsultationForm,
    HearingForm,
    PublishForm,
    RequirementFormSet,
    StepFormSet,
    position_names,
)
from sigap.catalogue.models import Consultation, ConsultationComment, Service, ServiceStandard
from sigap.organisation.models import Unit
from sigap.web.errors import errors_to_form, errors_to_messages

QUERY_MAX = 100
SECTIONS = ("requirements", "steps")


def _in_scope(request: HttpRequest, unit: Unit) -> None:
    """404 for a version outside one's units (codes cannot be probed), 403 without the role."""
    if not has_any_role(request.user, Action.STANDARD_DRAFT):
        raise PermissionDenied
    if not can(request.user, Action.STANDARD_DRAFT, unit):
        raise Http404


def _standard(request: HttpRequest, pk: int) -> ServiceStandard:
    standard = get_object_or_404(ServiceStandard.objects.select_related("service__unit"), pk=pk)
    _in_scope(request, standard.service.unit)
    return standard


@login_required
@require_GET
def standards(request: HttpRequest) -> HttpResponse:
    """The services of one's units, searchable by name, each with its versions."""
    if not has_any_role(request.user, Action.STANDARD_DRAFT):
        raise PermissionDenied
    query = " ".join(request.GET.get("q", "").split())[:QUERY_MAX]
    units = list(
        scoped(request.user, Action.STANDARD_DRAFT, Unit.objects.all(), unit_field="")
        .filter(services__isnull=False)
        .distinct()
        .order_by("path")
    )
    unit = next((u for u in units if str(u.pk) == request.GET.get("unit")), None)
    found = scoped(request.user, Action.STANDARD_DRAFT, Service.objects.all())
    if unit is not None:
        found = found.filter(unit__path__startswith=unit.path)
    if query:
        found = found.filter(name__icontains=query) | found.filter(code__icontains=query)
    found = found.select_related("unit").prefetch_related(
        Prefetch(
            "standards",
            ServiceStandard.objects.select_related("consultation").order_by("-version"),
        )
    )
    today = timezone.localdate()
    rows = [
        (s, [(std, std.status_on(today)) for std in s.standards.all()])
        for s in found.order_by("unit__path", "name")[:200]
    ]
    return render(
        request,
        "catalogue/standards.html",
        {"rows": rows, "units": units, "unit": unit, "query": query},
    )


@login_required
@require_POST
def standard_new(request: HttpRequest, code: str) -> HttpResponse:
    service = get_object_or_404(Service.objects.select_related("unit"), code=code)
    _in_scope(request, service.unit)
    try:
        draft = services.standard_draft_new(user=request.user, service=service)
    except ValidationError as exc:
        errors_to_messages(request, exc)
        return redirect(f"{reverse('standards')}?q={service.code}")
    messages.success(request, _("Draft version %(v)s created.") % {"v": draft.version})
    return redirect("standard_edit", pk=draft.pk)


def _rows(formset: Any) -> list[dict[str, Any]]:
    """The rows kept: filled in and not marked for removal."""
    out = []
    for form in formset.forms:
        if not form.has_changed() and not form.initial:
            continue
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        out.append(data)
    return out


def _step_names(data: QueryDict | None, standard: ServiceStandard) -> list[str]:
    if data is None:
        return [s.name for s in standard.ordered_steps()]
    total = data.get("steps-TOTAL_FORMS", "0")
    count = int(total) if total.isdigit() else 0
    return [
        " ".join(data.get(f"steps-{i}-name", "").split())
        for i in range(min(count, 200))
        if not data.get(f"steps-{i}-DELETE")
    ]


def _editor(standard: ServiceStandard, data: QueryDict | None) -> dict[str, Any]:
    steps = standard.ordered_steps()
    kwargs = {"step_names": _step_names(data, standard), "positions": position_names()}
    if data is None:
        return {
            "form": ComponentsForm(instance=standard),
            "requirements": RequirementFormSet(
                prefix="requirements",
                initial=[
                    {"name": r.name, "kind": r.kind.value, "optional": r.optional}
                    for r in standard.requirement_list()
                ],
            ),
            "steps": StepFormSet(
                prefix="steps",
                form_kwargs=kwargs,
                initial=[
                    {
                        "name": s.name,
                        "expected_minutes": s.expected_minutes,
                        "role": s.done_by_role,
                        "position": s.done_by_position,
                        "other_than": s.other_officer_than.name if s.other_officer_than else "",
                    }
                    for s in steps
                ],
            ),
        }
    return {
        "form": ComponentsForm(data, instance=standard),
        "requirements": RequirementFormSet(data, prefix="requirements"),
        "steps": StepFormSet(data, prefix="steps", form_kwargs=kwargs),
    }


def error_summary(editor: dict[str, Any]) -> list[str]:
    """Each error of the editor in one sentence naming the section, the row and the field."""
    lines: list[str] = []
    form = editor["form"]
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        lines += [f"{label}: {e}" if label else str(e) for e in errors]
    for section, title in (("requirements", _("Requirements")), ("steps", _("Procedure"))):
        formset = editor[section]
        lines += [f"{title}: {e}" for e in formset.non_form_errors()]
        for i, row in enumerate(formset.forms, start=1):
            if row.cleaned_data.get("DELETE") if hasattr(row, "cleaned_data") else False:
                continue
            for name, errors in row.errors.items():
                label = row.fields[name].label if name in row.fields else ""
                for e in errors:
                    lines.append(
                        _("%(section)s, row %(row)s, %(field)s: %(error)s")
                        % {"section": title, "row": i, "field": label, "error": e}
                    )
    return lines


def _page(
    request: HttpRequest,
    standard: ServiceStandard,
    editor: dict[str, Any] | None = None,
    *,
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    today = timezone.localdate()
    consultation = Consultation.objects.filter(standard=standard).first()
    comments = list(consultation.comments.all()) if consultation else []
    editor = editor if editor is not None or not standard.is_draft else _editor(standard, None)
    may_publish = can(request.user, Action.STANDARD_PUBLISH, standard.service.unit)
    context: dict[str, Any] = {
        "standard": standard,
        "service": standard.service,
        "status": standard.status_on(today),
        "editor": editor,
        "error_summary": error_summary(editor) if editor and editor["form"].is_bound else [],
        "steps": standard.ordered_steps(),
        "consultation": consultation,
        "comments": [
            (c, AnswerForm(initial={"answer": c.answer}, prefix=f"c{c.pk}")) for c in comments
        ],
        "may_publish": may_publish and standard.is_draft,
        "problems": services.publish_problems(standard) if standard.is_draft else {},
        "publish_form": forms.get("publish_form") or PublishForm(initial={"valid_from": today}),
        "consultation_form": forms.get("consultation_form")
        or ConsultationForm(
            initial={
                "opens_on": consultation.opens_on if consultation else today,
                "closes_on": consultation.closes_on if consultation else None,
            }
        ),
        "hearing_form": forms.get("hearing_form")
        or HearingForm(
            initial={
                "held_on": consultation.hearing_on,
                "place": consultation.hearing_place,
                "attendance": consultation.hearing_attendance,
                "parties": consultation.hearing_parties,
            }
            if consultation and consultation.has_hearing
            else None
        ),
        "today": today,
    }
    return render(request, "catalogue/standard_edit.html", context, status=status)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def standard_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft's editor; a published version reads here without a form."""
    standard = _standard(request, pk)
    if request.method != "POST":
        return _page(request, standard)
    if not standard.is_draft:
        messages.error(request, _("A published version is never changed: make a new version."))
        return redirect("standard_edit", pk=standard.pk)
    data = request.POST.copy()
    add = request.POST.get("add")
    if add in SECTIONS:
        # "Add a row" without JavaScript: one more (empty) form, nothing saved yet.
        key = f"{add}-TOTAL_FORMS"
        total = data.get(key, "0")
        data[key] = str((int(total) if total.isdigit() else 0) + 1)
        return _page(request, standard, _editor(standard, data))
    editor = _editor(standard, data)
    valid = all(
        [editor["form"].is_valid(), editor["requirements"].is_valid(), editor["steps"].is_valid()]
    )
    if not valid:
        return _page(request, standard, editor, status=400)
    fields = {name: editor["form"].cleaned_data[name] for name in editor["form"].fields}
    steps = [
        services.StepData(
            name=row["name"],
            expected_minutes=row["expected_minutes"],
            role=row.get("role") or "",
            position=row.get("position") or "",
            other_than=row.get("other_than") or "",
        )
        for row in _rows(editor["steps"])
    ]
    try:
        services.standard_draft_save(
            user=request.user,
            standard=ServiceStandard.objects.get(pk=standard.pk),
            fields=fields,
            requirements=_rows(editor["requirements"]),
            steps=steps,
        )
    except ValidationError as exc:
        by_field = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
        for field, problems in by_field.items():
            for problem in problems:
                if field in SECTIONS:
                    editor[field]._non_form_errors.append(problem)
                else:
                    editor["form"].add_error(
                        field if field in editor["form"].fields else None, problem
                    )
        return _page(request, standard, editor, status=400)
    messages.success(request, _("Draft saved."))
    return redirect("standard_edit", pk=standard.pk)


@login_required
@require_POST
def standard_discard(request: HttpRequest, pk: int) -> HttpResponse:
    standard = _standard(request, pk)
    try:
        services.standard_draft_discard(user=request.user, standard=standard)
    except ValidationError as exc:
        errors_to_messages(request, exc)
        return redirect("standard_edit", pk=standard.pk)
    messages.success(request, _("Draft version %(v)s discarded.") % {"v": standard.version})
    return redirect(f"{reverse('standards')}?q={standard.service.code}")


@login_required
@require_POST
def standard_publish(request: HttpRequest, pk: int) -> HttpResponse:
    standard = _standard(request, pk)
    if not can(request.user, Action.STANDARD_PUBLISH, standard.service.unit):
        raise PermissionDenied
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            services.standard_publish(
                user=request.user, standard=standard, valid_from=form.cleaned_data["valid_from"]
            )
        except ValidationError as exc:
            errors_to_form(form, exc, default_field="valid_from")
        else:
            messages.success(
                request,
                _("Version %(v)s published: in force from %(day)s.")
                % {"v": standard.version, "day": services._day(form.cleaned_data["valid_from"])},
            )
            return redirect("standard_edit", pk=standard.pk)
    return _page(request, standard, status=400, publish_form=form)


@login_required
@require_POST
def standard_consultation(request: HttpRequest, pk: int) -> HttpResponse:
    standard = _standard(request, pk)
    form = ConsultationForm(request.POST)
    if form.is_valid():
        try:
            services.consultation_set(
                user=request.user,
                standard=standard,
                opens_on=form.cleaned_data["opens_on"],
                closes_on=form.cleaned_data["closes_on"],
            )
        except ValidationError as exc:
            errors_to_form(form, exc, default_field="closes_on")
        else:
            messages.success(request, _("Public consultation period saved."))
            return redirect("standard_edit", pk=standard.pk)
    return _page(request, standard, status=400, consultation_form=form)


@login_required
@require_POST
def standard_hearing(request: HttpRequest, pk: int) -> HttpResponse:
    standard = _standard(request, pk)
    consultation = get_object_or_404(Consultation, standard=standard)
    form = HearingForm(request.POST)
    if form.is_valid():
        try:
            services.consultation_hearing_record(
                user=request.user, consultation=consultation, **form.cleaned_data
            )
        except ValidationError as exc:
            errors_to_form(form, exc, default_field="held_on")
        else:
            messages.success(request, _("Hearing recorded."))
            return redirect("standard_edit", pk=standard.pk)
    return _page(request, standard, status=400, hearing_form=form)


@login_required
@require_POST
def consultation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    if not has_any_role(request.user, Action.STANDARD_DRAFT):
        raise PermissionDenied
    comment = get_object_or_404(
        ConsultationComment.objects.select_related("consultation__standard__service__unit"),
        pk=pk,
    )
    standard = comment.consultation.standard
    _in_scope(request, standard.service.unit)
    form = AnswerForm(request.POST, prefix=f"c{comment.pk}")
    publish = request.POST.get("action") != "set_aside"
    if form.is_valid():
        try:
            services.consultation_comment_answer(
                user=request.user,
                comment=comment,
                answer=form.cleaned_data["answer"],
                publish=publish,
            )
        except ValidationError as exc:
            errors_to_messages(request, exc, labels={"answer": str(form.fields["answer"].label)})
        else:
            messages.success(
                request,
                _("Answer saved: the comment and its answer are public.")
                if publish
                else _("Comment set aside: it is not published."),
            )
    else:
        messages.error(request, f"{form.fields['answer'].label}: {form.errors['answer'][0]}")
    return redirect(f"{reverse('standard_edit', args=[standard.pk])}#komentar-{comment.pk}")
