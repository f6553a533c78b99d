"""The words of the analysis report (`sigap analyze`): every title, column header and sentence in
Indonesian (the default) and English, and the formats of its figures.

Pure and free of Django (the command runs without it): the language is always passed. Numbers,
dates and periods are printed by `sigap.web.formatting`, the one place sigap prints figures to
people (given a language it touches no Django); this module adds what a report needs besides:
durations in words ("3 hari 4 jam") and the report's sentences.

    Indonesian                      English
    1.234.567 · 12,5 · 62,3 %       1,234,567 · 12.5 · 62.3%
    3 hari 4 jam · 45 menit         3 days 4 hours · 45 minutes
    2,5 hari kerja                  2.5 working days
    5 Des 2026                      5 Dec 2026
    Triwulan I 2025 · Juli 2025     Q1 2025 · July 2025

The JSON report keeps its machine keys; only HTML and XLSX speak these words.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Literal

from sigap.web import formatting

Lang = Literal["id", "en"]
LANGS: tuple[Lang, ...] = ("id", "en")
MISSING = formatting.MISSING


def lang_of(value: str) -> Lang:
    """`value` as a report language; anything else is refused by name."""
    if value not in LANGS:
        raise ValueError(f"unknown report language {value!r}; expected one of {LANGS}")
    return "en" if value == "en" else "id"


# --- figures ---------------------------------------------------------------------------------


def integer(value: float | int | None, lang: Lang) -> str:
    return formatting.integer(value, lang)


def number(value: float | int | None, lang: Lang, places: int = 1) -> str:
    """At most `places` decimals: 12,5 / 12.5; 3 (not 3,0)."""
    return formatting.number(value, places, lang)


def percent(ratio: float | None, lang: Lang, places: int = 1) -> str:
    """A share on the 0–1 scale: 62,3 % / 62.3%."""
    return formatting.percent(ratio, places, lang)


def working_days(value: float | None, lang: Lang) -> str:
    """2,5 hari kerja / 2.5 working days; 1 hari kerja / 1 working day."""
    return formatting.working_days(value, 1, lang)


def day(value: date | None, lang: Lang) -> str:
    """5 Des 2026 / 5 Dec 2026."""
    return formatting.short_date(value, lang)


def period(key: str | None, lang: Lang) -> str:
    """A period key by name: Juli 2025, Triwulan I 2025 (Q1 2025), 2025."""
    return formatting.period(key, lang)


_UNIT = {
    "id": {"day": ("hari", "hari"), "hour": ("jam", "jam"), "minute": ("menit", "menit")},
    "en": {"day": ("day", "days"), "hour": ("hour", "hours"), "minute": ("minute", "minutes")},
}


def _amount(n: int, unit: str, lang: Lang) -> str:
    singular, plural = _UNIT[lang][unit]
    return f"{formatting.integer(n, lang)} {singular if n == 1 else plural}"


def duration(seconds: float | None, lang: Lang) -> str:
    """A length of time in words, to its two largest units: 3 hari 4 jam, 2 jam 5 menit,
    45 menit (3 days 4 hours...). Rounded to the smaller unit shown, so 1 day 23 h 40 min
    reads "2 hari"; under half a minute reads "< 1 menit"."""
    if seconds is None or not math.isfinite(seconds):
        return MISSING
    sign = "-" if seconds < 0 else ""
    s = abs(seconds)
    if s < 30:
        return "< " + _amount(1, "minute", lang) if s > 0 else _amount(0, "minute", lang)
    if s >= 86_400 - 1_800:  # rounds to at least a day: days and hours
        days, hours = divmod(round(s / 3600), 24)
        parts = [_amount(days, "day", lang)] + ([_amount(hours, "hour", lang)] if hours else [])
    else:
        hours, minutes = divmod(round(s / 60), 60)
        parts = ([_amount(hours, "hour", lang)] if hours else []) + (
            [_amount(minutes, "minute", lang)] if minutes or not hours else []
        )
    return sign + " ".join(parts)


def steps(activities: tuple[str, ...] | list[str]) -> str:
    """A sequence of steps as one line: a → b → c."""
    return " → ".join(activities)


# --- words -----------------------------------------------------------------------------------

# Every title, header and sentence of the report: key → (Indonesian, English). Sentences take
# str.format arguments, already formatted.
WORDS: dict[str, tuple[str, str]] = {
    # page and summary
    "title": ("Laporan analisis proses: {source}", "Process analysis report: {source}"),
    "summary": ("Ringkasan", "Summary"),
    "events": ("Peristiwa tercatat", "Events recorded"),
    "cases": ("Kasus", "Cases"),
    "activities": ("Langkah berbeda", "Distinct steps"),
    "variants": ("Varian proses", "Process variants"),
    "covered": ("Periode data", "Period covered"),
    "covered_value": ("{first} s.d. {last}", "{first} to {last}"),
    "calendar": ("Kalender kerja", "Working calendar"),
    "calendar_value": ("{calendar}; zona waktu {tz}", "{calendar}; time zone {tz}"),
    "lead_median": ("Median waktu penyelesaian", "Median lead time"),
    "lead_median_value": ("{duration} ({working})", "{duration} ({working})"),
    "sla_share": ("Selesai tepat waktu (sesuai standar pelayanan)", "Closed within the SLA"),
    "sla_value": ("{share} dari {cases} kasus", "{share} of {cases} cases"),
    "order": ("Urutan kejadian dalam kasus", "Order of events within a case"),
    "order_completion": (
        "menurut waktu selesai (waktu yang sama: menurut urutan dalam berkas)",
        "by completion time (equal times: as listed in the file)",
    ),
    "order_start": (
        "menurut waktu mulai bila tercatat, lalu waktu selesai (waktu yang sama: menurut "
        "urutan dalam berkas)",
        "by start time where recorded, then completion time (equal times: as listed in the file)",
    ),
    "order_file": (
        "menurut urutan dalam berkas; tanpa durasi, sehingga kinerja layanan, tunggakan, "
        "kinerja petugas dan simulasi tidak dihitung",
        "as listed in the file; without durations, so service performance, backlog, officer "
        "scorecards and the what-if are not computed",
    ),
    "grain": ("Rincian periode", "Periods shown by"),
    # the console lines of `sigap analyze`
    "cli_import": ("impor", "import"),
    "cli_rows": ("{n} baris dibaca", "{n} rows read"),
    "cli_order_completion": ("urutan: waktu selesai", "ordered by completion time"),
    "cli_order_start": ("urutan: waktu mulai", "ordered by start time"),
    "cli_order_file": ("urutan: seperti dalam berkas", "ordered as in the file"),
    "cli_dropped": ("kejadian ganda dibuang: {n}", "exact duplicates dropped: {n}"),
    "cli_kept": ("kejadian ganda dipertahankan: {n}", "exact duplicates kept: {n}"),
    "cli_resorted": (
        "kasus diurutkan ulang menurut waktu: {n} (contoh: {examples})",
        "cases re-sorted by time: {n} (e.g. {examples})",
    ),
    "cli_naive": (
        "waktu tanpa zona waktu: {n}, dibaca dalam {tz}",
        "timestamps without an offset: {n}, read in {tz}",
    ),
    "cli_missing": ("kejadian tanpa waktu: {n}", "events without a timestamp: {n}"),
    "cli_paired": ("langkah dengan waktu mulai: {n}", "activity instances with a start: {n}"),
    "cli_ignored": ("atribut diabaikan: {keys}", "attributes ignored: {keys}"),
    "cli_no_durations": (
        "tanpa durasi: kinerja layanan, tunggakan, kinerja petugas dan simulasi tidak dihitung",
        "no durations: service performance, backlog, officer scorecards and what-if skipped",
    ),
    "cli_done": (
        "{events} peristiwa, {cases} kasus, {variants} varian → {out}",
        "{events} events, {cases} cases, {variants} variants → {out}",
    ),
    "grain_month": ("bulan", "month"),
    "grain_quarter": ("triwulan", "quarter"),
    "grain_year": ("tahun", "year"),
    "findings": ("Temuan utama", "Key findings"),
    "delay_sentence": (
        "Langkah «{step}» menambah rata-rata {working} ({duration}) pada {share} kasus.",
        "Step «{step}» adds on average {working} ({duration}) to {share} of cases.",
    ),
    "delay_definition": (
        "Tambahan waktu sebuah langkah: waktu tunggu dari peristiwa sebelumnya dalam kasus yang "
        "sama sampai langkah itu, dijumlahkan per kasus yang melewatinya, dihitung dalam hari "
        "kerja (hari kerja sesudah hari peristiwa sebelumnya sampai dengan hari langkah itu).",
        "A step's delay: the waiting from the previous event of the same case until the step, "
        "summed per case passing through it, counted in working days (the working days after "
        "the previous event's day up to and including the step's day).",
    ),
    "no_findings": ("Tidak ada waktu tunggu antarlangkah.", "No waiting between steps."),
    "no_findings_file": (
        "Waktu tunggu tidak dihitung: kejadian dibaca menurut urutan dalam berkas, tanpa waktu.",
        "Waiting times are not computed: the events were read as listed in the file, without "
        "times.",
    ),
    "more_rows": ("Tampilkan {n} baris lainnya", "Show {n} more rows"),
    "footer": (
        "Dibuat oleh sigap (mesin analisis: {engine}). Angka dan tanggal dalam format Indonesia.",
        "Made by sigap (analysis engine: {engine}).",
    ),
    # sections
    "map": ("Peta proses", "Process map"),
    "map_note": (
        "Kotak: langkah dan jumlah peristiwanya (hijau: langkah awal, tepi merah: langkah "
        "akhir). Panah: perpindahan antarlangkah, dengan jumlah dan median waktunya.",
        "Boxes: steps and their events (green: first steps, red border: last steps). Arrows: "
        "moves between steps, with their count and median time.",
    ),
    "variants_all": ("Varian proses (semua {total})", "Process variants (all {total})"),
    "variants_title": (
        "Varian proses ({shown} teratas dari {total})",
        "Process variants (top {shown} of {total})",
    ),
    "performance": ("Kinerja per layanan", "Performance by service"),
    "performance_by": ("Kinerja per {grain}", "Performance by {grain}"),
    "delays": ("Hambatan: tambahan waktu per langkah", "Bottlenecks: delay added per step"),
    "rework": ("Pengerjaan ulang", "Rework"),
    "quality": ("Kualitas data", "Data quality"),
    "h_check": ("Pemeriksaan", "Check"),
    "h_finding": ("Temuan", "Finding"),
    "h_examples": ("Contoh", "Examples"),
    "h_level": ("Tingkat", "Level"),
    "level_warning": ("perlu diperhatikan", "needs attention"),
    "level_info": ("informasi", "for information"),
    "examples": ("contoh", "examples"),
    "instances_title": (
        "Waktu layanan dan waktu tunggu per langkah (layanan {service}, menunggu {waiting})",
        "Service and waiting time per step (service {service}, waiting {waiting})",
    ),
    "h_instances": ("Pelaksanaan langkah", "Step instances"),
    "h_service_median": ("Median waktu layanan", "Median service time"),
    "h_service_mean": ("Rata-rata waktu layanan", "Mean service time"),
    "h_service_p90": ("Waktu layanan persentil 90", "Service time, 90th percentile"),
    "h_wait_before_median": ("Median tunggu sebelum langkah", "Median wait before the step"),
    "h_wait_before_mean": ("Rata-rata tunggu sebelum langkah", "Mean wait before the step"),
    "h_unmatched_starts": ("Mulai tanpa selesai", "Starts without completion"),
    "h_unmatched_completes": ("Selesai tanpa mulai", "Completions without start"),
    "conformance": ("Kesesuaian dengan prosedur", "Conformance to the procedure"),
    "conformance_sentence": (
        "{conforming} dari {cases} kasus ({share}) mengikuti prosedur {procedure}.",
        "{conforming} of {cases} cases ({share}) follow the procedure {procedure}.",
    ),
    "backlog": ("Tunggakan: kasus belum selesai", "Backlog: open cases"),
    "scorecards": (
        "Kinerja petugas (paling sedikit {n} kasus)",
        "Officers (at least {n} cases)",
    ),
    "what_if": ("Simulasi: jika waktu tunggu dipangkas", "What if the waiting were cut"),
    "appendix": ("Lampiran", "Appendix"),
    "edges": ("Perpindahan antarlangkah", "Moves between steps"),
    "start_end": ("Langkah awal dan akhir", "First and last steps"),
    # column headers
    "h_service": ("Layanan", "Service"),
    "h_unit": ("Unit", "Unit"),
    "h_officer": ("Petugas", "Officer"),
    "h_period": ("Periode", "Period"),
    "h_volume": ("Kasus masuk", "Cases started"),
    "h_closed": ("Kasus selesai", "Cases closed"),
    "h_lead_median": ("Median waktu penyelesaian", "Median lead time"),
    "h_lead_wd_median": ("Median hari kerja", "Median working days"),
    "h_lead_wd_p90": ("Hari kerja 90 % kasus", "Working days of 90% of cases"),
    "h_sla_share": ("Tepat waktu", "Within SLA"),
    "h_ftr_share": ("Benar sejak awal", "First time right"),
    "h_waiting_median": ("Median menunggu pemohon", "Median waiting for the applicant"),
    "h_processing_median": ("Median waktu proses", "Median processing time"),
    "h_waiting_share": ("Porsi waktu menunggu", "Share of time waiting"),
    "h_open": ("Kasus terbuka", "Open cases"),
    "h_age_median": ("Median umur (hari kerja)", "Median age (working days)"),
    "h_age_max": ("Umur tertua (hari kerja)", "Oldest (working days)"),
    "h_age_0_5": ("0–5 hari kerja", "0–5 working days"),
    "h_age_6_10": ("6–10 hari kerja", "6–10 working days"),
    "h_age_11_20": ("11–20 hari kerja", "11–20 working days"),
    "h_age_over_20": ("Lebih dari 20 hari kerja", "Over 20 working days"),
    "h_over_sla": ("Melewati standar", "Past the SLA"),
    "h_step": ("Langkah", "Step"),
    "h_from": ("Dari langkah", "From step"),
    "h_to": ("Ke langkah", "To step"),
    "h_count": ("Jumlah", "Count"),
    "h_median_time": ("Median waktu", "Median time"),
    "h_mean_time": ("Rata-rata waktu", "Mean time"),
    "h_p90_time": ("Waktu 90 %", "Time of 90%"),
    "h_steps": ("Urutan langkah", "Sequence of steps"),
    "h_cases": ("Kasus", "Cases"),
    "h_share_cases": ("Porsi kasus", "Share of cases"),
    "h_median_duration": ("Median lama kasus", "Median case duration"),
    "h_mean_duration": ("Rata-rata lama kasus", "Mean case duration"),
    "h_repeats": ("Pengulangan", "Repeats"),
    "h_delay_wd": ("Tambahan rata-rata (hari kerja)", "Mean delay (working days)"),
    "h_delay_time": ("Tambahan rata-rata (waktu)", "Mean delay (elapsed)"),
    "h_share_waiting": ("Porsi seluruh waktu tunggu", "Share of all waiting"),
    "h_events": ("Peristiwa", "Events"),
    "h_start": ("Sebagai langkah awal", "As first step"),
    "h_end": ("Sebagai langkah akhir", "As last step"),
    "h_deviation": ("Penyimpangan", "Deviation"),
    "h_handling_median": ("Median waktu penanganan", "Median handling time"),
    "h_rework_caused": ("Pengerjaan ulang", "Rework caused"),
    "h_throughput_pct": ("Persentil jumlah kasus", "Throughput percentile"),
    "h_speed_pct": ("Persentil kecepatan", "Speed percentile"),
    "h_peers": ("Petugas sebanding", "Peers"),
    "h_scenario": ("Skenario", "Scenario"),
    "h_affected": ("Kasus terdampak", "Cases affected"),
    "h_mean_before": ("Rata-rata sebelum", "Mean before"),
    "h_mean_after": ("Rata-rata sesudah", "Mean after"),
    "h_median_before": ("Median sebelum", "Median before"),
    "h_median_after": ("Median sesudah", "Median after"),
    # values
    "deviation_skipped": ("langkah dilewati", "step skipped"),
    "deviation_extra": ("langkah di luar prosedur", "step outside the procedure"),
    "deviation_out_of_order": ("urutan tertukar", "out of order"),
    "scenario_cut": (
        "waktu tunggu sebelum langkah dipangkas {share}",
        "waiting before the step cut by {share}",
    ),
    "scenario_remove": ("waktu tunggu sebelum langkah dihapus", "waiting before the step removed"),
    "none": ("(tidak ada)", "(none)"),
    "not_recorded": ("(tidak tercatat)", "(not recorded)"),
}


def text(key: str, lang: Lang, **values: object) -> str:
    """The words of `key` in `lang`, with `values` filled in."""
    words = WORDS[key][0 if lang == "id" else 1]
    return words.format(**values) if values else words


__all__ = [
    "LANGS",
    "WORDS",
    "Lang",
    "day",
    "duration",
    "integer",
    "lang_of",
    "number",
    "percent",
    "period",
    "steps",
    "text",
    "working_days",
]
