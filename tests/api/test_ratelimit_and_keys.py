"""Rate limits counted in the database, and API keys stored hashed with scopes."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import RequestFactory, override_settings

from sigap.api import ratelimit
from sigap.api.keys import api_key_check, api_key_create
from sigap.api.models import ApiKey, RateCounter


def request(addr="10.1.1.1", **meta):
    return RequestFactory().post("/", REMOTE_ADDR=addr, **meta)


@override_settings(SIGAP={"RATE_LIMITS": "survey=2/60"})
def test_a_window_allows_its_limit_then_refuses_until_the_next_window(db):
    now = 1_000_000.0
    assert ratelimit.hit(request(), "survey", now=now).allowed
    assert ratelimit.hit(request(), "survey", now=now + 1).allowed
    third = ratelimit.hit(request(), "survey", now=now + 2)
    assert not third.allowed and 0 < third.retry_after <= 60
    assert ratelimit.hit(request(), "survey", now=now + 60).allowed  # next window
    assert ratelimit.hit(request("10.1.1.2"), "survey", now=now + 2).allowed  # other client


@override_settings(SIGAP={"RATE_LIMITS": "survey=0/60"})
def test_a_zero_limit_switches_it_off(db):
    assert all(ratelimit.hit(request(), "survey").allowed for _ in range(50))


@override_settings(SIGAP={"RATE_LIMITS": "", "CLIENT_IP_HEADER": "HTTP_X_FORWARDED_FOR"})
def test_behind_a_proxy_the_first_forwarded_address_is_the_client(db):
    assert ratelimit.client_id(request(HTTP_X_FORWARDED_FOR="203.0.113.9, 10.0.0.1")) == (
        "203.0.113.9"
    )
    assert ratelimit.client_id(request()) == "10.1.1.1"


def test_keys_are_stored_hashed_and_checked_by_scope(db):
    key, raw = api_key_create(name="Kecamatan", scopes=["open311.post"])
    assert raw not in (key.key_hash, key.prefix * 2) and raw.startswith(key.prefix)
    assert api_key_check(raw, "open311.post") == key
    assert api_key_check(raw, "complaints.write") is None
    assert api_key_check("sg_wrong", "open311.post") is None
    key.is_active = False
    key.save()
    assert api_key_check(raw, "open311.post") is None


def test_the_apikey_command_prints_the_key_once(db, capsys):
    call_command("apikey", "Aplikasi desa", scope=["open311.post"])
    raw = capsys.readouterr().out.strip()
    stored = ApiKey.objects.get()
    assert api_key_check(raw, "open311.post") == stored and stored.name == "Aplikasi desa"


def test_the_apikey_command_needs_a_name(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("apikey", " ", scope=["open311.post"])


@override_settings(SIGAP={"RATE_LIMITS": "survey=2/3600,status=120/60"})
def test_pruning_one_scope_keeps_the_other_scopes_windows(db, monkeypatch):
    """Bucket numbers count windows of each scope's own length: a prune after a status look-up
    (minute windows, large numbers) must not wipe the hourly survey counts."""
    now = 1_000_000.0
    assert ratelimit.hit(request(), "survey", now=now).allowed
    assert ratelimit.hit(request(), "survey", now=now + 1).allowed
    ratelimit.hit(request(), "status", now=now - 600)  # an old status window, to be pruned
    monkeypatch.setattr(ratelimit.random, "random", lambda: 0.0)  # prune on the next hit
    assert ratelimit.hit(request(), "status", now=now + 2).allowed
    assert not RateCounter.objects.filter(key__startswith="status:", bucket__lt=(now // 60) - 1)
    assert not ratelimit.hit(request(), "survey", now=now + 3).allowed  # still counted
