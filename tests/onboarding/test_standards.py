"""The service-standards import (kind "standards"): the sample agency's workbook planned and
applied, re-run, versioned, and every refusal named by sheet, row and column."""

from __future__ import annotations

import copy
import io
from datetime import date
from pathlib import Path

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from sigap.audit.models import AuditEntry
from sigap.catalogue.models import Service, ServiceStandard
from sigap.catalogue.services import publish_problems
from sigap.onboarding import plan as onboarding
from sigap.onboarding.standards_template import (
    SAMPLE_PATH,
    TEMPLATE_PATH,
    sample_bytes,
    sample_rows,
    template_bytes,
    to_bytes,
    workbook,
)
from sigap.organisation.models import Agency, Unit
from sigap.service_requests.services import service_request_submit
from tests import factories
from tests.conftest import local

ROOT = Path(__file__).resolve().parents[2]
NAME = "standar-pelayanan.xlsx"

# The sample's rows (docs/onboarding/samples/README.md): Layanan 2 kk 2025, 3 kk 2026,
# 4 akta 2025, 5 pbg 2025; Persyaratan 2-4 kk 2025, 5-7 kk 2026, 8-10 akta, 11-14 pbg;
# Prosedur 2-5 kk 2025, 6-9 kk 2026, 10-13 akta, 14-18 pbg.
UNITS = [
    ("A8ACA7397AEB3912E040640A040269BB", None, "pemda", "Pemerintah Kabupaten Sukamaju", "pemda"),
    ("A8ACA7397AF23912E040640A040269BB", "pemda", "dpmptsp",
     "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "opd"),
    ("A8ACA7397AF33912E040640A040269BB", "dpmptsp", "perizinan", "Bidang Pelayanan Perizinan",
     "bidang"),
    ("A8ACA7397AF43912E040640A040269BB", "pemda", "disdukcapil",
     "Dinas Kependudukan dan Pencatatan Sipil", "opd"),
    ("A8ACA7397AF53912E040640A040269BB", "disdukcapil", "pendaftaran",
     "Bidang Pelayanan Pendaftaran Penduduk", "bidang"),
    ("A8ACA7397AF63912E040640A040269BB", "pemda", "bkpsdm",
     "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "opd"),
    ("A8ACA7397AF73912E040640A040269BB", "pemda", "inspektorat", "Inspektorat Daerah", "opd"),
]  # fmt: skip


@pytest.fixture
def sukamaju(db: None) -> Agency:
    agency = Agency.objects.create(
        code="sukamaju", name="Kabupaten Sukamaju", kind="kabupaten", region_code="32.19"
    )
    made: dict[str, Unit] = {}
    for siasn, parent, code, name, kind in UNITS:
        made[code] = Unit.objects.create(
            agency=agency,
            parent=made[parent] if parent else None,
            code=code,
            name=name,
            kind=kind,
            siasn_id=siasn,
        )
    return agency


def _file(services=None, requirements=None, steps=None) -> bytes:  # type: ignore[no-untyped-def]
    s, r, p = copy.deepcopy(sample_rows())
    return to_bytes(workbook(services or s, requirements or r, steps or p))


def _where(plan: onboarding.Plan, severity: str = "error") -> set[tuple[str, int, str]]:
    return {(p.sheet, p.row, p.column) for p in plan.problems if p.severity == severity}


def _apply(agency: Agency, data: bytes) -> onboarding.Applied:
    return onboarding.apply("standards", data, NAME, agency=agency, actor="test")


def _cells(data: bytes) -> dict[str, list[tuple[object, ...]]]:
    book = load_workbook(io.BytesIO(data))
    return {s.title: list(s.iter_rows(values_only=True)) for s in book.worksheets}


def test_the_committed_template_and_sample_are_what_the_generator_writes():
    assert _cells((ROOT / TEMPLATE_PATH).read_bytes()) == _cells(template_bytes())
    assert _cells((ROOT / SAMPLE_PATH).read_bytes()) == _cells(sample_bytes())
    sheets = _cells(template_bytes())
    assert list(sheets) == ["Layanan", "Persyaratan", "Prosedur", "Petunjuk"]
    assert len(sheets["Layanan"]) == 1 and len(sheets["Layanan"][0]) == 20
    # The 14 components are each explained on the guide.
    komponen = [row[2] for row in sheets["Petunjuk"] if row[2]]
    assert len(komponen) == 15  # the header and the 14 components
    assert komponen[1].startswith("1. Dasar hukum") and komponen[14].startswith("14. Evaluasi")


def test_the_template_offers_pick_lists_for_yes_no_and_roles():
    book = load_workbook(io.BytesIO(template_bytes()))
    lists = {
        (sheet.title, str(v.sqref)): v.formula1
        for sheet in book.worksheets
        for v in sheet.data_validations.dataValidation
    }
    assert lists[("Layanan", "K2:K501")] == '"ya,tidak"'
    assert lists[("Layanan", "T2:T501")] == '"ya,tidak"'
    assert lists[("Prosedur", "F2:F501")] == '"Petugas layanan,Kepala unit"'
    assert lists[("Persyaratan", "D2:D501")] == '"dokumen,isian,pernyataan"'


def test_the_sample_is_planned_then_applied_and_its_standards_can_be_published(sukamaju):
    data = sample_bytes()
    plan = onboarding.dry_run("standards", data, NAME, agency=sukamaju)
    assert plan.problems == []
    assert plan.rows == 4 + 13 + 17
    assert plan.counts() == {
        "create": 7, "update": 0, "deactivate": 0, "unchanged": 0, "errors": 0, "warnings": 0,
    }  # fmt: skip
    assert not Service.objects.exists()  # the dry run wrote nothing
    applied = _apply(sukamaju, data)
    assert applied.counts["create"] == 7
    assert AuditEntry.objects.filter(action="standard.import").count() == 4

    kk = Service.objects.get(code="sukamaju-kk")
    assert kk.name == "Penerbitan Kartu Keluarga" and kk.unit.code == "pendaftaran"
    v1, v2 = kk.standards.order_by("version")
    assert (v1.version, v1.valid_from, v1.valid_until, v1.sla_working_days) == (
        1, date(2025, 1, 1), date(2025, 12, 31), 3,
    )  # fmt: skip
    assert (v2.version, v2.valid_from, v2.valid_until, v2.sla_working_days) == (
        2, date(2026, 1, 1), None, 1,
    )  # fmt: skip
    assert v2.product == "Kartu Keluarga" and v2.product_signed and v2.tariff_rupiah == 0
    assert v2.requirements == [
        {"name": "Formulir permohonan F-1.02", "kind": "document"},
        {"name": "Buku nikah atau akta perkawinan", "kind": "document"},
        {"name": "Kartu Keluarga lama", "kind": "document", "optional": True},
    ]
    steps = v2.ordered_steps()
    assert [(s.order, s.name, s.expected_minutes, s.done_by_role) for s in steps] == [
        (1, "Verifikasi berkas", 15, ""),
        (2, "Entri data", 20, ""),
        (3, "Persetujuan", 10, "unit_head"),
        (4, "Pencetakan dokumen", 10, ""),
    ]
    pbg = Service.objects.get(code="sukamaju-pbg")
    (pbg_standard,) = pbg.standards.all()
    assert pbg.unit.code == "perizinan" and pbg_standard.sla_working_days == 28
    assert [s.name for s in pbg_standard.ordered_steps()][-1] == "Penerbitan PBG"
    assert pbg_standard.requirements[2:] == [
        {"name": "Nomor Induk Berusaha", "kind": "field", "optional": True},
        {"name": "Data yang disampaikan benar", "kind": "statement"},
    ]
    for standard in ServiceStandard.objects.filter(service__unit__agency=sukamaju):
        assert publish_problems(standard) == {}
        for step in standard.ordered_steps():
            step.full_clean()


def test_a_request_can_be_submitted_against_an_imported_standard(sukamaju):
    _apply(sukamaju, sample_bytes())
    early = service_request_submit(
        service="sukamaju-kk",
        applicant=factories.APPLICANT,
        channel="online",
        submitted_at=local(2025, 6, 2, 10),
    )
    late = service_request_submit(
        service="sukamaju-kk",
        applicant=factories.APPLICANT,
        channel="counter",
        submitted_at=local(2026, 3, 2, 10),
    )
    assert (early.standard.version, late.standard.version) == (1, 2)
    assert late.unit.code == "pendaftaran"
    assert late.current_step is not None and late.current_step.name == "Verifikasi berkas"


def test_running_the_same_file_again_changes_nothing(sukamaju):
    _apply(sukamaju, sample_bytes())
    before = list(ServiceStandard.objects.values_list("pk", "version", "valid_until"))
    again = _apply(sukamaju, sample_bytes())
    assert again.counts == {
        "create": 0, "update": 0, "deactivate": 0, "unchanged": 7, "errors": 0, "warnings": 0,
    }  # fmt: skip
    assert list(ServiceStandard.objects.values_list("pk", "version", "valid_until")) == before


def test_a_new_start_date_adds_a_version_and_ends_the_one_before(sukamaju):
    _apply(sukamaju, sample_bytes())
    services, requirements, steps = copy.deepcopy(sample_rows())
    july = date(2026, 7, 1)
    services.append([*services[1][:3], july, *services[1][4:7], 2, *services[1][8:]])
    requirements += [[r[0], july, *r[2:]] for r in requirements[3:6]]
    steps += [[s[0], july, *s[2:]] for s in steps[4:8]]
    plan = onboarding.dry_run(
        "standards", _file(services, requirements, steps), NAME, agency=sukamaju
    )
    assert plan.ok
    changed = [(c.action, c.label) for c in plan.changes if c.action != "unchanged"]
    assert changed == [
        ("update", "sukamaju-kk, in force from 2026-01-01"),
        ("create", "sukamaju-kk, in force from 2026-07-01"),
    ]
    (ended,) = [c for c in plan.changes if c.action == "update"]
    assert ended.fields == {"in force until": ("", "2026-06-30")}
    _apply(sukamaju, _file(services, requirements, steps))
    kk = Service.objects.get(code="sukamaju-kk")
    assert list(kk.standards.order_by("version").values_list(
        "version", "valid_from", "valid_until", "sla_working_days"
    )) == [
        (1, date(2025, 1, 1), date(2025, 12, 31), 3),
        (2, date(2026, 1, 1), date(2026, 6, 30), 1),
        (3, july, None, 2),
    ]  # fmt: skip
    assert kk.standard_on(date(2026, 8, 1)).steps.count() == 4


def test_the_same_start_date_with_other_content_rewrites_it_until_a_request_is_judged(sukamaju):
    _apply(sukamaju, sample_bytes())
    services, requirements, steps = copy.deepcopy(sample_rows())
    services[1][7] = "2 hari kerja"  # kk 2026: 2 working days instead of 1
    steps[7][3] = "Pencetakan dan penyerahan"
    plan = onboarding.dry_run(
        "standards", _file(services, requirements, steps), NAME, agency=sukamaju
    )
    (update,) = [c for c in plan.changes if c.action == "update"]
    assert update.fields == {
        "time limit in working days (jangka waktu)": ("1", "2"),
        "Procedure steps": (
            "Verifikasi berkas; Entri data; Persetujuan; Pencetakan dokumen",
            "Verifikasi berkas; Entri data; Persetujuan; Pencetakan dan penyerahan",
        ),
    }
    _apply(sukamaju, _file(services, requirements, steps))
    v2 = Service.objects.get(code="sukamaju-kk").standard_on(date(2026, 2, 2))
    assert v2.version == 2 and v2.sla_working_days == 2
    assert v2.ordered_steps()[3].name == "Pencetakan dan penyerahan"

    service_request_submit(
        service="sukamaju-kk", applicant=factories.APPLICANT, channel="online",
        submitted_at=local(2026, 3, 2, 10),
    )  # fmt: skip
    services[1][7] = 4
    refused = onboarding.dry_run(
        "standards", _file(services, requirements, steps), NAME, agency=sukamaju
    )
    assert _where(refused) == {("Layanan", 3, "Berlaku mulai")}
    assert "new start date" in refused.errors[0].message


def test_a_version_before_requests_of_the_one_it_would_shorten_is_refused(sukamaju):
    _apply(sukamaju, sample_bytes())
    service_request_submit(
        service="sukamaju-pbg", applicant=factories.APPLICANT, channel="online",
        submitted_at=local(2026, 3, 2, 10),
    )  # fmt: skip
    services, requirements, steps = copy.deepcopy(sample_rows())
    services.append([*services[3][:3], date(2026, 2, 1), *services[3][4:]])
    requirements += [[r[0], date(2026, 2, 1), *r[2:]] for r in requirements[10:14]]
    steps += [[s[0], date(2026, 2, 1), *s[2:]] for s in steps[12:17]]
    plan = onboarding.dry_run(
        "standards", _file(services, requirements, steps), NAME, agency=sukamaju
    )
    assert _where(plan) == {("Layanan", 6, "Berlaku mulai")}


def _svc(row: int, col: int, value: object):  # type: ignore[no-untyped-def]
    def change(s, r, p):  # type: ignore[no-untyped-def]
        s[row - 2][col] = value

    return change


def _req(row: int, col: int, value: object):  # type: ignore[no-untyped-def]
    def change(s, r, p):  # type: ignore[no-untyped-def]
        r[row - 2][col] = value

    return change


def _step(row: int, col: int, value: object):  # type: ignore[no-untyped-def]
    def change(s, r, p):  # type: ignore[no-untyped-def]
        p[row - 2][col] = value

    return change


def _no_pbg_steps(s, r, p):  # type: ignore[no-untyped-def]
    del p[12:17]


AKTA_ROWS = {("Persyaratan", n, "Kode layanan") for n in (8, 9, 10)} | {
    ("Prosedur", n, "Kode layanan") for n in (10, 11, 12, 13)
}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(_svc(4, 2, "Dinas Antah Berantah"), {("Layanan", 4, "Unit kerja")}, id="unit"),
        pytest.param(_no_pbg_steps, {("Layanan", 5, "")}, id="no-steps"),
        pytest.param(_step(18, 2, 4), {("Prosedur", 18, "Urutan")}, id="step-order-twice"),
        pytest.param(_svc(4, 7, 0), {("Layanan", 4, "Jangka waktu (hari kerja)")}, id="sla-0"),
        pytest.param(_svc(4, 7, "tiga"), {("Layanan", 4, "Jangka waktu (hari kerja)")}, id="sla"),
        pytest.param(_svc(5, 8, "dua ribu"), {("Layanan", 5, "Biaya/tarif (Rp)")}, id="tariff"),
        pytest.param(
            _svc(4, 3, "31-02-2025"), {("Layanan", 4, "Berlaku mulai")} | AKTA_ROWS, id="date"
        ),
        pytest.param(_step(4, 5, "Bupati"), {("Prosedur", 4, "Oleh peran")}, id="role"),
        pytest.param(_step(4, 5, "Inspektorat"), {("Prosedur", 4, "Oleh peran")},
                     id="no-step-role"),
        pytest.param(
            _step(3, 7, 3), {("Prosedur", 3, "Oleh petugas lain dari langkah")}, id="later-step"
        ),
        pytest.param(
            _step(5, 7, 9), {("Prosedur", 5, "Oleh petugas lain dari langkah")}, id="no-such-step"
        ),
        pytest.param(_req(2, 0, "sukamaju-ktp"), {("Persyaratan", 2, "Kode layanan")}, id="req"),
        pytest.param(
            _req(5, 1, date(2024, 1, 1)), {("Persyaratan", 5, "Kode layanan")}, id="req-version"
        ),
        pytest.param(_req(3, 2, "Formulir permohonan F-1.02"), {("Persyaratan", 3, "Persyaratan")},
                     id="req-twice"),
        pytest.param(_svc(5, 9, ""), {("Layanan", 5, "Produk pelayanan")}, id="no-product"),
        pytest.param(_svc(2, 10, "mungkin"), {("Layanan", 2, "Produk ditandatangani elektronik")},
                     id="yes-no"),
        pytest.param(_step(7, 4, 0), {("Prosedur", 7, "Waktu (menit)")}, id="minutes"),
        pytest.param(_step(7, 3, "Langkah " * 30), {("Prosedur", 7, "Langkah")}, id="long-step"),
        pytest.param(_step(7, 3, ""), {("Prosedur", 7, "Langkah")}, id="no-step-name"),
    ],
)  # fmt: skip
def test_bad_input_is_named_by_sheet_row_and_column(sukamaju, change, expected):
    rows = copy.deepcopy(sample_rows())
    change(*rows)
    plan = onboarding.dry_run("standards", to_bytes(workbook(*rows)), NAME, agency=sukamaju)
    assert _where(plan) == expected
    assert all(p.file == NAME and p.message for p in plan.problems)


