"""Reads of the organisation, through the access helper's scope."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from sigap.access import Action, scoped
from sigap.organisation.models import Employee

if TYPE_CHECKING:
    from sigap.access import AnyUser


def employee_directory(user: AnyUser, *, search: str = "") -> QuerySet[Employee]:
    qs = scoped(user, Action.EMPLOYEE_VIEW, Employee.objects.all())
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(nip__startswith=search.replace(" ", "")))
    return qs.select_related("position", "unit", "supervisor").order_by("unit__path", "name")
