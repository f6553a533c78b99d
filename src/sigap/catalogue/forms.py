"""Forms of the service-standard editor and of the public consultation.

The requirements and the procedure are formsets: rows are added with a submit button (no
JavaScript needed) and removed with a checkbox. Every choice shows names (a role, a position, a
step), never an id.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sigap.access import ACTION_ROLES, Action
from sigap.accounts.models import Role
from sigap.catalogue.models import ServiceStandard
from sigap.catalogue.requirements import Kind
from sigap.organisation.models import Position

HONEYPOT = "situs_web"  # as the other public forms: hidden from people, filled by robots

KIND_CHOICES = [
    (Kind.DOCUMENT.value, _("Document to upload or bring")),
    (Kind.FIELD.value, _("Information the applicant types")),
    (Kind.STATEMENT.value, _("Condition the applicant declares")),
]

# The labels of the components are the public page's, so the editor speaks as the citizen reads.
COMPONENT_LABELS = {
    "sla_working_days": _("Time limit"),
    "tariff_rupiah": _("Cost or tariff"),
    "product": _("Product"),
    "complaint_channel": _("Complaints, suggestions and feedback"),
    "legal_basis": _("Legal basis"),
    "facilities": _("Facilities"),
    "officer_competency": _("Officer competency"),
    "internal_supervision": _("Internal supervision"),
    "number_of_officers": _("Number of officers"),
    "service_guarantee": _("Service guarantee"),
    "security_guarantee": _("Security and safety guarantee"),
    "officer_evaluation": _("Evaluation of officers' performance"),
    "needs_presence": _("The applicant must come in person"),
}


class ComponentsForm(forms.ModelForm):  # type: ignore[type-arg]
    """The components of PermenPANRB 15/2014 other than the requirements and the procedure."""

    class Meta:
        model = ServiceStandard
        fields = list(COMPONENT_LABELS)
        labels = COMPONENT_LABELS
        help_texts = {
            "sla_working_days": _("In working days, from a complete application to the product."),
            "tariff_rupiah": _("In rupiah; 0 when the service is free."),
            "number_of_officers": _("How many officers deliver this service."),
            "needs_presence": _("Fingerprints, a test, collecting an original: a time at the "
                                "counter can then be booked."),
        }  # fmt: skip
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in (
                "legal_basis",
                "facilities",
                "officer_competency",
                "internal_supervision",
                "service_guarantee",
                "security_guarantee",
                "officer_evaluation",
            )
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Empty is allowed while drafting; publishing asks for these (services.publish_problems).
        for name in ("product", "complaint_channel", "legal_basis"):
            self.fields[name].required = False


class RequirementForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=KIND_CHOICES, initial=Kind.DOCUMENT.value)
    optional = forms.BooleanField(label=_("Optional"), required=False)


def _role_choices() -> list[tuple[str, Any]]:
    processing = ACTION_ROLES[Action.REQUEST_PROCESS]
    return [("", _("Any role"))] + [(r.value, r.label) for r in Role if r in processing]


class StepForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    expected_minutes = forms.IntegerField(
        label=_("Expected duration (minutes)"), min_value=1, max_value=100_000
    )
    role = forms.ChoiceField(label=_("Only by the role"), required=False)
    position = forms.ChoiceField(label=_("Only by the position"), required=False)
    other_than = forms.ChoiceField(label=_("Another officer than the one who did"), required=False)

    def __init__(
        self,
        *args: Any,
        step_names: list[str] | None = None,
        positions: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices()  # type: ignore[attr-defined]
        names = positions or []
        current = (self.data.get(self.add_prefix("position")) if self.is_bound else None) or (
            self.initial.get("position") or ""
        )
        if current and current not in names:
            names = [current, *names]  # a position renamed since: kept, not lost
        self.fields["position"].choices = [("", _("Any position"))] + [(n, n) for n in names]  # type: ignore[attr-defined]
        self.fields["other_than"].choices = [("", _("No condition"))] + [  # type: ignore[attr-defined]
            (n, n) for n in (step_names or []) if n
        ]


RequirementFormSet = forms.formset_factory(RequirementForm, extra=0, can_delete=True)
StepFormSet = forms.formset_factory(StepForm, extra=0, can_delete=True)


def position_names() -> list[str]:
    return list(Position.objects.order_by("name").values_list("name", flat=True))


class PublishForm(forms.Form):
    valid_from = forms.DateField(
        label=_("In force from"), widget=forms.DateInput(attrs={"type": "date"})
    )


class ConsultationForm(forms.Form):
    opens_on = forms.DateField(label=_("Open from"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(
        label=_("Open until"), widget=forms.DateInput(attrs={"type": "date"})
    )


class HearingForm(forms.Form):
    held_on = forms.DateField(
        label=_("Hearing date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    attendance = forms.IntegerField(
        label=_("Number of people who attended"), min_value=1, required=False
    )
    parties = forms.CharField(
        label=_("Parties who attended"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Community groups, NGOs, village officials, users of the service."),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("The unit's answer"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CommentForm(forms.Form):
    """The public's comment on a draft standard (no account)."""

    name = forms.CharField(label=_("Your name (optional)"), max_length=100, required=False)
    contact = forms.CharField(
        label=_("Phone or e-mail (optional, never published)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    text = forms.CharField(
        label=_("Your comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    situs_web = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
