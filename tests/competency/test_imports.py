"""Imports of assessment results (the assessment centre's XLSX/CSV) and of training records (a
SIASN riwayat kursus/diklat export), and the certificate checks: every bad input names the file,
the row and the column, and nothing is half-imported."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from sigap.accounts.roles import Role
from sigap.audit.models import AuditEntry
from sigap.competency import records
from sigap.competency.models import Assessment, TrainingRecord
from sigap.documents import storage
from sigap.rules.competency import Route
from tests.competency.conftest import as_text, csv_bytes, damaged_sheet, xlsx_bytes
from tests.documents import files
from tests.factories import user

pytestmark = pytest.mark.django_db

ASSESSMENT_HEADER = ["NIP", "Kode kompetensi", "Level", "Tanggal", "Metode"]
SIASN_HEADER = [
    "nipBaru", "namaKursus", "jenisKursus", "institusiPenyelenggara", "tanggalKursus",
    "tanggalSelesaiKursus", "jumlahJam", "nomorSertipikat", "tahunKursus",
]  # fmt: skip
KINDS = ["csv", "xlsx"]


def _file(kind: str, rows: list[list[object]]) -> bytes:
    return xlsx_bytes(rows) if kind == "xlsx" else csv_bytes(as_text(rows))


def _assessment_rows(world, dictionary) -> list[list[object]]:  # type: ignore[no-untyped-def]
    return [
        ASSESSMENT_HEADER,
        [world.officer_a.nip, "pelayanan-publik-uji", 3, date(2025, 1, 15), "Assessment Center"],
        [world.officer_a.nip, "Verifikasi dokumen kependudukan", 2, date(2025, 1, 15), "Ujikom"],
        [world.head_a.nip, "integritas-uji", 4, date(2024, 11, 2), "360"],
    ]


def _siasn_rows(world) -> list[list[object]]:  # type: ignore[no-untyped-def]
    return [
        SIASN_HEADER,
        [world.officer_a.nip, "Diklat Teknis Adminduk", "Diklat Teknis", "BPSDM Provinsi",
         date(2025, 2, 3), date(2025, 2, 6), 24, "SRT-001/2025", 2025],
        [world.officer_a.nip, "Seminar Pelayanan Prima", "Seminar/Konferensi/Sarasehan",
         "Kementerian PANRB", date(2025, 3, 4), date(2025, 3, 4), 8, "", 2025],
        [world.head_a.nip, "Coaching kepemimpinan", "Coaching", "BKPSDM",
         date(2025, 4, 1), date(2025, 4, 30), 4, "", 2025],
    ]  # fmt: skip


def _counts() -> tuple[int, int]:
    return Assessment.objects.count(), TrainingRecord.objects.count()


# --- assessments: the good file -------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_an_assessment_file_imports_every_row(world, dictionary, kind) -> None:
    data = _file(kind, _assessment_rows(world, dictionary))
    summary = records.assessments_import(
        file=data, name=f"hasil-ac.{kind}", actor=world.users["hr"]
    )
    assert (summary.rows, summary.created, summary.skipped, summary.repeated) == (3, 3, 0, 0)
    got = {
        (a.employee_id, a.competency_id, a.level, a.assessed_on, a.method, a.source, a.source_file)
        for a in Assessment.objects.all()
    }
    assert got == {
        (world.officer_a.pk, dictionary.pelayanan.pk, 3, date(2025, 1, 15), "assessment_centre",
         "imported", f"hasil-ac.{kind}"),
        (world.officer_a.pk, dictionary.verifikasi.pk, 2, date(2025, 1, 15), "uji_kompetensi",
         "imported", f"hasil-ac.{kind}"),
        (world.head_a.pk, dictionary.integritas.pk, 4, date(2024, 11, 2), "feedback_360",
         "imported", f"hasil-ac.{kind}"),
    }  # fmt: skip
    entry = AuditEntry.objects.get(action="competency.assessment_import")
    assert entry.data == {"rows": 3, "created": 3, "skipped": 0}


def test_importing_the_same_file_again_adds_nothing(world, dictionary) -> None:
    data = _file("csv", _assessment_rows(world, dictionary))
    records.assessments_import(file=data, name="a.csv", actor=world.users["hr"])
    again = records.assessments_import(file=data, name="a.csv", actor=world.users["hr"])
    assert (again.created, again.skipped) == (0, 3)
    assert Assessment.objects.count() == 3


def test_rows_repeated_in_a_file_are_skipped_and_counted(world, dictionary) -> None:
    rows = _assessment_rows(world, dictionary)
    rows.append(list(rows[1]))
    summary = records.assessments_import(
        file=_file("csv", rows), name="a.csv", actor=world.users["hr"]
    )
    assert (summary.created, summary.repeated) == (3, 1)
    again = records.assessments_import(
        file=_file("csv", rows), name="a.csv", actor=world.users["hr"]
    )
    assert (again.created, again.skipped) == (0, 4)


def test_an_indonesian_excel_csv_with_semicolons_and_a_bom_is_read(world, dictionary) -> None:
    rows = as_text(_assessment_rows(world, dictionary))
    rows[0] = ["nip", "KODE KOMPETENSI", "level", "tanggal"]  # no Metode: assessment centre
    rows[1:] = [r[:4] for r in rows[1:]]
    data = csv_bytes(rows, delimiter=";", bom=True)
    summary = records.assessments_import(file=data, name="a.csv", actor=world.users["hr"])
    assert summary.created == 3
    assert set(Assessment.objects.values_list("method", flat=True)) == {"assessment_centre"}


# --- assessments: every bad input ------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("col", "value", "words"),
    [
        (0, "199001012015011999", "Unknown NIP “199001012015011999”"),
        (1, "kompetensi-entah", "Unknown competency “kompetensi-entah”"),
        (1, "perizinan-kota-lain", "Unknown competency"),  # another agency's
        (2, 6, "whole number from 1 to 5"),
        (2, 0, "whole number from 1 to 5"),
        (2, "3.5", "whole number from 1 to 5"),
        (2, "tiga", "whole number from 1 to 5"),
        (3, "31-02-2025", "is not a date"),
        (3, "kemarin", "is not a date"),
        (3, date.today() + timedelta(days=3), "in the future"),
        (4, "wawancara", "Unknown method “wawancara”"),
    ],
)
def test_a_bad_assessment_row_refuses_the_whole_file(
    world, dictionary, kind, col, value, words
) -> None:
    rows = _assessment_rows(world, dictionary)
    rows[2][col] = value  # the second data row: row 3 of the file
    before = _counts()
    with pytest.raises(records.ImportRefused) as exc:
        records.assessments_import(
            file=_file(kind, rows), name=f"ac.{kind}", actor=world.users["hr"]
        )
    assert _counts() == before  # the good rows 2 and 4 are not imported either
    [problem] = exc.value.problems
    assert (problem.file, problem.row, problem.column) == (f"ac.{kind}", 3, ASSESSMENT_HEADER[col])
    assert words in problem.message
    assert not AuditEntry.objects.filter(action="competency.assessment_import").exists()


def test_every_problem_of_a_file_is_named_at_once(world, dictionary) -> None:
    rows = _assessment_rows(world, dictionary)
    rows[1][2] = 9
    rows[3][0] = "123"
    rows[3][3] = "2025/13/40"
    with pytest.raises(records.ImportRefused) as exc:
        records.assessments_import(file=_file("csv", rows), name="x.csv", actor=world.users["hr"])
    assert [(p.row, p.column) for p in exc.value.problems] == [
        (2, "Level"),
        (4, "NIP"),
        (4, "Tanggal"),
    ]


def test_a_missing_column_is_named_on_the_header_row(world, dictionary) -> None:
    rows = [r[:2] + r[3:] for r in _assessment_rows(world, dictionary)]  # no Level
    with pytest.raises(records.ImportRefused) as exc:
        records.assessments_import(file=_file("csv", rows), name="x.csv", actor=world.users["hr"])
    [problem] = exc.value.problems
    assert (problem.file, problem.row, problem.column) == ("x.csv", 1, "Level")


def test_an_employee_outside_hrs_units_is_unknown(world, dictionary) -> None:
    hr_b = user("hr_b", Role.HR, world.puskesmas_b)  # HR over Puskesmas B only
    with pytest.raises(records.ImportRefused) as exc:
        records.assessments_import(
            file=_file("csv", _assessment_rows(world, dictionary)), name="x.csv", actor=hr_b
        )
    assert {(p.row, p.column) for p in exc.value.problems} == {(2, "NIP"), (3, "NIP"), (4, "NIP")}
    assert _counts() == (0, 0)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"\n\n", "empty"),
        (b"PK\x03\x04 not really a workbook", "cannot be read"),
    ],
)
def test_an_unreadable_file_is_refused_on_row_one(world, data, words) -> None:
    with pytest.raises(records.ImportRefused) as exc:
        records.assessments_import(file=data, name="x.xlsx", actor=world.users["hr"])
    [problem] = exc.value.problems
    assert problem.row == 1 and words in problem.message


def test_the_errors_read_in_indonesian(world, dictionary) -> None:
    rows = _assessment_rows(world, dictionary)
    rows[1][2] = 7
    with translation.override("id"), pytest.raises(records.ImportRefused) as exc:
        records.assessments_import(file=_file("csv", rows), name="x.csv", actor=world.users["hr"])
    assert exc.value.problems[0].message == (
        "Level harus bilangan bulat 1 sampai 5; berkas berisi “7”."
    )


# --- SIASN riwayat kursus/diklat -------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_siasn_export_imports_with_its_jp(world, kind) -> None:
    summary = records.siasn_training_import(
        file=_file(kind, _siasn_rows(world)), name=f"siasn.{kind}", actor=world.users["hr"]
    )
    assert (summary.created, summary.skipped) == (3, 0)
    by_title = {t.title: t for t in TrainingRecord.objects.all()}
    teknis = by_title["Diklat Teknis Adminduk"]
    # 24 JP in SIASN: 18 clock hours stored, and the ACTUAL rule gives the 24 JP back.
    assert (teknis.route, teknis.hours, teknis.jp) == (Route.TEKNIS, Decimal("18.00"), Decimal(24))
    assert teknis.provider == "BPSDM Provinsi" and teknis.certificate_number == "SRT-001/2025"
    assert teknis.source == TrainingRecord.Source.SIASN and teknis.source_file == f"siasn.{kind}"
    # A one-day seminar counts 4 JP by the agency's rule, whatever SIASN's 8.
    seminar = by_title["Seminar Pelayanan Prima"]
    assert (seminar.route, seminar.hours, seminar.jp) == (Route.SEMINAR, Decimal(6), Decimal(4))
    # Coaching: 4 JP are 2 sessions of 2 JP.
    coaching = by_title["Coaching kepemimpinan"]
    assert (coaching.sessions, coaching.jp) == (2, Decimal(4))


@pytest.mark.parametrize("jp", [1, 3, 7, 20, 24, 32, 40, 52, 71, 100])
def test_siasn_jp_of_a_classroom_route_come_back_exactly(world, jp) -> None:
    rows = [
        SIASN_HEADER,
        [world.officer_a.nip, "Kursus", "Kursus", "", "01-03-2025", "", jp, "", 2025],
    ]
    records.siasn_training_import(file=csv_bytes(rows), name="s.csv", actor=world.users["hr"])
    record = TrainingRecord.objects.get()
    assert record.jp == Decimal(jp)
    assert record.hours == (Decimal(jp) * 45 / 60).quantize(Decimal("0.01"))
    assert record.ends_on == record.starts_on == date(2025, 3, 1)  # no end: one day


def test_a_siasn_file_with_nip_instead_of_nipbaru_and_imported_twice(world) -> None:
    rows = _siasn_rows(world)
    rows[0] = ["nip", *SIASN_HEADER[1:]]
    data = _file("csv", rows)
    records.siasn_training_import(file=data, name="s.csv", actor=world.users["hr"])
    again = records.siasn_training_import(file=data, name="s.csv", actor=world.users["hr"])
    assert (again.created, again.skipped) == (0, 3)
    assert TrainingRecord.objects.count() == 3
    assert AuditEntry.objects.filter(action="competency.training_import").count() == 2


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("col", "value", "column", "words"),
    [
        (0, "199001012015011999", "nipBaru", "Unknown NIP"),
        (2, "Kuliah Umum Daring", "jenisKursus", "Unknown kind of training “Kuliah Umum Daring”"),
        (4, "2025-02-30", "tanggalKursus", "is not a date"),
        (4, "", "tanggalKursus", "The date is missing."),
        (5, date(2025, 2, 1), "tanggalSelesaiKursus", "end date of the training is before"),
        (6, -8, "jumlahJam", "cannot be negative"),
        (6, "delapan", "jumlahJam", "is not a number of JP"),
        (1, "", "namaKursus", "title of the training is missing"),
    ],
)
def test_a_bad_siasn_row_refuses_the_whole_file(world, kind, col, value, column, words) -> None:
    rows = _siasn_rows(world)
    rows[1][col] = value  # the first data row: row 2 of the file
    before = _counts()
    with pytest.raises(records.ImportRefused) as exc:
        records.siasn_training_import(
            file=_file(kind, rows), name=f"siasn.{kind}", actor=world.users["hr"]
        )
    assert _counts() == before
    [problem] = exc.value.problems
    assert (problem.file, problem.row, problem.column) == (f"siasn.{kind}", 2, column)
    assert words in problem.message


def test_every_siasn_kind_in_the_table_maps_to_a_route() -> None:
    for word, route in records.SIASN_ROUTE_WORDS.items():
        assert records.route_of(word.upper()) is route
    assert records.route_of("Seminar / Konferensi / Sarasehan") is Route.SEMINAR
    assert records.route_of("bimbingan_teknis") is Route.BIMBINGAN_TEKNIS  # the stored code
    assert records.route_of("Kuliah Umum") is None


# --- certificates: PDF only, checked by content ---------------------------------------------


def _train_with(world, data: bytes, name: str):  # type: ignore[no-untyped-def]
    return records.training_record(
        employee=world.officer_a,
        title="Bimtek",
        route="bimbingan_teknis",
        starts_on=date(2025, 2, 3),
        ends_on=date(2025, 2, 3),
        hours=Decimal(6),
        actor=world.users["hr"],
        certificate=data,
        certificate_filename=name,
    )


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (
            files.jpeg_with_gps(),
            "sertifikat.pdf",
            "Sertifikat harus berupa berkas PDF; berkas ini adalah gambar.",
        ),
        (
            files.png(),
            "sertifikat.png",
            "Sertifikat harus berupa berkas PDF; berkas ini adalah gambar.",
        ),
        (files.pdf_with_javascript(), "sertifikat.pdf", "PDF"),
        (b"MZ\x90\x00 program", "sertifikat.pdf", "Sertifikat harus berupa berkas PDF."),
        (files.pdf(), "sertifikat.docx", "(.docx)"),
        (b"%PDF-1.4\n truncated", "sertifikat.pdf", "PDF"),
    ],
)
def test_a_certificate_that_is_not_a_clean_pdf_is_refused(world, store, data, name, words) -> None:
    with translation.override("id"), pytest.raises(ValidationError) as exc:
        _train_with(world, data, name)
    message = exc.value.message_dict["certificate"][0]
    assert words in message
    assert TrainingRecord.objects.count() == 0
    assert storage.stored_names() == set()  # nothing written to the store either


def test_a_pdf_with_javascript_gets_its_own_words(world, store) -> None:
    with translation.override("id"), pytest.raises(ValidationError) as exc:
        _train_with(world, files.pdf_with_javascript(), "sertifikat.pdf")
    with translation.override("id"):
        from sigap.documents.services import refusal_message
        from sigap.documents.sniff import Refused

        assert exc.value.message_dict["certificate"] == [refusal_message(Refused("pdf_active"))]


def test_a_header_below_blank_rows_keeps_the_sheets_row_numbers(world, dictionary) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    rows = _assessment_rows(world, dictionary)
    rows[2][2] = 8
    for offset, row in enumerate(rows):  # the header on row 3 (a title block above it)
        for col, value in enumerate(row, start=1):
            sheet.cell(row=3 + offset, column=col, value=value)
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(records.ImportRefused) as exc:
        records.assessments_import(file=out.getvalue(), name="ac.xlsx", actor=world.users["hr"])
    assert [(p.row, p.column) for p in exc.value.problems] == [(5, "Level")]


def test_jp_beyond_what_a_record_holds_are_refused_not_a_crash(world) -> None:
    rows = [
        SIASN_HEADER,
        [world.officer_a.nip, "Kursus", "Kursus", "", "01-03-2025", "", 150000, "", 2025],
        [world.officer_a.nip, "Seminar", "Seminar", "", "01-01-1950", "31-12-2020", 8, "", 2020],
    ]
    with pytest.raises(records.ImportRefused) as exc:
        records.siasn_training_import(file=csv_bytes(rows), name="s.csv", actor=world.users["hr"])
    # Years of a per-day route: the dates make the JP, so the end date is named.
    assert [(p.row, p.column) for p in exc.value.problems] == [
        (2, "jumlahJam"),
        (3, "tanggalSelesaiKursus"),
    ]
    assert TrainingRecord.objects.count() == 0


# --- review fixes ------------------------------------------------------------------------------


def test_a_workbook_damaged_past_a_row_is_refused_naming_file_and_row(world, dictionary) -> None:
    data = damaged_sheet(xlsx_bytes(_assessment_rows(world, dictionary)), rows_kept=2)
    for importer in (records.assessments_import, records.siasn_training_import):
        with pytest.raises(records.ImportRefused) as exc:
            importer(file=data, name="hasil.xlsx", actor=world.users["hr"])
        [problem] = exc.value.problems
        assert (problem.file, problem.row) == ("hasil.xlsx", 3)
        assert "hasil.xlsx is damaged" in problem.message
    assert _counts() == (0, 0)


def test_a_csv_with_an_unclosed_quote_is_refused_not_a_crash(world, dictionary) -> None:
    text = as_text(_siasn_rows(world))
    body = csv_bytes(text).decode()
    # A quote opened and never closed swallows the rest of the file into one cell.
    data = (body + '"' + "x" * 140_000 + "\r\n").encode()
    with pytest.raises(records.ImportRefused) as exc:
        records.siasn_training_import(file=data, name="siasn.csv", actor=world.users["hr"])
    [problem] = exc.value.problems
    assert problem.file == "siasn.csv" and problem.row >= len(text)
    assert "siasn.csv is damaged" in problem.message


@pytest.mark.parametrize("spelling", ["Nama Kursus", "NAMA KURSUS", "nama_kursus", "namakursus"])
def test_siasn_headers_match_without_case_spaces_or_underscores(world, spelling) -> None:
    rows = _siasn_rows(world)
    header = ["NIP Baru", spelling, "JENIS KURSUS", "institusi_penyelenggara", "tanggal_kursus",
              "Tanggal Selesai Kursus", "Jumlah Jam", "nomor sertipikat",
              "tahun kursus"]  # fmt: skip
    summary = records.siasn_training_import(
        file=_file("csv", [header, *rows[1:]]), name="s.csv", actor=world.users["hr"]
    )
    assert summary.created == 3
    assert TrainingRecord.objects.filter(title="Diklat Teknis Adminduk", jp=24).count() == 1


def test_siasn_rows_repeated_in_a_file_count_their_jp_once(world) -> None:
    rows = _siasn_rows(world)
    rows.append(list(rows[1]))
    summary = records.siasn_training_import(
        file=_file("csv", rows), name="s.csv", actor=world.users["hr"]
    )
    assert (summary.rows, summary.created, summary.repeated, summary.skipped) == (4, 3, 1, 0)
    adminduk = TrainingRecord.objects.filter(title="Diklat Teknis Adminduk")
    assert [r.jp for r in adminduk] == [Decimal(24)]


def test_siasn_jp_making_more_sessions_than_a_record_holds_are_refused(world) -> None:
    # Coaching is counted by session (2 JP a session): 5000 JP would be 2500 sessions.
    rows = [
        SIASN_HEADER,
        [world.officer_a.nip, "Coaching", "Coaching", "", "01-03-2025", "31-03-2025", 5000, "", ""],
        [world.officer_a.nip, "Coaching", "Coaching", "", "01-04-2025", "30-04-2025", 2000, "", ""],
    ]
    with pytest.raises(records.ImportRefused) as exc:
        records.siasn_training_import(file=csv_bytes(rows), name="s.csv", actor=world.users["hr"])
    [problem] = exc.value.problems
    assert (problem.row, problem.column) == (2, "jumlahJam")
    assert "2500 sessions" in problem.message
    assert TrainingRecord.objects.count() == 0


def test_another_agencys_competency_is_as_unknown_as_one_that_does_not_exist(
    world, dictionary
) -> None:
    rows = [
        ASSESSMENT_HEADER,
        ["199001012020011999", dictionary.foreign.code, 3, date(2025, 1, 15), ""],
        ["199001012020011999", "tidak-ada-sama-sekali", 3, date(2025, 1, 15), ""],
    ]
    with pytest.raises(records.ImportRefused) as exc:
        records.assessments_import(file=_file("csv", rows), name="a.csv", actor=world.users["hr"])
    by_row: dict[int, list[str]] = {}
    for p in exc.value.problems:
        by_row.setdefault(p.row, []).append(p.column)
    assert by_row[2] == by_row[3] == ["NIP", "Kode kompetensi"]
