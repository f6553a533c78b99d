"""`sigap leadership refresh` on the small world of conftest.py: every figure checked by hand."""

from __future__ import annotations

from datetime import UTC
from io import StringIO

import pytest
from django.core.management import call_command

from sigap.leadership.models import (
    RoadmapAction,
    ScorecardRefresh,
    ServiceScorecard,
    UnitScorecard,
)
from sigap.leadership.refresh import leadership_refresh
from sigap.rules.ikm import ELEMENT_CODES
from tests.leadership.conftest import AS_OF, Recorded

pytestmark = pytest.mark.django_db


def _row(unit, label: str) -> UnitScorecard:  # type: ignore[no-untyped-def]
    return UnitScorecard.objects.get(unit=unit, period_label=label)


def test_unit_rows_of_every_period(recorded: Recorded) -> None:
    w = recorded.world
    leadership_refresh(as_of=AS_OF, min_sample=1)
    # Two units with services; months June..October, quarters Q2..Q4, the year: 9 rows each.
    assert UnitScorecard.objects.filter(unit=w.counter_a).count() == 9
    assert UnitScorecard.objects.count() == 18
    july = _row(w.counter_a, "2025-07")
    assert (july.volume, july.digital_requests, july.digital_share) == (4, 2, 0.5)
    assert (july.closed, july.sla_cases, july.sla_met) == (3, 3, 2)
    assert july.sla_share == pytest.approx(2 / 3)
    assert july.first_time_right == 2
    assert july.ftr_share == pytest.approx(2 / 3)
    assert july.lead_wd_median == 4.0
    assert (july.complaints_received, july.complaints, july.complaints_on_time) == (3, 2, 1)
    assert july.complaints_on_time_share == 0.5
    assert july.skm_responses == 2
    assert july.ikm == pytest.approx(84.72)
    assert july.ikm_mutu == "B"
    assert (july.weakest_element, july.weakest_nrr) == (ELEMENT_CODES[2], 2.5)
    assert (july.services, july.services_published, july.standards_published) == (1, 1, 1.0)
    assert july.tracking_share is None  # no /lacak/ look-up recorded yet: not measured
    assert july.transparency_score == pytest.approx(0.75)  # mean of 1.0 and 0.5
    assert july.integrity_signals is None  # no integrity run
    assert july.integrity_rate is None
    assert (july.wbs_cases, july.appraisal_rated, july.appraisal_diff_index) == (0, 0, None)
    assert (july.period_kind, str(july.period_start), str(july.period_end)) == (
        "month",
        "2025-07-01",
        "2025-07-31",
    )
    june = _row(w.counter_a, "2025-06")
    assert (june.volume, june.sla_met, june.sla_cases, june.lead_wd_median) == (1, 1, 1, 1.0)
    quarter = _row(w.counter_a, "2025-Q3")
    assert (quarter.volume, quarter.closed, quarter.sla_met) == (4, 3, 2)
    year = _row(w.counter_a, "2025")
    assert (year.volume, year.closed, year.sla_met, year.lead_wd_median) == (5, 4, 3, 2.5)


def test_trend_is_the_change_from_the_previous_period(recorded: Recorded) -> None:
    leadership_refresh(as_of=AS_OF, min_sample=1)
    july = _row(recorded.world.counter_a, "2025-07")
    assert july.trends["sla_share"] == pytest.approx(2 / 3 - 1, abs=1e-6)
    assert july.trends["lead_wd_median"] == pytest.approx(3.0)
    assert july.trends["volume"] == 3
    assert july.trends["ikm"] is None  # no SKM in June
    june = _row(recorded.world.counter_a, "2025-06")
    assert set(june.trends.values()) == {None}  # the first period has nothing to compare with


def test_rank_among_units_of_the_same_kind(recorded: Recorded) -> None:
    w = recorded.world
    leadership_refresh(as_of=AS_OF, min_sample=1)
    a, b = _row(w.counter_a, "2025-07"), _row(w.puskesmas_b, "2025-07")
    assert (a.peer_group, a.peers, b.peers) == ("unit_layanan", 2, 2)
    # SLA 2/3 against 1/1; first time right 2/3 against 1/1; digital 0.5 against 0.
    assert (a.rank_speed, b.rank_speed) == (2, 1)
    assert (a.rank_accuracy, b.rank_accuracy) == (2, 1)
    assert (a.rank_transparency, b.rank_transparency) == (1, 2)  # 0.75 against 0.5
    # Only counter A has complaints and SKM: ranked alone; Puskesmas B not ranked.
    assert (a.rank_responsiveness, b.rank_responsiveness) == (1, None)
    assert (a.rank_satisfaction, b.rank_satisfaction) == (1, None)
    assert (a.rank_integrity, a.rank_appraisal) == (None, None)


def test_small_samples_are_not_ranked(recorded: Recorded) -> None:
    leadership_refresh(as_of=AS_OF)  # the default minimum: 10 cases
    july = _row(recorded.world.counter_a, "2025-07")
    assert july.sla_share == pytest.approx(2 / 3)  # still shown...
    assert july.rank_speed is None  # ...but 3 cases are not ranked


