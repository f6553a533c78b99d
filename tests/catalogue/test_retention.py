"""A service's own document retention period: its range, where it is edited, its migration."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from sigap.catalogue.models import RETENTION_MAX_DAYS, RETENTION_MIN_DAYS, Service

pytestmark = pytest.mark.django_db
RANGE = "Between 30 and 3650 days, or empty for the agency default."


@pytest.mark.parametrize("days", [None, RETENTION_MIN_DAYS, 365, RETENTION_MAX_DAYS])
def test_empty_or_a_month_to_ten_years_is_accepted(world, days) -> None:
    world.ktp.document_retention_days = days
    world.ktp.full_clean()
    world.ktp.save()
    assert Service.objects.get(pk=world.ktp.pk).document_retention_days == days


@pytest.mark.parametrize("days", [0, 1, RETENTION_MIN_DAYS - 1, RETENTION_MAX_DAYS + 1, 30000])
def test_a_period_outside_the_range_is_refused_next_to_the_field(world, days) -> None:
    world.ktp.document_retention_days = days
    with pytest.raises(ValidationError) as exc:
        world.ktp.full_clean()
    assert exc.value.message_dict == {"document_retention_days": [RANGE]}


@pytest.mark.parametrize("days", [0, RETENTION_MIN_DAYS - 1, RETENTION_MAX_DAYS + 1])
def test_the_database_refuses_a_period_outside_the_range_too(world, days) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Service.objects.filter(pk=world.ktp.pk).update(document_retention_days=days)


def _admin_form(service: Service, days: str) -> dict[str, object]:
    return {
        "unit": service.unit_id,
        "code": service.code,
        "name": service.name,
        "description": "",
        "is_active": "on",
        "document_retention_days": days,
    }


def test_the_admin_edits_the_period_within_the_range(client, world) -> None:
    client.force_login(world.users["admin"])
    url = f"/admin/catalogue/service/{world.ktp.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="document_retention_days"' in page and "Empty: the agency's default period" in page
    refused = client.post(url, _admin_form(world.ktp, "7"))
    assert refused.status_code == 200 and RANGE in refused.content.decode()
    assert Service.objects.get(pk=world.ktp.pk).document_retention_days is None
    saved = client.post(url, _admin_form(world.ktp, "90"))
    assert saved.status_code == 302
    assert Service.objects.get(pk=world.ktp.pk).document_retention_days == 90
    listing = client.get("/admin/catalogue/service/").content.decode()
    assert "Document retention (days)" in listing and ">90<" in listing
    client.post(url, _admin_form(world.ktp, ""))  # emptied: back to the agency default
    assert Service.objects.get(pk=world.ktp.pk).document_retention_days is None


def test_the_model_and_its_migrations_agree() -> None:
    call_command("makemigrations", "catalogue", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_the_migration_leaves_existing_services_on_the_default_and_reverses(world) -> None:
    before = [("catalogue", "0006_servicestandard_needs_presence")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("catalogue", "Service")
    assert "document_retention_days" not in {f.name for f in old._meta.get_fields()}
    assert old.objects.count() == 2
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert list(Service.objects.values_list("document_retention_days", flat=True)) == [None, None]
    with pytest.raises(IntegrityError), transaction.atomic():
        Service.objects.filter(pk=world.ktp.pk).update(document_retention_days=10)
