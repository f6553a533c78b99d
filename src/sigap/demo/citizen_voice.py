"""Demo citizen voice: SKM responses and complaints for the demo's existing service requests.

`build_citizen_voice(seed=..., until=...)` is deterministic for a seed, an end date and the same
requests, bulk-inserts everything, and returns the ground truth of what it planted:

* answers follow what happened to the request: late requests score low on *waktu*, overcharged
  ones low on *biaya*; one unit (the MPP front office, or the busiest unit) is slow on *waktu*
  everywhere, so its weakest unsur is Waktu;
* complaints come mostly from late or overcharged requests; *pungli* complaints name the officer
  who overcharged, so they concentrate on the few overcharging officers;
* one unit (Dinsos, or the second busiest) is slow to follow complaints up (6–12 working days
  instead of 1–4), so it fills the overdue list.

The demo command calls it after the requests exist, and `wipe_citizen_voice` before it deletes
requests or units (both tables point at them).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sigap.catalogue.models import ServiceStandard
from sigap.complaints.models import (
    Actor,
    Category,
    Channel,
    Complaint,
    ComplaintEvent,
    Status,
)
from sigap.organisation.models import Agency, Unit
from sigap.organisation.services import agency_calendar
from sigap.payments.selectors import paid_by_request
from sigap.rules.ikm import ELEMENT_CODES
from sigap.rules.sp4n import auto_close_date, follow_up_due, verification_due
from sigap.service_requests.models import ServiceRequest
from sigap.service_requests.models import Status as RequestStatus
from sigap.service_requests.services import RECEIPT_ALPHABET
from sigap.surveys.models import Education, Occupation, SurveyChannel, SurveyResponse

WAKTU_UNIT = "dpmptsp-mpp"
SLOW_FOLLOW_UP_UNIT = "dinsos-linjamsos"
BATCH = 5000

COMMENTS = {
    "good": [
        "Pelayanan cepat dan ramah, terima kasih.",
        "Petugas sangat membantu menjelaskan persyaratan.",
        "Ruang tunggu bersih dan nyaman.",
    ],
    "slow": [
        "Antrean terlalu lama, mohon ditambah petugas.",
        "Janji selesai 3 hari ternyata lebih dari seminggu.",
        "Proses terlalu lama, harus bolak-balik.",
    ],
    "cost": [
        "Diminta biaya tambahan yang tidak ada di papan tarif.",
        "Katanya gratis tapi tetap bayar.",
    ],
    "other": [
        "Persyaratan di website berbeda dengan di loket.",
        "Mohon disediakan tempat parkir yang lebih luas.",
        "Informasi alur pelayanan kurang jelas.",
    ],
}
COMPLAINT_TEXT = {
    Category.PUNGLI: "Saya diminta membayar Rp{amount} di luar tarif resmi agar berkas cepat.",
    Category.SLOWNESS: "Permohonan saya sudah lewat tanggal janji dan belum selesai.",
    Category.BEHAVIOUR: "Petugas berbicara kasar ketika saya bertanya.",
    Category.REQUIREMENTS: "Persyaratan yang diminta berbeda dengan yang diumumkan.",
    Category.DISCRIMINATION: "Warga lain yang datang belakangan dilayani lebih dulu.",
    Category.OTHER: "Loket tutup sebelum jam pelayanan berakhir.",
}


@dataclass
class CitizenVoiceSummary:
    surveys: int = 0
    complaints: int = 0
    complaint_events: int = 0
    # Ground truth, as (kind, subject, detail) for the demo's PlantedPattern table.
    patterns: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)


def wipe_citizen_voice(*, agency_ids: list[int]) -> None:
    """Delete the demo's survey responses and complaints (call before deleting requests)."""
    units = Unit.objects.filter(agency_id__in=agency_ids)
    complaints = Complaint.objects.filter(unit__in=units)
    ComplaintEvent.objects.filter(complaint__in=complaints).delete()
    Complaint.objects.filter(escalated_to__in=units).update(escalated_to=None)
    complaints.delete()
    SurveyResponse.objects.filter(unit__in=units).delete()


def _score(rng: random.Random, mean: float) -> int:
    return max(1, min(4, round(rng.gauss(mean, 0.55))))


def _code(rng: random.Random) -> str:
    return "".join(rng.choice(RECEIPT_ALPHABET) for _ in range(10))


def _moment(day: date, rng: random.Random) -> datetime:
    tz = timezone.get_current_timezone()
    return datetime.combine(day, time(8 + rng.randrange(8), rng.randrange(60)), tzinfo=tz)


