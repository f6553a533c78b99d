"""The JSON API (/api/v1/): submissions, public reads, and every error in one shape."""

from __future__ import annotations

import json

import pytest
from django.test import override_settings

from sigap.complaints.models import Complaint
from sigap.notifications.survey_links import survey_token
from sigap.rules.ikm import ELEMENT_CODES
from sigap.surveys.models import SurveyResponse
from tests import factories

ANSWERS = {code: 3 for code in ELEMENT_CODES}


def post(client, path, body, **extra):
    return client.post(f"/api/v1{path}", body, content_type="application/json", **extra)


def assert_error(response, status, code):
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


def test_a_survey_is_submitted_over_the_api(client, world):
    response = post(client, "/surveys", {"service_code": "ktp-el", "answers": ANSWERS,
                                          "gender": "L"})  # fmt: skip
    assert response.status_code == 201
    assert response.json()["unit"] == "Loket A"
    assert SurveyResponse.objects.get().channel == "api"


def test_an_out_of_range_answer_is_a_422_naming_the_field(client, world):
    error = assert_error(
        post(client, "/surveys", {"service_code": "ktp-el", "answers": {**ANSWERS, "waktu": 5}}),
        422,
        "invalid",
    )
    assert "answers.waktu" in error["fields"]
    assert SurveyResponse.objects.count() == 0


def test_an_unknown_element_or_field_is_refused(client, world):
    body = {"service_code": "ktp-el", "answers": {**ANSWERS, "maklumat": 3}}
    assert_error(post(client, "/surveys", body), 422, "invalid")
    assert_error(post(client, "/surveys", {**body, "answers": ANSWERS, "x": 1}), 422, "invalid")


def test_an_unknown_service_code_is_a_400(client, world):
    error = assert_error(
        post(client, "/surveys", {"service_code": "tidak-ada", "answers": ANSWERS}), 400, "invalid"
    )
    assert "service" in error["fields"]


def test_a_second_survey_for_the_same_receipt_is_a_400(client, world, ktp_request):
    factories.complete(world, ktp_request)
    code = ktp_request.receipt_code
    body = {"service_code": "ktp-el", "answers": ANSWERS, "receipt_code": code}
    # The code alone is no proof of being the applicant (sigap.notifications.survey_links).
    assert "receipt_code" in assert_error(post(client, "/surveys", body), 400, "invalid")["fields"]
    body["receipt_token"] = survey_token(code)
    assert post(client, "/surveys", body).status_code == 201
    assert_error(post(client, "/surveys", body), 400, "invalid")
    assert SurveyResponse.objects.count() == 1


def test_oversized_text_and_nul_characters_are_refused(client, world):
    body = {"service_code": "ktp-el", "answers": ANSWERS, "comment": "x" * 4001}
    assert_error(post(client, "/surveys", body), 422, "invalid")
    assert_error(post(client, "/surveys", {**body, "comment": "a\x00b"}), 422, "invalid")


def test_malformed_json_is_a_clear_error(client, world):
    response = client.post("/api/v1/surveys", "{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert "error" in response.json()


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""],
)
def test_only_a_json_body_is_read_so_a_cross_site_form_cannot_submit(client, world, content_type):
    """A cross-site form posts text/plain (or a form) without a CORS preflight: refused (415)
    even when the text is valid JSON, and nothing is stored."""
    body = json.dumps({"service_code": "ktp-el", "answers": ANSWERS})
    for path in ("/api/v1/surveys", "/api/v1/complaints"):
        response = client.generic("POST", path, body.encode(), content_type=content_type)
        error = assert_error(response, 415, "unsupported_media_type")
        assert "application/json" in error["message"]
    assert SurveyResponse.objects.count() == Complaint.objects.count() == 0
    charset = client.post(
        "/api/v1/surveys", body, content_type="application/json; charset=utf-8"
    )  # a charset parameter is fine
    assert charset.status_code == 201


def test_a_body_over_the_upload_limit_is_a_413_in_the_error_shape(client, world):
    body = {"service_code": "ktp-el", "answers": ANSWERS, "comment": "a" * 3_000_000}
    assert_error(post(client, "/surveys", body), 413, "too_large")


def test_malformed_json_names_no_python_error(client, world):
    error = assert_error(
        client.post("/api/v1/surveys", "{not json", content_type="application/json"),
        400,
        "invalid_json",
    )
    assert error["message"] == "The body is not valid JSON."


def test_a_complaint_is_filed_and_its_status_read_without_personal_data(client, world):
    response = post(client, "/complaints", {
        "category": "pungli", "description": "<b>Diminta uang</b>", "service_code": "ktp-el",
        "reporter_name": "Ahmad Fauzi", "reporter_contact": "0812",
    })  # fmt: skip
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "diterima" and body["unit"] == "Loket A"
    assert Complaint.objects.get().description == "<b>Diminta uang</b>"
    status = client.get(f"/api/v1/complaints/{body['receipt_code']}")
    assert status.status_code == 200
    assert "Ahmad" not in status.content.decode() and "Diminta" not in status.content.decode()


def test_an_unknown_complaint_code_is_a_404_in_the_error_shape(client, world):
    assert_error(client.get("/api/v1/complaints/ZZZZZZZZZZ"), 404, "not_found")


def test_a_complaint_with_a_bad_category_is_a_422(client, world):
    body = {"category": "gossip", "description": "x", "service_code": "ktp-el", "anonymous": True}
    assert_error(post(client, "/complaints", body), 422, "invalid")


@override_settings(SIGAP={"RATE_LIMITS": "survey=2/60"})
def test_a_flood_gets_a_429_in_the_error_shape(client, world):
    body = {"service_code": "ktp-el", "answers": ANSWERS}
    assert post(client, "/surveys", body).status_code == 201
    assert post(client, "/surveys", body).status_code == 201
    response = post(client, "/surveys", body)
    error = assert_error(response, 429, "rate_limited")
    assert "retry" in error["message"] and int(response["Retry-After"]) > 0
    assert SurveyResponse.objects.count() == 2


def test_public_reads(client, world):
    assert {s["code"] for s in client.get("/api/v1/services").json()} == {"ktp-el", "rujukan"}
    elements = client.get("/api/v1/surveys/elements").json()
    assert [e["code"] for e in elements] == list(ELEMENT_CODES)
    post(client, "/surveys", {"service_code": "ktp-el", "answers": ANSWERS})
    ikm = client.get("/api/v1/ikm").json()
    assert ikm[0]["unit"] == "Loket A" and ikm[0]["ikm"] == "75.00" and ikm[0]["mutu"] == "C"
