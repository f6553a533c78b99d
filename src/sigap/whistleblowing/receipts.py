"""The 16-digit receipt: 6 locator digits that find the report, 10 secret digits.

Only an argon2id hash of all 16 is stored. Checks are throttled in the database (so every
server process shares the count) per report per day and across all reports per hour, without
any IP address; an unknown locator costs the same argon2 work as a wrong secret.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from sigap.whistleblowing.conf import setting
from sigap.whistleblowing.models import ReceiptThrottle, Report

LOCATOR_DIGITS = 6
RECEIPT_DIGITS = 16


class Throttled(Exception):
    """Too many wrong receipts: try again later."""


def _conf(name: str, default: Any) -> Any:
    return settings.SIGAP.get(name, default)


def hasher() -> PasswordHasher:
    cost = _conf("WBS_ARGON2", {})
    return PasswordHasher(
        time_cost=cost.get("time_cost", 3),
        memory_cost=cost.get("memory_cost", 65536),
        parallelism=cost.get("parallelism", 4),
    )


def new_receipt() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(RECEIPT_DIGITS))


def normalise(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def formatted(receipt: str) -> str:
    return " ".join(receipt[i : i + 4] for i in range(0, len(receipt), 4))


def hash_receipt(receipt: str) -> str:
    return hasher().hash(receipt)


# A hash of a receipt nobody holds: verified against when the locator is unknown, so both
# failures take the same time.
_DUMMY: dict[str, str] = {}


def _dummy_hash() -> str:
    key = repr(_conf("WBS_ARGON2", {}))
    if key not in _DUMMY:
        _DUMMY[key] = hash_receipt(new_receipt())
    return _DUMMY[key]


def _keys(locator: str, now: datetime) -> list[tuple[str, int, date]]:
    local = timezone.localtime(now)
    return [
        (
            f"loc:{locator}:{local.date().isoformat()}",
            setting("WBS_FAILS_PER_REPORT_DAY"),
            local.date(),
        ),
        (f"all:{local.strftime('%Y-%m-%dT%H')}", setting("WBS_FAILS_PER_HOUR"), local.date()),
    ]


def _throttled(keys: list[tuple[str, int, date]]) -> bool:
    counts = dict(
        ReceiptThrottle.objects.filter(key__in=[k for k, _, _ in keys]).values_list("key", "count")
    )
    return any(counts.get(key, 0) >= limit for key, limit, _ in keys)


def _count_failure(keys: list[tuple[str, int, date]]) -> None:
    with transaction.atomic():
        for key, _limit, day in keys:
            ReceiptThrottle.objects.get_or_create(key=key, defaults={"day": day})
            ReceiptThrottle.objects.filter(key=key).update(count=F("count") + 1)


def find_report(receipt: str, *, now: datetime | None = None) -> Report | None:
    """The report a receipt opens, or None. Raises Throttled past the limits."""
    receipt = normalise(receipt)
    locator = receipt[:LOCATOR_DIGITS] if len(receipt) == RECEIPT_DIGITS else "-"
    keys = _keys(locator, now or timezone.now())
    if _throttled(keys):
        raise Throttled
    report = Report.objects.filter(locator=locator).first() if locator != "-" else None
    try:
        # argon2's verify compares in constant time.
        hasher().verify(report.receipt_hash if report else _dummy_hash(), receipt or "-")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        _count_failure(keys)
        return None
    return report
