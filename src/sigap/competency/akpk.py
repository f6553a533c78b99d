"""The AKPK (analisis kebutuhan pengembangan kompetensi, PP 11/2017 Pasal 205–207): the yearly
development plan of each unit and of the whole agency, drafted from the stored gaps, approved by
the unit head and then by HR.

`plans_generate(year)` drafts one plan per unit with gaps, then the agency's from those:

- Items group the gaps by competency, and for a performance gap also by its service and step.
  A gap never assessed (size 0) is not planned: an assessment comes first.
- Priority = Σ over the employees concerned of gap × citizens affected, each employee once with
  their largest gap. The gap is a share: for a profile gap the levels short ÷ the level
  required, for an evidence gap its size. The item shows the mean gap and the largest number of
  requests affected.
- The suggested route follows the competency's group (setting COMPETENCY_AKPK_ROUTES): for a
  group of at least COMPETENCY_AKPK_GROUP_SIZE employees the first route (bimbingan teknis,
  pelatihan manajerial...), for fewer the second (bimbingan di tempat kerja, coaching...).
  Planned JP, provider and budget per participant come from the route's settings; the month
  from the rank (COMPETENCY_AKPK_FIRST_MONTH, COMPETENCY_AKPK_ITEMS_PER_MONTH).

Regeneration never touches a plan that has left draft. A draft is rebuilt from the latest gaps;
an item someone edited keeps its route, provider, month, JP and budget when the same
competency and step come back.

Write functions (audited): `plan_unit_approve` (the unit head, DEVPLAN_UNIT_APPROVE),
`plan_hr_approve` (HR, DEVPLAN_HR_APPROVE; a unit's plan only after its head, the agency's only
once every unit plan of the year is approved), and `plan_item_edit` on a unit's draft (the unit
head or HR). The agency plan is not drafted from the gaps: it is the consolidation of the units'
plans (`agency_consolidate`), rebuilt whenever they change while it is a draft.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from sigap.access import Action, can
from sigap.audit.services import audit_record
from sigap.competency import conf
from sigap.competency.gaps import GapCase, GapGroup, gap_groups, gap_share, ranked
from sigap.competency.models import (
    CompetencyGap,
    DevelopmentPlan,
    PlanItem,
)
from sigap.organisation.models import Agency, Unit
from sigap.rules.competency import Route
from sigap.spreadsheets import Sheet, to_xlsx
from sigap.web import formatting
from sigap.web.said import Said, from_stored, said

EVIDENCE_EMPLOYEES = 5
"""An item's evidence quotes the gaps of at most this many employees (the largest first)."""

EDITABLE = ("route", "provider", "month", "jp", "budget")


