"""Builders for test data: plain functions, explicit values, no magic."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from sigap.access import Action, can
from sigap.accounts.models import Role
from sigap.accounts.services import seed_role_assignment
from sigap.catalogue.models import ProcedureStep, Service, ServiceStandard
from sigap.organisation.models import Agency, Employee, Position, Unit
from sigap.payments.models import Payment
from sigap.payments.services import payment_record
from sigap.rules.nip import make_nip
from sigap.service_requests import services
from sigap.service_requests.models import ServiceRequest

PASSWORD = "test-password-123"


@dataclass
class World:
    agency: Agency
    root: Unit
    dukcapil: Unit
    counter_a: Unit
    dinkes: Unit
    puskesmas_b: Unit
    ktp: Service
    ktp_standard: ServiceStandard
    rujukan: Service
    officer_a: Employee  # front-line officer at counter A
    head_a: Employee  # head of counter A
    officer_b: Employee  # officer at Puskesmas B (another unit)
    users: dict[str, User]  # persona name -> user


_serial = 0


def employee(unit: Unit, name: str, position: Position, user: User | None = None) -> Employee:
    global _serial
    _serial += 1
    return Employee.objects.create(
        # A NIP serial has three digits: move the birth date on every 999 employees.
        nip=make_nip(
            date(1985, 3, 17) + timedelta(days=_serial // 999), 2010, 1, "L", _serial % 999 + 1
        ),
        name=name,
        status=Employee.Status.PNS,
        position=position,
        rank="III/a",
        unit=unit,
        active_from=date(2010, 1, 1),
        user=user,
    )


def standard(
    service: Service,
    *,
    version: int = 1,
    valid_from: date = date(2024, 1, 1),
    valid_until: date | None = None,
    sla: int = 3,
    tariff: int = 0,
    steps: tuple[str, ...] = ("Penerimaan berkas", "Verifikasi", "Pencetakan", "Penyerahan"),
) -> ServiceStandard:
    std = ServiceStandard.objects.create(
        service=service,
        version=version,
        valid_from=valid_from,
        valid_until=valid_until,
        requirements=["Fotokopi KK"],
        sla_working_days=sla,
        tariff_rupiah=Decimal(tariff),
        product="KTP-el",
        complaint_channel="Loket pengaduan, SP4N-LAPOR!",
        legal_basis="UU 24/2013",
    )
    for order, name in enumerate(steps, start=1):
        ProcedureStep.objects.create(standard=std, order=order, name=name, expected_minutes=30)
    return std


def user(username: str, role: str | None, unit: Unit | None, **extra: object) -> User:
    u = User.objects.create_user(username=username, password=PASSWORD, **extra)  # type: ignore[arg-type]
    if role and unit:
        seed_role_assignment(user=u, role=role, unit=unit)  # inspectors: an approved grant
    return u


def build_world() -> World:
    agency = Agency.objects.create(code="contoh", name="Kabupaten Contoh", kind="kabupaten")
    root = Unit.objects.create(
        agency=agency, code="pemda", name="Pemerintah Kabupaten Contoh", kind="pemda"
    )
    dukcapil = Unit.objects.create(
        agency=agency, parent=root, code="dukcapil", name="Disdukcapil", kind="opd"
    )
    counter_a = Unit.objects.create(
        agency=agency, parent=dukcapil, code="loket-a", name="Loket A", kind="unit_layanan"
    )
    dinkes = Unit.objects.create(
        agency=agency, parent=root, code="dinkes", name="Dinas Kesehatan", kind="opd"
    )
    puskesmas_b = Unit.objects.create(
        agency=agency, parent=dinkes, code="pkm-b", name="Puskesmas B", kind="unit_layanan"
    )
    pelaksana = Position.objects.create(
        name="Pengadministrasi Kependudukan", kind="pelaksana", level="5"
    )
    kepala = Position.objects.create(name="Kepala Seksi", kind="struktural", level="IV.a")

    users = {
        "officer_a": user("officer_a", Role.OFFICER, counter_a),
        "head_a": user("head_a", Role.UNIT_HEAD, counter_a),
        "officer_b": user("officer_b", Role.OFFICER, puskesmas_b),
        "hr": user("hr", Role.HR, root),
        "inspector": user("inspector", Role.INSPECTOR, root),
        "ombudsman": user("ombudsman", Role.OMBUDSMAN, root),
        "leadership": user("leadership", Role.LEADERSHIP, root),
        "admin": user("admin", Role.ADMIN, root, is_staff=True, is_superuser=True),
        "norole": user("norole", None, None),
        # Not a persona of the permission matrix: the revenue treasurer of Disdukcapil.
        "cashier": user("cashier", Role.CASHIER, dukcapil),
    }
    officer_a = employee(counter_a, "Siti Rahmawati", pelaksana, users["officer_a"])
    head_a = employee(counter_a, "Bambang Wijaya", kepala, users["head_a"])
    officer_b = employee(puskesmas_b, "Dewi Lestari", pelaksana, users["officer_b"])

    ktp = Service.objects.create(unit=counter_a, code="ktp-el", name="Penerbitan KTP-el")
    ktp_standard = standard(ktp)
    rujukan = Service.objects.create(unit=puskesmas_b, code="rujukan", name="Surat Rujukan")
    standard(rujukan, sla=1, steps=("Pemeriksaan", "Penerbitan surat"))
    return World(
        agency,
        root,
        dukcapil,
        counter_a,
        dinkes,
        puskesmas_b,
        ktp,
        ktp_standard,
        rujukan,
        officer_a,
        head_a,
        officer_b,
        users,
    )


APPLICANT = services.Applicant(
    name="Ahmad Fauzi",
    contact="0812-3456-7890",
    region_kecamatan="Sukamaju",
    region_desa="Cibeureum",
    nik="3201011703850001",
    gender="L",
)


def submit(
    world: World, *, at: datetime, service: Service | None = None, **kw: object
) -> ServiceRequest:
    return services.service_request_submit(
        service=service or world.ktp,
        applicant=APPLICANT,
        channel="counter",
        submitted_at=at,
        **kw,  # type: ignore[arg-type]
    )


def complete(world: World, sr: ServiceRequest, *, at: datetime | None = None) -> ServiceRequest:
    """Officer A receives `sr` and does every step (a request of counter A), a minute apart
    from `at` (default: now): completed."""
    at = at or timezone.now()
    sr = services.service_request_receive(request=sr, officer=world.officer_a, at=at)
    while sr.current_step is not None:
        at += timedelta(minutes=1)
        sr = services.service_request_complete_step(request=sr, officer=world.officer_a, at=at)
    return sr


_payment_serial = 0


def pay(
    world: World,
    sr: ServiceRequest,
    amount: int,
    *,
    source: str = "kuitansi",
    at: datetime | None = None,
    reference: str = "",
) -> Payment:
    """A payment recorded by the cashier and reconciled to `sr` (what the officer no longer
    types). The cashier holds Disdukcapil; other units' requests get a cashier of their own."""
    global _payment_serial
    _payment_serial += 1
    cashier = world.users["cashier"]
    if not can(cashier, Action.PAYMENT_HANDLE, sr.unit):
        seed_role_assignment(user=cashier, role=Role.CASHIER, unit=sr.unit)
        vars(cashier).pop("_sigap_assignments", None)  # the access helper's per-user cache
    return payment_record(
        user=cashier,
        unit=sr.unit,
        source=source,
        reference=reference or f"KW-{_payment_serial:06d}",
        amount=amount,
        paid_at=at or sr.submitted_at,
        receipt_code=sr.receipt_code,
    )
