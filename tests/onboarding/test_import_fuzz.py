"""Damaged, foreign and hostile files through every merged onboarding import.

Units (simple CSV and SIASN UNOR JSON), employees (SIASN Export Data ASN CSV), service standards
(the XLSX template) and SP4N-LAPOR! reports (CSV), each from its committed sample, mutated with
fixed seeds. For every mutation: the dry run returns a plan (never a traceback) whose problems
name the file; applying writes everything or nothing (the rows of every table the imports touch
are counted before and after); a file that only changes its dress (BOM, CRLF, ';' delimiter,
header case and spacing) plans exactly as the sample does. Markup from a file reaches the plan
page escaped.
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from sigap.accounts.models import Role
from sigap.onboarding import plan as onboarding
from sigap.organisation.models import Agency
from tests import factories
from tests.integrations.test_lapor import Sukamaju

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "onboarding" / "samples"
# The tables an onboarding import may write (ImportRun and the audit trail are the run's record).
TOUCHED_APPS = ("organisation", "catalogue", "complaints", "service_requests", "accounts")
MARKUP = '=HYPERLINK("http://evil.example/","klik")<script>alert("x")</script>'
LONG = "Z" * 10_000


@dataclass(frozen=True)
class Sample:
    kind: str
    name: str
    data: bytes

    @property
    def is_csv(self) -> bool:
        return self.name.endswith(".csv")


SAMPLE_FILES = {
    "units-csv": Sample("units", "units.csv", (SAMPLES / "units.csv").read_bytes()),
    "units-unor": Sample("units", "unor.json", (SAMPLES / "unor.json").read_bytes()),
    "employees": Sample(
        "employees", "siasn-export-asn.csv", (SAMPLES / "siasn-export-asn.csv").read_bytes()
    ),
    # The committed workbook, not the generator's bytes (which carry the time they were made):
    # the same damage hits the same bytes in every run.
    "standards": Sample(
        "standards", "standar-pelayanan.xlsx", (SAMPLES / "standar-pelayanan.xlsx").read_bytes()
    ),
    "lapor": Sample("lapor", "lapor-laporan.csv", (SAMPLES / "lapor-laporan.csv").read_bytes()),
}


class Place(Sukamaju):
    """Kabupaten Sukamaju with the sample's units (the employees, standards and LAPOR! samples
    refer to them) and a user who may run each import."""

    def __init__(self) -> None:
        super().__init__()
        self.admin = factories.user("admin-sukamaju", Role.ADMIN, self.root)
        self.hr = factories.user("bkpsdm-sukamaju", Role.HR, self.root)
        # The unit samples build a tree: into an agency that has none yet.
        self.empty = Agency.objects.create(
            code="sukamulya", name="Kabupaten Sukamulya", kind="kabupaten", region_code="32.18"
        )

    def actor(self, kind: str):  # type: ignore[no-untyped-def]
        return {"lapor": self.inspector, "employees": self.hr}.get(kind, self.admin)

    def into(self, kind: str) -> Agency:
        return self.empty if kind == "units" else self.agency


@pytest.fixture
def place(db: None) -> Place:
    return Place()


def too_long() -> list[str]:
    """Stored text longer than its column allows (SQLite keeps it; PostgreSQL would refuse the
    whole apply with a traceback)."""
    from django.db.models import CharField
    from django.db.models.functions import Length

    found = []
    for label in TOUCHED_APPS:
        for m in apps.get_app_config(label).get_models():
            for f in m._meta.concrete_fields:
                if isinstance(f, CharField) and f.max_length:
                    over = m._default_manager.annotate(n=Length(f.attname)).filter(
                        n__gt=f.max_length
                    )
                    if over.exists():
                        found.append(f"{m._meta.label}.{f.name}")
    return found


def counts() -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count()
        for label in TOUCHED_APPS
        for m in apps.get_app_config(label).get_models()
        if not m._meta.proxy
    }


# --- mutations -----------------------------------------------------------------------------


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def csv_bytes(rows: list[list[str]], *, delimiter: str = ",", newline: str = "\n") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=newline).writerows(rows)
    return out.getvalue().encode()


def every_text_cell(value: Callable[[str], str]) -> Callable[[Sample], bytes]:
    """Each non-empty data cell replaced (CSV, XLSX data rows) or each string value (JSON)."""

    def mutate(s: Sample) -> bytes:
        if s.name.endswith(".json"):
            doc = json.loads(s.data)
            for item in doc:
                for k, v in item.items():
                    if isinstance(v, str) and v:
                        item[k] = value(v)
            return json.dumps(doc).encode()
        if s.is_csv:
            header, *rows = csv_rows(s.data)
            return csv_bytes([header, *[[value(c) if c else c for c in r] for r in rows]])
        book = load_workbook(io.BytesIO(s.data))
        for sheet in book.worksheets:
            for row in sheet.iter_rows(min_row=2):
                for c in row:
                    if isinstance(c.value, str) and c.value:
                        c.value = value(c.value)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    return mutate


def headers(change: Callable[[list[str]], list[str]]) -> Callable[[Sample], bytes]:
    def mutate(s: Sample) -> bytes:
        if s.name.endswith(".json"):  # the keys of each record
            doc = json.loads(s.data)
            return json.dumps(
                [dict(zip(change(list(i)), i.values(), strict=True)) for i in doc]
            ).encode()
        if s.is_csv:
            header, *rows = csv_rows(s.data)
            return csv_bytes([change(header), *rows])
        book = load_workbook(io.BytesIO(s.data))
        for sheet in book.worksheets:
            first = [c.value for c in sheet[1]]
            for c, new in zip(sheet[1], change([str(v or "") for v in first]), strict=True):
                c.value = new or None
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    return mutate


def damage(seed: int, n: int) -> Callable[[Sample], bytes]:
    def mutate(s: Sample) -> bytes:
        rng = random.Random(seed)
        data = bytearray(s.data)
        for _ in range(n):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)

    return mutate


def truncate(seed: int) -> Callable[[Sample], bytes]:
    def mutate(s: Sample) -> bytes:
        return s.data[: random.Random(seed).randrange(1, len(s.data))]

    return mutate


def binary(seed: int) -> Callable[[Sample], bytes]:
    def mutate(s: Sample) -> bytes:
        return random.Random(seed).randbytes(4096)

    return mutate


def as_text(s: Sample) -> str:
    """The sample as CSV text (a workbook's first sheet written as CSV)."""
    if s.is_csv or s.name.endswith(".json"):
        return s.data.decode("utf-8-sig")
    sheet = load_workbook(io.BytesIO(s.data)).worksheets[0]
    rows = [["" if v is None else str(v) for v in r] for r in sheet.iter_rows(values_only=True)]
    return csv_bytes(rows).decode()


def as_xlsx(s: Sample) -> bytes:
    """The sample's CSV rows in a workbook."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in csv.reader(io.StringIO(as_text(s))):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def header_only(s: Sample) -> bytes:
    if s.name.endswith(".json"):
        return b'{"data": []}'
    if s.is_csv:
        return s.data.split(b"\n", 1)[0] + b"\n"
    book = load_workbook(io.BytesIO(s.data))
    for sheet in book.worksheets:
        if sheet.max_row > 1:
            sheet.delete_rows(2, sheet.max_row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def latin1(s: Sample) -> bytes:
    """The CSV in latin-1, with a name written with letters outside ASCII."""
    header, *rows = csv_rows(s.data)
    rows = [[c.replace("a", "á", 1) if i == 2 else c for i, c in enumerate(r)] for r in rows]
    return csv_bytes([header, *rows]).decode().encode("latin-1")


MUTATIONS: dict[str, Callable[[Sample], bytes]] = {
    "empty": lambda s: b"",
    "blank": lambda s: b" \r\n\n\t",
    "header-only": header_only,
    "binary-1": binary(1),
    "binary-2": binary(2),
    "nul-bytes": lambda s: s.data.replace(b",", b"\x00", 3),
    "damage-1x5": damage(1, 5),
    "damage-2x5": damage(2, 5),
    "damage-3x50": damage(3, 50),
    "damage-4x500": damage(4, 500),
    "truncate-1": truncate(1),
    "truncate-2": truncate(2),
    "truncate-3": truncate(3),
    "utf16": lambda s: as_text(s).encode("utf-16"),  # Excel's "Unicode Text" (BOM, LE)
    "utf16-be": lambda s: as_text(s).encode("utf-16-be"),
    "long-cells": every_text_cell(lambda v: LONG),
    "long-appended": every_text_cell(lambda v: v + LONG),
    "markup-cells": every_text_cell(lambda v: MARKUP),
    "markup-appended": every_text_cell(lambda v: v + MARKUP),
    "duplicate-first-header": headers(lambda h: [h[0], h[0], *h[2:]]),
    "empty-headers": headers(lambda h: ["" for _ in h]),
    "markup-headers": headers(lambda h: [MARKUP + x for x in h]),
    "xlsx-named-csv": lambda s: as_xlsx(s),
    "csv-named-xlsx": lambda s: as_text(s).encode(),
}
CSV_MUTATIONS: dict[str, Callable[[Sample], bytes]] = {
    "latin1": latin1,
    "unclosed-quote": lambda s: s.data.replace(b"\n", b'\n"', 2),
    "ragged-rows": lambda s: csv_bytes(
        [r[: max(1, i % 7)] for i, r in enumerate(csv_rows(s.data))]
    ),
    "extra-cells": lambda s: csv_bytes([[*r, "x", "y"] for r in csv_rows(s.data)]),
}
JSON_MUTATIONS: dict[str, Callable[[Sample], bytes]] = {
    "json-object": lambda s: b'{"data": {"Id": "x"}}',
    "json-string": lambda s: b'"UNOR"',
    "json-number": lambda s: b"[1, 2, 3]",
    "json-null": lambda s: b'{"data": null}',
    "json-nested-lists": lambda s: b'{"data": [[{"Id": "x"}]]}',
    "json-wrong-types": lambda s: json.dumps(
        {"data": [{"Id": [1], "DiatasanId": {"a": 1}, "NamaUnor": 5, "EselonId": True}]}
    ).encode(),
    "json-nul": lambda s: s.data.replace(b'"Pemerintah', b'"\\u0000Pemerintah'),
    "json-deep": lambda s: b"[" * 100_000 + b"]" * 100_000,
    "json-unclosed": lambda s: s.data[:-5],
    "json-latin1": lambda s: s.data.decode().replace("Sukamaju", "Sukamajú").encode("latin-1"),
}
# Files that only change their dress: they must plan as the sample does.
SAME: dict[str, Callable[[Sample], bytes]] = {
    "bom": lambda s: b"\xef\xbb\xbf" + s.data,
    "crlf": lambda s: s.data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"),
    "semicolon": lambda s: csv_bytes(csv_rows(s.data), delimiter=";"),
    "semicolon-crlf-bom": lambda s: (
        b"\xef\xbb\xbf" + csv_bytes(csv_rows(s.data), delimiter=";", newline="\r\n")
    ),
    "header-case-spacing": headers(lambda h: [f"  {x.upper().replace(' ', '   ')} " for x in h]),
    "header-lower-underscore": headers(lambda h: [x.lower().replace(" ", "_") for x in h]),
    "utf16-tab": lambda s: csv_bytes(csv_rows(s.data), delimiter="\t").decode().encode("utf-16"),
}


def cases() -> list[tuple[str, str]]:
    out = []
    for sample_id, s in SAMPLE_FILES.items():
        muts = dict(MUTATIONS)
        if s.is_csv:
            muts.update(CSV_MUTATIONS)
        if s.name.endswith(".json"):
            muts.update(JSON_MUTATIONS)
        out += [(sample_id, m) for m in muts]
    return out


def mutation(name: str) -> Callable[[Sample], bytes]:
    return {**MUTATIONS, **CSV_MUTATIONS, **JSON_MUTATIONS, **SAME}[name]


def file_name(sample: Sample, mutation_id: str) -> str:
    if mutation_id == "xlsx-named-csv":
        return sample.name.rsplit(".", 1)[0] + ".csv"
    if mutation_id == "csv-named-xlsx":
        return sample.name.rsplit(".", 1)[0] + ".xlsx"
    return sample.name


# --- the properties ------------------------------------------------------------------------


def test_every_sample_plans_without_errors(place):
    for sample in SAMPLE_FILES.values():
        plan = onboarding.dry_run(
            sample.kind,
            sample.data,
            sample.name,
            agency=place.into(sample.kind),
            actor=place.actor(sample.kind),
        )
        assert plan.errors == [], (sample.name, plan.errors[:3])


@pytest.mark.parametrize(("sample_id", "mutation_id"), cases())
def test_a_damaged_file_is_planned_and_applied_all_or_nothing(place, sample_id, mutation_id):
    sample = SAMPLE_FILES[sample_id]
    data = mutation(mutation_id)(sample)
    name = file_name(sample, mutation_id)
    actor = place.actor(sample.kind)
    plan = onboarding.dry_run(sample.kind, data, name, agency=place.into(sample.kind), actor=actor)
    for p in plan.problems:
        assert p.file == name and p.message and p.severity in ("error", "warning"), p
        assert isinstance(p.row, int) and p.row >= 0, p
    before = counts()
    try:
        onboarding.apply(sample.kind, data, name, agency=place.into(sample.kind), actor=actor)
    except onboarding.ImportRefused as refused:
        assert refused.problems and counts() == before
        assert [p for p in refused.problems if p.file != name] == []
    else:
        assert plan.ok, plan.errors[:3]
        assert too_long() == []


def long_in(column: str) -> Callable[[Sample], bytes]:
    """10,000 characters in one column of every data row (the first sheet of a workbook), each
    row's own, so nothing else about the file is wrong."""

    def mutate(s: Sample) -> bytes:
        if s.name.endswith(".json"):  # each record's own, and its children's parent id with it
            doc = json.loads(s.data)
            for item in doc:
                for key in (column, "DiatasanId") if column == "Id" else (column,):
                    if item.get(key):
                        item[key] += LONG
            return json.dumps(doc).encode()
        if s.is_csv:
            header, *rows = csv_rows(s.data)
            i = header.index(column)
            return csv_bytes([header, *[[*r[:i], r[i] + LONG, *r[i + 1 :]] for r in rows]])
        book = load_workbook(io.BytesIO(s.data))
        sheet = book.worksheets[0]
        i = [c.value for c in sheet[1]].index(column) + 1
        for row in range(2, sheet.max_row + 1):
            value = sheet.cell(row, i).value
            if value:
                sheet.cell(row, i, f"{value}{LONG}")
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    return mutate


@pytest.mark.parametrize(
    ("sample_id", "column"),
    [
        ("units-unor", "Id"),
        ("units-unor", "NamaUnor"),
        ("units-unor", "NamaJabatan"),
        ("units-csv", "nama"),
        ("units-csv", "jabatan kepala"),
        ("units-csv", "alamat"),
        ("employees", "NAMA"),
        ("employees", "JABATAN NAMA"),
        ("employees", "GELAR BELAKANG"),
        ("lapor", "Judul"),
        ("lapor", "Isi Laporan"),
        ("lapor", "Tindak Lanjut"),
        ("standards", "Nama layanan"),
        ("standards", "Produk pelayanan"),
    ],
)
def test_a_long_cell_is_refused_or_fits_its_column(place, sample_id, column):
    """A 10,000-character name is either a problem at its row and column, or stored whole in a
    column that takes it: never more than the column holds (PostgreSQL would refuse the apply
    with a traceback; SQLite keeps it, so the length is checked after the apply)."""
    sample = SAMPLE_FILES[sample_id]
    data = long_in(column)(sample)
    agency, actor = place.into(sample.kind), place.actor(sample.kind)
    plan = onboarding.dry_run(sample.kind, data, sample.name, agency=agency, actor=actor)
    before = counts()
    if plan.ok:
        onboarding.apply(sample.kind, data, sample.name, agency=agency, actor=actor)
        assert too_long() == []
    else:
        assert {p.column for p in plan.errors} == {column}, plan.errors[:3]
        assert counts() == before


def append_column(s: Sample, header: str) -> bytes:
    """The sample with one more column at the end, headed `header`, each cell "x"."""
    if s.is_csv:
        rows = csv_rows(s.data)
        return csv_bytes([rows[0] + [header], *[[*r, "x"] for r in rows[1:]]])
    book = load_workbook(io.BytesIO(s.data))
    sheet = book.worksheets[0]
    column = sheet.max_column + 1
    sheet.cell(1, column, header)
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, column, "x")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("sample_id", "header", "letters", "sheet"),
    [
        ("units-csv", "nama", "C, H", ""),
        ("units-csv", "NAMA ", "C, H", ""),
        ("employees", "NIP BARU", "B, AG", ""),
        ("employees", "nip_baru", "B, AG", ""),
        ("lapor", "Status", "F, N", ""),
        ("standards", "Kode layanan", "A, U", "Layanan"),
    ],
)
def test_a_column_read_twice_is_an_error_at_the_header(place, sample_id, header, letters, sheet):
    sample = SAMPLE_FILES[sample_id]
    data = append_column(sample, header)
    agency, actor = place.into(sample.kind), place.actor(sample.kind)
    plan = onboarding.dry_run(sample.kind, data, sample.name, agency=agency, actor=actor)
    twice = [p for p in plan.errors if "more than once" in p.message]
    assert [(p.sheet, p.row, p.message) for p in twice] == [
        (sheet, 1, f"This column is in the header more than once (columns {letters}): keep one.")
    ]
    assert twice[0].column.strip().casefold().replace(
        "_", " "
    ) == header.strip().casefold().replace("_", " ")
    before = counts()
    with pytest.raises(onboarding.ImportRefused):
        onboarding.apply(sample.kind, data, sample.name, agency=agency, actor=actor)
    assert counts() == before


