"""Onboarding across agencies: a user of one agency never runs, sees or applies an import of
another (the page, the kept upload, the list of runs, `sigap onboard --as`), and a user who lost
the role between the dry run and the apply cannot apply it. With the test importer of
tests/onboarding/probe_importer.py."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from sigap.accounts.models import RoleAssignment
from sigap.accounts.roles import Role
from sigap.onboarding import uploads
from sigap.onboarding.models import ImportRun
from sigap.organisation.models import Agency, AgencySpecialDay, Unit
from tests import factories
from tests.onboarding.probe_importer import ORGANISATION, probe_importers  # noqa: F401

pytestmark = pytest.mark.usefixtures("probe_importers")

GOOD = b"date,name\n2025-08-17,Kemerdekaan\n2025-10-07,Hari jadi\n"


@pytest.fixture(autouse=True)
def var_dir(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    return tmp_path


@pytest.fixture
def lain(world):  # type: ignore[no-untyped-def]
    """Kota Lain with its own administrator."""
    agency = Agency.objects.create(code="lain", name="Kota Lain", kind="kota", region_code="32.73")
    root = Unit.objects.create(agency=agency, code="pemkot", name="Pemkot Lain", kind="pemda")
    return agency, factories.user("admin_lain", Role.ADMIN, root)


def upload(client, *, agency: str, name: str = "days.csv"):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("onboarding_upload"),
        {"kind": ORGANISATION, "agency": agency, "file": SimpleUploadedFile(name, GOOD)},
    )


def token_of(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 302, response.content.decode()[:1000]
    return response["Location"].rstrip("/").split("/")[-1]


def test_an_upload_naming_another_agency_goes_into_ones_own(client, world, lain):
    other, admin_lain = lain
    client.force_login(admin_lain)
    token = token_of(upload(client, agency=world.agency.code))
    assert client.post(reverse("onboarding_apply", args=[token])).status_code == 200
    assert AgencySpecialDay.objects.filter(agency=other).count() == 2
    assert not AgencySpecialDay.objects.filter(agency=world.agency).exists()
    assert list(ImportRun.objects.values_list("agency__code", flat=True)) == ["lain", "lain"]


def test_another_agencys_token_is_404_even_in_ones_session(client, world, lain):
    _other, admin_lain = lain
    client.force_login(world.users["admin"])
    token = token_of(upload(client, agency=world.agency.code))
    stranger = client.__class__()
    stranger.force_login(admin_lain)
    session = stranger.session
    session[uploads.SESSION_KEY] = [token]
    session.save()
    assert stranger.get(reverse("onboarding_plan", args=[token])).status_code == 404
    assert stranger.post(reverse("onboarding_apply", args=[token])).status_code == 404
    assert not AgencySpecialDay.objects.exists()
    # The owner still may: the stranger's attempt neither used nor deleted the upload.
    assert client.get(reverse("onboarding_plan", args=[token])).status_code == 200


def test_the_runs_listed_are_the_chosen_agencys_only(client, world, lain):
    _other, admin_lain = lain
    client.force_login(world.users["admin"])
    token_of(upload(client, agency=world.agency.code, name="rahasia-contoh.csv"))
    client.force_login(admin_lain)
    page = client.get(reverse("onboarding_home"), {"agency": world.agency.code})
    assert page.status_code == 200
    assert page.context["agency"].code == "lain"
    assert "rahasia-contoh.csv" not in page.content.decode()


def test_a_role_lost_after_the_dry_run_cannot_apply(client, world):
    admin = world.users["admin"]
    client.force_login(admin)
    token = token_of(upload(client, agency=world.agency.code))
    RoleAssignment.objects.filter(user=admin).delete()
    assert client.get(reverse("onboarding_plan", args=[token])).status_code == 403
    assert client.post(reverse("onboarding_apply", args=[token])).status_code == 403
    assert not AgencySpecialDay.objects.exists()


def test_the_command_as_a_user_of_another_agency_is_refused(world, lain, tmp_path):
    _other, admin_lain = lain
    path = tmp_path / "days.csv"
    path.write_bytes(GOOD)
    with pytest.raises(
        CommandError,
        match="admin_lain tidak berwenang menjalankan impor ini untuk Kabupaten Contoh",
    ):
        call_command(
            "onboard",
            ORGANISATION,
            str(path),
            "--agency",
            world.agency.code,
            "--as",
            admin_lain.username,
            "--apply",
            stdout=StringIO(),
        )
    # The HR agency's user holds no organisation import, even in its own agency.
    with pytest.raises(CommandError, match="tidak berwenang menjalankan impor ini"):
        call_command(
            "onboard",
            ORGANISATION,
            str(path),
            "--agency",
            world.agency.code,
            "--as",
            world.users["hr"].username,
            "--apply",
            stdout=StringIO(),
        )
    assert not AgencySpecialDay.objects.exists()
    assert not ImportRun.objects.exists()
