"""`audit_record`: the one way to append to the audit trail. Contract in docs/audit.md."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from sigap.audit.chain import canonical_data, entry_hash
from sigap.audit.models import AuditChainHead, AuditEntry
from sigap.organisation.models import Unit


def _actor(actor: Any) -> tuple[int | None, str]:
    if actor is None:
        return None, "system"
    if isinstance(actor, str):
        return None, actor[:150]
    if not getattr(actor, "is_authenticated", False):
        return None, "anonymous"
    return int(actor.pk), str(actor.get_username())[:150]


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    unit: Unit | None = None,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    """Append one entry to the chain, inside the caller's transaction.

    `actor` is a user, a short label such as "system" or "sigap audit", or None (system).
    `action` is a dotted name, "<domain>.<verb>" ("role.assign", "wbs.read"). `obj` is the
    object changed; `unit` defaults to `obj.unit` when it has one. `data` is small JSON (old →
    new values, ids): never personal data or report content. If the caller's transaction rolls
    back, the entry goes with it.
    """
    if not action or len(action) > 60:
        raise ValueError("an audit action is a dotted name of at most 60 characters")
    actor_user_id, actor_label = _actor(actor)
    if unit is None and obj is not None:
        candidate = getattr(obj, "unit", None)
        unit = candidate if isinstance(candidate, Unit) else None
    object_type = f"{obj._meta.app_label}.{obj._meta.model_name}" if obj is not None else ""
    object_id = str(obj.pk) if obj is not None and obj.pk is not None else ""
    payload = canonical_data(data or {})
    with transaction.atomic():
        # Every writer queues on this one row (a row lock on PostgreSQL; SQLite's IMMEDIATE
        # transactions serialise writers anyway), so two appends can never share a parent.
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        seq = head.seq + 1
        moment = at or timezone.now()
        digest = entry_hash(
            seq=seq,
            at=moment,
            actor_user_id=actor_user_id,
            actor=actor_label,
            action=action,
            object_type=object_type,
            object_id=object_id,
            unit_id=unit.pk if unit else None,
            data=payload,
            prev_hash=head.hash,
        )
        entry = AuditEntry.objects.create(
            seq=seq,
            at=moment,
            actor_user_id=actor_user_id,
            actor=actor_label,
            action=action,
            object_type=object_type,
            object_id=object_id,
            unit=unit,
            data=payload,
            prev_hash=head.hash,
            hash=digest,
        )
        head.seq, head.hash = seq, digest
        head.save(update_fields=["seq", "hash"])
    return entry
