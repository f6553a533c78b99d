"""The sections of the work home, one per role the user holds.

Every figure here is read through the selector that the page it links to uses, with the same
filter the link carries (the request list's "only overdue", the complaint list's "due within
3 days"...), so the home and its evidence cannot disagree: tests/homes/test_figures.py opens
each link and compares. Nothing is computed here that a selector already defines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sigap.access import Action, has_any_role, roles
from sigap.accounts.models import Role
from sigap.appraisals import conf as skp_conf
from sigap.appraisals.models import YEARLY, Appraisal, AppraisalCorrection
from sigap.appraisals.selectors import appraisal_overview
from sigap.booking.selectors import counter_days
from sigap.competency import people as competency_people
from sigap.competency.akpk import planning_year
from sigap.complaints.selectors import complaint_search
from sigap.integrity import selectors as integrity
from sigap.leadership import scoring
from sigap.leadership import selectors as leadership
from sigap.leadership.models import ActionStatus, UnitScorecard
from sigap.payments.selectors import unreconciled
from sigap.rules.ikm import IKM_BASE, Mutu, element, mutu_for
from sigap.rules.skp import evaluation_periods
from sigap.service_requests.models import ServiceRequest, Status
from sigap.service_requests.selectors import request_search, work_queue
from sigap.web import formatting
from sigap.whistleblowing.models import Report

if TYPE_CHECKING:
    from sigap.access import AnyUser

QUEUE_PREVIEW = 5
LOW_GRADES = (Mutu.C, Mutu.D)  # an unsur graded below B alone is worth the unit head's attention
LEADERSHIP_ITEMS = 5


def url(name: str, *args: Any, **query: Any) -> str:
    path = reverse(name, args=args)
    return f"{path}?{urlencode(query)}" if query else path


@dataclass(frozen=True)
class Figure:
    """One figure of a home, with the page that shows the same figure as its evidence."""

    key: str  # the glossary entry that explains it (sigap.web.glossary)
    label: str | Promise
    value: int | str
    url: str
    detail: str = ""

    @property
    def text(self) -> str:
        """The value as the page shows it, in the reader's number format."""
        return formatting.integer(self.value) if isinstance(self.value, int) else self.value


@dataclass(frozen=True)
class Link:
    label: str | Promise
    url: str


@dataclass
class Section:
    role: str
    title: str | Promise
    figures: list[Figure] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    queue: list[ServiceRequest] = field(default_factory=list)
    calendar: list[tuple[int, date, date, str]] = field(default_factory=list)
    empty: str | Promise = ""


# --- officer --------------------------------------------------------------------------------


def officer_section(user: AnyUser, today: date) -> Section:
    queue = work_queue(user)
    s = Section(Role.OFFICER, _("Front-line officer"))
    s.figures.append(Figure("queue", _("Open requests in your queue"), queue.count(), url("queue")))
    s.queue = list(queue[:QUEUE_PREVIEW])
    for day in counter_days(user, today):
        s.figures.append(
            Figure(
                "counter_today",
                _("Bookings at the counter today"),
                f"{day.booked} / {day.seats}",
                url("booking_day", unit=day.unit.pk, tanggal=today.isoformat()),
                detail=day.unit.name,
            )
        )
    s.links = [
        Link(_("Open the work queue"), url("queue")),
        Link(_("Register a request"), url("request_intake")),
        Link(_("Today's counter bookings"), url("booking_day")),
        Link(_("My competencies"), url("competency_mine")),
    ]
    return s


# --- unit head -------------------------------------------------------------------------------


def _latest_rows(user: AnyUser) -> tuple[list[UnitScorecard], str, str | None]:
    """The scorecard rows of the latest complete period the scorecard page shows by default."""
    kind, label, _labels = leadership.parse_period(None, None, leadership.latest_refresh())
    return list(leadership.scorecard_rows(user, kind, label)), kind, label


