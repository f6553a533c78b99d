"""Onboarding import of service standards (kind "standards"): the agency's services and each
published version of their standar pelayanan (the 14 components of PermenPANRB 15/2014), from
the workbook of the template standards-standar-pelayanan.xlsx (`standards_template`).

Three sheets: "Layanan" (one row per version: the service, its unit, the start date and the
components), "Persyaratan" (the requirements of a version, one a row) and "Prosedur" (its steps,
one a row). A service is created when its code is new, else its name and unit are brought up to
date. A (service, start date) is one published version:

- a new start date adds a version; the version before it ends the day before (as
  `catalogue.services.standard_publish` does), and a version added before a later one ends the
  day before that one;
- the same start date with the same content leaves the version alone;
- the same start date with other content rewrites the version, unless a request was already
  judged against it (then the file must give the change a new start date).

The checks are the editor's own (`requirement_problems`, `step_problems`, the model's
`full_clean`), each problem named by sheet, row and column. Planning never writes; applying
writes everything or nothing (`sigap.onboarding.plan.apply`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _

from sigap.access import ACTION_ROLES, Action
from sigap.accounts.models import Role
from sigap.audit.services import audit_record
from sigap.catalogue.models import ProcedureStep, Service, ServiceStandard
from sigap.catalogue.requirements import InvalidRequirements, parse_requirements
from sigap.catalogue.services import StepData, requirement_problems, step_problems
from sigap.competency.records import parse_date
from sigap.competency.sheets import MAX_IMPORT_BYTES, Row, Table, Unreadable, read_workbook
from sigap.onboarding import tabular
from sigap.onboarding.lookup import UnitIndex
from sigap.onboarding.plan import Change, Plan, Problem, register
from sigap.organisation.models import Agency, Unit
from sigap.service_requests.models import ServiceRequest

KIND = "standards"

SHEET_SERVICES = "Layanan"
SHEET_REQUIREMENTS = "Persyaratan"
SHEET_STEPS = "Prosedur"


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # what the importer calls it: a model field, or a name of its own
    header: str  # as the template writes it
    aliases: tuple[str, ...] = ()
    required: bool = True
    komponen: int = 0  # its number among the 14 components of PermenPANRB 15/2014, 0: none


# The sheet "Layanan": one row per version. The model fields keep their names.
SERVICE_COLUMNS: tuple[Column, ...] = (
    Column("code", "Kode layanan", ("kode",)),
    Column("name", "Nama layanan", ("nama", "jenis layanan")),
    Column("unit", "Unit kerja", ("unit", "unor", "id unor", "unit penyelenggara")),
    Column("valid_from", "Berlaku mulai", ("tanggal berlaku", "mulai berlaku")),
    Column("legal_basis", "Dasar hukum", komponen=1),
    Column("requirements_text", "Persyaratan", required=False, komponen=2),
    Column(
        "procedure_text",
        "Sistem, mekanisme dan prosedur",
        ("prosedur", "sistem mekanisme prosedur"),
        required=False,
        komponen=3,
    ),
    Column("sla_working_days", "Jangka waktu (hari kerja)", ("jangka waktu",), komponen=4),
    Column("tariff_rupiah", "Biaya/tarif (Rp)", ("biaya/tarif", "biaya", "tarif"), komponen=5),
    Column("product", "Produk pelayanan", ("produk",), komponen=6),
    Column("product_signed", "Produk ditandatangani elektronik", ("ditandatangani elektronik",)),
    Column(
        "complaint_channel",
        "Penanganan pengaduan, saran dan masukan",
        ("penanganan pengaduan",),
        komponen=7,
    ),
    Column(
        "facilities",
        "Sarana, prasarana dan/atau fasilitas",
        ("sarana prasarana", "sarana dan prasarana", "sarana prasarana fasilitas"),
        komponen=8,
    ),
    Column("officer_competency", "Kompetensi pelaksana", komponen=9),
    Column("internal_supervision", "Pengawasan internal", komponen=10),
    Column("number_of_officers", "Jumlah pelaksana", komponen=11),
    Column("service_guarantee", "Jaminan pelayanan", komponen=12),
    Column(
        "security_guarantee",
        "Jaminan keamanan dan keselamatan pelayanan",
        ("jaminan keamanan dan keselamatan",),
        komponen=13,
    ),
    Column("officer_evaluation", "Evaluasi kinerja pelaksana", komponen=14),
    Column("needs_presence", "Wajib datang sendiri", ("pemohon wajib datang",)),
)
REQUIREMENT_COLUMNS: tuple[Column, ...] = (
    Column("code", "Kode layanan", ("kode",)),
    Column("valid_from", "Berlaku mulai", ("tanggal berlaku", "mulai berlaku")),
    Column("name", "Persyaratan", ("nama persyaratan",)),
    Column("kind", "Jenis", ("jenis persyaratan",), required=False),
    Column("mandatory", "Wajib", ("keterangan",), required=False),
)
STEP_COLUMNS: tuple[Column, ...] = (
    Column("code", "Kode layanan", ("kode",)),
    Column("valid_from", "Berlaku mulai", ("tanggal berlaku", "mulai berlaku")),
    Column("order", "Urutan", ("no", "nomor", "urutan langkah")),
    Column("name", "Langkah", ("nama langkah", "tahapan")),
    Column("minutes", "Waktu (menit)", ("waktu", "durasi (menit)")),
    Column("role", "Oleh peran", ("peran",), required=False),
    Column("position", "Oleh jabatan", ("jabatan",), required=False),
    Column("other_than", "Oleh petugas lain dari langkah", ("petugas lain dari langkah",), False),
)

# The components stored on `ServiceStandard`, in the order of the sheet.
STANDARD_FIELDS = (
    "legal_basis",
    "sla_working_days",
    "tariff_rupiah",
    "product",
    "product_signed",
    "complaint_channel",
    "facilities",
    "officer_competency",
    "internal_supervision",
    "number_of_officers",
    "service_guarantee",
    "security_guarantee",
    "officer_evaluation",
    "needs_presence",
)
TEXT_FIELDS = {
    "legal_basis",
    "product",
    "complaint_channel",
    "facilities",
    "officer_competency",
    "internal_supervision",
    "service_guarantee",
    "security_guarantee",
    "officer_evaluation",
}
YES = {"ya", "y", "yes", "true", "1", "wajib", "v", "x"}
NO = {"tidak", "t", "no", "n", "false", "0", "tidak wajib", "opsional", "optional", "-"}
FREE = {"gratis", "free", "nihil", "tidak dipungut biaya", "rp 0", "rp0", "-"}
REQUIREMENT_KINDS = {
    "dokumen": "document",
    "berkas": "document",
    "isian": "field",
    "data": "field",
    "pernyataan": "statement",
}
KIND_WORDS = {"document": "dokumen", "field": "isian", "statement": "pernyataan"}


def _hkey(text: object) -> str:
    return re.sub(r"[^0-9a-z]+", "", str(text).casefold())


def _text(value: object) -> str:
    """A cell as one line of text: a date as ISO, spaces collapsed."""
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())


def _yes_no(value: object) -> bool | None:
    text = _text(value).casefold()
    if text in YES:
        return True
    if text in NO or text == "":
        return False
    return None


def _whole(value: object) -> int | None:
    """A whole number written as a number cell or as text; None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = _text(value)
    return int(text) if re.fullmatch(r"-?\d+", text) else None


