"""The transparency figures as open data a Satu Data portal can harvest (issue #18, point 4).

Four datasets per agency, one per figure family of the public transparency pages:

* ``<agency>-standar-pelayanan``: every published version of the standard of every active
  service, up to the one in force today (service, unit, time limit, tariff, product, in force
  from/until);
* ``<agency>-kepatuhan-sla``: requests completed within the standard's time limit, per unit and
  month;
* ``<agency>-ikm-per-unsur``: the IKM per unit and quarter with the NRR of each unsur U1–U9;
* ``<agency>-pengaduan-tepat-waktu``: complaints followed up on time, per unit and month.

One definition per figure: the SLA, IKM and complaint figures are the pages' own
(`selectors.published_figures`, i.e. `selectors.figures` over the scorecard rows, rounded as the
pages' exports round them); the NRR per unsur comes from the same tallies and formula the
scorecard refresh folds into the IKM (`sigap.surveys.selectors.tallies`, `ikm_series`), cut at
the refresh's data date. Nothing here computes a metric of its own, reads a person, a request
or a survey comment: rows are per unit and period. Small samples are flagged (``sampel_kecil``)
exactly where the pages say "small sample"; the pages suppress nothing, and neither does this.

The metadata (titles, definitions, Satu Data fields) is in Bahasa Indonesia and not translated:
a harvester must get the same bytes whatever its language, or the version and ETag would move.
See docs/open-data.md.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone

from sigap import spreadsheets
from sigap.analytics.ikm import PeriodKind as IkmPeriodKind
from sigap.analytics.ikm import ikm_series
from sigap.catalogue.models import ServiceStandard
from sigap.leadership.models import ScorecardRefresh
from sigap.organisation.models import Agency
from sigap.rules.ikm import ELEMENTS, IkmResult
from sigap.surveys.models import SurveyResponse
from sigap.surveys.selectors import tallies, weighting
from sigap.transparency import selectors
from sigap.transparency.tables import _pct

LICENSE = {
    "id": "cc-by",
    "title": "Creative Commons Attribution",
    "url": "http://www.opendefinition.org/licenses/cc-by",
    "uri": "https://creativecommons.org/licenses/by/4.0/",
}
# EU Publications Office frequency vocabulary (DCAT-AP's accrualPeriodicity).
FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"
NRR_PLACES = 3


@dataclass(frozen=True)
class Variable:
    """One column, with its MS-Var-like metadata (nama, definisi, tipe data, satuan)."""

    name: str
    definition: str
    type: str  # teks, bilangan bulat, desimal, tanggal, boolean
    unit: str = ""

    def metadata(self) -> dict[str, str]:
        return {
            "nama": self.name,
            "definisi": self.definition,
            "tipe_data": self.type,
            "satuan": self.unit,
        }


COMMON = (
    Variable("kode_wilayah", "Kode wilayah Kemendagri instansi (Kepmendagri 300.2.2-2138/2025)",
             "teks"),
    Variable("nama_instansi", "Nama instansi pemerintah penyelenggara pelayanan", "teks"),
    Variable("kode_unit", "Kode unit pelayanan di sigap (tetap, dipakai di alamat halaman "
             "transparansi)", "teks"),
    Variable("nama_unit", "Nama unit pelayanan publik", "teks"),
)  # fmt: skip
PERIOD = (
    Variable("periode", "Periode data: bulan (2025-06) atau triwulan (2025-Q2)", "teks"),
    Variable("tanggal_awal", "Hari pertama periode", "tanggal"),
    Variable("tanggal_akhir", "Hari terakhir periode", "tanggal"),
)
SMALL = Variable(
    "sampel_kecil",
    "Benar bila sampel lebih kecil dari minimum sehingga angka perlu dibaca hati-hati (halaman "
    'transparansi menandainya "sampel kecil")',
    "boolean",
)


@dataclass(frozen=True)
class Family:
    """One kind of dataset: what it holds and how its metadata reads."""

    slug: str
    title: str
    notes: str
    variables: tuple[Variable, ...]
    frequency: str  # Satu Data "frekuensi penerbitan"
    accrual: str  # DCAT-AP frequency code
    unit: str  # Satu Data "satuan"
    figure: bool  # from the scorecard refresh (else from the catalogue)
    tags: tuple[str, ...] = ()


FAMILIES: tuple[Family, ...] = (
    Family(
        "standar-pelayanan",
        "Standar pelayanan",
        "Setiap versi standar pelayanan (PermenPANRB 15/2014) yang telah berlaku atau sedang "
        "berlaku untuk layanan aktif: jangka waktu penyelesaian, tarif, produk, saluran "
        "pengaduan, dan masa berlakunya.",
        (
            *COMMON,
            Variable("kode_layanan", "Kode layanan di katalog sigap", "teks"),
            Variable("nama_layanan", "Nama jenis pelayanan", "teks"),
            Variable("versi", "Nomor versi standar pelayanan", "bilangan bulat"),
            Variable("berlaku_mulai", "Tanggal versi mulai berlaku", "tanggal"),
            Variable("berlaku_sampai", "Tanggal terakhir versi berlaku; kosong bila tanpa batas",
                     "tanggal"),
            Variable("berlaku_saat_ini", "Benar bila versi ini yang berlaku hari ini", "boolean"),
            Variable("jangka_waktu_hari_kerja", "Jangka waktu penyelesaian pelayanan",
                     "bilangan bulat", "hari kerja"),
            Variable("tarif_rupiah", "Biaya/tarif pelayanan; 0 berarti gratis", "bilangan bulat",
                     "rupiah"),
            Variable("produk_layanan", "Produk pelayanan", "teks"),
            Variable("penanganan_pengaduan", "Saluran penanganan pengaduan resmi unit", "teks"),
        ),
        "Sewaktu-waktu (saat versi standar baru mulai berlaku)",
        "IRREG",
        "hari kerja; rupiah",
        figure=False,
        tags=("standar pelayanan", "pelayanan publik"),
    ),
    Family(
        "kepatuhan-sla",
        "Kepatuhan jangka waktu pelayanan (SLA) per unit dan bulan",
        "Permohonan yang selesai (atau ditolak) dalam bulan tersebut dan dinilai terhadap "
        "jangka waktu standar pelayanan yang berlaku saat diajukan; berapa yang selesai dalam "
        "jangka waktu (hari kerja, dikurangi hari berkas dikembalikan ke pemohon).",
        (
            *COMMON,
            *PERIOD,
            Variable("jumlah_permohonan", "Permohonan yang diajukan dalam periode",
                     "bilangan bulat", "permohonan"),
            Variable("permohonan_dinilai", "Permohonan selesai dalam periode yang dinilai "
                     "terhadap jangka waktu", "bilangan bulat", "permohonan"),
            Variable("selesai_tepat_waktu", "Permohonan dinilai yang selesai dalam jangka waktu",
                     "bilangan bulat", "permohonan"),
            Variable("persentase_kepatuhan", "selesai_tepat_waktu / permohonan_dinilai × 100, "
                     "satu desimal; kosong bila tidak ada yang dinilai", "desimal", "persen"),
            SMALL,
        ),
        "Bulanan (dihitung ulang setiap hari)",
        "MONTHLY",
        "persen",
        figure=True,
        tags=("kepatuhan SLA", "pelayanan publik", "kinerja"),
    ),
    Family(
        "ikm-per-unsur",
        "Indeks Kepuasan Masyarakat (IKM) per unit, triwulan dan unsur",
        "Nilai rata-rata (NRR) tiap unsur U1–U9 Survei Kepuasan Masyarakat dan IKM unit "
        "(PermenPANRB 14/2017, skala 25–100) per triwulan, dari jawaban survei yang masuk "
        "sampai tanggal data.",
        (
            *COMMON,
            *PERIOD,
            Variable("kode_unsur", "Kode unsur SKM (U1–U9, urutan PermenPANRB 14/2017)", "teks"),
            Variable("nama_unsur", "Nama unsur SKM", "teks"),
            Variable("nrr", "Nilai rata-rata unsur: jumlah nilai / jumlah jawaban terisi, tiga "
                     "desimal; kosong bila tidak ada jawaban", "desimal", "nilai 1–4"),
            Variable("responden", "Jumlah responden SKM unit dalam periode", "bilangan bulat",
                     "orang"),
            Variable("ikm", "IKM unit dalam periode (semua unsur), dua desimal", "desimal",
                     "indeks 25–100"),
            Variable("mutu", "Mutu pelayanan (A, B, C, D)", "teks"),
            Variable(
                "sampel_kecil",
                "Benar bila responden lebih sedikit dari sampel Krejcie–Morgan untuk jumlah "
                "permohonan periode itu",
                "boolean",
            ),
        ),
        "Triwulanan (dihitung ulang setiap hari)",
        "QUARTERLY",
        "indeks 25–100; nilai 1–4",
        figure=True,
        tags=("IKM", "survei kepuasan masyarakat", "pelayanan publik"),
    ),
    Family(
        "pengaduan-tepat-waktu",
        "Pengaduan yang ditindaklanjuti tepat waktu per unit dan bulan",
        "Pengaduan tentang unit yang diajukan dalam bulan tersebut, diteruskan ke unit dan "
        "sudah ditindaklanjuti atau melewati batas waktunya; berapa yang ditindaklanjuti "
        "paling lambat pada batas waktu SP4N-LAPOR!.",
        (
            *COMMON,
            *PERIOD,
            Variable("pengaduan_dinilai", "Pengaduan yang dinilai", "bilangan bulat", "pengaduan"),
            Variable("ditindaklanjuti_tepat_waktu", "Pengaduan dinilai yang ditindaklanjuti "
                     "tepat waktu", "bilangan bulat", "pengaduan"),
            Variable("persentase_tepat_waktu", "ditindaklanjuti_tepat_waktu / pengaduan_dinilai "
                     "× 100, satu desimal; kosong bila tidak ada yang dinilai", "desimal",
                     "persen"),
            SMALL,
        ),
        "Bulanan (dihitung ulang setiap hari)",
        "MONTHLY",
        "persen",
        figure=True,
        tags=("pengaduan", "SP4N-LAPOR!", "pelayanan publik"),
    ),
)  # fmt: skip
FAMILY_BY_SLUG = {f.slug: f for f in FAMILIES}


@dataclass
class Dataset:
    """One dataset of one agency: its rows and what its metadata is derived from."""

    agency: Agency
    family: Family
    rows: list[list[Any]] = field(default_factory=list)
    data_date: date | None = None  # the data's cut-off (figures) or the newest start (standards)
    created: datetime | None = None
    modified: datetime | None = None
    first_period: str = ""
    last_period: str = ""

    @property
    def name(self) -> str:
        # CKAN names are lower case (an agency code is a slug, which may have capitals).
        return f"{self.agency.code.lower()}-{self.family.slug}"

    @property
    def id(self) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"sigap:opendata:{self.name}"))

    @property
    def headers(self) -> list[str]:
        return [v.name for v in self.family.variables]

    def records(self) -> list[dict[str, Any]]:
        return [
            dict(zip(self.headers, (_json_value(v) for v in row), strict=True)) for row in self.rows
        ]

    @cached_property
    def digest(self) -> str:
        """A hash of the content (names of the columns and every cell)."""
        text = json.dumps([self.headers, self.records()], ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()

    @property
    def version(self) -> str:
        """The data's date and the first 8 hex digits of the content hash: "2025-06-30.3f2a9c1d"."""
        day = self.data_date.isoformat() if self.data_date else "0000-00-00"
        return f"{day}.{self.digest[:8]}"

    def csv(self) -> bytes:
        return spreadsheets.to_csv(
            self.headers, self.rows, text=_csv_text, dialect=spreadsheets.INTERNATIONAL
        )

    def json(self) -> dict[str, Any]:
        return {
            "dataset": self.name,
            "version": self.version,
            "fields": [{"id": v.name, "type": v.type} for v in self.family.variables],
            "records": self.records(),
        }


