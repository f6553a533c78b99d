"""Finding 8 (part): staff sessions lasted 14 days with no idle timeout."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import override_settings

from sigap.signin import middleware


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    moment = [1_750_000_000.0]
    monkeypatch.setattr(middleware, "clock", lambda: moment[0])
    return moment


def test_a_session_ends_after_30_idle_minutes(client, world, now) -> None:
    client.force_login(world.users["officer_a"])
    assert client.get("/antrian/").status_code == 200
    now[0] += 29 * 60  # activity within the idle time keeps the session going
    assert client.get("/antrian/").status_code == 200
    now[0] += 29 * 60
    assert client.get("/antrian/").status_code == 200
    now[0] += 31 * 60
    response = client.get("/antrian/")
    assert response.status_code == 302
    assert response["Location"] == "/masuk/?next=/antrian/"
    assert "_auth_user_id" not in client.session
    assert client.get("/antrian/")["Location"].startswith("/masuk/")


def test_the_idle_time_is_a_setting(client, world, now) -> None:
    with override_settings(SIGAP={"SESSION_IDLE_MINUTES": 5}):
        client.force_login(world.users["officer_a"])
        assert client.get("/antrian/").status_code == 200
        now[0] += 6 * 60
        assert client.get("/antrian/").status_code == 302


def test_the_last_seen_stamp_is_written_once_a_minute_not_per_request(client, world, now) -> None:
    client.force_login(world.users["officer_a"])
    client.get("/antrian/")
    first = client.session[middleware.SEEN_KEY]
    now[0] += 59
    client.get("/antrian/")
    assert client.session[middleware.SEEN_KEY] == first  # session not rewritten
    now[0] += 1
    client.get("/antrian/")
    assert client.session[middleware.SEEN_KEY] == first + 60


def test_a_session_lasts_a_working_day_at_most() -> None:
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