def _rupiah(value: object) -> Decimal | None:
    """A tariff: a number cell, "Rp 25.000", "25000" or "0"; "gratis" is 0."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value)) if value.is_integer() else None
    text = _text(value).casefold()
    if text in FREE:
        return Decimal(0)
    text = re.sub(r"^rp\.?\s*", "", text).replace(" ", "")
    text = re.sub(r",-$|,00$|\.00$", "", text)
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", text):  # grouped thousands, either mark
        text = re.sub(r"[.,]", "", text)
    return Decimal(text) if re.fullmatch(r"-?\d+", text) else None


def role_codes() -> dict[str, str]:
    """Every way a file may name a role (its code, its English and Indonesian label) -> code."""
    out: dict[str, str] = {}
    for code, label in Role.choices:
        out[_hkey(code)] = code
        for lang in ("en", "id"):
            with translation.override(lang):
                out[_hkey(str(label))] = code
    return out


def role_label(code: str) -> str:
    return str(dict(Role.choices)[code]) if code else ""


# --- what the file says ----------------------------------------------------------------------


@dataclass(slots=True)
class Version:
    """One version as the file gives it."""

    code: str
    valid_from: date
    row: int  # its row on "Layanan"
    fields: dict[str, Any]
    requirements_text: str
    requirements: list[dict[str, Any]] = field(default_factory=list)
    requirement_rows: list[Row] = field(default_factory=list)
    step_rows: list[tuple[int, Row]] = field(default_factory=list)  # (the file's order, row)
    steps: list[StepData] = field(default_factory=list)
    # The earlier step each step names (its position from 1 in `steps`), None for none.
    other_than: list[int | None] = field(default_factory=list)

    def content(self) -> tuple[Any, ...]:
        return _content(self.fields, self.requirements, self.steps, self.other_than)


def _content(
    fields: dict[str, Any],
    requirements: list[dict[str, Any]],
    steps: list[StepData],
    other_than: list[int | None],
) -> tuple[Any, ...]:
    return (
        tuple((name, _norm(fields[name])) for name in STANDARD_FIELDS),
        tuple(tuple(sorted(r.items())) for r in requirements),
        tuple(
            (s.name, s.expected_minutes, s.role, s.position, o)
            for s, o in zip(steps, other_than, strict=True)
        ),
    )


def _norm(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value)
    if isinstance(value, str):
        return value.strip()
    return value


def _stored(standard: ServiceStandard) -> Version:
    """A stored version in the terms of the file."""
    steps = standard.ordered_steps()
    position = {s.pk: i for i, s in enumerate(steps, start=1)}
    try:
        requirements = [
            {"name": r.name, "kind": r.kind.value, **({"optional": True} if r.optional else {})}
            for r in parse_requirements(standard.requirements)
        ]
    except InvalidRequirements:
        requirements = []
    return Version(
        code=standard.service.code,
        valid_from=standard.valid_from or date.min,
        row=0,
        fields={name: getattr(standard, name) for name in STANDARD_FIELDS},
        requirements_text="",
        requirements=requirements,
        steps=[
            StepData(
                name=s.name,
                expected_minutes=s.expected_minutes,
                role=s.done_by_role,
                position=s.done_by_position,
            )
            for s in steps
        ],
        other_than=[position.get(s.other_officer_than_id or 0) for s in steps],
    )


# --- the plan --------------------------------------------------------------------------------


@dataclass(slots=True)
class ServiceWrite:
    code: str
    name: str
    unit: Unit
    service: Service | None  # None: created


@dataclass(slots=True)
class StandardWrite:
    code: str
    version: Version
    number: int
    valid_until: date | None
    standard: ServiceStandard | None  # None: created


@dataclass(slots=True)
class Payload:
    services: list[ServiceWrite] = field(default_factory=list)
    standards: list[StandardWrite] = field(default_factory=list)
    # Versions already stored whose end date moves: (standard, new valid_until).
    ends: list[tuple[ServiceStandard, date | None]] = field(default_factory=list)


class _Sheet:
    """One sheet's columns, and the problems found on it."""

    def __init__(
        self, plan: Plan, title: str, table: Table | None, columns: tuple[Column, ...]
    ) -> None:
        self.plan, self.title, self.table = plan, title, table
        self.header: dict[str, str] = {}
        self.ok = table is not None
        if table is None:
            self.problem(
                0, "", _("The sheet “%(sheet)s” is missing from the workbook.") % {"sheet": title}
            )
            return
        by_key = {_hkey(h): h for h in table.headers if h}
        known: set[str] = set()
        for column in columns:
            for alias in (column.header, *column.aliases):
                if _hkey(alias) in by_key:
                    self.header[column.key] = by_key[_hkey(alias)]
                    known.add(_hkey(alias))
                    break
            else:
                if column.required:
                    self.ok = False
                    self.problem(
                        table.header_row,
                        column.header,
                        _("This column is missing from the header."),
                    )
        twice = tabular.duplicated(
            plan.file, table.headers, table.header_row, self.header.values(), key=_hkey, sheet=title
        )
        if twice:
            self.ok = False
            plan.problems.extend(twice)
        for header in table.headers:
            if header and _hkey(header) not in known:
                self.problem(
                    table.header_row,
                    header,
                    _("This column is not part of the template: it is not read."),
                    severity="warning",
                )

    @property
    def rows(self) -> list[Row]:
        return self.table.rows if self.table is not None and self.ok else []

    def column(self, key: str) -> str:
        return self.header.get(key, "")

    def cell(self, row: Row, key: str) -> Any:
        header = self.header.get(key)
        return row.cells.get(header, "") if header else ""

    def problem(self, row: int, column_key_or_header: str, message: str, **kw: Any) -> None:
        column = self.header.get(column_key_or_header, column_key_or_header)
        self.plan.problems.append(
            Problem(self.plan.file, row, column, message, sheet=self.title, **kw)
        )

    def date(self, row: Row, key: str = "valid_from") -> date | None:
        value = self.cell(row, key)
        day = parse_date(value) if _text(value) else None
        if day is None:
            self.problem(
                row.number,
                key,
                _("Write the date as YYYY-MM-DD or DD-MM-YYYY, or as a date cell.")
                if _text(value)
                else _("The start date is missing."),
            )
        return day


