"""Retention: a warning the full notice period before automatic deletion; activity keeps it."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from sigap.audit.models import AuditEntry
from sigap.whistleblowing import services
from sigap.whistleblowing.models import Report


def test_a_report_is_warned_then_deleted(world, settings):
    settings.SIGAP = {**settings.SIGAP, "WBS_RETENTION_DAYS": 100, "WBS_DELETION_WARNING_DAYS": 10}
    report, _ = services.report_submit(unit=world.counter_a, what="lama")
    today = timezone.localdate()
    assert report.delete_after == today + timedelta(days=100)
    assert services.retention_run(today=today + timedelta(days=80)).warned == []
    assert services.retention_run(today=today + timedelta(days=95)).warned == [report.locator]
    report.refresh_from_db()
    assert report.deletion_warned_on == today + timedelta(days=95)
    # Never deleted before the notice has run its course.
    assert services.retention_run(today=today + timedelta(days=101)).deleted == []
    result = services.retention_run(today=today + timedelta(days=106))
    assert result.deleted == [report.locator] and not Report.objects.exists()
    assert list(AuditEntry.objects.order_by("seq").values_list("action", flat=True)) == [
        "wbs.deletion_warning",
        "wbs.delete_expired",
    ]


def test_a_reply_after_the_warning_keeps_the_report(world, settings):
    settings.SIGAP = {**settings.SIGAP, "WBS_RETENTION_DAYS": 100, "WBS_DELETION_WARNING_DAYS": 10}
    report, _ = services.report_submit(unit=world.counter_a, what="lama")
    today = timezone.localdate()
    Report.objects.filter(pk=report.pk).update(delete_after=today + timedelta(days=5))
    services.retention_run(today=today)
    report.refresh_from_db()
    assert report.deletion_warned_on == today
    assert report.delete_after == today + timedelta(days=10)
    services.inspector_reply(report=report, user=world.users["inspector"], text="masih diproses")
    report.refresh_from_db()
    assert report.deletion_warned_on is None
    assert report.delete_after == today + timedelta(days=100)


def test_the_retention_command_runs(world):
    out = StringIO()
    call_command("wbs", "retention", stdout=out)
    assert "0 report(s) warned, 0 deleted." in out.getvalue()
