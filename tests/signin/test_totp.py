"""sigap.signin.totp against the test vectors of RFC 4226 (HOTP) and RFC 6238 (TOTP)."""

from __future__ import annotations

import pytest

from sigap.signin import totp

# RFC 6238 Appendix B: the seeds are ASCII digits, 20/32/64 bytes for SHA-1/256/512.
SEEDS = {
    "sha1": b"12345678901234567890",
    "sha256": b"12345678901234567890123456789012",
    "sha512": b"1234567890123456789012345678901234567890123456789012345678901234",
}
RFC6238 = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]


@pytest.mark.parametrize(("at", "sha1", "sha256", "sha512"), RFC6238)
def test_rfc6238_vectors(at: int, sha1: str, sha256: str, sha512: str) -> None:
    for digest, expected in (("sha1", sha1), ("sha256", sha256), ("sha512", sha512)):
        assert totp.totp(SEEDS[digest], at, digits=8, digest=digest) == expected


def test_rfc4226_hotp_vectors() -> None:
    expected = [
        "755224", "287082", "359152", "969429", "338314",
        "254676", "287922", "162583", "399871", "520489",
    ]  # fmt: skip
    assert [totp.hotp(SEEDS["sha1"], counter) for counter in range(10)] == expected


def test_match_accepts_one_step_either_side_and_never_an_older_step() -> None:
    secret = SEEDS["sha1"]
    at = 1111111111.0
    now = totp.time_step(at)
    for offset in (-1, 0, 1):
        assert totp.match(secret, totp.totp(secret, at + 30 * offset), at) == now + offset
    assert totp.match(secret, totp.totp(secret, at + 60), at) is None
    assert totp.match(secret, totp.totp(secret, at - 60), at) is None
    # The code of a step already used (or an earlier one) is refused: no replay.
    code = totp.totp(secret, at)
    assert totp.match(secret, code, at, after_step=now) is None
    assert totp.match(secret, code, at, after_step=now - 1) == now
    # Typed with spaces is fine; letters or the wrong length are not.
    assert totp.match(secret, f"{code[:3]} {code[3:]}", at) == now
    assert totp.match(secret, "12345a", at) is None
    assert totp.match(secret, code + "0", at) is None


def test_secret_round_trips_through_base32_and_the_uri() -> None:
    secret = totp.new_secret()
    assert len(secret) == 20
    text = totp.b32encode(secret)
    assert "=" not in text
    assert totp.b32decode(text.lower()) == secret
    uri = totp.provisioning_uri(secret, "budi.inspektur", "sigap")
    assert uri.startswith("otpauth://totp/sigap:budi.inspektur?")
    assert f"secret={text}" in uri and "issuer=sigap" in uri and "period=30" in uri
