"""Role changes: the only way roles are granted or withdrawn, each one audited.

Roles that open whistleblowing reports (the inspector role: `Action.WBS_HANDLE`) are never
granted by one person: `grant_request` records a pending `RoleGrant`, and only
`grant_approve` by a second authorised person creates the assignment (docs/security.md).
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sigap.accounts.models import Role, RoleAssignment, RoleGrant
from sigap.accounts.roles import ACTION_ROLES, Action
from sigap.audit.services import audit_record
from sigap.organisation.models import Unit

log = logging.getLogger(__name__)


def needs_second_person(role: str) -> bool:
    """Roles that read whistleblowing reports need a second person's approval."""
    return role in ACTION_ROLES[Action.WBS_HANDLE]


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role “%s”.") % role})


def _create_assignment(user: User, role: str, unit: Unit, by: Any) -> RoleAssignment:
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
def role_assign(*, user: User, role: str, unit: Unit, by: Any = None) -> RoleAssignment:
    """Give `user` the `role` over `unit` and its subtree; granting it twice is a no-op.

    The inspector role is refused here: it goes through `grant_request` and `grant_approve`.
    """
    _check_role(role)
    if needs_second_person(role):
        raise ValidationError(
            {
                "role": _(
                    "The inspector role opens whistleblowing reports: it is given only when a "
                    "second authorised person approves the request (Inspector role grants)."
                )
            }
        )
    return _create_assignment(user, role, unit, by)


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment, by: Any = None) -> None:
    """Withdraw one role assignment (one person may always reduce access)."""
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


def seed_role_assignment(*, user: User, role: str, unit: Unit) -> RoleAssignment:
    """FOR SEEDING ONLY (the demo and the test factories): assign any role at once, recording
    an inspector grant as approved without a requester. Never call it from a view, an API or
    a command that a person runs on a live installation."""
    _check_role(role)
    assignment, _created = RoleAssignment.objects.get_or_create(user=user, role=role, unit=unit)
    if needs_second_person(role):
        now = timezone.now()
        RoleGrant.objects.create(
            user=user,
            role=role,
            unit=unit,
            status=RoleGrant.Status.APPROVED,
            requested_at=now,
            decided_at=now,
            note="seeded (demo or tests)",
        )
    return assignment


# Two-person grants ---------------------------------------------------------------------------


def _ancestor_ids(unit: Unit) -> list[int]:
    return [int(p) for p in unit.path.strip("/").split("/") if p]


def _holders(unit: Unit, role: str) -> QuerySet[User]:
    """Active users holding `role` over `unit` or one of its ancestors."""
    ids = RoleAssignment.objects.filter(unit_id__in=_ancestor_ids(unit), role=role).values(
        "user_id"
    )
    return User.objects.filter(pk__in=ids, is_active=True)


def administers(user: User) -> bool:
    """A superuser, or an administrator (`Role.ADMIN`) over some unit."""
    return user.is_superuser or RoleAssignment.objects.filter(user=user, role=Role.ADMIN).exists()


def _is_admin_over(user: User, unit: Unit) -> bool:
    return user.is_superuser or _holders(unit, Role.ADMIN).filter(pk=user.pk).exists()


def may_request(user: User, unit: Unit) -> bool:
    """Administrators and the inspectors over the unit may ask for a new inspector."""
    if not (user.is_authenticated and user.is_active):
        return False
    return _is_admin_over(user, unit) or _holders(unit, Role.INSPECTOR).filter(pk=user.pk).exists()


def approvers(grant: RoleGrant) -> QuerySet[User]:
    """Who may approve: the inspectors over the unit or an ancestor; when there is none (a new
    installation, or none left), the administrators over it. Never the requester, never the
    person who is to get the role."""
    excluded = [pk for pk in (grant.user_id, grant.requested_by_id) if pk]
    inspectors = _holders(grant.unit, grant.role).exclude(pk__in=excluded)
    if inspectors.exists():
        return inspectors
    admin_ids = RoleAssignment.objects.filter(
        unit_id__in=_ancestor_ids(grant.unit), role=Role.ADMIN
    ).values("user_id")
    return User.objects.filter(Q(pk__in=admin_ids) | Q(is_superuser=True), is_active=True).exclude(
        pk__in=excluded
    )


def may_approve(user: User, grant: RoleGrant) -> bool:
    return (
        grant.status == RoleGrant.Status.PENDING
        and user.is_authenticated
        and approvers(grant).filter(pk=user.pk).exists()
    )


def may_refuse(user: User, grant: RoleGrant) -> bool:
    """Refusing gives nobody access: any approver, or the requester withdrawing it."""
    if grant.status != RoleGrant.Status.PENDING or not user.is_authenticated:
        return False
    return user.pk == grant.requested_by_id or may_approve(user, grant)


def to_notify(grant: RoleGrant) -> QuerySet[User]:
    """The existing inspectors whom a new reader concerns: over the unit or an ancestor (they
    share its reports) and over a unit below it (the new reader would read theirs)."""
    ids = RoleAssignment.objects.filter(
        Q(unit_id__in=_ancestor_ids(grant.unit)) | Q(unit__path__startswith=grant.unit.path),
        role=grant.role,
    ).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).exclude(pk=grant.user_id)


