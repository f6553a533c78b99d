"""The metric registry: one frozen description of every figure sigap shows.

Each `Metric` says what a figure means (numerator, denominator, which requests or records count,
for which period, as of which date) and how to read it (unit, direction, minimum sample). The
pages, exports, scorecard ranks and roadmap targets take these definitions from here; the figures
themselves come from the case facts (`sigap.metrics.models.RequestFact`) and their aggregates
(`sigap.metrics.selectors`), or from the scorecard refresh for the figures that are not about
requests. docs/metrics.md lists every metric with the pages that show it; the consistency tests
(tests/metrics/test_consistency.py) prove the pages agree with the registry's aggregates.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Unit(StrEnum):
    COUNT = "count"
    SHARE = "share"  # 0–1, shown as a percentage
    WORKING_DAYS = "working_days"
    INDEX = "index"  # the IKM, 25–100
    PER_THOUSAND = "per_thousand"


class AsOf(StrEnum):
    LIVE = "live"
    """Read from the operational tables when the page is shown."""
    REFRESH = "refresh"
    """Precomputed by the scorecard refresh; pages say the refresh's date."""
    ANALYTICS = "analytics"
    """Precomputed by the analytics refresh (process mining); pages say the run's date."""


@dataclass(frozen=True, slots=True)
class Metric:
    key: str
    label: str | Promise
    unit: Unit
    higher_is_better: bool | None
    """None: neither (a volume)."""
    numerator: str | Promise
    denominator: str | Promise
    population: str | Promise
    """Which requests or records count, and in which period."""
    as_of: AsOf
    sample: str = ""
    """The scorecard field holding the figure's sample size (ranks need `min_sample` of it)."""
    target: float | None = None
    """Where a value stops being a gap for the roadmap; None: never a roadmap target."""
    worst: float | None = None
    pages: tuple[str, ...] = ()
    """The URL names of the pages (and their exports) that show the figure."""


CLOSED_IN_PERIOD = _(
    "requests completed or rejected in the period (local day of closing), each judged against "
    "the service standard in force on the day it was submitted"
)
LEADERSHIP = ("leadership:scorecard", "leadership:unit", "leadership:service")
# With the open data's resources (sigap.transparency.opendata), which carry the pages' figures.
TRANSPARENCY = ("transparency:index", "transparency:index_period", "transparency:unit",
                "transparency:unit_period", "transparency:opendata_resource")  # fmt: skip
PERFORMANCE = ("service_performance", "service_performance_detail")
# The officer's SKP evidence: the same definition over the requests the officer worked on.
SKP_EVIDENCE = ("appraisal_employee", "appraisal_pdf", "appraisal_recap")
SUBMITTED_IN_PERIOD = _("requests submitted in the period (local day of submission)")