class PlanError(Exception):
    """A plan in the wrong state for the change; `code` says which (the page words it)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass
class Generated:
    drafted: int = 0
    kept: int = 0
    removed: int = 0
    items: int = 0


# --- drafting ----------------------------------------------------------------------------------


def gap_fraction(gap: CompetencyGap) -> float:
    """A gap as a share of what is needed (see the module docstring)."""
    return gap_share(gap.kind, gap.size, gap.required_level)


def _setting(key: str, route: str) -> Any:
    table: dict[str, Any] = conf.get(key)
    return table.get(route, table.get("*"))


def suggested_route(group: str, participants: int) -> str:
    routes: dict[str, list[str]] = conf.get("COMPETENCY_AKPK_ROUTES")
    pair = routes.get(group) or routes["teknis"]
    return Route(
        pair[0] if participants >= int(conf.get("COMPETENCY_AKPK_GROUP_SIZE")) else pair[1]
    )


def scheduled_month(rank: int) -> int:
    first = int(conf.get("COMPETENCY_AKPK_FIRST_MONTH"))
    per_month = max(1, int(conf.get("COMPETENCY_AKPK_ITEMS_PER_MONTH")))
    return min(12, first + (rank - 1) // per_month)


def planning_year(today: date) -> int:
    """The year whose AKPK is being drawn up: the next one (as `sigap competency refresh`)."""
    return today.year + 1


def plans_generate(year: int) -> Generated:
    """Draft (or redraft) the AKPK of `year` for every unit with gaps and for every agency."""
    gaps = (
        CompetencyGap.objects.filter(size__gt=0)
        .select_related("employee__unit", "competency")
        .order_by("pk")
    )
    units = dict(Unit.objects.values_list("pk", "agency_id"))
    groups = {(units[unit_id], unit_id): found for unit_id, found in gap_groups(gaps).items()}
    out = Generated()
    with transaction.atomic():
        existing = {
            (p.agency_id, p.unit_id): p
            for p in DevelopmentPlan.objects.filter(year=year).order_by("pk").select_for_update()
        }
        for where, stale in existing.items():
            if (
                where[1] is not None
                and where not in groups
                and stale.status == DevelopmentPlan.Status.DRAFT
            ):
                stale.delete()
                out.removed += 1
        for (agency_id, unit_id), found in groups.items():
            plan = existing.get((agency_id, unit_id))
            if plan is not None and plan.status != DevelopmentPlan.Status.DRAFT:
                out.kept += 1
                continue
            out.items += _draft(plan, agency_id, unit_id, year, found.values())
            out.drafted += 1
        agencies = {a for a, u in existing if u is None} | {a for a, _u in groups}
        for agency_id in sorted(agencies):
            made = agency_consolidate(agency_id, year)
            if made is None:
                agency_plan = existing.get((agency_id, None))
                if agency_plan is not None and agency_plan.status == DevelopmentPlan.Status.DRAFT:
                    out.removed += 1
            elif made >= 0:
                out.items += made
                out.drafted += 1
            else:
                out.kept += 1
    return out


@dataclass
class _Consolidated:
    first: PlanItem
    priority: float = 0.0
    budget: Decimal = Decimal(0)
    gap_weight: float = 0.0
    citizens: int = 0
    employees: set[int] = field(default_factory=set)
    evidence: list[Any] = field(default_factory=list)


def agency_consolidate(agency_id: int, year: int) -> int | None:
    """(Re)build the agency plan of `year` from its units' plans while it is a draft.

    An agency item gathers the units' items of the same competency and step planned the same way
    (route, provider, month, JP): employees united, priority and budget summed, so the agency
    plan holds exactly what the unit heads approved and its totals are the sum of the units'.
    Returns the number of items drafted, -1 when the agency plan has left draft (kept), or None
    when no unit has a plan (a draft agency plan is then removed)."""
    with transaction.atomic():
        plans = list(
            DevelopmentPlan.objects.select_for_update()
            .filter(agency_id=agency_id, year=year)
            .order_by("pk")
        )
        agency = next((p for p in plans if p.unit_id is None), None)
        units = [p for p in plans if p.unit_id is not None]
        if agency is not None and agency.status != DevelopmentPlan.Status.DRAFT:
            return -1
        if not units:
            if agency is not None:
                agency.delete()
            return None
        now = timezone.now()
        if agency is None:
            agency = DevelopmentPlan.objects.create(
                agency_id=agency_id, unit_id=None, year=year, generated_at=now
            )
        else:
            agency.items.all().delete()
            agency.generated_at = now
            agency.save(update_fields=["generated_at"])
        unit_items = (
            PlanItem.objects.filter(plan__in=units)
            .select_related("competency", "plan__unit")
            .prefetch_related("employees")
            .order_by("plan__unit__path", "rank")
        )
        merged: dict[tuple[Any, ...], _Consolidated] = {}
        for item in unit_items:
            key = (item.competency_id, item.service_id, item.step, item.route, item.provider,
                   item.month, item.jp)  # fmt: skip
            into = merged.get(key)
            if into is None:
                into = merged[key] = _Consolidated(item)
            people = {e.pk for e in item.employees.all()}
            into.priority += item.priority
            into.budget += item.budget
            into.gap_weight += item.gap_size * len(people)
            into.citizens = max(into.citizens, item.citizens_affected)
            into.employees |= people
            unit = item.plan.unit
            into.evidence.append(
                Said(gettext_noop("Unit %(unit)s:"), {"unit": unit.name if unit else ""}).stored()
            )
            into.evidence.extend(item.evidence)
        ranked = sorted(
            merged.values(),
            key=lambda c: (-c.priority, c.first.competency.name, c.first.step, c.first.route),
        )
        made = [
            PlanItem(
                plan=agency,
                rank=rank,
                competency=c.first.competency,
                service_id=c.first.service_id,
                step=c.first.step,
                priority=round(c.priority, 6),
                gap_size=round(c.gap_weight / max(1, len(c.employees)), 6),
                citizens_affected=c.citizens,
                evidence=c.evidence,
                route=c.first.route,
                provider=c.first.provider,
                month=c.first.month,
                jp=c.first.jp,
                budget=c.budget,
            )
            for rank, c in enumerate(ranked, start=1)
        ]
        PlanItem.objects.bulk_create(made, batch_size=500)
        through = PlanItem.employees.through
        through.objects.bulk_create(
            [
                through(planitem_id=item.pk, employee_id=pk)
                for item, c in zip(made, ranked, strict=True)
                for pk in sorted(c.employees)
            ],
            batch_size=2000,
        )
        return len(made)


def _draft(
    plan: DevelopmentPlan | None,
    agency_id: int,
    unit_id: int | None,
    year: int,
    groups: Iterable[GapGroup],
) -> int:
    now = timezone.now()
    kept: dict[tuple[int, int | None, str], dict[str, Any]] = {}
    if plan is None:
        plan = DevelopmentPlan.objects.create(
            agency_id=agency_id, unit_id=unit_id, year=year, generated_at=now
        )
    else:
        for item in plan.items.filter(edited_at__isnull=False):
            kept[(item.competency_id, item.service_id, item.step)] = {
                **{f: getattr(item, f) for f in EDITABLE},
                "edited_at": item.edited_at,
            }
        plan.items.all().delete()
        plan.generated_at = now
        plan.save(update_fields=["generated_at"])
    order = ranked(groups)
    made: list[tuple[PlanItem, list[GapCase]]] = []
    for rank, group in enumerate(order, start=1):
        gaps = group.cases()
        n = len(gaps)
        route = suggested_route(group.competency.group, n)
        values: dict[str, Any] = {
            "route": route,
            "provider": str(_setting("COMPETENCY_AKPK_PROVIDER", route)),
            "month": scheduled_month(rank),
            "jp": Decimal(str(_setting("COMPETENCY_AKPK_JP", route))),
            "budget": Decimal(int(_setting("COMPETENCY_AKPK_BUDGET", route)) * n),
        }
        values.update(kept.get((group.competency.pk, group.service_id, group.step), {}))
        item = PlanItem(
            plan=plan,
            rank=rank,
            competency=group.competency,
            service_id=group.service_id,
            step=group.step,
            priority=group.priority,
            gap_size=round(sum(g.fraction for g in gaps) / n, 6),
            citizens_affected=max(g.citizens for g in gaps),
            evidence=_evidence(gaps),
            **values,
        )
        made.append((item, gaps))
    PlanItem.objects.bulk_create([item for item, _ in made], batch_size=500)
    through = PlanItem.employees.through
    through.objects.bulk_create(
        [
            through(planitem_id=item.pk, employee_id=g.employee.pk)
            for item, gaps in made
            for g in gaps
        ],
        batch_size=2000,
    )
    return len(order)


def _evidence(gaps: list[GapCase]) -> list[Any]:
    out: list[Any] = []
    for gap in gaps[:EVIDENCE_EMPLOYEES]:
        out.append(
            Said(
                gettext_noop("%(name)s (%(nip)s):"),
                {"name": gap.employee.name, "nip": gap.employee.nip},
            ).stored()
        )
        out.extend(gap.evidence)
    if len(gaps) > EVIDENCE_EMPLOYEES:
        more = len(gaps) - EVIDENCE_EMPLOYEES
        out.append(Said(gettext_noop("And %(more)d more employees."), {"more": more}).stored())
    return out


# --- approvals and edits -----------------------------------------------------------------------


def plan_unit(plan: DevelopmentPlan) -> Unit:
    """The unit whose scope decides who may act on the plan: its unit, or the agency's root."""
    if plan.unit is not None:
        return plan.unit
    return agency_root(plan.agency)


