"""Bad input and attacks: disguised or oversized files, script in text, identifying headers
and logs on the anonymous routes."""

from __future__ import annotations

import logging

from django.core.files.uploadedfile import SimpleUploadedFile

from sigap.whistleblowing import services
from sigap.whistleblowing.models import Report
from sigap.whistleblowing.privacy import ScrubAnonymousRoutes
from tests.whistleblowing.conftest import PDF, PNG, database_dump

HTML = b"<html><script>alert(1)</script></html>"


def _post(client, world, files, **extra):
    extra.setdefault("HTTP_ACCEPT_LANGUAGE", "en")  # the messages below are the English ones
    return client.post(
        "/lapor/",
        {"unit": world.counter_a.pk, "what": "Ada pungli", "evidence": files},
        **extra,
    )


def test_a_disguised_file_is_refused_by_its_content(client, world):
    page = _post(client, world, [SimpleUploadedFile("bukti.pdf", HTML, "application/pdf")])
    assert page.status_code == 200
    assert "not a PDF, PNG or JPEG" in str(page.context["form"].errors)
    assert not Report.objects.exists()


def test_a_png_named_pdf_is_stored_as_what_it_is(client, world):
    _post(client, world, [SimpleUploadedFile("bukti.pdf", PNG, "application/pdf")])
    view = services.inspector_read(report=Report.objects.get(), user=world.users["inspector"])
    assert [(a.name, a.content_type) for a in view.attachments] == [("bukti.png", "image/png")]


def test_an_oversized_file_is_refused(client, world, settings):
    settings.SIGAP = {**settings.SIGAP, "WBS_MAX_FILE_BYTES": 1024}
    page = _post(client, world, [SimpleUploadedFile("besar.pdf", PDF + b"x" * 2000)])
    assert "larger than" in str(page.context["form"].errors)
    assert not Report.objects.exists()


def test_too_many_files_are_refused(client, world):
    files = [SimpleUploadedFile(f"b{i}.pdf", PDF) for i in range(4)]
    assert "At most 3 files" in str(_post(client, world, files).context["form"].errors)


def test_script_in_the_report_text_is_escaped(client, world):
    report, receipt = services.report_submit(unit=world.counter_a, what="<script>alert(1)</script>")
    client.force_login(world.users["inspector"])
    inspector_page = client.get(f"/inspektorat/wbs/{report.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in inspector_page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in inspector_page
    client.logout()
    reporter_page = client.post("/lapor/tindak-lanjut/", {"receipt": receipt}).content.decode()
    assert "<script>alert(1)</script>" not in reporter_page


def test_no_ip_address_or_user_agent_reaches_the_view_or_the_database(client, world):
    response = _post(
        client,
        world,
        [],
        REMOTE_ADDR="203.0.113.77",
        HTTP_USER_AGENT="Mozilla/5.0 ReporterPhone",
        HTTP_X_FORWARDED_FOR="198.51.100.4",
        HTTP_REFERER="https://intranet.example/x",
    )
    assert response.status_code == 200
    request = response.wsgi_request
    for key in ("REMOTE_ADDR", "HTTP_USER_AGENT", "HTTP_X_FORWARDED_FOR", "HTTP_REFERER"):
        assert request.META[key] == ""
    assert response["Cache-Control"] == "no-store"
    # Same-origin: a post carries this site as its Origin (the CSRF check needs it), a link to
    # another site carries no referrer.
    assert response["Referrer-Policy"] == "same-origin"
    dump = database_dump()
    for clue in ("203.0.113.77", "ReporterPhone", "198.51.100.4", "intranet.example"):
        assert clue not in dump


def test_other_routes_keep_their_headers(client, world):
    response = client.get("/lacak/", REMOTE_ADDR="203.0.113.77")
    assert response.wsgi_request.META["REMOTE_ADDR"] == "203.0.113.77"


def test_access_log_lines_of_anonymous_routes_are_dropped():
    record = logging.LogRecord(
        "django.server", logging.INFO, "", 0, '"%s" %s %s', ("POST /lapor/ HTTP/1.1", 200, 10), None
    )
    assert ScrubAnonymousRoutes().filter(record) is False
    other = logging.LogRecord(
        "django.server", logging.INFO, "", 0, '"%s" %s %s', ("GET /lacak/ HTTP/1.1", 200, 10), None
    )
    assert ScrubAnonymousRoutes().filter(other) is True


def test_error_records_of_anonymous_routes_lose_the_request_and_the_time_of_day(rf):
    request = rf.post("/lapor/")
    record = logging.LogRecord(
        "django.request", logging.ERROR, "", 0, "Internal Server Error: %s", ("/lapor/",), None
    )
    record.request = request
    assert ScrubAnonymousRoutes().filter(record) is True
    assert record.request is None and record.msecs == 0
    assert record.created % 60 == 0 and not record.relativeCreated


def test_evidence_never_touches_the_disk_in_clear(client, world, settings):
    # 3 MB is above Django's 2.5 MB threshold for spooling uploads to a temporary file.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    big = PDF + b"x" * 3_000_000
    response = _post(client, world, [SimpleUploadedFile("besar.pdf", big)])
    assert response.status_code == 200 and "receipt" in response.context
    upload = response.wsgi_request.FILES["evidence"]
    assert type(upload).__name__ == "InMemoryUploadedFile"


def test_a_request_larger_than_all_allowed_files_is_refused_unread(client, world, settings):
    settings.SIGAP = {**settings.SIGAP, "WBS_MAX_FILE_BYTES": 1024, "WBS_MAX_FILES": 1}
    response = _post(client, world, [SimpleUploadedFile("besar.pdf", PDF + b"x" * 2_000_000)])
    assert response.status_code == 413
    assert not Report.objects.exists()
