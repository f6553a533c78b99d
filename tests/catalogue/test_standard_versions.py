"""Versions of a service standard (sigap.catalogue.services): drafts, the editor's rules, the
publication with its start date, and the public consultation."""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sigap.applications.services import standard_now
from sigap.audit.models import AuditEntry
from sigap.catalogue import services
from sigap.catalogue.masking import mask_personal_data
from sigap.catalogue.models import ConsultationComment, ServiceStandard
from sigap.catalogue.requirements import parse_requirements
from sigap.catalogue.selectors import consultation_records, draft_consultation, public_comments
from tests import factories
from tests.conftest import local

STEPS = [
    services.StepData("Penerimaan berkas", 15),
    services.StepData("Verifikasi", 30, role="unit_head"),
    services.StepData("Pencetakan", 20, position="Kepala Seksi", other_than="Verifikasi"),
]
REQUIREMENTS = [
    {"name": "Fotokopi KK", "kind": "document"},
    {"name": "NIK", "kind": "field"},
    {"name": "Telah berusia 17 tahun", "kind": "statement"},
    {"name": "Pas foto", "kind": "document", "optional": True},
]


def _draft(world, user=None):  # type: ignore[no-untyped-def]
    return services.standard_draft_new(user=user or world.users["head_a"], service=world.ktp)


def _save(world, draft, **over):  # type: ignore[no-untyped-def]
    kw = {
        "fields": {"sla_working_days": 2, "product": "KTP-el", "legal_basis": "UU 24/2013"},
        "requirements": REQUIREMENTS,
        "steps": STEPS,
    }
    kw.update(over)
    return services.standard_draft_save(user=world.users["head_a"], standard=draft, **kw)  # type: ignore[arg-type]


def test_a_draft_copies_the_version_in_force_and_is_never_in_force(world):
    draft = _draft(world)
    assert (draft.version, draft.valid_from, draft.is_draft) == (2, None, True)
    assert [s.name for s in draft.ordered_steps()] == [
        s.name for s in world.ktp_standard.ordered_steps()
    ]
    assert draft.requirements == world.ktp_standard.requirements
    today = timezone.localdate()
    assert world.ktp.standard_on(today) == world.ktp_standard
    assert not draft.in_force_on(today)
    assert standard_now(world.ktp) == world.ktp_standard  # what the application form reads
    with pytest.raises(ValidationError, match="already a draft"):
        _draft(world)
    assert AuditEntry.objects.filter(action="standard.draft").count() == 1


def test_only_the_units_drafters_draft(world):
    for persona in ("officer_a", "officer_b", "hr", "inspector"):
        with pytest.raises(PermissionDenied):
            _draft(world, world.users[persona])
    draft = _draft(world, world.users["admin"])  # the administrator may draft too
    with pytest.raises(PermissionDenied):  # a unit head does not publish
        services.standard_publish(
            user=world.users["head_a"], standard=draft, valid_from=timezone.localdate()
        )


def test_saving_writes_the_requirements_the_application_form_reads(world):
    draft = _save(world, _draft(world))
    parsed = parse_requirements(draft.requirements)
    assert [(r.name, r.kind.value, r.optional) for r in parsed] == [
        ("Fotokopi KK", "document", False),
        ("NIK", "field", False),
        ("Telah berusia 17 tahun", "statement", False),
        ("Pas foto", "document", True),
    ]
    steps = draft.ordered_steps()
    assert [s.order for s in steps] == [1, 2, 3]
    assert steps[1].done_by_role == "unit_head"
    assert steps[2].other_officer_than == steps[1]
    assert steps[2].done_by_position == "Kepala Seksi"
    assert draft.sla_working_days == 2


def test_saving_refuses_rows_it_cannot_read_naming_the_row(world):
    draft = _draft(world)
    with pytest.raises(ValidationError) as caught:
        _save(
            world,
            draft,
            requirements=[{"name": "KK"}, {"name": " kk "}, {"name": ""}],
            steps=[
                services.StepData("Cetak", 10, other_than="Verifikasi"),
                services.StepData("Verifikasi", 0, role="hr"),
            ],
        )
    errors = caught.value.message_dict
    assert errors["requirements"] == [
        "Requirement 2: the same name as requirement 1.",
        "Requirement 3: the name is missing.",
    ]
    assert errors["steps"] == [
        "Step 1: “another officer than” can only name an earlier step.",
        "Step 2: the expected duration is at least 1 minute.",
        "Step 2: this role does not process requests, so it cannot do a step.",
    ]
    draft.refresh_from_db()
    assert draft.steps.count() == 4  # nothing written


def test_publishing_ends_the_version_before_and_versions_never_overlap(world):
    today = timezone.localdate()
    draft = _save(world, _draft(world))
    admin = world.users["admin"]
    with pytest.raises(ValidationError, match="never in the past"):
        services.standard_publish(user=admin, standard=draft, valid_from=today - timedelta(1))
    start = today + timedelta(days=10)
    services.standard_publish(user=admin, standard=draft, valid_from=start)
    draft.refresh_from_db()
    world.ktp_standard.refresh_from_db()
    assert draft.valid_from == start and draft.valid_until is None
    assert world.ktp_standard.valid_until == start - timedelta(days=1)
    assert world.ktp.standard_on(today) == world.ktp_standard  # until the day before
    assert world.ktp.standard_on(start) == draft
    assert draft.status_on(today) == "scheduled"
    # Published: never edited again, and a next version starts after it.
    with pytest.raises(ValidationError, match="never changed"):
        _save(world, draft)
    third = _save(world, _draft(world))
    with pytest.raises(ValidationError, match="already takes effect"):
        services.standard_publish(user=admin, standard=third, valid_from=start)
    services.standard_publish(user=admin, standard=third, valid_from=start + timedelta(days=1))
    draft.refresh_from_db()
    assert draft.valid_until == start
    published = ServiceStandard.objects.filter(service=world.ktp).order_by("valid_from")
    spans = [(s.valid_from, s.valid_until) for s in published]
    for (_, end), (nxt, _) in pairwise(spans):
        assert end is not None and end < nxt


