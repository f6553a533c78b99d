"""Complaints on the SP4N-LAPOR! machine: routing, deadlines in working days, reply, reopen,
automatic closure, escalation, and every kind of bad input."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from sigap.complaints import services
from sigap.complaints.models import Complaint, Status
from tests.conftest import local

REPORTER = services.Reporter(name="Ahmad Fauzi", contact="0812-3456-7890")


def submit(world, **kw):
    args = {
        "category": "pungli",
        "description": "Diminta uang Rp50.000 di loket",
        "reporter": REPORTER,
        "service": world.ktp,
        "submitted_at": local(2025, 3, 27),
    }
    args.update(kw)
    return services.complaint_submit(**args)


def test_a_complaint_is_routed_to_the_unit_of_its_service_with_a_3_day_clock(world):
    c = submit(world)
    assert c.unit == world.counter_a and c.status == Status.DITERIMA
    # Thursday 2025-03-27 + 3 working days, over Nyepi and the Lebaran cuti bersama.
    assert c.verify_due == date(2025, 4, 10)
    assert len(c.receipt_code) == 10
    assert list(c.events.values_list("action", "to_status")) == [("submit", "diterima")]


def test_a_receipt_code_routes_to_the_request_unit(world):
    from tests import factories

    sr = factories.submit(world, at=local(2025, 3, 27), service=world.rujukan)
    c = submit(world, service=None, receipt_code=sr.receipt_code.lower())
    assert c.unit == world.puskesmas_b and c.service_request == sr and c.service == world.rujukan


def test_the_whole_sp4n_path_with_its_deadlines_and_the_automatic_closure(world):
    head = world.users["head_a"]
    c = submit(world)
    c = services.complaint_verify(complaint=c, user=head, at=local(2025, 4, 7, 10))
    c = services.complaint_forward(complaint=c, user=head, at=local(2025, 4, 7, 11))
    assert c.status == Status.DIDISPOSISIKAN and c.follow_up_due == date(2025, 4, 14)
    c = services.complaint_follow_up(
        complaint=c, user=head, response="Petugas ditegur; uang dikembalikan.",
        reported_employee=world.officer_a, at=local(2025, 4, 10),
    )  # fmt: skip
    # 10 working days after Thursday 2025-04-10; Good Friday (18 April) is a holiday.
    assert c.auto_close_on == date(2025, 4, 25) and c.reported_employee == world.officer_a
    assert services.complaints_auto_close(today=date(2025, 4, 24)) == 0
    assert services.complaints_auto_close(today=date(2025, 4, 25)) == 1
    c.refresh_from_db()
    assert c.status == Status.SELESAI and c.closed_at is not None
    actions = list(c.events.values_list("action", flat=True))
    assert actions == ["submit", "verify", "forward", "follow_up", "auto_close"]
    assert list(c.events.values_list("seq", flat=True)) == [1, 2, 3, 4, 5]


def test_a_reply_sends_it_back_to_the_unit_with_a_new_5_day_clock(world):
    head = world.users["head_a"]
    c = submit(world)
    services.complaint_verify(complaint=c, user=head, at=local(2025, 4, 7))
    services.complaint_forward(complaint=c, user=head, at=local(2025, 4, 7))
    services.complaint_follow_up(complaint=c, user=head, response="Sudah", at=local(2025, 4, 8))
    c = services.complaint_reply(complaint=c, message="Belum dikembalikan", at=local(2025, 4, 9))
    assert c.status == Status.DIDISPOSISIKAN
    assert c.follow_up_due == date(2025, 4, 16) and c.auto_close_on is None
    assert services.complaints_auto_close(today=date(2025, 12, 31)) == 0


def test_the_reporter_can_reopen_a_closed_complaint(world):
    head = world.users["head_a"]
    c = submit(world)
    services.complaint_verify(complaint=c, user=head, at=local(2025, 4, 7))
    services.complaint_forward(complaint=c, user=head, at=local(2025, 4, 7))
    services.complaint_follow_up(complaint=c, user=head, response="Sudah", at=local(2025, 4, 8))
    services.complaint_accept(complaint=c, at=local(2025, 4, 9))
    c = services.complaint_reopen(complaint=c, message="Terulang lagi", at=local(2025, 4, 14))
    assert c.status == Status.DIDISPOSISIKAN and c.closed_at is None


@pytest.mark.parametrize("action", ["follow_up", "forward", "close", "reply", "reopen"])
def test_a_step_out_of_order_is_refused(world, action):
    head = world.users["head_a"]
    c = submit(world)
    calls = {
        "follow_up": lambda: services.complaint_follow_up(complaint=c, user=head, response="x"),
        "forward": lambda: services.complaint_forward(complaint=c, user=head),
        "close": lambda: services.complaint_close(complaint=c, user=head),
        "reply": lambda: services.complaint_reply(complaint=c, message="x"),
        "reopen": lambda: services.complaint_reopen(complaint=c, message="x"),
    }
    with pytest.raises(ValidationError):
        calls[action]()
    c.refresh_from_db()
    assert c.status == Status.DITERIMA and c.events.count() == 1


def test_archived_and_not_our_authority_are_final(world):
    head = world.users["head_a"]
    c = services.complaint_reject(complaint=submit(world), user=head, reason="Duplikat",
                                  archive=True, at=local(2025, 3, 28))  # fmt: skip
    assert c.status == Status.DIARSIPKAN
    with pytest.raises(ValidationError):
        services.complaint_verify(complaint=c, user=head)
    with pytest.raises(ValidationError):
        services.complaint_reject(complaint=submit(world), user=head, reason=" ")


def test_an_anonymous_complaint_keeps_no_identity(world):
    c = submit(world, reporter=services.Reporter(name="X", contact="Y", anonymous=True))
    assert c.reporter_name == "" and c.reporter_contact == "" and c.is_anonymous


def test_a_named_complaint_needs_a_name(world):
    with pytest.raises(ValidationError) as err:
        submit(world, reporter=services.Reporter())
    assert "reporter_name" in err.value.message_dict


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"category": "gossip"}, "category"),
        ({"service": "tidak-ada"}, "service_code"),
        ({"service": None}, "unit"),
        ({"receipt_code": "ZZZZZZZZZZ"}, "receipt_code"),
        ({"description": "x" * 4001}, "description"),
        ({"description": "   "}, "description"),
        ({"location": services.Location(lat="91", long="0")}, "lat"),
        ({"location": services.Location(lat="abc")}, "lat"),
        ({"location": services.Location(media_url="javascript:alert(1)")}, "media_url"),
        ({"officer_description": "x" * 201}, "officer_description"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(world, kw, field):
    with pytest.raises(ValidationError) as err:
        submit(world, **kw)
    assert field in err.value.message_dict
    assert Complaint.objects.count() == 0


def test_html_is_stored_as_typed(world):
    c = submit(world, description="<script>alert(1)</script>")
    assert c.description == "<script>alert(1)</script>"


def test_only_an_overdue_complaint_escalates_to_the_parent_unit(world):
    head = world.users["head_a"]
    c = submit(world)
    with pytest.raises(ValidationError):
        services.complaint_escalate(complaint=c, user=head, today=date(2025, 4, 10))
    c = services.complaint_escalate(complaint=c, user=head, today=date(2025, 4, 11))
    assert c.escalated_to == world.dukcapil and c.status == Status.DITERIMA
    assert c.events.last().action == "escalate"


def test_the_auto_close_command_is_rerunnable(world, capsys):
    head = world.users["head_a"]
    c = submit(world)
    services.complaint_verify(complaint=c, user=head, at=local(2025, 4, 7))
    services.complaint_forward(complaint=c, user=head, at=local(2025, 4, 7))
    services.complaint_follow_up(complaint=c, user=head, response="Sudah", at=local(2025, 4, 8))
    call_command("complaints_autoclose", today=date(2025, 6, 1))
    call_command("complaints_autoclose", today=date(2025, 6, 1))
    out = capsys.readouterr().out
    assert "1 complaint(s)" in out and "0 complaint(s)" in out
