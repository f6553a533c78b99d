"""The applicant's own page: the signed link, the correction of a returned file, the product
download, and "send me my link again" — each with its bad input."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from sigap.applications import applicant
from sigap.applications.models import OnlineApplication
from sigap.applications.services import Upload
from sigap.audit.models import AuditEntry
from sigap.catalogue.models import ServiceStandard
from sigap.documents.models import Document, Purpose
from sigap.documents.services import document_attach_product
from sigap.notifications.links import SALT, applicant_path, applicant_token, receipt_of
from sigap.notifications.models import Outbox
from sigap.service_requests import services as requests
from sigap.service_requests.models import Outcome, ServiceRequest, Status
from tests import factories
from tests.documents import files
from tests.weight import first_load

pytestmark = pytest.mark.django_db
NIK = "3204011508900001"
URL = "/layanan/ktp-el/ajukan/"


@pytest.fixture(autouse=True)
def _store(tmp_path: Path):  # type: ignore[no-untyped-def]
    with override_settings(DOCUMENTS_DIR=tmp_path / "documents"):
        yield


@pytest.fixture
def applied(client, world: factories.World) -> ServiceRequest:  # type: ignore[no-untyped-def]
    """An online KTP-el application (a KK copy, the KK number, a declaration), taken up by the
    officer and returned because the KK copy is unreadable."""
    ServiceStandard.objects.filter(service=world.ktp).update(
        requirements=[
            "Fotokopi KK",
            {"name": "Nomor KK", "kind": "field"},
            {"name": "Telah berusia 17 tahun", "kind": "statement"},
        ]
    )
    page = client.get(URL).content.decode()
    key = re.search(r'name="key" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    response = client.post(
        URL,
        {
            "name": "Dewi Lestari", "nik": NIK, "phone": "0812 3456 7890", "email": "",
            "kecamatan": "Sukamaju", "consent": "on", "website": "", "key": key,
            "req_nomor-kk": "3204010101010001", "req_telah-berusia-17-tahun": "on",
            "req_fotokopi-kk": SimpleUploadedFile("kk.pdf", files.pdf("KK buram")),
        },
    )  # fmt: skip
    assert response.status_code == 302
    sr = ServiceRequest.objects.get()
    sr = requests.service_request_receive(request=sr, officer=world.officer_a)
    return requests.service_request_return(
        request=sr, officer=world.officer_a, reason="Fotokopi KK tidak terbaca, unggah ulang."
    )


def _page(sr: ServiceRequest) -> str:
    return applicant_path(sr.receipt_code)


def test_the_returned_message_carries_the_applicants_own_link(client, applied) -> None:
    message = Outbox.objects.get(request=applied, event="returned")
    assert "Fotokopi KK tidak terbaca, unggah ulang. " in message.text  # one full stop
    path = re.search(r"https?://[^/\s]+(/permohonan-saya/[^\s]+/)", message.text).group(1)  # type: ignore[union-attr]
    page = client.get(path)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert page["Referrer-Policy"] == "same-origin"
    html = page.content.decode()
    assert applied.receipt_code in html and "Dewi Lestari" in html and NIK not in html
    assert "Fotokopi KK tidak terbaca, unggah ulang." in html  # the officer's reason
    assert 'name="req_fotokopi-kk"' in html and 'value="3204010101010001"' in html


def test_uploading_the_missing_document_resumes_the_request(client, applied, world) -> None:
    paused_since = applied.paused_since
    response = client.post(
        _page(applied), {"req_fotokopi-kk": SimpleUploadedFile("kk-baru.pdf", files.pdf())}
    )
    assert response.status_code == 302
    sr = ServiceRequest.objects.get(pk=applied.pk)
    assert sr.status == Status.IN_PROGRESS and sr.paused_since is None and paused_since
    last = sr.events.order_by("-seq").first()
    assert last.outcome == Outcome.RESUMED and last.officer is None
    assert "Fotokopi KK" in last.note
    docs = Document.objects.filter(request=sr, purpose=Purpose.REQUIREMENT).order_by("pk")
    assert [d.original_name for d in docs] == ["kk.pdf", "kk-baru.pdf"]
    assert AuditEntry.objects.filter(action="request.applicant_fix").count() == 1
    # The officer sees the new file next to the requirement.
    client.force_login(world.users["officer_a"])
    detail = client.get(f"/permohonan/{sr.receipt_code}/").content.decode()
    assert "kk-baru.pdf" in detail


def test_correcting_a_field_replaces_the_answer(client, applied) -> None:
    response = client.post(_page(applied), {"req_nomor-kk": "3204010101010002"})
    assert response.status_code == 302
    answers = OnlineApplication.objects.get(request=applied).answers
    assert answers["nomor-kk"] == "3204010101010002"
    assert ServiceRequest.objects.get(pk=applied.pk).status == Status.IN_PROGRESS


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, None, "Unggah dokumen"),  # nothing changed
        ({"req_nomor-kk": "3204010101010001"}, None, "Unggah dokumen"),  # the same value
        ({"req_nomor-kk": " "}, "req_nomor-kk", "Isi"),
        ({"req_fotokopi-kk": ("kk.pdf", files.png())}, "req_fotokopi-kk", "tidak sesuai"),
        ({"req_fotokopi-kk": ("kk.pdf", b"")}, "req_fotokopi-kk", "kosong"),
    ],
)
def test_a_bad_correction_is_named_and_nothing_is_saved(
    client, applied, data, field, message
) -> None:
    before = Document.objects.count()
    post = {
        k: SimpleUploadedFile(v[0], v[1]) if isinstance(v, tuple) else v for k, v in data.items()
    }
    client.cookies["django_language"] = "id"
    response = client.post(_page(applied), post)
    assert response.status_code == 400
    html = response.content.decode()
    assert message.lower() in html.lower()
    if field:
        assert re.search(rf'has-error">\s*<label for="id_{field}"', html)
    assert Document.objects.count() == before
    assert ServiceRequest.objects.get(pk=applied.pk).status == Status.RETURNED


def test_an_oversized_file_is_refused_without_being_read(client, applied) -> None:
    with override_settings(SIGAP={"DOCUMENT_MAX_MB": 1}):
        big = SimpleUploadedFile("kk.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10))
        response = client.post(_page(applied), {"req_fotokopi-kk": big})
    assert response.status_code == 400 and "1 MB" in response.content.decode()


def test_sending_the_correction_twice_resumes_once(client, applied) -> None:
    fix = applicant.Fix(uploads={"fotokopi-kk": Upload("kk.pdf", files.pdf())})
    applicant.applicant_fix(request=applied, fix=fix)
    with pytest.raises(Exception, match="not waiting"):
        applicant.applicant_fix(request=applied, fix=fix)
    assert applied.events.filter(outcome=Outcome.RESUMED).count() == 1


def test_a_forged_expired_or_foreign_link_does_not_open(client, applied, world) -> None:
    token = applicant_token(applied.receipt_code)
    assert client.get(f"/permohonan-saya/{token}x/").status_code == 404
    assert client.get(f"/permohonan-saya/{token[:-3]}/").status_code == 404
    # A signature made with another salt (another sigap link) is no key to this page.
    other = signing.dumps(applied.receipt_code, salt="sigap.applications.receipt")
    assert client.get(f"/permohonan-saya/{other}/").status_code == 404
    # Someone else's receipt code in a token they made themselves: the signature fails.
    other_payload = applicant_token("AAAA-BBBB").split(":")[0]
    forged = ":".join([other_payload, *token.split(":")[1:]])
    assert client.get(f"/permohonan-saya/{forged}/").status_code == 404
    with override_settings(SIGAP={"APPLICANT_LINK_DAYS": 0}):
        expired = client.get(f"/permohonan-saya/{token}/")
    assert expired.status_code == 410
    assert "has expired" in expired.content.decode()
    assert receipt_of(token) == applied.receipt_code
    assert signing.loads(token, salt=SALT) == applied.receipt_code


def test_the_product_is_downloaded_through_the_link_and_logged(client, applied, world) -> None:
    applicant.applicant_fix(
        request=applied,
        fix=applicant.Fix(uploads={"fotokopi-kk": Upload("kk.pdf", files.pdf())}),
    )
    sr = ServiceRequest.objects.get(pk=applied.pk)
    doc = document_attach_product(
        request=sr, user=world.users["officer_a"], data=files.pdf("KTP-el"), filename="ktp.pdf"
    )
    assert f"/produk/{doc.pk}/" not in client.get(_page(sr)).content.decode()  # not done yet
    while sr.status != Status.COMPLETED:
        sr = requests.service_request_complete_step(request=sr, officer=world.officer_a)
    page = client.get(_page(sr)).content.decode()
    assert f"/produk/{doc.pk}/" in page and f"/skm/kode/{sr.receipt_code}/" in page
    got = client.get(f"{_page(sr)}produk/{doc.pk}/")
    assert got.status_code == 200 and got["Content-Type"] == "application/pdf"
    assert b"".join(got.streaming_content).startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="document.download", object_id=str(doc.pk)).count() == 1
    # A requirement file, or another request's file, is not handed out through the link.
    kk = Document.objects.filter(request=sr, purpose=Purpose.REQUIREMENT).first()
    refused = client.get(f"{_page(sr)}produk/{kk.pk}/")
    assert refused.status_code == 302


def test_the_link_is_sent_again_only_to_the_contact_given(client, applied) -> None:
    before = Outbox.objects.filter(event="link").count()
    url = "/permohonan-saya/kirim-ulang/"
    ok = client.post(url, {"receipt": applied.receipt_code.lower(), "contact": "+62 812-3456-7890"})
    wrong = client.post(url, {"receipt": applied.receipt_code, "contact": "0899 0000 1111"})
    unknown = client.post(url, {"receipt": "ZZZZ-ZZZZ", "contact": "0812 3456 7890"})
    # The same answer for the three: the form says nothing about which pairs exist.
    assert ok.status_code == wrong.status_code == unknown.status_code == 200
    assert _main(ok) == _main(wrong) == _main(unknown)
    sent = Outbox.objects.filter(event="link")
    assert sent.count() == before + 1
    (message,) = sent
    assert message.recipient == applied.applicant_contact and "/permohonan-saya/" in message.text
    client.cookies["django_language"] = "id"
    empty = client.post(url, {"receipt": "", "contact": ""})
    assert empty.status_code == 400 and "kode tanda terima" in empty.content.decode().lower()


def _main(response) -> str:  # type: ignore[no-untyped-def]
    html = response.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_a_request_gets_at_most_three_new_links_a_day(applied) -> None:
    results = [
        applicant.link_resend(receipt=applied.receipt_code, contact="081234567890")
        for _ in range(5)
    ]
    assert results == [True, True, True, False, False]
    later = timezone.now() + timedelta(days=1, minutes=1)
    assert applicant.link_resend(receipt=applied.receipt_code, contact="081234567890", at=later)


def test_the_applicants_page_is_light(client, applied) -> None:
    """The first load of the applicant's page (the returned state, with its form) and of the
    link-again page stays within 100 KB without images, like the catalogue and the form."""
    for url in (_page(applied), "/permohonan-saya/kirim-ulang/"):
        weight = first_load(client.get(url).content).total
        assert weight <= 100 * 1024, (url, weight)


def test_a_service_needing_presence_offers_its_counter_booking(client, applied, world) -> None:
    page = client.get(_page(applied)).content.decode()
    assert "/antrian-loket/" not in page  # KTP-el here does not need the applicant in person
    applied.standard.needs_presence = True
    applied.standard.save(update_fields=["needs_presence"])
    page = client.get(_page(applied)).content.decode()
    assert f"/antrian-loket/?kode={applied.receipt_code}" in page
    form = client.get(f"/antrian-loket/?kode={applied.receipt_code}").content.decode()
    assert f'value="{applied.receipt_code}"' in form  # the code is filled in
