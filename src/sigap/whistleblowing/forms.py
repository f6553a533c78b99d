from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sigap.organisation.models import Unit
from sigap.whistleblowing.models import Report


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ReportForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Which unit is it about?"), queryset=Unit.objects.order_by("path")
    )
    service = forms.CharField(label=_("Which service (optional)"), max_length=200, required=False)
    when = forms.CharField(
        label=_("When did it happen (optional)"),
        max_length=200,
        required=False,
        help_text=_("A date or a period, e.g. “early March 2025”."),
    )
    what = forms.CharField(
        label=_("What happened?"),
        max_length=10_000,
        widget=forms.Textarea,
        help_text=_("Do not write your name or anything that identifies you."),
    )
    evidence = MultipleFileField(
        label=_("Evidence files (optional)"),
        required=False,
        help_text=_(
            "PDF, PNG or JPEG, at most 3 files of 5 MB. Photos can hold the place and the "
            "phone they were taken with: remove that information first if it could identify you."
        ),
    )


class ReceiptForm(forms.Form):
    receipt = forms.CharField(label=_("Your 16-digit receipt"), max_length=40)


class FollowUpForm(forms.Form):
    receipt = forms.CharField(widget=forms.HiddenInput, max_length=40)
    # A signed pass for this report after a correct receipt: no wait for one's own follow-up.
    ticket = forms.CharField(widget=forms.HiddenInput, max_length=400, required=False)
    text = forms.CharField(
        label=_("Add information"), max_length=10_000, widget=forms.Textarea, required=False
    )
    evidence = MultipleFileField(label=_("More evidence (optional)"), required=False)


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Reply to the reporter"), max_length=10_000, widget=forms.Textarea
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Report.Status.choices)


class GrantRequestForm(forms.Form):
    username = forms.CharField(label=_("User name of the new inspector"), max_length=150)
    unit = forms.ModelChoiceField(
        label=_("Over which unit (and everything below it)"), queryset=Unit.objects.none()
    )
    note = forms.CharField(label=_("Reason (optional)"), max_length=300, required=False)

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class GrantRefuseForm(forms.Form):
    note = forms.CharField(label=_("Reason (optional)"), max_length=300, required=False)
