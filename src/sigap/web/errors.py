"""Show a write function's ValidationError to the person: on the form, or as messages.

Write functions raise `ValidationError({field: [message, ...]})`; every view hands those to the
person the same way, through these two helpers.
"""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest


def _pairs(exc: ValidationError) -> list[tuple[str, str]]:
    if hasattr(exc, "error_dict"):
        return [(field, e) for field, errs in exc.message_dict.items() for e in errs]
    return [(NON_FIELD_ERRORS, e) for e in exc.messages]


def errors_to_form(
    form: forms.BaseForm,
    exc: ValidationError,
    *,
    rename: Mapping[str, str] | None = None,
    default_field: str | None = None,
) -> None:
    """Attach each error to the form field of the same name (after `rename`), else to
    `default_field` or the form as a whole."""
    fallback = default_field if default_field and default_field in form.fields else None
    for field, error in _pairs(exc):
        target: str | None = (rename or {}).get(field, field)
        form.add_error(target if target in form.fields else fallback, error)


def errors_to_messages(
    request: HttpRequest, exc: ValidationError, *, labels: Mapping[str, str] | None = None
) -> None:
    """One error message per problem, prefixed with the field it is about when `labels` names
    it (what the person reads on the form); never with the field's internal name, which is code
    ("applicant_nik"): the messages of the services say which value is wrong."""
    for field, error in _pairs(exc):
        label = (labels or {}).get(field) if field != NON_FIELD_ERRORS else None
        messages.error(request, f"{label}: {error}" if label else error)
