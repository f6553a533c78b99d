"""The onboarding page with the real imports, read in Indonesian: the imports' names and the
templates to download carry no import code ("units", "standards") and no English."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from sigap.onboarding.models import ImportKind
from sigap.onboarding.services import kind_label

pytestmark = pytest.mark.django_db


def test_the_import_kinds_are_named_in_indonesian():
    with translation.override("id"):
        assert {k: kind_label(k) for k in ImportKind.values} == {
            "units": "Struktur unit kerja",
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


# Visible words that are not Indonesian: an import's code, a setting's snake_case, English.
KIND_CODES = re.compile(r"\b(units|employees|standards|history|lapor)\b")
SNAKE_CASE = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")
ENGLISH = re.compile(
    r"\b(the|and|of|is|not|file|row|column|sheet|errors?|warnings?|problems?|severity|"
    r"dry run|apply|applied|create|update|deactivate|unchanged|import|unit tree|kept|"
    r"signed|product|category|rank|name|active|from|until|forwarded|followed|closed)\b",
    re.IGNORECASE,
)


def not_indonesian(text: str, *allowed: str) -> list[str]:
    """The words of `text` that give away English or code, once the `allowed` texts (names
    from the data, file names) are taken out."""
    for word in allowed:
        text = text.replace(word, "")
    found = [m.group(0) for p in (KIND_CODES, SNAKE_CASE, ENGLISH) for m in p.finditer(text)]
    return sorted(set(found))


def main_text(html: str) -> str:
    main = html[html.index("<main") : html.index("</main>")]
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)))


@pytest.mark.parametrize(
    ("sample_id", "broken"),
    [
        ("employees", False),
        ("employees", True),
        ("standards", False),
        ("standards", True),
        ("lapor", False),
        ("lapor", True),
    ],
)
def test_the_plan_page_of_each_sample_is_indonesian(client, settings, tmp_path, sample_id, broken):
    from tests.onboarding.test_import_fuzz import SAMPLE_FILES, Place, damage

    settings.VAR_DIR = tmp_path
    place = Place()
    sample = SAMPLE_FILES[sample_id]
    body = damage(3, 50)(sample) if broken else sample.data
    client.force_login(place.actor(sample.kind))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    home = client.get(reverse("onboarding_home"))
    assert not_indonesian(main_text(home.content.decode()), place.agency.name) == []
    response = client.post(
        reverse("onboarding_upload"),
        {"kind": sample.kind, "file": SimpleUploadedFile(sample.name, body)},
    )
    html = client.get(response["Location"]).content.decode()
    assert "Uji coba" in html
    # What comes from the file or the data is not the page's wording.
    data = [c for c in re.split(r"[;:,“”()\n]", body.decode("utf-8", "replace")) if c.strip()]
    data = sorted({c.strip() for c in data}, key=len, reverse=True)
    assert not_indonesian(main_text(html), sample.name, place.agency.name, *data) == []
