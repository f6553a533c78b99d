"""Complaint pages as people use them: the public form and status page, the unit's list."""

from __future__ import annotations

from datetime import date

from django.test import override_settings

from sigap.complaints import services
from sigap.complaints.models import Complaint, Status
from tests.conftest import local

FORM = {
    "category": "pungli",
    "service": "",
    "description": "Diminta uang tambahan",
    "reporter_name": "Ahmad Fauzi",
    "reporter_contact": "0812-3456-7890",
}


def test_a_citizen_files_a_complaint_and_gets_a_code(client, world):
    response = client.post("/pengaduan/baru/", {**FORM, "service": world.ktp.pk})
    c = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/pengaduan/status/{c.receipt_code}/"
    page = client.get(response["Location"]).content.decode()
    assert c.receipt_code in page and "Loket A" in page


def test_the_public_status_page_shows_no_personal_data(client, world):
    c = services.complaint_submit(
        category="perilaku", description="Petugas membentak saya", service=world.ktp,
        reporter=services.Reporter(name="Ahmad Fauzi", contact="0812-3456-7890"),
        officer_description="Siti di loket 2", submitted_at=local(2025, 3, 27),
    )  # fmt: skip
    head = world.users["head_a"]
    services.complaint_verify(complaint=c, user=head, at=local(2025, 4, 7))
    services.complaint_forward(complaint=c, user=head, note="internal", at=local(2025, 4, 7))
    services.complaint_follow_up(complaint=c, user=head, response="Sudah ditegur",
                                 at=local(2025, 4, 8))  # fmt: skip
    page = client.get(f"/pengaduan/status/{c.receipt_code}/").content.decode()
    assert "Sudah ditegur" in page and "Loket A" in page
    for private in ("Ahmad Fauzi", "0812-3456-7890", "membentak", "Siti", "internal"):
        assert private not in page
    assert "reporter-key" in page  # the reporter may answer, with the reporter's key


def test_the_reporter_replies_from_the_status_page(client, world):
    c = services.complaint_submit(category="lambat", description="Lama", service=world.ktp,
                                  reporter=services.Reporter(anonymous=True),
                                  submitted_at=local(2025, 3, 27))  # fmt: skip
    head = world.users["head_a"]
    services.complaint_verify(complaint=c, user=head, at=local(2025, 4, 7))
    services.complaint_forward(complaint=c, user=head, at=local(2025, 4, 7))
    services.complaint_follow_up(complaint=c, user=head, response="Ok", at=local(2025, 4, 8))
    client.get(f"/pengaduan/status/{c.receipt_code}/?t={c.issued_reporter_key}")  # the link
    client.post(f"/pengaduan/status/{c.receipt_code}/reply/", {"message": "Belum"})
    c.refresh_from_db()
    assert c.status == Status.DIDISPOSISIKAN


def test_an_unknown_complaint_code_is_a_friendly_404(client, world):
    response = client.get("/pengaduan/status/ZZZZZZZZZZ/")
    assert response.status_code == 404 and "ZZZZZZZZZZ" in response.content.decode()


def test_bad_form_input_is_refused_without_storing(client, world):
    assert client.post("/pengaduan/baru/", {**FORM}).status_code == 400  # no unit or service
    big = {**FORM, "service": world.ktp.pk, "description": "x" * 4001}
    assert client.post("/pengaduan/baru/", big).status_code == 400
    assert Complaint.objects.count() == 0


def test_html_in_a_complaint_is_rendered_escaped_for_staff(client, world):
    c = services.complaint_submit(category="lainnya", description="<script>alert(1)</script>",
                                  service=world.ktp, reporter=services.Reporter(anonymous=True),
                                  submitted_at=local(2025, 3, 27))  # fmt: skip
    client.force_login(world.users["head_a"])
    page = client.get(f"/pengaduan/{c.receipt_code}/").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_a_confidential_identity_is_shown_to_the_inspectorate_only(client, world):
    c = services.complaint_submit(
        category="pungli", description="Pungli", service=world.ktp,
        reporter=services.Reporter(name="Rahasia Sekali", contact="0813", confidential=True),
        submitted_at=local(2025, 3, 27),
    )  # fmt: skip
    client.force_login(world.users["head_a"])
    assert "Rahasia Sekali" not in client.get(f"/pengaduan/{c.receipt_code}/").content.decode()
    client.force_login(world.users["inspector"])
    assert "Rahasia Sekali" in client.get(f"/pengaduan/{c.receipt_code}/").content.decode()


def test_unit_heads_see_the_overdue_list_and_escalate(client, world):
    c = services.complaint_submit(category="lambat", description="Lama", service=world.ktp,
                                  reporter=services.Reporter(anonymous=True),
                                  submitted_at=local(2025, 3, 27))  # fmt: skip
    client.force_login(world.users["head_a"])
    page = client.get("/pengaduan/?overdue=on").content.decode()
    assert c.receipt_code in page  # verify_due 2025-04-10 is long past
    client.post(f"/pengaduan/{c.receipt_code}/escalate/", {"note": "Tolong"})
    c.refresh_from_db()
    assert c.escalated_to == world.dukcapil


def test_staff_walk_a_complaint_through_the_pages(client, world):
    c = services.complaint_submit(category="lambat", description="Lama", service=world.ktp,
                                  reporter=services.Reporter(anonymous=True),
                                  submitted_at=local(2025, 3, 27))  # fmt: skip
    client.force_login(world.users["inspector"])
    for action in ("verify", "forward"):
        client.post(f"/pengaduan/{c.receipt_code}/{action}/", {"note": "", "unit": ""})
    client.post(f"/pengaduan/{c.receipt_code}/follow_up/", {"note": "Dipercepat"})
    c.refresh_from_db()
    assert c.status == Status.DITINDAKLANJUTI and c.follow_up_due is not None
    assert c.auto_close_on > date(2025, 1, 1)


@override_settings(SIGAP={"RATE_LIMITS": "complaint=2/3600"})
def test_a_flood_of_complaints_gets_a_clear_429(client, world):
    data = {**FORM, "service": world.ktp.pk}
    assert client.post("/pengaduan/baru/", data).status_code == 302
    assert client.post("/pengaduan/baru/", data).status_code == 302
    response = client.post("/pengaduan/baru/", data)
    assert response.status_code == 429 and "Retry-After" in response
    assert Complaint.objects.count() == 2


def test_the_category_has_no_default_and_a_missing_one_is_named_next_to_it(client, world):
    """Issue #14: a preselected category skewed what complaints were said to be about."""
    import re

    from django.conf import settings

    page = client.get("/pengaduan/baru/").content.decode()
    select = re.search(r'<select name="category".*?</select>', page, re.S)
    assert select is not None
    assert re.findall(r'<option value="([^"]*)"[^>]*selected', select.group(0)) == [""]
    assert "required" in select.group(0)
    for lang, error in (("en", "Choose what the complaint is about."),
                        ("id", "Pilih tentang apa pengaduan Anda.")):  # fmt: skip
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
        response = client.post("/pengaduan/baru/", {**FORM, "category": ""})
        assert response.status_code == 400
        html = response.content.decode()
        # The message sits next to the field: after its <select>, before the next field.
        after = html[html.index('name="category"') :]
        assert error in after[: after.index('name="service"')]
    assert Complaint.objects.count() == 0