METRICS: dict[str, Metric] = {
    m.key: m
    for m in (
        Metric(
            "volume", _("Requests"), Unit.COUNT, None,
            _("requests submitted"), "", SUBMITTED_IN_PERIOD, AsOf.REFRESH,
            pages=(LEADERSHIP + TRANSPARENCY + PERFORMANCE),
        ),
        Metric(
            "closed", _("Closed"), Unit.COUNT, None,
            _("requests completed or rejected"), "", CLOSED_IN_PERIOD, AsOf.REFRESH,
            pages=(LEADERSHIP + PERFORMANCE),
        ),
        Metric(
            "sla_share", _("SLA compliance"), Unit.SHARE, True,
            _("closed requests whose working days, net of the days the file was with the "
              "applicant, are at most the SLA (agency calendar)"),
            _("closed requests"), CLOSED_IN_PERIOD, AsOf.REFRESH,
            sample="sla_cases", target=0.90, worst=0.0,
            pages=(*LEADERSHIP, *TRANSPARENCY, *PERFORMANCE, *SKP_EVIDENCE),
        ),
        Metric(
            "lead_wd_median", _("Median lead time (working days)"), Unit.WORKING_DAYS, False,
            _("median of the working days from submission to closing (agency calendar)"),
            "", CLOSED_IN_PERIOD, AsOf.REFRESH, sample="closed",
            pages=(*LEADERSHIP, *PERFORMANCE, "frontdoor:service"),
        ),
        Metric(
            "ftr_share", _("First-time-right share"), Unit.SHARE, True,
            _("closed requests never returned to the applicant for correction"),
            _("closed requests"), CLOSED_IN_PERIOD, AsOf.REFRESH,
            sample="closed", target=0.90, worst=0.0,
            pages=(LEADERSHIP + PERFORMANCE),
        ),
        Metric(
            "digital_share", _("Digital channel share"), Unit.SHARE, True,
            _("requests submitted online or through the mobile app"), _("requests submitted"),
            SUBMITTED_IN_PERIOD, AsOf.REFRESH, sample="volume", target=0.50, worst=0.0,
            pages=LEADERSHIP,
        ),
        Metric(
            "open", _("Open requests"), Unit.COUNT, None,
            _("requests submitted and not yet completed or rejected"), "",
            _("every open request, today"), AsOf.LIVE,
            pages=PERFORMANCE,
        ),
        Metric(
            "overdue", _("Past the due date"), Unit.COUNT, False,
            _("open requests with the officers (not paused) whose working days so far, net of "
              "paused days, exceed the SLA"), "",
            _("every open request, today; a file back with the applicant is paused, never "
              "overdue"), AsOf.LIVE,
            pages=(*PERFORMANCE, "leadership:service", "request_list", "track_code"),
        ),
        Metric(
            "paused", _("With the applicant (clock paused)"), Unit.COUNT, None,
            _("open requests returned for correction or waiting for the applicant"), "",
            _("every open request, today"), AsOf.LIVE,
            pages=(*PERFORMANCE, "track_code"),
        ),
        Metric(
            "complaints_on_time_share", _("Complaints followed up on time"), Unit.SHARE, True,
            _("complaints followed up on or before their follow-up deadline"),
            _("complaints forwarded to the unit and either followed up or past their deadline"),
            _("complaints about the unit submitted in the period"), AsOf.REFRESH,
            sample="complaints", target=0.95, worst=0.0,
            pages=("leadership:scorecard", "leadership:unit", *TRANSPARENCY),
        ),
        Metric(
            "ikm", "IKM", Unit.INDEX, True,
            _("the Indeks Kepuasan Masyarakat of the SKM answers (PermenPANRB 14/2017)"), "",
            _("SKM answers given in the period"), AsOf.REFRESH,
            sample="skm_responses", target=88.31, worst=25.0,
            pages=("leadership:scorecard", "leadership:unit", *TRANSPARENCY, "ikm_results"),
        ),
        Metric(
            "standards_published", _("Standards published"), Unit.SHARE, True,
            _("active services with a service standard in force in the period"),
            _("active services of the unit"), _("the unit's services"), AsOf.REFRESH,
            target=1.0, worst=0.0,
            pages=("leadership:scorecard", "leadership:unit"),
        ),
        Metric(
            "tracking_share", _("Tracking use"), Unit.SHARE, True,
            _("requests whose receipt a citizen looked up at least once"),
            _("requests submitted"), SUBMITTED_IN_PERIOD, AsOf.REFRESH, sample="volume",
            pages=("leadership:scorecard", "leadership:unit"),
        ),
        Metric(
            "transparency_score", _("Transparency"), Unit.SHARE, True,
            _("mean of the measured shares among standards published, digital channel and "
              "tracking use"), "", _("as its three parts"), AsOf.REFRESH,
            pages=("leadership:scorecard", "leadership:unit"),
        ),
        Metric(
            "integrity_rate", _("Flagged signals per 1,000 requests"), Unit.PER_THOUSAND, False,
            _("integrity signals flagged by the latest integrity run"),
            _("thousands of requests submitted in the run's window"),
            _("the latest integrity run's window"), AsOf.REFRESH,
            sample="volume", target=0.0, worst=2.0,
            pages=("leadership:scorecard", "leadership:unit"),
        ),
        Metric(
            "appraisal_diff_index", _("Appraisal differentiation"), Unit.SHARE, True,
            _("how well the unit's SKP ratings tell its employees apart"), "",
            _("the latest rated year up to the period"), AsOf.REFRESH,
            sample="appraisal_rated", target=0.50, worst=0.0,
            pages=("leadership:scorecard", "leadership:unit"),
        ),
    )
}  # fmt: skip


def metric(key: str) -> Metric:
    return METRICS[key]


__all__ = ["METRICS", "AsOf", "Metric", "Unit", "metric"]
