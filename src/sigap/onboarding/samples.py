"""The sample request history of Kabupaten Sukamaju (docs/onboarding/samples/), made by a seeded
generator so the file can be made again byte for byte, and so the benchmark can make millions
of events of the same shape.

    python -m sigap.onboarding.samples > docs/onboarding/samples/riwayat-permohonan.csv

One row per event, the way the previous application exported them: the submission
("Pengajuan", hasil "diajukan"), then each procedure step with its officer's NIP and its result
(selesai, dikembalikan, dilanjutkan, menunggu, ditolak). Times are local (Asia/Jakarta), on
working days of the national calendar, in office hours. Cases still running on the last day
are cut there (open requests). No applicant data: the previous application's export has none.
"""

from __future__ import annotations

import csv
import io
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sigap.rules.calendar import WorkingCalendar

HEADER = ("no_permohonan", "layanan", "aktivitas", "waktu", "nip_petugas", "hasil", "kanal",
          "kecamatan")  # fmt: skip
FIRST_DAY = date(2025, 1, 2)
LAST_DAY = date(2026, 11, 27)
OPENS, CLOSES = time(8, 0), time(15, 30)

DUKCAPIL_STEPS = ("Verifikasi berkas", "Entri data", "Persetujuan", "Pencetakan dokumen")
PBG_STEPS = ("Verifikasi berkas", "Pemeriksaan teknis", "Penghitungan retribusi", "Persetujuan",
             "Penerbitan PBG")  # fmt: skip
KECAMATAN = ("Sukamaju", "Cibeureum", "Sindangsari", "Mekarjaya", "Karangtengah")


@dataclass(frozen=True)
class SampleService:
    code: str
    steps: tuple[str, ...]
    officers: tuple[str, ...]  # NIPs of the pelaksana/fungsional officers
    head: str  # NIP of the unit head, who does "Persetujuan"
    gap_days: tuple[int, int]  # working days between two steps (min, max)
    weight: int


# The README's officers: Dukcapil's Budi and Siti (head Agus); Perizinan's Dewi (head Hendra).
SERVICES = (
    SampleService("sukamaju-kk", DUKCAPIL_STEPS, ("198503152010011002", "199001222015032001"),
                  "197806102005011003", (0, 1), 50),
    SampleService("sukamaju-akta-lahir", DUKCAPIL_STEPS,
                  ("198503152010011002", "199001222015032001"), "197806102005011003", (0, 2), 35),
    SampleService("sukamaju-pbg", PBG_STEPS, ("198811092014022004",), "197512012000031005",
                  (1, 8), 15),
)  # fmt: skip


def _row(
    head: tuple[str, str],
    activity: str,
    at: datetime,
    nip: str,
    result: str,
    tail: tuple[str, str],
) -> tuple[str, ...]:
    return (*head, activity, at.isoformat(sep=" "), nip, result, *tail)


class _Clock:
    """Moves a time forward on working days and office hours."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.calendar = WorkingCalendar()

    def working_day(self, day: date, ahead: int) -> date:
        while ahead > 0 or not self.calendar.is_working_day(day):
            day += timedelta(days=1)
            if self.calendar.is_working_day(day):
                ahead -= 1
        return day

    def at(self, day: date, earliest: time = OPENS) -> datetime:
        start = earliest.hour * 60 + earliest.minute
        end = CLOSES.hour * 60 + CLOSES.minute
        minute = self.rng.randint(start, end) if start < end else end
        return datetime.combine(day, time(minute // 60, minute % 60, self.rng.randint(0, 59)))

    def later(self, moment: datetime, days: int) -> datetime:
        if days == 0:
            nxt = moment + timedelta(minutes=self.rng.randint(5, 150))
            if nxt.time() <= CLOSES:
                return nxt
            days = 1
        return self.at(self.working_day(moment.date(), days))


def history_rows(
    cases: int = 300, *, seed: int = 18, first: date = FIRST_DAY, last: date = LAST_DAY
) -> Iterator[tuple[str, ...]]:
    """The rows (without the header) of `cases` requests submitted from `first` to `last`."""
    rng = random.Random(seed)
    clock = _Clock(rng)
    span = (last - first).days
    days = sorted(clock.working_day(first + timedelta(days=rng.randint(0, span)), 0)
                  for _ in range(cases))  # fmt: skip
    weights = [s.weight for s in SERVICES]
    end = datetime.combine(last, CLOSES)
    for n, day in enumerate(days, start=1):
        if day > last:
            day = clock.working_day(last - timedelta(days=7), 0)
        service = rng.choices(SERVICES, weights)[0]
        case = f"SMP-{day.year}-{n:06d}"
        channel = rng.choice(("loket", "loket", "online"))
        kecamatan = rng.choice(KECAMATAN)
        rows: list[tuple[str, ...]] = []
        moment = clock.at(day)
        front = rng.choice(service.officers)

        head = (case, service.code)
        tail = (channel, kecamatan)

        rows.append(
            _row(head, "Pengajuan", moment, front if channel == "loket" else "", "diajukan", tail)
        )
        i = 0
        while i < len(service.steps):
            step = service.steps[i]
            moment = clock.later(moment, rng.randint(*service.gap_days))
            nip = service.head if step == "Persetujuan" else rng.choice(service.officers)
            if i == 0 and rng.random() < 0.04:
                rows.append(_row(head, step, moment, nip, "ditolak", tail))
                break
            if i == 0 and rng.random() < 0.15:  # rework: the file goes back to the applicant
                rows.append(_row(head, step, moment, nip, "dikembalikan", tail))
                moment = clock.later(moment, rng.randint(1, 5))
                rows.append(_row(head, step, moment, "", "dilanjutkan", tail))
                continue
            if step == "Pencetakan dokumen" and rng.random() < 0.05:  # to come and sign
                rows.append(_row(head, step, moment, nip, "menunggu", tail))
                moment = clock.later(moment, rng.randint(1, 3))
                rows.append(_row(head, step, moment, "", "dilanjutkan", tail))
                moment = clock.later(moment, 0)
            rows.append(_row(head, step, moment, nip, "selesai", tail))
            i += 1
        yield from (r for r in rows if datetime.fromisoformat(r[3]) <= end)


def history_csv(cases: int = 300, *, seed: int = 18) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(history_rows(cases, seed=seed))
    return out.getvalue()


DEFAULT_OPTIONS = {
    "source": "simpel-sukamaju",
    "mapping": {
        "case": "no_permohonan",
        "service": "layanan",
        "activity": "aktivitas",
        "timestamp": "waktu",
        "officer": "nip_petugas",
        "outcome": "hasil",
        "channel": "kanal",
        "kecamatan": "kecamatan",
    },
    "timezone": "Asia/Jakarta",
}
"""The options that import the sample file (`sigap onboard history ...`)."""


if __name__ == "__main__":  # pragma: no cover
    sys.stdout.write(history_csv(int(sys.argv[1]) if len(sys.argv) > 1 else 300))
