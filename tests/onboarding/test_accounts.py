"""The accounts import (kind "accounts") and the activation link that sets a first password."""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django.utils.translation import override

from sigap.accounts.activation import activation_issue, token_hash
from sigap.accounts.models import ActivationToken, Role, RoleAssignment, RoleGrant
from sigap.audit.models import AuditEntry
from sigap.onboarding import plan as onboarding
from sigap.onboarding.accounts import links_csv, links_of
from sigap.onboarding.plan import ImportRefused, Plan
from sigap.organisation.models import Agency, Employee, Position, Unit
from sigap.signin import throttle
from tests import factories

T0 = 7200 * 243_056  # the start of a 2-hour window (as in tests/signin)
GOOD_PASSWORD = "Kopi-Tubruk-Pagi-42"


@dataclass
class Staff:
    world: factories.World
    budi: Employee  # officer at counter A, no account yet
    agus: Employee  # head of counter A, no account yet
    lama: Employee  # left the agency last year


@pytest.fixture
def staff(world: factories.World) -> Staff:
    position = world.officer_a.position
    budi = factories.employee(world.counter_a, "Budi Santoso", position)
    agus = factories.employee(world.counter_a, "Agus Wijaya", world.head_a.position)
    lama = factories.employee(world.counter_a, "Rudi Lama", position)
    lama.active_until = date(2020, 12, 31)
    lama.save()
    return Staff(world, budi, agus, lama)


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    moment = [0.0]
    monkeypatch.setattr(throttle, "clock", lambda: T0 + moment[0])
    return moment


def csv(*rows: str, header: str = "nip,peran,unit,email") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def apply(data: bytes, world: factories.World, actor: object = "admin") -> Plan:
    planned: list[Plan] = []
    who = world.users[actor] if isinstance(actor, str) else actor
    onboarding.apply(
        "accounts",
        data,
        "akun.csv",
        agency=world.agency,
        actor=who,
        on_planned=planned.append,
    )
    return planned[0]


def dry(data: bytes, world: factories.World) -> Plan:
    return onboarding.dry_run("accounts", data, "akun.csv", agency=world.agency)


def where(plan: Plan) -> list[tuple[int, str, str]]:
    """The problems of rows (the file-wide warning about roles the file leaves out aside: the
    world's personas hold roles no test file lists)."""
    return [(p.row, p.column, p.severity) for p in plan.problems if p.row]


def good_file(s: Staff) -> bytes:
    return csv(
        f"{s.budi.nip},Petugas layanan,loket-a,budi@sukamaju.go.id",
        f"{s.agus.nip},Kepala unit,Loket A,",
    )


def test_plan_writes_nothing_then_apply_creates_accounts_roles_and_links(staff: Staff) -> None:
    world = staff.world
    users_before = User.objects.count()
    plan = dry(good_file(staff), world)
    assert plan.ok and where(plan) == []
    assert plan.counts()["create"] == 4  # two accounts, two roles
    assert [(c.what, c.row) for c in plan.changes] == [
        ("Account", 2),
        ("Role", 2),
        ("Account", 3),
        ("Role", 3),
    ]
    assert User.objects.count() == users_before

    plan = apply(good_file(staff), world)
    budi = User.objects.get(username=staff.budi.nip)
    agus = User.objects.get(username=staff.agus.nip)
    assert budi.email == "budi@sukamaju.go.id" and agus.email == ""
    assert not budi.has_usable_password() and not agus.has_usable_password()
    staff.budi.refresh_from_db()
    assert staff.budi.user == budi
    assert set(
        RoleAssignment.objects.filter(user__in=[budi, agus]).values_list(
            "user__username", "role", "unit__code"
        )
    ) == {(staff.budi.nip, "officer", "loket-a"), (staff.agus.nip, "unit_head", "loket-a")}
    links = plan.payload.links
    assert links_of(plan) == links and links_of(Plan("units", "x.csv", 0)) == []
    assert [(link.nip, link.name) for link in links] == [
        (staff.budi.nip, "Budi Santoso"),
        (staff.agus.nip, "Agus Wijaya"),
    ]
    assert all(link.url.startswith("http://127.0.0.1:8000/masuk/aktivasi/") for link in links)
    assert ActivationToken.objects.count() == 2
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions.count("account.create") == 2
    assert actions.count("account.activation_link") == 2
    assert actions.count("role.assign") == 2
    download = links_csv(links).decode("utf-8-sig").splitlines()
    assert download[0] == "nip,nama,tautan_aktivasi"
    assert download[1] == f"{staff.budi.nip},Budi Santoso,{links[0].url}"


