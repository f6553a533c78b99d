# ruff: noqa: E501  (data tables read better one entry per line)
"""The demo's innovation registry beyond the planted innovations (`innovation_plant`):
innovations at every stage with their stage history, a replication by another region, ideas
from staff with endorsements (some from roadmap actions, complaint patterns and weak SKM unsur,
linked back; some accepted into the registry, some declined with a reason) and the agency's IID
answers for the 2026 frame (SPD answers, and the SID indicator answers of the innovations in
application).

Written in bulk like the rest of the demo, keeping the models' invariants: stage dates in order
(initiative <= trial <= application), one StageChange per stage reached, in order.

The innovations in application added here sit in units that offer no service of their own
(a kecamatan without a service in the catalogue, a secretariat, an OPD's office): the effect
refresh measures an innovation on its units' services, and these would otherwise take the
planted innovations' comparison services away from them. Initiatives and trials are not
measured, so they name the services they will change, and most the indicator they aim to improve
(`target_kpi`); the applied ones without a service of their own declare one only where a service
indicator fits (the PBG clinic: files right the first time), the others none.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from sigap.catalogue.models import Service
from sigap.demo.innovation_plant import PlannedInnovation, design_text_for, video_url
from sigap.innovation.models import (
    Endorsement,
    Form,
    Idea,
    IdeaSource,
    IdeaStatus,
    IndicatorAnswer,
    Initiator,
    Innovation,
    InterventionEffect,
    Kind,
    Replication,
    SpdAnswer,
    Stage,
    StageChange,
    TargetKpi,
)
from sigap.leadership.models import ActionStatus, Direction, PeriodKind, RoadmapAction
from sigap.organisation.models import Agency, Employee, Unit
from sigap.rules.innovation import FRAME_2026

FRAME_YEAR = 2026
DIGITAL, MANUAL = Kind.DIGITAL, Kind.NON_DIGITAL


@dataclass(frozen=True)
class Entry:
    """One registry innovation: stage dates in months before the end of the period (None: not
    reached)."""

    name: str
    unit: str
    urusan: str
    kind: str
    initiator: str
    initiated: int
    trial: int | None
    applied: int | None
    goals: str
    benefits: str
    services: tuple[str, ...] = ()
    form: str = Form.PUBLIC_SERVICE
    long: bool = False  # a rancang bangun of 300 words or more
    video: bool = False
    target: str = ""  # the KPI it aims to improve (`Innovation.target_kpi`; "": none declared)


A, U, H, P = Initiator.ASN, Initiator.UNIT, Initiator.HEAD_OF_REGION, Initiator.PUBLIC
LEAD, FTR, SKM = TargetKpi.LEAD_TIME, TargetKpi.FIRST_TIME_RIGHT, TargetKpi.IKM
# fmt: off
ENTRIES: tuple[Entry, ...] = (
    # In application (units without services of their own, see the module docstring).
    Entry("Satgas Damkar Kecamatan Tanggap 15 Menit", "kec-karangjati", "public_order", MANUAL, U, 30, 26, 22,
          "Memangkas waktu tanggap kebakaran di desa-desa yang jauh dari pos pemadam.",
          "Relawan desa terlatih dan pompa portabel tiba dalam 15 menit.", long=True, video=True),
    Entry("Data Terpadu Rumah Tidak Layak Huni (DATARU)", "kec-pasirwangi", "housing", DIGITAL, A, 28, 24, 20,
          "Menyatukan pendataan rumah tidak layak huni dari desa, kecamatan dan dinas.",
          "Bantuan rehabilitasi rumah tepat sasaran dan tidak ganda.", long=True, video=True),
    Entry("Klinik Konsultasi PBG Keliling", "dpmptsp-perizinan", "public_works", MANUAL, A, 26, 22, 19,
          "Mendampingi warga menyiapkan dokumen teknis PBG sebelum mengajukan permohonan.",
          "Warga tidak perlu menyewa konsultan untuk rumah tinggal sederhana.", video=True, target=FTR),
    Entry("Sekolah Siaga Bencana Terpadu", "disdik", "education", MANUAL, U, 27, 23, 18,
          "Melatih warga sekolah menghadapi gempa, banjir dan kebakaran.",
          "Simulasi evakuasi rutin di 40 sekolah dasar.", long=True),
    Entry("Posyandu Remaja Digital", "dinkes", "health", DIGITAL, A, 25, 21, 17,
          "Memantau status gizi dan kesehatan reproduksi remaja lewat aplikasi.",
          "Kader posyandu memasukkan data langsung dari ponsel.", video=True),
    Entry("Lumbung Sosial Kecamatan", "dinsos", "social", MANUAL, P, 24, 20, 16,
          "Menyediakan bantuan darurat bagi warga terdampak bencana dalam 24 jam.",
          "Bahan pokok tersedia di setiap kecamatan tanpa menunggu distribusi dari kabupaten."),
    Entry("E-Kinerja Terintegrasi Presensi", "bkpsdm-bangkom", "communication", DIGITAL, U, 30, 26, 21,
          "Mengaitkan presensi dengan capaian kinerja harian ASN.",
          "Atasan menilai kinerja berdasarkan data, bukan perkiraan.", form=Form.GOVERNANCE, long=True),
    Entry("Sistem Informasi Produk Hukum Daerah (SIPHD)", "setda-hukum", "communication", DIGITAL, A, 29, 25, 20,
          "Menerbitkan seluruh perda dan perbup dalam satu portal yang dapat dicari.",
          "Warga dan perangkat daerah menemukan dasar hukum dengan cepat.", form=Form.GOVERNANCE),
    Entry("Pengawasan Berbasis Risiko Inspektorat (PBRI)", "inspektorat", "communication", DIGITAL, U, 27, 23, 19,
          "Memprioritaskan audit pada layanan dengan sinyal risiko tertinggi.",
          "Temuan audit lebih tajam dengan jumlah auditor yang sama.", form=Form.GOVERNANCE),
    # Trials.
    Entry("Antrean Daring Puskesmas (SIAP-PKM)", "pkm-sukamaju", "health", DIGITAL, A, 9, 4, None,
          "Pasien mengambil nomor antrean dari rumah.",
          "Ruang tunggu puskesmas tidak penuh sesak.", services=("pkm-sukamaju-rujukan", "pkm-sukamaju-sks"), video=True, target=SKM),
    Entry("Jemput Bola Akta Kelahiran di Posyandu", "dukcapil-loket-capil", "civil_registration", MANUAL, A, 10, 5, None,
          "Mencatat kelahiran langsung di posyandu.",
          "Bayi langsung memiliki akta kelahiran tanpa orang tua datang ke kantor dinas.",
          services=("dukcapil-akta-lahir",), long=True, target=LEAD),
    Entry("Legalisir Ijazah Daring", "disdik-dikdas", "education", DIGITAL, A, 8, 3, None,
          "Legalisir ijazah dengan tanda tangan elektronik dan kode QR.",
          "Alumni di luar daerah tidak perlu pulang untuk legalisir.", services=("disdik-legalisir-ijazah",), target=LEAD),
    Entry("Uji KIR Terjadwal", "dishub-uptd-pkb", "transport", DIGITAL, U, 7, 2, None,
          "Pemilik kendaraan memesan jadwal uji KIR.",
          "Antrean kendaraan di tempat uji berkurang.", services=("dishub-kir",), target=LEAD),
    Entry("Resume Medis Elektronik", "rsud-rekam-medis", "health", DIGITAL, U, 11, 6, None,
          "Resume medis diisi DPJP langsung di rekam medis elektronik.",
          "Pasien menerima resume tanpa menunggu berkas fisik ditelusuri.", services=("rsud-resume-medis",), target=LEAD),
    # Initiatives.
    Entry("Verifikasi Lapangan DTKS Berbasis Foto Geotag", "dinsos-linjamsos", "social", DIGITAL, A, 3, None, None,
          "Petugas mengunggah foto rumah bertanda lokasi saat verifikasi.",
          "Verifikasi lebih cepat dan dapat diaudit.", services=("dinsos-sktm",), target=LEAD),
    Entry("Kelas Ibu Hamil Daring", "pkm-cibening", "health", DIGITAL, A, 4, None, None,
          "Kelas ibu hamil lewat video bagi ibu yang jauh dari puskesmas.",
          "Ibu hamil tetap mendapat edukasi tanpa biaya perjalanan.", services=("pkm-cibening-rujukan",)),
    Entry("Pojok Literasi Administrasi Kependudukan", "kec-cibening", "civil_registration", MANUAL, P, 2, None, None,
          "Menjelaskan persyaratan dokumen kependudukan dengan poster dan contoh berkas.",
          "Warga datang dengan berkas yang lengkap.", services=("kec-cibening-domisili",), target=FTR),
    Entry("Ronda Digital Siskamling", "kec-wanasari", "public_order", DIGITAL, H, 5, None, None,
          "Warga melaporkan kejadian lewat aplikasi yang terhubung dengan kecamatan.",
          "Petugas trantib mengetahui kejadian lebih cepat."),
    Entry("Beasiswa Anak Nelayan dan Petani", "disdik", "education", MANUAL, Initiator.DPRD, 6, None, None,
          "Membantu biaya sekolah anak nelayan dan petani kecil.",
          "Angka putus sekolah di desa pesisir turun."),
)
# fmt: on

# Ideas: (unit, title, problem, proposal, source, source detail, status, answer, innovation
# name it became or "", months before the end). The roadmap source names a step wait of a
# service ("service/step").
IDEAS: tuple[tuple[str, str, str, str, str, str, str, str, str, int], ...] = (
    ("kec-sukamaju", "Cek berkas lewat WhatsApp sebelum datang",
     "Banyak berkas ahli waris dikembalikan karena surat pernyataan belum ditandatangani semua ahli waris.",
     "Pemohon mengirim foto berkas lewat WhatsApp dan petugas memberi tahu kekurangannya sebelum pemohon datang.",
     IdeaSource.COMPLAINTS, "persyaratan", IdeaStatus.ACCEPTED, "Diterima: menjadi dasar inovasi PRIKSA.", "PRIKSA", 24),
    ("dpmptsp-mpp", "Tanda tangan elektronik untuk izin praktik",
     "Izin yang sudah selesai diperiksa menunggu berhari-hari karena Kepala Dinas sedang dinas luar.",
     "Menggunakan sertifikat elektronik BSrE untuk menandatangani izin dari mana saja.",
     IdeaSource.ROADMAP, "dpmptsp-sipp/Penandatanganan Kepala DPMPTSP", IdeaStatus.ACCEPTED,
     "Diterima: diterapkan untuk izin praktik, PBG, SLF dan apotek.", "TTE-Izin", 21),
    ("dinsos-linjamsos", "Dasbor berkas yang tertahan",
     "Berkas SKTM menunggu verifikasi lapangan tanpa ada yang memantau.",
     "Dasbor harian yang menandai berkas yang menunggu lebih dari tiga hari.",
     IdeaSource.SKM, "waktu", IdeaStatus.ACCEPTED, "Diterima dan diperluas ke unit lain.", "DASTER", 23),
    ("pkm-sukamaju", "Nomor antrean lewat aplikasi",
     "Pasien datang sejak subuh untuk mendapat nomor antrean.",
     "Nomor antrean diambil dari rumah dan pasien datang sesuai perkiraan jam.",
     IdeaSource.SKM, "waktu", IdeaStatus.ACCEPTED, "Diterima: uji coba di Puskesmas Sukamaju.", "SIAP-PKM", 10),
    ("dukcapil-loket-capil", "Pencatatan kelahiran di posyandu",
     "Orang tua menunda mengurus akta kelahiran karena harus ke kantor dinas.",
     "Petugas hadir di posyandu sebulan sekali membawa formulir dan pemindai.",
     IdeaSource.ROADMAP, "dukcapil-akta-lahir/Verifikasi berkas", IdeaStatus.ACCEPTED,
     "Diterima untuk uji coba di tiga kecamatan.", "Jemput Bola", 11),
    ("dishub-uptd-pkb", "Uji KIR malam hari",
     "Angkutan umum harus berhenti beroperasi sehari untuk uji KIR.",
     "Membuka layanan uji KIR pada malam hari dua kali seminggu.",
     IdeaSource.OWN, "", IdeaStatus.DECLINED,
     "Belum dapat dilaksanakan: alat uji memerlukan kalibrasi siang hari dan tidak ada anggaran lembur penguji.", "", 9),
    ("kec-gunungsari", "Loket keliling di desa terpencil",
     "Warga desa terjauh menempuh dua jam untuk mengurus surat keterangan.",
     "Loket keliling dua kali sebulan di balai desa.",
     IdeaSource.COMPLAINTS, "lambat", IdeaStatus.DECLINED,
     "Sudah tercakup oleh replikasi PRIKSA: berkas diperiksa daring sebelum warga datang.", "", 12),
    ("disdik-dikdas", "Formulir mutasi siswa daring",
     "Orang tua harus datang dua kali untuk rekomendasi pindah sekolah.",
     "Formulir dan unggah berkas secara daring, rekomendasi dikirim ke sekolah tujuan.",
     IdeaSource.OWN, "", IdeaStatus.PROPOSED, "", "", 2),
    ("rsud-rekam-medis", "Pengingat DPJP untuk resume medis",
     "Resume medis tertunda karena DPJP lupa mengisi.",
     "Pengingat otomatis ke DPJP setiap pagi untuk resume yang belum diisi.",
     IdeaSource.ROADMAP, "rsud-resume-medis/Pengisian resume oleh DPJP", IdeaStatus.PROPOSED, "", "", 1),
    ("dukcapil-loket-dafduk", "Loket khusus lansia dan disabilitas",
     "Pemohon lansia menunggu lama di antrean umum.",
     "Satu loket prioritas dengan kursi roda dan petugas pendamping.",
     IdeaSource.SKM, "sarana", IdeaStatus.PROPOSED, "", "", 3),
    ("dinsos-linjamsos", "Cetak kartu DTKS mandiri",
     "Warga bolak-balik hanya untuk menanyakan status DTKS.",
     "Anjungan mandiri untuk mengecek dan mencetak bukti terdaftar DTKS.",
     IdeaSource.OWN, "", IdeaStatus.DECLINED,
     "Ditunda: cek status DTKS sudah tersedia di aplikasi Cek Bansos Kemensos.", "", 7),
    ("kec-cibening", "Contoh berkas lengkap di ruang tunggu",
     "Banyak pemohon tidak tahu bentuk surat pengantar yang benar.",
     "Memajang contoh berkas lengkap untuk setiap layanan.",
     IdeaSource.COMPLAINTS, "persyaratan", IdeaStatus.ACCEPTED,
     "Diterima sebagai inisiatif inovasi.", "Pojok Literasi", 3),
)  # fmt: skip

SPD_WEIGHTS = {"apbd_tepat_waktu": 2, "opini_bpk": 2, "sakip": 2, "kualitas_perizinan": 2}
SPD_PARAMETERS = {
    "visi_misi": 3, "apbd_tepat_waktu": 3, "mandatory_spending": 2, "kualitas_perizinan": 2,
    "pertumbuhan_pendapatan": 2, "pengangguran": 1, "investasi": 2, "pad": 1, "opini_bpk": 3,
    "sakip": 2, "kemiskinan": 1, "ipm": 2, "penghargaan_inovator": 1, "rekomendasi_kebijakan": 0,
    "indeks_kualitas_kebijakan": 2, "ripj_pid": 0, "fasilitasi_haki": 1,
}  # fmt: skip


def _months_before(until: date, months: int) -> date:
    month = until.month - 1 - months
    return date(until.year + month // 12, month % 12 + 1, 1) + timedelta(days=4)


def _aware(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _design(entry: Entry, unit: str) -> str:
    if entry.long:
        return design_text_for(unit, entry.goals, entry.benefits, entry.benefits)
    return f"{entry.goals} {entry.benefits} Rancang bangun lengkap sedang disusun."


def build_innovation_registry(
    *, seed: int, until: date, agency: Agency, planted: Sequence[PlannedInnovation]
) -> dict[str, int]:
    """Write the registry, the ideas and the IID answers (after the planted innovations)."""
    rng = random.Random(f"innovation-registry-{seed}")
    units = {u.code: u for u in Unit.objects.filter(agency=agency)}
    services = {s.code: s for s in Service.objects.filter(unit__agency=agency)}
    made: dict[str, Innovation] = {}
    for entry in ENTRIES:
        initiated = _months_before(until, entry.initiated)
        trial = _months_before(until, entry.trial) if entry.trial is not None else None
        applied = _months_before(until, entry.applied) if entry.applied is not None else None
        stage = Stage.APPLIED if applied else Stage.TRIAL if trial else Stage.INITIATIVE
        unit = units[entry.unit]
        innovation = Innovation.objects.create(
            agency=agency,
            name=entry.name,
            initiator=entry.initiator,
            initiator_name=unit.name,
            form=entry.form,
            kind=entry.kind,
            urusan=entry.urusan,
            stage=stage,
            initiated_on=initiated,
            trial_on=trial,
            applied_on=applied,
            design=_design(entry, unit.name),
            goals=entry.goals,
            benefits=entry.benefits,
            results="Diterapkan di seluruh wilayah kabupaten." if applied else "",
            video_url=video_url(entry.name) if entry.video else "",
            target_kpi=entry.target,
            created_at=_aware(initiated),
            updated_at=_aware(applied or trial or initiated),
        )
        innovation.units.set([unit])
        if entry.services and stage != Stage.APPLIED:
            innovation.services.set([services[c] for c in entry.services if c in services])
        StageChange.objects.bulk_create(
            StageChange(innovation=innovation, stage=s, on=on, at=_aware(on), note=note)
            for s, on, note in (
                (Stage.INITIATIVE, initiated, "Ditetapkan sebagai inisiatif"),
                (Stage.TRIAL, trial, "Uji coba dimulai"),
                (Stage.APPLIED, applied, "Penerapan penuh"),
            )
            if on is not None
        )
        made[entry.name] = innovation

    planted_rows = {
        i.name: i
        for i in Innovation.objects.filter(agency=agency, name__in=[p.name for p in planted])
    }
    # A replication by another region (not in this agency's data: not measured here).
    pre_check = next((planted_rows[p.name] for p in planted if p.key == "A"), None)
    replications = 0
    if pre_check is not None and pre_check.applied_on is not None:
        Replication.objects.create(
            original=pre_check,
            adopter_region="Kabupaten Sukaraja",
            adopted_on=pre_check.applied_on + timedelta(days=300),
            note="Studi tiru oleh Bagian Organisasi Kabupaten Sukaraja, diterapkan di 8 kecamatan.",
            recorded_at=_aware(pre_check.applied_on + timedelta(days=310)),
        )
        replications = 1

    ideas, endorsements = _ideas(rng, until, units, services, {**planted_rows, **made})
    answers, spd = _iid_answers(rng, until, agency, [*planted_rows.values(), *made.values()])
    return {
        "innovations": len(made),
        "replications": replications,
        "ideas": ideas,
        "endorsements": endorsements,
        "indicator_answers": answers,
        "spd_answers": spd,
    }


def _roadmap_action(unit: Unit, service: str, step: str, until: date) -> RoadmapAction:
    """An accepted roadmap action on a step's wait (as the leadership refresh words them)."""
    made = _aware(_months_before(until, 14))
    return RoadmapAction.objects.create(
        unit=unit,
        direction=Direction.INNOVATION,
        gap_key=f"sla_share:{service}:{step}",
        metric_key="sla_share",
        title=f"Mempersingkat waktu tunggu langkah {step}",
        evidence=f"Langkah {step} pada layanan {service} menjadi penyebab terbesar keterlambatan.",
        baseline_value=0.72,
        baseline_period_kind=PeriodKind.QUARTER,
        baseline_period=f"{made.year}Q{(made.month - 1) // 3 + 1}",
        target_value=0.9,
        gap=0.2,
        citizens=1200,
        priority=240.0,
        status=ActionStatus.ACCEPTED,
        status_note="Ditindaklanjuti lewat usulan inovasi pegawai.",
        status_at=made,
        created_at=made,
    )


