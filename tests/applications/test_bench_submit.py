"""The front-door benchmark's requests are what the real form accepts (bench/frontdoor_submit.py;
its timings are in the benchmark, never here)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench import frontdoor_submit as bench
from django.test import Client, override_settings

from sigap.applications.models import OnlineApplication
from sigap.catalogue.models import ServiceStandard
from sigap.documents.models import Document
from sigap.rules.nik import parse_nik
from sigap.service_requests.models import ServiceRequest
from tests import factories


def test_every_synthetic_nik_is_valid_and_distinct() -> None:
    numbers = [*range(0, 30_000, 7), 9998, 9999, 10_000, 9999 * 28, 9999 * 28 * 12 - 1]
    niks = [bench.nik(i) for i in numbers]
    assert len(set(niks)) == len(niks)
    for value in niks:
        parse_nik(value)  # raises on an invalid one


def test_every_synthetic_client_has_its_own_address() -> None:
    addresses = [bench.address(i) for i in (0, 1, 254, 255, 256, 65_535, 70_000, 5_000_000)]
    assert len(set(addresses)) == len(addresses)
    assert bench.address(0) == "10.0.0.1"


@pytest.mark.django_db
def test_the_benchmarks_application_is_accepted_and_stored(
    world: factories.World, tmp_path: Path
) -> None:
    ServiceStandard.objects.filter(service=world.ktp).update(requirements=bench.REQUIREMENTS)
    url = "/layanan/ktp-el/ajukan/"
    client = Client(enforce_csrf_checks=True)
    token = bench._csrf_token(client.get(url).content)
    body = bench.submissions(bench.uploads())
    with override_settings(DOCUMENTS_DIR=tmp_path / "documents"):
        for i in (0, 1):
            _path, data, headers = body(i, token)
            response = client.generic(
                "POST", url, data, content_type=headers["Content-Type"],
                HTTP_X_FORWARDED_FOR=bench.address(i),
            )  # fmt: skip
            assert response.status_code == 302, response.content.decode()[:2000]
            assert bench.RECEIPT in response["Location"]
    assert OnlineApplication.objects.count() == ServiceRequest.objects.count() == 2
    assert sorted(Document.objects.values_list("kind", flat=True)) == ["pdf", "pdf", "png", "png"]
    first = OnlineApplication.objects.order_by("pk").first()
    assert first is not None
    assert first.answers == {"nomor-kk": "3204010101000000", "telah-berusia-17-tahun": True}
