"""TOTP second factor for the roles that read personal or WBS data, through the real pages.

Marked `real_second_factor`: here `client.login` does not mark the session as verified (see
tests/conftest.py), so every step is the one staff go through.
"""

from __future__ import annotations

import re

import pytest
from django.test import override_settings

from sigap.audit.models import AuditEntry
from sigap.signin import throttle, totp
from sigap.signin.models import RecoveryCode, TwoFactorDevice
from tests import factories

pytestmark = pytest.mark.real_second_factor

T0 = 7200 * 243_056


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    moment = [0.0]
    monkeypatch.setattr(throttle, "clock", lambda: T0 + moment[0])
    return moment


def log_in(client, username: str):  # type: ignore[no-untyped-def]
    return client.post("/masuk/", {"username": username, "password": factories.PASSWORD})


def enrol(client, now: list[float]) -> tuple[bytes, list[str]]:  # type: ignore[no-untyped-def]
    """Read the secret off the enrolment page, as a phone would, and confirm a first code."""
    page = client.get("/masuk/dua-langkah/").content.decode()
    found = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', page)
    assert found, "the enrolment page shows the secret"
    secret = totp.b32decode(found.group(1))
    response = client.post(
        "/masuk/dua-langkah/", {"code": totp.totp(secret, T0 + now[0]), "next": "/inspektorat/"}
    )
    assert response.status_code == 200
    codes = re.findall(r"<code>([0-9A-Z]{5}-[0-9A-Z]{5})</code>", response.content.decode())
    return secret, codes


