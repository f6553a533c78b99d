"""Onboarding the unit tree (kind "units"): SIASN's UNOR reference, or a simple CSV.

Two forms of the same tree are read:

- **UNOR** (`GET /referensi/ref-unor`), as JSON (the flat list, or {"data": [...]}) or as a
  CSV with its field names as headers: `Id`, `DiatasanId` (the parent), `NamaUnor`,
  `NamaJabatan` (the head's position), `EselonId`; `InstansiId`, `IndukUnorId`, `JenisUnorId`
  and `CepatKode` are accepted and not used. A unit is keyed by `Id` (stored as
  `Unit.siasn_id`); a new unit's sigap code is the slug of its name (a suffix -2, -3... when
  another unit of the agency has it); an existing unit keeps its code when renamed, so codes
  are stable across re-runs. A root the agency made by hand (no SIASN id) is the file's root
  and takes its id. In a JSON file, the "row" of a problem is the item's place in
  the list (1 = the first item) and the "column" the field name.
- **Simple CSV** (template units-unit-kerja.csv): `kode`, `induk` (the parent's kode,
  empty for the root), `nama`, optional `jenis`, `jabatan kepala`, `eselon`, `alamat`. A
  unit is keyed by its kode (slugified: it becomes the unit's code). `induk` may also name a
  unit already in sigap by its SIASN id, code or exact name (`sigap.onboarding.lookup`).

The kind of a unit the file does not give (UNOR never does) is inferred, first rule that holds:
no parent -> pemda; "Kecamatan" in the name -> kecamatan; "Puskesmas" or the word "UPT"/"UPTD"
in the name -> unit_layanan; eselon I or II -> opd; eselon III, IV or V -> bidang; no eselon
-> opd when the parent is the pemda, else bidang.

`EselonId` is SIASN's two-digit code (11 = I.a, 22 = II.b, 32 = III.b, 41 = IV.a...; the
coding is UNCERTAIN: read from community code) or the written form ("II.b", "III/a"); it is
stored written ("II.b").

A re-run changes only what differs (name, parent, kind, eselon, head's position, address when
the file has it); a unit of the agency missing from the file is never deleted: one warning
lists them. Refused (errors, with file, row, column): a required column missing, an id twice,
an empty name, a parent that is neither in the file nor in sigap, a cycle (every unit in it
named), an unknown kind or eselon, more than one root, or a root when the agency already has a
different one. Written parents first in the one transaction of `plan.apply`; `Unit.save`
keeps the materialised paths (a moved unit re-roots its subtree).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.text import slugify
from django.utils.translation import gettext as _

from sigap.accounts.roles import Action
from sigap.audit.services import audit_record
from sigap.onboarding import tabular
from sigap.onboarding.lookup import UnitIndex
from sigap.onboarding.plan import Change, Plan, Problem, register
from sigap.organisation.models import Agency, Unit

KIND = "units"
ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV", "5": "V"}

UNOR_FIELDS: dict[str, tuple[str, ...]] = {
    "key": ("Id",),
    "parent": ("DiatasanId",),
    "name": ("NamaUnor",),
    "head": ("NamaJabatan",),
    "eselon": ("EselonId",),
}
UNOR_IGNORED = ("InstansiId", "IndukUnorId", "JenisUnorId", "CepatKode", "PemimpinPnsId")
SIMPLE_FIELDS: dict[str, tuple[str, ...]] = {
    "key": ("kode", "code"),
    "parent": ("induk", "parent", "kode induk"),
    "name": ("nama", "name", "nama unit"),
    "kind": ("jenis", "kind", "jenis unit"),
    "head": ("jabatan kepala", "head position", "nama jabatan"),
    "eselon": ("eselon",),
    "address": ("alamat", "address"),
}
# A kind as a file writes it (compared without case, spaces or punctuation).
KIND_WORDS: dict[str, str] = {
    **dict.fromkeys(
        ("pemda", "pemerintah daerah", "pemerintah kabupaten", "pemerintah kota"), Unit.Kind.PEMDA
    ),
    **dict.fromkeys(("opd", "perangkat daerah", "dinas", "badan"), Unit.Kind.OPD),
    **dict.fromkeys(("bidang", "bagian", "division"), Unit.Kind.BIDANG),
    **dict.fromkeys(
        ("unit_layanan", "unit layanan", "upt", "uptd", "puskesmas", "service unit"),
        Unit.Kind.UNIT_LAYANAN,
    ),
    **dict.fromkeys(("kecamatan", "district"), Unit.Kind.KECAMATAN),
}
KINDS = {tabular.header_key(word): kind for word, kind in KIND_WORDS.items()}


@dataclass
class Entry:
    row: int
    key: str
    parent_ref: str
    name: str
    kind: str  # "" = to infer
    eselon: str
    head: str
    address: str | None  # None: the file has no address column
    cols: dict[str, str] = field(default_factory=dict)  # field -> column as the file writes it


def _shown(field: str, value: object) -> str:
    """A unit's value as a person reads it: the kind by its label ("Perangkat daerah (OPD)"),
    never its code."""
    if field == "kind" and value in Unit.Kind.values:
        return str(Unit.Kind(value).label)
    return str(value)


def normalise_eselon(value: str) -> str | None:
    """ "II.b" for "22", "II.b", "IIb", "II/B", "Eselon II.b"; "" for none; None if unknown."""
    raw = re.sub(r"(?i)^eselon\s*", "", value.strip())
    if raw in ("", "0", "00", "99", "-"):
        return ""
    if re.fullmatch(r"[1-5][1-2]", raw):
        return f"{ROMAN[raw[0]]}.{'ab'[int(raw[1]) - 1]}"
    m = re.fullmatch(r"(?i)(IV|V|I{1,3})\s*[./-]?\s*([ab])", raw)
    if m:
        return f"{m.group(1).upper()}.{m.group(2).lower()}"
    m = re.fullmatch(r"(?i)(IV|V|I{1,3})", raw)
    return m.group(1).upper() if m else None


def infer_kind(name: str, eselon: str, *, root: bool, parent_kind: str) -> str:
    """The kind of a unit the file does not give (the rule in the module's docstring)."""
    words = name.casefold()
    if root:
        return Unit.Kind.PEMDA
    if "kecamatan" in words:
        return Unit.Kind.KECAMATAN
    if "puskesmas" in words or re.search(r"\bupt[d]?\b", words):
        return Unit.Kind.UNIT_LAYANAN
    level = eselon.split(".")[0]
    if level in ("I", "II"):
        return Unit.Kind.OPD
    if level in ("III", "IV", "V"):
        return Unit.Kind.BIDANG
    return Unit.Kind.OPD if parent_kind == Unit.Kind.PEMDA else Unit.Kind.BIDANG


def _json_entries(data: bytes, name: str) -> tuple[list[Entry], list[Problem]]:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: nested too deep
        return [], [Problem(name, 0, "", _("The file is not valid JSON."))]
    items = doc.get("data") if isinstance(doc, dict) else doc
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        return [], [Problem(name, 0, "", _("The JSON is not a list of UNOR records."))]
    problems: list[Problem] = []
    fields = {f: names[0] for f, names in UNOR_FIELDS.items()}
    present = {k for item in items for k in item}
    for f in ("key", "parent", "name"):
        if items and fields[f] not in present:
            problems.append(tabular.missing_column(name, 0, fields[f]))
    entries = [
        Entry(
            row=i,
            key=tabular.text(item.get("Id")),
            parent_ref=tabular.text(item.get("DiatasanId")),
            name=tabular.text(item.get("NamaUnor")),
            kind="",
            eselon=tabular.text(item.get("EselonId")),
            head=tabular.text(item.get("NamaJabatan")),
            address=None,
            cols=fields,
        )
        for i, item in enumerate(items, start=1)
    ]
    return ([] if problems else entries), problems


def _csv_entries(data: bytes, name: str) -> tuple[list[Entry], list[Problem], bool]:
    """The entries of a CSV/XLSX file, its problems, and whether it is the UNOR form."""
    table, problems = tabular.read(data, name)
    if table is None:
        return [], problems, False
    keys = {tabular.header_key(h) for h in table.headers}
    unor = "namaunor" in keys or "diatasanid" in keys
    wanted = UNOR_FIELDS if unor else SIMPLE_FIELDS
    cols, _extra = tabular.columns(table.headers, wanted)
    required = ("key", "parent", "name")
    missing = [wanted[f][0] for f in required if f not in cols]
    if missing:
        return [], [tabular.missing_column(name, table.header_row, c) for c in missing], unor
    twice = tabular.duplicated(name, table.headers, table.header_row, cols.values())
    if twice:
        return [], twice, unor

    def cell(row: Any, f: str) -> str:
        return tabular.text(row.cells.get(cols[f], "")) if f in cols else ""

    entries = []
    for row in table.rows:
        key = cell(row, "key")
        entries.append(
            Entry(
                row=row.number,
                key=key if unor else slugify(key)[:60],
                parent_ref=cell(row, "parent"),
                name=cell(row, "name"),
                kind=cell(row, "kind"),
                eselon=cell(row, "eselon"),
                head=cell(row, "head"),
                address=cell(row, "address") if "address" in cols else None,
                cols={f: cols.get(f, wanted[f][0]) for f in wanted},
            )
        )
    return entries, [], unor


def _is_json(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{")


class UnitImporter:
    kind = KIND

    def plan(self, data: bytes, name: str, *, agency: Agency, options: dict[str, Any]) -> Plan:
        if _is_json(data):
            entries, problems = _json_entries(data, name)
            unor = True
        else:
            entries, problems, unor = _csv_entries(data, name)
        plan = Plan(kind=KIND, file=name, rows=len(entries), problems=problems)
        if problems:
            return plan
        self._check(plan, entries, agency, unor)
        return plan

    def _check(self, plan: Plan, entries: list[Entry], agency: Agency, unor: bool) -> None:
        name = plan.file
        add = plan.problems.append
        # Ids: present and once.
        by_key: dict[str, Entry] = {}
        seen: dict[str, list[Entry]] = {}
        id_max = Unit._meta.get_field("siasn_id").max_length or 64
        for e in entries:
            if not e.key:
                add(Problem(name, e.row, e.cols["key"], _("The unit has no id.")))
                continue
            if unor and len(e.key) > id_max:  # a SIASN UNOR id is 32 hexadecimal digits
                add(
                    Problem(
                        name,
                        e.row,
                        e.cols["key"],
                        _("The id is longer than %(max)d characters: it is no SIASN UNOR id.")
                        % {"max": id_max},
                    )
                )
                continue
            seen.setdefault(e.key.casefold(), []).append(e)
        for group in seen.values():
            if len(group) > 1:
                rows = ", ".join(str(e.row) for e in group)
                for e in group:
                    add(
                        Problem(
                            name,
                            e.row,
                            e.cols["key"],
                            _("The id “%(id)s” is on more than one row (rows %(rows)s).")
                            % {"id": e.key[:64], "rows": rows},
                        )
                    )
            by_key[group[0].key.casefold()] = group[0]
        for e in entries:
            if not e.name:
                add(Problem(name, e.row, e.cols["name"], _("The unit has no name.")))
            eselon = normalise_eselon(e.eselon)
            if eselon is None:
                add(
                    Problem(
                        name,
                        e.row,
                        e.cols["eselon"],
                        _("Unknown eselon “%(value)s” (write II.b, or SIASN's code such as 22).")
                        % {"value": e.eselon[:20]},
                    )
                )
            else:
                e.eselon = eselon
            if e.kind:
                kind = KINDS.get(tabular.header_key(e.kind))
                if kind is None:
                    add(
                        Problem(
                            name,
                            e.row,
                            e.cols["kind"],
                            _(
                                "Unknown kind “%(value)s” (pemda, opd, bidang, unit layanan or "
                                "kecamatan)."
                            )
                            % {"value": e.kind[:40]},
                        )
                    )
                else:
                    e.kind = kind
        entries = [by_key[k] for k in by_key]  # the first row of each id from here on

        existing = list(Unit.objects.filter(agency=agency))
        by_pk = {u.pk: u for u in existing}
        if unor:
            match = {u.siasn_id.casefold(): u for u in existing if u.siasn_id}
        else:
            match = {u.code.casefold(): u for u in existing}
        matched: dict[str, Unit] = {k: match[k] for k in by_key if k in match}
        roots = [k for k, e in by_key.items() if not e.parent_ref]
        current_root = min(
            (u for u in existing if u.parent_id is None), key=lambda u: u.path, default=None
        )
        if (
            unor
            and roots
            and roots[0] not in matched
            and current_root is not None
            and not current_root.siasn_id
        ):
            matched[roots[0]] = current_root  # a root made by hand takes the UNOR's id
        index = UnitIndex(agency)

        # Parents: ("file", key), ("db", pk) or None for a root.
        parents: dict[str, tuple[str, Any] | None] = {}
        for k, e in by_key.items():
            ref = e.parent_ref
            if not ref:
                parents[k] = None
            elif ref.casefold() in by_key:
                parents[k] = ("file", ref.casefold())
            elif (unit := index.find(ref)) is not None:
                parents[k] = ("db", unit.pk)
            else:
                parents[k] = None
                add(
                    Problem(
                        name,
                        e.row,
                        e.cols["parent"],
                        _("The parent unit “%(ref)s” is neither in the file nor in sigap.")
                        % {"ref": ref[:64]},
                    )
                )
        self._cycles(plan, by_key, parents, matched, by_pk)

        # Roots: at most one, and the agency's own when it has one.
        for k in roots[1:]:
            e = by_key[k]
            add(
                Problem(
                    name,
                    e.row,
                    e.cols["parent"],
                    _("A second unit without a parent: the tree has one root (row %(row)s).")
                    % {"row": by_key[roots[0]].row},
                )
            )
        if roots and current_root is not None and matched.get(roots[0]) != current_root:
            e = by_key[roots[0]]
            add(
                Problem(
                    name,
                    e.row,
                    e.cols["parent"],
                    _(
                        "The agency already has a root unit, “%(root)s”: give this unit a "
                        "parent, or this row the root's id."
                    )
                    % {"root": current_root.name},
                )
            )
        if plan.errors:
            return
        self._changes(plan, by_key, parents, matched, by_pk, existing, unor)

    def _cycles(
        self,
        plan: Plan,
        by_key: dict[str, Entry],
        parents: dict[str, tuple[str, Any] | None],
        matched: dict[str, Unit],
        by_pk: dict[int, Unit],
    ) -> None:
        """Every cycle of the tree the file would make (file parents over sigap's for the
        units the file names), each reported once with every unit in it."""
        file_pk = {u.pk: k for k, u in matched.items()}

        def up(node: tuple[str, Any]) -> tuple[str, Any] | None:
            if node[0] == "file":
                return parents[node[1]]
            unit = by_pk.get(node[1])
            if unit is None or unit.parent_id is None:
                return None
            if unit.parent_id in file_pk:
                return ("file", file_pk[unit.parent_id])
            return ("db", unit.parent_id)

        done: set[tuple[str, Any]] = set()
        for k in by_key:
            trail: list[tuple[str, Any]] = []
            node: tuple[str, Any] | None = ("file", k)
            while node is not None and node not in done and node not in trail:
                trail.append(node)
                node = up(node)
            if node is not None and node in trail:
                cycle = trail[trail.index(node) :]
                names = [by_key[n[1]].name if n[0] == "file" else by_pk[n[1]].name for n in cycle]
                first = next((by_key[n[1]] for n in cycle if n[0] == "file"), by_key[k])
                plan.problems.append(
                    Problem(
                        plan.file,
                        first.row,
                        first.cols["parent"],
                        _("These units are each other's parents (a cycle): %(units)s.")
                        % {"units": " → ".join([*names, names[0]])},
                    )
                )
            done.update(trail)

    def _changes(
        self,
        plan: Plan,
        by_key: dict[str, Entry],
        parents: dict[str, tuple[str, Any] | None],
        matched: dict[str, Unit],
        by_pk: dict[int, Unit],
        existing: list[Unit],
        unor: bool,
    ) -> None:
        # Tree order: a unit after its parent in the file.
        order: list[str] = []
        placed: set[str] = set()

        def place(k: str) -> None:
            if k in placed:
                return
            parent = parents[k]
            if parent is not None and parent[0] == "file":
                place(parent[1])
            placed.add(k)
            order.append(k)

        for k in by_key:
            place(k)

        taken = {u.code.casefold() for u in existing}
        codes: dict[str, str] = {}
        kinds: dict[str, str] = {}
        unit_word = _("Unit")
        ops: list[dict[str, Any]] = []
        for k in order:
            e = by_key[k]
            unit = matched.get(k)
            parent = parents[k]
            if parent is None:
                parent_kind, parent_name = "", ""
            elif parent[0] == "file":
                parent_kind, parent_name = kinds[parent[1]], by_key[parent[1]].name
            else:
                parent_kind, parent_name = by_pk[parent[1]].kind, by_pk[parent[1]].name
            kind = e.kind or infer_kind(
                e.name, e.eselon, root=parent is None, parent_kind=parent_kind
            )
            kinds[k] = kind
            if unit is not None:
                code = unit.code
            elif unor:
                code = _unique_slug(e.name, taken)
            else:
                code = e.key
            taken.add(code.casefold())
            codes[k] = code
            new = {
                "name": e.name[:200],
                "kind": kind,
                "eselon": e.eselon,
                "head_position": e.head[:200],
            }
            if e.address is not None:
                new["address"] = e.address[:300]
            labels = {
                "name": _("name"),
                "kind": _("kind"),
                "eselon": _("eselon"),
                "head_position": _("position of the unit's head"),
                "address": _("address"),
            }
            fields: dict[str, tuple[str, str]] = {}
            if unit is None:
                fields = {labels[f]: ("", _shown(f, v)) for f, v in new.items() if v}
                fields[_("parent")] = ("", parent_name)
                fields[_("code")] = ("", code)
                action = "create"
            else:
                for f, v in new.items():
                    if getattr(unit, f) != v:
                        fields[labels[f]] = (_shown(f, getattr(unit, f)), _shown(f, v))
                if unor and unit.siasn_id != e.key:
                    fields[_("SIASN UNOR id")] = (unit.siasn_id, e.key)
                old_parent = by_pk[unit.parent_id].name if unit.parent_id else ""
                new_parent_pk = (
                    parent[1]
                    if parent is not None and parent[0] == "db"
                    else (
                        matched[parent[1]].pk
                        if parent is not None and parent[1] in matched
                        else None
                    )
                )
                if unit.parent_id != new_parent_pk:
                    fields[_("parent")] = (old_parent, parent_name)
                action = "update" if fields else "unchanged"
            plan.changes.append(
                Change(action, unit_word, f"{code} {e.name}", fields, row=e.row)  # type: ignore[arg-type]
            )
            if action != "unchanged":
                ops.append(
                    {
                        "key": k,
                        "pk": unit.pk if unit is not None else None,
                        "parent": parent,
                        "values": {**new, "code": code, "siasn_id": e.key if unor else None},
                    }
                )
            else:
                ops.append({"key": k, "pk": unit.pk, "parent": parent, "values": None})  # type: ignore[union-attr]
        missing = [u for u in existing if u.pk not in {m.pk for m in matched.values()}]
        if missing:
            plan.problems.append(
                Problem(
                    plan.file,
                    0,
                    "",
                    _(
                        "Units of the agency not in the file, kept as they are (%(count)d): "
                        "%(units)s."
                    )
                    % {"count": len(missing), "units": "; ".join(u.name for u in missing)},
                    severity="warning",
                )
            )
        plan.payload = ops

    def write(self, plan: Plan, *, agency: Agency, actor: Any) -> None:
        pks: dict[str, int] = {}
        for op in plan.payload:
            if op["values"] is None:
                pks[op["key"]] = op["pk"]
                continue
            parent = op["parent"]
            parent_pk = None
            if parent is not None:
                parent_pk = pks[parent[1]] if parent[0] == "file" else parent[1]
            # Read fresh: an earlier save in this loop may have moved this unit's subtree.
            unit = Unit.objects.get(pk=op["pk"]) if op["pk"] else Unit(agency=agency)
            unit.parent = Unit.objects.get(pk=parent_pk) if parent_pk else None
            values = dict(op["values"])
            if values["siasn_id"] is None:
                del values["siasn_id"]
            for f, v in values.items():
                setattr(unit, f, v)
            unit.save()
            pks[op["key"]] = unit.pk
        root = Unit.objects.filter(agency=agency, parent__isnull=True).order_by("path").first()
        audit_record(
            actor=actor,
            action="onboarding.units",
            obj=agency,
            unit=root,
            data={"file": plan.file[:200], **plan.counts()},
        )


def _unique_slug(name: str, taken: set[str]) -> str:
    base = slugify(name)[:60] or "unit"
    code, n = base, 1
    while code.casefold() in taken:
        n += 1
        suffix = f"-{n}"
        code = base[: 60 - len(suffix)] + suffix
    return code


register(UnitImporter(), action=Action.ONBOARD_ORGANISATION.value)