def _weakest(rows: list[UnitScorecard], kind: str, label: str | None, n: int) -> list[Figure]:
    """The lowest SKM unsur of the units whose SKM sample is large enough, lowest first."""
    low = sorted(
        (
            r
            for r in rows
            if r.weakest_element
            and r.weakest_nrr is not None
            # PermenPANRB 14/2017: the unsur's NRR on the IKM scale (× 25), graded as an IKM.
            and mutu_for(Decimal(str(r.weakest_nrr)) * IKM_BASE) in LOW_GRADES
            and r.skm_responses >= scoring.MIN_SAMPLE
        ),
        key=lambda r: r.weakest_nrr or 0,
    )[:n]
    return [
        Figure(
            "weakest_unsur",
            _("Lowest SKM unsur"),
            f"{element(r.weakest_element).name} (NRR {formatting.decimal(r.weakest_nrr, 2)})",
            url("leadership:unit", r.unit_id, kind=kind, period=label or ""),
            detail=f"{r.unit.name}, {formatting.period(label)}",
        )
        for r in low
    ]


def unit_head_section(user: AnyUser, today: date) -> Section:
    s = Section(Role.UNIT_HEAD, _("Unit head: needs attention"))
    overdue = request_search(user, overdue=True, today=today).count()
    returned = request_search(user, status=Status.RETURNED)
    oldest = returned.exclude(paused_since=None).order_by("paused_since").first()
    late = complaint_search(user, overdue=True, today=today).count()
    soon = complaint_search(user, due_soon=True, today=today).count()
    s.figures = [
        Figure("overdue", _("Requests past the due date"), overdue,
               url("request_list", overdue="on")),
        Figure("complaints_overdue", _("Complaints past their deadline"), late,
               url("complaint_list", overdue="on")),
        Figure("complaints_due_soon", _("Complaints due within 3 days"), soon,
               url("complaint_list", due_soon="on")),
        Figure("returned", _("Files returned and waiting at the applicant"), returned.count(),
               url("request_list", status=Status.RETURNED),
               detail=_waiting(oldest, today)),
    ]  # fmt: skip
    rows, kind, label = _latest_rows(user)
    s.figures += _weakest(rows, kind, label, 3)
    s.links = [
        Link(_("Open the work queue"), url("queue")),
        Link(_("Leadership scorecard"), url("leadership:scorecard")),
        Link(_("SKM results"), url("ikm_results")),
        Link(_("Counter slot plan"), url("booking_plan")),
        Link(_("SKP of the unit's staff"), url("appraisal_overview")),
        Link(_("Team competencies"), url("competency_team")),
        *_unit_plan(user, today),
        Link(_("My competencies"), url("competency_mine")),
    ]
    return s


def _unit_plan(user: AnyUser, today: date) -> list[Link]:
    """The AKPK of the head's unit for the year being planned."""
    unit = competency_people.team_units(user).first()
    if unit is None:
        return []
    year = planning_year(today)
    return [
        Link(
            _("Development plan (AKPK) %(year)d of the unit") % {"year": year},
            url("competency_plan_unit", year, unit.pk),
        )
    ]


def _waiting(oldest: ServiceRequest | None, today: date) -> str:
    if oldest is None or oldest.paused_since is None:
        return ""
    days = (today - timezone.localdate(oldest.paused_since)).days
    text = _("the longest for %(days)s days (%(code)s)")
    return str(text) % {"days": days, "code": oldest.receipt_code}


# --- HR (BKPSDM) ------------------------------------------------------------------------------


def _calendar(today: date) -> list[tuple[int, date, date, str]]:
    """(number, first day, last day, "past" | "current" | "next") of the SKP periods of the year."""
    out = []
    for number, first, last in evaluation_periods(skp_conf.period_kind(), today.year):
        state = "past" if last < today else ("current" if first <= today else "next")
        out.append((number, first, last, state))
    return out


