"""Reads of the audit trail, through the access helper's scope."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone

from sigap.access import Action, scope_paths, scope_q
from sigap.audit.models import AuditEntry

if TYPE_CHECKING:
    from sigap.access import AnyUser


def audit_search(
    user: AnyUser,
    *,
    action: str = "",
    actor: str = "",
    unit_id: int | None = None,
    object_type: str = "",
    object_id: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEntry]:
    """Entries about units in the user's scope; entries about no unit (settings, global roles)
    only for those whose scope is a whole agency (a root unit)."""
    q = scope_q(user, Action.AUDIT_VIEW)
    if any(path.count("/") == 2 for path in scope_paths(user, Action.AUDIT_VIEW)):
        q |= Q(unit__isnull=True)
    qs = AuditEntry.objects.filter(q)
    if action:
        qs = qs.filter(action__startswith=action)
    if actor:
        qs = qs.filter(actor__iexact=actor)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    tz = timezone.get_current_timezone()
    if since:
        qs = qs.filter(at__gte=datetime.combine(since, time.min, tzinfo=tz))
    if until:
        qs = qs.filter(at__lte=datetime.combine(until, time.max, tzinfo=tz))
    return qs.select_related("unit").order_by("-seq")


def known_actions() -> list[str]:
    return list(AuditEntry.objects.order_by().values_list("action", flat=True).distinct())
