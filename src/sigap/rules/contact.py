"""Is this the contact the citizen gave? The one comparison behind every "prove it is you" step
(a data request, the applicant's link sent again, a booking moved, a request's SKM).

Pure and shared: the apps that ask (privacy, surveys, booking, applications) must not import
each other for it.
"""

from __future__ import annotations

import hmac


def normalise_contact(value: str) -> str:
    """An e-mail in lower case, or a phone number as its digits with +62 read as 0."""
    value = value.strip().lower()
    if "@" in value:
        return value
    digits = "".join(ch for ch in value if ch.isdigit())
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    return digits


def contact_matches(given: str, stored: str) -> bool:
    a, b = normalise_contact(given), normalise_contact(stored)
    # An empty contact (anonymous complaint, anonymised request) never matches anything; the
    # comparison takes the same time wherever the two differ.
    return bool(a) and bool(b) and hmac.compare_digest(a.encode(), b.encode())
