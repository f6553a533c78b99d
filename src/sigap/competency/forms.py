"""Forms of the competency records: an assessment result, a training record, an import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sigap.catalogue.models import Service
from sigap.competency.models import ROUTE_CHOICES, Assessment, Competency
from sigap.competency.records import MAX_SESSIONS
from sigap.competency.sheets import MAX_IMPORT_BYTES
from sigap.competency.standards import agency_competencies
from sigap.organisation.models import Employee
from sigap.rules.competency import MAX_LEVEL, MIN_LEVEL
from sigap.web.fields import BoundedDateField

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AssessmentForm(forms.Form):
    competency = forms.ModelChoiceField(label=_("Competency"), queryset=Competency.objects.none())
    level = forms.TypedChoiceField(
        label=_("Level"),
        coerce=int,
        choices=[(n, str(n)) for n in range(MIN_LEVEL, MAX_LEVEL + 1)],
    )
    assessed_on = BoundedDateField(label=_("Assessment date"), widget=DATE_INPUT)
    method = forms.ChoiceField(label=_("Method"), choices=Assessment.Method.choices)

    def __init__(self, *args: Any, employee: Employee, **kw: Any) -> None:
        super().__init__(*args, **kw)
        field = self.fields["competency"]
        field.queryset = agency_competencies(employee.unit.agency_id)  # type: ignore[attr-defined]


class TrainingForm(forms.Form):
    title = forms.CharField(label=_("Title of the training"), max_length=300)
    route = forms.ChoiceField(label=_("Development route"), choices=ROUTE_CHOICES)
    starts_on = BoundedDateField(label=_("Start date"), widget=DATE_INPUT)
    ends_on = BoundedDateField(label=_("End date"), widget=DATE_INPUT)
    hours = forms.DecimalField(
        label=_("Hours of learning (clock hours)"),
        max_digits=7,
        decimal_places=2,
        initial=0,
        help_text=_("Routes counted by day, session or a fixed amount may leave 0."),
    )
    sessions = forms.IntegerField(
        label=_("Sessions (coaching, mentoring)"),
        required=False,
        min_value=0,
        max_value=MAX_SESSIONS,
    )
    provider = forms.CharField(label=_("Provider"), max_length=300, required=False)
    certificate_number = forms.CharField(
        label=_("Certificate number"), max_length=100, required=False
    )
    certificate = forms.FileField(
        label=_("Certificate (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    competencies = forms.ModelMultipleChoiceField(
        label=_("Competencies developed"),
        queryset=Competency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    service = forms.ModelChoiceField(
        label=_("Service whose procedure step it targets (optional)"),
        queryset=Service.objects.none(),
        required=False,
    )
    step = forms.CharField(label=_("Procedure step (optional)"), max_length=200, required=False)

    def __init__(self, *args: Any, employee: Employee, **kw: Any) -> None:
        super().__init__(*args, **kw)
        agency_id = employee.unit.agency_id
        self.fields["competencies"].queryset = agency_competencies(agency_id)  # type: ignore[attr-defined]
        self.fields["service"].queryset = Service.objects.filter(  # type: ignore[attr-defined]
            unit__agency_id=agency_id
        ).order_by("name")


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (XLSX or CSV)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload
