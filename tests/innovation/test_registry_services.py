"""The write functions of the registry and of ideas: what they write, what they audit, and every
refusal, each naming its field and leaving nothing behind."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from sigap.audit.models import AuditEntry
from sigap.catalogue.models import Service
from sigap.innovation import services
from sigap.innovation.models import (
    Endorsement,
    Idea,
    Innovation,
    Replication,
    StageChange,
)
from sigap.organisation.models import Unit
from tests.innovation.registry_helpers import applied, colleague, innovation, roadmap_action

pytestmark = pytest.mark.django_db


def _fields(exc: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(exc.value.message_dict)


# --- innovation_create / innovation_update ------------------------------------------------------


def test_a_new_innovation_is_an_initiative_with_its_units_services_history_and_audit(world):
    made = innovation(world)
    assert made.stage == "initiative" and made.initiated_on == date(2025, 1, 6)
    assert made.agency_id == world.agency.pk
    assert list(made.units.all()) == [world.counter_a]
    assert list(made.services.all()) == [world.ktp]
    assert [(c.stage, c.on) for c in made.stage_changes.all()] == [("initiative", date(2025, 1, 6))]
    entry = AuditEntry.objects.get(action="innovation.create")
    assert entry.object_id == str(made.pk) and entry.unit_id == world.counter_a.pk
    assert entry.data["services"] == [world.ktp.pk]


def test_the_indicator_it_aims_to_improve_is_kept_audited_and_copied_to_a_replica(world):
    made = innovation(world, target_kpi="first_time_right")
    assert made.target_kpi == "first_time_right"
    entry = AuditEntry.objects.get(action="innovation.create")
    assert entry.data["target_kpi"] == "first_time_right"
    services.innovation_update(
        actor=world.users["head_a"],
        innovation=made,
        name=made.name,
        initiator=made.initiator,
        initiator_name=made.initiator_name,
        form=made.form,
        kind=made.kind,
        urusan=made.urusan,
        units=[world.counter_a],
        services=[world.ktp],
        design=made.design,
        target_kpi="lead_time",
    )
    update = AuditEntry.objects.get(action="innovation.update")
    assert update.data["fields"] == ["target_kpi"]
    assert (update.data["target_kpi"], update.data["target_kpi_before"]) == (
        "lead_time",
        "first_time_right",
    )
    from sigap.audit.labels import detail_lines

    with translation.override("id"):
        lines = {
            str(ln.label): str(ln.value) for ln in detail_lines("innovation.update", update.data)
        }
    assert lines["Indikator yang hendak diperbaiki"] == "Waktu penyelesaian (hari kerja)"
    assert lines["Isian"] == "Indikator yang hendak diperbaiki", lines


def test_an_unknown_indicator_to_improve_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        innovation(world, target_kpi="happiness")
    assert _fields(exc) == {"target_kpi"}
    assert not Innovation.objects.exists()


def test_hr_registers_for_any_unit_of_the_agency(world):
    made = innovation(world, actor="hr", units=[world.puskesmas_b], services=[world.rujukan])
    assert list(made.units.all()) == [world.puskesmas_b]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "x" * 301}, "name"),
        ({"initiator": "mayor"}, "initiator"),
        ({"form": "poem"}, "form"),
        ({"kind": "analog"}, "kind"),
        ({"urusan": "pendidikan"}, "urusan"),  # a key is the English snake_case one
        ({"video_url": "youtube dot com"}, "video_url"),
        ({"video_url": "javascript:alert(1)"}, "video_url"),
        ({"initiated_on": None}, "initiated_on"),
        ({"units": []}, "units"),
        ({"design": "kata " * 4001}, "design"),
    ],
)
def test_a_bad_profile_is_refused_by_field(world, changes, field):
    with pytest.raises(ValidationError) as exc:
        innovation(world, **changes)
    assert field in _fields(exc)
    assert not Innovation.objects.exists() and not StageChange.objects.exists()
    assert not AuditEntry.objects.filter(action="innovation.create").exists()


def test_an_initiative_after_today_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        innovation(world, initiated_on=timezone.localdate() + timedelta(days=1))
    assert _fields(exc) == {"initiated_on"}


def test_a_service_of_another_unit_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        innovation(world, actor="hr", services=[world.ktp, world.rujukan])
    assert _fields(exc) == {"services"}
    assert "Surat Rujukan" in exc.value.message_dict["services"][0]
    assert not Innovation.objects.exists()


def test_a_service_of_a_unit_below_a_chosen_unit_is_accepted(world):
    made = innovation(world, actor="hr", units=[world.dukcapil], services=[world.ktp])
    assert list(made.services.all()) == [world.ktp]


def test_a_unit_outside_the_actors_scope_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        innovation(world, units=[world.counter_a, world.puskesmas_b])
    assert _fields(exc) == {"units"}
    assert "Puskesmas B" in exc.value.message_dict["units"][0]


def test_an_officer_cannot_register(world):
    with pytest.raises(ValidationError) as exc:
        innovation(world, actor="officer_a")
    assert "units" in _fields(exc)


def test_units_of_two_agencies_are_refused(world):
    from sigap.organisation.models import Agency

    other = Agency.objects.create(code="lain", name="Kota Lain", kind="kota")
    far = Unit.objects.create(agency=other, code="x", name="Unit Lain", kind="opd")
    with pytest.raises(ValidationError) as exc:
        innovation(world, actor="admin", units=[world.counter_a, far], services=[])
    assert "units" in _fields(exc)


def test_an_update_changes_the_profile_and_audits_what_changed(world):
    made = innovation(world)
    services.innovation_update(
        actor=world.users["head_a"],
        innovation=made,
        name="Cek berkas daring",
        initiator="unit",
        initiator_name="Loket A",
        form="public_service",
        kind="digital",
        urusan="civil_registration",
        units=[world.counter_a],
        services=[],
        video_url="https://video.example.org/cek",
    )
    made.refresh_from_db()
    assert made.name == "Cek berkas daring" and made.video_url == "https://video.example.org/cek"
    assert not made.services.exists()
    entry = AuditEntry.objects.get(action="innovation.update")
    assert entry.data["fields"] == ["design", "name", "video_url"]
    assert (entry.data["services"], entry.data["services_before"]) == ([], [world.ktp.pk])
    assert "units" not in entry.data


def test_an_audit_entry_names_the_units_and_services(world):
    from sigap.audit.labels import detail_lines

    innovation(world)
    entry = AuditEntry.objects.get(action="innovation.create")
    lines = {line.label: line.value for line in detail_lines(entry.action, entry.data)}
    assert lines["Units"] == "Loket A" and lines["Services"] == "Penerbitan KTP-el"
    assert lines["From"] == "6 Jan 2025"


def test_an_update_by_someone_who_does_not_manage_every_unit_is_refused(world):
    made = innovation(world, actor="hr", units=[world.counter_a, world.puskesmas_b], services=[])
    with pytest.raises(PermissionDenied):
        services.innovation_update(
            actor=world.users["head_a"],
            innovation=made,
            name="Lain",
            initiator="unit",
            form="public_service",
            kind="digital",
            urusan="health",
            units=[world.counter_a],
        )
    made.refresh_from_db()
    assert made.name == "Cek berkas daring sebelum datang"


def test_an_update_with_a_stray_service_writes_nothing(world):
    made = innovation(world)
    with pytest.raises(ValidationError) as exc:
        services.innovation_update(
            actor=world.users["head_a"],
            innovation=made,
            name="Nama baru",
            initiator="unit",
            form="public_service",
            kind="digital",
            urusan="civil_registration",
            units=[world.counter_a],
            services=[world.rujukan],
        )
    assert _fields(exc) == {"services"}
    made.refresh_from_db()
    assert made.name == "Cek berkas daring sebelum datang"
    assert not AuditEntry.objects.filter(action="innovation.update").exists()


# --- innovation_set_stage ------------------------------------------------------------------------


def _stage(world, made, stage, on, note="", actor="head_a"):  # type: ignore[no-untyped-def]
    return services.innovation_set_stage(
        actor=world.users[actor], innovation=made, stage=stage, on=on, note=note
    )


def test_stages_move_forward_with_their_dates_and_history(world):
    made = applied(world)
    assert (made.stage, made.trial_on, made.applied_on) == (
        "applied",
        date(2025, 2, 3),
        date(2025, 3, 3),
    )
    assert [c.stage for c in made.stage_changes.order_by("pk")] == [
        "initiative",
        "trial",
        "applied",
    ]
    entries = AuditEntry.objects.filter(action="innovation.stage").order_by("seq")
    assert [(e.data["from"], e.data["to"]) for e in entries] == [
        ("initiative", "trial"),
        ("trial", "applied"),
    ]


def test_an_application_before_the_trial_is_refused_naming_the_trial_date(world):
    made = innovation(world)
    _stage(world, made, "trial", date(2025, 2, 3))
    with pytest.raises(ValidationError) as exc:
        _stage(world, made, "applied", date(2025, 2, 2))
    assert _fields(exc) == {"on"}
    assert "before the trial" in exc.value.message_dict["on"][0]
    made.refresh_from_db()
    assert made.stage == "trial" and made.applied_on is None
    assert made.stage_changes.count() == 2


def test_a_trial_before_the_initiative_is_refused(world):
    made = innovation(world)
    with pytest.raises(ValidationError) as exc:
        _stage(world, made, "trial", date(2025, 1, 5))
    assert _fields(exc) == {"on"}


def test_skipping_the_trial_is_refused(world):
    made = innovation(world)
    with pytest.raises(ValidationError) as exc:
        _stage(world, made, "applied", date(2025, 3, 3))
    assert _fields(exc) == {"stage"}


def test_a_stage_after_today_is_refused(world):
    made = innovation(world)
    with pytest.raises(ValidationError) as exc:
        _stage(world, made, "trial", timezone.localdate() + timedelta(days=1))
    assert _fields(exc) == {"on"}


def test_an_unknown_stage_or_a_missing_date_is_refused(world):
    made = innovation(world)
    with pytest.raises(ValidationError) as exc:
        _stage(world, made, "scaled", date(2025, 2, 3))
    assert _fields(exc) == {"stage"}
    with pytest.raises(ValidationError) as exc:
        _stage(world, made, "trial", None)
    assert _fields(exc) == {"on"}


def test_going_back_needs_a_note_and_clears_the_later_dates(world):
    made = applied(world)
    with pytest.raises(ValidationError) as exc:
        _stage(world, made, "trial", date(2025, 2, 3))
    assert _fields(exc) == {"note"}
    back = _stage(world, made, "trial", date(2025, 2, 3), note="Uji coba diulang")
    assert back.stage == "trial" and back.applied_on is None and back.trial_on == date(2025, 2, 3)
    assert back.stage_changes.order_by("pk").last().note == "Uji coba diulang"
    again = _stage(world, made, "initiative", date(2025, 1, 6), note="Dirancang ulang")
    assert again.trial_on is None and again.applied_on is None


def test_correcting_the_current_stages_date_needs_a_note(world):
    made = applied(world)
    with pytest.raises(ValidationError) as exc:
        _stage(world, made, "applied", date(2025, 3, 10))
    assert _fields(exc) == {"note"}
    with pytest.raises(ValidationError) as exc:
        _stage(world, made, "applied", date(2025, 3, 3), note="sama")
    assert _fields(exc) == {"stage"}
    fixed = _stage(world, made, "applied", date(2025, 3, 10), note="Tanggal SK")
    assert fixed.applied_on == date(2025, 3, 10)
    # A correction is still bound by the stage before it.
    with pytest.raises(ValidationError) as exc:
        _stage(world, made, "applied", date(2025, 2, 1), note="salah")
    assert _fields(exc) == {"on"}
    assert (
        AuditEntry.objects.filter(action="innovation.stage").order_by("seq").last().data["old"]
        == "2025-03-03"
    )


def test_going_back_to_the_initiative_frees_its_date_from_the_undone_trial(world):
    made = innovation(world)
    _stage(world, made, "trial", date(2025, 2, 3))
    back = _stage(world, made, "initiative", date(2025, 2, 10), note="Dirancang ulang")
    assert (back.initiated_on, back.trial_on) == (date(2025, 2, 10), None)
    with pytest.raises(ValidationError) as exc:
        _stage(world, made, "trial", date(2025, 2, 3))  # now before the new initiative
    assert _fields(exc) == {"on"}


def test_only_a_manager_of_every_unit_moves_the_stage(world):
    made = innovation(world)
    with pytest.raises(PermissionDenied):
        _stage(world, made, "trial", date(2025, 2, 3), actor="officer_a")
    with pytest.raises(PermissionDenied):
        _stage(world, made, "trial", date(2025, 2, 3), actor="leadership")
    made.refresh_from_db()
    assert made.stage == "initiative"


# --- replication_record --------------------------------------------------------------------------


def _replicate(world, original, actor="hr", **kw):  # type: ignore[no-untyped-def]
    values = {"adopted_on": date(2025, 6, 2)}
    values.update(kw)
    return services.replication_record(actor=world.users[actor], original=original, **values)


def test_a_unit_adopts_with_its_own_replica_of_the_same_service_family(world):
    Service.objects.filter(pk=world.ktp.pk).update(family="ktp-el")
    ktp_b = Service.objects.create(
        unit=world.puskesmas_b, code="ktp-el-b", name="KTP-el Keliling", family="ktp-el"
    )
    original = applied(world, target_kpi="sla_share")
    record = _replicate(world, original, adopter_unit=world.puskesmas_b, create_replica=True)
    replica = record.replica
    assert replica is not None and replica.replication_of == original
    assert replica.target_kpi == "sla_share"  # the same aim as its original
    assert (replica.stage, replica.initiated_on, replica.applied_on) == (
        "applied",
        date(2025, 6, 2),
        date(2025, 6, 2),
    )
    assert list(replica.units.all()) == [world.puskesmas_b]
    assert list(replica.services.all()) == [ktp_b]
    assert list(original.replications.all()) == [replica]
    entry = AuditEntry.objects.get(action="innovation.replication")
    assert entry.data == {
        "adopted_on": "2025-06-02",
        "adopter_unit": world.puskesmas_b.pk,
        "replica": replica.pk,
    }


def test_another_region_adopts(world):
    original = applied(world)
    record = _replicate(world, original, actor="head_a", adopter_region=" Kota  Bandung ")
    assert record.adopter_region == "Kota Bandung" and record.replica is None


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({}, "adopter"),  # neither
        ({"adopter_region": "Kota Bandung", "adopter_unit": "B"}, "adopter"),  # both
        ({"adopter_unit": "A"}, "adopter_unit"),  # the original's own unit
        ({"adopter_region": "Kota Bandung", "create_replica": True}, "create_replica"),
        ({"adopter_region": "Kota Bandung", "adopted_on": date(2025, 3, 2)}, "adopted_on"),
        ({"adopter_region": "Kota Bandung", "adopted_on": None}, "adopted_on"),
        ({"adopter_region": "K" * 201}, "adopter_region"),
    ],
)
def test_a_bad_replication_is_refused_by_field(world, kw, field):
    original = applied(world)
    units = {"A": world.counter_a, "B": world.puskesmas_b}
    if "adopter_unit" in kw:
        kw = {**kw, "adopter_unit": units[kw["adopter_unit"]]}
    with pytest.raises(ValidationError) as exc:
        _replicate(world, original, **kw)
    assert field in _fields(exc)
    assert not Replication.objects.exists()
    assert Innovation.objects.count() == 1


def test_an_adoption_before_the_original_is_applied_is_refused(world):
    original = innovation(world)
    with pytest.raises(ValidationError) as exc:
        _replicate(world, original, adopter_region="Kota Bandung")
    assert "original" in _fields(exc)


def test_an_adoption_after_today_is_refused(world):
    original = applied(world)
    with pytest.raises(ValidationError) as exc:
        _replicate(
            world,
            original,
            adopter_region="Kota Bandung",
            adopted_on=timezone.localdate() + timedelta(days=1),
        )
    assert _fields(exc) == {"adopted_on"}


def test_a_duplicate_adoption_is_refused(world):
    original = applied(world)
    _replicate(world, original, adopter_unit=world.puskesmas_b)
    _replicate(world, original, adopter_region="Kota Bandung")
    with pytest.raises(ValidationError) as exc:
        _replicate(world, original, adopter_unit=world.puskesmas_b)
    assert _fields(exc) == {"adopter_unit"}
    with pytest.raises(ValidationError) as exc:
        _replicate(world, original, adopter_region="kota bandung")
    assert _fields(exc) == {"adopter_region"}
    assert Replication.objects.count() == 2


def test_a_replica_for_a_unit_outside_the_actors_scope_is_refused(world):
    original = applied(world)
    with pytest.raises(ValidationError) as exc:
        _replicate(
            world, original, actor="head_a", adopter_unit=world.puskesmas_b, create_replica=True
        )
    assert _fields(exc) == {"create_replica"}
    # Without a replica the head of the original records the other unit's adoption.
    assert _replicate(world, original, actor="head_a", adopter_unit=world.puskesmas_b).pk


def test_an_adopted_innovation_cannot_leave_application(world):
    original = applied(world)
    _replicate(world, original, adopter_region="Kota Bandung")
    with pytest.raises(ValidationError) as exc:
        _stage(world, original, "trial", date(2025, 2, 3), note="mundur")
    assert _fields(exc) == {"stage"}


# --- ideas ---------------------------------------------------------------------------------------


def _propose(world, actor="officer_a", **kw):  # type: ignore[no-untyped-def]
    values = {
        "unit": world.counter_a,
        "title": "Formulir daring untuk perubahan data",
        "problem": "Pemohon sering kembali karena berkas kurang.",
        "proposal": "Daftar periksa daring sebelum datang.",
    }
    values.update(kw)
    return services.idea_propose(actor=world.users[actor], **values)


def test_an_officer_proposes_an_idea_of_their_own(world):
    idea = _propose(world)
    assert idea.proposed_by == world.officer_a and idea.status == "proposed"
    assert idea.source == "own" and idea.roadmap_action is None
    entry = AuditEntry.objects.get(action="idea.propose")
    assert entry.unit_id == world.counter_a.pk and entry.data == {"source": "own"}


def test_an_idea_from_a_roadmap_action_links_back(world):
    action = roadmap_action(world.counter_a)
    idea = _propose(world, source="roadmap", roadmap_action=action)
    assert idea.roadmap_action == action and list(action.ideas.all()) == [idea]


def test_an_idea_from_a_complaint_pattern_of_the_unit(world):
    from tests.conftest import local
    from tests.factories import submit

    _complaint(world, submit(world, at=local(2025, 3, 27)))
    idea = _propose(world, source="complaints", source_key="lambat")
    assert idea.source_key == "lambat"
    assert AuditEntry.objects.get(action="idea.propose").data == {
        "source": "complaints",
        "category": "lambat",
    }
    with pytest.raises(ValidationError) as exc:
        _propose(world, source="complaints", source_key="perilaku")  # none of this category
    assert _fields(exc) == {"source_key"}


def _complaint(world, sr):  # type: ignore[no-untyped-def]
    from sigap.complaints.services import Reporter, complaint_submit

    return complaint_submit(
        category="lambat",
        description="Sudah lewat janji",
        reporter=Reporter(name="Ahmad Fauzi", contact="0812"),
        receipt_code=sr.receipt_code,
    )


def test_an_skm_unsur_needs_survey_answers_of_the_unit(world):
    from sigap.surveys.services import survey_submit

    with pytest.raises(ValidationError) as exc:
        _propose(world, source="skm", source_key="waktu")
    assert _fields(exc) == {"source_key"}
    survey_submit(service=world.ktp, answers={"waktu": 1})
    with pytest.raises(ValidationError) as exc:
        _propose(world, source="skm", source_key="kecepatan")  # not an unsur
    assert _fields(exc) == {"source_key"}
    idea = _propose(world, source="skm", source_key="waktu")
    assert idea.source_key == "waktu"


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"title": " "}, "title"),
        ({"problem": ""}, "problem"),
        ({"proposal": ""}, "proposal"),
        ({"source": "rumour"}, "source"),
        ({"source": "roadmap"}, "roadmap_action"),
        ({"source": "complaints", "source_key": "bising"}, "source_key"),
        ({"source": "own", "source_key": "lambat"}, "source_key"),
    ],
)
def test_a_bad_idea_is_refused_by_field(world, kw, field):
    with pytest.raises(ValidationError) as exc:
        _propose(world, **kw)
    assert field in _fields(exc)
    assert not Idea.objects.exists() and not AuditEntry.objects.filter(action="idea.propose")


def test_a_roadmap_action_of_another_unit_is_refused(world):
    action = roadmap_action(world.puskesmas_b)
    with pytest.raises(ValidationError) as exc:
        _propose(world, source="roadmap", roadmap_action=action)
    assert _fields(exc) == {"roadmap_action"}


def test_a_roadmap_action_of_the_unit_above_is_in_the_units_line(world):
    action = roadmap_action(world.dukcapil)
    assert _propose(world, source="roadmap", roadmap_action=action).roadmap_action == action


def test_an_idea_for_a_unit_one_does_not_work_in_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        _propose(world, unit=world.puskesmas_b)
    assert _fields(exc) == {"unit"}


def test_someone_without_an_employee_record_cannot_propose(world):
    with pytest.raises(PermissionDenied):
        _propose(world, actor="hr")


def test_a_colleague_endorses_once_never_the_proposer(world):
    idea = _propose(world)
    rina = colleague(world)
    endorsement = services.idea_endorse(actor=rina.user, idea=idea)
    assert endorsement.employee == rina
    with pytest.raises(ValidationError) as exc:
        services.idea_endorse(actor=rina.user, idea=idea)
    assert _fields(exc) == {"endorsement"}
    with pytest.raises(ValidationError) as exc:
        services.idea_endorse(actor=world.users["officer_a"], idea=idea)
    assert _fields(exc) == {"endorsement"}
    assert Endorsement.objects.count() == 1
    assert AuditEntry.objects.filter(action="idea.endorse").count() == 1


def test_someone_of_another_unit_cannot_endorse(world):
    idea = _propose(world)
    with pytest.raises(PermissionDenied):
        services.idea_endorse(actor=world.users["officer_b"], idea=idea)


def test_the_head_accepts_an_idea_into_the_registry(world):
    idea = _propose(world)
    made = services.idea_accept(
        actor=world.users["head_a"],
        idea=idea,
        urusan="civil_registration",
        form="public_service",
        kind="digital",
    )
    idea.refresh_from_db()
    assert idea.status == "accepted" and idea.innovation == made and made.idea == idea
    assert made.stage == "initiative" and made.initiated_on == timezone.localdate()
    assert (made.name, made.initiator, made.initiator_name) == (
        "Formulir daring untuk perubahan data",
        "asn",
        "Siti Rahmawati",
    )
    assert list(made.units.all()) == [world.counter_a]
    assert made.design == "Daftar periksa daring sebelum datang."
    assert AuditEntry.objects.get(action="idea.accept").data == {"innovation": made.pk}
    with pytest.raises(ValidationError) as exc:
        services.idea_endorse(actor=colleague(world).user, idea=idea)
    assert _fields(exc) == {"status"}


def test_an_accept_with_a_bad_urusan_writes_nothing(world):
    idea = _propose(world)
    with pytest.raises(ValidationError) as exc:
        services.idea_accept(
            actor=world.users["head_a"], idea=idea, urusan="", form="public_service", kind="x"
        )
    assert _fields(exc) == {"urusan", "kind"}
    idea.refresh_from_db()
    assert idea.status == "proposed" and not Innovation.objects.exists()


def test_only_the_head_decides(world):
    idea = _propose(world)
    for persona in ("officer_a", "hr", "leadership"):
        with pytest.raises(PermissionDenied):
            services.idea_decline(actor=world.users[persona], idea=idea, note="Tidak")
        with pytest.raises(PermissionDenied):
            services.idea_accept(
                actor=world.users[persona],
                idea=idea,
                urusan="health",
                form="public_service",
                kind="digital",
            )


def test_a_decline_needs_a_reason_and_closes_the_idea(world):
    idea = _propose(world)
    with pytest.raises(ValidationError) as exc:
        services.idea_decline(actor=world.users["head_a"], idea=idea, note="  ")
    assert _fields(exc) == {"decision_note"}
    declined = services.idea_decline(
        actor=world.users["head_a"], idea=idea, note="Sudah ada di SIAK"
    )
    assert declined.status == "declined" and declined.decision_note == "Sudah ada di SIAK"
    with pytest.raises(ValidationError) as exc:
        services.idea_accept(
            actor=world.users["head_a"], idea=idea, urusan="health", form="other", kind="digital"
        )
    assert _fields(exc) == {"status"}


def test_the_application_date_cannot_be_corrected_past_a_recorded_adoption(world):
    # Applied 2025-03-03, adopted by Kota Bandung 2025-06-02: moving the application to
    # 2025-07-01 would make the adoption precede it (the replication refuses that order).
    original = applied(world)
    _replicate(world, original, adopter_region="Kota Bandung", adopted_on=date(2025, 6, 2))
    with pytest.raises(ValidationError) as exc:
        _stage(world, original, "applied", date(2025, 7, 1), note="koreksi")
    assert _fields(exc) == {"on"}
    assert "(2 Jun 2025)" in exc.value.message_dict["on"][0]
    original.refresh_from_db()
    assert original.applied_on == date(2025, 3, 3)
    assert StageChange.objects.filter(innovation=original).count() == 3
    # The adoption day itself, or earlier, is still a valid correction.
    _stage(world, original, "applied", date(2025, 6, 2), note="koreksi")
    original.refresh_from_db()
    assert original.applied_on == date(2025, 6, 2)


def test_the_same_innovation_registered_twice_is_refused(world):
    # A second click on "Save", or a second person registering the same innovation: the IID
    # would count it twice. Letter case and spacing do not make it another innovation.
    innovation(world, name="Cek berkas daring")
    with pytest.raises(ValidationError) as exc:
        innovation(world, actor="hr", name="  cek BERKAS   daring ")
    assert _fields(exc) == {"name"}
    assert Innovation.objects.count() == 1
    assert AuditEntry.objects.filter(action="innovation.create").count() == 1
    # Renaming another innovation to it is refused too; keeping one's own name is not.
    other = innovation(world, name="Antrean daring")
    profile = {
        "initiator": "unit",
        "form": "public_service",
        "kind": "digital",
        "urusan": "civil_registration",
        "units": [world.counter_a],
    }
    with pytest.raises(ValidationError) as exc:
        services.innovation_update(
            actor=world.users["head_a"], innovation=other, name="Cek Berkas Daring", **profile
        )
    assert _fields(exc) == {"name"}
    services.innovation_update(
        actor=world.users["head_a"], innovation=other, name="Antrean Daring", **profile
    )
    other.refresh_from_db()
    assert other.name == "Antrean Daring"


def test_the_same_idea_proposed_twice_is_refused_while_it_is_open(world):
    first = _propose(world)
    with pytest.raises(ValidationError) as exc:
        _propose(world, title="formulir daring untuk  perubahan data")
    assert _fields(exc) == {"title"}
    assert Idea.objects.count() == 1
    # A colleague may propose the same title; once the first is decided, so may its author.
    rina = colleague(world)
    assert services.idea_propose(
        actor=rina.user,
        unit=world.counter_a,
        title=first.title,
        problem="Masalah",
        proposal="Usul",
    ).pk
    services.idea_decline(actor=world.users["head_a"], idea=first, note="Belum sekarang")
    assert _propose(world).pk != first.pk


def test_a_replica_gets_the_adopters_service_of_the_same_name_when_there_is_no_family(world):
    # KTP-el has no family: the adopter's service of the same name (any letter case) is the
    # same service, as the replication candidates and the measured effects match it.
    same = Service.objects.create(unit=world.puskesmas_b, code="ktp-b", name="penerbitan ktp-el")
    Service.objects.create(unit=world.puskesmas_b, code="akta-b", name="Akta Kelahiran")
    original = applied(world)
    record = _replicate(world, original, adopter_unit=world.puskesmas_b, create_replica=True)
    assert record.replica is not None
    assert list(record.replica.services.all()) == [same]
