"""Every view × every persona → the expected HTTP status.

`test_every_view_is_in_the_matrix` fails when a new URL is added without its row here, so no
view can ship without its access decision being written down and tested.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from sigap.notifications.links import applicant_path
from tests import factories
from tests.conftest import local

PERSONAS = [
    "anon",
    "officer_a",
    "head_a",
    "officer_b",
    "hr",
    "inspector",
    "ombudsman",
    "leadership",
    "admin",
    "norole",
]

# view name -> (method, expected status per persona, in PERSONAS order)
# 302 for anon = sent to the log-in page; 404 for a request outside one's scope = the same
# answer as for a code that does not exist, so codes cannot be probed.
MATRIX: dict[str, tuple[str, list[int]]] = {
    # Citizen voice (surveys, complaints, Open311, API): public pages are open to everyone.
    "survey_form": ("get", [200] * 10),
    "survey_thanks": ("get", [200] * 10),
    # The matrix's request is open: the page saying the survey opens later (no questionnaire).
    "survey_for_receipt": ("get", [200] * 10),
    "survey_qr": ("get", [200] * 10),
    "survey_poster": ("get", [200] * 10),
    "ikm_public": ("get", [200] * 10),
    "ikm_results": ("get", [302, 200, 200, 200, 403, 200, 200, 200, 403, 403]),
    "skm_report": ("get", [302, 200, 200, 404, 404, 200, 200, 200, 404, 404]),
    "skm_follow_up": ("get", [302, 200, 200, 404, 404, 200, 200, 200, 404, 404]),
    "complaint_new": ("get", [200] * 10),
    "complaint_status_lookup": ("get", [200] * 10),
    "complaint_status": ("get", [200] * 10),
    # Acting as the reporter needs the reporter's secret (the link), never the public code alone.
    "complaint_reporter_act": ("post", [403] * 10),
    # A new reporter link: whoever handles the complaint and may see the reporter's contact.
    "complaint_reporter_link": ("post", [302, 404, 200, 404, 404, 200, 403, 403, 404, 404]),
    "complaint_list": ("get", [302, 403, 200, 403, 403, 200, 200, 200, 403, 403]),
    "complaint_detail": ("get", [302, 404, 200, 404, 404, 200, 200, 200, 404, 404]),
    "complaint_act": ("post", [302, 404, 302, 404, 404, 302, 403, 403, 404, 404]),
    # The SP4N-LAPOR! reconciliation file: the Inspektorat, the instansi's complaint admin.
    "lapor_export": ("get", [302, 403, 403, 403, 403, 200, 403, 403, 403, 403]),
    "openapi-json": ("get", [200] * 10),
    "api-root": ("get", [404] * 10),  # no browsable root: the schema is at openapi.json
    "api_services": ("get", [200] * 10),
    "api_survey_elements": ("get", [200] * 10),
    "api_survey_create": ("post", [415] * 10),  # a form body, not JSON: 415 in the error shape
    "api_ikm": ("get", [200] * 10),
    "api_complaint_create": ("post", [415] * 10),
    "api_complaint_status": ("get", [200] * 10),
    # Open311 GeoReport v2: public reads; POST needs an api_key (403 without, in Open311 format).
    "open311_discovery": ("get", [200] * 10),
    "open311_services": ("get", [200] * 10),
    "open311_service_definition": ("get", [200] * 10),
    "open311_requests": ("post", [403] * 10),
    "open311_request": ("get", [200] * 10),
    "open311_token": ("get", [404] * 10),  # the matrix's complaint came from the web form
    "open311_request_updates": ("get", [200] * 10),
    "home": ("get", [200] * 10),
    "login": ("get", [200] * 10),
    "logout": ("post", [302] * 10),
    "set_language": ("post", [302] * 10),
    # Second factor (sigap.signin). The personas' sessions count as verified (tests/conftest.py),
    # so the code pages send everyone on; enrolment is for the roles that need it (HR,
    # inspector, admin), the QR code exists only while enrolling, new recovery codes only once
    # enrolled (else to enrolment). The real flow: tests/signin.
    "two_factor_verify": ("get", [302] * 10),
    "two_factor_recovery": ("get", [302] * 10),
    "two_factor_enrol": ("get", [302, 302, 302, 302, 200, 200, 302, 302, 200, 302]),
    "two_factor_qr": ("get", [302] + [404] * 9),
    "two_factor_recovery_renew": ("post", [302] * 10),
    # A one-time activation link (a new account sets its password): open to whoever holds it;
    # a link that does not work is 404 for everyone, whoever asks (the real flow:
    # tests/onboarding/test_accounts.py).
    "account_activate": ("get", [404] * 10),
    "track": ("get", [200] * 10),
    "track_code": ("get", [200] * 10),
    "queue": ("get", [302, 200, 200, 200, 403, 403, 403, 403, 403, 403]),
    "request_detail": ("get", [302, 200, 200, 404, 404, 200, 200, 200, 404, 404]),
    "request_act": ("post", [302, 302, 302, 404, 404, 403, 403, 403, 404, 404]),
    "request_list": ("get", [302, 200, 200, 200, 403, 200, 200, 200, 403, 403]),
    "employee_directory": ("get", [302, 403, 200, 403, 200, 200, 403, 200, 403, 403]),
    "request_intake": ("get", [302, 200, 200, 200, 403, 403, 403, 403, 403, 403]),
    "request_receipt": ("get", [302, 200, 200, 404, 404, 200, 200, 200, 404, 404]),
    # Documents of a request: the same scope as the request; a document that does not exist is
    # 404 for everyone (the 200 path is in tests/documents). Attaching the product: processors.
    # Applying online is public; the receipt opens only through its signed link
    # (tests/applications).
    "application_form": ("get", [200] * 10),
    "application_receipt": ("get", [404] * 10),
    # The applicant's own page: the signed link is the key, whoever holds it (with a session or
    # not); a product that is not this request's sends back to the page (tests/applications).
    "applicant_page": ("get", [200] * 10),
    "applicant_product": ("get", [302] * 10),
    "applicant_link_resend": ("get", [200] * 10),
    "document_download": ("get", [302, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
    "document_attach_product": ("post", [302, 302, 302, 404, 404, 403, 403, 403, 404, 404]),
    # The last step of a service whose product is signed (sigap.integrations): processors.
    "request_complete_signed": ("post", [302, 302, 302, 404, 404, 403, 403, 403, 404, 404]),
    "audit_log": ("get", [302, 403, 403, 403, 403, 200, 403, 403, 403, 403]),
    # Anonymous whistleblowing pages are open to all; case pages only to inspectors (a case
    # that does not exist: 404 for them; the 200 path is in tests/whistleblowing).
    "wbs_report": ("get", [200] * 10),
    "wbs_followup": ("get", [200] * 10),
    "wbs_case_list": ("get", [302, 403, 403, 403, 403, 200, 403, 403, 403, 403]),
    "wbs_case_detail": ("get", [302, 403, 403, 403, 403, 404, 403, 403, 403, 403]),
    "wbs_attachment": ("get", [302, 403, 403, 403, 403, 404, 403, 403, 403, 403]),
    # Two people for every WBS reader: inspectors and administrators ask and decide here.
    "wbs_grants": ("get", [302, 403, 403, 403, 403, 200, 403, 403, 200, 403]),
    "inspectorate_dashboard": ("get", [302, 403, 403, 403, 403, 200, 403, 403, 403, 403]),
    "ombudsman_view": ("get", [302, 403, 403, 403, 403, 403, 200, 403, 403, 403]),
    # A signal that does not exist: 404 for the two oversight roles (tests/integrity has 200s).
    "integrity_signal": ("get", [302, 403, 403, 403, 403, 404, 404, 403, 403, 403]),
    # Only the Inspektorat decides (confirms or dismisses) a signal; the Ombudsman reads it.
    "integrity_signal_decide": ("post", [302, 403, 403, 403, 403, 404, 403, 403, 403, 403]),
    # Only the Inspektorat assigns a signal and closes it with a note.
    "integrity_signal_assign": ("post", [302, 403, 403, 403, 403, 404, 403, 403, 403, 403]),
    "integrity_signal_close": ("post", [302, 403, 403, 403, 403, 404, 403, 403, 403, 403]),
    # The work home: every signed-in account (a role-less one is told to ask for a role).
    "work_home": ("get", [302] + [200] * 9),
    # Service performance (Kinerja layanan): unit heads, leadership, Inspektorat, Ombudsman; a
    # result row that does not exist is 404 for them (tests/performance has the 200s).
    "service_performance": ("get", [302, 403, 200, 403, 403, 200, 200, 200, 403, 403]),
    "service_performance_detail": ("get", [302, 403, 404, 403, 403, 404, 404, 404, 403, 403]),
    # SKP and talent: read by unit heads, HR and leadership (and one's own SKP); rated by the
    # unit head (403 elsewhere; an empty form is sent back with 302); calibrated by HR.
    "appraisal_overview": ("get", [302, 403, 200, 403, 200, 403, 403, 200, 403, 403]),
    "appraisal_employee": ("get", [302, 200, 200, 404, 200, 404, 404, 200, 404, 404]),
    "appraisal_pdf": ("get", [302, 200, 200, 404, 200, 404, 404, 200, 404, 404]),
    "appraisal_plan_add": ("post", [302, 403, 302, 403, 403, 403, 403, 403, 403, 403]),
    "appraisal_rate": ("post", [302, 403, 302, 403, 403, 403, 403, 403, 403, 403]),
    "appraisal_correct": ("post", [302, 403, 302, 403, 403, 403, 403, 403, 403, 403]),
    "appraisal_recap": ("get", [302, 403, 200, 403, 200, 403, 403, 200, 403, 403]),
    "calibration": ("get", [302, 403, 200, 403, 200, 403, 403, 200, 403, 403]),
    "calibration_adjust": ("post", [302, 403, 403, 403, 302, 403, 403, 403, 403, 403]),
    "org_rating_set": ("post", [302, 403, 403, 403, 302, 403, 403, 403, 403, 403]),
    "talent": ("get", [302, 403, 403, 403, 200, 403, 403, 200, 403, 403]),
    "potential_import": ("get", [302, 403, 403, 403, 200, 403, 403, 403, 403, 403]),
    "discipline": ("get", [302, 403, 403, 403, 200, 403, 403, 403, 403, 403]),
    # Competency pages (issue #15): one's own page for every signed-in account (an account
    # without an employee record is told so, 200); an employee's page for themselves and
    # COMPETENCY_VIEW over their unit (404 otherwise, as for no such employee); the team view
    # for COMPETENCY_VIEW holders; the agency view only over a whole agency (HR, leadership).
    "competency_mine": ("get", [302] + [200] * 9),
    "competency_employee": ("get", [302, 200, 200, 404, 200, 404, 404, 200, 404, 404]),
    "competency_team": ("get", [302, 403, 200, 403, 200, 403, 403, 200, 403, 403]),
    "competency_agency": ("get", [302, 403, 403, 403, 200, 403, 403, 200, 403, 403]),
    # Public transparency pages: open to everyone (tests/transparency has the content).
    "transparency:index": ("get", [200] * 10),
    "transparency:index_period": ("get", [200] * 10),
    "transparency:unit": ("get", [200] * 10),
    "transparency:unit_period": ("get", [200] * 10),
    "transparency:innovations": ("get", [200] * 10),
    # Open data for Satu Data / CKAN harvesters: public (tests/transparency/test_opendata.py).
    "transparency:opendata_action": ("get", [200] * 10),
    "transparency:opendata_resource": ("get", [200] * 10),
    "transparency:opendata_catalog": ("get", [200] * 10),
    # The public service catalogue (tests/frontdoor has the content).
    "frontdoor:catalogue": ("get", [200] * 10),
    "frontdoor:service": ("get", [200] * 10),
    # Leadership scorecard and roadmap: leadership over its subtree, unit heads over their unit
    # (counter A here); a roadmap action that does not exist is 404 for them.
    "leadership:scorecard": ("get", [302, 403, 200, 403, 403, 403, 403, 200, 403, 403]),
    "leadership:unit": ("get", [302, 403, 200, 403, 403, 403, 403, 200, 403, 403]),
    "leadership:service": ("get", [302, 403, 200, 403, 403, 403, 403, 200, 403, 403]),
    "leadership:roadmap": ("get", [302, 403, 200, 403, 403, 403, 403, 200, 403, 403]),
    "leadership:roadmap_unit": ("get", [302, 403, 200, 403, 403, 403, 403, 200, 403, 403]),
    "leadership:roadmap_action_status": (
        "post",
        [302, 403, 404, 403, 403, 403, 403, 404, 403, 403],
    ),
    # Payments: the revenue treasurer's (cashier's) pages; none of the personas is a cashier
    # (tests/payments has the 200s, and an officer's 403).
    "payments_cashier": ("get", [302, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
    "payments_reconcile": ("post", [302, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
    "payments_import": ("get", [302, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
    # PDP (UU 27/2022): the notice and the citizen's data request are public; the queue and the
    # breach register belong to the agency's administrator (the DPO); a request or breach that
    # does not exist is 404 for them (tests/privacy has the 200s).
    # Counter slot booking: the applicant's form is public; the day list is the work queue's
    # (officers and unit heads), the weekly plan the unit head's; a booking that does not exist
    # is 404 for whoever may mark no-shows (tests/booking has the 200s).
    "booking_applicant": ("get", [200] * 10),
    "booking_day": ("get", [302, 200, 200, 200, 403, 403, 403, 403, 403, 403]),
    "booking_no_show": ("post", [302, 404, 404, 404, 403, 403, 403, 403, 403, 403]),
    "booking_plan": ("get", [302, 403, 200, 403, 403, 403, 403, 403, 403, 403]),
    "privacy_notice": ("get", [200] * 10),
    "privacy_request_new": ("get", [200] * 10),
    "privacy_request_status": ("get", [200] * 10),
    "privacy_queue": ("get", [302, 403, 403, 403, 403, 403, 403, 403, 200, 403]),
    "privacy_request_detail": ("get", [302, 403, 403, 403, 403, 403, 403, 403, 404, 403]),
    "privacy_request_act": ("post", [302, 403, 403, 403, 403, 403, 403, 403, 404, 403]),
    "privacy_breach_list": ("get", [302, 403, 403, 403, 403, 403, 403, 403, 200, 403]),
    "privacy_breach_new": ("get", [302, 403, 403, 403, 403, 403, 403, 403, 200, 403]),
    "privacy_breach_detail": ("get", [302, 403, 403, 403, 403, 403, 403, 403, 404, 403]),
    "privacy_breach_notified": ("post", [302, 403, 403, 403, 403, 403, 403, 403, 404, 403]),
    "privacy_breach_letter": ("get", [302, 403, 403, 403, 403, 403, 403, 403, 404, 403]),
    # Service standards: the unit head (counter A here) and the administrator draft and run the
    # public consultation; only the administrator publishes (an empty form: 400). A comment or
    # a consultation that does not exist is 404 for them (tests/catalogue has the 200s). The
    # public comment form answers 404 while the service has no draft under consultation.
    "standards": ("get", [302, 403, 200, 403, 403, 403, 403, 403, 200, 403]),
    "standard_new": ("post", [302, 403, 302, 403, 403, 403, 403, 403, 302, 403]),
    "standard_edit": ("get", [302, 403, 200, 403, 403, 403, 403, 403, 200, 403]),
    "standard_publish": ("post", [302, 403, 403, 403, 403, 403, 403, 403, 400, 403]),
    # The matrix's version is published: refused with a message, back to its page.
    "standard_discard": ("post", [302, 403, 302, 403, 403, 403, 403, 403, 302, 403]),
    "standard_consultation": ("post", [302, 403, 400, 403, 403, 403, 403, 403, 400, 403]),
    "standard_hearing": ("post", [302, 403, 404, 403, 403, 403, 403, 403, 404, 403]),
    "consultation_answer": ("post", [302, 403, 404, 403, 403, 403, 403, 403, 404, 403]),
    "frontdoor:consultation_comment": ("post", [404] * 10),
    # Competency records (issue #15): HR over the employee's unit only (the unit head and
    # leadership read the competency pages, not these); a certificate that does not exist is
    # 404 for everyone (the employee, the unit head and HR get theirs: tests/competency).
    "competency_employee_records": ("get", [302, 403, 403, 403, 200, 403, 403, 403, 403, 403]),
    "competency_assessment_add": ("get", [302, 403, 403, 403, 200, 403, 403, 403, 403, 403]),
    "competency_training_add": ("get", [302, 403, 403, 403, 200, 403, 403, 403, 403, 403]),
    "competency_assessment_import": ("get", [302, 403, 403, 403, 200, 403, 403, 403, 403, 403]),
    "competency_siasn_import": ("get", [302, 403, 403, 403, 200, 403, 403, 403, 403, 403]),
    "competency_certificate": ("get", [302] + [404] * 9),
    # SIASN buttons of the records page (HR): off in tests, HR is sent back with the message;
    # a training record that does not exist is 404 for HR.
    "siasn_training_pull": ("post", [302, 403, 403, 403, 302, 403, 403, 403, 403, 403]),
    "siasn_training_push": ("post", [302, 403, 403, 403, 404, 403, 403, 403, 403, 403]),
    # Competency standards (issue #15): unit heads, HR and leadership read the agency's
    # dictionary, standards and step links; only HR (over the whole agency) writes them. The
    # matrix's version takes effect next month (editable); an empty new-version form is sent
    # back (302); a record that does not exist is 404 for those who may read it.
    "competency_dictionary": ("get", [302, 403, 200, 403, 200, 403, 403, 200, 403, 403]),
    "competency_technical_new": ("get", [302, 403, 403, 403, 200, 403, 403, 403, 403, 403]),
    "competency_technical_edit": ("get", [302, 403, 403, 403, 200, 403, 403, 403, 403, 403]),
    "competency_standards": ("get", [302, 403, 200, 403, 200, 403, 403, 200, 403, 403]),
    "competency_standard_new": ("post", [302, 403, 403, 403, 302, 403, 403, 403, 403, 403]),
    "competency_standard_import": ("get", [302, 403, 403, 403, 200, 403, 403, 403, 403, 403]),
    "competency_standard": ("get", [302, 403, 200, 403, 200, 403, 403, 200, 403, 403]),
    "competency_standard_edit": ("get", [302, 403, 403, 403, 200, 403, 403, 403, 403, 403]),
    "competency_standard_xlsx": ("get", [302, 403, 200, 403, 200, 403, 403, 200, 403, 403]),
    "competency_steps": ("get", [302, 403, 200, 403, 200, 403, 403, 200, 403, 403]),
    "competency_step_edit": ("get", [302, 403, 403, 403, 200, 403, 403, 403, 403, 403]),
    # The AKPK: readers of competency (unit head over counter A, HR, leadership); the agency's
    # page needs the agency's root in scope. A plan or item that does not exist is 404 for
    # them (the real plans: tests/competency/test_plan_pages.py).
    "competency_plan_unit": ("get", [302, 403, 200, 403, 200, 403, 403, 200, 403, 403]),
    "competency_plan_agency": ("get", [302, 403, 403, 403, 200, 403, 403, 200, 403, 403]),
    "competency_plan_approve": ("post", [302, 403, 404, 403, 404, 403, 403, 404, 403, 403]),
    "competency_plan_item_edit": ("post", [302, 403, 404, 403, 404, 403, 403, 404, 403, 403]),
    "competency_plan_export": ("get", [302, 403, 404, 403, 404, 403, 403, 404, 403, 403]),
    # The innovation registry (issue #16): staff of the innovation's units, HR, leadership and
    # the Inspektorat read it; the unit head and HR change it (an innovation of counter A).
    "innovation_list": ("get", [302, 200, 200, 200, 200, 200, 403, 200, 403, 403]),
    "innovation_new": ("get", [302, 403, 200, 403, 200, 403, 403, 403, 403, 403]),
    "innovation_detail": ("get", [302, 200, 200, 404, 200, 200, 403, 200, 403, 403]),
    "innovation_edit": ("get", [302, 403, 200, 403, 200, 403, 403, 403, 403, 403]),
    "innovation_stage": ("get", [302, 403, 200, 403, 200, 403, 403, 403, 403, 403]),
    "innovation_replicate": ("get", [302, 403, 200, 403, 200, 403, 403, 403, 403, 403]),
    # Ideas (they name employees): the staff of the unit propose and endorse, its head decides.
    # The idea is officer A's: the proposer's own endorsement is refused with a message (302),
    # the head's accepted; an empty decision form is sent back with its errors (302).
    "idea_list": ("get", [302, 200, 200, 200, 403, 403, 403, 403, 403, 403]),
    "idea_new": ("get", [302, 200, 200, 200, 403, 403, 403, 403, 403, 403]),
    "idea_detail": ("get", [302, 200, 200, 404, 403, 403, 403, 403, 403, 403]),
    "idea_endorse": ("post", [302, 302, 302, 404, 403, 403, 403, 403, 403, 403]),
    "idea_accept": ("post", [302, 403, 302, 404, 403, 403, 403, 403, 403, 403]),
    "idea_decline": ("post", [302, 403, 302, 404, 403, 403, 403, 403, 403, 403]),
    # The IID workbench (issue #16): HR over the whole agency only. The home sends HR on to the
    # current frame's year; an innovation or a supporting document that does not exist is 404
    # (for the document: for everyone, whoever may not read it gets the same answer).
    "iid_home": ("get", [302, 403, 403, 403, 302, 403, 403, 403, 403, 403]),
    "iid_workbench": ("get", [302, 403, 403, 403, 200, 403, 403, 403, 403, 403]),
    "iid_spd": ("get", [302, 403, 403, 403, 200, 403, 403, 403, 403, 403]),
    "iid_innovation": ("get", [302, 403, 403, 403, 404, 403, 403, 403, 403, 403]),
    "iid_export": ("get", [302, 403, 403, 403, 200, 403, 403, 403, 403, 403]),
    "iid_evidence": ("get", [302] + [404] * 9),
    # Onboarding (issue #18): BKPSDM, the administrator and the Inspektorat over the agency's
    # root (each sees only its own imports: tests/onboarding); an empty upload is the page again
    # with the form's errors; a kept upload that is not one's own is 404 for them.
    "onboarding_home": ("get", [302, 403, 403, 403, 200, 200, 403, 403, 200, 403]),
    "onboarding_upload": ("post", [302, 403, 403, 403, 200, 200, 403, 403, 200, 403]),
    "onboarding_plan": ("get", [302, 403, 403, 403, 404, 404, 403, 403, 404, 403]),
    "onboarding_apply": ("post", [302, 403, 403, 403, 404, 404, 403, 403, 404, 403]),
}


def _innovation() -> int:
    """An innovation of counter A on KTP-el (made once), for the registry's pages."""
    from datetime import date

    from django.contrib.auth.models import User

    from sigap.catalogue.models import Service
    from sigap.innovation import services
    from sigap.innovation.models import Innovation
    from sigap.organisation.models import Unit

    found = Innovation.objects.filter(name="Cek berkas daring").first()
    if found is None:
        found = services.innovation_create(
            actor=User.objects.get(username="head_a"),
            name="Cek berkas daring",
            initiator="unit",
            form="public_service",
            kind="digital",
            urusan="civil_registration",
            initiated_on=date(2025, 1, 6),
            units=[Unit.objects.get(code="loket-a")],
            services=[Service.objects.get(code="ktp-el")],
        )
    return found.pk