def hr_section(user: AnyUser, today: date) -> Section:
    year = today.year
    s = Section(Role.HR, _("HR (BKPSDM): appraisal calendar"))
    s.calendar = _calendar(today)
    employees = appraisal_overview(user, year)
    # The overview's own "year_status" annotation (the yearly appraisal's status), which the
    # type stubs cannot see on its declared QuerySet[Employee].
    final = employees.filter(year_status=Appraisal.Status.FINAL).count()  # type: ignore[misc]
    total = employees.count()
    calibrated = (
        AppraisalCorrection.objects.filter(
            kind=AppraisalCorrection.Kind.CALIBRATION,
            appraisal__plan__year=year,
            appraisal__period=YEARLY,
        )
        .filter(appraisal__in=_scoped_appraisals(user, year))
        .values("appraisal_id")
        .distinct()
        .count()
    )
    of_total = str(_("of %(n)s employees")) % {"n": formatting.integer(total)}
    s.figures = [
        Figure("appraisals_pending", _("Yearly appraisals not yet final"), total - final,
               url("appraisal_overview", year=year),
               detail=of_total),
        Figure("appraisals_rated", _("Yearly appraisals final"), final,
               url("appraisal_overview", year=year)),
        Figure("appraisals_calibrated", _("Yearly appraisals calibrated"), calibrated,
               url("calibration", year=year)),
    ]  # fmt: skip
    s.links = [
        Link(_("SKP of every employee"), url("appraisal_overview", year=year)),
        Link(_("Calibration"), url("calibration", year=year)),
        Link(_("Talent pools"), url("talent")),
        Link(_("Discipline and absence"), url("discipline")),
        *_competency_agency(user),
        Link(_("Team competencies"), url("competency_team")),
    ]
    return s


def _competency_agency(user: AnyUser) -> list[Link]:
    """The agency's competency view, for those who may read a whole agency."""
    if not competency_people.agencies_for_user(user):
        return []
    year = planning_year(timezone.localdate())
    return [
        Link(_("Agency competency development"), url("competency_agency")),
        Link(
            _("Development plan (AKPK) %(year)d of the agency") % {"year": year},
            url("competency_plan_agency", year),
        ),
    ]


def _scoped_appraisals(user: AnyUser, year: int) -> Any:
    from sigap.access import scoped

    return scoped(
        user, Action.APPRAISAL_CALIBRATE, Appraisal.objects.filter(plan__year=year)
    ).values("pk")


# --- inspector -------------------------------------------------------------------------------


def inspector_section(user: AnyUser, today: date) -> Section:
    s = Section(Role.INSPECTOR, _("Inspektorat"))
    s.figures = [
        Figure("signals_new", _("New integrity signals"), len(integrity.new_signals(user)),
               url("inspectorate_dashboard")),
        Figure("signals_mine", _("Signals assigned to you"), len(integrity.assigned_to(user)),
               url("inspectorate_dashboard")),
    ]  # fmt: skip
    if has_any_role(user, Action.WBS_HANDLE):
        # A count only: the reports themselves are read on the WBS pages, with their key.
        wbs = integrity.wbs_counts(user, Action.WBS_HANDLE)
        s.figures.append(
            Figure("wbs_new", _("New whistleblowing reports"), wbs.get(Report.Status.NEW, 0),
                   url("wbs_case_list"))
        )  # fmt: skip
    s.figures.append(
        Figure("complaints_overdue", _("Complaints past their deadline"),
               complaint_search(user, overdue=True, today=today).count(),
               url("complaint_list", overdue="on"))
    )  # fmt: skip
    s.links = [
        Link(_("Inspektorat dashboard"), url("inspectorate_dashboard")),
        Link(_("Whistleblowing cases"), url("wbs_case_list")),
        Link(_("Audit trail"), url("audit_log")),
    ]
    return s


# --- ombudsman -------------------------------------------------------------------------------


def ombudsman_section(user: AnyUser, today: date) -> Section:
    s = Section(Role.OMBUDSMAN, _("Ombudsman: what you may read"))
    s.figures = [
        Figure("complaints_overdue", _("Complaints past their deadline"),
               integrity.overdue_complaints(user, Action.OMBUDSMAN_VIEW, today).count(),
               url("ombudsman_view")),
        Figure("signals_flagged", _("Flagged integrity signals"),
               integrity.signals(user, Action.OMBUDSMAN_VIEW).count(), url("ombudsman_view")),
    ]  # fmt: skip
    s.links = [
        Link(_("Oversight view"), url("ombudsman_view")),
        Link(_("Service requests"), url("request_list")),
        Link(_("Complaints"), url("complaint_list")),
        Link(_("Service performance"), url("service_performance")),
        Link(_("SKM results"), url("ikm_results")),
    ]
    return s


