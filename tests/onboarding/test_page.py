"""The onboarding page: who sees which imports, upload → dry run → apply, the kept file's
token, the size limit; with the test importer of tests/onboarding/probe_importer.py."""

from __future__ import annotations

import os
import time
from datetime import date

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from sigap.audit.models import AuditEntry
from sigap.onboarding import uploads, views
from sigap.onboarding.models import ImportRun
from sigap.organisation.models import AgencySpecialDay
from tests.onboarding.probe_importer import (  # noqa: F401
    LAPOR,
    ORGANISATION,
    PEOPLE,
    probe_importers,
)

pytestmark = pytest.mark.usefixtures("probe_importers")

GOOD = b"date,name\n2025-08-17,Kemerdekaan\n2025-10-07,Hari jadi\n"
BAD = b"date,name\n2025-08-17,Kemerdekaan\n2025-13-01,Salah\n"


@pytest.fixture(autouse=True)
def var_dir(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    return tmp_path


def kinds_listed(response) -> list[str]:
    html = response.content.decode()
    return [k for k in (PEOPLE, ORGANISATION, LAPOR) if f'data-kind="{k}"' in html]


def upload(client, body: bytes = GOOD, kind: str = ORGANISATION, name: str = "days.csv", **extra):
    return client.post(
        reverse("onboarding_upload"),
        {"kind": kind, "file": SimpleUploadedFile(name, body, "text/csv"), **extra},
    )


def token_of(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"].rstrip("/").split("/")[-1]


@pytest.mark.parametrize(
    ("persona", "status", "kinds"),
    [
        ("hr", 200, [PEOPLE]),
        ("admin", 200, [ORGANISATION]),
        ("inspector", 200, [LAPOR]),
        ("officer_a", 403, []),
        ("head_a", 403, []),
        ("leadership", 403, []),
        ("norole", 403, []),
    ],
)
def test_each_role_sees_only_the_imports_it_may_run(client, world, persona, status, kinds):
    client.force_login(world.users[persona])
    response = client.get(reverse("onboarding_home"))
    assert response.status_code == status
    if status == 200:
        assert kinds_listed(response) == kinds
        assert [c[0] for c in response.context["form"].fields["kind"].choices] == kinds


def test_an_import_the_user_may_not_run_is_refused_by_the_form(client, world):
    client.force_login(world.users["hr"])
    response = upload(client, kind=ORGANISATION)
    assert response.status_code == 200
    assert "kind" in response.context["form"].errors
    assert not AgencySpecialDay.objects.exists()
    assert not ImportRun.objects.exists()


def test_upload_dry_run_then_apply(client, world, var_dir):
    AgencySpecialDay.objects.create(agency=world.agency, date=date(2025, 10, 7), name="Hut")
    client.force_login(world.users["admin"])
    token = token_of(upload(client))
    # The bytes are kept on the server under the token, nothing written yet but the run.
    assert (var_dir / "onboarding" / token / "data").read_bytes() == GOOD
    assert AgencySpecialDay.objects.get().name == "Hut"
    run = ImportRun.objects.get()
    assert (run.applied, run.actor, run.kind) == (False, world.users["admin"], ORGANISATION)
    assert AuditEntry.objects.filter(action="onboarding.dry_run", actor="admin").count() == 1

    page = client.get(reverse("onboarding_plan", args=[token]))
    assert page.status_code == 200
    # The plan names people (NIPs, names): never kept by a browser or a proxy.
    assert "no-store" in page["Cache-Control"]
    shown = page.context["shown"]
    assert shown["counts"]["create"] == 1
    assert shown["counts"]["update"] == 1
    assert [(c["action"], c["label"], c["fields"]) for c in shown["changes"]] == [
        ("create", "2025-08-17", [["name", "", "Kemerdekaan"]]),
        ("update", "2025-10-07", [["name", "Hut", "Hari jadi"]]),
    ]
    html = page.content.decode()
    assert 'data-testid="onboarding-apply"' in html
    assert "Hut → Hari jadi" in html

    done = client.post(reverse("onboarding_apply", args=[token]))
    assert done.status_code == 200
    assert "no-store" in done["Cache-Control"]  # activation links may be on it
    assert 'data-testid="onboarding-applied"' in done.content.decode()
    assert dict(AgencySpecialDay.objects.values_list("date", "name")) == {
        date(2025, 8, 17): "Kemerdekaan",
        date(2025, 10, 7): "Hari jadi",
    }
    applied = ImportRun.objects.get(applied=True)
    assert applied.actor == world.users["admin"]
    assert applied.counts["create"] == 1
    entry = AuditEntry.objects.get(action="onboarding.apply")
    assert (entry.actor, entry.unit, entry.data["applied"]) == ("admin", world.root, True)
    # Applied once: the kept file is gone and the token answers 404.
    assert not (var_dir / "onboarding" / token).exists()
    assert client.post(reverse("onboarding_apply", args=[token])).status_code == 404
    assert client.get(reverse("onboarding_plan", args=[token])).status_code == 404


def test_a_file_with_errors_shows_them_and_has_no_apply_button(client, world):
    client.force_login(world.users["admin"])
    token = token_of(upload(client, BAD))
    page = client.get(reverse("onboarding_plan", args=[token]))
    html = page.content.decode()
    assert 'data-testid="onboarding-apply"' not in html
    problems = page.context["shown"]["problems"]
    assert [(p["file"], p["row"], p["column"], p["message"]) for p in problems] == [
        ("days.csv", 3, "date", "not a date")
    ]
    assert "<td>days.csv</td><td>—</td><td>3</td><td>date</td><td>not a date</td>" in html
    # Applying anyway (a forged POST) is refused, and nothing is written.
    refused = client.post(reverse("onboarding_apply", args=[token]))
    assert refused.status_code == 200
    assert 'data-testid="onboarding-refused"' in refused.content.decode()
    assert [p.message for p in refused.context["problems"]] == ["not a date"]
    assert not AgencySpecialDay.objects.exists()
    assert AuditEntry.objects.get(action="onboarding.apply").data["applied"] is False


def test_apply_plans_again_against_the_data_of_that_moment(client, world):
    client.force_login(world.users["admin"])
    token = token_of(upload(client))
    # Between the dry run and the apply, someone records one of the days.
    AgencySpecialDay.objects.create(agency=world.agency, date=date(2025, 8, 17), name="Lain")
    done = client.post(reverse("onboarding_apply", args=[token]))
    assert done.context["counts"]["create"] == 1
    assert done.context["counts"]["update"] == 1


def test_history_options_reach_the_importer(client, world):
    client.force_login(world.users["admin"])
    body = b"date,nama\n2025-08-17,Kemerdekaan\n"
    token = token_of(upload(client, body, source="simpel", mapping="name = nama\n"))
    kept = uploads.root() / token / "meta.json"
    assert '"options": {"source": "simpel", "mapping": {"name": "nama"}}' in kept.read_text()
    client.post(reverse("onboarding_apply", args=[token]))
    assert AgencySpecialDay.objects.get().name == "Kemerdekaan"


def test_a_malformed_mapping_is_refused(client, world):
    client.force_login(world.users["admin"])
    response = upload(client, mapping="name nama")
    assert response.context["form"].errors["mapping"] == ["Line 1 is not written field = column."]


def test_another_users_or_sessions_token_is_404(client, world):
    client.force_login(world.users["admin"])
    token = token_of(upload(client))
    other = client.__class__()
    # The same user in another session: the token is not in that session.
    other.force_login(world.users["admin"])
    assert other.get(reverse("onboarding_plan", args=[token])).status_code == 404
    assert other.post(reverse("onboarding_apply", args=[token])).status_code == 404
    # Another user who may onboard, even with the token put in their session.
    hr = client.__class__()
    hr.force_login(world.users["hr"])
    session = hr.session
    session[uploads.SESSION_KEY] = [token]
    session.save()
    assert hr.get(reverse("onboarding_plan", args=[token])).status_code == 404
    # A made-up token.
    assert client.get(reverse("onboarding_plan", args=["x" * 32])).status_code == 404
    assert not AgencySpecialDay.objects.exists()


def test_a_stale_upload_is_404_and_swept_at_the_next_upload(client, world, var_dir):
    client.force_login(world.users["admin"])
    token = token_of(upload(client))
    kept = var_dir / "onboarding" / token
    meta = (kept / "meta.json").read_text()
    day_ago = time.time() - uploads.KEEP_SECONDS - 60
    (kept / "meta.json").write_text(meta.replace('"created": ', f'"created": {day_ago}, "was": '))
    assert client.get(reverse("onboarding_plan", args=[token])).status_code == 404
    os.utime(kept, (day_ago, day_ago))
    fresh = token_of(upload(client))
    assert not kept.exists()
    assert (var_dir / "onboarding" / fresh).is_dir()


@override_settings(SIGAP={**settings.SIGAP, "ONBOARDING_MAX_MB": 1})
def test_an_oversized_file_is_refused_in_indonesian(client, world, var_dir):
    client.force_login(world.users["admin"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    body = b"date,name\n" + b"x" * (1024 * 1024)
    response = upload(client, body)
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["Berkas lebih besar dari 1 MB."]
    assert not ImportRun.objects.exists()
    assert not (var_dir / "onboarding").exists() or not any((var_dir / "onboarding").iterdir())


def test_templates_to_download_are_listed_for_the_kinds_one_may_run(
    client, world, tmp_path, monkeypatch
):
    folder = tmp_path / "templates"
    folder.mkdir()
    for name in (f"{ORGANISATION}.csv", f"{ORGANISATION}-contoh.xlsx", f"{PEOPLE}.csv"):
        (folder / name).write_text("date,name\n")
    monkeypatch.setattr(views, "TEMPLATE_FILES", folder)
    client.force_login(world.users["admin"])
    html = client.get(reverse("onboarding_home")).content.decode()
    assert f'href="/static/onboarding/templates/{ORGANISATION}.csv"' in html
    assert f'href="/static/onboarding/templates/{ORGANISATION}-contoh.xlsx"' in html
    assert f"{PEOPLE}.csv" not in html


def test_recent_runs_of_the_agency_are_listed(client, world):
    client.force_login(world.users["admin"])
    token_of(upload(client, name="hari-libur.csv"))
    response = client.get(reverse("onboarding_home"))
    assert [r.file_name for r in response.context["runs"]] == ["hari-libur.csv"]
    assert "hari-libur.csv" in response.content.decode()


def test_the_page_is_indonesian(client, world):
    client.force_login(world.users["admin"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    html = client.get(reverse("onboarding_home")).content.decode()
    assert "Periksa berkas (uji coba)" in html
    token = token_of(upload(client))
    html = client.get(reverse("onboarding_plan", args=[token])).content.decode()
    assert "Terapkan" in html


def test_a_user_over_two_agencies_chooses_one_and_uploads_into_it(client, world):
    from sigap.accounts.roles import Role
    from sigap.accounts.services import seed_role_assignment
    from sigap.organisation.models import Agency, Unit

    other = Agency.objects.create(code="lain", name="Kota Lain", kind="kota")
    other_root = Unit.objects.create(agency=other, code="pemkot", name="Pemkot Lain", kind="pemda")
    # A unit below the other root is not enough: onboarding is held over the root.
    below = Unit.objects.create(
        agency=other, parent=other_root, code="dinas", name="Dinas", kind="opd"
    )
    admin = world.users["admin"]
    seed_role_assignment(user=admin, role=Role.ADMIN, unit=below)
    client.force_login(admin)
    response = client.get(reverse("onboarding_home"), {"agency": "lain"})
    assert response.context["agency"] == world.agency
    assert response.context["agencies"] == [world.agency]

    seed_role_assignment(user=admin, role=Role.ADMIN, unit=other_root)
    client.force_login(admin)
    response = client.get(reverse("onboarding_home"), {"agency": "lain"})
    assert response.context["agency"] == other
    assert [a.code for a in response.context["agencies"]] == ["contoh", "lain"]
    token = token_of(upload(client, agency="lain"))
    client.post(reverse("onboarding_apply", args=[token]))
    assert AgencySpecialDay.objects.filter(agency=other).count() == 2
    assert not AgencySpecialDay.objects.filter(agency=world.agency).exists()


def test_the_options_are_asked_only_of_imports_that_read_them(client, world):
    client.force_login(world.users["hr"])
    fields = client.get(reverse("onboarding_home")).context["form"].fields
    assert "mapping" not in fields and "source" not in fields
    client.force_login(world.users["admin"])
    fields = client.get(reverse("onboarding_home")).context["form"].fields
    assert "mapping" in fields and "source" in fields
