"""A log of every demo service made by the demo simulator with the demo's planted innovations,
for the planted-effect tests (pure: no database).

The services, standards (with their later versions) and officers are made as the demo builder
makes them, from `sigap.demo.content`, without the officers' planted traits; the log is imported
as a canonical log (service = the service code, the request's completing event `completed`, as
the refresh writes it).
"""

from __future__ import annotations

import math
import random
from collections.abc import Collection, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from sigap.analytics.eventlog import ColumnMapping
from sigap.analytics.importers import import_log
from sigap.analytics.performance import PerformanceSettings, ServiceStandard
from sigap.demo import content
from sigap.demo.innovation_plant import PlannedInnovation, plan_innovations
from sigap.demo.simulate import (
    DONE,
    S_COMPLETED,
    SimOfficer,
    SimService,
    SimStandard,
    Simulator,
)
from sigap.rules.calendar import WorkingCalendar

START, UNTIL = date(2024, 11, 1), date(2026, 11, 1)


def _staffing(requests: int) -> dict[str, int]:
    """Front-line officers per unit, as the builder counts them (`DemoBuilder._officers`):
    enough for the busiest days at ~70 % of their time, at most the unit's staff."""
    total = sum(s.volume for s in content.SERVICES)
    volume: dict[str, float] = {}
    intake: dict[str, int] = {}
    for s in content.SERVICES:
        volume[s.unit] = volume.get(s.unit, 0) + s.volume / total
        intake[s.unit] = max(intake.get(s.unit, 0), s.steps[0][1] + s.steps[1][1])
    staff = {u.key: u.staff for u in content.UNITS}
    out = {}
    for unit, share in volume.items():
        peak = share * requests / (245 * 2) * 1.8
        out[unit] = min(staff[unit], max(6, math.ceil(peak * intake[unit] / (480 * 0.7)) + 1))
    return out