def test_a_column_no_import_reads_may_be_there_twice(place):
    sample = SAMPLE_FILES["units-csv"]
    data = append_column(SAMPLE_FILES["units-csv"], "catatan")
    rows = csv_rows(data)
    data = csv_bytes([[*r, r[-1]] for r in rows])  # "catatan" twice
    plan = onboarding.dry_run("units", data, sample.name, agency=place.empty, actor=place.admin)
    assert plan.errors == [] and plan.counts()["create"] == 7


@pytest.mark.parametrize("sample_id", list(SAMPLE_FILES))
@pytest.mark.parametrize("mutation_id", list(SAME))
def test_a_file_in_other_dress_plans_as_the_sample(place, sample_id, mutation_id):
    sample = SAMPLE_FILES[sample_id]
    if not sample.is_csv and mutation_id not in ("header-case-spacing",):
        pytest.skip("a CSV's dress")
    if sample_id == "units-unor":
        pytest.skip("JSON")
    actor = place.actor(sample.kind)
    expected = onboarding.dry_run(
        sample.kind, sample.data, sample.name, agency=place.into(sample.kind), actor=actor
    )
    data = mutation(mutation_id)(sample)
    plan = onboarding.dry_run(
        sample.kind, data, sample.name, agency=place.into(sample.kind), actor=actor
    )
    assert plan.errors == []
    assert plan.counts() == expected.counts()
    assert [(c.action, c.label) for c in plan.changes] == [
        (c.action, c.label) for c in expected.changes
    ]


