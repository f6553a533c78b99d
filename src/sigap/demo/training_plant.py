"""Planted in the demo: two trainings aimed at the verification step of one busy service, one
that works and one that changes nothing, so the training-effect analysis has a known answer.

- "effective": a bimbingan teknis on checking the files; from the day after each participant's
  training ends, the probability that they return a file of the service for correction at its
  verification step is multiplied by `EFFECTIVE_FACTOR` (the simulator's `ReturnsChange`).
  Participants come in two cohorts months apart (staggered adoption).
- "null": a sosialisasi on the same step; its participants work as before.

`plan_trainings` is pure (it picks the participants and dates and sets the simulator's
officers' changes, before the requests are simulated); `plant_trainings` also writes the
TrainingRecords and the PlantedPattern rows with the planted size.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sigap.catalogue.models import Service
from sigap.competency.models import TrainingRecord
from sigap.demo.models import DemoBuild, PlantedPattern
from sigap.demo.simulate import ReturnsChange, SimOfficer, SimService
from sigap.organisation.models import Employee
from sigap.rules.competency import Route, training_jp

SERVICE = "dukcapil-kk"  # Penerbitan Kartu Keluarga: busy, and files are often returned
EFFECTIVE_FACTOR = 0.5  # participants return half as many files after the training
EFFECTIVE_TITLE = "Bimbingan Teknis Verifikasi Berkas Kartu Keluarga"
NULL_TITLE = "Sosialisasi Tata Cara Verifikasi Berkas Kependudukan"
PROVIDER = "BKPSDM Kabupaten Sukamaju"
# Months after the start of the period at which each cohort's training ends.
EFFECTIVE_COHORTS = (9, 13)
NULL_COHORTS = (11,)


@dataclass(frozen=True)
class Participant:
    officer_id: int
    nip: str
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class PlannedTraining:
    title: str
    route: str
    hours: Decimal
    service: str
    step: str
    factor: float  # multiplies the participants' return probability from the day after the end
    participants: tuple[Participant, ...]


def _month_end(start: date, months: int) -> date:
    """The last working-week day (Friday at the latest) of the month `months` after `start`."""
    month = start.month - 1 + months + 1
    first_next = date(start.year + month // 12, month % 12 + 1, 1)
    day = first_next - timedelta(days=1)
    while day.weekday() > 4:
        day -= timedelta(days=1)
    return day


def _ordinary(officer: SimOfficer) -> bool:
    """An officer with no other planted trait (those stay comparison officers)."""
    return (
        0.7 <= officer.returns <= 1.3
        and 0.8 <= officer.speed <= 1.25
        and not (officer.overcharge or officer.jumps_queue)
    )


def plan_trainings(
    service: SimService, *, start: date, seed: int, skip: frozenset[int] = frozenset()
) -> list[PlannedTraining]:
    """Pick the participants (`skip`: officer ids never picked, e.g. the demo log-in) and set
    the effective participants' `returns_changes`."""
    rng = random.Random(f"training-plant-{seed}")
    ordinary = [o for o in service.officers if _ordinary(o) and o.id not in skip]
    # A small demo has few ordinary officers: then officers with other traits take part too.
    others = [o for o in service.officers if not _ordinary(o) and o.id not in skip]
    rng.shuffle(ordinary)
    rng.shuffle(others)
    pool = ordinary + others
    # Six and five participants where the officers allow (the demo's counter has a dozen
    # ordinary ones), leaving comparison officers; the analysis needs five of each.
    n_effective = max(2, min(6, len(ordinary) // 2))
    n_null = max(1, min(5, len(ordinary) - n_effective))
    effective, null = pool[:n_effective], pool[n_effective : n_effective + n_null]
    step = service.standards[-1].steps[service.standards[-1].verify][1]

    def cohorts(officers: list[SimOfficer], months: tuple[int, ...]) -> list[Participant]:
        out = []
        for i, officer in enumerate(officers):
            ends = _month_end(start, months[i % len(months)])
            out.append(Participant(officer.id, officer.nip, ends - timedelta(days=2), ends))
        return out

    planned = [
        PlannedTraining(
            EFFECTIVE_TITLE,
            "bimbingan_teknis",
            Decimal(24),
            service.spec.code,
            step,
            EFFECTIVE_FACTOR,
            tuple(cohorts(effective, EFFECTIVE_COHORTS)),
        ),
        PlannedTraining(
            NULL_TITLE,
            "sosialisasi",
            Decimal(6),
            service.spec.code,
            step,
            1.0,
            tuple(cohorts(null, NULL_COHORTS)),
        ),
    ]
    by_id = {o.id: o for o in service.officers}
    for training in planned:
        if training.factor == 1.0:
            continue
        for p in training.participants:
            officer = by_id[p.officer_id]
            change = ReturnsChange(
                (p.ends_on + timedelta(days=1)).toordinal(), training.factor, training.service
            )
            officer.returns_changes = (*officer.returns_changes, change)
    return planned


def plant_trainings(
    *, build: DemoBuild, services: list[SimService], start: date, seed: int
) -> list[PlannedTraining]:
    """Plan the trainings on `SERVICE` (before the requests are simulated: call it first) and
    write their TrainingRecords and PlantedPattern rows. Officers with a demo log-in are never
    participants (their pages stay as the other demo patterns made them)."""
    sim = next((s for s in services if s.spec.code == SERVICE), None)
    if sim is None or sim.standards[-1].verify < 0:
        return []
    logins = frozenset(Employee.objects.filter(user__isnull=False).values_list("pk", flat=True))
    planned = plan_trainings(sim, start=start, seed=seed, skip=logins)
    service = Service.objects.get(pk=sim.id)
    records = []
    for t in planned:
        for p in t.participants:
            records.append(
                TrainingRecord(
                    employee_id=p.officer_id,
                    title=t.title,
                    route=t.route,
                    starts_on=p.starts_on,
                    ends_on=p.ends_on,
                    hours=t.hours,
                    jp=training_jp(Route(t.route), p.starts_on, p.ends_on, t.hours),
                    provider=PROVIDER,
                    service=service,
                    step=t.step,
                    source=TrainingRecord.Source.ENTERED,
                )
            )
    TrainingRecord.objects.bulk_create(records)
    PlantedPattern.objects.bulk_create(
        PlantedPattern(
            build=build,
            kind=PlantedPattern.Kind.TRAINING_EFFECT,
            subject=f"{t.service}/{t.step}",
            detail={
                "title": t.title,
                "returns_factor": t.factor,
                # The planted relative change of the participants' return probability
                # (factor - 1). The analysis measures returned files per verification, and a
                # returned file comes back for one more verification: about p / (1 + p) per
                # event, so at p_return 0.09 a halved probability shows as ≈ -48 %, not -50 %.
                "returned_change": round(t.factor - 1, 6),
                "participants": [p.nip for p in t.participants],
                "ends_on": sorted({p.ends_on.isoformat() for p in t.participants}),
            },
        )
        for t in planned
    )
    return planned


__all__ = [
    "EFFECTIVE_FACTOR",
    "EFFECTIVE_TITLE",
    "NULL_TITLE",
    "SERVICE",
    "Participant",
    "PlannedTraining",
    "plan_trainings",
    "plant_trainings",
]