def build_citizen_voice(
    *,
    seed: int,
    until: date,
    agency: Agency | None = None,
    response_rate: float = 0.12,
    anonymous_share: float = 0.2,
    complaint_rate: float = 0.012,
    progress: Callable[[str, int], Callable[[int], None]] | None = None,
    overcharged: Mapping[int, int] | None = None,
) -> CitizenVoiceSummary:
    """Bulk-insert SKM responses and complaints for the finished demo requests before `until`.

    `overcharged` maps a request id to what its applicant paid above the tariff (the demo's
    planted truth: most of it never reaches a payment reference); without it, the reconciled
    payments above the tariff say it."""
    rng = random.Random(f"citizen-voice-{seed}")
    summary = CitizenVoiceSummary()
    tz = timezone.get_current_timezone()
    end = datetime.combine(until, time.min, tzinfo=tz)
    requests = ServiceRequest.objects.filter(submitted_at__lt=end)
    if agency is not None:
        requests = requests.filter(unit__agency=agency)
    excess_of: Mapping[int, int] = overcharged or {}
    if overcharged is None:
        tariffs = dict(ServiceStandard.objects.values_list("id", "tariff_rupiah"))
        standard_of = dict(requests.values_list("id", "standard_id"))
        excess_of = {
            pk: paid - int(tariffs[standard_of[pk]] or 0)
            for pk, paid in paid_by_request(Q(request__in=requests)).items()
            if paid > int(tariffs[standard_of[pk]] or 0)
        }
    rows = list(
        requests.order_by("id").values_list(
            "id", "service_id", "unit_id", "standard_id", "status", "submitted_at", "finished_at",
            "due_date", "assigned_officer_id", "applicant_gender",
            "applicant_age_band",
        )
    )  # fmt: skip
    if not rows:
        return summary
    units = {u.pk: u for u in Unit.objects.filter(pk__in={r[2] for r in rows})}
    busiest = [u for u, _ in Counter(r[2] for r in rows).most_common()]
    by_code = {u.code: u.pk for u in units.values()}
    waktu_unit = by_code.get(WAKTU_UNIT, busiest[0])
    slow_unit = by_code.get(SLOW_FOLLOW_UP_UNIT, busiest[min(1, len(busiest) - 1)])

    advance = progress("SKM", len(rows)) if progress else (lambda _n: None)
    surveys: list[SurveyResponse] = []
    complaint_rows: list[tuple[Any, ...]] = []
    overcharges: Counter[int] = Counter()
    for i, (pk, service_id, unit_id, _std_id, status, submitted, finished, due, officer,
            gender, age) in enumerate(rows):  # fmt: skip
        excess = excess_of.get(pk, 0)
        overpaid = excess > 0
        if overpaid and officer:
            overcharges[officer] += 1
        finished_day = timezone.localtime(finished).date() if finished else None
        late = finished_day is not None and finished_day > due
        if (
            status == RequestStatus.COMPLETED
            and finished_day is not None
            and rng.random() < response_rate
        ):
            means = dict.fromkeys(ELEMENT_CODES, 3.25)
            means["sarana"], means["pengaduan"] = 3.1, 3.0
            if late:
                means["waktu"] = 2.1
            if unit_id == waktu_unit:
                means["waktu"] = min(means["waktu"], 2.4)
            if overpaid:
                means["biaya"], means["perilaku"] = 1.6, 2.6
            answers = {c: _score(rng, m) for c, m in means.items()}
            day = finished_day + timedelta(days=rng.choice((0, 0, 0, 1, 2)))
            if day >= until:
                continue
            anonymous = rng.random() < anonymous_share
            comment = ""
            if rng.random() < 0.15:
                pool = "cost" if overpaid else "slow" if late else rng.choice(("good", "other"))
                comment = rng.choice(COMMENTS[pool])
            surveys.append(
                SurveyResponse(
                    service_id=service_id,
                    unit_id=unit_id,
                    service_request_id=None if anonymous else pk,
                    submitted_at=_moment(day, rng),
                    channel=SurveyChannel.QR if anonymous else SurveyChannel.RECEIPT,
                    comment=comment,
                    gender=gender if rng.random() < 0.9 else "",
                    age_band=age,
                    education=rng.choice(Education.values),
                    occupation=rng.choice(Occupation.values),
                    **answers,
                )
            )
        # Complaints: from overpaid and late requests mostly, a trickle from the rest.
        chance = complaint_rate + (0.25 if overpaid else 0) + (0.04 if late else 0)
        if rng.random() < chance:
            if overpaid:
                category = Category.PUNGLI
            elif late:
                category = Category.SLOWNESS
            else:
                category = rng.choice(
                    [Category.BEHAVIOUR, Category.REQUIREMENTS, Category.DISCRIMINATION,
                     Category.OTHER, Category.SLOWNESS]
                )  # fmt: skip
            complaint_rows.append((pk, service_id, unit_id, category, submitted, officer, excess))
        if i % 1000 == 999:
            advance(1000)
    advance(len(rows) % 1000)
    with transaction.atomic():
        SurveyResponse.objects.bulk_create(surveys, batch_size=BATCH)
    summary.surveys = len(surveys)

    summary.complaints, summary.complaint_events = _complaints(
        rng, complaint_rows, units, slow_unit, until
    )
    overchargers = [o for o, n in overcharges.most_common() if n >= 3][:5]
    summary.patterns = [
        ("ikm_weakest_unsur", units[waktu_unit].code, {"unsur": "waktu"}),
        ("slow_complaint_follow_up", units[slow_unit].code, {"follow_up_working_days": [6, 12]}),
        ("pungli_complaints", "officers", {"employee_ids": overchargers}),
    ]
    return summary


