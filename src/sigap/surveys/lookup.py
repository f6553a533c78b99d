"""Active services by code, kept in memory for a short while: every public submission looks its
service up, and the catalogue changes rarely. A change made in this process clears the memory at
once (signal); other worker processes see it within `TTL_SECONDS`."""

from __future__ import annotations

import time
from typing import Any

from django.db.models.signals import post_delete, post_save

from sigap.catalogue.models import Service

TTL_SECONDS = 30.0
_memory: dict[str, tuple[float, Service | None]] = {}


def active_service(code: str) -> Service | None:
    """The active service with this code (its unit loaded), or None."""
    now = time.monotonic()
    hit = _memory.get(code)
    if hit is not None and hit[0] > now:
        return hit[1]
    service = Service.objects.filter(code=code, is_active=True).select_related("unit").first()
    if len(_memory) > 10_000:  # codes are user input: never let them grow the memory unbounded
        _memory.clear()
    _memory[code] = (now + TTL_SECONDS, service)
    return service


def forget(**_: Any) -> None:
    _memory.clear()


post_save.connect(forget, sender=Service, dispatch_uid="sigap.surveys.lookup.save")
post_delete.connect(forget, sender=Service, dispatch_uid="sigap.surveys.lookup.delete")
