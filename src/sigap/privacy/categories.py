"""Every category of personal data sigap holds: what, why, on which basis, for how long.

One list feeds the full notice (/privasi/), the short notice on each public form and the
retention job, so the notice cannot promise one period while the job applies another.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sigap.privacy import conf
from sigap.web import formatting

PUBLIC_SERVICE = _(
    "Carrying out a public service and the agency's official authority (UU 27/2022 Pasal 20; "
    "UU 25/2009 on Public Service)"
)
CONSENT = _("Your explicit consent, which you may withdraw at any time (UU 27/2022 Pasal 20)")
LEGAL_DUTY = _("A legal obligation of the agency (UU 27/2022 Pasal 20)")


@dataclass(frozen=True)
class Category:
    code: str
    name: Promise
    data: Promise
    purpose: Promise
    basis: Promise
    # The key in conf.retention_days(), or "" when another job or rule keeps the period.
    retention_key: str
    retention_after: Promise
    # The public forms where the data is collected (keys of FORMS).
    forms: tuple[str, ...]
    retention_note: Promise | None = None
    # The period one page states instead of the default (the application form of a service
    # with its own document retention: `for_form(..., documents_days=...)`).
    fixed_days: int | None = None

    def retention_days(self) -> int:
        if self.fixed_days is not None:
            return self.fixed_days
        if self.code == "wbs_report":  # kept by `sigap wbs retention`, not by this app
            return wbs_retention_days()
        if self.code == "request_documents":  # kept by `sigap documents retention`
            from sigap.documents.services import retention_days

            return retention_days()
        return conf.retention_days().get(self.retention_key, 0) if self.retention_key else 0


CATEGORIES: tuple[Category, ...] = (
    Category(
        "request_identity",
        _("Applicant identity of a service request"),
        _("Name, phone or e-mail, NIK (only masked and as a keyed hash), village"),
        _("Processing your request, telling you its progress, finding repeat requests"),
        PUBLIC_SERVICE,
        "request_identity",
        _("after the request is finished"),
        ("tracking", "application", "booking", "link"),
    ),
    Category(
        "request_profile",
        _("Optional profile of an applicant"),
        _("Gender, age band, disability (only if you give them)"),
        _("Checking that the service treats every group fairly (statistics only)"),
        CONSENT,
        "",
        _("kept as anonymous statistics; removed at once if you withdraw consent"),
        ("tracking",),
    ),
    Category(
        "complaint_identity",
        _("Identity of a complainant"),
        _("Name, phone or e-mail, address and location (none if you complain anonymously)"),
        _("Handling and answering your complaint (SP4N-LAPOR!)"),
        PUBLIC_SERVICE,
        "complaint_identity",
        _("after the complaint is closed"),
        ("complaint",),
    ),
    Category(
        "survey_comment",
        _("Survey comments"),
        _("The free-text comment of an SKM answer"),
        _("Improving the service (PermenPANRB 14/2017)"),
        PUBLIC_SERVICE,
        "survey_comment",
        _("after the survey was answered"),
        ("survey",),
    ),
    Category(
        "survey_profile",
        _("Optional profile of a survey respondent"),
        _("Gender, age band, education, occupation (only if you give them)"),
        _("The respondent profile of the SKM report (statistics only)"),
        CONSENT,
        "",
        _("kept as anonymous statistics; removed at once if you withdraw consent"),
        ("survey",),
    ),
    Category(
        "request_documents",
        _("Documents of an online application"),
        _(
            "The documents you upload (e.g. copies of your KTP or KK) and the product of the "
            "service"
        ),
        _("Checking the requirements of your application and giving you the product"),
        PUBLIC_SERVICE,
        "",
        _("after the request is finished"),
        ("application",),
        retention_note=_("by default: a service may set its own period, stated on its page"),
    ),
    Category(
        "client_hash",
        _("Keyed hash of the device address"),
        _("A one-way keyed hash of the network address a form was sent from"),
        _("Detecting floods of fake submissions"),
        PUBLIC_SERVICE,
        "client_hash",
        _("after the submission"),
        ("survey", "complaint", "privacy"),
    ),
    Category(
        "rate_counter",
        _("Abuse counters"),
        _("The network address of a device and how many forms it sent in a short window"),
        _("Keeping the public forms available (rate limits)"),
        PUBLIC_SERVICE,
        "rate_counter",
        _("after the counting window"),
        ("survey", "complaint", "tracking", "privacy", "application", "link", "consultation"),
    ),
    Category(
        "tracking_lookup",
        _("Tracking look-ups"),
        _("How many times a day a receipt code was looked up (no address, no time of day)"),
        _("Measuring how well the public can follow their requests"),
        PUBLIC_SERVICE,
        "tracking_lookup",
        _("after the day of the look-ups"),
        ("tracking",),
    ),
    Category(
        "consultation_comment",
        _("Comments on a draft service standard"),
        _("Your name and phone or e-mail if you give them, and your comment"),
        _(
            "Weighing your comment before the standard is set and answering it; the comment "
            "is published with the answer, your name and contact never are"
        ),
        PUBLIC_SERVICE,
        "consultation_contact",
        _("after the comment was sent (the name and contact; the comment stays on record)"),
        ("consultation",),
    ),
    Category(
        "wbs_report",
        _("Whistleblowing reports"),
        _("The encrypted report, its messages and files; no identity unless you write it"),
        _("Investigating violations reported to the Inspectorate"),
        LEGAL_DUTY,
        "",
        _("after the last activity on the report"),
        ("wbs",),
    ),
    Category(
        "privacy_request",
        _("Your requests about your personal data"),
        _("The receipt code and contact you give, what you ask, our answer and the copy"),
        _("Answering your request to see, correct or delete your data"),
        LEGAL_DUTY,
        "privacy_request",
        _("after the request is answered (the copy of your data: after it was made)"),
        ("privacy",),
    ),
)

# The short notice of each public form: which purpose it states.
FORMS: dict[str, Promise] = {
    "application": _(
        "We use your data and documents only to process this application and to tell you its "
        "progress. Your NIK is kept only masked and as a keyed hash."
    ),
    "tracking": _(
        "We use your receipt code only to show the progress of your request. Your request's "
        "data is used to serve you."
    ),
    "complaint": _(
        "We use the data in your complaint only to handle and answer it. If you complain "
        "anonymously we do not know who you are."
    ),
    "survey": _(
        "Your answers are used only to measure and improve the service. The profile questions "
        "are optional."
    ),
    "wbs": _(
        "Your report is encrypted and read only by the Inspectorate. We do not record your "
        "address or device."
    ),
    "privacy": _(
        "We use the receipt code and contact you give only to find your data and answer "
        "your request."
    ),
    "booking": _(
        "We use the receipt code and contact you give only to find your request and book, "
        "move or cancel its time at the counter."
    ),
    "consultation": _(
        "We use your comment to weigh it before the service standard is set, and publish it "
        "with the unit's answer. Your name and contact are optional and never published."
    ),
    "link": _(
        "We use the receipt code and contact you give only to find your request and send its "
        "link to the contact given with the request."
    ),
}


def for_form(form: str, *, documents_days: int | None = None) -> list[Category]:
    """The categories a form collects; with `documents_days`, the documents' row states that
    period (the service's own) instead of the default."""
    return [
        replace(c, fixed_days=documents_days, retention_note=None)
        if documents_days is not None and c.code == "request_documents"
        else c
        for c in CATEGORIES
        if form in c.forms
    ]


def application_notice(documents_days: int) -> str:
    """The short notice of a service's online application form, naming how long that service
    keeps the documents: shown above the consent box and stored with the application as the
    text the applicant agreed to."""
    kept = ngettext(
        "The documents you upload are kept for %(days)s day after your request is finished, "
        "then deleted.",
        "The documents you upload are kept for %(days)s days after your request is finished, "
        "then deleted.",
        documents_days,
    ) % {"days": formatting.integer(documents_days)}  # a five-year period reads 1.825
    return f"{FORMS['application']} {kept}"


def wbs_retention_days() -> int:
    from sigap.whistleblowing.conf import setting

    return setting("WBS_RETENTION_DAYS")
