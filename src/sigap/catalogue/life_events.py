"""The life events (peristiwa kehidupan) every installation starts with, as data.

Catalogue migration 0005 seeds them (a copy, as migrations must not change with the code); the
administration may rename, reorder, add or remove them, and assigns them to services.
"""

# (code, name, description), in the order the catalogue lists them.
STANDARD_LIFE_EVENTS: tuple[tuple[str, str, str], ...] = (
    ("kelahiran", "Kelahiran", "Akta kelahiran, kartu identitas anak, menambah anak di KK"),
    ("kematian", "Kematian", "Akta kematian, surat keterangan ahli waris"),
    ("perkawinan", "Perkawinan dan perceraian", "Akta perkawinan, akta perceraian, KK baru"),
    ("pindah-domisili", "Pindah domisili", "Surat pindah, pindah datang, keterangan domisili"),
    (
        "dokumen-kependudukan",
        "KTP-el, KK dan dokumen kependudukan",
        "Membuat, mengganti, legalisir",
    ),
    ("usaha", "Membuka usaha", "NIB dan izin usaha, izin praktik, reklame, sertifikat higiene"),
    ("bangunan", "Membangun rumah atau gedung", "Persetujuan bangunan gedung, laik fungsi"),
    ("kesehatan", "Kesehatan", "Surat rujukan, surat keterangan sehat, rekam medis"),
    ("pendidikan", "Sekolah dan pendidikan", "Legalisir ijazah, pindah sekolah"),
    ("kendaraan", "Kendaraan dan angkutan", "Uji berkala (KIR), izin trayek"),
    ("bantuan-sosial", "Bantuan sosial", "Surat keterangan tidak mampu, DTKS, PBI-JK"),
    ("kepegawaian", "Kepegawaian (ASN)", "Layanan bagi aparatur sipil negara"),
)