def test_an_inspector_must_enrol_and_reaches_nothing_else_before(client, world, now) -> None:
    response = log_in(client, "inspector")
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/dua-langkah/?next=")
    # Logged in by password, but every other page sends to enrolment.
    for path in ("/inspektorat/wbs/", "/inspektorat/jejak-audit/", "/", "/admin/", "/lacak/"):
        answer = client.get(path)
        assert answer.status_code == 302, path
        assert answer["Location"].startswith("/masuk/dua-langkah/"), path
    assert client.post("/inspektorat/wbs/").status_code == 302
    # The enrolment page and its QR code (an SVG image: no script on the page).
    page = client.get("/masuk/dua-langkah/")
    assert page.status_code == 200 and b"<script" not in page.content
    assert page["Cache-Control"].startswith("max-age=0")
    qr = client.get("/masuk/dua-langkah/qr.svg")
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"
    # A wrong first code is refused; the right one turns it on and shows ten recovery codes.
    assert b"two-factor-error" in client.post("/masuk/dua-langkah/", {"code": "000000"}).content
    secret, codes = enrol(client, now)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/inspektorat/wbs/").status_code == 200
    # The secret is never shown again, and is stored sealed; recovery codes only as hashes.
    again = client.get("/masuk/dua-langkah/").content.decode()
    assert totp.b32encode(secret)[:8] not in again.replace(" ", "")
    assert client.get("/masuk/dua-langkah/qr.svg").status_code == 404
    device = TwoFactorDevice.objects.get(user=world.users["inspector"])
    assert secret not in bytes(device.secret_sealed)
    stored = set(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert not stored & {c.replace("-", "") for c in codes} and not stored & set(codes)
    assert AuditEntry.objects.filter(action="auth.2fa_enrol").count() == 1


def test_the_next_log_in_asks_for_a_code_each_accepted_once(client, world, now) -> None:
    log_in(client, "inspector")
    secret, _codes = enrol(client, now)
    client.post("/keluar/")
    response = log_in(client, "inspector")
    assert response["Location"].startswith("/masuk/verifikasi/?next=")
    assert client.get("/inspektorat/wbs/")["Location"].startswith("/masuk/verifikasi/")
    # The code used at enrolment is spent, even inside its 30 seconds.
    used = totp.totp(secret, T0 + now[0])
    response = client.post("/masuk/verifikasi/", {"code": used})
    assert response.status_code == 200 and b"two-factor-error" in response.content
    now[0] += 30
    response = client.post("/masuk/verifikasi/", {"code": totp.totp(secret, T0 + now[0])})
    assert response.status_code == 302
    assert client.get("/inspektorat/wbs/").status_code == 200


def test_wrong_codes_are_throttled_and_audited(client, world, now) -> None:
    log_in(client, "hr")
    secret, _codes = enrol(client, now)
    client.post("/keluar/")
    log_in(client, "hr")
    answers = [client.post("/masuk/verifikasi/", {"code": "000000"}).status_code for _ in range(6)]
    assert answers[:4] == [200] * 4 and answers[5] == 429
    now[0] += 30
    right = client.post("/masuk/verifikasi/", {"code": totp.totp(secret, T0 + now[0])})
    assert right.status_code == 429  # paused: even the right code waits
    assert AuditEntry.objects.filter(action="auth.2fa_failed").count() == 5
    now[0] = 300
    right = client.post("/masuk/verifikasi/", {"code": totp.totp(secret, T0 + now[0])})
    assert right.status_code == 302


def test_a_recovery_code_works_once(client, world, now) -> None:
    log_in(client, "inspector")
    _secret, codes = enrol(client, now)
    client.post("/keluar/")
    log_in(client, "inspector")
    response = client.post("/masuk/kode-cadangan/", {"code": codes[0].lower()})
    assert response.status_code == 302
    assert client.get("/inspektorat/wbs/").status_code == 200
    assert AuditEntry.objects.filter(action="auth.2fa_recovery_used").count() == 1
    client.post("/keluar/")
    log_in(client, "inspector")
    response = client.post("/masuk/kode-cadangan/", {"code": codes[0]})
    assert response.status_code == 200 and b"two-factor-error" in response.content
    assert client.post("/masuk/kode-cadangan/", {"code": codes[1]}).status_code == 302


def test_new_recovery_codes_replace_the_old(client, world, now) -> None:
    log_in(client, "inspector")
    _secret, old = enrol(client, now)
    response = client.post("/masuk/dua-langkah/kode-cadangan-baru/")
    new = re.findall(r"<code>([0-9A-Z]{5}-[0-9A-Z]{5})</code>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    client.post("/keluar/")
    log_in(client, "inspector")
    assert client.post("/masuk/kode-cadangan/", {"code": old[0]}).status_code == 200
    assert client.post("/masuk/kode-cadangan/", {"code": new[0]}).status_code == 302


def test_roles_without_the_requirement_log_in_with_a_password(client, world) -> None:
    response = log_in(client, "officer_a")
    assert response.status_code == 302 and response["Location"] == "/beranda/"  # the work home
    assert client.get("/antrian/").status_code == 200
    assert client.get("/masuk/dua-langkah/").status_code == 302


def test_an_agency_can_require_it_for_other_roles(client, world) -> None:
    with override_settings(SIGAP={"TWO_FACTOR_ROLES": "officer,inspector,hr,admin"}):
        response = log_in(client, "officer_a")
        assert response["Location"].startswith("/masuk/dua-langkah/")
        assert client.get("/antrian/").status_code == 302


def test_a_superuser_without_roles_counts_as_admin(client, world, now) -> None:
    factories.user("root", None, None, is_staff=True, is_superuser=True)
    response = log_in(client, "root")
    assert response["Location"].startswith("/masuk/dua-langkah/")
    assert client.get("/admin/")["Location"].startswith("/masuk/dua-langkah/")
    enrol(client, now)
    assert client.get("/admin/").status_code == 200


def test_the_admin_resets_a_lost_phone_audited(client, world, now) -> None:
    from django.test import Client

    log_in(client, "inspector")
    enrol(client, now)
    device = TwoFactorDevice.objects.get(user=world.users["inspector"])

    admin = Client()
    log_in(admin, "admin")
    enrol(admin, now)
    response = admin.post(f"/admin/signin/twofactordevice/{device.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not TwoFactorDevice.objects.filter(user=world.users["inspector"]).exists()
    assert not RecoveryCode.objects.filter(user=world.users["inspector"]).exists()
    reset = AuditEntry.objects.get(action="auth.2fa_reset")
    assert reset.actor == "admin" and reset.data == {"user_id": world.users["inspector"].pk}
    client.post("/keluar/")
    assert log_in(client, "inspector")["Location"].startswith("/masuk/dua-langkah/")
