"""Planted in the demo: six applied innovations on services of the event log, from known dates,
so the impact evaluation (`sigap.analytics.impact`, `sigap.innovation.effects`) has known
answers. Each changes at least five services: a single service cannot be compared credibly.

- A, "Pra-Periksa Berkas Daring" (online pre-check of the files): from its date, the probability
  that a file is returned for correction at the verification step is multiplied by
  `A_FACTOR` on every kecamatan's Surat Keterangan Domisili and Ahli Waris. Applied at Kecamatan
  Sukamaju first, replicated by Cibening and Gunungsari months later (staggered adoption,
  `Replication` rows). KPI: first-time-right.
- B, "Tanda Tangan Elektronik Perizinan": the wait before the head of DPMPTSP's signature is
  multiplied by `B_FACTOR` on six permits, from one date (not the NIB, whose signature
  step a new standard version removes). KPI: lead time (working days).
- C, "Dasbor Pemantauan Berkas Tertahan": a dashboard that flags files held too long at the
  slowest step; the wait there is multiplied by `C_FACTOR` on five services of five units
  (field visit, trayek study, resume by the doctor, laboratory test). KPI: lead time.
- two innovations that change nothing in the log (disdik/dinsos/dishub and rsud/puskesmas).
- one whose services were already improving before its date: the wait at dukcapil's
  verification shrinks month by month from `DRIFT_FROM` months in until `DRIFT_UNTIL` months
  in, the innovation dates from `DRIFT_AT`: the pre-trend check must flag it.

The planted size is stated in the KPI's unit, as the analysis measures it (a difference in
differences of monthly cells by month of submission, weighted by cases):

- returns (first-time-right, the share of closed requests never returned): a request is
  returned at its first verification with probability `(1 - p_reject) * p_return * r`, with `r`
  the mean return trait of the service's officers (the verifier is one of them), so the
  factor raises first-time-right by `(1 - factor) * (1 - p_reject) * p_return * r`;
- a wait before a step with a mean of at least half a working day (both before and after the
  change: the simulator's piles): the wait is `lognormal(0, 0.3) * mean * 0.9` working days, of
  mean `0.9 * exp(0.045) * mean`; it is passed once by every request that is not rejected or
  abandoned at the verification (`1 - p_reject - 0.08 * p_return * r` of them), so the lead
  time changes by `(factor - 1) * 0.9 * exp(0.045) * mean * reach` working days.

The innovation's size is the mean of its services' sizes weighted by their expected treated
cases (the service's volume times its months after its start). tests/innovation checks these
formulas against a counterfactual simulation with the same seed.

Each is registered with its planted KPI as the indicator it aims to improve
(`Innovation.target_kpi`, its primary outcome: judged at 95 %, the other KPIs together with a
Bonferroni correction); the registered ones (the ramp, the standard versions) with the lead time.

`plan_innovations` is pure (the dates, services, changes and sizes; it sets the simulator's
service changes, so call it before the requests are simulated); `plant_innovations` writes the
Innovation, StageChange, Replication and PlantedPattern rows.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from sigap.catalogue.models import Service
from sigap.demo.models import DemoBuild, PlantedPattern
from sigap.demo.simulate import ServiceReturnsChange, SimService, WaitChange, WaitDrift
from sigap.innovation.models import (
    Form,
    Initiator,
    Innovation,
    Kind,
    Replication,
    Stage,
    StageChange,
)
from sigap.organisation.models import Agency, Unit

# The KPI keys of `sigap.analytics.service_panel`.
LEAD_TIME = "lead_time"
FIRST_TIME_RIGHT = "first_time_right"

A_FACTOR = 0.25  # the online pre-check: three in four returns for correction avoided
B_FACTOR = 0.4  # the electronic signature: the wait before the signature cut by 60 %
C_FACTOR = 0.5  # the dashboard: the wait at the slowest step halved
DRIFT_FACTOR = 0.45  # dukcapil's verification wait, already shrinking before the innovation
# Months after the first full month of the period.
A_AT, A_REPLICATIONS = 8, (("kec-cibening", 11), ("kec-gunungsari", 14))
B_AT, C_AT, NULL_AT, NULL2_AT = 12, 10, 9, 13
DRIFT_FROM, DRIFT_AT, DRIFT_UNTIL = 3, 12, 18

LOGNORMAL_MEAN = math.exp(0.3**2 / 2)  # the simulator's waits: lognormal(0, 0.3)
ABANDON = 0.08  # a returned file never comes back (the simulator)

A_NAME = "Pra-Periksa Berkas Daring Layanan Kecamatan (PRIKSA)"
B_NAME = "Tanda Tangan Elektronik Izin Praktik dan Usaha (TTE-Izin)"
C_NAME = "Dasbor Pemantauan Berkas Tertahan (DASTER)"
NULL_NAME = "Pojok Baca dan Ruang Tunggu Ramah Anak"
NULL2_NAME = "Papan Informasi Antrean Manual Layanan Kesehatan"
DRIFT_NAME = "Antrean Verifikasi Terpilah Dukcapil (ANTRI-SIP)"
RAMP_NAME = "Penambahan Petugas Verifikasi Dukcapil Bertahap"


@dataclass(frozen=True)
class Adoption:
    """An in-agency replication: `unit` (a unit key) applies it to `services` from `on`."""

    unit: str
    services: tuple[str, ...]
    on: date


@dataclass(frozen=True)
class PlannedInnovation:
    key: str  # "A", "B", "C", "null", "null2", "drift"
    name: str
    unit: str  # the unit key of the original
    services: tuple[str, ...]  # the original's services (codes)
    applied_on: date
    kpi: str
    change: str  # "returns" | "wait" | "drift" | "none" | "registered" (no planted effect)
    factor: float
    expect: str  # "improved" | "no_claim" | "pre_trend"
    urusan: str
    kind: str  # Kind value
    steps: Mapping[str, str] = field(default_factory=dict)  # service -> the changed step
    adoptions: tuple[Adoption, ...] = ()
    drift_from: date | None = None
    drift_until: date | None = None
    # The planted size in the KPI's unit (None: none planted), overall and per service.
    size: float | None = None
    size_by_service: Mapping[str, float] = field(default_factory=dict)
    units: tuple[str, ...] = ()  # further units of the original (cross-OPD innovations)

    @property
    def starts(self) -> dict[str, date]:
        """Every treated service -> the first day it changed (staggered adoptions)."""
        out = dict.fromkeys(self.services, self.applied_on)
        for adoption in self.adoptions:
            out.update(dict.fromkeys(adoption.services, adoption.on))
        return out


def month_start(start: date, months: int) -> date:
    """The first day of the month `months` after the first full month from `start`."""
    month = start.month - 1 + months + (1 if start.day > 1 else 0)
    return date(start.year + month // 12, month % 12 + 1, 1)


def _months_between(a: date, b: date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


def mean_returns(svc: SimService) -> float:
    officers = svc.officers
    return sum(o.returns for o in officers) / len(officers) if officers else 1.0


def returns_effect(svc: SimService, factor: float) -> float:
    """The change of first-time-right (a share) when the return probability is x `factor`."""
    spec = svc.spec
    return (1 - factor) * (1 - spec.p_reject) * spec.p_return * mean_returns(svc)


def wait_effect(svc: SimService, step: str, factor: float) -> float:
    """The change of the mean lead time (working days) when the wait before `step` (a pile:
    mean >= 0.5 working days before and after) is x `factor`."""
    spec = svc.spec
    std = svc.standards[-1]
    names = [name for _sid, name, _m in std.steps]
    index = names.index(step)
    mean = std.bottleneck.get(index, 0.5 if index == std.sign else spec.wait)
    if mean < 0.5 or mean * factor < 0.5:
        raise ValueError(f"{spec.code}/{step}: the wait formula needs piles before and after")
    reach = 1 - spec.p_reject - ABANDON * spec.p_return * mean_returns(svc)
    return (factor - 1) * 0.9 * LOGNORMAL_MEAN * mean * reach


def _weighted(sizes: Mapping[str, float], weights: Mapping[str, float]) -> float | None:
    total = sum(weights[s] for s in sizes)
    return sum(sizes[s] * weights[s] for s in sizes) / total if total else None


def plan_innovations(
    services: Sequence[SimService], *, start: date, until: date
) -> list[PlannedInnovation]:
    """The six planted innovations over the services present in `services` (a test may
    simulate only some), with their sizes; sets the services' `returns_changes` and
    `wait_changes`. Innovations with fewer than five of their services present are left out
    (the demo always has all of them)."""
    by_code = {s.spec.code: s for s in services}

    def present(codes: Sequence[str]) -> tuple[str, ...]:
        return tuple(c for c in codes if c in by_code)

    def post_weight(code: str, on: date) -> float:
        return by_code[code].spec.volume * max(0, _months_between(on, until))

    planned: list[PlannedInnovation] = []

    # A: online pre-check, staggered over the three kecamatan that offer the services.
    kec = ("domisili", "ahli-waris")
    a_on = month_start(start, A_AT)
    own = present([f"kec-sukamaju-{k}" for k in kec])
    adoptions = tuple(
        Adoption(unit, present([f"{unit}-{k}" for k in kec]), month_start(start, months))
        for unit, months in A_REPLICATIONS
    )
    a_all = {**dict.fromkeys(own, a_on), **{c: ad.on for ad in adoptions for c in ad.services}}
    if len(a_all) >= 5:
        sizes = {c: returns_effect(by_code[c], A_FACTOR) for c in a_all}
        for code, on in a_all.items():
            svc = by_code[code]
            svc.returns_changes = (
                *svc.returns_changes,
                ServiceReturnsChange(on.toordinal(), A_FACTOR),
            )
        planned.append(
            PlannedInnovation(
                "A", A_NAME, "kec-sukamaju", own, a_on, FIRST_TIME_RIGHT, "returns", A_FACTOR,
                "improved", "civil_registration", Kind.DIGITAL, adoptions=adoptions,
                size=_weighted(sizes, {c: post_weight(c, on) for c, on in a_all.items()}),
                size_by_service=sizes,
            )
        )  # fmt: skip

    def wait_plan(
        key: str, name: str, unit: str, steps: Mapping[str, str], at: int, factor: float,
        urusan: str, units: tuple[str, ...] = (),
    ) -> None:  # fmt: skip
        codes = present(list(steps))
        if len(codes) < 5:
            return
        on = month_start(start, at)
        sizes = {c: wait_effect(by_code[c], steps[c], factor) for c in codes}
        for code in codes:
            svc = by_code[code]
            svc.wait_changes = (*svc.wait_changes, WaitChange(steps[code], on.toordinal(), factor))
        planned.append(
            PlannedInnovation(
                key, name, unit, codes, on, LEAD_TIME, "wait", factor, "improved", urusan,
                Kind.DIGITAL, steps={c: steps[c] for c in codes},
                size=_weighted(sizes, {c: post_weight(c, on) for c in codes}),
                size_by_service=sizes, units=units,
            )
        )  # fmt: skip

    sign = "Penandatanganan Kepala DPMPTSP"
    wait_plan(
        "B", B_NAME, "dpmptsp-mpp",
        {c: sign for c in ("dpmptsp-pbg", "dpmptsp-sip-dokter", "dpmptsp-sipb", "dpmptsp-sipp",
                           "dpmptsp-slf", "dpmptsp-apotek")},
        B_AT, B_FACTOR, "investment",
    )  # fmt: skip
    wait_plan(
        "C", C_NAME, "dinsos-linjamsos",
        {
            "dinsos-sktm": "Verifikasi lapangan",
            "dpmptsp-reklame": "Peninjauan lokasi",
            "dishub-trayek": "Kajian kebutuhan trayek",
            "rsud-resume-medis": "Pengisian resume oleh DPJP",
            "dinkes-slhs": "Uji laboratorium sampel",
        },
        C_AT, C_FACTOR, "social",
        units=("dpmptsp-mpp", "dishub", "rsud-rekam-medis", "dinkes-kesmas"),
    )  # fmt: skip

    # Two innovations that change nothing the log can show.
    for key, name, unit, codes, at, urusan, units in (
        ("null", NULL_NAME, "disdik-dikdas",
         ("disdik-legalisir-ijazah", "disdik-pengganti-ijazah", "disdik-mutasi-siswa",
          "dinsos-pbi", "dishub-kir"), NULL_AT, "education",
         ("dinsos-linjamsos", "dishub-uptd-pkb")),
        ("null2", NULL2_NAME, "rsud-rekam-medis",
         ("rsud-sks", "pkm-sukamaju-sks", "pkm-cibening-sks", "pkm-gunungsari-sks",
          "pkm-sukamaju-rujukan"), NULL2_AT, "health",
         ("pkm-sukamaju", "pkm-cibening", "pkm-gunungsari")),
    ):  # fmt: skip
        got = present(codes)
        if len(got) >= 5:
            planned.append(
                PlannedInnovation(
                    key, name, unit, got, month_start(start, at), LEAD_TIME, "none", 1.0,
                    "no_claim", urusan, Kind.NON_DIGITAL, units=units,
                )
            )  # fmt: skip

    # The drift: dukcapil's verification wait shrinking month by month, the innovation dated
    # in the middle of it.
    drift_codes = present(
        ("dukcapil-ktp-el", "dukcapil-kia", "dukcapil-pindah-datang", "dukcapil-pindah",
         "dukcapil-akta-lahir")
    )  # fmt: skip
    if len(drift_codes) >= 5:
        d_from, d_until = month_start(start, DRIFT_FROM), month_start(start, DRIFT_UNTIL)
        step = "Verifikasi berkas"
        for code in drift_codes:
            svc = by_code[code]
            drift = WaitDrift(step, d_from.toordinal(), d_until.toordinal(), DRIFT_FACTOR)
            svc.wait_changes = (*svc.wait_changes, drift)
        planned.append(
            PlannedInnovation(
                "drift", DRIFT_NAME, "dukcapil-loket-dafduk", drift_codes,
                month_start(start, DRIFT_AT), LEAD_TIME, "drift", DRIFT_FACTOR, "pre_trend",
                "civil_registration", Kind.NON_DIGITAL,
                steps=dict.fromkeys(drift_codes, step), drift_from=d_from, drift_until=d_until,
                units=("dukcapil-loket-capil",),
            )
        )  # fmt: skip
        # What made the waits shrink: more verification officers, added month by month from
        # the drift's start, registered as an innovation of its own (measured as any other).
        # Its services are then comparisons for the other innovations only before the drift.
        planned.append(
            PlannedInnovation(
                "ramp", RAMP_NAME, "dukcapil-loket-dafduk", drift_codes, d_from, LEAD_TIME,
                "registered", DRIFT_FACTOR, "no_claim", "civil_registration", Kind.NON_DIGITAL,
                steps=dict.fromkeys(drift_codes, step), units=("dukcapil-loket-capil",),
            )
        )  # fmt: skip
    planned.extend(version_innovations(services, start=start))
    return planned


# The changes of the service standards the demo plants (`content.ServiceSpec.versions`) were
# innovations too: registered as applied innovations on their services from the new version's
# first day. Measured like any other (one or two services: too few to conclude), and their
# services are comparisons only until then. Not planted effects: no PlantedPattern.
VERSION_INNOVATIONS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("nib-oss", "NIB Terbit Otomatis melalui OSS RBA", "dpmptsp-mpp", ("dpmptsp-nib",)),
    ("tte-akta", "Tanda Tangan Elektronik Akta Kelahiran", "dukcapil-loket-capil",
     ("dukcapil-akta-lahir",)),
    ("maklumat-dafduk", "Maklumat Percepatan Layanan KTP-el dan Kartu Keluarga",
     "dukcapil-loket-dafduk", ("dukcapil-ktp-el", "dukcapil-kk")),
)  # fmt: skip


def version_innovations(services: Sequence[SimService], *, start: date) -> list[PlannedInnovation]:
    """The standard-version changes as applied innovations (dated as the builder dates the
    versions: months after the first day of the start's month)."""
    by_code = {s.spec.code: s for s in services}
    out = []
    for key, name, unit, codes in VERSION_INNOVATIONS:
        got = tuple(c for c in codes if c in by_code and by_code[c].spec.versions)
        if not got:
            continue
        months_in = by_code[got[0]].spec.versions[0].months_in
        first = start.replace(day=1)
        month = first.month - 1 + months_in
        on = date(first.year + month // 12, month % 12 + 1, 1)
        out.append(
            PlannedInnovation(
                key, name, unit, got, on, LEAD_TIME, "registered", 1.0, "no_claim",
                "civil_registration" if unit.startswith("dukcapil") else "investment",
                Kind.DIGITAL,
            )
        )  # fmt: skip
    return out


# --- the rows -----------------------------------------------------------------------------------

_TEXT: dict[str, dict[str, str]] = {
    "A": {
        "goals": "Mengurangi berkas yang dikembalikan untuk diperbaiki pada layanan surat "
        "keterangan domisili dan pengesahan ahli waris di kecamatan.",
        "benefits": "Pemohon mengetahui kekurangan berkas sebelum datang ke kantor kecamatan, "
        "sehingga tidak perlu bolak-balik.",
        "results": "Berkas yang dikembalikan untuk diperbaiki turun; direplikasi oleh "
        "Kecamatan Cibening dan Kecamatan Gunungsari.",
    },
    "B": {
        "goals": "Mempersingkat waktu tunggu penandatanganan izin oleh Kepala DPMPTSP.",
        "benefits": "Izin dapat ditandatangani secara elektronik dari mana saja, tanpa "
        "menunggu Kepala Dinas berada di kantor.",
        "results": "Waktu penyelesaian izin praktik, NIB dan PBG lebih singkat.",
    },
    "C": {
        "goals": "Menandai berkas yang tertahan terlalu lama pada langkah paling lambat "
        "(peninjauan lapangan, kajian, pengisian resume, uji laboratorium).",
        "benefits": "Pimpinan unit melihat setiap pagi berkas yang menunggu lebih dari batas "
        "waktu dan dapat menugaskan petugas pengganti.",
        "results": "Waktu tunggu pada langkah paling lambat berkurang.",
    },
    "null": {
        "goals": "Membuat ruang tunggu lebih nyaman bagi pemohon yang membawa anak.",
        "benefits": "Pemohon dan anak menunggu dengan nyaman.",
        "results": "Ruang tunggu lebih tertib.",
    },
    "null2": {
        "goals": "Memberi informasi nomor antrean yang sedang dilayani.",
        "benefits": "Pasien mengetahui giliran dilayani.",
        "results": "Papan informasi terpasang di loket pendaftaran.",
    },
    "nib-oss": {
        "goals": "NIB terbit otomatis dari sistem OSS RBA tanpa menunggu tanda tangan.",
        "benefits": "Pelaku usaha menerima NIB pada hari yang sama.",
        "results": "Langkah penandatanganan dihapus dari standar pelayanan.",
    },
    "tte-akta": {
        "goals": "Mengganti tanda tangan basah Kepala Dinas pada akta kelahiran dengan TTE.",
        "benefits": "Akta kelahiran dapat dicetak tanpa menunggu Kepala Dinas.",
        "results": "Jangka waktu layanan turun dari 5 menjadi 3 hari kerja.",
    },
    "maklumat-dafduk": {
        "goals": "Mempercepat jangka waktu layanan KTP-el dan KK dari 3 menjadi 2 hari kerja.",
        "benefits": "Pemohon menerima dokumen kependudukan lebih cepat.",
        "results": "Standar pelayanan baru ditetapkan dan diumumkan melalui maklumat.",
    },
    "ramp": {
        "goals": "Menambah petugas verifikasi berkas kependudukan secara bertahap setiap bulan.",
        "benefits": "Antrean verifikasi berkas berkurang sedikit demi sedikit.",
        "results": "Waktu tunggu verifikasi turun bertahap selama lebih dari setahun.",
    },
    "drift": {
        "goals": "Memilah antrean verifikasi berkas kependudukan menurut jenis layanan.",
        "benefits": "Berkas sederhana tidak menunggu di belakang berkas yang rumit.",
        "results": "Waktu penyelesaian dokumen kependudukan lebih singkat.",
    },
}


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


def plant_innovations(
    *, build: DemoBuild, planned: Sequence[PlannedInnovation], agency: Agency
) -> list[Innovation]:
    """Write the planned innovations (stage application, with their history), their
    in-agency replications and the PlantedPattern rows with the planted sizes."""
    units = {u.code: u for u in Unit.objects.filter(agency=agency)}
    services = {s.code: s for s in Service.objects.filter(unit__agency=agency)}
    made: list[Innovation] = []
    for p in planned:
        applied = p.applied_on
        trial = applied - timedelta(days=91)
        initiated = applied - timedelta(days=213)
        text = _TEXT[p.key]
        innovation = Innovation.objects.create(
            agency=agency,
            name=p.name,
            initiator=Initiator.ASN if p.key in ("A", "C") else Initiator.UNIT,
            initiator_name=units[p.unit].name,
            form=Form.PUBLIC_SERVICE,
            kind=p.kind,
            urusan=p.urusan,
            stage=Stage.APPLIED,
            initiated_on=initiated,
            trial_on=trial,
            applied_on=applied,
            design=design_text(p, units),
            goals=text["goals"],
            benefits=text["benefits"],
            results=text["results"],
            video_url=video_url(p.name),
            # Its planted KPI is the one it was meant to change: its primary outcome.
            target_kpi=p.kpi,
            created_at=_aware(initiated),
            updated_at=_aware(applied),
        )
        innovation.units.set([units[k] for k in (p.unit, *p.units) if k in units])
        innovation.services.set([services[c] for c in p.services if c in services])
        StageChange.objects.bulk_create(
            StageChange(innovation=innovation, stage=stage, on=on, at=_aware(on), note=note)
            for stage, on, note in (
                (Stage.INITIATIVE, initiated, "Ditetapkan sebagai inisiatif inovasi"),
                (Stage.TRIAL, trial, "Uji coba terbatas"),
                (Stage.APPLIED, applied, "Diterapkan penuh"),
            )
        )
        Replication.objects.bulk_create(
            Replication(
                original=innovation,
                adopter_unit=units[a.unit],
                adopted_on=a.on,
                note=f"Direplikasi pada layanan {', '.join(a.services)}",
                recorded_at=_aware(a.on),
            )
            for a in p.adoptions
        )
        made.append(innovation)
    PlantedPattern.objects.bulk_create(
        PlantedPattern(
            build=build,
            kind=PlantedPattern.Kind.INNOVATION_EFFECT,
            subject=p.name,
            detail=pattern_detail(p),
        )
        for p in planned
        if p.change != "registered"
    )
    return made


def video_url(name: str) -> str:
    """A stable, made-up video link of the innovation's name."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    digest = hashlib.sha256(name.encode()).digest()
    return "https://www.youtube.com/watch?v=" + "".join(alphabet[b % 64] for b in digest[:11])


def pattern_detail(p: PlannedInnovation) -> dict[str, Any]:
    """The ground truth of one planted innovation, as stored in PlantedPattern.detail."""
    return {
        "key": p.key,
        "kpi": p.kpi,
        "change": p.change,
        "factor": p.factor,
        "expect": p.expect,
        # In the KPI's unit: a share for first-time-right, working days for lead time.
        "planted_size": None if p.size is None else round(p.size, 6),
        "size_by_service": {c: round(v, 6) for c, v in p.size_by_service.items()},
        "starts": {c: d.isoformat() for c, d in sorted(p.starts.items())},
        "steps": dict(p.steps),
        "drift_from": p.drift_from.isoformat() if p.drift_from else None,
        "drift_until": p.drift_until.isoformat() if p.drift_until else None,
    }


def design_text(p: PlannedInnovation, units: Mapping[str, Unit]) -> str:
    """A rancang bangun of more than 300 words for a planted innovation."""
    unit = units[p.unit].name if p.unit in units else p.unit
    text = _TEXT[p.key]
    return design_text_for(unit, text["goals"], text["benefits"], text["results"])


def design_text_for(unit: str, goals: str, benefits: str, results: str) -> str:
    """A rancang bangun of more than 300 words around the innovation's own sentences."""
    text = {"goals": goals, "benefits": benefits, "results": results}
    paragraphs = [
        f"Latar belakang. {unit} melayani ribuan permohonan setiap tahun. Analisis data "
        "layanan pada sigap menunjukkan bahwa sebagian besar waktu penyelesaian habis untuk "
        "menunggu, bukan untuk memproses berkas. Keluhan masyarakat yang masuk melalui "
        "SP4N-LAPOR! dan survei kepuasan masyarakat juga menyebut lamanya waktu tunggu dan "
        "berkas yang harus diperbaiki berulang kali. Kondisi ini merugikan pemohon yang harus "
        "datang lebih dari sekali dan menambah beban petugas loket.",
        f"Tujuan. {text['goals']} Inovasi ini juga ditujukan untuk menjadi contoh perbaikan "
        "layanan berbasis data yang dapat direplikasi oleh perangkat daerah lain di Kabupaten "
        "Sukamaju maupun oleh pemerintah daerah lain.",
        "Ide dan penyaringan. Gagasan berasal dari usulan pegawai pelaksana yang setiap hari "
        "menghadapi pemohon. Usulan dibahas dalam rapat internal unit, dibandingkan dengan "
        "beberapa alternatif, lalu dipilih karena biayanya rendah, dapat segera dijalankan dan "
        "manfaatnya dapat diukur dari data layanan yang sudah tercatat.",
        "Rancangan. Inovasi dijalankan dalam tiga tahap: inisiatif, uji coba terbatas dan "
        "penerapan penuh. Pada tahap uji coba, petugas mencatat setiap kendala dan memperbaiki "
        "prosedur kerja. Standar pelayanan dan SOP disesuaikan sehingga langkah yang berubah "
        "tercantum jelas, dan petugas mendapat bimbingan teknis singkat sebelum penerapan.",
        f"Manfaat. {text['benefits']} Bagi unit layanan, beban kerja lebih merata dan "
        "pimpinan dapat memantau kinerja layanan setiap bulan.",
        f"Hasil dan pengukuran. {text['results']} Dampaknya diukur dengan membandingkan "
        "layanan yang berubah dengan layanan pembanding yang tidak berubah, sebelum dan "
        "sesudah tanggal penerapan, sehingga perubahan yang terjadi di semua layanan tidak "
        "dihitung sebagai hasil inovasi. Monitoring dan evaluasi dilakukan setiap triwulan "
        "bersama Bagian Organisasi, dan hasilnya dilaporkan kepada Bupati.",
        "Keberlanjutan. Inovasi ditetapkan dengan keputusan kepala perangkat daerah, "
        "anggarannya dimasukkan dalam DPA tahun berikutnya, dan pedoman teknisnya diterbitkan "
        "dalam bentuk buku elektronik agar dapat dipelajari oleh unit lain yang ingin "
        "mereplikasi.",
    ]
    return "\n\n".join(paragraphs)


__all__ = [
    "A_FACTOR",
    "B_FACTOR",
    "C_FACTOR",
    "FIRST_TIME_RIGHT",
    "LEAD_TIME",
    "Adoption",
    "PlannedInnovation",
    "design_text_for",
    "month_start",
    "pattern_detail",
    "plan_innovations",
    "plant_innovations",
    "returns_effect",
    "video_url",
    "wait_effect",
]
