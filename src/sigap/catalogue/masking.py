"""Personal data masked out of a text the public reads (a consultation comment, its answer).

A comment is published only once the unit answers it, but people write their phone number or
e-mail in the text anyway ("hubungi saya di 0812..."), and a reviewer can miss one. So every
public rendering masks them, whatever the moderation did. No Django here.
"""

from __future__ import annotations

import re

MASK = "•••"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A run of at least 8 digits, with the separators people type in phone numbers (+62 812-3456
# 7890, (0274) 5123456): phone numbers, NIK, account numbers. Not the dot: a comment about a
# tariff ("Rp 15.000.000") or a date ("17.08.2025") must stay readable.
_NUMBER = re.compile(r"\+?\d(?:[ \-()]?\d){7,}")


def mask_personal_data(text: str) -> str:
    """`text` with e-mail addresses and long numbers masked.

    >>> mask_personal_data("Hubungi 0812-3456-7890 atau budi@contoh.id, sejak 2024.")
    'Hubungi ••• atau •••@•••, sejak 2024.'
    """
    return _NUMBER.sub(MASK, _EMAIL.sub(f"{MASK}@{MASK}", text))
