"""No internal code reaches a person: every page speaks the reader's language.

Every GET page of the permission matrix is rendered, as every persona that may read it (a page
open to all as four of them, see PUBLIC_READERS), in Indonesian and in English, on a world with
real content (requests in every state, complaints, surveys, an integrity signal, SKP appraisals,
scorecards, audit entries, a WBS case, PDP requests), plus the detail pages of those records,
the pages' CSV exports, the XLSX pages and workbooks they link to, and the PDFs (the matrix's
PDF pages and every PDF a page links to: Indonesian documents, read with the Indonesian
detectors on both legs through tests/pdf_text.py). The visible text (text nodes outside
<script>/<style>, plus the title, placeholder, aria-label and alt attributes and the value of
input buttons) must hold none of:

- snake_case words (`follow_up`, `sangat_baik`): a status, enum value or key shown raw;
- UPPER_SNAKE names (`SKP_PERIOD`): a setting's name;
- a stored code alone or leading a value (`final`, `overcharge 9,0`, `overcharge:XCZN78Y4NK`):
  a choice of a model field shown by its value instead of its label;
- Python reprs (`{'message_id': 4}`, `['a', 'b']`, a lone None/True/False, `<… object at 0x…>`,
  `Decimal('…')`): a value printed instead of rendered;
- on Indonesian pages, an English sentence of the catalogue (a text equal to a msgid of
  locale/id/LC_MESSAGES/django.po whose translation differs): text left untranslated at render
  time, e.g. a lazy string evaluated at import, or a message built outside gettext.

E-mail addresses and web addresses are not words and are removed first. A failure lists every
finding as `page | persona | language | category | snippet`, so whoever adds a page sees what
to translate (docs/language.md).
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, time, timedelta
from functools import cache
from pathlib import Path

import pytest
from django.http.response import HttpResponseBase
from django.test import Client
from django.utils import timezone
from lxml import html as lxml_html

import sigap
from tests import factories
from tests.conftest import local
from tests.pdf_text import pdf_blocks
from tests.test_permission_matrix import MATRIX, PERSONAS, _url

CATALOGUE = Path(sigap.__file__).parent / "locale" / "id" / "LC_MESSAGES" / "django.po"
NON_HTML = ("application/pdf", "spreadsheet", "json", "xml", "svg", "csv", "text/plain")
ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
# Elements whose whole text (inline markup included) is also compared with the catalogue.
BLOCKS = {
    "p", "li", "td", "th", "dt", "dd", "label", "button", "a", "option", "legend", "caption",
    "summary", "h1", "h2", "h3", "h4", "h5", "h6", "span", "strong", "em", "small", "figcaption",
}  # fmt: skip

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL = re.compile(r"(?:https?://|www\.)\S+|(?<![\w/])/[\w\-./?=&%]*/[\w\-./?=&%]*")
SNAKE = re.compile(r"(?<![\w-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w-])")
UPPER_SNAKE = re.compile(r"(?<![\w-])[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?![\w-])")
REPRS = [
    re.compile(r"\{\s*['\"][^'\"]*['\"]\s*:"),  # {'key': …}
    re.compile(r"\[\s*['\"][^'\"]*['\"]\s*[,\]]"),  # ['a', …]
    # None/True/False alone, or inside a repr (after "(", ":", "=", "," or "[", or before "," ")"
    # "]" "}"); "None online" is an English sentence.
    re.compile(r"^(?:None|True|False)$"),
    re.compile(r"[(:=,\[]\s*(?:None|True|False)\b|\b(?:None|True|False)\s*[,)\]}]"),
    re.compile(r"object at 0x[0-9a-f]+"),
    re.compile(r"\bDecimal\(\s*['\"]"),
    re.compile(r"\b(?:datetime\.)?(?:date|datetime|timedelta)\(\d"),
]


# -- the world with content -----------------------------------------------------------------


@dataclass
class Content:
    world: factories.World
    code: str  # the matrix's request (open, submitted the same day as the matrix test)
    extra: dict[str, tuple[str, list[str]]]  # label -> (URL, personas): pages with real ids


def _build(world: factories.World, settings, tmp_path: Path) -> Content:  # type: ignore[no-untyped-def]
    """Content on every page: the leadership test world (requests finished, returned, open;
    complaints forwarded and followed up; questionnaires), an overcharge signal, SKP plans and
    appraisals, scorecards and a roadmap, an SKM follow-up plan, a WBS case, PDP requests and a
    breach, counter slots. Every write goes through its service, so the audit trail fills too."""
    from sigap.accounts.services import grant_request
    from sigap.appraisals import services as skp
    from sigap.booking.services import booking_make, open_slots, slot_plan_add, slots_generate
    from sigap.integrity.models import IntegritySignal
    from sigap.integrity.services import signal_decide
    from sigap.leadership.models import RoadmapAction
    from sigap.leadership.refresh import leadership_refresh
    from sigap.leadership.services import roadmap_action_set_status
    from sigap.notifications.links import applicant_path
    from sigap.performance.models import UnitServicePerformance
    from sigap.performance.services import performance_refresh
    from sigap.privacy import services as pdp
    from sigap.privacy.models import Breach, PrivacyRequest
    from sigap.rules.ikm import ELEMENT_CODES
    from sigap.surveys.services import survey_follow_up_add
    from sigap.whistleblowing.services import inspector_reply, report_submit, reporter_add
    from tests.appraisals.conftest import one_result, overcharge_signal
    from tests.leadership.conftest import AS_OF, record

    settings.VAR_DIR = tmp_path
    settings.DOCUMENTS_DIR = tmp_path / "documents"
    settings.SIGAP = {
        **settings.SIGAP,
        "WBS_ARGON2": {"time_cost": 1, "memory_cost": 8, "parallelism": 1},
    }
    world.officer_a.supervisor = world.head_a
    world.officer_a.save(update_fields=["supervisor"])

    recorded = record(world)
    signal = overcharge_signal(world, 3)
    performance_refresh(tmp_path / "analytics", min_cases=1)
    leadership_refresh(as_of=AS_OF, min_sample=1)
    action = RoadmapAction.objects.filter(unit=world.counter_a).first()
    if action is not None:
        roadmap_action_set_status(action=action, user=world.users["head_a"], status="accepted")

    # SKP: officer A's plan, a quarterly rating, a final yearly rating and a correction.
    plan = skp.plan_create(
        employee=world.officer_a,
        year=2025,
        results=[one_result()],
        actor=world.users["head_a"],
        period_kind="triwulanan",
    )
    skp.appraisal_rate(
        plan=plan,
        period=1,
        hasil_kerja="sesuai",
        perilaku_kerja="di_atas",
        actor=world.users["head_a"],
    )
    yearly = skp.appraisal_rate(
        plan=plan,
        period=0,
        hasil_kerja="di_atas",
        perilaku_kerja="sesuai",
        actor=world.users["head_a"],
        behaviour_notes={"akuntabel": "Teliti"},
        finalise=True,
    )
    skp.appraisal_correct(
        appraisal=yearly,
        hasil_kerja="sesuai",
        perilaku_kerja="sesuai",
        reason="Salah ketik nilai",
        actor=world.users["head_a"],
    )
    skp.org_rating_set(unit=world.counter_a, year=2025, predikat="baik", actor=world.users["hr"])
    skp.potential_import(
        text=f"nip,score\n{world.officer_a.nip},72\n", year=2025, actor=world.users["hr"]
    )
    skp.absence_record(
        employee=world.officer_a, day=date(2025, 3, 3), actor=world.users["hr"], note="Alpa"
    )
    signal_decide(
        signal=signal,
        outcome="confirmed",
        reason="Kuitansi tidak sesuai tarif",
        actor=world.users["inspector"],
    )
    grant_request(user=world.users["norole"], unit=world.counter_a, by=world.users["admin"])

    # Counter visits: the weekly plan, the slots of the coming two weeks, one booking.
    world.ktp_standard.needs_presence = True
    world.ktp_standard.save(update_fields=["needs_presence"])
    today = timezone.localdate()
    for weekday in range(5):
        slot_plan_add(
            user=world.users["head_a"],
            unit=world.counter_a,
            weekday=weekday,
            start=time(9),
            capacity=4,
        )
    slots_generate(
        user=world.users["head_a"],
        unit=world.counter_a,
        first=today,
        last=today + timedelta(days=14),
    )

    survey_follow_up_add(
        unit=world.counter_a,
        period="2025-Q1",
        element=ELEMENT_CODES[2],
        action="Menambah petugas loket pada jam sibuk",
        timeline="April 2025",
        responsible="Kepala Loket A",
        user=world.users["head_a"],
    )

    report, _receipt = report_submit(unit=world.counter_a, what="Diminta uang tambahan")
    reporter_add(report=report, text="Kejadiannya pada hari Senin")
    inspector_reply(report=report, user=world.users["inspector"], text="Terima kasih, kami periksa")

    sr = factories.submit(world, at=local(2025, 3, 27))
    pdp.privacy_request_submit(
        kind="access", receipt=sr.receipt_code, contact=factories.APPLICANT.contact
    )
    pdp.breach_record(
        unit=world.counter_a,
        user=world.users["admin"],
        facts=pdp.BreachFacts(
            title="Ekspor daftar pemohon terkirim ke alamat salah",
            discovered_at=timezone.now() - timedelta(hours=10),
            how="Berkas ekspor dikirim lewat surel ke alamat di luar instansi.",
            data_categories="Nama dan nomor telepon pemohon",
            subjects_count=12,
            measures="Penerima diminta menghapus berkas.",
        ),
    )

    done = recorded.requests["r2"]  # returned once, resumed, finished: the longest history
    complaint = recorded.complaints[0]  # verified, forwarded, followed up
    # A result of counter A, which head_a reads (`first()` alone could be another unit's).
    perf = UnitServicePerformance.objects.filter(unit=world.counter_a).order_by("pk").first()
    oversight = ["inspector", "ombudsman"]
    extra = {
        "request_detail (finished)": (f"/permohonan/{done.receipt_code}/", ["head_a"]),
        "track_code (finished)": (f"/lacak/{done.receipt_code}/", ["anon"]),
        "applicant_page (finished)": (applicant_path(done.receipt_code), ["anon"]),
        "complaint_detail (followed up)": (f"/pengaduan/{complaint.receipt_code}/", ["head_a"]),
        "complaint_status (followed up)": (
            f"/pengaduan/status/{complaint.receipt_code}/",
            ["anon"],
        ),
        "integrity_signal (real)": (
            f"/inspektorat/sinyal/{IntegritySignal.objects.get(pk=signal.pk).pk}/",
            oversight,
        ),
        "wbs_case_detail (real)": (f"/inspektorat/wbs/{report.pk}/", ["inspector"]),
        "privacy_request_detail (real)": (
            f"/privasi/antrian/{PrivacyRequest.objects.get().pk}/",
            ["admin"],
        ),
        "privacy_breach_detail (real)": (
            f"/privasi/insiden/{Breach.objects.get().pk}/",
            ["admin"],
        ),
        "privacy_breach_letter (subjects)": (
            f"/privasi/insiden/{Breach.objects.get().pk}/surat/subjects/",
            ["admin"],
        ),
        "privacy_breach_letter (authority)": (
            f"/privasi/insiden/{Breach.objects.get().pk}/surat/authority/",
            ["admin"],
        ),
        "skm_follow_up (with a row)": (f"/skm/rencana/{world.counter_a.pk}/2025-Q1/", ["head_a"]),
        "leadership:unit (period)": (f"/pimpinan/unit/{world.counter_a.pk}/", ["leadership"]),
    }
    if perf is not None:
        extra["service_performance_detail (real)"] = (
            f"/kinerja-layanan/{perf.pk}/",
            ["head_a", "inspector"],
        )
    matrix_request = factories.submit(world, at=local(2025, 3, 27))
    booking_make(
        receipt=matrix_request.receipt_code,
        contact=factories.APPLICANT.contact,
        slot_id=open_slots(matrix_request)[0].pk,
    )
    from tests.competency.content import competency_content

    competency_content(world)  # the competency pages with a profile, gaps, plan and effects
    extra["payments_cashier (cashier)"] = ("/pembayaran/", ["cashier"])
    extra["payments_import (cashier)"] = ("/pembayaran/impor/", ["cashier"])
    return Content(world, matrix_request.receipt_code, extra)


# -- reading a page -------------------------------------------------------------------------


@cache
def untranslated_texts() -> tuple[frozenset[str], re.Pattern[str] | None]:
    """English sentences of the catalogue whose Indonesian differs: the literal ones as a set,
    the ones with placeholders as one pattern (each placeholder matches any text)."""
    literal: set[str] = set()
    patterns: list[str] = []
    for block in CATALOGUE.read_text(encoding="utf-8").split("\n\n"):
        match = re.search(r'^msgid ((?:".*"\n?)+)^msgstr ((?:".*"\n?)+)', block + "\n", re.M)
        if not match or "msgid_plural" in block:
            continue
        msgid = " ".join("".join(json.loads(s) for s in match.group(1).split("\n") if s).split())
        msgstr = " ".join("".join(json.loads(s) for s in match.group(2).split("\n") if s).split())
        if not msgid or msgid == msgstr or not re.search(r"[a-z]{3}", msgid):
            continue
        holes = re.compile(r"%\([^)]+\)[sd]|%[sd]|\{[^}]*\}")
        if holes.search(msgid):
            bare = holes.sub("", msgid)
            if len(re.findall(r"[A-Za-z]", bare)) >= 12:
                parts = [re.escape(p) for p in holes.split(msgid)]
                patterns.append(".+?".join(parts))
        else:
            literal.add(msgid)
    compiled = re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None
    return frozenset(literal), compiled


def _norm(text: str) -> str:
    return " ".join(text.split())


def visible_texts(content: str) -> Iterator[tuple[str, bool]]:
    """(text, whole) for each text a reader sees: text nodes and the attributes read aloud or
    shown; `whole` marks an element's full text (inline markup included)."""
    tree = lxml_html.document_fromstring(content)
    for bad in tree.xpath("//script|//style|//template|//noscript"):
        bad.drop_tree()
    for node in tree.iter():
        if not isinstance(node.tag, str):
            continue  # comments, processing instructions
        for name in ATTRIBUTES:
            if node.get(name):
                yield _norm(node.get(name)), False
        button = node.tag == "input" and node.get("type") in ("submit", "button", "reset")
        if button and node.get("value"):
            yield _norm(node.get("value")), False
        if node.text and node.text.strip():
            yield _norm(node.text), False
        if node.tail and node.tail.strip():
            yield _norm(node.tail), False
        if node.tag in BLOCKS and len(node):
            whole = _norm(node.text_content())
            if whole:
                yield whole, True


