"""The write functions queue exactly one message per event, in their own transaction."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from sigap.complaints import services as complaints
from sigap.notifications.links import receipt_of
from sigap.notifications.models import Outbox, State
from sigap.notifications.services import notify
from sigap.notifications.survey_links import invitation_path
from sigap.service_requests import services
from sigap.service_requests.models import ServiceRequest
from tests import factories
from tests.conftest import local


def _messages(**kw) -> list[tuple[str, str]]:
    return list(Outbox.objects.filter(**kw).order_by("pk").values_list("event", "text"))


def _receive(world, sr):
    return services.service_request_receive(
        request=sr, officer=world.officer_a, at=local(2025, 3, 27, 9, 5)
    )


def test_a_submission_queues_one_received_message_with_the_applicants_link(world, ktp_request):
    (row,) = Outbox.objects.filter(request=ktp_request)
    code = ktp_request.receipt_code
    assert (row.event, row.channel, row.state) == ("received", "whatsapp", State.QUEUED)
    assert row.recipient == "0812-3456-7890"  # as the applicant gave it
    # In Bahasa Indonesia whatever the officer's language (the tests run in English).
    assert row.text.startswith("SIGAP: permohonan Penerbitan KTP-el Anda sudah terdaftar")
    # The applicant's own page (a signed link to this request, not a guessable address).
    link = row.text.rsplit(" ", 1)[1]
    assert link.startswith("http://127.0.0.1:8000/permohonan-saya/")
    assert receipt_of(link.rstrip("/").rsplit("/", 1)[1]) == code
    # The same event again (a retried write) adds nothing.
    ktp_request.refresh_from_db()
    assert notify(event="received", request=ktp_request) is False
    assert Outbox.objects.filter(request=ktp_request).count() == 1


def test_each_step_the_applicant_must_hear_about_queues_one_message(world, ktp_request):
    sr = _receive(world, ktp_request)  # taken into the queue: nothing for the applicant
    assert [e for e, _ in _messages(request=sr)] == ["received"]
    sr = services.service_request_return(
        request=sr, officer=world.officer_a, reason="Fotokopi KK buram", at=local(2025, 3, 27, 10)
    )
    sr = services.service_request_resume(request=sr, at=local(2025, 3, 28, 9))
    sr = services.service_request_wait(
        request=sr, officer=world.officer_a, reason="Datang untuk tanda tangan",
        at=local(2025, 3, 28, 10),
    )  # fmt: skip
    sr = services.service_request_resume(request=sr, at=local(2025, 4, 8, 9))
    for minute in (10, 20, 30, 40):
        sr = services.service_request_complete_step(
            request=sr, officer=world.officer_a, at=local(2025, 4, 8, 10, minute)
        )
    events = _messages(request=sr)
    assert [e for e, _ in events] == ["received", "returned", "waiting", "completed"]
    texts = dict(events)
    assert "Fotokopi KK buram" in texts["returned"]
    assert "Datang untuk tanda tangan" in texts["waiting"]
    # The survey link carries the applicant's token (survey_links): no contact to type.
    assert invitation_path(sr.receipt_code) in texts["completed"]


def test_a_rejection_gives_the_reason_and_how_to_complain(world, ktp_request):
    sr = services.service_request_reject(
        request=ktp_request, officer=world.officer_a, reason="Bukan penduduk kabupaten ini",
        at=local(2025, 3, 27, 10),
    )  # fmt: skip
    (text,) = [t for e, t in _messages(request=sr) if e == "rejected"]
    assert "Bukan penduduk kabupaten ini" in text and "/pengaduan/baru/" in text
    assert sr.receipt_code in text


def test_an_email_contact_is_sent_by_email_and_a_useless_one_is_kept_with_the_reason(world):
    email = services.Applicant(name="Budi", contact="budi@contoh.id", region_kecamatan="Sukamaju")
    sr = services.service_request_submit(
        service=world.ktp, applicant=email, channel="online", submitted_at=local(2025, 3, 27)
    )
    assert Outbox.objects.get(request=sr).channel == "email"
    odd = services.Applicant(name="Budi", contact="rumah pak RT", region_kecamatan="Sukamaju")
    sr = services.service_request_submit(
        service=world.ktp, applicant=odd, channel="counter", submitted_at=local(2025, 3, 27)
    )
    row = Outbox.objects.get(request=sr)
    assert row.state == State.GIVEN_UP
    assert row.last_error == "Kontak bukan nomor telepon dan bukan alamat e-mail."


def test_a_refused_write_queues_nothing(world, ktp_request):
    before = Outbox.objects.count()
    with pytest.raises(PermissionDenied):  # an officer of another unit
        services.service_request_receive(request=ktp_request, officer=world.officer_b)
    with pytest.raises(ValidationError):  # no reason given
        services.service_request_reject(request=ktp_request, officer=world.officer_a, reason=" ")
    sr = _receive(world, ktp_request)
    with pytest.raises(ValidationError):  # a step before the previous one
        services.service_request_return(
            request=sr, officer=world.officer_a, reason="x", at=local(2025, 3, 26)
        )
    assert Outbox.objects.count() == before


def test_a_rolled_back_write_takes_its_message_with_it(world, ktp_request):
    sr = _receive(world, ktp_request)

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        services.service_request_return(
            request=sr, officer=world.officer_a, reason="KK buram", at=local(2025, 3, 27, 10)
        )
        assert Outbox.objects.filter(request=sr, event="returned").exists()
        raise Boom
    assert not Outbox.objects.filter(request=sr, event="returned").exists()
    assert ServiceRequest.objects.get(pk=sr.pk).status == "in_progress"


def test_the_daily_apology_reaches_each_overdue_request_once(world):
    late = factories.submit(world, at=local(2025, 3, 27))  # due 2025-04-10
    paused = factories.submit(world, at=local(2025, 3, 27))
    paused = _receive(world, paused)
    services.service_request_wait(
        request=paused, officer=world.officer_a, reason="Tanda tangan", at=local(2025, 3, 27, 10)
    )
    fresh = factories.submit(world, at=local(2025, 4, 14))
    assert services.service_requests_sla_apology(today=date(2025, 4, 15)) == 1
    (text,) = [t for e, t in _messages(request=late) if e == "sla_missed"]
    assert "mohon maaf" in text.lower() and "/permohonan-saya/" in text
    assert not Outbox.objects.filter(request__in=[paused, fresh], event="sla_missed").exists()
    # The next day's run (and a second run the same day) adds nothing for the same request.
    assert services.service_requests_sla_apology(today=date(2025, 4, 16)) == 0
    assert services.service_requests_sla_apology(today=date(2025, 4, 16)) == 0
    assert Outbox.objects.filter(event="sla_missed").count() == 1


def test_the_daily_command_says_how_many_it_queued(world):
    from io import StringIO

    from django.core.management import call_command

    factories.submit(world, at=local(2025, 3, 27))
    out = StringIO()
    call_command("requests_sla_apology", stdout=out)  # today: long past the due date
    assert out.getvalue().strip() == "requests_sla_apology: 1 apology message(s) queued"


REPORTER = complaints.Reporter(name="Ahmad Fauzi", contact="ahmad@contoh.id")


def _complaint(world, reporter=REPORTER):
    return complaints.complaint_submit(
        category="pungli", description="Diminta uang di loket", reporter=reporter,
        service=world.ktp, submitted_at=local(2025, 3, 27),
    )  # fmt: skip


def test_every_complaint_stage_reaches_a_reporter_who_left_a_contact(world):
    head = world.users["head_a"]
    c = _complaint(world)
    c = complaints.complaint_verify(complaint=c, user=head, at=local(2025, 4, 7, 10))
    c = complaints.complaint_forward(
        complaint=c, user=head, note="catatan internal", at=local(2025, 4, 7, 11)
    )
    c = complaints.complaint_follow_up(
        complaint=c, user=head, response="Petugas ditegur.", at=local(2025, 4, 10)
    )
    c = complaints.complaint_reply(complaint=c, message="Belum beres", at=local(2025, 4, 11))
    rows = list(Outbox.objects.filter(complaint=c).order_by("pk"))
    assert [r.event for r in rows] == ["submit", "verify", "forward", "follow_up", "reply"]
    assert {r.channel for r in rows} == {"email"}
    assert all(f"/pengaduan/status/{c.receipt_code}/" in r.text for r in rows)
    assert "Petugas ditegur." in rows[3].text
    assert "catatan internal" not in rows[2].text  # a staff-only note stays inside


def test_anonymous_reporters_and_refused_stages_get_nothing(world):
    c = _complaint(world, complaints.Reporter(anonymous=True))
    assert not Outbox.objects.filter(complaint=c).exists()
    c = complaints.complaint_verify(complaint=c, user=world.users["head_a"])
    assert not Outbox.objects.filter(complaint=c).exists()
    named = _complaint(world)
    with pytest.raises(PermissionDenied):
        complaints.complaint_verify(complaint=named, user=world.users["officer_b"])
    with pytest.raises(ValidationError):  # closing is not possible from "received"
        complaints.complaint_close(complaint=named, user=world.users["head_a"])
    assert Outbox.objects.filter(complaint=named).count() == 1


def test_deleting_a_citizens_data_erases_it_from_the_outbox_too(world, ktp_request):
    from datetime import timedelta

    from django.utils import timezone

    from sigap.privacy.services import retention_run

    sr = services.service_request_reject(
        request=ktp_request, officer=world.officer_a, reason="Berkas palsu",
        at=local(2025, 3, 27, 10),
    )  # fmt: skip
    c = _complaint(world)
    complaints.complaint_reject(complaint=c, user=world.users["head_a"], reason="Duplikat")
    retention_run(now=timezone.now() + timedelta(days=3 * 365))
    rows = Outbox.objects.filter(request=sr) | Outbox.objects.filter(complaint=c)
    assert rows.count() == 4
    assert set(rows.values_list("recipient", "text")) == {("", "")}
    assert set(rows.values_list("state", flat=True)) == {State.GIVEN_UP}
    assert "data pribadi" in rows.first().last_error
