"""Integrity next to the rating (issue #12, point 5): the selector, the justification rule in
the write functions, the pages, and authorisation inside every appraisal write function.

Personas (tests/conftest.py `world`, tests/appraisals/conftest.py `skp_world`): officer A at
counter A, rated by head A (unit head); HR, the inspector and leadership hold the whole pemda.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sigap.accounts.models import Role
from sigap.accounts.services import seed_role_assignment
from sigap.analytics.integrity import Thresholds
from sigap.appraisals import services
from sigap.appraisals.integrity_record import integrity_records
from sigap.appraisals.models import Appraisal, AppraisalHistory, PerformancePlan
from sigap.audit.models import AuditEntry
from sigap.integrity.services import signal_decide
from tests import factories
from tests.appraisals.conftest import one_result, overcharge_signal

YEAR = date(2025, 1, 1), date(2025, 12, 31)
DECISION = "Kuitansi dan pernyataan warga cocok: pungutan terbukti."
WHY = "Capaian layanan sangat tinggi; pungutan dikembalikan dan petugas dibina."


@pytest.fixture
def sangat_baik(plan: PerformancePlan, skp_world: factories.World):
    """The demo's case: officer A rated Sangat Baik (final) for 2025 by head A, then 77
    overcharge cases in March 2025 flagged by the Inspektorat's refresh."""
    services.appraisal_rate(
        plan=plan,
        period=0,
        hasil_kerja="di_atas",
        perilaku_kerja="di_atas",
        actor=skp_world.users["head_a"],
        finalise=True,
    )
    return overcharge_signal(skp_world, 77)


def _confirm(world, signal):  # type: ignore[no-untyped-def]
    return signal_decide(
        signal=signal, outcome="confirmed", reason=DECISION, actor=world.users["inspector"]
    )


def _hr_inspector(world):  # type: ignore[no-untyped-def]
    """HR who is also an inspector of the whole pemda: may open the integrity pages."""
    user = factories.user("hr_inspektur", Role.HR, world.root)
    seed_role_assignment(user=user, role=Role.INSPECTOR, unit=world.root)
    return user


# --- the selector -------------------------------------------------------------------------------


def test_open_flags_by_kind_with_the_undecided_cases(skp_world, sangat_baik):
    record = integrity_records([skp_world.officer_a.pk, skp_world.head_a.pk], *YEAR)
    mine = record[skp_world.officer_a.pk]
    flags = {f.kind: f for f in mine.flags}
    assert set(flags) == {"overcharge", "officer_risk"}
    assert flags["overcharge"].cases == 77 and flags["overcharge"].score is None
    assert flags["officer_risk"].score == 77 * Thresholds().weight_overcharge
    assert mine.findings == () and not mine.clean
    assert record[skp_world.head_a.pk].clean  # nothing about head A
    assert str(flags["overcharge"].label) == "Overcharge (pungutan di luar ketentuan)"


def test_a_period_the_run_does_not_touch_has_no_flags(skp_world, sangat_baik):
    for start, end in [(date(2024, 1, 1), date(2024, 12, 31)), (date(2025, 7, 1), YEAR[1])]:
        assert integrity_records([skp_world.officer_a.pk], start, end)[skp_world.officer_a.pk].clean


def test_a_run_across_two_skp_years_counts_each_year_its_own_cases(skp_world):
    """As on the demo: a rolling run (here December 2025 to January 2026) against the SKP's
    calendar year. Officer A overcharged twice in December and three times in January."""
    from sigap.integrity.services import integrity_refresh
    from tests.conftest import local

    for at in [local(2025, 12, d) for d in (8, 9)] + [local(2026, 1, d) for d in (5, 6, 7)]:
        sr = factories.submit(skp_world, at=at, officer=skp_world.officer_a)
        factories.pay(skp_world, sr, 50_000)  # a reconciled kuitansi: evidence, not typing
    signal = integrity_refresh(since=date(2025, 12, 1), until=date(2026, 1, 31)).signal_rows.get(
        kind="overcharge"
    )
    officer = skp_world.officer_a.pk

    def overcharge(year: int) -> list[int]:
        record = integrity_records([officer], date(year, 1, 1), date(year, 12, 31))[officer]
        return [f.cases for f in record.flags if f.kind == "overcharge"]

    assert (overcharge(2025), overcharge(2026)) == ([2], [3])
    decision = _confirm(skp_world, signal)
    assert (decision.period_start, decision.period_end) == (date(2025, 12, 8), date(2026, 1, 7))
    # the finding spans both years: a Sangat Baik in either needs its justification
    for year in (2025, 2026):
        assert (
            integrity_records([officer], date(year, 1, 1), date(year, 12, 31))[officer].confirmed
            == 1
        )


