"""Onboarding the agency's employees (kind "employees") from SIASN's "Export Data ASN" CSV.

The export is a comma-separated file with UPPERCASE headers with spaces
(../shared/docs/integrations.md §1a); columns are found by header name (case, spaces and
punctuation ignored), never by position, and columns sigap does not read are listed once in a
warning. Read:

- required: `NIP BARU`, `NAMA`, `UNOR ID` (or `UNOR NAMA`), `JABATAN NAMA`,
  `JENIS JABATAN NAMA`, `GOL AKHIR NAMA`, `KEDUDUKAN HUKUM ID`;
- optional: `GELAR DEPAN`/`GELAR BELAKANG` (kept in the displayed name: "dr. Ani, M.Kes."),
  `PNS ID` (-> `Employee.pns_id`), `TMT CPNS` and `TMT JABATAN` (-> `active_from`: the TMT CPNS,
  since a person is the agency's ASN from then, not only from their current post; the TMT
  JABATAN when there is no TMT CPNS; for a PNS with neither, the first day of the NIP's
  appointment month; an existing person keeps theirs), `ESELON NAMA` (a structural
  position's level), `NIK` (checked, never stored: see `nik_problem`).

PPPK or PNS: `KEDUDUKAN HUKUM ID` in `PPPK_LEGAL_IDS` is PPPK (its number is checked with
`validate_pppk_number`, its rank is the PPPK grade 1-17, written "IX" or "9"); anything else is
PNS (the NIP is checked with `sigap.rules.nip`, the golongan "III/a", "III/A" or "Penata Muda
(III/a)" must be one of `PNS_RANKS`). A position is found by its name or created, its kind
from `JENIS JABATAN NAMA` (Struktural, Fungsional, Pelaksana; "Jabatan Fungsional Umum" is
pelaksana). The unit is found by UNOR ID (`sigap.onboarding.lookup.UnitIndex`): import the unit
tree first.

A re-run updates who changed (every field old -> new), leaves the rest, and marks the agency's
active employees missing from the file inactive (`active_until` = today; never deleted); an
inactive person back in the file is active again. Refused: a required column missing, an invalid
NIP, NIK, rank, legal status or date, an unknown unit or position type, a NIP twice in the file
(both rows named), a NIP that belongs to another agency's employee.

Built for the whole agency at once (10,000 rows: bench/onboarding_employees.py): the database is
read in a few queries, rows are compared in memory, `write` uses bulk_create/bulk_update.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from sigap.accounts.roles import Action
from sigap.audit.services import audit_record
from sigap.onboarding import tabular
from sigap.onboarding.lookup import UnitIndex
from sigap.onboarding.plan import Change, Plan, Problem, register
from sigap.onboarding.units import normalise_eselon
from sigap.organisation.models import (
    PNS_RANKS,
    Agency,
    Employee,
    Position,
    Unit,
    validate_nip,
    validate_pppk_number,
)

KIND = "employees"
# KEDUDUKAN HUKUM ID values that mean PPPK. UNCERTAIN: a single source (community code,
# kanekescom/laravel-siasn-simpeg Pegawai.php; ../shared/docs/integrations.md §1a). Change here
# if BKN's reference says otherwise.
PPPK_LEGAL_IDS = frozenset({"71", "72", "73"})
BATCH = 1000
CHUNK = 900  # NIPs per `IN (...)` query (under SQLite's parameter limit)

COLUMNS: dict[str, tuple[str, ...]] = {
    "nip": ("NIP BARU", "NIP"),
    "name": ("NAMA",),
    "unor_id": ("UNOR ID",),
    "unor_name": ("UNOR NAMA",),
    "position": ("JABATAN NAMA",),
    "position_kind": ("JENIS JABATAN NAMA",),
    "rank": ("GOL AKHIR NAMA",),
    "legal": ("KEDUDUKAN HUKUM ID",),
    "title_before": ("GELAR DEPAN",),
    "title_after": ("GELAR BELAKANG",),
    "nik": ("NIK",),
    "pns_id": ("PNS ID",),
    "tmt_cpns": ("TMT CPNS",),
    "tmt_position": ("TMT JABATAN",),
    "eselon": ("ESELON NAMA",),
}
REQUIRED = ("nip", "name", "position", "position_kind", "rank", "legal")
_ROMAN = "I II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI XVII"
ROMAN_GRADES = {r: i for i, r in enumerate(_ROMAN.split(" "), start=1)}
_RANK = re.compile(r"(?i)\b(IV|III|II|I)\s*/\s*([a-e])\b")
_JENJANG = re.compile(
    r"(?i)\b(ahli utama|ahli madya|ahli muda|ahli pertama|penyelia|mahir|terampil|pemula)\b"
)


def position_kind(value: str) -> str | None:
    words = value.casefold()
    if "umum" in words or "pelaksana" in words or words.strip() == "jfu":
        return Position.Kind.PELAKSANA
    if "struktural" in words:
        return Position.Kind.STRUKTURAL
    if "fungsional" in words or words.strip() == "jft":
        return Position.Kind.FUNGSIONAL
    return None


def pns_rank(value: str) -> str | None:
    """ "III/a" for "III/a", "III/A", "Penata Muda (III/a)"; None if not a golongan/ruang."""
    m = _RANK.search(value)
    if not m:
        return None
    rank = f"{m.group(1).upper()}/{m.group(2).lower()}"
    return rank if rank in PNS_RANKS else None


def pppk_grade(value: str) -> str | None:
    """ "9" for "IX", "9" or "09"; None unless a grade 1-17."""
    raw = value.strip().upper()
    raw = re.sub(r"^(GOLONGAN|GRADE)\s*", "", raw)
    number = int(raw) if raw.isdigit() else ROMAN_GRADES.get(raw)
    return str(number) if number is not None and 1 <= number <= 17 else None


def nik_valid(value: str) -> bool:
    """A NIK is 16 digits: region (6), birth date DDMMYY (DD + 40 for women), serial (4)."""
    if not (len(value) == 16 and value.isascii() and value.isdigit()):
        return False
    day, month, year = int(value[6:8]), int(value[8:10]), int(value[10:12])
    if day > 40:
        day -= 40
    if value[12:16] == "0000" or value[:2] == "00":
        return False
    for century in (1900, 2000):
        try:
            date(century + year, month, day)
            return True
        except ValueError:
            continue
    return False


@dataclass(slots=True)
class Person:
    row: int
    nip: str
    name: str
    status: str
    rank: str
    position: str
    unit: Unit
    pns_id: str | None  # None: the file has no PNS ID column
    active_from: date | None  # None: no date in the file


class EmployeeImporter:
    kind = KIND

    def plan(self, data: bytes, name: str, *, agency: Agency, options: dict[str, Any]) -> Plan:
        table, problems = tabular.read(data, name)
        plan = Plan(kind=KIND, file=name, rows=0, problems=problems)
        if table is None:
            return plan
        plan.rows = len(table.rows)
        cols, extra = tabular.columns(table.headers, COLUMNS)
        missing = [COLUMNS[f][0] for f in REQUIRED if f not in cols]
        if "unor_id" not in cols and "unor_name" not in cols:
            missing.append("UNOR ID")
        if missing:
            plan.problems.extend(tabular.missing_column(name, table.header_row, c) for c in missing)
            return plan
        twice = tabular.duplicated(name, table.headers, table.header_row, cols.values())
        if twice:
            plan.problems.extend(twice)
            return plan
        if extra:
            plan.problems.append(
                Problem(
                    name,
                    table.header_row,
                    "",
                    _("These columns are not read by sigap and are ignored: %(columns)s.")
                    % {"columns": ", ".join(extra)},
                    severity="warning",
                )
            )
        people = self._rows(plan, table, cols, agency)
        self._compare(plan, people, agency)
        return plan

    def _rows(self, plan: Plan, table: Any, cols: dict[str, str], agency: Agency) -> list[Person]:
        name = plan.file
        add = plan.problems.append
        units = UnitIndex(agency)
        unit_col = cols.get("unor_id") or cols["unor_name"]
        positions: dict[str, tuple[str, str]] = {}  # name -> (kind, level), first row wins
        people: list[Person] = []
        today = timezone.localdate()

        def cell(row: Any, f: str) -> str:
            return tabular.text(row.cells.get(cols[f], "")) if f in cols else ""

        for row in table.rows:
            ok = True

            def err(field: str, message: str, row: Any = row) -> None:
                nonlocal ok
                ok = False
                add(Problem(name, row.number, cols.get(field, COLUMNS[field][0]), message))

            nip = cell(row, "nip").replace(" ", "").replace("'", "")
            legal = cell(row, "legal")
            legal = legal[:-2] if legal.endswith(".0") else legal
            if not legal:
                err("legal", _("The legal status (KEDUDUKAN HUKUM ID) is empty."))
            status = Employee.Status.PPPK if legal in PPPK_LEGAL_IDS else Employee.Status.PNS
            if _number_cell(row.cells.get(cols["nip"])):
                err("nip", _number_cell_message())
            else:
                try:
                    (validate_pppk_number if status == Employee.Status.PPPK else validate_nip)(nip)
                except ValidationError as exc:
                    err("nip", exc.messages[0])
            person_name = cell(row, "name")
            if not person_name:
                err("name", _("The name is empty."))
            before, after = cell(row, "title_before"), cell(row, "title_after")
            shown = " ".join(p for p in (before, person_name) if p)
            if after:
                shown = f"{shown}, {after}"
            raw_rank = cell(row, "rank")
            rank = pppk_grade(raw_rank) if status == Employee.Status.PPPK else pns_rank(raw_rank)
            if rank is None:
                if status == Employee.Status.PPPK:
                    err(
                        "rank",
                        _("“%(value)s” is not a PPPK grade (I to XVII, or 1 to 17).")
                        % {"value": raw_rank[:30]},
                    )
                else:
                    err(
                        "rank",
                        _("“%(value)s” is not a golongan/ruang such as III/a.")
                        % {"value": raw_rank[:30]},
                    )
            nik = cell(row, "nik").replace(" ", "").replace("'", "")
            if "nik" in cols and _number_cell(row.cells.get(cols["nik"])):
                err("nik", _number_cell_message())
            elif nik and not nik_valid(nik):
                # The value is not repeated: a NIK is personal data.
                err(
                    "nik",
                    _(
                        "The NIK is not valid: 16 digits, the 7th to 12th a birth date DDMMYY "
                        "(DD + 40 for women)."
                    ),
                )
            unit_ref = tabular.text(row.cells.get(unit_col, ""))
            unit = units.find(unit_ref)
            if unit is None and "unor_id" in cols and "unor_name" in cols and not unit_ref:
                unit = units.find(cell(row, "unor_name"))
            if unit is None:
                add(
                    Problem(
                        name,
                        row.number,
                        unit_col,
                        _("Unknown unit “%(ref)s”: import the unit tree first.")
                        % {"ref": unit_ref[:64]},
                    )
                )
                ok = False
            position = cell(row, "position")[:200]
            if not position:
                err("position", _("The position name is empty."))
            kind = position_kind(cell(row, "position_kind"))
            if kind is None:
                err(
                    "position_kind",
                    _("Unknown position type “%(value)s” (Struktural, Fungsional or Pelaksana).")
                    % {"value": cell(row, "position_kind")[:40]},
                )
            elif position and position not in positions:
                if kind == Position.Kind.STRUKTURAL:
                    level = normalise_eselon(cell(row, "eselon")) or ""
                else:
                    m = _JENJANG.search(position)
                    level = m.group(1).title() if m else ""
                positions[position] = (kind, level)
            active_from = None
            for f in ("tmt_cpns", "tmt_position"):
                raw = cell(row, f)
                if not raw:
                    continue
                day = tabular.parse_date(row.cells.get(cols[f]))
                if day is None or day > today:
                    err(
                        f,
                        _("“%(value)s” is not a date (write DD-MM-YYYY or YYYY-MM-DD).")
                        % {"value": raw[:30]},
                    )
                elif active_from is None:
                    active_from = day
            if ok and unit is not None and rank is not None:
                people.append(
                    Person(
                        row=row.number,
                        nip=nip,
                        name=shown[:200],
                        status=status,
                        rank=rank,
                        position=position,
                        unit=unit,
                        pns_id=cell(row, "pns_id")[:64] if "pns_id" in cols else None,
                        active_from=active_from,
                    )
                )
            elif nip:
                # Kept for the duplicate check only.
                people.append(
                    Person(row.number, nip, "", "", "", "", Unit(), None, None)  # marker
                )
        plan.payload = {"positions": positions}
        return people

    def _compare(self, plan: Plan, people: list[Person], agency: Agency) -> None:
        name = plan.file
        add = plan.problems.append
        nip_col = COLUMNS["nip"][0]
        by_nip: dict[str, list[Person]] = {}
        for p in people:
            by_nip.setdefault(p.nip, []).append(p)
        for nip, group in by_nip.items():
            if len(group) > 1:
                rows = ", ".join(str(p.row) for p in group)
                for p in group:
                    add(
                        Problem(
                            name,
                            p.row,
                            nip_col,
                            _("The NIP %(nip)s is on more than one row (rows %(rows)s).")
                            % {"nip": nip, "rows": rows},
                        )
                    )
        # Everyone of the agency, in one query; the file's other NIPs in chunks.
        ours = {
            e.nip: e
            for e in Employee.objects.filter(unit__agency=agency).select_related("position", "unit")
        }
        others = [n for n in by_nip if n not in ours]
        for i in range(0, len(others), CHUNK):
            taken = Employee.objects.filter(nip__in=others[i : i + CHUNK]).select_related(
                "unit__agency"
            )
            for other in taken:
                for p in by_nip[other.nip]:
                    add(
                        Problem(
                            name,
                            p.row,
                            nip_col,
                            _(
                                "The NIP %(nip)s belongs to an employee of another agency "
                                "(%(agency)s)."
                            )
                            % {"nip": other.nip, "agency": other.unit.agency.name},
                        )
                    )
        if plan.errors:
            return

        known = {p.name: p for p in Position.objects.all()}
        new_positions = {n: kl for n, kl in plan.payload["positions"].items() if n not in known}
        today = timezone.localdate()
        what = _("Employee")
        labels = {
            "name": _("name"),
            "status": _("ASN status"),
            "rank": pgettext("employee", "rank"),  # pangkat, not a ranking
            "position": _("position"),
            "unit": _("unit"),
            "pns_id": _("SIASN PNS ID"),
            "active_from": _("active from"),
            "active_until": _("active until"),
        }
        creates: list[dict[str, Any]] = []
        updates: list[tuple[int, dict[str, Any]]] = []
        changes = plan.changes
        for p in people:
            label = f"{p.nip} {p.name}"
            e = ours.get(p.nip)
            if e is None:
                active_from = p.active_from or _nip_month(p.nip, p.status) or today
                values = {
                    "nip": p.nip,
                    "name": p.name,
                    "status": p.status,
                    "rank": p.rank,
                    "position": p.position,
                    "unit": p.unit.pk,
                    "pns_id": p.pns_id or "",
                    "active_from": active_from,
                }
                creates.append(values)
                fields = {
                    labels["name"]: ("", p.name),
                    labels["status"]: ("", p.status.upper()),
                    labels["rank"]: ("", p.rank),
                    labels["position"]: ("", p.position),
                    labels["unit"]: ("", p.unit.name),
                    labels["active_from"]: ("", active_from.isoformat()),
                }
                changes.append(Change("create", what, label, fields, row=p.row))
                continue
            diff: dict[str, Any] = {}
            fields = {}
            for f, old, new, old_text, new_text in (
                ("name", e.name, p.name, e.name, p.name),
                ("status", e.status, p.status, e.status.upper(), p.status.upper()),
                ("rank", e.rank, p.rank, e.rank, p.rank),
                ("position", e.position.name, p.position, e.position.name, p.position),
                ("unit", e.unit_id, p.unit.pk, e.unit.name, p.unit.name),
            ):
                if old != new:
                    diff[f] = new
                    fields[labels[f]] = (old_text, new_text)
            if p.pns_id is not None and p.pns_id != e.pns_id:
                diff["pns_id"] = p.pns_id
                fields[labels["pns_id"]] = (e.pns_id, p.pns_id)
            if p.active_from is not None and p.active_from != e.active_from:
                diff["active_from"] = p.active_from
                fields[labels["active_from"]] = (
                    e.active_from.isoformat(),
                    p.active_from.isoformat(),
                )
            if e.active_until is not None:  # back in the file: active again
                diff["active_until"] = None
                fields[labels["active_until"]] = (e.active_until.isoformat(), "")
            if diff:
                updates.append((e.pk, diff))
                changes.append(Change("update", what, label, fields, row=p.row))
            else:
                changes.append(Change("unchanged", what, label, row=p.row))
        deactivate: list[int] = []
        for nip, e in ours.items():
            if nip in by_nip:
                continue
            if e.active_until is None or e.active_until > today:
                deactivate.append(e.pk)
                changes.append(
                    Change(
                        "deactivate",
                        what,
                        f"{e.nip} {e.name}",
                        {
                            labels["active_until"]: (
                                e.active_until.isoformat() if e.active_until else "",
                                today.isoformat(),
                            )
                        },
                    )
                )
        plan.payload = {
            "positions": new_positions,
            "creates": creates,
            "updates": updates,
            "deactivate": deactivate,
            "today": today,
        }

    def write(self, plan: Plan, *, agency: Agency, actor: Any) -> None:
        payload = plan.payload
        if payload["positions"]:
            Position.objects.bulk_create(
                [
                    Position(name=n, kind=kind, level=level)
                    for n, (kind, level) in payload["positions"].items()
                ],
                batch_size=BATCH,
            )
        position_pk = dict(Position.objects.values_list("name", "pk"))  # hundreds, not more
        Employee.objects.bulk_create(
            [
                Employee(
                    nip=v["nip"],
                    name=v["name"],
                    status=v["status"],
                    rank=v["rank"],
                    position_id=position_pk[v["position"]],
                    unit_id=v["unit"],
                    pns_id=v["pns_id"],
                    active_from=v["active_from"],
                )
                for v in payload["creates"]
            ],
            batch_size=BATCH,
        )
        if payload["updates"]:
            by_fields: dict[tuple[str, ...], list[Employee]] = {}
            for pk, diff in payload["updates"]:
                e = Employee(pk=pk)
                for f, v in diff.items():
                    if f == "position":
                        e.position_id = position_pk[v]
                    elif f == "unit":
                        e.unit_id = v
                    else:
                        setattr(e, f, v)
                names = tuple(sorted(diff))
                by_fields.setdefault(names, []).append(e)
            for names, objs in by_fields.items():
                Employee.objects.bulk_update(objs, list(names), batch_size=BATCH)
        for i in range(0, len(payload["deactivate"]), CHUNK):
            Employee.objects.filter(pk__in=payload["deactivate"][i : i + CHUNK]).update(
                active_until=payload["today"]
            )
        root = Unit.objects.filter(agency=agency, parent__isnull=True).order_by("path").first()
        audit_record(
            actor=actor,
            action="onboarding.employees",
            obj=agency,
            unit=root,
            data={"file": plan.file[:200], **plan.counts()},
        )


def _number_cell(value: object) -> bool:
    """A workbook cell holding an 18-digit NIP or a 16-digit NIK as a number: Excel keeps only 15
    significant digits of a number, so the last ones are already lost (…011003 became …011000)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 10**15


def _number_cell_message() -> str:
    return _(
        "The workbook stores this number as a number, and Excel keeps only its first 15 "
        "digits: format the column as Text and type or paste the numbers again (or upload the "
        "CSV that SIASN exports)."
    )


def _nip_month(nip: str, status: str) -> date | None:
    """The first day of a PNS NIP's appointment month (digits 9-14)."""
    if status != Employee.Status.PNS:
        return None
    try:
        return date(int(nip[8:12]), int(nip[12:14]), 1)
    except ValueError:
        return None


register(EmployeeImporter(), action=Action.ONBOARD_PEOPLE.value)
