"""What a reporter's actions leave behind: random ids, dates only, nothing else written.

A sequential id of a reporter's message falls between the ids of an inspector's replies,
whose times the audit trail keeps to the second: the follow-up could be dated to the minute.
"""

from __future__ import annotations

from itertools import pairwise

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from sigap.audit.models import AuditEntry
from sigap.whistleblowing import models as wbs_models
from sigap.whistleblowing import services
from sigap.whistleblowing.files import Evidence
from sigap.whistleblowing.models import Attachment, KeyWrap, Message, ReceiptThrottle, Report
from tests.whistleblowing.conftest import PDF

WBS_MODELS = list(apps.get_app_config("whistleblowing").get_models())


def _evidence(name: str = "bukti.pdf") -> list[Evidence]:
    return [Evidence(name=name, content_type="application/pdf", data=PDF)]


def _random(pk: int) -> bool:
    return wbs_models.ID_LOW <= pk < wbs_models.ID_HIGH


def _looks_sequential(ids: list[int]) -> bool:
    ids = sorted(ids)
    return ids[0] < wbs_models.ID_LOW or all(b - a == 1 for a, b in pairwise(ids))


def test_every_row_a_reporter_writes_gets_a_random_id(world):
    inspector = world.users["inspector"]
    reports = []
    for i in range(3):
        report, _receipt = services.report_submit(
            unit=world.counter_a, what=f"Laporan {i}", files=_evidence()
        )
        reports.append(report)
    for report in reports:
        services.inspector_reply(report=report, user=inspector, text="Mohon rinciannya.")
        services.reporter_add(report=report, text="Ini rinciannya.", files=_evidence("foto.pdf"))
    for model in (Report, Message, Attachment, KeyWrap):
        ids = list(model.objects.values_list("pk", flat=True))
        assert len(ids) >= 3
        assert all(_random(i) for i in ids), (model.__name__, ids)
        assert not _looks_sequential(ids), (model.__name__, ids)


def test_the_receipt_throttle_rows_get_random_ids_too(world):
    from sigap.whistleblowing import receipts

    for _ in range(2):
        assert receipts.find_report("1234 5678 9012 3456") is None
    ids = list(ReceiptThrottle.objects.values_list("pk", flat=True))
    assert ids and all(_random(i) for i in ids)


def test_every_wbs_table_has_random_ids_and_no_time_of_day():
    for model in WBS_MODELS:
        assert issubclass(model, wbs_models.RandomIdModel), model.__name__
        for field in model._meta.concrete_fields:
            assert not isinstance(field, models.DateTimeField | models.TimeField), (
                f"{model.__name__}.{field.name} holds a time of day"
            )


def test_the_conversation_keeps_its_order(world):
    inspector = world.users["inspector"]
    report, _receipt = services.report_submit(unit=world.counter_a, what="Ada pungli")
    texts = ["r1", "i1", "r2", "i2", "r3"]
    for text in texts:
        if text.startswith("r"):
            services.reporter_add(report=report, text=text)
        else:
            services.inspector_reply(report=report, user=inspector, text=text)
    view = services.reporter_view(report=report)
    assert [m.text for m in view.messages] == texts
    assert list(report.messages.values_list("seq", flat=True)) == [1, 2, 3, 4, 5]


def test_a_clash_with_an_id_in_use_draws_another(world, monkeypatch):
    first, _receipt = services.report_submit(unit=world.counter_a, what="Satu")
    draws = iter([first.pk, first.pk, wbs_models.ID_LOW + 7])
    monkeypatch.setattr(wbs_models, "random_id", lambda: next(draws))
    # The field's default was bound at import: the clash is made by hand, the retry draws.
    second = Report(
        pk=first.pk,
        locator="999999",
        receipt_hash="x",
        unit=world.counter_a,
        created_on=first.created_on,
        last_activity_on=first.created_on,
        delete_after=first.delete_after,
        content=b"",
    )
    second.save(force_insert=True)
    assert second.pk != first.pk
    assert Report.objects.count() == 2


def test_another_constraint_is_not_mistaken_for_a_clash(world):
    from django.db import IntegrityError

    first, _receipt = services.report_submit(unit=world.counter_a, what="Satu")
    same_locator = Report(
        locator=first.locator,
        receipt_hash="x",
        unit=world.counter_a,
        created_on=first.created_on,
        last_activity_on=first.created_on,
        delete_after=first.delete_after,
        content=b"",
    )
    with pytest.raises(IntegrityError):
        same_locator.save()


def _written_tables(queries: list[dict[str, str]]) -> set[str]:
    written = set()
    for q in queries:
        sql = q["sql"].lstrip().upper()
        for verb in ("INSERT INTO ", "UPDATE ", "DELETE FROM "):
            if sql.startswith(verb):
                written.add(sql[len(verb) :].split()[0].strip('"`').lower())
    return written


def test_a_reporters_requests_write_only_dated_wbs_rows(client, world):
    """Filing and following up write to the WBS tables only (no audit entry, no session, no
    rate-limit row with a time), and those tables hold dates, never a time of day."""
    audit_before = AuditEntry.objects.count()
    with CaptureQueriesContext(connection) as filing:
        page = client.post(
            "/lapor/",
            {
                "unit": world.counter_a.pk,
                "what": "Ada pungli",
                "evidence": [SimpleUploadedFile("bukti.pdf", PDF)],
            },
        )
    receipt = page.context["receipt"]
    with CaptureQueriesContext(connection) as following:
        page = client.post(
            "/lapor/tindak-lanjut/",
            {
                "receipt": receipt,
                "text": "Tambahan",
                "evidence": [SimpleUploadedFile("f.pdf", PDF)],
            },
        )
    assert page.context["added"] is True
    wbs_tables = {m._meta.db_table for m in WBS_MODELS}
    written = _written_tables(filing.captured_queries) | _written_tables(following.captured_queries)
    assert written and written <= wbs_tables, written - wbs_tables
    assert AuditEntry.objects.count() == audit_before
