"""The demo's online front door: what the applicants of the online requests gave, the files they
uploaded, the returned files they fixed online, the products, and the messages sent to them.

Run by `sigap.demo.build.DemoBuilder.run` after the requests, events and facts are written; it
reads them back from the database, so it shifts no other random stream. Its own stream is
`random.Random("<seed>:online")`: the same seed and end date give the same rows (the stored
file names are random, like the live store's, and are no part of the fingerprint).

1. Every request of channel `online` gets its `OnlineApplication` (what `application_submit`
   writes): an idempotency key, the consent given at submission with the text the form shows
   (`sigap.privacy.categories.FORMS["application"]`, in Indonesian), and the answers to the
   standard's field and statement requirements. Channel `mobile` stands for a mobile app outside
   sigap (sigap has no submission path for it): those requests get none.
2. A bounded sample of the online requests gets documents, written through
   `sigap.documents.storage` like an upload: the online requests of the last `RECENT_DAYS` days
   (at most `RECENT_CAP`), the online requests of the last `FIXED_DAYS` days that were returned
   and then resumed (at most `FIXED_CAP`), and every online request still returned. Each
   required document requirement has a file (an optional one sometimes), handed in at submission;
   a completed request has its product (a PDF) attached at completion.
3. In the sample, a `resumed` that follows a `returned` becomes the applicant's online fix, as
   `sigap.applications.applicant.applicant_fix` writes it: no officer, the note "Corrected online
   by the applicant: <requirement>", and a new file for that requirement at that moment.
4. The sample's events have the messages the write functions queue (`notify`): received,
   returned and waiting with the reason, completed with the SKM invitation, rejected. Most are
   sent; a few failed and wait for another try, or were given up, with the reason in words.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import re
import secrets
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sigap.applications.models import OnlineApplication
from sigap.catalogue.models import ServiceStandard
from sigap.catalogue.requirements import Kind, Requirement, parse_requirements
from sigap.demo import files
from sigap.demo.writer import BulkWriter
from sigap.documents import storage
from sigap.documents.models import Document, Purpose
from sigap.documents.services import max_bytes
from sigap.documents.sniff import clean
from sigap.notifications.conf import conf
from sigap.notifications.models import Channel as MessageChannel
from sigap.notifications.models import Outbox, State
from sigap.notifications.services import backoff, request_message
from sigap.organisation.models import Agency, Employee, Unit
from sigap.privacy.categories import FORMS
from sigap.service_requests.models import (
    Channel,
    Outcome,
    ServiceEvent,
    ServiceRequest,
    Status,
)

DIGITAL = (Channel.ONLINE, Channel.MOBILE)
RECENT_DAYS, RECENT_CAP = 45, 300
FIXED_DAYS, FIXED_CAP = 180, 60
P_OPTIONAL_DOCUMENT = 0.4  # an optional requirement ("jika hilang") gets a file this often
P_GIVEN_UP = 0.03
P_RETRYING = 0.25  # of the messages of the demo's last day: failed once, waiting to try again
CITIZEN_LANGUAGE = "id"

# The requirement a returned file's reason points at (else one of the request's documents).
REASON_REQUIREMENT = (
    ("KK", re.compile(r"Kartu Keluarga|\bKK\b")),
    ("foto", re.compile(r"foto", re.I)),
    ("pengantar", re.compile(r"pengantar", re.I)),
    ("saksi", re.compile(r"saksi", re.I)),
)
STREETS = ("Raya", "Merdeka", "Pahlawan", "Veteran", "Siliwangi", "Ahmad Yani")
GATEWAY_REFUSALS = ("nomor tidak terdaftar di WhatsApp", "invalid target")
MAIL_REFUSALS = ("550 5.1.1 mailbox unavailable", "552 5.2.2 mailbox full")


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(0)))


def _demo_requests(agency_ids: list[int]) -> Any:
    return ServiceRequest.objects.filter(unit__agency_id__in=agency_ids)


def wipe_online(*, agency_ids: list[int]) -> None:
    """Delete the online applications, documents and messages of the demo's requests (call
    before deleting the requests). The documents' files are removed once the deletion commits:
    a rolled-back wipe keeps both."""
    requests = _demo_requests(agency_ids)
    Outbox.objects.filter(request__in=requests)._raw_delete(connection.alias)
    documents = Document.objects.filter(request__in=requests)
    names = list(documents.values_list("stored_name", flat=True))
    documents._raw_delete(connection.alias)
    OnlineApplication.objects.filter(request__in=requests)._raw_delete(connection.alias)

    def remove_files() -> None:
        for name in names:
            storage.remove(name)

    transaction.on_commit(remove_files)


# --- answers -------------------------------------------------------------------------------------


def _field_value(
    req: Requirement, applicant: str, kecamatan: str, desa: str, rng: random.Random
) -> str:
    """A typed answer to a field requirement, plausible for the applicant."""
    place = f"Desa {desa}, Kecamatan {kecamatan}".replace("Desa , ", "")
    name = req.name.lower()
    if "koordinat" in name or "alamat" in name:
        lat, lon = -6.9 - rng.random() * 0.25, 107.5 + rng.random() * 0.3
        street = f"Jl. {rng.choice(STREETS)} No. {rng.randint(1, 150)}"
        return f"{street}, {place}; {lat:.5f}, {lon:.5f}"
    if "bangunan" in name:
        floors = rng.choice((1, 1, 2, 2, 3))
        area = rng.randrange(60, 400, 5)
        use = rng.choice(("rumah tinggal", "rumah toko", "gudang", "kantor"))
        return f"{applicant}; {use} {floors} lantai, luas {area} m2, {place}"
    return f"{applicant}, {place}"


def _key(rng: random.Random) -> str:
    """A form's idempotency key like `secrets.token_urlsafe(24)`, from the demo's stream."""
    return base64.urlsafe_b64encode(rng.getrandbits(192).to_bytes(24, "big")).decode()


APPLICATION_COLUMNS = (
    "id", "request_id", "idempotency_key", "consent_at", "consent_text", "answers",
)  # fmt: skip


def _online_applications(
    requests: Any, requirements: Callable[[int], list[Requirement]], rng: random.Random
) -> int:
    """One row per online request, written in bulk (`BulkWriter`: 34,000 rows of the full demo
    in about a second, where the ORM's bulk_create took ten)."""
    with translation.override(CITIZEN_LANGUAGE):
        consent_text = str(FORMS["application"])
    writer = BulkWriter()
    writer.check_columns(OnlineApplication, APPLICATION_COLUMNS)
    adapt = connection.ops.adapt_datetimefield_value
    next_id = writer.next_id(OnlineApplication)
    rows: list[tuple[object, ...]] = []
    fields = ("id", "submitted_at", "standard_id", "applicant_name", "region_kecamatan",
              "region_desa")  # fmt: skip
    for rid, submitted, standard, name, kecamatan, desa in requests.order_by("id").values_list(
        *fields
    ):
        answers: dict[str, object] = {}
        for req in requirements(standard):
            if req.kind is Kind.FIELD:
                answers[req.key] = _field_value(req, name, kecamatan, desa, rng)[:500]
            elif req.kind is Kind.STATEMENT:
                answers[req.key] = True
        rows.append(
            (next_id + len(rows), rid, _key(rng), adapt(submitted), consent_text,
             json.dumps(answers, ensure_ascii=False))
        )  # fmt: skip
    writer.insert(OnlineApplication, APPLICATION_COLUMNS, rows)
    writer.reset_sequences(OnlineApplication)
    return len(rows)


# --- files ---------------------------------------------------------------------------------------


def _write(data: bytes) -> str:
    """Store `data` in the document store under a new random name, as `storage.write` does but
    without its fsync per file (4 ms each on a busy disk): the demo can be built again, and a
    build that fails leaves only files without rows, which `sigap documents sweep` removes."""
    name = secrets.token_hex(16)
    target = storage.path_of(name)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    target.write_bytes(data)
    return name


class FileMaker:
    """Checked file bytes (as `sigap.documents.sniff.clean` leaves them) for a requirement or a
    product; images are made once per label and reused."""

    def __init__(self) -> None:
        self.limit = max_bytes()
        self.images: dict[tuple[str, str], bytes] = {}

    def _clean(self, data: bytes, name: str) -> tuple[str, bytes]:
        checked = clean(data, name, max_bytes=self.limit)
        return checked.kind.value, checked.data

    def requirement(
        self, req: Requirement, sr: Any, at: datetime, rng: random.Random, fix: bool = False
    ) -> tuple[str, str, bytes]:
        """(kind, original name, bytes) of the applicant's file for `req`."""
        label = req.name
        stamp = timezone.localtime(at).strftime("%Y%m%d_%H%M%S")
        lowered = label.lower()
        maker: Callable[[], bytes] | None
        if "foto" in lowered and "fotokopi" not in lowered:
            kind, maker = "jpeg", lambda: files.photo("jpeg")
        elif re.search(r"KTP|Kartu|KK\b|KIA", label) and rng.random() < 0.6:
            kind, maker = "png", lambda: files.card(label, "png")
        elif rng.random() < 0.25:
            kind, maker = "jpeg", lambda: files.scan(label, "jpeg")
        else:
            kind, maker = "pdf", None
        if maker is None:
            slug = re.sub(r"[^a-z0-9]+", "-", lowered).strip("-")[:50] or "berkas"
            name = f"{slug}{'-perbaikan' if fix else ''}.pdf"
            lines = [
                f"Pemohon: {sr.applicant_name}",
                f"Layanan: {sr.service.name}",
                f"Diunggah: {timezone.localtime(at):%d-%m-%Y %H:%M} WIB",
            ]
            kind, data = self._clean(files.pdf(label, lines), name)
            return kind, name, data
        ext = "jpg" if kind == "jpeg" else "png"
        name = f"IMG_{stamp}.{ext}"
        if (label, kind) not in self.images:
            self.images[label, kind] = self._clean(maker(), name)[1]
        return kind, name, self.images[label, kind]

    def product(self, sr: Any, at: datetime) -> tuple[str, str, bytes]:
        product = sr.standard.product or sr.service.name
        local = timezone.localtime(at)
        lines = [
            f"Nomor: {sr.receipt_code}/{local:%m}/{local:%Y}",
            f"Diberikan kepada: {sr.applicant_name}",
            f"Layanan: {sr.service.name}",
            f"Unit: {sr.unit.name}",
            f"Tanggal: {local:%d-%m-%Y}",
            "Ditandatangani secara elektronik",
        ]
        slug = re.sub(r"[^a-z0-9]+", "-", product.lower()).strip("-")[:50] or "produk"
        name = f"{slug}-{sr.receipt_code}.pdf"
        kind, data = self._clean(files.pdf(product, lines), name)
        return kind, name, data


# --- the sample ----------------------------------------------------------------------------------


def _sample(online: Any, until: date, rng: random.Random) -> list[int]:
    """Ids of the sample's requests, in order (see the module's docstring)."""
    end = _midnight(until)
    recent = list(
        online.filter(submitted_at__gte=end - timedelta(days=RECENT_DAYS))
        .order_by("id")
        .values_list("id", flat=True)
    )
    if len(recent) > RECENT_CAP:
        recent = rng.sample(recent, RECENT_CAP)
    returned = (
        ServiceEvent.objects.filter(
            request__in=online.filter(submitted_at__gte=end - timedelta(days=FIXED_DAYS)),
            outcome=Outcome.RETURNED,
        )
        .values_list("request_id", flat=True)
        .distinct()
    )
    resumed = set(
        ServiceEvent.objects.filter(request_id__in=returned, outcome=Outcome.RESUMED).values_list(
            "request_id", flat=True
        )
    )
    fixed = sorted(resumed)[-FIXED_CAP:]  # the latest ones
    waiting_fix = online.filter(status=Status.RETURNED).values_list("id", flat=True)
    return sorted({*recent, *fixed, *waiting_fix})


def _fix_requirement(reason: str, documents: list[Requirement], rng: random.Random) -> Requirement:
    for word, pattern in REASON_REQUIREMENT:
        if word.lower() in reason.lower():
            for req in documents:
                if pattern.search(req.name):
                    return req
    return rng.choice(documents)


def _fix_note(names: list[str]) -> str:
    # What `applicant_fix` writes: event-log data, in the domain's language like the steps.
    with translation.override(CITIZEN_LANGUAGE):
        return _("Corrected online by the applicant: %(what)s") % {"what": "; ".join(names)}


# --- messages ------------------------------------------------------------------------------------


def _deliver(row: Outbox, rng: random.Random, end: datetime) -> None:
    """What the sender made of the message: mostly sent within a minute or two."""
    if row.state == State.GIVEN_UP:  # no usable contact: never tried (the reason is set)
        return
    created = row.created_at
    phone = row.channel != MessageChannel.EMAIL
    roll = rng.random()
    with translation.override(CITIZEN_LANGUAGE):
        if created >= end - timedelta(days=1) and roll < P_RETRYING:
            row.state = State.RETRYING
            row.attempts = rng.randint(1, 3)
            row.last_error = (
                _("The gateway answered HTTP %d.") % rng.choice((502, 503, 429))
                if phone
                else _("The mail server refused: %s") % "421 4.7.0 try again later"
            )
            row.next_attempt_at = created + backoff(row.attempts) + timedelta(minutes=1)
            return
        if roll < P_GIVEN_UP:
            row.state = State.GIVEN_UP
            if phone and rng.random() < 0.5:  # the gateway refuses the number: no retry
                row.attempts = 1
                row.last_error = _(
                    "The gateway refused the message (HTTP %(status)d). %(detail)s"
                ) % {"status": 400, "detail": rng.choice(GATEWAY_REFUSALS)}
            else:
                row.attempts = conf().max_attempts
                error = (
                    _("The gateway did not answer within %(s)s seconds.") % {"s": 10}
                    if phone
                    else _("The mail server refused: %s") % rng.choice(MAIL_REFUSALS)
                )
                row.last_error = _("Given up after %(n)d attempts. ") % {"n": row.attempts} + error
            row.next_attempt_at = created + backoff(row.attempts)
            return
    row.state = State.SENT
    row.attempts = 1
    row.sent_at = created + timedelta(seconds=rng.randint(4, 150))
    if phone:
        row.provider_message_id = f"{rng.getrandbits(48):012x}"


def _messages(
    sr: Any, events: list[ServiceEvent], rng: random.Random, end: datetime
) -> list[Outbox]:
    """The messages the write functions queued for the request's events."""
    rows = []
    last = sr.event_count
    for ev in events:
        if ev.outcome == Outcome.SUBMITTED:
            event, note = "received", ""
        elif ev.outcome in (Outcome.RETURNED, Outcome.WAITING, Outcome.REJECTED):
            event, note = str(ev.outcome), ev.note
        elif ev.outcome == Outcome.DONE and sr.status == Status.COMPLETED and ev.seq == last:
            event, note = "completed", ""
        else:
            continue
        row = request_message(
            event=event, request=sr, note=note, key=f"request:{sr.receipt_code}:{ev.seq}:{event}"
        )
        row.created_at = row.next_attempt_at = ev.timestamp
        _deliver(row, rng, end)
        rows.append(row)
    return rows


# --- the build -----------------------------------------------------------------------------------


def build_online(*, seed: int, until: date, agency: Agency) -> dict[str, int]:
    """The online applications, the sample's documents, online fixes and messages; returns
    counts for the demo log."""
    rng = random.Random(f"{seed}:online")
    units = Unit.objects.filter(agency=agency)
    online = ServiceRequest.objects.filter(unit__in=units, channel=Channel.ONLINE)
    parsed: dict[int, list[Requirement]] = {}

    def requirements(standard_id: int) -> list[Requirement]:
        if standard_id not in parsed:
            raw = ServiceStandard.objects.values_list("requirements", flat=True).get(pk=standard_id)
            parsed[standard_id] = parse_requirements(raw)
        return parsed[standard_id]

    counts = {"online_applications": _online_applications(online, requirements, rng)}
    ids = _sample(online, until, rng)
    requests = list(
        ServiceRequest.objects.filter(pk__in=ids)
        .select_related("service", "standard", "unit")
        .order_by("id")
    )
    events: dict[int, list[ServiceEvent]] = defaultdict(list)
    for ev in ServiceEvent.objects.filter(request_id__in=ids).order_by("request_id", "seq"):
        events[ev.request_id].append(ev)
    users = dict(
        Employee.objects.filter(unit__in=units, user__isnull=False).values_list("id", "user_id")
    )
    maker = FileMaker()
    end = _midnight(until)
    documents: list[Document] = []
    fixed_events: list[ServiceEvent] = []
    messages: list[Outbox] = []

    def store(sr: Any, purpose: str, requirement: str, made: tuple[str, str, bytes],
              at: datetime, user_id: int | None = None) -> None:  # fmt: skip
        kind, name, data = made
        documents.append(
            Document(
                request_id=sr.pk,
                purpose=purpose,
                requirement=requirement,
                kind=kind,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                original_name=name,
                stored_name=_write(data),
                uploaded_at=at,
                uploaded_by_id=user_id,
            )
        )

    for sr in requests:
        needed = [r for r in requirements(sr.standard_id) if r.kind is Kind.DOCUMENT]
        handed = [r for r in needed if not r.optional or rng.random() < P_OPTIONAL_DOCUMENT]
        for req in handed:
            made = maker.requirement(req, sr, sr.submitted_at, rng)
            store(sr, Purpose.REQUIREMENT, req.name, made, sr.submitted_at)
        log = events[sr.pk]
        pause: ServiceEvent | None = None
        for ev in log:
            if ev.outcome in (Outcome.RETURNED, Outcome.WAITING):
                pause = ev
            elif ev.outcome == Outcome.RESUMED and pause is not None:
                if pause.outcome == Outcome.RETURNED and needed:
                    req = _fix_requirement(pause.note, needed, rng)
                    ev.officer_id = None
                    ev.note = _fix_note([req.name])
                    fixed_events.append(ev)
                    made = maker.requirement(req, sr, ev.timestamp, rng, fix=True)
                    store(sr, Purpose.REQUIREMENT, req.name, made, ev.timestamp)
                pause = None
        if sr.status == Status.COMPLETED and sr.finished_at is not None:
            last_officer = log[-1].officer_id if log else None
            made = maker.product(sr, sr.finished_at)
            store(sr, Purpose.PRODUCT, "", made, sr.finished_at, users.get(last_officer or 0))
        messages += _messages(sr, log, rng, end)
    Document.objects.bulk_create(documents, batch_size=1000)
    ServiceEvent.objects.bulk_update(fixed_events, ["officer", "note"], batch_size=500)
    Outbox.objects.bulk_create(messages, batch_size=1000)
    counts.update(
        sample=len(requests),
        documents=len(documents),
        fixed_online=len(fixed_events),
        messages=len(messages),
    )
    return counts


# --- summaries -----------------------------------------------------------------------------------


def demo_pages(agency_code: str) -> dict[str, str]:
    """Receipt codes of three online requests of the sample whose applicant's page shows
    something: one returned and waiting for the applicant's fix, one in progress, one completed
    with a product to download (the latest of each; a kind the data lacks is left out)."""
    sample = ServiceRequest.objects.filter(
        unit__agency__code=agency_code, channel=Channel.ONLINE, documents__isnull=False
    ).distinct()
    picks = {
        "returned": sample.filter(status=Status.RETURNED),
        "in_progress": sample.filter(status=Status.IN_PROGRESS),
        "completed": sample.filter(status=Status.COMPLETED, documents__purpose=Purpose.PRODUCT),
    }
    out = {}
    for what, rows in picks.items():
        code = rows.order_by("-submitted_at", "-id").values_list("receipt_code", flat=True).first()
        if code:
            out[what] = code
    return out


@dataclass(frozen=True)
class Share:
    """Requests of a service in the first and the last 3 months, and how many were digital."""

    service: str
    first: int
    first_digital: int
    last: int
    last_digital: int


def digital_shares(agency_code: str, start: date, until: date) -> list[Share]:
    """Online and mobile requests per service in the first 3 months of the period from `start`
    to `until` and in its last 3 months, by service name; "" names the total."""
    windows = {
        "first": (_midnight(start), _midnight(start + timedelta(days=91))),
        "last": (_midnight(until - timedelta(days=91)), _midnight(until)),
    }
    found: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
    for window, (lo, hi) in windows.items():
        rows = (
            ServiceRequest.objects.filter(
                unit__agency__code=agency_code, submitted_at__gte=lo, submitted_at__lt=hi
            )
            .values_list("service__name")
            .annotate(n=Count("id"), digital=Count("id", filter=Q(channel__in=DIGITAL)))
        )
        for service, n, digital in rows:
            found[service][window] = (n, digital)
            total = found[""].get(window, (0, 0))
            found[""][window] = (total[0] + n, total[1] + digital)
    return [
        Share(service, *values.get("first", (0, 0)), *values.get("last", (0, 0)))
        for service, values in sorted(found.items())
    ]
