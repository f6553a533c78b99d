"""The dictionary, the agency's standards per position and the step links: reads, audited
writes, the XLSX import (all or nothing, errors by file, row and column) and its export."""

from __future__ import annotations

import importlib
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from openpyxl import Workbook

from sigap.audit.models import AuditEntry
from sigap.competency import dictionary, labels, standards
from sigap.competency.models import (
    Competency,
    CompetencyLevel,
    PositionRequirement,
    StandardVersion,
    StepCompetency,
)
from sigap.competency.standards_xlsx import read_rows, version_xlsx
from sigap.rules.competency import jpm
from tests.competency.conftest import damaged_sheet

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _dictionary(request: pytest.FixtureRequest) -> None:
    """The national dictionary, as the migration leaves it (a browser module's flush, earlier
    in the same worker, empties the tables the migrations filled)."""
    if "db" in request.fixturenames or "world" in request.fixturenames:
        request.getfixturevalue("db")
        dictionary.install(Competency, CompetencyLevel)


def technical(world, code: str = "verifikasi-dokumen", name: str = "Verifikasi dokumen"):
    return standards.technical_competency_save(
        actor=world.users["hr"],
        agency=world.agency,
        name=name,
        code=code,
        definition="Memeriksa keabsahan dokumen kependudukan.",
        levels=[f"Tingkat {n}" for n in range(1, 6)],
    )


def version_with(world, valid_from: date, levels: dict[str, int]) -> StandardVersion:
    """A version (made directly: its date may lie in the past) with levels of officer A's
    position by competency code."""
    version = StandardVersion.objects.create(agency=world.agency, valid_from=valid_from)
    for code, level in levels.items():
        PositionRequirement.objects.create(
            version=version,
            position=world.officer_a.position,
            competency=Competency.objects.get(code=code),
            level=level,
        )
    return version


# --- the national dictionary -------------------------------------------------------------------


def test_the_migration_installed_the_nine_competencies_with_five_levels(db):
    national = Competency.objects.filter(agency=None).order_by("code")
    assert sorted(c.code for c in national) == sorted(dictionary.CODES)
    assert len(dictionary.CODES) == 9 and len(dictionary.MANAJERIAL_CODES) == 8
    assert Competency.objects.get(code=dictionary.PEREKAT_BANGSA).group == "sosial_kultural"
    for competency in national:
        assert list(competency.levels.values_list("level", flat=True)) == [1, 2, 3, 4, 5]
        assert competency.definition
    first = CompetencyLevel.objects.get(competency__code=dictionary.PELAYANAN_PUBLIK, level=1)
    assert first.description == "Menjalankan pelayanan sesuai standar."


def test_install_is_idempotent_and_repairs_an_edited_text(db):
    assert dictionary.install(Competency, CompetencyLevel) == 0
    CompetencyLevel.objects.filter(competency__code=dictionary.KOMUNIKASI, level=3).update(
        description="diubah"
    )
    Competency.objects.filter(code=dictionary.INTEGRITAS).update(name="Jujur")
    assert dictionary.install(Competency, CompetencyLevel) == 2
    assert dictionary.install(Competency, CompetencyLevel) == 0
    assert Competency.objects.get(code=dictionary.INTEGRITAS).name == "Integritas"
    assert CompetencyLevel.objects.filter(competency__code__in=dictionary.CODES).count() == 45


def test_the_migration_is_reversible(db):
    """Its two functions run as the migration runs them (with an app registry); not through
    the migration executor, whose SQLite schema editor cannot run inside a test's transaction
    (and a transactional test's flush would empty the dictionary for the tests after it)."""
    from django.apps import apps

    migration = importlib.import_module("sigap.competency.migrations.0002_national_dictionary")
    operation = migration.Migration.operations[0]
    assert operation.reversible
    operation.reverse_code(apps, None)
    assert not Competency.objects.filter(code__in=dictionary.CODES).exists()
    assert not CompetencyLevel.objects.exists()
    operation.code(apps, None)
    operation.code(apps, None)
    assert Competency.objects.filter(code__in=dictionary.CODES).count() == 9
    assert CompetencyLevel.objects.count() == 45


# --- reads -------------------------------------------------------------------------------------


