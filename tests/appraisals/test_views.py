"""SKP pages end to end: plan, rate, lock, correct, calibrate, 9-box, import, exports."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from sigap.appraisals import services
from sigap.appraisals.models import (
    Appraisal,
    AppraisalCorrection,
    EvidenceSnapshot,
    PerformancePlan,
    PotentialScore,
)
from sigap.organisation.models import Employee
from sigap.web import formatting
from tests import factories
from tests.pdf_text import pdf_text

BASE = "/kinerja/pegawai/{}/2025/"


def _login(client, world, persona):
    client.force_login(world.users[persona])
    return client


def _plan_post(client, employee):
    return client.post(
        BASE.format(employee.pk) + "rencana/",
        {
            "text": "KTP-el terbit tepat waktu",
            "indicator_1": "Persentase dalam SLA",
            "target_1": "≥ 95%",
            "evidence_1": "sla_share",
        },
    )


def test_the_rater_plans_rates_and_locks(client, skp_world):
    _login(client, skp_world, "head_a")
    assert _plan_post(client, skp_world.officer_a).status_code == 302
    plan = PerformancePlan.objects.get(employee=skp_world.officer_a)
    response = client.post(
        BASE.format(skp_world.officer_a.pk) + "nilai/",
        {
            "period": 0,
            "hasil_kerja": "di_atas",
            "perilaku_kerja": "di_atas",
            "finalise": "on",
            "note_akuntabel": "Jujur dan cermat",
        },
    )
    assert response.status_code == 302
    appraisal = Appraisal.objects.get(plan=plan, period=0)
    assert (appraisal.predikat, appraisal.status) == ("sangat_baik", "final")
    assert appraisal.behaviour_notes == {"akuntabel": "Jujur dan cermat"}
    page = client.get(BASE.format(skp_world.officer_a.pk))
    assert b"Sangat Baik" in page.content and b"Correct the final yearly rating" in page.content


def test_a_plan_without_indicators_is_refused_on_the_page(client, skp_world):
    _login(client, skp_world, "head_a")
    response = client.post(BASE.format(skp_world.officer_a.pk) + "rencana/", {"text": "Hasil"})
    assert response.status_code == 302
    assert not PerformancePlan.objects.exists()
    page = client.get(response["Location"])
    assert b"at least one indicator" in page.content


def test_rating_outside_ones_scope_is_403(client, skp_world):
    _login(client, skp_world, "head_a")
    response = client.post(
        BASE.format(skp_world.officer_b.pk) + "nilai/",
        {"period": 0, "hasil_kerja": "sesuai", "perilaku_kerja": "sesuai"},
    )
    assert response.status_code == 403


def test_a_rating_outside_the_matrix_is_a_form_error(client, skp_world, plan):
    _login(client, skp_world, "head_a")
    response = client.post(
        BASE.format(skp_world.officer_a.pk) + "nilai/",
        {"period": 0, "hasil_kerja": "luar_biasa", "perilaku_kerja": "sesuai"},
        follow=True,
    )
    assert b"hasil_kerja" in response.content
    assert not Appraisal.objects.exists()


def test_editing_a_final_appraisal_on_the_page_is_refused(client, skp_world, plan):
    services.appraisal_rate(
        plan=plan,
        period=0,
        hasil_kerja="sesuai",
        perilaku_kerja="sesuai",
        actor=skp_world.users["head_a"],
        finalise=True,
    )
    _login(client, skp_world, "head_a")
    response = client.post(
        BASE.format(skp_world.officer_a.pk) + "nilai/",
        {"period": 0, "hasil_kerja": "di_atas", "perilaku_kerja": "di_atas"},
        follow=True,
    )
    assert b"reasoned correction" in response.content
    assert Appraisal.objects.get().predikat == "baik"
    response = client.post(
        BASE.format(skp_world.officer_a.pk) + "koreksi/",
        {
            "appraisal": Appraisal.objects.get().pk,
            "hasil_kerja": "di_atas",
            "perilaku_kerja": "di_atas",
            "reason": "Capaian SLA 99% terbukti dari data.",
            "kind": "correction",
        },
    )
    assert response.status_code == 302
    assert Appraisal.objects.get().predikat == "sangat_baik"
    assert AppraisalCorrection.objects.get().reason.startswith("Capaian")


def test_an_employee_reads_their_own_skp_and_pdf(client, skp_world, plan):
    _login(client, skp_world, "officer_a")
    page = client.get(BASE.format(skp_world.officer_a.pk))
    assert page.status_code == 200 and b"Rater's actions" not in page.content
    pdf = client.get(BASE.format(skp_world.officer_a.pk) + "skp.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def _unit_of_five(world, unit, name, ratings, evidence):
    """Five rated employees in `unit` with given (hasil, perilaku) and evidence composites."""
    pos = world.officer_a.position
    made = []
    for i, ((hasil, perilaku), ev) in enumerate(zip(ratings, evidence, strict=True)):
        e = factories.employee(unit, f"{name} {i}", pos)
        plan = PerformancePlan.objects.create(
            employee=e, unit=unit, year=2025, period_kind="triwulanan"
        )
        Appraisal.objects.create(
            plan=plan,
            unit=unit,
            period=0,
            hasil_kerja=hasil,
            perilaku_kerja=perilaku,
            predikat=services._ratings(hasil, perilaku),
            rated_at=timezone.now(),
        )
        EvidenceSnapshot.objects.create(
            employee=e, unit=unit, year=2025, composite=ev, computed_at=timezone.now()
        )
        made.append(e)
    return made


@pytest.fixture
def calibrated(skp_world):
    """Loket A: everyone Sangat Baik with weak evidence (inflated). Puskesmas B: honest."""
    top = ("di_atas", "di_atas")
    _unit_of_five(skp_world, skp_world.counter_a, "Inflasi", [top] * 5, [0.1, 0.2, 0.3, 0.2, 0.25])
    honest = [top, ("sesuai", "sesuai"), ("sesuai", "sesuai"), ("di_bawah", "sesuai"),
              ("di_bawah", "di_bawah")]  # fmt: skip
    _unit_of_five(skp_world, skp_world.puskesmas_b, "Jujur", honest, [0.9, 0.7, 0.6, 0.4, 0.1])
    services.org_rating_set(
        unit=skp_world.puskesmas_b, year=2025, predikat="baik", actor=skp_world.users["hr"]
    )
    return skp_world


def test_calibration_page_flags_the_inflated_unit_with_real_figures(client, calibrated):
    _login(client, calibrated, "hr")
    response = client.get("/kinerja/kalibrasi/?tahun=2025")
    cal = response.context["cal"]
    assert cal.rated == 10
    assert [r.unit.name for r in cal.inflated] == ["Loket A"]
    honest = next(r for r in cal.units if r.unit.name == "Puskesmas B")
    # ratings 4,3,3,2,0 vs evidence .9,.7,.6,.4,.1: ranks [5,3.5,3.5,2,1] vs [5,4,3,2,1]
    assert honest.summary.correlation == pytest.approx(9.5 / (9.5 * 10) ** 0.5)
    assert honest.breaches == []  # org Baik: 2 of 5 Baik, and some Butuh Perbaikan/Kurang
    # the inflated unit drags the agency-wide correlation far below the honest unit's
    assert cal.correlation is not None and cal.correlation < 0.2
    assert b"inflated?" in response.content and b"Spearman" in response.content
    assert b"<td>Baik" in response.content  # the org predikat label, not its code


def test_guidance_breaches_name_the_ratings(client, calibrated):
    services.org_rating_set(
        unit=calibrated.counter_a, year=2025, predikat="baik", actor=calibrated.users["hr"]
    )
    _login(client, calibrated, "hr")
    cal = client.get("/kinerja/kalibrasi/?tahun=2025").context["cal"]
    loket = next(r for r in cal.units if r.unit.name == "Loket A")
    (breach, named) = loket.breaches[0]
    assert breach.rule == "baik.bp_k_some" and len(named) == 5


def test_hr_adjusts_with_a_reason_on_the_calibration_page(client, calibrated):
    appraisal = Appraisal.objects.filter(unit=calibrated.counter_a).first()
    _login(client, calibrated, "hr")
    response = client.post(
        "/kinerja/kalibrasi/sesuaikan/",
        {
            "appraisal": appraisal.pk,
            "hasil_kerja": "sesuai",
            "perilaku_kerja": "sesuai",
            "reason": "Bukti layanan lemah untuk Sangat Baik.",
            "kind": "calibration",
        },
    )
    assert response.status_code == 302 and "tahun=2025" in response["Location"]
    appraisal.refresh_from_db()
    assert appraisal.predikat == "baik"
    assert AppraisalCorrection.objects.get().kind == "calibration"


def test_talent_grid_places_people_in_the_regulation_boxes(client, calibrated):
    hr = calibrated.users["hr"]
    jujur = list(
        PerformancePlan.objects.filter(employee__name__startswith="Jujur")
        .order_by("employee__name")
        .values_list("employee__nip", flat=True)
    )
    text = "nip,score\n" + "\n".join(
        f"{nip},{s}" for nip, s in zip(jujur, [95, 95, 80, 50, 50], strict=True)
    )
    services.potential_import(text=text, year=2025, actor=hr)
    _login(client, calibrated, "hr")
    grid = client.get("/kinerja/talenta/?tahun=2025").context["grid"]
    boxes = {p.name: p.box for p in grid.people}
    # SB+tinggi=9, B+tinggi=8, B+menengah=5, BP+rendah=1, SK+rendah=1
    assert boxes == {"Jujur 0": 9, "Jujur 1": 8, "Jujur 2": 5, "Jujur 3": 1, "Jujur 4": 1}
    assert [p.name for p in grid.succession_instansi] == ["Jujur 0", "Jujur 1"]
    assert [p.name for p in grid.succession_nasional] == ["Jujur 0"]
    assert grid.without_potential == 5


def test_potential_import_page_lists_line_errors(client, skp_world):
    _login(client, skp_world, "hr")
    upload = io.BytesIO(f"nip,score\n{skp_world.officer_a.nip},120\n".encode())
    upload.name = "potensi.csv"
    response = client.post("/kinerja/potensi/", {"year": 2025, "file": upload})
    assert response.status_code == 200
    assert "line 2: the score “120”" in response.content.decode()
    assert not PotentialScore.objects.exists()


def test_discipline_page_records_and_shows_the_ladder(client, skp_world):
    _login(client, skp_world, "hr")
    for day in (4, 5, 6):
        client.post(
            "/kinerja/disiplin/", {"nip": skp_world.officer_a.nip, "day": f"2025-08-0{day}"}
        )
    page = client.get("/kinerja/disiplin/?tahun=2025")
    assert b"Teguran lisan" in page.content
    saturday = {"nip": skp_world.officer_a.nip, "day": "2025-08-09"}
    response = client.post("/kinerja/disiplin/", saturday, follow=True)
    assert b"not a working day" in response.content


def test_unit_recap_xlsx(client, calibrated):
    _login(client, calibrated, "hr")
    response = client.get(f"/kinerja/rekap.xlsx?tahun=2025&unit={calibrated.puskesmas_b.pk}")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Unit kerja", "Nama", "NIP")
    names = [r[1] for r in rows[1:]]
    assert "Jujur 0" in names and "Inflasi 0" not in names
    assert next(r for r in rows if r[1] == "Jujur 0")[6] == "Sangat Baik"


def test_overview_lists_scope_with_yearly_predikat(client, calibrated):
    _login(client, calibrated, "head_a")
    page = client.get("/kinerja/?tahun=2025")
    names = [e.name for e in page.context["page"]]
    assert "Inflasi 0" in names and "Jujur 0" not in names  # head A sees Loket A only
    assert date.today()  # the page uses the year parameter, not the clock


@pytest.mark.parametrize(
    ("level", "hasil", "perilaku", "shown"),
    [
        ("Ahli Pertama", "di_atas", "di_atas", "18,750"),
        ("Ahli Madya", "sesuai", "sesuai", "37,500"),
        ("Ahli Pertama", "di_bawah", "sesuai", "9,375"),
    ],
)
def test_functional_positions_show_their_angka_kredit(
    client, skp_world, level, hasil, perilaku, shown, settings
):
    settings.LANGUAGE_CODE = "id"  # the figures are written with the Indonesian decimal comma
    from sigap.organisation.models import Position

    position = Position.objects.create(
        name=f"Pranata Komputer {level}", kind="fungsional", level=level
    )
    employee = factories.employee(skp_world.counter_a, "Fungsional", position)
    plan = services.plan_create(
        employee=employee,
        year=2025,
        actor=skp_world.users["head_a"],
        results=[services.ResultInput("Hasil", [services.IndicatorInput("I", "1")])],
    )
    services.appraisal_rate(
        plan=plan,
        period=0,
        hasil_kerja=hasil,
        perilaku_kerja=perilaku,
        actor=skp_world.users["head_a"],
    )
    _login(client, skp_world, "hr")
    page = client.get(BASE.format(employee.pk)).content.decode()
    assert f"Angka kredit</dt><dd>{shown}" in page
    assert "UNCERTAIN coefficient" not in page
    sheet = load_workbook(io.BytesIO(client.get("/kinerja/rekap.xlsx?tahun=2025").content)).active
    row = next(r for r in sheet.iter_rows(values_only=True) if r[1] == "Fungsional")
    assert row[-1] == float(shown.replace(",", "."))


@pytest.mark.parametrize(
    "url",
    ["/kinerja/?tahun=2025", "/kinerja/kalibrasi/?tahun=2025", "/kinerja/talenta/?tahun=2025"],
)
def test_list_pages_use_a_fixed_number_of_queries(
    client, calibrated, url, django_assert_max_num_queries
):
    _login(client, calibrated, "hr")
    client.get(url)  # warm the per-process caches (calendar, content types)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_overview_filters_by_unit(client, calibrated):
    _login(client, calibrated, "hr")
    page = client.get(f"/kinerja/?tahun=2025&unit={calibrated.puskesmas_b.pk}")
    names = {e.name for e in page.context["page"]}
    assert names == {f"Jujur {i}" for i in range(5)} | {"Dewi Lestari"}


def test_the_skp_pdf_carries_plan_ratings_and_corrections(client, skp_world, plan):
    head = skp_world.users["head_a"]
    final = services.appraisal_rate(
        plan=plan,
        period=0,
        hasil_kerja="sesuai",
        perilaku_kerja="sesuai",
        actor=head,
        finalise=True,
    )
    services.appraisal_correct(
        appraisal=final, hasil_kerja="di_atas", perilaku_kerja="di_atas",
        reason="Capaian SLA terbukti 99%.", actor=head,
    )  # fmt: skip
    _login(client, skp_world, "hr")
    pdf = pdf_text(client.get(BASE.format(skp_world.officer_a.pk) + "skp.pdf").content)
    for text in ("Siti Rahmawati", "Penerbitan KTP-el tepat waktu", "(>) Tj (= 95%)",
                 "Predikat kinerja tahunan: Sangat Baik", "Baik -> Sangat Baik"):  # fmt: skip
        assert text in pdf
    # The correction's time in Indonesian, through the formatting layer ("3 Des 2026 14.05").
    assert f"({formatting.short_date(timezone.now(), 'id')} " in pdf


def test_calibration_report_command_prints_the_closing_figures(calibrated, capsys):
    from django.core.management import call_command

    call_command("calibration-report", year=2025, agency="contoh")
    out = capsys.readouterr().out
    assert "Calibration 2025: 10 yearly ratings" in out
    assert "Sangat Baik 6 (60.0%)" in out
    assert "Units flagged for inflation (1):\n  Loket A: 5 rated, 100% Sangat Baik" in out


def test_talent_axis_can_follow_the_hasil_kerja_rating(client, calibrated, settings):
    settings.SIGAP = {**settings.SIGAP, "TALENT_PERFORMANCE_AXIS": "hasil_kerja"}
    jujur = list(
        PerformancePlan.objects.filter(employee__name__startswith="Jujur")
        .order_by("employee__name")
        .values_list("employee__nip", flat=True)
    )
    text = "nip,score\n" + "\n".join(f"{nip},95" for nip in jujur)
    services.potential_import(text=text, year=2025, actor=calibrated.users["hr"])
    _login(client, calibrated, "hr")
    response = client.get("/kinerja/talenta/?tahun=2025")
    boxes = {p.name: p.box for p in response.context["grid"].people}
    # hasil di atas/sesuai/sesuai/di bawah/di bawah with potential tinggi: 9, 8, 8, 6, 6
    assert boxes == {"Jujur 0": 9, "Jujur 1": 8, "Jujur 2": 8, "Jujur 3": 6, "Jujur 4": 6}
    assert b"the hasil kerja rating" in response.content


def _jujur_with_jpm(world, levels):  # type: ignore[no-untyped-def]
    """A standard of two competencies at level 5 for the pelaksana (Σ 10) and the Jujur
    employees' assessed levels; imported potential scores of 50 that the JPM source ignores."""
    from sigap.competency.models import (
        Assessment,
        Competency,
        PositionRequirement,
        StandardVersion,
    )

    ks = [Competency.objects.create(code=f"k{i}", name=f"K{i}", group="manajerial") for i in (1, 2)]
    version = StandardVersion.objects.create(agency=world.agency, valid_from=date(2025, 1, 1))
    for k in ks:
        PositionRequirement.objects.create(
            version=version, position=world.officer_a.position, competency=k, level=5
        )
    jujur = list(Employee.objects.filter(name__startswith="Jujur").order_by("name"))
    for employee, pair in zip(jujur, levels, strict=True):
        for k, level in zip(ks, pair or (), strict=False):
            Assessment.objects.create(employee=employee, competency=k, level=level,
                                      assessed_on=date(2025, 2, 1), method="assessment_centre",
                                      source="entered")  # fmt: skip
    text = "nip,score\n" + "\n".join(f"{e.nip},50" for e in jujur)
    services.potential_import(text=text, year=2025, actor=world.users["hr"])


