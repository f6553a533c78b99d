"""Separation of duties (pemisahan fungsi) declared step by step in a service standard.

A service standard (PermenPANRB 15/2014) declares the procedure (*sistem, mekanisme dan
prosedur*) and the officers who carry it out (*pelaksana*). Internal control asks that no single
officer both does a piece of work and certifies it: *pemisahan fungsi* and *otorisasi atas
transaksi dan kejadian yang penting* are control activities of the government's internal
control system (PP 60/2008 tentang SPIP, Pasal 18 ayat (1); UNCERTAIN: article read from
secondary summaries, not in rules.md). How each standard applies them is the agency's own
choice, so it is *declared* on each step, never hard-coded:

* nothing declared: any officer who processes requests of the unit may complete the step;
* a **role** (e.g. ``unit_head``): an officer holding that role over the request's unit;
* a **position** (jabatan name, e.g. "Kepala Dinas Kependudukan dan Pencatatan Sipil"): an
  officer whose position has that name (compared without regard to case or repeated spaces);
* role *and* position declared: either is enough (the head, or whoever holds the post, e.g. an
  acting head appointed to it);
* **another officer than the one who did step N** (four eyes, *prinsip empat mata*): the
  officer must not have completed step N (an earlier step of the same standard) of this
  request, at any time: after a return the file goes round again, and whoever did step N in
  any round may not certify it.

`may_complete` decides; the caller turns the refusals into words. Completing a step, and the
decisions taken at a step (returning the file, rejecting the request) are all "doing" the step.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Officer", "Refusal", "StepDuty", "Verdict", "may_complete", "same_position"]


class Refusal(StrEnum):
    NOT_HOLDER = "not_holder"  # neither the declared role nor the declared position
    FOUR_EYES = "four_eyes"  # did the step this one certifies


@dataclass(frozen=True)
class StepDuty:
    """Who may complete one step: its declaration in the service standard.

    `order` is the step's place in the procedure; `other_than_step` the order of the earlier
    step whose officer may not do this one (None: no four-eyes rule).
    """

    order: int
    role: str = ""
    position: str = ""
    other_than_step: int | None = None

    def __post_init__(self) -> None:
        if self.other_than_step is not None and not 0 < self.other_than_step < self.order:
            raise ValueError(
                f"step {self.order} can only refer to an earlier step, not {self.other_than_step}"
            )

    @property
    def restricts_holder(self) -> bool:
        return bool(self.role or self.position.strip())

    @property
    def is_open(self) -> bool:
        """Any officer of the unit may complete it."""
        return not self.restricts_holder and self.other_than_step is None


@dataclass(frozen=True)
class Officer:
    """The facts about an officer that a declaration can ask about.

    `roles` are the roles the officer holds over the request's unit (or a unit above it).
    """

    id: int
    position: str = ""
    roles: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Verdict:
    refusals: tuple[Refusal, ...] = ()

    @property
    def allowed(self) -> bool:
        return not self.refusals


def same_position(a: str, b: str) -> bool:
    """Position names as typed by HR differ in case and spacing, never in words."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def may_complete(duty: StepDuty, officer: Officer, done: Iterable[tuple[int, int]]) -> Verdict:
    """May `officer` complete the step declared by `duty`?

    `done` lists (step order, officer id) for every step recorded as done on this request so
    far, in any round.
    """
    refusals: list[Refusal] = []
    if duty.restricts_holder:
        by_role = bool(duty.role) and duty.role in officer.roles
        by_position = bool(duty.position.strip()) and same_position(duty.position, officer.position)
        if not (by_role or by_position):
            refusals.append(Refusal.NOT_HOLDER)
    if duty.other_than_step is not None and any(
        order == duty.other_than_step and who == officer.id for order, who in done
    ):
        refusals.append(Refusal.FOUR_EYES)
    return Verdict(tuple(refusals))