def test_no_plain_token_is_stored_anywhere(staff: Staff) -> None:
    plan = apply(good_file(staff), staff.world)
    tokens = [link.url.rstrip("/").rsplit("/", 1)[1] for link in plan.payload.links]
    stored = set(ActivationToken.objects.values_list("token_hash", flat=True))
    assert stored == {hashlib.sha256(t.encode()).hexdigest() for t in tokens}
    with connection.cursor() as cursor:
        for table in ("accounts_activationtoken", "audit_auditentry", "auth_user"):
            cursor.execute(f"SELECT * FROM {table}")  # fixed table names
            dump = repr(cursor.fetchall())
            assert not any(t in dump for t in tokens), table


def test_a_rerun_changes_nothing_and_revokes_nothing(staff: Staff) -> None:
    world = staff.world
    apply(good_file(staff), world)
    again = apply(good_file(staff), world)
    assert again.counts()["create"] == 0 and again.counts()["unchanged"] == 4
    assert again.payload.links == []
    assert ActivationToken.objects.count() == 2
    # Agus left out: his role stays, and a warning names it.
    shorter = apply(csv(f"{staff.budi.nip},officer,loket-a,"), world)
    assert shorter.ok
    [warning] = shorter.warnings
    assert warning.row == 0
    assert f"{staff.agus.nip} Unit head — Loket A" in warning.message
    assert f"{world.officer_a.nip} Front-line officer — Loket A" in warning.message
    assert staff.budi.nip not in warning.message
    assert RoleAssignment.objects.filter(user__username=staff.agus.nip).count() == 1


def test_every_bad_row_is_named_by_row_and_column(staff: Staff) -> None:
    s = staff
    data = csv(
        "199901012020011999,Petugas layanan,loket-a,",  # 2: no such employee
        f"{s.budi.nip},Juru parkir,loket-a,",  # 3: unknown role
        f"{s.budi.nip},Petugas layanan,Loket Z,",  # 4: unknown unit
        f"{s.agus.nip},Kepala unit,loket-a,",  # 5
        f"{s.agus.nip},unit_head,Loket A,",  # 6: the same as row 5
        f"{s.lama.nip},Petugas layanan,loket-a,",  # 7: inactive
        f"{s.budi.nip},Bendahara,dukcapil,budi-at-example",  # 8: not an e-mail
        ",Pimpinan,pemda,",  # 9: no NIP
    )
    plan = dry(data, staff.world)
    assert where(plan) == [
        (2, "nip", "error"),
        (3, "peran", "error"),
        (4, "unit", "error"),
        (6, "", "error"),
        (7, "nip", "error"),
        (8, "email", "error"),
        (9, "nip", "error"),
    ]
    assert "already in row 5" in plan.problems[3].message
    assert "Juru parkir" in plan.problems[1].message
    with pytest.raises(ImportRefused) as refused:
        apply(data, staff.world)
    assert len(refused.value.problems) == 7
    assert not User.objects.filter(username__in=[s.budi.nip, s.agus.nip]).exists()


def test_missing_columns_and_a_taken_user_name(staff: Staff) -> None:
    plan = dry(csv(f"{staff.budi.nip}", header="NIP"), staff.world)
    assert where(plan) == [(1, "peran", "error")]
    User.objects.create_user(username=staff.budi.nip)  # made by hand, linked to nobody
    plan = dry(csv(f"{staff.budi.nip},officer,,"), staff.world)
    assert where(plan) == [(2, "nip", "error")]


def test_blank_unit_is_the_employees_own_and_existing_accounts_are_reused(staff: Staff) -> None:
    world = staff.world
    data = csv(
        f"{world.officer_a.nip},Kasir,,other@example.org",  # has an account: officer_a
        header="NIP;Peran;Unit;Email".replace(";", ","),
    )
    plan = apply(data, world)
    assert plan.payload.links == []
    assert RoleAssignment.objects.filter(
        user=world.users["officer_a"], role=Role.CASHIER, unit=world.counter_a
    ).exists()
    # The e-mail of an existing account is not changed: a warning says so.
    assert (2, "Email", "warning") in where(plan)
    assert world.users["officer_a"].email == ""


