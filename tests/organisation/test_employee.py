"""Employees and the catalogue refuse impossible data with the field named."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from sigap.catalogue.models import ServiceStandard
from sigap.organisation.models import Employee, Position, Unit
from sigap.organisation.services import employee_create
from sigap.rules.nip import make_nip


def _create(world, **overrides):
    values = {
        "nip": make_nip(date(1990, 5, 2), 2015, 3, "P", 7),
        "name": "Rina Marlina",
        "status": "pns",
        "position": Position.objects.first(),
        "rank": "III/b",
        "unit": world.counter_a,
        "active_from": date(2015, 3, 1),
    }
    return employee_create(**{**values, **overrides})


def test_a_valid_employee_is_created_with_the_nip_without_spaces(world):
    nip = make_nip(date(1990, 5, 2), 2015, 3, "P", 7)
    spaced = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    assert _create(world, nip=spaced).nip == nip


@pytest.mark.parametrize(
    "nip",
    [
        "19900502201503200",  # 17 digits
        "1990050220150320071",  # 19 digits
        "199002312015032007",  # 31 February
        "199005022015132007",  # TMT month 13
        "199005022015033007",  # gender digit 3
        "199005022015032000",  # serial 000
        "200505022015032007",  # appointed at the age of 9
        "19900502201503200X",
    ],
)
def test_an_invalid_nip_is_refused_naming_the_field(world, nip):
    before = Employee.objects.count()
    with pytest.raises(ValidationError) as info:
        _create(world, nip=nip)
    assert "nip" in info.value.message_dict
    assert Employee.objects.count() == before


def test_a_pppk_number_is_checked_for_its_birth_date(world):
    assert _create(world, status="pppk", rank="9", nip="199005022021091001").status == "pppk"
    with pytest.raises(ValidationError) as info:
        _create(world, status="pppk", rank="9", nip="199013022021091001")
    assert "nip" in info.value.message_dict


@pytest.mark.parametrize(
    ("status", "rank"), [("pns", "V/a"), ("pns", "9"), ("pppk", "18"), ("pppk", "III/a")]
)
def test_a_rank_that_does_not_fit_the_status_is_refused(world, status, rank):
    nip = "199005022021091001" if status == "pppk" else make_nip(date(1990, 5, 2), 2015, 3, "P", 7)
    with pytest.raises(ValidationError) as info:
        _create(world, status=status, rank=rank, nip=nip)
    assert "rank" in info.value.message_dict


def test_a_negative_tariff_is_refused_by_the_form_and_by_the_database(world):
    standard = ServiceStandard(
        service=world.ktp,
        version=9,
        valid_from=date(2026, 1, 1),
        sla_working_days=3,
        tariff_rupiah=Decimal(-1),
        product="x",
        complaint_channel="x",
        legal_basis="x",
    )
    with pytest.raises(ValidationError) as info:
        standard.full_clean()
    assert "tariff_rupiah" in info.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        standard.save()


def test_units_keep_a_materialised_path_even_when_moved(world):
    assert world.counter_a.path == f"/{world.root.pk}/{world.dukcapil.pk}/{world.counter_a.pk}/"
    world.dukcapil.parent = world.dinkes
    world.dukcapil.save()
    world.counter_a.refresh_from_db()
    assert world.counter_a.path.startswith(world.dinkes.path)
    subtree = set(world.dinkes.subtree())
    assert subtree == {world.dinkes, world.puskesmas_b, world.dukcapil, world.counter_a}


def test_a_unit_cannot_be_moved_under_itself(world):
    world.dukcapil.parent = world.counter_a
    with pytest.raises(ValidationError) as info:
        world.dukcapil.full_clean()
    assert "parent" in info.value.message_dict
    assert Unit.objects.get(pk=world.dukcapil.pk).parent == world.root
