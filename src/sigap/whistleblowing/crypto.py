"""Envelope encryption of WBS reports (see docs/security.md for the threat model).

- a random 256-bit data key per report encrypts its content, messages and files (AES-GCM,
  with the report's locator and a purpose label as associated data, so ciphertexts cannot be
  swapped between reports or fields);
- the data key is wrapped for each authorised inspector with their X25519 public key, and once
  for the server escrow (used to grant newly assigned inspectors and to answer the reporter);
- inspectors' private keys and the escrow key derive from a master key that is never in the
  database (SIGAP_WBS_MASTER_KEY, read by sigap.keys).
"""

from __future__ import annotations

import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from sigap import keys

NONCE = 12


# The 32-byte master key: SIGAP_WBS_MASTER_KEY, required (sigap.keys raises KeysMissing).
master_key = keys.wbs_master_key


def derive(secret: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret)


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def unseal(key: bytes, blob: bytes, aad: bytes) -> bytes:
    """Raises cryptography.exceptions.InvalidTag on a wrong key or any altered byte."""
    blob = bytes(blob)
    return AESGCM(key).decrypt(blob[:NONCE], blob[NONCE:], aad)


# Inspector key pairs -------------------------------------------------------------------------


def _inspector_kek(user_id: int) -> bytes:
    return derive(master_key(), b"sigap-wbs inspector-private-key %d" % user_id)


def new_key_pair(user_id: int) -> tuple[bytes, bytes]:
    """(public key, sealed private key) for an inspector."""
    private = X25519PrivateKey.generate()
    public = private.public_key().public_bytes_raw()
    sealed = seal(_inspector_kek(user_id), private.private_bytes_raw(), b"inspector-key")
    return public, sealed


def _private(user_id: int, sealed: bytes) -> X25519PrivateKey:
    raw = unseal(_inspector_kek(user_id), sealed, b"inspector-key")
    return X25519PrivateKey.from_private_bytes(raw)


def wrap_for(public_key: bytes, data_key: bytes, aad: bytes) -> bytes:
    """ECIES: an ephemeral X25519 exchange with the inspector's public key, HKDF, AES-GCM."""
    ephemeral = X25519PrivateKey.generate()
    recipient = X25519PublicKey.from_public_bytes(bytes(public_key))
    eph_public = ephemeral.public_key().public_bytes_raw()
    kek = derive(ephemeral.exchange(recipient), b"sigap-wbs wrap " + eph_public + bytes(public_key))
    return eph_public + seal(kek, data_key, aad)


def unwrap_with(
    user_id: int, sealed_private: bytes, public_key: bytes, blob: bytes, aad: bytes
) -> bytes:
    blob = bytes(blob)
    eph_public, rest = blob[:32], blob[32:]
    shared = _private(user_id, bytes(sealed_private)).exchange(
        X25519PublicKey.from_public_bytes(eph_public)
    )
    kek = derive(shared, b"sigap-wbs wrap " + eph_public + bytes(public_key))
    return unseal(kek, rest, aad)


# Escrow --------------------------------------------------------------------------------------


def _escrow_kek(locator: str) -> bytes:
    return derive(master_key(), b"sigap-wbs escrow " + locator.encode())


def wrap_escrow(locator: str, data_key: bytes) -> bytes:
    return seal(_escrow_kek(locator), data_key, b"escrow " + locator.encode())


def unwrap_escrow(locator: str, blob: bytes) -> bytes:
    return unseal(_escrow_kek(locator), blob, b"escrow " + locator.encode())


def aad(locator: str, purpose: str) -> bytes:
    return f"sigap-wbs {locator} {purpose}".encode()
