"""Only the reporter acts as the reporter: the secret in the reporter's link, not the public code.

The receipt code is public (Open311 lists it); accepting, replying and reopening need the secret
given once at filing (web confirmation, API and Open311 create replies) or a link staff issue.
"""

from __future__ import annotations

import json
import re

from django.test import Client, override_settings

from sigap.api.keys import api_key_create
from sigap.audit.models import AuditEntry
from sigap.complaints import services
from sigap.complaints.models import Complaint, Status

FORM = {
    "category": "lambat",
    "description": "Sudah tiga minggu belum jadi",
    "reporter_name": "Ahmad Fauzi",
    "reporter_contact": "0812-3456-7890",
}
LINK = re.compile(r"/pengaduan/status/([A-Z0-9]+)/\?t=([A-Za-z0-9_-]+)")


def _followed_up(world, complaint: Complaint) -> Complaint:
    head = world.users["head_a"]
    services.complaint_verify(complaint=complaint, user=head)
    services.complaint_forward(complaint=complaint, user=head)
    return services.complaint_follow_up(complaint=complaint, user=head, response="Sudah jadi")


def _file(world, **reporter) -> Complaint:
    return services.complaint_submit(
        category="lambat", description="Lama", service=world.ktp,
        reporter=services.Reporter(**(reporter or {"name": "Ahmad", "contact": "0812"})),
    )  # fmt: skip


def _status(complaint: Complaint) -> str:
    complaint.refresh_from_db()
    return complaint.status


def test_a_stranger_with_the_public_code_from_open311_cannot_close_reply_or_reopen(world, settings):
    settings.LANGUAGE_CODE = "id"  # the product default (the suite runs in English)
    c = _followed_up(world, _file(world))
    stranger = Client()
    listed = json.loads(stranger.get("/open311/v2/requests.json").content)
    code = listed[0]["service_request_id"]
    assert code == c.receipt_code
    for action in ("accept", "reply"):
        response = stranger.post(f"/pengaduan/status/{code}/{action}/", {"message": "Selesai"})
        assert response.status_code == 403
        assert "Hanya pelapor" in response.content.decode()  # a clear Indonesian message
        assert _status(c) == Status.DITINDAKLANJUTI
    wrong = stranger.post(f"/pengaduan/status/{code}/accept/", {"t": "x" * 32})
    assert wrong.status_code == 403 and _status(c) == Status.DITINDAKLANJUTI
    services.complaint_close(complaint=c, user=world.users["head_a"])
    response = stranger.post(f"/pengaduan/status/{code}/reopen/", {"message": "Belum beres"})
    assert response.status_code == 403 and _status(c) == Status.SELESAI
    # The public status is still there for everyone with the code.
    page = stranger.get(f"/pengaduan/status/{code}/")
    assert page.status_code == 200 and "Sudah jadi" in page.content.decode()


def test_the_reporter_gets_the_link_once_and_acts_with_it_from_any_browser(client, world):
    response = client.post("/pengaduan/baru/", {**FORM, "service": world.ktp.pk})
    c = Complaint.objects.get()
    assert response["Location"] == f"/pengaduan/status/{c.receipt_code}/"  # no secret in it
    first = client.get(response["Location"]).content.decode()
    code, key = LINK.search(first).groups()
    assert code == c.receipt_code and key not in response["Location"]
    assert "no-store" in client.get(f"/pengaduan/status/{code}/")["Cache-Control"]
    assert not LINK.search(client.get(f"/pengaduan/status/{code}/").content.decode())  # once
    _followed_up(world, c)

    phone = Client()  # the reporter opens the link later, on another device
    opened = phone.get(f"/pengaduan/status/{code}/?t={key}")
    assert opened.status_code == 302 and opened["Location"] == f"/pengaduan/status/{code}/"
    assert phone.post(f"/pengaduan/status/{code}/accept/", {"message": ""}).status_code == 302
    assert _status(c) == Status.SELESAI

    laptop = Client()  # or types the key from the link into the status page's form
    reopened = laptop.post(f"/pengaduan/status/{code}/reopen/", {"t": key, "message": "Lagi"})
    assert reopened.status_code == 302 and _status(c) == Status.DIDISPOSISIKAN


