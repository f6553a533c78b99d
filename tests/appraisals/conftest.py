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
