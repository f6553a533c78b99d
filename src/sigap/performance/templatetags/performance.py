"""The performance pages' short names for two formats of `sigap.web.formatting`."""

from __future__ import annotations

from django import template

from sigap.web import formatting

register = template.Library()


@register.filter
def pct(value: float | None) -> str:
    """A 0–1 share with one decimal: 0.8861 → "88,6 %" / "88.6%"; "—" when there is none."""
    return formatting.percent(value, 1)


@register.filter
def num1(value: float | None) -> str:
    """One decimal, grouped: 1234.56 → "1.234,6" / "1,234.6"."""
    return formatting.decimal(value, 1)
