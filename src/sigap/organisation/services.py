"""Writes for the organisation domain."""

from __future__ import annotations

import time
from datetime import date
from functools import lru_cache

from django.db import transaction

from sigap.organisation.models import Agency, Employee, Position, Unit
from sigap.rules.calendar import WorkingCalendar


@lru_cache(maxsize=64)
def _calendar(agency_id: int, _generation: int, _window: int) -> WorkingCalendar:
    return Agency.objects.get(pk=agency_id).working_calendar()


_generation = 0

# A change's signal clears the cache only in the process that saved it; the other server workers
# each hold their own copy. So every cached calendar also expires after this many seconds: a day
# off declared through one worker is used by all of them within a minute (loading a calendar
# costs two small queries, once a minute per worker).
CALENDAR_CACHE_SECONDS = 60


def agency_calendar(agency_id: int) -> WorkingCalendar:
    """The agency's working-day calendar, cached until its settings change (in this process)
    or for at most `CALENDAR_CACHE_SECONDS` (a change made by another process)."""
    window = int(time.monotonic() // CALENDAR_CACHE_SECONDS)
    return _calendar(agency_id, _generation, window)


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
