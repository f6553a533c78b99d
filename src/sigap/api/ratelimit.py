"""Fixed-window rate limits on public submissions, counted in the database.

The counter is one `INSERT … ON CONFLICT DO UPDATE … RETURNING` (SQLite ≥ 3.35 and PostgreSQL),
so every gunicorn worker sees the same count without a cache server. Limits are
`scope → (requests, seconds)`; `SIGAP_RATE_LIMITS="survey=20/3600,complaint=0/60"` overrides
them (0 = no limit). The client is its address, or the first address of the header named by
`SIGAP_CLIENT_IP_HEADER` when the site sits behind a reverse proxy (the load benchmark sends
synthetic client addresses through it).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from sigap.api.models import RateCounter

DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    "survey": (20, 3600),  # a family at one counter PC may answer several times an hour
    "complaint": (10, 3600),
    "open311": (30, 3600),
    "status": (120, 60),  # receipt-code look-ups: no brute force of codes
    "privacy": (5, 3600),  # data-subject requests: receipt and contact pairs cannot be probed
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


def client_id(request: HttpRequest) -> str:
    header = str(settings.SIGAP.get("CLIENT_IP_HEADER", ""))
    address = ""
    if header:
        address = request.META.get(header, "").split(",")[0].strip()
    return address or request.META.get("REMOTE_ADDR", "") or "unknown"


def client_hash(request: HttpRequest) -> str:
    """A keyed hash of the client address: enough to see floods later, not to find a person."""
    return salted_hmac("sigap.client", client_id(request)).hexdigest()[:32]


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
    as its row (`sigap.api.intake`), so a public submission is one round trip to the database.
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
    key = f"{scope}:{client_id(request)}"[:160]
    return Charge(key, int(moment // window), limit, window, moment)


def hit(request: HttpRequest, scope: str, *, now: float | None = None) -> Decision:
    """Count one submission of `scope` from this client and say whether it is allowed."""
    pending = charge(request, scope, now=now)
    if pending is None:
        return Decision(True, 0, limits().get(scope, (0, 60))[1], 0)
    return pending.count()
