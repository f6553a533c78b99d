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


def hit(request: HttpRequest, scope: str, *, now: float | None = None) -> Decision:
    """Count one submission of `scope` from this client and say whether it is allowed."""
    limit, window = limits().get(scope, (0, 60))
    if limit <= 0:
        return Decision(True, 0, window, 0)
    moment = time.time() if now is None else now
    bucket = int(moment // window)
    key = f"{scope}:{client_id(request)}"[:160]
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    # One statement in autocommit. On PostgreSQL the table is UNLOGGED (migration 0002): a
    # counter needs no durability, so the commit does not wait for a disk flush.
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT.format(table=table), [key, bucket])
        (hits,) = cursor.fetchone()
    if random.random() < 0.001:  # now and then, drop windows that are over
        RateCounter.objects.filter(bucket__lt=bucket - 1).delete()
    retry = int((bucket + 1) * window - moment) + 1
    return Decision(hits <= limit, limit, window, retry)
