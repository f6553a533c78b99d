"""Demo extension: SKP plans, ratings, potential scores, org ratings and absences for the demo
kabupaten, deterministic for a seed.

Call it after the service requests exist (it first computes the evidence of `year` from them):

    from sigap.demo.appraisals import build_appraisals, wipe_appraisals
    summary = build_appraisals(seed=options.seed, year=until.year - 1, agency=agency)

and `wipe_appraisals(agency_ids=...)` before raw-deleting employees or units (its rows point at
them). Planted pattern: in a few service units with the weakest evidence, everyone is rated
Sangat Baik or Baik (inflation); everywhere else ratings follow the evidence with noise, so the
calibration page shows a positive correlation and flags exactly the planted units.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from sigap.analytics.calibration import percentile_ranks
from sigap.appraisals import conf
from sigap.appraisals.evidence import evidence_refresh
from sigap.appraisals.models import (
    YEARLY,
    AbsenceRecord,
    Appraisal,
    AppraisalCorrection,
    AppraisalHistory,
    EvidenceSnapshot,
    OrgRating,
    PerformancePlan,
    PlanIndicator,
    PlanResult,
    PotentialScore,
)
from sigap.organisation.models import Agency, Employee, Position, Unit
from sigap.organisation.services import agency_calendar
from sigap.rules.skp import Rating, evaluation_periods, predikat

A, S, B = Rating.DI_ATAS.value, Rating.SESUAI.value, Rating.DI_BAWAH.value

OFFICER_RESULTS = [
    ("Permohonan layanan diselesaikan tepat waktu sesuai standar pelayanan",
     [("Persentase permohonan selesai dalam SLA", "≥ 90%", "sla_share"),
      ("Jumlah langkah layanan diselesaikan", "≥ 1.000 langkah", "throughput")]),
    ("Berkas diverifikasi dengan cermat sehingga tidak perlu dikembalikan berulang",
     [("Pengembalian berkas per permohonan", "≤ 0,10", "rework_rate"),
      ("Median waktu penanganan per langkah", "≤ 4 jam", "median_hours")]),
    ("Masyarakat puas terhadap layanan yang diberikan",
     [("IKM layanan yang ditangani", "≥ 82 (B)", "ikm"),
      ("Pengaduan tentang pegawai", "0 pengaduan terbukti", "complaints")]),
]  # fmt: skip
STAFF_RESULTS: dict[str, list[tuple[str, list[tuple[str, str, str]]]]] = {
    Position.Kind.STRUKTURAL: [
        ("Sasaran unit kerja tercapai sesuai perjanjian kinerja",
         [("Capaian indikator kinerja utama unit", "100%", ""),
          ("Rencana aksi triwulanan terlaksana", "4 dari 4 triwulan", "")]),
        ("Pegawai unit dibina dan kinerjanya dipantau",
         [("Dialog kinerja dengan setiap pegawai", "1 kali per triwulan", "")]),
    ],
    Position.Kind.FUNGSIONAL: [
        ("Butir kegiatan jabatan fungsional terlaksana sesuai standar",
         [("Dokumen hasil kerja jabatan fungsional", "12 dokumen", ""),
          ("Hasil kerja diterima tanpa revisi besar", "≥ 90%", "")]),
    ],
    Position.Kind.PELAKSANA: [
        ("Tugas administrasi unit terselesaikan tepat waktu",
         [("Surat dan dokumen diproses", "≥ 95% tepat waktu", ""),
          ("Arsip tertata sesuai tata naskah dinas", "100%", "")]),
    ],
}  # fmt: skip


@dataclass
class DemoAppraisals:
    year: int
    plans: int = 0
    appraisals: int = 0
    potential_scores: int = 0
    absences: int = 0
    evidence: int = 0
    inflated_units: list[str] = field(default_factory=list)
    absence_cases: dict[str, int] = field(default_factory=dict)  # NIP -> days (planted)


def wipe_appraisals(*, agency_ids: list[int]) -> None:
    """Delete the appraisal rows of these agencies (call before raw-deleting their employees)."""
    units = Unit.objects.filter(agency_id__in=agency_ids)
    plans = PerformancePlan.objects.filter(unit__in=units)
    AppraisalCorrection.objects.filter(appraisal__plan__in=plans).delete()
    AppraisalHistory.objects.filter(plan__in=plans).delete()
    Appraisal.objects.filter(plan__in=plans).delete()
    PlanIndicator.objects.filter(result__plan__in=plans).delete()
    PlanResult.objects.filter(plan__in=plans).update(parent=None)
    PlanResult.objects.filter(plan__in=plans).delete()
    plans.delete()
    for model in (PotentialScore, AbsenceRecord, EvidenceSnapshot, OrgRating):
        model.objects.filter(unit__in=units).delete()


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _honest(rng: random.Random, evidence: float | None) -> tuple[str, str, float]:
    """Ratings that follow the evidence (with a little rater noise); a latent 0..1 for potential."""
    if evidence is None:
        latent = min(1.0, max(0.0, rng.gauss(0.5, 0.2)))
    else:
        latent = min(1.0, max(0.0, evidence + rng.gauss(0, 0.08)))
    hasil = A if latent > 0.72 else B if latent < 0.25 else S
    if rng.random() < 0.03:
        perilaku = B  # the odd misconduct case, independent of output
    elif latent > 0.65 and rng.random() < 0.8:
        perilaku = A
    else:
        perilaku = S
    return hasil, perilaku, latent


@transaction.atomic
def build_appraisals(
    *,
    seed: int,
    year: int,
    agency: Agency | None = None,
    inflated_units: int = 3,
    min_unit_size: int = 4,
) -> DemoAppraisals:
    """Create the year's SKP data for the agency's employees (see the module docstring)."""
    rng = random.Random(f"appraisals-{seed}-{year}")
    summary = DemoAppraisals(year=year)
    summary.evidence = evidence_refresh(year=year, agency=agency)
    employees_qs = Employee.objects.select_related("unit", "position", "supervisor")
    if agency is not None:
        employees_qs = employees_qs.filter(unit__agency=agency)
    employees = [
        e
        for e in employees_qs.order_by("nip")
        if e.active_from <= date(year, 12, 31)
        and (e.active_until is None or e.active_until >= date(year, 1, 1))
    ]
    evidence: dict[int, float | None] = dict(
        EvidenceSnapshot.objects.filter(year=year, employee__in=employees).values_list(
            "employee_id", "composite"
        )
    )

    # The composite is a mean of percentiles, so it bunches around 0.5; raters judge people
    # against each other, so the demo rates on the composite's own percentile.
    with_evidence = [k for k, v in evidence.items() if v is not None]
    spread = dict(
        zip(with_evidence, percentile_ranks([evidence[k] for k in with_evidence]), strict=True)
    )

    # The planted units: the service units whose officers' evidence is weakest.
    by_unit: dict[int, list[Employee]] = defaultdict(list)
    for e in employees:
        by_unit[e.unit_id].append(e)
    candidates = []
    for unit_id, members in by_unit.items():
        unit_scores = [s for m in members if (s := evidence.get(m.pk)) is not None]
        if len(unit_scores) >= min_unit_size:
            candidates.append((sum(unit_scores) / len(unit_scores), unit_id))
    planted = {unit_id for _mean, unit_id in sorted(candidates)[:inflated_units]}
    units = Unit.objects.in_bulk(list(by_unit))
    summary.inflated_units = sorted(units[u].name for u in planted)

    kind = conf.period_kind()
    periods = len(evaluation_periods(kind, year))
    now = timezone.now()
    rated_at = timezone.make_aware(datetime.combine(date(year, 12, 31), time(15)))

    plans = PerformancePlan.objects.bulk_create(
        PerformancePlan(
            employee=e, unit_id=e.unit_id, year=year, rater=e.supervisor,
            period_kind=kind.value, status=PerformancePlan.Status.AGREED,
        )
        for e in employees
    )  # fmt: skip
    plan_of = {p.employee_id: p for p in plans}
    results: list[PlanResult] = []
    specs: list[list[tuple[str, str, str]]] = []
    for e in employees:
        template = (
            OFFICER_RESULTS
            if e.pk in evidence
            else STAFF_RESULTS.get(e.position.kind, STAFF_RESULTS[Position.Kind.PELAKSANA.value])
        )
        for order, (text, indicators) in enumerate(template, start=1):
            results.append(PlanResult(plan=plan_of[e.pk], order=order, text=text))
            specs.append(indicators)
    results = PlanResult.objects.bulk_create(results, batch_size=1000)
    PlanIndicator.objects.bulk_create(
        (
            PlanIndicator(result=r, text=t, target=target, evidence_key=key)
            for r, spec in zip(results, specs, strict=True)
            for t, target, key in spec
        ),
        batch_size=1000,
    )
    # Cascade: each result hangs from the supervisor's first result.
    first_result = {r.plan.employee_id: r for r in results if r.order == 1}
    cascaded = []
    for r in results:
        boss = r.plan.employee.supervisor_id
        if boss in first_result:
            r.parent = first_result[boss]
            cascaded.append(r)
    PlanResult.objects.bulk_update(cascaded, ["parent"], batch_size=1000)
    summary.plans = len(plans)

    appraisals: list[Appraisal] = []
    latent_of: dict[int, float] = {}
    for e in employees:
        plan = plan_of[e.pk]
        if e.unit_id in planted:
            top = rng.random() < 0.6
            hasil, perilaku = (A, A) if top else (_pick(rng, {A: 0.4, S: 0.6}), S)
            latent_of[e.pk] = min(1.0, max(0.0, (evidence.get(e.pk) or 0.3) + rng.gauss(0, 0.1)))
        else:
            hasil, perilaku, latent_of[e.pk] = _honest(rng, spread.get(e.pk))
        rater = e.supervisor.user_id if e.supervisor else None
        for period in [*range(1, periods + 1), YEARLY]:
            h, p = hasil, perilaku
            if period != YEARLY and rng.random() < 0.2:  # periods vary a little around the year
                h = _pick(rng, {A: 0.3, S: 0.5, B: 0.2})
            appraisals.append(
                Appraisal(
                    plan=plan, unit_id=e.unit_id, period=period, hasil_kerja=h,
                    perilaku_kerja=p, predikat=predikat(h, p).value,
                    status=Appraisal.Status.FINAL, rated_by_id=rater, rated_at=rated_at,
                    finalised_at=rated_at,
                )
            )  # fmt: skip
    Appraisal.objects.bulk_create(appraisals, batch_size=1000)
    AppraisalHistory.objects.bulk_create(
        (
            AppraisalHistory(plan=p, action="plan.create", at=now, detail={"demo": seed})
            for p in plans
        ),
        batch_size=1000,
    )
    summary.appraisals = len(appraisals)

    # Potential scores (e.g. an assessment centre) for most employees, tied to the latent.
    scores = []
    for e in employees:
        if rng.random() < 0.85:
            raw = 62 + 32 * latent_of[e.pk] + rng.gauss(0, 5)
            score = Decimal(str(round(min(99.0, max(40.0, raw)), 2)))
            scores.append(
                PotentialScore(
                    employee=e, unit_id=e.unit_id, year=year, score=score,
                    source="Uji kompetensi BKPSDM (demo)", imported_at=now,
                )
            )  # fmt: skip
    PotentialScore.objects.bulk_create(scores, batch_size=1000)
    summary.potential_scores = len(scores)

    # Organisation predikat: Baik for every unit with rated staff, Istimewa for a few.
    OrgRating.objects.bulk_create(
        OrgRating(
            unit_id=u, year=year, set_at=now,
            predikat="istimewa" if rng.random() < 0.15 and u not in planted else "baik",
        )
        for u in sorted(by_unit)
    )  # fmt: skip

    summary.absences, summary.absence_cases = _absences(rng, employees, year, now)
    return summary


def _absences(
    rng: random.Random, employees: list[Employee], year: int, now: datetime
) -> tuple[int, dict[str, int]]:
    """A few unexcused absences: scattered days for some, one long run, one heavy total."""
    if not employees:
        return 0, {}
    calendar = agency_calendar(employees[0].unit.agency_id)
    days = [
        date(year, 1, 1) + timedelta(days=i)
        for i in range((date(year + 1, 1, 1) - date(year, 1, 1)).days)
    ]
    working = [d for d in days if calendar.is_working_day(d)]
    chosen = rng.sample(employees, k=min(len(employees), max(3, len(employees) // 50)))
    plan: dict[Employee, list[date]] = {}
    for i, e in enumerate(chosen):
        if i == 0:  # 10 consecutive working days: PDHTAPS
            start = rng.randrange(0, len(working) - 10)
            plan[e] = working[start : start + 10]
        elif i == 1:  # 12 scattered days: tukin cut 25% for 6 months
            plan[e] = rng.sample(working, 12)
        else:
            plan[e] = rng.sample(working, rng.choice([1, 2, 3, 3, 4, 5, 7]))
    rows = [
        AbsenceRecord(
            employee=e, unit_id=e.unit_id, date=d, note="Tanpa keterangan (demo)", recorded_at=now
        )
        for e, dates in plan.items()
        for d in sorted(dates)
    ]
    AbsenceRecord.objects.bulk_create(rows, batch_size=1000)
    return len(rows), {e.nip: len(d) for e, d in plan.items()}