def agency_root(agency: Agency) -> Unit:
    return Unit.objects.filter(agency=agency, parent__isnull=True).order_by("pk").first() or (
        Unit.objects.filter(agency=agency).order_by("path").first()  # type: ignore[return-value]
    )


@transaction.atomic
def plan_unit_approve(*, plan: DevelopmentPlan, actor: Any) -> DevelopmentPlan:
    """The unit head approves the draft AKPK of their unit."""
    plan = DevelopmentPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.unit is None:
        raise PlanError("agency_plan")
    if not can(actor, Action.DEVPLAN_UNIT_APPROVE, plan.unit):
        raise PermissionDenied
    if plan.status != DevelopmentPlan.Status.DRAFT:
        raise PlanError("not_draft")
    plan.status = DevelopmentPlan.Status.UNIT_APPROVED
    plan.unit_approved_by = actor
    plan.unit_approved_at = timezone.now()
    plan.save(update_fields=["status", "unit_approved_by", "unit_approved_at"])
    audit_record(
        actor=actor, action="devplan.unit_approve", obj=plan, unit=plan.unit,
        data={"year": plan.year, "from": "draft", "to": plan.status},
    )  # fmt: skip
    return plan


@transaction.atomic
def plan_hr_approve(*, plan: DevelopmentPlan, actor: Any) -> DevelopmentPlan:
    """HR sets the AKPK: a unit's only after its head approved it; the agency's from draft."""
    plan = (
        DevelopmentPlan.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=plan.pk)
    )
    unit = plan_unit(plan)
    if not can(actor, Action.DEVPLAN_HR_APPROVE, unit):
        raise PermissionDenied
    ready = DevelopmentPlan.Status.UNIT_APPROVED if plan.unit else DevelopmentPlan.Status.DRAFT
    if plan.status != ready:
        raise PlanError("unit_first" if plan.status == DevelopmentPlan.Status.DRAFT else "approved")
    if (
        plan.unit is None
        and DevelopmentPlan.objects.filter(agency_id=plan.agency_id, year=plan.year)
        .exclude(unit__isnull=True)
        .exclude(status=DevelopmentPlan.Status.APPROVED)
        .exists()
    ):
        raise PlanError("units_first")
    old = plan.status
    plan.status = DevelopmentPlan.Status.APPROVED
    plan.hr_approved_by = actor
    plan.hr_approved_at = timezone.now()
    plan.save(update_fields=["status", "hr_approved_by", "hr_approved_at"])
    audit_record(
        actor=actor, action="devplan.hr_approve", obj=plan, unit=unit,
        data={"year": plan.year, "from": old, "to": plan.status},
    )  # fmt: skip
    return plan


