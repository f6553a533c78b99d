"""Every template the page offers is read by its import without a missing column: a person who
fills in the template never meets "column missing" for a column the template did not give."""

from __future__ import annotations

from pathlib import Path

import pytest

from sigap.onboarding.plan import IMPORTERS
from sigap.organisation.models import Agency, Unit

TEMPLATES = Path(__file__).resolve().parents[2] / "src/sigap/onboarding/static/onboarding/templates"
FILES = sorted(p for p in TEMPLATES.iterdir() if p.suffix in {".csv", ".xlsx"})


def test_there_is_a_template_for_every_import() -> None:
    kinds = {p.name.split("-", 1)[0].split(".", 1)[0] for p in FILES}
    assert kinds == set(IMPORTERS)


@pytest.mark.django_db
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_the_template_has_every_column_its_import_needs(path: Path) -> None:
    kind = path.name.split("-", 1)[0].split(".", 1)[0]
    agency = Agency.objects.create(code="contoh", name="Kabupaten Contoh", kind="kabupaten")
    Unit.objects.create(agency=agency, code="pemkab-contoh", name="Pemerintah", kind="pemda")
    plan = IMPORTERS[kind].plan(
        path.read_bytes(), path.name, agency=agency, options={"source": "aplikasi-lama"}
    )
    header_problems = [p for p in plan.problems if p.row <= 1 and p.severity == "error"]
    assert header_problems == []
    assert not [p for p in plan.warnings if p.row <= 1 and "column" in p.message.lower()]
