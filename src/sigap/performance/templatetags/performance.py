from __future__ import annotations

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def pct(value: float | None) -> str:
    """0.8861 → "88.6 %" (localised decimal separator); "–" when there is no value."""
    if value is None:
        return "–"
    return f"{number_format(round(value * 100, 1), 1)} %"  # number_format truncates


@register.filter
def num1(value: float | None) -> str:
    return "–" if value is None else number_format(round(value, 1), 1)
