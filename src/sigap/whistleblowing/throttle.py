"""Receipt-guessing throttles that no single client can turn against everyone else.

There is no global counter: a global limit lets one client lock every reporter out. Instead:

- **per client**: wrong receipts are counted per *client tag* and hour. The tag is computed by
  `AnonymousRouteMiddleware` *before* it blanks the address: an HMAC of the client's network
  (the IPv4 address, or the /64 of an IPv6 address) and the hour, under a key derived from
  the secret key, a purpose label and the day, cut to 24 bits. The address is never stored,
  the stored key does not show the hour, and a tag matches thousands of (address, hour) pairs
  even for someone holding the secret key. A client over its limit gets a 429.
- **per locator**: after `WBS_FREE_FAILS_PER_REPORT_DAY` wrong receipts for one locator in a
  day, every further attempt on it needs a *ticket*: a server-signed, single-use challenge
  that becomes valid after a wait (doubling with each failure, capped at
  `WBS_WAIT_MAX_SECONDS`) or at once with a proof of work (a small static script finds it in
  the browser). Each attempt pays its own wait, so a stranger who knows a locator can slow its
  reporter down by minutes at most, never lock them out; a guesser gains nothing from waiting
  in parallel that the per-client limit does not already bound.
- after a correct receipt, the follow-up page carries a *pass* for that locator (signed, one
  hour), so the reporter's own follow-up posts need no ticket.

Stored rows (`ReceiptThrottle`) carry the day only: a locator's failure count, a client tag's
failure count, the random nonce of a spent ticket.
"""

from __future__ import annotations

import hashlib
import ipaddress
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from sigap.throttling.ratelimit import client_id
from sigap.whistleblowing.conf import setting
from sigap.whistleblowing.models import ReceiptThrottle

TAG_HEX = 6  # 24 bits: enough to tell clients apart for an hour, too few to name one
TICKET_SALT = "sigap.wbs.ticket"
PASS_SALT = "sigap.wbs.pass"
TICKET_MAX_AGE = 30 * 60
PASS_MAX_AGE = 60 * 60


def clock() -> float:
    """The current time; tests replace it rather than sleep."""
    return time.time()


def _local(moment: float) -> datetime:
    return timezone.localtime(datetime.fromtimestamp(moment, tz=UTC))


def _network(address: str) -> str:
    """One client's network: an IPv6 client controls its whole /64, so it counts as one."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def client_tag(request: HttpRequest, *, at: float | None = None) -> str:
    """The keyed, truncated tag of this request's client for the current hour.

    Called by the middleware while the address is still there (derived the same way as the
    rest of sigap: `sigap.throttling.ratelimit.client_id`, which knows the proxy set-up).
    """
    local = _local(clock() if at is None else at)
    digest = salted_hmac(
        f"sigap.wbs.client-tag.{local.date().isoformat()}",
        f"{_network(client_id(request))}|{local.hour}",
        algorithm="sha256",
    ).hexdigest()
    return digest[:TAG_HEX]


# Counters ------------------------------------------------------------------------------------


def _count(key: str) -> int:
    return ReceiptThrottle.objects.filter(key=key).values_list("count", flat=True).first() or 0


def _bump(key: str, day: date) -> None:
    with transaction.atomic():
        ReceiptThrottle.objects.get_or_create(key=key, defaults={"day": day})
        ReceiptThrottle.objects.filter(key=key).update(count=F("count") + 1)


def _locator_key(locator: str, day: date) -> str:
    return f"loc:{locator}:{day.isoformat()}"


def client_over_limit(tag: str) -> bool:
    return bool(tag) and _count(f"cf:{tag}") >= setting("WBS_CLIENT_FAILS_PER_HOUR")


def seconds_to_next_hour(at: float | None = None) -> int:
    local = _local(clock() if at is None else at)
    return 3600 - (local.minute * 60 + local.second)


def locator_failures(locator: str, at: float | None = None) -> int:
    return _count(_locator_key(locator, _local(clock() if at is None else at).date()))


def count_failure(locator: str, tag: str, at: float | None = None) -> None:
    """One wrong receipt: against its locator (if it had one) and its client (if known)."""
    day = _local(clock() if at is None else at).date()
    if locator:
        _bump(_locator_key(locator, day), day)
    if tag:
        _bump(f"cf:{tag}", day)


# Tickets -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Price:
    wait: int  # seconds to wait after the ticket is issued
    bits: int  # or: leading zero bits of sha256(ticket ":" proof)


def price(failures: int) -> Price | None:
    """What one more attempt on a locator costs after `failures` wrong receipts today."""
    free = setting("WBS_FREE_FAILS_PER_REPORT_DAY")
    if failures < free:
        return None
    extra = min(failures - free, 30)
    wait = min(setting("WBS_WAIT_BASE_SECONDS") * 2**extra, setting("WBS_WAIT_MAX_SECONDS"))
    bits = min(setting("WBS_POW_BASE_BITS") + extra, setting("WBS_POW_MAX_BITS"))
    return Price(wait=wait, bits=bits)


@dataclass(frozen=True)
class Ticket:
    token: str
    wait: int
    bits: int
    remaining: int  # seconds still to wait without a proof of work


def issue_ticket(locator: str, cost: Price, at: float | None = None) -> Ticket:
    moment = int(clock() if at is None else at)
    token = signing.dumps(
        {"l": locator, "n": secrets.token_urlsafe(12), "t": moment, "w": cost.wait, "b": cost.bits},
        salt=TICKET_SALT,
    )
    return Ticket(token, cost.wait, cost.bits, cost.wait)


def proof_ok(token: str, proof: str, bits: int) -> bool:
    if not proof or len(proof) > 20 or not proof.isdigit():
        return False
    digest = int.from_bytes(hashlib.sha256(f"{token}:{proof}".encode()).digest(), "big")
    return digest >> (256 - bits) == 0


def redeem(token: str, proof: str, locator: str, at: float | None = None) -> Ticket | None:
    """None when the ticket is good now (and it is spent); else the ticket to keep waiting on.

    A missing, forged, expired, spent or foreign ticket is replaced by a fresh one at the
    current price, so a browser never gets stuck.
    """
    moment = clock() if at is None else at
    try:
        data = signing.loads(token, salt=TICKET_SALT, max_age=TICKET_MAX_AGE)
        if data["l"] != locator:
            raise ValueError
        issued, wait, bits = int(data["t"]), int(data["w"]), int(data["b"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        cost = price(locator_failures(locator, moment))
        return issue_ticket(locator, cost or Price(0, 0), moment)
    remaining = issued + wait - int(moment)
    if remaining > 0 and not proof_ok(token, proof, bits):
        return Ticket(token, wait, bits, remaining)
    try:
        with transaction.atomic():
            ReceiptThrottle.objects.create(
                key=f"tk:{data['n']}", count=1, day=_local(moment).date()
            )
    except IntegrityError:  # spent already: one ticket, one attempt
        cost = price(locator_failures(locator, moment))
        return issue_ticket(locator, cost or Price(0, 0), moment)
    return None


# Passes --------------------------------------------------------------------------------------


def issue_pass(locator: str) -> str:
    return signing.dumps({"l": locator}, salt=PASS_SALT)


def pass_ok(token: str, locator: str) -> bool:
    try:
        data = signing.loads(token, salt=PASS_SALT, max_age=PASS_MAX_AGE)
    except signing.BadSignature:
        return False
    return isinstance(data, dict) and data.get("l") == locator
