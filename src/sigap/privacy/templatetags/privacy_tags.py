"""`{% privacy_notice "complaint" %}`: the short privacy notice every public form shows."""

from __future__ import annotations

from typing import Any

from django import template

from sigap.privacy import categories, selectors

register = template.Library()


@register.inclusion_tag("privacy/_notice.html")
def privacy_notice(form: str) -> dict[str, Any]:
    return {
        "purpose": categories.FORMS[form],
        "categories": categories.for_form(form),
        "officer": selectors.officer(),
    }
