"""Onboarding the staff's accounts and roles (kind "accounts") from a CSV or XLSX file.

One row gives one role to one employee: columns found by header name (case, spaces and
punctuation ignored), never by position:

- `nip` (required): the employee's NIP; the employee must be in the agency (import the
  employees first) and active today;
- `peran` (required): the role, as its Indonesian label ("Petugas layanan", "Kepala unit",
  "BKPSDM", "Inspektorat", "Ombudsman", "Pimpinan", "Administrator", "Bendahara"), its English
  label, or its code (`officer`, `unit_head`, `hr`, `inspector`, `ombudsman`, `leadership`,
  `admin`, `cashier`);
- `unit` (optional): where the role holds (that unit and every unit below it), by SIASN UNOR
  id, sigap code or exact name (`sigap.onboarding.lookup.UnitIndex`); blank = the employee's
  own unit;
- `email` (optional): the new account's e-mail address.

The first row of an employee without an account creates a Django user: user name = the NIP, no
usable password, linked to the employee (`Employee.user`). Each row then becomes a role
assignment through `sigap.accounts.services.role_assign` (audited as "role.assign"). An employee
may have several rows (several roles or units).

**The two-person rule holds.** A role that opens whistleblowing reports (the inspector role,
`needs_second_person`) is never assigned by an import: applying it records a pending
`RoleGrant` requested by the person applying the import (`grant_request`), and the role exists
only once a second authorised person approves it on the Inspector role grants page. The
command line has no person to be the requester, so an import with such a row applied by
`sigap onboard` without `--as USER` (actor None) is refused as a whole with a problem on that
row (the dry run warns of it on its `peran` cell): apply it on the page, or leave the row out
and request the role on the grants page.

**Activation links.** Each account created gets a one-time link to set its password
(`sigap.accounts.activation`); only its hash is stored. `write` puts the plain links on the
plan: after `apply`, `plan.payload.links` is a list of `ActivationLink(nip, name, url)` in file
order, one per account created (empty on a re-run that creates none). The caller shows them
once: `links_csv(plan.payload.links)` is the download (nip, name, link) for the page, the
command prints them. `sigap accounts activation-link NIP` makes a fresh one later.

**A re-run** leaves existing users, assignments and pending requests as they are ("unchanged"),
creates what is new, and revokes nothing: roles held over the agency's units by its employees
but missing from the file are listed in one warning (withdraw them in the admin if they should
go). An existing account's e-mail is not changed by an import (a warning says so).

Refused (errors with file, row and column): a missing `nip` or `peran` column, an unknown or
inactive NIP, a NIP whose user name is taken by an account not linked to that employee, an
unknown role or unit, an invalid e-mail, the same NIP, role and unit twice (both rows named).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sigap.accounts.activation import activation_issue
from sigap.accounts.models import Role, RoleAssignment, RoleGrant
from sigap.accounts.roles import Action
from sigap.accounts.services import grant_request, may_request, needs_second_person, role_assign
from sigap.audit.services import audit_record
from sigap.competency.sheets import Unreadable, read_table
from sigap.onboarding.lookup import UnitIndex
from sigap.onboarding.plan import Change, ImportRefused, Plan, Problem, Severity, register
from sigap.organisation.models import Agency, Employee, Unit
from sigap.spreadsheets import to_csv

KIND = "accounts"
COMMAND_LINE = "sigap onboard"  # the audit trail's name for an import without a person
MISSING_SHOWN = 20  # roles missing from the file named in the warning (then "and N more")

COLUMNS: dict[str, tuple[str, ...]] = {
    "nip": ("nip", "nip baru"),
    "role": ("peran", "role"),
    "unit": ("unit", "unor", "unor id", "unit kerja"),
    "email": ("email", "e-mail", "surel", "surat elektronik"),
}
REQUIRED = ("nip", "role")

# Short names people write, besides each role's code and its English and Indonesian labels.
ROLE_ALIASES: dict[str, str] = {
    "petugas": Role.OFFICER,
    "petugas layanan": Role.OFFICER,
    "kepala unit": Role.UNIT_HEAD,
    "bkpsdm": Role.HR,
    "bkd": Role.HR,
    "kepegawaian": Role.HR,
    "inspektorat": Role.INSPECTOR,
    "ombudsman": Role.OMBUDSMAN,
    "pimpinan": Role.LEADERSHIP,
    "administrator": Role.ADMIN,
    "admin": Role.ADMIN,
    "bendahara": Role.CASHIER,
    "bendahara penerimaan": Role.CASHIER,
    "kasir": Role.CASHIER,
}


@dataclass(frozen=True, slots=True)
class ActivationLink:
    """One account's activation link, shown once to whoever applied the import."""

    nip: str
    name: str
    url: str


@dataclass(slots=True)
class _Row:
    number: int
    employee: Employee
    role: str
    unit: Unit
    email: str


@dataclass(slots=True)
class AccountsPayload:
    """What `write` needs, and (after it ran) the links it made: `links`."""

    new_users: list[_Row] = field(default_factory=list)  # the first row of each new account
    assignments: list[_Row] = field(default_factory=list)  # new role assignments
    grants: list[_Row] = field(default_factory=list)  # new two-person requests
    links: list[ActivationLink] = field(default_factory=list)


def _key(text: object) -> str:
    return re.sub(r"[^0-9a-z]+", "", str(text).casefold())


def _text(value: object) -> str:
    return " ".join(str(value if value is not None else "").split())


def role_names() -> dict[str, str]:
    """Every way the file may name a role (normalised) -> the role's code."""
    names = {_key(alias): role for alias, role in ROLE_ALIASES.items()}
    for language in ("en", "id"):
        with translation.override(language):
            for code, label in Role.choices:
                names[_key(label)] = code
    for code in Role.values:
        names[_key(code)] = code
    return names


def _columns(headers: list[str]) -> dict[str, str]:
    by_key: dict[str, str] = {}
    for header in headers:
        if header and _key(header) not in by_key:
            by_key[_key(header)] = header
    found: dict[str, str] = {}
    for name, aliases in COLUMNS.items():
        for alias in aliases:
            if _key(alias) in by_key:
                found[name] = by_key[_key(alias)]
                break
    return found


def _role_label(role: str) -> str:
    return str(Role(role).label)


def _unreadable(name: str, exc: Unreadable) -> Problem:
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
    return Problem(name, exc.row or 0, "", words.get(exc.code, words["broken"]))


def _reporter(plan: Plan, number: int, cols: dict[str, str]) -> Any:
    """problem(column, message, severity="error"): a problem on row `number`, its column named
    as the file writes it."""

    def problem(column: str, message: str, severity: Severity = "error") -> None:
        plan.problems.append(Problem(plan.file, number, cols.get(column, ""), message, severity))

    return problem


