"""The demo's public consultations on service standards (PermenPANRB 15/2014):

- Penerbitan KIA has a draft version 2 under consultation (a week open, two weeks to go): two
  comments answered (published), one awaiting the unit's answer, a hearing held.
- Penerbitan KTP-el's version in force went through a consultation before it took effect: its
  record (comments, answers, hearing) is shown with it on the service and transparency pages.

Written through the ORM without the audit trail, like the rest of the demo's history.
Deterministic: the same end date gives the same rows.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from sigap.catalogue.models import (
    Consultation,
    ConsultationComment,
    Service,
    ServiceStandard,
)
from sigap.catalogue.services import standard_copy
from sigap.organisation.models import Agency

DRAFT_SERVICE = "dukcapil-kia"
RECORD_SERVICE = "dukcapil-ktp-el"

DRAFT_COMMENTS = [
    # (days after opening, name, contact, text, answer or "" when awaiting one)
    (1, "Rina Marlina", "0813-2222-4545",
     "Mohon KIA bisa diambil di kantor desa, jarak ke Disdukcapil jauh bagi kami di Kecamatan "
     "Cibeber.",
     "Terima kasih. Mulai versi ini KIA dapat dikirim ke kantor desa melalui program jemput "
     "bola setiap Kamis; kami tambahkan pada komponen sarana."),
    (2, "", "",
     "Pas foto anak sebaiknya tidak wajib, karena sekarang bisa difoto langsung di loket.",
     "Setuju. Pas foto anak kami jadikan persyaratan opsional: foto dapat diambil di loket."),
    (4, "Agus S.", "agus.s@contoh.id",
     "Apakah jangka waktu 2 hari kerja juga berlaku untuk permohonan daring?", ""),
]  # fmt: skip

RECORD_COMMENTS = [
    (3, "Forum RT 04 Sukamaju", "",
     "Jangka waktu 2 hari kerja kami dukung. Tolong antrean prioritas lansia tetap ada.",
     "Antrean prioritas bagi lansia, penyandang disabilitas dan ibu hamil tetap ada; tercantum "
     "pada komponen sarana."),
    (6, "", "",
     "Bagaimana bila blangko KTP-el habis? Apakah tetap 2 hari?",
     "Bila blangko habis, pemohon menerima surat keterangan pengganti pada hari yang sama dan "
     "diberi tahu lewat WhatsApp saat KTP-el siap."),
]  # fmt: skip


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def wipe_consultations(*, agency_ids: list[int]) -> None:
    """Delete the demo's consultations and their comments (before deleting the standards)."""
    Consultation.objects.filter(standard__service__unit__agency_id__in=agency_ids).delete()


def _comments(consultation: Consultation, rows: list[tuple[int, str, str, str, str]]) -> None:
    for days, name, contact, text, answer in rows:
        sent = _at(consultation.opens_on + timedelta(days=days), 10)
        ConsultationComment.objects.create(
            consultation=consultation,
            name=name,
            contact=contact,
            text=text,
            submitted_at=sent,
            status=ConsultationComment.Status.ANSWERED
            if answer
            else ConsultationComment.Status.NEW,
            answer=answer,
            answered_at=sent + timedelta(days=1) if answer else None,
        )


def _draft_from(standard: ServiceStandard) -> ServiceStandard:
    """A draft copy of `standard` (the editor's own copy, `catalogue.services.standard_copy`),
    with the changes the unit proposes."""
    draft = standard_copy(standard, version=standard.version + 1)
    draft.sla_working_days = max(1, standard.sla_working_days - 1)
    draft.requirements = [
        {**item, "optional": True} if isinstance(item, dict) and "foto" in item["name"].lower()
        else item
        for item in standard.requirements
    ]  # fmt: skip
    draft.facilities += "; layanan jemput bola KIA di kantor desa setiap Kamis"
    draft.save()
    return draft


def build_consultations(*, until: date, agency: Agency) -> None:
    services = {
        s.code: s
        for s in Service.objects.filter(
            unit__agency=agency, code__in=[DRAFT_SERVICE, RECORD_SERVICE]
        )
    }
    kia = services.get(DRAFT_SERVICE)
    current = kia.standard_on(until) if kia else None
    if current is not None:
        draft = _draft_from(current)
        opens = until - timedelta(days=7)
        consultation = Consultation.objects.create(
            standard=draft,
            opens_on=opens,
            closes_on=until + timedelta(days=14),
            hearing_on=until - timedelta(days=2),
            hearing_place="Aula Disdukcapil",
            hearing_attendance=18,
            hearing_parties="Forum RT/RW Kecamatan Sukamaju, PKK, kader Posyandu, "
            "perwakilan sekolah dasar",
        )
        _comments(consultation, DRAFT_COMMENTS)
    ktp = services.get(RECORD_SERVICE)
    in_force = ktp.standard_on(until) if ktp else None
    if in_force is not None and in_force.valid_from is not None and in_force.version > 1:
        closes = in_force.valid_from - timedelta(days=14)
        consultation = Consultation.objects.create(
            standard=in_force,
            opens_on=closes - timedelta(days=21),
            closes_on=closes,
            hearing_on=closes - timedelta(days=5),
            hearing_place="Pendopo Kecamatan Sukamaju",
            hearing_attendance=32,
            hearing_parties="Tokoh masyarakat, Ombudsman RI Perwakilan, LSM pemantau pelayanan",
        )
        _comments(consultation, RECORD_COMMENTS)
