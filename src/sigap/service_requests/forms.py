from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sigap.catalogue.models import Service
from sigap.organisation.models import Unit
from sigap.service_requests.models import AgeBand, Gender, Status


class ReceiptCodeField(forms.CharField):
    """A receipt code as people type it (spaces, dashes, lower case), cleaned to its normal form;
    input with no letter or digit at all (a quote, punctuation) is a clear form error."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        from sigap.service_requests.services import normalise_receipt_code

        code = normalise_receipt_code(super().clean(value))
        if not code and (value or self.required):
            raise forms.ValidationError(
                _("A receipt code has letters and digits only, for example 7KQ2M9XR4T."),
                code="invalid",
            )
        return code


class TrackForm(forms.Form):
    kode = ReceiptCodeField(label=_("Receipt code"))


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All open"))]
        + [(s.value, s.label) for s in Status if s not in (Status.COMPLETED, Status.REJECTED)],
    )
    mine = forms.BooleanField(label=_("Only mine"), required=False)


class RequestSearchForm(forms.Form):
    kode = forms.CharField(label=_("Receipt code"), max_length=20, required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Status.choices]
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All")
    )
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea)


class IntakeForm(forms.Form):
    """A walk-in request registered by an officer at the counter."""

    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.none())
    applicant_name = forms.CharField(label=_("Applicant name"), max_length=200)
    applicant_contact = forms.CharField(label=_("Phone or e-mail"), max_length=200)
    applicant_nik = forms.CharField(
        label=_("NIK (optional)"),
        max_length=20,
        required=False,
        help_text=_("Only a masked form is stored."),
    )
    region_kecamatan = forms.CharField(label=_("Kecamatan"), max_length=100)
    region_desa = forms.CharField(label=_("Desa/kelurahan"), max_length=100, required=False)
    applicant_gender = forms.ChoiceField(
        label=_("Gender (optional)"), choices=[("", "—"), *Gender.choices], required=False
    )
    applicant_disability = forms.NullBooleanField(
        label=_("Person with a disability (optional)"), required=False
    )
    applicant_age_band = forms.ChoiceField(
        label=_("Age band (optional)"), choices=[("", "—"), *AgeBand.choices], required=False
    )

    def __init__(self, *args: Any, services: QuerySet[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["service"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = services
