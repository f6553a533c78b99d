"""Receipt throttles (docs/security.md point 4): per client and per locator, never global.

One client's flood must not lock anyone else out; a client that hammers gets a 429 with a
clear message; a stranger who knows a locator can slow its reporter down, never lock them out.
"""

from __future__ import annotations

import hashlib
import random
import re

import pytest

from sigap.whistleblowing import receipts, services, throttle
from sigap.whistleblowing.models import ReceiptThrottle
from tests.whistleblowing.conftest import database_dump

URL = "/lapor/tindak-lanjut/"


@pytest.fixture
def clock(monkeypatch):
    """A hand-moved clock for the throttle (a fixed hour of a fixed day)."""
    now = {"t": 1_767_000_000.0}
    monkeypatch.setattr(throttle, "clock", lambda: now["t"])
    return now


@pytest.fixture
def report(world):
    return services.report_submit(unit=world.counter_a, what="Pungli di loket")


def _wrong(receipt: str, n: int) -> str:
    guess = receipt[:6] + f"{n:010d}"
    return guess if guess != receipt else receipt[:6] + "9999999999"


def _post(client, receipt: str, address: str, **extra):
    return client.post(URL, {"receipt": receipt, **extra}, REMOTE_ADDR=address)


def test_a_thousand_wrong_receipts_from_one_client_do_not_stop_anothers_receipt(
    client, report, clock
):
    _report, receipt = report
    rng = random.Random(11)
    answers = set()
    for _ in range(1000):
        guess = "".join(rng.choice("0123456789") for _ in range(16))
        answers.add(_post(client, guess, "203.0.113.5").status_code)
    assert 429 in answers  # the flooding client itself is throttled...
    page = _post(client, receipt, "198.51.100.9")  # ...the reporter elsewhere is not
    assert page.status_code == 200
    assert page.context["view"].what == "Pungli di loket"


def test_a_hammering_client_gets_a_clear_429_in_indonesian(client, report, clock, settings):
    _report, receipt = report
    rng = random.Random(12)
    for _ in range(20):
        guess = "".join(rng.choice("0123456789") for _ in range(16))
        assert _post(client, guess, "203.0.113.5").status_code == 200
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    page = _post(client, receipt, "203.0.113.5")
    assert page.status_code == 429
    assert 0 < int(page["Retry-After"]) <= 3600
    text = page.content.decode()
    assert "Terlalu banyak kode tanda terima salah yang dicoba dari jaringan Anda" in text
    assert "view" not in page.context  # not even the right receipt, from this client, now
    # An hour later the client may try again.
    clock["t"] += 3600
    assert _post(client, receipt, "203.0.113.5").status_code == 200


def test_one_locators_failures_slow_the_right_receipt_down_but_never_lock_it_out(
    client, report, clock
):
    _report, receipt = report
    # Strangers who know the locator try 40 wrong secrets from 40 addresses.
    for n in range(40):
        assert _post(client, _wrong(receipt, n), f"203.0.113.{n + 1}").status_code in (200, 429)
    assert ReceiptThrottle.objects.get(key__startswith=f"loc:{receipt[:6]}:").count >= 5
    # The reporter is asked to wait (at most WBS_WAIT_MAX_SECONDS), not refused for the day.
    page = _post(client, receipt, "198.51.100.9")
    assert page.status_code == 429
    ticket = page.context["wait"]
    assert 0 < ticket.remaining <= 300 and int(page["Retry-After"]) == ticket.remaining
    assert 'name="ticket"' in page.content.decode()
    # Pressing "Open" too early keeps the same ticket and the time left.
    clock["t"] += 1
    early = _post(client, receipt, "198.51.100.9", ticket=ticket.token)
    assert early.status_code == 429 and early.context["wait"].token == ticket.token
    # More failures meanwhile do not take the reporter's turn away.
    for n in range(40, 50):
        _post(client, _wrong(receipt, n), f"192.0.2.{n}")
    clock["t"] += ticket.remaining
    page = _post(client, receipt, "198.51.100.9", ticket=ticket.token)
    assert page.status_code == 200
    assert page.context["view"].what == "Pungli di loket"
    # The follow-up page carries a pass: adding information needs no new wait.
    added = _post(
        client,
        receipt,
        "198.51.100.9",
        ticket=page.context["form"].initial["ticket"],
        text="Tambahan: terjadi lagi hari Senin.",
    )
    assert added.status_code == 200 and added.context["added"]


