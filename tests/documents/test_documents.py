"""Storing, attaching and handing out a request's documents; retention and the sweep."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from sigap.audit.models import AuditEntry
from sigap.catalogue.models import Service
from sigap.documents import services, storage
from sigap.documents.models import Document, Purpose
from sigap.service_requests import services as requests
from tests import factories
from tests.conftest import local
from tests.documents import files

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _store(tmp_path: Path):  # type: ignore[no-untyped-def]
    with override_settings(DOCUMENTS_DIR=tmp_path / "documents"):
        yield tmp_path / "documents"


def _request(world: factories.World):  # type: ignore[no-untyped-def]
    return factories.submit(world, at=local(2025, 3, 27))


def test_a_product_is_stored_outside_any_url_and_audited(world, _store) -> None:
    sr = _request(world)
    body = files.pdf()
    doc = services.document_attach_product(
        request=sr, user=world.users["officer_a"], data=body, filename="C:\\scan\\akta.pdf"
    )
    assert doc.purpose == Purpose.PRODUCT and doc.kind == "pdf" and doc.original_name == "akta.pdf"
    path = storage.path_of(doc.stored_name)
    assert path.read_bytes() == body and path.is_relative_to(_store)
    assert "akta" not in path.name  # a random name, never the sender's
    assert AuditEntry.objects.filter(action="document.attach").count() == 1


@pytest.mark.parametrize("persona", ["inspector", "leadership", "hr", "officer_b", "norole"])
def test_only_those_who_process_the_unit_attach_a_product(world, persona) -> None:
    sr = _request(world)
    with pytest.raises(PermissionDenied):
        services.document_attach_product(
            request=sr, user=world.users[persona], data=files.pdf(), filename="a.pdf"
        )
    assert not Document.objects.exists() and not storage.stored_names()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (files.png(), "ktp.pdf", "does not match its name (.pdf)"),
        (b"MZ\x90\x00 program", "ktp.pdf", "Only PDF, JPEG or PNG"),
        (files.pdf_with_javascript(), "akta.pdf", "scripts"),
    ],
)
def test_bad_files_are_refused_naming_the_field_and_nothing_is_kept(
    world, data, name, message
) -> None:
    sr = _request(world)
    with pytest.raises(ValidationError) as exc:
        services.document_attach_product(
            request=sr, user=world.users["officer_a"], data=data, filename=name
        )
    assert message in exc.value.message_dict["file"][0]
    assert not Document.objects.exists() and not storage.stored_names()


def test_the_refusal_is_in_indonesian_for_an_indonesian_page(world) -> None:
    sr = _request(world)
    with translation.override("id"), pytest.raises(ValidationError) as exc:
        services.document_attach_product(
            request=sr, user=world.users["officer_a"], data=b"<html>", filename="x.pdf"
        )
    assert "Hanya berkas PDF, JPEG, atau PNG" in exc.value.message_dict["file"][0]


@override_settings(SIGAP={"DOCUMENT_MAX_MB": 1})
def test_an_oversized_upload_is_refused_on_the_page_without_being_stored(client, world) -> None:
    sr = _request(world)
    client.force_login(world.users["officer_a"])
    big = SimpleUploadedFile("akta.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10))
    response = client.post(f"/permohonan/{sr.receipt_code}/produk/", {"file": big}, follow=True)
    assert "larger than 1 MB" in response.content.decode()
    assert not Document.objects.exists()


def test_the_page_attaches_lists_and_hands_out_the_file_with_safe_headers(client, world) -> None:
    sr = _request(world)
    client.force_login(world.users["officer_a"])
    upload = SimpleUploadedFile("foto.jpg", files.jpeg_with_gps(), content_type="text/html")
    response = client.post(f"/permohonan/{sr.receipt_code}/produk/", {"file": upload})
    assert response.status_code == 302
    doc = Document.objects.get()
    page = client.get(f"/permohonan/{sr.receipt_code}/").content.decode()
    assert f"/permohonan/{sr.receipt_code}/berkas/{doc.pk}/" in page and "foto.jpg" in page
    got = client.get(f"/permohonan/{sr.receipt_code}/berkas/{doc.pk}/")
    assert got.status_code == 200
    assert got["Content-Type"] == "image/jpeg"  # from the content, not what the browser said
    assert got["X-Content-Type-Options"] == "nosniff"
    assert got["Content-Disposition"].startswith("attachment")
    assert "no-store" in got["Cache-Control"]
    body = b"".join(got.streaming_content)
    assert body.startswith(b"\xff\xd8\xff") and b"KameraHP" not in body
    assert AuditEntry.objects.filter(action="document.download").count() == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [("head_a", 200), ("inspector", 200), ("officer_b", 404), ("hr", 404), ("norole", 404)],
)
def test_a_document_is_handed_out_only_to_who_may_read_the_request(
    client, world, persona, status
) -> None:
    sr = _request(world)
    doc = services.document_attach_product(
        request=sr, user=world.users["officer_a"], data=files.pdf(), filename="akta.pdf"
    )
    client.force_login(world.users[persona])
    assert client.get(f"/permohonan/{sr.receipt_code}/berkas/{doc.pk}/").status_code == status


def test_a_document_of_another_request_is_not_found_through_this_one(client, world) -> None:
    one, two = _request(world), _request(world)
    doc = services.document_attach_product(
        request=two, user=world.users["officer_a"], data=files.pdf(), filename="akta.pdf"
    )
    client.force_login(world.users["officer_a"])
    assert client.get(f"/permohonan/{one.receipt_code}/berkas/{doc.pk}/").status_code == 404


def test_retention_deletes_the_bytes_keeps_the_record_and_is_audited(world) -> None:
    sr = _request(world)
    doc = services.document_attach_product(
        request=sr, user=world.users["officer_a"], data=files.pdf(), filename="akta.pdf"
    )
    sr = requests.service_request_reject(
        request=sr, officer=world.officer_a, reason="Berkas tidak lengkap", at=local(2025, 3, 28)
    )
    today = timezone.localtime(sr.finished_at).date()
    assert services.document_retention(today=today + timedelta(days=364)) == 0
    assert services.document_retention(today=today + timedelta(days=367)) == 1
    doc.refresh_from_db()
    assert doc.deleted_at is not None and not storage.path_of(doc.stored_name).exists()
    assert AuditEntry.objects.filter(action="document.delete").count() == 1
    with pytest.raises(ValidationError):
        services.document_open(document=doc, user=world.users["officer_a"])


def _finished_with_a_file(world, service, officer):  # type: ignore[no-untyped-def]
    """A request of `service` with one uploaded file, rejected (finished) on 28 March 2025."""
    sr = factories.submit(world, at=local(2025, 3, 27), service=service)
    doc = services.document_store(
        request=sr, purpose=Purpose.REQUIREMENT, data=files.pdf(), filename="kk.pdf",
        requirement="Fotokopi KK",
    )  # fmt: skip
    requests.service_request_reject(
        request=sr, officer=officer, reason="Berkas tidak lengkap", at=local(2025, 3, 28)
    )
    return doc


def test_each_service_keeps_its_files_for_its_own_period(world) -> None:
    Service.objects.filter(pk=world.ktp.pk).update(document_retention_days=30)
    short = _finished_with_a_file(world, world.ktp, world.officer_a)
    default = _finished_with_a_file(world, world.rujukan, world.officer_b)
    finished = date(2025, 3, 28)
    assert services.document_retention(today=finished + timedelta(days=30)) == 0
    assert services.document_retention(today=finished + timedelta(days=31)) == 1
    short.refresh_from_db()
    default.refresh_from_db()
    assert short.deleted_at is not None and not storage.path_of(short.stored_name).exists()
    assert default.deleted_at is None and storage.path_of(default.stored_name).exists()
    (entry,) = AuditEntry.objects.filter(action="document.delete")
    assert entry.data["days"] == 30 and entry.data["reason"] == "retention"
    # The service without its own period keeps the agency default (365 days here).
    assert services.document_retention(today=finished + timedelta(days=365)) == 0
    assert services.document_retention(today=finished + timedelta(days=366)) == 1
    default.refresh_from_db()
    assert default.deleted_at is not None and not storage.path_of(default.stored_name).exists()
    assert Document.objects.count() == 2  # the rows stay, as the record that files existed
    days = sorted(e.data["days"] for e in AuditEntry.objects.filter(action="document.delete"))
    assert days == [30, 365]


@override_settings(SIGAP={"DOCUMENT_RETENTION_DAYS": 60})
def test_the_default_comes_from_the_setting_and_a_service_period_overrides_it(world) -> None:
    Service.objects.filter(pk=world.ktp.pk).update(document_retention_days=400)
    world.ktp.refresh_from_db()
    assert services.retention_days(world.ktp) == 400
    assert services.retention_days(world.rujukan) == 60
    assert services.retention_days() == 60
    _finished_with_a_file(world, world.ktp, world.officer_a)
    goes = _finished_with_a_file(world, world.rujukan, world.officer_b)
    assert services.document_retention(today=date(2025, 3, 28) + timedelta(days=61)) == 1
    assert set(Document.objects.filter(deleted_at__isnull=False)) == {goes}


def test_the_command_says_what_it_deleted_and_the_default(world) -> None:
    out = io.StringIO()
    call_command("documents", "retention", stdout=out)
    assert out.getvalue().startswith("0 documents deleted (each after its service's retention")
    assert "the default is 365 days" in out.getvalue()


def test_the_job_reads_no_service_row_by_row(world) -> None:
    """However many documents and services, the periods are read once and the services come
    with the documents (no query per document to find its service's period)."""
    Service.objects.filter(pk=world.ktp.pk).update(document_retention_days=30)
    for _ in range(3):
        _finished_with_a_file(world, world.ktp, world.officer_a)
        _finished_with_a_file(world, world.rujukan, world.officer_b)
    with CaptureQueriesContext(connection) as queries:
        assert services.document_retention(today=date(2026, 12, 31)) == 6
    service_table = Service._meta.db_table
    reads = [q["sql"] for q in queries if re.search(rf'FROM "?{service_table}"?\b', q["sql"])]
    assert len(reads) == 1, reads  # the distinct periods in use


def test_a_rejected_request_gets_no_product(world) -> None:
    sr = requests.service_request_reject(
        request=_request(world), officer=world.officer_a, reason="Bukan wewenang unit ini",
        at=local(2025, 3, 28),
    )  # fmt: skip
    with pytest.raises(ValidationError):
        services.document_attach_product(
            request=sr, user=world.users["officer_a"], data=files.pdf(), filename="a.pdf"
        )


def test_the_sweep_removes_old_files_without_a_row_only(world, _store) -> None:
    import os
    import time

    sr = _request(world)
    kept = services.document_attach_product(
        request=sr, user=world.users["officer_a"], data=files.pdf(), filename="akta.pdf"
    )
    orphan_old, orphan_new = storage.write(b"old"), storage.write(b"new")
    hour_ago = time.time() - 7200
    for name in (orphan_old, kept.stored_name):
        os.utime(storage.path_of(name), (hour_ago, hour_ago))
    assert services.document_sweep() == 1
    assert not storage.path_of(orphan_old).exists()
    assert storage.path_of(orphan_new).exists()  # may belong to a row not committed yet
    assert storage.path_of(kept.stored_name).exists()
