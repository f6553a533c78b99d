"""The demo's online front door: online applications with consent and answers, uploads that pass
the document checks and exist on disk, returned files fixed online, the messages of the sample's
events with their delivery states, and the wipe that removes the files."""

from __future__ import annotations

import hashlib
from collections import Counter

import pytest
from django.db.models import Q
from django.utils import translation

from sigap.applications.models import OnlineApplication
from sigap.catalogue.requirements import Kind, parse_requirements
from sigap.demo.build import wipe
from sigap.documents import storage
from sigap.documents.models import Document, Purpose
from sigap.documents.sniff import clean
from sigap.notifications.models import Outbox, State
from sigap.privacy.categories import FORMS
from sigap.service_requests.models import Channel, Outcome, ServiceEvent, ServiceRequest, Status

pytestmark = pytest.mark.django_db


def test_every_online_request_has_its_application_with_consent_and_answers(
    small_demo: str,
) -> None:
    online = ServiceRequest.objects.filter(channel=Channel.ONLINE)
    apps = OnlineApplication.objects.select_related("request__standard")
    assert apps.count() == online.count() > 50
    assert not apps.exclude(request__channel=Channel.ONLINE).exists()  # not mobile, not counter
    with translation.override("id"):
        shown = str(FORMS["application"])
    assert len({a.idempotency_key for a in apps}) == apps.count()
    kinds = Counter()
    for app in apps:
        assert app.consent_at == app.request.submitted_at
        assert app.consent_text == shown
        for req in parse_requirements(app.request.standard.requirements):
            if req.kind is Kind.DOCUMENT:
                assert req.key not in app.answers
            else:
                kinds[req.kind] += 1
                value = app.answers[req.key]
                assert value is True if req.kind is Kind.STATEMENT else value.strip()
    assert kinds[Kind.STATEMENT] > 0  # KTP-el: "Telah berusia 17 tahun..."


def test_documents_pass_the_checks_and_their_files_exist(small_demo: str) -> None:
    documents = list(Document.objects.select_related("request"))
    assert 30 < len(documents) < 2_000  # a bounded sample
    kinds = Counter(d.kind for d in documents)
    assert kinds["pdf"] and kinds["png"] and kinds["jpeg"]
    for doc in documents:
        data = storage.path_of(doc.stored_name).read_bytes()
        assert len(data) == doc.size and hashlib.sha256(data).hexdigest() == doc.sha256
        assert clean(data, doc.original_name, max_bytes=5 * 1024 * 1024).kind == doc.kind
        assert doc.request.channel == Channel.ONLINE
        if doc.purpose == Purpose.PRODUCT:
            assert doc.request.status == Status.COMPLETED
            assert doc.uploaded_at == doc.request.finished_at
        else:
            assert doc.requirement
            assert doc.uploaded_at >= doc.request.submitted_at
    completed = {d.request_id for d in documents if d.purpose == Purpose.PRODUCT}
    sampled = {d.request_id for d in documents}
    assert completed and completed < sampled
    assert not ServiceRequest.objects.filter(
        pk__in=sampled, status=Status.COMPLETED
    ).exclude(pk__in=completed).exists()


def test_a_returned_file_is_fixed_online_with_a_new_document(small_demo: str) -> None:
    fixes = ServiceEvent.objects.filter(
        outcome=Outcome.RESUMED, note__contains=": ", request__documents__isnull=False
    ).exclude(note="Berkas perbaikan diterima").distinct()
    assert fixes.exists()
    for fix in fixes.select_related("request"):
        assert fix.officer_id is None
        before = ServiceEvent.objects.filter(request=fix.request, seq__lt=fix.seq).exclude(
            outcome__in=[Outcome.DONE, Outcome.RECEIVED]
        ).order_by("-seq").first()
        assert before is not None and before.outcome == Outcome.RETURNED
        uploaded = Document.objects.get(
            request=fix.request, purpose=Purpose.REQUIREMENT, uploaded_at=fix.timestamp
        )
        assert uploaded.requirement in fix.note


def test_the_sample_has_the_messages_of_its_events_with_delivery_states(small_demo: str) -> None:
    messages = Outbox.objects.select_related("request")
    assert messages.exists()
    sampled = set(Document.objects.values_list("request_id", flat=True))
    assert {m.request_id for m in messages} == sampled
    events = Counter(m.event for m in messages)
    assert events["received"] == len(sampled)
    assert events["completed"] == Document.objects.filter(purpose=Purpose.PRODUCT).count()
    assert events["returned"] > 0
    states = Counter(m.state for m in messages)
    assert states[State.SENT] > 0.8 * len(messages)
    assert states[State.GIVEN_UP] > 0
    for m in messages:
        assert m.recipient == m.request.applicant_contact
        assert m.request.receipt_code in m.text
        if m.state == State.SENT:
            assert m.sent_at > m.created_at and m.attempts == 1
        else:
            assert m.last_error and m.sent_at is None
    returned = messages.filter(event="returned").first()
    assert returned is not None
    reason = ServiceEvent.objects.get(
        request=returned.request, seq=int(returned.idempotency_key.split(":")[2])
    ).note
    assert reason in returned.text


def test_wipe_removes_the_rows_and_the_files(
    small_demo: str, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    names = list(Document.objects.values_list("stored_name", flat=True))
    assert names and all(storage.path_of(n).exists() for n in names)
    with django_capture_on_commit_callbacks(execute=True):
        wipe()
    assert not Document.objects.exists() and not OnlineApplication.objects.exists()
    assert not Outbox.objects.filter(Q(request__isnull=False)).exists()
    assert not any(storage.path_of(n).exists() for n in names)