def test_service_rows(recorded: Recorded) -> None:
    w = recorded.world
    leadership_refresh(as_of=AS_OF, min_sample=1)
    s = ServiceScorecard.objects.get(unit=w.counter_a, service=w.ktp, period_label="2025-07")
    assert (s.volume, s.closed, s.sla_met, s.first_time_right, s.lead_wd_median) == (
        4,
        3,
        2,
        2,
        4.0,
    )
    assert s.late_cases == [recorded.requests["r3"].receipt_code]  # 5 working days, SLA 3
    r = ServiceScorecard.objects.get(service=w.rujukan, period_label="2025-07")
    assert (r.unit, r.volume, r.closed, r.sla_met, r.lead_wd_median) == (
        w.puskesmas_b,
        1,
        1,
        1,
        0.0,
    )


def test_as_of_leaves_out_later_data(recorded: Recorded) -> None:
    from datetime import date

    leadership_refresh(as_of=date(2025, 7, 10), min_sample=1)
    july = _row(recorded.world.counter_a, "2025-07")
    # R3 (finished 14 Jul) and R4 (submitted 14 Jul) are after the day; R2 finished on the 11th.
    assert (july.volume, july.closed) == (3, 1)
    # C2's follow-up is due 16 Jul: not judged yet on 10 Jul; C3 is after the day.
    assert (july.complaints_received, july.complaints, july.complaints_on_time) == (3, 1, 1)
    assert (july.skm_responses, july.ikm) == (0, None)  # the SKM answers came on 15 Jul


def test_refresh_is_idempotent_and_replaces_rows(recorded: Recorded) -> None:
    out = StringIO()
    call_command("leadership", "refresh", "--as-of", AS_OF.isoformat(), stdout=out)
    assert "18 unit rows" in out.getvalue()
    first = list(
        UnitScorecard.objects.order_by("unit_id", "period_kind", "period_label").values(
            "unit_id", "period_label", "volume", "sla_met", "ikm", "trends"
        )
    )
    actions = list(RoadmapAction.objects.values_list("gap_key", flat=True))
    call_command("leadership", "refresh", "--as-of", AS_OF.isoformat(), stdout=out)
    again = list(
        UnitScorecard.objects.order_by("unit_id", "period_kind", "period_label").values(
            "unit_id", "period_label", "volume", "sla_met", "ikm", "trends"
        )
    )
    assert again == first
    assert UnitScorecard.objects.count() == 18
    # No second action for the same gap.
    assert sorted(RoadmapAction.objects.values_list("gap_key", flat=True)) == sorted(actions)
    # Every row belongs to the newest run; the first run is kept only because actions cite it.
    newest = ScorecardRefresh.objects.first()
    assert newest is not None and newest.actions_created == 0
    assert set(UnitScorecard.objects.values_list("refresh", flat=True)) == {newest.pk}
    assert ScorecardRefresh.objects.count() == 2


def test_empty_database_makes_no_rows(db: None) -> None:
    run = leadership_refresh(as_of=AS_OF)
    assert (run.unit_rows, run.service_rows, run.actions_created) == (0, 0, 0)


def test_integrity_whistleblowing_and_appraisal_dimensions(recorded: Recorded) -> None:
    """Counts from the integrity run (its window: July), WBS report dates, yearly SKP ratings."""
    from datetime import date, datetime

    from sigap.appraisals.models import YEARLY, Appraisal, PerformancePlan, Predikat
    from sigap.integrity.models import IntegrityRun, IntegritySignal
    from sigap.whistleblowing.models import Report

    w = recorded.world
    at = datetime(2025, 8, 1, tzinfo=UTC)
    run = IntegrityRun.objects.create(
        started_at=at, finished_at=at, period_start=date(2025, 7, 1), period_end=date(2025, 7, 31)
    )
    for flagged in (True, True, False):
        IntegritySignal.objects.create(
            run=run, kind="overcharge", unit=w.counter_a, flagged=flagged, value=1.0
        )
    Report.objects.create(
        locator="123456",
        receipt_hash="x",
        unit=w.counter_a,
        created_on=date(2025, 7, 20),
        last_activity_on=date(2025, 7, 20),
        delete_after=date(2030, 1, 1),
        content=b"sealed",
    )
    for employee, predikat in ((w.officer_a, Predikat.SANGAT_BAIK), (w.head_a, Predikat.BAIK)):
        plan = PerformancePlan.objects.create(
            employee=employee, unit=w.counter_a, year=2025, period_kind="triwulanan"
        )
        Appraisal.objects.create(
            plan=plan, unit=w.counter_a, period=YEARLY, hasil_kerja="sesuai",
            perilaku_kerja="sesuai", predikat=predikat, status="final", rated_at=at,
            finalised_at=at,
        )  # fmt: skip
    leadership_refresh(as_of=AS_OF, min_sample=1)
    july, june = _row(w.counter_a, "2025-07"), _row(w.counter_a, "2025-06")
    b = _row(w.puskesmas_b, "2025-07")
    # 2 flagged signals over the 4 requests counter A received in the run's window (July).
    assert (july.integrity_signals, july.integrity_rate) == (2, 500.0)
    assert (b.integrity_signals, b.integrity_rate) == (0, 0.0)
    assert (july.rank_integrity, b.rank_integrity) == (2, 1)  # fewer is better
    assert (june.integrity_signals, june.integrity_rate) == (None, None)  # outside the window
    assert (july.wbs_cases, june.wbs_cases, _row(w.counter_a, "2025").wbs_cases) == (1, 0, 1)
    # Two predikat, one each of two: (1 - 0.5) / (1 - 1/5) = 0.625.
    assert (july.appraisal_year, july.appraisal_rated) == (2025, 2)
    assert july.appraisal_diff_index == pytest.approx(0.625)
    assert july.appraisal_inflated is False  # fewer than 3 rated are not judged
