"""Role changes: the only way roles are granted or withdrawn, each one audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sigap.accounts.models import Role, RoleAssignment
from sigap.audit.services import audit_record
from sigap.organisation.models import Unit


@transaction.atomic
def role_assign(*, user: User, role: str, unit: Unit, by: Any = None) -> RoleAssignment:
    """Give `user` the `role` over `unit` and its subtree; granting it twice is a no-op."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role “%s”.") % role})
    assignment, created = RoleAssignment.objects.get_or_create(user=user, role=role, unit=unit)
    if created:
        audit_record(
            actor=by,
            action="role.assign",
            obj=assignment,
            unit=unit,
            data={"user": user.get_username(), "user_id": user.pk, "role": role},
        )
    return assignment


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment, by: Any = None) -> None:
    """Withdraw one role assignment."""
    audit_record(
        actor=by,
        action="role.revoke",
        obj=assignment,
        unit=assignment.unit,
        data={
            "user": assignment.user.get_username(),
            "user_id": assignment.user_id,
            "role": assignment.role,
        },
    )
    assignment.delete()