def test_the_filer_of_the_web_form_may_act_in_the_same_browser(client, world):
    client.post("/pengaduan/baru/", {**FORM, "service": world.ktp.pk})
    c = _followed_up(world, Complaint.objects.get())
    client.post(f"/pengaduan/status/{c.receipt_code}/reply/", {"message": "Belum"})
    assert _status(c) == Status.DIDISPOSISIKAN


def test_api_and_open311_return_the_secret_once_and_no_listing_or_audit_has_it(client, world):
    made = client.post(
        "/api/v1/complaints",
        {"category": "lambat", "description": "Lama", "service_code": "ktp-el",
         "reporter_name": "Ahmad", "reporter_contact": "0812"},
        content_type="application/json",
    ).json()  # fmt: skip
    api_key, api_code = made["reporter_key"], made["receipt_code"]
    assert made["reporter_url"].endswith(f"/pengaduan/status/{api_code}/?t={api_key}")
    _, raw = api_key_create(name="Aplikasi kecamatan", scopes=["open311.post"])
    posted = json.loads(
        client.post(
            "/open311/v2/requests.json",
            {"service_code": "ktp-el", "lat": "-6.9", "long": "107.6", "api_key": raw,
             "first_name": "Siti", "email": "siti@example.org", "description": "Lama"},
        ).content
    )  # fmt: skip
    o311_code, o311_key = LINK.search(posted[0]["reporter_url"]).groups()
    assert o311_code == posted[0]["service_request_id"]

    for code, key in ((api_code, api_key), (o311_code, o311_key)):
        c = _followed_up(world, Complaint.objects.get(receipt_code=code))
        reporter = Client()
        reporter.get(f"/pengaduan/status/{code}/?t={key}")
        reporter.post(f"/pengaduan/status/{code}/accept/")
        assert _status(c) == Status.SELESAI  # the secret given is the real one
        services.complaint_reporter_link_issue(complaint=c, user=world.users["head_a"])

    secrets = [api_key, o311_key]
    hashes = list(Complaint.objects.values_list("reporter_key_hash", flat=True))
    public = [
        client.get(url).content.decode()
        for url in (
            "/open311/v2/requests.json", "/open311/v2/requests.xml",
            f"/open311/v2/requests/{o311_code}.json", f"/open311/v2/tokens/{o311_code}.json",
            "/open311/v2/servicerequestupdates.xml", f"/api/v1/complaints/{api_code}",
            f"/api/v1/complaints/{o311_code}", f"/pengaduan/status/{api_code}/",
        )
    ]  # fmt: skip
    assert o311_code in public[0] and api_code in public[5]
    audit = json.dumps([e.data for e in AuditEntry.objects.all()])
    assert AuditEntry.objects.filter(action="complaint.reporter_link").count() == 2
    for text in [*public, audit]:
        for secret in [*secrets, *hashes]:
            assert secret not in text


@override_settings(SIGAP={"RATE_LIMITS": "reporter_key=3/3600"})
def test_wrong_secrets_are_throttled_per_client(world, settings):
    settings.LANGUAGE_CODE = "id"
    filed = _file(world)
    key, code = filed.issued_reporter_key, filed.receipt_code
    c = _followed_up(world, filed)
    guesser = Client(REMOTE_ADDR="10.0.0.66")
    for attempt in range(3):
        wrong = guesser.get(f"/pengaduan/status/{code}/?t=guess{attempt}")
        assert wrong.status_code == 403
        assert "tidak berlaku" in wrong.content.decode()
    # Over the limit nothing is checked any more, not even the right secret.
    assert guesser.post(f"/pengaduan/status/{code}/accept/", {"t": key}).status_code == 429
    assert guesser.get(f"/pengaduan/status/{code}/?t={key}").status_code == 429
    assert _status(c) == Status.DITINDAKLANJUTI
    reporter = Client(REMOTE_ADDR="10.0.0.7")  # another client is not locked out
    assert reporter.post(f"/pengaduan/status/{code}/accept/", {"t": key}).status_code == 302
    assert _status(c) == Status.SELESAI


