"""The agency calendar cache: cleared by this process's signal, and expiring for other processes."""

from __future__ import annotations

from datetime import date

import pytest

from sigap.organisation import services
from sigap.organisation.models import Agency, AgencySpecialDay

pytestmark = pytest.mark.django_db

# A Friday that is an ordinary working day in Indonesia's 2026 calendar.
DAY = date(2026, 10, 9)


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(services.time, "monotonic", c)
    services._calendar.cache_clear()
    return c


def test_a_change_saved_in_this_process_is_seen_at_once(clock: Clock) -> None:
    agency = Agency.objects.create(code="x", name="Kabupaten X", kind="kabupaten")
    assert services.agency_calendar(agency.pk).is_working_day(DAY)
    AgencySpecialDay.objects.create(agency=agency, date=DAY, name="Hari jadi")  # signal fires
    assert not services.agency_calendar(agency.pk).is_working_day(DAY)


def test_a_change_made_by_another_process_is_seen_within_the_expiry(clock: Clock) -> None:
    agency = Agency.objects.create(code="x", name="Kabupaten X", kind="kabupaten")
    assert services.agency_calendar(agency.pk).is_working_day(DAY)
    # Another worker saves the day off: no signal reaches this process (bulk_create sends none).
    AgencySpecialDay.objects.bulk_create(
        [AgencySpecialDay(agency=agency, date=DAY, name="Hari jadi")]
    )
    assert services.agency_calendar(agency.pk).is_working_day(DAY)  # still this process's copy
    clock.now += services.CALENDAR_CACHE_SECONDS
    assert not services.agency_calendar(agency.pk).is_working_day(DAY)