def _idea() -> int:
    """Officer A's idea for counter A (made once)."""
    from django.contrib.auth.models import User

    from sigap.innovation import services
    from sigap.innovation.models import Idea
    from sigap.organisation.models import Unit

    found = Idea.objects.filter(title="Daftar periksa daring").first()
    if found is None:
        found = services.idea_propose(
            actor=User.objects.get(username="officer_a"),
            unit=Unit.objects.get(code="loket-a"),
            title="Daftar periksa daring",
            problem="Berkas sering kurang.",
            proposal="Daftar periksa sebelum datang.",
        )
    return found.pk


def _unit_of(code: str) -> int:
    from sigap.service_requests.models import ServiceRequest

    return ServiceRequest.objects.get(receipt_code=code).unit_id


def _service_of(code: str) -> int:
    from sigap.service_requests.models import ServiceRequest

    return ServiceRequest.objects.get(receipt_code=code).service_id


def _standard_of(code: str) -> int:
    from sigap.service_requests.models import ServiceRequest

    return ServiceRequest.objects.get(receipt_code=code).standard_id


def _complaint_of(code: str) -> str:
    """A complaint about the request with this receipt code (made once), for complaint views."""
    from sigap.complaints.models import Complaint
    from sigap.complaints.services import Reporter, complaint_submit

    found = Complaint.objects.filter(service_request__receipt_code=code).first()
    if found is None:
        found = complaint_submit(
            category="lambat",
            description="Sudah lewat janji",
            reporter=Reporter(name="Ahmad Fauzi", contact="0812"),
            receipt_code=code,
        )
    return found.receipt_code


