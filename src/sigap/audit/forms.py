from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sigap.audit.labels import action_label
from sigap.organisation.models import Unit
from sigap.web.fields import BoundedDateField


class AuditFilterForm(forms.Form):
    # A list of the actions recorded so far, by their names; the value is the action's code,
    # matched as a prefix ("wbs." for every whistleblowing action, from a link).
    action = forms.CharField(label=_("Action"), max_length=60, required=False, widget=forms.Select)
    actor = forms.CharField(label=_("Actor (user name)"), max_length=150, required=False)
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All")
    )
    since = BoundedDateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = BoundedDateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    # Set by links such as "who opened this case" on other pages.
    object_type = forms.CharField(max_length=60, required=False, widget=forms.HiddenInput)
    object_id = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, units: QuerySet[Unit], actions: Sequence[str] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        named = sorted(((code, action_label(code)) for code in actions), key=lambda c: c[1])
        self.fields["action"].widget.choices = [("", _("All")), *named]
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units