def test_standard_on_and_the_required_levels_pick_the_version_in_force(world):
    old = version_with(world, date(2025, 1, 1), {dictionary.PELAYANAN_PUBLIK: 2})
    new = version_with(world, date(2026, 1, 1), {dictionary.PELAYANAN_PUBLIK: 3,
                                                 dictionary.KOMUNIKASI: 2})  # fmt: skip
    assert standards.standard_on(world.agency, date(2024, 12, 31)) is None
    assert standards.standard_on(world.agency, date(2025, 6, 1)) == old
    assert standards.standard_on(world.agency, date(2026, 1, 1)) == new
    assert world.agency.pk not in standards.versions_in_force(date(2024, 12, 31))
    assert standards.versions_in_force(date(2025, 6, 1))[world.agency.pk] == old
    position = world.officer_a.position
    codes = dict(Competency.objects.values_list("pk", "code"))

    def required(day: date, position_id: int) -> dict[str, int]:
        version = standards.versions_in_force(day).get(world.agency.pk)
        levels = standards.required_levels(version, [position_id])
        return {codes[c]: lv for c, lv in levels.get(position_id, {}).items()}

    assert required(date(2024, 12, 31), position.pk) == {}
    assert required(date(2025, 6, 1), position.pk) == {dictionary.PELAYANAN_PUBLIK: 2}
    assert required(date(2026, 2, 1), position.pk) == {
        dictionary.PELAYANAN_PUBLIK: 3,
        dictionary.KOMUNIKASI: 2,
    }
    assert required(date(2026, 2, 1), world.head_a.position.pk) == {}


# --- writes ------------------------------------------------------------------------------------


def test_a_new_version_copies_the_latest_and_is_audited(world):
    latest = version_with(world, date(2025, 1, 1), {dictionary.PELAYANAN_PUBLIK: 2})
    later = TODAY + timedelta(days=10)
    version = standards.standard_version_new(
        actor=world.users["hr"], agency=world.agency, valid_from=later, note="SK 12/2026"
    )
    assert standards.version_requirements(version) == standards.version_requirements(latest)
    entry = AuditEntry.objects.get(action="competency.standard_new")
    assert entry.data["rows"] == 1 and entry.unit == world.root


@pytest.mark.parametrize("offset", [0, -1])
def test_a_new_version_never_takes_effect_today_or_earlier(world, offset):
    version_with(world, date(2025, 1, 1), {})
    with pytest.raises(ValidationError):
        standards.standard_version_new(
            actor=world.users["hr"], agency=world.agency, valid_from=TODAY + timedelta(offset)
        )


def test_the_agencys_first_version_may_take_effect_in_the_past(world):
    version = standards.standard_version_new(
        actor=world.users["hr"], agency=world.agency, valid_from=date(2025, 1, 1)
    )
    assert version.requirements.count() == 0


@pytest.mark.parametrize("persona", ["head_a", "leadership", "officer_a"])
def test_only_hr_writes_standards(world, persona):
    with pytest.raises(PermissionDenied):
        standards.standard_version_new(
            actor=world.users[persona], agency=world.agency, valid_from=TODAY + timedelta(5)
        )


def test_levels_of_a_scheduled_version_are_set_and_dropped(world):
    version = version_with(world, TODAY + timedelta(days=5), {dictionary.PELAYANAN_PUBLIK: 2})
    position = world.officer_a.position.pk
    service = Competency.objects.get(code=dictionary.PELAYANAN_PUBLIK).pk
    talk = Competency.objects.get(code=dictionary.KOMUNIKASI).pk
    changed = standards.standard_levels_set(
        actor=world.users["hr"],
        version=version,
        levels={(position, service): None, (position, talk): 4},
    )
    assert changed == 2
    assert standards.version_requirements(version) == {position: {talk: 4}}
    assert AuditEntry.objects.get(action="competency.standard_edit").data["changes"] == 2


@pytest.mark.parametrize("level", [0, 6, True, "3"])
def test_a_level_outside_1_to_5_is_refused(world, level):
    version = version_with(world, TODAY + timedelta(days=5), {})
    talk = Competency.objects.get(code=dictionary.KOMUNIKASI).pk
    with pytest.raises(ValidationError):
        standards.standard_levels_set(
            actor=world.users["hr"],
            version=version,
            levels={(world.officer_a.position.pk, talk): level},
        )
    assert not version.requirements.exists()


@pytest.mark.parametrize("offset", [0, -30])
def test_a_version_in_force_or_past_is_never_edited(world, offset):
    version = version_with(world, TODAY + timedelta(days=offset), {dictionary.KOMUNIKASI: 2})
    talk = Competency.objects.get(code=dictionary.KOMUNIKASI).pk
    with pytest.raises(ValidationError):
        standards.standard_levels_set(
            actor=world.users["hr"],
            version=version,
            levels={(world.officer_a.position.pk, talk): 3},
        )
    assert version.requirements.get().level == 2


