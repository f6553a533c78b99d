"""The real PyPI client `georeport` 0.3.1 against a live sigap server, for everything it supports
(service list, service definition, requests with filters, one request; JSON and XML)."""

from __future__ import annotations

import pytest
from georeport import GeoReport

from sigap.complaints import services
from tests.conftest import local


@pytest.fixture
def endpoint(transactional_db, live_server, world):
    for day, service in ((27, world.ktp), (28, world.rujukan)):
        services.complaint_submit(
            category="lambat",
            description="Lama",
            reporter=services.Reporter(anonymous=True),
            service=service,
            submitted_at=local(2025, 3, day),
        )
    return f"{live_server.url}/open311/v2/"  # a trailing slash, which the client strips


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_service_list(endpoint, fmt):
    services_ = GeoReport(endpoint, output_format=fmt).get_service_list()
    assert [s["service_code"] for s in services_] == ["ktp-el", "rujukan"]
    assert str(services_[0]["metadata"]).lower() == "true"


def test_a_single_service_parses_as_a_dict_in_xml(endpoint, world):
    world.rujukan.is_active = False
    world.rujukan.save()
    single = GeoReport(endpoint, output_format="xml").get_service_list()
    assert isinstance(single, dict) and single["service_code"] == "ktp-el"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_service_definition(endpoint, fmt):
    definition = GeoReport(endpoint, jurisdiction="sigap.local",
                           output_format=fmt).get_service_definition("ktp-el")  # fmt: skip
    assert definition["service_code"] == "ktp-el"
    attributes = definition["attributes"]
    first = attributes[0] if fmt == "json" else attributes["attribute"][0]
    assert first["code"] == "category"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_service_requests_with_filters(endpoint, fmt):
    client = GeoReport(endpoint, output_format=fmt)
    rows = client.get_service_requests(
        service_code="ktp-el",
        start_date="2025-03-01T00:00:00+07:00",
        end_date="2025-04-01T00:00:00+07:00",
        status="open",
    )
    row = rows[0] if isinstance(rows, list) else rows  # one request: a dict in XML
    assert row["service_code"] == "ktp-el" and row["agency_responsible"] == "Loket A"
    assert row["expected_datetime"] == "2025-04-10T23:59:59+07:00"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_one_service_request(endpoint, fmt):
    client = GeoReport(endpoint, output_format=fmt)
    rows = client.get_service_requests(
        start_date="2025-03-01T00:00:00+07:00", end_date="2025-04-01T00:00:00+07:00"
    )
    assert len(rows) == 2
    code = rows[0]["service_request_id"]
    one = client.get_service_request(code)
    assert one["service_request_id"] == code and one["status"] == "open"


def test_an_unknown_request_raises_the_clients_http_error(endpoint):
    from requests import HTTPError

    with pytest.raises(HTTPError):
        GeoReport(endpoint).get_service_request("ZZZZZZZZZZ")
