from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sigap.organisation.models import Unit
from sigap.payments.models import Source

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
RECORD_SOURCES = [
    (s.value, s.label) for s in (Source.ERETRIBUSI, Source.BANK, Source.QRIS, Source.RECEIPT)
]
STATEMENT_CHOICES = [(s.value, s.label) for s in (Source.BANK, Source.ERETRIBUSI, Source.QRIS)]
MAX_STATEMENT_BYTES = 2_000_000


class _UnitForm(forms.Form):
    unit: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(
        label=_("Unit that received the payment"), queryset=Unit.objects.none()
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units
        if units.count() == 1:
            field.initial = units.first()


class RecordForm(_UnitForm):
    source = forms.ChoiceField(label=_("Source"), choices=RECORD_SOURCES)
    reference = forms.CharField(
        label=_("Payment reference"),
        max_length=80,
        help_text=_("The billing code, transaction number or receipt number, as printed."),
    )
    amount = forms.DecimalField(
        label=_("Amount (Rp)"), max_digits=14, decimal_places=0, min_value=0
    )
    paid_at = forms.DateTimeField(
        label=_("Paid at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=DATETIME_FORMATS,
    )
    receipt_code = forms.CharField(
        label=_("Receipt code of the request (if known)"), max_length=32, required=False
    )
    description = forms.CharField(label=_("Note"), max_length=300, required=False)


class ReconcileForm(forms.Form):
    source = forms.ChoiceField(label=_("Source"), choices=RECORD_SOURCES)
    reference = forms.CharField(label=_("Payment reference"), max_length=80)
    amount = forms.DecimalField(
        label=_("Amount (Rp)"), max_digits=14, decimal_places=0, min_value=0
    )
    receipt_code = forms.CharField(label=_("Receipt code of the request"), max_length=32)


class StatementForm(_UnitForm):
    source = forms.ChoiceField(label=_("Statement of"), choices=STATEMENT_CHOICES)
    file = forms.FileField(label=_("Statement (CSV)"), required=False)
    # After the dry run the file's text travels back with the confirmation, and is checked again.
    content = forms.CharField(widget=forms.HiddenInput, required=False)
    filename = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)