def may_edit(user: Any, plan: DevelopmentPlan) -> bool:
    """A unit's draft, by its head or HR. The agency plan is the units' plans consolidated: it
    is changed through them."""
    if plan.unit is None or plan.status != DevelopmentPlan.Status.DRAFT:
        return False
    return can(user, Action.DEVPLAN_HR_APPROVE, plan.unit) or can(
        user, Action.DEVPLAN_UNIT_APPROVE, plan.unit
    )


@transaction.atomic
def plan_item_edit(
    *,
    item: PlanItem,
    actor: Any,
    route: str,
    provider: str,
    month: int | None,
    jp: Decimal,
    budget: Decimal,
) -> PlanItem:
    """Change an item's route, provider, month, JP or budget while its plan is a draft."""
    item = (
        PlanItem.objects.select_for_update(of=("self",))
        .select_related("plan__unit")
        .get(pk=item.pk)
    )
    plan = item.plan
    if plan.status != DevelopmentPlan.Status.DRAFT:
        raise PlanError("not_draft")
    if not may_edit(actor, plan):
        raise PermissionDenied
    new = {
        "route": str(Route(route)),
        "provider": provider.strip(),
        "month": month,
        "jp": jp,
        "budget": budget,
    }
    changed = {k: v for k, v in new.items() if getattr(item, k) != v}
    if not changed:
        return item
    before = {k: _plain(getattr(item, k)) for k in changed}
    for k, v in changed.items():
        setattr(item, k, v)
    item.edited_at = timezone.now()
    item.save(update_fields=[*changed, "edited_at"])
    audit_record(
        actor=actor, action="devplan.item_edit", obj=item, unit=plan_unit(plan),
        data={"year": plan.year, "old": before,
              "new": {k: _plain(v) for k, v in changed.items()}},
    )  # fmt: skip
    agency_consolidate(plan.agency_id, plan.year)
    return item


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


