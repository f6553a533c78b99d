"""Citizens' data requests (UU 27/2022 Pasal 30–44): form, verification, queue and answers."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from sigap.audit.models import AuditEntry
from sigap.complaints.services import Reporter, complaint_submit
from sigap.notifications.survey_links import survey_token
from sigap.privacy import services
from sigap.privacy.models import Kind, PrivacyRequest, RequestStatus
from sigap.rules.ikm import ELEMENT_CODES
from sigap.service_requests.models import ServiceRequest
from sigap.surveys.models import SurveyResponse
from sigap.surveys.services import Respondent, survey_submit
from tests import factories
from tests.conftest import local


@pytest.fixture
def sr(world):
    return factories.submit(world, at=local(2025, 3, 27))


def _post(client, receipt: str, contact: str, kind: str = "access", details: str = ""):
    return client.post(
        "/privasi/permintaan/",
        {"kind": kind, "receipt": receipt, "contact": contact, "details": details},
    )


def _reference(page: str) -> str:
    found = re.search(r'data-testid="privacy-reference">([A-Z0-9-]+)<', page)
    assert found, page
    return found.group(1)


def _masked(page: str) -> str:
    """The page without what differs between two answers: the reference and the CSRF token."""
    page = re.sub(r'data-testid="privacy-reference">[A-Z0-9-]+<', "REF", page)
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", page)
    return re.sub(r"(\d{1,2}:\d{2})", "TIME", page)


def test_contacts_match_as_people_type_them():
    assert services.contact_matches("+62 812-3456-7890", "0812-3456-7890")
    assert services.contact_matches(" Ahmad@Contoh.ID ", "ahmad@contoh.id")
    assert not services.contact_matches("0812-3456-7891", "0812-3456-7890")
    assert not services.contact_matches("", "")  # an anonymous complaint never matches


def test_a_matching_receipt_and_contact_files_a_request_in_the_unit_queue(client, world, sr):
    response = _post(client, sr.receipt_code.lower(), "+62 812 3456 7890")
    assert response.status_code == 200
    assert response["Cache-Control"].count("no-store") == 1
    pr = PrivacyRequest.objects.get()
    assert pr.matched and pr.service_request == sr and pr.unit == world.counter_a
    assert pr.due_at - pr.received_at == timedelta(hours=72)
    reference = _reference(response.content.decode())
    # Only a keyed hash of the reference is kept.
    assert services.normalise_reference(reference) not in pr.reference_hash
    entry = AuditEntry.objects.get(action="privacy.request")
    assert entry.data == {"kind": "access", "matched": True}


def test_a_wrong_receipt_or_contact_gets_the_same_answer(client, world, sr):
    right = _post(client, sr.receipt_code, "0812-3456-7890")
    wrong_contact = _post(client, sr.receipt_code, "0813-0000-0000")
    no_receipt = _post(client, "ZZZZZZZZZZ", "0812-3456-7890")
    assert right.status_code == wrong_contact.status_code == no_receipt.status_code == 200
    pages = {_masked(r.content.decode()) for r in (right, wrong_contact, no_receipt)}
    assert len(pages) == 1
    assert list(PrivacyRequest.objects.order_by("pk").values_list("matched", flat=True)) == [
        True,
        False,
        False,
    ]


def test_the_status_of_an_unmatched_request_reads_as_received_until_its_deadline(client, world, sr):
    matched = services.privacy_request_submit(
        kind="access", receipt=sr.receipt_code, contact="0812-3456-7890"
    )
    unmatched = services.privacy_request_submit(
        kind="access", receipt=sr.receipt_code, contact="0899"
    )

    def status(reference: str) -> str:
        page = client.post("/privasi/permintaan/status/", {"reference": reference})
        assert page.status_code == 200
        return re.search(r'data-testid="privacy-status">([^<]*)<', page.content.decode())[1]

    assert status(matched.reference) == status(unmatched.reference) == "Received"
    PrivacyRequest.objects.filter(pk=unmatched.request.pk).update(
        due_at=timezone.now() - timedelta(minutes=1)
    )
    assert "match no record" in status(unmatched.reference)
    response = client.post("/privasi/permintaan/status/", {"reference": "AAAA-BBBB-CCCC-DDDD"})
    assert response.status_code == 404


def test_the_form_is_rate_limited(client, world, sr):
    with override_settings(SIGAP={"RATE_LIMITS": "privacy=2/3600"}):
        codes = [_post(client, sr.receipt_code, "0812").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert PrivacyRequest.objects.count() == 2


def test_an_invalid_form_is_a_400(client, world):
    assert _post(client, "", "", kind="sell-my-data").status_code == 400
    assert not PrivacyRequest.objects.exists()


def _request(sr, kind: str) -> services.Submitted:
    return services.privacy_request_submit(
        kind=kind, receipt=sr.receipt_code, contact="0812-3456-7890"
    )


def test_access_hands_the_citizen_a_copy_of_what_sigap_holds(client, world, sr):
    submitted = _request(sr, Kind.ACCESS)
    admin = world.users["admin"]
    client.force_login(admin)
    page = client.get(f"/privasi/antrian/{submitted.request.pk}/").content.decode()
    assert "Ahmad Fauzi" in page  # the preview of what will be handed over
    response = client.post(f"/privasi/antrian/{submitted.request.pk}/fulfil/", {"answer": "OK"})
    assert response.status_code == 302
    client.logout()
    pr = PrivacyRequest.objects.get()
    assert pr.status == RequestStatus.FULFILLED and pr.resolved_by == admin
    page = client.post(
        "/privasi/permintaan/status/", {"reference": submitted.reference}
    ).content.decode()
    assert "Ahmad Fauzi" in page and sr.applicant_nik_masked in page
    download = client.post(
        "/privasi/permintaan/status/", {"reference": submitted.reference, "download": "1"}
    )
    assert download["Content-Disposition"].startswith("attachment")
    copy = json.loads(download.content)
    values = [row[1] for section in copy["sections"] for row in section["rows"]]
    assert "Ahmad Fauzi" in values and "0812-3456-7890" in values
    assert "3201011703850001" not in download.content.decode()  # the full NIK is never held
    assert AuditEntry.objects.filter(action="privacy.fulfil").count() == 1


def test_correction_changes_only_the_allowed_fields(world, sr):
    pr = _request(sr, Kind.CORRECTION).request
    services.privacy_request_fulfil(
        pr=pr,
        user=world.users["admin"],
        changes={"applicant_name": "Ahmad Fauzie", "status": "completed"},
    )
    sr.refresh_from_db()
    assert sr.applicant_name == "Ahmad Fauzie" and sr.status == "submitted"
    entry = AuditEntry.objects.get(action="privacy.fulfil")
    assert entry.data["fields"] == ["applicant_name"] and "Fauzie" not in json.dumps(entry.data)


def test_correction_without_a_change_is_refused(world, sr):
    pr = _request(sr, Kind.CORRECTION).request
    with pytest.raises(ValidationError):
        services.privacy_request_fulfil(pr=pr, user=world.users["admin"], changes={})
    pr.refresh_from_db()
    assert pr.status == RequestStatus.RECEIVED


def test_deletion_anonymises_the_person_and_keeps_the_statistics(world, sr):
    sr = factories.complete(world, sr)  # the SKM is for a completed request
    survey_submit(
        service=world.ktp,
        answers={c: 3 for c in ELEMENT_CODES},
        respondent=Respondent(gender="L"),
        comment="Petugas Budi ramah",
        receipt_code=sr.receipt_code,
        receipt_token=survey_token(sr.receipt_code),
    )
    pr = _request(sr, Kind.DELETION).request
    services.privacy_request_fulfil(pr=pr, user=world.users["admin"])
    sr.refresh_from_db()
    assert sr.applicant_name == services.ANONYMISED
    assert sr.applicant_contact == sr.applicant_nik_masked == sr.applicant_nik_hash == ""
    assert sr.region_kecamatan == "Sukamaju" and sr.applicant_gender == "L"  # statistics
    survey = SurveyResponse.objects.get()
    assert survey.comment == "" and survey.persyaratan == 3 and survey.gender == "L"
    # The contact is gone: the same receipt and contact no longer find the person.
    assert not _request(sr, Kind.ACCESS).request.matched


def test_withdrawing_consent_removes_the_volunteered_profile(world, sr):
    assert sr.applicant_gender == "L"
    pr = _request(sr, Kind.WITHDRAWAL).request
    services.privacy_request_fulfil(pr=pr, user=world.users["admin"])
    sr.refresh_from_db()
    assert sr.applicant_gender == "" and sr.applicant_name == "Ahmad Fauzi"


def test_a_complaint_is_found_by_its_code_and_the_reporter_contact(world):
    complaint = complaint_submit(
        category="lambat",
        description="Lama",
        reporter=Reporter(name="Rina", contact="rina@contoh.id"),
        service=world.ktp,
    )
    pr = services.privacy_request_submit(
        kind="deletion", receipt=complaint.receipt_code, contact="RINA@contoh.id"
    ).request
    assert pr.matched and pr.complaint == complaint
    services.privacy_request_fulfil(pr=pr, user=world.users["admin"])
    complaint.refresh_from_db()
    assert complaint.reporter_name == complaint.reporter_contact == ""
    assert complaint.description == "Lama"


def test_refusal_needs_a_reason_the_citizen_reads(client, world, sr):
    submitted = _request(sr, Kind.DELETION)
    with pytest.raises(ValidationError):
        services.privacy_request_refuse(pr=submitted.request, user=world.users["admin"], reason="")
    services.privacy_request_refuse(
        pr=submitted.request, user=world.users["admin"], reason="Arsip wajib disimpan."
    )
    with pytest.raises(ValidationError):  # answered once only
        services.privacy_request_fulfil(pr=submitted.request, user=world.users["admin"])
    page = client.post(
        "/privasi/permintaan/status/", {"reference": submitted.reference}
    ).content.decode()
    assert "Refused" in page and "Arsip wajib disimpan." in page
    assert AuditEntry.objects.filter(action="privacy.refuse").count() == 1


def test_the_queue_marks_overdue_requests_and_is_only_the_admins(client, world, sr):
    late = _request(sr, Kind.ACCESS).request
    PrivacyRequest.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(hours=1))
    on_time = _request(sr, Kind.CORRECTION).request
    client.force_login(world.users["admin"])
    page = client.get("/privasi/antrian/").content.decode()
    assert page.count('class="overdue"') == 1
    only = client.get("/privasi/antrian/?terlambat=1").content.decode()
    assert f'href="/privasi/antrian/{late.pk}/"' in only
    assert f'href="/privasi/antrian/{on_time.pk}/"' not in only
    for persona in ("head_a", "inspector", "leadership"):
        client.force_login(world.users[persona])
        assert client.get("/privasi/antrian/").status_code == 403
        assert client.post(f"/privasi/antrian/{late.pk}/fulfil/").status_code == 403
    assert PrivacyRequest.objects.get(pk=late.pk).status == RequestStatus.RECEIVED


def test_an_admin_of_another_subtree_does_not_see_the_request(client, world, sr):
    from sigap.accounts.models import Role

    other = factories.user("admin_dinkes", Role.ADMIN, world.dinkes)
    pr = _request(sr, Kind.ACCESS).request
    client.force_login(other)
    assert client.get(f"/privasi/antrian/{pr.pk}/").status_code == 404
    assert f"/privasi/antrian/{pr.pk}/" not in client.get("/privasi/antrian/").content.decode()


@override_settings(SIGAP={"PRIVACY_REQUEST_HOURS": "access=24"})
def test_the_answer_periods_are_settings(world, sr):
    pr = _request(sr, Kind.ACCESS).request
    assert pr.due_at - pr.received_at == timedelta(hours=24)
    assert ServiceRequest.objects.count() == 1


def test_every_submission_costs_the_same_queries_found_or_not(world, sr):
    """The answer's timing must not tell whether a receipt exists either."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    pairs = ((sr.receipt_code, "0812-3456-7890"), ("ZZZZZZZZZZ", "0812"))
    # Once each first: a process-wide cache an earlier test emptied (content types, the
    # calendar) is filled by whichever comes first and would make the two differ by that.
    for receipt, contact in pairs:
        services.privacy_request_submit(kind="access", receipt=receipt, contact=contact)
    counts = []
    for receipt, contact in pairs:
        with CaptureQueriesContext(connection) as ctx:
            services.privacy_request_submit(kind="access", receipt=receipt, contact=contact)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
