"""A log of one busy service made by the demo simulator with the demo's planted trainings, for
the planted-effect tests and the benchmark (pure: no database)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from sigap.analytics.eventlog import ColumnMapping
from sigap.analytics.importers import import_log
from sigap.demo import content
from sigap.demo.simulate import SimOfficer, SimService, SimStandard, Simulator
from sigap.demo.training_plant import SERVICE, PlannedTraining, plan_trainings
from sigap.rules.calendar import WorkingCalendar

START, UNTIL = date(2024, 11, 1), date(2026, 11, 1)


def planted_service(officers: int, seed: int) -> SimService:
    """`SERVICE` as the demo declares it, with `officers` ordinary officers."""
    spec = next(s for s in content.SERVICES if s.code == SERVICE)
    names = [name for name, _m in spec.steps]

    def index(name: str) -> int:
        return names.index(name) if name in names else -1

    verify = index(spec.verify)
    standard = SimStandard(
        id=1,
        version=1,
        valid_from=date(2020, 1, 1).toordinal(),
        valid_until=None,
        sla=spec.sla,
        steps=[(i + 1, name, minutes) for i, (name, minutes) in enumerate(spec.steps)],
        verify=verify,
        applicant=index(spec.applicant_step),
        sign=index(spec.sign_step),
        bottleneck={index(k): v for k, v in spec.bottlenecks.items() if index(k) >= 0},
        distinct={verify: 0},
    )
    rng = random.Random(seed)
    staff = [
        SimOfficer(
            id=i,
            nip=f"1990010120200110{i:02d}",
            unit_key=spec.unit,
            speed=round(rng.uniform(0.85, 1.2), 2),
            returns=round(rng.uniform(0.7, 1.3), 2),
        )
        for i in range(1, officers + 1)
    ]
    return SimService(
        id=1, spec=spec, unit_id=1, tariff=0, standards=[standard], officers=staff, signer=900,
        head=901,
    )  # fmt: skip


def planted_log(
    folder: Path, *, requests: int = 30_000, officers: int = 20, seed: int = 15
) -> tuple[Path, list[PlannedTraining]]:
    """Simulate `requests` requests of the service over 24 months with the planted trainings,
    and import them as a canonical log (resource = the officer's NIP)."""
    svc = planted_service(officers, seed)
    planned = plan_trainings(svc, start=START, seed=seed)
    sim = Simulator(
        seed=seed,
        calendar=WorkingCalendar(),
        start=START,
        until=UNTIL,
        services=[svc],
        n_requests=requests,
        clean=True,
    )
    nip = {o.id: o.nip for o in svc.officers}
    nip |= {900: "196501011990031001", 901: "196801011992031002"}  # the signer, the head
    names = ("case", "activity", "ts", "resource", "outcome", "service")
    cols: dict[str, list[object]] = {k: [] for k in names}
    steps = svc.standards[0].steps
    for batch in sim.run():
        for r in batch:
            for at, outcome, officer, _note, step in r.events:
                cols["case"].append(r.receipt)
                cols["activity"].append("Pengajuan" if step is None else steps[step][1])
                cols["ts"].append(datetime.fromtimestamp(at, UTC))
                cols["resource"].append(nip.get(officer) if officer is not None else None)
                cols["outcome"].append(outcome)
                cols["service"].append(SERVICE)
    raw = folder / "raw.parquet"
    pq.write_table(pa.table(cols), raw)
    mapping = ColumnMapping(
        case="case", activity="activity", timestamp="ts", resource="resource",
        lifecycle="outcome", service="service",
    )  # fmt: skip
    out = folder / "events.parquet"
    import_log(raw, out, mapping)
    return out, planned
