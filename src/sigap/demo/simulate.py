"""The demo's request simulator: pure Python, no Django, deterministic for a seed.

Time runs in *working minutes*: working day number `pos` (an index into the agency's working
days) times 480, plus minutes after 08:00 local time (office hours 08:00-16:00 WIB). Only
submissions happen outside office hours (online, in the evening or at the weekend).

Each request is simulated from submission to the end, the events after the period's end are
cut off, and the request's fields are then derived by `replay`, which mirrors the write
functions of `sigap.service_requests.services` rule by rule (tests check it against them).
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from sigap.demo import content
from sigap.rules.calendar import WorkingCalendar

WD = 480  # working minutes per working day (08:00-16:00 local)
TZ_SECONDS = 7 * 3600  # Asia/Jakarta (WIB) is UTC+7 all year, no daylight saving
_UNIX_ORDINAL = date(1970, 1, 1).toordinal()

SUBMITTED, RECEIVED, DONE = "submitted", "received", "done"
RETURNED, WAITING, RESUMED, REJECTED = "returned", "waiting", "resumed", "rejected"
# Request statuses (service_requests.models.Status values).
S_SUBMITTED, S_IN_PROGRESS, S_RETURNED = "submitted", "in_progress", "returned"
S_WAITING, S_COMPLETED, S_REJECTED = "waiting", "completed", "rejected"

AGE_BANDS = ((18, "<18"), (31, "18-30"), (46, "31-45"), (61, "46-60"), (999, ">60"))


def local_midnight_epoch(ordinal: int) -> int:
    """UTC epoch seconds of 00:00 WIB on the date with this ordinal."""
    return (ordinal - _UNIX_ORDINAL) * 86400 - TZ_SECONDS


def local_ordinal(epoch: int) -> int:
    """The WIB calendar date (as an ordinal) of a UTC epoch second."""
    return (epoch + TZ_SECONDS) // 86400 + _UNIX_ORDINAL


# --- inputs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReturnsChange:
    """From `from_day` (a date ordinal, inclusive) on, the officer's probability of returning a
    file of `service` at its verification step is multiplied by `factor`."""

    from_day: int
    factor: float
    service: str


@dataclass(frozen=True)
class ServiceReturnsChange:
    """Planted on a service (sigap.demo.innovation_plant): for the requests submitted from
    `from_day` (a date ordinal, inclusive; local date of submission) on, the probability that a
    file of the service is returned at its verification step is multiplied by `factor` (e.g.
    an online pre-check of the files before they are handed in)."""

    from_day: int
    factor: float

    def factor_on(self, day: int) -> float:
        return self.factor if day >= self.from_day else 1.0


@dataclass(frozen=True)
class WaitChange:
    """Planted on a service: for the requests submitted from `from_day` on, the mean wait
    before the step named `step` is multiplied by `factor` (a queue system, an electronic
    signature)."""

    step: str
    from_day: int
    factor: float

    def factor_on(self, day: int) -> float:
        return self.factor if day >= self.from_day else 1.0


def _month_index(ordinal: int) -> int:
    d = date.fromordinal(ordinal)
    return d.year * 12 + d.month - 1


@dataclass(frozen=True)
class WaitDrift:
    """Planted on a service: a gradual change of the mean wait before the step named `step`,
    month by month of submission. Before the month of `from_day` the factor is 1; from the
    month of `until_day` on it is `factor`; in between it moves in equal monthly steps (the
    first month already one step). A drift that has already run when an innovation starts is what
    the pre-trend check must catch."""

    step: str
    from_day: int
    until_day: int
    factor: float

    def factor_on(self, day: int) -> float:
        first, last = _month_index(self.from_day), _month_index(self.until_day)
        month = _month_index(day)
        if month < first:
            return 1.0
        if month >= last or last <= first:
            return self.factor
        return 1.0 + (self.factor - 1.0) * (month - first + 1) / (last - first + 1)


@dataclass
class SimOfficer:
    id: int
    nip: str
    unit_key: str
    speed: float = 1.0  # multiplies processing and ordinary waiting times
    returns: float = 1.0  # multiplies the probability of returning a file
    # Planted changes of `returns` (sigap.demo.training_plant): from a day (ordinal) on, on one
    # service's verification step, the probability is multiplied by the factor as well.
    returns_changes: tuple[ReturnsChange, ...] = ()
    overcharge: bool = False
    jumps_queue: bool = False


@dataclass
class SimStandard:
    id: int
    version: int
    valid_from: int  # ordinal
    valid_until: int | None
    sla: int
    steps: list[tuple[int, str, int]]  # (step id, name, expected minutes) in order
    verify: int  # step index, -1 = none
    applicant: int
    sign: int
    bottleneck: dict[int, float]  # step index -> mean wait in working days
    # Separation of duties as the standard declares it: step index -> index of the earlier step
    # whose officer may not do it (four eyes), and the steps done by the unit head.
    distinct: dict[int, int] = field(default_factory=dict)
    head_steps: frozenset[int] = frozenset()


@dataclass
class SimService:
    id: int
    spec: content.ServiceSpec
    unit_id: int
    tariff: int
    standards: list[SimStandard]  # by valid_from
    officers: list[SimOfficer]
    signer: int  # employee id of whoever signs at the sign step
    head: int = 0  # employee id of the unit's head (steps declared for the unit head)
    disparity_extra_days: float = 0.0  # planted: extra wait for applicants of REMOTE_KECAMATAN
    # Planted service-level changes (sigap.demo.innovation_plant): of the return probability
    # at the verification step, and of the wait before a named step.
    returns_changes: tuple[ServiceReturnsChange, ...] = ()
    wait_changes: tuple[WaitChange | WaitDrift, ...] = ()

    def standard_on(self, ordinal: int) -> SimStandard:
        for std in reversed(self.standards):
            if std.valid_from <= ordinal and (
                std.valid_until is None or ordinal <= std.valid_until
            ):
                return std
        raise ValueError(f"no standard of {self.spec.code} on {date.fromordinal(ordinal)}")


@dataclass
class Resident:
    name: str
    gender: str
    birth: int  # ordinal
    nik: str
    phone: str
    kecamatan: str
    desa: str


@dataclass
class Truth:
    """Ground truth collected while simulating, for `PlantedPattern` rows."""

    favoured: dict[int, list[str]] = field(default_factory=dict)  # officer id -> receipt codes
    overcharged: dict[int, list[str]] = field(default_factory=dict)
    deviations: dict[str, list[str]] = field(default_factory=dict)  # kind -> receipt codes
    disparity: list[str] = field(default_factory=list)
    reworked: dict[str, int] = field(default_factory=dict)  # service code -> requests returned
    requests_per_service: dict[str, int] = field(default_factory=dict)


# --- the derived state, by the rules of the write functions ---------------------------------------


@dataclass(slots=True)
class State:
    status: str
    current: int | None  # step index
    officer: int | None
    due: int  # ordinal
    finished: int | None
    paused_days: int
    paused_since: int | None
    last: int
    count: int


def replay(
    calendar: WorkingCalendar,
    std: SimStandard,
    submitted: int,
    events: list[tuple[int, str, int | None, str]],
) -> tuple[State, list[int | None]]:
    """Fold (epoch, outcome, officer, note) events like `service_requests.services` does.

    Returns the request's state and, per event, the index of the step it is recorded against
    (None for the submission), which is also what the event's `activity` names.
    """
    add = calendar.add_working_days
    between = calendar.working_days_between
    sub_day = date.fromordinal(local_ordinal(submitted))
    st = State(
        S_SUBMITTED,
        0 if std.steps else None,
        None,
        add(sub_day, std.sla).toordinal(),
        None,
        0,
        None,
        submitted,
        1,
    )
    steps: list[int | None] = [None]
    last_step = len(std.steps) - 1
    for at, outcome, officer, _note in events[1:]:
        steps.append(st.current)
        st.count += 1
        st.last = at
        if outcome == RECEIVED:
            st.status, st.officer = S_IN_PROGRESS, officer
        elif outcome == DONE:
            if st.current is None or st.current == last_step:
                st.status, st.current, st.finished = S_COMPLETED, None, at
            else:
                st.current += 1
        elif outcome == RETURNED:
            st.status, st.paused_since, st.current = S_RETURNED, at, 0
        elif outcome == WAITING:
            st.status, st.paused_since = S_WAITING, at
        elif outcome in (RESUMED, REJECTED):
            if st.paused_since is not None:
                st.paused_days += between(
                    date.fromordinal(local_ordinal(st.paused_since)),
                    date.fromordinal(local_ordinal(at)),
                )
                st.paused_since = None
                st.due = add(sub_day, std.sla + st.paused_days).toordinal()
            if outcome == RESUMED:
                st.status = S_IN_PROGRESS
            else:
                st.status, st.finished, st.current = S_REJECTED, at, None
        else:  # pragma: no cover
            raise ValueError(outcome)
    return st, steps


def step_actors(svc: SimService, std: SimStandard, first: int, second: int) -> list[int]:
    """Who does each step of `std`: the signer signs, the unit head does the head's steps, a
    four-eyes step goes to `second` when `first` did the step it certifies, everything else to
    `first` (the officer who received the file). So the data obey the standard's declarations.
    """
    actors: list[int] = []
    for i in range(len(std.steps)):
        if i == std.sign:
            actors.append(svc.signer)
        elif i in std.head_steps:
            actors.append(svc.head)
        elif i in std.distinct:
            actors.append(second if actors[std.distinct[i]] == first else first)
        else:
            actors.append(first)
    return actors


# --- the simulator --------------------------------------------------------------------------


@dataclass
class RequestRow:
    """A generated request in plain values, ready for the writer."""

    id: int
    receipt: str
    service: SimService
    std: SimStandard
    channel: str
    resident: Resident
    nik_given: bool
    gender: str
    disability: bool | None
    age_band: str
    amount: int
    state: State
    submitted: int
    events: list[
        tuple[int, str, int | None, str, int | None]
    ]  # epoch, outcome, officer, note, step


class Simulator:
    def __init__(
        self,
        *,
        seed: int,
        calendar: WorkingCalendar,
        start: date,
        until: date,
        services: list[SimService],
        n_requests: int,
        clean: bool,
        first_request_id: int = 1,
        first_event_id: int = 1,
    ) -> None:
        self.rng = random.Random(seed)
        self.calendar = calendar
        self.start, self.until = start, until
        self.cutoff = local_midnight_epoch(until.toordinal())
        self.services = services
        self.n_requests = n_requests
        self.clean = clean
        self.next_request_id = first_request_id
        self.next_event_id = first_event_id
        self.truth = Truth()
        self.receipts: set[str] = set()
        self.free: dict[int, int] = {}  # officer id -> working minute their intake queue frees up
        # (actor, standard, step) -> (day of the pile, its release minute, arrival of the last
        # file in turn, minute the desk is free again)
        self.desks: dict[tuple[int, int, int], tuple[int, int, int, int]] = {}
        # Working days from a little before the start to well after the end (for late events).
        self.workdays: list[int] = []
        day = start - timedelta(days=10)
        horizon = until + timedelta(days=600)
        while day <= horizon:
            if calendar.is_working_day(day):
                self.workdays.append(day.toordinal())
            day += timedelta(days=1)
        self.pos_of = {o: i for i, o in enumerate(self.workdays)}
        self.day_epoch = [local_midnight_epoch(o) + 8 * 3600 for o in self.workdays]
        self.residents = self._residents()

    # -- helpers --

    def epoch(self, wm: int) -> int:
        pos = wm // WD
        if pos >= len(self.day_epoch):
            return 1 << 40  # far beyond the cut-off
        return self.day_epoch[pos] + (wm % WD) * 60 + self.rng.randrange(60)

    def _receipt(self) -> str:
        alphabet, rng = "0123456789ABCDEFGHJKMNPQRSTVWXYZ", self.rng
        while True:
            code = "".join(rng.choices(alphabet, k=10))
            if code not in self.receipts:
                self.receipts.add(code)
                return code

    def _residents(self) -> dict[str, list[Resident]]:
        """A population per kecamatan; applicants are drawn from it, so some come back."""
        rng = self.rng
        pool: dict[str, list[Resident]] = {}
        serials: dict[str, int] = {}
        until = self.until
        for k_index, (kec, remote, desa_list) in enumerate(content.KECAMATAN, start=1):
            size = 4000 if remote else (9000 if k_index == 1 else 6000)
            # Smaller demos get smaller populations, so applicants still come back.
            size = max(100, int(size * min(1.0, self.n_requests / 200_000)))
            people = []
            for _ in range(size):
                female = rng.random() < 0.52
                first = rng.choice(content.FEMALE_NAMES if female else content.MALE_NAMES)
                second = content.FEMALE_SECOND_NAMES if female else content.MALE_SECOND_NAMES
                name = f"{first} {rng.choice(second)}"
                age_days = int(365.25 * rng.triangular(17.2, 85, 30))
                birth = date.fromordinal(until.toordinal() - age_days)
                dd = birth.day + (40 if female else 0)
                stem = (
                    f"{content.NIK_PROVINCE}{content.NIK_REGENCY}{k_index:02d}"
                    f"{dd:02d}{birth.month:02d}{birth.year % 100:02d}"
                )
                serial = serials[stem] = serials.get(stem, 0) + 1
                people.append(
                    Resident(
                        name=name,
                        gender="P" if female else "L",
                        birth=birth.toordinal(),
                        nik=f"{stem}{serial:04d}",
                        phone=f"08{rng.choice('1235789')}{rng.randrange(10**8, 10**9)}",
                        kecamatan=kec,
                        desa=rng.choice(desa_list),
                    )
                )
            pool[kec] = people
        return pool

    def _plan(self) -> dict[int, list[tuple[SimService, int]]]:
        """How many requests each service gets on each working day: pos -> [(service, count)]."""
        rng = self.rng
        first = self.pos_of.get(self.start.toordinal())
        if first is None:
            first = bisect_right(self.workdays, self.start.toordinal())
        last = bisect_right(self.workdays, self.until.toordinal() - 1)  # exclusive
        span = max(1, last - first)
        cells: list[tuple[int, SimService]] = []
        cum: list[float] = []
        total = 0.0
        dow_factor = (1.25, 1.05, 1.0, 0.95, 0.8, 0.3, 0.2)
        for pos in range(first, last):
            d = date.fromordinal(self.workdays[pos])
            growth = 1.0 + 0.12 * (pos - first) / span  # demand grows ~6% a year
            day_w = dow_factor[d.weekday()] * growth
            # The days right after a long holiday (Lebaran) are the busiest of the year.
            if pos > 0 and self.workdays[pos] - self.workdays[pos - 1] > 4:
                day_w *= 1.6
            for svc in self.services:
                total += svc.spec.volume * content.SEASONS[svc.spec.season][d.month - 1] * day_w
                cells.append((pos, svc))
                cum.append(total)
        picks = rng.choices(range(len(cells)), cum_weights=cum, k=self.n_requests)
        counts: dict[int, int] = {}
        for i in picks:
            counts[i] = counts.get(i, 0) + 1
        plan: dict[int, list[tuple[SimService, int]]] = {}
        for i in sorted(counts):
            pos, svc = cells[i]
            plan.setdefault(pos, []).append((svc, counts[i]))
        return plan

    # -- the run --

    def run(self, progress: Callable[[int], None] | None = None) -> Iterator[list[RequestRow]]:
        """Yield the requests day by day, in order of submission."""
        plan = self._plan()
        first_pos = min(plan) if plan else 0
        last_pos = max(plan) if plan else 0
        span = max(1, last_pos - first_pos)
        for pos in sorted(plan):
            share = (pos - first_pos) / span  # 0 at the start of the period, 1 at the end
            todays: list[tuple[int, int, SimService, str]] = []
            for svc, count in plan[pos]:
                for _ in range(count):
                    sub_wm, sub_epoch, channel = self._submission(pos, svc, share)
                    todays.append((sub_wm, sub_epoch, svc, channel))
            todays.sort(key=lambda t: (t[0], t[1], t[2].id))
            rows = [
                self._request(sub_wm, sub_epoch, svc, channel)
                for sub_wm, sub_epoch, svc, channel in todays
            ]
            if progress:
                progress(len(rows))
            yield rows

    def _submission(self, pos: int, svc: SimService, share: float) -> tuple[int, int, str]:
        rng = self.rng
        online_share = svc.spec.online * (0.3 + 0.7 * share)
        r = rng.random()
        if r >= online_share:
            minute = int(rng.triangular(0, 390, 60))  # counter: a morning peak, closes 14:30
            return (
                pos * WD + minute,
                self.day_epoch[pos] + minute * 60 + rng.randrange(60),
                "counter",
            )
        channel = "mobile" if rng.random() < 0.4 else "online"
        when = rng.random()
        if when < 0.6:  # in office hours
            minute = rng.randrange(WD)
            return pos * WD + minute, self.day_epoch[pos] + minute * 60 + rng.randrange(60), channel
        if when < 0.85:  # the evening: handled the next working day
            seconds = rng.randrange(16 * 3600, 23 * 3600)
            epoch = local_midnight_epoch(self.workdays[pos]) + seconds
            return (pos + 1) * WD, epoch, channel
        # Early morning, or during the days off before this working day.
        gap = self.workdays[pos] - self.workdays[pos - 1] - 1 if pos > 0 else 0
        gap = min(gap, self.workdays[pos] - self.start.toordinal())  # not before the period
        day = (
            self.workdays[pos] - rng.randint(1, gap)
            if gap and rng.random() < 0.7
            else self.workdays[pos]
        )
        seconds = (
            rng.randrange(6 * 3600, 22 * 3600)
            if day != self.workdays[pos]
            else rng.randrange(5 * 3600, 8 * 3600)
        )
        return pos * WD, local_midnight_epoch(day) + seconds, channel

    def _returns_change(self, officer: SimOfficer, service: str, wm: int) -> float:
        """The planted factor on `officer`'s returns of `service` at working minute `wm`."""
        day = self.workdays[min(wm // WD, len(self.workdays) - 1)]
        factor = 1.0
        for change in officer.returns_changes:
            if change.service == service and day >= change.from_day:
                factor *= change.factor
        return factor

    def _pause(self, wm: int, mean_days: float) -> int:
        """The working minute the applicant is back after a pause of about `mean_days`."""
        days = 1 + int(self.rng.expovariate(1 / max(0.1, mean_days - 1)))
        return (wm // WD + days) * WD + self.rng.randrange(10, 420)

    def _request(self, sub_wm: int, sub_epoch: int, svc: SimService, channel: str) -> RequestRow:
        rng, spec, truth = self.rng, svc.spec, self.truth
        std = svc.standard_on(local_ordinal(sub_epoch))
        # The applicant.
        if spec.unit.startswith(("kec-", "pkm-")) and rng.random() < 0.85:
            kec = spec.unit.split("-", 1)[1].capitalize()
        else:
            kec = rng.choices(content.KECAMATAN, weights=[1.6] + [1.0] * 9 + [0.6, 0.6])[0][0]
        resident = rng.choice(self.residents[kec])
        age_years = (local_ordinal(sub_epoch) - resident.birth) / 365.25
        age_band = next(band for limit, band in AGE_BANDS if age_years < limit)
        dukcapil = spec.code.startswith("dukcapil")
        nik_given = rng.random() < (0.97 if dukcapil else 0.6)
        gender = resident.gender if rng.random() < 0.9 else ""
        r = rng.random()
        disability = None if r < 0.55 else r < 0.58
        age_band = age_band if rng.random() < 0.85 else ""

        # Intake: each officer serves their queue first come, first served; the least busy of
        # two officers picked at random takes the file.
        officers = svc.officers
        a, b = rng.choice(officers), rng.choice(officers)
        officer = a if self.free.get(a.id, 0) <= self.free.get(b.id, 0) else b
        favoured = officer.jumps_queue and not self.clean and rng.random() < 0.2
        free = self.free.get(officer.id, 0)
        if favoured:
            received = sub_wm + rng.randint(2, 15)
        else:
            received = max(sub_wm + rng.randint(1, 20), free + rng.randint(1, 5))
        # A second officer certifies the first one's work where the standard says four eyes.
        others = [o for o in officers if o.id != officer.id]
        second = rng.choice(others) if others else officer
        actors = step_actors(svc, std, officer.id, second.id)
        traits = {officer.id: officer, second.id: second}
        steps = std.steps
        intake = steps[0][2] + (steps[1][2] if len(steps) > 1 else 0)
        self.free[officer.id] = max(free, received) + int(intake * officer.speed)

        amount = svc.tariff
        if officer.overcharge and not self.clean and channel == "counter" and rng.random() < 0.35:
            amount += rng.choice((20_000, 25_000, 50_000, 50_000, 100_000))
            receipt_overcharged = True
        else:
            receipt_overcharged = False

        # Planted service changes (sigap.demo.innovation_plant) apply to the requests
        # submitted from their day on: each month's requests are either changed or not.
        returns_factor = 1.0
        wait_factors: dict[str, float] = {}
        if svc.returns_changes or svc.wait_changes:
            sub_day = local_ordinal(sub_epoch)
            for rc in svc.returns_changes:
                returns_factor *= rc.factor_on(sub_day)
            for wc in svc.wait_changes:
                wait_factors[wc.step] = wait_factors.get(wc.step, 1.0) * wc.factor_on(sub_day)
        ev: list[tuple[int, str, int | None, str]] = []
        t = received
        remote_extra = (
            svc.disparity_extra_days * WD
            if svc.disparity_extra_days and not self.clean and kec == content.REMOTE_KECAMATAN
            else 0
        )
        counter_officer = officer.id if channel == "counter" else None
        if rng.random() < 0.004:  # a duplicate or obviously ineligible request
            ev.append((t, REJECTED, officer.id, content.REJECT_REASONS[1]))
        else:
            ev.append((t, RECEIVED, officer.id, ""))
            cur, returns, n = 0, 0, len(steps)
            # Files wait their turn: each desk (actor, standard, step) works first come, first
            # served, and a desk with long waits (a bottleneck, a signature) clears each day's
            # pile in one go some days later. A file that has been paused (returned, waiting)
            # comes back outside that order, and a favoured file jumps it.
            in_order = not favoured
            while True:
                _sid, _name, minutes = steps[cur]
                actor = actors[cur]
                pace = traits.get(actor, officer)  # the signer and the head: the file's pace
                if cur == 0:
                    mean = 0.0
                elif cur in std.bottleneck:
                    mean = std.bottleneck[cur]
                elif cur == std.sign:
                    mean = 0.5
                else:
                    mean = spec.wait * pace.speed
                if wait_factors and mean:
                    mean *= wait_factors.get(_name, 1.0)
                # Little spread: with first come, first served a file waits for the slowest
                # file ahead of it, so wide spreads would add up to long queues.
                if mean >= 0.5:
                    wait = int(rng.lognormvariate(0, 0.3) * mean * WD * 0.9)
                elif mean > 0:
                    wait = int(mean * WD * rng.uniform(0.5, 1.1))
                else:
                    wait = rng.randint(1, 10)
                if favoured:
                    wait //= 10
                proc = max(1, int(minutes * pace.speed * rng.lognormvariate(0, 0.3)))
                desk = (actor, std.id, cur)
                day, release, arrived, free = self.desks.get(desk, (-1, 0, -1, 0))
                if in_order and cur > 0 and t >= arrived:
                    # In turn behind the files that reached this desk before it.
                    if mean >= 0.5:  # the pile of the day this file arrived on
                        if day != t // WD:
                            day, release = t // WD, (t // WD) * WD + WD // 2 + wait
                        start = max(t, release, free)
                    else:
                        start = max(t + max(1, wait), free)
                    self.desks[desk] = (day, release, t, start + proc)
                    t = start
                else:
                    t += max(1, wait)
                if cur == std.verify and remote_extra:  # planted: set aside for days
                    t += int(rng.lognormvariate(0, 0.4) * remote_extra * 0.92)
                if cur == std.verify:
                    if rng.random() < spec.p_reject:
                        t += proc
                        # Rejecting and returning are decisions of the step: its officer's.
                        ev.append((t, REJECTED, actor, rng.choice(content.REJECT_REASONS)))
                        break
                    p = spec.p_return * pace.returns * (0.4 if returns else 1.0)
                    if pace.returns_changes:
                        p *= self._returns_change(pace, spec.code, t)
                    p *= returns_factor
                    if returns < 2 and rng.random() < p:
                        t += proc
                        ev.append((t, RETURNED, actor, rng.choice(content.RETURN_REASONS)))
                        returns += 1
                        in_order = False
                        if rng.random() < 0.08:  # never comes back: rejected after 10 working days
                            t = (t // WD + 10) * WD + rng.randrange(30, 300)
                            ev.append((t, REJECTED, officer.id, content.ABANDONED_REASON))
                            break
                        t = self._pause(t, 3.5)
                        ev.append((t, RESUMED, counter_officer, "Berkas perbaikan diterima"))
                        cur = 0
                        continue
                if cur == std.applicant and rng.random() < spec.p_wait:
                    ev.append((t, WAITING, officer.id, rng.choice(content.WAIT_REASONS)))
                    in_order = False
                    t = self._pause(t, 2.5)
                    ev.append((t, RESUMED, officer.id, ""))
                t += proc
                ev.append((t, DONE, actor, ""))
                cur += 1
                if cur == n:
                    break
            if returns:
                truth.reworked[spec.code] = truth.reworked.get(spec.code, 0) + 1

        # Working minutes -> UTC epochs; drop what happens after the end of the period.
        events: list[tuple[int, str, int | None, str]] = [
            (sub_epoch, SUBMITTED, counter_officer, "")
        ]
        last = sub_epoch
        for wm, outcome, who, note in ev:
            at = max(self.epoch(wm), last)
            if at >= self.cutoff:
                break
            events.append((at, outcome, who, note))
            last = at
        state, ev_steps = replay(self.calendar, std, sub_epoch, events)
        full = [
            (at, outcome, who, note, ev_steps[i])
            for i, (at, outcome, who, note) in enumerate(events)
        ]
        receipt = self._receipt()
        if not self.clean and state.status == S_COMPLETED and spec.code in DEVIATING_SERVICES:
            full = self._deviate(full, receipt)
            state.count = len(full)
        rid = self.next_request_id
        self.next_request_id += 1
        truth.requests_per_service[spec.code] = truth.requests_per_service.get(spec.code, 0) + 1
        if favoured:
            truth.favoured.setdefault(officer.id, []).append(receipt)
        if receipt_overcharged:
            truth.overcharged.setdefault(officer.id, []).append(receipt)
        if remote_extra:
            truth.disparity.append(receipt)
        return RequestRow(
            id=rid,
            receipt=receipt,
            service=svc,
            std=std,
            channel=channel,
            resident=resident,
            nik_given=nik_given,
            gender=gender,
            disability=disability,
            age_band=age_band,
            amount=amount,
            state=state,
            submitted=sub_epoch,
            events=full,
        )

    def _deviate(
        self, events: list[tuple[int, str, int | None, str, int | None]], receipt: str
    ) -> list[tuple[int, str, int | None, str, int | None]]:
        """Planted: a step skipped or two steps done in swapped order (outside what the write
        functions allow; such logs come from counters that tick steps on paper first). Each
        step keeps its officer, so the separation of duties still holds."""
        rng = self.rng
        if rng.random() >= 0.025:
            return events
        # The done events of the final pass through the procedure (after the last resume).
        start = max((i for i, e in enumerate(events) if e[1] in (RESUMED, RECEIVED)), default=0)
        done = [i for i in range(start + 1, len(events)) if events[i][1] == DONE]
        middle = done[1:-1]  # never the first step (where files are checked) or the hand-over
        if len(middle) < 2:
            return events
        if rng.random() < 0.5:
            drop = rng.choice(middle)
            self.truth.deviations.setdefault("skipped_step", []).append(receipt)
            return events[:drop] + events[drop + 1 :]
        i = rng.randrange(len(middle) - 1)
        a, b = middle[i], middle[i + 1]
        out = list(events)
        ea, eb = out[a], out[b]
        out[a] = (ea[0], ea[1], eb[2], ea[3], eb[4])
        out[b] = (eb[0], eb[1], ea[2], eb[3], ea[4])
        self.truth.deviations.setdefault("swapped_steps", []).append(receipt)
        return out


# Services where a small share of completed requests deviate from the declared procedure.
DEVIATING_SERVICES = frozenset({"dukcapil-akta-lahir", "dpmptsp-pbg", "dinsos-sktm", "dukcapil-kk"})
