from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sigap.booking.models import Weekday

# The honeypot's name: a field people never see (hidden by the stylesheet, skipped by the
# keyboard) and that form-filling robots fill in.
HONEYPOT = "situs_web"


class OfferedSlotField(forms.TypedChoiceField):
    """The times offered are only what the page shows: whether the chosen one is still free is
    the write function's answer ("full", "passed"), which names the cause."""

    def valid_value(self, value: object) -> bool:
        return True


class ApplicantForm(forms.Form):
    receipt = forms.CharField(
        label=_("Receipt code of your request"),
        max_length=24,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    contact = forms.CharField(
        label=_("The phone number or e-mail you gave when applying"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    situs_web = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    slot = OfferedSlotField(
        label=_("Time at the counter"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: object, slots: list[tuple[int, str]] | None = None, **kw: object):
        super().__init__(*args, **kw)  # type: ignore[arg-type]
        self.fields["slot"].choices = slots or []  # type: ignore[attr-defined]


class PlanForm(forms.Form):
    weekday = forms.TypedChoiceField(
        label=_("Day of the week"), choices=Weekday.choices, coerce=int
    )
    start = forms.TimeField(
        label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=500)


class GenerateForm(forms.Form):
    first = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    last = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
