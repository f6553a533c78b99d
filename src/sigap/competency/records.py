"""Assessment results and training records: entered by HR or imported, validated and audited
(issue #15, points 2 and 6).

Every write checks that the actor is HR over the employee's unit (`Action.COMPETENCY_MANAGE`);
an import names an employee outside that scope "unknown", as it does a NIP that does not exist.
Imports are all or nothing: one transaction, and any error refuses the whole file with every
problem named by file, row and column. A row identical to a record already stored is skipped
(a file imported twice adds nothing), and so is a row identical to an earlier row of the same
file (a repeated line would count its JP twice); both are counted. docs/competency-records.md
has the formats and the SIASN route table.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sigap.access import Action, can, scoped
from sigap.audit.services import audit_record
from sigap.catalogue.models import ProcedureStep, Service
from sigap.competency import conf
from sigap.competency.models import ROUTE_LABELS, Assessment, Competency, TrainingRecord
from sigap.competency.sheets import Row, Table, Unreadable, read_table
from sigap.competency.standards import agency_competencies
from sigap.documents import storage
from sigap.documents.services import max_bytes, refusal_message
from sigap.documents.sniff import Kind, Refused, clean, sniff
from sigap.organisation.models import Employee, Unit
from sigap.rules.competency import (
    JP_MINUTES,
    MAX_LEVEL,
    MIN_LEVEL,
    JpBasis,
    JpError,
    Route,
    training_jp,
)
from sigap.web.rule_messages import jp_message

CENT = Decimal("0.01")
MAX_STORED = Decimal("99999.99")  # what the record's hours and JP columns hold
MAX_SESSIONS = 1000  # sessions on one record (the form's bound; the column holds 32767)
_M = TypeVar("_M", Assessment, TrainingRecord)
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d")


def _norm(text: object) -> str:
    """A code or a name as compared: case and punctuation ignored, words kept apart."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", str(text).casefold()).split())


def _header_key(text: object) -> str:
    """A column header as compared: case, spaces, underscores and punctuation ignored, so
    "Nama Kursus", "NAMA KURSUS" and "nama_kursus" are SIASN's namaKursus."""
    return re.sub(r"[^0-9a-z]+", "", str(text).casefold())


# --- scope -----------------------------------------------------------------------------------


def require_manager(actor: Any, employee: Employee) -> None:
    """HR over the employee's unit, or PermissionDenied."""
    if not can(actor, Action.COMPETENCY_MANAGE, employee.unit):
        raise PermissionDenied(_("You may not keep the records of this employee."))


def step_names(service: Service) -> list[str]:
    """The procedure steps of a service (every standard version's), by name."""
    return sorted(
        set(ProcedureStep.objects.filter(standard__service=service).values_list("name", flat=True))
    )


# --- assessments ----------------------------------------------------------------------------


