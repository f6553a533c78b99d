"""The IID workbench (/inovasi/iid/): HR over the whole agency (`Action.IID_MANAGE` on its top
unit) sees the agency's IID for a frame year, enters the SPD answers and each innovation's
answers with their bukti dukung, downloads the evidence and the export for the national
application. The figures come from `sigap.innovation.iid` (scored once by the rules); the write
functions (`sigap.innovation.answers`) authorise and audit themselves. An unknown year is a 404
page naming the years known; an innovation of another agency a 404.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from sigap.documents.services import max_bytes
from sigap.documents.sniff import CONTENT_TYPES, EXTENSIONS, Kind, sniff
from sigap.innovation import answers as answers_mod
from sigap.innovation import conf
from sigap.innovation.evidence import innovation_evidence
from sigap.innovation.iid import workbench as build_workbench
from sigap.innovation.iid_labels import (
    REASONS,
    change_text,
    indicator_name,
    parameter_choices,
    predikat_label,
    urusan_name,
)
from sigap.innovation.iid_xlsx import iid_xlsx
from sigap.innovation.models import IndicatorAnswer, Innovation, SpdAnswer
from sigap.organisation.models import Agency
from sigap.rules.innovation import Frame, UnknownFrame
from sigap.web.errors import errors_to_form

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PARAMETER_CHOICES = [(n, str(n)) for n in range(4)]


def _agency(request: HttpRequest) -> Agency:
    agency = answers_mod.agency_for(request.user)
    if agency is None or not answers_mod.may_manage(request.user, agency):
        raise PermissionDenied
    return agency


class _UnknownYear(Exception):
    def __init__(self, year: int) -> None:
        self.year = year


def _frame(year: int) -> Frame:
    try:
        return conf.frame(year)
    except UnknownFrame:
        raise _UnknownYear(year) from None


def _unknown_year(request: HttpRequest, year: int) -> HttpResponse:
    return render(
        request,
        "innovation/iid_unknown_year.html",
        {"year": year, "known": sorted(conf.frames())},
        status=404,
    )


def _with_frame(view: Any) -> Any:
    """Answers an unknown frame year with the 404 page naming the years known."""

    def wrapped(request: HttpRequest, year: int, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, year, *args, **kwargs)  # type: ignore[no-any-return]
        except _UnknownYear as e:
            return _unknown_year(request, e.year)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    _agency(request)
    this_year = timezone.localdate().year
    known = conf.frames()
    year = max((y for y in known if y <= this_year), default=max(known))
    return redirect("iid_workbench", year=year)


@login_required
@require_GET
@_with_frame
def workbench(request: HttpRequest, year: int) -> HttpResponse:
    agency = _agency(request)
    f = _frame(year)
    wb = build_workbench(agency, f)
    names: dict[object, str] = {pk: i.name for pk, i in wb.innovations.items()}
    s = wb.score
    counted = [
        {
            "innovation": inn,
            "urusan": urusan_name(inn.urusan),
            "rows": rows,
            "missing": [indicator_name(f, k) for k in missing],
            "without_file": [indicator_name(f, k) for k in wb.without_file(inn.pk)],
        }
        for inn, rows, missing in wb.counted
    ]
    excluded = [
        {
            "innovation": inn,
            "reason": REASONS[why],
            "stage": inn.get_stage_display(),
            "missing": [indicator_name(f, k) for k in wb.missing_mandatory(inn.pk)]
            if why == "missing_mandatory"
            else [],
        }
        for inn, why in wb.excluded
    ]
    spd_rows = [
        {"indicator": ind, "name": indicator_name(f, ind.key), "answer": a} for ind, a in wb.spd
    ]
    changes = [
        {"text": change_text(f, c, names), "gain": c.gain, "new": c.new_iid} for c in wb.changes
    ]
    return render(
        request,
        "innovation/iid_workbench.html",
        {
            "agency": agency,
            "year": year,
            "frame": f,
            "score": s,
            "predikat": predikat_label(s.predikat),
            "counted": counted,
            "excluded": excluded,
            "spd_rows": spd_rows,
            "changes": changes,
            "basic_covered": sorted(urusan_name(u) for u in s.basic_covered),
            "years": sorted(conf.frames()),
            "bands": [(predikat_label(b.predikat), b.at_least) for b in f.bands],
            "uncertain": [_(a) for a in f.assumptions],
        },
    )


class SpdForm(forms.Form):
    weight = forms.IntegerField(label=gettext_lazy("Weight"), min_value=1, max_value=21)
    parameter = forms.TypedChoiceField(
        label=gettext_lazy("Parameter"), choices=PARAMETER_CHOICES, coerce=int
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False, widget=forms.Textarea)
    evidence = forms.FileField(label=gettext_lazy("Supporting document"), required=False)


@login_required
@require_http_methods(["GET", "POST"])
@_with_frame
def spd_answer(request: HttpRequest, year: int, indicator: str) -> HttpResponse:
    agency = _agency(request)
    f = _frame(year)
    if indicator not in {i.key for i in f.spd}:
        raise Http404
    current = SpdAnswer.objects.filter(agency=agency, frame=year, indicator=indicator).first()
    initial = (
        {"weight": current.weight, "parameter": current.parameter, "note": current.note}
        if current
        else {"weight": f.spd_indicator(indicator).weight or 1, "parameter": 0}
    )
    form = SpdForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("evidence")
        try:
            answers_mod.spd_answer_set(
                actor=request.user,
                agency=agency,
                year=year,
                indicator=indicator,
                weight=form.cleaned_data["weight"],
                parameter=form.cleaned_data["parameter"],
                note=form.cleaned_data["note"],
                upload=_upload(upload),
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The regional indicator answer is saved."))
            return redirect("iid_workbench", year=year)
    return render(
        request,
        "innovation/iid_spd.html",
        {
            "year": year,
            "name": indicator_name(f, indicator),
            "form": form,
            "answer": current,
            "total": f.spd_total_weight,
        },
    )


def _upload(upload: Any) -> answers_mod.Upload | None:
    """The sent file, read no further than one byte past the largest accepted: a huge file is
    refused as too large without being loaded into memory."""
    if upload is None:
        return None
    return answers_mod.Upload(upload.read(max_bytes() + 1), upload.name or "")


def _innovation(agency: Agency, pk: int) -> Innovation:
    return get_object_or_404(Innovation.objects.select_related("agency"), pk=pk, agency=agency)


@login_required
@require_http_methods(["GET", "POST"])
@_with_frame
def innovation_answers(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    agency = _agency(request)
    f = _frame(year)
    innovation = _innovation(agency, pk)
    current = {
        a.indicator: a for a in IndicatorAnswer.objects.filter(innovation=innovation, frame=year)
    }
    errors: dict[str, str] = {}
    posted: dict[str, str] = {}
    if request.method == "POST":
        rows = []
        for ind in f.sid:
            raw = request.POST.get(f"p_{ind.key}", "0")
            posted[ind.key] = raw
            try:
                parameter = int(raw)
            except ValueError:
                # out of range: refused by name with the other rows, all checked in one pass
                parameter = -1
            upload = request.FILES.get(f"evidence_{ind.key}")
            rows.append(
                answers_mod.AnswerRow(
                    indicator=ind.key,
                    parameter=parameter,
                    note=request.POST.get(f"note_{ind.key}", ""),
                    upload=_upload(upload),
                )
            )
        try:
            answers_mod.indicator_answers_set(
                actor=request.user, innovation=innovation, year=year, rows=rows
            )
        except ValidationError as exc:
            errors = {k: v[0] for k, v in exc.message_dict.items()}
        else:
            messages.success(
                request, _("The answers of %(name)s are saved.") % {"name": innovation.name}
            )
            return redirect("iid_workbench", year=year)
    generated = innovation_evidence(f, innovation, timezone.localdate())
    rows_out = []
    for ind in f.sid:
        answer = current.get(ind.key)
        chosen = posted.get(ind.key, str(answer.parameter) if answer else "0")
        rows_out.append(
            {
                "key": ind.key,
                "name": _(ind.name),
                "weight": ind.weight,
                "mandatory": ind.mandatory,
                "choices": [(str(n), t) for n, t in parameter_choices(f, ind.key)],
                "chosen": chosen,
                "answer": answer,
                "expected": _(ind.evidence),
                "generated": generated.get(ind.key),
                "error": errors.get(ind.key) or errors.get(f"evidence_{ind.key}"),
                "note_error": errors.get(f"note_{ind.key}"),
                "note": request.POST.get(f"note_{ind.key}", answer.note if answer else ""),
            }
        )
    return render(
        request,
        "innovation/iid_innovation.html",
        {
            "year": year,
            "innovation": innovation,
            "urusan": urusan_name(innovation.urusan),
            "rows": rows_out,
            "has_errors": bool(errors),
        },
        status=400 if errors else 200,
    )


@login_required
@require_GET
def evidence(request: HttpRequest, kind: str, pk: int) -> HttpResponseBase:
    answer: IndicatorAnswer | SpdAnswer
    if kind == "sid":
        answer = get_object_or_404(IndicatorAnswer.objects.select_related("innovation"), pk=pk)
    elif kind == "spd":
        answer = get_object_or_404(SpdAnswer.objects.select_related("agency"), pk=pk)
    else:
        raise Http404
    try:
        path = answers_mod.evidence_open(user=request.user, answer=answer)
    except PermissionDenied:
        raise Http404 from None  # the same answer as for an answer that does not exist
    except ValidationError:
        raise Http404 from None
    handle = path.open("rb")
    # The type from the stored (cleaned) bytes themselves: right for every file, also one
    # stored before its kind was recorded from the content.
    kind = sniff(handle.read(8)) or Kind.PDF
    handle.seek(0)
    ext = EXTENSIONS[kind][0]
    content_type = CONTENT_TYPES[kind]
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"bukti-{answer.frame}-{answer.indicator}-{answer.pk}.{ext}",
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@login_required
@require_GET
@_with_frame
def export(request: HttpRequest, year: int) -> HttpResponse:
    agency = _agency(request)
    f = _frame(year)
    data = iid_xlsx(agency, f)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="iid-{year}-{agency.code}.xlsx"'
    return response


def evidence_url(answer: IndicatorAnswer | SpdAnswer) -> str:
    kind = "spd" if isinstance(answer, SpdAnswer) else "sid"
    return reverse("iid_evidence", args=[kind, answer.pk])
