"""The unit-tree import: SIASN UNOR (JSON or CSV) and the simple CSV, planned then applied."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sigap.onboarding import plan as onboarding
from sigap.onboarding.units import infer_kind, normalise_eselon
from sigap.organisation.models import Agency, Unit

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "onboarding" / "samples"
UNOR = (SAMPLES / "unor.json").read_bytes()
SIMPLE = (SAMPLES / "units.csv").read_bytes()
ROOT = "A8ACA7397AEB3912E040640A040269BB"
DPM = "A8ACA7397AF23912E040640A040269BB"
PERIZ = "A8ACA7397AF33912E040640A040269BB"
DUK = "A8ACA7397AF43912E040640A040269BB"
PEND = "A8ACA7397AF53912E040640A040269BB"


@pytest.fixture
def agency() -> Agency:
    return Agency.objects.create(
        code="sukamaju", name="Kabupaten Sukamaju", kind="kabupaten", region_code="32.19"
    )


def where(plan: onboarding.Plan) -> list[tuple[int, str]]:
    return [(p.row, p.column) for p in plan.errors]


def unor(items: list[dict[str, object]]) -> bytes:
    return json.dumps({"data": items}).encode()


def item(id_: str, parent: str | None, name: str, eselon: str | None = None) -> dict[str, object]:
    return {
        "Id": id_,
        "DiatasanId": parent,
        "NamaUnor": name,
        "NamaJabatan": "",
        "EselonId": eselon,
    }


def test_unor_sample_into_an_empty_agency(agency: Agency) -> None:
    plan = onboarding.dry_run("units", UNOR, "unor.json", agency=agency)
    assert plan.errors == []
    assert plan.counts()["create"] == 7
    assert Unit.objects.count() == 0  # a dry run writes no unit
    onboarding.apply("units", UNOR, "unor.json", agency=agency)
    units = {u.siasn_id: u for u in Unit.objects.filter(agency=agency)}
    assert len(units) == 7
    root, pend = units[ROOT], units[PEND]
    assert (root.kind, root.parent_id, root.code) == (
        "pemda",
        None,
        "pemerintah-kabupaten-sukamaju",
    )
    assert root.head_position == "Bupati Sukamaju"
    assert units[DUK].kind == "opd" and units[DUK].eselon == "II.b"
    assert (pend.kind, pend.eselon, pend.parent_id) == ("bidang", "III.b", units[DUK].pk)
    assert pend.path == f"/{root.pk}/{units[DUK].pk}/{pend.pk}/"
    assert pend.code == "bidang-pelayanan-pendaftaran-penduduk"


def test_rerun_is_all_unchanged(agency: Agency) -> None:
    onboarding.apply("units", UNOR, "unor.json", agency=agency)
    again = onboarding.dry_run("units", UNOR, "unor.json", agency=agency)
    assert again.counts() == {
        "create": 0,
        "update": 0,
        "deactivate": 0,
        "unchanged": 7,
        "errors": 0,
        "warnings": 0,
    }


def test_simple_csv_sample_and_rerun(agency: Agency) -> None:
    onboarding.apply("units", SIMPLE, "units.csv", agency=agency)
    units = {u.code: u for u in Unit.objects.filter(agency=agency)}
    assert sorted(units) == sorted(
        [
            "sukamaju",
            "dpmptsp",
            "dpmptsp-perizinan",
            "disdukcapil",
            "disdukcapil-pendaftaran",
            "bkpsdm",
            "inspektorat",
        ]
    )
    assert units["dpmptsp-perizinan"].parent == units["dpmptsp"]
    assert units["dpmptsp"].address == "Jl. Merdeka No. 12"
    assert units["bkpsdm"].kind == "opd" and units["bkpsdm"].eselon == "II.b"
    assert (
        onboarding.dry_run("units", SIMPLE, "units.csv", agency=agency).counts()["unchanged"] == 7
    )


def test_rename_move_and_missing_unit(agency: Agency) -> None:
    onboarding.apply("units", UNOR, "unor.json", agency=agency)
    items = json.loads(UNOR)
    for i in items:
        if i["Id"] == PERIZ:  # renamed and moved under Dukcapil
            i["NamaUnor"] = "Bidang Perizinan Usaha"
            i["DiatasanId"] = DUK
    items = [i for i in items if i["Id"] != "A8ACA7397AF73912E040640A040269BB"]  # Inspektorat
    data = json.dumps(items).encode()
    plan = onboarding.dry_run("units", data, "unor2.json", agency=agency)
    assert plan.errors == []
    updates = [c for c in plan.changes if c.action == "update"]
    assert len(updates) == 1
    assert updates[0].fields == {
        "name": ("Bidang Pelayanan Perizinan", "Bidang Perizinan Usaha"),
        "parent": (
            "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
            "Dinas Kependudukan dan Pencatatan Sipil",
        ),
    }
    assert [w.message for w in plan.warnings] == [
        "Units of the agency not in the file, kept as they are (1): Inspektorat Daerah."
    ]
    onboarding.apply("units", data, "unor2.json", agency=agency)
    moved = Unit.objects.get(siasn_id=PERIZ)
    duk = Unit.objects.get(siasn_id=DUK)
    assert moved.name == "Bidang Perizinan Usaha"
    assert moved.code == "bidang-pelayanan-perizinan"  # the code stays
    assert moved.path == f"{duk.path}{moved.pk}/"
    assert Unit.objects.filter(siasn_id="A8ACA7397AF73912E040640A040269BB").exists()


def test_hand_made_root_takes_the_unor_id_and_slug_clash_gets_a_suffix(agency: Agency) -> None:
    root = Unit.objects.create(agency=agency, code="inspektorat-daerah", name="Pemda", kind="pemda")
    data = unor([item("R", None, "Pemda"), item("X", "R", "Inspektorat Daerah", "22")])
    plan = onboarding.dry_run("units", data, "u.json", agency=agency)
    assert plan.errors == []
    assert (plan.changes[0].action, plan.changes[0].fields) == (
        "update",
        {"SIASN UNOR id": ("", "R")},
    )
    onboarding.apply("units", data, "u.json", agency=agency)
    root.refresh_from_db()
    assert (root.siasn_id, root.code) == ("R", "inspektorat-daerah")
    x = Unit.objects.get(siasn_id="X")
    assert (x.code, x.parent_id) == ("inspektorat-daerah-2", root.pk)


def test_missing_column_csv(agency: Agency) -> None:
    data = b"kode,nama\nx,X\n"
    plan = onboarding.dry_run("units", data, "units.csv", agency=agency)
    assert where(plan) == [(1, "induk")]


def test_missing_field_json(agency: Agency) -> None:
    data = json.dumps([{"Id": "A", "NamaUnor": "A"}]).encode()
    plan = onboarding.dry_run("units", data, "u.json", agency=agency)
    assert where(plan) == [(0, "DiatasanId")]


def test_duplicate_id_both_rows(agency: Agency) -> None:
    data = b"kode,induk,nama\nroot,,Pemda\na,root,A\na,root,A again\n"
    plan = onboarding.dry_run("units", data, "units.csv", agency=agency)
    assert where(plan) == [(3, "kode"), (4, "kode")]


def test_parent_missing(agency: Agency) -> None:
    data = unor([item("R", None, "Pemda"), item("A", "NOPE", "Dinas A", "22")])
    plan = onboarding.dry_run("units", data, "u.json", agency=agency)
    assert where(plan) == [(2, "DiatasanId")]
    assert "NOPE" in plan.errors[0].message


def test_parent_in_db_is_found(agency: Agency) -> None:
    onboarding.apply("units", UNOR, "unor.json", agency=agency)
    data = unor([item("NEW", DUK, "UPT Pelayanan Keliling")])
    plan = onboarding.dry_run("units", data, "u.json", agency=agency)
    assert plan.errors == []
    onboarding.apply("units", data, "u.json", agency=agency)
    assert Unit.objects.get(siasn_id="NEW").kind == "unit_layanan"


def test_cycle_names_every_unit(agency: Agency) -> None:
    data = unor(
        [
            item("R", None, "Pemda"),
            item("A", "C", "Dinas A", "22"),
            item("B", "A", "Bidang B", "32"),
            item("C", "B", "Bidang C", "32"),
        ]
    )
    plan = onboarding.dry_run("units", data, "u.json", agency=agency)
    assert where(plan) == [(2, "DiatasanId")]
    assert plan.errors[0].message == (
        "These units are each other's parents (a cycle): Dinas A → Bidang C → Bidang B → Dinas A."
    )


def test_empty_name(agency: Agency) -> None:
    data = b"kode,induk,nama\nroot,,Pemda\na,root,\n"
    plan = onboarding.dry_run("units", data, "units.csv", agency=agency)
    assert where(plan) == [(3, "nama")]


def test_two_roots_when_agency_has_one(agency: Agency) -> None:
    onboarding.apply("units", UNOR, "unor.json", agency=agency)
    data = unor([item("OTHER", None, "Pemerintah Kabupaten Lain")])
    plan = onboarding.dry_run("units", data, "u.json", agency=agency)
    assert where(plan) == [(1, "DiatasanId")]
    assert "Pemerintah Kabupaten Sukamaju" in plan.errors[0].message


def test_two_roots_in_one_file(agency: Agency) -> None:
    data = b"kode,induk,nama\nr1,,Pemda\nr2,,Pemda lain\n"
    plan = onboarding.dry_run("units", data, "units.csv", agency=agency)
    assert where(plan) == [(3, "induk")]


def test_unknown_kind_and_eselon(agency: Agency) -> None:
    data = b"kode,induk,nama,jenis,eselon\nr,,Pemda,pemda,\na,r,A,kantor,II.z\n"
    plan = onboarding.dry_run("units", data, "units.csv", agency=agency)
    assert where(plan) == [(3, "eselon"), (3, "jenis")]


def test_unor_as_csv(agency: Agency) -> None:
    data = (
        b"Id,DiatasanId,NamaUnor,NamaJabatan,EselonId,InstansiId\n"
        b"R,,Pemerintah Kabupaten X,Bupati X,,I1\n"
        b"K,R,Kecamatan Sukamaju,Camat Sukamaju,31,I1\n"
    )
    onboarding.apply("units", data, "unor.csv", agency=agency)
    k = Unit.objects.get(siasn_id="K")
    assert (k.kind, k.eselon, k.head_position) == ("kecamatan", "III.a", "Camat Sukamaju")


def test_refused_apply_writes_nothing(agency: Agency) -> None:
    data = unor([item("R", None, "Pemda"), item("A", "R", "Dinas A"), item("B", "NOPE", "B")])
    before = Unit.objects.count()
    with pytest.raises(onboarding.ImportRefused) as refused:
        onboarding.apply("units", data, "u.json", agency=agency)
    assert [(p.row, p.column) for p in refused.value.problems] == [(3, "DiatasanId")]
    assert Unit.objects.count() == before == 0


def test_eselon_and_kind_rules() -> None:
    assert [normalise_eselon(v) for v in ("22", "II.b", "IIb", "III/A", "", "x")] == [
        "II.b",
        "II.b",
        "II.b",
        "III.a",
        "",
        None,
    ]
    assert infer_kind("Puskesmas Cibeureum", "IV.a", root=False, parent_kind="opd") == (
        "unit_layanan"
    )
    assert infer_kind("Sekretariat Daerah", "", root=False, parent_kind="pemda") == "opd"
    assert infer_kind("Subbagian Umum", "", root=False, parent_kind="opd") == "bidang"
