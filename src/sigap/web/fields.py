"""Input parsed at the edge: form fields and query-string readers that refuse what the layers
below cannot hold, with a clear message, instead of letting it fail there as a 500.

* a date is a real calendar day between the years 1900 and 2100: day 0001-01-01 or 9999-12-31
  overflows as soon as it is turned into a moment in a time zone or shifted by a day;
* an id in a query string is a whole number of ASCII digits that the database's integer holds
  ("²".isdigit() is true, int("²") fails; a 20-digit number overflows SQLite's integer).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

YEARS = (1900, 2100)
MAX_ID = 2**63 - 1  # the largest BigAutoField key on PostgreSQL and SQLite


class BoundedDateField(forms.DateField):
    """A DateField that refuses days outside `YEARS` with a message naming the range."""

    default_error_messages = {
        "out_of_range": _("Enter a date between the years %(low)d and %(high)d."),
    }

    def to_python(self, value: Any) -> date | None:
        day = super().to_python(value)
        if day is not None and not YEARS[0] <= day.year <= YEARS[1]:
            raise forms.ValidationError(
                self.error_messages["out_of_range"],
                code="out_of_range",
                params={"low": YEARS[0], "high": YEARS[1]},
            )
        return day


def query_id(raw: object) -> int | None:
    """`?unit=12` → 12; anything else (empty, letters, "²", 20 digits) → None."""
    text = str(raw or "")
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None