# --- export ------------------------------------------------------------------------------------


def _approval(who: Any, at: Any) -> str:
    if who is None or at is None:
        return "—"
    return f"{who.get_full_name() or who.get_username()}, {formatting.long_date(at)}"


def plan_xlsx(plan: DevelopmentPlan) -> bytes:
    """The plan as a workbook an agency can file, in the active language: title rows (agency,
    unit, year, status, approvals), then one row per item and the totals."""
    from sigap.competency.models import ROUTE_LABELS

    items = list(plan.items.select_related("competency", "service").prefetch_related("employees"))
    title: list[list[Any]] = [
        [gettext("Competency development needs analysis (AKPK) %(year)d") % {"year": plan.year}],
        [gettext("Agency"), plan.agency.name],
        [gettext("Unit"), plan.unit.name if plan.unit else gettext("All units")],
        [gettext("Year"), plan.year],
        [gettext("Status"), plan.get_status_display()],
        [
            gettext("Approved by the unit head"),
            _approval(plan.unit_approved_by, plan.unit_approved_at),
        ],
        [gettext("Approved by HR"), _approval(plan.hr_approved_by, plan.hr_approved_at)],
        [],
    ]
    header = [
        gettext("No."), gettext("Competency"), gettext("Kind of competency"),
        gettext("Employees (NIP, name)"), gettext("Development route"), gettext("Provider"),
        gettext("Schedule"), gettext("JP"), gettext("Budget (Rp)"), gettext("Basis (gap evidence)"),
    ]  # fmt: skip
    rows: list[list[Any]] = []
    for item in items:
        name = item.competency.name
        if item.step:
            name = f"{name} — {item.step} ({item.service.name if item.service else ''})"
        rows.append(
            [
                item.rank,
                name,
                item.competency.get_group_display(),
                "\n".join(
                    f"{e.nip} {e.name}" for e in sorted(item.employees.all(), key=lambda e: e.name)
                ),
                str(ROUTE_LABELS.get(Route(item.route), item.route)),
                item.provider,
                formatting.month(date(plan.year, item.month, 1)) if item.month else "—",
                item.jp,
                item.budget,
                said(from_stored(item.evidence)),
            ]
        )
    total = [
        gettext("Total"), "", "", sum(i.employees.count() for i in items), "", "", "",
        sum((i.jp for i in items), Decimal(0)), sum((i.budget for i in items), Decimal(0)), "",
    ]  # fmt: skip
    sheet = Sheet(
        title=f"AKPK {plan.year}",
        rows=[*title, header, *rows, total],
        header_rows=1,
        bold_rows=[len(title), len(title) + len(rows) + 1],
        widths={
            "A": 6,
            "B": 40,
            "C": 16,
            "D": 40,
            "E": 30,
            "F": 28,
            "G": 16,
            "H": 8,
            "I": 16,
            "J": 80,
        },
    )
    return to_xlsx([sheet])


__all__ = [
    "PlanError",
    "gap_fraction",
    "plan_hr_approve",
    "plan_item_edit",
    "plan_unit_approve",
    "plan_xlsx",
    "plans_generate",
]