def test_an_inspector_row_becomes_a_pending_request_not_a_role(staff: Staff) -> None:
    world = staff.world
    data = csv(f"{staff.agus.nip},Inspektorat,pemda,")
    plan = dry(data, world)
    assert plan.ok and where(plan) == [(2, "peran", "warning")]
    apply(data, world)
    user = User.objects.get(username=staff.agus.nip)
    assert not RoleAssignment.objects.filter(user=user).exists()
    grant = RoleGrant.objects.get(user=user)
    assert grant.status == RoleGrant.Status.PENDING
    assert grant.requested_by == world.users["admin"] and grant.unit == world.root
    # Re-run: the pending request is left as it is.
    again = apply(data, world)
    assert again.counts()["create"] == 0
    assert RoleGrant.objects.filter(user=user).count() == 1


def test_an_inspector_row_from_the_command_line_refuses_the_whole_file(staff: Staff) -> None:
    world = staff.world
    data = csv(
        f"{staff.budi.nip},Petugas layanan,loket-a,",
        f"{staff.agus.nip},Inspektorat,pemda,",
    )
    counts = (User.objects.count(), RoleAssignment.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ImportRefused) as refused:
        apply(data, world, actor=None)
    assert [(p.row, p.severity) for p in refused.value.problems] == [(3, "error")]
    assert "command line" in refused.value.problems[0].message
    after = (User.objects.count(), RoleAssignment.objects.count(), AuditEntry.objects.count())
    assert after == counts
    assert (
        not ActivationToken.objects.exists()
        and not RoleGrant.objects.filter(status=RoleGrant.Status.PENDING).exists()
    )


# Activation -----------------------------------------------------------------------------------


def unmasked(content: bytes) -> bytes:
    """The page without what differs per request: the masked CSRF token, and the address it
    was asked at (the language switcher's `next`)."""
    content = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)
    return re.sub(rb'name="next" type="hidden" value="[^"]+"', b"", content)


def first_link(staff: Staff) -> str:
    plan = apply(good_file(staff), staff.world)
    return plan.payload.links[0].url.removeprefix("http://127.0.0.1:8000")


