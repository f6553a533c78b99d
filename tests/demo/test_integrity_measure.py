"""`sigap integrity measure` (`sigap demo_measure`): the last run against the ground truth of a
demo build."""

from __future__ import annotations

from datetime import date
from io import StringIO

from django.core.management import call_command

from sigap.demo.models import DemoBuild, PlantedPattern
from sigap.integrity.services import integrity_refresh
from tests import factories
from tests.conftest import local


def test_planted_overcharges_are_found_and_nobody_else_is_flagged(world):
    receipts = [
        factories.pay(
            world,
            factories.submit(world, at=local(2025, 3, day), officer=world.officer_a),
            50_000,
        ).request.receipt_code  # type: ignore[union-attr]
        for day in (3, 4, 5)
    ]
    factories.submit(world, at=local(2025, 3, 6), officer=world.head_a)
    build = DemoBuild.objects.create(seed=1, until=date(2025, 3, 31), requests=4)
    PlantedPattern.objects.create(
        build=build,
        kind=PlantedPattern.Kind.OVERCHARGING,
        subject=world.officer_a.nip,
        detail={"unit": "loket-a", "requests": receipts},
    )
    integrity_refresh(since=date(2025, 3, 1), until=date(2025, 3, 31))
    out = StringIO()
    call_command("integrity", "measure", stdout=out)
    text = out.getvalue()
    assert f"overcharging {world.officer_a.nip} (loket-a): FOUND; 3/3 planted" in text
    assert "in the evidence; rests on payments" in text
    assert "officers analysed 2; flagged 1; planted 1; false positives 0 = 0.0%" in text