def _edited(edit) -> bytes:  # type: ignore[no-untyped-def]
    book = load_workbook(io.BytesIO(sample_bytes()))
    edit(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_missing_sheet_or_column_is_named(sukamaju):
    no_steps = _edited(lambda book: book.remove(book["Prosedur"]))
    plan = onboarding.dry_run("standards", no_steps, NAME, agency=sukamaju)
    assert _where(plan) == {("Prosedur", 0, "")}
    assert "Prosedur" in plan.errors[0].message

    no_product = _edited(lambda book: book["Layanan"].delete_cols(10))
    plan = onboarding.dry_run("standards", no_product, NAME, agency=sukamaju)
    assert _where(plan) == {("Layanan", 1, "Produk pelayanan")}

    not_a_workbook = onboarding.dry_run("standards", b"kode;nama\n", NAME, agency=sukamaju)
    assert _where(not_a_workbook) == {("", 0, "")}


def test_an_unknown_column_is_a_warning(sukamaju):
    def extra(book: Workbook) -> None:
        book["Layanan"].cell(row=1, column=21, value="Catatan")

    plan = onboarding.dry_run("standards", _edited(extra), NAME, agency=sukamaju)
    assert plan.ok and _where(plan, "warning") == {("Layanan", 1, "Catatan")}


def test_a_refused_apply_writes_nothing(sukamaju):
    services, requirements, steps = copy.deepcopy(sample_rows())
    services[3][8] = "mahal"  # pbg's tariff; the three other versions are fine
    with pytest.raises(onboarding.ImportRefused) as refused:
        _apply(sukamaju, _file(services, requirements, steps))
    assert [(p.sheet, p.row, p.column) for p in refused.value.problems] == [
        ("Layanan", 5, "Biaya/tarif (Rp)")
    ]
    assert not Service.objects.exists() and not ServiceStandard.objects.exists()
    assert not sukamaju.import_runs.filter(applied=True).exists()


def test_the_requirements_summary_is_used_when_the_sheet_has_none(sukamaju):
    services, requirements, steps = copy.deepcopy(sample_rows())
    services[3][5] = "1. Dokumen rencana teknis\n2. Bukti kepemilikan tanah; KTP-el pemohon"
    requirements = [r for r in requirements if r[0] != "sukamaju-pbg"]
    _apply(sukamaju, _file(services, requirements, steps))
    standard = ServiceStandard.objects.get(service__code="sukamaju-pbg")
    assert [r["name"] for r in standard.requirements] == [
        "Dokumen rencana teknis", "Bukti kepemilikan tanah", "KTP-el pemohon",
    ]  # fmt: skip


def test_the_importer_is_registered_for_the_organisation_onboarding_right():
    assert onboarding.REQUIRED_ACTION["standards"] == "onboard.organisation"


def test_problems_and_changes_read_in_indonesian(sukamaju):
    rows = copy.deepcopy(sample_rows())
    rows[2][2][5] = "Bupati"
    with translation.override("id"):
        plan = onboarding.dry_run("standards", to_bytes(workbook(*rows)), NAME, agency=sukamaju)
        (problem,) = plan.errors
        assert problem.message == (
            "Peran tidak dikenal: tuliskan salah satu dari Petugas layanan, Kepala unit."
        )
        assert problem.where() == "standar-pelayanan.xlsx, Prosedur, 4, Oleh peran"
        good = onboarding.dry_run("standards", sample_bytes(), NAME, agency=sukamaju)
    labels = [(c.what, c.label) for c in good.changes][:2]
    assert labels == [
        ("Layanan", "sukamaju-akta-lahir Penerbitan Akta Kelahiran"),
        ("Standar pelayanan", "sukamaju-akta-lahir, berlaku mulai 2025-01-01"),
    ]
