"""The national competency dictionary of PermenPANRB 38/2017 (Standar Kompetensi Jabatan ASN):
the 8 manajerial competencies and the sosial kultural one (Perekat Bangsa), each with its
definition and one line per level 1–5, in Bahasa Indonesia as the regulation words them
(rules-innovation-competency.md §2.2, VERIFIED).

Other code refers to these competencies by their stable codes (`PELAYANAN_PUBLIK`,
`KOMUNIKASI`...), never by name or id. `install` writes them (the data migration and tests call
it); it is idempotent: a second run changes nothing, an edited text is brought back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

INTEGRITAS = "integritas"
KERJA_SAMA = "kerja-sama"
KOMUNIKASI = "komunikasi"
ORIENTASI_PADA_HASIL = "orientasi-pada-hasil"
PELAYANAN_PUBLIK = "pelayanan-publik"
PENGEMBANGAN_DIRI = "pengembangan-diri-dan-orang-lain"
MENGELOLA_PERUBAHAN = "mengelola-perubahan"
PENGAMBILAN_KEPUTUSAN = "pengambilan-keputusan"
PEREKAT_BANGSA = "perekat-bangsa"

MANAJERIAL = "manajerial"
SOSIAL_KULTURAL = "sosial_kultural"


@dataclass(frozen=True, slots=True)
class NationalCompetency:
    code: str
    name: str
    group: str  # Competency.Group value
    definition: str
    levels: tuple[str, str, str, str, str]  # the meaning of levels 1..5


DICTIONARY: tuple[NationalCompetency, ...] = (
    NationalCompetency(
        INTEGRITAS,
        "Integritas",
        MANAJERIAL,
        "Konsisten berperilaku selaras dengan nilai, norma dan/atau etika organisasi, dan jujur "
        "dalam hubungan dengan manajemen, rekan kerja, bawahan langsung, dan pemangku "
        "kepentingan, menciptakan budaya etika tinggi, bertanggung jawab atas tindakan atau "
        "keputusan beserta risiko yang menyertainya.",
        (
            "Mampu bertindak sesuai nilai, norma, dan etika organisasi dalam kapasitas pribadi.",
            "Mampu mengingatkan dan mengajak rekan kerja untuk bertindak sesuai nilai, norma, "
            "dan etika organisasi.",
            "Mampu memastikan dan menanamkan keyakinan bersama agar anggota yang dipimpin "
            "bertindak sesuai nilai, norma, dan etika organisasi, dalam lingkup formal.",
            "Mampu menciptakan situasi kerja yang membuat rekan kerja, bawahan, dan pemangku "
            "kepentingan bertindak sesuai nilai, norma, dan etika organisasi.",
            "Mampu menjadi panutan (role model) dalam penerapan standar keadilan dan etika di "
            "tingkat nasional.",
        ),
    ),
    NationalCompetency(
        KERJA_SAMA,
        "Kerja Sama",
        MANAJERIAL,
        "Kemampuan menjalin, membina, dan mempertahankan hubungan kerja yang efektif, memiliki "
        "komitmen saling membantu dalam penyelesaian tugas, dan mengoptimalkan segala sumber "
        "daya untuk mencapai tujuan strategis organisasi.",
        (
            "Berpartisipasi dalam kelompok kerja.",
            "Menumbuhkan tim kerja yang partisipatif dan efektif.",
            "Efektif membangun tim kerja untuk peningkatan kinerja organisasi.",
            "Membangun komitmen tim dan sinergi antarunit kerja.",
            "Menciptakan situasi kerja sama secara konsisten, baik di dalam maupun di luar "
            "instansi.",
        ),
    ),
    NationalCompetency(
        KOMUNIKASI,
        "Komunikasi",
        MANAJERIAL,
        "Kemampuan untuk menerangkan pandangan dan gagasan secara jelas, sistematis, disertai "
        "argumentasi yang logis dengan cara yang sesuai, baik lisan maupun tertulis; memastikan "
        "pemahaman; mendengarkan secara aktif dan efektif; mempersuasi, meyakinkan, dan membujuk "
        "orang lain dalam rangka mencapai tujuan organisasi.",
        (
            "Menyampaikan informasi dengan jelas dan lengkap sehingga terbangun pemahaman yang "
            "sama.",
            "Aktif menjalankan komunikasi formal dan informal, bersedia mendengarkan orang lain, "
            "menanggapi pesan dengan tepat, serta menyusun bahan presentasi, naskah, dan laporan.",
            "Berkomunikasi secara asertif dan terampil menyampaikan informasi yang sensitif, "
            "rumit, atau kompleks secara lisan maupun tertulis.",
            "Mengemukakan pemikiran multidimensi secara lisan dan tertulis untuk mendorong "
            "kesepakatan demi peningkatan kinerja secara keseluruhan.",
            "Menggagas sistem komunikasi yang terbuka secara strategis untuk mencari solusi demi "
            "peningkatan kinerja.",
        ),
    ),
    NationalCompetency(
        ORIENTASI_PADA_HASIL,
        "Orientasi pada Hasil",
        MANAJERIAL,
        "Kemampuan mempertahankan komitmen pribadi yang tinggi untuk menyelesaikan tugas, dapat "
        "diandalkan, bertanggung jawab, mampu secara sistematis mengidentifikasi risiko dan "
        "peluang dengan memperhatikan keterhubungan antara perencanaan dan hasil, untuk "
        "keberhasilan organisasi.",
        (
            "Bertanggung jawab untuk memenuhi standar kerja.",
            "Berupaya meningkatkan hasil kerja pribadi melebihi standar yang ditetapkan, serta "
            "mencari dan mencoba metode alternatif untuk peningkatan kinerja.",
            "Menetapkan target kerja yang menantang bagi unit kerja, serta memberi apresiasi dan "
            "teguran untuk mendorong kinerja.",
            "Mendorong unit kerja mencapai target yang ditetapkan atau melebihi hasil kerja "
            "sebelumnya.",
            "Meningkatkan mutu pencapaian kerja organisasi.",
        ),
    ),
    NationalCompetency(
        PELAYANAN_PUBLIK,
        "Pelayanan Publik",
        MANAJERIAL,
        "Kemampuan dalam melaksanakan tugas pemerintahan, pembangunan, dan kegiatan pemenuhan "
        "kebutuhan pelayanan publik secara profesional, transparan, mengikuti standar pelayanan "
        "yang objektif, netral, tidak memihak, tidak diskriminatif, serta tidak terpengaruh "
        "kepentingan pribadi, kelompok, atau partai politik.",
        (
            "Menjalankan pelayanan sesuai standar.",
            "Mampu menyelia dan menjelaskan proses pelaksanaan tugas pemerintahan atau "
            "pelayanan publik secara transparan.",
            "Mampu memanfaatkan kekuatan kelompok serta memperbaiki standar pelayanan publik di "
            "lingkup unit kerja.",
            "Mampu memantau, mengevaluasi, dan mengantisipasi dampak isu jangka panjang, "
            "kesempatan, atau kekuatan politik dalam pelayanan kebutuhan pemangku kepentingan "
            "yang transparan, objektif, dan profesional.",
            "Mampu memastikan kebijakan pelayanan publik yang menjamin terselenggaranya pelayanan "
            "yang objektif, netral, tidak memihak, tidak diskriminatif, serta tidak terpengaruh "
            "kepentingan pribadi, kelompok, atau partai politik.",
        ),
    ),
    NationalCompetency(
        PENGEMBANGAN_DIRI,
        "Pengembangan Diri dan Orang Lain",
        MANAJERIAL,
        "Kemampuan untuk meningkatkan pengetahuan dan menyempurnakan keterampilan diri; "
        "menginspirasi orang lain untuk mengembangkan pengetahuan dan keterampilan yang relevan "
        "dengan pekerjaan dan pengembangan karier jangka panjang; mendorong kemauan belajar "
        "sepanjang hayat; memberikan saran, umpan balik, dan bimbingan untuk membantu orang lain "
        "mengembangkan potensi dirinya.",
        (
            "Mengembangkan diri.",
            "Meningkatkan kemampuan bawahan dengan memberikan contoh dan penjelasan cara "
            "melaksanakan suatu pekerjaan.",
            "Memberikan umpan balik dan membimbing.",
            "Menyusun program pengembangan jangka panjang untuk mendorong manajemen pembelajaran.",
            "Menciptakan situasi yang mendorong organisasi mengembangkan kemampuan belajar "
            "secara berkelanjutan untuk mendukung pencapaian hasil.",
        ),
    ),
    NationalCompetency(
        MENGELOLA_PERUBAHAN,
        "Mengelola Perubahan",
        MANAJERIAL,
        "Kemampuan dalam menyesuaikan diri dengan situasi yang baru atau berubah dan tidak "
        "bergantung secara berlebihan pada metode dan proses lama, mengambil tindakan untuk "
        "mendukung dan melaksanakan inisiatif perubahan, memimpin usaha perubahan, serta "
        "mengambil tanggung jawab pribadi untuk memastikan perubahan berhasil diimplementasikan "
        "secara efektif.",
        (
            "Menyesuaikan diri dengan perubahan.",
            "Proaktif beradaptasi mengikuti perubahan.",
            "Membantu orang lain mengikuti perubahan dan mengantisipasi perubahan secara tepat.",
            "Memimpin perubahan pada unit kerja.",
            "Mengelola perubahan yang berdampak luas secara nasional atau strategis.",
        ),
    ),
    NationalCompetency(
        PENGAMBILAN_KEPUTUSAN,
        "Pengambilan Keputusan",
        MANAJERIAL,
        "Kemampuan membuat keputusan yang baik secara tepat waktu dan dengan keyakinan diri "
        "setelah mempertimbangkan prinsip kehati-hatian, dirumuskan secara sistematis dan "
        "saksama berdasarkan berbagai informasi, alternatif pemecahan masalah, dan "
        "konsekuensinya, serta bertanggung jawab atas keputusan yang diambil.",
        (
            "Mengumpulkan informasi untuk bertindak sesuai kewenangan.",
            "Menganalisis masalah secara mendalam.",
            "Membandingkan berbagai alternatif dan menyeimbangkan risiko keberhasilan dalam "
            "implementasi.",
            "Menyelesaikan masalah yang mengandung risiko tinggi, mengantisipasi dampak "
            "keputusan, dan mengambil tindakan pengamanan untuk mitigasi risiko.",
            "Menghasilkan solusi dan mengambil keputusan untuk mengatasi permasalahan jangka "
            "panjang atau strategis yang berdampak nasional.",
        ),
    ),
    NationalCompetency(
        PEREKAT_BANGSA,
        "Perekat Bangsa",
        SOSIAL_KULTURAL,
        "Kemampuan dalam mempromosikan sikap toleransi, keterbukaan, dan peka terhadap perbedaan "
        "individu atau kelompok masyarakat; mampu menjadi perpanjangan tangan pemerintah dalam "
        "mempersatukan masyarakat dan membangun hubungan sosial psikologis dengan masyarakat di "
        "tengah kemajemukan Indonesia; menjaga, mengembangkan, dan mewujudkan rasa persatuan dan "
        "kesatuan dalam kehidupan bermasyarakat, berbangsa, dan bernegara.",
        (
            "Peka memahami dan menerima kemajemukan.",
            "Aktif mengembangkan sikap saling menghargai serta menekankan persamaan dan persatuan.",
            "Mempromosikan dan mengembangkan sikap toleransi dan persatuan.",
            "Mendayagunakan perbedaan secara konstruktif dan kreatif untuk meningkatkan "
            "efektivitas organisasi.",
            "Menjadi wakil pemerintah dalam membangun hubungan sosial psikologis di tengah "
            "kemajemukan masyarakat.",
        ),
    ),
)

CODES: tuple[str, ...] = tuple(c.code for c in DICTIONARY)
MANAJERIAL_CODES: tuple[str, ...] = tuple(c.code for c in DICTIONARY if c.group == MANAJERIAL)


def install(competency_model: Any, level_model: Any) -> int:
    """Write the national dictionary through the given models (the historical ones in a
    migration) and return how many rows were created or changed: 0 on a second run."""
    changed = 0
    for entry in DICTIONARY:
        competency, created = competency_model.objects.get_or_create(
            code=entry.code,
            defaults={
                "name": entry.name,
                "group": entry.group,
                "definition": entry.definition,
                "agency": None,
            },
        )
        if created:
            changed += 1
        elif (competency.name, competency.group, competency.definition, competency.agency_id) != (
            entry.name,
            entry.group,
            entry.definition,
            None,
        ):
            competency.name, competency.group = entry.name, entry.group
            competency.definition, competency.agency_id = entry.definition, None
            competency.save(update_fields=["name", "group", "definition", "agency"])
            changed += 1
        stored = dict(competency.levels.values_list("level", "description"))
        for level, description in enumerate(entry.levels, start=1):
            if stored.get(level) == description:
                continue
            level_model.objects.update_or_create(
                competency=competency, level=level, defaults={"description": description}
            )
            changed += 1
    return changed


def uninstall(competency_model: Any) -> int:
    """Remove the national dictionary (the migration's reverse); its levels go with it. Refused
    by the database while a standard or an assessment still refers to one of them."""
    deleted, _detail = competency_model.objects.filter(code__in=CODES, agency=None).delete()
    return int(deleted)