def test_technical_competency_with_five_levels_and_a_unique_code(world):
    competency = technical(world)
    assert competency.group == "teknis" and competency.agency == world.agency
    assert competency.levels.count() == 5
    with pytest.raises(ValidationError) as caught:
        technical(world, code=dictionary.KOMUNIKASI, name="Lain")
    assert "code" in caught.value.message_dict
    with pytest.raises(ValidationError):
        standards.technical_competency_save(
            actor=world.users["hr"], agency=world.agency, name="X", code="x", definition="",
            levels=["satu", "dua", "", "empat", "lima"],
        )  # fmt: skip
    national = Competency.objects.get(code=dictionary.KOMUNIKASI)
    with pytest.raises(PermissionDenied):
        standards.technical_competency_save(
            actor=world.users["hr"], agency=world.agency, name="Komunikasi", code="komunikasi",
            definition="", levels=["a"] * 5, competency=national,
        )  # fmt: skip


def test_step_links_are_set_for_steps_of_the_standard_in_force(world):
    competency = technical(world)
    added, removed = standards.step_competencies_set(
        actor=world.users["hr"],
        service=world.ktp,
        step="Verifikasi",
        competency_ids=[competency.pk],
    )
    assert (added, removed) == (1, 0)
    assert StepCompetency.objects.get().step == "Verifikasi"
    entry = AuditEntry.objects.get(action="competency.step_link")
    assert entry.data["added"] == [competency.code]
    assert standards.step_competencies_set(
        actor=world.users["hr"], service=world.ktp, step="Verifikasi", competency_ids=[]
    ) == (0, 1)
    with pytest.raises(ValidationError):
        standards.step_competencies_set(
            actor=world.users["hr"], service=world.ktp, step="Menari", competency_ids=[]
        )
    national = Competency.objects.get(code=dictionary.KOMUNIKASI)
    with pytest.raises(ValidationError):
        standards.step_competencies_set(
            actor=world.users["hr"], service=world.ktp, step="Verifikasi",
            competency_ids=[national.pk],
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        standards.step_competencies_set(
            actor=world.users["head_a"], service=world.ktp, step="Verifikasi", competency_ids=[]
        )


# --- XLSX import and export --------------------------------------------------------------------


def xlsx(rows: list[list[object]], header=("Jabatan", "Kode kompetensi", "Level")) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def import_file(world, data: bytes, valid_from: date | None = None, name: str = "skj.xlsx"):
    rows, columns = read_rows(data, name)
    return standards.standard_import(
        actor=world.users["hr"],
        agency=world.agency,
        valid_from=valid_from or TODAY + timedelta(days=20),
        rows=rows,
        filename=name,
        columns=columns,
    )


def test_an_exported_version_imports_back_unchanged(world):
    competency = technical(world)
    source = version_with(world, date(2025, 1, 1), {dictionary.PELAYANAN_PUBLIK: 2,
                                                    dictionary.KOMUNIKASI: 1,
                                                    competency.code: 3})  # fmt: skip
    PositionRequirement.objects.create(
        version=source, position=world.head_a.position,
        competency=Competency.objects.get(code=dictionary.PENGAMBILAN_KEPUTUSAN), level=3,
    )  # fmt: skip
    copy = import_file(world, version_xlsx(source))
    assert standards.version_requirements(copy) == standards.version_requirements(source)
    assert AuditEntry.objects.get(action="competency.standard_import").data["rows"] == 4


def test_levels_typed_as_text_or_decimals_are_read(world):
    position = world.officer_a.position.name
    version = import_file(
        world, xlsx([[position, "Komunikasi ", "2"], [f"  {position.upper()}", "integritas", 3.0]])
    )
    assert sorted(version.requirements.values_list("level", flat=True)) == [2, 3]


def test_a_bad_file_is_refused_whole_naming_file_row_and_column(world):
    position = world.officer_a.position.name
    data = xlsx(
        [
            [position, dictionary.KOMUNIKASI, 2],  # row 2: fine
            ["Juru Masak", dictionary.KOMUNIKASI, 2],  # row 3: unknown position
            [position, "menari", 2],  # row 4: unknown competency
            [position, dictionary.INTEGRITAS, 6],  # row 5: level outside 1–5
            [position, dictionary.INTEGRITAS, "tinggi"],  # row 6: not a level
            [position, dictionary.KOMUNIKASI, 3],  # row 7: duplicate of row 2
        ]
    )
    before = StandardVersion.objects.count()
    with pytest.raises(standards.ImportFailed) as caught:
        import_file(world, data, name="skj-2027.xlsx")
    problems = caught.value.problems
    assert len(problems) == 5
    assert all(p.startswith("skj-2027.xlsx, row ") for p in problems)
    assert "row 3, column A (Jabatan)" in problems[0] and "Juru Masak" in problems[0]
    assert "row 4, column B (Kode kompetensi)" in problems[1]
    assert "row 5, column C (Level)" in problems[2]
    assert "row 6, column C (Level)" in problems[3]
    assert "row 7, column B" in problems[4] and "row 2" in problems[4]
    assert StandardVersion.objects.count() == before
    assert not PositionRequirement.objects.exists()


def test_a_file_that_is_not_a_workbook_or_lacks_a_column(world):
    with pytest.raises(standards.ImportFailed) as caught:
        read_rows(b"%PDF-1.7 not a workbook", "skj.xlsx")
    assert caught.value.problems == ["skj.xlsx is not an XLSX workbook."]
    with pytest.raises(standards.ImportFailed) as caught:
        read_rows(xlsx([["a", 1]], header=("Jabatan", "Level")), "skj.xlsx")
    assert caught.value.problems == ["skj.xlsx, row 1: the column Kode kompetensi is missing."]
    with pytest.raises(standards.ImportFailed) as caught:
        import_file(world, xlsx([]))
    assert caught.value.problems == ["skj.xlsx has no rows under its header."]


def test_an_import_may_not_rewrite_history(world):
    version_with(world, date(2025, 1, 1), {})
    data = xlsx([[world.officer_a.position.name, dictionary.KOMUNIKASI, 2]])
    with pytest.raises(standards.ImportFailed) as caught:
        import_file(world, data, valid_from=TODAY)
    assert "after today" in caught.value.problems[0]


# --- words -------------------------------------------------------------------------------------


def test_jpm_words_in_both_languages():
    optimal = jpm(list(zip([3, 3, 2, 3, 3, 2, 3, 3, 3], [3] * 9, strict=True)))
    over = jpm(list(zip([4, 4, 3, 3, 3, 3, 3, 3, 3], [3] * 9, strict=True)))
    fair = jpm(list(zip([4, 3, 3, 4, 3, 3, 4, 3, 4], [4] * 9, strict=True)))
    assert labels.jpm_words(optimal) == "92.59% (Optimal)"
    assert labels.jpm_words(fair) == "86.11% (Fairly optimal)"
    assert labels.jpm_words(over) == "100% (Optimal), 7.41 points above the standard"
    with translation.override("id"):
        assert labels.jpm_words(fair) == "86,11 % (Cukup Optimal)"
        assert labels.jpm_words(over) == "100 % (Optimal), 7,41 poin di atas standar"
        assert labels.band_label("kurang_memenuhi_syarat") == "Kurang Memenuhi Syarat"
        assert labels.route_group_label("nonklasikal") == "Pelatihan nonklasikal"


def test_selection_words_and_a_band_code_of_an_agencys_own():
    from sigap.competency import conf

    result = jpm([(3, 4), (3, 4)])  # 75 %
    assert labels.jpm_words(result, conf.selection_bands()) == "75% (Still meets the requirements)"
    assert labels.band_label("sangat_optimal") == "Sangat optimal"
    assert result.percent == Decimal(75)


def test_the_audit_entries_read_in_indonesian(world):
    from sigap.audit.labels import action_label, detail_lines

    competency = technical(world)
    standards.technical_competency_save(
        actor=world.users["hr"],
        agency=world.agency,
        name="Verifikasi berkas kependudukan",
        code="verifikasi-berkas",
        definition="",
        levels=[f"Tingkat {n}" for n in range(1, 6)],
        competency=competency,
    )
    entry = AuditEntry.objects.get(action="competency.technical_edit")
    with translation.override("id"):
        assert action_label(entry.action) == "Kompetensi teknis diubah"
        lines = {line.label: line.value for line in detail_lines(entry.action, entry.data)}
    assert lines == {
        "Kode": "verifikasi-berkas",
        "Sebelumnya": "Kode: verifikasi-dokumen; Nama: Verifikasi dokumen",
    }


def test_a_workbook_damaged_past_a_row_is_refused_naming_file_and_row(world):
    data = damaged_sheet(xlsx([[world.officer_a.position.name, dictionary.KOMUNIKASI, 2]] * 3))
    with pytest.raises(standards.ImportFailed) as caught:
        read_rows(data, "skj.xlsx")
    assert caught.value.problems == [
        "skj.xlsx, row 3: the workbook is damaged and cannot be read from this row on."
    ]
