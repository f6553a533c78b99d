"""Build (and wipe) the demo kabupaten: organisation, catalogue, log-ins, requests and events.

The small tables go through the ORM; the requests and events are written in bulk (see
`writer.py`). Everything random comes from one `random.Random(seed)`, so a seed and an end
date give the same data every time.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from sigap.accounts.models import Role, RoleAssignment
from sigap.accounts.services import seed_role_assignment
from sigap.applications.models import OnlineApplication
from sigap.appraisals.models import Appraisal
from sigap.catalogue.life_events import STANDARD_LIFE_EVENTS
from sigap.catalogue.models import LifeEvent, ProcedureStep, Service, ServiceStandard
from sigap.complaints.models import Complaint
from sigap.demo import content
from sigap.demo.appraisals import build_appraisals, wipe_appraisals
from sigap.demo.booking import build_bookings, wipe_bookings
from sigap.demo.citizen_voice import build_citizen_voice, wipe_citizen_voice
from sigap.demo.competency import (
    build_competency,
    competency_counts,
    competency_fingerprint_queries,
    wipe_competency,
)
from sigap.demo.consultation import build_consultations, wipe_consultations
from sigap.demo.innovation import build_innovation_registry, wipe_innovation
from sigap.demo.innovation_plant import plan_innovations, plant_innovations
from sigap.demo.models import DemoBuild, PlantedPattern
from sigap.demo.online import build_online, wipe_online
from sigap.demo.privacy import build_privacy, wipe_privacy
from sigap.demo.simulate import (
    DEVIATING_SERVICES,
    RequestRow,
    SimOfficer,
    SimService,
    SimStandard,
    Simulator,
)
from sigap.demo.tracking import generate_tracking_lookups
from sigap.demo.training_plant import plant_trainings
from sigap.demo.writer import BulkWriter
from sigap.documents.models import Document
from sigap.innovation.models import Idea, Innovation
from sigap.integrity.models import IntegritySignal
from sigap.notifications.models import Outbox
from sigap.notifications.models import State as MessageState
from sigap.organisation.models import PNS_RANKS, Agency, AgencySpecialDay, Employee, Position, Unit
from sigap.payments.models import Payment, Source, StatementImport
from sigap.rules.calendar import WorkingCalendar
from sigap.rules.nik import mask_nik
from sigap.rules.nip import make_nip
from sigap.service_requests.facts import request_facts_rebuild
from sigap.service_requests.models import (
    SUBMISSION_ACTIVITY,
    RequestFact,
    ServiceEvent,
    ServiceRequest,
    TrackingLookup,
)
from sigap.service_requests.services import nik_hash
from sigap.surveys.models import SurveyResponse

STREETS = ("Raya", "Merdeka", "Pahlawan", "Veteran", "Siliwangi")
DEMO_PASSWORD = "sukamaju-demo"  # demo-only, printed on purpose: not a secret


@dataclass(frozen=True)
class Login:
    username: str
    role: str
    unit_key: str
    label: str


LOGINS = [
    Login("demo.petugas", Role.OFFICER, "dukcapil-loket-dafduk", "Petugas loket Dukcapil"),
    Login("demo.kepala", Role.UNIT_HEAD, "dukcapil-loket-dafduk", "Kepala seksi (kepala unit)"),
    Login("demo.bkpsdm", Role.HR, "pemda", "Analis SDM BKPSDM"),
    Login("demo.inspektur", Role.INSPECTOR, "pemda", "Auditor Inspektorat"),
    Login("demo.ombudsman", Role.OMBUDSMAN, "pemda", "Asisten Ombudsman RI Perwakilan"),
    Login("demo.pimpinan", Role.LEADERSHIP, "pemda", "Sekretaris Daerah"),
    Login("demo.admin", Role.ADMIN, "pemda", "Administrator sistem (superuser)"),
    Login("demo.kasir", Role.CASHIER, "pemda", "Bendahara penerimaan (kasir)"),
]

REQUEST_COLUMNS = (
    "id", "receipt_code", "service_id", "standard_id", "unit_id", "channel", "applicant_name",
    "applicant_contact", "applicant_nik_masked", "applicant_nik_hash", "region_kecamatan",
    "region_desa", "applicant_gender", "applicant_disability", "applicant_age_band", "status",
    "current_step_id", "assigned_officer_id", "submitted_at", "due_date", "finished_at",
    "paused_working_days", "paused_since", "last_event_at", "event_count",
)  # fmt: skip
PAYMENT_COLUMNS = (
    "id", "source", "reference", "amount", "paid_at", "unit_id", "description", "request_id",
    "reconciled_at", "reconciled_by_id", "recorded_by_id", "recorded_at", "statement_id",
    "statement_line",
)  # fmt: skip
EVENT_COLUMNS = (
    "id", "request_id", "seq", "activity", "step_id", "officer_id", "timestamp", "outcome", "note",
)  # fmt: skip

# Officers with planted traits, by (unit, index among the unit's service officers).
# Index 0 of the Dukcapil counter is the demo officer and stays ordinary.
SPEED = {("dukcapil-loket-dafduk", 1): 2.4, ("dukcapil-loket-capil", 1): 2.2,
         ("dpmptsp-mpp", 1): 2.5, ("dinsos-linjamsos", 1): 2.3,
         ("dukcapil-loket-dafduk", 3): 0.6, ("dukcapil-loket-capil", 4): 0.55,
         ("dishub-uptd-pkb", 2): 0.6}  # fmt: skip
RETURNS = {("dukcapil-loket-dafduk", 2): 3.5, ("dukcapil-loket-capil", 2): 3.5,
           ("dinsos-linjamsos", 2): 3.0}  # fmt: skip
OVERCHARGERS = {("dukcapil-loket-dafduk", 4), ("dpmptsp-mpp", 2), ("dishub-uptd-pkb", 1)}
# Of the overcharged requests, the share whose excess went onto a numbered cash receipt
# (kuitansi) that the cashier reconciled; the rest was paid in cash off the books, and only the
# citizen can tell (an SKM comment, a complaint).
OVERCHARGE_ON_RECEIPT = 0.5
UNRECONCILED_SHARE = 0.02  # bank transfers whose description lacks the receipt code
QUEUE_JUMPERS = {("dukcapil-loket-capil", 3), ("dpmptsp-mpp", 3)}
DISPARITY_SERVICE, DISPARITY_EXTRA_DAYS = "dinsos-sktm", 3.0


@dataclass
class Options:
    seed: int = 2026
    until: date | None = None
    requests: int = 200_000
    clean: bool = False
    appraisals: bool = True  # SKP data from sigap.demo.appraisals (the tests mostly skip it)
    citizen_voice: bool = True  # SKM responses and complaints from sigap.demo.citizen_voice
    tracking: bool = True  # look-ups of the receipts on /lacak/ (sigap.demo.tracking)
    online: bool = True  # online applications, uploads, online fixes, messages (sigap.demo.online)


Progress = Callable[[str, int], Callable[[int], None]]
"""progress(phase, total) -> advance(n): the command's tqdm bars; tests pass a no-op."""


