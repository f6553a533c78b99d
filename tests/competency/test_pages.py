"""The people's competency pages: what each shows, to whom, and the agency view's exports."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from sigap.organisation.models import Employee
from tests import factories
from tests.competency.content import competency_content


@pytest.fixture
def content(world):
    return competency_content(world)


def _page(client, world, persona: str, url: str, lang: str = "id"):
    client.force_login(world.users[persona])
    client.cookies["django_language"] = lang
    return client.get(url)


def test_own_page_shows_profile_jpm_gaps_plan_jp_and_certificates(client, world, content):
    response = _page(client, world, "officer_a", "/kompetensi/saya/")
    assert response.status_code == 200
    page = response.context["page"]
    # Pelaksana standard: Pelayanan Publik 2, Kerja Sama 2, technical 3 (Σ 7); assessed 3, 2, —
    # → 5 / 7 = 71.43 % (kurang optimal), one level above on Pelayanan Publik.
    assert page.profile.current.jpm.percent == Decimal("71.43")
    # Kepala Seksi: 3, 3, 3 (Σ 9) → 5 / 9 = 55.56 %.
    assert page.profile.target.jpm.percent == Decimal("55.56")
    assert (page.jp.jp, page.jp.short) == (Decimal(12), Decimal(8))
    html = response.content.decode()
    assert "71,43 %" in html and "Kurang Optimal" in html
    assert "Memperbaiki standar pelayanan unit" in html  # the assessed level's description
    assert "8 JP kurang" in html
    assert "hari kerja tersisa" in html
    # The gap's evidence, in the reader's language (the catalogue's Indonesian sentence).
    assert "Verifikasi berkas" in html and "dari seluruh waktu tunggu" in html
    assert "BPSDM/2025/0117" in html  # the certificate number
    assert 'data-testid="plan-items"' in html and "Bimbingan teknis" in html


def test_own_page_in_english(client, world, content):
    html = _page(client, world, "officer_a", "/kompetensi/saya/", "en").content.decode()
    assert "My competencies" in html and "8 JP short" in html and "Less than optimal" in html


def test_an_account_without_an_employee_record_gets_a_clear_page(client, world, content):
    response = _page(client, world, "hr", "/kompetensi/saya/")
    assert response.status_code == 200
    assert 'data-testid="no-employee"' in response.content.decode()


def test_a_pppk_sees_their_jp_without_the_pns_duty(client, world, content):
    Employee.objects.filter(pk=world.officer_a.pk).update(status="pppk", rank="9")
    response = _page(client, world, "officer_a", "/kompetensi/saya/")
    assert response.context["page"].jp.standing is None
    assert "PP 11/2017" in response.content.decode()


def test_unit_head_reads_a_team_members_page_but_not_another_units(client, world, content):
    url = f"/kompetensi/pegawai/{world.officer_a.pk}/"
    response = _page(client, world, "head_a", url)
    assert response.status_code == 200 and response.context["own"] is False
    assert "Kompetensi Siti Rahmawati" in response.content.decode()
    other = f"/kompetensi/pegawai/{world.officer_b.pk}/"
    assert _page(client, world, "head_a", other).status_code == 404
    assert _page(client, world, "officer_a", other).status_code == 404


def test_team_view_lists_the_unit_with_figures_and_sorts(client, world, content):
    response = _page(client, world, "head_a", "/kompetensi/tim/?urut=short")
    rows = list(response.context["rows"])
    # counter A only: officer A (12 JP, short 8) before head A (20 JP, compliant).
    assert [r.employee.name for r in rows] == ["Siti Rahmawati", "Bambang Wijaya"]
    assert rows[0].top_gaps == ["Verifikasi dokumen kependudukan"]
    assert rows[1].jpm.percent == Decimal("100.00") and rows[1].band == "optimal"
    standing = response.context["standing"]
    assert (standing.overall.counted, standing.overall.compliant) == (2, 1)
    by_jpm = _page(client, world, "head_a", "/kompetensi/tim/?urut=jpm").context["rows"]
    assert [r.employee.name for r in by_jpm] == ["Siti Rahmawati", "Bambang Wijaya"]
    by_name = _page(client, world, "head_a", "/kompetensi/tim/?urut=nama-salah").context["rows"]
    assert [r.employee.name for r in by_name] == ["Bambang Wijaya", "Siti Rahmawati"]


def test_hr_team_view_filters_by_unit(client, world, content):
    url = f"/kompetensi/tim/?unit={world.puskesmas_b.pk}"
    rows = list(_page(client, world, "hr", url).context["rows"])
    assert [r.employee.name for r in rows] == ["Dewi Lestari"]


def test_agency_view_compliance_short_list_gaps_and_effects(client, world, content):
    response = _page(client, world, "hr", "/kompetensi/instansi/")
    assert response.status_code == 200
    standing = response.context["standing"]
    # Siti 12 (short 8), Bambang 20, Dewi 0 (short 20): 1 of 3 PNS; 28 JP missing.
    assert (standing.overall.counted, standing.overall.compliant) == (3, 1)
    assert standing.overall.short_jp == Decimal(28)
    assert [(r.employee.name, r.short) for r in standing.short] == [
        ("Dewi Lestari", Decimal(20)),
        ("Siti Rahmawati", Decimal(8)),
    ]
    html = response.content.decode()
    assert "1 dari 3 PNS aktif (33,3 %)" in html
    assert "dari seluruh waktu tunggu" in html  # the effect's headline, in Indonesian
    gaps = response.context["gaps"]
    assert {(g.competency, g.people) for g in gaps} == {("Verifikasi dokumen kependudukan", 1)}


def test_agency_exports_compliance_and_short_list(client, world, content):
    client.force_login(world.users["hr"])
    body = client.get("/kompetensi/instansi/?export=csv&table=short")
    assert body.status_code == 200
    rows = list(csv.reader(io.StringIO(body.content.decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["Dewi Lestari", "Siti Rahmawati"]
    assert rows[1][4] == "20" or Decimal(rows[1][4]) == Decimal(20)
    book = client.get("/kompetensi/instansi/?export=xlsx&table=compliance")
    sheet = load_workbook(io.BytesIO(book.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][:3] == ("Kabupaten Contoh", 3, 1)
    assert client.get("/kompetensi/instansi/?export=xlsx&table=nope").status_code == 400


def test_the_agency_view_needs_the_whole_agency(client, world, content):
    assert _page(client, world, "head_a", "/kompetensi/instansi/").status_code == 403
    assert _page(client, world, "leadership", "/kompetensi/instansi/").status_code == 200


def test_work_home_links_the_competency_pages(client, world, content):
    officer = _page(client, world, "officer_a", "/beranda/").content.decode()
    assert 'href="/kompetensi/saya/"' in officer
    head = _page(client, world, "head_a", "/beranda/").content.decode()
    assert 'href="/kompetensi/tim/"' in head
    hr = _page(client, world, "hr", "/beranda/").content.decode()
    assert 'href="/kompetensi/instansi/"' in hr


def test_a_new_employee_without_anything_renders(client, world):
    factories.employee(world.counter_a, "Pegawai Baru", world.officer_a.position)
    response = _page(client, world, "head_a", "/kompetensi/tim/")
    assert response.status_code == 200
    new = next(r for r in response.context["rows"] if r.employee.name == "Pegawai Baru")
    assert new.jpm is None and new.jp.jp == 0 and new.jp.short == 20
    assert "Pegawai Baru" in response.content.decode()


def _more_people(world, content, n: int) -> None:
    from sigap.competency.models import Assessment, CompetencyGap, TrainingRecord

    today = content.today
    for i in range(n):
        e = factories.employee(world.counter_a, f"Pegawai {n}-{i:03d}", world.officer_a.position)
        Assessment.objects.create(
            employee=e,
            competency=content.service,
            level=2,
            assessed_on=today,
            method="feedback_360",
            source="entered",
        )
        TrainingRecord.objects.create(
            employee=e,
            title="Kursus",
            route="kursus",
            starts_on=today,
            ends_on=today,
            hours=3,
            jp=4,
            source="entered",
        )
        CompetencyGap.objects.create(
            employee=e,
            competency=content.technical,
            kind="current",
            required_level=3,
            size=3,
            computed_at=timezone.now(),
        )


def test_team_and_agency_views_read_in_a_fixed_number_of_queries(client, world, content):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(persona: str, url: str) -> int:
        client.force_login(world.users[persona])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    _more_people(world, content, 3)
    few = (count("head_a", "/kompetensi/tim/"), count("hr", "/kompetensi/instansi/"))
    _more_people(world, content, 12)
    assert (count("head_a", "/kompetensi/tim/"), count("hr", "/kompetensi/instansi/")) == few


def test_the_agency_page_shows_the_longest_shortfalls_and_the_export_holds_all(
    client, world, content, monkeypatch
):
    from sigap.competency import views_pages

    monkeypatch.setattr(views_pages, "SHORT_SHOWN", 1)
    response = _page(client, world, "hr", "/kompetensi/instansi/")
    assert [r.employee.name for r in response.context["short_shown"]] == ["Dewi Lestari"]
    assert 'data-testid="short-more"' in response.content.decode()
    body = client.get("/kompetensi/instansi/?export=csv&table=short").content.decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(body)))) == 3  # the header and both


def test_band_words_come_from_the_one_label_module_never_as_a_code(world):
    from sigap.competency import labels, people
    from sigap.competency.profile import JpRow

    assert not hasattr(people, "BAND_LABELS")
    row = people.TeamRow(
        world.officer_a, None, "sangat_optimal", JpRow(world.officer_a, 0, None), []
    )
    assert row.band_label == "Sangat optimal"  # an agency's own band, humanised
    row = people.TeamRow(world.officer_a, None, "kurang_memenuhi_syarat", row.jp, [])
    assert row.band_label == labels.band_label("kurang_memenuhi_syarat")
    assert labels.band_label(None) == ""


def test_agency_gaps_leave_out_the_never_assessed_and_count_a_steps_requests_once(
    client, world, content
):
    from sigap.competency.models import CompetencyGap

    now = timezone.now()
    CompetencyGap.objects.filter(kind="performance").update(citizens_affected=1200)
    # a second officer with the same step's gap: the step's 1 200 requests are counted once
    CompetencyGap.objects.create(
        employee=world.head_a, competency=content.technical, kind="performance", size=0.2,
        service=world.ktp, step="Verifikasi berkas", citizens_affected=1200, computed_at=now,
    )  # fmt: skip
    # never assessed (size 0): not a gap on the agency table
    CompetencyGap.objects.create(
        employee=world.officer_b, competency=content.service, kind="current", required_level=2,
        size=0, computed_at=now,
    )  # fmt: skip
    response = _page(client, world, "hr", "/kompetensi/instansi/", "en")
    gaps = {(g.competency, g.kind): (g.people, g.requests) for g in response.context["gaps"]}
    performance = str(CompetencyGap.Kind.PERFORMANCE.label)
    assert gaps[("Verifikasi dokumen kependudukan", performance)] == (2, 1200)
    assert not any(name == "Pelayanan Publik" for name, _kind in gaps)
    html = response.content.decode()
    assert "<td>1,200</td>" in html  # through |number
    indonesian = _page(client, world, "hr", "/kompetensi/instansi/").content.decode()
    assert "<td>1.200</td>" in indonesian


def test_the_duty_on_the_agency_page_comes_from_the_setting(client, world, content, settings):
    settings.SIGAP = {**settings.SIGAP, "COMPETENCY_YEARLY_JP": 24}
    html = _page(client, world, "hr", "/kompetensi/instansi/", "en").content.decode()
    assert "at least 24 JP a year for every PNS" in html
    assert "at least 20 JP" not in html


def test_team_view_largest_gaps_compare_shares_and_leave_out_size_0(client, world, content):
    from sigap.competency.models import CompetencyGap

    now = timezone.now()
    CompetencyGap.objects.filter(employee=world.officer_a).delete()
    for competency, kind, size, required in [
        (content.team, "current", 1, 3),  # 1 of 3 levels short: 0.33
        (content.service, "performance", 0.5, None),  # half below peers: 0.5
        (content.technical, "current", 2, 3),  # 0.67
    ]:
        CompetencyGap.objects.create(
            employee=world.officer_a, competency=competency, kind=kind, size=size,
            required_level=required, computed_at=now,
        )  # fmt: skip
    CompetencyGap.objects.create(
        employee=world.head_a, competency=content.team, kind="current", required_level=3,
        size=0, computed_at=now,
    )  # fmt: skip
    rows = {
        r.employee.name: r
        for r in _page(client, world, "head_a", "/kompetensi/tim/").context["rows"]
    }
    assert rows["Siti Rahmawati"].top_gaps == [
        "Verifikasi dokumen kependudukan", "Pelayanan Publik", "Kerja Sama"
    ]  # fmt: skip
    assert rows["Bambang Wijaya"].top_gaps == []


def test_employee_page_plan_month_never_assessed_and_certificate_link(client, world, content):
    from sigap.competency.models import DevelopmentPlan, PlanItem, TrainingRecord

    unit_item = PlanItem.objects.get()
    agency_plan = DevelopmentPlan.objects.create(
        agency=world.agency, unit=None, year=unit_item.plan.year, generated_at=timezone.now()
    )
    again = PlanItem.objects.create(
        plan=agency_plan, rank=1, competency=content.technical, route="bimbingan_teknis",
        provider="BPSDM", month=10, jp=Decimal(12), priority=48.0, gap_size=0.4,
        citizens_affected=120,
    )  # fmt: skip
    again.employees.add(world.officer_a)
    record = TrainingRecord.objects.get(employee=world.officer_a)
    TrainingRecord.objects.filter(pk=record.pk).update(certificate="a" * 32)
    link = f'href="/kompetensi/pelatihan/{record.pk}/sertifikat/"'

    response = _page(client, world, "officer_a", "/kompetensi/saya/")
    assert response.context["page"].plan_items == [unit_item]  # the unit plan's, once
    html = response.content.decode()
    assert "<td>Oktober</td>" in html
    assert "belum dinilai" in html and "hasil penilaian 0" not in html
    assert link in html
    english = _page(client, world, "officer_a", "/kompetensi/saya/", "en").content.decode()
    assert "<td>October</td>" in english and "required 3, not assessed yet" in english
    url = f"/kompetensi/pegawai/{world.officer_a.pk}/"
    assert link in _page(client, world, "head_a", url).content.decode()
    assert link in _page(client, world, "hr", url).content.decode()
    leadership = _page(client, world, "leadership", url)
    assert leadership.status_code == 200 and link not in leadership.content.decode()
    # no certificate, no link
    TrainingRecord.objects.filter(pk=record.pk).update(certificate="")
    assert link not in _page(client, world, "hr", url).content.decode()