def _json_value(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _csv_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return spreadsheets.plain_text(value)


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


# --- Building the datasets -------------------------------------------------------------------


def _unit_cells(agency: Agency, unit: Any) -> list[Any]:
    return [agency.region_code, agency.name, unit.code, unit.name]


def _standards(agencies: dict[int, Agency], today: date) -> dict[int, Dataset]:
    """Every version in force today or before, of the active services; "in force today" is the
    pages' rule (`selectors.services_with_standards`: the newest start that has begun and not
    ended)."""
    found = (
        ServiceStandard.objects.filter(service__is_active=True, valid_from__lte=today)
        .select_related("service__unit")
        .order_by("service__unit__path", "service__name", "service__code", "version")
    )
    standards = list(found)
    in_force: dict[int, int] = {}
    for std in sorted(standards, key=lambda s: s.valid_from or date.min):
        if std.valid_until is None or std.valid_until >= today:
            in_force[std.service_id] = std.pk
    out: dict[int, Dataset] = {}
    for std in standards:
        unit = std.service.unit
        agency = agencies[unit.agency_id]
        ds = out.setdefault(agency.pk, Dataset(agency, FAMILY_BY_SLUG["standar-pelayanan"]))
        ds.rows.append([
            *_unit_cells(agency, unit),
            std.service.code, std.service.name, std.version, std.valid_from, std.valid_until,
            in_force.get(std.service_id) == std.pk,
            std.sla_working_days, std.tariff_rupiah, std.product, std.complaint_channel,
        ])  # fmt: skip
        assert std.valid_from is not None  # filtered above
        # The content changes the day a version starts, and the day after one ends.
        changes = [std.valid_from]
        if std.valid_until is not None and std.valid_until < today:
            changes.append(std.valid_until + timedelta(days=1))
        ds.data_date = max(ds.data_date or date.min, *changes)
        first = _local_midnight(std.valid_from)
        ds.created = min(ds.created or first, first)
    for ds in out.values():
        assert ds.data_date is not None
        ds.modified = _local_midnight(ds.data_date)
    return out


def unsur_results(refresh: ScorecardRefresh) -> dict[tuple[int, str], IkmResult]:
    """The SKM result (NRR per unsur) per (unit, quarter), from the answers given up to the
    refresh's data date: the tallies and formula the refresh folds into the scorecard's IKM.
    Cached per refresh (one GROUP BY over the answers)."""
    key = f"sigap:opendata:unsur:{refresh.pk}:{refresh.as_of}:{weighting()}"
    cached = cache.get(key)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    until = _local_midnight(refresh.as_of + timedelta(days=1))
    found = tallies(
        SurveyResponse.objects.filter(submitted_at__lt=until),
        group="unit",
        kind=IkmPeriodKind.QUARTER,
    )
    out = {(int(p.group), p.period): p.result for p in ikm_series(found, weighting=weighting())}
    cache.set(key, out, 24 * 3600)
    return out


def _figure_datasets(
    agencies: dict[int, Agency], refresh: ScorecardRefresh, first: ScorecardRefresh
) -> dict[tuple[int, str], Dataset]:
    out: dict[tuple[int, str], Dataset] = {}

    def dataset(agency: Agency, slug: str) -> Dataset:
        return out.setdefault(
            (agency.pk, slug),
            Dataset(
                agency,
                FAMILY_BY_SLUG[slug],
                data_date=refresh.as_of,
                created=first.finished_at,
                modified=refresh.finished_at,
            ),
        )

    for p in selectors.published_figures("month"):
        agency = agencies[p.unit.agency_id]
        f = p.figures
        head = [*_unit_cells(agency, p.unit), f.period_label, p.start, p.end]
        if f.sla.whole or f.volume:
            dataset(agency, "kepatuhan-sla").rows.append(
                [*head, f.volume, f.sla.whole, f.sla.part, _pct(f.sla.percent), f.sla.small]
            )
        if f.complaints.whole:
            dataset(agency, "pengaduan-tepat-waktu").rows.append([
                *head, f.complaints.whole, f.complaints.part, _pct(f.complaints.percent),
                f.complaints.small,
            ])  # fmt: skip
    nrr = unsur_results(refresh)
    for p in selectors.published_figures("quarter"):
        f = p.figures
        result = nrr.get((p.unit.pk, f.period_label))
        if not f.ikm.respondents or result is None:
            continue
        agency = agencies[p.unit.agency_id]
        head = [*_unit_cells(agency, p.unit), f.period_label, p.start, p.end]
        rows = dataset(agency, "ikm-per-unsur").rows
        for element in ELEMENTS:
            value = result.nrr.get(element.code)
            rows.append([
                *head, f"U{element.number}", element.name,
                None if value is None else round(float(value), NRR_PLACES),
                f.ikm.respondents,
                None if f.ikm.value is None else round(f.ikm.value, 2),
                f.ikm.mutu, f.ikm.small,
            ])  # fmt: skip
    return out


# Built datasets are kept this long per process: a renamed unit or service (which no key below
# sees) shows within five minutes, as on the transparency pages; new figures, standards or
# region codes change the key at once.
BUILT_SECONDS = 300


def _key(today: date, agencies: list[Agency], refresh: ScorecardRefresh | None) -> str:
    standards = ServiceStandard.objects.aggregate(
        n=Count("pk"), last=Max("pk"), start=Max("valid_from"), end=Max("valid_until")
    )
    parts = [
        today.isoformat(),
        [(a.pk, a.code, a.name, a.region_code) for a in agencies],
        [refresh.pk, refresh.finished_at.isoformat()] if refresh else None,
        [str(v) for v in standards.values()],
        str(weighting()),
    ]
    text = json.dumps(parts, ensure_ascii=False, sort_keys=True)
    return "sigap:opendata:built:" + hashlib.sha256(text.encode()).hexdigest()


def datasets(today: date | None = None) -> list[Dataset]:
    """Every dataset with rows, by agency then family (the order of `FAMILIES`)."""
    today = today or timezone.localdate()
    everyone = list(Agency.objects.all())
    refresh = selectors.last_refresh()
    key = _key(today, everyone, refresh)
    cached = cache.get(key)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    built = _build(today, everyone, refresh)
    for ds in built:
        ds.digest  # computed once, before caching  # noqa: B018
    cache.set(key, built, BUILT_SECONDS)
    return built


def _build(today: date, everyone: list[Agency], refresh: ScorecardRefresh | None) -> list[Dataset]:
    agencies = {a.pk: a for a in everyone}
    standards = _standards(agencies, today)
    first = selectors.first_refresh()
    figures = _figure_datasets(agencies, refresh, first) if refresh and first else {}
    out: list[Dataset] = []
    for agency in sorted(agencies.values(), key=lambda a: a.code):
        for family in FAMILIES:
            ds = (
                standards.get(agency.pk)
                if not family.figure
                else figures.get((agency.pk, family.slug))
            )
            if ds is not None and ds.rows:
                periods = [r[len(COMMON)] for r in ds.rows] if family.figure else []
                ds.first_period = min(periods, default="")
                ds.last_period = max(periods, default="")
                out.append(ds)
    return out


def dataset(name: str, today: date | None = None) -> Dataset | None:
    return next((d for d in datasets(today) if d.name == name), None)


# --- CKAN and DCAT-AP --------------------------------------------------------------------------


def ckan_time(moment: datetime | None) -> str | None:
    """CKAN's timestamps: UTC without an offset, microseconds ("2025-07-01T18:30:00.000000")."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


def iso_time(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat(timespec="seconds")


Url = Callable[[str], str]  # a path to an absolute URL


@dataclass(frozen=True)
class Links:
    """The absolute URLs of one installation (the views build them from the request)."""

    absolute: Url
    package: Callable[[str], str]  # name -> package_show URL
    resource: Callable[[str, str], str]  # name, format -> download URL
    page: str  # the public transparency index
    catalog: str


def _extras(ds: Dataset) -> list[dict[str, str]]:
    f = ds.family
    values = [
        ("kode_wilayah", ds.agency.region_code),
        ("nama_wilayah_instansi", ds.agency.name),
        ("produsen_data", ds.agency.name),
        ("penanggung_jawab", ds.agency.name),
        ("frekuensi_penerbitan", f.frequency),
        ("cakupan", f"Unit pelayanan publik {ds.agency.name} yang memiliki layanan aktif"),
        ("tingkat_penyajian", "unit pelayanan"),
        ("satuan", f.unit),
        ("periode_awal", ds.first_period),
        ("periode_akhir", ds.last_period),
        ("tanggal_data", ds.data_date.isoformat() if ds.data_date else ""),
        ("sifat_data", "terbuka"),
        ("sumber", "sigap (dihitung dari data operasional pelayanan)"),
        ("metadata_variabel", json.dumps([v.metadata() for v in f.variables], ensure_ascii=False)),
    ]
    return [{"key": k, "value": v} for k, v in values]


def _resources(ds: Dataset, links: Links) -> list[dict[str, Any]]:
    out = []
    for position, (fmt, mimetype, what) in enumerate(
        (
            ("CSV", "text/csv", "CSV UTF-8 (koma, titik desimal)"),
            ("JSON", "application/json", "JSON (fields dan records)"),
        )
    ):
        out.append({
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"sigap:opendata:{ds.name}.{fmt.lower()}")),
            "package_id": ds.id,
            "name": f"{ds.family.title} ({fmt})",
            "description": f"{what}; versi {ds.version}",
            "format": fmt,
            "mimetype": mimetype,
            "url": links.resource(ds.name, fmt.lower()),
            "created": ckan_time(ds.created),
            "last_modified": ckan_time(ds.modified),
            "position": position,
            "state": "active",
        })  # fmt: skip
    return out


def organization(agency: Agency) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"sigap:opendata:org:{agency.code}")),
        "name": agency.code.lower(),
        "title": agency.name,
        "type": "organization",
        "is_organization": True,
        "state": "active",
    }


def package(ds: Dataset, links: Links) -> dict[str, Any]:
    """The dataset as CKAN's package_show returns it."""
    org = organization(ds.agency)
    tags = [{"name": t, "display_name": t, "state": "active"} for t in ds.family.tags]
    resources = _resources(ds, links)
    return {
        "id": ds.id,
        "name": ds.name,
        "title": f"{ds.family.title} — {ds.agency.name}",
        "notes": ds.family.notes,
        "type": "dataset",
        "state": "active",
        "private": False,
        "isopen": True,
        "license_id": LICENSE["id"],
        "license_title": LICENSE["title"],
        "license_url": LICENSE["url"],
        "author": ds.agency.name,
        "maintainer": ds.agency.name,
        "url": links.page,
        "version": ds.version,
        "metadata_created": ckan_time(ds.created),
        "metadata_modified": ckan_time(ds.modified),
        "owner_org": org["id"],
        "organization": org,
        "tags": tags,
        "num_tags": len(tags),
        "resources": resources,
        "num_resources": len(resources),
        "extras": _extras(ds),
    }


def search(found: Sequence[Dataset], q: str) -> list[Dataset]:
    """package_search's q, minimal: every word in the name, title, notes or tags."""
    words = q.lower().split()

    def text(ds: Dataset) -> str:
        f = ds.family
        return " ".join([ds.name, f.title, ds.agency.name, f.notes, *f.tags]).lower()

    return [ds for ds in found if all(w in text(ds) for w in words)]


MEDIA_TYPE = "https://www.iana.org/assignments/media-types/"
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "adms": "http://www.w3.org/ns/adms#",
    "owl": "http://www.w3.org/2002/07/owl#",
}


