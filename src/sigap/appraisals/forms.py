from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sigap.appraisals.models import (
    AppraisalCorrection,
    EvidenceKey,
    OrgPredikat,
    PerformancePlan,
    Rating,
)
from sigap.rules.skp import BERAKHLAK
from sigap.web.fields import BoundedDateField

INDICATOR_ROWS = 3


def year_from(data: Any) -> int:
    """The ?tahun= of a page, or the latest year with performance plans (the current year when
    there are none); anything odd falls back to it too."""
    raw = str(data.get("tahun", "")) if data else ""
    if raw.isascii() and raw.isdigit() and len(raw) == 4 and 2022 <= int(raw) <= 2100:
        return int(raw)
    this_year = timezone.localdate().year
    latest = (
        PerformancePlan.objects.filter(year__lte=this_year)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return latest or this_year


class ResultForm(forms.Form):
    text = forms.CharField(label=_("Planned result"), max_length=500)
    parent = forms.TypedChoiceField(
        label=_("Cascaded from the rater's result"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, parents: Sequence[tuple[int, str]] = (), **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["parent"].choices = [("", "—"), *parents]  # type: ignore[attr-defined]
        for i in range(1, INDICATOR_ROWS + 1):
            self.fields[f"indicator_{i}"] = forms.CharField(
                label=_("Indicator %d") % i, max_length=500, required=False
            )
            self.fields[f"target_{i}"] = forms.CharField(
                label=_("Target %d") % i, max_length=100, required=False
            )
            self.fields[f"evidence_{i}"] = forms.ChoiceField(
                label=_("Evidence %d") % i, choices=EvidenceKey.choices, required=False
            )

    def indicator_rows(self) -> list[tuple[Any, Any, Any]]:
        return [
            (self[f"indicator_{i}"], self[f"target_{i}"], self[f"evidence_{i}"])
            for i in range(1, INDICATOR_ROWS + 1)
        ]


class RateForm(forms.Form):
    period = forms.IntegerField(label=_("Period"), min_value=0)
    hasil_kerja = forms.ChoiceField(label=_("Work results (hasil kerja)"), choices=Rating.choices)
    perilaku_kerja = forms.ChoiceField(
        label=_("Work behaviour (perilaku kerja)"), choices=Rating.choices
    )
    peer_feedback = forms.CharField(
        label=_("Peer feedback (optional)"), required=False, widget=forms.Textarea, max_length=2000
    )
    citizen_feedback = forms.CharField(
        label=_("Citizen feedback (optional)"),
        required=False,
        widget=forms.Textarea,
        max_length=2000,
    )
    finalise = forms.BooleanField(label=_("Final (locks the appraisal)"), required=False)
    justification = forms.CharField(
        label=_("Justification (a Sangat Baik despite a confirmed integrity finding)"),
        required=False,
        widget=forms.Textarea,
        max_length=2000,
    )

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        for value in BERAKHLAK:
            self.fields[f"note_{value.code}"] = forms.CharField(
                label=value.name, required=False, max_length=1000
            )

    def behaviour_notes(self) -> dict[str, str]:
        return {v.code: self.cleaned_data.get(f"note_{v.code}", "") for v in BERAKHLAK}


class CorrectionForm(forms.Form):
    appraisal = forms.IntegerField(widget=forms.HiddenInput)
    hasil_kerja = forms.ChoiceField(label=_("Work results (hasil kerja)"), choices=Rating.choices)
    perilaku_kerja = forms.ChoiceField(
        label=_("Work behaviour (perilaku kerja)"), choices=Rating.choices
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea, max_length=2000)
    justification = forms.CharField(
        label=_("Justification (a Sangat Baik despite a confirmed integrity finding)"),
        required=False,
        widget=forms.Textarea,
        max_length=2000,
    )
    kind = forms.ChoiceField(
        choices=AppraisalCorrection.Kind.choices,
        initial=AppraisalCorrection.Kind.CORRECTION,
        widget=forms.HiddenInput,
    )


class OrgRatingForm(forms.Form):
    unit = forms.IntegerField(widget=forms.HiddenInput)
    year = forms.IntegerField(widget=forms.HiddenInput)
    predikat = forms.ChoiceField(label=_("Organisation predikat"), choices=OrgPredikat.choices)


class PotentialImportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2022, max_value=2100)
    file = forms.FileField(label=_("CSV file (columns nip, score, source)"))


class AbsenceForm(forms.Form):
    nip = forms.CharField(label="NIP", max_length=18)
    day = BoundedDateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
