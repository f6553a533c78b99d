"""The sample agency of docs/onboarding/samples/README.md (Kabupaten Sukamaju), built with the
test factories: the agency, its units with their SIASN UNOR ids, the five key employees, and
the three services with their standards and steps exactly as the README lists them.

For tests of every onboarding import that needs the others' result in the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sigap.accounts.models import Role
from sigap.catalogue.models import ProcedureStep, Service, ServiceStandard
from sigap.organisation.models import Agency, Employee, Position, Unit

ROOT = "A8ACA7397AEB3912E040640A040269BB"
DPMPTSP = "A8ACA7397AF23912E040640A040269BB"
PERIZINAN = "A8ACA7397AF33912E040640A040269BB"
DUKCAPIL = "A8ACA7397AF43912E040640A040269BB"
PENDAFTARAN = "A8ACA7397AF53912E040640A040269BB"
BKPSDM = "A8ACA7397AF63912E040640A040269BB"
INSPEKTORAT = "A8ACA7397AF73912E040640A040269BB"

# (id, parent id, name, eselon, head's position)
UNITS = (
    (ROOT, None, "Pemerintah Kabupaten Sukamaju", "", "Bupati Sukamaju"),
    (DPMPTSP, ROOT, "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "II.b",
     "Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"),
    (PERIZINAN, DPMPTSP, "Bidang Pelayanan Perizinan", "III.b",
     "Kepala Bidang Pelayanan Perizinan"),
    (DUKCAPIL, ROOT, "Dinas Kependudukan dan Pencatatan Sipil", "II.b",
     "Kepala Dinas Kependudukan dan Pencatatan Sipil"),
    (PENDAFTARAN, DUKCAPIL, "Bidang Pelayanan Pendaftaran Penduduk", "III.b",
     "Kepala Bidang Pelayanan Pendaftaran Penduduk"),
    (BKPSDM, ROOT, "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "II.b",
     "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"),
    (INSPEKTORAT, ROOT, "Inspektorat Daerah", "II.b", "Inspektur Daerah"),
)  # fmt: skip
KIND_OF = {ROOT: Unit.Kind.PEMDA, DPMPTSP: Unit.Kind.OPD, DUKCAPIL: Unit.Kind.OPD,
           BKPSDM: Unit.Kind.OPD, INSPEKTORAT: Unit.Kind.OPD, PERIZINAN: Unit.Kind.BIDANG,
           PENDAFTARAN: Unit.Kind.BIDANG}  # fmt: skip
CODE_OF = {ROOT: "pemkab-sukamaju", DPMPTSP: "dpmptsp", PERIZINAN: "perizinan",
           DUKCAPIL: "disdukcapil", PENDAFTARAN: "pendaftaran-penduduk", BKPSDM: "bkpsdm",
           INSPEKTORAT: "inspektorat"}  # fmt: skip

# (NIP, name, unit id, position, kind, level)
EMPLOYEES = (
    ("197806102005011003", "Agus Wijaya", PENDAFTARAN,
     "Kepala Bidang Pelayanan Pendaftaran Penduduk", "struktural", "III.b"),
    ("198503152010011002", "Budi Santoso", PENDAFTARAN, "Pengadministrasi Kependudukan",
     "pelaksana", ""),
    ("199001222015032001", "Siti Rahmawati", PENDAFTARAN, "Pengadministrasi Kependudukan",
     "pelaksana", ""),
    ("197512012000031005", "Hendra Gunawan", PERIZINAN, "Kepala Bidang Pelayanan Perizinan",
     "struktural", "III.b"),
    ("198811092014022004", "Dewi Lestari", PERIZINAN, "Penata Perizinan Ahli Pertama",
     "fungsional", "Ahli Pertama"),
)  # fmt: skip

DUKCAPIL_STEPS = ("Verifikasi berkas", "Entri data", "Persetujuan", "Pencetakan dokumen")
PBG_STEPS = ("Verifikasi berkas", "Pemeriksaan teknis", "Penghitungan retribusi", "Persetujuan",
             "Penerbitan PBG")  # fmt: skip
# (code, name, unit, [(version, SLA, valid from, valid until)], product, steps)
SERVICES = (
    ("sukamaju-kk", "Penerbitan Kartu Keluarga", PENDAFTARAN,
     [(1, 3, date(2025, 1, 1), date(2025, 12, 31)), (2, 1, date(2026, 1, 1), None)],
     "Kartu Keluarga", DUKCAPIL_STEPS),
    ("sukamaju-akta-lahir", "Penerbitan Akta Kelahiran", PENDAFTARAN,
     [(1, 5, date(2025, 1, 1), None)], "Kutipan Akta Kelahiran", DUKCAPIL_STEPS),
    ("sukamaju-pbg", "Persetujuan Bangunan Gedung", PERIZINAN, [(1, 28, date(2025, 1, 1), None)],
     "Surat Persetujuan Bangunan Gedung", PBG_STEPS),
)  # fmt: skip


@dataclass
class SampleWorld:
    agency: Agency
    units: dict[str, Unit]  # SIASN id -> unit
    employees: dict[str, Employee]  # NIP -> employee
    services: dict[str, Service]  # code -> service
    standards: dict[tuple[str, int], ServiceStandard]  # (code, version) -> standard


def build_sample_world(*, employees: bool = True, services: bool = True) -> SampleWorld:
    agency = Agency.objects.create(
        code="sukamaju", name="Kabupaten Sukamaju", kind="kabupaten", region_code="32.19"
    )
    units: dict[str, Unit] = {}
    for siasn, parent, name, eselon, head in UNITS:
        units[siasn] = Unit.objects.create(
            agency=agency, parent=units[parent] if parent else None, code=CODE_OF[siasn],
            name=name, kind=KIND_OF[siasn], siasn_id=siasn, eselon=eselon, head_position=head,
        )  # fmt: skip
    world = SampleWorld(agency, units, {}, {}, {})
    if employees:
        for nip, name, unit, position, kind, level in EMPLOYEES:
            pos, _ = Position.objects.get_or_create(
                name=position, defaults={"kind": kind, "level": level}
            )
            world.employees[nip] = Employee.objects.create(
                nip=nip, name=name, status=Employee.Status.PNS, position=pos, rank="III/a",
                unit=units[unit], active_from=date(2010, 1, 1),
            )  # fmt: skip
    if services:
        for code, name, unit, versions, product, steps in SERVICES:
            service = Service.objects.create(unit=units[unit], code=code, name=name)
            world.services[code] = service
            for version, sla, valid_from, valid_until in versions:
                std = ServiceStandard.objects.create(
                    service=service, version=version, valid_from=valid_from,
                    valid_until=valid_until, requirements=["Formulir permohonan"],
                    sla_working_days=sla, tariff_rupiah=Decimal(0), product=product,
                    product_signed=True, complaint_channel="SP4N-LAPOR!",
                    legal_basis="Peraturan Bupati Sukamaju (contoh)",
                )  # fmt: skip
                world.standards[(code, version)] = std
                for order, step in enumerate(steps, start=1):
                    ProcedureStep.objects.create(
                        standard=std, order=order, name=step, expected_minutes=30,
                        done_by_role=Role.UNIT_HEAD if step == "Persetujuan" else "",
                    )  # fmt: skip
    return world