def _literal(value: str, language: str = "id") -> dict[str, str]:
    return {"@value": value, "@language": language}


def _date_time(moment: datetime | None) -> dict[str, str] | None:
    text = iso_time(moment)
    return None if text is None else {"@value": text, "@type": "xsd:dateTime"}


def catalog(found: Sequence[Dataset], links: Links) -> dict[str, Any]:
    """The DCAT-AP catalogue as JSON-LD. The region is a dct:Location with the Kemendagri code
    as its dct:identifier (a literal: there is no official URI per region code)."""
    entries = []
    for ds in found:
        publisher = {
            "@id": links.absolute(f"#organisasi-{ds.agency.code}"),
            "@type": "foaf:Agent",
            "foaf:name": ds.agency.name,
        }
        entry: dict[str, Any] = {
            "@id": links.package(ds.name),
            "@type": "dcat:Dataset",
            "dct:identifier": ds.name,
            "dct:title": _literal(f"{ds.family.title} — {ds.agency.name}"),
            "dct:description": _literal(ds.family.notes),
            "dct:publisher": publisher,
            "dct:issued": _date_time(ds.created),
            "dct:modified": _date_time(ds.modified),
            "owl:versionInfo": ds.version,
            "dct:accrualPeriodicity": {"@id": FREQUENCY + ds.family.accrual},
            "dct:license": {"@id": LICENSE["uri"]},
            "dcat:keyword": [_literal(t) for t in ds.family.tags],
            "dcat:landingPage": {"@id": links.page},
            "dcat:distribution": [
                {
                    "@id": links.resource(ds.name, fmt),
                    "@type": "dcat:Distribution",
                    "dct:title": _literal(f"{ds.family.title} ({fmt.upper()})"),
                    "dcat:accessURL": {"@id": links.resource(ds.name, fmt)},
                    "dcat:downloadURL": {"@id": links.resource(ds.name, fmt)},
                    "dcat:mediaType": {"@id": MEDIA_TYPE + mime},
                    "dct:format": fmt.upper(),
                    "dct:license": {"@id": LICENSE["uri"]},
                    "dct:modified": _date_time(ds.modified),
                }
                for fmt, mime in (("csv", "text/csv"), ("json", "application/json"))
            ],
        }
        if ds.agency.region_code:
            entry["dct:spatial"] = {
                "@type": "dct:Location",
                "dct:identifier": ds.agency.region_code,
                "dct:title": _literal(ds.agency.name),
            }
        entries.append(entry)
    modified = max((ds.modified for ds in found if ds.modified), default=None)
    publishers = sorted({ds.agency.name for ds in found})
    return {
        "@context": CONTEXT,
        "@id": links.catalog,
        "@type": "dcat:Catalog",
        "dct:title": _literal("Katalog data terbuka transparansi pelayanan publik"),
        "dct:description": _literal(
            "Standar pelayanan, kepatuhan jangka waktu, IKM per unsur dan pengaduan yang "
            "ditindaklanjuti tepat waktu, per unit pelayanan dan periode."
        ),
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": ", ".join(publishers)},
        "dct:modified": _date_time(modified),
        "dct:license": {"@id": LICENSE["uri"]},
        "dcat:dataset": entries,
    }
