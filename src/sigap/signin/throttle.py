"""Log-in throttling per account and per client, counted in the database.

The counters are the public submissions' rate-limit counters (`sigap.throttling.ratelimit`: one
row per key and fixed window, shared by every worker). Only failures are counted: before a
password or a code is checked, every counter is read (`Charge.peek`); after a failure, each is
incremented.

- **Per account, growing delays.** Tiers of failures per window: 5 in 5 minutes, then 10 in
  30 minutes, then 20 in 2 hours. Past a tier the account waits until that window ends, so the
  waits grow (at most 5 min, 30 min, 2 h) and every one ends by itself: no failure count ever
  locks an account for good. The account is the typed user name, case-folded and hashed, so
  unknown names are throttled exactly like real ones (no account probing) and the table never
  holds what was typed (sometimes a password, in the wrong field).
- **Per client, a hard limit.** 40 failures an hour from one address, whatever the accounts:
  one machine cannot walk through many accounts, or keep many accounts slowed down.
- A successful log-in clears the account's counters (not the client's).

Each limit is a scope of SIGAP_RATE_LIMITS ("login_client=100/3600"; 0 = no limit). The second
factor has its own account counters (subject `2fa-<user id>`) and shares the client limit; a
wrong, expired or used activation link (/masuk/aktivasi/) counts on the client limit only.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from django.utils.translation import ngettext

from sigap.throttling import ratelimit
from sigap.throttling.models import RateCounter

CLIENT_SCOPE = "login_client"
ACCOUNT_TIERS: dict[str, tuple[int, int]] = {
    "login_account_5m": (5, 300),
    "login_account_30m": (10, 1800),
    "login_account_2h": (20, 7200),
}
DEFAULT_CLIENT_LIMIT = (40, 3600)

# The clock, one name for the tests to move.
clock: Callable[[], float] = time.time


@dataclass(frozen=True)
class Attempt:
    """The counters one log-in attempt is checked against and, if it fails, charged to."""

    account: list[ratelimit.Charge]
    client: list[ratelimit.Charge]

    @property
    def charges(self) -> list[ratelimit.Charge]:
        return self.account + self.client


def _charge(
    scope: str, subject: str, default: tuple[int, int], now: float
) -> list[ratelimit.Charge]:
    limit, window = ratelimit.limits().get(scope, default)
    if limit <= 0:
        return []
    return [ratelimit.Charge(f"{scope}:{subject}"[:160], int(now // window), limit, window, now)]


def account_subject(username: str) -> str:
    return salted_hmac("sigap.signin.account", username.strip().casefold()).hexdigest()[:32]


def attempt(request: HttpRequest, subject: str) -> Attempt:
    now = clock()
    account: list[ratelimit.Charge] = []
    for scope, default in ACCOUNT_TIERS.items():
        account += _charge(scope, subject, default, now)
    client = _charge(CLIENT_SCOPE, ratelimit.client_id(request), DEFAULT_CLIENT_LIMIT, now)
    return Attempt(account, client)


def password_attempt(request: HttpRequest, username: str) -> Attempt:
    return attempt(request, account_subject(username))


def code_attempt(request: HttpRequest, user_id: int) -> Attempt:
    return attempt(request, f"2fa-{user_id}")


def client_attempt(request: HttpRequest) -> Attempt:
    """The client limit alone: a wrong activation link names no account to count against."""
    return Attempt(
        [], _charge(CLIENT_SCOPE, ratelimit.client_id(request), DEFAULT_CLIENT_LIMIT, clock())
    )


def wait_seconds(attempt: Attempt) -> int:
    """0 when the attempt may go ahead, else the seconds until every counter lets it."""
    return max((d.retry_after for c in attempt.charges if not (d := c.peek()).allowed), default=0)


def failed(attempt: Attempt) -> int:
    """Count a failure on every counter; the seconds the next attempt must wait (0 = none)."""
    for charge in attempt.charges:
        charge.count()
    return wait_seconds(attempt)


def succeeded(attempt: Attempt) -> None:
    """A right password or code clears the account's failures (the client's stay counted)."""
    keys = [c.key for c in attempt.account]
    if keys:
        RateCounter.objects.filter(key__in=keys).delete()


def wait_message(seconds: int) -> str:
    # Rounded up ("1 minute" never lets in too early); retry_after already adds a second.
    minutes = max(1, -(-(seconds - 1) // 60))
    return ngettext(
        "Too many failed attempts. For your safety, log-in is paused: try again in %(minutes)d "
        "minute.",
        "Too many failed attempts. For your safety, log-in is paused: try again in %(minutes)d "
        "minutes.",
        minutes,
    ) % {"minutes": minutes}


def client_hash(request: HttpRequest) -> str:
    """A keyed hash of the client address for the audit trail (this purpose's own salt, rotated
    monthly like every client hash: see sigap.throttling.ratelimit.client_hash)."""
    return ratelimit.client_hash(request, "signin")[:16]
