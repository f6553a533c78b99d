"""The one access helper: may this user do this action on objects of this unit?

Every view, API endpoint and selector asks here. A role is held over a unit subtree
(`RoleAssignment`), and each action lists the roles that may perform it (`Action` and
`ACTION_ROLES`, defined with the roles in sigap.accounts.roles and re-exported here, so that
the accounts app's own write functions read the table without importing this helper). An object
is in scope when its unit's materialised path starts with the path of a unit the user holds a
suitable role over.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest

from sigap.accounts.roles import ACTION_ROLES as ACTION_ROLES  # re-exported
from sigap.accounts.roles import Action as Action  # re-exported

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from sigap.organisation.models import Unit

    AnyUser = AbstractBaseUser | AnonymousUser

M = TypeVar("M", bound=Model)


def _assignments(user: AnyUser) -> list[tuple[str, str]]:
    """(role, unit path) pairs of a user, read once per request object."""
    if not user.is_authenticated:
        return []
    cached: list[tuple[str, str]] | None = getattr(user, "_sigap_assignments", None)
    if cached is None:
        cached = list(user.role_assignments.values_list("role", "unit__path"))  # type: ignore[attr-defined]
        user._sigap_assignments = cached  # type: ignore[attr-defined]
    return cached


def roles(user: AnyUser) -> set[str]:
    return {role for role, _ in _assignments(user)}


def roles_over(user: AnyUser, unit: Unit) -> frozenset[str]:
    """The roles `user` holds over `unit` (assigned on it or on a unit above it)."""
    return frozenset(role for role, path in _assignments(user) if unit.path.startswith(path))


def scope_paths(user: AnyUser, action: Action) -> list[str]:
    """The unit paths under which `user` may perform `action` (most general only)."""
    allowed = ACTION_ROLES[action]
    paths = sorted({path for role, path in _assignments(user) if role in allowed})
    # Drop paths already covered by an ancestor path so the SQL stays short.
    kept: list[str] = []
    for path in paths:
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return kept


def scope_q(user: AnyUser, action: Action, unit_field: str = "unit") -> Q:
    paths = scope_paths(user, action)
    if not paths:
        return Q(pk__in=[])
    in_scope = Q()
    for path in paths:
        in_scope |= Q(path__startswith=path)
    if not unit_field:
        return in_scope
    from sigap.organisation.models import Unit

    # A subquery of unit ids rather than a join on the path: the database can then walk an
    # index in the page's order (newest first...) and test membership, instead of sorting
    # every row of the scope.
    return Q(**{f"{unit_field}__in": Unit.objects.filter(in_scope).values("pk")})


def scoped(
    user: AnyUser, action: Action, queryset: QuerySet[M], unit_field: str = "unit"
) -> QuerySet[M]:
    """Filter `queryset` to the objects whose unit is in the user's scope for `action`.

    `unit_field` names the foreign key to `Unit`; "" when the queryset is of units themselves.
    """
    return queryset.filter(scope_q(user, action, unit_field))


def can(user: AnyUser, action: Action, unit: Unit) -> bool:
    return any(unit.path.startswith(p) for p in scope_paths(user, action))


def require(user: AnyUser, action: Action, unit: Unit) -> None:
    if not can(user, action, unit):
        raise PermissionDenied


def has_any_role(user: AnyUser, action: Action) -> bool:
    return bool(scope_paths(user, action))


def nav_flags(user: AnyUser) -> dict[str, Any]:
    """What the navigation bar offers this user."""
    return {action.name.lower(): has_any_role(user, action) for action in Action}


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Template context processor: the navigation bar of every page. Here rather than in
    sigap.web, which every app's admin and forms import, so that web stays below access."""
    return {"nav": nav_flags(request.user)}