def markup_in(column: str) -> bytes:
    header, *rows = csv_rows(SAMPLE_FILES["lapor"].data)
    i = header.index(column)
    return csv_bytes([header, *[[*r[:i], r[i] + MARKUP, *r[i + 1 :]] for r in rows]])


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (every_text_cell(lambda v: v + MARKUP)(SAMPLE_FILES["lapor"]), True),
        (markup_in("Isi Laporan"), False),
        (markup_in("Judul"), False),
        (append_column(SAMPLE_FILES["lapor"], MARKUP), False),
    ],
)
def test_markup_from_a_file_reaches_the_plan_page_escaped(
    place, client, settings, tmp_path, body, errors
):
    settings.VAR_DIR = tmp_path
    client.force_login(place.inspector)
    name = '<img src=x onerror="alert(1)">.csv'
    response = client.post(
        reverse("onboarding_upload"),
        {"kind": "lapor", "file": SimpleUploadedFile(name, body, "text/csv")},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "<script>" not in html and "<img src=x" not in html
    assert "onerror=" not in html or "onerror=&quot;" in html
    assert ("&lt;script&gt;" in html) or ("&lt;script&gt;" not in body.decode()), "shown escaped"
    assert ('data-testid="onboarding-apply"' in html) is not errors


@pytest.mark.parametrize("sample_id", ["units-csv", "employees", "standards", "lapor"])
def test_a_rule_met_only_while_writing_refuses_all_of_it(place, client, settings, tmp_path,
                                                          monkeypatch, sample_id):  # fmt: skip
    """The importer writes everything, then a write function refuses something: the page says
    refused (no traceback) and not one row stays."""
    from django.core.exceptions import ValidationError

    settings.VAR_DIR = tmp_path
    sample = SAMPLE_FILES[sample_id]
    importer = onboarding.IMPORTERS[sample.kind]
    written = importer.write

    def write_then_refuse(plan, *, agency, actor):  # type: ignore[no-untyped-def]
        written(plan, agency=agency, actor=actor)
        raise ValidationError({"note": "At most 4000 characters."})

    monkeypatch.setattr(importer, "write", write_then_refuse)
    agency, actor = place.into(sample.kind), place.actor(sample.kind)
    before = counts()
    with pytest.raises(onboarding.ImportRefused) as refused:
        onboarding.apply(sample.kind, sample.data, sample.name, agency=agency, actor=actor)
    assert [(p.file, p.row, p.message) for p in refused.value.problems] == [
        (sample.name, 0, "At most 4000 characters.")
    ]
    assert counts() == before
    if sample.kind == "units":
        return  # the empty agency has no root: the page does not list it
    client.force_login(actor)
    response = client.post(
        reverse("onboarding_upload"),
        {"kind": sample.kind, "file": SimpleUploadedFile(sample.name, sample.data)},
    )
    token = response["Location"].rstrip("/").split("/")[-1]
    result = client.post(reverse("onboarding_apply", args=[token]))
    assert result.status_code == 200
    assert b'data-testid="onboarding-refused"' in result.content
    assert counts() == before


def test_an_export_above_the_competency_imports_limit_is_read(place, monkeypatch):
    """A province's SIASN export has more rows than a competency import takes (20,000): the
    onboarding reader takes it; above its own limit the problem names the row and the limit."""
    from sigap.onboarding import tabular

    header, first, *_ = csv_rows(SAMPLE_FILES["employees"].data)
    i = {h: n for n, h in enumerate(header)}
    rows = []
    for year in range(1966, 1987):  # 21 birth years x 999 = 20,979 NIPs
        for seq in range(1, 1000):
            row = list(first)
            row[i["NIP BARU"]] = f"{year}0610200501{1}{seq:03d}"
            row[i["TANGGAL LAHIR"]] = f"10-06-{year}"
            row[i["NIK"]] = row[i["PNS ID"]] = ""
            rows.append(row)
    data = csv_bytes([header, *rows])
    plan = onboarding.dry_run("employees", data, "asn.csv", agency=place.agency, actor=place.hr)
    assert plan.errors == [] and plan.counts()["create"] == 20_979
    monkeypatch.setattr(tabular, "MAX_ROWS", 20_000)
    plan = onboarding.dry_run("employees", data, "asn.csv", agency=place.agency, actor=place.hr)
    assert [(p.row, p.column, p.message) for p in plan.errors] == [
        (20_002, "", "The file has more than 20.000 data rows: one import takes at most that many.")
    ]


def test_a_nip_or_nik_that_excel_stored_as_a_number_is_refused_not_rounded(place):
    """A CSV opened in Excel and saved as a workbook: the NIP and NIK became numbers with 15
    significant digits (…011003 is …011000). Each such cell is an error, never a wrong NIP."""
    header, *rows = csv_rows(SAMPLE_FILES["employees"].data)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(
            [int(c[:15] + "0" * (len(c) - 15)) if h in ("NIP BARU", "NIK") and c else c
             for h, c in zip(header, row, strict=True)]
        )  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    plan = onboarding.dry_run(
        "employees", out.getvalue(), "asn.xlsx", agency=place.agency, actor=place.hr
    )
    with_nik = sum(1 for r in rows if r[header.index("NIK")])
    assert sorted((p.column, p.row) for p in plan.errors) == sorted(
        [("NIP BARU", n) for n in range(2, len(rows) + 2)]
        + [("NIK", n) for n, r in enumerate(rows, 2) if r[header.index("NIK")]]
    )
    assert len(plan.errors) == len(rows) + with_nik
    assert plan.errors[0].message.startswith("The workbook stores this number as a number")
