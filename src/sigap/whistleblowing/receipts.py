"""The 16-digit receipt: 6 locator digits that find the report, 10 secret digits.

Only an argon2id hash of all 16 is stored. Checks are throttled in the database (so every
server process shares the count) per client and per locator, never globally, without any IP
address (`throttle`); an unknown locator costs the same argon2 work as a wrong secret.
"""

from __future__ import annotations

import secrets
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from django.conf import settings

from sigap.whistleblowing import throttle
from sigap.whistleblowing.models import Report

LOCATOR_DIGITS = 6
RECEIPT_DIGITS = 16


class Throttled(Exception):
    """Too many wrong receipts: the reporter's browser is to wait `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("throttled")
        self.retry_after = max(1, retry_after)


class ClientThrottled(Throttled):
    """This client tried too many wrong receipts this hour."""


class WaitRequired(Throttled):
    """This locator had many wrong receipts today: the next attempt needs a good ticket."""

    def __init__(self, ticket: throttle.Ticket) -> None:
        super().__init__(ticket.remaining)
        self.ticket = ticket


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


def find_report(
    receipt: str,
    *,
    client: str = "",
    ticket: str = "",
    proof: str = "",
    at: float | None = None,
) -> Report | None:
    """The report a receipt opens, or None.

    Raises ClientThrottled when this client tried too many wrong receipts this hour, and
    WaitRequired when the locator has had many wrong receipts today and the request carries
    no ticket that is good now (or pass for this locator). See `throttle`.
    """
    receipt = normalise(receipt)
    locator = receipt[:LOCATOR_DIGITS] if len(receipt) == RECEIPT_DIGITS else "-"
    moment = throttle.clock() if at is None else at
    if throttle.client_over_limit(client):
        raise ClientThrottled(throttle.seconds_to_next_hour(moment))
    # A receipt of the wrong length opens nothing and names no report: it counts against the
    # client only, never against a shared "-" locator that would make everyone wait.
    cost = throttle.price(throttle.locator_failures(locator, moment)) if locator != "-" else None
    if cost is not None and not throttle.pass_ok(ticket, locator):
        pending = throttle.redeem(ticket, proof, locator, moment)
        if pending is not None:
            raise WaitRequired(pending)
    report = Report.objects.filter(locator=locator).first() if locator != "-" else None
    try:
        # argon2's verify compares in constant time.
        hasher().verify(report.receipt_hash if report else _dummy_hash(), receipt or "-")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        throttle.count_failure(locator if locator != "-" else "", client, moment)
        return None
    return report