def test_a_confirmed_signal_becomes_a_finding_and_closes_its_flags(skp_world, sangat_baik):
    _confirm(skp_world, sangat_baik)
    record = integrity_records([skp_world.officer_a.pk], *YEAR)[skp_world.officer_a.pk]
    # the officer-risk score rests only on these cases: decided with them
    assert record.flags == ()
    (finding,) = record.findings
    assert (finding.kind, finding.cases, finding.period_start) == (
        "overcharge",
        77,
        date(2025, 3, 3),
    )
    assert finding.reason is None  # a system reader sees no detail


def test_a_dismissed_signal_is_neither_flag_nor_finding(skp_world, sangat_baik):
    signal_decide(
        signal=sangat_baik, outcome="dismissed", reason=DECISION, actor=skp_world.users["inspector"]
    )
    assert integrity_records([skp_world.officer_a.pk], *YEAR)[skp_world.officer_a.pk].clean


def test_who_sees_what(skp_world, sangat_baik):
    _confirm(skp_world, sangat_baik)
    overcharge_signal(skp_world, 3)  # a refresh finds 3 more cases: an open flag again
    officer = skp_world.officer_a.pk
    hr = integrity_records([officer], *YEAR, viewer=skp_world.users["hr"])[officer]
    assert [f.cases for f in hr.flags if f.kind == "overcharge"] == [3]
    assert all(f.signal_id is None for f in hr.flags) and hr.findings[0].reason is None
    both = integrity_records([officer], *YEAR, viewer=_hr_inspector(skp_world))[officer]
    assert all(f.signal_id for f in both.flags) and both.findings[0].reason == DECISION
    own = integrity_records([officer], *YEAR, viewer=skp_world.users["officer_a"])[officer]
    assert (own.flags, own.flags_shown, own.confirmed) == ((), False, 1)


def test_the_selector_reads_in_a_fixed_number_of_queries(
    skp_world, sangat_baik, django_assert_max_num_queries
):
    _confirm(skp_world, sangat_baik)
    for n in range(5):
        factories.employee(skp_world.counter_a, f"Pegawai {n}", skp_world.officer_a.position)
    viewer = skp_world.users["hr"]
    ids = list(skp_world.counter_a.employees.values_list("pk", flat=True))
    with django_assert_max_num_queries(4):  # decisions, signals, users, the viewer's roles
        integrity_records(ids, *YEAR, viewer=viewer)


# --- the justification rule ---------------------------------------------------------------------


def _rate(plan, world, period=0, **kw):  # type: ignore[no-untyped-def]
    return services.appraisal_rate(
        plan=plan,
        period=period,
        hasil_kerja="di_atas",
        perilaku_kerja="di_atas",
        actor=world.users["head_a"],
        **kw,
    )


def test_not_required_without_a_confirmed_finding(plan, skp_world):
    overcharge_signal(skp_world, 77)  # open flags alone do not need a justification
    appraisal = _rate(plan, skp_world)
    assert appraisal.predikat == "sangat_baik" and appraisal.integrity_justification == ""


def test_required_for_sangat_baik_with_a_confirmed_finding_in_the_period(plan, skp_world):
    _confirm(skp_world, overcharge_signal(skp_world, 77))
    with pytest.raises(ValidationError) as exc:
        _rate(plan, skp_world, justification="ok")
    assert list(exc.value.message_dict) == ["justification"]
    assert not Appraisal.objects.exists()
    # not for Baik, nor for a quarter the finding does not touch (March is in quarter 1)
    baik = services.appraisal_rate(
        plan=plan,
        period=0,
        hasil_kerja="sesuai",
        perilaku_kerja="di_atas",
        actor=skp_world.users["head_a"],
    )
    assert baik.predikat == "baik"
    assert _rate(plan, skp_world, period=3).integrity_justification == ""
    with pytest.raises(ValidationError, match="justification"):
        _rate(plan, skp_world, period=1)


def test_the_justification_is_stored_kept_in_history_and_audited(plan, skp_world):
    _confirm(skp_world, overcharge_signal(skp_world, 77))
    appraisal = _rate(plan, skp_world, justification=f"  {WHY} ", finalise=True)
    appraisal.refresh_from_db()
    assert appraisal.integrity_justification == WHY
    history = AppraisalHistory.objects.get(appraisal=appraisal, action="appraisal.rate")
    assert history.detail["justification"] == WHY
    entry = AuditEntry.objects.get(action="appraisal.integrity_justification")
    assert (
        entry.object_id == str(appraisal.pk) and entry.actor_user_id == skp_world.users["head_a"].pk
    )
    assert entry.data["predikat"] == "sangat_baik" and WHY not in str(entry.data)