# --- leadership ------------------------------------------------------------------------------


def leadership_section(user: AnyUser, today: date) -> Section:
    """A short list of what changed and needs a decision, each with its evidence."""
    s = Section(Role.LEADERSHIP, _("Leadership: needs a decision"))
    rows, kind, label = _latest_rows(user)
    drops = sorted(
        (
            r
            for r in rows
            if (r.trends or {}).get("sla_share") is not None
            and r.trends["sla_share"] < 0
            and r.sla_cases >= scoring.MIN_SAMPLE
        ),
        key=lambda r: r.trends["sla_share"],
    )
    for r in drops[:2]:
        s.figures.append(
            Figure(
                "sla_drop",
                _("Largest drop in on-time completion"),
                _points(r.trends["sla_share"]),
                url("leadership:unit", r.unit_id, kind=kind, period=label or ""),
                detail=f"{r.unit.name}, {formatting.period(label)}",
            )
        )
    proposed = leadership.roadmap_actions(user).filter(status=ActionStatus.OPEN).count()
    if proposed:
        s.figures.append(
            Figure("roadmap_proposed", _("Roadmap actions awaiting a decision"), proposed,
                   url("leadership:roadmap"))
        )  # fmt: skip
    s.figures += _weakest(rows, kind, label, 1)
    overdue = request_search(user, overdue=True, today=today).count()
    if overdue:
        s.figures.append(
            Figure("overdue", _("Requests past the due date"), overdue,
                   url("request_list", overdue="on"))
        )  # fmt: skip
    late = complaint_search(user, overdue=True, today=today).count()
    if late:
        s.figures.append(
            Figure("complaints_overdue", _("Complaints past their deadline"), late,
                   url("complaint_list", overdue="on"))
        )  # fmt: skip
    s.figures = s.figures[:LEADERSHIP_ITEMS]
    s.empty = _("Nothing needs a decision today.")
    s.links = [
        Link(_("Leadership scorecard"), url("leadership:scorecard")),
        Link(_("Transformation roadmap"), url("leadership:roadmap")),
        *_competency_agency(user),
    ]
    return s


def _points(delta: float) -> str:
    """A change of a share in percentage points, signed, in the reader's number format."""
    return ("+" if delta > 0 else "−") + f"{formatting.decimal(abs(delta) * 100, 1)} pp"


# --- admin, cashier --------------------------------------------------------------------------


def admin_section(user: AnyUser, today: date) -> Section:
    s = Section(Role.ADMIN, _("Administrator"))
    s.links = [
        Link(_("Citizens' data requests"), url("privacy_queue")),
        Link(_("Data breach register"), url("privacy_breach_list")),
    ]
    if getattr(user, "is_staff", False):
        s.links.insert(0, Link(_("Administration"), url("admin:index")))
    return s


def cashier_section(user: AnyUser, today: date) -> Section:
    s = Section(Role.CASHIER, _("Cashier"))
    s.figures = [
        Figure("unreconciled", _("Payments not yet matched to a request"),
               unreconciled(user).count(), url("payments_cashier")),
    ]  # fmt: skip
    s.links = [
        Link(_("Record a payment"), url("payments_cashier")),
        Link(_("Import a bank statement"), url("payments_import")),
    ]
    return s


BUILDERS = {
    Role.LEADERSHIP: leadership_section,
    Role.UNIT_HEAD: unit_head_section,
    Role.OFFICER: officer_section,
    Role.INSPECTOR: inspector_section,
    Role.OMBUDSMAN: ombudsman_section,
    Role.HR: hr_section,
    Role.CASHIER: cashier_section,
    Role.ADMIN: admin_section,
}


def sections(user: AnyUser, today: date) -> list[Section]:
    """One section per role the user holds, in the order of BUILDERS."""
    held = roles(user)
    return [build(user, today) for role, build in BUILDERS.items() if role in held]