def _assessment_errors(
    employee: Employee, competency: Competency, level: int, assessed_on: date, method: str
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not agency_competencies(employee.unit.agency_id).filter(pk=competency.pk).exists():
        errors["competency"] = _("This competency is not one of the agency's.")
    if not MIN_LEVEL <= level <= MAX_LEVEL:
        errors["level"] = _("The level is a whole number from 1 to 5.")
    if assessed_on > timezone.localdate():
        errors["assessed_on"] = _("The assessment date is in the future.")
    if method not in Assessment.Method.values:
        errors["method"] = _("Unknown assessment method.")
    return errors


@transaction.atomic
def assessment_record(
    *,
    employee: Employee,
    competency: Competency,
    level: int,
    assessed_on: date,
    method: str,
    actor: Any,
) -> Assessment:
    """HR enters one assessment result. Earlier results stay (the history); the profile reads
    the latest per competency."""
    employee = Employee.objects.select_related("unit").get(pk=employee.pk)
    require_manager(actor, employee)
    errors = _assessment_errors(employee, competency, level, assessed_on, method)
    if errors:
        raise ValidationError(errors)
    assessment = Assessment.objects.create(
        employee=employee,
        competency=competency,
        level=level,
        assessed_on=assessed_on,
        method=method,
        source=Assessment.Source.ENTERED,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="competency.assessment_record",
        obj=assessment,
        unit=employee.unit,
        data={
            "employee": employee.pk,
            "competency": competency.pk,
            "level": level,
            "date": assessed_on.isoformat(),
            "method": method,
        },
    )
    return assessment


# --- training records -----------------------------------------------------------------------


def compute_jp(
    *, route: str, starts_on: date, ends_on: date, hours: Decimal, sessions: int | None
) -> Decimal:
    """The JP of a training by the agency's conversion (`conf.jp_conversion()`); a record the
    rules refuse raises ValidationError on the field concerned, in words."""
    try:
        jp = training_jp(
            Route(route),
            starts_on,
            ends_on,
            Decimal(hours),
            sessions,
            conversion=conf.jp_conversion(),
        )
    except JpError as exc:
        raise ValidationError({exc.field: jp_message(exc)}) from None
    if jp > MAX_STORED:  # years of a per-day route, say: more than the JP column holds
        # Named on what makes them: the dates for a route counted by day or semester.
        basis = conf.jp_conversion()[Route(route)].basis
        field = {
            JpBasis.PER_DAY: "ends_on",
            JpBasis.PER_SEMESTER: "ends_on",
            JpBasis.PER_SESSION: "sessions",
        }.get(basis, "hours")
        raise ValidationError({field: _("The JP are more than a record can hold.")})
    return jp


def certificate_check(data: bytes, filename: str) -> bytes:
    """The certificate's bytes if they are a PDF without active content, decided by the content
    (`sigap.documents.sniff`), never by the name; else ValidationError on "certificate"."""
    if data and sniff(data[:8]) not in (None, Kind.PDF):
        raise ValidationError(
            {"certificate": _("A certificate must be a PDF file; this file is an image.")}
        )
    try:
        checked = clean(data, filename, max_bytes=max_bytes())
    except Refused as refused:
        if refused.reason == "not_allowed":
            message = _("A certificate must be a PDF file.")
        else:
            message = refusal_message(refused)
        raise ValidationError({"certificate": message}) from None
    return checked.data


def certificate_names() -> list[str]:
    """The stored names of every certificate a record refers to (kept by the document sweep)."""
    return list(
        TrainingRecord.objects.exclude(certificate="").values_list("certificate", flat=True)
    )


def _training_target_errors(
    employee: Employee, service: Service | None, step: str, competencies: Sequence[Competency]
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if service is not None and service.unit.agency_id != employee.unit.agency_id:
        errors["service"] = _("This service is not one of the agency's.")
    elif service is not None and step not in step_names(service):
        errors["step"] = _("Choose one of the procedure steps of the service.")
    elif service is None and step:
        errors["service"] = _("Choose the service the procedure step belongs to.")
    allowed = set(
        agency_competencies(employee.unit.agency_id)
        .filter(pk__in=[c.pk for c in competencies])
        .values_list("pk", flat=True)
    )
    if any(c.pk not in allowed for c in competencies):
        errors["competencies"] = _("A competency chosen is not one of the agency's.")
    return errors


@transaction.atomic
def training_record(
    *,
    employee: Employee,
    title: str,
    route: str,
    starts_on: date,
    ends_on: date,
    hours: Decimal,
    actor: Any,
    sessions: int | None = None,
    provider: str = "",
    certificate_number: str = "",
    certificate: bytes | None = None,
    certificate_filename: str = "",
    competencies: Sequence[Competency] = (),
    service: Service | None = None,
    step: str = "",
    source: str = TrainingRecord.Source.ENTERED,
    source_file: str = "",
) -> TrainingRecord:
    """HR records one development activity. Its JP are computed now by the agency's conversion
    and stored. The certificate, when given, must be a PDF (checked by its content); it is kept
    in the document store and handed out only by `certificate_open`. `source`/`source_file`
    say where a record read from elsewhere came from (the SIASN adapter: "siasn" and the
    riwayat's id)."""
    employee = Employee.objects.select_related("unit").get(pk=employee.pk)
    require_manager(actor, employee)
    title, step = title.strip(), step.strip()
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("Enter the title of the training.")
    if route not in {r.value for r in Route}:
        errors["route"] = _("Unknown development route.")
    errors |= _training_target_errors(employee, service, step, competencies)
    if errors:
        raise ValidationError(errors)
    hours = Decimal(hours).quantize(CENT, ROUND_HALF_UP)
    if hours > MAX_STORED:
        raise ValidationError({"hours": _("The hours are more than a record can hold.")})
    jp = compute_jp(
        route=route, starts_on=starts_on, ends_on=ends_on, hours=hours, sessions=sessions
    )
    pdf = certificate_check(certificate, certificate_filename) if certificate else None
    stored = storage.write(pdf) if pdf is not None else ""
    try:
        record = TrainingRecord.objects.create(
            employee=employee,
            title=title[:300],
            route=route,
            starts_on=starts_on,
            ends_on=ends_on,
            hours=hours,
            sessions=sessions,
            jp=jp,
            provider=provider.strip()[:300],
            certificate=stored,
            certificate_number=certificate_number.strip()[:100],
            service=service,
            step=step if service is not None else "",
            source=source,
            source_file=source_file[:200],
            recorded_by=actor,
        )
        record.competencies.set(competencies)
        data: dict[str, Any] = {"employee": employee.pk, "route": route, "jp": str(jp)}
        if source != TrainingRecord.Source.ENTERED:
            data["source"] = source
        if pdf is not None:
            data["sha256"] = hashlib.sha256(pdf).hexdigest()
        audit_record(
            actor=actor,
            action="competency.training_record",
            obj=record,
            unit=employee.unit,
            data=data,
        )
    except BaseException:
        if stored:
            storage.remove(stored)
        raise
    return record


def may_read_certificate(user: Any, record: TrainingRecord) -> bool:
    """The employee themself, HR over the employee's unit (`Action.COMPETENCY_MANAGE`) and the
    unit head over it (`Action.DEVPLAN_UNIT_APPROVE`); not leadership, who read the
    competency figures but not a person's documents."""
    own = record.employee.user_id is not None and record.employee.user_id == getattr(
        user, "pk", None
    )
    unit = record.employee.unit
    return (
        own
        or can(user, Action.COMPETENCY_MANAGE, unit)
        or can(user, Action.DEVPLAN_UNIT_APPROVE, unit)
    )


def certificate_open(*, record: TrainingRecord, user: Any) -> Path:
    """The path of a record's certificate for `user`; every hand-out is on the audit trail.
    PermissionDenied for anyone else, ValidationError when there is no file."""
    if not may_read_certificate(user, record):
        raise PermissionDenied
    if not record.certificate:
        raise ValidationError({"certificate": _("This training has no certificate.")})
    path = storage.path_of(record.certificate)
    if not path.exists():
        raise ValidationError({"certificate": _("The certificate is missing from the store.")})
    audit_record(
        actor=user,
        action="competency.certificate_download",
        obj=record,
        unit=record.employee.unit,
        data={"employee": record.employee_id},
    )
    return path


# --- imports --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in an imported file, where the person can find it."""

    file: str
    row: int  # as in the file: the header is row 1
    column: str  # the column's header as the file writes it ("" for the whole row)
    message: str


class ImportRefused(ValidationError):
    """The whole file is refused (nothing was imported); `problems` say where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__([f"{p.file}, {p.row}, {p.column}: {p.message}" for p in problems])
        self.problems = problems


@dataclass(frozen=True, slots=True)
class ImportSummary:
    file: str
    rows: int  # data rows read
    created: int
    skipped: int  # identical to a record already stored (an earlier import of the same data)
    repeated: int  # identical to an earlier row of the same file: skipped too


def _read(data: bytes, name: str) -> Table:
    try:
        return read_table(data)
    except Unreadable as exc:
        words = {
            "empty": _("The file is empty or has no header row."),
            "xlsx_broken": _("The file looks like an Excel workbook but cannot be read."),
            "too_many_rows": _("The file has more rows than one import takes."),
            "broken": _(
                "The file %(file)s is damaged and cannot be read from this row on (an unclosed "
                "quote in a CSV, a corrupt sheet in a workbook)."
            )
            % {"file": name},
        }
        raise ImportRefused([Problem(name, exc.row or 1, "", words[exc.code])]) from None


def _columns(
    table: Table, name: str, wanted: dict[str, tuple[str, ...]], required: Iterable[str]
) -> dict[str, str]:
    """Field -> the header that holds it (matched without case, punctuation or spacing); a
    required field without a column refuses the file."""
    by_key = {_header_key(h): h for h in table.headers if h}
    found: dict[str, str] = {}
    for field, aliases in wanted.items():
        for alias in aliases:
            if _header_key(alias) in by_key:
                found[field] = by_key[_header_key(alias)]
                break
    missing = [wanted[f][0] for f in required if f not in found]
    if missing:
        raise ImportRefused(
            [
                Problem(name, table.header_row, col, _("This column is missing from the header."))
                for col in missing
            ]
        )
    return found


def _text(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _nip(value: object) -> str:
    return _text(value).replace(" ", "").replace(".", "")


def parse_date(value: object) -> date | None:
    """A date cell, or a text date as DD-MM-YYYY, DD/MM/YYYY or YYYY-MM-DD; None if neither."""
    if isinstance(value, date):
        day = value
    else:
        text = _text(value)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T][\d:.]+", text):
            text = text[:10]  # a date exported with its midnight time
        for fmt in DATE_FORMATS:
            try:
                day = datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
        else:
            return None
    return day if 1900 <= day.year <= 2100 else None


def _decimal(value: object) -> Decimal | None:
    text = _text(value).replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


class _Rows:
    """Collects the problems of an import as they are found, row by row."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []

    def add(self, row: Row, column: str, message: str) -> None:
        self.problems.append(Problem(self.name, row.number, column, message))

    def date(self, row: Row, column: str) -> date | None:
        raw = row.cells.get(column, "")
        if _text(raw) == "":
            self.add(row, column, _("The date is missing."))
            return None
        day = parse_date(raw)
        if day is None:
            self.add(
                row,
                column,
                _("“%(value)s” is not a date (write DD-MM-YYYY or YYYY-MM-DD).")
                % {"value": _text(raw)[:40]},
            )
        return day

    def refuse_if_any(self) -> None:
        if self.problems:
            raise ImportRefused(self.problems)


def _employees(actor: Any, nips: Iterable[str]) -> dict[str, Employee]:
    """The employees of these NIPs that `actor` keeps the records of (others are unknown)."""
    found = Employee.objects.select_related("unit").in_bulk(set(nips), field_name="nip")
    return {nip: e for nip, e in found.items() if can(actor, Action.COMPETENCY_MANAGE, e.unit)}


def _employee(
    rows: _Rows, row: Row, column: str, employees: dict[str, Employee]
) -> Employee | None:
    nip = _nip(row.cells.get(column, ""))
    employee = employees.get(nip)
    if employee is None:
        rows.add(
            row,
            column,
            _("Unknown NIP “%(nip)s”: no employee of your units has it.") % {"nip": nip[:30]},
        )
    return employee


ASSESSMENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "nip": ("NIP", "NIP baru", "nipBaru"),
    "competency": ("Kode kompetensi", "Kode", "Kompetensi", "Nama kompetensi"),
    "level": ("Level", "Tingkat", "Level kompetensi"),
    "date": ("Tanggal", "Tanggal asesmen", "Tanggal penilaian"),
    "method": ("Metode", "Metode asesmen"),
}
# The method as the assessment centre writes it (compared without case or punctuation).
METHOD_WORDS: dict[str, str] = {
    **{
        w: Assessment.Method.ASSESSMENT_CENTRE
        for w in (
            "assessment centre",
            "assessment center",
            "ac",
            "asesmen",
            "assessment",
            "pusat asesmen",
            "assessment_centre",
        )
    },
    **{
        w: Assessment.Method.UJI_KOMPETENSI
        for w in ("uji kompetensi", "ujikom", "uji", "uji_kompetensi", "competency test")
    },
    **{
        w: Assessment.Method.FEEDBACK_360
        for w in (
            "360",
            "360 derajat",
            "feedback 360",
            "umpan balik 360",
            "penilaian 360",
            "360 degree feedback",
            "feedback_360",
        )
    },
}
METHODS = {_norm(word): method for word, method in METHOD_WORDS.items()}


def _competency_index(agency_ids: set[int]) -> dict[tuple[int, str], Competency]:
    """(agency id, code or name, normalised) -> competency, the agency's own first."""
    index: dict[tuple[int, str], Competency] = {}
    national = list(Competency.objects.filter(agency__isnull=True))
    for agency_id in agency_ids:
        own = list(Competency.objects.filter(agency_id=agency_id))
        for c in [*national, *own]:  # the agency's own overrides a national name
            index[(agency_id, _norm(c.code))] = c
            index[(agency_id, _norm(c.name))] = c
    return index


@transaction.atomic
def assessments_import(*, file: bytes, name: str, actor: Any) -> ImportSummary:
    """Import assessment results from the assessment centre's XLSX or CSV (columns NIP, Kode
    kompetensi or the competency's name, Level, Tanggal, Metode). All or nothing; raises
    `ImportRefused` with every problem. Metode may be left out: the assessment centre's."""
    table = _read(file, name)
    cols = _columns(table, name, ASSESSMENT_COLUMNS, ("nip", "competency", "level", "date"))
    rows = _Rows(name)
    employees = _employees(actor, (_nip(r.cells.get(cols["nip"], "")) for r in table.rows))
    index = _competency_index({e.unit.agency_id for e in employees.values()})
    # A competency is known when it is the national dictionary's or one of the agencies' whose
    # units the actor keeps: another agency's own competencies are unknown, as one that does
    # not exist (an import must not tell whether another agency has it).
    units = scoped(actor, Action.COMPETENCY_MANAGE, Unit.objects.all(), unit_field="")
    known = {
        _norm(v)
        for pair in Competency.objects.filter(
            Q(agency__isnull=True) | Q(agency_id__in=units.values("agency_id"))
        ).values_list("code", "name")
        for v in pair
    }
    today = timezone.localdate()
    parsed: list[Assessment] = []
    for row in table.rows:
        employee = _employee(rows, row, cols["nip"], employees)
        raw_comp = _text(row.cells.get(cols["competency"], ""))
        competency = None
        if employee is not None:
            competency = index.get((employee.unit.agency_id, _norm(raw_comp)))
        # Without the employee, the competency is only checked to be known at all (one error a
        # cell: the NIP is what is wrong).
        if competency is None and (employee is not None or _norm(raw_comp) not in known):
            rows.add(
                row,
                cols["competency"],
                _("Unknown competency “%(value)s”.") % {"value": raw_comp[:60]},
            )
        raw_level = row.cells.get(cols["level"], "")
        number = _decimal(raw_level)
        level = int(number) if number is not None and number == number.to_integral() else None
        if level is None or not MIN_LEVEL <= level <= MAX_LEVEL:
            rows.add(
                row,
                cols["level"],
                _("The level must be a whole number from 1 to 5; the file has “%(value)s”.")
                % {"value": _text(raw_level)[:20]},
            )
            level = None
        day = rows.date(row, cols["date"])
        if day is not None and day > today:
            rows.add(row, cols["date"], _("The assessment date is in the future."))
            day = None
        method: str | None = Assessment.Method.ASSESSMENT_CENTRE
        if "method" in cols and _text(row.cells.get(cols["method"], "")):
            raw_method = _text(row.cells[cols["method"]])
            method = METHODS.get(_norm(raw_method))
            if method is None:
                rows.add(
                    row,
                    cols["method"],
                    _("Unknown method “%(value)s” (assessment centre, uji kompetensi or 360).")
                    % {"value": raw_method[:40]},
                )
        if employee and competency and level and day and method:
            parsed.append(
                Assessment(
                    employee=employee,
                    competency=competency,
                    level=level,
                    assessed_on=day,
                    method=method,
                    source=Assessment.Source.IMPORTED,
                    source_file=name[:200],
                    recorded_by=actor,
                )
            )
    rows.refuse_if_any()

    def key(a: Assessment) -> tuple[Any, ...]:
        return (a.employee_id, a.competency_id, a.level, a.assessed_on, a.method)

    existing = {
        key(a)
        for a in Assessment.objects.filter(employee__in={a.employee_id for a in parsed}).only(
            "employee_id", "competency_id", "level", "assessed_on", "method"
        )
    }
    fresh, skipped, repeated = _split(parsed, key, existing)
    Assessment.objects.bulk_create(fresh)
    summary = ImportSummary(name, len(table.rows), len(fresh), skipped, repeated)
    audit_record(
        actor=actor,
        action="competency.assessment_import",
        data={"rows": summary.rows, "created": summary.created, "skipped": summary.skipped},
    )
    return summary


def _split(
    parsed: list[_M], key: Callable[[_M], tuple[Any, ...]], existing: set[tuple[Any, ...]]
) -> tuple[list[_M], int, int]:
    """(rows to create, rows skipped as already stored, rows skipped as repeating an earlier
    row of the file)."""
    fresh: list[_M] = []
    skipped = repeated = 0
    seen: set[tuple[Any, ...]] = set()
    for item in parsed:
        k = key(item)
        if k in existing:
            skipped += 1
            continue
        if k in seen:
            repeated += 1
            continue
        seen.add(k)
        fresh.append(item)
    return fresh, skipped, repeated


# --- SIASN riwayat kursus/diklat ------------------------------------------------------------

# The field names of SIASN's riwayat kursus/diklat (from an unofficial SDK: UNCERTAIN); the
# employee's NIP as nipBaru or nip.
SIASN_COLUMNS: dict[str, tuple[str, ...]] = {
    "nip": ("nipBaru", "nip"),
    "title": ("namaKursus",),
    "kind": ("jenisKursus",),
    "provider": ("institusiPenyelenggara",),
    "starts_on": ("tanggalKursus",),
    "ends_on": ("tanggalSelesaiKursus",),
    "jp": ("jumlahJam",),
    "certificate_number": ("nomorSertipikat",),
}  # tahunKursus is not read: the dates say the year.
SIASN_REQUIRED = ("nip", "title", "kind", "starts_on", "jp")

# jenisKursus as SIASN writes it -> the route (compared without case or punctuation). A route's
# own code ("bimbingan_teknis") is accepted too. docs/competency-records.md.
SIASN_ROUTE_WORDS: dict[str, Route] = {
    "tugas belajar": Route.TUGAS_BELAJAR,
    "izin belajar": Route.IZIN_BELAJAR,
    "diklat struktural": Route.STRUKTURAL_KEPEMIMPINAN,
    "diklat kepemimpinan": Route.STRUKTURAL_KEPEMIMPINAN,
    "diklatpim": Route.STRUKTURAL_KEPEMIMPINAN,
    "pelatihan kepemimpinan": Route.STRUKTURAL_KEPEMIMPINAN,
    "pelatihan struktural kepemimpinan": Route.STRUKTURAL_KEPEMIMPINAN,
    "pkn": Route.STRUKTURAL_KEPEMIMPINAN,
    "pka": Route.STRUKTURAL_KEPEMIMPINAN,
    "pkp": Route.STRUKTURAL_KEPEMIMPINAN,
    "diklat manajerial": Route.MANAJERIAL,
    "pelatihan manajerial": Route.MANAJERIAL,
    "diklat teknis": Route.TEKNIS,
    "pelatihan teknis": Route.TEKNIS,
    "diklat fungsional": Route.FUNGSIONAL,
    "pelatihan fungsional": Route.FUNGSIONAL,
    "diklat sosial kultural": Route.SOSIAL_KULTURAL,
    "pelatihan sosial kultural": Route.SOSIAL_KULTURAL,
    "seminar": Route.SEMINAR,
    "konferensi": Route.SEMINAR,
    "seminar konferensi": Route.SEMINAR,
    "seminar konferensi sarasehan": Route.SEMINAR,
    "sarasehan": Route.SEMINAR,
    "workshop": Route.WORKSHOP,
    "lokakarya": Route.WORKSHOP,
    "kursus": Route.KURSUS,
    "penataran": Route.PENATARAN,
    "bimbingan teknis": Route.BIMBINGAN_TEKNIS,
    "bimtek": Route.BIMBINGAN_TEKNIS,
    "sosialisasi": Route.SOSIALISASI,
    "coaching": Route.COACHING,
    "mentoring": Route.MENTORING,
    "e learning": Route.E_LEARNING,
    "elearning": Route.E_LEARNING,
    "pelatihan jarak jauh": Route.JARAK_JAUH,
    "pjj": Route.JARAK_JAUH,
    "detasering": Route.DETASERING,
    "pembelajaran alam terbuka": Route.ALAM_TERBUKA,
    "outbound": Route.ALAM_TERBUKA,
    "patok banding": Route.PATOK_BANDING,
    "benchmarking": Route.PATOK_BANDING,
    "pertukaran pns": Route.PERTUKARAN,
    "pertukaran pegawai": Route.PERTUKARAN,
    "pertukaran": Route.PERTUKARAN,
    "belajar mandiri": Route.BELAJAR_MANDIRI,
    "komunitas belajar": Route.KOMUNITAS_BELAJAR,
    "bimbingan di tempat kerja": Route.BIMBINGAN_DI_TEMPAT_KERJA,
    "on the job training": Route.BIMBINGAN_DI_TEMPAT_KERJA,
    "magang": Route.MAGANG,
}


def route_of(text: str) -> Route | None:
    """The route a SIASN jenisKursus names, or None."""
    key = _norm(text)
    if key in _ROUTES:
        return _ROUTES[key]
    return None


_ROUTES: dict[str, Route] = {
    **{_norm(r.value): r for r in Route},
    **{_norm(word): r for word, r in SIASN_ROUTE_WORDS.items()},
}


def route_table() -> list[tuple[str, str]]:
    """(a route's name, the jenisKursus texts read as it) for the import page."""
    words: dict[Route, list[str]] = {}
    for word, route in SIASN_ROUTE_WORDS.items():
        words.setdefault(route, []).append(word[:1].upper() + word[1:])
    return [(str(ROUTE_LABELS[route]), ", ".join(texts)) for route, texts in words.items()]


def siasn_hours(route: Route, jp: Decimal) -> tuple[Decimal, int | None]:
    """The hours and sessions a SIASN record of `jp` JP is stored with.

    SIASN's jumlahJam are JP of 45 minutes: stored as clock hours = JP × 45 / 60, so that a route
    counted on its actual hours gets its JP back (24 JP → 18.00 h → 24 JP). A route counted by
    session gets the sessions those JP make at the agency's JP a session (rounded down; the
    monthly cap still applies). Routes counted by day, semester or a fixed amount get their JP
    by their own rule from the dates, whatever SIASN says.
    """
    hours = (jp * JP_MINUTES / 60).quantize(CENT, ROUND_HALF_UP)
    rule = conf.jp_conversion()[route]
    sessions = None
    if rule.basis is JpBasis.PER_SESSION:
        sessions = int(jp // rule.jp) if rule.jp > 0 else 0
    return hours, sessions


@transaction.atomic
def siasn_training_import(*, file: bytes, name: str, actor: Any) -> ImportSummary:
    """Import training records from a SIASN riwayat kursus/diklat export (CSV, or the same
    columns in XLSX). All or nothing; raises `ImportRefused` with every problem."""
    table = _read(file, name)
    cols = _columns(table, name, SIASN_COLUMNS, SIASN_REQUIRED)
    rows = _Rows(name)
    employees = _employees(actor, (_nip(r.cells.get(cols["nip"], "")) for r in table.rows))
    parsed: list[TrainingRecord] = []
    for row in table.rows:
        employee = _employee(rows, row, cols["nip"], employees)
        title = _text(row.cells.get(cols["title"], ""))
        if not title:
            rows.add(row, cols["title"], _("The title of the training is missing."))
        raw_kind = _text(row.cells.get(cols["kind"], ""))
        route = route_of(raw_kind)
        if route is None:
            rows.add(
                row,
                cols["kind"],
                _("Unknown kind of training “%(value)s”: it matches no development route.")
                % {"value": raw_kind[:60]},
            )
        starts_on = rows.date(row, cols["starts_on"])
        ends_on = starts_on  # a one-day activity: SIASN leaves the end empty
        if "ends_on" in cols and _text(row.cells.get(cols["ends_on"], "")):
            ends_on = rows.date(row, cols["ends_on"])
        raw_jp = row.cells.get(cols["jp"], "")
        jp_in = _decimal(raw_jp)
        if jp_in is None:
            rows.add(
                row,
                cols["jp"],
                _("“%(value)s” is not a number of JP.") % {"value": _text(raw_jp)[:20]},
            )
        elif jp_in < 0:
            rows.add(row, cols["jp"], jp_message(JpError("negative_hours", "hours")))
            jp_in = None
        elif jp_in * JP_MINUTES / 60 > MAX_STORED:
            rows.add(row, cols["jp"], _("The hours are more than a record can hold."))
            jp_in = None
        if not (employee and title and route and starts_on and ends_on and jp_in is not None):
            continue
        if ends_on < starts_on:
            rows.add(row, cols["ends_on"], jp_message(JpError("ends_before_start", "ends_on")))
            continue
        hours, sessions = siasn_hours(route, jp_in)
        if sessions is not None and sessions > MAX_SESSIONS:
            rows.add(
                row,
                cols["jp"],
                _("%(jp)s JP make %(sessions)d sessions, more than the %(max)d a record holds.")
                % {"jp": _text(raw_jp)[:20], "sessions": sessions, "max": MAX_SESSIONS},
            )
            continue
        try:
            jp = compute_jp(
                route=route, starts_on=starts_on, ends_on=ends_on, hours=hours, sessions=sessions
            )
        except ValidationError as exc:
            # The dates' problems on the date columns, the rest on jumlahJam.
            date_column = cols.get("ends_on", cols["starts_on"])
            where = {"starts_on": cols["starts_on"], "ends_on": date_column}
            for field, messages in exc.message_dict.items():
                for message in messages:
                    rows.add(row, where.get(field, cols["jp"]), message)
            continue
        parsed.append(
            TrainingRecord(
                employee=employee,
                title=title[:300],
                route=route,
                starts_on=starts_on,
                ends_on=ends_on,
                hours=hours,
                sessions=sessions,
                jp=jp,
                provider=_text(row.cells.get(cols.get("provider", ""), ""))[:300],
                certificate_number=_text(row.cells.get(cols.get("certificate_number", ""), ""))[
                    :100
                ],
                source=TrainingRecord.Source.SIASN,
                source_file=name[:200],
                recorded_by=actor,
            )
        )
    rows.refuse_if_any()

    def key(t: TrainingRecord) -> tuple[Any, ...]:
        return (t.employee_id, t.title, t.route, t.starts_on, t.ends_on, t.hours)

    existing = {
        key(t)
        for t in TrainingRecord.objects.filter(employee__in={t.employee_id for t in parsed}).only(
            "employee_id", "title", "route", "starts_on", "ends_on", "hours"
        )
    }
    fresh, skipped, repeated = _split(parsed, key, existing)
    TrainingRecord.objects.bulk_create(fresh)
    summary = ImportSummary(name, len(table.rows), len(fresh), skipped, repeated)
    audit_record(
        actor=actor,
        action="competency.training_import",
        data={"rows": summary.rows, "created": summary.created, "skipped": summary.skipped},
    )
    return summary
