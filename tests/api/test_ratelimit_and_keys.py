"""Rate limits counted in the database, and API keys stored hashed with scopes."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import RequestFactory, override_settings

from sigap.api.keys import api_key_check, api_key_create
from sigap.api.models import ApiKey
from sigap.throttling import ratelimit
from sigap.throttling.models import RateCounter


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


def test_without_trusted_proxies_forwarding_headers_are_ignored(db):
    spoofed = request(HTTP_X_FORWARDED_FOR="203.0.113.9", HTTP_X_REAL_IP="203.0.113.10")
    assert ratelimit.client_id(spoofed) == "10.1.1.1"


@override_settings(SIGAP={"RATE_LIMITS": "", "TRUSTED_PROXIES": 1})
def test_behind_one_proxy_the_client_is_the_address_the_proxy_appended(db):
    # The client sent "X-Forwarded-For: 6.6.6.6"; the proxy appended the address it saw.
    forwarded = request("10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert ratelimit.client_id(forwarded) == "203.0.113.9"
    assert ratelimit.client_id(request("10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")) == (
        "203.0.113.9"
    )
    assert ratelimit.client_id(request("10.0.0.1")) == "10.0.0.1"  # reached us directly


@override_settings(SIGAP={"RATE_LIMITS": "", "TRUSTED_PROXIES": 2})
def test_behind_two_proxies_the_second_address_from_the_right_is_the_client(db):
    chain = "6.6.6.6, 7.7.7.7, 203.0.113.9, 10.0.0.2"  # spoofed, spoofed, client, first proxy
    assert ratelimit.client_id(request("10.0.0.3", HTTP_X_FORWARDED_FOR=chain)) == "203.0.113.9"


@override_settings(SIGAP={"RATE_LIMITS": "survey=2/60", "CLIENT_IP_HEADER": "HTTP_X_FORWARDED_FOR"})
def test_a_client_cannot_escape_its_limit_by_writing_x_forwarded_for(db):
    """Behind one proxy (the header named, as before SIGAP_TRUSTED_PROXIES), a client that
    puts a new address in front of X-Forwarded-For on every request is still one client."""
    now = 1_000_000.0

    def spoofed(i: int):  # type: ignore[no-untyped-def]
        return request("10.0.0.1", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}, 203.0.113.9")

    assert ratelimit.hit(spoofed(1), "survey", now=now).allowed
    assert ratelimit.hit(spoofed(2), "survey", now=now + 1).allowed
    assert not ratelimit.hit(spoofed(3), "survey", now=now + 2).allowed
    honest_neighbour = request("10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.50")
    assert ratelimit.hit(honest_neighbour, "survey", now=now + 2).allowed


def test_rate_counters_hold_no_client_address(db):
    ratelimit.hit(request("198.51.100.77"), "survey")
    assert "198.51.100.77" not in RateCounter.objects.get().key


MARCH_1, MARCH_31, APRIL_1 = 1_740_787_200.0, 1_743_379_200.0, 1_743_465_600.0  # UTC days


def test_client_hashes_differ_per_purpose_and_are_stable_within_a_month():
    same = request("198.51.100.7")
    survey = ratelimit.client_hash(same, "survey", now=MARCH_1)
    complaint = ratelimit.client_hash(same, "complaint", now=MARCH_1)
    assert survey != complaint
    assert ratelimit.client_hash(request("198.51.100.7"), "survey", now=MARCH_31) == survey
    assert ratelimit.client_hash(request("198.51.100.8"), "survey", now=MARCH_31) != survey
    assert ratelimit.client_hash(same, "survey", now=APRIL_1) != survey  # rotated
    assert len(survey) == 32 and "198.51.100.7" not in survey


def test_the_survey_and_the_complaint_of_one_client_do_not_share_a_hash(client, world):
    from sigap.complaints.models import Complaint
    from sigap.rules.ikm import ELEMENT_CODES
    from sigap.surveys.models import SurveyResponse

    answers = {code: 3 for code in ELEMENT_CODES}
    survey = {"service_code": "ktp-el", "answers": answers}
    complaint = {"category": "lambat", "description": "Lama sekali", "service_code": "ktp-el",
                 "reporter_name": "Ahmad Fauzi", "reporter_contact": "0812"}  # fmt: skip
    for path, body in (("/api/v1/surveys", survey), ("/api/v1/complaints", complaint)):
        response = client.post(path, body, content_type="application/json")
        assert response.status_code == 201, response.content
    survey_hash = SurveyResponse.objects.get().client_hash
    complaint_hash = Complaint.objects.get().client_hash
    assert survey_hash and complaint_hash and survey_hash != complaint_hash


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
