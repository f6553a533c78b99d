"""Assessment results and training records written by HR: validated, audited, JP stored, the
history kept."""

from __future__ import annotations

import os
import time
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone, translation

from sigap.audit.labels import detail_lines
from sigap.audit.models import AuditEntry
from sigap.catalogue.models import ProcedureStep
from sigap.competency import records
from sigap.competency.models import Assessment, TrainingRecord
from sigap.documents import storage
from sigap.documents.services import document_sweep
from sigap.rules.competency import JpError
from sigap.web.rule_messages import jp_message
from tests.documents import files

pytestmark = pytest.mark.django_db


def _assess(world, dictionary, **kw):  # type: ignore[no-untyped-def]
    args = {
        "employee": world.officer_a,
        "competency": dictionary.pelayanan,
        "level": 2,
        "assessed_on": date(2024, 5, 2),
        "method": Assessment.Method.ASSESSMENT_CENTRE,
        "actor": world.users["hr"],
    }
    return records.assessment_record(**(args | kw))


def _train(world, **kw):  # type: ignore[no-untyped-def]
    args = {
        "employee": world.officer_a,
        "title": "Pelatihan verifikasi berkas",
        "route": "teknis",
        "starts_on": date(2025, 2, 3),
        "ends_on": date(2025, 2, 5),
        "hours": Decimal("18"),
        "actor": world.users["hr"],
    }
    return records.training_record(**(args | kw))


# --- assessments ---------------------------------------------------------------------------


def test_hr_records_an_assessment_and_the_history_is_kept(world, dictionary) -> None:
    first = _assess(world, dictionary, level=2, assessed_on=date(2023, 4, 1))
    second = _assess(
        world, dictionary, level=3, assessed_on=date(2025, 4, 1), method="uji_kompetensi"
    )
    kept = list(Assessment.objects.filter(employee=world.officer_a))
    assert kept == [second, first]  # both kept, the latest first
    assert second.source == Assessment.Source.ENTERED and second.recorded_by == world.users["hr"]
    entry = AuditEntry.objects.get(action="competency.assessment_record", object_id=str(second.pk))
    assert entry.unit == world.counter_a
    with translation.override("id"):
        lines = {line.label: line.value for line in detail_lines(entry.action, entry.data)}
    assert lines["Kompetensi"] == "Pelayanan Publik Uji"
    assert lines["Pegawai"] == world.officer_a.name


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"level": 6}, "level"),
        ({"level": 0}, "level"),
        ({"assessed_on": date.today() + timedelta(days=2)}, "assessed_on"),
        ({"method": "wawancara"}, "method"),
    ],
)
def test_a_broken_assessment_is_refused_on_its_field(world, dictionary, change, field) -> None:
    with pytest.raises(ValidationError) as exc:
        _assess(world, dictionary, **change)
    assert field in exc.value.message_dict
    assert not Assessment.objects.exists()


def test_another_agencys_competency_is_refused(world, dictionary) -> None:
    with pytest.raises(ValidationError) as exc:
        _assess(world, dictionary, competency=dictionary.foreign)
    assert "competency" in exc.value.message_dict
    _assess(world, dictionary, competency=dictionary.verifikasi)  # the agency's own: fine


@pytest.mark.parametrize("persona", ["head_a", "leadership", "officer_a", "inspector", "norole"])
def test_only_hr_over_the_unit_writes_records(world, dictionary, persona) -> None:
    with pytest.raises(PermissionDenied):
        _assess(world, dictionary, actor=world.users[persona])
    with pytest.raises(PermissionDenied):
        _train(world, actor=world.users[persona])
    assert not Assessment.objects.exists() and not TrainingRecord.objects.exists()


# --- training records and their JP ---------------------------------------------------------


def test_a_classroom_training_stores_its_jp_from_the_actual_hours(world, store) -> None:
    record = _train(world, hours=Decimal("18"))
    record.refresh_from_db()
    assert record.jp == Decimal("24.00")  # 18 h of 45-minute JP
    assert record.source == TrainingRecord.Source.ENTERED and record.certificate == ""
    assert AuditEntry.objects.filter(action="competency.training_record").count() == 1


@pytest.mark.parametrize(
    ("route", "starts", "ends", "hours", "sessions", "jp"),
    [
        ("seminar", date(2025, 3, 4), date(2025, 3, 5), Decimal(0), None, Decimal(8)),
        ("workshop", date(2025, 3, 4), date(2025, 3, 4), Decimal(0), None, Decimal(5)),
        ("coaching", date(2025, 3, 1), date(2025, 3, 31), Decimal(0), 3, Decimal(4)),
        ("e_learning", date(2025, 3, 4), date(2025, 3, 4), Decimal(6), None, Decimal(3)),
        ("magang", date(2025, 1, 6), date(2025, 3, 28), Decimal(0), None, Decimal(20)),
    ],
)
def test_other_routes_count_by_their_rule(world, route, starts, ends, hours, sessions, jp) -> None:
    record = _train(
        world, route=route, starts_on=starts, ends_on=ends, hours=hours, sessions=sessions
    )
    assert TrainingRecord.objects.get(pk=record.pk).jp == jp


