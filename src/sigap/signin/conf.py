"""The staff log-in settings (settings.SIGAP), read with their documented defaults."""

from __future__ import annotations

from django.conf import settings

DEFAULT_TWO_FACTOR_ROLES = "inspector,hr,admin"
DEFAULT_IDLE_MINUTES = 30


def two_factor_roles() -> frozenset[str]:
    """Roles that must log in with a second factor: SIGAP_TWO_FACTOR_ROLES, comma-separated."""
    spec = str(settings.SIGAP.get("TWO_FACTOR_ROLES", DEFAULT_TWO_FACTOR_ROLES))
    return frozenset(part.strip() for part in spec.split(",") if part.strip())


def idle_seconds() -> int:
    """A staff session ends after this long without a request (SIGAP_SESSION_IDLE_MINUTES)."""
    minutes = int(str(settings.SIGAP.get("SESSION_IDLE_MINUTES", DEFAULT_IDLE_MINUTES)))
    return max(minutes, 1) * 60
