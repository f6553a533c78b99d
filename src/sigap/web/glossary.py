"""What a figure means, in plain words: one short explanation per figure sigap shows.

Keyed like the metric registry (`sigap.metrics.registry.METRICS`, whose definitions are the
precise ones) plus the figures of the work homes. The `{% explain %}` and `{% glossary %}` tags
(sigap.web.templatetags.glossary) show them as a <details> element: it opens without
JavaScript and a screen reader announces it as a disclosure. tests/web/test_glossary.py checks
that every registry metric has its entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True, slots=True)
class Entry:
    term: str | Promise
    meaning: str | Promise


GLOSSARY: dict[str, Entry] = {
    # --- the metric registry ---------------------------------------------------------------
    "volume": Entry(_("Requests"), _(
        "How many requests citizens submitted in the period, at the counter or online.")),
    "closed": Entry(_("Closed"), _(
        "How many requests were finished in the period: completed or rejected.")),
    "sla_share": Entry(_("SLA compliance"), _(
        "Of the requests finished in the period, the share finished within the time the service "
        "standard promises (in working days). Days the file waited with the applicant do not "
        "count.")),
    "lead_wd_median": Entry(_("Median lead time"), _(
        "Half of the requests finished in the period took at most this many working days from "
        "submission to the end; the other half took longer.")),
    "ftr_share": Entry(_("First time right"), _(
        "Of the requests finished in the period, the share finished without ever being returned "
        "to the applicant for correction. Low means unclear requirements or checks done late.")),
    "digital_share": Entry(_("Digital channel share"), _(
        "The share of requests submitted online or through the mobile app instead of at the "
        "counter.")),
    "open": Entry(_("Open requests"), _(
        "Requests submitted and not yet completed or rejected, today.")),
    "overdue": Entry(_("Past the due date"), _(
        "Open requests with the officers that have already used more working days than the "
        "service standard allows. A file waiting with the applicant is never counted here.")),
    "paused": Entry(_("With the applicant"), _(
        "Open requests returned for correction or waiting for the applicant: the clock stops "
        "until the applicant answers.")),
    "complaints_on_time_share": Entry(_("Complaints followed up on time"), _(
        "Of the complaints forwarded to the unit, the share followed up before their SP4N-LAPOR! "
        "deadline (5 working days after forwarding).")),
    "ikm": Entry(_("IKM"), _(
        "The community satisfaction index from the SKM answers (PermenPANRB 14/2017), from 25 to "
        "100. 88.31 or more is A (very good), 76.61 or more B (good), 65 or more C (not good), "
        "below that D (poor).")),
    "standards_published": Entry(_("Standards published"), _(
        "The share of the unit's active services that have a service standard in force, with its "
        "requirements, time and tariff.")),
    "tracking_share": Entry(_("Tracking use"), _(
        "The share of requests whose receipt code a citizen looked up at least once on the "
        "tracking page.")),
    "transparency_score": Entry(_("Transparency"), _(
        "The average of three shares: standards published, digital channel and tracking use.")),
    "integrity_rate": Entry(_("Integrity signals per 1,000 requests"), _(
        "How many integrity signals (overcharging, queue jumping, unequal treatment, officer "
        "risk) the latest check flagged, per 1,000 requests. A signal is a reason to look, not "
        "proof.")),
    "appraisal_diff_index": Entry(_("SKP differentiation"), _(
        "How well the unit's SKP ratings tell its employees apart, from 0 (everyone the same "
        "predikat) to 1. Very low often means ratings given without evidence.")),
    # --- the work homes --------------------------------------------------------------------
    "queue": Entry(_("Your queue"), _(
        "Open requests at your units that officers may process, the most urgent first.")),
    "counter_today": Entry(_("Counter slots today"), _(
        "Appointments citizens booked at your units' counter for today, against the seats the "
        "slot plan offers. Cancelled bookings are not counted.")),
    "complaints_overdue": Entry(_("Complaints past their deadline"), _(
        "Complaints whose SP4N-LAPOR! deadline has passed: 3 working days to verify and forward, "
        "then 5 working days for the unit to follow up.")),
    "complaints_due_soon": Entry(_("Complaints due soon"), _(
        "Complaints whose running SP4N-LAPOR! deadline falls within the next 3 days.")),
    "returned": Entry(_("Returned files at the applicant"), _(
        "Requests returned to the applicant for correction and not yet answered. The clock is "
        "stopped; a long wait may mean the applicant did not understand what to fix.")),
    "weakest_unsur": Entry(_("Lowest SKM unsur"), _(
        "Of the nine SKM questions, the one citizens rated lowest, as its average score from 1 "
        "to 4 (NRR). Below 3.06 the unsur alone would be grade C or D.")),
    "skp_periods": Entry(_("Appraisal calendar"), _(
        "The SKP evaluation periods of the year (monthly, quarterly or half-yearly, as the "
        "agency set them) and the yearly appraisal after the last period.")),
    "appraisals_pending": Entry(_("Appraisals not yet final"), _(
        "Employees in your scope whose yearly SKP appraisal is missing or still a draft.")),
    "appraisals_rated": Entry(_("Appraisals final"), _(
        "Employees in your scope whose yearly SKP appraisal is final.")),
    "appraisals_calibrated": Entry(_("Appraisals calibrated"), _(
        "Yearly appraisals that HR changed in calibration, each with its reason.")),
    "signals_new": Entry(_("New integrity signals"), _(
        "Flagged signals in your scope that nobody at the Inspektorat follows up yet: neither "
        "assigned nor closed.")),
    "signals_flagged": Entry(_("Flagged integrity signals"), _(
        "Signals the latest integrity check flagged in your scope, each resting on named cases. "
        "A signal is a reason to look, not proof.")),
    "signals_mine": Entry(_("Signals assigned to you"), _(
        "Flagged signals given to you to follow up and not yet closed.")),
    "wbs_new": Entry(_("New whistleblowing reports"), _(
        "Whistleblowing reports not yet opened by the Inspektorat. Only the count is shown "
        "here; the content is read on the protected WBS pages.")),
    "roadmap_proposed": Entry(_("Roadmap actions awaiting a decision"), _(
        "Improvement actions the scorecard proposed from a gap, which nobody has accepted or "
        "dismissed yet.")),
    "sla_drop": Entry(_("Largest drop in on-time completion"), _(
        "The unit whose SLA compliance fell most from the previous period to the latest complete "
        "one, in percentage points.")),
    "unreconciled": Entry(_("Payments not yet matched"), _(
        "Payments recorded or imported that are not yet matched to a request. Until they are, "
        "they are no evidence of what a request paid.")),
}  # fmt: skip


def entry(key: str) -> Entry | None:
    return GLOSSARY.get(key)
