"""Builders for the registry and ideas tests (plain functions over tests.factories' world)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from sigap.accounts.models import Role
from sigap.innovation import services
from sigap.innovation.models import Innovation
from sigap.leadership.models import RoadmapAction
from sigap.organisation.models import Employee
from tests import factories


def innovation(world: Any, *, actor: str = "head_a", **changes: Any) -> Innovation:
    """An innovation of counter A on KTP-el, at the initiative stage from 2025-01-06."""
    values: dict[str, Any] = {
        "name": "Cek berkas daring sebelum datang",
        "initiator": "unit",
        "initiator_name": "Loket A",
        "form": "public_service",
        "kind": "digital",
        "urusan": "civil_registration",
        "initiated_on": date(2025, 1, 6),
        "units": [world.counter_a],
        "services": [world.ktp],
        "design": "Pemohon mengunggah berkas untuk diperiksa sebelum datang ke loket.",
    }
    values.update(changes)
    return services.innovation_create(actor=world.users[actor], **values)


def applied(world: Any, **changes: Any) -> Innovation:
    """An innovation of counter A on trial from 2025-02-03, in application from 2025-03-03."""
    made = innovation(world, **changes)
    actor = world.users["head_a"]
    services.innovation_set_stage(actor=actor, innovation=made, stage="trial", on=date(2025, 2, 3))
    return services.innovation_set_stage(
        actor=actor, innovation=made, stage="applied", on=date(2025, 3, 3)
    )


def colleague(world: Any, username: str = "officer_a2") -> Employee:
    """A second officer at counter A (a colleague of officer_a), with a log-in."""
    user = factories.user(username, Role.OFFICER, world.counter_a)
    return factories.employee(world.counter_a, "Rina Kartika", world.officer_a.position, user)


def roadmap_action(unit: Any, title: str = "Percepat verifikasi berkas") -> RoadmapAction:
    return RoadmapAction.objects.create(
        unit=unit,
        direction="digitalisation",
        gap_key="complaints_on_time_share",
        metric_key="complaints_on_time_share",
        title=title,
        evidence="Waktu penyelesaian 5,2 hari kerja, standar 3.",
        baseline_value=5.2,
        baseline_period_kind="quarter",
        baseline_period="2025-Q1",
        target_value=3.0,
        gap=0.4,
        citizens=1200,
        priority=480.0,
        created_at=timezone.now(),
    )
