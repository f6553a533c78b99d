"""The one write of people on the leadership pages: accept, dismiss or mark done a roadmap
action (the refresh proposes them: `sigap.leadership.refresh`, `sigap.leadership.roadmap`)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sigap.access import Action, can
from sigap.audit.services import audit_record
from sigap.leadership.models import (
    ActionStatus,
    RoadmapAction,
)

# What a person may do with an action in each state.
TRANSITIONS: dict[str, frozenset[str]] = {
    ActionStatus.OPEN: frozenset({ActionStatus.ACCEPTED, ActionStatus.DISMISSED}),
    ActionStatus.ACCEPTED: frozenset({ActionStatus.DONE, ActionStatus.DISMISSED}),
    ActionStatus.DISMISSED: frozenset({ActionStatus.OPEN}),
    ActionStatus.DONE: frozenset(),
}


@transaction.atomic
def roadmap_action_set_status(
    *, action: RoadmapAction, user: Any, status: str, note: str = ""
) -> RoadmapAction:
    """Accept, dismiss, reopen or mark done a roadmap action (unit head or leadership).

    A dismissal needs a reason in `note`; the change is written to the audit trail.
    """
    locked = (
        RoadmapAction.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=action.pk)
    )
    if not can(user, Action.ROADMAP_EDIT, locked.unit):
        raise ValidationError({"status": _("You may not change the roadmap of this unit.")})
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Unknown status “%(s)s”.") % {"s": status}})
    if status not in TRANSITIONS[locked.status]:
        raise ValidationError(
            {
                "status": _("An action that is “%(old)s” cannot become “%(new)s”.")
                % {"old": locked.get_status_display(), "new": ActionStatus(status).label}
            }
        )
    note = note.strip()
    if len(note) > 2000:
        raise ValidationError({"note": _("Keep the note under 2,000 characters.")})
    if status == ActionStatus.DISMISSED and not note:
        raise ValidationError({"note": _("Say why the action is dismissed.")})
    old = locked.status
    locked.status = status
    locked.status_note = note
    locked.status_by = user
    locked.status_at = timezone.now()
    locked.save(update_fields=["status", "status_note", "status_by", "status_at"])
    audit_record(
        actor=user,
        action="roadmap.status",
        obj=locked,
        data={"from": old, "to": status, "gap": locked.gap_key},
    )
    return locked
