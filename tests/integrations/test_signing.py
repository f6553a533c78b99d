"""Signed products: the BSrE adapter against a local fake esign server, and the officer's last
step that signs the product, attaches it and completes the request in one go."""

from __future__ import annotations

import base64
import json
import logging
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from sigap.audit.models import AuditEntry
from sigap.documents import storage
from sigap.documents.models import Document, Purpose
from sigap.integrations import services, signing
from sigap.integrations.models import Exchange
from sigap.service_requests import services as requests
from sigap.service_requests.models import ServiceEvent, Status
from tests import factories
from tests.conftest import local
from tests.documents import files
from tests.integrations import fake_bsre
from tests.integrations.fake_bsre import FakeBsre

NIK = "3201011703850009"  # the officer's own NIK, as BSrE knows her
PASS = fake_bsre.PASSPHRASE


@pytest.fixture(autouse=True)
def _store(tmp_path: Path):  # type: ignore[no-untyped-def]
    with override_settings(DOCUMENTS_DIR=tmp_path / "documents"):
        yield tmp_path / "documents"


@pytest.fixture
def fake():  # type: ignore[no-untyped-def]
    with FakeBsre() as server:
        yield server


def signing_settings(fake: FakeBsre | None, **extra: str):  # type: ignore[no-untyped-def]
    values = {
        "SIGNING_ENABLED": "true" if fake else "false",
        "SIGNING_URL": fake.url if fake else "",
        "SIGNING_USER": fake_bsre.USER,
        "SIGNING_PASSWORD": fake_bsre.PASSWORD,
        "SIGNING_API": "v2",
        "SIGNING_IDENTITY": "nik",
        "SIGNING_TIMEOUT_SECONDS": "5",
        **extra,
    }
    return override_settings(SIGAP={**settings.SIGAP, **values})


def at_last_step(world: factories.World):  # type: ignore[no-untyped-def]
    """A KTP-el request (its standard: the product is signed) at its last step, "Penyerahan"."""
    world.ktp_standard.product_signed = True
    world.ktp_standard.save(update_fields=["product_signed"])
    sr = factories.submit(world, at=local(2025, 3, 27))
    sr = requests.service_request_receive(request=sr, officer=world.officer_a)
    for _step in range(3):
        sr = requests.service_request_complete_step(request=sr, officer=world.officer_a)
    assert sr.current_step.name == "Penyerahan"
    return sr


def signer(fake: FakeBsre, api: str = "v2", timeout: float = 5) -> signing.BsreSigner:
    return signing.BsreSigner(
        url=fake.url, user=fake_bsre.USER, password=fake_bsre.PASSWORD, timeout=timeout, api=api
    )


# --- the adapter ---------------------------------------------------------------------------------


def test_v2_sends_the_documented_json_with_basic_auth(fake) -> None:
    pdf = files.pdf("Akta")
    out = signer(fake).sign(
        pdf, signer_nik=NIK, passphrase=PASS, reason="Produk ABC", location="Loket A"
    )
    assert out == fake_bsre.signed(pdf, "Produk ABC")
    (got,) = fake.requests
    assert got.path == "/api/v2/sign/pdf"
    assert got.headers["authorization"] == "Basic c2lnYXAtZXNpZ246cmFoYXNpYS1iYXNpYy1hdXRo"
    assert got.headers["content-type"] == "application/json"
    assert json.loads(got.body) == {
        "nik": NIK,
        "passphrase": PASS,
        "signatureProperties": [
            {"tampilan": "INVISIBLE", "reason": "Produk ABC", "location": "Loket A"}
        ],
        "file": [base64.b64encode(pdf).decode()],
    }


def test_v2_names_the_signer_by_email_when_asked(fake) -> None:
    pdf = files.pdf()
    signer(fake).sign(
        pdf, signer_email="siti@contoh.go.id", passphrase=PASS, reason="r", location="l"
    )
    body = json.loads(fake.requests[0].body)
    assert body["email"] == "siti@contoh.go.id" and "nik" not in body


