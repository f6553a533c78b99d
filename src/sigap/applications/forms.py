"""The online application form, generated from the requirements of the standard in force."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sigap.catalogue.requirements import Kind, Requirement
from sigap.documents.services import max_bytes


def document_field(req: Requirement) -> forms.FileField:
    """The file input of a document requirement. Never required here: the write function
    checks what is missing and what a file is, with its own messages."""
    return forms.FileField(
        label=req.name,
        required=False,
        help_text=_("PDF, JPEG or PNG, at most %(mb)s MB.") % {"mb": max_bytes() // (1024 * 1024)},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )


class RequirementsForm(forms.Form):
    """A form with one field per requirement of a standard (`req_<key>`), in its order."""

    requirements: list[Requirement]

    def requirement_fields(self) -> list[forms.BoundField]:
        return [self[f"req_{r.key}"] for r in self.requirements]


class ApplicationForm(RequirementsForm):
    name = forms.CharField(
        label=_("Full name (as on your KTP)"),
        max_length=200,
        error_messages={"required": _("Write your name as on your KTP.")},
    )
    nik = forms.CharField(
        label=_("NIK"),
        max_length=32,
        help_text=_("The 16 digits on your KTP or KK."),
        error_messages={
            "required": _("This NIK is not valid: check the 16 digits on your KTP or KK.")
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("WhatsApp number"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.CharField(
        label=_("E-mail"),
        max_length=200,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    kecamatan = forms.CharField(
        label=_("Kecamatan"),
        max_length=100,
        error_messages={"required": _("Write your kecamatan.")},
    )
    desa = forms.CharField(label=_("Desa/kelurahan"), max_length=100, required=False)
    consent = forms.BooleanField(
        label=_("I agree to the use of my data as stated above."),
        error_messages={"required": _("We can only process your application with your consent.")},
    )
    # Left empty by people (hidden from them); filled by bots that fill every field.
    website = forms.CharField(required=False, label=_("Leave this empty"))
    key = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, requirements: list[Requirement], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.requirements = requirements
        if not self.is_bound:
            self.initial["key"] = secrets.token_urlsafe(24)
        for req in requirements:
            name = f"req_{req.key}"
            if req.kind is Kind.DOCUMENT:
                self.fields[name] = document_field(req)
            elif req.kind is Kind.FIELD:
                self.fields[name] = forms.CharField(label=req.name, max_length=500, required=False)
            else:
                self.fields[name] = forms.BooleanField(label=req.name, required=False)


class FixForm(RequirementsForm):
    """The applicant's correction of a returned file: a file input for each document
    requirement, the current value of each field requirement; all optional, at least one change
    needed (the write function says so)."""

    def __init__(
        self, *args: Any, requirements: list[Requirement], answers: dict[str, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.requirements = [r for r in requirements if r.kind is not Kind.STATEMENT]
        for req in self.requirements:
            name = f"req_{req.key}"
            if req.kind is Kind.DOCUMENT:
                self.fields[name] = document_field(req)
            else:
                self.fields[name] = forms.CharField(
                    label=req.name, max_length=500, required=False, initial=answers.get(req.key, "")
                )


class LinkForm(forms.Form):
    """ "Send me my link again": the receipt code and the contact given with the request."""

    receipt = forms.CharField(
        label=_("Receipt code"),
        max_length=40,
        error_messages={"required": _("Write the receipt code of your request.")},
    )
    contact = forms.CharField(
        label=_("WhatsApp number or e-mail given with the request"),
        max_length=200,
        error_messages={"required": _("Write the WhatsApp number or e-mail you gave.")},
    )
    website = forms.CharField(required=False, label=_("Leave this empty"))
