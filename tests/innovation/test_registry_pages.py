"""The registry and idea pages for each persona: what each one sees and may do, the forms
through the write functions, refusals shown on the form (in Indonesian too), and the prefilled
links from a roadmap action, a complaint category and an SKM unsur."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.utils import translation

from sigap.innovation.models import Endorsement, Idea, Innovation
from tests.innovation.registry_helpers import applied, colleague, innovation, roadmap_action

pytestmark = pytest.mark.django_db


def _login(client, world, persona):  # type: ignore[no-untyped-def]
    client.force_login(world.users[persona])


def _rows(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def test_the_registry_lists_the_innovations_of_ones_units_only(client, world):
    mine = innovation(world, name="Cek berkas daring")
    other = innovation(
        world,
        actor="hr",
        name="Rujukan tanpa antre",
        units=[world.puskesmas_b],
        services=[world.rujukan],
        urusan="health",
        kind="non_digital",
    )
    _login(client, world, "officer_a")
    page = _rows(client.get("/inovasi/"))
    assert "Cek berkas daring" in page and "Rujukan tanpa antre" not in page
    assert 'data-testid="innovation-new-link"' not in page  # an officer does not register
    _login(client, world, "leadership")
    page = _rows(client.get("/inovasi/"))
    assert "Cek berkas daring" in page and "Rujukan tanpa antre" in page
    assert client.get(f"/inovasi/{other.pk}/").status_code == 200
    _login(client, world, "officer_b")
    assert client.get(f"/inovasi/{mine.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("tahap=applied", "Cek berkas daring", "Rujukan tanpa antre"),
        ("tahap=initiative", "Rujukan tanpa antre", "Cek berkas daring"),
        ("urusan=health", "Rujukan tanpa antre", "Cek berkas daring"),
        ("jenis=digital", "Cek berkas daring", "Rujukan tanpa antre"),
        ("unit={b}", "Rujukan tanpa antre", "Cek berkas daring"),
        ("unit={dinkes}", "Rujukan tanpa antre", "Cek berkas daring"),
    ],
)
def test_the_registry_filters(client, world, query, shown, hidden):
    applied(world, name="Cek berkas daring")
    innovation(
        world,
        actor="hr",
        name="Rujukan tanpa antre",
        units=[world.puskesmas_b],
        services=[world.rujukan],
        urusan="health",
        kind="non_digital",
    )
    _login(client, world, "hr")
    query = query.format(b=world.puskesmas_b.pk, dinkes=world.dinkes.pk)
    page = _rows(client.get(f"/inovasi/?{query}"))
    assert shown in page and hidden not in page


@pytest.mark.parametrize(
    "query", ["tahap=x", "urusan=pendidikan", "unit=abc", "unit=99999", "page=-1"]
)
def test_a_bad_filter_is_ignored(client, world, query):
    innovation(world)
    _login(client, world, "hr")
    response = client.get(f"/inovasi/?{query}")
    assert response.status_code == 200
    assert "Cek berkas daring sebelum datang" in _rows(response)


def test_the_head_registers_an_innovation_through_the_form(client, world):
    _login(client, world, "head_a")
    form = client.get("/inovasi/baru/")
    assert "Surat Rujukan" not in _rows(form)  # only services of the head's units
    response = client.post(
        "/inovasi/baru/",
        {
            "name": "Antrean daring KTP-el",
            "initiator": "asn",
            "initiator_name": "Bambang Wijaya",
            "form": "public_service",
            "kind": "digital",
            "urusan": "civil_registration",
            "initiated_on": "2025-01-06",
            "units": [world.counter_a.pk],
            "services": [world.ktp.pk],
            "design": "Nomor antrean diambil dari rumah.",
            "video_url": "https://video.example.org/antrean",
        },
    )
    made = Innovation.objects.get(name="Antrean daring KTP-el")
    assert response.status_code == 302 and response["Location"] == f"/inovasi/{made.pk}/"
    page = _rows(client.get(response["Location"]))
    assert "Population administration and civil registration" in page
    assert "Penerbitan KTP-el" in page and "Initiative" in page


def test_the_indicator_it_aims_to_improve_is_chosen_on_the_form_and_shown(client, world):
    _login(client, world, "head_a")
    profile = {
        "name": "Pra-periksa berkas KTP-el",
        "initiator": "unit",
        "form": "public_service",
        "kind": "digital",
        "urusan": "civil_registration",
        "initiated_on": "2025-01-06",
        "units": [world.counter_a.pk],
        "services": [world.ktp.pk],
    }
    refused = client.post("/inovasi/baru/", profile | {"target_kpi": "happiness"})
    assert refused.status_code == 200 and not Innovation.objects.exists()
    response = client.post("/inovasi/baru/", profile | {"target_kpi": "first_time_right"})
    made = Innovation.objects.get()
    assert response.status_code == 302 and made.target_kpi == "first_time_right"
    page = client.get(f"/inovasi/{made.pk}/").content.decode()
    assert 'data-testid="innovation-target">Files right the first time<' in page
    form = client.get(f"/inovasi/{made.pk}/ubah/").content.decode()
    assert '<option value="first_time_right" selected>' in form
    # Left at "None declared" on an edit: none.
    client.post(f"/inovasi/{made.pk}/ubah/", profile | {"target_kpi": ""})
    made.refresh_from_db()
    assert made.target_kpi == ""
    assert 'data-testid="innovation-target">None declared<' in _rows(
        client.get(f"/inovasi/{made.pk}/")
    )


def test_a_service_of_another_unit_is_refused_on_the_form(client, world):
    _login(client, world, "hr")
    response = client.post(
        "/inovasi/baru/",
        {
            "name": "Antrean daring",
            "initiator": "unit",
            "form": "public_service",
            "kind": "digital",
            "urusan": "civil_registration",
            "initiated_on": "2025-01-06",
            "units": [world.counter_a.pk],
            "services": [world.rujukan.pk],
        },
    )
    assert response.status_code == 200
    assert "not offered by the chosen units: Surat Rujukan" in _rows(response)
    assert not Innovation.objects.exists()


def test_the_head_moves_the_stage_and_sees_the_refusal_in_indonesian(client, world):
    made = innovation(world)
    _login(client, world, "head_a")
    response = client.post(f"/inovasi/{made.pk}/tahap/", {"stage": "trial", "on": "2025-02-03"})
    assert response.status_code == 302
    with translation.override("id"):
        client.cookies["django_language"] = "id"
        refused = client.post(
            f"/inovasi/{made.pk}/tahap/",
            {"stage": "applied", "on": "2025-02-01"},
            HTTP_ACCEPT_LANGUAGE="id",
        )
    assert refused.status_code == 200
    assert "Penerapan tidak dapat dimulai sebelum uji coba" in _rows(refused)
    made.refresh_from_db()
    assert made.stage == "trial" and made.applied_on is None
    client.cookies["django_language"] = "en"
    ok = client.post(f"/inovasi/{made.pk}/tahap/", {"stage": "applied", "on": "2025-03-03"})
    assert ok.status_code == 302
    page = _rows(client.get(f"/inovasi/{made.pk}/"))
    assert 'data-testid="replicate-link"' in page


def test_an_officer_and_leadership_cannot_change_an_innovation(client, world):
    made = innovation(world)
    for persona in ("officer_a", "leadership", "inspector"):
        _login(client, world, persona)
        assert client.get(f"/inovasi/{made.pk}/").status_code == 200
        page = _rows(client.get(f"/inovasi/{made.pk}/"))
        assert 'data-testid="stage-link"' not in page
        response = client.post(f"/inovasi/{made.pk}/tahap/", {"stage": "trial", "on": "2025-02-03"})
        assert response.status_code == 403
    made.refresh_from_db()
    assert made.stage == "initiative"


def test_the_head_edits_the_profile(client, world):
    made = innovation(world)
    _login(client, world, "head_a")
    form = _rows(client.get(f"/inovasi/{made.pk}/ubah/"))
    assert "Cek berkas daring sebelum datang" in form and 'name="initiated_on"' not in form
    response = client.post(
        f"/inovasi/{made.pk}/ubah/",
        {
            "name": "Cek berkas daring",
            "initiator": "unit",
            "form": "public_service",
            "kind": "digital",
            "urusan": "civil_registration",
            "units": [world.counter_a.pk],
            "services": [world.ktp.pk],
            "results": "Berkas kembali turun separuh.",
        },
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.name == "Cek berkas daring" and made.results == "Berkas kembali turun separuh."


def test_hr_records_a_replication_with_its_replica_and_both_pages_link(client, world):
    original = applied(world)
    _login(client, world, "hr")
    response = client.post(
        f"/inovasi/{original.pk}/replikasi/",
        {"adopter_unit": world.puskesmas_b.pk, "create_replica": "on", "adopted_on": "2025-06-02"},
    )
    assert response.status_code == 302
    replica = Innovation.objects.get(replication_of=original)
    page = _rows(client.get(f"/inovasi/{original.pk}/"))
    assert "Puskesmas B" in page and f"/inovasi/{replica.pk}/" in page
    assert f"/inovasi/{original.pk}/" in _rows(client.get(f"/inovasi/{replica.pk}/"))


def test_a_replication_before_the_application_is_refused_on_the_form(client, world):
    original = applied(world)
    _login(client, world, "head_a")
    response = client.post(
        f"/inovasi/{original.pk}/replikasi/",
        {"adopter_region": "Kota Bandung", "adopted_on": "2025-03-01"},
    )
    assert response.status_code == 200
    assert "cannot precede the original" in _rows(response)
    response = client.post(f"/inovasi/{original.pk}/replikasi/", {"adopted_on": "2025-06-01"})
    assert "either a unit of the agency or another region" in _rows(response)


# --- ideas ---------------------------------------------------------------------------------------


def test_an_officer_proposes_from_a_roadmap_action_a_colleague_endorses_the_head_accepts(
    client, world
):
    action = roadmap_action(world.counter_a)
    _login(client, world, "officer_a")
    form = _rows(client.get(f"/inovasi/ide/baru/?sumber=roadmap&aksi={action.pk}"))
    assert f'<option value="{action.pk}" selected>' in form
    assert 'value="roadmap" selected' in form
    response = client.post(
        "/inovasi/ide/baru/",
        {
            "unit": world.counter_a.pk,
            "title": "Verifikasi berkas sebelum datang",
            "problem": "Verifikasi lambat.",
            "proposal": "Unggah berkas lebih dulu.",
            "source": "roadmap",
            "roadmap_action": action.pk,
        },
    )
    idea = Idea.objects.get()
    assert response.status_code == 302 and idea.roadmap_action == action
    page = _rows(client.get(f"/inovasi/ide/{idea.pk}/"))
    assert "Percepat verifikasi berkas" in page and 'data-testid="endorse-form"' not in page

    rina = colleague(world)
    client.force_login(rina.user)
    assert 'data-testid="endorse-form"' in _rows(client.get(f"/inovasi/ide/{idea.pk}/"))
    assert client.post(f"/inovasi/ide/{idea.pk}/dukung/").status_code == 302
    assert Endorsement.objects.filter(idea=idea, employee=rina).exists()
    page = _rows(client.get(f"/inovasi/ide/{idea.pk}/"))
    assert "Rina Kartika" in page and 'data-testid="accept-form"' not in page

    _login(client, world, "head_a")
    response = client.post(
        f"/inovasi/ide/{idea.pk}/terima/",
        {"form": "public_service", "kind": "digital", "urusan": "civil_registration"},
    )
    made = Innovation.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/inovasi/{made.pk}/"
    assert "Verifikasi berkas sebelum datang" in _rows(client.get("/inovasi/"))


def test_an_incomplete_acceptance_is_sent_back_with_the_field_named(client, world):
    idea = _idea(world)
    _login(client, world, "head_a")
    response = client.post(
        f"/inovasi/ide/{idea.pk}/terima/", {"form": "public_service"}, follow=True
    )
    page = _rows(response)
    assert "Kind (jenis): This field is required." in page
    idea.refresh_from_db()
    assert idea.status == "proposed"


def test_the_head_declines_with_a_reason(client, world):
    idea = _idea(world)
    _login(client, world, "head_a")
    page = _rows(client.post(f"/inovasi/ide/{idea.pk}/tolak/", {"decision_note": ""}, follow=True))
    assert "Say why the idea is not taken up." in page
    client.post(f"/inovasi/ide/{idea.pk}/tolak/", {"decision_note": "Sudah ada di SIAK"})
    idea.refresh_from_db()
    assert idea.status == "declined"
    _login(client, world, "officer_a")
    assert "Sudah ada di SIAK" in _rows(client.get(f"/inovasi/ide/{idea.pk}/"))


def test_a_colleague_cannot_decide_and_another_unit_cannot_see(client, world):
    idea = _idea(world)
    rina = colleague(world)
    client.force_login(rina.user)
    assert client.post(f"/inovasi/ide/{idea.pk}/tolak/", {"decision_note": "x"}).status_code == 403
    _login(client, world, "officer_b")
    assert client.get(f"/inovasi/ide/{idea.pk}/").status_code == 404
    assert "Daftar periksa daring" not in _rows(client.get("/inovasi/ide/"))


def test_the_idea_list_shows_the_units_ideas_with_their_endorsements(client, world):
    idea = _idea(world)
    Endorsement.objects.create(idea=idea, employee=world.head_a, at=idea.proposed_at)
    _login(client, world, "head_a")
    page = _rows(client.get("/inovasi/ide/"))
    assert "Daftar periksa daring" in page and "Siti Rahmawati" in page
    assert "Daftar periksa daring" not in _rows(client.get("/inovasi/ide/?status=declined"))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sumber=complaints&kunci=lambat", 'value="c:lambat" selected'),
        ("sumber=skm&kunci=waktu", 'value="u:waktu" selected'),
    ],
)
def test_links_from_a_complaint_category_and_an_skm_unsur_prefill_the_form(
    client, world, query, expected
):
    _login(client, world, "officer_a")
    assert expected in _rows(client.get(f"/inovasi/ide/baru/?{query}"))


def test_a_source_of_the_wrong_kind_is_refused_on_the_form(client, world):
    _login(client, world, "officer_a")
    response = client.post(
        "/inovasi/ide/baru/",
        {
            "unit": world.counter_a.pk,
            "title": "Ide",
            "problem": "Masalah",
            "proposal": "Usul",
            "source": "skm",
            "source_key": "c:lambat",
        },
    )
    assert response.status_code == 200
    assert "Choose the SKM element (unsur)." in _rows(response)
    assert not Idea.objects.exists()


def test_the_roadmap_page_links_to_a_prefilled_idea(client, world):
    action = roadmap_action(world.counter_a)
    _login(client, world, "head_a")
    page = _rows(client.get(f"/pimpinan/peta-jalan/unit/{world.counter_a.pk}/"))
    assert f"/inovasi/ide/baru/?sumber=roadmap&amp;aksi={action.pk}" in page


def test_the_navigation_offers_the_registry_to_staff_only(client, world):
    _login(client, world, "officer_a")
    assert 'data-testid="nav-innovation"' in _rows(client.get("/inovasi/"))
    _login(client, world, "ombudsman")
    assert 'data-testid="nav-innovation"' not in _rows(client.get("/ombudsman/"))


def _idea(world):  # type: ignore[no-untyped-def]
    from sigap.innovation import services

    return services.idea_propose(
        actor=world.users["officer_a"],
        unit=world.counter_a,
        title="Daftar periksa daring",
        problem="Berkas sering kurang.",
        proposal="Daftar periksa sebelum datang.",
    )


def test_dates_on_the_detail_page(client, world):
    made = applied(world)
    _login(client, world, "head_a")
    page = _rows(client.get(f"/inovasi/{made.pk}/"))
    assert made.applied_on == date(2025, 3, 3)
    assert "in application since 3 March 2025" in page


def test_a_complaint_links_to_an_idea_about_its_category(client, world):
    from sigap.complaints.services import Reporter, complaint_submit
    from tests.conftest import local
    from tests.factories import submit

    sr = submit(world, at=local(2025, 3, 27))
    complaint = complaint_submit(
        category="lambat",
        description="Sudah lewat janji",
        reporter=Reporter(name="Ahmad Fauzi", contact="0812"),
        receipt_code=sr.receipt_code,
    )
    _login(client, world, "head_a")
    page = _rows(client.get(f"/pengaduan/{complaint.receipt_code}/"))
    link = f"/inovasi/ide/baru/?sumber=complaints&amp;kunci=lambat&amp;unit={world.counter_a.pk}"
    assert link in page
    form = _rows(client.get(link.replace("&amp;", "&")))
    assert 'value="c:lambat" selected' in form and 'value="complaints" selected' in form
    # The idea is accepted: the counter has complaints of this category.
    client.post(
        "/inovasi/ide/baru/",
        {
            "unit": world.counter_a.pk,
            "title": "Pengingat tenggat",
            "problem": "Terlambat",
            "proposal": "Pengingat",
            "source": "complaints",
            "source_key": "c:lambat",
        },
    )
    assert Idea.objects.get().source_key == "lambat"


def test_the_skm_results_link_a_weak_unsur_to_an_idea(client, world):
    from sigap.surveys.services import survey_submit

    answers = {"persyaratan": 4, "prosedur": 4, "waktu": 1, "biaya": 4, "produk": 4,
               "kompetensi": 4, "perilaku": 4, "pengaduan": 4, "sarana": 4}  # fmt: skip
    survey_submit(service=world.ktp, answers=answers)
    _login(client, world, "head_a")
    page = _rows(client.get("/skm/hasil/"))
    assert f"/inovasi/ide/baru/?sumber=skm&amp;kunci=waktu&amp;unit={world.counter_a.pk}" in page


def test_the_idea_form_offers_the_live_and_done_roadmap_actions_of_ones_units(client, world):
    live = roadmap_action(world.counter_a, title="Aksi berjalan")
    dismissed = roadmap_action(world.counter_a, title="Aksi ditolak")
    dismissed.status = "dismissed"
    dismissed.save()
    elsewhere = roadmap_action(world.puskesmas_b, title="Aksi puskesmas")
    _login(client, world, "officer_a")
    page = _rows(client.get("/inovasi/ide/baru/"))
    assert f'<option value="{live.pk}">Aksi berjalan — Loket A</option>' in page
    assert dismissed.title not in page and elsewhere.title not in page


def test_the_detail_page_shows_the_measured_effects_through_its_hook(client, world):
    made = applied(world)
    _login(client, world, "head_a")
    page = _rows(client.get(f"/inovasi/{made.pk}/"))
    assert 'data-testid="innovation-effects"' in page
    assert "Not measured yet" in page


def test_hr_reaches_the_iid_answers_of_an_applied_innovation_from_its_page(client, world):
    made = applied(world)
    _login(client, world, "hr")
    page = _rows(client.get(f"/inovasi/{made.pk}/"))
    match = re.search(
        r'href="(/inovasi/iid/\d{4}/inovasi/\d+/)" data-testid="iid-answers-link"', page
    )
    assert match is not None and match.group(1).endswith(f"/inovasi/{made.pk}/")
    assert client.get(match.group(1)).status_code == 200
    _login(client, world, "head_a")
    assert 'data-testid="iid-answers-link"' not in _rows(client.get(f"/inovasi/{made.pk}/"))


def test_an_edit_keeps_a_service_withdrawn_since_the_innovation_was_registered(client, world):
    # KTP-el is withdrawn from the catalogue after the innovation was registered on it: the
    # edit form still offers (and checks) it, and saving the profile keeps the link.
    made = applied(world)
    world.ktp.is_active = False
    world.ktp.save(update_fields=["is_active"])
    _login(client, world, "head_a")
    form = _rows(client.get(f"/inovasi/{made.pk}/ubah/"))
    assert re.search(rf'value="{world.ktp.pk}"[^>]*checked', form), form
    response = client.post(
        f"/inovasi/{made.pk}/ubah/",
        {
            "name": made.name,
            "initiator": "unit",
            "form": "public_service",
            "kind": "digital",
            "urusan": "civil_registration",
            "units": [world.counter_a.pk],
            "services": [world.ktp.pk],
            "results": "Berkas lengkap sejak awal.",
        },
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert list(made.services.all()) == [world.ktp]
    assert made.results == "Berkas lengkap sejak awal."
    # A new registration is not offered the withdrawn service.
    assert (
        f'value="{world.ktp.pk}"'
        not in _rows(client.get("/inovasi/baru/")).split('name="services"', 1)[-1]
    )


@pytest.mark.parametrize("path", ["/inovasi/baru/", "accept"])
def test_the_profile_choices_start_empty_and_must_be_chosen(client, world, path):
    # A head who does not open the urusan list must not file the innovation under the first
    # urusan (Pendidikan, a basic-service urusan that counts towards the IID coverage).
    _login(client, world, "head_a")
    if path == "accept":
        idea = _idea(world)
        page = _rows(client.get(f"/inovasi/ide/{idea.pk}/"))
        response = client.post(f"/inovasi/ide/{idea.pk}/terima/", {"note": "ok"}, follow=True)
        assert "Government affair (urusan): This field is required." in _rows(response)
        idea.refresh_from_db()
        assert idea.status == "proposed"
    else:
        page = _rows(client.get(path))
        response = client.post(
            path,
            {
                "name": "Antrean daring",
                "initiated_on": "2025-01-06",
                "units": [world.counter_a.pk],
            },
        )
        assert response.status_code == 200
        assert _rows(response).count("This field is required.") == 4  # the four choices
    for name in ("form", "kind", "urusan"):
        select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
        assert select is not None, name
        first = re.search(r"<option ([^>]*)>", select.group(1))
        assert first is not None and 'value=""' in first.group(1), (name, first)
    assert not Innovation.objects.exists()


def test_the_replication_page_of_an_innovation_not_in_application_offers_no_form(client, world):
    made = innovation(world)  # an initiative: nothing to adopt, no application date to name
    _login(client, world, "hr")
    page = _rows(client.get(f"/inovasi/{made.pk}/replikasi/"))
    assert 'data-testid="not-replicable"' in page
    assert 'data-testid="replication-form"' not in page and "(—)" not in page
    assert "Only an innovation in application can be replicated." in page


def test_an_idea_titled_like_a_registered_innovation_is_accepted_under_another_name(client, world):
    # The registry refuses a second innovation of the same name: the head names it instead.
    innovation(world, name="Daftar periksa daring")
    idea = _idea(world)  # titled "Daftar periksa daring"
    _login(client, world, "head_a")
    choice = {"form": "public_service", "kind": "digital", "urusan": "civil_registration"}
    page = _rows(client.post(f"/inovasi/ide/{idea.pk}/terima/", choice, follow=True))
    assert "Name in the registry: An innovation of this name is already registered." in page
    idea.refresh_from_db()
    assert idea.status == "proposed"
    response = client.post(
        f"/inovasi/ide/{idea.pk}/terima/", {**choice, "name": "Daftar periksa daring KTP-el"}
    )
    made = Innovation.objects.get(name="Daftar periksa daring KTP-el")
    assert response["Location"] == f"/inovasi/{made.pk}/"
    idea.refresh_from_db()
    assert idea.status == "accepted" and idea.innovation == made


def test_leadership_of_another_subtree_and_a_head_of_another_unit_get_404s(client, world):
    from sigap.accounts.models import Role
    from tests import factories

    made = applied(world)  # counter A, under Disdukcapil
    idea = _idea(world)
    lead_dinkes = factories.user("lead_dinkes", Role.LEADERSHIP, world.dinkes)
    head_b = factories.user("head_b", Role.UNIT_HEAD, world.puskesmas_b)
    factories.employee(world.puskesmas_b, "Kepala Puskesmas B", world.head_a.position, head_b)
    for user in (lead_dinkes, head_b):
        client.force_login(user)
        assert made.name not in _rows(client.get("/inovasi/"))
        assert client.get(f"/inovasi/{made.pk}/").status_code == 404
    # The other unit's head holds the manage and decide roles: every page and post of counter
    # A's innovation and idea answers as for an id that does not exist.
    choice = {"form": "public_service", "kind": "digital", "urusan": "health"}
    for path in ("ubah", "tahap", "replikasi"):
        assert client.get(f"/inovasi/{made.pk}/{path}/").status_code == 404
        assert client.post(f"/inovasi/{made.pk}/{path}/", {}).status_code == 404
    assert client.get(f"/inovasi/ide/{idea.pk}/").status_code == 404
    for path in ("dukung", "terima", "tolak"):
        response = client.post(f"/inovasi/ide/{idea.pk}/{path}/", {**choice, "decision_note": "x"})
        assert response.status_code == 404
    idea.refresh_from_db()
    assert idea.status == "proposed" and not idea.endorsements.exists()
    assert Innovation.objects.count() == 1
