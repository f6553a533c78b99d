"""SP4N-LAPOR! deadlines (3 / 5 / 10 hari kerja) and the derived state machine."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from sigap.rules.calendar import WorkingCalendar
from sigap.rules.sp4n import (
    TRANSITIONS,
    ComplaintState,
    InvalidTransition,
    auto_close_date,
    check_transition,
    follow_up_due,
    verification_due,
)

CAL = WorkingCalendar()
S = ComplaintState


def test_verification_is_due_three_working_days_after_submission_skipping_lebaran():
    # Thursday 2025-03-27; Nyepi 2025-03-28 and the Idul Fitri holidays and cuti bersama follow.
    assert verification_due(CAL, date(2025, 3, 27)) == date(2025, 4, 10)
    assert verification_due(WorkingCalendar(cuti_bersama_is_day_off=False), date(2025, 3, 27)) == (
        date(2025, 4, 3)
    )


def test_follow_up_is_due_five_working_days_after_forwarding():
    # Monday 2025-05-05: Waisak (12 May) and its cuti bersama (13 May) push it to Wednesday.
    assert follow_up_due(CAL, date(2025, 5, 5)) == date(2025, 5, 14)
    assert follow_up_due(CAL, date(2025, 6, 2)) == date(2025, 6, 11)


def test_auto_closure_is_ten_working_days_after_the_follow_up():
    assert auto_close_date(CAL, date(2025, 7, 1)) == date(2025, 7, 15)


def test_a_received_complaint_may_be_verified_held_rejected_or_archived():
    assert TRANSITIONS[S.DITERIMA] == {
        S.TERVERIFIKASI,
        S.DITUNDA,
        S.BUKAN_WEWENANG,
        S.DIARSIPKAN,
    }


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.DITERIMA, S.DITINDAKLANJUTI),
        (S.DITERIMA, S.SELESAI),
        (S.TERVERIFIKASI, S.SELESAI),
        (S.DIARSIPKAN, S.DIDISPOSISIKAN),
        (S.BUKAN_WEWENANG, S.TERVERIFIKASI),
        (S.SELESAI, S.DITINDAKLANJUTI),
    ],
)
def test_impossible_moves_are_refused(current, target):
    with pytest.raises(InvalidTransition):
        check_transition(current, target)


def test_the_whole_happy_path_is_allowed():
    path = [S.DITERIMA, S.TERVERIFIKASI, S.DIDISPOSISIKAN, S.DITINDAKLANJUTI, S.SELESAI]
    for a, b in itertools.pairwise(path):
        check_transition(a, b)


def test_reply_and_reopen_go_back_to_the_unit():
    check_transition(S.DITINDAKLANJUTI, S.DIDISPOSISIKAN)
    check_transition(S.SELESAI, S.DIDISPOSISIKAN)


def test_final_and_open_states():
    assert S.DIARSIPKAN.is_final and S.BUKAN_WEWENANG.is_final
    assert not S.SELESAI.is_open and S.DITUNDA.is_open
