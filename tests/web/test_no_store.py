"""`Cache-Control: no-store` on every page with personal data, tested view by view.

The views and their URLs are the permission matrix's (tests/test_permission_matrix.py); each
sensitive view is requested as a persona that may see it.
"""

from __future__ import annotations

import pytest

from sigap.web.nostore import SENSITIVE_VIEWS
from tests import factories
from tests.conftest import local
from tests.test_permission_matrix import MATRIX, PERSONAS, _url

# Pages behind a login that may be kept by the browser: aggregates per unit or service, with
# no person in them (and the actions answered by a redirect).
STORABLE_STAFF_VIEWS = {
    "ikm_results": "the satisfaction index per unit and service",
    "skm_report": "the SKM report of a unit: indices and anonymous comments' counts",
    "skm_follow_up": "a unit's improvement plan",
    "service_performance": "performance per unit and service",
    "leadership:scorecard": "scores per unit",
    "leadership:unit": "scores of a unit",
    "leadership:service": "scores of a service",
    "leadership:roadmap": "improvement actions per unit",
    "leadership:roadmap_unit": "improvement actions of a unit",
    "standards": "a unit's services and the dates of their standard versions",
    # Competency standards: what positions require, no person (issue #15).
    "competency_dictionary": "the competency dictionary and its level descriptions",
    "competency_technical_new": "the form for a technical competency",
    "competency_technical_edit": "a technical competency and its levels",
    "competency_standards": "the versions of the agency's standard per position",
    "competency_standard": "the levels positions require in one version",
    "competency_standard_edit": "the grid of required levels of a version",
    "competency_standard_import": "the import form of a version",
    "competency_standard_xlsx": "a version's required levels as a spreadsheet",
    "competency_steps": "the procedure steps of the services",
    "competency_step_edit": "the competencies a service's steps need",
    # The innovation registry (issue #16): innovations, their units, services and stages; the
    # initiator's name is the one published with the innovation in the IID report.
    "innovation_list": "the agency's innovations by stage, urusan and unit",
    "innovation_new": "the form to register an innovation",
    "innovation_detail": "an innovation's profile, stages and replications",
    "innovation_edit": "an innovation's profile form",
    "innovation_stage": "an innovation's stage form",
    "innovation_replicate": "the form to record a replication",
    "idea_new": "the form to propose an idea: units and roadmap actions, no person",
    # The IID workbench: the agency's scores per indicator and innovation, no person (#16).
    "iid_workbench": "the agency's IID, its parts and the innovations counted",
    "iid_spd": "one regional indicator's weight and parameter",
    "iid_export": "the IID answers as a workbook for the national application",
}

# Pages of one object the matrix asks for a missing one: the WBS case pages are tested below,
# a signal in tests/integrity/test_pages.py, a performance row in tests/performance.
NEEDS_A_REPORT = {
    # an uploaded file's plan and its apply: tests/onboarding/test_page.py
    "onboarding_upload",
    "onboarding_plan",
    "onboarding_apply",
    "wbs_case_detail",
    "wbs_attachment",
    "integrity_signal",
    "service_performance_detail",
    # tested below with a real request and breach
    "privacy_request_detail",
    "privacy_breach_detail",
    "privacy_breach_letter",
    # no persona is a cashier: tests/payments/test_pages.py (the reconcile page is a POST that
    # shows the cashier's page again when refused)
    "payments_cashier",
    "payments_reconcile",
    "payments_import",
    # a real document: tests/documents/test_documents.py checks no-store on the download
    "document_download",
    # a real certificate: tests/competency/test_record_pages.py checks no-store on it
    "competency_certificate",
    # a real plan: tests/competency/test_plan_pages.py checks no-store on its export
    "competency_plan_export",
    # only through its signed link: tests/applications/test_apply.py
    "application_receipt",
    # only while enrolling or after the password: tests/signin/test_two_factor.py
    "two_factor_qr",
    "two_factor_verify",
    "two_factor_recovery",
    # real answers and documents: tests/innovation/test_iid_pages.py
    "iid_innovation",
    "iid_evidence",
}


def _persona_allowed(view: str) -> str:
    method, expected = MATRIX[view]
    assert method == "get", view
    return PERSONAS[expected.index(200)]


def _cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


def test_every_sensitive_view_exists():
    assert set(SENSITIVE_VIEWS) <= set(MATRIX)