class StandardsImporter:
    kind = KIND

    def plan(self, data: bytes, name: str, *, agency: Agency, options: dict[str, Any]) -> Plan:
        plan = Plan(kind=KIND, file=name, rows=0, payload=Payload())
        if len(data) > MAX_IMPORT_BYTES:
            plan.problems.append(Problem(name, 0, "", _("The file is larger than 5 MB.")))
            return plan
        try:
            book = read_workbook(data)
        except Unreadable as exc:
            words = {
                "empty": _("The file is not an Excel workbook (.xlsx)."),
                "xlsx_broken": _("The file looks like an Excel workbook but cannot be read."),
                "too_many_rows": _("The file has more rows than one import takes."),
                "broken": _(
                    "The file %(file)s is damaged and cannot be read from this row on (an "
                    "unclosed quote in a CSV, a corrupt sheet in a workbook)."
                )
                % {"file": name},
            }
            plan.problems.append(Problem(name, exc.row or 0, "", words[exc.code]))
            return plan
        services = _Sheet(plan, SHEET_SERVICES, book.get(SHEET_SERVICES), SERVICE_COLUMNS)
        requirements = _Sheet(
            plan, SHEET_REQUIREMENTS, book.get(SHEET_REQUIREMENTS), REQUIREMENT_COLUMNS
        )
        steps = _Sheet(plan, SHEET_STEPS, book.get(SHEET_STEPS), STEP_COLUMNS)
        plan.rows = sum(len(s.rows) for s in (services, requirements, steps))
        versions = _read_services(services, agency)
        if not services.ok:
            # Without its versions, every row of the other sheets would name an unknown one.
            return plan
        _read_requirements(requirements, versions)
        _read_steps(steps, versions)
        for version in versions.values():
            _check_version(services, requirements, steps, version)
        if plan.ok:
            _compare(plan, services, agency, versions)
        return plan

    def write(self, plan: Plan, *, agency: Agency, actor: Any) -> None:
        payload: Payload = plan.payload
        by_code: dict[str, Service] = {}
        for item in payload.services:
            if item.service is None:
                service = Service.objects.create(unit=item.unit, code=item.code, name=item.name)
            else:
                service = item.service
                if (service.name, service.unit_id) != (item.name, item.unit.pk):
                    service.name, service.unit = item.name, item.unit
                    service.save(update_fields=["name", "unit"])
            by_code[item.code] = service
        for standard, until in payload.ends:
            standard.valid_until = until
            standard.save(update_fields=["valid_until"])
            audit_record(
                actor=actor,
                action="standard.import",
                obj=standard,
                unit=standard.service.unit,
                data={"service": standard.service.code, "version": standard.version,
                      "valid_until": until.isoformat() if until else None},
            )  # fmt: skip
        for write in payload.standards:
            service = by_code[write.code]
            version = write.version
            if write.standard is None:
                standard = ServiceStandard.objects.create(
                    service=service,
                    version=write.number,
                    valid_from=version.valid_from,
                    valid_until=write.valid_until,
                    requirements=version.requirements,
                    **version.fields,
                )
            else:
                standard = write.standard
                for key, value in version.fields.items():
                    setattr(standard, key, value)
                standard.requirements = version.requirements
                standard.valid_until = write.valid_until
                standard.save()
                standard.steps.update(other_officer_than=None)
                standard.steps.all().delete()
            made: list[ProcedureStep] = []
            for order, (step, other) in enumerate(
                zip(version.steps, version.other_than, strict=True), start=1
            ):
                made.append(
                    ProcedureStep.objects.create(
                        standard=standard,
                        order=order,
                        name=" ".join(step.name.split()),
                        expected_minutes=step.expected_minutes,
                        done_by_role=step.role,
                        done_by_position=step.position.strip(),
                        other_officer_than=made[other - 1] if other else None,
                    )
                )
            audit_record(
                actor=actor,
                action="standard.import",
                obj=standard,
                unit=service.unit,
                data={"service": service.code, "version": standard.version,
                      "valid_from": version.valid_from.isoformat(),
                      "created": write.standard is None},
            )  # fmt: skip


