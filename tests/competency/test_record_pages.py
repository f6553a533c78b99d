"""HR's competency record pages: the employee's records, the two forms, the two imports, and
the certificate download (the employee, the unit head, HR; never anyone else)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sigap.accounts.roles import Role
from sigap.competency import records
from sigap.competency.models import Assessment, TrainingRecord
from tests.competency.conftest import csv_bytes
from tests.documents import files
from tests.factories import user
from tests.web.test_language import findings

pytestmark = pytest.mark.django_db


def _records_url(world) -> str:  # type: ignore[no-untyped-def]
    return f"/kompetensi/pegawai/{world.officer_a.pk}/riwayat/"


def _training(world, certificate: bytes | None = None) -> TrainingRecord:  # type: ignore[no-untyped-def]
    return records.training_record(
        employee=world.officer_a,
        title="Bimtek verifikasi berkas",
        route="bimbingan_teknis",
        starts_on=date(2025, 2, 3),
        ends_on=date(2025, 2, 4),
        hours=Decimal(12),
        actor=world.users["hr"],
        provider="BPSDM Provinsi",
        certificate_number="BT-17/2025",
        certificate=certificate,
        certificate_filename="bimtek.pdf",
    )


def _content(world, dictionary) -> TrainingRecord:  # type: ignore[no-untyped-def]
    for level, day, method in ((2, date(2023, 3, 1), "assessment_centre"),
                               (3, date(2025, 3, 1), "feedback_360")):  # fmt: skip
        records.assessment_record(
            employee=world.officer_a, competency=dictionary.pelayanan, level=level,
            assessed_on=day, method=method, actor=world.users["hr"],
        )  # fmt: skip
    records.assessments_import(
        file=csv_bytes([["NIP", "Kode kompetensi", "Level", "Tanggal"],
                        [world.officer_a.nip, "verifikasi-dokumen", 2, "02-01-2025"]]),
        name="hasil-ac-2025.csv", actor=world.users["hr"],
    )  # fmt: skip
    records.siasn_training_import(
        file=csv_bytes([["nipBaru", "namaKursus", "jenisKursus", "tanggalKursus", "jumlahJam"],
                        [world.officer_a.nip, "Coaching pelayanan", "Coaching", "01-04-2025", 4]]),
        name="siasn.csv", actor=world.users["hr"],
    )  # fmt: skip
    return _training(world, files.pdf("Sertifikat"))


def test_hr_reads_the_history_and_the_trainings(client, world, dictionary, store) -> None:
    record = _content(world, dictionary)
    client.force_login(world.users["hr"])
    client.cookies["django_language"] = "id"
    response = client.get(_records_url(world))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("Pelayanan Publik Uji") == 2  # the heading and the caption of its history
    assert "Penilaian 360 derajat" in page and "Assessment center" in page
    assert "Diisi oleh BKPSDM" in page and "Diimpor (hasil-ac-2025.csv)" in page
    assert "Diimpor dari SIASN" in page and "Sesi: 2" in page
    assert f"/kompetensi/pelatihan/{record.pk}/sertifikat/" in page
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_record_pages_speak_the_readers_language(client, world, dictionary, store, language):
    _content(world, dictionary)
    client.force_login(world.users["hr"])
    client.cookies["django_language"] = language
    bad = f"{world.officer_a.nip},tidak-ada,9,kemarin\n"
    problems = client.post(
        "/kompetensi/impor/asesmen/",
        {
            "file": SimpleUploadedFile(
                "x.csv", b"NIP,Kode kompetensi,Level,Tanggal\n" + bad.encode()
            )
        },
    )
    siasn = csv_bytes([["nip", "namaKursus", "jenisKursus", "tanggalKursus", "jumlahJam"],
                       [world.officer_a.nip, "Kursus", "Kursus", "01-03-2025", 3]])  # fmt: skip
    summary = client.post("/kompetensi/impor/siasn/", {"file": SimpleUploadedFile("s.csv", siasn)})
    pages = {
        "records": client.get(_records_url(world)),
        "assessment form": client.get(f"/kompetensi/pegawai/{world.officer_a.pk}/asesmen/baru/"),
        "training form": client.get(f"/kompetensi/pegawai/{world.officer_a.pk}/pelatihan/baru/"),
        "import problems": problems,
        "siasn summary": summary,
    }
    for label, response in pages.items():
        assert response.status_code == 200, label
        assert findings(response.content.decode(), language) == [], label


def test_the_pages_are_hrs_over_the_employees_unit(client, world, dictionary) -> None:
    client.force_login(world.users["head_a"])  # reads competencies, does not keep the records
    assert client.get(_records_url(world)).status_code == 403
    hr_b = user("hr_b", Role.HR, world.puskesmas_b)
    client.force_login(hr_b)
    for path in ("riwayat/", "asesmen/baru/", "pelatihan/baru/"):
        assert client.get(f"/kompetensi/pegawai/{world.officer_a.pk}/{path}").status_code == 404
    for path in ("asesmen/baru/", "pelatihan/baru/"):
        assert client.post(f"/kompetensi/pegawai/{world.officer_a.pk}/{path}").status_code == 404
    assert client.get("/kompetensi/impor/asesmen/").status_code == 200


def test_hr_adds_an_assessment_through_the_form(client, world, dictionary) -> None:
    client.force_login(world.users["hr"])
    url = f"/kompetensi/pegawai/{world.officer_a.pk}/asesmen/baru/"
    form = {"competency": dictionary.verifikasi.pk, "level": 3, "assessed_on": "2025-05-02",
            "method": "uji_kompetensi"}  # fmt: skip
    foreign = client.post(url, form | {"competency": dictionary.foreign.pk})
    assert foreign.status_code == 200 and not Assessment.objects.exists()
    response = client.post(url, form)
    assert response.status_code == 302 and response["Location"] == _records_url(world)
    saved = Assessment.objects.get()
    assert (saved.level, saved.method, saved.source) == (3, "uji_kompetensi", "entered")


def test_hr_adds_a_training_with_its_certificate(client, world, dictionary, store) -> None:
    client.force_login(world.users["hr"])
    client.cookies["django_language"] = "id"
    url = f"/kompetensi/pegawai/{world.officer_a.pk}/pelatihan/baru/"
    form = {"title": "Diklat teknis adminduk", "route": "teknis", "starts_on": "2025-02-03",
            "ends_on": "2025-02-05", "hours": "18", "provider": "BPSDM",
            "certificate_number": "DT-1", "competencies": [dictionary.verifikasi.pk]}  # fmt: skip
    photo = SimpleUploadedFile("sertifikat.pdf", files.jpeg_with_gps(), "application/pdf")
    refused = client.post(url, form | {"certificate": photo})
    assert refused.status_code == 200
    assert (
        "Sertifikat harus berupa berkas PDF; berkas ini adalah gambar." in refused.content.decode()
    )
    assert not TrainingRecord.objects.exists()
    backwards = client.post(url, form | {"ends_on": "2025-02-01"})
    assert "Tanggal selesai pelatihan sebelum tanggal mulainya." in backwards.content.decode()
    pdf = SimpleUploadedFile("sertifikat.pdf", files.pdf(), "application/pdf")
    response = client.post(url, form | {"certificate": pdf})
    assert response.status_code == 302
    saved = TrainingRecord.objects.get()
    assert saved.jp == Decimal(24) and saved.certificate
    assert list(saved.competencies.all()) == [dictionary.verifikasi]


def test_an_import_page_shows_the_problems_or_the_summary(client, world, dictionary) -> None:
    client.force_login(world.users["hr"])
    client.cookies["django_language"] = "id"
    bad = csv_bytes([["NIP", "Kode kompetensi", "Level", "Tanggal"],
                     [world.officer_a.nip, "pelayanan-publik-uji", 3, "01-02-2025"],
                     ["123", "pelayanan-publik-uji", 3, "01-02-2025"]])  # fmt: skip
    page = client.post(
        "/kompetensi/impor/asesmen/", {"file": SimpleUploadedFile("ac.csv", bad)}
    ).content.decode()
    assert "Tidak ada yang diimpor" in page
    assert "<td>ac.csv</td><td>3</td><td>NIP</td>" in page
    assert not Assessment.objects.exists()
    good = csv_bytes([["NIP", "Kode kompetensi", "Level", "Tanggal"],
                      [world.officer_a.nip, "pelayanan-publik-uji", 3, "01-02-2025"]])  # fmt: skip
    for created, skipped in ((1, 0), (0, 1)):
        page = client.post(
            "/kompetensi/impor/asesmen/", {"file": SimpleUploadedFile("ac.csv", good)}
        ).content.decode()
        assert f'data-testid="import-created">{created}<' in page
        assert f'data-testid="import-skipped">{skipped}<' in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("officer_a", 200),  # the employee themself
        ("head_a", 200),  # the unit head over counter A
        ("hr", 200),
        ("leadership", 404),  # reads the competency figures, not a person's certificate
        ("officer_b", 404),  # a stranger: the same answer as for no such record
        ("inspector", 404),
        ("ombudsman", 404),
        ("admin", 404),
        ("norole", 404),
        ("anon", 302),
    ],
)
def test_a_certificate_is_handed_only_to_those_who_may_read_it(
    client, world, store, persona, status
) -> None:
    body = files.pdf("Sertifikat Siti")
    record = _training(world, body)
    if persona != "anon":
        client.force_login(world.users[persona])
    response = client.get(f"/kompetensi/pelatihan/{record.pk}/sertifikat/")
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == body
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]
        assert "no-store" in response["Cache-Control"]


def test_a_training_without_a_certificate_has_nothing_to_hand_out(client, world, store) -> None:
    record = _training(world)
    client.force_login(world.users["officer_a"])
    assert client.get(f"/kompetensi/pelatihan/{record.pk}/sertifikat/").status_code == 404
    client.force_login(world.users["hr"])
    response = client.get(f"/kompetensi/pelatihan/{record.pk}/sertifikat/")
    assert response.status_code == 302 and response["Location"] == _records_url(world)


def test_hr_opens_the_records_from_the_employee_directory(client, world) -> None:
    link = f'href="/kompetensi/pegawai/{world.officer_a.pk}/riwayat/"'
    client.force_login(world.users["hr"])
    assert link in client.get("/pegawai/").content.decode()
    client.force_login(world.users["head_a"])  # reads the directory, keeps no records
    page = client.get("/pegawai/").content.decode()
    assert world.officer_a.name in page and link not in page
