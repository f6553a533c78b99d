"""API keys: created once (the raw key is shown once), stored as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction

from sigap.api.models import ApiKey


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_key_create(*, name: str, scopes: list[str]) -> tuple[ApiKey, str]:
    """A new key with these scopes; returns the row and the raw key (not stored)."""
    raw = "sg_" + secrets.token_urlsafe(24)
    key = ApiKey.objects.create(name=name, prefix=raw[:8], key_hash=_digest(raw), scopes=scopes)
    return key, raw


def api_key_check(raw: str, scope: str) -> ApiKey | None:
    """The active key with this value and scope, or None."""
    if not raw or len(raw) > 200:
        return None
    key = ApiKey.objects.filter(key_hash=_digest(raw), is_active=True).first()
    if key is None or scope not in key.scopes:
        return None
    return key
