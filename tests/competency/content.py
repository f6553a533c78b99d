"""Competency content on the test world, for the page tests and the language test: a standard for
the pelaksana and the Kepala Seksi, officer A's assessments and career target, training this
year (officer A 12 JP: short 8; head A 20 JP: compliant; officer B none), a plan item, gaps with
evidence and one measured training effect."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_noop

from sigap.competency.models import (
    Assessment,
    CareerTarget,
    Competency,
    CompetencyGap,
    CompetencyLevel,
    DevelopmentPlan,
    PlanItem,
    PositionRequirement,
    StandardVersion,
    TrainingEffect,
    TrainingRecord,
)
from sigap.web.said import Said
from tests import factories

# A sentence of the catalogue with values (the roadmap's), standing in for a gap's evidence.
EVIDENCE = Said(
    gettext_noop(
        "Step “%(step)s” of %(service)s holds %(wait_share)s of all waiting "
        "time: a median of %(days)s days before it, over %(events)s passages "
        "(whole log)."
    ),
    {"step": "Verifikasi berkas", "service": "Penerbitan KTP-el", "wait_share": "40 %",
     "days": {"decimal": 1.5, "places": 1}, "events": {"count": 1200}},
)  # fmt: skip


@dataclass
class CompetencyContent:
    service: Competency  # Pelayanan Publik
    team: Competency  # Kerja Sama
    technical: Competency  # Verifikasi dokumen kependudukan
    today: date


def competency_content(world: factories.World) -> CompetencyContent:
    today = timezone.localdate()
    # The national dictionary is there when the migration ran (not after a browser test's flush).
    service, _ = Competency.objects.get_or_create(
        code="pelayanan-publik", defaults={"name": "Pelayanan Publik", "group": "manajerial"}
    )
    team, _ = Competency.objects.get_or_create(
        code="kerja-sama", defaults={"name": "Kerja Sama", "group": "manajerial"}
    )
    technical = Competency.objects.create(
        code="verifikasi-dokumen", name="Verifikasi dokumen kependudukan", group="teknis",
        agency=world.agency,
    )  # fmt: skip
    for level, text in enumerate(
        ["Mengikuti standar pelayanan", "Mengawasi dan menjelaskan pelayanan",
         "Memperbaiki standar pelayanan unit"], start=1,
    ):  # fmt: skip
        CompetencyLevel.objects.update_or_create(
            competency=service, level=level, defaults={"description": text}
        )
    version = StandardVersion.objects.create(agency=world.agency, valid_from=date(2025, 1, 1))
    pelaksana, kepala = world.officer_a.position, world.head_a.position
    for position, competency, level in [
        (pelaksana, service, 2), (pelaksana, team, 2), (pelaksana, technical, 3),
        (kepala, service, 3), (kepala, team, 3), (kepala, technical, 3),
    ]:  # fmt: skip
        PositionRequirement.objects.create(
            version=version, position=position, competency=competency, level=level
        )
    day = date(2025, 2, 10)
    for employee, competency, level in [
        (world.officer_a, service, 3), (world.officer_a, team, 2),
        (world.officer_b, service, 1), (world.head_a, service, 3), (world.head_a, team, 3),
        (world.head_a, technical, 3),
    ]:  # fmt: skip
        Assessment.objects.create(
            employee=employee, competency=competency, level=level, assessed_on=day,
            method="assessment_centre", source="entered",
        )  # fmt: skip
    CareerTarget.objects.create(employee=world.officer_a, position=kepala, set_on=day)

    start = today - timedelta(days=min(2, today.timetuple().tm_yday - 1))
    a = TrainingRecord.objects.create(
        employee=world.officer_a, title="Bimtek verifikasi dokumen", route="bimbingan_teknis",
        starts_on=start, ends_on=today, hours=Decimal(9), jp=Decimal(12),
        provider="BPSDM Provinsi", certificate_number="BPSDM/2025/0117", source="entered",
    )  # fmt: skip
    a.competencies.add(technical)
    TrainingRecord.objects.create(
        employee=world.head_a, title="Pelatihan kepemimpinan pengawas", route="manajerial",
        starts_on=start, ends_on=today, hours=Decimal(15), jp=Decimal(20), source="entered",
    )  # fmt: skip

    plan = DevelopmentPlan.objects.create(
        agency=world.agency, unit=world.counter_a, year=today.year, generated_at=timezone.now()
    )
    item = PlanItem.objects.create(
        plan=plan, rank=1, competency=technical, route="bimbingan_teknis", provider="BPSDM",
        month=10, jp=Decimal(12), priority=48.0, gap_size=0.4, citizens_affected=120,
    )  # fmt: skip
    item.employees.add(world.officer_a)

    now = timezone.now()
    CompetencyGap.objects.create(
        employee=world.officer_a, competency=technical, kind="current", required_level=3,
        actual_level=None, size=3, computed_at=now,
    )  # fmt: skip
    CompetencyGap.objects.create(
        employee=world.officer_a, competency=technical, kind="performance", size=0.4,
        service=world.ktp, step="Verifikasi berkas", citizens_affected=120,
        evidence=[EVIDENCE.stored()], computed_at=now,
    )  # fmt: skip
    TrainingEffect.objects.create(
        title="Bimtek verifikasi dokumen", service=world.ktp, step="Verifikasi berkas",
        starts_on=date(2025, 3, 1), participants=12, comparison=30, kpi="rework",
        before=0.2, after=0.12, estimate=-0.08, relative=-0.38, ci_low=-0.52, ci_high=-0.21,
        pre_trend_p=0.6, conclusion="improved", explanation=[EVIDENCE.stored()],
        computed_at=now,
    )  # fmt: skip
    return CompetencyContent(service, team, technical, today)
