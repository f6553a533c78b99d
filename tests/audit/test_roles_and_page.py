"""Role changes are audited; the Inspektorat page lists and filters the trail in scope."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from sigap.accounts import services
from sigap.accounts.models import Role, RoleAssignment
from sigap.audit.chain import verify_chain
from sigap.audit.models import AuditEntry
from sigap.audit.services import audit_record
from tests import factories


def test_granting_and_withdrawing_a_role_are_audited(world):
    admin = world.users["admin"]
    target = world.users["norole"]
    assignment = services.role_assign(user=target, role=Role.HR, unit=world.dinkes, by=admin)
    services.role_assign(user=target, role=Role.HR, unit=world.dinkes, by=admin)
    services.role_revoke(assignment=assignment, by=admin)
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [e.action for e in entries] == ["role.assign", "role.revoke"]
    assert entries[0].actor == "admin" and entries[0].unit_id == world.dinkes.pk
    assert entries[0].data == {"user": "norole", "user_id": target.pk, "role": "hr"}
    assert not RoleAssignment.objects.filter(user=target).exists()
    assert verify_chain().ok


def test_an_unknown_role_is_refused(world):
    with pytest.raises(ValidationError):
        services.role_assign(user=world.users["norole"], role="king", unit=world.root)


def test_roles_added_and_deleted_in_the_admin_are_audited(client, world):
    client.force_login(world.users["admin"])
    response = client.post(
        "/admin/accounts/roleassignment/add/",
        {"user": world.users["norole"].pk, "role": "hr", "unit": world.root.pk},
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=world.users["norole"])
    client.post(f"/admin/accounts/roleassignment/{assignment.pk}/delete/", {"post": "yes"})
    assert list(AuditEntry.objects.order_by("seq").values_list("action", "actor")) == [
        ("role.assign", "admin"),
        ("role.revoke", "admin"),
    ]


def _entries(world):
    audit_record(actor="system", action="rating.change", unit=world.counter_a)
    audit_record(actor="system", action="complaint.status", unit=world.puskesmas_b)
    audit_record(actor="system", action="settings.change")


def test_the_inspector_lists_and_filters_the_trail(client, world):
    _entries(world)
    client.force_login(world.users["inspector"])
    page = client.get("/inspektorat/jejak-audit/")
    assert page.status_code == 200
    assert [e.action for e in page.context["page"]] == [
        "settings.change",
        "complaint.status",
        "rating.change",
    ]
    filtered = client.get("/inspektorat/jejak-audit/", {"action": "rating", "unit": ""})
    assert [e.action for e in filtered.context["page"]] == ["rating.change"]
    by_unit = client.get("/inspektorat/jejak-audit/", {"unit": world.puskesmas_b.pk})
    assert [e.action for e in by_unit.context["page"]] == ["complaint.status"]


def test_an_inspector_of_one_opd_sees_only_its_entries(client, world):
    _entries(world)
    local_inspector = factories.user("insp_dukcapil", Role.INSPECTOR, world.dukcapil)
    client.force_login(local_inspector)
    page = client.get("/inspektorat/jejak-audit/")
    assert [e.action for e in page.context["page"]] == ["rating.change"]


@pytest.mark.parametrize("persona", ["officer_a", "head_a", "hr", "ombudsman", "leadership"])
def test_only_inspectors_read_the_trail(client, world, persona):
    client.force_login(world.users[persona])
    assert client.get("/inspektorat/jejak-audit/").status_code == 403


def test_settings_changed_in_the_admin_are_audited(client, world):
    client.force_login(world.users["admin"])
    response = client.post(
        f"/admin/organisation/agency/{world.agency.pk}/change/",
        {
            "code": "contoh",
            "name": "Kabupaten Contoh Baru",
            "kind": "kabupaten",
            "cuti_bersama_is_day_off": "on",
            "special_days-TOTAL_FORMS": "0",
            "special_days-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    entry = AuditEntry.objects.get(action="settings.change")
    assert entry.actor == "admin"
    assert entry.data["model"] == "organisation.agency"
    assert entry.data["changes"] == [{"changed": {"fields": ["Name"]}}]
    assert verify_chain().ok


def test_the_trail_of_one_object_can_be_listed(client, world):
    audit_record(actor="system", action="rating.change", obj=world.ktp)
    audit_record(actor="system", action="rating.change", obj=world.rujukan)
    client.force_login(world.users["inspector"])
    page = client.get(
        "/inspektorat/jejak-audit/",
        {"object_type": "catalogue.service", "object_id": str(world.ktp.pk)},
    )
    assert [e.object_id for e in page.context["page"]] == [str(world.ktp.pk)]


def test_the_trail_reads_the_named_records_once_per_page_not_once_per_entry(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(entries: int) -> tuple[int, str]:
        AuditEntry.objects.all().delete()
        for i in range(entries):
            audit_record(
                actor="system",
                action="role.assign",
                unit=world.counter_a,
                data={"user_id": world.users["norole"].pk, "employee": world.officer_a.pk, "n": i},
            )
        client.force_login(world.users["inspector"])
        with CaptureQueriesContext(connection) as ctx:
            page = client.get("/inspektorat/jejak-audit/").content.decode()
        return len(ctx.captured_queries), page

    few, _page = queries(2)
    many, page = queries(30)
    assert many == few
    assert "norole" in page and world.officer_a.name in page
