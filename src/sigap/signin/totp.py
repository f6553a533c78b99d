"""Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP), standard library only.

Pure functions, no Django: the secret is bytes, the time is epoch seconds. Authenticator apps
(Google Authenticator, FreeOTP, Aegis, Microsoft Authenticator) read the `otpauth://` URI from
a QR code and use the defaults here: HMAC-SHA1, 30-second steps, 6 digits.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
from urllib.parse import quote, urlencode

STEP = 30
DIGITS = 6
WINDOW = 1  # steps accepted either side of now: a phone clock 30 s off still works
SECRET_BYTES = 20  # 160 bits, the size RFC 4226 recommends for HMAC-SHA1


def new_secret() -> bytes:
    return secrets.token_bytes(SECRET_BYTES)


def b32encode(secret: bytes) -> str:
    """The secret as authenticator apps take it: base32, upper case, no padding."""
    return base64.b32encode(secret).decode("ascii").rstrip("=")


def b32decode(text: str) -> bytes:
    cleaned = "".join(text.split()).upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def hotp(secret: bytes, counter: int, *, digits: int = DIGITS, digest: str = "sha1") -> str:
    """RFC 4226 §5.3: HMAC of the 8-byte counter, dynamic truncation, modulo 10^digits."""
    mac = hmac.new(secret, struct.pack(">Q", counter), getattr(hashlib, digest)).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def time_step(at: float, *, step: int = STEP) -> int:
    return int(at // step)


def totp(
    secret: bytes, at: float, *, step: int = STEP, digits: int = DIGITS, digest: str = "sha1"
) -> str:
    """RFC 6238 §4: HOTP over the number of `step`-second periods since the epoch (T0 = 0)."""
    return hotp(secret, time_step(at, step=step), digits=digits, digest=digest)


def match(
    secret: bytes,
    code: str,
    at: float,
    *,
    after_step: int = -1,
    window: int = WINDOW,
    step: int = STEP,
    digits: int = DIGITS,
) -> int | None:
    """The time step `code` belongs to, within `window` steps of `at`, or None.

    Only steps later than `after_step` count: the caller passes the step of the last code it
    accepted, so a code (seen over a shoulder, or replayed) is never accepted twice.
    """
    code = "".join(code.split())
    if len(code) != digits or not code.isdigit():
        return None
    now = time_step(at, step=step)
    found = None
    for candidate in range(now - window, now + window + 1):
        # Every candidate is compared (no early exit), in constant time each.
        same = hmac.compare_digest(hotp(secret, candidate, digits=digits), code)
        if same and candidate > after_step and found is None:
            found = candidate
    return found


def provisioning_uri(secret: bytes, account: str, issuer: str) -> str:
    """The `otpauth://totp/...` URI an authenticator app reads from the QR code."""
    label = quote(f"{issuer}:{account}", safe=":@")
    query = urlencode(
        {
            "secret": b32encode(secret),
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": DIGITS,
            "period": STEP,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{query}"
