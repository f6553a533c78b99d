"""Forms of the standards pages (HR): a technical competency, a new version, an import."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sigap.competency.sheets import MAX_IMPORT_BYTES
from sigap.competency.standards import LEVELS


class TechnicalCompetencyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    code = forms.SlugField(
        label=_("Code"),
        max_length=60,
        required=False,
        help_text=_("Used in imported files. Empty: made from the name."),
    )
    definition = forms.CharField(
        label=_("Definition"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for level in LEVELS:
            self.fields[f"level_{level}"] = forms.CharField(
                label=_("Level %(level)d") % {"level": level},
                max_length=500,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def level_lines(self) -> list[str]:
        return [self.cleaned_data[f"level_{level}"] for level in LEVELS]


class VersionForm(forms.Form):
    valid_from = forms.DateField(
        label=_("In force from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note (e.g. the decree)"), max_length=300, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("XLSX file"),
        help_text=_("Columns: Jabatan, Kode kompetensi, Level (1–5); one row per requirement."),
    )
    valid_from = forms.DateField(
        label=_("In force from"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload
