"""Fixed-window rate limits on public submissions, counted in the database.

The counter is one `INSERT … ON CONFLICT DO UPDATE … RETURNING` (SQLite ≥ 3.35 and PostgreSQL),
so every gunicorn worker sees the same count without a cache server. Limits are
`scope → (requests, seconds)`; `SIGAP_RATE_LIMITS="survey=20/3600,complaint=0/60"` overrides
them (0 = no limit).

The client is `client_id(request)`: its address as the server saw it (REMOTE_ADDR), or, behind
`SIGAP_TRUSTED_PROXIES` = n reverse proxies, the n-th address from the right of
X-Forwarded-For (the header `SIGAP_CLIENT_IP_HEADER` names another): each proxy appends the
address it received the request from, so only the right-most n entries were written by hops
sigap trusts; everything left of them is whatever the client chose to send. Counters and stored
hashes never hold the address itself: `client_hash(request, purpose)` is keyed per purpose and
per month, so a survey's hash cannot be joined to a complaint's, and no hash links one month to
the next.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from sigap.throttling.models import RateCounter

DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    "reporter_key": (10, 3600),  # wrong complaint reporter secrets (only failures are counted)
    "survey": (20, 3600),  # a family at one counter PC may answer several times an hour
    "complaint": (10, 3600),
    "open311": (30, 3600),
    "status": (120, 60),  # receipt-code look-ups: no brute force of codes
    "privacy": (5, 3600),  # data-subject requests: receipt and contact pairs cannot be probed
    "application": (10, 3600),  # online applications (a family, a counter helping citizens)
    "search": (60, 60),  # catalogue searches: a person types a few a minute, a scraper more
    "booking": (20, 3600),  # counter bookings: a few posts per booking, no probing of receipts
    "link": (5, 3600),  # "send me my link again": no probing of receipt and contact pairs
    "consultation": (10, 3600),  # comments on a draft service standard, like complaints
    "skm_contact": (10, 3600),  # the applicant's contact before a request's SKM: no probing
}


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    window: int
    retry_after: int


@lru_cache(maxsize=8)
def _parse(spec: str) -> dict[str, tuple[int, int]]:
    limits = dict(DEFAULT_LIMITS)
    for part in filter(None, (p.strip() for p in spec.split(","))):
        scope, _, rate = part.partition("=")
        count, _, seconds = rate.partition("/")
        limits[scope.strip()] = (int(count), int(seconds or 60))
    return limits


def limits() -> dict[str, tuple[int, int]]:
    return _parse(str(settings.SIGAP.get("RATE_LIMITS", "")))


def trusted_proxies() -> tuple[str, int]:
    """(META key of the forwarding header, number of trusted proxies); 0 = no proxy."""
    header = str(settings.SIGAP.get("CLIENT_IP_HEADER", "") or "")
    count = int(settings.SIGAP.get("TRUSTED_PROXIES", 0) or 0)  # type: ignore[call-overload]
    if header and count <= 0:
        count = 1  # the header alone (as before SIGAP_TRUSTED_PROXIES): one proxy writes it
    return header or "HTTP_X_FORWARDED_FOR", max(count, 0)


def client_id(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind n trusted proxies the n-th address from the
    right of the forwarding header (the one the outermost trusted proxy added)."""
    header, count = trusted_proxies()
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if count:
        hops = [a.strip() for a in str(request.META.get(header, "")).split(",") if a.strip()]
        if hops:
            # Fewer entries than proxies: the request entered behind the outermost one, and
            # every entry was still written by a trusted hop; the left-most is the client.
            return hops[-count] if len(hops) >= count else hops[0]
    return remote or "unknown"


def period(moment: float | None = None) -> str:
    """The rotation period of client hashes: the calendar month (UTC)."""
    at = datetime.fromtimestamp(time.time() if moment is None else moment, tz=UTC)
    return at.strftime("%Y-%m")


def client_hash(request: HttpRequest, purpose: str, *, now: float | None = None) -> str:
    """A keyed hash of the client address for one purpose in one month: enough to see a flood
    of surveys (or of complaints) later, not to find a person, nor to link their survey to
    their complaint, nor this month's submissions to last month's."""
    salt = f"sigap.client.{purpose}.{period(now)}"
    return salted_hmac(salt, client_id(request)).hexdigest()[:32]