def test_talent_potential_from_the_imported_score(client, calibrated, settings):
    settings.SIGAP = {**settings.SIGAP, "TALENT_POTENTIAL_SOURCE": "score"}
    _jujur_with_jpm(calibrated, [(5, 5), (4, 4), (5, 5), None, (3, 4)])
    _login(client, calibrated, "hr")
    response = client.get("/kinerja/talenta/?tahun=2025")
    people = {p.name: p for p in response.context["grid"].people}
    # every Jujur has the imported 50 (rendah): SB 4, B 2, B 2, BP 1, K 1
    assert {n: p.box for n, p in people.items()} == {
        "Jujur 0": 4, "Jujur 1": 2, "Jujur 2": 2, "Jujur 3": 1, "Jujur 4": 1
    }  # fmt: skip
    assert people["Jujur 1"].score == 50
    assert b"the imported potential score" in response.content


def test_talent_potential_from_jpm(client, calibrated, settings):
    settings.SIGAP = {**settings.SIGAP, "TALENT_POTENTIAL_SOURCE": "jpm"}
    _jujur_with_jpm(calibrated, [(5, 5), (4, 4), (5, 5), (5,), (3, 4)])
    _login(client, calibrated, "hr")
    response = client.get("/kinerja/talenta/?tahun=2025")
    grid = response.context["grid"]
    people = {p.name: p for p in grid.people if p.name.startswith("Jujur")}
    # JPM 100 (tinggi), 80 (menengah), 100, —, 70 (rendah), cut-offs 78 / 90:
    # SB+tinggi 9, B+menengah 5, B+tinggi 8, K+rendah 1
    assert {n: p.box for n, p in people.items()} == {
        "Jujur 0": 9, "Jujur 1": 5, "Jujur 2": 8, "Jujur 4": 1
    }  # fmt: skip
    assert people["Jujur 1"].score == 80
    # Jujur 3 was never assessed on K2: no JPM 50 pulling them low, no potential score; nor
    # the other rated pelaksana, never assessed at all (JPM 0 before)
    assert "Jujur 3" not in {p.name for p in grid.people}
    others = [p for p in grid.people if not p.name.startswith("Jujur")]
    assert others == [] and grid.without_potential == 6
    assert b"job\xe2\x80\x93person match" in response.content


