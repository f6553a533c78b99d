"""`Cache-Control: no-store` for every page that shows what must not stay in a cache.

One list, keyed on the views (their URL names, namespaced where the app has a namespace), so
the decision for each page is written down once and tested for each view
(tests/web/test_no_store.py): the pages of decrypted whistleblowing reports and their files, of
a complainant's identity, and every staff page that shows personal data (names with NIK, NIP,
phone or contact, an officer's scores or signals, appraisals, discipline, the audit trail).
`no-store` keeps them out of the browser's disk cache and back/forward cache and out of any
shared cache between the browser and sigap, so the next person at a shared computer, or a
proxy's cache, does not get them.

The Django admin shows every table: all its pages are covered. The anonymous whistleblowing
routes also get `no-store` from `sigap.whistleblowing.privacy` (before any view runs); they are
listed here too so the list is the whole answer.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

SENSITIVE_VIEWS: frozenset[str] = frozenset(
    {
        # Whistleblowing: the reporter's pages and the Inspektorat's decrypted reports.
        "wbs_report",
        # A request's documents (identity papers of the applicant, the product).
        "document_download",
        # The receipt of an online application names the applicant.
        "application_receipt",
        "wbs_followup",
        "wbs_case_list",
        "wbs_case_detail",
        "wbs_attachment",
        # Complaints: the complainant's name and contact (confidential ones included), the
        # complaint text, and the form sent back with them when it has errors.
        "complaint_new",
        "complaint_status",
        "complaint_list",
        "complaint_detail",
        # The SP4N-LAPOR! reconciliation list: the complaints' texts and follow-ups.
        "lapor_export",
        # Onboarding: the runs of the agency's imports, and the dry runs' employees and NIPs.
        "onboarding_home",
        "onboarding_upload",
        "onboarding_plan",
        "onboarding_apply",
        # Service requests: the applicant's name, masked NIK and contact.
        "queue",
        # The work home: the first requests of the queue, counts of signals and complaints.
        "work_home",
        "request_list",
        "request_intake",
        "request_detail",
        "request_receipt",
        "track_code",
        # Payments: bank statement descriptions carry the payer's name; receipt codes.
        "payments_cashier",
        "payments_reconcile",
        "payments_import",
        # Employees (NIP, names), their appraisals, talent, discipline and scores.
        "employee_directory",
        "appraisal_overview",
        "appraisal_employee",
        "appraisal_pdf",
        "appraisal_recap",
        "calibration",
        "talent",
        "potential_import",
        "discipline",
        # Competency: an employee's profile, assessments, gaps, training and JP shortfall.
        "competency_mine",
        "competency_employee",
        "competency_team",
        "competency_agency",
        "service_performance_detail",
        # Oversight: signals naming officers (name, NIP) and who did what (the audit trail).
        "inspectorate_dashboard",
        "integrity_signal",
        "ombudsman_view",
        "audit_log",
        # Staff log-in: the second factor's secret, its QR code and the recovery codes.
        "two_factor_enrol",
        "two_factor_qr",
        "two_factor_verify",
        "two_factor_recovery",
        # Who asks for, and who holds, the right to read WBS reports.
        "wbs_grants",
        # Counter bookings: the applicant's receipt and contact, the day list's names.
        "booking_applicant",
        "booking_day",
        "booking_plan",
        # Personal data requests (receipt, contact, the copy of a person's data) and breaches.
        "privacy_request_new",
        "privacy_request_status",
        "privacy_queue",
        "privacy_request_detail",
        "privacy_breach_list",
        "privacy_breach_new",
        "privacy_breach_detail",
        "privacy_breach_letter",
        # A draft service standard's page: the names and contacts of the public who commented.
        "standard_edit",
        # Competency records (issue #15): an employee's NIP, assessed levels, trainings and
        # their certificates; the import pages list NIPs in their errors.
        "competency_employee_records",
        "competency_assessment_add",
        "competency_training_add",
        "competency_assessment_import",
        "competency_siasn_import",
        "competency_certificate",
        # The AKPK names each employee with their gaps and the evidence behind them.
        "competency_plan_unit",
        "competency_plan_agency",
        # ... and so does its workbook: names, NIPs and the gap evidence of each.
        "competency_plan_export",
        # Ideas name the employees who proposed and endorsed them (issue #16).
        "idea_list",
        "idea_detail",
        # The IID (issue #16): a supporting document (decrees name the people who run an
        # innovation), and an innovation's answers page (its notes and documents' names).
        "iid_evidence",
        "iid_innovation",
    }
)


def is_sensitive(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return False
    return match.view_name in SENSITIVE_VIEWS or "admin" in match.app_names


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_sensitive(request):
            # Django's never_cache headers: no-cache, no-store, must-revalidate, private,
            # max-age=0 (and an Expires in the past for HTTP/1.0 caches).
            add_never_cache_headers(response)
        return response
