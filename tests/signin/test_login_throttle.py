"""Finding 2: /masuk/ and /admin/ answered 48 wrong passwords and then the right one.

Failures are counted in the database per account (growing waits) and per client (a hard
limit); while paused, even the right password waits, with a message that says how long.
"""

from __future__ import annotations

import json

import pytest
from django.conf import settings

from sigap.audit.models import AuditEntry
from sigap.signin import throttle
from sigap.throttling.models import RateCounter
from tests import factories

T0 = 7200 * 243_056  # the start of a 2-hour window, so every fixed window starts here too


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The throttle's clock, moved by the test: now[0] = seconds since T0."""
    moment = [0.0]
    monkeypatch.setattr(throttle, "clock", lambda: T0 + moment[0])
    return moment


def post(client, username: str, password: str, address: str = "10.0.0.1"):  # type: ignore[no-untyped-def]
    return client.post("/masuk/", {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client) -> bool:  # type: ignore[no-untyped-def]
    return "_auth_user_id" in client.session


def test_48_wrong_passwords_then_the_right_one_is_paused(client, world, now) -> None:
    answers = [post(client, "officer_a", f"wrong-{i}").status_code for i in range(48)]
    # The first five are checked (200, the form again); then the account is paused.
    assert answers[:4] == [200] * 4 and set(answers[5:]) == {429}
    response = post(client, "officer_a", factories.PASSWORD)
    assert response.status_code == 429
    assert not logged_in(client)
    assert 0 < int(response["Retry-After"]) <= 301  # rounded up to the second
    assert b"try again in 5 minutes" in response.content
    # Counted in the database, where every worker process sees it.
    assert RateCounter.objects.filter(key__startswith="login_account_5m:").exists()


def test_a_login_after_the_pause_works(client, world, now) -> None:
    for i in range(5):
        post(client, "officer_a", f"wrong-{i}")
    assert post(client, "officer_a", factories.PASSWORD).status_code == 429
    now[0] = 300  # the 5-minute window is over
    response = post(client, "officer_a", factories.PASSWORD)
    assert response.status_code == 302 and logged_in(client)
    # The right password cleared the account's failures.
    assert not RateCounter.objects.filter(key__startswith="login_account_").exists()


def test_waits_grow_and_every_one_ends(client, world, now) -> None:
    """5 failures: wait for the 5-minute window; 10: the 30-minute one; 20: the 2-hour one."""

    def fail_until_paused() -> int:
        for i in range(30):
            response = post(client, "officer_a", f"wrong-{i}")
            if response.status_code == 429:
                return int(response["Retry-After"])
        raise AssertionError("never paused")

    assert fail_until_paused() <= 301
    now[0] = 300
    assert 301 < fail_until_paused() <= 1801  # 10 in the half hour: until it ends
    now[0] = 1800
    assert fail_until_paused() <= 301
    now[0] = 2100
    assert 1801 < fail_until_paused() <= 7201  # 20 in two hours: until they end
    now[0] = 7200  # the longest pause is over: the account is free again, nothing was locked
    response = post(client, "officer_a", factories.PASSWORD)
    assert response.status_code == 302 and logged_in(client)


def test_a_paused_account_does_not_pause_other_accounts(client, world, now) -> None:
    for i in range(6):
        post(client, "officer_a", f"wrong-{i}", address="10.0.0.66")
    assert post(client, "officer_a", factories.PASSWORD, address="10.0.0.7").status_code == 429
    assert post(client, "head_a", factories.PASSWORD, address="10.0.0.66").status_code == 302


def test_one_client_has_a_hard_limit_across_accounts(client, world, now) -> None:
    # 40 failures over 40 different names from one address (each account far from its limit).
    for i in range(40):
        assert post(client, f"guess{i}", "wrong", address="10.0.0.99").status_code in (200, 429)
    response = post(client, "head_a", factories.PASSWORD, address="10.0.0.99")
    assert response.status_code == 429 and not logged_in(client)
    # Another address is not affected.
    assert post(client, "head_a", factories.PASSWORD, address="10.0.0.100").status_code == 302


def test_unknown_names_are_throttled_like_real_ones(client, world, now) -> None:
    for i in range(5):
        post(client, "no-such-user", f"wrong-{i}")
    assert post(client, "no-such-user", "wrong").status_code == 429


def test_the_message_is_in_indonesian(client, world, now) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    for i in range(5):
        post(client, "officer_a", f"wrong-{i}")
    response = post(client, "officer_a", factories.PASSWORD)
    assert "coba lagi dalam 5 menit" in response.content.decode()


def test_failures_are_audited_without_passwords_or_typed_names(client, world, now) -> None:
    post(client, "officer_a", "Rahasia-Sekali-1")
    post(client, "Rahasia-Sekali-2", "whatever")  # a password typed in the name field
    failures = list(AuditEntry.objects.filter(action="auth.login_failed").order_by("seq"))
    assert len(failures) == 2
    assert failures[0].data["user_id"] == world.users["officer_a"].pk
    assert failures[1].data["user_id"] is None
    assert failures[0].data["client"] and failures[0].actor == "anonymous"
    dumped = json.dumps([f.data for f in failures]) + " ".join(f.actor for f in failures)
    assert "Rahasia" not in dumped and "10.0.0.1" not in dumped
    # Attempts refused during a pause are not written (an attacker cannot flood the trail).
    for i in range(10):
        post(client, "officer_a", f"wrong-{i}")
    assert AuditEntry.objects.filter(action="auth.login_failed").count() == 2 + 4


def test_admin_login_goes_through_the_same_page(client, world, now) -> None:
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/masuk/?next=%2Fadmin%2F"
    # Posting a password to the admin's old form logs no one in and is not a way around.
    response = client.post("/admin/login/", {"username": "admin", "password": factories.PASSWORD})
    assert response.status_code == 302 and not logged_in(client)
    # And the admin account is throttled on /masuk/ like any other.
    for i in range(5):
        post(client, "admin", f"wrong-{i}")
    assert post(client, "admin", factories.PASSWORD).status_code == 429
