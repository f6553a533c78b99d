from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sigap.rules.ikm import ELEMENTS
from sigap.service_requests.models import AgeBand, Gender
from sigap.surveys.models import COMMENT_MAX, Education, Occupation

QUESTIONS = {
    "persyaratan": _("Do the requirements match the kind of service?"),
    "prosedur": _("How easy is the procedure of this service?"),
    "waktu": _("How fast was the service completed?"),
    "biaya": _("How fair is the cost of this service?"),
    "produk": _("Does the result match what the service standard promises?"),
    "kompetensi": _("How competent were the officers?"),
    "perilaku": _("How polite and friendly were the officers?"),
    "pengaduan": _("How are complaints, suggestions and input handled?"),
    "sarana": _("How good are the facilities?"),
}


class SurveyForm(forms.Form):
    """The official SKM questionnaire: 9 unsur (answer labels of PermenPANRB 14/2017)."""

    # The survey token of the applicant's link or receipt slip
    # (`sigap.notifications.survey_links`): carried through the form so the answers are tied to
    # that request; empty for an anonymous survey.
    t = forms.CharField(required=False, max_length=400, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for e in ELEMENTS:
            self.fields[e.code] = forms.TypedChoiceField(
                label=f"{e.number}. {QUESTIONS[e.code]}",
                choices=[(i, label) for i, label in enumerate(e.labels, start=1)],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose one answer.")},
            )
        self.fields["comment"] = forms.CharField(
            label=_("Comments and suggestions (optional)"),
            required=False,
            max_length=COMMENT_MAX,
            widget=forms.Textarea(attrs={"rows": 4}),
        )
        self.fields["gender"] = forms.ChoiceField(
            label=_("Gender"), choices=[("", "—"), *Gender.choices], required=False
        )
        self.fields["age_band"] = forms.ChoiceField(
            label=_("Age"), choices=[("", "—"), *AgeBand.choices], required=False
        )
        self.fields["education"] = forms.ChoiceField(
            label=_("Education"), choices=[("", "—"), *Education.choices], required=False
        )
        self.fields["occupation"] = forms.ChoiceField(
            label=_("Occupation"), choices=[("", "—"), *Occupation.choices], required=False
        )

    def questions(self) -> list[forms.BoundField]:
        return [self[e.code] for e in ELEMENTS]

    def profile(self) -> list[forms.BoundField]:
        return [self[f] for f in ("gender", "age_band", "education", "occupation")]


class ResultsFilterForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=[
            ("quarter", _("Quarter")),
            ("month", _("Month")),
            ("semester", _("Semester")),
            ("year", _("Year")),
        ],
    )
    group = forms.ChoiceField(
        label=_("Per"),
        required=False,
        choices=[("unit", _("Unit")), ("service", _("Service"))],
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)


class FollowUpForm(forms.Form):
    element = forms.ChoiceField(
        label=_("Element (unsur)"), choices=[(e.code, f"U{e.number} {e.name}") for e in ELEMENTS]
    )
    action = forms.CharField(label=_("Planned action"), max_length=COMMENT_MAX,
                             widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    timeline = forms.CharField(label=_("Timeline"), max_length=200)
    responsible = forms.CharField(label=_("Responsible"), max_length=200)


class ApplicantContactForm(forms.Form):
    """The applicant's proof at `/skm/kode/<code>/`: the contact registered on the request."""

    contact = forms.CharField(
        label=_("WhatsApp number or e-mail given with the request"),
        max_length=200,
        error_messages={"required": _("Write the WhatsApp number or e-mail you gave.")},
    )
