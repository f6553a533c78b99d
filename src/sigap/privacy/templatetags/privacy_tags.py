"""`{% privacy_notice "complaint" %}`: the short privacy notice every public form shows.

The application form passes its own text and period:
`{% privacy_notice "application" purpose=consent_text documents_days=days %}`.
"""

from __future__ import annotations

from typing import Any

from django import template

from sigap.privacy import categories, selectors

register = template.Library()


@register.inclusion_tag("privacy/_notice.html")
def privacy_notice(
    form: str, purpose: str | None = None, documents_days: int | None = None
) -> dict[str, Any]:
    """`purpose` replaces the form's standard text (the application form's, which names its
    service's document retention); `documents_days` is that period, for the table."""
    return {
        "purpose": purpose if purpose is not None else categories.FORMS[form],
        "categories": categories.for_form(form, documents_days=documents_days),
        "officer": selectors.officer(),
    }