def test_talent_potential_source_is_checked(settings):
    from sigap.appraisals import conf

    settings.SIGAP = {"TALENT_POTENTIAL_SOURCE": "nilai"}
    with pytest.raises(ValueError, match="TALENT_POTENTIAL_SOURCE"):
        conf.talent_potential_source()


def test_a_unit_leaders_page_shows_the_unit_org_predikat(client, skp_world):
    services.org_rating_set(
        unit=skp_world.counter_a, year=2025, predikat="istimewa", actor=skp_world.users["hr"]
    )
    _login(client, skp_world, "hr")
    leader = client.get(BASE.format(skp_world.head_a.pk)).content.decode()
    assert "Organisation predikat of the unit led" in leader and "Istimewa" in leader
    staff = client.get(BASE.format(skp_world.officer_a.pk)).content.decode()
    assert "Organisation predikat of the unit led" not in staff


def test_recap_never_turns_a_name_into_a_formula(client, skp_world):
    from sigap.organisation.models import Employee

    Employee.objects.filter(pk=skp_world.officer_a.pk).update(name='=HYPERLINK("http://x","y")')
    _login(client, skp_world, "hr")
    sheet = load_workbook(io.BytesIO(client.get("/kinerja/rekap.xlsx?tahun=2025").content)).active
    cell = next(c for c in sheet["B"] if c.value and str(c.value).startswith("=HYPER"))
    assert cell.data_type == "s"


def test_calibration_finds_the_employee_by_name_or_nip_before_listing(client, calibrated):
    _login(client, calibrated, "hr")
    page = client.get("/kinerja/kalibrasi/?tahun=2025").content.decode()
    assert 'name="appraisal"' not in page and 'name="cari"' in page  # search first
    response = client.get("/kinerja/kalibrasi/?tahun=2025&cari=jujur")
    options = [label for _unit, rows in response.context["adjust_options"] for _pk, label in rows]
    assert len(options) == 5 and all(label.startswith("Jujur") for label in options)
    nip = Employee.objects.get(name="Jujur 2").nip
    response = client.get(f"/kinerja/kalibrasi/?tahun=2025&cari={nip}")
    options = [label for _unit, rows in response.context["adjust_options"] for _pk, label in rows]
    assert [label.split(" (")[0] for label in options] == ["Jujur 2"]
    page = client.get("/kinerja/kalibrasi/?tahun=2025&cari=zzz").content.decode()
    assert 'data-testid="adjust-none"' in page
