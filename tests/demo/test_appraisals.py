"""The demo extension on the small world: complete, consistent with the rules, deterministic."""

from __future__ import annotations

from sigap.appraisals.models import YEARLY, AbsenceRecord, Appraisal, PerformancePlan
from sigap.appraisals.selectors import discipline_overview
from sigap.demo.appraisals import build_appraisals, wipe_appraisals
from sigap.rules.skp import predikat
from tests import factories
from tests.appraisals.test_evidence import _finish
from tests.conftest import local


def _ratings() -> list[tuple[str, int, str]]:
    return list(
        Appraisal.objects.order_by("plan__employee__nip", "period").values_list(
            "plan__employee__nip", "period", "predikat"
        )
    )


def test_every_employee_gets_a_plan_and_final_ratings_following_the_matrix(world):
    summary = build_appraisals(seed=7, year=2025, agency=world.agency)
    assert summary.plans == PerformancePlan.objects.count() == 3
    assert summary.appraisals == 3 * 5  # 4 quarters + the year
    for a in Appraisal.objects.all():
        assert a.predikat == predikat(a.hasil_kerja, a.perilaku_kerja).value
        assert a.is_final
    for plan in PerformancePlan.objects.all():
        assert plan.results.exists()
        assert all(r.indicators.exists() for r in plan.results.all())


def test_same_seed_same_data(world):
    build_appraisals(seed=7, year=2025, agency=world.agency)
    first = _ratings()
    wipe_appraisals(agency_ids=[world.agency.pk])
    assert not PerformancePlan.objects.exists()
    build_appraisals(seed=7, year=2025, agency=world.agency)
    assert _ratings() == first


def test_planted_absences_reach_the_discipline_ladder(world):
    summary = build_appraisals(seed=7, year=2025, agency=world.agency)
    assert AbsenceRecord.objects.count() == summary.absences > 0
    rows = discipline_overview(world.users["hr"], 2025)
    assert any(r.sanction and r.sanction.code == "pdhtaps" and r.consecutive == 10 for r in rows)


def test_the_weakest_service_unit_is_planted_with_inflated_ratings(world):
    request = factories.submit(world, at=local(2025, 4, 1, 8), officer=world.officer_a)
    _finish(world, request, world.officer_a, 2)
    summary = build_appraisals(seed=7, year=2025, agency=world.agency, min_unit_size=1)
    assert summary.evidence == 1
    assert summary.inflated_units == ["Loket A"]
    yearly = Appraisal.objects.filter(period=YEARLY, unit=world.counter_a)
    assert set(yearly.values_list("predikat", flat=True)) <= {"sangat_baik", "baik"}