def test_a_request_submitted_meanwhile_keeps_its_version(world):
    draft = _save(world, _draft(world))
    sr = factories.submit(world, at=local(2025, 3, 27))
    services.standard_publish(
        user=world.users["admin"], standard=draft, valid_from=timezone.localdate()
    )
    sr.refresh_from_db()
    assert sr.standard_id == world.ktp_standard.pk


def test_publishing_needs_the_required_components(world):
    draft = _draft(world)
    _save(world, draft, fields={"product": "", "legal_basis": ""}, steps=[])
    with pytest.raises(ValidationError) as caught:
        services.standard_publish(
            user=world.users["admin"], standard=draft, valid_from=timezone.localdate()
        )
    assert set(caught.value.message_dict) == {"product", "legal_basis", "steps"}


def test_the_consultation_from_comment_to_the_published_record(world):
    today = timezone.localdate()
    draft = _save(world, _draft(world))
    head = world.users["head_a"]
    consultation = services.consultation_set(
        user=head, standard=draft, opens_on=today, closes_on=today + timedelta(days=14)
    )
    assert draft_consultation(world.ktp) == consultation
    first = services.consultation_comment_submit(
        consultation=consultation, text="Mohon jam layanan Sabtu. WA saya 0812-3456-7890", name=""
    )
    spam = services.consultation_comment_submit(
        consultation=consultation, text="iklan", contact="a@b.id"
    )
    assert public_comments(consultation) == []  # nothing public before the unit answers
    services.consultation_comment_answer(user=head, comment=first, answer="Kami pertimbangkan.")
    services.consultation_comment_answer(
        user=head, comment=spam, answer="Iklan, bukan komentar.", publish=False
    )
    assert public_comments(consultation) == [first]
    assert mask_personal_data(first.text) == "Mohon jam layanan Sabtu. WA saya •••"
    spam.refresh_from_db()
    assert spam.status == ConsultationComment.Status.SET_ASIDE
    with pytest.raises(PermissionDenied):
        services.consultation_comment_answer(
            user=world.users["officer_b"], comment=first, answer="x"
        )
    # Not published while the consultation is open.
    with pytest.raises(ValidationError, match="open until"):
        services.standard_publish(user=world.users["admin"], standard=draft, valid_from=today)
    services.consultation_hearing_record(
        user=head,
        consultation=consultation,
        held_on=today,
        place="Aula Disdukcapil",
        attendance=25,
        parties="Forum RT/RW, LSM",
    )
    # Closed: comments are refused, the draft is published, the record stays with it.
    consultation.closes_on = consultation.opens_on = today - timedelta(days=1)
    consultation.save()
    with pytest.raises(ValidationError, match="closed"):
        services.consultation_comment_submit(consultation=consultation, text="Telat")
    services.standard_publish(user=world.users["admin"], standard=draft, valid_from=today)
    record = consultation_records([world.ktp.standard_on(today)])
    ((c, comments),) = record.values()
    assert c.hearing_attendance == 25 and comments == [first]
    assert draft_consultation(world.ktp) is None  # no draft any more


def test_a_consultation_period_is_checked(world):
    draft = _draft(world)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as caught:
        services.consultation_set(
            user=world.users["head_a"],
            standard=draft,
            opens_on=today,
            closes_on=today - timedelta(1),
        )
    assert "closes_on" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.consultation_set(
            user=world.users["head_a"],
            standard=world.ktp_standard,  # published: no consultation any more
            opens_on=today,
            closes_on=today,
        )


def test_masking_covers_phones_emails_and_nik():
    text = "Saya Budi, +62 812 3456 7890, budi.s@mail.co.id, NIK 3201011703850001, tahun 2024."
    assert mask_personal_data(text) == "Saya Budi, •••, •••@•••, NIK •••, tahun 2024."
    # Amounts and dates stay readable: a consultation is often about the tariff.
    fee = "Tarif Rp 15.000.000 sejak 17.08.2025 terlalu mahal"
    assert mask_personal_data(fee) == fee


def test_a_draft_is_discarded_unless_the_public_commented(world):
    head = world.users["head_a"]
    draft = _draft(world)
    services.standard_draft_discard(user=head, standard=draft)
    assert not ServiceStandard.objects.filter(pk=draft.pk).exists()
    with pytest.raises(ValidationError, match="Only a draft"):
        services.standard_draft_discard(user=head, standard=world.ktp_standard)
    draft = _draft(world)  # a new one may be started again
    today = timezone.localdate()
    consultation = services.consultation_set(
        user=head, standard=draft, opens_on=today, closes_on=today
    )
    services.consultation_comment_submit(consultation=consultation, text="Setuju")
    with pytest.raises(ValidationError, match="kept"):
        services.standard_draft_discard(user=head, standard=draft)
    assert AuditEntry.objects.filter(action="standard.discard").count() == 1


def test_the_analytics_refresh_reads_no_draft(world):
    from django.db import connection

    from sigap.analytics.refresh import STANDARDS_SQL

    _draft(world)
    with connection.cursor() as cursor:
        cursor.execute(STANDARDS_SQL)
        rows = cursor.fetchall()
    assert rows and all(valid_from is not None for _code, valid_from, *_rest in rows)
