from typing import Any

from django import template

from sigap.web import formatting

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """`mapping|get_item:key` for dict lookups with a variable key."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""


@register.filter
def percent(value: Any) -> str:
    """A 0–1 share in whole percent, in the page's language ("40 %" / "40%")."""
    return formatting.percent(None if value is None else float(value), 0)