def _no_progress(_phase: str, _total: int) -> Callable[[int], None]:
    return lambda _n: None


def period(until: date) -> tuple[date, date]:
    """The 24 months that end when `until` begins (00:00 WIB)."""
    try:
        start = until.replace(year=until.year - 2)
    except ValueError:  # 29 February
        start = until.replace(year=until.year - 2, day=28)
    return start, until


def demo_exists() -> bool:
    return DemoBuild.objects.exists()


# --- wiping --------------------------------------------------------------------------------


def wipe() -> None:
    """Delete the demo agency and everything hanging off it, with a few set-based statements."""
    agencies = list(Agency.objects.filter(code=content.AGENCY_CODE).values_list("id", flat=True))
    users = get_user_model().objects.filter(username__in=[lg.username for lg in LOGINS])
    # Without per-row foreign-key checks SQLite empties a table at once (10 s -> 1 s for the
    # events); the whole database is checked before the commit instead.
    with connection.constraint_checks_disabled(), transaction.atomic():
        DemoBuild.objects.all().delete()
        units = Unit.objects.filter(agency_id__in=agencies)
        requests = ServiceRequest.objects.filter(unit__in=units)
        services = Service.objects.filter(unit__in=units)
        employees = Employee.objects.filter(unit__in=units)
        wipe_innovation(agency_ids=agencies)  # its rows point at units, services, employees
        wipe_privacy(agency_ids=agencies)  # its rows point at requests, units and the agency
        wipe_bookings(agency_ids=agencies)  # its rows point at requests and units
        wipe_consultations(agency_ids=agencies)  # its rows point at service standards
        wipe_online(agency_ids=agencies)  # its rows point at requests; the files go on commit
        # Payments point at requests and units; statement imports at units and users.
        Payment.objects.filter(Q(unit__in=units) | Q(request__in=requests))._raw_delete(
            connection.alias
        )
        StatementImport.objects.filter(Q(unit__in=units) | Q(imported_by__in=users)).delete()
        wipe_citizen_voice(agency_ids=agencies)  # its rows point at requests and units
        wipe_appraisals(agency_ids=agencies)  # its rows point at employees and units
        wipe_competency(agency_ids=agencies)  # its rows point at the agency, employees, services
        for queryset in (requests, services, employees, users, units):
            _clear_references(queryset)
        users.delete()
        events = ServiceEvent.objects.filter(request__in=requests)
        if not ServiceRequest.objects.exclude(unit__in=units).exists():
            # Only demo requests: empty the whole table, which SQLite does without visiting rows.
            events = ServiceEvent.objects.all()
        events._raw_delete(connection.alias)
        RequestFact.objects.filter(request__in=requests)._raw_delete(connection.alias)
        requests._raw_delete(connection.alias)
        standards = ServiceStandard.objects.filter(service__in=services)
        ProcedureStep.objects.filter(standard__in=standards)._raw_delete(connection.alias)
        standards._raw_delete(connection.alias)
        Service.life_events.through.objects.filter(service__in=services)._raw_delete(
            connection.alias
        )
        services._raw_delete(connection.alias)
        RoleAssignment.objects.filter(unit__in=units)._raw_delete(connection.alias)
        employees._raw_delete(connection.alias)
        AgencySpecialDay.objects.filter(agency_id__in=agencies)._raw_delete(connection.alias)
        units._raw_delete(connection.alias)
        Agency.objects.filter(id__in=agencies)._raw_delete(connection.alias)
        Position.objects.filter(employees__isnull=True).delete()
        connection.check_constraints()


# History that is never deleted (`sigap.audit`: units stay while the trail refers to them).
KEPT_FOREVER = {"audit.AuditEntry"}


class WipeRefused(RuntimeError):
    """The demo cannot be wiped without deleting history."""


# The tables the demo owns and deletes itself; other domains' rows pointing at them (complaints,
# survey responses, reports... made on the demo) are removed or unlinked first.
_DEMO_MODELS = {
    Agency, AgencySpecialDay, Unit, Position, Employee, Service, ServiceStandard, ProcedureStep,
    ServiceRequest, ServiceEvent, RequestFact, RoleAssignment, DemoBuild, PlantedPattern,
}  # fmt: skip


def _clear_references(queryset: QuerySet[Any]) -> None:
    for relation in queryset.model._meta.get_fields(include_hidden=True):
        # Reverse foreign keys, also those without a reverse accessor (related_name="+").
        if not (relation.auto_created and not relation.concrete):
            continue
        if not (relation.one_to_many or relation.one_to_one):
            continue
        other = relation.related_model
        if other in _DEMO_MODELS:
            continue
        name = relation.field.name
        rows = other._base_manager.filter(**{f"{name}__in": queryset})
        if other._meta.label in KEPT_FOREVER:
            if rows.exists():
                raise WipeRefused(
                    f"{other._meta.verbose_name} rows refer to the demo and are never deleted; "
                    "start from a fresh database instead (delete var/sigap.sqlite3)"
                )
            continue
        if relation.on_delete is models.SET_NULL:
            rows.update(**{name: None})
        else:
            rows.delete()


