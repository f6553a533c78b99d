"""A double click on "Save" or "Propose", on real separate connections: one record, the other
post refused with the field named."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from sigap.innovation import services
from sigap.innovation.models import Idea, Innovation
from tests import factories

RACERS = 6


def _race(act: Callable[[], Any]) -> tuple[int, list[str], list[BaseException]]:
    start = threading.Barrier(RACERS)
    won: list[Any] = []
    refused: list[str] = []
    errors: list[BaseException] = []

    def racer() -> None:
        try:
            start.wait()
            with translation.override("en"):  # a thread starts without the test's language
                won.append(act())
        except ValidationError as exc:
            refused.extend(exc.message_dict)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=racer) for _ in range(RACERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(won), refused, errors


@pytest.mark.django_db(transaction=True)
def test_a_double_submitted_innovation_is_registered_once():
    if connection.vendor != "postgresql":
        pytest.skip("the row lock is PostgreSQL's; SQLite serialises writers (BEGIN IMMEDIATE)")
    world = factories.build_world()

    def register() -> Innovation:
        return services.innovation_create(
            actor=world.users["head_a"],
            name="Antrean daring",
            initiator="unit",
            form="public_service",
            kind="digital",
            urusan="civil_registration",
            initiated_on=date(2025, 1, 6),
            units=[world.counter_a],
        )

    won, refused, errors = _race(register)
    assert errors == []
    assert (won, refused) == (1, ["name"] * (RACERS - 1))
    assert Innovation.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_double_submitted_idea_is_proposed_once():
    if connection.vendor != "postgresql":
        pytest.skip("the row lock is PostgreSQL's; SQLite serialises writers (BEGIN IMMEDIATE)")
    world = factories.build_world()

    def propose() -> Idea:
        return services.idea_propose(
            actor=world.users["officer_a"],
            unit=world.counter_a,
            title="Daftar periksa daring",
            problem="Berkas sering kurang.",
            proposal="Daftar periksa sebelum datang.",
        )

    won, refused, errors = _race(propose)
    assert errors == []
    assert (won, refused) == (1, ["title"] * (RACERS - 1))
    assert Idea.objects.count() == 1
