"""SP4N-LAPOR! complaint handling: states, transitions and deadlines in hari kerja.

Regulation: **Perpres 76/2013** (Pengelolaan Pengaduan Pelayanan Publik) and **PermenPANRB
62/2018** as amended by **46/2020** (Pedoman Umum Pengelolaan Pengaduan Pelayanan Publik Nasional).
Deadlines as published by the official LAPOR! apps and blog.lapor.go.id:

* verification by the admin and forwarding to the responsible unit: ≤ 3 hari kerja after
  submission;
* coordination and the follow-up (tindak lanjut): ≤ 5 hari kerja after forwarding;
* automatic closure ("selesai"): 10 hari kerja after a follow-up with no reply.

The states follow the LAPOR! v3 admin actions (Verifikasi, Tunda, Bukan Wewenang, Arsipkan,
disposisi, tindak lanjut, selesai). The machine is *derived* from those, not itself a
regulation (``rules.md`` §4.3). Working days use `sigap.rules.calendar`.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sigap.rules.calendar import WorkingCalendar

__all__ = [
    "AUTO_CLOSE_WORKING_DAYS",
    "FOLLOW_UP_WORKING_DAYS",
    "TRANSITIONS",
    "VERIFY_WORKING_DAYS",
    "ComplaintState",
    "InvalidTransition",
    "auto_close_date",
    "check_transition",
    "follow_up_due",
    "verification_due",
]

VERIFY_WORKING_DAYS = 3
"""Verification and forwarding, counted from submission (SP4N-LAPOR!)."""
FOLLOW_UP_WORKING_DAYS = 5
"""Follow-up by the unit, counted from forwarding (or from the reporter's reply)."""
AUTO_CLOSE_WORKING_DAYS = 10
"""Automatic closure after a follow-up that got no reply."""


class ComplaintState(StrEnum):
    DITERIMA = "diterima"  # received, waiting for verification
    DITUNDA = "ditunda"  # held: the admin needs more information
    TERVERIFIKASI = "terverifikasi"  # verified, not yet forwarded
    BUKAN_WEWENANG = "bukan_wewenang"  # not this instansi's authority (final)
    DIARSIPKAN = "diarsipkan"  # archived: not a complaint, spam, duplicate (final)
    DIDISPOSISIKAN = "didisposisikan"  # forwarded to the responsible unit
    DITINDAKLANJUTI = "ditindaklanjuti"  # the unit posted a follow-up
    SELESAI = "selesai"  # closed

    @property
    def is_final(self) -> bool:
        return self in (ComplaintState.BUKAN_WEWENANG, ComplaintState.DIARSIPKAN)

    @property
    def is_open(self) -> bool:
        return not self.is_final and self is not ComplaintState.SELESAI


S = ComplaintState
TRANSITIONS: dict[ComplaintState, frozenset[ComplaintState]] = {
    S.DITERIMA: frozenset({S.TERVERIFIKASI, S.DITUNDA, S.BUKAN_WEWENANG, S.DIARSIPKAN}),
    S.DITUNDA: frozenset({S.TERVERIFIKASI, S.BUKAN_WEWENANG, S.DIARSIPKAN}),
    S.TERVERIFIKASI: frozenset({S.DIDISPOSISIKAN}),
    # The unit follows up; or the complaint is re-forwarded to another unit.
    S.DIDISPOSISIKAN: frozenset({S.DITINDAKLANJUTI, S.DIDISPOSISIKAN}),
    # The reporter replies (back to the unit) or accepts; or the automatic closure.
    S.DITINDAKLANJUTI: frozenset({S.DIDISPOSISIKAN, S.SELESAI}),
    # The reporter reopens a closed complaint: back to the unit.
    S.SELESAI: frozenset({S.DIDISPOSISIKAN}),
    S.BUKAN_WEWENANG: frozenset(),
    S.DIARSIPKAN: frozenset(),
}
"""Allowed moves of the derived SP4N-LAPOR! state machine."""


class InvalidTransition(ValueError):
    def __init__(self, current: ComplaintState, target: ComplaintState) -> None:
        super().__init__(f"A complaint cannot go from “{current}” to “{target}”.")
        self.current = current
        self.target = target


def check_transition(current: ComplaintState, target: ComplaintState) -> None:
    """Raise `InvalidTransition` unless `current → target` is allowed."""
    if target not in TRANSITIONS[current]:
        raise InvalidTransition(current, target)


def verification_due(calendar: WorkingCalendar, submitted: date) -> date:
    """Last day to verify and forward: 3 hari kerja after submission (SP4N-LAPOR!)."""
    return calendar.add_working_days(submitted, VERIFY_WORKING_DAYS)


def follow_up_due(calendar: WorkingCalendar, forwarded: date) -> date:
    """Last day for the unit's follow-up: 5 hari kerja after forwarding (SP4N-LAPOR!)."""
    return calendar.add_working_days(forwarded, FOLLOW_UP_WORKING_DAYS)


def auto_close_date(calendar: WorkingCalendar, followed_up: date) -> date:
    """The day a follow-up with no reply closes itself: 10 hari kerja later (SP4N-LAPOR!)."""
    return calendar.add_working_days(followed_up, AUTO_CLOSE_WORKING_DAYS)
