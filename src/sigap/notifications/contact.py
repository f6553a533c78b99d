"""A citizen's contact as typed (a phone number or an e-mail address): its channel, the
number a gateway wants, and the masked form staff see."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

_SEPARATORS = re.compile(r"[\s().\-/]")


def phone_number(contact: str) -> str:
    """The number in international form without "+" ("6281234567890"), or "" when `contact`
    is no Indonesian-style phone number. Numbers start 0, 62 or +62 as people write them."""
    digits = _SEPARATORS.sub("", contact.strip())
    if digits.startswith("+"):
        digits = digits[1:]
    if not digits.isascii() or not digits.isdigit():
        return ""
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    elif not digits.startswith("62"):
        return ""
    # 62 + 8 to 13 digits: the length of Indonesian mobile and fixed numbers.
    return digits if 10 <= len(digits) <= 15 else ""


def is_email(contact: str) -> bool:
    try:
        validate_email(contact.strip())
    except ValidationError:
        return False
    return True


def mask(contact: str) -> str:
    """What staff see of a citizen's contact: enough to recognise it, not to use it.

    "0812-3456-7890" → "0812******90"; "budi.santoso@mail.id" → "b***@mail.id".
    """
    value = contact.strip()
    if "@" in value:
        local, _at, domain = value.rpartition("@")
        return f"{local[:1]}***@{domain}" if local else "***"
    digits = "".join(ch for ch in value if ch.isdigit())
    if len(digits) < 6:
        return "*" * len(digits)
    return digits[:4] + "*" * (len(digits) - 6) + digits[-2:]
