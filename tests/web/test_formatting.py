"""The one formatting layer (sigap.web.formatting) and its template filters, in both languages."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import formats, translation

from sigap.web import formatting as f

D = date(2026, 12, 2)  # a Wednesday
AT = datetime(2026, 12, 2, 7, 30, tzinfo=UTC)  # 14.30 in Jakarta

# (function, arguments, Indonesian, English)
CASES = [
    (f.integer, (1234567,), "1.234.567", "1,234,567"),
    (f.integer, (999,), "999", "999"),
    (f.integer, (-1234,), "-1.234", "-1,234"),
    (f.integer, (2.5,), "3", "3"),  # half up, not to even
    (f.integer, (None,), "—", "—"),
    (f.decimal, (95.4, 1), "95,4", "95.4"),
    (f.decimal, (95.65, 1), "95,7", "95.7"),  # 95.65 is 95.6499... as a float: still up
    (f.decimal, (1234.5, 2), "1.234,50", "1,234.50"),
    (f.decimal, (-0.04, 1), "0,0", "0.0"),  # no "-0,0"
    (f.decimal, (float("nan"), 1), "—", "—"),
    (f.number, (1491.0,), "1.491", "1,491"),  # not "1491,0"
    (f.number, (0.25,), "0,25", "0.25"),
    (f.number, (2.5,), "2,5", "2.5"),
    (f.percent, (0.954,), "95,4 %", "95.4%"),
    (f.percent, (0.9565,), "95,7 %", "95.7%"),
    (f.percent, (1,), "100,0 %", "100.0%"),
    (f.percent, (0.4, 0), "40 %", "40%"),
    (f.percent, (Decimal("0.125"), 1), "12,5 %", "12.5%"),
    (f.percent, (None,), "—", "—"),
    (f.percent_points, (95.4,), "95,4 %", "95.4%"),
    (f.percent_points, (88,), "88,0 %", "88.0%"),
    (f.money, (50000,), "Rp 50.000", "Rp 50,000"),
    (f.money, (Decimal("1500.50"),), "Rp 1.500,50", "Rp 1,500.50"),
    (f.money, (1491.0,), "Rp 1.491", "Rp 1,491"),
    (f.money, (0,), "Rp 0", "Rp 0"),
    (f.money, (None,), "—", "—"),
    (f.p_value, (0.00001,), "< 0,001", "< 0.001"),
    (f.p_value, (0.0234,), "0,023", "0.023"),
    (f.p_value, (0.5,), "0,50", "0.50"),
    (f.p_value_clause, ("q", 0.0), "q < 0,001", "q < 0.001"),
    (f.p_value_clause, ("q", 0.012), "q = 0,012", "q = 0.012"),
    (f.long_date, (D,), "2 Desember 2026", "2 December 2026"),
    (f.long_date, (AT,), "2 Desember 2026", "2 December 2026"),
    (f.short_date, (date(2026, 8, 17),), "17 Agu 2026", "17 Aug 2026"),
    (f.weekday_date, (D,), "Rabu, 2 Desember 2026", "Wednesday, 2 December 2026"),
    (f.clock, (time(9, 5),), "09.05", "09:05"),
    (f.long_datetime, (AT,), "2 Desember 2026 14.30", "2 December 2026 14:30"),
    (f.short_datetime, (AT,), "2 Des 2026 14.30", "2 Dec 2026 14:30"),
    (f.long_date, (None,), "—", "—"),
    (f.month, (D,), "Desember 2026", "December 2026"),
    (f.period, ("2025-Q3",), "Triwulan III 2025", "Q3 2025"),
    (f.period, ("2025-S1",), "Semester I 2025", "H1 2025"),
    (f.period, ("2025-07",), "Juli 2025", "July 2025"),
    (f.period, ("2025",), "2025", "2025"),
    (f.period, ("later",), "later", "later"),
    (f.working_days, (3,), "3 hari kerja", "3 working days"),
    (f.working_days, (1,), "1 hari kerja", "1 working day"),
    (f.working_days, (1.0,), "1 hari kerja", "1 working day"),
    (f.working_days, (2.5,), "2,5 hari kerja", "2.5 working days"),
    (f.days, (1,), "1 hari", "1 day"),
    (f.hours_minutes, (2.5,), "2 jam 30 menit", "2 hours 30 minutes"),
    (f.hours_minutes, (0.75,), "45 menit", "45 minutes"),
    (f.hours_minutes, (1.0,), "1 jam", "1 hour"),
    (f.hours_minutes, (timedelta(minutes=61),), "1 jam 1 menit", "1 hour 1 minute"),
    (f.hours_minutes, (0,), "0 menit", "0 minutes"),
]


@pytest.mark.parametrize(
    ("fn", "args", "indonesian", "english"),
    CASES,
    ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(CASES)],
)
def test_each_format_in_both_languages(fn, args, indonesian, english):
    assert fn(*args, lang="id") == indonesian
    assert fn(*args, lang="en") == english


def test_without_a_language_the_page_language_is_used():
    with translation.override("id"):
        assert f.percent(0.954) == "95,4 %"
    with translation.override("en"):
        assert f.percent(0.954) == "95.4%"
    assert f.language("en-gb") == "en" and f.language("id") == "id"


def test_the_separators_agree_with_djangos_format_modules():
    for lang in ("id", "en"):
        assert f.decimal(1234.5, 1, lang)[1] == formats.get_format("THOUSAND_SEPARATOR", lang)
        assert f.decimal(1234.5, 1, lang)[-2] == formats.get_format("DECIMAL_SEPARATOR", lang)


@pytest.mark.parametrize(
    ("lang", "name", "expected"),
    [
        ("id", "DATE_FORMAT", "2 Desember 2026"),
        ("en", "DATE_FORMAT", "2 December 2026"),
        ("id", "SHORT_DATE_FORMAT", "2 Des 2026"),
        ("en", "SHORT_DATE_FORMAT", "2 Dec 2026"),
    ],
)
def test_djangos_named_date_formats_agree_with_the_layer(lang, name, expected):
    with translation.override(lang):
        assert formats.date_format(D, name) == expected


@pytest.mark.parametrize("lang", ["id", "en"])
def test_djangos_named_datetime_formats_agree_with_the_layer(lang):
    with translation.override(lang):
        from django.utils import timezone

        local = timezone.localtime(AT)
        assert formats.date_format(local, "DATETIME_FORMAT") == f.long_datetime(AT)
        assert formats.date_format(local, "SHORT_DATETIME_FORMAT") == f.short_datetime(AT)
        assert formats.time_format(local.time(), "TIME_FORMAT") == f.clock(AT)


@pytest.mark.parametrize(
    ("template", "value", "indonesian", "english"),
    [
        ("{{ v|number }}", 1234567, "1.234.567", "1,234,567"),
        ("{{ v|decimal:2 }}", 81.5, "81,50", "81,50".replace(",", ".")),
        ("{{ v|percent }}", 0.954, "95,4 %", "95.4%"),
        ("{{ v|percent:0 }}", 0.4, "40 %", "40%"),
        ("{{ v|percent_points }}", 95.4, "95,4 %", "95.4%"),
        ("{{ v|rupiah }}", 50000, "Rp 50.000", "Rp 50,000"),
        ("{{ v|rupiah }}", None, "—", "—"),
        ("{{ v|rupiah }}", "", "—", "—"),  # a missing lookup
        ("{{ v|long_date }}", D, "2 Desember 2026", "2 December 2026"),
        ("{{ v|long_datetime }}", AT, "2 Desember 2026 14.30", "2 December 2026 14:30"),
        ("{{ v|period }}", "2026-Q3", "Triwulan III 2026", "Q3 2026"),
        ("{{ v|working_days }}", 3, "3 hari kerja", "3 working days"),
        ("{{ v|hours_minutes }}", 2.5, "2 jam 30 menit", "2 hours 30 minutes"),
        ("{{ v|p_value }}", 0.00002, "&lt; 0,001", "&lt; 0.001"),
    ],
)
def test_the_template_filters_follow_the_page_language(template, value, indonesian, english):
    tpl = Template("{% load sigap_format %}" + template)
    for lang, expected in (("id", indonesian), ("en", english)):
        with translation.override(lang):
            assert tpl.render(Context({"v": value})) == expected


def test_the_old_filters_delegate_to_the_layer():
    tpl = Template(
        "{% load performance appraisal_tags %}{{ v|pct }} | {{ v|num1 }} | {{ v|percent }}"
    )
    with translation.override("id"):
        assert tpl.render(Context({"v": 0.954})) == "95,4 % | 1,0 | 95 %"
    with translation.override("en"):
        assert tpl.render(Context({"v": 0.954})) == "95.4% | 1.0 | 95%"
        assert tpl.render(Context({"v": None})) == "— | — | —"


def test_pages_format_figures_only_through_the_layer():
    """A guard: figures on pages go through {% load sigap_format %}, not Django's own filters
    (floatformat, intcomma) or a glued "Rp{{ ... }}"; form values may keep plain digits."""
    import re
    from pathlib import Path

    import sigap

    root = Path(sigap.__file__).parent
    ad_hoc = re.compile(r"\|intcomma|\|floatformat|Rp ?\{\{|\|date:\"[jY]")
    found = []
    for path in root.rglob("templates/**/*.html"):
        for n, line in enumerate(path.read_text().splitlines(), 1):
            for match in ad_hoc.finditer(re.sub(r'value="[^"]*"', "", line)):
                found.append(f"{path.relative_to(root)}:{n}: {match.group(0)}")
    python = re.compile(r"number_format\(|floatformat\(|\"Rp\" \+|:\.\d%\}")
    # Text for operators, not pages: command output, the analytics command line (English, no
    # Django), the demo's build report, the SKP settings summary; and the typed spreadsheet writer.
    operators = {"management", "analytics", "demo"}
    for path in root.rglob("*.py"):
        if operators & set(path.parts) or path.name == "spreadsheets.py":
            continue
        if path.parts[-2:] == ("appraisals", "conf.py"):
            continue
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if python.search(line):
                found.append(f"{path.relative_to(root)}:{n}")
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    ("lang", "kept"),
    [
        ("id", "disimpan selama 1.825 hari setelah permohonan Anda selesai"),
        ("en", "kept for 1,825 days after your request is finished"),
    ],
)
def test_a_count_in_a_plural_sentence_is_grouped(client, world, lang, kept):
    """A plural sentence ({% blocktranslate count %}, ngettext) shows its count through the
    layer: five years of keeping a service's files read 1.825 / 1,825 days, on the service page
    (a template) and on its online form's notice (Python)."""
    from sigap.catalogue.models import Service

    Service.objects.filter(pk=world.ktp.pk).update(document_retention_days=1825)
    client.cookies["django_language"] = lang
    for url in (f"/layanan/{world.ktp.code}/", f"/layanan/{world.ktp.code}/ajukan/"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert kept in " ".join(page.content.decode().split()), url


def test_plural_sentences_show_large_counts_through_the_layer():
    """A guard: a {% blocktranslate count %} whose count can pass 999 prints it through the
    layer (`with shown=x|number`); only counts small by nature may print bare."""
    import re
    from pathlib import Path

    import sigap

    # Bounded by nature: a request's paused days, SLAs, attempts, link and throttle periods,
    # hours of the PDP notice, one person's findings and flags.
    small = {
        "sr.paused_working_days", "std.sla_working_days", "p.standard.sla_working_days",
        "standard.sla_working_days", "d.attempts", "days", "minutes", "p.integrity.confirmed",
        "f.cases", "c.cases", "request_hours.access", "request_hours.correction",
        "request_hours.deletion", "request_hours.withdrawal", "breach_hours",
        "score.basic_covered|length",  # at most the 6 basic-service urusan
        "frame.band_decimals",  # decimals of the IID before banding (2)
    }  # fmt: skip
    root = Path(sigap.__file__).parent
    block = re.compile(r"\{% blocktranslate ([^%]*\bcount (\w+)=(\S+)[^%]*)%\}")
    found = []
    for path in root.rglob("templates/**/*.html"):
        for match in block.finditer(path.read_text()):
            options, _var, expr = match.groups()
            if expr not in small and f"shown={expr}|number" not in options:
                found.append(f"{path.relative_to(root)}: count {expr}")
    assert not found, "\n".join(found)