def test_a_ticket_opens_one_attempt_only(client, report, clock):
    _report, receipt = report
    for n in range(5):
        receipts.find_report(_wrong(receipt, n), client=f"c{n}")
    with pytest.raises(receipts.WaitRequired) as asked:
        receipts.find_report(receipt)
    token = asked.value.ticket.token
    clock["t"] += asked.value.ticket.wait
    assert receipts.find_report(_wrong(receipt, 77), ticket=token) is None
    with pytest.raises(receipts.WaitRequired) as again:  # spent: a fresh ticket is issued
        receipts.find_report(receipt, ticket=token)
    assert again.value.ticket.token != token


def test_a_proof_of_work_replaces_the_wait(report, clock, settings):
    settings.SIGAP = {**settings.SIGAP, "WBS_POW_BASE_BITS": 8, "WBS_POW_MAX_BITS": 8}
    report_row, receipt = report
    for n in range(5):
        receipts.find_report(_wrong(receipt, n), client=f"c{n}")
    with pytest.raises(receipts.WaitRequired) as asked:
        receipts.find_report(receipt)
    ticket = asked.value.ticket
    assert ticket.bits == 8 and ticket.remaining > 0
    with pytest.raises(receipts.WaitRequired):
        receipts.find_report(receipt, ticket=ticket.token, proof="not-a-proof")
    proof = next(
        str(n)
        for n in range(100_000)
        if hashlib.sha256(f"{ticket.token}:{n}".encode()).digest()[0] == 0
    )
    assert receipts.find_report(receipt, ticket=ticket.token, proof=proof) == report_row


def test_the_wait_grows_with_the_failures_and_stops_at_the_cap():
    assert throttle.price(4) is None
    waits = [throttle.price(n).wait for n in range(5, 12)]
    assert waits == [10, 20, 40, 80, 160, 300, 300]
    assert throttle.price(10_000).wait == 300


def test_throttle_rows_hold_no_address_and_no_time_of_day(client, report, clock):
    _report, receipt = report
    for n in range(8):
        _post(client, _wrong(receipt, n), "203.0.113.77")
    _post(client, _wrong(receipt, 99), "2001:db8::1")
    keys = list(ReceiptThrottle.objects.values_list("key", flat=True))
    assert keys
    for key in keys:
        assert re.fullmatch(r"cf:[0-9a-f]{6}|loc:\d{6}:\d{4}-\d\d-\d\d|tk:[\w-]+", key), key
    dump = database_dump()
    assert "203.0.113.77" not in dump and "2001:db8" not in dump


def test_the_client_tag_is_keyed_per_hour_and_one_ipv6_64_is_one_client(rf, clock):
    def tag(address: str) -> str:
        return throttle.client_tag(rf.post(URL, REMOTE_ADDR=address))

    assert re.fullmatch(r"[0-9a-f]{6}", tag("203.0.113.5"))
    assert tag("203.0.113.5") != tag("203.0.113.6")
    assert tag("2001:db8:1:2::1") == tag("2001:db8:1:2:ffff::9")
    before = tag("203.0.113.5")
    clock["t"] += 3600
    assert tag("203.0.113.5") != before


def test_the_view_gets_the_tag_but_never_the_address(client, report, clock):
    response = _post(client, "1234567890123456", "203.0.113.77")
    request = response.wsgi_request
    assert request.META["REMOTE_ADDR"] == ""
    assert re.fullmatch(r"[0-9a-f]{6}", request.wbs_client)


def test_receipts_of_the_wrong_length_make_nobody_wait(client, report, clock):
    _report, receipt = report
    for n in range(12):  # typos from many reporters: no shared counter fills up
        assert _post(client, "1234", f"203.0.113.{n + 1}").status_code == 200
    assert _post(client, "12345", "198.51.100.9").status_code == 200
    assert _post(client, receipt, "198.51.100.9").status_code == 200
    assert not ReceiptThrottle.objects.filter(key__startswith="loc:").exists()
