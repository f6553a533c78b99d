"""The one access helper: may this user do this action on objects of this unit?

Every view, API endpoint and selector asks here. A role is held over a unit subtree
(`RoleAssignment`), and each action lists the roles that may perform it. An object is in
scope when its unit's materialised path starts with the path of a unit the user holds a
suitable role over.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet

from sigap.accounts.models import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from sigap.organisation.models import Unit

    AnyUser = AbstractBaseUser | AnonymousUser

M = TypeVar("M", bound=Model)


class Action(StrEnum):
    QUEUE_VIEW = "queue.view"  # see the work queue of a unit
    REQUEST_VIEW = "request.view"  # read a request, its applicant and its timeline
    REQUEST_PROCESS = "request.process"  # receive, process, return, wait, resume, reject
    EMPLOYEE_VIEW = "employee.view"  # read employee records
    AUDIT_VIEW = "audit.view"  # read the audit trail of a unit (Inspektorat)
    WBS_HANDLE = "wbs.handle"  # read and answer whistleblowing reports about a unit
    INTEGRITY_VIEW = "integrity.view"  # integrity signals and the Inspektorat dashboard
    OMBUDSMAN_VIEW = "ombudsman.view"  # the read-only external oversight view
    SURVEY_VIEW = "survey.view"  # SKM results, IKM and the SKM report of a unit
    COMPLAINT_VIEW = "complaint.view"  # read complaints about a unit (identity hidden if asked)
    COMPLAINT_HANDLE = "complaint.handle"  # verify, forward, follow up, close, escalate
    COMPLAINT_IDENTITY = "complaint.identity"  # see who filed a confidential complaint
    SURVEY_PLAN = "survey.plan"  # write the SKM follow-up plan (rencana tindak lanjut) of a unit
    APPRAISAL_VIEW = "appraisal.view"  # read SKP plans, appraisals and evidence of a unit
    APPRAISAL_RATE = "appraisal.rate"  # plan and rate the SKP of a unit's employees (the rater)
    APPRAISAL_CALIBRATE = "appraisal.calibrate"  # HR: calibrate, org ratings, potential, absence
    TALENT_VIEW = "talent.view"  # the 9-box, talent pools and succession groups
    PERFORMANCE_VIEW = "performance.view"  # service performance (Kinerja layanan) of a unit
    SCORECARD_VIEW = "scorecard.view"  # the leadership scorecard and roadmap of a unit
    ROADMAP_EDIT = "roadmap.edit"  # accept, dismiss or mark done a unit's roadmap actions
    PRIVACY_HANDLE = "privacy.handle"  # citizens' data requests and the breach register (PDP)


ACTION_ROLES: dict[Action, frozenset[Role]] = {
    Action.QUEUE_VIEW: frozenset({Role.OFFICER, Role.UNIT_HEAD}),
    Action.REQUEST_VIEW: frozenset(
        {Role.OFFICER, Role.UNIT_HEAD, Role.INSPECTOR, Role.OMBUDSMAN, Role.LEADERSHIP}
    ),
    Action.REQUEST_PROCESS: frozenset({Role.OFFICER, Role.UNIT_HEAD}),
    Action.EMPLOYEE_VIEW: frozenset({Role.UNIT_HEAD, Role.HR, Role.LEADERSHIP, Role.INSPECTOR}),
    Action.AUDIT_VIEW: frozenset({Role.INSPECTOR}),
    Action.WBS_HANDLE: frozenset({Role.INSPECTOR}),
    Action.INTEGRITY_VIEW: frozenset({Role.INSPECTOR}),
    Action.OMBUDSMAN_VIEW: frozenset({Role.OMBUDSMAN}),
    Action.SURVEY_VIEW: frozenset(
        {Role.OFFICER, Role.UNIT_HEAD, Role.INSPECTOR, Role.OMBUDSMAN, Role.LEADERSHIP}
    ),
    Action.COMPLAINT_VIEW: frozenset(
        {Role.UNIT_HEAD, Role.INSPECTOR, Role.OMBUDSMAN, Role.LEADERSHIP}
    ),
    # The unit head answers for the unit; the Inspektorat is the instansi's complaint admin.
    Action.COMPLAINT_HANDLE: frozenset({Role.UNIT_HEAD, Role.INSPECTOR}),
    Action.COMPLAINT_IDENTITY: frozenset({Role.INSPECTOR}),
    Action.SURVEY_PLAN: frozenset({Role.UNIT_HEAD}),
    Action.APPRAISAL_VIEW: frozenset({Role.UNIT_HEAD, Role.HR, Role.LEADERSHIP}),
    # The unit head is the rater (pejabat penilai) of the unit's staff; never of themselves.
    Action.APPRAISAL_RATE: frozenset({Role.UNIT_HEAD}),
    Action.APPRAISAL_CALIBRATE: frozenset({Role.HR}),
    Action.TALENT_VIEW: frozenset({Role.HR, Role.LEADERSHIP}),
    Action.PERFORMANCE_VIEW: frozenset(
        {Role.UNIT_HEAD, Role.LEADERSHIP, Role.INSPECTOR, Role.OMBUDSMAN}
    ),
    # Leadership over its subtree, a unit head over the unit (issue #7).
    Action.SCORECARD_VIEW: frozenset({Role.UNIT_HEAD, Role.LEADERSHIP}),
    Action.ROADMAP_EDIT: frozenset({Role.UNIT_HEAD, Role.LEADERSHIP}),
    # The agency's administrator is the controller's data-protection officer (UU 27/2022
    # Pasal 53) unless an agency gives the role to someone else: docs/privacy.md.
    Action.PRIVACY_HANDLE: frozenset({Role.ADMIN}),
}


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
