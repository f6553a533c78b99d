"""WBS settings, read from settings.SIGAP with their documented defaults (docs/security.md)."""

from __future__ import annotations

from django.conf import settings

DEFAULTS: dict[str, int] = {
    "WBS_RETENTION_DAYS": 5 * 365,  # after the last activity on a report
    "WBS_DELETION_WARNING_DAYS": 30,  # notice shown to inspectors before deletion
    "WBS_MAX_FILE_BYTES": 5 * 1024 * 1024,
    "WBS_MAX_FILES": 3,
    # Receipt throttles (docs/security.md point 4); there is deliberately no global limit.
    "WBS_CLIENT_FAILS_PER_HOUR": 20,  # wrong receipts per client per hour, then 429
    "WBS_FREE_FAILS_PER_REPORT_DAY": 5,  # wrong receipts per locator per day before a wait
    "WBS_WAIT_BASE_SECONDS": 10,  # the first wait; it doubles with each further failure
    "WBS_WAIT_MAX_SECONDS": 300,  # ...up to this: the right receipt always gets in
    "WBS_POW_BASE_BITS": 14,  # proof of work instead of the wait (browsers with JavaScript)
    "WBS_POW_MAX_BITS": 22,
}


def setting(name: str) -> int:
    value = settings.SIGAP.get(name, DEFAULTS[name])
    return int(value) if isinstance(value, int | str) else DEFAULTS[name]