def _ideas(
    rng: random.Random,
    until: date,
    units: dict[str, Unit],
    services: dict[str, Service],
    innovations: dict[str, Innovation],
) -> tuple[int, int]:
    staff: dict[int, list[Employee]] = {}
    for employee in Employee.objects.filter(unit__in=units.values()).order_by("pk"):
        staff.setdefault(employee.unit_id, []).append(employee)
    ideas = endorsements = 0
    for unit_key, title, problem, proposal, source, detail, status, answer, became, months in IDEAS:
        unit = units[unit_key]
        people = staff.get(unit.pk) or staff[units[unit_key].parent_id]  # type: ignore[index]
        proposer = rng.choice(people)
        proposed = _aware(_months_before(until, months), hour=10)
        action = None
        key = detail
        if source == IdeaSource.ROADMAP:
            service, step = detail.split("/", 1)
            action = _roadmap_action(services[service].unit, service, step, until)
            key = ""
        innovation = None
        if became:
            innovation = next((i for n, i in innovations.items() if became in n), None)
        idea = Idea.objects.create(
            unit=unit,
            title=title,
            problem=problem,
            proposal=proposal,
            proposed_by=proposer,
            proposed_at=proposed,
            source=source,
            roadmap_action=action,
            source_key=key,
            status=status,
            decided_at=proposed + timedelta(days=12) if status != IdeaStatus.PROPOSED else None,
            decision_note=answer,
            innovation=innovation,
        )
        ideas += 1
        others = [e for e in people if e.pk != proposer.pk]
        rng.shuffle(others)
        chosen = others[: rng.randint(1, min(6, len(others)))] if others else []
        Endorsement.objects.bulk_create(
            Endorsement(idea=idea, employee=e, at=proposed + timedelta(days=1 + i))
            for i, e in enumerate(chosen)
        )
        endorsements += len(chosen)
    return ideas, endorsements