# --- reading the sheets ----------------------------------------------------------------------

Key = tuple[str, date]


def _read_services(sheet: _Sheet, agency: Agency) -> dict[Key, Version]:
    units = UnitIndex(agency)
    versions: dict[Key, Version] = {}
    seen_service: dict[str, tuple[int, str, Unit | None]] = {}
    for row in sheet.rows:
        code = _text(sheet.cell(row, "code"))
        name = _text(sheet.cell(row, "name"))
        unit_ref = _text(sheet.cell(row, "unit"))
        if not code:
            sheet.problem(row.number, "code", _("The service code is missing."))
        unit = units.find(unit_ref)
        if unit is None:
            sheet.problem(
                row.number,
                "unit",
                _("No unit of the agency has this SIASN UNOR id, code or name.")
                if unit_ref
                else _("The unit is missing."),
            )
        elif code:
            try:
                Service(unit=unit, code=code, name=name).full_clean(
                    exclude=["unit"], validate_unique=False
                )
            except ValidationError as exc:
                for key, messages in exc.message_dict.items():
                    for message in messages:
                        sheet.problem(row.number, key if key in ("code", "name") else "", message)
            if Service.objects.filter(code=code).exclude(unit__agency=agency).exists():
                sheet.problem(row.number, "code", _("Another agency already uses this code."))
        day = sheet.date(row)
        fields = _read_components(sheet, row)
        if not code:
            continue
        earlier = seen_service.get(code.casefold())
        if earlier is None:
            seen_service[code.casefold()] = (row.number, name, unit)
        elif (earlier[1], earlier[2]) != (name, unit):
            sheet.problem(
                row.number,
                "",
                _("The same service has another name or unit on row %(row)s.")
                % {"row": earlier[0]},
            )
        if day is None:
            continue
        version_key = (code.casefold(), day)
        if version_key in versions:
            sheet.problem(
                row.number,
                "valid_from",
                _("This service and start date are already on row %(row)s.")
                % {"row": versions[version_key].row},
            )
            continue
        versions[version_key] = Version(
            code=code,
            valid_from=day,
            row=row.number,
            # Empty when a component is wrong: the version is still known to the other
            # sheets, and the plan (with an error) is never compared nor applied.
            fields=fields or {},
            requirements_text=str(sheet.cell(row, "requirements_text")).strip(),
        )
    return versions