def test_v1_sends_the_multipart_fields_and_reads_the_pdf_back(fake) -> None:
    pdf = files.pdf("Surat")
    out = signer(fake, api="v1").sign(
        pdf, signer_nik=NIK, passphrase=PASS, reason="r", location="l"
    )
    assert out == fake_bsre.signed(pdf)
    (got,) = fake.requests
    assert got.path == "/api/sign/pdf"
    assert got.headers["authorization"] == "Basic c2lnYXAtZXNpZ246cmFoYXNpYS1iYXNpYy1hdXRo"
    assert got.headers["content-type"].startswith("multipart/form-data; boundary=sigap")
    assert got.fields == {"nik": NIK, "passphrase": PASS, "tampilan": "invisible", "file": pdf}


@pytest.mark.parametrize("api", ["v2", "v1"])
def test_a_wrong_passphrase_is_the_servers_own_words(fake, api) -> None:
    with pytest.raises(signing.SigningError) as exc:
        signer(fake, api=api).sign(
            files.pdf(), signer_nik=NIK, passphrase="salah", reason="r", location="l"
        )
    assert exc.value.status_code == 400
    assert exc.value.message == "The signing server refused: Passphrase anda salah"
    assert "salah" not in exc.value.summary.replace("Passphrase anda salah", "")


def test_wrong_basic_auth_server_error_timeout_and_no_server(fake) -> None:
    bad = signing.BsreSigner(url=fake.url, user="x", password="y", timeout=5)
    with pytest.raises(signing.SigningError) as exc:
        bad.sign(files.pdf(), signer_nik=NIK, passphrase=PASS, reason="r", location="l")
    assert (exc.value.status_code, exc.value.message) == (
        401,
        "The signing server refused sigap's access; tell the administrator.",
    )
    fake.fail_with = 500
    with pytest.raises(signing.SigningError) as exc:
        signer(fake).sign(files.pdf(), signer_nik=NIK, passphrase=PASS, reason="r", location="l")
    assert exc.value.message == "The signing server has a problem (HTTP 500); try again later."
    fake.fail_with, fake.delay = None, 1.5
    with pytest.raises(signing.SigningError) as exc:
        signer(fake, timeout=0.3).sign(
            files.pdf(), signer_nik=NIK, passphrase=PASS, reason="r", location="l"
        )
    assert exc.value.message == (
        "The signing server did not answer within 0.3 seconds; try again later."
    )
    fake.delay = 0
    closed = FakeBsre()  # bound, never served, then closed: nothing listens on its port
    url = closed.url
    closed.server.server_close()
    with pytest.raises(signing.SigningError) as exc:
        signing.BsreSigner(url=url, user="u", password="p", timeout=2).sign(
            files.pdf(), signer_nik=NIK, passphrase=PASS, reason="r", location="l"
        )
    assert exc.value.message == "The signing server cannot be reached; try again later."


def test_an_unsigned_answer_is_refused(fake) -> None:
    fake.answer_unsigned = True
    with pytest.raises(signing.SigningError) as exc:
        signer(fake).sign(files.pdf(), signer_nik=NIK, passphrase=PASS, reason="r", location="l")
    assert exc.value.summary == "the answer is the unsigned input"


def test_signing_is_off_by_default() -> None:
    assert signing.conf().enabled is False
    assert signing.configured_signer() is None


# --- the officer's last step ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_last_step_signs_attaches_and_completes(world, fake) -> None:
    sr = at_last_step(world)
    pdf = files.pdf("KTP-el Ahmad Fauzi")
    with signing_settings(fake):
        doc = services.product_sign_and_complete(
            request=sr, officer=world.officer_a, data=pdf, filename="ktp.pdf",
            credentials=services.Credentials(passphrase=PASS, nik=NIK),
        )  # fmt: skip
    sr.refresh_from_db()
    assert sr.status == Status.COMPLETED and sr.current_step is None
    assert doc.purpose == Purpose.PRODUCT and doc.original_name == "ktp.pdf"
    expected = fake_bsre.signed(pdf, f"Product of service request {sr.receipt_code}")
    assert storage.path_of(doc.stored_name).read_bytes() == expected
    assert json.loads(fake.requests[0].body)["signatureProperties"][0]["location"] == "Loket A"
    (exchange,) = Exchange.objects.all()
    assert (exchange.system, exchange.ok, exchange.status_code, exchange.object_ref) == (
        "bsre",
        True,
        200,
        f"request:{sr.receipt_code}",
    )
    assert exchange.actor == world.users["officer_a"]
    entry = AuditEntry.objects.get(action="document.sign")
    assert entry.data["request"] == sr.receipt_code and entry.data["document"] == doc.pk
    assert entry.data["sha256_out"] == doc.sha256 != entry.data["sha256_in"]
    assert entry.data["signer"] == f"employee:{world.officer_a.pk} officer_a"
    assert entry.data["signed_by"] == "v2"


