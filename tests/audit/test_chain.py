"""The hash chain: appends, and `sigap audit verify` naming the first altered, inserted or
deleted row."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction

from sigap.audit.chain import verify_chain
from sigap.audit.models import GENESIS_HASH, AuditChainHead, AuditEntry
from sigap.audit.services import audit_record


def _three(world) -> list[AuditEntry]:
    inspector = world.users["inspector"]
    return [
        audit_record(actor=inspector, action="test.one", unit=world.counter_a, data={"n": 1}),
        audit_record(actor="system", action="test.two", obj=world.ktp, data={"old": "a"}),
        audit_record(actor=None, action="test.three", data={"x": [1, 2.5, "é"]}),
    ]


def test_entries_form_a_chain_from_genesis(world):
    one, two, three = _three(world)
    assert (one.seq, two.seq, three.seq) == (1, 2, 3)
    assert one.prev_hash == GENESIS_HASH
    assert two.prev_hash == one.hash and three.prev_hash == two.hash
    assert AuditChainHead.objects.get(pk=1).hash == three.hash
    assert verify_chain().ok


def test_the_object_and_its_unit_are_recorded(world):
    _, two, three = _three(world)
    assert (two.object_type, two.object_id, two.unit_id) == (
        "catalogue.service",
        str(world.ktp.pk),
        world.counter_a.pk,
    )
    assert (three.actor, three.actor_user_id, three.unit_id) == ("system", None, None)


def test_an_entry_rolls_back_with_the_callers_transaction(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=None, action="test.rolled_back")
        raise RuntimeError
    assert not AuditEntry.objects.exists()
    audit_record(actor=None, action="test.kept")
    assert verify_chain().ok


def test_an_altered_row_is_named(world):
    _, two, _ = _three(world)
    AuditEntry.objects.filter(pk=two.pk).update(data={"old": "b"})
    result = verify_chain()
    assert result.problem and result.problem.kind == "altered"
    assert (result.problem.seq, result.problem.entry_id) == (2, two.pk)
    assert result.checked == 1


def test_an_altered_time_or_actor_is_caught(world):
    one, _, _ = _three(world)
    AuditEntry.objects.filter(pk=one.pk).update(actor="someone-else")
    assert verify_chain().problem.seq == 1


def test_a_deleted_row_is_named(world):
    _, two, _ = _three(world)
    AuditEntry.objects.filter(pk=two.pk).delete()
    problem = verify_chain().problem
    assert problem and problem.kind == "deleted" and problem.seq == 2
    assert "seq 2 missing" in problem.message


def test_deleting_the_newest_rows_is_caught_by_the_head(world):
    _three(world)
    AuditEntry.objects.filter(seq=3).delete()
    problem = verify_chain().problem
    assert problem and problem.kind == "deleted" and problem.seq == 3


def test_an_inserted_row_is_named(world):
    _, _, three = _three(world)
    forged = AuditEntry.objects.create(
        seq=4,
        at=three.at,
        actor="intruder",
        action="role.assign",
        data={},
        prev_hash=three.hash,
        hash="f" * 64,
    )
    problem = verify_chain().problem
    assert problem and problem.kind == "inserted" and problem.entry_id == forged.pk


def test_a_row_recomputed_without_the_key_does_not_verify(world):
    # Someone with only the database recomputes a plain SHA-256 over the edited row.
    import hashlib

    _, two, _ = _three(world)
    AuditEntry.objects.filter(pk=two.pk).update(
        data={"old": "b"}, hash=hashlib.sha256(b"forged").hexdigest()
    )
    assert verify_chain().problem.kind == "altered"


def test_a_second_writer_with_a_stale_head_cannot_fork_the_chain(world):
    one = audit_record(actor=None, action="test.one")
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEntry.objects.create(
            seq=one.seq, at=one.at, action="test.fork", prev_hash=GENESIS_HASH, hash="0" * 64
        )


def test_verify_command_reports_ok_and_names_a_tampered_row(world):
    _, two, _ = _three(world)
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert out.getvalue().startswith("OK: 3 entries")
    AuditEntry.objects.filter(pk=two.pk).update(action="test.changed")
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("audit", "verify", stdout=out)
    assert "seq 2" in out.getvalue() and "altered" in out.getvalue()


def test_bad_action_names_are_refused(world):
    with pytest.raises(ValueError):
        audit_record(actor=None, action="")


def test_key_files_are_created_private_once_and_then_kept(tmp_path):
    import stat

    from sigap.keys import write_private

    path = tmp_path / "keys" / "k"
    assert write_private(path, "first") == "first"
    assert write_private(path, "second") == "first"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["k"]  # no temporary file left behind
