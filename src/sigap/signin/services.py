"""Second factor: who needs it, enrolment, checking codes, recovery codes, reset. Audited.

The TOTP secret is sealed with AES-256-GCM under a key derived (HKDF-SHA256) from the
installation's SECRET_KEY, bound to the user id: a database dump alone yields no secret.
Changing SECRET_KEY therefore invalidates every enrolment (an administrator resets them and
the staff enrol again). Recovery codes are random (50 bits each) and stored as keyed SHA-256
hashes: slow password hashing adds nothing to random codes, and checking stays one lookup.
"""

from __future__ import annotations

import base64
import os
import secrets
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from sigap import access
from sigap.audit.services import audit_record
from sigap.signin import conf, totp
from sigap.signin.models import RecoveryCode, TwoFactorDevice

VERIFIED_KEY = "sigap.2fa_verified"  # the user id whose second factor this session checked
PENDING_KEY = "sigap.2fa_pending"  # the sealed secret shown on the enrolment page
RECOVERY_CODES = 10
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
_NONCE = 12


def requires_two_factor(user: Any) -> bool:
    """Whether this user must log in with a second factor (SIGAP["TWO_FACTOR_ROLES"]).

    Staff and superusers reach the admin, which shows everything: they count as "admin".
    The roles come from the access helper's per-request cache, so this costs no extra query
    on a page that checks access anyway.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    required = conf.two_factor_roles()
    if "admin" in required and (user.is_superuser or user.is_staff):
        return True
    return bool(access.roles(user) & required)


def is_verified(request: HttpRequest) -> bool:
    return bool(request.user.is_authenticated) and request.session.get(VERIFIED_KEY) == (
        request.user.pk
    )


def mark_verified(session: SessionBase, user: Any) -> None:
    session[VERIFIED_KEY] = user.pk
    session.pop(PENDING_KEY, None)


# --- sealing the secret ----------------------------------------------------------------------


def _key() -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"sigap totp secret").derive(
        settings.SECRET_KEY.encode()
    )


def seal(secret: bytes, user_id: int) -> bytes:
    nonce = os.urandom(_NONCE)
    return nonce + AESGCM(_key()).encrypt(nonce, secret, b"user %d" % user_id)


def unseal(blob: bytes | memoryview, user_id: int) -> bytes:
    blob = bytes(blob)
    return AESGCM(_key()).decrypt(blob[:_NONCE], blob[_NONCE:], b"user %d" % user_id)


def pending_secret(session: SessionBase, user: Any) -> bytes:
    """The secret being enrolled: made once, kept sealed in the session until confirmed."""
    stored = session.get(PENDING_KEY)
    if stored:
        try:
            return unseal(base64.b64decode(stored), user.pk)
        except Exception:  # sealed for another user or under an old SECRET_KEY: start over
            pass
    secret = totp.new_secret()
    session[PENDING_KEY] = base64.b64encode(seal(secret, user.pk)).decode()
    return secret


def provisioning_uri(user: Any, secret: bytes) -> str:
    return totp.provisioning_uri(secret, user.get_username(), "sigap")


# --- enrolment and codes -----------------------------------------------------------------------


@transaction.atomic
def two_factor_enrol(*, user: Any, secret: bytes, code: str, at: float) -> list[str] | None:
    """Confirm a new authenticator with its first code; the recovery codes (shown once), or
    None when the code is wrong. An existing device is replaced only through a reset."""
    step = totp.match(secret, code, at)
    if step is None or TwoFactorDevice.objects.filter(user=user).exists():
        return None
    device = TwoFactorDevice.objects.create(
        user=user, secret_sealed=seal(secret, user.pk), last_step=step
    )
    codes = _new_recovery_codes(user)
    audit_record(actor=user, action="auth.2fa_enrol", obj=device, data={"user_id": user.pk})
    return codes


def two_factor_check(*, user: Any, code: str, at: float) -> bool:
    """A code from the user's authenticator, each code accepted once."""
    device = TwoFactorDevice.objects.filter(user=user).first()
    if device is None:
        return False
    step = totp.match(unseal(device.secret_sealed, user.pk), code, at, after_step=device.last_step)
    if step is None:
        return False
    # Conditional update: of two requests with the same code, exactly one wins.
    return bool(
        TwoFactorDevice.objects.filter(pk=device.pk, last_step__lt=step).update(last_step=step)
    )


def normalise_recovery_code(text: str) -> str:
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    return cleaned.translate(str.maketrans("OIL", "011"))


def _hash(code: str) -> str:
    normalised = normalise_recovery_code(code)
    return salted_hmac("sigap.signin.recovery", normalised, algorithm="sha256").hexdigest()


def _new_recovery_codes(user: Any) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = []
    for _i in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_ALPHABET) for _j in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    RecoveryCode.objects.bulk_create(RecoveryCode(user=user, code_hash=_hash(c)) for c in codes)
    return codes


@transaction.atomic
def recovery_codes_renew(*, user: Any) -> list[str]:
    """A new set of recovery codes; the old ones stop working."""
    codes = _new_recovery_codes(user)
    audit_record(actor=user, action="auth.2fa_recovery_renew", data={"user_id": user.pk})
    return codes


@transaction.atomic
def recovery_code_use(*, user: Any, code: str) -> int | None:
    """Spend one recovery code: how many are left, or None when it is wrong or spent."""
    used = RecoveryCode.objects.filter(
        user=user, code_hash=_hash(code), used_at__isnull=True
    ).update(used_at=timezone.now())
    if not used:
        return None
    left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
    audit_record(
        actor=user, action="auth.2fa_recovery_used", data={"user_id": user.pk, "left": left}
    )
    return left


@transaction.atomic
def two_factor_reset(*, user: Any, by: Any) -> None:
    """An administrator removes a user's authenticator and recovery codes (a lost phone): the
    user enrols again at the next log-in."""
    TwoFactorDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    audit_record(actor=by, action="auth.2fa_reset", data={"user_id": user.pk})
