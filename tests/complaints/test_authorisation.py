"""Every staff write of a complaint decides itself who may act, whoever calls it.

Each write is called directly (as the API or a command would, with no page in front): a user
without the right, whether the wrong role or the right role over another unit, is refused with
PermissionDenied and nothing is written (no event, no audit entry, no changed field); the unit's
head and the Inspektorat may.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from sigap.accounts.models import Role
from sigap.audit.models import AuditEntry
from sigap.complaints import services
from sigap.complaints.models import Complaint, ComplaintEvent, Status
from tests import factories
from tests.conftest import local

REPORTER = services.Reporter(name="Ahmad Fauzi", contact="0812-3456-7890")
LATER = local(2025, 4, 11, 10)


def _received(world: factories.World, **reporter: Any) -> Complaint:
    return services.complaint_submit(
        category="pungli",
        description="Diminta uang Rp50.000 di loket",
        reporter=services.Reporter(**reporter) if reporter else REPORTER,
        service=world.ktp,
        submitted_at=local(2025, 3, 27),
    )


def _verified(world: factories.World) -> Complaint:
    inspector = world.users["inspector"]
    return services.complaint_verify(
        complaint=_received(world), user=inspector, at=local(2025, 4, 7, 10)
    )


def _forwarded(world: factories.World) -> Complaint:
    inspector = world.users["inspector"]
    return services.complaint_forward(
        complaint=_verified(world), user=inspector, at=local(2025, 4, 7, 11)
    )


def _followed_up(world: factories.World) -> Complaint:
    inspector = world.users["inspector"]
    return services.complaint_follow_up(
        complaint=_forwarded(world), user=inspector, response="Sudah", at=local(2025, 4, 10)
    )


@dataclass(frozen=True)
class Write:
    setup: Callable[[factories.World], Complaint]
    call: Callable[[Complaint, Any, factories.World], Complaint]
    done: Callable[[Complaint], bool]


WRITES: dict[str, Write] = {
    "verify": Write(
        _received,
        lambda c, u, w: services.complaint_verify(complaint=c, user=u, at=LATER),
        lambda c: c.status == Status.TERVERIFIKASI,
    ),
    "hold": Write(
        _received,
        lambda c, u, w: services.complaint_hold(complaint=c, user=u, reason="KTP?", at=LATER),
        lambda c: c.status == Status.DITUNDA,
    ),
    "not_authority": Write(
        _received,
        lambda c, u, w: services.complaint_reject(complaint=c, user=u, reason="Pusat", at=LATER),
        lambda c: c.status == Status.BUKAN_WEWENANG,
    ),
    "archive": Write(
        _received,
        lambda c, u, w: services.complaint_reject(
            complaint=c, user=u, reason="Duplikat", archive=True, at=LATER
        ),
        lambda c: c.status == Status.DIARSIPKAN,
    ),
    "forward": Write(
        _verified,
        lambda c, u, w: services.complaint_forward(
            complaint=c, user=u, unit=w.puskesmas_b, at=LATER
        ),
        lambda c: c.status == Status.DIDISPOSISIKAN and c.unit.code == "pkm-b",
    ),
    "follow_up": Write(
        _forwarded,
        lambda c, u, w: services.complaint_follow_up(
            complaint=c, user=u, response="Petugas ditegur", at=LATER
        ),
        lambda c: c.status == Status.DITINDAKLANJUTI,
    ),
    "close": Write(
        _followed_up,
        lambda c, u, w: services.complaint_close(complaint=c, user=u, at=LATER),
        lambda c: c.status == Status.SELESAI,
    ),
    "escalate": Write(
        _received,  # due 2025-04-10, so overdue on the 11th
        lambda c, u, w: services.complaint_escalate(complaint=c, user=u, today=date(2025, 4, 11)),
        lambda c: c.escalated_to is not None and c.escalated_to.code == "dukcapil",
    ),
    "reporter_link": Write(
        _received,
        lambda c, u, w: services.complaint_reporter_link_issue(complaint=c, user=u),
        lambda c: bool(c.issued_reporter_key),
    ),
}

# The wrong role over the complaint's unit, the right role over another unit, a reader who may
# not handle, the administrator (a superuser is no bypass) and an account without a role.
REFUSED = ("officer_a", "head_b", "ombudsman", "leadership", "admin", "norole")
ALLOWED = ("head_a", "inspector")


def _user(world: factories.World, name: str) -> Any:
    if name == "head_b":
        return factories.user("head_b", Role.UNIT_HEAD, world.puskesmas_b)
    return world.users[name]


def _written(complaint: Complaint) -> tuple[object, ...]:
    """Everything a write could change: the row, its events and the audit trail."""
    row = Complaint.objects.values().get(pk=complaint.pk)
    return (row, ComplaintEvent.objects.count(), AuditEntry.objects.count())


@pytest.mark.parametrize("who", REFUSED)
@pytest.mark.parametrize("action", list(WRITES))
def test_a_user_without_the_right_is_refused_and_nothing_is_written(world, action, who):
    write = WRITES[action]
    complaint = write.setup(world)
    user = _user(world, who)
    before = _written(complaint)
    with pytest.raises(PermissionDenied) as refused:
        write.call(complaint, user, world)
    assert str(refused.value)  # a message saying why, not a bare 403
    assert _written(complaint) == before


@pytest.mark.parametrize("who", ALLOWED)
@pytest.mark.parametrize("action", list(WRITES))
def test_the_units_head_and_the_inspektorat_may(world, action, who):
    write = WRITES[action]
    complaint = write.setup(world)
    events, entries = ComplaintEvent.objects.count(), AuditEntry.objects.count()
    result = write.call(complaint, _user(world, who), world)
    assert write.done(result)
    assert AuditEntry.objects.count() > entries
    assert ComplaintEvent.objects.count() >= events  # the link is audited, not an event


def test_after_a_forward_the_old_units_head_may_no_longer_act(world):
    head_a, inspector = world.users["head_a"], world.users["inspector"]
    c = services.complaint_forward(
        complaint=_verified(world), user=inspector, unit=world.puskesmas_b, at=LATER
    )
    with pytest.raises(PermissionDenied):
        services.complaint_follow_up(complaint=c, user=head_a, response="Sudah", at=LATER)
    head_b = _user(world, "head_b")
    c = services.complaint_follow_up(complaint=c, user=head_b, response="Sudah", at=LATER)
    assert c.status == Status.DITINDAKLANJUTI


def test_the_parent_units_head_may_handle_an_escalated_complaint(world):
    c = services.complaint_escalate(
        complaint=_received(world), user=world.users["head_a"], today=date(2025, 4, 11)
    )
    parent_head = factories.user("head_dukcapil", Role.UNIT_HEAD, world.dukcapil)
    c = services.complaint_verify(complaint=c, user=parent_head)  # after the escalation: now
    assert c.status == Status.TERVERIFIKASI


def test_a_confidential_reporters_link_is_issued_only_by_the_inspektorat(world):
    c = _received(world, name="Ahmad", contact="0812", confidential=True)
    before = _written(c)
    with pytest.raises(PermissionDenied):  # may handle, may not see who filed it
        services.complaint_reporter_link_issue(complaint=c, user=world.users["head_a"])
    assert _written(c) == before
    issued = services.complaint_reporter_link_issue(complaint=c, user=world.users["inspector"])
    assert issued.issued_reporter_key


def test_the_reporters_own_steps_and_the_automatic_closure_need_no_account(world):
    c = _followed_up(world)
    c = services.complaint_reply(complaint=c, message="Belum", at=LATER)
    assert c.status == Status.DIDISPOSISIKAN
    c = services.complaint_follow_up(
        complaint=c, user=world.users["head_a"], response="Sudah", at=local(2025, 4, 14)
    )
    c = services.complaint_accept(complaint=c, at=local(2025, 4, 15))
    assert c.status == Status.SELESAI and c.events.last().actor == "reporter"
    c = services.complaint_reopen(complaint=c, message="Terulang", at=local(2025, 4, 16))
    assert c.status == Status.DIDISPOSISIKAN
    services.complaint_follow_up(
        complaint=c, user=world.users["head_a"], response="Ok", at=local(2025, 4, 17)
    )
    assert services.complaints_auto_close(today=date(2025, 12, 31)) == 1


def test_a_page_refuses_a_reader_who_may_not_handle_with_403_and_writes_nothing(client, world):
    c = _received(world)
    client.force_login(world.users["ombudsman"])  # reads complaints, may not handle them
    before = _written(c)
    response = client.post(f"/pengaduan/{c.receipt_code}/verify/", {"note": ""})
    assert response.status_code == 403
    assert _written(c) == before
