"""`sigap privacy retention`: each category on both sides of its boundary, rerunnable, audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from sigap.audit.models import AuditEntry
from sigap.catalogue import services as catalogue_services
from sigap.catalogue.models import ConsultationComment
from sigap.complaints.models import Complaint
from sigap.complaints.services import Reporter, complaint_submit
from sigap.privacy import services
from sigap.privacy.models import PrivacyRequest
from sigap.rules.ikm import ELEMENT_CODES
from sigap.service_requests.models import ServiceRequest, TrackingLookup
from sigap.surveys.models import SurveyResponse
from sigap.surveys.services import survey_submit
from sigap.throttling.models import RateCounter
from tests import factories

NOW = timezone.now()
DAY = timedelta(days=1)


def _request(world, finished_days_ago: int) -> ServiceRequest:
    sr = factories.submit(world, at=NOW - timedelta(days=finished_days_ago + 10))
    ServiceRequest.objects.filter(pk=sr.pk).update(
        status="completed", finished_at=NOW - timedelta(days=finished_days_ago)
    )
    return sr


def _complaint(world, closed_days_ago: int) -> Complaint:
    c = complaint_submit(
        category="lambat",
        description="Lama",
        reporter=Reporter(name="Rina", contact="rina@contoh.id"),
        service=world.ktp,
        client_hash="abc",
        submitted_at=NOW - timedelta(days=closed_days_ago + 5),
    )
    Complaint.objects.filter(pk=c.pk).update(
        status="selesai", closed_at=NOW - timedelta(days=closed_days_ago)
    )
    return c


def _survey(world, days_ago: int) -> SurveyResponse:
    return survey_submit(
        service=world.ktp,
        answers={c: 3 for c in ELEMENT_CODES},
        comment="antre lama",
        client_hash="abc",
        submitted_at=NOW - timedelta(days=days_ago),
    )


@pytest.fixture
def data(world):
    """For every category, one row just past its period and one just inside it."""
    rows = {
        "request_old": _request(world, 731),
        "request_new": _request(world, 729),
        "open_old": factories.submit(world, at=NOW - timedelta(days=900)),  # never finished
        "complaint_old": _complaint(world, 731),
        "complaint_new": _complaint(world, 729),
        "survey_old": _survey(world, 366),
        "survey_hash": _survey(world, 91),
        "survey_new": _survey(world, 89),
    }
    sr = rows["request_new"]
    TrackingLookup.objects.create(request=sr, day=(NOW - 731 * DAY).date())
    TrackingLookup.objects.create(request=sr, day=(NOW - 700 * DAY).date())
    hour = int(NOW.timestamp() // 3600)
    RateCounter.objects.create(key="survey:10.0.0.1", bucket=hour - 72, hits=3)
    RateCounter.objects.create(key="survey:10.0.0.2", bucket=hour, hits=1)
    answered = services.privacy_request_submit(
        kind="access", receipt=sr.receipt_code, contact="0812-3456-7890"
    ).request
    services.privacy_request_fulfil(pr=answered, user=world.users["admin"])
    PrivacyRequest.objects.filter(pk=answered.pk).update(resolved_at=NOW - 31 * DAY)
    old = services.privacy_request_submit(
        kind="access", receipt=sr.receipt_code, contact="0812-3456-7890"
    ).request
    services.privacy_request_refuse(pr=old, user=world.users["admin"], reason="x")
    PrivacyRequest.objects.filter(pk=old.pk).update(resolved_at=NOW - 731 * DAY)
    unmatched_old = services.privacy_request_submit(kind="access", receipt="X", contact="1")
    unmatched_new = services.privacy_request_submit(kind="access", receipt="X", contact="1")
    PrivacyRequest.objects.filter(pk=unmatched_old.request.pk).update(due_at=NOW - 31 * DAY)
    PrivacyRequest.objects.filter(pk=unmatched_new.request.pk).update(due_at=NOW - 29 * DAY)
    rows.update(answered=answered, old=old, unmatched_new=unmatched_new.request)
    return rows


def test_each_category_is_anonymised_or_deleted_past_its_period_only(world, data):
    counts = services.retention_run(now=NOW)
    r = {k: v for k, v in data.items()}
    for name in ("request_old", "request_new", "open_old"):
        r[name].refresh_from_db()
    assert r["request_old"].applicant_name == services.ANONYMISED
    assert r["request_old"].applicant_contact == "" and r["request_old"].applicant_nik_hash == ""
    assert r["request_new"].applicant_name == "Ahmad Fauzi"
    assert r["open_old"].applicant_name == "Ahmad Fauzi"  # still being served
    complaints = {c.pk: c for c in Complaint.objects.all()}
    assert complaints[r["complaint_old"].pk].reporter_contact == ""
    assert complaints[r["complaint_new"].pk].reporter_contact == "rina@contoh.id"
    surveys = {s.pk: s for s in SurveyResponse.objects.all()}
    assert surveys[r["survey_old"].pk].comment == ""
    assert surveys[r["survey_hash"].pk].comment == "antre lama"
    assert surveys[r["survey_hash"].pk].client_hash == ""
    assert surveys[r["survey_new"].pk].client_hash == "abc"
    assert list(TrackingLookup.objects.values_list("day", flat=True)) == [(NOW - 700 * DAY).date()]
    assert list(RateCounter.objects.values_list("key", flat=True)) == ["survey:10.0.0.2"]
    assert PrivacyRequest.objects.get(pk=r["answered"].pk).export is None
    assert not PrivacyRequest.objects.filter(pk=r["old"].pk).exists()
    assert PrivacyRequest.objects.filter(matched=False).get().pk == r["unmatched_new"].pk
    assert counts == {
        "request_identity": 1,
        "complaint_identity": 1,
        "survey_comment": 1,
        "client_hash": 3,  # two surveys and one complaint past 90 days
        "rate_counter": 1,
        "tracking_lookup": 1,
        "privacy_export": 1,
        "privacy_unmatched": 1,
        "privacy_request": 1,
        "consultation_contact": 0,
    }


def test_a_second_run_changes_nothing_and_both_runs_are_audited(world, data):
    services.retention_run(now=NOW)
    again = services.retention_run(now=NOW)
    assert set(again.values()) == {0}
    entries = list(AuditEntry.objects.filter(action="privacy.retention").order_by("seq"))
    assert len(entries) == 2
    assert entries[0].data["counts"]["request_identity"] == 1
    assert entries[1].data["counts"]["request_identity"] == 0


def test_a_period_of_zero_keeps_the_category(world, data):
    with override_settings(SIGAP={"PRIVACY_RETENTION": "request_identity=0"}):
        counts = services.retention_run(now=NOW)
    assert "request_identity" not in counts
    data["request_old"].refresh_from_db()
    assert data["request_old"].applicant_name == "Ahmad Fauzi"


def test_the_daily_command_runs_the_job(world, data, capsys):
    call_command("privacy", "retention")
    out = capsys.readouterr().out
    assert "request_identity: 1" in out
    assert AuditEntry.objects.filter(action="privacy.retention", actor="sigap privacy").exists()


def test_the_name_and_contact_of_a_standard_comment_go_the_comment_and_answer_stay(world):
    today = timezone.localdate()
    draft = catalogue_services.standard_draft_new(user=world.users["head_a"], service=world.ktp)
    consultation = catalogue_services.consultation_set(
        user=world.users["head_a"], standard=draft, opens_on=today, closes_on=today
    )
    old, new = (
        catalogue_services.consultation_comment_submit(
            consultation=consultation, text="Setuju", name="Budi", contact="budi@contoh.id"
        )
        for _ in range(2)
    )
    catalogue_services.consultation_comment_answer(
        user=world.users["head_a"], comment=old, answer="Terima kasih."
    )
    ConsultationComment.objects.filter(pk=old.pk).update(submitted_at=NOW - 366 * DAY)
    ConsultationComment.objects.filter(pk=new.pk).update(submitted_at=NOW - 364 * DAY)
    assert services.retention_run(now=NOW)["consultation_contact"] == 1
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.name, old.contact, old.text, old.answer) == ("", "", "Setuju", "Terima kasih.")
    assert (new.name, new.contact) == ("Budi", "budi@contoh.id")