def _read_components(sheet: _Sheet, row: Row) -> dict[str, Any] | None:
    """The components of a row, checked as the editor checks them (the model's own rules)."""
    fields: dict[str, Any] = {}
    bad = False
    for key in TEXT_FIELDS:
        value = sheet.cell(row, key)
        fields[key] = str(value).strip() if not isinstance(value, date) else value.isoformat()
    for key in ("sla_working_days", "number_of_officers"):
        value = sheet.cell(row, key)
        if key == "number_of_officers" and _text(value) == "":
            fields[key] = 1
            continue
        number = _whole(re.sub(r"(?i)\s*hari( kerja)?$", "", _text(value)) or value)
        if number is None or number < 1:
            sheet.problem(row.number, key, _("Write a whole number of at least 1."))
            bad = True
        else:
            fields[key] = number
    tariff = _rupiah(sheet.cell(row, "tariff_rupiah"))
    if tariff is None:
        sheet.problem(
            row.number,
            "tariff_rupiah",
            _("Write the tariff as a number of rupiah (0 or “gratis” when free)."),
        )
        bad = True
    else:
        fields["tariff_rupiah"] = tariff
    for key in ("product_signed", "needs_presence"):
        flag = _yes_no(sheet.cell(row, key))
        if flag is None:
            sheet.problem(row.number, key, _("Write “ya” or “tidak”."))
            bad = True
        else:
            fields[key] = flag
    if bad:
        return None
    try:
        ServiceStandard(**fields).full_clean(
            exclude=["service", "version", "requirements", "valid_from", "valid_until"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            for message in messages:
                sheet.problem(row.number, key if key in fields else "", message)
        return None
    return {name: fields[name] for name in STANDARD_FIELDS}


def _version_of(sheet: _Sheet, row: Row, versions: dict[Key, Version]) -> Version | None:
    code = _text(sheet.cell(row, "code"))
    day = sheet.date(row)
    if day is None:
        return None
    version = versions.get((code.casefold(), day))
    if version is None:
        sheet.problem(
            row.number,
            "code",
            _("No row of the sheet “%(sheet)s” has this service code and start date.")
            % {"sheet": SHEET_SERVICES},
        )
    return version


def _read_requirements(sheet: _Sheet, versions: dict[Key, Version]) -> None:
    for row in sheet.rows:
        version = _version_of(sheet, row, versions)
        if version is not None:
            version.requirement_rows.append(row)


def _read_steps(sheet: _Sheet, versions: dict[Key, Version]) -> None:
    for row in sheet.rows:
        order = _whole(sheet.cell(row, "order"))
        if order is None or order < 1:
            sheet.problem(row.number, "order", _("Write a whole number of at least 1."))
        version = _version_of(sheet, row, versions)
        if version is None or order is None or order < 1:
            continue
        twin = next((r for o, r in version.step_rows if o == order), None)
        if twin is not None:
            sheet.problem(
                row.number,
                "order",
                _("Step %(n)s of this version is already on row %(row)s.")
                % {"n": order, "row": twin.number},
            )
            continue
        version.step_rows.append((order, row))


def _split_requirements(text: str) -> list[dict[str, Any]]:
    """A summary cell of requirements, one a line (or separated by ";"), bullets dropped."""
    items = []
    for part in re.split(r"[\n;]+", text):
        name = re.sub(r"^\s*(\d+[.)]|[-•*])\s*", "", part).strip()
        if name:
            items.append({"name": name})
    return items


def _check_version(services: _Sheet, requirements: _Sheet, steps: _Sheet, version: Version) -> None:
    # Requirements: the rows of the sheet, else the summary on "Layanan".
    if version.requirement_rows:
        items = []
        for row in version.requirement_rows:
            kind = _text(requirements.cell(row, "kind")).casefold()
            mandatory = _yes_no(requirements.cell(row, "mandatory"))
            if mandatory is None:
                requirements.problem(row.number, "mandatory", _("Write “ya” or “tidak”."))
            elif _text(requirements.cell(row, "mandatory")) == "":
                mandatory = True  # a requirement is mandatory unless the file says otherwise
            items.append(
                {
                    "name": _text(requirements.cell(row, "name")),
                    "kind": REQUIREMENT_KINDS.get(kind, kind),
                    "optional": mandatory is False,
                }
            )
        stored, problems = requirement_problems(items)
        for n, key, message in problems:
            row = version.requirement_rows[n - 1]
            requirements.problem(row.number, key, message)
        version.requirements = stored
    else:
        stored, problems = requirement_problems(_split_requirements(version.requirements_text))
        for _n, _key, message in problems:
            services.problem(version.row, "requirements_text", message)
        version.requirements = stored
    # The procedure, in the order of its numbers; "another officer than" by number.
    if not steps.ok:
        return  # the sheet or one of its columns is missing, already said
    if not version.step_rows:
        services.problem(
            version.row,
            "",
            _("The standard has no procedure: add its steps on the sheet “%(sheet)s”.")
            % {"sheet": SHEET_STEPS},
        )
        return
    ordered = sorted(version.step_rows, key=lambda pair: pair[0])
    position = {order: i for i, (order, _row) in enumerate(ordered, start=1)}
    names = {order: _text(steps.cell(row, "name")) for order, row in ordered}
    codes = role_codes()
    for _order, row in ordered:
        minutes = _whole(steps.cell(row, "minutes"))
        if minutes is None:
            steps.problem(row.number, "minutes", _("Write a whole number of at least 1."))
        role_text = _text(steps.cell(row, "role"))
        role = codes.get(_hkey(role_text), "") if role_text else ""
        if role_text and not role:
            steps.problem(
                row.number,
                "role",
                _("Unknown role: write one of %(roles)s.")
                % {
                    "roles": ", ".join(
                        str(label)
                        for code, label in Role.choices
                        if code in ACTION_ROLES[Action.REQUEST_PROCESS]
                    )
                },
            )
        other = _text(steps.cell(row, "other_than"))
        other_order = _whole(other) if other else None
        if other and other_order not in names:
            other_name = "\x00"  # names no step: the check below refuses it
        else:
            other_name = names[other_order] if other_order is not None else ""
        version.steps.append(
            StepData(
                name=_text(steps.cell(row, "name")),
                expected_minutes=minutes if minutes is not None else 1,
                role=role,
                position=_text(steps.cell(row, "position")),
                other_than=other_name,
            )
        )
        version.other_than.append(position.get(other_order) if other_order else None)
    columns = {"name": "name", "expected_minutes": "minutes", "role": "role"}
    for n, key, message in step_problems(version.steps):
        steps.problem(ordered[n - 1][1].number, columns.get(key, "other_than"), message)
    for (_order, row), step in zip(ordered, version.steps, strict=True):
        # What the checks above leave to the model: the length of the texts.
        try:
            ProcedureStep(name=step.name, done_by_position=step.position).clean_fields(
                exclude=["standard", "order", "expected_minutes", "done_by_role",
                         "other_officer_than", *(["name"] if not step.name else [])]
            )  # fmt: skip
        except ValidationError as exc:
            step_columns = {"name": "name", "done_by_position": "position"}
            for key, messages in exc.message_dict.items():
                for message in messages:
                    steps.problem(row.number, step_columns.get(key, ""), message)


def _when(code: str, day: date) -> str:
    return _("%(service)s, in force from %(day)s") % {"service": code, "day": day.isoformat()}


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(_norm(value))


def _field_label(key: str) -> str:
    return str(getattr(ServiceStandard._meta.get_field(key), "verbose_name", key))


def _diff(old: Version | None, new: Version) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for key in STANDARD_FIELDS:
        before = _show(old.fields[key]) if old else ""
        after = _show(new.fields[key])
        if before != after:
            out[_field_label(key)] = (before, after)

    def requirements(v: Version | None) -> str:
        return "; ".join(r["name"] for r in v.requirements) if v else ""

    def steps(v: Version | None) -> str:
        return "; ".join(s.name for s in v.steps) if v else ""

    if old is None or old.requirements != new.requirements:
        out[_("Requirements")] = (requirements(old), requirements(new))
    if old is None or old.content()[2] != new.content()[2]:
        out[_("Procedure steps")] = (steps(old), steps(new))
    return out


def _judged_after(standard: ServiceStandard, day: date | None) -> bool:
    """Whether a request was judged against `standard` (after `day`, when given)."""
    requests = ServiceRequest.objects.filter(standard=standard)
    if day is not None:
        requests = requests.filter(submitted_at__date__gt=day)
    return requests.exists()


def _compare(plan: Plan, sheet: _Sheet, agency: Agency, versions: dict[Key, Version]) -> None:
    """What the versions of the file change in the database."""
    payload: Payload = plan.payload
    existing = {
        s.code.casefold(): s for s in Service.objects.filter(unit__agency=agency).select_related()
    }
    units = UnitIndex(agency)
    by_service: dict[str, list[Version]] = {}
    for version in sorted(versions.values(), key=lambda v: (v.code.casefold(), v.valid_from)):
        by_service.setdefault(version.code.casefold(), []).append(version)
    for key, file_versions in by_service.items():
        first = min(file_versions, key=lambda v: v.row)
        row = next(r for r in sheet.rows if r.number == first.row)
        name = _text(sheet.cell(row, "name"))
        unit = units.find(_text(sheet.cell(row, "unit")))
        assert unit is not None  # checked while reading
        service = existing.get(key)
        service_label = f"{first.code} {name}"
        if service is None:
            plan.changes.append(
                Change(
                    "create",
                    _("Service"),
                    service_label,
                    {_("Name"): ("", name), _("Unit"): ("", unit.name)},
                    row=first.row,
                )
            )
            stored: list[ServiceStandard] = []
            number = 0
        else:
            changed = {}
            if service.name != name:
                changed[_("Name")] = (service.name, name)
            if service.unit_id != unit.pk:
                changed[_("Unit")] = (service.unit.name, unit.name)
            plan.changes.append(
                Change(
                    "update" if changed else "unchanged",
                    _("Service"),
                    service_label,
                    changed,
                    row=first.row,
                )
            )
            stored = list(service.standards.filter(valid_from__isnull=False).order_by("valid_from"))
            number = service.standards.aggregate(m=Max("version"))["m"] or 0
        payload.services.append(ServiceWrite(first.code, name, unit, service))
        _versions(plan, sheet, first.code, stored, file_versions, number)


def _versions(
    plan: Plan,
    sheet: _Sheet,
    code: str,
    stored: list[ServiceStandard],
    file_versions: list[Version],
    number: int,
) -> None:
    payload: Payload = plan.payload
    by_day = {s.valid_from: s for s in stored if s.valid_from is not None}
    # Every version once the file is applied, in date order: (start, stored or None, file's).
    in_file = {v.valid_from for v in file_versions}
    timeline: list[tuple[date, ServiceStandard | None, Version | None]] = [
        (s.valid_from, s, None)
        for s in stored
        if s.valid_from is not None and s.valid_from not in in_file
    ]
    timeline += [(v.valid_from, by_day.get(v.valid_from), v) for v in file_versions]
    timeline.sort(key=lambda item: item[0])
    what = _("Service standard")
    for i, (day, standard, version) in enumerate(timeline):
        following = timeline[i + 1][0] if i + 1 < len(timeline) else None
        current = standard.valid_until if standard is not None else None
        until = current
        if following is not None and (current is None or current >= following):
            until = following - timedelta(days=1)
        if version is None:  # stored, not in the file: only its end date may move
            assert standard is not None
            if until != current:
                if _judged_after(standard, until):
                    _refuse_end(plan, sheet, timeline[i + 1][2], standard)
                    continue
                payload.ends.append((standard, until))
                plan.changes.append(
                    Change(
                        "update",
                        what,
                        _when(code, day),
                        {_field_label("valid_until"): (_show(current), _show(until))},
                    )
                )
            continue
        label = _when(code, day)
        if standard is None:
            number += 1
            payload.standards.append(StandardWrite(code, version, number, until, None))
            fields = _diff(None, version)
            if until is not None:
                fields[_field_label("valid_until")] = ("", until.isoformat())
            plan.changes.append(Change("create", what, label, fields, row=version.row))
            continue
        old = _stored(standard)
        fields = _diff(old, version)
        if until != current:
            fields[_field_label("valid_until")] = (_show(current), _show(until))
        if not fields:
            plan.changes.append(Change("unchanged", what, label, row=version.row))
            continue
        if old.content() != version.content() and _judged_after(standard, None):
            sheet.problem(
                version.row,
                "valid_from",
                _(
                    "Requests were already judged against the version in force from this date: "
                    "give the changed standard a new start date."
                ),
            )
            continue
        if until != current and _judged_after(standard, until):
            _refuse_end(plan, sheet, timeline[i + 1][2], standard)
            continue
        payload.standards.append(StandardWrite(code, version, standard.version, until, standard))
        plan.changes.append(Change("update", what, label, fields, row=version.row))


def _refuse_end(
    plan: Plan, sheet: _Sheet, later: Version | None, standard: ServiceStandard
) -> None:
    sheet.problem(
        later.row if later is not None else 0,
        "valid_from",
        _(
            "Requests submitted on or after this date were judged against version %(v)s: a "
            "version starting on this date would change that."
        )
        % {"v": standard.version},
    )


IMPORTER = StandardsImporter()
register(IMPORTER, action=Action.ONBOARD_ORGANISATION.value)
