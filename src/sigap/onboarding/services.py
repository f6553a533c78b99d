"""The write functions both doors share: `sigap onboard` and the page /onboarding/.

`agency_save` creates or updates an agency; `import_dry_run` and `import_apply` go through
`sigap.onboarding.plan` and write the audit trail ("onboarding.dry_run", "onboarding.apply",
"onboarding.agency"). Who may run which import is decided by the caller (the page asks
`sigap.access`; the command line is the server's operator: its runs have no actor, and its
audit entries say "sigap onboard").
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sigap.audit.services import audit_record
from sigap.onboarding.lookup import root_unit
from sigap.onboarding.models import ImportKind
from sigap.onboarding.plan import IMPORTERS, Applied, ImportRefused, Plan, apply, dry_run
from sigap.organisation.models import Agency
from sigap.rules.region import InvalidRegionCode, check_agency_region


def kind_label(kind: str) -> str:
    """The name of an import for a person ("Pegawai"), or its importer's `label`, or the kind."""
    if kind in ImportKind.values:
        return str(ImportKind(kind).label)
    return str(getattr(IMPORTERS.get(kind), "label", kind))


def region_message(error: InvalidRegionCode) -> str:
    messages = {
        "format": _(
            "A region code is written PP, PP.KK, PP.KK.CC or PP.KK.CC.DDDD, in digits "
            "(for example 32.19)."
        ),
        "province": _("The province part of a region code is 11 to 99."),
        "regency": _(
            "The second part of a region code is 01–69 for a kabupaten or 71–99 for a kota."
        ),
        "district": _("The kecamatan part of a region code cannot be 00."),
        "village": _(
            "The village part of a region code starts with 1 (kelurahan) or 2 (desa) and is "
            "not x000."
        ),
        "required": _("A kabupaten, kota or province needs its region code."),
        "level_province": _("A province's region code has two digits (PP)."),
        "level_regency": _("A kabupaten's or kota's region code is PP.KK."),
        "kabupaten_range": _("A kabupaten's code (KK) is 01–69; 71–99 are the codes of a kota."),
        "kota_range": _("A kota's code (KK) is 71–99; 01–69 are the codes of a kabupaten."),
    }
    return messages.get(error.code, _("This region code is not valid."))


def agency_save(
    *, code: str, name: str, kind: str, region_code: str, actor: Any = None
) -> tuple[Agency, bool]:
    """Create the agency `code`, or update its name, kind and region code. Its root unit is
    made by the first units import. Raises ValidationError naming the field."""
    errors: dict[str, str] = {}
    if kind not in Agency.Kind.values:
        errors["kind"] = _("The kind is one of: %(kinds)s.") % {
            "kinds": ", ".join(Agency.Kind.values)
        }
    else:
        try:
            check_agency_region(region_code, kind)
        except InvalidRegionCode as exc:
            errors["region_code"] = region_message(exc)
    if not name.strip():
        errors["name"] = _("The agency needs a name.")
    agency = Agency.objects.filter(code=code).first() or Agency(code=code)
    agency.name, agency.kind, agency.region_code = name.strip(), kind, region_code.strip()
    try:
        agency.full_clean(exclude=list(errors))
    except ValidationError as exc:
        errors.update({k: " ".join(v) for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    created = agency.pk is None
    with transaction.atomic():
        agency.save()
        audit_record(
            actor=_audit_actor(actor),
            action="onboarding.agency",
            obj=agency,
            data={
                "created": created,
                "code": agency.code,
                "kind": agency.kind,
                "region_code": agency.region_code,
            },
        )
    return agency, created


COMMAND_LINE = "sigap onboard"  # the audit trail's name for the server's operator


def _audit_actor(actor: Any) -> Any:
    return COMMAND_LINE if actor is None else actor


def _summary(kind: str, name: str, data: bytes, counts: dict[str, int]) -> dict[str, Any]:
    return {
        "kind": kind,
        "file": name[:200],
        "sha256": hashlib.sha256(data).hexdigest(),
        "counts": counts,
    }


def import_dry_run(
    kind: str,
    data: bytes,
    name: str,
    *,
    agency: Agency,
    actor: Any = None,
    options: dict[str, Any] | None = None,
) -> Plan:
    """The plan of importing `data` (nothing written but the run's record and its audit)."""
    with transaction.atomic():
        plan = dry_run(kind, data, name, agency=agency, actor=actor, options=options)
        audit_record(
            actor=_audit_actor(actor),
            action="onboarding.dry_run",
            obj=agency,
            unit=root_unit(agency),
            data=_summary(kind, name, data, plan.counts()),
        )
    return plan


def import_apply(
    kind: str,
    data: bytes,
    name: str,
    *,
    agency: Agency,
    actor: Any = None,
    options: dict[str, Any] | None = None,
) -> tuple[Applied, Plan]:
    """Plan again and write all of it in one transaction with its audit entry, or raise
    `ImportRefused` (audited too, nothing else written). Returns what was applied and the plan
    it applied."""
    planned: list[Plan] = []
    try:
        with transaction.atomic():
            applied = apply(
                kind,
                data,
                name,
                agency=agency,
                actor=actor,
                options=options,
                on_planned=planned.append,
            )
            audit_record(
                actor=_audit_actor(actor),
                action="onboarding.apply",
                obj=agency,
                unit=root_unit(agency),
                data={**_summary(kind, name, data, applied.counts), "applied": True},
            )
    except ImportRefused as refused:
        counts = planned[0].counts() if planned else {"errors": len(refused.problems)}
        audit_record(
            actor=_audit_actor(actor),
            action="onboarding.apply",
            obj=agency,
            unit=root_unit(agency),
            data={**_summary(kind, name, data, counts), "applied": False},
        )
        raise
    return applied, planned[0]


def parse_options(pairs: list[str]) -> dict[str, Any]:
    """`["source=simpel", "mapping.case=no_permohonan"]` → `{"source": "simpel", "mapping": {"case":
    "no_permohonan"}}`: a dot nests a key. Raises ValueError naming the pair that is not
    key=value."""
    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key or any(not part for part in key.split(".")):
            raise ValueError(pair)
        *parents, last = key.split(".")
        target = options
        for part in parents:
            nested = target.setdefault(part, {})
            if not isinstance(nested, dict):
                raise ValueError(pair)
            target = nested
        if isinstance(target.get(last), dict):
            raise ValueError(pair)
        target[last] = value.strip()
    return options
