"""The open data at /data/ (issue #18, point 4): CKAN shapes, DCAT-AP, versions, caching, and
the figures being the transparency pages' own, on the test world with hand-known rows."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache

from sigap.leadership.models import ScorecardRefresh, UnitScorecard
from sigap.leadership.refresh import leadership_refresh
from sigap.leadership.scoring import bounds
from sigap.rules.ikm import ELEMENT_CODES
from sigap.surveys.models import SurveyResponse
from sigap.transparency import selectors
from tests import factories
from tests.conftest import local

REFRESHED = datetime(2025, 7, 2, 1, 30, tzinfo=ZoneInfo("Asia/Jakarta"))
FIRST = datetime(2025, 6, 1, 2, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
ACTION = "/data/api/3/action/"


def scorecard(refresh, unit, label, **figures) -> UnitScorecard:  # type: ignore[no-untyped-def]
    start, end = bounds(label)
    kind = "year" if "-" not in label else "quarter" if "Q" in label else "month"
    return UnitScorecard.objects.create(
        refresh=refresh, unit=unit, peer_group=unit.kind, period_kind=kind,
        period_start=start, period_end=end, period_label=label, **figures,
    )  # fmt: skip


@pytest.fixture(autouse=True)
def _fresh_cache():  # type: ignore[no-untyped-def]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def published(world):  # type: ignore[no-untyped-def]
    """Loket A, May 2025: 12 requests, 9 of 10 within the SLA, 3 of 4 complaints on time (a
    small sample); June: 8 of 8; Puskesmas B, May: 2 of 4 (small). The refresh ran on 2 July
    with data up to 30 June; an earlier one on 1 June."""
    world.agency.region_code = "32.19"
    world.agency.save()
    ScorecardRefresh.objects.create(finished_at=FIRST, as_of=date(2025, 5, 31))
    refresh = ScorecardRefresh.objects.create(finished_at=REFRESHED, as_of=date(2025, 6, 30))
    scorecard(
        refresh, world.counter_a, "2025-05", volume=12, sla_cases=10, sla_met=9, sla_share=0.9,
        complaints=4, complaints_on_time=3, complaints_on_time_share=0.75,
    )  # fmt: skip
    scorecard(refresh, world.counter_a, "2025-06", volume=8, sla_cases=8, sla_met=8, sla_share=1)
    scorecard(
        refresh, world.puskesmas_b, "2025-05", volume=4, sla_cases=4, sla_met=2, sla_share=0.5
    )
    return refresh


def get_json(client, url: str, status: int = 200, **query: str):  # type: ignore[no-untyped-def]
    response = client.get(url, query)
    assert response.status_code == status, (response.status_code, response.content[:300])
    return json.loads(response.content)


def extras(package: dict) -> dict[str, str]:  # type: ignore[type-arg]
    return {e["key"]: e["value"] for e in package["extras"]}


# --- CKAN action API -----------------------------------------------------------------------


def test_package_list_names_every_dataset_with_rows(client, world, published):
    body = get_json(client, ACTION + "package_list")
    assert body["success"] is True
    assert body["help"] == "http://testserver/data/api/3/action/help_show?name=package_list"
    # No survey answers: no IKM dataset.
    assert body["result"] == [
        "contoh-standar-pelayanan", "contoh-kepatuhan-sla", "contoh-pengaduan-tepat-waktu",
    ]  # fmt: skip


def test_package_show_is_the_ckan_package_dict(client, world, published):
    body = get_json(client, ACTION + "package_show", id="contoh-pengaduan-tepat-waktu")
    assert body["success"] is True
    result = body["result"]
    variables = json.loads(extras(result)["metadata_variabel"])
    assert [v["nama"] for v in variables] == [
        "kode_wilayah", "nama_instansi", "kode_unit", "nama_unit", "periode", "tanggal_awal",
        "tanggal_akhir", "pengaduan_dinilai", "ditindaklanjuti_tepat_waktu",
        "persentase_tepat_waktu", "sampel_kecil",
    ]  # fmt: skip
    assert variables[9]["satuan"] == "persen" and variables[9]["tipe_data"] == "desimal"
    # The version: the data date and the content hash (checked below to move with content).
    version = result.pop("version")
    assert version.startswith("2025-06-30.") and len(version) == len("2025-06-30.") + 8
    pid = result["id"]
    expected = {
        "id": pid,
        "name": "contoh-pengaduan-tepat-waktu",
        "title": "Pengaduan yang ditindaklanjuti tepat waktu per unit dan bulan — Kabupaten Contoh",
        "notes": result["notes"],
        "type": "dataset",
        "state": "active",
        "private": False,
        "isopen": True,
        "license_id": "cc-by",
        "license_title": "Creative Commons Attribution",
        "license_url": "http://www.opendefinition.org/licenses/cc-by",
        "author": "Kabupaten Contoh",
        "maintainer": "Kabupaten Contoh",
        "url": "http://testserver/transparansi/",
        # CKAN's timestamps: UTC, no offset. 1 June 02:00 WIB and 2 July 01:30 WIB.
        "metadata_created": "2025-05-31T19:00:00.000000",
        "metadata_modified": "2025-07-01T18:30:00.000000",
        "owner_org": result["organization"]["id"],
        "organization": {
            "id": result["organization"]["id"],
            "name": "contoh",
            "title": "Kabupaten Contoh",
            "type": "organization",
            "is_organization": True,
            "state": "active",
        },
        "tags": [
            {"name": "pengaduan", "display_name": "pengaduan", "state": "active"},
            {"name": "SP4N-LAPOR!", "display_name": "SP4N-LAPOR!", "state": "active"},
            {"name": "pelayanan publik", "display_name": "pelayanan publik", "state": "active"},
        ],
        "num_tags": 3,
        "resources": [
            {
                "id": result["resources"][0]["id"],
                "package_id": pid,
                "name": "Pengaduan yang ditindaklanjuti tepat waktu per unit dan bulan (CSV)",
                "description": f"CSV UTF-8 (koma, titik desimal); versi {version}",
                "format": "CSV",
                "mimetype": "text/csv",
                "url": "http://testserver/data/dataset/contoh-pengaduan-tepat-waktu.csv",
                "created": "2025-05-31T19:00:00.000000",
                "last_modified": "2025-07-01T18:30:00.000000",
                "position": 0,
                "state": "active",
            },
            {
                "id": result["resources"][1]["id"],
                "package_id": pid,
                "name": "Pengaduan yang ditindaklanjuti tepat waktu per unit dan bulan (JSON)",
                "description": f"JSON (fields dan records); versi {version}",
                "format": "JSON",
                "mimetype": "application/json",
                "url": "http://testserver/data/dataset/contoh-pengaduan-tepat-waktu.json",
                "created": "2025-05-31T19:00:00.000000",
                "last_modified": "2025-07-01T18:30:00.000000",
                "position": 1,
                "state": "active",
            },
        ],
        "num_resources": 2,
        "extras": [
            {"key": "kode_wilayah", "value": "32.19"},
            {"key": "nama_wilayah_instansi", "value": "Kabupaten Contoh"},
            {"key": "produsen_data", "value": "Kabupaten Contoh"},
            {"key": "penanggung_jawab", "value": "Kabupaten Contoh"},
            {"key": "frekuensi_penerbitan", "value": "Bulanan (dihitung ulang setiap hari)"},
            {"key": "cakupan",
             "value": "Unit pelayanan publik Kabupaten Contoh yang memiliki layanan aktif"},
            {"key": "tingkat_penyajian", "value": "unit pelayanan"},
            {"key": "satuan", "value": "persen"},
            {"key": "periode_awal", "value": "2025-05"},
            {"key": "periode_akhir", "value": "2025-05"},
            {"key": "tanggal_data", "value": "2025-06-30"},
            {"key": "sifat_data", "value": "terbuka"},
            {"key": "sumber", "value": "sigap (dihitung dari data operasional pelayanan)"},
            {"key": "metadata_variabel", "value": extras(result)["metadata_variabel"]},
        ],
    }  # fmt: skip
    assert result == expected
    assert "SP4N-LAPOR!" in result["notes"]
    # Stable identifiers: the same id by name or by id.
    again = get_json(client, ACTION + "package_show", id=pid)["result"]
    assert again["name"] == "contoh-pengaduan-tepat-waktu" and again["id"] == pid


def test_an_unknown_package_is_ckans_not_found(client, world, published):
    body = get_json(client, ACTION + "package_show", status=404, id="tidak-ada")
    assert body == {
        "help": "http://testserver/data/api/3/action/help_show?name=package_show",
        "success": False,
        "error": {"message": "Not found", "__type": "Not Found Error"},
    }
    missing = get_json(client, ACTION + "package_show", status=409)
    assert missing["error"] == {"id": ["Missing value"], "__type": "Validation Error"}
    unknown = get_json(client, ACTION + "datastore_delete", status=400)
    assert unknown["success"] is False and unknown["error"]["__type"] == "Bad Request"
    assert client.get("/data/dataset/tidak-ada.csv").status_code == 404
    assert client.get("/data/dataset/contoh-kepatuhan-sla.xml").status_code == 404


def test_package_search_finds_by_words_and_pages(client, world, published):
    body = get_json(client, ACTION + "package_search", q="Pengaduan  tepat")
    assert body["result"]["count"] == 1
    assert [p["name"] for p in body["result"]["results"]] == ["contoh-pengaduan-tepat-waktu"]
    everything = get_json(client, ACTION + "package_search", rows="2", start="1")["result"]
    assert everything["count"] == 3
    assert [p["name"] for p in everything["results"]] == [
        "contoh-kepatuhan-sla", "contoh-pengaduan-tepat-waktu",
    ]  # fmt: skip
    assert get_json(client, ACTION + "package_search", status=409, rows="x")["success"] is False


# --- The figures are the pages' --------------------------------------------------------------


def records(client, name: str) -> list[dict]:  # type: ignore[type-arg]
    return get_json(client, f"/data/dataset/{name}.json")["records"]  # type: ignore[no-any-return]


def test_sla_and_complaint_figures_equal_the_transparency_pages(client, world, published):
    sla = records(client, "contoh-kepatuhan-sla")
    assert sla == [
        {"kode_wilayah": "32.19", "nama_instansi": "Kabupaten Contoh", "kode_unit": "loket-a",
         "nama_unit": "Loket A", "periode": "2025-05", "tanggal_awal": "2025-05-01",
         "tanggal_akhir": "2025-05-31", "jumlah_permohonan": 12, "permohonan_dinilai": 10,
         "selesai_tepat_waktu": 9, "persentase_kepatuhan": 90.0, "sampel_kecil": False},
        {"kode_wilayah": "32.19", "nama_instansi": "Kabupaten Contoh", "kode_unit": "loket-a",
         "nama_unit": "Loket A", "periode": "2025-06", "tanggal_awal": "2025-06-01",
         "tanggal_akhir": "2025-06-30", "jumlah_permohonan": 8, "permohonan_dinilai": 8,
         "selesai_tepat_waktu": 8, "persentase_kepatuhan": 100.0, "sampel_kecil": True},
        {"kode_wilayah": "32.19", "nama_instansi": "Kabupaten Contoh", "kode_unit": "pkm-b",
         "nama_unit": "Puskesmas B", "periode": "2025-05", "tanggal_awal": "2025-05-01",
         "tanggal_akhir": "2025-05-31", "jumlah_permohonan": 4, "permohonan_dinilai": 4,
         "selesai_tepat_waktu": 2, "persentase_kepatuhan": 50.0, "sampel_kecil": True},
    ]  # fmt: skip
    complaints = records(client, "contoh-pengaduan-tepat-waktu")
    assert [(r["kode_unit"], r["periode"], r["pengaduan_dinilai"],
             r["ditindaklanjuti_tepat_waktu"], r["persentase_tepat_waktu"], r["sampel_kecil"])
            for r in complaints] == [("loket-a", "2025-05", 4, 3, 75.0, True)]  # fmt: skip
    # The unit's page for the month says the same, from the same selectors.
    period = selectors.parse_period("2025-05")
    assert period is not None
    now = selectors.trend(world.counter_a, period)[-1]
    assert (now.sla.whole, now.sla.part, round(now.sla.percent or 0, 1)) == (10, 9, 90.0)
    assert (now.complaints.whole, now.complaints.part, now.complaints.small) == (4, 3, True)
    html = client.get("/transparansi/loket-a/2025-05/").content.decode()
    assert '<span data-testid="unit-sla-value">90.0%</span>' in html
    assert "9 of 10 requests closed in the period" in html
    assert '<span data-testid="unit-complaints-value">75.0%</span>' in html
    assert "3 of 4 complaints judged" in html


def survey(world, at: datetime, **scores: int) -> None:  # type: ignore[no-untyped-def]
    answers = {code: scores.get(code, scores.get("all", 0)) for code in ELEMENT_CODES}
    SurveyResponse.objects.create(
        service=world.ktp, unit=world.counter_a, submitted_at=at, channel="receipt", **answers
    )


def test_ikm_per_unsur_is_hand_computed_and_equals_the_page(client, world):
    # Q2 2025 at Loket A: one answer all 4, one all 3 but "waktu" 2. NRR 3.5 for eight unsur,
    # waktu (U3) 3.0; IKM = (8 × 3.5 + 3.0) / 9 × 25 = 86.11, mutu B. A July answer is after
    # the data date and counts nowhere.
    survey(world, local(2025, 4, 10), all=4)
    survey(world, local(2025, 6, 30, 20), all=3, waktu=2)
    survey(world, local(2025, 7, 1, 8), all=1)
    leadership_refresh(as_of=date(2025, 6, 30), min_sample=1)
    rows = [r for r in records(client, "contoh-ikm-per-unsur") if r["periode"] == "2025-Q2"]
    assert [(r["kode_unsur"], r["nrr"]) for r in rows] == [
        ("U1", 3.5), ("U2", 3.5), ("U3", 3.0), ("U4", 3.5), ("U5", 3.5), ("U6", 3.5),
        ("U7", 3.5), ("U8", 3.5), ("U9", 3.5),
    ]  # fmt: skip
    assert rows[2]["nama_unsur"] == "Waktu Penyelesaian"
    assert {(r["responden"], r["ikm"], r["mutu"], r["kode_unit"]) for r in rows} == {
        (2, 86.11, "B", "loket-a")
    }
    assert len(rows) == 9
    # The transparency page of the quarter shows the same IKM from the same scorecard row.
    period = selectors.parse_period("2025-Q2")
    assert period is not None
    now = selectors.trend(world.counter_a, period)[-1]
    assert (now.ikm.value, now.ikm.mutu, now.ikm.respondents) == (86.11, "B", 2)
    assert rows[0]["sampel_kecil"] is now.ikm.small
    html = client.get("/transparansi/loket-a/2025-Q2/").content.decode()
    assert '<span data-testid="unit-ikm-value">86.11</span>' in html


def test_the_standards_dataset_lists_each_version_and_the_one_in_force(client, world, published):
    factories.standard(world.ktp, version=2, valid_from=date(2025, 1, 1), sla=2, tariff=5000)
    factories.standard(world.ktp, version=3, valid_from=date(2099, 1, 1))  # not yet in force
    rows = records(client, "contoh-standar-pelayanan")
    assert [(r["kode_layanan"], r["versi"], r["berlaku_mulai"], r["berlaku_saat_ini"],
             r["jangka_waktu_hari_kerja"], r["tarif_rupiah"]) for r in rows] == [
        ("ktp-el", 1, "2024-01-01", False, 3, 0),
        ("ktp-el", 2, "2025-01-01", True, 2, 5000),
        ("rujukan", 1, "2024-01-01", True, 1, 0),
    ]  # fmt: skip
    # "In force" is the unit page's standard.
    shown = selectors.services_with_standards(world.counter_a, None)
    assert [p.standard.version for p in shown if p.standard] == [2]
    package = get_json(client, ACTION + "package_show", id="contoh-standar-pelayanan")["result"]
    assert package["metadata_modified"] == "2024-12-31T17:00:00.000000"  # 1 Jan 2025 WIB
    assert package["version"].startswith("2025-01-01.")


def test_csv_and_json_resources_hold_the_same_rows(client, world, published):
    survey(world, local(2025, 5, 10), all=3)
    for name in get_json(client, ACTION + "package_list")["result"]:
        response = client.get(f"/data/dataset/{name}.csv")
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        text = response.content.decode("utf-8")
        assert text.startswith("\ufeff")
        table = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
        data = get_json(client, f"/data/dataset/{name}.json")
        headers = [f["id"] for f in data["fields"]]
        assert table[0] == headers
        as_text = [
            [
                "" if v is None else ("true" if v is True else "false" if v is False else str(v))
                for v in (r[h] for h in headers)
            ]
            for r in data["records"]
        ]
        assert table[1:] == as_text, name
        assert len(table) > 1


# --- DCAT-AP --------------------------------------------------------------------------------


def test_the_catalogue_is_dcat_ap_json_ld(client, world, published):
    response = client.get("/data/catalog.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    doc = json.loads(response.content)
    context = doc["@context"]
    assert context["dcat"] == "http://www.w3.org/ns/dcat#"
    assert context["dct"] == "http://purl.org/dc/terms/"
    assert doc["@type"] == "dcat:Catalog"
    assert doc["@id"] == "http://testserver/data/catalog.jsonld"
    datasets = doc["dcat:dataset"]
    assert [d["dct:identifier"] for d in datasets] == [
        "contoh-standar-pelayanan", "contoh-kepatuhan-sla", "contoh-pengaduan-tepat-waktu",
    ]  # fmt: skip
    sla = datasets[1]
    assert sla["@type"] == "dcat:Dataset"
    assert sla["@id"] == "http://testserver/data/api/3/action/package_show?id=contoh-kepatuhan-sla"
    assert sla["dct:spatial"] == {
        "@type": "dct:Location", "dct:identifier": "32.19",
        "dct:title": {"@value": "Kabupaten Contoh", "@language": "id"},
    }  # fmt: skip
    assert sla["dct:accrualPeriodicity"] == {
        "@id": "http://publications.europa.eu/resource/authority/frequency/MONTHLY"
    }
    assert sla["dct:license"] == {"@id": "https://creativecommons.org/licenses/by/4.0/"}
    assert sla["dct:modified"] == {"@value": "2025-07-01T18:30:00+00:00", "@type": "xsd:dateTime"}
    assert sla["dct:publisher"]["foaf:name"] == "Kabupaten Contoh"
    csv_dist, json_dist = sla["dcat:distribution"]
    assert csv_dist["dcat:downloadURL"] == {
        "@id": "http://testserver/data/dataset/contoh-kepatuhan-sla.csv"
    }
    assert csv_dist["dcat:mediaType"] == {
        "@id": "https://www.iana.org/assignments/media-types/text/csv"
    }
    assert json_dist["dcat:accessURL"]["@id"].endswith("contoh-kepatuhan-sla.json")
    # Every compact IRI uses a prefix of the context; every @id is absolute (JSON-LD expands
    # them as written).
    prefixes: set[str] = set()
    ids: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "@id":
                    ids.append(value)
                elif key == "@type":
                    prefixes.add(value.partition(":")[0])
                elif not key.startswith("@"):
                    prefixes.add(key.partition(":")[0])
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk({k: v for k, v in doc.items() if k != "@context"})
    assert prefixes <= set(context), prefixes - set(context)
    assert all(i.startswith(("http://", "https://")) for i in ids), ids


def test_without_a_region_code_there_is_no_spatial(client, world, published):
    world.agency.region_code = ""
    world.agency.save()
    doc = get_json(client, "/data/catalog.jsonld")
    assert all("dct:spatial" not in d for d in doc["dcat:dataset"])
    package = get_json(client, ACTION + "package_show", id="contoh-kepatuhan-sla")["result"]
    assert extras(package)["kode_wilayah"] == ""


# --- Versions and caching --------------------------------------------------------------------


def test_answers_carry_validators_and_a_matching_etag_is_a_304(client, world, published):
    for url in (
        ACTION + "package_list",
        ACTION + "package_show?id=contoh-kepatuhan-sla",
        "/data/dataset/contoh-kepatuhan-sla.csv",
        "/data/dataset/contoh-kepatuhan-sla.json",
        "/data/catalog.jsonld",
    ):
        first = client.get(url)
        assert first.status_code == 200
        etag = first["ETag"]
        assert etag.startswith('"') and etag.endswith('"')
        assert "public" in first["Cache-Control"] and "max-age=3600" in first["Cache-Control"]
        assert first["Last-Modified"] == "Tue, 01 Jul 2025 18:30:00 GMT"
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304, url
        assert again.content == b"" and again["ETag"] == etag
        assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200


def test_the_version_moves_with_the_content_only(client, world, published):
    def show(name: str) -> dict:  # type: ignore[type-arg]
        return get_json(client, ACTION + "package_show", id=name)["result"]  # type: ignore[no-any-return]

    before = show("contoh-kepatuhan-sla")
    complaints = show("contoh-pengaduan-tepat-waktu")
    etag = client.get("/data/dataset/contoh-kepatuhan-sla.csv")["ETag"]
    assert show("contoh-kepatuhan-sla") == before  # asked again: the same version and dates
    # The refresh runs again the same day (scorecard rows are only ever written by a refresh):
    # June is now 7 of 8.
    rerun = ScorecardRefresh.objects.create(
        finished_at=datetime(2025, 7, 2, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta")),
        as_of=date(2025, 6, 30),
    )
    UnitScorecard.objects.update(refresh=rerun)
    row = UnitScorecard.objects.get(unit=world.counter_a, period_label="2025-06")
    row.sla_met, row.sla_share = 7, 7 / 8
    row.save()
    after = show("contoh-kepatuhan-sla")
    assert after["version"] != before["version"]
    assert after["version"].startswith("2025-06-30.")
    assert after["metadata_modified"] == "2025-07-02T02:00:00.000000"
    assert client.get("/data/dataset/contoh-kepatuhan-sla.csv")["ETag"] != etag
    # The complaints did not change: the same version and bytes of the rows (its
    # metadata_modified is the refresh's: see docs/open-data.md, UNCERTAIN).
    again = show("contoh-pengaduan-tepat-waktu")
    assert again["version"] == complaints["version"]
    assert again["metadata_modified"] == "2025-07-02T02:00:00.000000"


def test_package_list_reads_a_few_rows(client, world, published, django_assert_max_num_queries):
    survey(world, local(2025, 5, 10), all=3)
    # Built: the key (agencies, refresh, standards), then standards, first refresh, months,
    # the answers' span and tallies, quarters.
    with django_assert_max_num_queries(9):
        client.get(ACTION + "package_list")
    # Kept: the key's three queries only.
    with django_assert_max_num_queries(3):
        client.get(ACTION + "package_show?id=contoh-ikm-per-unsur")


# --- No personal data ------------------------------------------------------------------------


def test_no_personal_data_in_any_dataset_or_resource(client, world, published):
    from sigap.complaints.services import Reporter, complaint_submit

    sr = factories.submit(world, at=local(2025, 5, 6))
    complaint_submit(
        category="lambat",
        description="Lama sekali",
        reporter=Reporter(name="Rina Marlina", contact="rina@example.org"),
        receipt_code=sr.receipt_code,
    )
    SurveyResponse.objects.create(
        service=world.ktp, unit=world.counter_a, submitted_at=local(2025, 5, 7), channel="receipt",
        comment="Saya Joko Susanto 0857-9999-8888", **{c: 3 for c in ELEMENT_CODES},
    )  # fmt: skip
    leadership_refresh(as_of=date(2025, 6, 30), min_sample=1)
    private = [
        "Ahmad Fauzi", "0812-3456-7890", "3201011703850001", "320101", "Cibeureum",
        "Rina Marlina", "rina@example.org", "Joko Susanto", "0857-9999-8888", sr.receipt_code,
        "Siti Rahmawati", "Bambang Wijaya", "Dewi Lestari",
        world.officer_a.nip, world.head_a.nip, world.officer_b.nip,
    ]  # fmt: skip
    names = get_json(client, ACTION + "package_list")["result"]
    assert "contoh-ikm-per-unsur" in names  # the survey is in: every family is checked
    urls = [ACTION + "package_list", ACTION + "package_search", "/data/catalog.jsonld"]
    for name in names:
        urls += [
            f"{ACTION}package_show?id={name}",
            f"/data/dataset/{name}.csv",
            f"/data/dataset/{name}.json",
        ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        for value in private:
            assert value and value not in text, (url, value)


def test_decimal_tariffs_are_whole_rupiah(world):
    from sigap.transparency.opendata import _json_value

    assert _json_value(Decimal("5000")) == 5000
    assert _json_value(date(2025, 1, 2)) == "2025-01-02"


def test_the_transparency_page_links_to_the_catalogue_in_indonesian(client, world, published):
    client.cookies["django_language"] = "id"
    html = client.get("/transparansi/", headers={"Accept-Language": "id"}).content.decode()
    links = html[html.index('data-testid="opendata-links"') :]
    links = links[: links.index("</p>")]
    assert "Data terbuka: angka-angka ini dan standar pelayanan" in links
    assert 'href="/data/catalog.jsonld"' in links and "katalog dataset (DCAT-AP)" in links
    assert 'href="/data/api/3/action/package_list"' in links and "API CKAN" in links
