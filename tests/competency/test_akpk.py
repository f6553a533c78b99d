"""The AKPK from the gaps of conftest.py's world: priority order, suggested routes, approvals in
order and by the right people, regeneration, item edits and the export layout."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from sigap.analytics.engine import Engine
from sigap.audit.models import AuditEntry
from sigap.competency.akpk import (
    PlanError,
    plan_hr_approve,
    plan_item_edit,
    plan_unit_approve,
    plan_xlsx,
    plans_generate,
)
from sigap.competency.gaps import gaps_refresh
from sigap.competency.models import DevelopmentPlan, PlanItem

from .conftest import AS_OF, STEP, GapWorld

YEAR = 2027


@pytest.fixture
def plans(gap_world: GapWorld, engine: Engine, settings: Any) -> GapWorld:
    settings.SIGAP = {**settings.SIGAP, "COMPETENCY_AKPK_GROUP_SIZE": 2}
    gaps_refresh(AS_OF, engine=engine)
    plans_generate(YEAR)
    return gap_world


def unit_plan(w: GapWorld) -> DevelopmentPlan:
    return DevelopmentPlan.objects.get(unit=w.world.counter_a, year=YEAR)


def agency_plan(w: GapWorld) -> DevelopmentPlan:
    return DevelopmentPlan.objects.get(unit__isnull=True, year=YEAR)


def items(plan: DevelopmentPlan) -> list[tuple[Any, ...]]:
    return [
        (i.rank, i.competency.code, i.step, sorted(e.name for e in i.employees.all()), i.route,
         i.provider, i.month, i.jp, i.budget, i.priority, i.citizens_affected)
        for i in plan.items.select_related("competency")
    ]  # fmt: skip


def test_items_ranked_by_gap_times_citizens(plans: GapWorld) -> None:
    # Only counter A has gaps of a known size: its plan and the agency's.
    assert DevelopmentPlan.objects.filter(year=YEAR).count() == 2
    expected = [
        # Siti 1/3 × 15 requests + Dodi 1 × 15 on the step; two employees: bimbingan teknis
        (1, "verifikasi-dokumen", STEP, ["Dodi", "Siti Rahmawati"], "bimbingan_teknis",
         "BKPSDM", 2, Decimal(16), Decimal(3_000_000), 19.999995, 15),
        # integritas: 1 level short of 2 = 0.5 × 4 requests handled
        (2, "integritas", "", ["Siti Rahmawati"], "coaching", "Atasan langsung", 2,
         Decimal(4), Decimal(0), 2.0, 4),
        # komunikasi: the larger of the target gap (1/3) and the soft-skill gap (0.375) × 4
        (3, "komunikasi", "", ["Siti Rahmawati"], "coaching", "Atasan langsung", 2,
         Decimal(4), Decimal(0), 1.5, 4),
    ]  # fmt: skip
    assert items(unit_plan(plans)) == expected
    assert items(agency_plan(plans)) == expected
    first = unit_plan(plans).items.get(rank=1)
    assert first.service == plans.world.ktp
    assert first.gap_size == pytest.approx((1 / 3 + 1) / 2, abs=1e-6)


def test_months_follow_the_rank(plans: GapWorld, settings: Any) -> None:
    settings.SIGAP = {**settings.SIGAP, "COMPETENCY_AKPK_ITEMS_PER_MONTH": 1}
    plans_generate(YEAR)
    assert [i.month for i in unit_plan(plans).items.all()] == [2, 3, 4]


def test_the_unit_head_approves_before_hr(plans: GapWorld) -> None:
    users = plans.world.users
    plan = unit_plan(plans)
    with pytest.raises(PlanError) as err:
        plan_hr_approve(plan=plan, actor=users["hr"])
    assert err.value.code == "unit_first"
    for who in ("officer_a", "hr", "leadership", "norole"):
        with pytest.raises(PermissionDenied):
            plan_unit_approve(plan=plan, actor=users[who])
    plan = plan_unit_approve(plan=plan, actor=users["head_a"])
    assert (plan.status, plan.unit_approved_by) == ("unit_approved", users["head_a"])
    with pytest.raises(PlanError):
        plan_unit_approve(plan=plan, actor=users["head_a"])
    with pytest.raises(PermissionDenied):
        plan_hr_approve(plan=plan, actor=users["head_a"])
    plan = plan_hr_approve(plan=plan, actor=users["hr"])
    assert (plan.status, plan.hr_approved_by) == ("approved", users["hr"])
    assert list(
        AuditEntry.objects.filter(action__startswith="devplan.")
        .order_by("pk")
        .values_list("action", "unit")
    ) == [
        ("devplan.unit_approve", plans.world.counter_a.pk),
        ("devplan.hr_approve", plans.world.counter_a.pk),
    ]


def test_the_agency_plan_is_approved_by_hr_alone(plans: GapWorld) -> None:
    users = plans.world.users
    plan = agency_plan(plans)
    with pytest.raises(PlanError):
        plan_unit_approve(plan=plan, actor=users["head_a"])
    with pytest.raises(PermissionDenied):
        plan_hr_approve(plan=plan, actor=users["head_a"])
    # Not while a unit's plan of the year is unapproved.
    with pytest.raises(PlanError) as err:
        plan_hr_approve(plan=plan, actor=users["hr"])
    assert err.value.code == "units_first"
    plan_unit_approve(plan=unit_plan(plans), actor=users["head_a"])
    with pytest.raises(PlanError):
        plan_hr_approve(plan=plan, actor=users["hr"])
    plan_hr_approve(plan=unit_plan(plans), actor=users["hr"])
    assert plan_hr_approve(plan=plan, actor=users["hr"]).status == "approved"


def test_the_agency_plan_follows_the_unit_heads_edits(plans: GapWorld) -> None:
    users = plans.world.users
    item = unit_plan(plans).items.get(rank=1)
    plan_item_edit(
        item=item, actor=users["head_a"], route="workshop", provider="BPSDM", month=6,
        jp=Decimal(12), budget=Decimal(2_345_000),
    )  # fmt: skip
    assert items(agency_plan(plans)) == items(unit_plan(plans))
    # The agency plan is changed through the units' plans only.
    with pytest.raises(PermissionDenied):
        plan_item_edit(
            item=agency_plan(plans).items.get(rank=1), actor=users["hr"], route="coaching",
            provider="", month=1, jp=Decimal(1), budget=Decimal(0),
        )  # fmt: skip


def test_the_agency_plan_consolidates_the_units(plans: GapWorld) -> None:
    """Two units' items of the same competency planned alike make one agency item: employees
    united, priority and budget summed; the totals agree."""
    w = plans.world
    source = unit_plan(plans).items.get(rank=2)  # integritas, Siti
    other = DevelopmentPlan.objects.create(
        agency=w.agency, unit=w.puskesmas_b, year=YEAR, generated_at=source.plan.generated_at
    )
    copy = PlanItem.objects.create(
        plan=other, rank=1, competency=source.competency, step="", priority=3.0,
        gap_size=1.0, citizens_affected=3, evidence=[], route=source.route,
        provider=source.provider, month=source.month, jp=source.jp, budget=Decimal(500_000),
    )  # fmt: skip
    copy.employees.add(w.officer_b)
    from sigap.competency.akpk import agency_consolidate

    assert agency_consolidate(w.agency.pk, YEAR) == 3
    merged = agency_plan(plans).items.get(competency=source.competency)
    assert sorted(e.name for e in merged.employees.all()) == ["Dewi Lestari", "Siti Rahmawati"]
    assert merged.priority == pytest.approx(source.priority + 3.0)
    assert merged.budget == source.budget + Decimal(500_000)
    assert merged.rank == 2
    assert sum(i.budget for i in agency_plan(plans).items.all()) == sum(
        i.budget for i in PlanItem.objects.filter(plan__unit__isnull=False, plan__year=YEAR)
    )


def test_regeneration_keeps_approved_plans_and_edited_items(
    plans: GapWorld, engine: Engine
) -> None:
    users = plans.world.users
    edited = unit_plan(plans).items.get(rank=3)  # komunikasi
    plan_item_edit(
        item=edited, actor=users["hr"], route="e_learning", provider="LAN", month=5,
        jp=Decimal(6), budget=Decimal(250_000),
    )  # fmt: skip
    # Siti's integritas reaches the standard: its item goes, the rest is redrafted.
    plans.officers[0].assessments.filter(competency=plans.integritas).update(level=2)
    gaps_refresh(AS_OF, engine=engine)
    result = plans_generate(YEAR)
    assert (result.kept, result.drafted) == (0, 2)
    redrafted = items(unit_plan(plans))
    assert [i[:2] for i in redrafted] == [(1, "verifikasi-dokumen"), (2, "komunikasi")]
    # The edited item keeps what was set, and the agency plan follows.
    assert redrafted[1][4:9] == ("e_learning", "LAN", 5, Decimal(6), Decimal(250_000))
    assert items(agency_plan(plans)) == redrafted
    # An approved unit plan is kept as it is; the agency's draft is consolidated from it.
    approved = plan_unit_approve(plan=unit_plan(plans), actor=users["head_a"])
    before = items(approved)
    ids = list(approved.items.values_list("pk", flat=True))
    plans.officers[0].assessments.filter(competency=plans.integritas).update(level=1)
    gaps_refresh(AS_OF, engine=engine)
    result = plans_generate(YEAR)
    assert (result.kept, result.drafted) == (1, 1)
    assert items(unit_plan(plans)) == before
    assert list(unit_plan(plans).items.values_list("pk", flat=True)) == ids
    assert items(agency_plan(plans)) == before


def test_items_are_edited_only_in_draft_by_the_unit_head_or_hr(plans: GapWorld) -> None:
    users = plans.world.users
    item = unit_plan(plans).items.get(rank=1)
    change = {"route": "workshop", "provider": "BPSDM", "month": 7, "jp": Decimal(10),
              "budget": Decimal(2_000_000)}  # fmt: skip
    for who in ("officer_a", "leadership", "inspector"):
        with pytest.raises(PermissionDenied):
            plan_item_edit(item=item, actor=users[who], **change)
    # The unit head edits a unit item, not an agency one.
    plan_item_edit(item=item, actor=users["head_a"], **change)
    item.refresh_from_db()
    assert (item.route, item.month, item.edited_at is not None) == ("workshop", 7, True)
    entry = AuditEntry.objects.get(action="devplan.item_edit")
    assert entry.data["new"]["route"] == "workshop"
    with pytest.raises(PermissionDenied):
        plan_item_edit(item=agency_plan(plans).items.get(rank=1), actor=users["head_a"], **change)
    plan_unit_approve(plan=unit_plan(plans), actor=users["head_a"])
    with pytest.raises(PlanError):
        plan_item_edit(item=item, actor=users["hr"], **change)
    assert PlanItem.objects.get(pk=item.pk).month == 7


def test_export_layout_in_indonesian(plans: GapWorld) -> None:
    from django.utils import translation

    plan = plan_unit_approve(plan=unit_plan(plans), actor=plans.world.users["head_a"])
    with translation.override("id"):
        data = plan_xlsx(plan)
    ws = load_workbook(io.BytesIO(data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "Analisis Kebutuhan Pengembangan Kompetensi (AKPK) 2027"
    assert rows[1][:2] == ("Instansi", "Kabupaten Contoh")
    assert rows[2][:2] == ("Unit kerja", "Loket A")
    assert rows[3][:2] == ("Tahun", 2027)
    assert rows[4][:2] == ("Status", "Disetujui kepala unit")
    assert rows[5][1].startswith("head_a, ")
    assert rows[6][:2] == ("Disetujui BKPSDM", "—")
    assert rows[8] == (
        "No", "Kompetensi", "Jenis kompetensi", "Pegawai (NIP, nama)", "Jalur pengembangan",
        "Penyelenggara", "Jadwal", "JP", "Anggaran (Rp)", "Dasar (bukti kesenjangan)",
    )  # fmt: skip
    first = rows[9]
    assert first[0] == 1
    assert first[1] == "Verifikasi dokumen kependudukan — Verifikasi berkas (Penerbitan KTP-el)"
    assert first[3].splitlines() == [
        f"{plans.officers[3].nip} Dodi",
        f"{plans.officers[0].nip} Siti Rahmawati",
    ]
    assert first[6] == "Februari 2027"
    assert (first[7], first[8]) == (16, 3_000_000)
    assert "Dodi" in first[9]
    assert rows[-1][0] == "Jumlah"
    assert rows[-1][8] == 3_000_000


def test_an_item_edit_reads_in_words_on_the_audit_trail(plans: GapWorld) -> None:
    from django.utils import translation

    from sigap.audit.labels import action_label, detail_lines

    item = unit_plan(plans).items.get(rank=2)
    plan_item_edit(
        item=item, actor=plans.world.users["head_a"], route="e_learning", provider="LAN",
        month=5, jp=Decimal(4), budget=Decimal(0),
    )  # fmt: skip
    entry = AuditEntry.objects.get(action="devplan.item_edit")
    with translation.override("id"):
        lines = {line.label: line.value for line in detail_lines(entry.action, entry.data)}
        assert action_label(entry.action) == "Butir rencana pengembangan kompetensi (AKPK) diubah"
    assert "Jalur pengembangan: Coaching" in lines["Sebelumnya"]
    assert "Jalur pengembangan: E-learning" in lines["Baru"]
    assert "Penyelenggara: LAN" in lines["Baru"]
    assert "Bulan: 5" in lines["Baru"]


def test_the_roadmap_ranks_gaps_as_the_akpk_does(plans: GapWorld) -> None:
    """One definition: the roadmap's top gaps are the unit plan's first items, each employee
    once per competency and step; the target position's komunikasi gap is left out (the
    soft-skill one alone, 0.375 × 4, ranks below integritas' 0.5 × 4)."""
    from sigap.competency.gaps import unit_top_gaps

    top = unit_top_gaps()[plans.world.counter_a.pk]
    plan = unit_plan(plans)
    assert [(g.competency, g.step, g.officers) for g in top] == [
        (i.competency.name, i.step, i.employees.count()) for i in plan.items.all()[:2]
    ]
    assert [g.returns for g in top] == [True, False]
    everything = unit_top_gaps(limit=5)[plans.world.counter_a.pk]
    assert everything[-1].competency == plans.komunikasi.name
    assert everything[-1].requests == 4
