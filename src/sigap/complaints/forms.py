from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sigap.catalogue.models import Service
from sigap.complaints.models import DESCRIPTION_MAX, Category, Status
from sigap.organisation.models import Unit
from sigap.service_requests.forms import ReceiptCodeField


class ComplaintForm(forms.Form):
    # No answer preselected: the citizen chooses (a default skewed the categories reported).
    category = forms.ChoiceField(
        label=_("What is the complaint about?"),
        choices=[("", _("— choose —")), *Category.choices],
        error_messages={"required": _("Choose what the complaint is about.")},
    )
    service = forms.ModelChoiceField(
        label=_("Service"),
        queryset=Service.objects.none(),
        required=False,
        empty_label=_("— not about one service —"),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit (if no service or receipt)"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label="—",
    )
    kode = forms.CharField(label=_("Receipt code of your request (optional)"), max_length=20,
                           required=False)  # fmt: skip
    description = forms.CharField(
        label=_("What happened?"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Where, when, and what was asked of you. At most 4000 characters."),
    )
    officer_description = forms.CharField(
        label=_("The officer involved (name, counter, description; optional)"),
        max_length=200,
        required=False,
    )
    anonymous = forms.BooleanField(
        label=_("Complain anonymously (we will not know who you are)"), required=False
    )
    confidential = forms.BooleanField(
        label=_("Keep my identity confidential (only the Inspectorate sees it)"), required=False
    )
    reporter_name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    reporter_contact = forms.CharField(label=_("Phone or e-mail"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        service = self.fields["service"]
        unit = self.fields["unit"]
        assert isinstance(service, forms.ModelChoiceField)
        assert isinstance(unit, forms.ModelChoiceField)
        service.queryset = Service.objects.filter(is_active=True).order_by("name")
        unit.queryset = Unit.objects.order_by("path")

    @staticmethod
    def service_by_code(code: str) -> Service | None:
        return Service.objects.filter(is_active=True, code=code[:60]).first()


class MessageForm(forms.Form):
    message = forms.CharField(label=_("Message"), max_length=4000, widget=forms.Textarea)


class ComplaintFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Status.choices]
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All")), *Category.choices]
    )
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)
    due_soon = forms.BooleanField(label=_("Due within 3 days"), required=False)


class StatusLookupForm(forms.Form):
    kode = ReceiptCodeField(label=_("Complaint receipt code"))