def visible_grants(user: User) -> QuerySet[RoleGrant]:
    """The grants a user sees on the grants page: all for an administrator, those about their
    part of the tree for an inspector."""
    grants = RoleGrant.objects.select_related("user", "unit", "requested_by", "decided_by")
    if administers(user):
        return grants
    paths = list(
        RoleAssignment.objects.filter(
            user=user, role__in=ACTION_ROLES[Action.WBS_HANDLE]
        ).values_list("unit__path", flat=True)
    )
    if not paths:
        return grants.none()
    related = Q(pk__in=[])
    for path in paths:
        ancestors = [int(p) for p in path.strip("/").split("/") if p]
        related |= Q(unit__path__startswith=path) | Q(unit_id__in=ancestors)
    return grants.filter(related)


def _notify(grant: RoleGrant, subject: str, body: str) -> None:
    """E-mail the inspectors concerned who have an address (the grants page shows it too)."""
    addresses = [u.email for u in to_notify(grant) if u.email]
    if not addresses:
        return
    try:
        send_mail(subject, body, None, addresses)
    except Exception:  # a mail server down must not undo or block the decision
        log.exception("could not e-mail the inspectors about role grant %s", grant.pk)


def _grant_data(grant: RoleGrant) -> dict[str, Any]:
    return {
        "grant_id": grant.pk,
        "user": grant.user.get_username(),
        "user_id": grant.user_id,
        "role": grant.role,
    }


@transaction.atomic
def grant_request(
    *, user: User, unit: Unit, by: User, role: str = Role.INSPECTOR, note: str = ""
) -> RoleGrant:
    """Ask for `user` to get a role that reads whistleblowing reports. Nothing is granted
    until a second person approves; asking twice returns the pending request."""
    _check_role(role)
    if not needs_second_person(role):
        raise ValidationError({"role": _("This role is assigned directly.")})
    if not may_request(by, unit):
        raise PermissionDenied
    if RoleAssignment.objects.filter(user=user, role=role, unit=unit).exists():
        raise ValidationError({"user": _("This person already holds the role over this unit.")})
    pending = RoleGrant.objects.filter(
        user=user, role=role, unit=unit, status=RoleGrant.Status.PENDING
    ).first()
    if pending is not None:
        return pending
    grant = RoleGrant.objects.create(
        user=user, role=role, unit=unit, requested_by=by, requested_at=timezone.now(), note=note
    )
    audit_record(
        actor=by, action="role.grant_request", obj=grant, unit=unit, data=_grant_data(grant)
    )
    _notify(
        grant,
        _("sigap: approval needed for a new inspector"),
        _(
            "%(by)s asks that %(user)s get the inspector role over %(unit)s, which opens its "
            "whistleblowing reports. A second authorised person must approve or refuse it: "
            "%(path)s"
        )
        % {
            "by": by.get_username(),
            "user": user.get_username(),
            "unit": unit.name,
            "path": reverse("wbs_grants"),
        },
    )
    return grant


@transaction.atomic
def grant_approve(*, grant: RoleGrant, by: User) -> RoleAssignment:
    """The second person approves: only now is the role assigned (and only now can the new
    inspector receive report keys, from the escrow, on first opening a case)."""
    grant = RoleGrant.objects.select_for_update().select_related("user", "unit").get(pk=grant.pk)
    if grant.status != RoleGrant.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    if by.pk in (grant.user_id, grant.requested_by_id) or not may_approve(by, grant):
        raise PermissionDenied
    grant.status = RoleGrant.Status.APPROVED
    grant.decided_by = by
    grant.decided_at = timezone.now()
    grant.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        actor=by,
        action="role.grant_approve",
        obj=grant,
        unit=grant.unit,
        data={**_grant_data(grant), "requested_by_id": grant.requested_by_id},
    )
    assignment = _create_assignment(grant.user, grant.role, grant.unit, by)
    _notify(
        grant,
        _("sigap: a new inspector was approved"),
        _(
            "%(by)s approved the inspector role over %(unit)s for %(user)s (requested by "
            "%(requester)s). They can now open its whistleblowing reports."
        )
        % {
            "by": by.get_username(),
            "user": grant.user.get_username(),
            "unit": grant.unit.name,
            "requester": grant.requested_by.get_username() if grant.requested_by else "-",
        },
    )
    return assignment


@transaction.atomic
def grant_refuse(*, grant: RoleGrant, by: User, note: str = "") -> RoleGrant:
    grant = RoleGrant.objects.select_for_update().select_related("user", "unit").get(pk=grant.pk)
    if grant.status != RoleGrant.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    if not may_refuse(by, grant):
        raise PermissionDenied
    grant.status = RoleGrant.Status.REFUSED
    grant.decided_by = by
    grant.decided_at = timezone.now()
    grant.note = note.strip()[:300]
    grant.save(update_fields=["status", "decided_by", "decided_at", "note"])
    audit_record(
        actor=by, action="role.grant_refuse", obj=grant, unit=grant.unit, data=_grant_data(grant)
    )
    return grant