@cache
def raw_codes(language: str) -> frozenset[str]:
    """The stored codes of every choice field of sigap (statuses, kinds, predikat…) whose label
    in `language` differs from the code: shown alone, such a code is a value not rendered."""
    from django.apps import apps
    from django.utils import translation

    codes: set[str] = set()
    with translation.override(language):
        for model in apps.get_models():
            if not model.__module__.startswith("sigap."):
                continue
            for field in model._meta.get_fields():
                for value, label in getattr(field, "flatchoices", None) or ():
                    code = isinstance(value, str) and re.fullmatch(r"[a-z][a-z0-9_]{2,}", value)
                    if code and str(label) != value:
                        codes.add(value)
    return frozenset(codes)


def findings(
    content: str, language: str, allowed: frozenset[str] = frozenset()
) -> list[tuple[str, str]]:
    """(category, snippet) for every leak in the page's visible text; `allowed` are words that
    are data, not code (the log-in names of the test's users)."""
    found: list[tuple[str, str]] = []
    literal, pattern = untranslated_texts()
    seen: set[tuple[str, str]] = set()

    def add(category: str, snippet: str) -> None:
        if (category, snippet) not in seen:
            seen.add((category, snippet))
            found.append((category, snippet))

    for text, whole in visible_texts(content):
        if not whole:
            plain = URL.sub(" ", EMAIL.sub(" ", text))
            for m in SNAKE.finditer(plain):
                if m.group() not in allowed:
                    add("snake_case", _around(plain, m))
            for m in UPPER_SNAKE.finditer(plain):
                add("UPPER_SNAKE", _around(plain, m))
            for rx in REPRS:
                for m in rx.finditer(plain):
                    add("repr", _around(plain, m))
            head = re.match(r"([a-z][a-z0-9_]+)(?::\S| \d|$)", plain)
            if head and head.group(1) in raw_codes(language) and head.group(1) not in allowed:
                add("code", plain[:80])
        if language == "id" and (
            text in literal or (pattern is not None and pattern.fullmatch(text))
        ):
            add("English", text[:120])
    return found


