"""The cashier's pages and the request page's payments."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from sigap.payments.models import Payment, StatementImport
from sigap.service_requests.models import ServiceRequest
from tests import factories
from tests.conftest import local

FIXTURE = (Path(__file__).parent / "data" / "statement.csv").read_bytes()


def _cashier(client, world):
    client.force_login(world.users["cashier"])


def test_the_cashier_records_a_payment_and_it_waits_for_its_request(client, world):
    _cashier(client, world)
    page = client.get("/pembayaran/")
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    response = client.post(
        "/pembayaran/",
        {
            "unit": world.counter_a.pk,
            "source": "qris",
            "reference": "QR 000123",
            "amount": "15000",
            "paid_at": "2025-03-03T09:30",
        },
    )
    assert response.status_code == 302
    payment = Payment.objects.get()
    assert (payment.reference, payment.request) == ("QR000123", None)
    assert "QR000123" in client.get("/pembayaran/").content.decode()


def test_a_record_error_is_shown_on_its_field(client, world):
    _cashier(client, world)
    response = client.post(
        "/pembayaran/",
        {
            "unit": world.counter_a.pk,
            "source": "qris",
            "reference": "QR1",
            "amount": "15000",
            "paid_at": "2025-03-03T09:30",
            "receipt_code": "ZZZZZZZZZZ",
        },
    )
    assert response.status_code == 200
    assert "receipt_code" in response.context["record_form"].errors
    assert not Payment.objects.exists()


def test_the_cashier_reconciles_from_the_list_and_the_request_page_shows_it(client, world):
    sr = factories.submit(world, at=local(2025, 3, 3))
    _cashier(client, world)
    client.post(
        "/pembayaran/",
        {
            "unit": world.counter_a.pk,
            "source": "kuitansi",
            "reference": "KW-9",
            "amount": "65000",
            "paid_at": "2025-03-03T09:30",
        },
    )
    row = {"source": "kuitansi", "reference": "KW-9", "amount": "65000"}
    wrong = client.post("/pembayaran/rekonsiliasi/", {**row, "receipt_code": "ZZZZZZZZZZ"})
    assert wrong.status_code == 400 and "no-store" in wrong["Cache-Control"]
    assert "receipt_code" in wrong.context["reconcile_form"].errors  # shown on the manual form
    done = client.post("/pembayaran/rekonsiliasi/", {**row, "receipt_code": sr.receipt_code})
    assert done.status_code == 302
    assert Payment.objects.get().request == sr

    client.force_login(world.users["officer_a"])
    detail = client.get(f"/permohonan/{sr.receipt_code}/").content.decode()
    assert "KW-9" in detail and "Cash receipt (kuitansi)" in detail
    assert "Rp 65,000 above the tariff." in detail


def test_a_mismatched_amount_is_refused_on_the_manual_form(client, world):
    sr = factories.submit(world, at=local(2025, 3, 3))
    factories.pay(world, sr, 15_000, reference="KW-1")
    Payment.objects.update(request=None)  # back in the cashier's list
    _cashier(client, world)
    response = client.post(
        "/pembayaran/rekonsiliasi/",
        {
            "manual-source": "kuitansi",
            "manual-reference": "KW-1",
            "manual-amount": "50000",
            "manual-receipt_code": sr.receipt_code,
        },
    )
    assert response.status_code == 400
    assert "Rp 15,000 is on record" in str(response.context["reconcile_form"].errors["amount"])
    assert Payment.objects.get().request is None


def test_the_import_shows_a_dry_run_then_applies(client, world):
    for day, code in ((3, "7K3M9P2QXA"), (4, "H4ND8R2WQZ")):
        sr = factories.submit(world, at=local(2025, 3, day, 8))
        ServiceRequest.objects.filter(pk=sr.pk).update(receipt_code=code)
    _cashier(client, world)
    page = client.get("/pembayaran/impor/")
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    upload = SimpleUploadedFile("rekening.csv", FIXTURE, content_type="text/csv")
    preview = client.post(
        "/pembayaran/impor/", {"unit": world.counter_a.pk, "source": "bank", "file": upload}
    )
    assert preview.status_code == 200
    assert "to reconcile by hand" in preview.content.decode()
    assert not Payment.objects.exists()
    confirm = preview.context["confirm"]
    applied = client.post(
        "/pembayaran/impor/",
        {
            "unit": world.counter_a.pk,
            "source": "bank",
            "content": confirm["content"].value(),
            "filename": "rekening.csv",
            "apply": "1",
        },
    )
    assert applied.status_code == 302
    assert Payment.objects.count() == 3 and StatementImport.objects.get().reconciled == 2


def test_a_bad_file_is_refused_whole_with_line_and_column(client, world):
    _cashier(client, world)
    bad = FIXTURE.replace(b"04/03/2025;08:30", b"04/13/2025;08:30")
    response = client.post(
        "/pembayaran/impor/",
        {
            "unit": world.counter_a.pk,
            "source": "bank",
            "file": SimpleUploadedFile("r.csv", bad, content_type="text/csv"),
        },
    )
    assert response.status_code == 400
    assert "Line 5, column “Tanggal”" in response.content.decode()
    assert not Payment.objects.exists()


def test_the_pages_are_the_cashiers_and_speak_indonesian(client, world):
    client.force_login(world.users["officer_a"])
    assert client.get("/pembayaran/").status_code == 403
    assert client.get("/pembayaran/impor/").status_code == 403
    _cashier(client, world)
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    page = client.get("/pembayaran/").content.decode()
    assert "Catat pembayaran" in page and "Record a payment" not in page
    imp = client.get("/pembayaran/impor/").content.decode()
    assert "Impor rekening koran" in imp


def test_the_officers_intake_form_no_longer_asks_what_was_paid(client, world):
    client.force_login(world.users["officer_a"])
    form = client.get("/permohonan/baru/")
    assert "amount_paid" not in form.context["form"].fields
