"""A database that drops its connections (a restart, a failover) gives 503 + Retry-After with a
short message in both languages, never a 500; the end-to-end version, with a real PostgreSQL
restart under load, is test_database_restart.py."""

from __future__ import annotations

import json

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client

from sigap.surveys import services as survey_services
from sigap.throttling import ratelimit
from tests import factories

SURVEY = {
    "service_code": "ktp-el",
    "answers": dict.fromkeys(
        ("persyaratan", "prosedur", "waktu", "biaya", "produk", "kompetensi", "perilaku",
         "pengaduan", "sarana"), 4,
    ),
}  # fmt: skip


def _down(*args: object, **kwargs: object) -> None:
    raise OperationalError("server closed the connection unexpectedly")


@pytest.mark.django_db
@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_the_api_answers_503_with_retry_after_when_the_database_is_gone(
    monkeypatch: pytest.MonkeyPatch, error: type[Exception]
) -> None:
    factories.build_world()

    def down(*args: object, **kwargs: object) -> None:
        raise error("connection already closed")

    monkeypatch.setattr(survey_services, "survey_submit", down)
    reply = Client(raise_request_exception=False).post(
        "/api/v1/surveys", json.dumps(SURVEY), content_type="application/json"
    )
    assert reply.status_code == 503
    assert reply["Retry-After"] == "5"
    body = reply.json()["error"]
    assert body["code"] == "unavailable"
    assert "coba lagi" in body["message"] and "try again" in body["message"]


@pytest.mark.django_db
def test_a_page_answers_503_with_retry_after_when_the_database_is_gone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The status page counts the look-up first (a database write): the database is gone.
    monkeypatch.setattr(ratelimit, "hit", _down)
    reply = Client(raise_request_exception=False).get("/pengaduan/status/ABC-123456/")
    assert reply.status_code == 503
    assert reply["Retry-After"] == "5" and reply["Cache-Control"] == "no-store"
    text = reply.content.decode()
    assert "Silakan coba lagi" in text and "Please try again" in text


@pytest.mark.django_db
def test_other_errors_stay_500(monkeypatch: pytest.MonkeyPatch) -> None:
    def bug(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError

    monkeypatch.setattr(ratelimit, "hit", bug)
    reply = Client(raise_request_exception=False).get("/pengaduan/status/ABC-123456/")
    assert reply.status_code == 500