def _around(text: str, match: re.Match[str]) -> str:
    start, end = max(0, match.start() - 40), min(len(text), match.end() + 40)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


# A page open to all ten personas differs between them only in the menu, and each persona's menu
# is read on the pages of its own role: such a page is read by these four (nobody logged in, an
# account with no role, a front-line officer, the administrator, who has the widest menu).
PUBLIC_READERS = ("anon", "norole", "officer_a", "admin")


def _pages(content: Content) -> Iterator[tuple[str, str, str]]:
    """(label, URL, persona) for every page a persona reads with 200."""
    for view, (method, expected) in sorted(MATRIX.items()):
        if method != "get":
            continue
        url = None
        public = all(status == 200 for status in expected)
        for persona, status in zip(PERSONAS, expected, strict=True):
            if status == 200 and (not public or persona in PUBLIC_READERS or view == "home"):
                url = url or _url(view, content.code)
                yield view, url, persona
    for label, (url, personas) in content.extra.items():
        for persona in personas:
            yield label, url, persona


def _read_all(content: Content, language: str) -> tuple[list[str], int, int, int]:
    problems: list[str] = []
    read = 0
    clients: dict[str, Client] = {}
    exported: set[str] = set()
    pdfs: set[str] = set()
    workbooks: set[str] = set()
    for label, url, persona in _pages(content):
        client = clients.get(persona)
        if client is None:
            client = clients[persona] = Client()
            client.cookies["django_language"] = language
            if persona != "anon":
                client.force_login(content.world.users[persona])
        response = client.get(url)
        if response.status_code != 200:
            problems.append(f"{label} | {persona} | {language} | status | {response.status_code}")
            continue
        kind = response.get("Content-Type", "")
        if "spreadsheet" in kind:  # an XLSX page (the SKP recap): its cells are read too
            allowed = frozenset(u.username for u in content.world.users.values())
            for category, snippet in findings(_xlsx_as_html(response.content), language, allowed):
                problems.append(f"{label} | {persona} | {language} | {category} | {snippet}")
            continue
        if "application/pdf" in kind:  # a PDF page (SKP, Laporan SKM): once, as Indonesian
            if url not in pdfs:
                pdfs.add(url)
                problems += _pdf_problems(label, persona, language, response.content, content)
            continue
        if "html" not in kind or any(k in kind for k in NON_HTML):
            continue
        read += 1
        allowed = frozenset(u.username for u in content.world.users.values())
        page = response.content.decode()
        for category, snippet in findings(page, language, allowed):
            problems.append(f"{label} | {persona} | {language} | {category} | {snippet}")
        # The page's CSV exports (sigap.web.exports) are read by people too: once each.
        for link in re.findall(r'href="([^"]*[?&](?:amp;)?export=csv(?:&|&amp;|")[^"]*)', page):
            link = link.replace("&amp;", "&").rstrip('"')
            if link.startswith("?"):
                link = url.split("?")[0] + link
            if link in exported:
                continue
            exported.add(link)
            export = client.get(link)
            if export.status_code != 200:
                problems.append(f"{link} | {persona} | {language} | status | {export.status_code}")
                continue
            for category, snippet in findings(_csv_as_html(_body(export)), language, allowed):
                problems.append(f"{link} | {persona} | {language} | {category} | {snippet}")
        # The PDFs it links to (an SKP document, each unit's Laporan SKM): once each.
        for link in re.findall(r'href="([^"?#]+\.pdf)"', page):
            if link in pdfs:
                continue
            pdfs.add(link)
            export = client.get(link)
            if export.status_code != 200:
                problems.append(f"{link} | {persona} | {language} | status | {export.status_code}")
                continue
            problems += _pdf_problems(link, persona, language, _body(export), content)
        # The workbooks it links to by their own address (a Laporan SKM's XLSX), once each.
        for link in re.findall(r'href="([^"?#]+\.xlsx)"', page):
            if link in workbooks:
                continue
            workbooks.add(link)
            export = client.get(link)
            if export.status_code != 200:
                problems.append(f"{link} | {persona} | {language} | status | {export.status_code}")
                continue
            for category, snippet in findings(_xlsx_as_html(_body(export)), language, allowed):
                problems.append(f"{link} | {persona} | {language} | {category} | {snippet}")
    return problems, read, len(exported), len(pdfs)