def test_the_jp_stored_stays_when_the_agency_changes_its_conversion(world, settings) -> None:
    before = _train(world, route="seminar", hours=Decimal(0), ends_on=date(2025, 2, 3))
    settings.SIGAP = {
        **settings.SIGAP,
        "COMPETENCY_JP_CONVERSION": {"seminar": {"basis": "per_day", "jp": 6}},
    }
    after = _train(world, route="seminar", hours=Decimal(0), ends_on=date(2025, 2, 3))
    assert TrainingRecord.objects.get(pk=before.pk).jp == Decimal(4)
    assert TrainingRecord.objects.get(pk=after.pk).jp == Decimal(6)


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (
            {"ends_on": date(2025, 2, 1)},
            "ends_on",
            "Tanggal selesai pelatihan sebelum tanggal mulainya.",
        ),
        ({"hours": Decimal("-2")}, "hours", "Jumlah jam tidak boleh negatif."),
        ({"route": "coaching"}, "sessions", "sesi"),
        ({"route": "kuliah_umum"}, "route", "Jalur pengembangan tidak dikenal."),
        ({"title": "  "}, "title", "judul"),
    ],
)
def test_a_broken_training_is_refused_in_indonesian(world, change, field, words) -> None:
    with translation.override("id"), pytest.raises(ValidationError) as exc:
        _train(world, **change)
    assert words in exc.value.message_dict[field][0]
    assert not TrainingRecord.objects.exists()


def test_the_targeted_step_must_be_one_of_the_services_steps(world, dictionary) -> None:
    step = ProcedureStep.objects.filter(standard__service=world.ktp).order_by("order").first()
    assert step is not None
    with pytest.raises(ValidationError) as exc:
        _train(world, service=world.ktp, step="Langkah yang tidak ada")
    assert "step" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _train(world, step=step.name)  # a step without its service
    assert "service" in exc.value.message_dict
    record = _train(world, service=world.ktp, step=step.name, competencies=[dictionary.verifikasi])
    assert record.step == step.name and list(record.competencies.all()) == [dictionary.verifikasi]
    with pytest.raises(ValidationError) as exc:
        _train(world, competencies=[dictionary.foreign])
    assert "competencies" in exc.value.message_dict


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("ends_before_start", "Tanggal selesai pelatihan sebelum tanggal mulainya."),
        ("negative_hours", "Jumlah jam tidak boleh negatif."),
        ("negative_sessions", "Jumlah sesi tidak boleh negatif."),
        ("sessions_required", "Jalur ini menghitung JP per sesi: isi jumlah sesi yang diadakan."),
        ("something_else", "JP pelatihan ini tidak dapat dihitung."),
    ],
)
def test_every_jp_error_has_indonesian_words(code, words) -> None:
    with translation.override("id"):
        assert jp_message(JpError(code, "hours")) == words


# --- certificates in the document store -----------------------------------------------------


def test_a_certificate_is_kept_in_the_document_store_under_a_random_name(world, store) -> None:
    body = files.pdf("Sertifikat Pelatihan")
    record = _train(world, certificate=body, certificate_filename="sertifikat siti.pdf")
    path = storage.path_of(record.certificate)
    assert path.read_bytes() == body and path.is_relative_to(store)
    assert "sertifikat" not in record.certificate
    entry = AuditEntry.objects.get(action="competency.training_record")
    assert len(entry.data["sha256"]) == 64


def test_the_sweep_keeps_certificates_and_removes_orphans(world, store) -> None:
    record = _train(world, certificate=files.pdf(), certificate_filename="s.pdf")
    orphan = storage.write(files.pdf("orphan"))
    old = time.time() - 7200
    for name in (record.certificate, orphan):
        os.utime(storage.path_of(name), (old, old))
    assert document_sweep() == 1
    assert storage.path_of(record.certificate).exists()
    assert not storage.path_of(orphan).exists()


def test_the_certificate_reader_is_the_employee_hr_or_the_unit_head(world, store) -> None:
    record = _train(world, certificate=files.pdf(), certificate_filename="s.pdf")
    record = TrainingRecord.objects.select_related("employee__unit").get(pk=record.pk)
    for persona in ("officer_a", "head_a", "hr"):
        assert records.certificate_open(record=record, user=world.users[persona]).exists()
    # leadership read the competency figures, not a person's certificate
    for persona in ("leadership", "officer_b", "inspector", "ombudsman", "norole", "admin"):
        with pytest.raises(PermissionDenied):
            records.certificate_open(record=record, user=world.users[persona])
    assert AuditEntry.objects.filter(action="competency.certificate_download").count() == 3


@override_settings(TIME_ZONE="Asia/Jakarta")
def test_today_is_not_the_future(world, dictionary) -> None:
    _assess(world, dictionary, assessed_on=timezone.localdate())
    assert Assessment.objects.count() == 1
