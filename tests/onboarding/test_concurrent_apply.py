"""Two applies of the same file for one agency at once (a double click on Terapkan, two
administrators): the second waits for the first and finds everything there, on PostgreSQL,
where the two run in parallel (SQLite runs one writer at a time anyway)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from django.db import connection, connections

from sigap.onboarding import plan as onboarding
from sigap.organisation.models import Agency, Unit

UNITS = (Path(__file__).resolve().parents[2] / "docs/onboarding/samples/units.csv").read_bytes()


@pytest.mark.django_db(transaction=True)
def test_the_second_apply_waits_and_changes_nothing(monkeypatch):
    if not connection.features.has_select_for_update:
        pytest.skip("SQLite: one writer at a time")
    agency = Agency.objects.create(
        code="sukamaju", name="Kabupaten Sukamaju", kind="kabupaten", region_code="32.19"
    )
    importer = onboarding.IMPORTERS["units"]
    written = importer.write
    first_wrote, go = threading.Event(), threading.Event()

    def write_and_hold(plan, *, agency, actor):  # type: ignore[no-untyped-def]
        written(plan, agency=agency, actor=actor)
        if not first_wrote.is_set():
            first_wrote.set()
            go.wait(10)  # the first holds its transaction open while the second starts

    monkeypatch.setattr(importer, "write", write_and_hold)
    results: dict[str, object] = {}

    def run(who: str) -> None:
        try:
            results[who] = onboarding.apply("units", UNITS, "units.csv", agency=agency)
        except Exception as exc:  # the test reports what the thread met
            results[who] = exc
        finally:
            connections.close_all()

    first = threading.Thread(target=run, args=("first",))
    first.start()
    assert first_wrote.wait(10)
    second = threading.Thread(target=run, args=("second",))
    second.start()
    second.join(0.5)  # give it the time to reach the lock (or, without it, to plan)
    go.set()
    first.join(10)
    second.join(10)
    assert isinstance(results["first"], onboarding.Applied), results
    assert isinstance(results["second"], onboarding.Applied), results
    assert results["first"].counts["create"] == 7  # type: ignore[union-attr]
    assert results["second"].counts["create"] == 0  # type: ignore[union-attr]
    assert results["second"].counts["unchanged"] == 7  # type: ignore[union-attr]
    assert Unit.objects.filter(agency=agency).count() == 7