Step = tuple[str, str, str, datetime, str, str]


def _step(
    c: Complaint, steps: list[Step], horizon: datetime, action: str, to: str, when: datetime,
    actor: str = Actor.STAFF, note: str = "",
) -> bool:  # fmt: skip
    """Record one move of the simulated complaint unless it would happen after the horizon."""
    if when >= horizon:
        return False
    steps.append((action, c.status, to, when, actor, note))
    c.status, c.last_event_at = to, when
    return True


def _complaints(
    rng: random.Random,
    rows: list[tuple[Any, ...]],
    units: dict[int, Unit],
    slow_unit: int,
    until: date,
) -> tuple[int, int]:
    complaints: list[Complaint] = []
    plans: list[list[Step]] = []
    tz = timezone.get_current_timezone()
    horizon = datetime.combine(until, time.min, tzinfo=tz)
    for pk, service_id, unit_id, category, submitted, officer, excess in rows:
        unit = units[unit_id]
        cal = agency_calendar(unit.agency_id)
        at = submitted + timedelta(hours=rng.randrange(2, 72))
        if at >= horizon:
            continue
        day = timezone.localtime(at).date()
        text = COMPLAINT_TEXT[category].format(
            amount=f"{max(int(excess), 20000):,}".replace(",", ".")
        )
        # Drawn in this order (the same as before the demo contact), so a seed gives the same demo.
        code = _code(rng)
        channel = rng.choice([Channel.WEB, Channel.WEB, Channel.COUNTER, Channel.OPEN311])
        anonymous = category == Category.PUNGLI and rng.random() < 0.5
        name = "" if rng.random() < 0.3 else "Warga pelapor"
        c = Complaint(
            receipt_code=code,
            category=category,
            unit_id=unit_id,
            service_id=service_id,
            service_request_id=pk,
            reported_employee_id=officer if category == Category.PUNGLI else None,
            description=text,
            channel=channel,
            is_anonymous=anonymous,
            is_confidential=category == Category.PUNGLI,
            reporter_name=name,
            # A demo contact, so staff can try issuing a new reporter link: demo complaints,
            # like those filed before reporter secrets, have none (docs/citizen-voice.md).
            reporter_contact="0812-0000-0000 (demo)" if name and not anonymous else "",
            submitted_at=at,
            verify_due=verification_due(cal, day),
            status=Status.DITERIMA,
            last_event_at=at,
        )
        steps: list[Step] = [("submit", "", Status.DITERIMA, at, Actor.REPORTER, "")]

        step = partial(_step, c, steps, horizon)
        verified = _moment(cal.add_working_days(day, rng.choice((0, 1, 1, 2, 3))), rng)
        verified = max(verified, at + timedelta(minutes=30))
        if rng.random() < 0.05:
            if step("archive", Status.DIARSIPKAN, verified, note="Duplikat laporan."):
                c.closed_at = verified
        elif step("verify", Status.TERVERIFIKASI, verified) and step(
            "forward", Status.DIDISPOSISIKAN, verified + timedelta(minutes=20)
        ):
            c.forwarded_at = c.last_event_at
            fwd_day = timezone.localtime(c.forwarded_at).date()
            c.follow_up_due = follow_up_due(cal, fwd_day)
            days = rng.randint(6, 12) if unit_id == slow_unit else rng.randint(1, 4)
            answered = _moment(cal.add_working_days(fwd_day, days), rng)
            if step("follow_up", Status.DITINDAKLANJUTI, answered,
                    note="Sudah ditindaklanjuti oleh kepala unit."):  # fmt: skip
                c.followed_up_at = answered
                c.auto_close_on = auto_close_date(cal, timezone.localtime(answered).date())
                if rng.random() < 0.6:
                    accepted = answered + timedelta(days=rng.randint(1, 5))
                    if step("close", Status.SELESAI, accepted, actor=Actor.REPORTER):
                        c.closed_at = accepted
                else:
                    closes = _moment(c.auto_close_on, rng)
                    if step("auto_close", Status.SELESAI, closes, actor=Actor.SYSTEM):
                        c.closed_at = closes
        c.event_count = len(steps)
        complaints.append(c)
        plans.append(steps)
    with transaction.atomic():
        Complaint.objects.bulk_create(complaints, batch_size=BATCH)
        codes = [c.receipt_code for c in complaints]
        ids = dict(
            Complaint.objects.filter(receipt_code__in=codes).values_list("receipt_code", "id")
        )
        events = [
            ComplaintEvent(
                complaint_id=ids[c.receipt_code], seq=seq, action=action, from_status=old,
                to_status=new, actor=actor, note=note, timestamp=when,
                unit_id=c.unit_id if action == "forward" else None,
            )
            for c, steps in zip(complaints, plans, strict=True)
            for seq, (action, old, new, when, actor, note) in enumerate(steps, start=1)
        ]  # fmt: skip
        ComplaintEvent.objects.bulk_create(events, batch_size=BATCH)
    return len(complaints), len(events)