def test_staff_issue_a_new_link_for_a_complaint_filed_before_secrets(client, world):
    filed = _file(world)
    old_key = filed.issued_reporter_key
    c = _followed_up(world, filed)
    assert services.reporter_key_matches(c, old_key)
    Complaint.objects.filter(pk=c.pk).update(reporter_key_hash="")  # as the migration leaves it
    reporter = Client()
    assert reporter.post(f"/pengaduan/status/{c.receipt_code}/accept/",
                         {"t": old_key}).status_code == 403  # fmt: skip

    client.force_login(world.users["head_a"])
    assert "tautan-pelapor" in client.get(f"/pengaduan/{c.receipt_code}/").content.decode()
    page = client.post(f"/pengaduan/{c.receipt_code}/tautan-pelapor/")
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    code, key = LINK.search(page.content.decode()).groups()
    entry = AuditEntry.objects.get(action="complaint.reporter_link")
    assert entry.data == {"replaced": False} and entry.actor_user_id == world.users["head_a"].pk

    assert reporter.post(f"/pengaduan/status/{code}/accept/", {"t": key}).status_code == 302
    assert _status(c) == Status.SELESAI
    client.post(f"/pengaduan/{c.receipt_code}/tautan-pelapor/")  # a newer link ends this one
    assert Client().post(f"/pengaduan/status/{code}/key/", {"t": key}).status_code == 403
    assert reporter.post(f"/pengaduan/status/{code}/reopen/", {"message": "x"}).status_code == 403


def test_no_link_for_an_anonymous_reporter_and_confidential_ones_by_the_inspectorate(client, world):
    anonymous = _file(world, anonymous=True)
    client.force_login(world.users["head_a"])
    client.post(f"/pengaduan/{anonymous.receipt_code}/tautan-pelapor/")
    assert not AuditEntry.objects.filter(action="complaint.reporter_link").exists()
    confidential = _file(world, name="Rahasia", contact="0813", confidential=True)
    url = f"/pengaduan/{confidential.receipt_code}/tautan-pelapor/"
    assert client.post(url).status_code == 403  # the unit head may not see the contact
    client.force_login(world.users["inspector"])
    assert client.post(url).status_code == 200


def test_a_rotated_site_key_keeps_the_links_working_through_the_fallbacks(world, settings):
    c = _file(world)
    assert services.reporter_key_matches(c, c.issued_reporter_key)
    assert not services.reporter_key_matches(c, c.issued_reporter_key[:-1])
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-site-key-" + "x" * 40
    assert not services.reporter_key_matches(c, c.issued_reporter_key)
    settings.SECRET_KEY_FALLBACKS = [old]
    assert services.reporter_key_matches(c, c.issued_reporter_key)


def test_no_log_line_carries_a_secret(world, caplog):
    mine, other = _file(world), _file(world)
    key = mine.issued_reporter_key
    stranger = Client()
    with caplog.at_level("DEBUG"):
        # A real secret shown for the wrong complaint: refused (403, logged by Django) and
        # the right one: accepted; neither leaves the secret in a log record.
        assert stranger.get(f"/pengaduan/status/{other.receipt_code}/?t={key}").status_code == 403
        assert stranger.post(f"/pengaduan/status/{other.receipt_code}/key/",
                             {"t": key}).status_code == 403  # fmt: skip
        assert stranger.get(f"/pengaduan/status/{mine.receipt_code}/?t={key}").status_code == 302
    assert caplog.records and "Forbidden" in caplog.text
    assert key not in caplog.text and mine.reporter_key_hash not in caplog.text
