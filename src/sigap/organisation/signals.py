"""Keep cached working calendars in step with agency settings."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from sigap.organisation.models import Agency, AgencySpecialDay
from sigap.organisation.services import invalidate_calendars


@receiver([post_save, post_delete], sender=Agency)
@receiver([post_save, post_delete], sender=AgencySpecialDay)
def _calendar_changed(**_: Any) -> None:
    invalidate_calendars()
