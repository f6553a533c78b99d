"""A small agency with everything the gaps read: a standard in force, assessments, a target
position, a step linked to a technical competency, an event log, requests, behaviour complaints
and SKM answers. Every figure the tests assert is worked out in the comments here.

For the records (assessments, training, imports): a dictionary of competencies, a document store
of the test's own, and files made the way CSV and XLSX exports make them."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.test import override_settings
from openpyxl import Workbook

from sigap.analytics.engine import DuckDBEngine, Engine
from sigap.analytics.eventlog import ColumnMapping
from sigap.analytics.importers import import_log
from sigap.competency.models import (
    Assessment,
    CareerTarget,
    Competency,
    PositionRequirement,
    StandardVersion,
    StepCompetency,
)
from sigap.complaints.models import Complaint
from sigap.organisation.models import Agency, Employee, Position
from sigap.service_requests.models import ServiceRequest
from sigap.surveys.models import SurveyResponse
from tests import factories
from tests.conftest import local

AS_OF = date(2026, 11, 30)
STEP = "Verifikasi berkas"

# Small samples, so the hand-computed world stays small.
SETTINGS = {
    "COMPETENCY_GAP_MIN_EVENTS": 3,
    "COMPETENCY_GAP_MIN_PEERS": 2,
    "COMPETENCY_SOFT_MIN_SAMPLE": 3,
}


@dataclass
class GapWorld:
    world: factories.World
    officers: list[Employee]  # officer_a (Siti), o2, o3, o4 at counter A; o5 at Puskesmas B
    technical: Competency  # verifikasi-dokumen: linked to STEP of KTP-el
    komunikasi: Competency
    integritas: Competency
    pelayanan: Competency
    kepala: Position
    log: Path


def competency(code: str, name: str, group: str, agency: object = None) -> Competency:
    # The national dictionary may already be there (a data migration): look it up by code.
    found, _ = Competency.objects.get_or_create(
        code=code, defaults={"name": name, "group": group, "agency": agency}
    )
    return found


def _log(tmp: Path, officers: list[Employee]) -> Path:
    """Cases of KTP-el in October 2026, one submission then the officers' steps (1 h apart
    unless said):

    - officer_a: A1, A2 verified, returned, verified again; A3, A4 verified once: 6 events,
      2 redone (1/3), 2 returned (first-time-right 2/3), every handling 1 h;
    - o2, o3: 3 clean cases each, 1 h; o4: 3 clean cases, 3 h each (median 3 h);
    - o5: 2 cases, 9 h each: under the minimum of 3 events, neither judged nor a peer;
    - officer_a is slow on "Pencetakan" too, but that step is linked to no competency.

    For officer_a the peers are o2, o3, o4: rework 0 (+1/3 ≥ 0.10), first-time-right 1
    (−1/3), handling median 1 h (same): a gap of 1/3. For o4: peers officer_a, o2, o3 with
    handling 1 h: 3 h is 200 % slower (≥ 50 %): a gap of 1 (capped). 15 cases went through
    the step.
    """
    a, o2, o3, o4, o5 = (e.nip for e in officers)
    rows: list[tuple[str, ...]] = []

    def case(cid: str, day: int, events: list[tuple[str, str, float, str]]) -> None:
        t = local(2026, 10, day, 8)
        rows.append((cid, "Penerimaan berkas", t.isoformat(), "", "", "ktp-el"))
        for activity, who, hours, outcome in events:
            t += timedelta(hours=hours)
            rows.append((cid, activity, t.isoformat(), who, outcome, "ktp-el"))

    for n in (1, 2):
        redone = [(STEP, a, 1, "returned"), (STEP, a, 1, "done"), ("Pencetakan", a, 9, "done")]
        case(f"A{n}", n, redone)
    for n in (3, 4):
        case(f"A{n}", n, [(STEP, a, 1, "done"), ("Pencetakan", a, 9, "done")])
    for who, hours, prefix in ((o2, 1, "B"), (o3, 1, "C"), (o4, 3, "D")):
        for n in range(1, 4):
            clean = [(STEP, who, hours, "done"), ("Pencetakan", who, 1, "done")]
            case(f"{prefix}{n}", n + 5, clean)
    for n in (1, 2):
        case(f"E{n}", n + 10, [(STEP, o5, 9, "done")])
    src = tmp / "log.csv"
    with src.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(("case", "activity", "timestamp", "resource", "outcome", "service"))
        w.writerows(rows)
    mapping = ColumnMapping(
        case="case", activity="activity", timestamp="timestamp", resource="resource",
        lifecycle="outcome", service="service",
    )  # fmt: skip
    return import_log(src, tmp / "log.parquet", mapping).path


_receipt = 0


def _requests(world: factories.World, officer: Employee, n: int, day: int) -> list[ServiceRequest]:
    out = []
    for i in range(n):
        sr = factories.submit(world, at=local(2026, 9, day, 9, i))
        ServiceRequest.objects.filter(pk=sr.pk).update(assigned_officer=officer)
        out.append(sr)
    return out


def _complaint(world: factories.World, officer: Employee, category: str, day: date) -> None:
    global _receipt
    _receipt += 1
    at = local(day.year, day.month, day.day)
    Complaint.objects.create(
        receipt_code=f"ADU-T{_receipt:05d}", category=category, unit=world.counter_a,
        service=world.ktp, reported_employee=officer, description="Petugas kasar.",
        channel="web", submitted_at=at, verify_due=day + timedelta(days=3), last_event_at=at,
    )  # fmt: skip


def _survey(world: factories.World, sr: ServiceRequest, kompetensi: int, perilaku: int) -> None:
    SurveyResponse.objects.create(
        service=world.ktp, unit=world.counter_a, service_request=sr,
        submitted_at=local(2026, 10, 1), channel="receipt",
        kompetensi=kompetensi, perilaku=perilaku,
    )  # fmt: skip


@pytest.fixture
def gap_world(db: None, tmp_path: Path, settings: object) -> GapWorld:
    settings.SIGAP = {**settings.SIGAP, **SETTINGS}  # type: ignore[attr-defined]
    world = factories.build_world()
    pelaksana = world.officer_a.position
    kepala = world.head_a.position
    officers = [world.officer_a] + [
        factories.employee(world.counter_a, name, pelaksana) for name in ("Ahmad", "Citra", "Dodi")
    ]
    officers.append(factories.employee(world.puskesmas_b, "Eko", pelaksana))
    technical = competency(
        "verifikasi-dokumen", "Verifikasi dokumen kependudukan", "teknis", world.agency
    )
    komunikasi = competency("komunikasi", "Komunikasi", "manajerial")
    integritas = competency("integritas", "Integritas", "manajerial")
    pelayanan = competency("pelayanan-publik", "Pelayanan Publik", "manajerial")

    # Standards: 2025 (not in force any more), 2026 (in force on AS_OF), 2027 (not yet).
    old = StandardVersion.objects.create(agency=world.agency, valid_from=date(2025, 1, 1))
    PositionRequirement.objects.create(
        version=old, position=pelaksana, competency=komunikasi, level=4
    )
    now = StandardVersion.objects.create(agency=world.agency, valid_from=date(2026, 1, 1))
    for comp, level in ((komunikasi, 2), (integritas, 2), (technical, 3)):
        PositionRequirement.objects.create(
            version=now, position=pelaksana, competency=comp, level=level
        )
    PositionRequirement.objects.create(version=now, position=kepala, competency=komunikasi, level=3)
    later = StandardVersion.objects.create(agency=world.agency, valid_from=date(2027, 1, 1))
    PositionRequirement.objects.create(
        version=later, position=pelaksana, competency=integritas, level=5
    )

    # officer_a: komunikasi 1 then 2 (latest: meets 2; below the target's 3), integritas 1
    # (1 short), verification never assessed; a later result (after AS_OF) is not read.
    def assess(emp: Employee, comp: Competency, level: int, on: date) -> None:
        Assessment.objects.create(
            employee=emp, competency=comp, level=level, assessed_on=on,
            method="assessment_centre", source="entered",
        )  # fmt: skip

    a = world.officer_a
    assess(a, komunikasi, 1, date(2025, 6, 1))
    assess(a, komunikasi, 2, date(2026, 3, 1))
    assess(a, komunikasi, 1, date(2026, 12, 15))
    assess(a, integritas, 1, date(2026, 3, 1))
    CareerTarget.objects.create(employee=a, position=kepala, set_on=date(2026, 1, 1))
    # The others meet the standard.
    for emp in officers[1:]:
        for comp, level in ((komunikasi, 2), (integritas, 3), (technical, 3)):
            assess(emp, comp, level, date(2026, 2, 1))

    StepCompetency.objects.create(service=world.ktp, step=STEP, competency=technical)

    # Requests handled (Sept 2026): officer_a 4, o2 4, o3 4, o4 2 (under the minimum of 3).
    handled = {
        e.pk: _requests(world, e, n, 1 + i)
        for i, (e, n) in enumerate(zip(officers[:4], (4, 4, 4, 2), strict=True))
    }
    # Behaviour complaints in the window: officer_a 2 (0.5 a request), o3 1 (0.25; fewer than 2),
    # o4 3 (under the request minimum). Not counted: o2's pungli, o2's behaviour one of 2025.
    o2, o3, o4 = officers[1:4]
    for emp, n in ((a, 2), (o3, 1), (o4, 3)):
        for _ in range(n):
            _complaint(world, emp, "perilaku", date(2026, 10, 5))
    _complaint(world, o2, "pungli", date(2026, 10, 5))
    _complaint(world, o2, "perilaku", date(2025, 10, 5))
    # officer_a's peers: o2 0, o3 0.25 → median 0.125; 0.5 − 0.125 = 0.375 ≥ 0.01.
    # SKM U7 perilaku: officer_a 2,2,2,3 (2.25), o2 4,4,3,3 (3.5), o3 3,3,3,3 (3.0): officer_a's
    # peers' median 3.25, 1.0 below (≥ 0.25): size 1/3. U6 kompetensi 3 everywhere: no gap.
    for emp, perilaku in ((a, (2, 2, 2, 3)), (o2, (4, 4, 3, 3)), (o3, (3, 3, 3, 3))):
        for sr, p in zip(handled[emp.pk], perilaku, strict=True):
            _survey(world, sr, 3, p)

    return GapWorld(
        world,
        officers,
        technical,
        komunikasi,
        integritas,
        pelayanan,
        kepala,
        _log(tmp_path, officers),
    )


@pytest.fixture
def engine(gap_world: GapWorld) -> Iterator[Engine]:
    eng = DuckDBEngine()
    eng.register_log(gap_world.log)
    yield eng
    eng.close()


# --- the records: assessments, training, imports ---------------------------------------------


@dataclass
class Dictionary:
    pelayanan: Competency  # national (PermenPANRB 38/2017)
    integritas: Competency  # national
    verifikasi: Competency  # technical, the test agency's own
    foreign: Competency  # technical, another agency's: never offered here


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Path]:
    """The document store (certificates) in the test's own folder."""
    with override_settings(DOCUMENTS_DIR=tmp_path / "documents"):
        yield tmp_path / "documents"


