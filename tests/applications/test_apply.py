"""Applying online: the form from the standard, one request per form, files checked, abuse held."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from sigap.applications import services
from sigap.applications.models import OnlineApplication
from sigap.catalogue.models import Service, ServiceStandard
from sigap.documents.models import Document
from sigap.documents.services import refusal_message
from sigap.documents.sniff import Refused
from sigap.service_requests.models import ServiceRequest
from tests import factories
from tests.conftest import local
from tests.documents import files

pytestmark = pytest.mark.django_db
NIK = "3204011508900001"
URL = "/layanan/ktp-el/ajukan/"


@pytest.fixture(autouse=True)
def _store(tmp_path: Path):  # type: ignore[no-untyped-def]
    with override_settings(DOCUMENTS_DIR=tmp_path / "documents"):
        yield


@pytest.fixture
def online(world: factories.World) -> factories.World:
    """KTP-el asks for a KK copy (a document), the family card number (a field) and a
    declaration (a statement)."""
    ServiceStandard.objects.filter(service=world.ktp).update(
        requirements=[
            "Fotokopi KK",
            {"name": "Nomor KK", "kind": "field"},
            {"name": "Telah berusia 17 tahun", "kind": "statement"},
            {"name": "Pas foto", "kind": "document", "optional": True},
        ]
    )
    return world


def _key(client) -> str:  # type: ignore[no-untyped-def]
    page = client.get(URL).content.decode()
    return re.search(r'name="key" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]


def _notice(page: str) -> str:
    """The privacy notice block above the consent box, as text."""
    start = page.index('data-testid="privacy-notice"')
    return html.unescape(page[start : page.index("</details>", start)])


def _post(client, key: str, **over):  # type: ignore[no-untyped-def]
    data = {
        "name": "Dewi Lestari", "nik": NIK, "phone": "0812 3456 7890", "email": "",
        "kecamatan": "Sukamaju", "desa": "Mekarsari", "consent": "on", "website": "",
        "key": key, "req_nomor-kk": "3204010101010001", "req_telah-berusia-17-tahun": "on",
        "req_fotokopi-kk": SimpleUploadedFile("kk.pdf", files.pdf()),
    }  # fmt: skip
    data.update(over)
    return client.post(URL, {k: v for k, v in data.items() if v is not None})


def test_the_form_asks_what_the_standard_asks(client, online) -> None:
    page = client.get(URL).content.decode()
    for text in ("Fotokopi KK", "Nomor KK", "Telah berusia 17 tahun", "Pas foto"):
        assert text in page
    assert 'type="file"' in page and 'name="website"' in page
    notice = _notice(page)
    assert "only to process this application" in notice  # the purpose
    assert "kept for 365 days after your request is finished, then deleted" in notice


def test_an_application_becomes_one_online_request_with_its_documents(client, online) -> None:
    key = _key(client)
    response = _post(client, key)
    assert response.status_code == 302 and "/ajukan/tanda-terima/?t=" in response["Location"]
    sr = ServiceRequest.objects.get()
    assert (
        sr.channel == "online"
        and sr.applicant_nik_masked
        and sr.applicant_contact == "081234567890"
    )
    app = OnlineApplication.objects.get(request=sr)
    assert app.answers == {"nomor-kk": "3204010101010001", "telah-berusia-17-tahun": True}
    (doc,) = Document.objects.filter(request=sr)
    assert doc.requirement == "Fotokopi KK" and doc.kind == "pdf"
    got = client.get(response["Location"])
    assert "no-store" in got["Cache-Control"]
    receipt = got.content.decode()
    assert sr.receipt_code in receipt and "Dewi Lestari" in receipt and "kk.pdf" in receipt
    assert "<svg" in receipt  # the QR code of the tracking link
    # The same form again (a double click, a retry): the same request, nothing new.
    again = _post(client, key)
    assert again.status_code == 302 and ServiceRequest.objects.count() == 1
    assert Document.objects.count() == 1


def test_the_officer_sees_each_requirement_with_what_was_received(client, online) -> None:
    _post(client, _key(client))
    sr = ServiceRequest.objects.get()
    client.force_login(online.users["officer_a"])
    page = client.get(f"/permohonan/{sr.receipt_code}/").content.decode()
    assert "kk.pdf" in page and "3204010101010001" in page and "declared by the applicant" in page
    assert "not given (optional)" in page
    counter = factories.submit(online, at=local(2025, 3, 27))  # at the counter: checked there
    page = client.get(f"/permohonan/{counter.receipt_code}/").content.decode()
    assert page.count("checked at the counter") == 4


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        ({"nik": "1234"}, "nik", "16 digits"),
        ({"phone": "", "email": ""}, "phone", "WhatsApp number or an e-mail"),
        ({"phone": "12345"}, "phone", "mobile number"),
        ({"consent": None}, "consent", "consent"),
        ({"req_fotokopi-kk": None}, "req_fotokopi-kk", "Upload this document"),
        (
            {"req_fotokopi-kk": SimpleUploadedFile("kk.pdf", files.png())},
            "req_fotokopi-kk",
            "does not match its name",
        ),
        ({"req_nomor-kk": ""}, "req_nomor-kk", "Fill this in"),
        ({"req_telah-berusia-17-tahun": None}, "req_telah-berusia-17-tahun", "Declare this"),
    ],
)
def test_bad_input_is_named_next_to_its_field_and_nothing_is_saved(
    client, online, over, field, message
) -> None:
    response = _post(client, _key(client), **over)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in errors[field][0], errors
    assert not ServiceRequest.objects.exists() and not Document.objects.exists()


def test_the_honeypot_gets_a_thank_you_and_nothing_is_stored(client, online) -> None:
    response = _post(client, _key(client), website="http://spam.example")
    assert response.status_code == 200 and "received" in response.content.decode()
    assert not ServiceRequest.objects.exists()


def test_one_nik_makes_at_most_five_applications_a_day(client, online) -> None:
    for _ in range(5):
        assert _post(client, _key(client)).status_code == 302
    response = _post(client, _key(client))
    assert "nik" in response.context["form"].errors
    assert ServiceRequest.objects.count() == 5


@override_settings(SIGAP={"RATE_LIMITS": "application=2/3600"})
def test_a_device_sending_too_many_is_asked_to_wait(client, online) -> None:
    from sigap.throttling import ratelimit

    ratelimit._parse.cache_clear()
    statuses = [
        _post(client, _key(client), nik=f"32040115089000{n:02d}").status_code for n in (1, 2, 3)
    ]
    assert statuses == [302, 302, 429]


def test_a_forged_or_foreign_receipt_link_is_not_found(client, online) -> None:
    response = _post(client, _key(client))
    link = response["Location"]
    assert client.get(link[:-3] + "xyz").status_code == 404
    assert client.get("/layanan/ktp-el/ajukan/tanda-terima/?t=").status_code == 404


def test_the_consent_names_this_services_period_and_is_stored_as_shown(client, online) -> None:
    Service.objects.filter(pk=online.ktp.pk).update(document_retention_days=90)
    page = client.get(URL).content.decode()
    notice = _notice(page)
    assert "kept for 90 days after your request is finished, then deleted" in notice
    assert "365" not in notice  # neither the text nor the table states the default
    assert "90 days after the request is finished" in notice  # the table's row
    assert _post(client, _key(client)).status_code == 302
    stored = OnlineApplication.objects.get().consent_text
    assert stored.startswith("We use your data and documents only to process this application")
    assert "kept for 90 days" in stored and f"<p>{stored}</p>" in html.unescape(page)


def test_the_consent_is_indonesian_on_the_indonesian_form(client, online, settings) -> None:
    settings.LANGUAGE_CODE = "id"
    Service.objects.filter(pk=online.ktp.pk).update(document_retention_days=90)
    notice = _notice(client.get(URL).content.decode())
    assert "disimpan selama 90 hari setelah permohonan Anda selesai, lalu dihapus" in notice


@override_settings(SIGAP={"DOCUMENT_MAX_MB": 1})
def test_an_oversized_upload_is_refused_as_too_large_and_nothing_is_saved(client, online) -> None:
    big = SimpleUploadedFile("kk.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10))
    response = _post(client, _key(client), **{"req_fotokopi-kk": big})
    assert response.status_code == 200
    assert response.context["form"].errors["req_fotokopi-kk"] == ["The file is larger than 1 MB."]
    assert not ServiceRequest.objects.exists() and not Document.objects.exists()


def test_a_file_marked_too_large_is_refused_without_its_bytes(online) -> None:
    """The view does not read an oversized file: it says so, and the write function refuses it
    with the same words as any file over the limit (not as a missing one)."""
    application = services.Application(
        name="Dewi Lestari", nik=NIK, phone="081234567890", email="", kecamatan="Sukamaju",
        consent=True,
        answers={"nomor-kk": "3204010101010001", "telah-berusia-17-tahun": "1"},
        uploads={"fotokopi-kk": services.Upload("kk.pdf", b"", too_large=True)},
    )  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.application_submit(
            service=online.ktp, application=application, idempotency_key="k" * 24,
            consent_text="shown",
        )  # fmt: skip
    assert exc.value.message_dict["req_fotokopi-kk"] == [refusal_message(Refused("too_large"))]
    assert not ServiceRequest.objects.exists()