def test_hr_calibration_to_sangat_baik_needs_it_too(plan, skp_world):
    draft = services.appraisal_rate(
        plan=plan,
        period=0,
        hasil_kerja="sesuai",
        perilaku_kerja="sesuai",
        actor=skp_world.users["head_a"],
    )
    _confirm(skp_world, overcharge_signal(skp_world, 77))
    calibrate = dict(
        appraisal=draft,
        hasil_kerja="di_atas",
        perilaku_kerja="di_atas",
        reason="Kalibrasi terhadap bukti layanan",
        actor=skp_world.users["hr"],
        kind="calibration",
    )
    with pytest.raises(ValidationError) as exc:
        services.appraisal_correct(**calibrate)
    assert "justification" in exc.value.message_dict
    draft.refresh_from_db()
    assert draft.predikat == "baik"
    services.appraisal_correct(**calibrate, justification=WHY)
    draft.refresh_from_db()
    assert (draft.predikat, draft.integrity_justification) == ("sangat_baik", WHY)
    assert AuditEntry.objects.filter(action="appraisal.integrity_justification").count() == 1
    # back to Baik: the justification no longer applies
    services.appraisal_correct(**{**calibrate, "hasil_kerja": "sesuai"})
    draft.refresh_from_db()
    assert draft.integrity_justification == ""


def test_finalising_a_sangat_baik_drafted_before_the_decision_asks_for_it(plan, skp_world):
    draft = _rate(plan, skp_world)
    _confirm(skp_world, overcharge_signal(skp_world, 77))
    with pytest.raises(ValidationError, match="justification"):
        services.appraisal_finalise(appraisal=draft, actor=skp_world.users["head_a"])
    final = services.appraisal_finalise(
        appraisal=draft, actor=skp_world.users["head_a"], justification=WHY
    )
    assert final.is_final and final.integrity_justification == WHY


# --- authorisation inside the write functions ---------------------------------------------------


def _calls(world, plan):  # type: ignore[no-untyped-def]
    appraisal = _rate(plan, world)
    return {
        "plan_create": lambda actor: services.plan_create(
            employee=world.officer_a, year=2026, results=[one_result()], actor=actor
        ),
        "plan_add_result": lambda actor: services.plan_add_result(
            plan=plan, result=one_result(), actor=actor
        ),
        "appraisal_rate": lambda actor: services.appraisal_rate(
            plan=plan, period=1, hasil_kerja="sesuai", perilaku_kerja="sesuai", actor=actor
        ),
        "appraisal_finalise": lambda actor: services.appraisal_finalise(
            appraisal=appraisal, actor=actor
        ),
        "appraisal_calibrate": lambda actor: services.appraisal_correct(
            appraisal=appraisal,
            hasil_kerja="sesuai",
            perilaku_kerja="sesuai",
            reason="Kalibrasi terhadap bukti",
            actor=actor,
            kind="calibration",
        ),
        "org_rating_set": lambda actor: services.org_rating_set(
            unit=world.counter_a, year=2025, predikat="baik", actor=actor
        ),
        "potential_import": lambda actor: services.potential_import(
            text=f"nip,score\n{world.officer_a.nip},80\n", year=2025, actor=actor
        ),
        "absence_record": lambda actor: services.absence_record(
            employee=world.officer_a, day=date(2025, 8, 4), actor=actor
        ),
    }


RATER_ONLY = ["plan_create", "plan_add_result", "appraisal_rate", "appraisal_finalise"]
HR_ONLY = ["appraisal_calibrate", "org_rating_set", "potential_import", "absence_record"]


@pytest.mark.parametrize(
    ("call", "persona"),
    [(c, p) for c in RATER_ONLY for p in ("officer_a", "hr", "leadership", "inspector")]
    + [(c, p) for c in HR_ONLY for p in ("head_a", "officer_a", "leadership", "inspector")],
)
def test_a_direct_call_without_the_right_is_refused(plan, skp_world, call, persona):
    """As from a command or the API: no view in front, the write function itself refuses."""
    calls = _calls(skp_world, plan)
    before = AuditEntry.objects.count(), AppraisalHistory.objects.count()
    with pytest.raises(PermissionDenied):
        calls[call](skp_world.users[persona])
    assert (AuditEntry.objects.count(), AppraisalHistory.objects.count()) == before


def test_the_stored_unit_decides_not_the_callers_copy(plan, skp_world):
    """A caller's stale or altered object cannot move an employee into the actor's scope."""
    officer_b = skp_world.officer_b
    officer_b.unit = skp_world.counter_a  # in memory only; officer B works at Puskesmas B
    with pytest.raises(PermissionDenied):
        services.plan_create(
            employee=officer_b, year=2025, results=[one_result()], actor=skp_world.users["head_a"]
        )
    assert not PerformancePlan.objects.filter(employee=officer_b).exists()


