"""Complaint status changes are written to the hash-chained audit trail."""

from __future__ import annotations

from datetime import date

from sigap.audit.chain import verify_chain
from sigap.audit.models import AuditEntry
from sigap.complaints import services
from tests.complaints.test_services import submit
from tests.conftest import local


def test_every_status_change_of_a_complaint_is_in_the_audit_trail(world):
    head = world.users["head_a"]
    c = submit(world)
    c = services.complaint_verify(complaint=c, user=head, at=local(2025, 4, 7, 10))
    c = services.complaint_forward(complaint=c, user=head, at=local(2025, 4, 7, 11))
    services.complaint_follow_up(
        complaint=c, user=head, response="Sudah ditindaklanjuti.", at=local(2025, 4, 10)
    )
    services.complaints_auto_close(today=date(2025, 4, 25))
    entries = AuditEntry.objects.filter(action="complaint.status").order_by("seq")
    moves = [(e.data["from"], e.data["to"]) for e in entries]
    assert moves == [
        ("diterima", "terverifikasi"),
        ("terverifikasi", "didisposisikan"),
        ("didisposisikan", "ditindaklanjuti"),
        ("ditindaklanjuti", "selesai"),
    ]
    assert [e.actor for e in entries][:3] == [head.username] * 3
    assert entries.last().actor == "sigap complaints_autoclose"
    assert {e.unit_id for e in entries} == {c.unit_id}
    assert verify_chain().ok


def test_the_audit_trail_holds_no_words_of_the_reporter(world):
    c = submit(world, description="Rahasia: diminta Rp50.000")
    services.complaint_verify(complaint=c, user=world.users["head_a"], at=local(2025, 4, 7))
    for entry in AuditEntry.objects.all():
        assert "Rahasia" not in str(entry.data) and "Ahmad" not in entry.actor
