"""Who may rate a request: its applicant, and only with proof.

A request has one SKM response. Tied by the receipt code alone, anyone who saw a code (on a
tracking page, over a shoulder at the counter) could spend it. The questionnaire of a request
therefore opens only with a signed survey token, which reaches the applicant three ways:

- the link in the "completed" message and on the applicant's own page (both go only to the
  contact the applicant gave);
- the QR code of the receipt slip printed at the counter (held by whoever was served);
- `/skm/kode/<code>/`, after typing the phone number or e-mail registered on the request
  (compared as `sigap.rules.contact.contact_matches` does; the checks are rate-limited).

The token is the receipt code signed with the site's key under its own salt, so neither an
applicant link nor a receipt token of another purpose opens the survey. It has no expiry: the
survey opens once, when the request is complete, and closes when it is rated (`sigap.rules.skm`).
The service survey without a request (`/skm/<service>/`, the counter's QR poster) stays
anonymous and open to anyone.
"""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

SALT = "sigap.surveys.skm"


def _signer() -> signing.Signer:
    # No timestamp (unlike `signing.dumps`): one request, one token, the same on every reprint.
    return signing.Signer(salt=SALT)


def survey_token(receipt_code: str) -> str:
    return _signer().sign_object(receipt_code)


def receipt_of(token: str) -> str:
    """The receipt code the token was made for, or "" for anything sigap did not sign."""
    if not token:
        return ""
    try:
        value = _signer().unsign_object(token)
    except signing.BadSignature:
        return ""
    return value if isinstance(value, str) else ""


def proves(token: str, receipt_code: str) -> bool:
    return bool(receipt_code) and receipt_of(token) == receipt_code


def invitation_path(receipt_code: str) -> str:
    """The applicant's way into the questionnaire of their request (messages, own page, slip)."""
    return reverse("survey_for_receipt", args=[receipt_code]) + "?t=" + survey_token(receipt_code)
