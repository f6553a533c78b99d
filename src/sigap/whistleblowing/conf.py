"""WBS settings, read from settings.SIGAP with their documented defaults (docs/security.md)."""

from __future__ import annotations

from django.conf import settings

DEFAULTS: dict[str, int] = {
    "WBS_RETENTION_DAYS": 5 * 365,  # after the last activity on a report
    "WBS_DELETION_WARNING_DAYS": 30,  # notice shown to inspectors before deletion
    "WBS_MAX_FILE_BYTES": 5 * 1024 * 1024,
    "WBS_MAX_FILES": 3,
    "WBS_FAILS_PER_REPORT_DAY": 10,  # wrong receipts per report locator per day
    "WBS_FAILS_PER_HOUR": 1000,  # wrong receipts across all reports per hour
}


def setting(name: str) -> int:
    value = settings.SIGAP.get(name, DEFAULTS[name])
    return int(value) if isinstance(value, int | str) else DEFAULTS[name]