@pytest.mark.django_db
def test_the_plain_step_done_is_refused_at_the_last_step_of_a_signed_product(world, client) -> None:
    sr = at_last_step(world)
    with pytest.raises(ValidationError) as exc:
        requests.service_request_complete_step(request=sr, officer=world.officer_a)
    assert "signed electronically" in exc.value.message_dict["file"][0]
    client.force_login(world.users["officer_a"])
    page = client.post(
        reverse("request_act", args=[sr.receipt_code, "complete"]), follow=True
    ).content.decode()
    assert "complete the last step with the product&#x27;s PDF in the signing form" in page
    attach = client.post(
        reverse("document_attach_product", args=[sr.receipt_code]),
        {"file": SimpleUploadedFile("a.pdf", files.pdf())},
        follow=True,
    ).content.decode()
    assert "The product of this service is signed: attach it with the last step." in attach
    sr.refresh_from_db()
    assert sr.status == Status.IN_PROGRESS and not Document.objects.exists()


def _post(client, sr, **data):  # type: ignore[no-untyped-def]
    upload = data.pop("upload", files.pdf("KTP-el"))
    payload = {"file": SimpleUploadedFile("ktp.pdf", upload, "application/pdf"), **data}
    return client.post(
        reverse("request_complete_signed", args=[sr.receipt_code]), payload, follow=True
    )


@pytest.mark.django_db
def test_the_page_offers_the_signing_form_and_signs_from_it(world, fake, client) -> None:
    sr = at_last_step(world)
    client.force_login(world.users["officer_a"])
    with signing_settings(fake):
        page = client.get(reverse("request_detail", args=[sr.receipt_code])).content.decode()
        assert 'data-testid="signing-form"' in page and 'name="passphrase"' in page
        assert 'name="nik"' in page
        assert reverse("request_act", args=[sr.receipt_code, "complete"]) not in page
        response = _post(client, sr, passphrase=PASS, nik=NIK, note="Diserahkan")
    assert "The product is signed and attached; the step is done." in response.content.decode()
    sr.refresh_from_db()
    assert sr.status == Status.COMPLETED
    assert Document.objects.filter(request=sr, purpose=Purpose.PRODUCT).count() == 1
    assert ServiceEvent.objects.filter(request=sr).order_by("-seq").first().note == "Diserahkan"


@pytest.mark.django_db
def test_a_wrong_passphrase_changes_nothing_and_says_why(world, fake, client, caplog) -> None:
    sr = at_last_step(world)
    events = ServiceEvent.objects.filter(request=sr).count()
    client.force_login(world.users["officer_a"])
    caplog.set_level(logging.DEBUG)
    with signing_settings(fake):
        response = _post(client, sr, passphrase="Tebakan-Salah-99", nik=NIK)
    page = response.content.decode()
    assert "Electronic signature: The signing server refused: Passphrase anda salah" in page
    sr.refresh_from_db()
    assert sr.status == Status.IN_PROGRESS and sr.current_step.name == "Penyerahan"
    assert ServiceEvent.objects.filter(request=sr).count() == events
    assert not Document.objects.exists() and not storage.stored_names()
    assert not AuditEntry.objects.filter(action__startswith="document.").exists()
    (exchange,) = Exchange.objects.all()
    assert (exchange.ok, exchange.status_code, exchange.summary) == (
        False,
        400,
        "HTTP 400: Passphrase anda salah",
    )
    # Neither the passphrase nor the NIK is anywhere sigap writes: Exchange, audit, logs.
    written = (
        json.dumps(
            [list(Exchange.objects.values()), list(AuditEntry.objects.values())], default=str
        )
        + caplog.text
    )
    for secret in ("Tebakan-Salah-99", NIK):
        assert secret not in written


