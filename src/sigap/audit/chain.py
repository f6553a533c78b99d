"""The hash chain itself: canonical serialisation, the keyed hash, and verification.

Kept apart from the write function so `sigap audit verify` and the tests read the same rules.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sigap import keys
from sigap.audit.models import GENESIS_HASH, AuditChainHead, AuditEntry


def chain_key() -> bytes:
    """The HMAC key of the chain: SIGAP_AUDIT_KEY, read by sigap.keys (required).

    It never lives in the database, so a database-only attacker cannot recompute the chain.
    """
    return keys.audit_key()


def canonical_data(data: Any) -> Any:
    """What the JSON column will give back: plain JSON types, so the hash survives a round trip."""
    return json.loads(json.dumps(data, default=str, sort_keys=True))


def _moment(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def entry_hash(
    *,
    seq: int,
    at: datetime,
    actor_user_id: int | None,
    actor: str,
    action: str,
    object_type: str,
    object_id: str,
    unit_id: int | None,
    data: Any,
    prev_hash: str,
) -> str:
    body = json.dumps(
        [
            seq,
            _moment(at),
            actor_user_id,
            actor,
            action,
            object_type,
            object_id,
            unit_id,
            data,
            prev_hash,
        ],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hmac.new(chain_key(), body.encode(), hashlib.sha256).hexdigest()


def hash_of(entry: AuditEntry) -> str:
    return entry_hash(
        seq=entry.seq,
        at=entry.at,
        actor_user_id=entry.actor_user_id,
        actor=entry.actor,
        action=entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        unit_id=entry.unit_id,
        data=entry.data,
        prev_hash=entry.prev_hash,
    )


@dataclass(frozen=True)
class Problem:
    """The first place where the chain is broken, named for a person to go and look."""

    kind: str  # "altered", "inserted", "deleted", "head"
    seq: int
    entry_id: int | None
    message: str


@dataclass(frozen=True)
class Verification:
    checked: int
    head_seq: int
    head_hash: str
    problem: Problem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _describe(entry: AuditEntry) -> str:
    return f"seq {entry.seq} (id {entry.pk}, {entry.action}, {_moment(entry.at)})"


def verify_entries(entries: Iterable[AuditEntry], head_seq: int, head_hash: str) -> Verification:
    """Walk the chain in sequence order and stop at the first break."""
    expected_seq, prev = 1, GENESIS_HASH
    checked = 0

    def done(problem: Problem | None) -> Verification:
        return Verification(checked, head_seq, head_hash, problem)

    for entry in entries:
        if entry.seq > head_seq:
            return done(
                Problem(
                    "inserted",
                    entry.seq,
                    entry.pk,
                    f"{_describe(entry)} is beyond the chain head #{head_seq}: inserted.",
                )
            )
        if entry.seq != expected_seq:
            missing = (
                f"seq {expected_seq}"
                if entry.seq == expected_seq + 1
                else f"seq {expected_seq}–{entry.seq - 1}"
            )
            return done(
                Problem(
                    "deleted",
                    expected_seq,
                    None,
                    f"{missing} missing before {_describe(entry)}: deleted.",
                )
            )
        recomputed = hash_of(entry)
        if not hmac.compare_digest(recomputed, entry.hash):
            kind = "altered" if entry.prev_hash == prev else "inserted"
            what = "altered" if kind == "altered" else "inserted or replaced"
            return done(
                Problem(
                    kind,
                    entry.seq,
                    entry.pk,
                    f"{_describe(entry)}: its hash does not match its content: {what}.",
                )
            )
        if entry.prev_hash != prev:
            return done(
                Problem(
                    "inserted",
                    entry.seq,
                    entry.pk,
                    f"{_describe(entry)} does not follow the row before it: "
                    "a row was inserted or deleted here.",
                )
            )
        prev, expected_seq = entry.hash, entry.seq + 1
        checked += 1
    if expected_seq - 1 != head_seq:
        gone = f"seq {expected_seq}" + (f"–{head_seq}" if head_seq > expected_seq else "")
        return done(
            Problem(
                "deleted",
                expected_seq,
                None,
                f"the chain ends at seq {expected_seq - 1} but its head is #{head_seq}: "
                f"{gone} deleted.",
            )
        )
    if prev != head_hash:
        return done(
            Problem(
                "head",
                head_seq,
                None,
                f"the last row's hash differs from the chain head's (#{head_seq}): "
                "the last row was replaced or the head altered.",
            )
        )
    return done(None)


def _stream() -> Iterator[AuditEntry]:
    yield from AuditEntry.objects.order_by("seq").iterator(chunk_size=2000)


def verify_chain() -> Verification:
    head = AuditChainHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    return verify_entries(_stream(), head_seq, head_hash)
