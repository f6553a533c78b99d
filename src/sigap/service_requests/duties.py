"""Who may act on a request: the authorisation check and the step's separation of duties.

The write functions of `services.py` call `authorise` and `check_step` themselves, so a view, the
API, the admin or a command can never skip them; the request page calls `step_refusals` to show
who must do the step instead of offering a button that would be refused.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sigap.access import Action, can, roles_over
from sigap.accounts.models import RoleAssignment
from sigap.catalogue.models import ProcedureStep
from sigap.organisation.models import Employee, Unit
from sigap.rules.duties import Officer, Refusal, may_complete, same_position
from sigap.service_requests.models import Outcome, ServiceEvent, ServiceRequest


def authorise(officer: Employee, unit: Unit) -> None:
    """An officer acts through their own sigap account, which must hold a role that processes
    the requests of `unit` (sigap.access, `Action.REQUEST_PROCESS`)."""
    user = officer.user
    if user is None or not user.is_active or not can(user, Action.REQUEST_PROCESS, unit):
        raise PermissionDenied(
            _("%(name)s may not process the requests of %(unit)s.")
            % {"name": officer.name, "unit": unit.name}
        )


def officer_facts(officer: Employee, unit: Unit) -> Officer:
    user = officer.user
    return Officer(
        id=officer.pk,
        position=officer.position.name,
        roles=roles_over(user, unit) if user is not None else frozenset(),
    )


def _done(request: ServiceRequest) -> list[tuple[int, int]]:
    rows = ServiceEvent.objects.filter(
        request_id=request.pk, outcome=Outcome.DONE, step__isnull=False, officer__isnull=False
    ).values_list("step__order", "officer_id")
    return [(order, who) for order, who in rows]


def step_refusals(request: ServiceRequest, officer: Employee, step: ProcedureStep) -> list[str]:
    """Why `officer` may not complete `step` of `request` (nothing when they may)."""
    duty = step.duty()
    if duty.is_open:
        return []
    done = _done(request) if duty.other_than_step is not None else []
    verdict = may_complete(duty, officer_facts(officer, request.unit), done)
    messages = []
    for refusal in verdict.refusals:
        if refusal is Refusal.NOT_HOLDER:
            messages.append(
                _(
                    "Under the service standard, “%(step)s” may only be done by %(holder)s, "
                    "not by %(name)s."
                )
                % {"step": step.name, "holder": step.holder_text(), "name": officer.name}
            )
        else:
            earlier = step.other_officer_than
            assert earlier is not None
            messages.append(
                _(
                    "Under the service standard, “%(step)s” must be done by another officer "
                    "than the one who completed “%(earlier)s”; %(name)s completed that step on "
                    "this request."
                )
                % {"step": step.name, "earlier": earlier.name, "name": officer.name}
            )
    return messages


def check_step(request: ServiceRequest, officer: Employee, step: ProcedureStep | None) -> None:
    """Refuse (on the field `officer`) anyone the standard does not allow to do `step`.

    Completing the step, returning the file and rejecting the request at it are all doing it.
    """
    if step is None:
        return
    messages = step_refusals(request, officer, step)
    if messages:
        raise ValidationError({"officer": messages})


def holders(request: ServiceRequest, step: ProcedureStep, limit: int = 5) -> list[str]:
    """Names of the active employees who hold the step's declared role or position and may act
    on the request (their unit is the request's, above it or below it), so the page can say
    whom to pass the file to. Empty when the step declares no role or position."""
    duty = step.duty()
    if not duty.restricts_holder:
        return []
    unit = request.unit
    ancestors = [int(p) for p in unit.path.strip("/").split("/") if p]
    near = Q(unit_id__in=ancestors) | Q(unit__path__startswith=unit.path)
    today = timezone.localdate()
    active = Q(active_from__lte=today) & (Q(active_until__isnull=True) | Q(active_until__gte=today))
    candidates = Employee.objects.filter(near, active, user__isnull=False, user__is_active=True)
    found: dict[int, str] = {}
    if duty.position:
        first_word = duty.position.split()[0]
        for pk, name, position in candidates.filter(
            position__name__istartswith=first_word
        ).values_list("pk", "name", "position__name"):
            if same_position(duty.position, position):
                found[pk] = name
    if duty.role:
        users = RoleAssignment.objects.filter(role=duty.role, unit_id__in=ancestors).values("user")
        found.update(candidates.filter(user__in=users).values_list("pk", "name"))
    return sorted(found.values())[:limit]