def counter_key(request: HttpRequest, scope: str, *, now: float | None = None) -> str:
    """The client's counter of `scope`: the scope and a hash of the address, never the address.
    (At the turn of a month the hash rotates and a window starts afresh: a few extra hits.)"""
    return f"{scope}:{client_hash(request, f'ratelimit.{scope}', now=now)}"


_UPSERT = (
    "INSERT INTO {table} (key, bucket, hits) VALUES (%s, %s, 1) "
    "ON CONFLICT (key, bucket) DO UPDATE SET hits = {table}.hits + 1 RETURNING hits"
)


class RateLimited(Exception):
    """A client went over its limit: the API answers 429 with Retry-After."""

    def __init__(self, retry_after: int, limit: int) -> None:
        super().__init__("rate limited")
        self.retry_after = retry_after
        self.limit = limit


@dataclass(frozen=True)
class Charge:
    """One submission to count against a client's limit, not yet written.

    `count()` writes it on its own; a write function can instead count it in the same statement
    as its row (`sigap.throttling.intake`), so a public submission is one round trip to the
    database.
    """

    key: str
    bucket: int
    limit: int
    window: int
    moment: float

    @staticmethod
    def upsert_sql() -> str:
        return _UPSERT.format(table=connection.ops.quote_name(RateCounter._meta.db_table))

    def decide(self, hits: int) -> Decision:
        if random.random() < 0.001:  # now and then, drop this scope's windows that are over
            # Per scope: bucket numbers count windows of the scope's own length (an hour for
            # surveys, a minute for status look-ups), so they compare only within one scope.
            scope = self.key.partition(":")[0]
            RateCounter.objects.filter(
                key__startswith=f"{scope}:", bucket__lt=self.bucket - 1
            ).delete()
        retry = int((self.bucket + 1) * self.window - self.moment) + 1
        return Decision(hits <= self.limit, self.limit, self.window, retry)

    def count(self) -> Decision:
        # One statement in autocommit. On PostgreSQL the table is UNLOGGED (migration 0002): a
        # counter needs no durability, so the commit does not wait for a disk flush.
        with connection.cursor() as cursor:
            cursor.execute(self.upsert_sql(), [self.key, self.bucket])
            (hits,) = cursor.fetchone()
        return self.decide(hits)

    def peek(self) -> Decision:
        """Whether one more would be allowed, without counting it (the log-in throttle counts
        only failures, so it asks before checking a password and counts after)."""
        hits = (
            RateCounter.objects.filter(key=self.key, bucket=self.bucket)
            .values_list("hits", flat=True)
            .first()
        )
        return self.decide((hits or 0) + 1)

    def enforce(self) -> None:
        """Count it now and raise RateLimited when the client is over its limit."""
        decision = self.count()
        if not decision.allowed:
            raise RateLimited(decision.retry_after, decision.limit)


def charge(request: HttpRequest, scope: str, *, now: float | None = None) -> Charge | None:
    """The submission of `scope` from this client to count, or None when `scope` has no limit."""
    limit, window = limits().get(scope, (0, 60))
    if limit <= 0:
        return None
    moment = time.time() if now is None else now
    key = counter_key(request, scope, now=moment)
    return Charge(key, int(moment // window), limit, window, moment)


def hit(request: HttpRequest, scope: str, *, now: float | None = None) -> Decision:
    """Count one submission of `scope` from this client and say whether it is allowed."""
    pending = charge(request, scope, now=now)
    if pending is None:
        return Decision(True, 0, limits().get(scope, (0, 60))[1], 0)
    return pending.count()


def peek(request: HttpRequest, scope: str, *, now: float | None = None) -> Decision:
    """Whether this client is still within `scope`'s limit, without counting a hit.

    For limits on failures only (wrong reporter secrets): look first, count with `hit()` when
    the attempt failed, so a client over the limit is refused before anything is checked.
    """
    pending = charge(request, scope, now=now)
    if pending is None:
        return Decision(True, 0, limits().get(scope, (0, 60))[1], 0)
    return pending.peek()
