from django import template

from sigap.rules.nip import format_nip

register = template.Library()


@register.filter
def nip(value: str) -> str:
    """Print an NIP the way it appears on official documents: 19850317 201001 1 002."""
    return format_nip(value) if value and len(value) == 18 else value
