"""Competency fixtures: two national competencies, a technical one of the test agency and one
of another agency, and a document store of the test's own."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from django.test import override_settings
from openpyxl import Workbook

from sigap.competency.models import Competency
from sigap.organisation.models import Agency
from tests import factories


@dataclass
class Dictionary:
    pelayanan: Competency  # national (PermenPANRB 38/2017)
    integritas: Competency  # national
    verifikasi: Competency  # technical, the test agency's own
    foreign: Competency  # technical, another agency's: never offered here


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Path]:
    """The document store (certificates) in the test's own folder."""
    with override_settings(DOCUMENTS_DIR=tmp_path / "documents"):
        yield tmp_path / "documents"


@pytest.fixture
def dictionary(world: factories.World) -> Dictionary:
    def national(code: str, name: str) -> Competency:
        found, _ = Competency.objects.get_or_create(
            code=code, defaults={"name": name, "group": Competency.Group.MANAJERIAL}
        )
        return found

    other = Agency.objects.create(code="lain", name="Kota Lain", kind="kota")
    return Dictionary(
        pelayanan=national("pelayanan-publik-uji", "Pelayanan Publik Uji"),
        integritas=national("integritas-uji", "Integritas Uji"),
        verifikasi=Competency.objects.create(
            code="verifikasi-dokumen",
            name="Verifikasi dokumen kependudukan",
            group=Competency.Group.TEKNIS,
            agency=world.agency,
        ),
        foreign=Competency.objects.create(
            code="perizinan-kota-lain",
            name="Perizinan Kota Lain",
            group=Competency.Group.TEKNIS,
            agency=other,
        ),
    )


def csv_bytes(rows: Sequence[Sequence[object]], delimiter: str = ",", bom: bool = False) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def xlsx_bytes(rows: Sequence[Sequence[object]]) -> bytes:
    """A workbook as Excel writes it: dates as date cells, numbers as numbers."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append([c for c in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def as_text(rows: Sequence[Sequence[object]]) -> list[list[object]]:
    """The same rows as a CSV export writes them (dates as DD-MM-YYYY)."""
    return [[c.strftime("%d-%m-%Y") if isinstance(c, date) else c for c in row] for row in rows]
