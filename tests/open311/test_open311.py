"""Open311 GeoReport v2 exactly per open311.md, including its compatibility checklist."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import pytest
from django.test import override_settings

from sigap.complaints import services
from sigap.complaints.models import Complaint
from tests.conftest import local

BASE = "/open311/v2"


def xml(response):
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)


def js(response):
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def post(client, api_key, query="", **data):
    body = {"service_code": "ktp-el", "lat": "-6.9", "long": "107.6", **data}
    if api_key:
        body.setdefault("api_key", api_key)
    return client.post(f"{BASE}/requests.xml{query}", body)


def test_discovery_in_both_formats(client, world):
    root = xml(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    endpoint = root.find("endpoints/endpoint")
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert [f.text for f in endpoint.findall("formats/format")] == ["text/xml", "application/json"]
    body = js(client.get(f"{BASE}/discovery.json"))
    assert isinstance(body, dict) and body["endpoints"][0]["formats"][1] == "application/json"
    assert {"changeset", "contact", "key_service"} <= set(body)


def test_the_service_list_with_many_one_and_no_services(client, world):
    root = xml(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services" and len(root.findall("service")) == 2
    first = root.find("service")
    assert first.findtext("metadata") == "true" and first.findtext("type") == "realtime"
    body = js(client.get(f"{BASE}/services.json"))
    assert isinstance(body, list) and body[0]["service_code"] == "ktp-el"
    assert isinstance(body[0]["service_code"], str) and body[0]["group"] == "Loket A"
    world.rujukan.is_active = False
    world.rujukan.save()
    assert len(xml(client.get(f"{BASE}/services.xml")).findall("service")) == 1
    assert len(js(client.get(f"{BASE}/services.json"))) == 1
    world.ktp.is_active = False
    world.ktp.save()
    assert js(client.get(f"{BASE}/services.json")) == []
    assert xml(client.get(f"{BASE}/services.xml")).findall("service") == []


@pytest.mark.parametrize("path", ["services", "service"])  # `service/` for open311 1.1
def test_the_service_definition_and_its_singular_alias(client, world, path):
    root = xml(client.get(f"{BASE}/{path}/ktp-el.xml"))
    assert root.tag == "service_definition" and root.findtext("service_code") == "ktp-el"
    attribute = root.find("attributes/attribute")
    assert attribute.findtext("code") == "category"
    assert attribute.findtext("required") == "false"
    assert {v.findtext("key") for v in attribute.findall("values/value")} >= {"pungli", "lambat"}
    body = js(client.get(f"{BASE}/{path}/ktp-el.json"))
    assert isinstance(body, dict) and body["attributes"][0]["datatype"] == "singlevaluelist"
    assert body["attributes"][1]["values"] == []


def test_an_unknown_service_is_a_404_in_the_open311_error_format(client, world):
    root = xml(client.get(f"{BASE}/services/tidak-ada.xml"))
    assert root.tag == "errors" and root.findtext("error/code") == "404"
    body = js(client.get(f"{BASE}/services/tidak-ada.json"))
    assert body[0]["code"] == 404 and "tidak-ada" in body[0]["description"]


def test_post_creates_a_complaint_with_the_key_in_the_body(client, world, api_key):
    extra = {"attribute[category]": "lambat", "first_name": "Ahmad", "email": "a@b.id"}
    response = post(client, api_key, description="Antrean tidak jalan", **extra)
    assert response.status_code == 200
    root = xml(response)
    assert root.tag == "service_requests"
    code = root.findtext("request/service_request_id")
    c = Complaint.objects.get(receipt_code=code)
    assert c.category == "lambat" and c.channel == "open311" and c.unit == world.counter_a
    assert c.reporter_name == "Ahmad" and str(c.lat) == "-6.900000"
    assert root.find("request/token") is None


def test_post_reads_the_key_and_jurisdiction_from_the_query_string(client, world, api_key):
    # open311 1.1 sends api_key and an empty jurisdiction_id in the query string.
    response = client.post(
        f"{BASE}/requests.json?api_key={api_key}&jurisdiction_id=",
        {"service_code": "ktp-el", "lat": "-6.9", "long": "107.6", "description": "x",
         "attribute[category][]": "pungli"},
    )  # fmt: skip
    body = js(response)
    assert response.status_code == 200 and isinstance(body, list) and len(body) == 1
    assert Complaint.objects.get().category == "pungli"


@pytest.mark.parametrize(
    ("key", "data", "status"),
    [
        (None, {}, 403),
        ("wrong", {}, 403),
        ("ok", {"service_code": ""}, 400),
        ("ok", {"service_code": "tidak-ada"}, 404),
        ("ok", {"lat": "", "long": ""}, 400),
        ("ok", {"description": "x" * 4001}, 400),
        ("ok", {"lat": "95"}, 400),
        ("ok", {"attribute[category]": "gossip"}, 400),
    ],
)
def test_bad_posts_get_the_right_status_and_an_open311_error(client, world, api_key, key, data,
                                                             status):  # fmt: skip
    response = post(client, api_key if key == "ok" else key, **data)
    assert response.status_code == status
    root = xml(response)
    assert root.tag == "errors" and root.findtext("error/code") == str(status)
    assert root.findtext("error/description")
    assert Complaint.objects.count() == 0


def test_a_key_without_the_open311_scope_is_refused(client, world):
    from sigap.api.keys import api_key_create

    _, raw = api_key_create(name="x", scopes=["surveys.write"])
    assert post(client, raw).status_code == 403


@override_settings(SIGAP={"RATE_LIMITS": "open311=2/3600"})
def test_a_flood_of_posts_gets_a_429_with_an_open311_error(client, world, api_key):
    assert post(client, api_key).status_code == 200
    assert post(client, api_key).status_code == 200
    response = post(client, api_key)
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "retry" in xml(response).findtext("error/description")
    assert Complaint.objects.count() == 2


def complaint(world, **kw):
    args = {
        "category": "lambat",
        "description": "Lama sekali",
        "reporter": services.Reporter(name="Ahmad Fauzi", contact="0812"),
        "service": world.ktp,
        "submitted_at": local(2025, 3, 27),
    }
    args.update(kw)
    return services.complaint_submit(**args)


def test_get_requests_with_filters_and_the_sla_due_date(client, world):
    a = complaint(world)
    complaint(world, service=world.rujukan, submitted_at=local(2025, 3, 28))
    query = "?start_date=2025-03-01T00:00:00%2B07:00&end_date=2025-04-01T00:00:00%2B07:00"
    body = js(client.get(f"{BASE}/requests.json{query}"))
    assert len(body) == 2
    body = js(client.get(f"{BASE}/requests.json{query}&service_code=ktp-el&status=open"))
    assert [r["service_request_id"] for r in body] == [a.receipt_code]
    row = body[0]
    assert row["status"] == "open" and row["agency_responsible"] == "Loket A"
    assert row["expected_datetime"] == "2025-04-10T23:59:59+07:00"  # 3 working days
    assert row["requested_datetime"] == "2025-03-27T09:00:00+07:00"
    assert row["description"] not in ("", "Lama sekali")  # the category, not the private text
    assert "Ahmad" not in json.dumps(body)
    assert js(client.get(f"{BASE}/requests.json{query}&status=closed")) == []


def test_the_default_window_is_the_last_90_days(client, world):
    complaint(world)  # 2025: long before "now"
    assert js(client.get(f"{BASE}/requests.json")) == []


def test_a_span_over_90_days_or_a_bad_date_is_a_400(client, world):
    far = "?start_date=2025-01-01T00:00:00Z&end_date=2025-06-01T00:00:00Z"
    assert xml(client.get(f"{BASE}/requests.xml{far}")).findtext("error/code") == "400"
    assert client.get(f"{BASE}/requests.json?start_date=yesterday").status_code == 400
    assert client.get(f"{BASE}/requests.json?status=pending").status_code == 400


def test_service_request_id_overrides_every_other_filter(client, world):
    a, b = complaint(world), complaint(world)
    body = js(client.get(f"{BASE}/requests.json?service_request_id={a.receipt_code},"
                         f"{b.receipt_code}&service_code=rujukan&status=closed"))  # fmt: skip
    assert {r["service_request_id"] for r in body} == {a.receipt_code, b.receipt_code}


def test_one_request_is_a_one_element_array_and_one_xml_request(client, world):
    a = complaint(world)
    body = js(client.get(f"{BASE}/requests/{a.receipt_code}.json"))
    assert isinstance(body, list) and len(body) == 1 and body[0]["zipcode"] is None
    root = xml(client.get(f"{BASE}/requests/{a.receipt_code}.xml"))
    assert len(root.findall("request")) == 1
    assert root.findtext("request/service_code") == "ktp-el"
    assert xml(client.get(f"{BASE}/requests/ZZZZZZZZZZ.xml")).findtext("error/code") == "404"


def test_a_follow_up_is_the_status_note_and_a_closed_request_has_no_due_date(client, world):
    a = complaint(world)
    head = world.users["head_a"]
    services.complaint_verify(complaint=a, user=head, at=local(2025, 4, 7))
    services.complaint_forward(complaint=a, user=head, at=local(2025, 4, 7))
    services.complaint_follow_up(complaint=a, user=head, response="Sudah selesai",
                                 at=local(2025, 4, 8))  # fmt: skip
    services.complaint_close(complaint=a, user=head, at=local(2025, 4, 9))
    row = js(client.get(f"{BASE}/requests/{a.receipt_code}.json"))[0]
    assert row["status"] == "closed" and row["status_notes"] == "Sudah selesai"
    assert row["expected_datetime"] is None
    assert row["updated_datetime"] == "2025-04-09T09:00:00+07:00"


def test_confidential_complaints_are_never_published(client, world):
    secret = complaint(world, reporter=services.Reporter(name="X", confidential=True))
    assert client.get(f"{BASE}/requests/{secret.receipt_code}.json").status_code == 404


def test_html_posted_in_a_description_is_escaped_in_xml_and_json(client, world, api_key):
    code = xml(post(client, api_key, description="<script>alert(1)</script>")).findtext(
        "request/service_request_id"
    )
    raw = client.get(f"{BASE}/requests/{code}.xml").content.decode()
    assert "<script>" not in raw and "&lt;script&gt;" in raw
    body = js(client.get(f"{BASE}/requests/{code}.json"))
    assert body[0]["description"] == "<script>alert(1)</script>"  # data, not markup


@pytest.mark.parametrize("jurisdiction", ["", "sigap.local"])
def test_an_empty_or_our_jurisdiction_is_accepted(client, world, jurisdiction):
    response = client.get(f"{BASE}/services.xml?jurisdiction_id={jurisdiction}")
    assert response.status_code == 200


def test_another_jurisdiction_is_a_404(client, world):
    response = client.get(f"{BASE}/services.json?jurisdiction_id=sfgov.org")
    assert response.status_code == 404 and js(response)[0]["code"] == 404


def test_an_unknown_format_is_a_400_in_xml(client, world):
    response = client.get(f"{BASE}/services.csv")
    assert response.status_code == 400 and xml(response).tag == "errors"


def test_a_token_resolves_to_its_request(client, world, api_key):
    code = xml(post(client, api_key)).findtext("request/service_request_id")
    body = js(client.get(f"{BASE}/tokens/{code}.json"))
    assert body == [{"service_request_id": code, "token": code}]
    assert client.get(f"{BASE}/tokens/NOPE.xml").status_code == 404


def test_page_and_page_size_extension(client, world):
    for day in (24, 25, 26, 27):
        complaint(world, submitted_at=local(2025, 3, day))
    q = "?start_date=2025-03-01T00:00:00Z&end_date=2025-04-01T00:00:00Z&page_size=3"
    assert len(js(client.get(f"{BASE}/requests.json{q}"))) == 3
    assert len(js(client.get(f"{BASE}/requests.json{q}&page=2"))) == 1


def test_nul_characters_are_a_400_not_a_crash(client, world, api_key):
    assert client.get(f"{BASE}/requests.json?service_code=a%00b").status_code == 400
    assert post(client, api_key, description="a\x00b").status_code == 400
    assert Complaint.objects.count() == 0


def test_fixmystreet_request_updates_publish_status_changes(client, world):
    a = complaint(world)
    head = world.users["head_a"]
    services.complaint_verify(complaint=a, user=head, at=local(2025, 4, 7))
    services.complaint_forward(complaint=a, user=head, note="internal", at=local(2025, 4, 7, 10))
    services.complaint_follow_up(complaint=a, user=head, response="Sudah", at=local(2025, 4, 8))
    q = "?start_date=2025-04-01T00:00:00%2B07:00&end_date=2025-04-30T00:00:00%2B07:00"
    root = xml(client.get(f"{BASE}/servicerequestupdates.xml{q}"))
    updates = root.findall("request_update")
    assert root.tag == "service_request_updates"
    assert [u.findtext("status") for u in updates] == [
        "INVESTIGATING",
        "IN_PROGRESS",
        "ACTION_SCHEDULED",
    ]
    assert updates[2].findtext("description") == "Sudah"
    assert not updates[1].findtext("description")  # the internal forwarding note stays in
    body = js(client.get(f"{BASE}/servicerequestupdates.json{q}"))
    assert body[0]["service_request_id"] == a.receipt_code
    far = "?start_date=2025-01-01T00:00:00Z&end_date=2025-06-01T00:00:00Z"
    assert client.get(f"{BASE}/servicerequestupdates.json{far}").status_code == 400


@pytest.mark.parametrize("fmt", ["xml", "json"])
@pytest.mark.parametrize(
    ("path", "param", "value"),
    [
        ("requests", "start_date", "0001-01-01T00:00:00+07:00"),
        ("requests", "end_date", "9999-12-31T23:59:59Z"),
        ("requests", "start_date", "0001-01-01"),
        ("servicerequestupdates", "start_date", "0001-01-01T00:00:00Z"),
        ("servicerequestupdates", "end_date", "9999-12-31T23:59:59-05:00"),
    ],
)
def test_a_date_at_year_1_or_9999_is_a_400_naming_the_parameter(client, world, fmt, path, param,
                                                                   value):  # fmt: skip
    response = client.get(f"{BASE}/{path}.{fmt}", {param: value})
    assert response.status_code == 400
    if fmt == "json":
        description = js(response)[0]["description"]
    else:
        description = xml(response).findtext("error/description")
    assert description == f"{param} must be between the years 1970 and 2100."


@pytest.mark.parametrize("page", ["²", "٣", "9" * 30, "-1", "1.5"])
def test_a_bad_page_number_is_a_fixed_message_not_python_text(client, world, page):
    response = client.get(f"{BASE}/requests.json", {"page": page})
    assert response.status_code == 400
    assert js(response)[0]["description"] == "page must be a whole number from 1 to 100000."


def test_a_refused_post_names_open311_parameters_not_sigap_fields(client, world, api_key):
    response = post(client, api_key, first_name="", last_name="", address_string="x" * 301)
    description = xml(response).findtext("error/description")
    assert description.startswith("address_string: ")
    assert "address:" not in description.replace("address_string:", "")


def test_control_characters_never_break_the_xml(client, world, api_key):
    """One control character in a complaint made every XML listing that held it unreadable."""
    code = xml(post(client, api_key, description="antre\x0b lama\x1b sekali\x7f")).findtext(
        "request/service_request_id"
    )
    for url in (f"{BASE}/requests/{code}.xml", f"{BASE}/requests.xml"):
        root = xml(client.get(url))  # parses: well-formed XML
        assert root.findtext("request/description") == "antre lama sekali\x7f"
    assert js(client.get(f"{BASE}/requests/{code}.json"))[0]["description"].startswith("antre\x0b")
