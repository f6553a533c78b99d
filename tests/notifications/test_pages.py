"""Staff see each message's delivery state, never the citizen's contact in full."""

from __future__ import annotations

from sigap.complaints import services as complaints
from sigap.notifications.contact import mask, phone_number
from sigap.notifications.models import Outbox, State
from tests.conftest import local


def _section(page: str) -> str:
    start = page.index('id="notifications-title"')
    return page[start : page.index("</section>", start)]


def test_masking_keeps_enough_to_recognise_and_not_enough_to_use():
    assert mask("0812-3456-7890") == "0812******90"
    assert mask("+62 812 3456 7890") == "6281*******90"
    assert mask("budi.santoso@mail.id") == "b***@mail.id"
    assert mask("123") == "***"
    assert phone_number("0812-3456-7890") == phone_number("+62 812-3456-7890") == "6281234567890"
    assert (
        phone_number("12345") == phone_number("budi@mail.id") == phone_number("٠٨١٢٣٤٥٦٧٨٩") == ""
    )


def test_the_units_officer_sees_the_messages_in_words_with_the_contact_masked(
    client, world, ktp_request, settings
):
    settings.LANGUAGE_CODE = "id"  # the site's language (the suite runs in English)
    Outbox.objects.filter(request=ktp_request).update(
        state=State.RETRYING, attempts=2, last_error="Gateway menjawab HTTP 500."
    )
    client.force_login(world.users["officer_a"])
    page = client.get(f"/permohonan/{ktp_request.receipt_code}/")
    html = page.content.decode()
    section = _section(html)
    assert "0812******90" in section
    assert "0812-3456-7890" not in html and "6281234567890" not in html
    assert "Gateway menjawab HTTP 500." in section
    assert "Pemberitahuan" in section and "Gagal, akan dicoba lagi" in section
    assert "Permohonan terdaftar" in section and "2 percobaan gagal" in section
    assert "retrying" not in section.replace("notify-retrying", "")  # state in words, not code


def test_staff_who_may_not_process_the_request_see_no_messages(client, world, ktp_request):
    client.force_login(world.users["inspector"])
    page = client.get(f"/permohonan/{ktp_request.receipt_code}/")
    assert page.status_code == 200
    assert 'id="notifications-title"' not in page.content.decode()


def test_the_complaint_page_lists_the_messages_and_hides_a_confidential_contact(client, world):
    reporter = complaints.Reporter(name="Ahmad", contact="ahmad.f@contoh.id", confidential=True)
    c = complaints.complaint_submit(
        category="pungli", description="Diminta uang", reporter=reporter, service=world.ktp,
        submitted_at=local(2025, 3, 27),
    )  # fmt: skip
    client.force_login(world.users["head_a"])  # handles it, may not see who filed it
    section = _section(client.get(f"/pengaduan/{c.receipt_code}/").content.decode())
    assert "Complaint received" in section and "Waiting to be sent" in section
    assert "a***@contoh.id" not in section and "ahmad.f" not in section
    client.force_login(world.users["inspector"])  # the Inspektorat sees the identity, masked here
    section = _section(client.get(f"/pengaduan/{c.receipt_code}/").content.decode())
    assert "a***@contoh.id" in section and "ahmad.f@" not in section


def test_the_admin_lists_messages_read_only_and_masked(client, world, ktp_request):
    client.force_login(world.users["admin"])
    page = client.get("/admin/notifications/outbox/")
    html = page.content.decode()
    assert page.status_code == 200 and "0812******90" in html and "0812-3456-7890" not in html
    row = Outbox.objects.get(request=ktp_request)
    assert client.get(f"/admin/notifications/outbox/{row.pk}/delete/").status_code == 403
    assert client.get("/admin/notifications/outbox/add/").status_code == 403