def _officer_a() -> int:
    """Officer A's employee id, for the SKP pages."""
    from sigap.organisation.models import Employee

    return Employee.objects.get(user__username="officer_a").pk


def _competency_standard() -> tuple[int, int]:
    """The matrix agency's technical competency and a standard version taking effect next
    month (so still editable), made once: (competency id, version id)."""
    from datetime import timedelta

    from django.utils import timezone

    from sigap.competency import dictionary
    from sigap.competency.models import (
        Competency,
        CompetencyLevel,
        PositionRequirement,
        StandardVersion,
        StepCompetency,
    )
    from sigap.organisation.models import Agency, Employee

    # A browser module's flush, earlier in the worker, may have emptied what the migration wrote.
    dictionary.install(Competency, CompetencyLevel)
    agency = Agency.objects.get(code="contoh")
    technical, created = Competency.objects.get_or_create(
        code="verifikasi-dokumen-kependudukan",
        defaults={"name": "Verifikasi dokumen kependudukan", "group": "teknis", "agency": agency},
    )
    if created:
        for level in range(1, 6):
            CompetencyLevel.objects.create(
                competency=technical, level=level, description=f"Memeriksa berkas tingkat {level}"
            )
        StepCompetency.objects.create(
            service=agency.units.get(code="loket-a").services.get(code="ktp-el"),
            step="Verifikasi",
            competency=technical,
        )
    version, created = StandardVersion.objects.get_or_create(
        agency=agency, valid_from=timezone.localdate() + timedelta(days=30)
    )
    if created:
        position = Employee.objects.get(user__username="officer_a").position
        service = Competency.objects.get(code="pelayanan-publik")
        PositionRequirement.objects.create(
            version=version, position=position, competency=service, level=2
        )
        PositionRequirement.objects.create(
            version=version, position=position, competency=technical, level=3
        )
    return technical.pk, version.pk


