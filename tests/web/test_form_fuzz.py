"""Fuzz every public form and the query strings of the public pages: no input is a 5xx.

Hypothesis draws hostile values (quotes, control characters, NUL, formula prefixes, huge and odd
numbers, dates at year 1 and 9999, unicode digits and direction marks, long text, ...) into the
fields of each form, starting from a valid submission so that the values reach the code behind
the form, and posts them through Django's test client as a browser would (multipart or
urlencoded). Each form also gets the hostile bodies a browser would not send: UTF-16 and unknown
charsets, a body over the upload limit, a broken multipart body, JSON to a form. The public GET
pages get the same values in every query parameter they read, and in their path segments.

Bounded so that `make test` stays fast: `SIGAP_FUZZ_EXAMPLES` examples per form and page group
(25 by default); set it higher for a longer run. The answers are counted: a 5xx fails the test
with the example that produced it (Hypothesis shrinks it).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from sigap.rules.ikm import ELEMENT_CODES

EXAMPLES = int(os.environ.get("SIGAP_FUZZ_EXAMPLES", "25"))

HOSTILE_LITERALS = [
    "", " ", "'", '"', "\\", "'; DROP TABLE x; --", "\" OR 1=1 --", "%", "%00", "%27", "_",
    "\x00", "a\x00b", "\x0b", "\x1b[31m", "\x7f", "\r\n", "\t", "\u202e", "\ufeff", "\uffff",
    "=HYPERLINK(\"http://x\")", "+1", "-1", "@SUM(A1)", "\t=1",
    "0001-01-01", "9999-12-31", "0000-00-00", "2025-02-30", "0001-01-01T00:00:00+07:00",
    "9999-12-31T23:59:59Z", "2025-13-01T25:61:61", "2025", "2025-Q7", "2025-S3", "2025-W99",
    "9" * 20, "-" + "9" * 20, "1e309", "-1e309", "NaN", "inf", "-0", "0", "0x10", "1.5",
    "²", "٣", "Ⅻ", "ẞ", "İ", "😀", "ا", "<script>alert(1)</script>", "../../etc/passwd",
    "null", "true", "[]", "{}", "a" * 300, "Z" * 5000,
]  # fmt: skip

literal = st.sampled_from(HOSTILE_LITERALS)
hostile = st.one_of(
    literal,
    literal,
    literal,
    st.text(max_size=60),
    st.integers().map(str),
    st.from_regex(r"\A[0-9A-Za-z'\-]{0,24}\Z"),
)


@dataclass(frozen=True)
class Form:
    """One public form: where it posts, a valid submission, and the fields it reads."""

    name: str
    path: str
    valid: dict[str, str]
    fields: list[str] = field(default_factory=list)


def wbs_receipt(world: Any) -> str:
    from sigap.whistleblowing import services

    _report, receipt = services.report_submit(
        unit=world.counter_a, what="Pungutan di loket sore", when="Maret", service="KTP-el"
    )
    return str(receipt)


def booking_valid(world: Any) -> dict[str, str]:
    """A real receipt of a service that needs presence, and a real slot, so that the values
    reach the booking write function."""
    from datetime import time, timedelta

    from django.utils import timezone

    from sigap.booking.models import Slot
    from tests import factories
    from tests.conftest import local

    world.ktp_standard.needs_presence = True
    world.ktp_standard.save(update_fields=["needs_presence"])
    sr = factories.submit(world, at=local(2025, 3, 27))
    day = timezone.localdate() + timedelta(days=3)
    slot = Slot.objects.create(unit=world.counter_a, day=day, start=time(9), capacity=50)
    return {
        "receipt": sr.receipt_code,
        "contact": factories.APPLICANT.contact,
        "action": "book",
        "slot": str(slot.pk),
    }


def skm_applicant_path(world: Any) -> str:
    """The applicant's check before a request's SKM (a completed request, so the form shows)."""
    from tests import factories
    from tests.conftest import local

    sr = factories.complete(world, factories.submit(world, at=local(2025, 3, 27)))
    return f"/skm/kode/{sr.receipt_code}/"


def public_forms(world: Any, api_key: str) -> list[Form]:
    from django.contrib.auth.forms import AuthenticationForm

    from sigap.booking.forms import ApplicantForm
    from sigap.complaints.forms import ComplaintForm, StatusLookupForm
    from sigap.service_requests.forms import TrackForm
    from sigap.surveys.forms import ApplicantContactForm, SurveyForm
    from sigap.whistleblowing.forms import FollowUpForm, ReceiptForm, ReportForm

    def names(form: Any) -> list[str]:
        return list(form.fields)

    survey = {**{c: "3" for c in ELEMENT_CODES}, "comment": "Pelayanan baik", "gender": "L"}
    open311 = {
        "api_key": api_key, "service_code": "ktp-el", "lat": "-6.9", "long": "107.6",
        "description": "Antrean panjang", "first_name": "Budi", "last_name": "Santoso",
        "email": "budi@example.org", "address_string": "Jl. Merdeka 1",
        "attribute[category]": "lambat", "attribute[receipt_code]": "", "media_url": "",
        "jurisdiction_id": "", "phone": "", "address_id": "", "device_id": "", "account_id": "",
    }  # fmt: skip
    return [
        Form("survey", "/skm/ktp-el/", survey, names(SurveyForm())),
        Form(
            "complaint",
            "/pengaduan/baru/",
            {
                "category": "lambat",
                "service": str(world.ktp.pk),
                "description": "Antre lama",
                "reporter_name": "Budi",
                "reporter_contact": "0812",
            },
            names(ComplaintForm()),
        ),
        Form(
            "complaint_status",
            "/pengaduan/status/",
            {"kode": "K7QF2M9XPA"},
            names(StatusLookupForm()),
        ),
        Form("tracking", "/lacak/", {"kode": "K7QF2M9XPA"}, names(TrackForm())),
        Form(
            "wbs_report",
            "/lapor/",
            {"unit": str(world.counter_a.pk), "what": "Ada pungutan liar", "when": "Maret"},
            names(ReportForm()),
        ),
        Form(
            "wbs_followup",
            "/lapor/tindak-lanjut/",
            # A real receipt, so that the values reach the follow-up (reply and evidence) code.
            {"receipt": wbs_receipt(world), "text": "Sekitar pukul 10 pagi."},
            names(ReceiptForm()) + names(FollowUpForm()),
        ),
        Form(
            "login",
            "/masuk/",
            {"username": "budi", "password": "rahasia"},
            names(AuthenticationForm()),
        ),
        Form("open311_post", "/open311/v2/requests.json", open311, list(open311)),
        Form(
            "set_language", "/i18n/setlang/", {"language": "en", "next": "/"}, ["language", "next"]
        ),
        Form("booking", "/antrian-loket/", booking_valid(world), names(ApplicantForm())),
        Form(
            "skm_applicant",
            skm_applicant_path(world),
            {"contact": "0812-3456-7890"},
            names(ApplicantContactForm()),
        ),
    ]


# GET forms (tracking, complaint status) are read from the query string.
GET_FORMS = {"complaint_status", "tracking"}

OPEN311_LIST = ["service_request_id", "page", "page_size", "service_code", "start_date",
                "end_date", "status", "jurisdiction_id"]  # fmt: skip
EXPORT = ["export", "table"]


@dataclass(frozen=True)
class Page:
    """A page, who opens it (None: anyone) and the query parameters it reads."""

    path: str
    params: list[str]
    persona: str | None = None


def pages(world: Any) -> list[Page]:
    unit = world.counter_a
    return [
        # Public pages.
        Page("/", ["x"]),
        Page("/lacak/", ["kode"]),
        Page("/pengaduan/status/", ["kode"]),
        Page("/pengaduan/baru/", ["kode", "layanan"]),
        Page("/skm/ktp-el/", ["via", "kode"]),
        Page("/ikm/", EXPORT),
        Page("/transparansi/", EXPORT),
        Page(f"/transparansi/{unit.code}/", EXPORT),
        Page("/lapor/", ["x"]),
        Page("/masuk/", ["next"]),
        Page("/open311/v2/requests.json", OPEN311_LIST),
        Page("/open311/v2/requests.xml", OPEN311_LIST),
        Page("/open311/v2/servicerequestupdates.xml", ["start_date", "end_date"]),
        Page("/open311/v2/services.json", ["jurisdiction_id"]),
        # Staff pages (the malformed ?since= and ?unit= of finding 6 were there).
        Page("/antrian/", ["status", "mine", "page"], "head_a"),
        Page(
            "/permohonan/",
            ["kode", "status", "unit", "service", "since", "until", "page"],
            "head_a",
        ),
        Page("/pengaduan/", ["status", "category", "overdue", "unit", "page"], "head_a"),
        Page("/skm/hasil/", ["period", "group", "year", "unit", *EXPORT], "head_a"),
        Page(
            "/inspektorat/jejak-audit/",
            ["action", "actor", "unit", "since", "until", "object_type", "object_id", "page"],
            "inspector",
        ),
        Page("/kinerja/", ["tahun", "q", "unit", "page"], "hr"),
        Page("/kinerja/rekap.xlsx", ["tahun", "unit"], "hr"),
        Page("/kinerja/kalibrasi/", ["tahun", "unit"], "hr"),
        Page("/kinerja/talenta/", ["tahun", "unit"], "hr"),
        Page("/kinerja-layanan/", ["period", "unit", *EXPORT], "leadership"),
        Page("/pimpinan/", ["period", "periode", "unit", *EXPORT], "leadership"),
        Page("/pimpinan/peta-jalan/", ["period", *EXPORT], "leadership"),
        Page("/pegawai/", ["q", "unit", "page"], "hr"),
        Page("/inspektorat/", ["period", "kind", "page"], "inspector"),
        # The innovation registry and ideas (issue #16): filters and the prefilled idea form.
        Page("/inovasi/", ["tahap", "urusan", "unit", "jenis", "page"], "hr"),
        Page("/inovasi/ide/", ["status", "page"], "head_a"),
        Page("/inovasi/ide/baru/", ["unit", "sumber", "aksi", "kunci"], "officer_a"),
    ]


# The values that broke a page before (finding 6) and their kin: each page gets each of them in
# each parameter it reads, one at a time (a bad value in one parameter can hide another).
SWEEP = ["'", "\x00", "\x0b", "0001-01-01", "9999-12-31", "9999-12-31T23:59:59Z",
         "0001-01-01T00:00:00+07:00", "9" * 20, "²", "-1", "1e309", "%"]  # fmt: skip


# Pages with a free path segment: "{}" is replaced by the (quoted) hostile value.
PATH_TEMPLATES = [
    "/lacak/{}/", "/pengaduan/status/{}/", "/skm/kode/{}/", "/skm/{}/", "/transparansi/{}/",
    "/transparansi/periode/{}/", "/transparansi/loket-a/{}/", "/open311/v2/requests/{}.json",
    "/open311/v2/requests/{}.xml", "/open311/v2/services/{}.json", "/open311/v2/tokens/{}.json",
    "/api/v1/complaints/{}",
]  # fmt: skip


def fuzz_settings(times: int = 1) -> Callable[[Callable[..., None]], Callable[..., None]]:
    return hypothesis_settings(
        max_examples=EXAMPLES * times,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


class Answers:
    """Every status seen, so a 5xx fails with the request that caused it."""

    def __init__(self) -> None:
        self.count = 0
        self.statuses: dict[int, int] = {}
        self.failures: list[str] = []

    def check(self, response: Any, what: str) -> None:
        self.count += 1
        self.statuses[response.status_code] = self.statuses.get(response.status_code, 0) + 1
        assert response.status_code < 500, f"{response.status_code} for {what}"

    def sweep(self, send: Callable[[], Any], what: str) -> None:
        """Like check, but collects every failure of a sweep before failing (one run shows all)."""
        try:
            self.check(send(), what)
        except Exception as exc:  # an exception the view let through is a 500 too
            self.failures.append(f"{what}: {type(exc).__name__}: {str(exc)[:120]}")

    def assert_none_failed(self) -> None:
        assert not self.failures, "\n".join(self.failures)


@pytest.fixture
def fuzz_client(client, settings):  # type: ignore[no-untyped-def]
    # No rate limit gets in the way of reaching the code behind each form; cheap WBS hashing.
    settings.SIGAP = {
        **settings.SIGAP,
        "RATE_LIMITS": "survey=0/60,complaint=0/60,status=0/60,open311=0/60,booking=0/60",
        "WBS_ARGON2": {"time_cost": 1, "memory_cost": 8, "parallelism": 1},
    }
    return client


@pytest.fixture
def api_key(world) -> str:  # type: ignore[no-untyped-def]
    from sigap.api.keys import api_key_create

    _, raw = api_key_create(name="Fuzz", scopes=["open311.post"])
    return raw


FORM_NAMES = [
    "survey", "complaint", "complaint_status", "tracking", "wbs_report", "wbs_followup", "login",
    "open311_post", "set_language", "booking", "skm_applicant",
]  # fmt: skip


def _send(client: Any, form: Form, data: dict[str, str], transport: str) -> Any:
    if form.name in GET_FORMS:
        return client.get(form.path, data)
    if transport == "urlencoded":
        return client.post(
            form.path, urlencode(data), content_type="application/x-www-form-urlencoded"
        )
    return client.post(form.path, data)  # multipart, as a browser sends a form with files


@pytest.mark.parametrize("name", FORM_NAMES)
def test_no_field_value_makes_a_public_form_fail(fuzz_client, world, api_key, name):
    form = next(f for f in public_forms(world, api_key) if f.name == name)
    answers = Answers()
    keys = st.sampled_from([*form.fields, *form.valid, "x", "kode", "csrfmiddlewaretoken"])

    @given(
        changes=st.dictionaries(keys, hostile, min_size=1, max_size=4),
        transport=st.sampled_from(["multipart", "urlencoded"]),
    )
    @fuzz_settings()
    def fuzz(changes: dict[str, str], transport: str) -> None:
        data = {**form.valid, **changes}
        answers.check(_send(fuzz_client, form, data, transport), f"{form.path} {data!r}")

    fuzz()
    assert answers.count >= EXAMPLES


def hostile_bodies(data: dict[str, str]) -> list[tuple[str, bytes, str]]:
    """(label, body, content type) a browser would not send."""
    text = urlencode(data)
    boundary = "fuzzBOUNDARY"
    part = f'--{boundary}\r\nContent-Disposition: form-data; name="comment"\r\n\r\nhalo\r\n'
    return [
        ("utf-16", text.encode("utf-16"), "application/x-www-form-urlencoded; charset=utf-16"),
        ("utf-16 declared, utf-8 sent", text.encode(),
         "application/x-www-form-urlencoded; charset=utf-16"),
        ("unknown charset", text.encode(), "application/x-www-form-urlencoded; charset=x-fuzz"),
        ("latin-1", text.encode("utf-8") + b"\xe9\xff",
         "application/x-www-form-urlencoded; charset=latin-1"),
        ("invalid utf-8", b"comment=%ff%fe&" + b"\xff\xfe" + text.encode(),
         "application/x-www-form-urlencoded"),
        ("over the upload limit", b"comment=" + b"a" * 3_000_000 + b"&" + text.encode(),
         "application/x-www-form-urlencoded"),
        ("many fields", "&".join(f"f{i}=1" for i in range(1200)).encode(),
         "application/x-www-form-urlencoded"),
        ("broken multipart", part.encode(), f"multipart/form-data; boundary={boundary}"),
        ("multipart without boundary", part.encode(), "multipart/form-data"),
        ("multipart in utf-16", (part + f"--{boundary}--\r\n").encode("utf-16"),
         f"multipart/form-data; boundary={boundary}; charset=utf-16"),
        ("json", json.dumps(data).encode(), "application/json"),
        ("json over the upload limit", json.dumps({**data, "comment": "a" * 3_000_000}).encode(),
         "application/json"),
        ("json in utf-16", json.dumps(data).encode("utf-16"), "application/json; charset=utf-16"),
        ("json, not an object", b"[1, 2, 3]", "application/json"),
        ("json nested deep", b"[" * 5000 + b"]" * 5000, "application/json"),
        ("text/plain", text.encode(), "text/plain"),
        ("no content type", text.encode(), ""),
        ("empty", b"", "application/x-www-form-urlencoded"),
    ]  # fmt: skip


API_SUBMISSIONS = [
    Form("api_survey", "/api/v1/surveys",
         {"service_code": "ktp-el", "comment": "Baik", "gender": "L"}),
    Form("api_complaint", "/api/v1/complaints",
         {"category": "lambat", "service_code": "ktp-el", "description": "Antre"}),
]  # fmt: skip


@pytest.mark.parametrize("name", [*FORM_NAMES, *(f.name for f in API_SUBMISSIONS)])
def test_no_body_makes_a_public_form_fail(fuzz_client, world, api_key, name):
    form = next(f for f in [*public_forms(world, api_key), *API_SUBMISSIONS] if f.name == name)
    answers = Answers()
    for label, body, content_type in hostile_bodies(form.valid):
        answers.sweep(
            lambda: fuzz_client.generic("POST", form.path, body, content_type=content_type),  # noqa: B023
            f"{form.path} with {label}",
        )
    answers.assert_none_failed()
    assert answers.count == len(hostile_bodies(form.valid))


def _login(client: Any, world: Any, persona: str | None) -> None:
    if persona is None:
        client.logout()
    else:
        client.force_login(world.users[persona])


def test_no_known_bad_value_in_a_query_parameter_makes_a_page_fail(fuzz_client, world):
    answers = Answers()
    for page in pages(world):
        _login(fuzz_client, world, page.persona)
        for param in page.params:
            for value in SWEEP:
                answers.sweep(
                    lambda: fuzz_client.get(page.path, {param: value}),  # noqa: B023
                    f"{page.path}?{urlencode({param: value})}",
                )
    answers.assert_none_failed()
    assert answers.count == sum(len(p.params) for p in pages(world)) * len(SWEEP)


def test_no_query_string_makes_a_page_fail(fuzz_client, world):
    all_pages = pages(world)
    answers = Answers()

    @given(page=st.sampled_from(all_pages), data=st.data())
    @fuzz_settings(times=4)  # many pages: more examples than one form, still bounded
    def fuzz(page: Page, data: st.DataObject) -> None:
        keys = st.sampled_from([*page.params, "x"])
        params = data.draw(st.dictionaries(keys, hostile, min_size=1, max_size=3))
        _login(fuzz_client, world, page.persona)
        answers.check(fuzz_client.get(page.path, params), f"{page.path}?{urlencode(params)}")

    fuzz()
    assert answers.count >= EXAMPLES


def test_no_path_segment_makes_a_public_page_fail(fuzz_client, world):
    answers = Answers()

    @given(template=st.sampled_from(PATH_TEMPLATES), value=hostile.filter(bool))
    @fuzz_settings(times=2)
    def fuzz(template: str, value: str) -> None:
        path = template.format(quote(value, safe=""))
        answers.check(fuzz_client.get(path), path)

    fuzz()
    assert answers.count >= EXAMPLES


def test_no_value_makes_a_json_submission_fail(fuzz_client, world):
    """The JSON API with a valid service code, so hostile text reaches the write path (the
    schema fuzzer draws service codes at random and rarely hits one that exists)."""
    answers = Answers()
    survey = {"service_code": "ktp-el", "answers": {c: 3 for c in ELEMENT_CODES}}
    complaint = {"category": "lambat", "service_code": "ktp-el", "description": "Antre",
                 "reporter_name": "Budi"}  # fmt: skip
    text_fields = {
        "/api/v1/surveys": (survey, ["comment", "receipt_code", "service_code"]),
        "/api/v1/complaints": (complaint, ["description", "reporter_name", "reporter_contact",
                                           "officer_description", "receipt_code"]),
    }  # fmt: skip

    @given(
        path=st.sampled_from(sorted(text_fields)),
        data=st.data(),
    )
    @fuzz_settings()
    def fuzz(path: str, data: st.DataObject) -> None:
        base, names = text_fields[path]
        changes = data.draw(st.dictionaries(st.sampled_from(names), hostile, min_size=1))
        body = {**base, **changes}
        response = fuzz_client.post(path, json.dumps(body), content_type="application/json")
        answers.check(response, f"{path} {body!r}")

    fuzz()
    assert answers.count >= EXAMPLES