def test_every_page_behind_a_login_is_decided():
    """A new staff page must be listed as sensitive or as storable (with the reason)."""
    login_only = {
        view
        for view, (method, expected) in MATRIX.items()
        if method == "get" and expected[0] == 302 and 200 in expected
    }
    undecided = login_only - set(SENSITIVE_VIEWS) - set(STORABLE_STAFF_VIEWS) - NEEDS_A_REPORT
    assert undecided == set()
    assert not set(STORABLE_STAFF_VIEWS) & set(SENSITIVE_VIEWS)


@pytest.mark.parametrize("view", sorted(SENSITIVE_VIEWS - NEEDS_A_REPORT))
def test_a_sensitive_page_is_not_stored(client, world, view):
    sr = factories.submit(world, at=local(2025, 3, 27))
    persona = _persona_allowed(view)
    if persona != "anon":
        client.force_login(world.users[persona])
    response = client.get(_url(view, sr.receipt_code))
    assert response.status_code == 200
    assert "no-store" in _cache_control(response), (view, response.get("Cache-Control"))


@pytest.mark.parametrize("view", sorted(STORABLE_STAFF_VIEWS))
def test_a_page_without_personal_data_is_left_alone(client, world, view):
    sr = factories.submit(world, at=local(2025, 3, 27))
    client.force_login(world.users[_persona_allowed(view)])
    response = client.get(_url(view, sr.receipt_code))
    assert "no-store" not in _cache_control(response)


@pytest.mark.parametrize("path", ["/transparansi/", "/transparansi/inovasi/"])
def test_a_public_page_stays_cacheable(client, world, path):
    # The innovation page names no person (the initiator by type only): cacheable too.
    response = client.get(path)
    assert "no-store" not in _cache_control(response)
    assert "public" in _cache_control(response)


@pytest.mark.parametrize(
    "path", ["/admin/", "/admin/complaints/complaint/", "/admin/organisation/employee/"]
)
def test_the_admin_is_not_stored(client, world, path):
    factories.submit(world, at=local(2025, 3, 27))
    client.force_login(world.users["admin"])
    response = client.get(path)
    assert response.status_code == 200
    assert "no-store" in _cache_control(response)


def test_the_decrypted_report_and_its_file_are_not_stored(client, world, settings):
    from sigap.whistleblowing import services
    from sigap.whistleblowing.files import Evidence

    settings.SIGAP = {
        **settings.SIGAP,
        "WBS_ARGON2": {"time_cost": 1, "memory_cost": 8, "parallelism": 1},
    }
    pdf = Evidence(name="bukti.pdf", content_type="application/pdf", data=b"%PDF-1.4\n")
    report, _receipt = services.report_submit(unit=world.counter_a, what="Ada", files=[pdf])
    attachment = report.attachments.get()
    client.force_login(world.users["inspector"])
    for path in (
        f"/inspektorat/wbs/{report.pk}/",
        f"/inspektorat/wbs/{report.pk}/lampiran/{attachment.pk}/",
    ):
        response = client.get(path)
        assert response.status_code == 200
        assert "no-store" in _cache_control(response), path


def test_a_confidential_complainants_identity_is_not_stored(client, world):
    from sigap.complaints.services import Reporter, complaint_submit

    complaint = complaint_submit(
        category="pungli",
        description="Diminta uang tambahan",
        reporter=Reporter(name="Rahasia Sekali", contact="0812999", confidential=True),
        unit=world.counter_a,
    )
    client.force_login(world.users["inspector"])
    response = client.get(f"/pengaduan/{complaint.receipt_code}/")
    assert response.status_code == 200
    assert "Rahasia Sekali" in response.content.decode()
    assert "no-store" in _cache_control(response)


def test_a_personal_data_request_and_a_breach_are_not_stored(client, world):
    from datetime import timedelta

    from django.utils import timezone

    from sigap.privacy import services

    sr = factories.submit(world, at=local(2025, 3, 27))
    asked = services.privacy_request_submit(
        kind="access", receipt=sr.receipt_code, contact="0812-3456-7890"
    )
    breach = services.breach_record(
        unit=world.counter_a,
        user=world.users["admin"],
        facts=services.BreachFacts(
            title="Daftar pemohon terkirim ke alamat salah",
            discovered_at=timezone.now() - timedelta(hours=1),
            how="Surel salah alamat.",
            data_categories="Nama pemohon",
            subjects_count=3,
            measures="Penerima diminta menghapus.",
        ),
    )
    client.force_login(world.users["admin"])
    for path in (
        f"/privasi/antrian/{asked.request.pk}/",
        f"/privasi/insiden/{breach.pk}/",
        f"/privasi/insiden/{breach.pk}/surat/subjects/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "no-store" in _cache_control(response), path