def _url(name: str, code: str) -> str:
    if name.startswith("competency_"):
        technical, version = _competency_standard()
        standards = {
            "competency_dictionary": "/kompetensi/kamus/",
            "competency_technical_new": "/kompetensi/kamus/teknis/baru/",
            "competency_technical_edit": f"/kompetensi/kamus/teknis/{technical}/",
            "competency_standards": "/kompetensi/standar/",
            "competency_standard_new": "/kompetensi/standar/baru/",
            "competency_standard_import": "/kompetensi/standar/impor/",
            "competency_standard": f"/kompetensi/standar/{version}/",
            "competency_standard_edit": f"/kompetensi/standar/{version}/ubah/",
            "competency_standard_xlsx": f"/kompetensi/standar/{version}/standar.xlsx",
            "competency_steps": "/kompetensi/langkah/",
            "competency_step_edit": "/kompetensi/langkah/ktp-el/",
            "competency_employee_records": f"/kompetensi/pegawai/{_officer_a()}/riwayat/",
            "competency_assessment_add": f"/kompetensi/pegawai/{_officer_a()}/asesmen/baru/",
            "competency_training_add": f"/kompetensi/pegawai/{_officer_a()}/pelatihan/baru/",
            "competency_assessment_import": "/kompetensi/impor/asesmen/",
            "competency_siasn_import": "/kompetensi/impor/siasn/",
            "competency_certificate": "/kompetensi/pelatihan/999999/sertifikat/",
        }
        # The other competency pages (own, team, agency, plan, records) are below.
        if name in standards:
            return standards[name]
    if name.startswith("innovation_"):
        pk = _innovation()
        return {
            "innovation_list": "/inovasi/",
            "innovation_new": "/inovasi/baru/",
            "innovation_detail": f"/inovasi/{pk}/",
            "innovation_edit": f"/inovasi/{pk}/ubah/",
            "innovation_stage": f"/inovasi/{pk}/tahap/",
            "innovation_replicate": f"/inovasi/{pk}/replikasi/",
        }[name]
    if name.startswith("idea_"):
        pk = _idea()
        return {
            "idea_list": "/inovasi/ide/",
            "idea_new": "/inovasi/ide/baru/",
            "idea_detail": f"/inovasi/ide/{pk}/",
            "idea_endorse": f"/inovasi/ide/{pk}/dukung/",
            "idea_accept": f"/inovasi/ide/{pk}/terima/",
            "idea_decline": f"/inovasi/ide/{pk}/tolak/",
        }[name]
    return {
        "siasn_training_pull": f"/kompetensi/pegawai/{_officer_a()}/siasn/ambil/",
        "siasn_training_push": "/kompetensi/pelatihan/999999/siasn/kirim/",
        "survey_form": "/skm/ktp-el/",
        "survey_thanks": "/skm/terima-kasih/",
        "survey_for_receipt": f"/skm/kode/{code}/",
        "survey_qr": "/skm/ktp-el/qr.svg",
        "survey_poster": "/skm/ktp-el/poster/",
        "ikm_public": "/ikm/",
        "ikm_results": "/skm/hasil/",
        "skm_report": f"/skm/laporan/{_unit_of(code)}/2025-Q1.pdf",
        "skm_follow_up": f"/skm/rencana/{_unit_of(code)}/2025-Q1/",
        "complaint_new": "/pengaduan/baru/",
        "complaint_status_lookup": "/pengaduan/status/",
        "complaint_status": f"/pengaduan/status/{_complaint_of(code)}/",
        "complaint_reporter_act": f"/pengaduan/status/{_complaint_of(code)}/reply/",
        "complaint_list": "/pengaduan/",
        "complaint_detail": f"/pengaduan/{_complaint_of(code)}/",
        "complaint_act": f"/pengaduan/{_complaint_of(code)}/verify/",
        "complaint_reporter_link": f"/pengaduan/{_complaint_of(code)}/tautan-pelapor/",
        "lapor_export": "/pengaduan/sp4n-lapor/ekspor/",
        "openapi-json": "/api/v1/openapi.json",
        "api-root": "/api/v1/",
        "api_services": "/api/v1/services",
        "api_survey_elements": "/api/v1/surveys/elements",
        "api_survey_create": "/api/v1/surveys",
        "api_ikm": "/api/v1/ikm",
        "api_complaint_create": "/api/v1/complaints",
        "api_complaint_status": f"/api/v1/complaints/{_complaint_of(code)}",
        "open311_discovery": "/open311/v2/discovery.xml",
        "open311_services": "/open311/v2/services.json",
        "open311_service_definition": "/open311/v2/services/ktp-el.xml",
        "open311_requests": "/open311/v2/requests.xml",
        "open311_request": f"/open311/v2/requests/{_complaint_of(code)}.json",
        "open311_token": f"/open311/v2/tokens/{_complaint_of(code)}.xml",
        "open311_request_updates": "/open311/v2/servicerequestupdates.xml",
        "home": "/",
        "login": "/masuk/",
        "logout": "/keluar/",
        "set_language": "/i18n/setlang/",
        "two_factor_verify": "/masuk/verifikasi/",
        "two_factor_recovery": "/masuk/kode-cadangan/",
        "two_factor_enrol": "/masuk/dua-langkah/",
        "two_factor_qr": "/masuk/dua-langkah/qr.svg",
        "two_factor_recovery_renew": "/masuk/dua-langkah/kode-cadangan-baru/",
        "account_activate": "/masuk/aktivasi/no-such-link/",
        "track": "/lacak/",
        "track_code": f"/lacak/{code}/",
        "queue": "/antrian/",
        "request_detail": f"/permohonan/{code}/",
        "request_act": f"/permohonan/{code}/receive/",
        "request_intake": "/permohonan/baru/",
        "request_list": "/permohonan/",
        "employee_directory": "/pegawai/",
        "request_receipt": f"/permohonan/{code}/tanda-terima/",
        "document_download": f"/permohonan/{code}/berkas/999999/",
        "application_form": "/layanan/ktp-el/ajukan/",
        "application_receipt": "/layanan/ktp-el/ajukan/tanda-terima/?t=forged",
        "applicant_page": applicant_path(code),
        "applicant_product": f"{applicant_path(code)}produk/999999/",
        "applicant_link_resend": "/permohonan-saya/kirim-ulang/",
        "document_attach_product": f"/permohonan/{code}/produk/",
        "request_complete_signed": f"/permohonan/{code}/selesai-bertanda-tangan/",
        "audit_log": "/inspektorat/jejak-audit/",
        "wbs_report": "/lapor/",
        "wbs_followup": "/lapor/tindak-lanjut/",
        "wbs_case_list": "/inspektorat/wbs/",
        "wbs_case_detail": "/inspektorat/wbs/999999/",
        "wbs_attachment": "/inspektorat/wbs/999999/lampiran/1/",
        "wbs_grants": "/inspektorat/wbs/pemberian-akses/",
        "inspectorate_dashboard": "/inspektorat/",
        "ombudsman_view": "/ombudsman/",
        "integrity_signal": "/inspektorat/sinyal/999999/",
        "integrity_signal_decide": "/inspektorat/sinyal/999999/keputusan/",
        "integrity_signal_assign": "/inspektorat/sinyal/999999/tugaskan/",
        "integrity_signal_close": "/inspektorat/sinyal/999999/tutup/",
        "work_home": "/beranda/",
        "service_performance": "/kinerja-layanan/",
        "service_performance_detail": "/kinerja-layanan/999999/",
        "appraisal_overview": "/kinerja/",
        "appraisal_employee": f"/kinerja/pegawai/{_officer_a()}/2025/",
        "appraisal_pdf": f"/kinerja/pegawai/{_officer_a()}/2025/skp.pdf",
        "appraisal_plan_add": f"/kinerja/pegawai/{_officer_a()}/2025/rencana/",
        "appraisal_rate": f"/kinerja/pegawai/{_officer_a()}/2025/nilai/",
        "appraisal_correct": f"/kinerja/pegawai/{_officer_a()}/2025/koreksi/",
        "appraisal_recap": "/kinerja/rekap.xlsx",
        "calibration": "/kinerja/kalibrasi/",
        "calibration_adjust": "/kinerja/kalibrasi/sesuaikan/",
        "org_rating_set": "/kinerja/kalibrasi/predikat-organisasi/",
        "talent": "/kinerja/talenta/",
        "potential_import": "/kinerja/potensi/",
        "discipline": "/kinerja/disiplin/",
        "competency_mine": "/kompetensi/saya/",
        "competency_employee": f"/kompetensi/pegawai/{_officer_a()}/",
        "competency_team": "/kompetensi/tim/",
        "competency_agency": "/kompetensi/instansi/",
        "transparency:index": "/transparansi/",
        "transparency:index_period": "/transparansi/periode/2025-Q1/",
        "transparency:unit": "/transparansi/loket-a/",
        "transparency:unit_period": "/transparansi/loket-a/2025-Q1/",
        "transparency:innovations": "/transparansi/inovasi/",
        "transparency:opendata_action": (
            "/data/api/3/action/package_show?id=contoh-standar-pelayanan"
        ),
        "transparency:opendata_resource": "/data/dataset/contoh-standar-pelayanan.csv",
        "transparency:opendata_catalog": "/data/catalog.jsonld",
        "frontdoor:catalogue": "/layanan/",
        "frontdoor:service": "/layanan/ktp-el/",
        "leadership:scorecard": "/pimpinan/",
        "leadership:unit": f"/pimpinan/unit/{_unit_of(code)}/",
        "leadership:service": f"/pimpinan/unit/{_unit_of(code)}/layanan/{_service_of(code)}/",
        "competency_plan_unit": f"/kompetensi/akpk/2027/unit/{_unit_of(code)}/",
        "competency_plan_agency": "/kompetensi/akpk/2027/",
        "competency_plan_approve": "/kompetensi/akpk/rencana/999999/setujui/",
        "competency_plan_item_edit": "/kompetensi/akpk/butir/999999/ubah/",
        "competency_plan_export": "/kompetensi/akpk/rencana/999999/akpk.xlsx",
        "leadership:roadmap": "/pimpinan/peta-jalan/",
        "leadership:roadmap_unit": f"/pimpinan/peta-jalan/unit/{_unit_of(code)}/",
        "leadership:roadmap_action_status": "/pimpinan/peta-jalan/aksi/999999/status/",
        "payments_cashier": "/pembayaran/",
        "payments_reconcile": "/pembayaran/rekonsiliasi/",
        "payments_import": "/pembayaran/impor/",
        "booking_applicant": "/antrian-loket/",
        "booking_day": "/antrian-loket/harian/",
        "booking_no_show": "/antrian-loket/pemesanan/999999/tidak-hadir/",
        "booking_plan": "/antrian-loket/jadwal/",
        "privacy_notice": "/privasi/",
        "privacy_request_new": "/privasi/permintaan/",
        "privacy_request_status": "/privasi/permintaan/status/",
        "privacy_queue": "/privasi/antrian/",
        "privacy_request_detail": "/privasi/antrian/999999/",
        "privacy_request_act": "/privasi/antrian/999999/fulfil/",
        "privacy_breach_list": "/privasi/insiden/",
        "privacy_breach_new": "/privasi/insiden/baru/",
        "privacy_breach_detail": "/privasi/insiden/999999/",
        "privacy_breach_notified": "/privasi/insiden/999999/diberitahu/subjects/",
        "privacy_breach_letter": "/privasi/insiden/999999/surat/subjects/",
        "iid_home": "/inovasi/iid/",
        "iid_workbench": "/inovasi/iid/2026/",
        "iid_spd": "/inovasi/iid/2026/spd/pad/",
        "iid_innovation": "/inovasi/iid/2026/inovasi/999999/",
        "iid_export": "/inovasi/iid/2026/iid.xlsx",
        "iid_evidence": "/inovasi/iid/bukti/sid/999999/",
        "onboarding_home": "/onboarding/",
        "onboarding_upload": "/onboarding/unggah/",
        "onboarding_plan": f"/onboarding/rencana/{'x' * 32}/",
        "onboarding_apply": f"/onboarding/rencana/{'x' * 32}/terapkan/",
        "standards": "/standar-pelayanan/",
        "standard_new": "/standar-pelayanan/layanan/ktp-el/versi-baru/",
        "standard_edit": f"/standar-pelayanan/versi/{_standard_of(code)}/",
        "standard_publish": f"/standar-pelayanan/versi/{_standard_of(code)}/terbitkan/",
        "standard_discard": f"/standar-pelayanan/versi/{_standard_of(code)}/buang/",
        "standard_consultation": f"/standar-pelayanan/versi/{_standard_of(code)}/konsultasi/",
        "standard_hearing": f"/standar-pelayanan/versi/{_standard_of(code)}/dengar-pendapat/",
        "consultation_answer": "/standar-pelayanan/komentar/999999/jawab/",
        "frontdoor:consultation_comment": "/layanan/ktp-el/konsultasi/",
    }[name]


