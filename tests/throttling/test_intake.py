"""The one-statement write path of public submissions (sigap.throttling.intake).

On PostgreSQL a survey or complaint and its rate-limit hit are one statement; on SQLite the same
steps run one by one. Both legs run these tests: the outcome must be the same.
"""

from __future__ import annotations

import threading

import psycopg
import pytest
from django.db import connection, connections
from django.test import RequestFactory, override_settings

from sigap.complaints import services as complaint_services
from sigap.complaints.models import Complaint, ComplaintEvent
from sigap.rules.ikm import ELEMENT_CODES
from sigap.surveys import services as survey_services
from sigap.surveys.models import SurveyResponse
from sigap.throttling import intake, ratelimit
from sigap.throttling.models import RateCounter

ANSWERS = {code: 3 for code in ELEMENT_CODES}


def post(client, path, body, addr="10.9.9.9"):
    return client.post(f"/api/v1{path}", body, content_type="application/json", REMOTE_ADDR=addr)


def charge(scope, addr="10.9.9.9"):
    return ratelimit.charge(RequestFactory().post("/", REMOTE_ADDR=addr), scope)


def hits(scope, addr="10.9.9.9"):
    key = ratelimit.counter_key(RequestFactory().post("/", REMOTE_ADDR=addr), scope)
    return sum(RateCounter.objects.filter(key=key).values_list("hits", flat=True))


@override_settings(SIGAP={"RATE_LIMITS": "survey=2/3600"})
def test_over_the_limit_nothing_is_stored_and_the_hit_is_still_counted(client, world):
    assert (
        post(client, "/surveys", {"service_code": "ktp-el", "answers": ANSWERS}).status_code == 201
    )
    assert (
        post(client, "/surveys", {"service_code": "ktp-el", "answers": ANSWERS}).status_code == 201
    )
    refused = post(client, "/surveys", {"service_code": "ktp-el", "answers": ANSWERS})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "limit 2" in refused.json()["error"]["message"]
    assert SurveyResponse.objects.count() == 2 and hits("survey") == 3
    # Another address has its own window.
    other = post(client, "/surveys", {"service_code": "ktp-el", "answers": ANSWERS}, "10.9.9.8")
    assert other.status_code == 201


@override_settings(SIGAP={"RATE_LIMITS": "complaint=1/3600,survey=1/3600"})
def test_a_refused_submission_counts_against_the_limit_too(client, world):
    unknown = post(client, "/surveys", {"service_code": "tidak-ada", "answers": ANSWERS})
    assert unknown.status_code == 400 and "service" in unknown.json()["error"]["fields"]
    valid = post(client, "/surveys", {"service_code": "ktp-el", "answers": ANSWERS})
    assert valid.status_code == 429 and SurveyResponse.objects.count() == 0
    named = {"category": "lambat", "description": "Antre", "service_code": "ktp-el"}
    assert post(client, "/complaints", named).status_code == 400  # no name, not anonymous
    assert post(client, "/complaints", {**named, "anonymous": True}).status_code == 429
    assert Complaint.objects.count() == 0 and hits("complaint") == 2


@override_settings(SIGAP={"RATE_LIMITS": "complaint=5/3600"})
def test_a_complaint_and_its_first_event_are_written_together_and_routed(client, world):
    body = {"category": "pungli", "description": "Diminta uang", "service_code": "ktp-el",
            "anonymous": True}  # fmt: skip
    response = post(client, "/complaints", body)
    assert response.status_code == 201
    complaint = Complaint.objects.get(receipt_code=response.json()["receipt_code"])
    assert complaint.unit == world.counter_a and complaint.status == "diterima"
    assert response.json()["due"] == complaint.verify_due.isoformat()
    (event,) = ComplaintEvent.objects.filter(complaint=complaint)
    assert (event.seq, event.action, event.to_status, event.unit_id) == (
        1, "submit", "diterima", complaint.unit_id,
    )  # fmt: skip
    assert hits("complaint") == 1


