from typing import Any

from django import template

from sigap.catalogue.masking import mask_personal_data

register = template.Library()


@register.filter
def masked(text: str) -> str:
    """A text of the public, as the public pages show it (sigap.catalogue.masking)."""
    return mask_personal_data(str(text or ""))


@register.filter
def record_of(records: dict[int, Any], standard_id: int) -> Any:
    """The consultation record of a standard in `selectors.consultation_records`'s answer."""
    return records.get(standard_id) if records else None