class AccountsImporter:
    kind = KIND

    @property
    def label(self) -> str:
        return _("Staff accounts")

    def plan(self, data: bytes, name: str, *, agency: Agency, options: dict[str, Any]) -> Plan:
        plan = Plan(kind=KIND, file=name, rows=0, payload=AccountsPayload())
        try:
            table = read_table(data)
        except Unreadable as exc:
            plan.problems.append(_unreadable(name, exc))
            return plan
        plan.rows = len(table.rows)
        cols = _columns(table.headers)
        missing = [c for c in REQUIRED if c not in cols]
        for column in missing:
            plan.problems.append(
                Problem(
                    name,
                    table.header_row,
                    COLUMNS[column][0],
                    _("This column is missing from the header."),
                )
            )
        if missing:
            return plan
        self._rows(plan, table.rows, cols, agency)
        return plan

    def _rows(self, plan: Plan, rows: list[Any], cols: dict[str, str], agency: Agency) -> None:
        payload: AccountsPayload = plan.payload
        today = timezone.localdate()
        nips = {_text(r.cells.get(cols["nip"])) for r in rows} - {""}
        employees = {
            e.nip: e
            for e in Employee.objects.filter(nip__in=nips, unit__agency=agency).select_related(
                "unit", "user"
            )
        }
        taken = {
            u.username: u for u in User.objects.filter(username__in=nips).select_related("employee")
        }
        units = UnitIndex(agency)
        roles = role_names()
        user_ids = [e.user_id for e in employees.values() if e.user_id]
        held = set(
            RoleAssignment.objects.filter(user_id__in=user_ids).values_list(
                "user_id", "role", "unit_id"
            )
        )
        pending = set(
            RoleGrant.objects.filter(
                user_id__in=user_ids, status=RoleGrant.Status.PENDING
            ).values_list("user_id", "role", "unit_id")
        )
        seen: dict[tuple[str, str, int], int] = {}
        new_users: dict[str, _Row] = {}
        old_users: set[str] = set()
        in_file: set[tuple[int, str, int]] = set()
        for row in rows:
            errors_before = len(plan.errors)
            nip = _text(row.cells.get(cols["nip"]))
            role_text = _text(row.cells.get(cols["role"]))
            unit_text = _text(row.cells.get(cols["unit"])) if "unit" in cols else ""
            email = _text(row.cells.get(cols["email"])) if "email" in cols else ""

            problem = _reporter(plan, row.number, cols)
            employee = employees.get(nip)
            if not nip:
                problem("nip", _("The NIP is empty."))
            elif employee is None and not isinstance(row.cells.get(cols["nip"]), str):
                # A workbook cell holding the NIP as a number: Excel keeps 15 digits of 18.
                problem(
                    "nip",
                    _(
                        "The NIP is stored as a number, so the spreadsheet has lost its last "
                        "digits: format the column as text and type the NIPs again."
                    ),
                )
            elif employee is None:
                problem(
                    "nip",
                    _(
                        "No employee of this agency has this NIP: import the employees first, "
                        "or check the number."
                    ),
                )
            elif not employee.is_active_on(today):
                problem(
                    "nip",
                    _("This employee is not active (no longer, or not yet, in the agency)."),
                )
            elif employee.user_id is None and nip in taken:
                problem(
                    "nip",
                    _(
                        "An account with this NIP as its user name exists but belongs to no "
                        "employee or to another one: link it to the employee in the admin, or "
                        "rename it."
                    ),
                )
            role = roles.get(_key(role_text)) if role_text else None
            if role is None:
                problem(
                    "role",
                    _("Unknown role “%(role)s”. Write one of: %(roles)s.")
                    % {
                        "role": role_text,
                        "roles": ", ".join(_role_label(r) for r in Role.values),
                    },
                )
            unit: Unit | None = None
            if unit_text:
                unit = units.find(unit_text)
                if unit is None:
                    problem(
                        "unit",
                        _(
                            "No unit of this agency has this UNOR id, code or name (a name "
                            "two units share finds none: use the id)."
                        ),
                    )
            elif employee is not None:
                unit = employee.unit
            if email:
                try:
                    validate_email(email)
                except ValidationError:
                    problem("email", _("This is not an e-mail address."))
            if len(plan.errors) > errors_before or employee is None or role is None or not unit:
                continue
            key = (nip, role, unit.pk)
            if key in seen:
                problem(
                    "",
                    _("The same NIP, role and unit are already in row %(row)d.")
                    % {"row": seen[key]},
                )
                continue
            seen[key] = row.number
            item = _Row(row.number, employee, role, unit, email)
            who = f"{employee.nip} {employee.name}"
            user = employee.user
            if user is None and nip not in new_users:
                new_users[nip] = item
                payload.new_users.append(item)
                plan.changes.append(
                    Change(
                        "create",
                        _("Account"),
                        who,
                        {_("e-mail"): ("", email)} if email else {},
                        row.number,
                    )
                )
            elif user is not None and nip not in old_users:
                old_users.add(nip)
                plan.changes.append(Change("unchanged", _("Account"), who, row=row.number))
                if email and email != user.email:
                    problem(
                        "email",
                        _("The account exists: an import does not change its e-mail."),
                        "warning",
                    )
                if not user.is_active:
                    problem(
                        "nip",
                        _("This account is deactivated: it keeps its roles but cannot log in."),
                        "warning",
                    )
            label = f"{who} — {_role_label(role)} — {unit.name}"
            state = (user.pk, role, unit.pk) if user is not None else None
            if state is not None:
                in_file.add(state)
            if state is not None and state in held:
                plan.changes.append(Change("unchanged", _("Role"), label, row=row.number))
            elif needs_second_person(role):
                if state is not None and state in pending:
                    plan.changes.append(
                        Change("unchanged", _("Role request"), label, row=row.number)
                    )
                    continue
                payload.grants.append(item)
                plan.changes.append(Change("create", _("Role request"), label, row=row.number))
                problem(
                    "role",
                    _(
                        "This role opens whistleblowing reports: the import only requests it, "
                        "in the name of the person applying the import, and a second "
                        "authorised person must approve it (Inspector role grants). Without a "
                        "person (the command line without --as) it cannot be requested: apply "
                        "this file on the page."
                    ),
                    "warning",
                )
            else:
                payload.assignments.append(item)
                plan.changes.append(Change("create", _("Role"), label, row=row.number))
        self._missing(plan, agency, in_file)

    def _missing(self, plan: Plan, agency: Agency, in_file: set[tuple[int, str, int]]) -> None:
        """One warning naming the roles the agency's staff hold that the file leaves out."""
        held = (
            RoleAssignment.objects.filter(unit__agency=agency, user__employee__unit__agency=agency)
            .select_related("unit", "user__employee")
            .order_by("user__employee__nip", "role", "unit__path")
        )
        left = [a for a in held if (a.user_id, a.role, a.unit_id) not in in_file]
        if not left:
            return
        shown = "; ".join(
            f"{a.user.employee.nip} {_role_label(a.role)} — {a.unit.name}"
            for a in left[:MISSING_SHOWN]
        )
        more = len(left) - MISSING_SHOWN
        if more > 0:
            shown += " " + _("and %(count)d more") % {"count": more}
        plan.problems.append(
            Problem(
                plan.file,
                0,
                "",
                _(
                    "Roles held that the file does not list are kept (an import never "
                    "withdraws a role; do it in the admin if they should go): %(roles)s."
                )
                % {"roles": shown},
                "warning",
            )
        )

    def write(self, plan: Plan, *, agency: Agency, actor: Any) -> None:
        payload: AccountsPayload = plan.payload
        person = actor if getattr(actor, "is_authenticated", False) else None
        refused = [
            Problem(
                plan.file,
                item.number,
                "",
                _(
                    "The inspector role needs a person to request it and a second one to "
                    "approve it: the command line without --as cannot request it. Apply this "
                    "file on the page, or leave the row out."
                )
                if person is None
                else _("You may not request the inspector role over this unit."),
            )
            for item in payload.grants
            if person is None or not may_request(person, item.unit)
        ]
        if refused:
            raise ImportRefused(refused)
        by = person if person is not None else COMMAND_LINE
        users: dict[str, User] = {}
        for item in payload.new_users:
            employee = item.employee
            user = User.objects.create_user(
                username=employee.nip, email=item.email, first_name=employee.name[:150]
            )  # no password given: an unusable one, until the activation link sets it
            employee.user = user
            employee.save(update_fields=["user"])
            audit_record(
                actor=by,
                action="account.create",
                obj=user,
                unit=employee.unit,
                data={"user_id": user.pk, "employee_id": employee.pk},
            )
            users[employee.nip] = user
            url = activation_issue(user=user, by=by)
            payload.links.append(ActivationLink(employee.nip, employee.name, url))
        for item in payload.assignments:
            holder = users.get(item.employee.nip) or item.employee.user
            assert holder is not None  # made above, or the employee's account
            role_assign(user=holder, role=item.role, unit=item.unit, by=by)
        for item in payload.grants:
            holder = users.get(item.employee.nip) or item.employee.user
            assert holder is not None and person is not None
            grant_request(user=holder, unit=item.unit, by=person, role=item.role)


def links_of(plan: Plan) -> list[ActivationLink]:
    """The activation links an applied plan made (none for a plan of another kind)."""
    return list(getattr(plan.payload, "links", None) or [])


def links_csv(links: list[ActivationLink]) -> bytes:
    """The activation links as a CSV download (nip, nama, tautan), shown once."""
    return to_csv(
        ["nip", "nama", "tautan_aktivasi"],
        [[link.nip, link.name, link.url] for link in links],
    )


register(AccountsImporter(), action=Action.ONBOARD_ORGANISATION)
