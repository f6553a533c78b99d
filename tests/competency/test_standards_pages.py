"""HR's standards pages through the client: a new version, the grid edit (validated), the
import with its problems listed, the export, the step links; readers read, only HR writes."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sigap.audit.models import AuditEntry
from sigap.catalogue.models import ProcedureStep
from sigap.competency import dictionary
from sigap.competency.models import Competency, CompetencyLevel, StandardVersion, StepCompetency
from sigap.competency.standards_xlsx import read_rows
from tests.competency.test_standards import technical, version_with, xlsx

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _dictionary(db: None) -> None:
    dictionary.install(Competency, CompetencyLevel)


def test_hr_creates_a_version_and_sets_a_level(client, world):
    version_with(world, TODAY - timedelta(days=100), {dictionary.PELAYANAN_PUBLIK: 2})
    client.force_login(world.users["hr"])
    day = TODAY + timedelta(days=14)
    response = client.post(
        "/kompetensi/standar/baru/", {"valid_from": day.isoformat(), "note": "SK 7/2026"}
    )
    version = StandardVersion.objects.get(valid_from=day)
    assert response["Location"] == f"/kompetensi/standar/{version.pk}/ubah/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    position = world.officer_a.position.pk
    service = Competency.objects.get(code=dictionary.PELAYANAN_PUBLIK).pk
    talk = Competency.objects.get(code=dictionary.KOMUNIKASI).pk
    assert f'name="l-{position}-{service}" value="2"' in page.content.decode()
    response = client.post(
        f"/kompetensi/standar/{version.pk}/ubah/",
        {f"l-{position}-{service}": "3", f"l-{position}-{talk}": "2"},
    )
    assert response.status_code == 302
    levels = dict(version.requirements.values_list("competency__code", "level"))
    assert levels == {dictionary.PELAYANAN_PUBLIK: 3, dictionary.KOMUNIKASI: 2}
    page = client.get(f"/kompetensi/standar/{version.pk}/")
    assert "Komunikasi" in page.content.decode()


@pytest.mark.parametrize("value", ["6", "0", "dua", "2.5"])
def test_a_level_outside_1_to_5_comes_back_with_the_cell_named(client, world, value):
    version = version_with(world, TODAY + timedelta(days=3), {dictionary.KOMUNIKASI: 2})
    client.force_login(world.users["hr"])
    position = world.officer_a.position
    talk = Competency.objects.get(code=dictionary.KOMUNIKASI).pk
    response = client.post(
        f"/kompetensi/standar/{version.pk}/ubah/", {f"l-{position.pk}-{talk}": value}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert f"{position.name}, Komunikasi: a level is a whole number from 1 to 5." in text
    assert f'value="{value}"' in text  # what was typed stays in the cell
    assert version.requirements.get().level == 2


def test_a_version_in_force_opens_read_only(client, world):
    version = version_with(world, TODAY, {dictionary.KOMUNIKASI: 2})
    client.force_login(world.users["hr"])
    response = client.get(f"/kompetensi/standar/{version.pk}/ubah/")
    assert response["Location"] == f"/kompetensi/standar/{version.pk}/"
    page = client.get(f"/kompetensi/standar/{version.pk}/").content.decode()
    assert "/ubah/" not in page and "In force" in page


def test_a_unit_head_reads_but_cannot_write(client, world):
    version = version_with(world, TODAY + timedelta(days=3), {dictionary.KOMUNIKASI: 2})
    client.force_login(world.users["head_a"])
    assert client.get(f"/kompetensi/standar/{version.pk}/").status_code == 200
    assert "/ubah/" not in client.get(f"/kompetensi/standar/{version.pk}/").content.decode()
    talk = Competency.objects.get(code=dictionary.KOMUNIKASI).pk
    position = world.officer_a.position.pk
    response = client.post(f"/kompetensi/standar/{version.pk}/ubah/", {f"l-{position}-{talk}": 5})
    assert response.status_code == 403
    assert version.requirements.get().level == 2


def test_import_lists_every_problem_and_keeps_nothing(client, world):
    client.force_login(world.users["hr"])
    data = xlsx([["Juru Masak", dictionary.KOMUNIKASI, 2], ["Kepala Seksi", "menari", 9]])
    response = client.post(
        "/kompetensi/standar/impor/",
        {
            "file": SimpleUploadedFile("skj.xlsx", data),
            "valid_from": (TODAY + timedelta(days=9)).isoformat(),
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "skj.xlsx, row 2, column A (Jabatan)" in text
    assert "skj.xlsx, row 3, column B (Kode kompetensi)" in text
    assert "skj.xlsx, row 3, column C (Level)" in text
    assert not StandardVersion.objects.exists()


def test_import_then_export_round_trip_through_the_pages(client, world):
    client.force_login(world.users["hr"])
    data = xlsx(
        [
            [world.officer_a.position.name, dictionary.PELAYANAN_PUBLIK, 2],
            [world.head_a.position.name, dictionary.PENGAMBILAN_KEPUTUSAN, 3],
        ]
    )
    response = client.post(
        "/kompetensi/standar/impor/",
        {"file": SimpleUploadedFile("skj.xlsx", data), "valid_from": "2025-01-01"},
    )
    version = StandardVersion.objects.get()
    assert response["Location"] == f"/kompetensi/standar/{version.pk}/"
    download = client.get(f"/kompetensi/standar/{version.pk}/standar.xlsx")
    assert download["Content-Type"].startswith("application/vnd.openxml")
    rows, _columns = read_rows(download.content, "x.xlsx")
    assert sorted((r.position, r.code, r.level) for r in rows) == sorted(
        [
            (world.officer_a.position.name, dictionary.PELAYANAN_PUBLIK, 2),
            (world.head_a.position.name, dictionary.PENGAMBILAN_KEPUTUSAN, 3),
        ]
    )


def test_hr_adds_a_technical_competency_and_links_it_to_a_step(client, world):
    client.force_login(world.users["hr"])
    fields = {"name": "Verifikasi dokumen kependudukan", "code": "", "definition": ""}
    fields |= {f"level_{n}": f"Tingkat {n}" for n in range(1, 6)}
    assert client.post("/kompetensi/kamus/teknis/baru/", fields).status_code == 302
    competency = Competency.objects.get(code="verifikasi-dokumen-kependudukan")
    page = client.get("/kompetensi/langkah/ktp-el/").content.decode()
    assert page.count('type="checkbox"') == 4  # one competency × the four steps of KTP-el
    response = client.post(
        "/kompetensi/langkah/ktp-el/",
        {"steps": ["Verifikasi"], "step:Verifikasi": [str(competency.pk)]},
    )
    assert response.status_code == 302
    link = StepCompetency.objects.get()
    assert (link.step, link.competency) == ("Verifikasi", competency)
    listing = client.get("/kompetensi/langkah/").content.decode()
    assert "Verifikasi dokumen kependudukan" in listing
    assert AuditEntry.objects.filter(action="competency.technical_add").count() == 1


def test_a_unit_head_reads_step_links_but_cannot_change_them(client, world):
    competency = technical(world)
    client.force_login(world.users["head_a"])
    assert client.get("/kompetensi/langkah/").status_code == 200
    response = client.post(
        "/kompetensi/langkah/ktp-el/",
        {"steps": ["Verifikasi"], "step:Verifikasi": [str(competency.pk)]},
    )
    assert response.status_code == 403
    assert not StepCompetency.objects.exists()


def test_the_dictionary_page_reads_in_indonesian(client, world):
    technical(world)
    client.force_login(world.users["leadership"])
    client.cookies["django_language"] = "id"
    page = client.get("/kompetensi/kamus/").content.decode()
    assert "Kamus kompetensi" in page and "Pelayanan Publik" in page
    assert "Menjalankan pelayanan sesuai standar." in page
    assert "Verifikasi dokumen" in page and "Manajerial" in page
    assert "/kompetensi/kamus/teknis/baru/" not in page  # leadership reads only


def test_the_version_list_reads_in_a_fixed_number_of_queries(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.users["leadership"])
    version_with(world, TODAY - timedelta(days=400), {dictionary.KOMUNIKASI: 2})
    with CaptureQueriesContext(connection) as one:
        assert client.get("/kompetensi/standar/").status_code == 200
    for n in range(1, 6):
        version_with(world, TODAY + timedelta(days=n), {dictionary.KOMUNIKASI: 2})
    with CaptureQueriesContext(connection) as six:
        page = client.get("/kompetensi/standar/").content.decode()
    assert page.count("/kompetensi/standar/") >= 6
    assert len(six.captured_queries) == len(one.captured_queries)


def test_step_links_follow_the_step_names_when_the_standard_changed_meanwhile(client, world):
    competency = technical(world)
    client.force_login(world.users["hr"])
    page = client.get("/kompetensi/langkah/ktp-el/").content.decode()
    steps = re.findall(r'name="steps" value="([^"]+)"', page)
    assert steps[1] == "Verifikasi"
    # The standard is changed before the form comes back: its first two steps move to the end.
    first, second = ProcedureStep.objects.filter(standard__service__code="ktp-el").order_by(
        "order"
    )[:2]
    second.order, first.order = 10_000, 20_000
    second.save(update_fields=["order"])
    first.save(update_fields=["order"])
    assert (
        ProcedureStep.objects.filter(standard__service__code="ktp-el").order_by("order")[1].name
        != "Verifikasi"
    )
    fields = {"steps": steps, "step:Verifikasi": [str(competency.pk)]}
    assert client.post("/kompetensi/langkah/ktp-el/", fields).status_code == 302
    link = StepCompetency.objects.get()
    assert (link.step, link.competency) == ("Verifikasi", competency)