def _body(response: HttpResponseBase) -> bytes:
    """A response's bytes: a static file (a template served by WhiteNoise) is streamed."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return bytes(response.content)  # type: ignore[attr-defined]


def _pdf_problems(
    label: str, persona: str, language: str, body: bytes, content: Content
) -> list[str]:
    """A PDF is an Indonesian document whatever the reader's language: it is read with the
    Indonesian detectors (an English catalogue sentence in it is a leak on both legs)."""
    allowed = frozenset(u.username for u in content.world.users.values())
    return [
        f"{label} | {persona} | {language} (PDF, id) | {category} | {snippet}"
        for category, snippet in findings(_pdf_as_html(body), "id", allowed)
    ]


def _pdf_as_html(body: bytes) -> str:
    """A PDF's text as a page: each paragraph or table cell a <p> of its lines, so each line
    and the paragraph as a whole are read like a page's texts."""
    assert body.startswith(b"%PDF"), "not a PDF"
    blocks = pdf_blocks(body)
    assert blocks, "a PDF without text: tests/pdf_text.py no longer reads ReportLab's output"
    paragraphs = "".join(
        "<p>" + " ".join(f"<span>{html.escape(line)}</span>" for line in lines) + "</p>"
        for lines in blocks
    )
    return f"<html><body>{paragraphs}</body></html>"


