"""The service-standard editor's pages and the public consultation on the service page."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from sigap.accounts.models import Role
from sigap.catalogue import services
from sigap.catalogue.models import ConsultationComment, ServiceStandard
from tests import factories


def _form(requirements, steps, **fields):  # type: ignore[no-untyped-def]
    """The editor's POST: the components, then each formset with its management form."""
    data = {
        "sla_working_days": "3",
        "tariff_rupiah": "0",
        "product": "KTP-el",
        "complaint_channel": "Loket pengaduan",
        "legal_basis": "UU 24/2013",
        "number_of_officers": "2",
        "save": "1",
        "requirements-TOTAL_FORMS": str(len(requirements)),
        "requirements-INITIAL_FORMS": "0",
        "steps-TOTAL_FORMS": str(len(steps)),
        "steps-INITIAL_FORMS": "0",
    }
    data.update(fields)
    for i, row in enumerate(requirements):
        data.update({f"requirements-{i}-{k}": v for k, v in row.items()})
    for i, row in enumerate(steps):
        data.update({f"steps-{i}-{k}": v for k, v in row.items()})
    return data


def _draft(world):  # type: ignore[no-untyped-def]
    return services.standard_draft_new(user=world.users["head_a"], service=world.ktp)


def test_the_list_shows_the_units_services_by_name(client, world):
    client.force_login(world.users["head_a"])
    page = client.get("/standar-pelayanan/").content.decode()
    assert "Penerbitan KTP-el" in page and "Surat Rujukan" not in page
    page = client.get("/standar-pelayanan/?q=rujukan").content.decode()
    assert "Penerbitan KTP-el" not in page