@pytest.mark.django_db
def test_the_passphrase_is_not_kept_after_a_successful_signature(world, fake, caplog) -> None:
    sr = at_last_step(world)
    caplog.set_level(logging.DEBUG)
    with signing_settings(fake):
        doc = services.product_sign_and_complete(
            request=sr, officer=world.officer_a, data=files.pdf(), filename="ktp.pdf",
            credentials=services.Credentials(passphrase=PASS, nik=NIK),
        )  # fmt: skip
    written = json.dumps(
        [list(Exchange.objects.values()), list(AuditEntry.objects.values()),
         list(Document.objects.values())], default=str
    ) + caplog.text  # fmt: skip
    assert PASS not in written and NIK not in written
    assert PASS.encode() not in storage.path_of(doc.stored_name).read_bytes()


@pytest.mark.django_db
def test_server_down_is_recorded_and_nothing_else(world, client) -> None:
    sr = at_last_step(world)
    closed = FakeBsre()
    closed.server.server_close()
    client.force_login(world.users["officer_a"])
    with signing_settings(closed):
        response = _post(client, sr, passphrase=PASS, nik=NIK)
    assert "The signing server cannot be reached; try again later." in response.content.decode()
    assert Exchange.objects.get().ok is False
    assert not Document.objects.exists()
    sr.refresh_from_db()
    assert sr.status == Status.IN_PROGRESS


@pytest.mark.django_db
def test_the_nik_and_passphrase_are_asked_before_calling(world, fake) -> None:
    sr = at_last_step(world)
    with signing_settings(fake), pytest.raises(ValidationError) as exc:
        services.product_sign_and_complete(
            request=sr, officer=world.officer_a, data=files.pdf(), filename="ktp.pdf",
            credentials=services.Credentials(passphrase="", nik="12345"),
        )  # fmt: skip
    assert set(exc.value.message_dict) == {"passphrase", "nik"}
    assert fake.requests == [] and not Exchange.objects.exists()


@pytest.mark.django_db
def test_email_identity_signs_with_the_officers_email(world, fake) -> None:
    sr = at_last_step(world)
    user = world.users["officer_a"]
    user.email = "siti@contoh.go.id"
    user.save(update_fields=["email"])
    with signing_settings(fake, SIGNING_IDENTITY="email"):
        services.product_sign_and_complete(
            request=sr, officer=world.officer_a, data=files.pdf(), filename="ktp.pdf",
            credentials=services.Credentials(passphrase=PASS),
        )  # fmt: skip
    assert json.loads(fake.requests[0].body)["email"] == "siti@contoh.go.id"


@pytest.mark.django_db
def test_with_signing_off_the_officer_uploads_a_signed_pdf(world, client) -> None:
    sr = at_last_step(world)
    client.force_login(world.users["officer_a"])
    with signing_settings(None):
        page = client.get(reverse("request_detail", args=[sr.receipt_code])).content.decode()
        assert "Electronic signing is not set up in sigap" in page
        assert 'name="passphrase"' not in page
        refused = _post(client, sr, upload=files.pdf("belum ditandatangani"))
        assert "This PDF carries no electronic signature." in refused.content.decode()
        sr.refresh_from_db()
        assert sr.status == Status.IN_PROGRESS and not Document.objects.exists()
        presigned = fake_bsre.signed(files.pdf("sudah ditandatangani"))
        _post(client, sr, upload=presigned)
    sr.refresh_from_db()
    assert sr.status == Status.COMPLETED
    doc = Document.objects.get(request=sr)
    assert storage.path_of(doc.stored_name).read_bytes() == presigned
    assert AuditEntry.objects.get(action="document.sign").data["signed_by"] == "upload"
    assert not Exchange.objects.exists()


