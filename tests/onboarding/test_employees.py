"""The employee import from SIASN's "Export Data ASN" CSV, planned then applied."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone

from sigap.onboarding import plan as onboarding
from sigap.onboarding.employees import nik_valid, pns_rank, position_kind, pppk_grade
from sigap.onboarding.tabular import parse_date
from sigap.organisation.models import Agency, Employee, Position, Unit

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "onboarding" / "samples"
EXPORT = (SAMPLES / "siasn-export-asn.csv").read_bytes()
PEND = "A8ACA7397AF53912E040640A040269BB"
PERIZ = "A8ACA7397AF33912E040640A040269BB"
AGUS, BUDI, SITI = "197806102005011003", "198503152010011002", "199001222015032001"
AYU = "199207142022212001"  # PPPK, row 19


@pytest.fixture
def agency() -> Agency:
    agency = Agency.objects.create(
        code="sukamaju", name="Kabupaten Sukamaju", kind="kabupaten", region_code="32.19"
    )
    onboarding.apply("units", (SAMPLES / "unor.json").read_bytes(), "unor.json", agency=agency)
    return agency


def rows() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(EXPORT.decode())))


def to_csv(data: list[dict[str, str]], drop: tuple[str, ...] = ()) -> bytes:
    out = io.StringIO()
    names = [h for h in data[0] if h not in drop]
    w = csv.DictWriter(out, names, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    w.writerows(data)
    return out.getvalue().encode()


def with_row(index: int, **cells: str) -> bytes:
    data = rows()
    for k, v in cells.items():
        data[index][k.replace("_", " ")] = v
    return to_csv(data)


def where(plan: onboarding.Plan) -> list[tuple[int, str]]:
    return [(p.row, p.column) for p in plan.errors]


def test_sample_into_an_empty_agency(agency: Agency) -> None:
    plan = onboarding.dry_run("employees", EXPORT, "siasn-export-asn.csv", agency=agency)
    assert plan.errors == []
    assert plan.counts()["create"] == 20
    assert len(plan.warnings) == 1  # the columns sigap does not read, listed once
    assert plan.warnings[0].message.startswith(
        "These columns are not read by sigap and are ignored: NIP LAMA, TEMPAT LAHIR NAMA,"
    )
    assert Employee.objects.count() == 0
    onboarding.apply("employees", EXPORT, "siasn-export-asn.csv", agency=agency)
    assert Employee.objects.filter(unit__agency=agency).count() == 20
    agus = Employee.objects.select_related("position", "unit").get(nip=AGUS)
    assert agus.name == "Agus Wijaya, S.Sos., M.Si."
    assert (agus.status, agus.rank, agus.unit.siasn_id) == ("pns", "III/d", PEND)
    assert (agus.position.name, agus.position.kind, agus.position.level) == (
        "Kepala Bidang Pelayanan Pendaftaran Penduduk",
        "struktural",
        "III.b",
    )
    assert agus.active_from == date(2005, 1, 1)  # TMT CPNS
    assert agus.pns_id == "A8ACA7A10000B6F6E040640A04020000"
    assert agus.active_until is None
    hendra = Employee.objects.get(nip="197512012000031005")
    assert (hendra.name, hendra.rank) == ("Ir. Hendra Gunawan, M.T.", "IV/a")
    dewi = Employee.objects.select_related("position").get(nip="198811092014022004")
    assert (dewi.position.kind, dewi.position.level) == ("fungsional", "Ahli Pertama")
    assert dewi.unit.siasn_id == PERIZ
    ayu = Employee.objects.get(nip=AYU)
    assert (ayu.status, ayu.rank, ayu.active_from) == ("pppk", "9", date(2022, 3, 1))
    assert Employee.objects.filter(status="pppk").count() == 3
    sri = Employee.objects.select_related("position").get(nip="198003262006042001")
    assert sri.position.kind == "pelaksana"  # "Jabatan Fungsional Umum"


def test_rerun_is_all_unchanged(agency: Agency) -> None:
    onboarding.apply("employees", EXPORT, "a.csv", agency=agency)
    again = onboarding.dry_run("employees", EXPORT, "a.csv", agency=agency)
    assert again.counts() == {
        "create": 0,
        "update": 0,
        "deactivate": 0,
        "unchanged": 20,
        "errors": 0,
        "warnings": 1,
    }


def test_change_leave_and_return(agency: Agency) -> None:
    onboarding.apply("employees", EXPORT, "a.csv", agency=agency)
    data = rows()
    data[1]["GOL AKHIR NAMA"] = "Penata (III/c)"  # Budi promoted and moved
    data[1]["UNOR ID"] = PERIZ
    without_siti = [r for r in data if r["NIP BARU"] != SITI]
    plan = onboarding.dry_run("employees", to_csv(without_siti), "b.csv", agency=agency)
    counts = plan.counts()
    assert (counts["update"], counts["deactivate"], counts["unchanged"]) == (1, 1, 18)
    update = next(c for c in plan.changes if c.action == "update")
    assert update.label == f"{BUDI} Budi Santoso, S.Kom."
    assert update.fields == {
        "rank": ("III/b", "III/c"),
        "unit": ("Bidang Pelayanan Pendaftaran Penduduk", "Bidang Pelayanan Perizinan"),
    }
    onboarding.apply("employees", to_csv(without_siti), "b.csv", agency=agency)
    today = timezone.localdate()
    budi = Employee.objects.select_related("unit").get(nip=BUDI)
    assert (budi.rank, budi.unit.siasn_id) == ("III/c", PERIZ)
    assert Employee.objects.get(nip=SITI).active_until == today  # kept, inactive
    # The re-run of the same file: Siti is already inactive, nothing to do.
    assert (
        onboarding.dry_run("employees", to_csv(without_siti), "b.csv", agency=agency).counts()[
            "deactivate"
        ]
        == 0
    )
    back = onboarding.dry_run("employees", to_csv(data), "c.csv", agency=agency)
    assert [(c.action, c.fields) for c in back.changes if c.action != "unchanged"] == [
        ("update", {"active until": (today.isoformat(), "")})
    ]
    onboarding.apply("employees", to_csv(data), "c.csv", agency=agency)
    assert Employee.objects.get(nip=SITI).active_until is None


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (lambda: to_csv(rows(), drop=("JABATAN NAMA",)), [(1, "JABATAN NAMA")]),
        (lambda: to_csv(rows(), drop=("UNOR ID", "UNOR NAMA")), [(1, "UNOR ID")]),
        (lambda: with_row(1, NIP_BARU="198503152010131002"), [(3, "NIP BARU")]),  # month 13
        (lambda: with_row(17, NIP_BARU="199213142022212001"), [(19, "NIP BARU")]),  # PPPK
        (lambda: with_row(2, GOL_AKHIR_NAMA="III/f"), [(4, "GOL AKHIR NAMA")]),
        (lambda: with_row(17, GOL_AKHIR_NAMA="XVIII"), [(19, "GOL AKHIR NAMA")]),
        (lambda: with_row(0, UNOR_ID="NO-SUCH-UNIT"), [(2, "UNOR ID")]),
        (lambda: with_row(0, JENIS_JABATAN_NAMA="Honorer"), [(2, "JENIS JABATAN NAMA")]),
        (lambda: with_row(0, TMT_CPNS="31-02-2005"), [(2, "TMT CPNS")]),
        (lambda: with_row(0, KEDUDUKAN_HUKUM_ID=""), [(2, "KEDUDUKAN HUKUM ID")]),
        (lambda: with_row(3, NIP_BARU=BUDI), [(3, "NIP BARU"), (5, "NIP BARU")]),
    ],
)
def test_bad_input_names_row_and_column(agency: Agency, data, expected) -> None:  # type: ignore[no-untyped-def]
    plan = onboarding.dry_run("employees", data(), "x.csv", agency=agency)
    assert where(plan) == expected


def test_invalid_nik_is_an_error_without_the_nik(agency: Agency) -> None:
    nik = "3219113206780001"  # day 32
    plan = onboarding.dry_run("employees", with_row(0, NIK=nik), "x.csv", agency=agency)
    assert where(plan) == [(2, "NIK")]
    assert nik not in plan.errors[0].message


def test_nik_is_never_stored(agency: Agency) -> None:
    onboarding.apply("employees", EXPORT, "a.csv", agency=agency)
    nik = rows()[0]["NIK"]
    for e in Employee.objects.all().values():
        assert nik not in {str(v) for v in e.values()}


def test_nip_of_another_agency(agency: Agency) -> None:
    other = Agency.objects.create(code="lain", name="Kabupaten Lain", kind="kabupaten")
    unit = Unit.objects.create(agency=other, code="pemda", name="Pemda Lain", kind="pemda")
    position = Position.objects.create(name="Analis", kind="fungsional")
    Employee.objects.create(
        nip=SITI,
        name="Siti",
        status="pns",
        position=position,
        rank="III/a",
        unit=unit,
        active_from=date(2015, 3, 1),
    )
    plan = onboarding.dry_run("employees", EXPORT, "x.csv", agency=agency)
    assert where(plan) == [(4, "NIP BARU")]
    assert "Kabupaten Lain" in plan.errors[0].message


def test_refused_apply_writes_nothing(agency: Agency) -> None:
    onboarding.apply("employees", EXPORT, "a.csv", agency=agency)
    data = rows()
    data[1]["GOL AKHIR NAMA"] = "III/c"  # a good change...
    data[5]["JABATAN NAMA"] = "Jabatan Baru Sekali"  # ...a new position...
    data[2]["NIK"] = "123"  # ...and one error
    before = (Employee.objects.count(), Position.objects.count())
    with pytest.raises(onboarding.ImportRefused) as refused:
        onboarding.apply("employees", to_csv(data), "x.csv", agency=agency)
    assert [(p.row, p.column) for p in refused.value.problems] == [(4, "NIK")]
    assert (Employee.objects.count(), Position.objects.count()) == before
    assert Employee.objects.get(nip=BUDI).rank == "III/b"


def test_rules() -> None:
    assert [pns_rank(v) for v in ("III/a", "III/A", "Penata Muda (III/a)", "IV/e", "V/a")] == [
        "III/a",
        "III/a",
        "III/a",
        "IV/e",
        None,
    ]
    assert [pppk_grade(v) for v in ("IX", "9", "09", "XVII", "XVIII", "0")] == [
        "9",
        "9",
        "9",
        "17",
        None,
        None,
    ]
    assert position_kind("Jabatan Fungsional Umum") == "pelaksana"
    assert position_kind("Jabatan Fungsional Tertentu") == "fungsional"
    assert position_kind("Struktural") == "struktural"
    assert nik_valid("3219115006900001")  # a woman born 10-06-1990 (50 = 10 + 40)
    assert not nik_valid("3219117206900001")  # day 32
    assert not nik_valid("321911100690000")  # 15 digits


def test_dates() -> None:
    texts = ("01-03-2021", "2021-03-01", "1/3/2021", "2021-03-01 00:00:00", "31-02-2005", "x")
    assert [parse_date(t) for t in texts] == [date(2021, 3, 1)] * 4 + [None, None]


def test_plan_queries_do_not_grow_with_rows(agency: Agency) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(data: bytes) -> int:
        with CaptureQueriesContext(connection) as ctx:
            onboarding.dry_run("employees", data, "x.csv", agency=agency)
        return len(ctx.captured_queries)

    assert queries(to_csv(rows()[:5])) == queries(EXPORT)  # 5 rows or 20: the same queries
    onboarding.apply("employees", EXPORT, "a.csv", agency=agency)
    assert queries(to_csv(rows()[:5])) == queries(EXPORT)  # 15 to deactivate, 20 unchanged
