"""PDP settings, read from settings.SIGAP with their documented defaults (docs/privacy.md).

UU 27/2022 fixes some periods (the 3 × 24-hour breach notice, Pasal 46: VERIFIED in
integrations.md §8). Others are UNCERTAIN there (the answer periods of each data-subject right,
every retention period): each is a setting whose default is written down in docs/privacy.md.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.conf import settings

# Hours to answer each kind of data-subject request. UU 27/2022 says 3 × 24 hours for access
# (Pasal 32 ayat 2) and for ending processing after consent is withdrawn (Pasal 40); correction
# and deletion are read the same way (UNCERTAIN: single secondary sources, not in §8).
REQUEST_HOURS_DEFAULT: dict[str, int] = {
    "access": 72,
    "correction": 72,
    "deletion": 72,
    "withdrawal": 72,
}

# Written notice of a personal-data breach to the subjects and the PDP authority (Pasal 46,
# VERIFIED): 3 × 24 hours from discovery.
BREACH_NOTICE_HOURS_DEFAULT = 72

# Days each data category is kept; 0 keeps it forever. All UNCERTAIN (the law says "destroy at
# the end of the retention period", Pasal 44, without fixing periods): docs/privacy.md §3.
RETENTION_DAYS_DEFAULT: dict[str, int] = {
    "request_identity": 2 * 365,  # after the request finished
    "complaint_identity": 2 * 365,  # after the complaint closed
    "survey_comment": 365,  # after the survey was answered
    "consultation_contact": 365,  # the name and contact of a standard comment, after it was sent
    "client_hash": 90,  # after the submission
    "rate_counter": 2,  # after the counting window
    "tracking_lookup": 2 * 365,  # after the day of the look-ups
    "privacy_export": 30,  # the access copy, after it was handed over
    "privacy_request": 2 * 365,  # the request itself, after it was answered
    "privacy_unmatched": 30,  # a request whose receipt and contact did not match, after due
}


def _setting(name: str, default: object = "") -> object:
    """settings.SIGAP[name], else the environment's SIGAP_<name>, else the default."""
    value = settings.SIGAP.get(name)
    if value is None or value == "":
        value = os.environ.get(f"SIGAP_{name}", "") or default
    return value


def _parse(spec: object, defaults: dict[str, int]) -> dict[str, int]:
    """`"a=1,b=2"` or a dict over the defaults; unknown keys and bad numbers are ignored."""
    values = dict(defaults)
    items: list[tuple[str, object]]
    if isinstance(spec, dict):
        items = list(spec.items())
    else:
        items = []
        for part in str(spec or "").split(","):
            name, _sep, number = part.partition("=")
            items.append((name.strip(), number.strip()))
    for key, value in items:
        if key in values:
            try:
                values[key] = max(0, int(str(value)))
            except ValueError:
                continue
    return values


def request_hours() -> dict[str, int]:
    return _parse(_setting("PRIVACY_REQUEST_HOURS"), REQUEST_HOURS_DEFAULT)


def breach_notice_hours() -> int:
    value = _setting("PRIVACY_BREACH_NOTICE_HOURS", BREACH_NOTICE_HOURS_DEFAULT)
    try:
        return max(1, int(str(value)))
    except ValueError:
        return BREACH_NOTICE_HOURS_DEFAULT


def retention_days() -> dict[str, int]:
    return _parse(_setting("PRIVACY_RETENTION"), RETENTION_DAYS_DEFAULT)


@dataclass(frozen=True)
class Officer:
    """The data-protection officer (Pasal 53) the public can write to."""

    name: str
    email: str
    phone: str
    address: str

    @property
    def is_set(self) -> bool:
        return bool(self.email or self.phone or self.address)


def settings_officer() -> Officer:
    """The fallback from `SIGAP_PRIVACY_DPO` ("name|email|phone|address") when no agency has one."""
    raw = str(_setting("PRIVACY_DPO") or "")
    parts = [p.strip() for p in raw.split("|")] + ["", "", "", ""]
    return Officer(*parts[:4])
