"""Personas for the SKP tests: the `world` of tests/conftest.py with officer A reporting to
head A (the unit head of counter A, their rater); HR holds the whole pemda."""

from __future__ import annotations

import pytest

from sigap.appraisals import services
from sigap.appraisals.models import PerformancePlan
from tests import factories


@pytest.fixture
def skp_world(world: factories.World) -> factories.World:
    world.officer_a.supervisor = world.head_a
    world.officer_a.save(update_fields=["supervisor"])
    return world


def one_result(text: str = "Penerbitan KTP-el tepat waktu") -> services.ResultInput:
    return services.ResultInput(
        text=text,
        indicators=[
            services.IndicatorInput("Persentase KTP-el terbit sesuai SLA", "≥ 95%", "sla_share"),
            services.IndicatorInput("Jumlah berkas diproses", "1.200 berkas", "throughput"),
        ],
    )


@pytest.fixture
def plan(skp_world: factories.World) -> PerformancePlan:
    """Officer A's 2025 SKP, quarterly, made by head A."""
    return services.plan_create(
        employee=skp_world.officer_a,
        year=2025,
        results=[one_result()],
        actor=skp_world.users["head_a"],
        period_kind="triwulanan",
    )


def overcharge_signal(world: factories.World, cases: int, *, month: int = 3):  # type: ignore[no-untyped-def]
    """`cases` KTP-el requests at counter A in `month` of 2025 on which officer A took
    Rp50.000 for a free service, then an integrity refresh of that month: officer A's flagged
    overcharge signal (the demo's "77 overcharge flags" is one such signal with 77 cases)."""
    from datetime import date

    from sigap.integrity.models import IntegritySignal
    from sigap.integrity.services import integrity_refresh
    from tests.conftest import local

    for n in range(cases):
        sr = factories.submit(
            world,
            at=local(2025, month, 3 + n % 20, 8 + n % 8),
            officer=world.officer_a,
        )
        # Paid as evidence (a reconciled kuitansi), no longer typed by the officer (#12).
        factories.pay(world, sr, 50_000)
    last = 30 if month in (4, 6, 9, 11) else 28 if month == 2 else 31
    integrity_refresh(since=date(2025, month, 1), until=date(2025, month, last))
    return IntegritySignal.objects.get(kind="overcharge", officer=world.officer_a)