def sim_services(
    seed: int, codes: Sequence[str] | None = None, *, requests: int = 200_000
) -> list[SimService]:
    """The demo's services (or those of `codes`) as the builder declares them: as many
    officers per unit as the builder gives it for `requests` requests, with ordinary traits;
    one signer per service; versions from their month."""
    rng = random.Random(f"innovation-log-{seed}")
    staffing = _staffing(requests)
    officers: dict[str, list[SimOfficer]] = {}
    next_id = 1
    out = []
    step_id = 1
    old_from = date(START.year - 1, 1, 2)
    for n, spec in enumerate(content.SERVICES, start=1):
        if codes is not None and spec.code not in codes:
            continue
        if spec.unit not in officers:
            staff = []
            for _ in range(staffing[spec.unit]):
                staff.append(
                    SimOfficer(
                        id=next_id,
                        nip=f"19900101202001{next_id:04d}",
                        unit_key=spec.unit,
                        speed=round(min(1.25, max(0.8, rng.lognormvariate(0, 0.12))), 2),
                        returns=round(rng.uniform(0.7, 1.3), 2),
                    )
                )
                next_id += 1
            officers[spec.unit] = staff
        versions = [(old_from, spec.sla, spec.steps, spec.sign_step)]
        for v in spec.versions:
            first = START.replace(day=1)
            month = first.month - 1 + v.months_in
            valid_from = date(first.year + month // 12, month % 12 + 1, 1)
            versions.append(
                (valid_from, v.sla, v.steps or spec.steps, v.sign_step or spec.sign_step)
            )
        standards = []
        for i, (valid_from, sla, steps, sign_step) in enumerate(versions):
            names = [name for name, _m in steps]

            def index(name: str, names: list[str] = names) -> int:
                return names.index(name) if name in names else -1

            verify = index(spec.verify)
            valid_until = versions[i + 1][0] - timedelta(days=1) if i + 1 < len(versions) else None
            standards.append(
                SimStandard(
                    id=n * 10 + i,
                    version=i + 1,
                    valid_from=valid_from.toordinal(),
                    valid_until=valid_until.toordinal() if valid_until else None,
                    sla=sla,
                    steps=[(step_id + j, name, m) for j, (name, m) in enumerate(steps)],
                    verify=verify,
                    applicant=index(spec.applicant_step),
                    sign=index(sign_step),
                    bottleneck={index(k): v for k, v in spec.bottlenecks.items() if index(k) >= 0},
                    distinct={verify: 0} if verify > 0 else {},
                )
            )
            step_id += len(steps)
        out.append(
            SimService(
                id=n, spec=spec, unit_id=n, tariff=0, standards=standards,
                officers=officers[spec.unit], signer=900_000 + n, head=800_000 + n,
            )
        )  # fmt: skip
    return out


def settings_of(services: Sequence[SimService]) -> PerformanceSettings:
    """The performance settings of the simulated services: their SLAs by version."""
    return PerformanceSettings(
        calendar=WorkingCalendar(),
        standards=tuple(
            ServiceStandard(
                s.spec.code,
                date.fromordinal(std.valid_from),
                std.sla,
                tuple(name for _sid, name, _m in std.steps),
            )
            for s in services
            for std in s.standards
        ),
    )


def _demand(spec: content.ServiceSpec) -> float:
    """A service's share of the simulator's draws, up to a common factor: its volume times its
    mean seasonal factor over the months simulated (the simulator draws each request's service
    and day with weight volume x season x a day factor common to every service)."""
    season = content.SEASONS[spec.season]
    months = (UNTIL.year - START.year) * 12 + UNTIL.month - START.month
    mean = sum(season[(START.month - 1 + i) % 12] for i in range(months)) / months
    return float(spec.volume * mean)


def simulate(
    folder: Path,
    *,
    requests: int,
    seed: int,
    plant: bool = True,
    name: str = "events",
    units: Collection[str] | None = None,
) -> tuple[Path, list[SimService], list[PlannedInnovation]]:
    """Simulate `requests` requests of every service over 24 months (with the planted
    innovations unless `plant` is false: the counterfactual) and import them as a canonical
    log. Returns the log, the services and the plan (planned even without `plant`, for its
    dates).

    With `units`, only the services of those units are simulated, with as many requests as
    they get among `requests` of every service (in expectation), by the same officers (same
    traits and number: their queues are as busy) and under the same plan (planned on every
    service): each service's requests are drawn as in the full log, but not the same draws
    (the simulator has one random stream for all services). The returned services are those
    simulated; the plan is the full one."""
    services = sim_services(seed, requests=requests)
    planned = plan_innovations(services, start=START, until=UNTIL)
    n_requests = requests
    if units is not None:
        kept = [s for s in services if s.spec.unit in units]
        share = sum(_demand(s.spec) for s in kept) / sum(_demand(s.spec) for s in services)
        services, n_requests = kept, round(requests * share)
    if not plant:
        for s in services:
            s.returns_changes, s.wait_changes = (), ()
    sim = Simulator(
        seed=seed,
        calendar=WorkingCalendar(),
        start=START,
        until=UNTIL,
        services=services,
        n_requests=n_requests,
        clean=True,
    )
    names = ("case", "activity", "ts", "resource", "outcome", "service")
    cols: dict[str, list[object]] = {k: [] for k in names}
    for batch in sim.run():
        for r in batch:
            steps = r.std.steps
            last = len(r.events) - 1
            for i, (at, outcome, officer, _note, step) in enumerate(r.events):
                if i == last and outcome == DONE and r.state.status == S_COMPLETED:
                    outcome = "completed"
                cols["case"].append(r.receipt)
                cols["activity"].append("Pengajuan" if step is None else steps[step][1])
                cols["ts"].append(datetime.fromtimestamp(at, UTC))
                cols["resource"].append(None if officer is None else str(officer))
                cols["outcome"].append(outcome)
                cols["service"].append(r.service.spec.code)
    raw = folder / f"{name}-raw.parquet"
    pq.write_table(pa.table(cols), raw)
    mapping = ColumnMapping(
        case="case", activity="activity", timestamp="ts", resource="resource",
        lifecycle="outcome", service="service",
    )  # fmt: skip
    out = folder / f"{name}.parquet"
    import_log(raw, out, mapping)
    raw.unlink()
    return out, services, planned