def _names(patterns, prefix: str = "") -> set[str]:  # type: ignore[no-untyped-def]
    names: set[str] = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.app_name == "admin":
                continue  # the Django admin is covered by test_admin_is_for_staff_only
            # Apps with their own namespace are listed qualified ("transparency:unit", since
            # "unit" exists in several apps); the API's names are unique and stay bare.
            inner = f"{p.namespace}:" if p.namespace and p.app_name != "ninja" else prefix
            names |= _names(p.url_patterns, inner)
        elif isinstance(p, URLPattern) and p.name:
            names.add(prefix + p.name)
    return names


def test_every_view_is_in_the_matrix():
    assert _names(get_resolver().url_patterns) == set(MATRIX)


@pytest.mark.parametrize("view", sorted(MATRIX))
@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_matrix(client, world, view, persona):
    sr = factories.submit(world, at=local(2025, 3, 27))
    if persona != "anon":
        client.force_login(world.users[persona])
    method, expected = MATRIX[view]
    data = {"language": "en", "next": "/"} if view == "set_language" else {}
    response = getattr(client, method)(_url(view, sr.receipt_code), data)
    assert response.status_code == expected[PERSONAS.index(persona)]


ADMIN_MODELS = [
    "organisation/agency",
    "organisation/agencyspecialday",
    "organisation/unit",
    "organisation/position",
    "organisation/employee",
    "catalogue/lifeevent",
    "catalogue/service",
    "catalogue/servicestandard",
    "catalogue/procedurestep",
    "catalogue/consultation",
    "catalogue/consultationcomment",
    "service_requests/servicerequest",
    "service_requests/serviceevent",
    "service_requests/trackinglookup",
    "service_requests/requestfact",
    "documents/document",
    "applications/onlineapplication",
    "appraisals/performanceplan",
    "appraisals/planresult",
    "appraisals/planindicator",
    "appraisals/appraisal",
    "appraisals/appraisalhistory",
    "appraisals/appraisalcorrection",
    "appraisals/orgrating",
    "appraisals/potentialscore",
    "appraisals/absencerecord",
    "appraisals/evidencesnapshot",
    "accounts/roleassignment",
    "audit/auditentry",
    "audit/auditchainhead",
    "whistleblowing/report",
    "whistleblowing/message",
    "whistleblowing/attachment",
    "whistleblowing/keywrap",
    "whistleblowing/inspectorkey",
    "whistleblowing/receiptthrottle",
    "integrity/integrityrun",
    "integrity/integritysignal",
    "integrity/signaldecision",
    "performance/performancerun",
    "performance/unitserviceperformance",
    "performance/stepbottleneck",
    "performance/processdeviation",
    "performance/officerscore",
    "performance/dataqualityfinding",
    "leadership/scorecardrefresh",
    "leadership/unitscorecard",
    "leadership/servicescorecard",
    "leadership/roadmapaction",
    "surveys/surveyresponse",
    "surveys/surveyfollowup",
    "complaints/complaint",
    "complaints/complaintevent",
    "sigap_api/apikey",
    "sigap_throttling/ratecounter",
    "signin/twofactordevice",
    "signin/recoverycode",
    "privacy/dataprotectionofficer",
    "privacy/privacyrequest",
    "privacy/breach",
    "payments/payment",
    "payments/statementimport",
    "booking/slotplan",
    "booking/slot",
    "booking/booking",
    "notifications/outbox",
    "competency/competency",
    "competency/competencylevel",
    "competency/standardversion",
    "competency/positionrequirement",
    "competency/assessment",
    "competency/careertarget",
    "competency/stepcompetency",
    "competency/trainingrecord",
    "competency/gaprefresh",
    "competency/competencygap",
    "competency/developmentplan",
    "competency/planitem",
    "competency/trainingeffect",
    "innovation/innovation",
    "innovation/stagechange",
    "innovation/replication",
    "innovation/idea",
    "innovation/endorsement",
    "innovation/indicatoranswer",
    "innovation/spdanswer",
    "innovation/interventioneffect",
]


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_admin_lists_every_model(client, world, model):
    factories.submit(world, at=local(2025, 3, 27))
    client.force_login(world.users["admin"])
    assert client.get(f"/admin/{model}/").status_code == 200


def test_admin_covers_every_model():
    from django.contrib import admin
    from django.contrib.auth.models import Group, User

    registered = {f"{m._meta.app_label}/{m._meta.model_name}" for m in admin.site._registry}
    assert registered - {f"auth/{m._meta.model_name}" for m in (User, Group)} >= set(ADMIN_MODELS)
    sigap_models = {
        f"{m._meta.app_label}/{m._meta.model_name}"
        for m in __import__("django.apps", fromlist=["apps"]).apps.get_models()
        if m.__module__.startswith("sigap.")
    }
    assert sigap_models - registered == set()


@pytest.mark.parametrize(
    "persona", ["officer_a", "head_a", "hr", "inspector", "ombudsman", "leadership", "norole"]
)
def test_admin_is_for_staff_only(client, world, persona):
    client.force_login(world.users[persona])
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
