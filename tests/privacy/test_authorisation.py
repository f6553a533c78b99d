"""Every staff write of the PDP module decides itself who may act, whoever calls it.

Each write is called directly (as a command would, with no page in front): a user without the
right, whether the wrong role or the data-protection role over another unit, is refused with
PermissionDenied and nothing is written (no answer, no anonymised record, no breach, no audit
entry); the data-protection officer over the unit may.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from sigap.accounts.models import Role
from sigap.audit.models import AuditEntry
from sigap.privacy import services
from sigap.privacy.models import Breach, Kind, PrivacyRequest, RequestStatus
from sigap.service_requests.models import ServiceRequest
from tests import factories
from tests.conftest import local

FACTS = services.BreachFacts(
    title="Ekspor daftar pemohon terkirim ke alamat salah",
    discovered_at=timezone.now() - timedelta(hours=10),
    how="Berkas ekspor dikirim lewat surel ke alamat di luar instansi.",
    data_categories="Nama dan nomor telepon pemohon",
    subjects_count=12,
    measures="Penerima diminta menghapus berkas.",
)


def _request(world: factories.World, kind: str = Kind.DELETION) -> PrivacyRequest:
    sr = factories.submit(world, at=local(2025, 3, 27))
    submitted = services.privacy_request_submit(
        kind=kind, receipt=sr.receipt_code, contact=factories.APPLICANT.contact
    )
    assert submitted.request.matched
    return submitted.request


def _breach(world: factories.World) -> Breach:
    return services.breach_record(unit=world.counter_a, user=world.users["admin"], facts=FACTS)


@dataclass(frozen=True)
class Write:
    call: Callable[[factories.World, Any], object]
    done: Callable[[factories.World], bool]


FULFIL = Write(
    lambda w, u: services.privacy_request_fulfil(
        pr=PrivacyRequest.objects.get(), user=u, changes={"region_desa": "Sukasari"}
    ),
    lambda w: PrivacyRequest.objects.get().status == RequestStatus.FULFILLED,
)


WRITES: dict[str, tuple[Callable[[factories.World], object], Write]] = {
    **{f"fulfil_{kind}": (lambda w, kind=kind: _request(w, kind), FULFIL) for kind in Kind.values},
    "refuse": (
        _request,
        Write(
            lambda w, u: services.privacy_request_refuse(
                pr=PrivacyRequest.objects.get(), user=u, reason="Arsip wajib disimpan."
            ),
            lambda w: PrivacyRequest.objects.get().status == RequestStatus.REFUSED,
        ),
    ),
    "breach_record": (
        lambda w: None,
        Write(
            lambda w, u: services.breach_record(unit=w.counter_a, user=u, facts=FACTS),
            lambda w: Breach.objects.count() == 1,
        ),
    ),
    "breach_notified": (
        _breach,
        Write(
            lambda w, u: services.breach_mark_notified(
                breach=Breach.objects.get(), user=u, recipient="authority"
            ),
            lambda w: Breach.objects.get().authority_notified_at is not None,
        ),
    ),
}

# The data-protection role over another unit, roles of the unit that may not handle personal
# data requests, and an account without a role.
REFUSED = ("admin_dinkes", "head_a", "officer_a", "inspector", "norole")
ALLOWED = ("admin", "admin_dukcapil")


def _user(world: factories.World, name: str) -> Any:
    if name == "admin_dinkes":
        return factories.user(name, Role.ADMIN, world.dinkes)
    if name == "admin_dukcapil":
        return factories.user(name, Role.ADMIN, world.dukcapil)
    return world.users[name]


def _written() -> tuple[object, ...]:
    return (
        list(PrivacyRequest.objects.values().order_by("pk")),
        list(ServiceRequest.objects.values().order_by("pk")),
        list(Breach.objects.values().order_by("pk")),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize("who", REFUSED)
@pytest.mark.parametrize("action", list(WRITES))
def test_a_user_without_the_right_is_refused_and_nothing_is_written(world, action, who):
    setup, write = WRITES[action]
    setup(world)
    user = _user(world, who)
    before = _written()
    with pytest.raises(PermissionDenied) as refused:
        write.call(world, user)
    assert str(refused.value)  # a message saying why, not a bare 403
    assert _written() == before


@pytest.mark.parametrize("who", ALLOWED)
@pytest.mark.parametrize("action", list(WRITES))
def test_the_data_protection_officer_over_the_unit_may(world, action, who):
    setup, write = WRITES[action]
    setup(world)
    entries = AuditEntry.objects.count()
    write.call(world, _user(world, who))
    assert write.done(world)
    assert AuditEntry.objects.count() == entries + 1


def test_a_deletion_refused_leaves_the_applicant_as_they_were(world):
    _request(world, Kind.DELETION)
    with pytest.raises(PermissionDenied):
        services.privacy_request_fulfil(pr=PrivacyRequest.objects.get(), user=world.users["hr"])
    assert ServiceRequest.objects.get().applicant_name == factories.APPLICANT.name


def test_the_data_subjects_request_and_the_retention_job_need_no_account(world):
    pr = _request(world, Kind.ACCESS)
    assert pr.status == RequestStatus.RECEIVED
    assert isinstance(services.retention_run(), dict)