@override_settings(SIGAP={"RATE_LIMITS": "complaint=5/3600"})
def test_a_colliding_receipt_code_is_retried_and_the_hit_counted_once(world, monkeypatch):
    from sigap.complaints.services import Reporter

    first = complaint_services.complaint_submit(
        category="lambat", description="Antre", reporter=Reporter(anonymous=True),
        service="ktp-el",
    )  # fmt: skip
    codes = iter([first.receipt_code, "FRESHC0DE1"])
    monkeypatch.setattr(complaint_services, "new_receipt_code", lambda: next(codes))
    second = complaint_services.complaint_submit(
        category="lambat", description="Lama", reporter=Reporter(anonymous=True),
        service="ktp-el", charge=charge("complaint"),
    )  # fmt: skip
    assert second.receipt_code == "FRESHC0DE1" and second.pk != first.pk
    assert Complaint.objects.get(pk=second.pk).description == "Lama"
    assert ComplaintEvent.objects.filter(complaint=second).count() == 1
    assert ComplaintEvent.objects.count() == 2 and hits("complaint") == 1


def test_the_row_has_its_key_and_reads_back_as_written(world):
    response = survey_services.survey_submit(
        service="ktp-el",
        answers={**ANSWERS, "waktu": None},
        comment="  <script>alert(1)</script>  ",
        respondent=survey_services.Respondent(gender="P", age_band="31-45"),
        client_hash="abc",
    )
    stored = SurveyResponse.objects.get(pk=response.pk)
    assert stored.waktu is None and stored.sarana == 3
    assert stored.comment == "<script>alert(1)</script>"  # stored as text, escaped on pages
    assert (stored.gender, stored.age_band, stored.client_hash) == ("P", "31-45", "abc")
    assert stored.unit_id == world.counter_a.pk and stored.submitted_at is not None
    assert not response._state.adding


@pytest.mark.django_db(transaction=True)
@override_settings(SIGAP={"RATE_LIMITS": "survey=7/3600"})
def test_the_limit_holds_across_two_connections_as_across_two_workers():
    """Two threads, each with its own database connection (as two gunicorn workers have),
    submit for the same client: exactly the limit gets through. On PostgreSQL they run at the
    same time; SQLite's shared in-memory test database locks a table per writer, so there they
    take turns (still two connections counting in one table)."""
    from tests import factories

    factories.build_world()
    outcomes: list[str] = []
    together = connection.vendor == "postgresql"
    start = threading.Barrier(2 if together else 1)

    def worker() -> None:
        start.wait()
        try:
            for _ in range(6):
                try:
                    survey_services.survey_submit(
                        service="ktp-el", answers=ANSWERS, charge=charge("survey")
                    )
                    outcomes.append("stored")
                except ratelimit.RateLimited:
                    outcomes.append("limited")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
        if not together:
            thread.join()
    for thread in threads:
        thread.join()
    assert outcomes.count("stored") == 7 and outcomes.count("limited") == 5
    assert SurveyResponse.objects.count() == 7 and hits("survey") == 12


@pytest.mark.django_db(transaction=True)
def test_a_submission_is_committed_before_its_reply(client):
    """Zero loss: when the 201 leaves, another session of the database already sees the row."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database another session can open (the PostgreSQL leg)")
    from tests import factories

    factories.build_world()
    body = {"category": "lambat", "description": "Antre", "service_code": "ktp-el",
            "anonymous": True}  # fmt: skip
    response = post(client, "/complaints", body)
    assert response.status_code == 201
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        row = other.execute(
            "SELECT count(*) FROM complaints_complaint c JOIN complaints_complaintevent e "
            "ON e.complaint_id = c.id WHERE c.receipt_code = %s",
            [response.json()["receipt_code"]],
        ).fetchone()
    assert row == (1,)


def test_a_string_longer_than_its_column_is_refused_not_cut(world):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite does not enforce string lengths")
    from django.db import DataError

    survey = SurveyResponse(
        service=world.ktp, unit=world.counter_a, channel="api",
        submitted_at="2025-03-27T09:00:00+07:00", gender="PP", persyaratan=3,
    )  # fmt: skip
    with pytest.raises(DataError):
        intake.store(survey)