def test_a_new_version_is_drafted_edited_and_saved(client, world):
    client.force_login(world.users["head_a"])
    response = client.post("/standar-pelayanan/layanan/ktp-el/versi-baru/")
    draft = ServiceStandard.objects.get(service=world.ktp, valid_from__isnull=True)
    assert response["Location"] == f"/standar-pelayanan/versi/{draft.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert 'value="Penerimaan berkas"' in page and 'name="steps-TOTAL_FORMS" value="4"' in page
    data = _form(
        [
            {"name": "Fotokopi KK", "kind": "document"},
            {"name": "NIK", "kind": "field"},
            {"name": "Dihapus", "kind": "document", "DELETE": "on"},
        ],
        [
            {"name": "Penerimaan", "expected_minutes": "10"},
            {"name": "Verifikasi", "expected_minutes": "20", "position": "Kepala Seksi"},
            {"name": "Cetak", "expected_minutes": "5", "other_than": "Verifikasi",
             "role": Role.UNIT_HEAD},
        ],
    )  # fmt: skip
    response = client.post(f"/standar-pelayanan/versi/{draft.pk}/", data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.requirements == [
        {"name": "Fotokopi KK", "kind": "document"},
        {"name": "NIK", "kind": "field"},
    ]
    steps = draft.ordered_steps()
    assert [(s.name, s.done_by_position) for s in steps][1] == ("Verifikasi", "Kepala Seksi")
    assert steps[2].other_officer_than == steps[1] and steps[2].done_by_role == "unit_head"


def test_a_row_is_added_without_javascript(client, world):
    draft = _draft(world)
    client.force_login(world.users["head_a"])
    data = _form([], [{"name": "Penerimaan", "expected_minutes": "10"}], add="steps")
    del data["save"]
    response = client.post(f"/standar-pelayanan/versi/{draft.pk}/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="steps-TOTAL_FORMS" value="2"' in page and 'name="steps-1-name"' in page
    draft.refresh_from_db()
    assert draft.steps.count() == 4  # nothing saved by adding a row


def test_errors_name_the_section_row_and_field_in_indonesian(client, world):
    draft = _draft(world)
    client.cookies["django_language"] = "id"
    client.force_login(world.users["head_a"])
    data = _form(
        [{"name": "KK", "kind": "document"}, {"name": "kk", "kind": "document"}],
        [
            {"name": "Penerimaan", "expected_minutes": "10"},
            {"name": "Cetak", "expected_minutes": "0"},
        ],
        sla_working_days="0",
    )
    response = client.post(f"/standar-pelayanan/versi/{draft.pk}/", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Prosedur, baris 2, Perkiraan durasi (menit):" in page
    assert "Jangka waktu:" in page
    # The write function's own check, after the forms: the duplicate requirement, by row.
    data["sla_working_days"] = "3"
    data["steps-1-expected_minutes"] = "5"
    page = client.post(f"/standar-pelayanan/versi/{draft.pk}/", data).content.decode()
    assert "Persyaratan 2: namanya sama dengan persyaratan 1." in page


def test_a_published_version_reads_without_a_form(client, world):
    client.force_login(world.users["admin"])
    url = f"/standar-pelayanan/versi/{world.ktp_standard.pk}/"
    page = client.get(url).content.decode()
    assert 'data-testid="standard-editor"' not in page and "Penerimaan berkas" in page
    response = client.post(url, _form([], []))
    assert response.status_code == 302
    world.ktp_standard.refresh_from_db()
    assert world.ktp_standard.product == "KTP-el" and world.ktp_standard.steps.count() == 4


def test_another_units_head_gets_a_404(client, world):
    draft = _draft(world)
    other = factories.user("head_b", Role.UNIT_HEAD, world.puskesmas_b)
    client.force_login(other)
    assert client.get(f"/standar-pelayanan/versi/{draft.pk}/").status_code == 404
    assert client.post("/standar-pelayanan/layanan/ktp-el/versi-baru/").status_code == 404


def test_the_administrator_publishes_from_the_page(client, world):
    draft = _draft(world)
    client.force_login(world.users["admin"])
    start = timezone.localdate() + timedelta(days=7)
    response = client.post(
        f"/standar-pelayanan/versi/{draft.pk}/terbitkan/", {"valid_from": start.isoformat()}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.valid_from == start


def test_the_public_comments_and_reads_the_answers(client, world):
    today = timezone.localdate()
    draft = _draft(world)
    services.consultation_set(
        user=world.users["head_a"], standard=draft, opens_on=today, closes_on=today + timedelta(7)
    )
    page = client.get("/layanan/ktp-el/")
    assert 'data-testid="comment-form"' in page.content.decode()
    # The form says what happens to the name and contact (UU 27/2022), before anything is sent.
    assert 'data-testid="privacy-notice"' in page.content.decode()
    assert "Your name and phone or e-mail if you give them" in page.content.decode()
    assert "private" in page["Cache-Control"]  # the form's CSRF token is nobody else's
    response = client.post(
        "/layanan/ktp-el/konsultasi/",
        {"text": "Tambah loket Sabtu. Hubungi 081234567890", "contact": "budi@contoh.id"},
    )
    assert response.status_code == 200 and b"comment-thanks" in response.content
    comment = ConsultationComment.objects.get()
    assert comment.contact == "budi@contoh.id"
    assert "Tambah loket Sabtu" not in client.get("/layanan/ktp-el/").content.decode()
    # The unit answers: published, the phone masked, the contact never shown.
    client.force_login(world.users["head_a"])
    response = client.post(
        f"/standar-pelayanan/komentar/{comment.pk}/jawab/",
        {f"c{comment.pk}-answer": "Kami buka loket Sabtu.", "action": "answer"},
    )
    assert response.status_code == 302
    client.logout()
    page = client.get("/layanan/ktp-el/").content.decode()
    assert "Tambah loket Sabtu. Hubungi •••" in page and "Kami buka loket Sabtu." in page
    assert "081234567890" not in page and "budi@contoh.id" not in page
    # A robot fills the hidden field: refused.
    response = client.post("/layanan/ktp-el/konsultasi/", {"text": "x", "situs_web": "http://"})
    assert response.status_code == 400 and ConsultationComment.objects.count() == 1


def test_the_record_stays_with_the_version_on_the_transparency_page(client, world):
    today = timezone.localdate()
    draft = _draft(world)
    consultation = services.consultation_set(
        user=world.users["head_a"], standard=draft, opens_on=today, closes_on=today
    )
    comment = services.consultation_comment_submit(consultation=consultation, text="Setuju")
    services.consultation_comment_answer(
        user=world.users["head_a"], comment=comment, answer="Terima kasih."
    )
    consultation.opens_on = consultation.closes_on = today - timedelta(days=1)
    consultation.save()
    services.standard_publish(user=world.users["admin"], standard=draft, valid_from=today)
    page = client.get("/transparansi/loket-a/").content.decode()
    assert 'data-testid="consultation-record-ktp-el"' in page and "Terima kasih." in page
    page = client.get("/layanan/ktp-el/").content.decode()
    assert 'data-testid="consultation-record"' in page and "Setuju" in page


def test_the_admin_picks_services_units_and_employees_by_name(client, world):
    client.force_login(world.users["admin"])
    for path in (
        "/admin/organisation/employee/add/",
        "/admin/catalogue/servicestandard/add/",
        "/admin/catalogue/service/add/",
        "/admin/accounts/roleassignment/add/",
    ):
        page = client.get(path).content.decode()
        assert "admin-autocomplete" in page and "vForeignKeyRawIdAdminField" not in page, path
    found = client.get(
        "/admin/autocomplete/",
        {"term": "KTP", "app_label": "catalogue", "model_name": "servicestandard",
         "field_name": "service"},
    ).json()  # fmt: skip
    assert [r["text"] for r in found["results"]] == ["Penerbitan KTP-el"]