# --- the build ------------------------------------------------------------------------------


class DemoBuilder:
    def __init__(self, options: Options, progress: Progress = _no_progress) -> None:
        self.opt = options
        self.until = options.until or timezone.localdate()  # WIB, not UTC
        self.start, _ = period(self.until)
        self.rng = random.Random(options.seed)
        self.progress = progress
        self.units: dict[str, Unit] = {}
        self.heads: dict[str, Employee] = {}
        self.staff: dict[str, list[Employee]] = {}
        self.sim_officers: dict[str, list[SimOfficer]] = {}
        # Planted: request id -> what the applicant paid above the tariff (the citizen's truth).
        self.overcharged: dict[int, int] = {}
        self.on_receipt: dict[int, list[str]] = {}  # officer id -> receipts with it on a kuitansi

    def run(self) -> DemoBuild:
        with transaction.atomic():
            agency = self._agency()
            calendar = agency.working_calendar()
            self._units(agency)
            self._employees()
            services = self._catalogue()
            self._logins()
            build = DemoBuild.objects.create(
                seed=self.opt.seed,
                until=self.until,
                requests=self.opt.requests,
                is_clean=self.opt.clean,
                agency=agency,
            )
            # Before the simulation: the effective training changes its participants' returns.
            plant_trainings(build=build, services=services, start=self.start, seed=self.opt.seed)
            # ... and the planted innovations change their services' returns and waits.
            innovations = plan_innovations(services, start=self.start, until=self.until)
            sim = self._requests(calendar, services)
            # Written in bulk, not through the write functions: their case facts are computed
            # here, by the one function that computes them.
            advance = self.progress("Fakta permohonan", 1)
            request_facts_rebuild()
            advance(1)
            self._patterns(build, sim, services)
            # The planted innovations' rows, then the rest of the registry, ideas, IID answers.
            advance = self.progress("Inovasi dan ide", 1)
            plant_innovations(build=build, planned=innovations, agency=agency)
            build_innovation_registry(
                seed=self.opt.seed, until=self.until, agency=agency, planted=innovations
            )
            advance(1)
            if self.opt.tracking:
                advance = self.progress("Pelacakan permohonan", 1)
                generate_tracking_lookups(seed=self.opt.seed, until=self.until)
                advance(1)
            # Before the appraisals: their evidence includes IKM and complaints.
            if self.opt.citizen_voice:
                self._citizen_voice(build, agency)
            if self.opt.appraisals:
                self._appraisals(build, agency)
            # Competency standards, assessments, step links and 24 months of training records.
            advance = self.progress("Kompetensi dan pelatihan", 1)
            build_competency(seed=self.opt.seed, until=self.until, agency=agency)
            advance(1)
            # The DPO named on every public form, and a queue that is not empty.
            build_privacy(seed=self.opt.seed, until=self.until, agency=agency)
            # Counter slots and bookings (with no-shows) of the services that need presence.
            advance = self.progress("Antrian loket", 1)
            build_bookings(seed=self.opt.seed, until=self.until, agency=agency)
            advance(1)
            # A draft standard under public consultation, and the record of a past one.
            build_consultations(until=self.until, agency=agency)
            if self.opt.online:
                # Reads the requests and events back; changes no fact (only resumed notes).
                advance = self.progress("Permohonan daring, berkas dan pesan", 1)
                build_online(seed=self.opt.seed, until=self.until, agency=agency)
                advance(1)
        BulkWriter().analyze(ServiceRequest, ServiceEvent, RequestFact, TrackingLookup)
        return build

    # -- organisation --

    def _agency(self) -> Agency:
        agency = Agency.objects.create(
            code=content.AGENCY_CODE, name=content.AGENCY_NAME, kind=Agency.Kind.KABUPATEN
        )
        month, day = content.HARI_JADI
        AgencySpecialDay.objects.bulk_create(
            AgencySpecialDay(
                agency=agency, date=date(year, month, day), name="Hari Jadi Kabupaten Sukamaju"
            )
            for year in range(self.start.year - 1, self.until.year + 2)
        )
        return agency

    def _units(self, agency: Agency) -> None:
        advance = self.progress("Unit kerja", len(content.UNITS))
        for spec in content.UNITS:
            unit = Unit(
                agency=agency,
                parent=self.units.get(spec.parent or ""),
                code=spec.key,
                name=spec.name,
                kind=spec.kind,
                address=f"Jl. {self.rng.choice(STREETS)} No. {self.rng.randint(1, 120)}, Sukamaju",
            )
            unit.save()
            self.units[spec.key] = unit
            advance(1)

    def _position(self, cache: dict[str, Position], name: str, kind: str, level: str) -> Position:
        if name not in cache:
            cache[name], _ = Position.objects.get_or_create(
                name=name, defaults={"kind": kind, "level": level}
            )
        return cache[name]

    def _person(self, level: str, pppk: bool, title: str, prefix: str = "") -> dict[str, object]:
        rng = self.rng
        female = rng.random() < 0.5
        first = rng.choice(content.FEMALE_NAMES if female else content.MALE_NAMES)
        second = content.FEMALE_SECOND_NAMES if female else content.MALE_SECOND_NAMES
        name = f"{first} {rng.choice(second)}"
        if prefix:
            name = f"{prefix} {name}"
        if title:
            name = f"{name}, {title}"
        lo_age, hi_age = {
            "JPT Pratama": (47, 58),
            "Administrator": (40, 56),
            "Pengawas": (33, 55),
        }.get(level, (23, 57))
        age = rng.randint(lo_age, hi_age)
        birth = date(self.until.year - age, rng.randint(1, 12), rng.randint(1, 28))
        latest = self.start.year - 1  # everyone is in post for the whole period
        if pppk:
            tmt_year, tmt_month = (
                min(rng.choice((2021, 2022, 2023, 2024)), latest),
                rng.choice((1, 3, 10)),
            )
            lo, hi = content.PPPK_GRADE.get(level, (5, 5))
            rank = str(rng.randint(lo, hi))
        else:
            tmt_year = min(birth.year + rng.randint(23, 31), latest)
            tmt_month = rng.choice((1, 1, 3, 4, 12))
            lo_r, hi_r = content.RANK_RANGE[level]
            lo_i, hi_i = PNS_RANKS.index(lo_r), PNS_RANKS.index(hi_r)
            rank = PNS_RANKS[min(hi_i, lo_i + (self.until.year - tmt_year) // 7)]
        if tmt_year < birth.year + 19:  # a PPPK appointed young: make them older instead
            birth = birth.replace(year=tmt_year - rng.randint(19, 30))
        gender = "P" if female else "L"
        key = (birth, tmt_year, tmt_month, gender)
        serial = self._serials[key] = self._serials.get(key, 0) + 1
        return {
            "nip": make_nip(birth, tmt_year, tmt_month, "P" if female else "L", serial),
            "name": name,
            "status": Employee.Status.PPPK if pppk else Employee.Status.PNS,
            "rank": rank,
            "active_from": date(tmt_year, tmt_month, 1),
        }

    def _employees(self) -> None:
        rng = self.rng
        self._serials: dict[tuple[object, ...], int] = {}
        positions: dict[str, Position] = {}
        rows: list[tuple[str, str, Employee]] = []  # (unit key, role, employee)
        head_titles = [
            "S.Sos., M.Si.",
            "S.H., M.H.",
            "S.E., M.M.",
            "S.T., M.T.",
            "S.IP., M.AP.",
            "S.Pd., M.Pd.",
        ]
        for spec in content.UNITS:
            unit = self.units[spec.key]
            if spec.head:
                pos = self._position(
                    positions, spec.head, Position.Kind.STRUKTURAL, spec.head_level
                )
                health = spec.staff_mix in ("health", "hospital")
                person = self._person(
                    spec.head_level,
                    False,
                    "M.Kes." if health else rng.choice(head_titles),
                    "dr." if health else "",
                )
                rows.append((spec.key, "head", Employee(position=pos, unit=unit, **person)))
            if spec.kind in ("opd", "kecamatan") and spec.key != "setda":
                title = (
                    "Wakil Direktur Umum dan Keuangan RSUD Sukamaju"
                    if spec.key == "rsud"
                    else f"Sekretaris {spec.name}"
                )
                pos = self._position(positions, title, Position.Kind.STRUKTURAL, "Administrator")
                person = self._person("Administrator", False, rng.choice(head_titles))
                rows.append((spec.key, "secretary", Employee(position=pos, unit=unit, **person)))
            mix = content.STAFF_MIX[spec.staff_mix]
            weights = [m[3] for m in mix]
            for _ in range(spec.staff):
                name, kind, level, _w, title, pppk_share = rng.choices(mix, weights=weights)[0]
                pos = self._position(positions, name, kind, level)
                prefix = "dr." if name.startswith("Dokter") else ""
                if name.startswith("Dokter Spesialis"):
                    suffix = title
                elif prefix:
                    suffix = ""
                else:
                    suffix = title if title and rng.random() < 0.8 else ""
                person = self._person(level, rng.random() < pppk_share, suffix, prefix)
                rows.append((spec.key, "staff", Employee(position=pos, unit=unit, **person)))
        advance = self.progress("Pegawai (ASN)", len(rows))
        Employee.objects.bulk_create([e for _k, _r, e in rows], batch_size=500)
        advance(len(rows))
        # Supervisors follow the tree: staff -> head of their unit (or the nearest head above);
        # heads -> head of the parent unit; OPD heads and camat -> the Sekretaris Daerah.
        specs = {s.key: s for s in content.UNITS}
        for key, role, emp in rows:
            if role == "head":
                self.heads[key] = emp
            elif role == "staff":  # secretaries run the office, they serve no counter
                self.staff.setdefault(key, []).append(emp)

        def head_above(key: str | None) -> Employee | None:
            while key:
                if key in self.heads:
                    return self.heads[key]
                key = specs[key].parent
            return None

        sekda = self.heads["setda"]
        for key, role, emp in rows:
            if role == "head":
                boss = head_above(specs[key].parent)
                emp.supervisor = sekda if boss is None and emp is not sekda else boss
            else:
                emp.supervisor = head_above(key)
        with connection.cursor() as cursor:  # one statement for all: bulk_update is slow here
            cursor.executemany(
                f"UPDATE {Employee._meta.db_table} SET supervisor_id = %s WHERE id = %s",
                [(e.supervisor.pk if e.supervisor else None, e.pk) for _k, _r, e in rows],
            )

    # -- catalogue --

    def _officers(self, unit_key: str, volume_share: float, intake: float) -> list[SimOfficer]:
        """The unit's front-line officers, enough for its busiest days at ~70% of their time."""
        if unit_key in self.sim_officers:
            return self.sim_officers[unit_key]
        rng = self.rng
        n_days = 245 * 2
        peak = volume_share * self.opt.requests / n_days * 1.8
        needed = max(6, math.ceil(peak * intake / (480 * 0.7)) + 1)
        staff = self.staff[unit_key][:needed]
        officers = []
        for i, emp in enumerate(staff):
            key = (unit_key, i)
            officers.append(
                SimOfficer(
                    id=emp.pk,
                    nip=emp.nip,
                    unit_key=unit_key,
                    speed=SPEED.get(
                        key, round(min(1.25, max(0.8, rng.lognormvariate(0, 0.12))), 2)
                    ),
                    returns=RETURNS.get(key, round(rng.uniform(0.7, 1.3), 2)),
                    overcharge=key in OVERCHARGERS,
                    jumps_queue=key in QUEUE_JUMPERS,
                )
            )
        self.sim_officers[unit_key] = officers
        return officers

    def _signer(self, spec: content.ServiceSpec) -> Employee:
        specs = {s.key: s for s in content.UNITS}
        unit = specs[spec.unit]
        if "Kepala Bidang" in spec.sign_step or "Camat" in spec.sign_step:
            key: str | None = spec.unit if unit.kind in ("bidang", "kecamatan") else unit.parent
        else:
            key = spec.unit
            while key and specs[key].kind != "opd":
                key = specs[key].parent
        assert key is not None
        return self.heads[key]

    @staticmethod
    def _four_eyes(spec: content.ServiceSpec, names: list[str]) -> dict[int, int]:
        """Step index -> index of the earlier step whose officer may not do it: verification
        by another officer than the one who received the file, and the spec's approvals."""
        pairs = dict(spec.approve)
        if spec.verify in names and names.index(spec.verify) > 0:
            pairs.setdefault(spec.verify, names[0])
        distinct = {}
        for later, earlier in pairs.items():
            if later in names and earlier in names:
                assert names.index(earlier) < names.index(later), (spec.code, later)
                distinct[names.index(later)] = names.index(earlier)
        return distinct

    def _catalogue(self) -> list[SimService]:
        total_volume = sum(s.volume for s in content.SERVICES)
        unit_volume: dict[str, float] = {}
        unit_intake: dict[str, float] = {}
        for s in content.SERVICES:
            unit_volume[s.unit] = unit_volume.get(s.unit, 0) + s.volume / total_volume
            intake = s.steps[0][1] + s.steps[1][1]
            unit_intake[s.unit] = max(unit_intake.get(s.unit, 0), intake)
        advance = self.progress("Layanan dan standar", len(content.SERVICES))
        old_from = date(self.start.year - 1, 1, 2)
        # Seeded by the catalogue's migration; made again here when missing (a database emptied
        # without its migrations' data, as a test flush leaves it): the catalogue is browsed by
        # them.
        for order, (code, name, description) in enumerate(STANDARD_LIFE_EVENTS, start=1):
            LifeEvent.objects.get_or_create(
                code=code, defaults={"name": name, "description": description, "order": order}
            )
        life_events = {e.code: e for e in LifeEvent.objects.all()}
        sims = []
        for spec in content.SERVICES:
            unit = self.units[spec.unit]
            officers = self._officers(spec.unit, unit_volume[spec.unit], unit_intake[spec.unit])
            service = Service.objects.create(
                unit=unit,
                code=spec.code,
                name=spec.name,
                family=content.family_of(spec.code),
                description=f"{spec.name} di {unit.name}. Produk: {spec.product}.",
            )
            service.life_events.set(
                [life_events[c] for c in content.life_events_of(spec.code) if c in life_events]
            )
            versions = [(1, old_from, spec.sla, spec.steps, "", spec.sign_step)]
            for number, v in enumerate(spec.versions, start=2):
                first = self.start.replace(day=1)
                month = first.month - 1 + v.months_in
                valid_from = date(first.year + month // 12, month % 12 + 1, 1)
                sign_step = v.sign_step or spec.sign_step
                versions.append(
                    (number, valid_from, v.sla, v.steps or spec.steps, v.note, sign_step)
                )
            signer = self._signer(spec) if spec.sign_step else None
            sim_standards = []
            for i, (number, valid_from, sla, steps, note, sign_step) in enumerate(versions):
                valid_until = (
                    versions[i + 1][1] - timedelta(days=1) if i + 1 < len(versions) else None
                )
                standard = ServiceStandard.objects.create(
                    service=service,
                    version=number,
                    valid_from=valid_from,
                    valid_until=valid_until,
                    requirements=[content.requirement(r) for r in spec.requirements],
                    sla_working_days=sla,
                    tariff_rupiah=spec.tariff,
                    product=spec.product,
                    complaint_channel=content.COMPLAINT.format(place=unit.name),
                    legal_basis=spec.legal_basis + (f". Perubahan: {note}" if note else ""),
                    facilities="Ruang tunggu, nomor antrean, loket prioritas bagi penyandang "
                    "disabilitas, lansia dan ibu hamil",
                    officer_competency="Menguasai peraturan dan aplikasi layanan; ramah",
                    internal_supervision="Atasan langsung dan Inspektorat Daerah",
                    number_of_officers=len(officers),
                    needs_presence=spec.presence,
                    service_guarantee="Maklumat pelayanan dipajang di ruang layanan",
                    security_guarantee="Dokumen pemohon disimpan dan dimusnahkan sesuai ketentuan",
                    officer_evaluation="Survei kepuasan masyarakat (SKM) setiap triwulan",
                )
                names = [name for name, _m in steps]
                distinct = self._four_eyes(spec, names)
                created = ProcedureStep.objects.bulk_create(
                    ProcedureStep(
                        standard=standard,
                        order=n,
                        name=name,
                        expected_minutes=minutes,
                        # The signature by the signer's post; the unit head's steps by the role.
                        done_by_position=signer.position.name
                        if signer is not None and name == sign_step
                        else "",
                        done_by_role=Role.UNIT_HEAD if name in spec.head_steps else "",
                    )
                    for n, (name, minutes) in enumerate(steps, start=1)
                )
                for later, earlier in distinct.items():
                    created[later].other_officer_than = created[earlier]
                ProcedureStep.objects.bulk_update(
                    [created[later] for later in distinct], ["other_officer_than"]
                )

                def index(name: str, names: list[str] = names) -> int:
                    return names.index(name) if name in names else -1

                sim_standards.append(
                    SimStandard(
                        id=standard.pk,
                        version=number,
                        valid_from=valid_from.toordinal(),
                        valid_until=valid_until.toordinal() if valid_until else None,
                        sla=sla,
                        steps=[(s.pk, s.name, s.expected_minutes) for s in created],
                        verify=index(spec.verify),
                        applicant=index(spec.applicant_step),
                        sign=index(sign_step),
                        bottleneck={
                            index(k): v for k, v in spec.bottlenecks.items() if index(k) >= 0
                        },
                        distinct=distinct,
                        head_steps=frozenset(index(k) for k in spec.head_steps if index(k) >= 0),
                    )
                )
            sims.append(
                SimService(
                    id=service.pk,
                    spec=spec,
                    unit_id=unit.pk,
                    tariff=spec.tariff,
                    standards=sim_standards,
                    officers=officers,
                    signer=signer.pk if signer is not None else officers[0].id,
                    head=self.heads[spec.unit].pk,
                    disparity_extra_days=DISPARITY_EXTRA_DAYS
                    if spec.code == DISPARITY_SERVICE
                    else 0.0,
                )
            )
            advance(1)
        return sims

    # -- log-ins --

    def _first(self, unit_key: str, position_prefix: str) -> Employee:
        return next(e for e in self.staff[unit_key] if e.position.name.startswith(position_prefix))

    def _logins(self) -> None:
        User = get_user_model()
        password = make_password(DEMO_PASSWORD)  # hashed once: every demo user shares it
        linked = {
            "demo.petugas": self.sim_officers["dukcapil-loket-dafduk"][0].id,
            "demo.kepala": self.heads["dukcapil-loket-dafduk"].pk,
            "demo.bkpsdm": self._first("bkpsdm-mutasi", "Analis Sumber Daya Manusia").pk,
            "demo.inspektur": self._first("inspektorat", "Auditor").pk,
            "demo.pimpinan": self.heads["setda"].pk,
        }
        for login in LOGINS:
            user = User(
                username=login.username,
                password=password,
                is_staff=login.role == Role.ADMIN,
                is_superuser=login.role == Role.ADMIN,
                first_name=login.label[:150],
            )
            user.save()
            # Seeding: the demo inspector's grant is recorded as approved (two-person rule).
            seed_role_assignment(user=user, role=login.role, unit=self.units[login.unit_key])
            if login.username in linked:
                Employee.objects.filter(pk=linked[login.username]).update(user=user)

    # -- requests and events --

    def _requests(self, calendar: WorkingCalendar, services: list[SimService]) -> Simulator:
        writer = BulkWriter()
        writer.check_columns(ServiceRequest, REQUEST_COLUMNS)
        writer.check_columns(ServiceEvent, EVENT_COLUMNS)
        writer.check_columns(Payment, PAYMENT_COLUMNS)
        cashier = get_user_model().objects.get(username="demo.kasir").pk
        pay_rng = random.Random(f"payments-{self.opt.seed}")
        payment_id = writer.next_id(Payment)
        pay_rows: list[tuple[object, ...]] = []
        submission = SUBMISSION_ACTIVITY  # what service_request_submit writes
        sim = Simulator(
            seed=self.rng.randrange(2**32),
            calendar=calendar,
            start=self.start,
            until=self.until,
            services=services,
            n_requests=self.opt.requests,
            clean=self.opt.clean,
            first_request_id=writer.next_id(ServiceRequest),
        )
        event_id = writer.next_id(ServiceEvent)
        hashes: dict[str, tuple[str, str]] = {}
        dt, day, flag = writer.dt, writer.day, writer.flag
        advance = self.progress("Permohonan dan kejadian", self.opt.requests)
        req_rows: list[tuple[object, ...]] = []
        ev_rows: list[tuple[object, ...]] = []
        for batch in sim.run(advance):
            for r in batch:
                req_rows.append(self._request_row(r, hashes, dt, day, flag))
                payment = self._payment_row(r, pay_rng, dt, cashier)
                if payment is not None:
                    pay_rows.append((payment_id, *payment))
                    payment_id += 1
                steps = r.std.steps
                for seq, (at, outcome, officer, note, step) in enumerate(r.events, start=1):
                    if step is None:
                        ev_rows.append(
                            (event_id, r.id, seq, submission, None, officer, dt(at), outcome, note)
                        )
                    else:
                        sid, name, _m = steps[step]
                        ev_rows.append(
                            (event_id, r.id, seq, name, sid, officer, dt(at), outcome, note)
                        )
                    event_id += 1
            if len(ev_rows) >= 100_000:
                writer.insert(ServiceRequest, REQUEST_COLUMNS, req_rows)
                writer.insert(ServiceEvent, EVENT_COLUMNS, ev_rows)
                writer.insert(Payment, PAYMENT_COLUMNS, pay_rows)
                req_rows, ev_rows, pay_rows = [], [], []
        writer.insert(ServiceRequest, REQUEST_COLUMNS, req_rows)
        writer.insert(ServiceEvent, EVENT_COLUMNS, ev_rows)
        writer.insert(Payment, PAYMENT_COLUMNS, pay_rows)
        writer.reset_sequences(ServiceRequest, ServiceEvent, Payment)
        return sim

    def _payment_row(
        self,
        r: RequestRow,
        rng: random.Random,
        dt: Callable[[int | None], object],
        cashier: int,
    ) -> tuple[object, ...] | None:
        """The payment a cashier or the bank recorded for the request, as a row without its
        id; None when nothing was paid through a payment reference.

        A tariffed service is paid by e-retribusi or QRIS online, by QRIS, bank transfer or a
        numbered cash receipt at the counter. An overcharge (planted) is either written on the
        counter's cash receipt (`OVERCHARGE_ON_RECEIPT`) or paid in cash with no reference."""
        tariff = r.service.tariff
        excess = r.amount - tariff
        if excess > 0:
            self.overcharged[r.id] = excess
        if r.state.status == "rejected" and r.state.count <= 2:
            return None  # refused at the counter before anything was paid
        on_receipt = excess > 0 and rng.random() < OVERCHARGE_ON_RECEIPT
        if tariff <= 0 and not on_receipt:
            return None
        if on_receipt:
            source, amount = Source.RECEIPT, r.amount
            officer = next(e[2] for e in r.events if e[2] is not None)
            self.on_receipt.setdefault(officer, []).append(r.receipt)
        else:
            amount = tariff
            roll = rng.random()
            if r.channel == "counter":
                source = (
                    Source.QRIS if roll < 0.4 else Source.RECEIPT if roll < 0.8 else Source.BANK
                )
            else:
                source = Source.ERETRIBUSI if roll < 0.6 else Source.QRIS
        prefix = {Source.ERETRIBUSI: "ER", Source.QRIS: "QR", Source.BANK: "TRF"}.get(source, "KW")
        reference = f"{prefix}{r.submitted // 86400 % 100000:05d}{r.id:08d}"
        paid = r.submitted + rng.randint(2, 40) * 60
        unreconciled = source == Source.BANK and rng.random() < UNRECONCILED_SHARE
        name = r.resident.name.upper()
        description = (
            f"TRF DARI {name}"
            if unreconciled
            else f"RETRIBUSI {r.service.spec.code.upper()} {r.receipt}"
        )
        return (
            source,
            reference,
            amount,
            dt(paid),
            r.service.unit_id,
            description[:300],
            None if unreconciled else r.id,
            None if unreconciled else dt(paid + 3600),
            None if unreconciled else cashier,
            cashier,
            dt(paid + 3600),
            None,
            None,
        )

    @staticmethod
    def _request_row(
        r: RequestRow,
        hashes: dict[str, tuple[str, str]],
        dt: Callable[[int | None], object],
        day: Callable[[int], object],
        flag: Callable[[bool | None], object],
    ) -> tuple[object, ...]:
        person, st = r.resident, r.state
        masked = digest = ""
        if r.nik_given:
            if person.nik not in hashes:
                hashes[person.nik] = (mask_nik(person.nik), nik_hash(person.nik))
            masked, digest = hashes[person.nik]
        if r.channel != "counter" and r.id % 4 == 0:
            first, _sep, rest = person.name.partition(" ")
            contact = f"{first.lower()}.{rest.lower().replace(' ', '')}{r.id % 97}@example.com"
        else:
            contact = person.phone
        current = r.std.steps[st.current][0] if st.current is not None else None
        return (
            r.id,
            r.receipt,
            r.service.id,
            r.std.id,
            r.service.unit_id,
            r.channel,
            person.name,
            contact,
            masked,
            digest,
            person.kecamatan,
            person.desa,
            r.gender,
            flag(r.disability),
            r.age_band,
            st.status,
            current,
            st.officer,
            dt(r.submitted),
            day(st.due),
            dt(st.finished),
            st.paused_days,
            dt(st.paused_since),
            dt(st.last),
            st.count,
        )

    # -- extensions of other domains --

    def _citizen_voice(self, build: DemoBuild, agency: Agency) -> None:
        """SKM responses and complaints for the demo requests, from `sigap.demo.citizen_voice`."""
        summary = build_citizen_voice(
            seed=self.opt.seed,
            until=self.until,
            agency=agency,
            progress=self.progress,
            overcharged=self.overcharged,
        )
        PlantedPattern.objects.bulk_create(
            PlantedPattern(build=build, kind=kind, subject=subject, detail=detail)
            for kind, subject, detail in summary.patterns
        )

    def _appraisals(self, build: DemoBuild, agency: Agency) -> None:
        """SKP plans and ratings of the last full year, from `sigap.demo.appraisals`."""
        advance = self.progress("Penilaian kinerja (SKP)", 1)
        year = self.until.year - 1
        summary = build_appraisals(seed=self.opt.seed, year=year, agency=agency)
        PlantedPattern.objects.bulk_create(
            [
                PlantedPattern(
                    build=build, kind=PlantedPattern.Kind.RATING_INFLATION, subject=unit,
                    detail={"year": year, "source": "sigap.demo.appraisals",
                            "meaning": "everyone rated Sangat Baik or Baik despite weak evidence"},
                )
                for unit in summary.inflated_units
            ]
            + [
                PlantedPattern(
                    build=build, kind=PlantedPattern.Kind.ABSENCE, subject=nip,
                    detail={"year": year, "days": days, "source": "sigap.demo.appraisals"},
                )
                for nip, days in summary.absence_cases.items()
            ]
        )  # fmt: skip
        advance(1)

    # -- ground truth --

    def _patterns(self, build: DemoBuild, sim: Simulator, services: list[SimService]) -> None:
        P = PlantedPattern.Kind
        rows: list[PlantedPattern] = []

        def add(kind: str, subject: str, **detail: object) -> None:
            rows.append(PlantedPattern(build=build, kind=kind, subject=subject, detail=detail))

        truth = sim.truth
        nips = {o.id: o for officers in self.sim_officers.values() for o in officers}
        for officer in nips.values():
            unit = officer.unit_key
            if officer.speed >= 2:
                add(
                    P.SLOW_OFFICER,
                    officer.nip,
                    unit=unit,
                    speed_factor=officer.speed,
                    meaning="processing and ordinary waiting times multiplied by speed_factor",
                )
            elif officer.speed <= 0.7:
                add(
                    P.FAST_OFFICER,
                    officer.nip,
                    unit=unit,
                    speed_factor=officer.speed,
                    meaning="processing and ordinary waiting times multiplied by speed_factor",
                )
            if officer.returns >= 2:
                add(
                    P.HIGH_RETURN_OFFICER,
                    officer.nip,
                    unit=unit,
                    return_factor=officer.returns,
                    meaning="probability of returning a file at the verification step multiplied",
                )
        for svc in services:
            spec = svc.spec
            for std in svc.standards:
                for idx, mean in std.bottleneck.items():
                    add(
                        P.BOTTLENECK,
                        f"{spec.code}/{std.steps[idx][1]}",
                        service=spec.code,
                        version=std.version,
                        step=std.steps[idx][1],
                        mean_wait_working_days=mean,
                    )
            if spec.p_return >= 0.12:
                add(
                    P.REWORK,
                    spec.code,
                    return_probability=spec.p_return,
                    requests_returned=truth.reworked.get(spec.code, 0),
                    requests=truth.requests_per_service.get(spec.code, 0),
                )
            if spec.season != "flat":
                add(
                    P.SEASONALITY,
                    spec.code,
                    profile=spec.season,
                    month_factors=content.SEASONS[spec.season],
                )
            for std in svc.standards[1:]:
                add(
                    P.STANDARD_VERSION,
                    spec.code,
                    version=std.version,
                    valid_from=date.fromordinal(std.valid_from).isoformat(),
                    sla_working_days=std.sla,
                    steps=[name for _i, name, _m in std.steps],
                )
        for kind, receipts in truth.deviations.items():
            add(P.DEVIATION, kind, services=sorted(DEVIATING_SERVICES), requests=receipts)
        if not self.opt.clean:
            for oid, receipts in truth.overcharged.items():
                add(
                    P.OVERCHARGING,
                    nips[oid].nip,
                    unit=nips[oid].unit_key,
                    requests=receipts,
                    on_receipt=self.on_receipt.get(oid, []),
                    meaning="applicants paid above the tariff on some counter requests: the "
                    "requests in on_receipt have it on a reconciled cash receipt (kuitansi), the "
                    "others paid it in cash; citizens may say so in SKM comments and complaints",
                )
            for oid, receipts in truth.favoured.items():
                add(
                    P.QUEUE_JUMPING,
                    nips[oid].nip,
                    unit=nips[oid].unit_key,
                    requests=receipts,
                    meaning="these requests skipped the officer's queue and had ~1/10 of the waits",
                )
            add(
                P.GROUP_DISPARITY,
                DISPARITY_SERVICE,
                group={"region_kecamatan": content.REMOTE_KECAMATAN},
                extra_wait_working_days=DISPARITY_EXTRA_DAYS,
                requests=len(truth.disparity),
                meaning="extra wait before the verification step",
            )
        PlantedPattern.objects.bulk_create(rows)


# --- summaries ------------------------------------------------------------------------------


def counts() -> dict[str, int]:
    code = content.AGENCY_CODE
    return {
        "units": Unit.objects.filter(agency__code=code).count(),
        "employees": Employee.objects.filter(unit__agency__code=code).count(),
        "services": Service.objects.filter(unit__agency__code=code).count(),
        "service standards": ServiceStandard.objects.filter(
            service__unit__agency__code=code
        ).count(),
        "service requests": ServiceRequest.objects.count(),
        "service events": ServiceEvent.objects.count(),
        "tracking look-ups": TrackingLookup.objects.count(),
        "SKM responses": SurveyResponse.objects.count(),
        "complaints": Complaint.objects.count(),
        "payments": Payment.objects.count(),
        "online applications": OnlineApplication.objects.count(),
        "documents": Document.objects.count(),
        "messages sent": Outbox.objects.filter(state=MessageState.SENT).count(),
        "messages retrying": Outbox.objects.filter(state=MessageState.RETRYING).count(),
        "messages given up": Outbox.objects.filter(state=MessageState.GIVEN_UP).count(),
        "SKP appraisals": Appraisal.objects.count(),
        **competency_counts(code),
        "integrity signals": IntegritySignal.objects.count(),
        "innovations": Innovation.objects.filter(agency__code=code).count(),
        "improvement ideas": Idea.objects.filter(unit__agency__code=code).count(),
        "planted patterns": PlantedPattern.objects.count(),
    }


def fingerprint() -> str:
    """A digest of the demo data by natural keys (not ids), to compare two builds."""
    h = hashlib.sha256()
    queries: list[QuerySet[Any, Any]] = [
        Employee.objects.order_by("nip").values_list(
            "nip", "name", "rank", "unit__code", "supervisor__nip"
        ),
        ServiceRequest.objects.order_by("receipt_code").values_list(
            "receipt_code", "service__code", "standard__version", "channel", "applicant_name",
            "applicant_nik_masked", "region_desa", "status", "current_step__name",
            "assigned_officer__nip", "submitted_at", "due_date", "finished_at",
            "paused_working_days", "last_event_at", "event_count",
        ),
        ServiceEvent.objects.order_by("request__receipt_code", "seq").values_list(
            "request__receipt_code", "seq", "activity", "officer__nip", "timestamp", "outcome",
            "note",
        ),
        Payment.objects.order_by("source", "reference").values_list(
            "source", "reference", "amount", "paid_at", "request__receipt_code", "description",
        ),
        TrackingLookup.objects.order_by("request__receipt_code", "day").values_list(
            "request__receipt_code", "day", "lookups",
        ),
        OnlineApplication.objects.order_by("request__receipt_code").values_list(
            "request__receipt_code", "idempotency_key", "consent_at", "consent_text", "answers",
        ),
        # Not the stored name: random, like the live store's.
        Document.objects.order_by("request__receipt_code", "uploaded_at", "purpose",
                                  "requirement").values_list(
            "request__receipt_code", "purpose", "requirement", "kind", "size", "sha256",
            "original_name", "uploaded_at", "uploaded_by__username",
        ),
        *competency_fingerprint_queries(),
        # Not the text: its links are signed with the time they were made.
        Outbox.objects.order_by("idempotency_key").values_list(
            "idempotency_key", "event", "recipient", "channel", "state", "attempts",
            "created_at", "next_attempt_at", "sent_at", "last_error", "provider_message_id",
        ),
    ]  # fmt: skip
    for query in queries:
        for row in query:
            h.update(repr(row).encode())
    return h.hexdigest()
