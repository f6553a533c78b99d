"""The sender against a real HTTP gateway on loopback that sometimes fails: every message is
either sent or given up with its reason, never lost; retries wait longer each time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from sigap.notifications.channels import EmailChannel, GatewayChannel
from sigap.notifications.models import Outbox, State
from sigap.notifications.sender import drain
from sigap.notifications.services import backoff, outbox_claim
from tests import factories
from tests.conftest import local
from tests.notifications.fake_gateway import running

TIMEOUT = 0.3


@pytest.fixture
def gateway():
    with running() as gw:
        gw.slow_seconds = TIMEOUT * 3
        yield gw


@pytest.fixture
def notify_settings(settings, gateway):
    settings.SIGAP = {
        **settings.SIGAP,
        "NOTIFY_WHATSAPP_URL": gateway.url,
        "NOTIFY_WHATSAPP_TOKEN": gateway.token,
        "NOTIFY_TIMEOUT_SECONDS": TIMEOUT,
        "NOTIFY_MAX_ATTEMPTS": 3,
        "NOTIFY_BACKOFF_SECONDS": 60,
    }
    return settings


def _channels(gateway):
    return {
        "whatsapp": GatewayChannel(url=gateway.url, token=gateway.token, timeout=TIMEOUT),
        "email": EmailChannel(),
    }


def _due_again() -> None:
    """Time passes: every waiting retry is due now (instead of sleeping through the back-off)."""
    Outbox.objects.filter(state=State.RETRYING).update(next_attempt_at=timezone.now())


def test_a_healthy_gateway_gets_each_message_once_with_the_token_and_number(
    world, gateway, notify_settings
):
    sr = factories.submit(world, at=local(2025, 3, 27))
    counts = drain(channels=_channels(gateway))
    assert counts["sent"] == 1
    (got,) = gateway.delivered
    assert got["authorization"] == "test-token"
    assert got["target"] == "6281234567890"  # 0812-3456-7890 as the gateway wants it
    assert sr.receipt_code in got["message"]
    row = Outbox.objects.get(request=sr)
    assert (row.state, row.attempts, row.provider_message_id) == (State.SENT, 1, "m1")
    assert row.sent_at is not None and row.claim_token == ""
    assert drain(channels=_channels(gateway))["sent"] == 0  # nothing is sent twice


@pytest.mark.parametrize(
    ("failure", "reason"),
    [
        ("500", "Gateway menjawab HTTP 500."),
        ("timeout", f"Gateway tidak menjawab dalam {TIMEOUT} detik."),
        ("malformed", "Jawaban gateway tidak dapat dibaca."),
        ("refuse", "Gateway tidak mengirimnya: device disconnected"),
        ("drop", "Gateway tidak dapat dihubungi"),
    ],
)
def test_a_failure_is_kept_with_its_reason_and_retried_later(
    world, gateway, notify_settings, failure, reason
):
    sr = factories.submit(world, at=local(2025, 3, 27))
    gateway.plan.extend([failure, failure])  # "drop" is retried once at once on a new connection
    before = timezone.now()
    counts = drain(channels=_channels(gateway))
    assert counts["retrying"] == 1 and counts["sent"] == 0
    row = Outbox.objects.get(request=sr)
    assert row.state == State.RETRYING and row.attempts == 1
    assert row.last_error.startswith(reason)
    assert row.next_attempt_at >= before + timedelta(seconds=60)
    # Not due yet: a sender run now leaves it alone.
    assert drain(channels=_channels(gateway))["retrying"] == 0
    gateway.plan.clear()
    _due_again()
    assert drain(channels=_channels(gateway))["sent"] == 1
    row.refresh_from_db()
    assert (row.state, row.attempts, row.last_error) == (State.SENT, 2, "")
    assert len(gateway.delivered) == 1


def test_the_back_off_doubles_and_the_sender_gives_up_with_a_visible_reason(
    world, gateway, notify_settings
):
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    sr = factories.submit(world, at=local(2025, 3, 27))
    gateway.default = "500"
    waits = []
    for _ in range(3):
        start = timezone.now()
        drain(channels=_channels(gateway))
        row = Outbox.objects.get(request=sr)
        waits.append(round((row.next_attempt_at - start).total_seconds() / 60))
        _due_again()
    assert waits[:2] == [1, 2]
    row = Outbox.objects.get(request=sr)
    assert row.state == State.GIVEN_UP and row.attempts == 3
    assert row.last_error == "Dihentikan setelah 3 percobaan. Gateway menjawab HTTP 500."
    assert drain(channels=_channels(gateway)) == {}  # given up: not tried again
    assert len(gateway.received) == 3


def test_a_message_the_gateway_refuses_outright_is_given_up_at_once(
    world, gateway, notify_settings
):
    sr = factories.submit(world, at=local(2025, 3, 27))
    gateway.plan.append("400")
    drain(channels=_channels(gateway))
    row = Outbox.objects.get(request=sr)
    assert row.state == State.GIVEN_UP and row.attempts == 1
    assert row.last_error.startswith("Gateway menolak pesan (HTTP 400). target invalid")


def test_a_wrong_token_is_retried_not_lost(world, gateway, notify_settings):
    sr = factories.submit(world, at=local(2025, 3, 27))
    wrong = {"whatsapp": GatewayChannel(url=gateway.url, token="nope", timeout=TIMEOUT)}
    drain(channels=wrong)
    row = Outbox.objects.get(request=sr)
    assert row.state == State.GIVEN_UP  # 401: the gateway refuses; staff see why
    assert "HTTP 401" in row.last_error and "invalid token" in row.last_error


def test_a_mixed_run_loses_nothing(world, gateway, notify_settings):
    for day in range(20):
        factories.submit(world, at=local(2025, 3, 3) + timedelta(days=day))
    gateway.plan.extend(["500", "ok", "timeout", "ok", "malformed", "refuse", "ok"] * 2)
    for _ in range(4):
        drain(channels=_channels(gateway))
        _due_again()
    states = list(Outbox.objects.values_list("state", flat=True))
    assert states == [State.SENT] * 20
    targets = [m["message"] for m in gateway.delivered]
    assert len(targets) == len(set(targets)) == 20


def test_email_goes_through_the_mail_backend(world, notify_settings):
    applicant = factories.APPLICANT.__class__(
        name="Budi", contact="budi@contoh.id", region_kecamatan="Sukamaju"
    )
    from sigap.service_requests import services

    services.service_request_submit(
        service=world.ktp, applicant=applicant, channel="online", submitted_at=local(2025, 3, 27)
    )
    assert drain(channels={"email": EmailChannel()})["sent"] == 1
    (message,) = mail.outbox
    assert message.to == ["budi@contoh.id"] and "/permohonan-saya/" in message.body


def test_without_a_gateway_whatsapp_messages_wait_queued_and_the_command_says_so(world, settings):
    settings.SIGAP = {**settings.SIGAP, "NOTIFY_WHATSAPP_URL": "", "NOTIFY_SMS_URL": ""}
    sr = factories.submit(world, at=local(2025, 3, 27))
    from io import StringIO

    out = StringIO()
    call_command("notify", "send", "--max-seconds", "5", stdout=out)
    assert "1 message(s) wait for a gateway that is not configured" in out.getvalue()
    assert Outbox.objects.get(request=sr).state == State.QUEUED


def test_a_claim_is_exclusive_until_it_lapses(world, notify_settings):
    factories.submit(world, at=local(2025, 3, 27))
    token, rows = outbox_claim(channels=["whatsapp"], limit=10)
    assert len(rows) == 1
    assert outbox_claim(channels=["whatsapp"], limit=10)[1] == []
    # A sender that died: once its claim has lapsed another sender takes the message.
    later = timezone.now() + timedelta(seconds=301)
    other, again = outbox_claim(channels=["whatsapp"], limit=10, now=later)
    assert [r.pk for r in again] == [rows[0].pk] and other != token
