"""The applicant's own link: a signed, expiring token that opens one request's page without a
password. Messages to the applicant carry it; "send me my link again" makes a new one.

The token is the receipt code signed with the site's secret key and a timestamp (Django's
signing): it cannot be forged or pointed at another request, and it stops working after
`SIGAP_APPLICANT_LINK_DAYS` (default 30). Whoever holds the link sees the request as the
applicant does, so it only ever goes to the contact the applicant gave.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from sigap.notifications.conf import conf

SALT = "sigap.applicant.link"
DEFAULT_DAYS = 30


class LinkInvalid(Exception):
    """Not a link sigap made (typed wrong, cut short, or forged)."""


class LinkExpired(Exception):
    """A real link, older than the link lifetime: ask for a new one."""


def link_days() -> int:
    value = getattr(settings, "SIGAP", {}).get("APPLICANT_LINK_DAYS")
    return int(value) if value not in (None, "") else DEFAULT_DAYS


def applicant_token(receipt_code: str) -> str:
    return signing.dumps(receipt_code, salt=SALT)


def applicant_path(receipt_code: str) -> str:
    return reverse("applicant_page", args=[applicant_token(receipt_code)])


def applicant_url(receipt_code: str) -> str:
    """The absolute link, as messages carry it (`SIGAP_PUBLIC_URL` + the page)."""
    return conf().public_url + applicant_path(receipt_code)


def receipt_of(token: str) -> str:
    """The receipt code a token was made for; raises LinkExpired or LinkInvalid."""
    try:
        value = signing.loads(token, salt=SALT, max_age=link_days() * 86400)
    except signing.SignatureExpired:
        raise LinkExpired from None
    except signing.BadSignature:
        raise LinkInvalid from None
    if not isinstance(value, str):
        raise LinkInvalid
    return value