# --- the pages ----------------------------------------------------------------------------------


def test_calibration_shows_the_77_flags_next_to_the_sangat_baik(client, skp_world, sangat_baik):
    client.force_login(skp_world.users["hr"])
    response = client.get("/kinerja/kalibrasi/?tahun=2025")
    (person,) = response.context["cal"].integrity
    assert (person.name, person.predikat) == ("Siti Rahmawati", "sangat_baik")
    html = response.content.decode()
    row = html.split("Siti Rahmawati</a>", 1)[1].split("</tr>", 1)[0]
    assert "Sangat Baik" in row
    assert "Open flag: Overcharge (pungutan di luar ketentuan), 77 cases" in row
    assert "/inspektorat/sinyal/" not in html  # HR may not read integrity details: counts only


def test_calibration_in_indonesian_with_a_link_for_whoever_may_open_the_signal(
    client, skp_world, sangat_baik, settings
):
    settings.LANGUAGE_CODE = "id"
    client.force_login(_hr_inspector(skp_world))
    html = client.get("/kinerja/kalibrasi/?tahun=2025").content.decode()
    assert "Tanda terbuka: Pungutan di luar ketentuan, 77 kasus" in html
    assert f"/inspektorat/sinyal/{sangat_baik.pk}/" in html


def test_a_missing_justification_is_named_in_indonesian_on_the_calibration_page(
    client, skp_world, plan, settings
):
    settings.LANGUAGE_CODE = "id"
    draft = services.appraisal_rate(
        plan=plan,
        period=0,
        hasil_kerja="sesuai",
        perilaku_kerja="sesuai",
        actor=skp_world.users["head_a"],
    )
    _confirm(skp_world, overcharge_signal(skp_world, 77))
    client.force_login(skp_world.users["hr"])
    response = client.post(
        "/kinerja/kalibrasi/sesuaikan/",
        {
            "appraisal": draft.pk,
            "kind": "calibration",
            "hasil_kerja": "di_atas",
            "perilaku_kerja": "di_atas",
            "reason": "Kalibrasi terhadap bukti layanan",
        },
    )
    html = client.get(response["Location"]).content.decode()
    assert "Justifikasi: Inspektorat telah mengonfirmasi 1 temuan integritas" in html
    draft.refresh_from_db()
    assert draft.predikat == "baik"


def test_the_justification_is_shown_on_calibration_and_the_skp_page(client, skp_world, plan):
    _confirm(skp_world, overcharge_signal(skp_world, 77))
    _rate(plan, skp_world, justification=WHY, finalise=True)
    client.force_login(skp_world.users["hr"])
    html = client.get("/kinerja/kalibrasi/?tahun=2025").content.decode()
    assert (
        WHY in html
        and "Confirmed finding: Overcharge (pungutan di luar ketentuan), 77 cases" in html
    )
    client.force_login(skp_world.users["head_a"])
    page = client.get(f"/kinerja/pegawai/{skp_world.officer_a.pk}/2025/").content.decode()
    assert WHY in page and "Confirmed finding" in page and DECISION not in page


def test_a_sangat_baik_rated_before_the_decision_is_marked_unjustified(
    client, skp_world, sangat_baik
):
    _confirm(skp_world, sangat_baik)
    client.force_login(skp_world.users["hr"])
    response = client.get("/kinerja/kalibrasi/?tahun=2025")
    (person,) = response.context["cal"].integrity
    assert person.unjustified
    assert "missing: rated before the Inspektorat" in response.content.decode()


def test_the_skp_page_shows_the_rater_the_flags_but_not_the_officer(client, skp_world, sangat_baik):
    url = f"/kinerja/pegawai/{skp_world.officer_a.pk}/2025/"
    client.force_login(skp_world.users["head_a"])
    assert "77 cases" in client.get(url).content.decode()
    client.force_login(skp_world.users["officer_a"])
    own = client.get(url).content.decode()
    assert "77 cases" not in own and "Open flag" not in own
    assert "No confirmed integrity findings in the period." in own


def test_the_nine_box_shows_the_flags_and_findings(client, skp_world, sangat_baik):
    _confirm(skp_world, sangat_baik)
    services.potential_import(
        text=f"nip,score\n{skp_world.officer_a.nip},95\n", year=2025, actor=skp_world.users["hr"]
    )
    client.force_login(skp_world.users["leadership"])
    response = client.get("/kinerja/talenta/?tahun=2025")
    (person,) = response.context["grid"].with_integrity
    assert person.box == 9 and person.integrity.confirmed == 1
    html = response.content.decode()
    assert "1 confirmed finding" in html
    assert "Confirmed finding: Overcharge (pungutan di luar ketentuan), 77 cases" in html