def _iid_answers(
    rng: random.Random, until: date, agency: Agency, innovations: Sequence[Innovation]
) -> tuple[int, int]:
    """The 2026 frame: the SID answers of every innovation in application and the SPD rows.
    Mandatory rows mostly answered well, others spread; a few left at 0 (no evidence yet) so
    the workbench has something to raise."""
    frame = FRAME_2026
    answered = _aware(min(until, date(FRAME_YEAR, 3, 31)) - timedelta(days=20), hour=14)
    rows = []
    for innovation in sorted(innovations, key=lambda i: i.pk):
        if innovation.stage != Stage.APPLIED:
            continue
        for indicator in frame.sid:
            if indicator.mandatory:
                parameter = rng.choice((2, 2, 3, 3, 1))
            else:
                parameter = rng.choice((0, 1, 1, 2, 2, 3))
            if indicator.key == "video" and not innovation.video_url:
                parameter = 0
            rows.append(
                IndicatorAnswer(
                    innovation=innovation,
                    frame=FRAME_YEAR,
                    indicator=indicator.key,
                    parameter=parameter,
                    note="" if parameter else "Bukti dukung belum diunggah",
                    answered_at=answered,
                )
            )
    IndicatorAnswer.objects.bulk_create(rows)
    spd = [
        SpdAnswer(
            agency=agency,
            frame=FRAME_YEAR,
            indicator=row.key,
            weight=row.weight or SPD_WEIGHTS.get(row.key, 1),
            parameter=SPD_PARAMETERS.get(row.key, 1),
            note="Data Bappeda tahun 2025",
            answered_at=answered,
        )
        for row in frame.spd
    ]
    SpdAnswer.objects.bulk_create(spd)
    return len(rows), len(spd)


def wipe_innovation(*, agency_ids: Sequence[int]) -> None:
    """Delete the demo agency's registry, ideas, IID answers and measured effects, and the
    roadmap actions the ideas came from."""
    innovations = Innovation.objects.filter(agency_id__in=agency_ids)
    units = Unit.objects.filter(agency_id__in=agency_ids)
    InterventionEffect.objects.filter(
        Q(innovation__in=innovations) | Q(action__unit__in=units)
    ).delete()
    Idea.objects.filter(unit__in=units).delete()  # endorsements cascade
    SpdAnswer.objects.filter(agency_id__in=agency_ids).delete()
    innovations.update(replication_of=None)
    Replication.objects.filter(Q(original__in=innovations) | Q(adopter_unit__in=units)).delete()
    innovations.delete()  # stage changes, answers cascade


__all__ = ["ENTRIES", "IDEAS", "build_innovation_registry", "wipe_innovation"]