def _xlsx_as_html(body: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(body), read_only=True)
    rows = [row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]
    return _rows_as_html([["" if c is None else str(c) for c in row] for row in rows])


def _csv_as_html(body: bytes) -> str:
    """A CSV export as a table, so its cells are read like a page's."""
    return _rows_as_html(list(csv.reader(io.StringIO(body.decode("utf-8-sig")))))


def _rows_as_html(rows: list[list[str]]) -> str:
    cells = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<html><body><table>{cells}</table></body></html>"


@pytest.mark.parametrize("language", ["id", "en"])
def test_no_internal_code_reaches_a_person(world, settings, tmp_path, language):
    content = _build(world, settings, tmp_path)
    problems, read, exports, pdfs = _read_all(content, language)
    assert read > 150, f"only {read} HTML pages read"
    assert exports > 5, f"only {exports} CSV exports read"
    assert pdfs >= 2, f"only {pdfs} PDFs read"  # the SKP document and a Laporan SKM at least
    assert not problems, (
        f"{len(problems)} leaks on {read} pages (page | persona | language | kind | text):\n"
        + "\n".join(sorted(set(problems)))
    )


# -- the checker itself ---------------------------------------------------------------------


def test_the_checker_finds_each_kind_of_leak():
    page = """<html><head><title>t</title><script>var a_b = 1;</script></head><body>
      <p>Status: follow_up didisposisikan</p><select><option>SKP_PERIOD</option></select>
      <ul><li>{'message_id': 4}</li><li>None</li><li>['a', 'b']</li></ul>
      <p>Tulis ke dinas_kominfo@contoh.go.id atau https://contoh.go.id/a_b/</p>
      <p title="sangat_baik">ok</p><p>overcharge 9,0</p><td>didisposisikan</td></body></html>"""
    kinds = {(k, s) for k, s in findings(page, "en")}
    assert ("snake_case", "Status: follow_up didisposisikan") in kinds
    assert ("UPPER_SNAKE", "SKP_PERIOD") in kinds
    assert ("repr", "{'message_id': 4}") in kinds
    assert ("repr", "None") in kinds
    assert ("repr", "['a', 'b']") in kinds
    assert ("snake_case", "sangat_baik") in kinds
    assert ("code", "overcharge 9,0") in kinds
    assert ("code", "didisposisikan") in kinds
    assert not any("dinas_kominfo" in s or "a_b" in s for _, s in kinds)


