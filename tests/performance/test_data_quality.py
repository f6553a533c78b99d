"""Data quality checked by `sigap analytics refresh`: problems planted in the operational records
show up on the "Kinerja layanan" page, for the readers whose units they are in."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from sigap.performance.models import DataQualityFinding
from sigap.performance.services import performance_refresh
from sigap.service_requests.models import Outcome, ServiceEvent, ServiceRequest
from tests import factories
from tests.conftest import local

from .test_performance import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def store(settings: Any, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path
    return tmp_path / "analytics"


def found(unit: Any = None) -> dict[str, tuple[int, int, list[str]]]:
    return {
        f.code: (f.count, f.total, f.examples) for f in DataQualityFinding.objects.filter(unit=unit)
    }


def test_clean_records_find_nothing(world: factories.World, store: Path, client: Any) -> None:
    record(world)
    performance_refresh(store, min_cases=1)
    assert not DataQualityFinding.objects.filter(unit__isnull=False).exists()
    store_level = found()
    assert store_level["store_duplicates"] == (0, 23, [])  # 23 events of four requests
    assert store_level["store_out_of_range"][0] == 0
    client.force_login(world.users["head_a"])
    page = client.get("/kinerja-layanan/").content.decode()
    assert "Data quality" in page
    assert "The last refresh found no problem in the records of the units you can see." in page


def plant(world: factories.World) -> dict[str, str]:
    """One problem of each kind in counter A's requests, and one request of Puskesmas B."""
    o = world.officer_a
    codes = {}
    # A request whose events were lost.
    lost = factories.submit(world, at=local(2025, 7, 1, 9))
    ServiceEvent.objects.filter(request=lost).delete()
    codes["no_events"] = lost.receipt_code
    # Received before it was submitted; then a step dated back before the receipt.
    sr = factories.submit(world, at=local(2025, 7, 2, 9))
    from sigap.service_requests import services

    sr = services.service_request_receive(request=sr, officer=o, at=local(2025, 7, 2, 10))
    sr = services.service_request_complete_step(request=sr, officer=o, at=local(2025, 7, 2, 11))
    _submitted, received, step = ServiceEvent.objects.filter(request=sr).order_by("seq")
    received.timestamp = local(2025, 7, 2, 8)
    received.save()
    step.timestamp, step.officer = local(2025, 7, 2, 7), None
    step.save()
    codes["before_submission"] = codes["back_in_time"] = sr.receipt_code
    codes["officer_missing"] = sr.receipt_code
    # A step recorded twice, and one dated next week.
    twice = factories.submit(world, at=local(2025, 7, 3, 9))
    twice = services.service_request_receive(request=twice, officer=o, at=local(2025, 7, 3, 10))
    event = ServiceEvent.objects.filter(request=twice).order_by("seq").last()
    assert event is not None
    ServiceEvent.objects.create(
        request=twice, seq=event.seq + 1, activity=event.activity, officer=event.officer,
        timestamp=event.timestamp, outcome=event.outcome,
    )  # fmt: skip
    ServiceEvent.objects.create(
        request=twice, seq=event.seq + 2, activity="Verifikasi", officer=o, outcome=Outcome.DONE,
        timestamp=timezone.now() + timedelta(days=7),
    )  # fmt: skip
    ServiceRequest.objects.filter(pk=twice.pk).update(last_event_at=timezone.now())
    codes["duplicate_events"] = codes["future_events"] = twice.receipt_code
    # Another unit's request, also without events.
    other = factories.submit(world, at=local(2025, 7, 1, 9), service=world.rujukan)
    ServiceEvent.objects.filter(request=other).delete()
    codes["other"] = other.receipt_code
    return codes


def test_planted_problems_are_found_per_unit(world: factories.World, store: Path) -> None:
    codes = plant(world)
    performance_refresh(store, min_cases=1)
    at_a = found(world.counter_a)
    assert at_a["no_events"] == (1, 3, [codes["no_events"]])
    # Received at 8:00 and a step done at 7:00, both before the 9:00 submission.
    assert at_a["before_submission"] == (2, 7, [codes["before_submission"]])
    assert at_a["back_in_time"] == (1, 3, [codes["back_in_time"]])
    assert at_a["officer_missing"] == (1, 2, [codes["officer_missing"]])
    assert at_a["duplicate_events"] == (1, 7, [codes["duplicate_events"]])
    assert at_a["future_events"] == (1, 7, [codes["future_events"]])
    assert found(world.puskesmas_b) == {"no_events": (1, 1, [codes["other"]])}
    # The store repeats the duplicate and the next week's event (more than a day ahead).
    assert found()["store_duplicates"] == (1, 7, [codes["duplicate_events"]])
    assert found()["store_out_of_range"] == (1, 7, [codes["future_events"]])
    # Only the last run's findings are kept.
    performance_refresh(store, min_cases=1)
    assert DataQualityFinding.objects.values("run").distinct().count() == 1


def test_page_shows_each_reader_their_units(
    client: Any, world: factories.World, store: Path, settings: Any
) -> None:
    codes = plant(world)
    performance_refresh(store, min_cases=1)
    settings.LANGUAGE_CODE = "id"  # the product default (the suite itself runs in English)
    client.force_login(world.users["head_a"])
    page = client.get("/kinerja-layanan/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert '<h2 id="data-quality-title">Kualitas data</h2>' in page
    section = page[page.index('id="data-quality"') :]
    assert "Permohonan tanpa satu pun kejadian" in section
    assert "Langkah selesai tanpa petugas" in section
    assert codes["no_events"] in section and codes["duplicate_events"] in section
    assert codes["other"] not in section  # Puskesmas B is not head A's
    assert "Kejadian ganda di penyimpanan analitik" not in section  # the whole store: not theirs
    client.force_login(world.users["leadership"])  # the whole pemda
    section = client.get("/kinerja-layanan/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert codes["other"] in section
    assert "Kejadian ganda di penyimpanan analitik" in section
    assert 'Permohonan tanpa satu pun kejadian</td>\n    <td class="num">2</td>' in section
