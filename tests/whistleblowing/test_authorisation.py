"""Every inspector-side function of the WBS decides itself who may act, whoever calls it.

Each is called directly (as a command would, with no page in front): a user without the right,
whether the wrong role or an inspector over another unit, is refused with PermissionDenied and
nothing is written (no message, no key, no audit entry, no changed field); an inspector over
the report's unit may.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from sigap.accounts.models import Role
from sigap.audit.models import AuditEntry
from sigap.whistleblowing import services
from sigap.whistleblowing.files import Evidence
from sigap.whistleblowing.models import Attachment, InspectorKey, KeyWrap, Message, Report
from tests import factories
from tests.whistleblowing.conftest import PDF

WRITES: dict[str, Callable[[Report, Any], object]] = {
    "read": lambda r, u: services.inspector_read(report=r, user=u),
    "reply": lambda r, u: services.inspector_reply(report=r, user=u, text="Mohon rinciannya."),
    "status": lambda r, u: services.inspector_set_status(report=r, user=u, status="closed"),
    "attachment": lambda r, u: services.attachment_read(
        attachment=Attachment.objects.get(report=r), user=u
    ),
}

# An inspector over another unit, a unit head and an officer of the report's unit, the
# administrator (a superuser is no bypass) and an account without a role.
REFUSED = ("inspector_dinkes", "head_a", "officer_a", "admin", "norole")
ALLOWED = ("inspector", "inspector_dukcapil")


def _user(world: factories.World, name: str) -> Any:
    if name == "inspector_dinkes":
        return factories.user(name, Role.INSPECTOR, world.dinkes)
    if name == "inspector_dukcapil":
        return factories.user(name, Role.INSPECTOR, world.dukcapil)
    return world.users[name]


def _report(world: factories.World) -> Report:
    report, _receipt = services.report_submit(
        unit=world.counter_a,
        what="Pungutan di luar tarif",
        files=[Evidence("bukti.pdf", "application/pdf", PDF)],
    )
    return report


def _written(report: Report) -> tuple[object, ...]:
    return (
        Report.objects.values().get(pk=report.pk),
        Message.objects.count(),
        KeyWrap.objects.count(),
        InspectorKey.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize("who", REFUSED)
@pytest.mark.parametrize("action", list(WRITES))
def test_a_user_without_the_right_is_refused_and_nothing_is_written(world, action, who):
    report = _report(world)
    user = _user(world, who)
    before = _written(report)
    with pytest.raises(PermissionDenied) as refused:
        WRITES[action](report, user)
    assert str(refused.value)  # a message saying why, not a bare 403
    assert _written(report) == before


@pytest.mark.parametrize("who", ALLOWED)
@pytest.mark.parametrize("action", list(WRITES))
def test_an_inspector_over_the_unit_may_and_is_audited(world, action, who):
    report = _report(world)
    entries = AuditEntry.objects.count()
    WRITES[action](report, _user(world, who))
    assert AuditEntry.objects.count() > entries


def test_the_reporter_side_and_the_retention_job_need_no_account(world):
    report = _report(world)
    message = services.reporter_add(report=report, text="Terjadi lagi hari ini.")
    assert message.author == Message.Author.REPORTER
    assert services.reporter_view(report=report).what == "Pungutan di luar tarif"
    result = services.retention_run()
    assert result.deleted == []
