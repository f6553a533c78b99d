"""Forms of the innovation registry and of ideas: they parse the page's input; the checks that
matter (scope, dates, sources) are the write functions' (`sigap.innovation.services`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from sigap.catalogue.models import Service
from sigap.complaints.models import Category
from sigap.innovation import urusan
from sigap.innovation.models import Form, IdeaSource, Initiator, Kind, Stage, TargetKpi
from sigap.leadership.models import RoadmapAction
from sigap.organisation.models import Unit
from sigap.rules.ikm import ELEMENTS
from sigap.web.fields import BoundedDateField

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _blank_first(choices: Any) -> Any:
    """The choices after an empty one: a profile field is chosen, never left at the first
    option (an innovation silently filed under "Pendidikan", a basic-service urusan, would
    count towards the IID's urusan coverage)."""

    def listed() -> list[tuple[str, Any]]:
        return [("", "—"), *(choices() if callable(choices) else choices)]

    return listed


class UnitChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ServiceChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} — {obj.unit.name}"


class InnovationForm(forms.Form):
    """The IID profile. `units`: the units the user may register innovations for."""

    name = forms.CharField(label=_("Name of the innovation"), max_length=300)
    initiator = forms.ChoiceField(label=_("Initiator"), choices=_blank_first(Initiator.choices))
    initiator_name = forms.CharField(
        label=_("Initiator's name (person or unit)"), max_length=200, required=False
    )
    form = forms.ChoiceField(label=_("Form (bentuk)"), choices=_blank_first(Form.choices))
    kind = forms.ChoiceField(label=_("Kind (jenis)"), choices=_blank_first(Kind.choices))
    urusan = forms.ChoiceField(
        label=_("Government affair (urusan)"), choices=_blank_first(urusan.choices)
    )
    target_kpi = forms.ChoiceField(
        label=_("Indicator it aims to improve"),
        choices=[("", _("None declared")), *TargetKpi.choices],
        required=False,
        help_text=_(
            "The service indicator the innovation is meant to change. Its measured effect is "
            "judged on this indicator first; the other indicators are tested together, with "
            "wider intervals, so that a chance difference is not taken for a success."
        ),
    )
    initiated_on = BoundedDateField(label=_("Initiative from"), widget=DATE_INPUT)
    units = UnitChoice(
        label=_("Units it changes"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    services = ServiceChoice(
        label=_("Services it changes"),
        queryset=Service.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only services offered by the chosen units (or units below them)."),
    )
    design = forms.CharField(
        label=_("Design (rancang bangun)"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=20_000,
        help_text=_("The IID asks for at least 300 words."),
    )
    goals = forms.CharField(
        label=_("Goals"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=20_000,
    )
    benefits = forms.CharField(
        label=_("Benefits"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=20_000,
    )
    results = forms.CharField(
        label=_("Results"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=20_000,
    )
    video_url = forms.CharField(label=_("Video link"), max_length=200, required=False)

    def __init__(
        self,
        *args: Any,
        units: QuerySet[Unit],
        editing: bool = False,
        current_services: Sequence[Service] = (),
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["units"].queryset = units  # type: ignore[attr-defined]
        # The active services of the units, and those the innovation already changes even if
        # withdrawn since: an edit never drops (or refuses) a link it did not touch.
        self.fields["services"].queryset = (  # type: ignore[attr-defined]
            Service.objects.filter(
                Q(unit__in=units, is_active=True) | Q(pk__in=[s.pk for s in current_services])
            )
            .select_related("unit")
            .order_by("unit__path", "name")
        )
        if editing:
            # The dates move with the stage form.
            del self.fields["initiated_on"]


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    on = BoundedDateField(label=_("From"), widget=DATE_INPUT)
    note = forms.CharField(
        label=_("Note (needed to go back a stage or correct a date)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )


class UnitSelect(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ReplicationForm(forms.Form):
    adopter_unit = UnitSelect(
        label=_("Adopting unit of the agency"), queryset=Unit.objects.none(), required=False
    )
    adopter_region = forms.CharField(
        label=_("Or another region (name)"), max_length=200, required=False
    )
    create_replica = forms.BooleanField(
        label=_("Register the adopting unit's own record of the innovation"), required=False
    )
    adopted_on = BoundedDateField(label=_("Adopted on"), widget=DATE_INPUT)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["adopter_unit"].queryset = units  # type: ignore[attr-defined]


class RoadmapSelect(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title_text} — {obj.unit.name}"


def source_key_choices() -> list[tuple[str, Any]]:
    return [
        ("", "—"),
        (str(_("Complaint category")), [(f"c:{v}", label) for v, label in Category.choices]),
        (str(_("SKM element (unsur)")), [(f"u:{e.code}", e.name) for e in ELEMENTS]),
    ]


class IdeaForm(forms.Form):
    unit = UnitSelect(label=_("Unit"), queryset=Unit.objects.none())
    title = forms.CharField(label=_("Title"), max_length=300)
    problem = forms.CharField(
        label=_("The problem"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20_000
    )
    proposal = forms.CharField(
        label=_("Your proposal"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20_000
    )
    source = forms.ChoiceField(label=_("Where the idea comes from"), choices=IdeaSource.choices)
    roadmap_action = RoadmapSelect(
        label=_("Roadmap action"), queryset=RoadmapAction.objects.none(), required=False
    )
    source_key = forms.ChoiceField(
        label=_("Complaint category or SKM element"), choices=source_key_choices, required=False
    )

    def __init__(
        self, *args: Any, units: QuerySet[Unit], actions: QuerySet[RoadmapAction], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["roadmap_action"].queryset = actions  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        """ "c:lambat" / "u:waktu" → the key, kept only when it is of the source's kind (a
        complaint category for a complaint pattern, an unsur for SKM)."""
        data = super().clean() or {}
        kind, _sep, key = (data.get("source_key") or "").partition(":")
        wanted = {IdeaSource.COMPLAINTS: "c", IdeaSource.SKM: "u"}.get(data.get("source", ""))
        data["source_key"] = key if wanted is not None and kind == wanted else ""
        return data


class AcceptForm(forms.Form):
    name = forms.CharField(
        label=_("Name in the registry"),
        max_length=300,
        required=False,
        help_text=_("Leave it empty to use the idea's title."),
    )
    form = forms.ChoiceField(label=_("Form (bentuk)"), choices=_blank_first(Form.choices))
    kind = forms.ChoiceField(label=_("Kind (jenis)"), choices=_blank_first(Kind.choices))
    urusan = forms.ChoiceField(
        label=_("Government affair (urusan)"), choices=_blank_first(urusan.choices)
    )
    note = forms.CharField(
        label=_("Note to the proposer"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )


class DeclineForm(forms.Form):
    decision_note = forms.CharField(
        label=_("Why the idea is not taken up"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
