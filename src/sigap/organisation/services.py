"""Writes for the organisation domain."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from django.db import transaction

from sigap.organisation.models import Agency, Employee, Position, Unit
from sigap.rules.calendar import WorkingCalendar


@lru_cache(maxsize=64)
def _calendar(agency_id: int, _generation: int) -> WorkingCalendar:
    return Agency.objects.get(pk=agency_id).working_calendar()


_generation = 0


def agency_calendar(agency_id: int) -> WorkingCalendar:
    """The agency's working-day calendar, cached until its settings change."""
    return _calendar(agency_id, _generation)


def invalidate_calendars() -> None:
    global _generation
    _generation += 1


@transaction.atomic
def employee_create(
    *,
    nip: str,
    name: str,
    status: str,
    position: Position,
    rank: str,
    unit: Unit,
    active_from: date,
    supervisor: Employee | None = None,
) -> Employee:
    """Add a civil servant; the NIP is checked against its real structure."""
    employee = Employee(
        nip=nip.replace(" ", ""),
        name=name.strip(),
        status=status,
        position=position,
        rank=rank,
        unit=unit,
        active_from=active_from,
        supervisor=supervisor,
    )
    employee.full_clean()
    employee.save()
    return employee
