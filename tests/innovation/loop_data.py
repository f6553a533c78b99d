"""Builders for the loop's tests: innovations, measured effects and scorecard rows, with
explicit values (the effects are what `sigap innovation effects` would have stored)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.utils import timezone

from sigap.catalogue.models import Service
from sigap.innovation.models import Innovation, InterventionEffect, Replication
from sigap.leadership.models import (
    RoadmapAction,
    ScorecardRefresh,
    ServiceScorecard,
    UnitScorecard,
)
from sigap.leadership.scoring import bounds
from sigap.organisation.models import Unit


def innovation(
    agency: Any,
    name: str,
    units: Sequence[Unit],
    services: Sequence[Service] = (),
    *,
    stage: str = "applied",
    applied_on: date | None = date(2025, 3, 1),
    initiator_name: str = "Budi Santoso",
    **extra: Any,
) -> Innovation:
    now = timezone.now()
    fields: dict[str, Any] = {
        "initiator": "asn",
        "form": "public_service",
        "kind": "digital",
        "urusan": "administrasi_kependudukan",
        "initiated_on": date(2024, 10, 1),
        "trial_on": date(2025, 1, 1) if stage != "initiative" else None,
        "goals": "Mempercepat penerbitan dokumen.",
        "benefits": "Warga tidak perlu datang dua kali.",
        "results": "Berkas diperiksa sebelum datang.",
    }
    fields |= extra
    i = Innovation.objects.create(
        agency=agency,
        name=name,
        stage=stage,
        applied_on=applied_on if stage == "applied" else None,
        initiator_name=initiator_name,
        created_at=now,
        updated_at=now,
        **fields,
    )
    i.units.set(units)
    i.services.set(services)
    return i


def effect(
    *,
    kpi: str,
    conclusion: str,
    estimate: float | None = None,
    ci: tuple[float, float] | None = None,
    innovation: Innovation | None = None,
    action: RoadmapAction | None = None,
    starts_on: date = date(2025, 3, 1),
    explanation: list[Any] | None = None,
    confidence: float = 0.95,
    primary: bool = False,
) -> InterventionEffect:
    subject = "innovation" if innovation is not None else "roadmap_action"
    return InterventionEffect.objects.create(
        subject=subject,
        innovation=innovation,
        action=action,
        kpi=kpi,
        starts_on=starts_on,
        treated=6,
        comparison=9,
        comparison_basis="same_service",
        before=None,
        after=None,
        estimate=estimate,
        ci_low=ci[0] if ci else None,
        ci_high=ci[1] if ci else None,
        pre_trend_p=0.4,
        conclusion=conclusion,
        confidence=confidence,
        primary=primary,
        explanation=explanation if explanation is not None else [],
        computed_at=timezone.now(),
    )


def action(unit: Unit, title: str, status: str = "done") -> RoadmapAction:
    return RoadmapAction.objects.create(
        unit=unit,
        direction="digitalisation",
        gap_key=f"gap-{title}",
        metric_key="sla_share",
        title=title,
        evidence="SLA 70 %",
        baseline_value=0.7,
        baseline_period_kind="quarter",
        baseline_period="2025-Q1",
        target_value=0.9,
        gap=0.2,
        citizens=100,
        priority=20.0,
        status=status,
        created_at=timezone.now(),
    )


def replication(original: Innovation, unit: Unit) -> Replication:
    return Replication.objects.create(
        original=original,
        adopter_unit=unit,
        adopted_on=date(2025, 5, 1),
        recorded_at=timezone.now(),
    )


def refresh(as_of: date) -> ScorecardRefresh:
    return ScorecardRefresh.objects.create(finished_at=timezone.now(), as_of=as_of)


def unit_row(r: ScorecardRefresh, unit: Unit, label: str) -> UnitScorecard:
    start, end = bounds(label)
    return UnitScorecard.objects.create(
        refresh=r,
        unit=unit,
        peer_group=unit.kind,
        period_kind="quarter" if "Q" in label else "month",
        period_start=start,
        period_end=end,
        period_label=label,
    )


def service_row(
    r: ScorecardRefresh,
    service: Service,
    label: str,
    *,
    volume: int,
    lead: float | None = None,
    sla: float | None = None,
    ftr: float | None = None,
    ikm: float | None = None,
) -> ServiceScorecard:
    start, end = bounds(label)
    return ServiceScorecard.objects.create(
        refresh=r,
        unit=service.unit,
        service=service,
        period_kind="quarter" if "Q" in label else "month",
        period_start=start,
        period_end=end,
        period_label=label,
        volume=volume,
        lead_wd_median=lead,
        sla_share=sla,
        ftr_share=ftr,
        ikm=ikm,
    )
