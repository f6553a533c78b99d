"""Settings changed in the Django admin (service standards and tariffs, units, calendars...)
are appended to the audit trail from the admin's own log, inside the admin's transaction."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry

from sigap.audit.services import audit_record

# Models whose changes the write functions audit themselves (no double entries).
AUDITED_ELSEWHERE = {"accounts.roleassignment"}
FLAGS = {ADDITION: "add", CHANGE: "change", DELETION: "delete"}


def admin_change(sender: Any, instance: LogEntry, created: bool, **kwargs: Any) -> None:
    if not created or instance.content_type is None:
        return
    model = f"{instance.content_type.app_label}.{instance.content_type.model}"
    if model in AUDITED_ELSEWHERE:
        return
    try:
        message = json.loads(instance.change_message or "[]")
    except ValueError:
        message = instance.change_message
    obj = None
    if instance.action_flag != DELETION:
        try:
            obj = instance.get_edited_object()
        except Exception:  # the object may be gone already; the ids are enough
            obj = None
    unit = getattr(obj, "unit", None) if obj is not None else None
    from sigap.organisation.models import Unit

    audit_record(
        actor=instance.user,
        action=f"settings.{FLAGS.get(instance.action_flag, 'change')}",
        unit=unit if isinstance(unit, Unit) else (obj if isinstance(obj, Unit) else None),
        data={
            "model": model,
            "object_id": instance.object_id,
            "object": instance.object_repr,
            "changes": message,
        },
    )