@pytest.fixture
def dictionary(world: factories.World) -> Dictionary:
    def national(code: str, name: str) -> Competency:
        found, _ = Competency.objects.get_or_create(
            code=code, defaults={"name": name, "group": Competency.Group.MANAJERIAL}
        )
        return found

    other = Agency.objects.create(code="lain", name="Kota Lain", kind="kota")
    return Dictionary(
        pelayanan=national("pelayanan-publik-uji", "Pelayanan Publik Uji"),
        integritas=national("integritas-uji", "Integritas Uji"),
        verifikasi=Competency.objects.create(
            code="verifikasi-dokumen",
            name="Verifikasi dokumen kependudukan",
            group=Competency.Group.TEKNIS,
            agency=world.agency,
        ),
        foreign=Competency.objects.create(
            code="perizinan-kota-lain",
            name="Perizinan Kota Lain",
            group=Competency.Group.TEKNIS,
            agency=other,
        ),
    )


def csv_bytes(rows: Sequence[Sequence[object]], delimiter: str = ",", bom: bool = False) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def xlsx_bytes(rows: Sequence[Sequence[object]]) -> bytes:
    """A workbook as Excel writes it: dates as date cells, numbers as numbers."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append([c for c in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def as_text(rows: Sequence[Sequence[object]]) -> list[list[object]]:
    """The same rows as a CSV export writes them (dates as DD-MM-YYYY)."""
    return [[c.strftime("%d-%m-%Y") if isinstance(c, date) else c for c in row] for row in rows]


def damaged_sheet(data: bytes, rows_kept: int = 2) -> bytes:
    """The workbook with its first sheet's XML cut off after `rows_kept` rows, as a file damaged
    in transit is: it opens, and fails while its rows are read."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                cut = 0
                for _ in range(rows_kept):
                    cut = text.index("</row>", cut) + len("</row>")
                content = (text[:cut] + "<row r=").encode()
            target.writestr(item, content)
    return out.getvalue()