@pytest.mark.django_db
def test_another_units_officer_cannot(world, fake, client) -> None:
    sr = at_last_step(world)
    client.force_login(world.users["officer_b"])
    with signing_settings(fake):
        response = client.post(
            reverse("request_complete_signed", args=[sr.receipt_code]),
            {"file": SimpleUploadedFile("a.pdf", files.pdf()), "passphrase": PASS, "nik": NIK},
        )
        assert response.status_code == 404
        with pytest.raises(PermissionDenied):
            services.product_sign_and_complete(
                request=sr, officer=world.officer_b, data=files.pdf(), filename="a.pdf",
                credentials=services.Credentials(passphrase=PASS, nik=NIK),
            )  # fmt: skip
    assert fake.requests == [] and not Document.objects.exists()


@pytest.mark.django_db
def test_a_step_before_the_last_does_not_take_a_signed_product(world, fake) -> None:
    world.ktp_standard.product_signed = True
    world.ktp_standard.save(update_fields=["product_signed"])
    sr = requests.service_request_receive(
        request=factories.submit(world, at=local(2025, 3, 27)), officer=world.officer_a
    )
    assert services.signing_needed(sr) is False
    with signing_settings(fake), pytest.raises(ValidationError):
        services.product_sign_and_complete(
            request=sr, officer=world.officer_a, data=files.pdf(), filename="a.pdf",
            credentials=services.Credentials(passphrase=PASS, nik=NIK),
        )  # fmt: skip
    assert fake.requests == []


@pytest.mark.django_db
def test_the_signing_form_reads_in_indonesian(world, fake, client) -> None:
    sr = at_last_step(world)
    client.force_login(world.users["officer_a"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    with signing_settings(fake):
        page = client.get(reverse("request_detail", args=[sr.receipt_code])).content.decode()
        assert "“Penyerahan” adalah langkah terakhir" in page
        assert "Frasa sandi (passphrase) tanda tangan elektronik" in page
        assert "Tandatangani dan selesaikan" in page
        response = _post(client, sr, passphrase="keliru", nik=NIK)
    assert "Server tanda tangan elektronik menolak: Passphrase anda salah" in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_a_server_echoing_the_passphrase_has_it_scrubbed(world, fake, monkeypatch) -> None:
    sr = at_last_step(world)

    def echo(*args: object, **kw: object) -> bytes:
        raise signing.SigningError(
            f"The signing server refused: bad {kw['passphrase']} for {kw['signer_nik']}",
            summary=f"HTTP 400: bad {kw['passphrase']} for {kw['signer_nik']}",
            status_code=400,
        )

    bsre = signer(fake)
    monkeypatch.setattr(bsre, "sign", echo)
    with pytest.raises(ValidationError) as exc:
        services.product_sign_and_complete(
            request=sr, officer=world.officer_a, data=files.pdf(), filename="a.pdf",
            credentials=services.Credentials(passphrase=PASS, nik=NIK), signer=bsre,
        )  # fmt: skip
    assert exc.value.message_dict["signing"] == ["The signing server refused: bad *** for ***"]
    assert Exchange.objects.get().summary == "HTTP 400: bad *** for ***"


@pytest.mark.django_db
def test_a_signed_product_may_be_a_little_larger_than_the_upload_limit(world, fake) -> None:
    sr = at_last_step(world)
    limit = {
        **settings.SIGAP,
        "DOCUMENT_MAX_MB": 1,
        "SIGNING_ENABLED": "true",
        "SIGNING_URL": fake.url,
        "SIGNING_USER": fake_bsre.USER,
        "SIGNING_PASSWORD": fake_bsre.PASSWORD,
    }
    # Just under 1 MB before signing; over it after (the fake's update adds ~200 bytes).
    body = files.pdf()
    pad = b"%" + b"x" * (1024 * 1024 - len(body) - 200) + b"\n"
    pdf = body.replace(b"%%EOF", pad + b"%%EOF")
    assert len(pdf) <= 1024 * 1024 < len(fake_bsre.signed(pdf, "x" * 60))
    with override_settings(SIGAP=limit):
        doc = services.product_sign_and_complete(
            request=sr, officer=world.officer_a, data=pdf, filename="a.pdf",
            credentials=services.Credentials(passphrase=PASS, nik=NIK),
        )  # fmt: skip
    assert doc.size > 1024 * 1024