def test_set_the_password_then_log_in(client, staff: Staff, now) -> None:  # type: ignore[no-untyped-def]
    path = first_link(staff)
    page = client.get(path)
    assert page.status_code == 200
    assert staff.budi.nip in page.content.decode()
    assert page["Referrer-Policy"] == "same-origin"  # the token never leaves for another site
    weak = client.post(path, {"new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 200 and b"activation-errors" in weak.content
    done = client.post(path, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/masuk/"
    assert "_auth_user_id" not in client.session  # activation does not log in
    login = client.post("/masuk/", {"username": staff.budi.nip, "password": GOOD_PASSWORD})
    assert login.status_code == 302
    staff.budi.refresh_from_db()
    assert int(client.session["_auth_user_id"]) == staff.budi.user_id  # type: ignore[operator]
    assert AuditEntry.objects.filter(action="account.activate").count() == 1


def test_a_link_works_once_and_every_bad_link_looks_the_same(client, staff: Staff, now) -> None:  # type: ignore[no-untyped-def]
    path = first_link(staff)
    done = client.post(path, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    assert b"Your password is set" in client.get(done["Location"]).content
    used = client.get(path)
    wrong = client.get("/masuk/aktivasi/not-a-token-at-all/")
    assert used.status_code == wrong.status_code == 404
    assert unmasked(used.content) == unmasked(wrong.content)
    again = client.post(path, {"new_password1": "Lain-Lagi-99x", "new_password2": "Lain-Lagi-99x"})
    assert again.status_code == 404
    assert client.login(username=staff.budi.nip, password=GOOD_PASSWORD)


def test_an_expired_link_is_refused(client, staff: Staff, now) -> None:  # type: ignore[no-untyped-def]
    path = first_link(staff)
    token = path.rstrip("/").rsplit("/", 1)[1]
    ActivationToken.objects.filter(token_hash=token_hash(token)).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert client.get(path).status_code == 404
    response = client.post(path, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    assert response.status_code == 404
    assert not User.objects.get(username=staff.budi.nip).has_usable_password()


def test_the_link_lasts_activation_days(staff: Staff, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SIGAP = {**settings.SIGAP, "ACTIVATION_DAYS": 3}
    apply(good_file(staff), staff.world)
    row = ActivationToken.objects.first()
    assert row is not None and row.expires_at - row.created_at == timedelta(days=3)


def test_wrong_links_are_throttled_per_client(client, staff: Staff, now) -> None:  # type: ignore[no-untyped-def]
    path = first_link(staff)
    answers = [
        client.get(f"/masuk/aktivasi/guess-{i}/", REMOTE_ADDR="10.0.0.9").status_code
        for i in range(41)
    ]
    assert answers[:39] == [404] * 39 and answers[39:] == [429, 429]
    # Paused: even the right link waits; another address does not.
    paused = client.get(path, REMOTE_ADDR="10.0.0.9")
    assert paused.status_code == 429 and int(paused["Retry-After"]) > 0
    assert client.get(path, REMOTE_ADDR="10.0.0.10").status_code == 200
    now[0] = 3600
    assert client.get(path, REMOTE_ADDR="10.0.0.9").status_code == 200


def test_the_helpdesk_command_makes_a_fresh_link_and_ends_the_old(
    client, staff: Staff, now
) -> None:  # type: ignore[no-untyped-def]
    old = first_link(staff)
    out = io.StringIO()
    call_command("accounts", "activation-link", staff.budi.nip, stdout=out)
    url = out.getvalue().strip().splitlines()[-1]
    assert url.startswith("http://127.0.0.1:8000/masuk/aktivasi/")
    assert client.get(old).status_code == 404
    assert client.get(url.removeprefix("http://127.0.0.1:8000")).status_code == 200
    assert AuditEntry.objects.filter(
        action="account.activation_link", actor="sigap accounts"
    ).exists()


def test_the_helpdesk_command_refuses_without_an_account(staff: Staff) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no account yet"):
        call_command("accounts", "activation-link", staff.budi.nip)
    with pytest.raises(CommandError, match="not an active employee"):
        call_command("accounts", "activation-link", staff.lama.nip)
    with pytest.raises(CommandError, match="No employee"):
        call_command("accounts", "activation-link", "123")


def test_an_issued_link_for_an_existing_user_resets_the_password(client, world, now) -> None:  # type: ignore[no-untyped-def]
    url = activation_issue(user=world.users["officer_b"], by="test")
    path = url.removeprefix("http://127.0.0.1:8000")
    response = client.post(path, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    assert response.status_code == 302
    assert client.login(username="officer_b", password=GOOD_PASSWORD)


def test_the_activation_pages_speak_indonesian(client, staff: Staff, now) -> None:  # type: ignore[no-untyped-def]
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    path = first_link(staff)
    page = client.get(path).content.decode()
    assert "Aktifkan akun Anda" in page and "Atur kata sandi saya" in page
    assert "Selamat datang, Budi Santoso." in page
    assert "Tautan ini tidak berlaku" in client.get("/masuk/aktivasi/x/").content.decode()
    with override("id"):
        plan = dry(csv(f"{staff.budi.nip},Juru parkir,loket-a,"), staff.world)
    assert "Peran “Juru parkir” tidak dikenal" in plan.errors[0].message
    assert "Petugas layanan" in plan.errors[0].message


SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "onboarding"
UNOR = "A8ACA7397A{}3912E040640A040269BB"
# The template the onboarding page offers (static/onboarding/templates/<kind>-*.csv).
TEMPLATE = (
    Path(__file__).resolve().parents[2]
    / "src/sigap/onboarding/static/onboarding/templates/accounts-akun.csv"
)


def test_the_sample_file_gives_the_sample_agency_its_ten_changes(db: None) -> None:
    """docs/onboarding/samples/akun.csv against the sample agency's units and key employees
    (docs/onboarding/samples/README.md), made here by hand: five accounts, five roles."""
    agency = Agency.objects.create(code="sukamaju", name="Kabupaten Sukamaju", kind="kabupaten")
    root = Unit.objects.create(
        agency=agency,
        code="pemkab",
        name="Pemerintah Kabupaten Sukamaju",
        kind="pemda",
        siasn_id=UNOR.format("EB"),
    )
    units = {}
    for part, parent, code in (("F2", root, "dpmptsp"), ("F4", root, "disdukcapil")):
        units[part] = Unit.objects.create(
            agency=agency,
            parent=parent,
            code=code,
            name=code,
            kind="opd",
            siasn_id=UNOR.format(part),
        )
    for part, parent in (("F3", "F2"), ("F5", "F4")):
        units[part] = Unit.objects.create(
            agency=agency,
            parent=units[parent],
            code=f"bidang-{part}",
            name=f"Bidang {part}",
            kind="unit_layanan",
            siasn_id=UNOR.format(part),
        )
    position = Position.objects.create(name="Pengadministrasi", kind="pelaksana", level="5")
    for nip, name, part in (
        ("197806102005011003", "Agus Wijaya", "F5"),
        ("198503152010011002", "Budi Santoso", "F5"),
        ("199001222015032001", "Siti Rahmawati", "F5"),
        ("197512012000031005", "Hendra Gunawan", "F3"),
        ("198811092014022004", "Dewi Lestari", "F3"),
    ):
        Employee.objects.create(
            nip=nip,
            name=name,
            status="pns",
            position=position,
            rank="III/a",
            unit=units[part],
            active_from=date(2010, 1, 1),
        )
    data = (SAMPLE / "samples" / "akun.csv").read_bytes()
    plan = onboarding.dry_run("accounts", data, "akun.csv", agency=agency)
    assert plan.problems == []
    assert plan.counts()["create"] == 10
    planned: list[Plan] = []
    onboarding.apply("accounts", data, "akun.csv", agency=agency, on_planned=planned.append)
    assert len(planned[0].payload.links) == 5
    assert sorted(
        RoleAssignment.objects.values_list("user__username", "role", "unit__siasn_id")
    ) == [
        ("197512012000031005", "unit_head", UNOR.format("F3")),
        ("197806102005011003", "unit_head", UNOR.format("F5")),
        ("198503152010011002", "officer", UNOR.format("F5")),
        ("198811092014022004", "officer", UNOR.format("F3")),
        ("199001222015032001", "officer", UNOR.format("F5")),
    ]
    # The template's header is the sample's; its example rows name no real unit.
    template = TEMPLATE.read_text(encoding="utf-8").splitlines()
    assert template[0] == data.decode().splitlines()[0]


def test_a_workbook_nip_stored_as_a_number_is_explained(staff: Staff) -> None:
    from openpyxl import Workbook

    # A NIP that a float cannot hold (as most cannot: 18 digits, 53 bits).
    Employee.objects.filter(pk=staff.budi.pk).update(nip="198503152010011002")
    staff.budi.refresh_from_db()
    assert int(float(staff.budi.nip)) != int(staff.budi.nip)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["NIP", "Peran", "Unit"])
    sheet.append([float(staff.budi.nip), "Petugas layanan", "loket-a"])  # as Excel keeps it
    sheet.append([staff.agus.nip, "Kepala unit", "loket-a"])  # typed as text: fine
    out = io.BytesIO()
    book.save(out)
    plan = onboarding.dry_run("accounts", out.getvalue(), "akun.xlsx", agency=staff.world.agency)
    assert where(plan) == [(2, "NIP", "error")], plan.problems
    assert "stored as a number" in plan.errors[0].message
    assert [c.label.split(" ")[0] for c in plan.changes] == [staff.agus.nip] * 2


def test_the_admin_lists_links_without_their_hash(client, staff: Staff) -> None:  # type: ignore[no-untyped-def]
    apply(good_file(staff), staff.world)
    row = ActivationToken.objects.get(user__username=staff.budi.nip)
    client.force_login(staff.world.users["admin"])
    listing = client.get("/admin/accounts/activationtoken/")
    assert listing.status_code == 200 and staff.budi.nip.encode() in listing.content
    detail = client.get(f"/admin/accounts/activationtoken/{row.pk}/change/")
    assert detail.status_code == 200 and row.token_hash.encode() not in detail.content
    assert client.get("/admin/accounts/activationtoken/add/").status_code == 403
