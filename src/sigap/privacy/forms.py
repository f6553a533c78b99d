from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sigap.organisation.models import Unit
from sigap.privacy.models import Kind


class RequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you ask for?"), choices=Kind.choices, widget=forms.RadioSelect
    )
    receipt = forms.CharField(
        label=_("Receipt code of your request or complaint"),
        max_length=24,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    contact = forms.CharField(
        label=_("The phone number or e-mail you gave then"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    details = forms.CharField(
        label=_("Details (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For a correction: what is wrong and the right value."),
    )


class ReferenceForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference of your data request"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer to the citizen"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class BreachForm(forms.Form):
    unit: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(
        label=_("Unit responsible"), queryset=Unit.objects.none()
    )
    title = forms.CharField(label=_("Short title"), max_length=200)
    discovered_at = forms.DateTimeField(
        label=_("Discovered at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    occurred_at = forms.DateTimeField(
        label=_("Occurred at (if known)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    how = forms.CharField(
        label=_("How the data was exposed"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    data_categories = forms.CharField(
        label=_("Which personal data"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    subjects_count = forms.IntegerField(
        label=_("Number of data subjects affected"), min_value=0, max_value=2_000_000_000
    )
    measures = forms.CharField(
        label=_("Measures taken and planned"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    contact = forms.CharField(
        label=_("Contact for the data subjects"), max_length=300, required=False
    )
    public_notice = forms.BooleanField(label=_("The public must be told as well"), required=False)

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]