def test_the_checker_reads_a_reportlab_pdf():
    """The PDF reader sees what ReportLab draws: a paragraph wrapped over lines, a table cell,
    escaped brackets and WinAnsi dashes; a code in it is found like on a page."""
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    body = io.BytesIO()
    style = getSampleStyleSheet()["Normal"]
    long = "Rencana tindak lanjut (triwulan berikut) — " + "pelayanan loket " * 12 + "follow_up"
    SimpleDocTemplate(body).build([Paragraph(html.escape(long), style), Table([["sangat_baik"]])])
    page = _pdf_as_html(body.getvalue())
    assert "Rencana tindak lanjut (triwulan berikut) — pelayanan loket" in page
    found = findings(page, "id")
    assert ("snake_case", "sangat_baik") in found and ("code", "sangat_baik") in found
    assert any(k == "snake_case" and s.endswith("loket follow_up") for k, s in found), found


def test_the_checker_finds_an_untranslated_catalogue_sentence():
    literal, _pattern = untranslated_texts()
    english = sorted(m for m in literal if " " in m)[0]
    assert ("English", english[:120]) in findings(f"<p>{english}</p>", "id")
    assert findings(f"<p>{english}</p>", "en") == []


# -- the rules' refusals, at the edge -------------------------------------------------------


