"""Two people for every WBS reader (docs/security.md): the inspector role is requested by one
person and approved by a second; a superuser alone never reads a report."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from sigap.accounts import services as accounts
from sigap.accounts.models import Role, RoleAssignment, RoleGrant
from sigap.audit.chain import verify_chain
from sigap.audit.models import AuditEntry
from sigap.whistleblowing import services
from sigap.whistleblowing.models import KeyWrap
from tests import factories

SECRET = "Kepala seksi menerima amplop dari rekanan"
GRANTS = "/inspektorat/wbs/pemberian-akses/"


@pytest.fixture
def report(world):
    return services.report_submit(unit=world.counter_a, what=SECRET)[0]


def _actions() -> list[str]:
    return list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))


def _can_read(client, user, report) -> bool:
    client.force_login(user)
    page = client.get(f"/inspektorat/wbs/{report.pk}/")
    return page.status_code == 200 and SECRET in page.content.decode()


def test_a_superuser_granting_themselves_the_inspector_role_reads_nothing_until_approved(
    client, world, report
):
    admin, inspector = world.users["admin"], world.users["inspector"]
    assert admin.is_superuser
    # Being superuser opens no report.
    assert not _can_read(client, admin, report)
    assert client.get("/inspektorat/wbs/").status_code == 403
    with pytest.raises(PermissionDenied):
        services.inspector_read(report=report, user=admin)
    # The one-person path is closed: the write function refuses, the admin only requests.
    with pytest.raises(ValidationError):
        accounts.role_assign(user=admin, role=Role.INSPECTOR, unit=world.root, by=admin)
    added = client.post(
        "/admin/accounts/roleassignment/add/",
        {"user": admin.pk, "role": Role.INSPECTOR, "unit": world.root.pk},
    )
    assert added.status_code == 302 and added["Location"] == GRANTS
    grant = RoleGrant.objects.get(user=admin)
    assert grant.status == RoleGrant.Status.PENDING and grant.requested_by == admin
    assert not RoleAssignment.objects.filter(user=admin, role=Role.INSPECTOR).exists()
    # Pending: no access, no key.
    assert not _can_read(client, admin, report)
    with pytest.raises(PermissionDenied):
        services.inspector_read(report=report, user=admin)
    assert not KeyWrap.objects.filter(user=admin).exists()
    # The superuser cannot approve their own grant, neither by the page nor by the function.
    client.force_login(admin)
    page = client.get(GRANTS)
    assert page.status_code == 200 and page.context["pending"] == [(grant, False, True)]
    assert client.post(GRANTS, {"do": "approve", "grant": grant.pk}).status_code == 403
    with pytest.raises(PermissionDenied):
        accounts.grant_approve(grant=grant, by=admin)
    assert not _can_read(client, admin, report)
    # A second person, an inspector over the unit, approves: now it works as for any inspector.
    client.force_login(inspector)
    assert client.post(GRANTS, {"do": "approve", "grant": grant.pk}).status_code == 302
    grant.refresh_from_db()
    assert grant.status == RoleGrant.Status.APPROVED and grant.decided_by == inspector
    assert _can_read(client, admin, report)
    assert KeyWrap.objects.filter(user=admin, report=report).exists()  # from the escrow, now
    assert _actions()[-5:] == [
        "role.grant_request",
        "role.grant_approve",
        "role.assign",
        "wbs.keys_grant",
        "wbs.read",
    ]
    assert verify_chain().ok


def test_nobody_approves_a_grant_they_asked_for_or_one_for_themselves(world):
    admin, inspector = world.users["admin"], world.users["inspector"]
    target = world.users["norole"]
    grant = accounts.grant_request(user=target, unit=world.dukcapil, by=inspector)
    with pytest.raises(PermissionDenied):  # the requester
        accounts.grant_approve(grant=grant, by=inspector)
    with pytest.raises(PermissionDenied):  # the grantee
        accounts.grant_approve(grant=grant, by=target)
    with pytest.raises(PermissionDenied):  # an officer has no say
        accounts.grant_approve(grant=grant, by=world.users["officer_a"])
    colleague = factories.user("insp_two", Role.INSPECTOR, world.root)
    for_self = accounts.grant_request(user=colleague, unit=world.dinkes, by=admin)
    with pytest.raises(PermissionDenied):  # an inspector asked for over another unit
        accounts.grant_approve(grant=for_self, by=colleague)
    accounts.grant_approve(grant=grant, by=colleague)
    assert RoleAssignment.objects.filter(user=target, role=Role.INSPECTOR).exists()
    with pytest.raises(ValidationError):  # decided once
        accounts.grant_approve(grant=grant, by=colleague)


def test_requests_and_approvals_notify_the_inspectors(client, world):
    inspector = world.users["inspector"]
    inspector.email = "inspektur@example.go.id"
    inspector.save()
    other = factories.user(
        "insp_dinkes", Role.INSPECTOR, world.dinkes, email="dinkes@example.go.id"
    )
    grant = accounts.grant_request(
        user=world.users["norole"], unit=world.dukcapil, by=world.users["admin"]
    )
    # E-mail to the inspectors over the unit, not to an inspector of an unrelated unit.
    assert [m.to for m in mail.outbox] == [["inspektur@example.go.id"]]
    assert "norole" in mail.outbox[0].body and GRANTS in mail.outbox[0].body
    # The in-app notice on the inspector's page, with the way to decide.
    client.force_login(inspector)
    cases = client.get("/inspektorat/wbs/")
    assert cases.context["grants_to_decide"] == [grant]
    assert 'data-testid="grant-notice"' in cases.content.decode()
    client.force_login(other)
    assert client.get("/inspektorat/wbs/").context["grants_to_decide"] == []
    assert client.get(GRANTS).context["pending"] == []  # not their part of the tree
    # The approval is told too, and both steps are in the audit trail.
    accounts.grant_approve(grant=grant, by=inspector)
    assert len(mail.outbox) == 2 and "approved" in mail.outbox[1].subject
    assert _actions() == ["role.grant_request", "role.grant_approve", "role.assign"]


def test_a_pending_grant_gets_no_key_for_new_reports_and_a_refused_one_never(world):
    admin, inspector = world.users["admin"], world.users["inspector"]
    target = world.users["norole"]
    grant = accounts.grant_request(user=target, unit=world.dukcapil, by=admin)
    report, _ = services.report_submit(unit=world.counter_a, what=SECRET)
    assert not KeyWrap.objects.filter(user=target).exists()
    accounts.grant_refuse(grant=grant, by=inspector, note="Bukan auditor")
    with pytest.raises(PermissionDenied):
        services.inspector_read(report=report, user=target)
    assert not KeyWrap.objects.filter(user=target).exists()
    assert _actions() == ["role.grant_request", "role.grant_refuse"]


def test_on_a_new_installation_two_administrators_make_the_first_inspector(world):
    admin = world.users["admin"]
    accounts.role_revoke(assignment=RoleAssignment.objects.get(role=Role.INSPECTOR))
    first = world.users["norole"]
    grant = accounts.grant_request(user=first, unit=world.root, by=admin)
    assert list(accounts.approvers(grant)) == []  # the lone administrator cannot
    second_admin = factories.user("admin2", Role.ADMIN, world.root, is_staff=True)
    assert list(accounts.approvers(grant)) == [second_admin]
    accounts.grant_approve(grant=grant, by=second_admin)
    # Once an inspector exists over a unit, new readers need an inspector's approval there.
    later = accounts.grant_request(user=world.users["hr"], unit=world.dinkes, by=admin)
    assert not accounts.may_approve(second_admin, later)
    assert accounts.may_approve(first, later)


def test_the_admin_pages_of_wbs_rows_show_no_decrypted_content(client, world):
    client.force_login(world.users["admin"])
    report, _ = services.report_submit(unit=world.counter_a, what=SECRET)
    services.reporter_add(report=report, text="Pesan rahasia pelapor")
    for path in (
        "/admin/whistleblowing/report/",
        f"/admin/whistleblowing/report/{report.pk}/change/",
        "/admin/whistleblowing/message/",
        f"/admin/whistleblowing/message/{report.messages.get().pk}/change/",
    ):
        page = client.get(path)
        assert page.status_code == 200, path
        text = page.content.decode()
        assert SECRET not in text and "Pesan rahasia" not in text, path


def test_the_grants_page_requests_and_refuses(client, world):
    client.force_login(world.users["admin"])
    unknown = client.post(GRANTS, {"do": "request", "username": "nobody", "unit": world.root.pk})
    assert unknown.status_code == 200 and "username" in unknown.context["form"].errors
    asked = client.post(
        GRANTS,
        {"do": "request", "username": "norole", "unit": world.dukcapil.pk, "note": "Auditor"},
    )
    assert asked.status_code == 302
    grant = RoleGrant.objects.get(user=world.users["norole"])
    assert grant.status == RoleGrant.Status.PENDING and grant.note == "Auditor"
    # An officer neither sees nor decides it.
    client.force_login(world.users["officer_a"])
    assert client.get(GRANTS).status_code == 403
    assert client.post(GRANTS, {"do": "approve", "grant": grant.pk}).status_code == 403
    client.force_login(world.users["inspector"])
    for junk in ("abc", "²", "9" * 40, ""):  # malformed ids: a 404, never a 500
        assert client.post(GRANTS, {"do": "approve", "grant": junk}).status_code == 404
    refused = client.post(GRANTS, {"do": "refuse", "grant": grant.pk, "note": "Belum dilatih"})
    assert refused.status_code == 302
    grant.refresh_from_db()
    assert grant.status == RoleGrant.Status.REFUSED and grant.note == "Belum dilatih"
    assert not RoleAssignment.objects.filter(user=world.users["norole"]).exists()
    assert client.get(GRANTS).context["decided"][0] == grant
