"""The onboarding page with the real imports, read in Indonesian: the imports' names and the
templates to download carry no import code ("units", "standards") and no English."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from sigap.onboarding.models import ImportKind
from sigap.onboarding.services import kind_label

pytestmark = pytest.mark.django_db


def test_the_import_kinds_are_named_in_indonesian():
    with translation.override("id"):
        assert {k: kind_label(k) for k in ImportKind.values} == {
            "units": "Susunan unit",
            "employees": "Pegawai",
            "standards": "Standar pelayanan",
            "history": "Riwayat permohonan",
            "lapor": "Laporan SP4N-LAPOR!",
        }


def test_the_templates_are_offered_under_a_name_without_the_import_code(client, world):
    client.force_login(world.users["admin"])
    html = client.get(reverse("onboarding_home"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert (
        '<a href="/static/onboarding/templates/units-unit-kerja.csv" download="unit-kerja.csv">'
        "unit-kerja.csv</a>"
    ) in html
    assert (
        '<a href="/static/onboarding/templates/standards-standar-pelayanan.xlsx" '
        'download="standar-pelayanan.xlsx">standar-pelayanan.xlsx</a>'
    ) in html
