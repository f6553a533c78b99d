"""The upload form of the onboarding page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sigap.onboarding import uploads


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Import"))
    file = forms.FileField(label=_("File (XLSX or CSV)"))
    source = forms.CharField(
        label=_("Source application"),
        required=False,
        max_length=60,
        help_text=_("Request history only: the application the log comes from."),
    )
    mapping = forms.CharField(
        label=_("Column mapping"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Request history only: one line per field, field = column header of the file, for "
            "example “kasus = Nomor Registrasi”. Fields: kasus, layanan, aktivitas, waktu, "
            "petugas, hasil, kanal, kecamatan, pemohon."
        ),
    )

    def __init__(
        self, *args: Any, kinds: list[tuple[str, str]], with_options: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds  # type: ignore[attr-defined]
        if not with_options:  # none of the user's imports reads options (only the history does)
            del self.fields["source"]
            del self.fields["mapping"]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = uploads.max_bytes()
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}
            )
        return upload

    def clean_mapping(self) -> dict[str, str]:
        mapping: dict[str, str] = {}
        for number, line in enumerate(self.cleaned_data.get("mapping", "").splitlines(), 1):
            if not line.strip():
                continue
            field, sep, column = line.partition("=")
            if not sep or not field.strip() or not column.strip() or "." in field:
                raise forms.ValidationError(
                    _("Line %(n)d is not written field = column.") % {"n": number}
                )
            mapping[field.strip()] = column.strip()
        return mapping

    def options(self) -> dict[str, Any]:
        """The importer's options, as `sigap onboard --option` gives them."""
        options: dict[str, Any] = {}
        if self.cleaned_data.get("source"):
            options["source"] = self.cleaned_data["source"].strip()
        if self.cleaned_data.get("mapping"):
            options["mapping"] = self.cleaned_data["mapping"]
        return options
