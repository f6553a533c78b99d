"""SKP write functions: happy paths, the 3×3 matrix end to end, and every kind of bad input."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sigap.appraisals import services
from sigap.appraisals.models import (
    Appraisal,
    AppraisalCorrection,
    AppraisalHistory,
    OrgRating,
    PerformancePlan,
    PlanResult,
    PotentialScore,
)
from sigap.audit.models import AuditEntry
from tests.appraisals.conftest import one_result


def test_plan_is_created_with_results_indicators_and_history(plan, skp_world):
    assert plan.unit == skp_world.counter_a
    assert plan.rater == skp_world.head_a
    assert plan.period_kind == "triwulanan"
    (result,) = plan.results.all()
    assert [i.evidence_key for i in result.indicators.all()] == ["sla_share", "throughput"]
    assert plan.history.get().action == "plan.create"


@pytest.mark.parametrize(
    ("results", "message"),
    [
        ([], "at least one result"),
        ([services.ResultInput("Hasil tanpa indikator")], "at least one indicator"),
        ([services.ResultInput("", [services.IndicatorInput("x", "1")])], "empty"),
        ([services.ResultInput("Hasil", [services.IndicatorInput("Indikator", "")])], "target"),
        ([services.ResultInput("Hasil", [services.IndicatorInput("I", "1", "gaji")])], "unknown"),
        (
            [services.ResultInput("Hasil", [services.IndicatorInput("I", "1")], parent_id=999)],
            "cascaded",
        ),
    ],
)
def test_bad_plans_are_refused_with_clear_errors(skp_world, results, message):
    with pytest.raises(ValidationError, match=message):
        services.plan_create(
            employee=skp_world.officer_a,
            year=2025,
            results=results,
            actor=skp_world.users["head_a"],
        )


def test_a_result_cascades_from_the_raters_own_plan(skp_world):
    # Head A's own plan (their rater holds no role in the world, so it is built directly).
    head_plan = PerformancePlan.objects.create(
        employee=skp_world.head_a, unit=skp_world.counter_a, year=2025, period_kind="triwulanan"
    )
    parent = PlanResult.objects.create(plan=head_plan, order=1, text="Layanan adminduk prima")
    result = services.ResultInput(
        "KTP-el terbit tepat waktu", [services.IndicatorInput("SLA", "95%")], parent_id=parent.pk
    )
    plan = services.plan_create(
        employee=skp_world.officer_a, year=2025, results=[result], actor=skp_world.users["head_a"]
    )
    assert plan.results.get().parent == parent


def test_one_plan_per_employee_and_year(plan, skp_world):
    with pytest.raises(ValidationError, match="already has an SKP"):
        services.plan_create(
            employee=skp_world.officer_a,
            year=2025,
            results=[one_result()],
            actor=skp_world.users["head_a"],
        )


@pytest.mark.parametrize("year", [2021, 2101])
def test_year_out_of_range_is_refused(skp_world, year):
    with pytest.raises(ValidationError, match="year"):
        services.plan_create(
            employee=skp_world.officer_a,
            year=year,
            results=[one_result()],
            actor=skp_world.users["head_a"],
        )


@pytest.mark.parametrize("persona", ["officer_a", "officer_b", "hr", "leadership", "norole"])
def test_only_the_unit_head_may_plan_and_rate(skp_world, persona):
    with pytest.raises(PermissionDenied):
        services.plan_create(
            employee=skp_world.officer_a,
            year=2025,
            results=[one_result()],
            actor=skp_world.users[persona],
        )


def test_rating_someone_outside_ones_scope_is_denied(skp_world):
    with pytest.raises(PermissionDenied):
        services.plan_create(
            employee=skp_world.officer_b,
            year=2025,
            results=[one_result()],
            actor=skp_world.users["head_a"],
        )


def test_nobody_rates_themselves(skp_world):
    with pytest.raises(PermissionDenied, match="own"):
        services.plan_create(
            employee=skp_world.head_a,
            year=2025,
            results=[one_result()],
            actor=skp_world.users["head_a"],
        )


MATRIX = [
    ("di_atas", "di_bawah", "kurang"),
    ("di_atas", "sesuai", "baik"),
    ("di_atas", "di_atas", "sangat_baik"),
    ("sesuai", "di_bawah", "kurang"),
    ("sesuai", "sesuai", "baik"),
    ("sesuai", "di_atas", "baik"),
    ("di_bawah", "di_bawah", "sangat_kurang"),
    ("di_bawah", "sesuai", "butuh_perbaikan"),
    ("di_bawah", "di_atas", "butuh_perbaikan"),
]


@pytest.mark.parametrize(("hasil", "perilaku", "expected"), MATRIX)
def test_rating_stores_the_matrix_predikat(plan, skp_world, hasil, perilaku, expected):
    appraisal = services.appraisal_rate(
        plan=plan,
        period=0,
        hasil_kerja=hasil,
        perilaku_kerja=perilaku,
        actor=skp_world.users["head_a"],
    )
    assert appraisal.predikat == expected
    assert appraisal.status == "draft"


@pytest.mark.parametrize(("hasil", "perilaku"), [("baik", "sesuai"), ("sesuai", "5"), ("", "")])
def test_a_rating_outside_the_matrix_is_refused(plan, skp_world, hasil, perilaku):
    with pytest.raises(ValidationError, match="above expectations"):
        services.appraisal_rate(
            plan=plan,
            period=0,
            hasil_kerja=hasil,
            perilaku_kerja=perilaku,
            actor=skp_world.users["head_a"],
        )
    assert not Appraisal.objects.exists()


@pytest.mark.parametrize(("period", "ok"), [(0, True), (1, True), (4, True), (5, False)])
def test_periods_follow_the_plans_period_kind(plan, skp_world, period, ok):
    call = lambda: services.appraisal_rate(  # noqa: E731
        plan=plan,
        period=period,
        hasil_kerja="sesuai",
        perilaku_kerja="sesuai",
        actor=skp_world.users["head_a"],
    )
    if ok:
        assert call().period == period
    else:
        with pytest.raises(ValidationError, match="does not exist"):
            call()


def test_a_draft_can_be_rated_again_and_history_keeps_both(plan, skp_world):
    head = skp_world.users["head_a"]
    services.appraisal_rate(
        plan=plan, period=0, hasil_kerja="sesuai", perilaku_kerja="sesuai", actor=head
    )
    again = services.appraisal_rate(
        plan=plan, period=0, hasil_kerja="di_atas", perilaku_kerja="di_atas", actor=head
    )
    assert again.predikat == "sangat_baik"
    rows = list(
        AppraisalHistory.objects.filter(action="appraisal.rate").values_list("detail", flat=True)
    )
    assert rows[1]["old"] == ["sesuai", "sesuai", "baik"]


@pytest.fixture
def final(plan, skp_world):
    return services.appraisal_rate(
        plan=plan,
        period=0,
        hasil_kerja="di_atas",
        perilaku_kerja="di_atas",
        actor=skp_world.users["head_a"],
        finalise=True,
    )


def test_editing_a_final_appraisal_is_refused(final, plan, skp_world):
    with pytest.raises(ValidationError, match="final"):
        services.appraisal_rate(
            plan=plan,
            period=0,
            hasil_kerja="sesuai",
            perilaku_kerja="sesuai",
            actor=skp_world.users["head_a"],
        )
    final.refresh_from_db()
    assert final.predikat == "sangat_baik"
    with pytest.raises(ValidationError, match="final"):
        services.plan_add_result(plan=plan, result=one_result(), actor=skp_world.users["head_a"])


def test_a_final_appraisal_changes_only_through_a_reasoned_correction(final, skp_world):
    correction = services.appraisal_correct(
        appraisal=final,
        hasil_kerja="sesuai",
        perilaku_kerja="di_atas",
        reason="Target SLA tidak tercapai menurut data layanan.",
        actor=skp_world.users["head_a"],
    )
    final.refresh_from_db()
    assert (final.predikat, final.status) == ("baik", "final")
    assert (correction.old_predikat, correction.new_predikat) == ("sangat_baik", "baik")
    assert correction.by == skp_world.users["head_a"] and correction.kind == "correction"
    assert final.history.filter(action="appraisal.correction").exists()
    assert AuditEntry.objects.filter(action="appraisal.correction").exists()


@pytest.mark.parametrize(
    ("reason", "hasil", "message"),
    [
        ("ok", "sesuai", "reason"),
        ("Alasan yang cukup panjang.", "di_atas", "same"),
        ("Alasan yang cukup panjang.", "luar_biasa", "above expectations"),
    ],
)
def test_bad_corrections_are_refused(final, skp_world, reason, hasil, message):
    with pytest.raises(ValidationError, match=message):
        services.appraisal_correct(
            appraisal=final,
            hasil_kerja=hasil,
            perilaku_kerja="di_atas",
            reason=reason,
            actor=skp_world.users["head_a"],
        )
    assert not AppraisalCorrection.objects.exists()


def test_a_draft_is_not_corrected_but_rated_again(plan, skp_world):
    draft = services.appraisal_rate(
        plan=plan,
        period=0,
        hasil_kerja="sesuai",
        perilaku_kerja="sesuai",
        actor=skp_world.users["head_a"],
    )
    with pytest.raises(ValidationError, match="draft"):
        services.appraisal_correct(
            appraisal=draft,
            hasil_kerja="di_atas",
            perilaku_kerja="sesuai",
            reason="Perlu dikoreksi karena data.",
            actor=skp_world.users["head_a"],
        )


def test_hr_calibration_needs_hr_and_a_reason(final, skp_world):
    with pytest.raises(PermissionDenied):
        services.appraisal_correct(
            appraisal=final,
            hasil_kerja="sesuai",
            perilaku_kerja="sesuai",
            reason="Kalibrasi unit: bukti lemah.",
            actor=skp_world.users["head_a"],
            kind="calibration",
        )
    correction = services.appraisal_correct(
        appraisal=final,
        hasil_kerja="sesuai",
        perilaku_kerja="sesuai",
        reason="Kalibrasi unit: bukti lemah.",
        actor=skp_world.users["hr"],
        kind="calibration",
    )
    assert correction.kind == "calibration" and correction.new_predikat == "baik"
    assert AuditEntry.objects.filter(action="appraisal.calibration").exists()


def test_org_rating_is_set_by_hr_only(skp_world):
    with pytest.raises(PermissionDenied):
        services.org_rating_set(
            unit=skp_world.counter_a, year=2025, predikat="baik", actor=skp_world.users["head_a"]
        )
    with pytest.raises(ValidationError):
        services.org_rating_set(
            unit=skp_world.counter_a, year=2025, predikat="luar_biasa", actor=skp_world.users["hr"]
        )
    services.org_rating_set(
        unit=skp_world.counter_a, year=2025, predikat="baik", actor=skp_world.users["hr"]
    )
    services.org_rating_set(
        unit=skp_world.counter_a, year=2025, predikat="istimewa", actor=skp_world.users["hr"]
    )
    assert OrgRating.objects.get().predikat == "istimewa"


# --- potential import -------------------------------------------------------------------------


def _csv(world, *lines: str) -> str:
    a, b = world.officer_a.nip, world.officer_b.nip
    return "\n".join(line.format(a=a, b=b) for line in lines)


def test_potential_import_happy_path(skp_world):
    text = _csv(skp_world, "nip;score;source", "{a};91,5;Assessment center", "{b};70;")
    assert services.potential_import(text=text, year=2025, actor=skp_world.users["hr"]) == 2
    assert PotentialScore.objects.get(employee=skp_world.officer_a).score == 91.5


@pytest.mark.parametrize(
    ("lines", "errors"),
    [
        (("nip,score", "{a},101", "{b},70"), ["line 2: the score “101” is not a number"]),
        (("nip,score", "{a},-1", "{b},abc"), ["line 2:", "line 3:"]),
        (("nip,score", "{a},80", "{a},81"), ["line 3: NIP {a} already on line 2"]),
        (("nip,score", "199001012020011999,80"), ["line 2: unknown NIP"]),
        (("nip,nilai", "{a},80"), ["line 1: missing column(s) score"]),
        ((), ["line 1:"]),
    ],
)
def test_potential_import_is_all_or_nothing_with_line_numbers(skp_world, lines, errors):
    with pytest.raises(services.ImportFailed) as exc:
        services.potential_import(
            text=_csv(skp_world, *lines), year=2025, actor=skp_world.users["hr"]
        )
    got = exc.value.lines
    assert len(got) == len(errors)
    for line, expected in zip(got, errors, strict=True):
        assert line.startswith(expected.format(a=skp_world.officer_a.nip))
    assert not PotentialScore.objects.exists()


def test_potential_import_outside_scope_names_the_nip_unknown(skp_world):
    from sigap.accounts.models import Role
    from tests import factories

    hr_dinkes = factories.user("hr_dinkes", Role.HR, skp_world.dinkes)  # HR of another OPD
    with pytest.raises(services.ImportFailed, match="unknown NIP"):
        services.potential_import(
            text=_csv(skp_world, "nip,score", "{a},80"), year=2025, actor=hr_dinkes
        )


def test_potential_import_by_someone_without_hr_role_is_refused_in_the_service(skp_world):
    # The write function authorises itself: a command or API call cannot skip the view's gate.
    with pytest.raises(PermissionDenied):
        services.potential_import(
            text=_csv(skp_world, "nip,score", "{a},80"), year=2025, actor=skp_world.users["head_a"]
        )
    assert not PotentialScore.objects.exists()


# --- absence ----------------------------------------------------------------------------------


def test_absence_is_recorded_on_working_days_only(skp_world):
    from datetime import date

    hr = skp_world.users["hr"]
    services.absence_record(employee=skp_world.officer_a, day=date(2025, 8, 4), actor=hr)
    with pytest.raises(ValidationError, match="already"):
        services.absence_record(employee=skp_world.officer_a, day=date(2025, 8, 4), actor=hr)
    with pytest.raises(ValidationError, match="not a working day"):
        services.absence_record(employee=skp_world.officer_a, day=date(2025, 8, 9), actor=hr)
    with pytest.raises(ValidationError, match="advance"):
        services.absence_record(employee=skp_world.officer_a, day=date(2100, 8, 4), actor=hr)
    with pytest.raises(PermissionDenied):
        services.absence_record(
            employee=skp_world.officer_a, day=date(2025, 8, 5), actor=skp_world.users["head_a"]
        )


def test_a_draft_is_finalised_once_and_then_locked(plan, skp_world):
    head = skp_world.users["head_a"]
    draft = services.appraisal_rate(
        plan=plan, period=2, hasil_kerja="sesuai", perilaku_kerja="di_atas", actor=head
    )
    final = services.appraisal_finalise(appraisal=draft, actor=head)
    assert final.is_final and final.finalised_at is not None
    with pytest.raises(ValidationError, match="already final"):
        services.appraisal_finalise(appraisal=final, actor=head)
    assert AuditEntry.objects.filter(action="appraisal.finalise").count() == 1


def test_results_are_added_in_order(plan, skp_world):
    added = services.plan_add_result(
        plan=plan, result=one_result("Arsip kependudukan tertata"), actor=skp_world.users["head_a"]
    )
    assert added.order == 2
    assert [h.action for h in plan.history.all()] == ["plan.create", "plan.add_result"]
    with pytest.raises(ValidationError, match="Result 3: a result needs at least one indicator"):
        services.plan_add_result(
            plan=plan,
            result=services.ResultInput("Tanpa indikator"),
            actor=skp_world.users["head_a"],
        )
