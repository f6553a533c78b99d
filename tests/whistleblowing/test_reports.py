"""Anonymous reports: receipts, encryption at rest, two-way follow-up, scoping and audit."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from cryptography.exceptions import InvalidTag
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import DateTimeField
from django.utils import timezone

from sigap.accounts.models import Role
from sigap.audit.chain import verify_chain
from sigap.audit.models import AuditEntry
from sigap.whistleblowing import crypto, receipts, services
from sigap.whistleblowing.files import Evidence
from sigap.whistleblowing.models import KeyWrap, Report
from tests import factories
from tests.whistleblowing.conftest import PDF, PNG, database_dump

SECRET_TEXT = "Petugas loket A meminta uang Rp150.000 di luar tarif resmi"


def _submit(world, **kw):
    return services.report_submit(
        unit=kw.pop("unit", world.counter_a),
        what=kw.pop("what", SECRET_TEXT),
        when="Maret 2025",
        service="KTP-el di loket sore",
        **kw,
    )


def _dump() -> str:
    return database_dump()


def test_a_report_gets_a_16_digit_receipt_that_is_stored_only_as_argon2(world):
    report, receipt = _submit(world)
    assert len(receipt) == 16 and receipt.isdigit()
    assert report.receipt_hash.startswith("$argon2id$")
    assert receipt not in _dump()
    assert receipts.find_report(receipts.formatted(receipt)) == report


def test_a_database_dump_without_the_keys_reveals_nothing(world):
    _submit(world, files=[Evidence("bukti.pdf", "application/pdf", PDF + b"SECRET-PDF-BODY")])
    dump = _dump()
    assert "Loket A" in dump  # the dump does hold the clear data of other tables
    for clear in (SECRET_TEXT, "Maret 2025", "loket sore", "SECRET-PDF-BODY", "bukti"):
        assert clear not in dump


def test_without_the_master_key_the_content_cannot_be_decrypted(world, monkeypatch):
    report, _ = _submit(world)
    escrow = KeyWrap.objects.get(report=report, user__isnull=True)
    real = os.environ["SIGAP_WBS_MASTER_KEY"]
    monkeypatch.setenv("SIGAP_WBS_MASTER_KEY", "11" * 32)
    crypto.master_key.cache_clear()
    try:
        with pytest.raises(InvalidTag):
            crypto.unwrap_escrow(report.locator, bytes(escrow.wrapped))
    finally:
        monkeypatch.setenv("SIGAP_WBS_MASTER_KEY", real)
        crypto.master_key.cache_clear()
    assert services.reporter_view(report=report).what == SECRET_TEXT


def test_the_data_key_is_wrapped_for_each_inspector_of_the_unit_only(world):
    other = factories.user("insp_dinkes", Role.INSPECTOR, world.dinkes)
    report, _ = _submit(world)
    wrapped_for = set(KeyWrap.objects.filter(report=report).values_list("user_id", flat=True))
    assert wrapped_for == {None, world.users["inspector"].pk}
    assert other.pk not in wrapped_for


def test_an_inspector_of_another_unit_cannot_read_the_case(client, world):
    other = factories.user("insp_dinkes", Role.INSPECTOR, world.dinkes)
    report, _ = _submit(world)
    with pytest.raises(PermissionDenied):
        services.inspector_read(report=report, user=other)
    client.force_login(other)
    assert client.get("/inspektorat/wbs/").context["cases"].count() == 0
    assert client.get(f"/inspektorat/wbs/{report.pk}/").status_code == 404


def test_every_inspector_access_is_audited(client, world):
    report, _ = _submit(world, files=[Evidence("foto.png", "image/png", PNG)])
    client.force_login(world.users["inspector"])
    page = client.get(f"/inspektorat/wbs/{report.pk}/")
    assert page.status_code == 200 and SECRET_TEXT in page.content.decode()
    attachment = report.attachments.get()
    download = client.get(f"/inspektorat/wbs/{report.pk}/lampiran/{attachment.pk}/")
    assert download.content == PNG
    assert download["Content-Disposition"] == 'attachment; filename="foto.png"'
    assert download["Content-Type"] == "image/png"
    actions = list(AuditEntry.objects.order_by("seq").values_list("action", "actor"))
    assert actions == [("wbs.read", "inspector"), ("wbs.attachment_read", "inspector")]
    assert AuditEntry.objects.filter(object_id=str(report.pk)).count() == 2
    assert verify_chain().ok


def test_the_reporter_reads_replies_and_adds_information_with_the_receipt(client, world):
    report, receipt = _submit(world)
    services.inspector_reply(
        report=report, user=world.users["inspector"], text="Mohon sebutkan jam kejadian."
    )
    page = client.post("/lapor/tindak-lanjut/", {"receipt": receipts.formatted(receipt)})
    assert page.status_code == 200
    assert "Mohon sebutkan jam kejadian." in page.content.decode()
    page = client.post(
        "/lapor/tindak-lanjut/",
        {"receipt": receipt, "text": "Sekitar pukul 10 pagi.", "evidence": []},
    )
    assert page.context["added"] is True
    view = services.inspector_read(report=report, user=world.users["inspector"])
    assert [(m.author, m.text) for m in view.messages] == [
        ("inspector", "Mohon sebutkan jam kejadian."),
        ("reporter", "Sekitar pukul 10 pagi."),
    ]
    assert view.messages[1].created_on == timezone.localdate()
    report.refresh_from_db()
    assert report.status == Report.Status.IN_REVIEW


def test_a_wrong_receipt_opens_nothing(client, world):
    _, receipt = _submit(world)
    wrong = receipt[:6] + ("0000000000" if receipt[6:] != "0000000000" else "1111111111")
    page = client.post("/lapor/tindak-lanjut/", {"receipt": wrong})
    assert page.status_code == 200 and "view" not in page.context
    assert client.post("/lapor/tindak-lanjut/", {"receipt": "1234"}).status_code == 200


def test_guessing_receipts_of_one_report_is_throttled_across_processes(client, world):
    _, receipt = _submit(world)
    for n in range(5):
        guess = receipt[:6] + f"{n:010d}"
        if guess != receipt:
            assert receipts.find_report(guess) is None
    # The count is in the database, shared by all workers: the next attempt must wait.
    with pytest.raises(receipts.WaitRequired):
        receipts.find_report(receipt)
    assert client.post("/lapor/tindak-lanjut/", {"receipt": receipt}).status_code == 429
    # The next day the reporter gets in at once (tests/whistleblowing/test_throttle.py: the
    # same day too, after the wait).
    tomorrow = (timezone.now() + timedelta(days=1)).timestamp()
    assert receipts.find_report(receipt, at=tomorrow) is not None


def test_no_reporter_timestamp_is_stored_beyond_the_day():
    from django.apps import apps

    for model in apps.get_app_config("whistleblowing").get_models():
        assert not [f.name for f in model._meta.fields if isinstance(f, DateTimeField)], model


def test_a_new_inspector_is_granted_the_key_on_first_access_and_it_is_audited(world):
    report, _ = _submit(world)
    newcomer = factories.user("insp_new", Role.INSPECTOR, world.dukcapil)
    view = services.inspector_read(report=report, user=newcomer)
    assert view.what == SECRET_TEXT
    assert list(AuditEntry.objects.order_by("seq").values_list("action", flat=True)) == [
        "wbs.keys_grant",
        "wbs.read",
    ]


def test_one_inspectors_wrap_does_not_open_with_another_inspectors_key(world):
    second = factories.user("insp_two", Role.INSPECTOR, world.root)
    report, _ = _submit(world)
    first_wrap = KeyWrap.objects.get(report=report, user=world.users["inspector"])
    key = services.inspector_key(second)
    with pytest.raises(InvalidTag):
        crypto.unwrap_with(
            second.pk,
            bytes(key.private_key_sealed),
            bytes(key.public_key),
            bytes(first_wrap.wrapped),
            crypto.aad(report.locator, "dk"),
        )


def test_ciphertexts_cannot_be_moved_between_reports(world):
    one, _ = _submit(world)
    two, _ = _submit(world, what="Laporan kedua")
    Report.objects.filter(pk=two.pk).update(content=one.content)
    two.refresh_from_db()
    with pytest.raises(InvalidTag):
        services.reporter_view(report=two)


def test_status_changes_are_audited(world):
    report, _ = _submit(world)
    services.inspector_set_status(report=report, user=world.users["inspector"], status="closed")
    entry = AuditEntry.objects.get(action="wbs.status")
    assert entry.data == {"old": "new", "new": "closed"}


def test_upload_through_the_form(client, world):
    page = client.post(
        "/lapor/",
        {
            "unit": world.counter_a.pk,
            "what": SECRET_TEXT,
            "evidence": [SimpleUploadedFile("kuitansi.pdf", PDF, "application/pdf")],
        },
    )
    assert page.status_code == 200
    receipt = page.context["receipt"]
    assert len(receipt.replace(" ", "")) == 16
    report = Report.objects.get()
    assert report.attachments.count() == 1 and report.unit == world.counter_a