INTAKE = {
    "applicant_name": "Ahmad Fauzi",
    "applicant_contact": "0812-3456-7890",
    "region_kecamatan": "Sukamaju",
    "applicant_nik": "1234",
}


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("id", "NIK terdiri atas 16 angka; yang diisi 4 angka."),
        ("en", "A NIK has 16 digits; 4 were entered."),
    ],
)
def test_a_nik_refused_by_the_rules_is_said_in_the_readers_language(client, world, language, said):
    client.cookies["django_language"] = language
    client.force_login(world.users["officer_a"])
    page = client.post("/permohonan/baru/", {**INTAKE, "service": world.ktp.pk})
    assert page.status_code == 200
    assert said in page.content.decode()
    assert "must be 16 digits" not in page.content.decode()


def test_a_nip_refused_by_the_rules_is_said_in_indonesian():
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from sigap.organisation.models import validate_nip

    with translation.override("id"), pytest.raises(ValidationError) as caught:
        validate_nip("19850317201001100")
    assert caught.value.messages == ["NIP terdiri atas 18 angka; yang diisi 17 angka."]
    with translation.override("id"), pytest.raises(ValidationError) as caught:
        validate_nip("198503172010013002")
    assert caught.value.messages == ["Angka ke-15 NIP adalah 1 (laki-laki) atau 2 (perempuan)."]


def test_the_api_says_a_refusal_in_the_requests_language(client, db):
    client.cookies["django_language"] = "id"
    response = client.post(
        "/api/v1/complaints",
        {"category": "lambat", "description": " ", "anonymous": True},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["description"] == ["Uraikan apa yang terjadi."]
