"""The demo's online front door: online applications with consent and answers, uploads that pass
the document checks and exist on disk, returned files fixed online, the messages of the sample's
events with their delivery states, and the wipe that removes the files."""

from __future__ import annotations

import hashlib
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.test import Client
from django.utils import translation

from sigap.applications.models import OnlineApplication
from sigap.catalogue.requirements import Kind, parse_requirements
from sigap.demo import files
from sigap.demo.build import wipe
from sigap.demo.online import demo_pages
from sigap.documents import storage
from sigap.documents.models import Document, Purpose
from sigap.documents.sniff import clean
from sigap.notifications.conf import conf
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
    assert (
        not ServiceRequest.objects.filter(pk__in=sampled, status=Status.COMPLETED)
        .exclude(pk__in=completed)
        .exists()
    )


def test_a_returned_file_is_fixed_online_with_a_new_document(small_demo: str) -> None:
    """In the sample, every `resumed` after a `returned` is the applicant's online fix."""
    sampled = ServiceRequest.objects.filter(documents__isnull=False).distinct()
    fixes = 0
    for request in sampled:
        pause = None
        for ev in request.events.order_by("seq"):
            if ev.outcome in (Outcome.RETURNED, Outcome.WAITING):
                pause = ev
            elif ev.outcome == Outcome.RESUMED and pause is not None:
                if pause.outcome == Outcome.RETURNED:
                    assert ev.officer_id is None
                    uploaded = Document.objects.get(
                        request=request, purpose=Purpose.REQUIREMENT, uploaded_at=ev.timestamp
                    )
                    assert uploaded.requirement and uploaded.requirement in ev.note
                    assert ev.note != "Berkas perbaikan diterima"
                    fixes += 1
                pause = None
    assert fixes > 0


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


def test_the_generated_pdf_has_a_correct_cross_reference_table() -> None:
    data = files.pdf("Kartu Keluarga (KK) — contoh", ["Pemohon: Siti", "Luas 120 m²"])
    start = int(data.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    table = data[start:].split(b"trailer", 1)[0].split(b"\n")
    assert table[0] == b"xref" and table[1] == b"0 7"
    for number, entry in enumerate(table[3:9], start=1):
        assert data[int(entry[:10]) :].startswith(b"%d 0 obj\n" % number)
    assert clean(data, "kk.pdf", max_bytes=10_000).data == data
    assert b"(Kartu Keluarga \\(KK\\) - contoh) Tj" in data  # escaped, plain ASCII


def test_the_command_prints_applicants_links_that_open_their_pages(small_demo: str) -> None:
    out = StringIO()
    call_command("demo", stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert "Online and mobile share of the requests" in text and "All services" in text
    pages = demo_pages("kab-sukamaju")
    assert {"in_progress", "completed"} <= set(pages)
    client = Client()
    for what, code in pages.items():
        line = next(line for line in text.splitlines() if line.strip().startswith(code))
        url = line.rsplit(" ", 1)[1]
        assert url.startswith(conf().public_url)
        page = client.get(url.removeprefix(conf().public_url))
        assert page.status_code == 200, (what, url)
        assert code in page.content.decode()
    completed = ServiceRequest.objects.get(receipt_code=pages["completed"])
    assert completed.status == Status.COMPLETED
    assert completed.documents.filter(purpose=Purpose.PRODUCT).exists()


# Last: it empties the module's demo.
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
