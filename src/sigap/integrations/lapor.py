"""SP4N-LAPOR!: the reports disposed to the agency, in and out (docs/integrations.md).

Three ways, in the order an agency uses them:

1. **CSV import** (the onboarding import kind "lapor"): the admin (Inspektorat) exports the
   reports from the LAPOR! admin panel and imports them. Each report becomes a complaint on the
   channel LAPOR that keeps its Tracking ID, made by the complaints' own write functions: filed
   at the report's date (so the 3-working-day verification clock runs from it), and, when LAPOR!
   already disposed it, verified and forwarded at the disposition date (so the unit's
   5-working-day follow-up clock runs from that). The reporter's identity is never imported:
   LAPOR! reports reach the agency without it. Running the same file again changes nothing; a
   later file moves a complaint's status forward only (see `steps_between`): LAPOR! can tell
   sigap that a report was disposed, followed up or closed there, but sigap never moves a
   complaint back because LAPOR! has not caught up yet (a warning says so: that is what the admin
   reconciles by hand).
2. **CSV export** (`export_rows`): every complaint with a Tracking ID, its status in LAPOR!'s
   words, the follow-up and its dates, for the admin to bring LAPOR! up to date by hand. The
   export is a valid import file: importing it back changes nothing.
3. **The adapter** (`LaporAdapter`): `LegacyLaporAdapter` speaks the legacy API that public
   sources document (gettopics, addstream), off unless SIGAP_LAPOR_ENABLED. The current API is
   documented only inside the LAPOR! developer panel, so pulling reports and pushing statuses
   raise `NotSupported`: the CSV is the supported path. Every call is recorded as an `Exchange`
   (what, about what, how it ended; never the payload).
"""

from __future__ import annotations

import http.client
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, Protocol
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sigap.access import Action, can
from sigap.competency.sheets import Unreadable, read_table
from sigap.complaints import services as complaints
from sigap.complaints.models import (
    DESCRIPTION_MAX,
    Category,
    Channel,
    Complaint,
    ComplaintEvent,
    Status,
)
from sigap.integrations.models import Exchange, System
from sigap.onboarding import tabular
from sigap.onboarding.lookup import UnitIndex, root_unit
from sigap.onboarding.models import ImportKind
from sigap.onboarding.plan import Change, Plan, Problem, register
from sigap.organisation.models import Agency, Unit

PUBLIC_URL = "https://www.lapor.go.id/pengaduan/{}"
TRACKING_ID = re.compile(r"^[A-Za-z0-9-]{1,32}$")


def public_url(tracking_id: str) -> str:
    """The report's public page on LAPOR!."""
    return PUBLIC_URL.format(tracking_id)


# --- LAPOR! words ---------------------------------------------------------------------------


def _key(text: object) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(text).casefold()).strip()


# LAPOR!'s status words (as its admin panel and the v3 guide write them) -> the sigap status.
STATUS_FROM_LAPOR: dict[str, Status] = {
    "belum terverifikasi": Status.DITERIMA,
    "belum diverifikasi": Status.DITERIMA,
    "menunggu verifikasi": Status.DITERIMA,
    "diterima": Status.DITERIMA,
    "baru": Status.DITERIMA,
    "ditunda": Status.DITUNDA,
    "tunda": Status.DITUNDA,
    "terverifikasi": Status.TERVERIFIKASI,
    "diverifikasi": Status.TERVERIFIKASI,
    "verifikasi": Status.TERVERIFIKASI,
    "terdisposisi": Status.DIDISPOSISIKAN,
    "didisposisikan": Status.DIDISPOSISIKAN,
    "disposisi": Status.DIDISPOSISIKAN,
    "diproses": Status.DIDISPOSISIKAN,
    "dalam proses": Status.DIDISPOSISIKAN,
    "ditindaklanjuti": Status.DITINDAKLANJUTI,
    "sudah ditindaklanjuti": Status.DITINDAKLANJUTI,
    "tindak lanjut": Status.DITINDAKLANJUTI,
    "selesai": Status.SELESAI,
    "ditutup": Status.SELESAI,
    "bukan wewenang": Status.BUKAN_WEWENANG,
    "diarsipkan": Status.DIARSIPKAN,
    "arsip": Status.DIARSIPKAN,
    "arsipkan": Status.DIARSIPKAN,
}
# The sigap status -> the word the export writes (one of the words above, so it reads back).
STATUS_TO_LAPOR: dict[str, str] = {
    Status.DITERIMA: "Belum Terverifikasi",
    Status.DITUNDA: "Ditunda",
    Status.TERVERIFIKASI: "Terverifikasi",
    Status.DIDISPOSISIKAN: "Terdisposisi",
    Status.DITINDAKLANJUTI: "Ditindaklanjuti",
    Status.SELESAI: "Selesai",
    Status.BUKAN_WEWENANG: "Bukan Wewenang",
    Status.DIARSIPKAN: "Diarsipkan",
}

# LAPOR!'s kategori (topics) -> the sigap complaint category. LAPOR! files reports by topic
# ("Kependudukan", "Perizinan"...) while sigap files them by what went wrong, so only the words
# that say what went wrong map; any other kategori becomes "lainnya" with a warning.
CATEGORY_FROM_LAPOR: dict[str, Category] = {
    "pungutan liar": Category.PUNGLI,
    "pungli": Category.PUNGLI,
    "pungutan": Category.PUNGLI,
    "biaya di luar ketentuan": Category.PUNGLI,
    "diskriminasi": Category.DISCRIMINATION,
    "pelayanan diskriminatif": Category.DISCRIMINATION,
    "pelayanan lambat": Category.SLOWNESS,
    "lambat": Category.SLOWNESS,
    "penundaan berlarut": Category.SLOWNESS,
    "keterlambatan pelayanan": Category.SLOWNESS,
    "perilaku petugas": Category.BEHAVIOUR,
    "perilaku": Category.BEHAVIOUR,
    "etika petugas": Category.BEHAVIOUR,
    "sikap petugas": Category.BEHAVIOUR,
    "persyaratan tidak jelas": Category.REQUIREMENTS,
    "persyaratan": Category.REQUIREMENTS,
    "prosedur pelayanan": Category.REQUIREMENTS,
    "lainnya": Category.OTHER,
    "lain lain": Category.OTHER,
}
CATEGORY_TO_LAPOR: dict[str, str] = {
    Category.PUNGLI: "Pungutan Liar",
    Category.DISCRIMINATION: "Diskriminasi",
    Category.SLOWNESS: "Pelayanan Lambat",
    Category.BEHAVIOUR: "Perilaku Petugas",
    Category.REQUIREMENTS: "Persyaratan Tidak Jelas",
    Category.OTHER: "Lainnya",
}

# Klasifikasi: sigap's complaints are pengaduan; the other kinds are not complaints.
COMPLAINT_KINDS = {"", "pengaduan"}
WBS_KINDS = {"wbs", "whistleblowing", "whistleblowing system"}


# --- The file's columns ---------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str  # as the template writes it
    aliases: tuple[str, ...]
    required: bool = False


COLUMNS: dict[str, Column] = {
    "tracking": Column("Tracking ID", ("tracking id", "trackingid", "id tracking"), True),
    "judul": Column("Judul", ("judul", "judul laporan")),
    "isi": Column("Isi Laporan", ("isi laporan", "isi"), True),
    "kategori": Column("Kategori", ("kategori",)),
    "instansi": Column("Instansi Tujuan", ("instansi tujuan", "instansi")),
    "status": Column("Status", ("status", "status laporan"), True),
    "tanggal": Column("Tanggal Laporan", ("tanggal laporan",), True),
    "disposisi": Column("Tanggal Disposisi", ("tanggal disposisi",)),
    "unit": Column("Unit Tujuan", ("unit tujuan", "unor tujuan", "unit")),
    "klasifikasi": Column("Klasifikasi", ("klasifikasi",)),
    "tindak_lanjut": Column("Tindak Lanjut", ("tindak lanjut",)),
    "tanggal_tindak_lanjut": Column("Tanggal Tindak Lanjut", ("tanggal tindak lanjut",)),
    "tanggal_selesai": Column("Tanggal Selesai", ("tanggal selesai",)),
}
# What the export adds after the import's columns (the import ignores them).
EXPORT_EXTRA = ("Nomor Tiket SIGAP", "Tautan LAPOR!")
HEADERS = [c.name for c in COLUMNS.values()]


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")
_TIME_FORMATS = ("%H:%M:%S", "%H:%M", "%H.%M")


def parse_moment(value: object) -> datetime | None:
    """A date or date-time cell as an aware moment in the agency's time; None if unreadable.

    Reads 2026-03-05, 05/03/2026, 05-03-2026, each optionally followed by a time (14:30,
    14:30:05, 14.30), the ISO form with a "T" and an offset, and an XLSX date cell. A date alone
    is the start of that day.
    """
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if isinstance(value, date):
        return timezone.make_aware(datetime.combine(value, time()))
    text = str(value).strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None:
        day_text, _sep, time_text = text.partition(" ")
        day = None
        for fmt in _DATE_FORMATS:
            try:
                day = datetime.strptime(day_text, fmt).date()
                break
            except ValueError:
                continue
        if day is None:
            return None
        clock = time()
        if time_text.strip():
            for fmt in _TIME_FORMATS:
                try:
                    clock = datetime.strptime(time_text.strip(), fmt).time()
                    break
                except ValueError:
                    continue
            else:
                return None
        moment = datetime.combine(day, clock)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def moment_text(moment: datetime | None) -> str:
    """How the export writes a moment: local time, "2026-03-05 14:30" (read back the same)."""
    if moment is None:
        return ""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _text(value: object) -> str:
    """A text cell: trimmed; the apostrophe the export put before formula-like text removed."""
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        return text[1:]
    return text


def description_of(judul: str, isi: str) -> str:
    return "\n\n".join(part for part in (judul.strip(), isi.strip()) if part)


def split_description(complaint: Complaint) -> tuple[str, str]:
    """(judul, isi) of a complaint: a report imported from LAPOR! keeps its title as the first
    paragraph; a complaint made in sigap has no title."""
    if complaint.channel == Channel.LAPOR and "\n\n" in complaint.description:
        judul, isi = complaint.description.split("\n\n", 1)
        return judul, isi
    return "", complaint.description


# --- Moving a complaint forward -------------------------------------------------------------

# How far along a status is; the closing statuses are the end. Only a move to a higher rank is
# taken from LAPOR!.
RANK: dict[str, int] = {
    Status.DITERIMA: 0,
    Status.DITUNDA: 1,
    Status.TERVERIFIKASI: 2,
    Status.DIDISPOSISIKAN: 3,
    Status.DITINDAKLANJUTI: 4,
    Status.SELESAI: 5,
    Status.BUKAN_WEWENANG: 5,
    Status.DIARSIPKAN: 5,
}
_CHAIN = (Status.TERVERIFIKASI, Status.DIDISPOSISIKAN, Status.DITINDAKLANJUTI, Status.SELESAI)


def steps_between(current: str, target: str) -> list[str] | None:
    """The statuses a complaint passes from `current` to LAPOR!'s `target`, in order: [] when
    LAPOR! is not ahead (same status, or behind: sigap never goes back), None when the move is
    not one the SP4N machine allows (e.g. "Bukan Wewenang" after sigap forwarded it)."""
    if RANK[target] <= RANK[current]:
        return []
    if target in (Status.BUKAN_WEWENANG, Status.DIARSIPKAN):
        return [target] if current in (Status.DITERIMA, Status.DITUNDA) else None
    if target == Status.DITUNDA:
        return [target]  # from DITERIMA, the only status below it
    if current in (Status.SELESAI, Status.BUKAN_WEWENANG, Status.DIARSIPKAN):
        return None
    start = 0 if current in (Status.DITERIMA, Status.DITUNDA) else _CHAIN.index(current) + 1
    end = _CHAIN.index(target) + 1
    return list(_CHAIN[start:end])


# --- The import -----------------------------------------------------------------------------


@dataclass
class Report:
    """One row of the file, read and checked."""

    row: int
    tracking_id: str
    description: str
    category: str
    status: str  # the sigap status LAPOR!'s word means
    submitted_at: datetime
    disposed_at: datetime | None
    unit: Unit | None
    follow_up: str
    followed_up_at: datetime | None
    closed_at: datetime | None


@dataclass
class Operation:
    report: Report
    complaint_pk: int | None  # None: a new complaint
    steps: list[str] = field(default_factory=list)


class LaporImporter:
    """The onboarding import of SP4N-LAPOR! reports (kind "lapor")."""

    kind = ImportKind.LAPOR.value

    def plan(self, data: bytes, name: str, *, agency: Agency, options: dict[str, Any]) -> Plan:
        plan = Plan(kind=self.kind, file=name, rows=0)

        def problem(row: int, column: str, message: str, severity: str = "error") -> None:
            plan.problems.append(Problem(name, row, column, message, severity))  # type: ignore[arg-type]

        try:
            table = read_table(data)
        except Unreadable as exc:
            problem(exc.row or 0, "", _("The LAPOR! file cannot be read as a CSV or XLSX table."))
            return plan
        plan.rows = len(table.rows)
        found: dict[str, str] = {}
        for header in table.headers:
            for key, column in COLUMNS.items():
                if key not in found and _key(header) in column.aliases:
                    found[key] = header
        for key, column in COLUMNS.items():
            if column.required and key not in found:
                problem(
                    table.header_row, column.name, _("This column is missing from the LAPOR! file.")
                )
        plan.problems.extend(
            tabular.duplicated(name, table.headers, table.header_row, found.values(), key=_key)
        )
        if not plan.ok:
            return plan

        root = root_unit(agency)
        if root is None:
            problem(
                0,
                "",
                _("The agency has no units yet: import the unit tree before the LAPOR! reports."),
            )
            return plan
        units = UnitIndex(agency)
        instansi_names = {_key(agency.name), _key(root.name)}
        now = timezone.now() + complaints.FUTURE_TOLERANCE
        seen: dict[str, int] = {}
        operations: list[Operation] = []
        ids = [_text(r.cells.get(found["tracking"], "")) for r in table.rows]
        existing = {
            c.lapor_tracking_id: c
            for c in Complaint.objects.filter(lapor_tracking_id__in=[i for i in ids if i])
            .select_related("unit")
            .order_by()
        }

        for row in table.rows:

            def cell(key: str, row: Any = row) -> Any:
                return row.cells.get(found[key], "") if key in found else ""

            def where(key: str) -> str:
                return found.get(key, COLUMNS[key].name)

            errors_before = len(plan.errors)
            tracking_id = _text(cell("tracking"))
            if not tracking_id:
                problem(row.number, where("tracking"), _("The Tracking ID is empty."))
            elif not TRACKING_ID.match(tracking_id):
                problem(
                    row.number,
                    where("tracking"),
                    _("“%s” is not a LAPOR! Tracking ID (letters, digits and “-”, at most 32).")
                    % tracking_id[:40],
                )
            elif tracking_id in seen:
                problem(
                    row.number,
                    where("tracking"),
                    _("The Tracking ID %(id)s is also on row %(row)d.")
                    % {"id": tracking_id, "row": seen[tracking_id]},
                )
            else:
                seen[tracking_id] = row.number

            kind = _key(cell("klasifikasi"))
            if kind not in COMPLAINT_KINDS:
                message = (
                    _("A whistleblowing report: file it in the WBS, not as a complaint; skipped.")
                    if kind in WBS_KINDS
                    else _("Klasifikasi “%s” is not a complaint; skipped.")
                    % str(cell("klasifikasi"))[:40]
                )
                problem(row.number, where("klasifikasi"), message, "warning")
                continue

            judul, isi = _text(cell("judul")), _text(cell("isi"))
            description = description_of(judul, isi)
            if not isi:
                problem(row.number, where("isi"), _("The report text is empty."))
            elif len(description) > DESCRIPTION_MAX:
                problem(
                    row.number,
                    where("isi"),
                    _("The text is longer than %d characters; the rest is cut off.")
                    % DESCRIPTION_MAX,
                    "warning",
                )
                description = description[: DESCRIPTION_MAX - 1] + "…"

            status_word = _text(cell("status"))
            status = STATUS_FROM_LAPOR.get(_key(status_word))
            if status is None:
                problem(
                    row.number,
                    where("status"),
                    _("Unknown LAPOR! status “%(word)s”; use one of: %(words)s.")
                    % {"word": status_word[:40], "words": ", ".join(STATUS_TO_LAPOR.values())},
                )

            kategori = _text(cell("kategori"))
            category = CATEGORY_FROM_LAPOR.get(_key(kategori))
            if category is None:
                category = Category.OTHER
                problem(
                    row.number,
                    where("kategori"),
                    _("Kategori “%s” has no sigap category: filed as “Other”.") % kategori[:60]
                    if kategori
                    else _("No kategori: filed as “Other”."),
                    "warning",
                )

            moments: dict[str, datetime | None] = {}
            for key in ("tanggal", "disposisi", "tanggal_tindak_lanjut", "tanggal_selesai"):
                raw = cell(key)
                if raw in ("", None):
                    moments[key] = None
                    continue
                moment = parse_moment(raw)
                if moment is None:
                    problem(
                        row.number,
                        where(key),
                        _("“%s” is not a date (use YYYY-MM-DD or DD/MM/YYYY, a time may follow).")
                        % str(raw)[:40],
                    )
                elif moment > now:
                    problem(
                        row.number,
                        where(key),
                        _("This date is in the future: LAPOR! cannot have it yet."),
                    )
                    moment = None
                moments[key] = moment
            submitted = moments["tanggal"]
            if submitted is None and str(cell("tanggal")).strip() == "":
                problem(row.number, where("tanggal"), _("The report date is empty."))
            for key in ("disposisi", "tanggal_tindak_lanjut", "tanggal_selesai"):
                later = moments[key]
                if submitted is not None and later is not None and later < submitted:
                    problem(row.number, where(key), _("The date is before the report date."))

            unit = None
            reference = _text(cell("unit"))
            if reference:
                unit = units.find(reference)
                if unit is None:
                    problem(
                        row.number,
                        where("unit"),
                        _("No unit of %(agency)s is “%(ref)s” (use its UNOR id, code or name).")
                        % {"agency": agency.name, "ref": reference[:80]},
                    )

            instansi = _text(cell("instansi"))
            if instansi and _key(instansi) not in instansi_names:
                problem(
                    row.number,
                    where("instansi"),
                    _("The report is for “%(instansi)s”, not %(agency)s: check the file.")
                    % {"instansi": instansi[:80], "agency": agency.name},
                    "warning",
                )

            if len(plan.errors) > errors_before or status is None or submitted is None:
                continue
            follow_up = _text(cell("tindak_lanjut"))
            if len(follow_up) > complaints.NOTE_MAX:  # the complaint's note takes no more
                problem(
                    row.number,
                    where("tindak_lanjut"),
                    _("The text is longer than %d characters; the rest is cut off.")
                    % complaints.NOTE_MAX,
                    "warning",
                )
                follow_up = follow_up[: complaints.NOTE_MAX - 1] + "…"
            report = Report(
                row=row.number,
                tracking_id=tracking_id,
                description=description,
                category=category,
                status=status,
                submitted_at=submitted,
                disposed_at=moments["disposisi"],
                unit=unit,
                follow_up=follow_up,
                followed_up_at=moments["tanggal_tindak_lanjut"],
                closed_at=moments["tanggal_selesai"],
            )
            complaint = existing.get(tracking_id)
            if complaint is not None and complaint.unit.agency_id != agency.pk:
                problem(
                    row.number,
                    where("tracking"),
                    _("The Tracking ID %s is already on a complaint of another agency.")
                    % tracking_id,
                )
                continue
            current = complaint.status if complaint is not None else Status.DITERIMA
            steps = steps_between(current, status)
            label = tracking_id
            if steps is None:
                problem(
                    row.number,
                    where("status"),
                    _(
                        "In sigap the complaint is “%(sigap)s”; LAPOR!'s “%(lapor)s” cannot "
                        "follow it: reconcile by hand."
                    )
                    % {"sigap": Status(current).label, "lapor": status_word},
                    "warning",
                )
                steps = []
            if Status.DIDISPOSISIKAN in steps and report.disposed_at is None:
                problem(
                    row.number,
                    where("disposisi"),
                    _("The report was disposed (status “%s”) but has no disposition date.")
                    % status_word,
                )
                continue
            if (
                Status.DITINDAKLANJUTI in steps or Status.SELESAI in steps
            ) and not report.follow_up:
                problem(
                    row.number,
                    where("tindak_lanjut"),
                    _("No follow-up text: the complaint says it was followed up in SP4N-LAPOR!."),
                    "warning",
                )
            if complaint is None:
                operations.append(Operation(report, None, steps))
                plan.changes.append(
                    Change(
                        "create",
                        _("Complaint"),
                        label,
                        {
                            _("status"): ("", str(Status(status).label)),
                            _("category"): ("", str(Category(category).label)),
                            _("unit"): ("", (unit or root).name),
                        },
                        row.number,
                    )
                )
                continue
            if complaint.description != description:
                problem(
                    row.number,
                    where("isi"),
                    _("The text differs from complaint %s; sigap keeps its own text.")
                    % complaint.receipt_code,
                    "warning",
                )
            if RANK[status] < RANK[complaint.status]:
                problem(
                    row.number,
                    where("status"),
                    _(
                        "sigap is ahead: the complaint is “%(sigap)s”, LAPOR! still says "
                        "“%(lapor)s”. Update LAPOR!."
                    )
                    % {"sigap": complaint.get_status_display(), "lapor": status_word},
                    "warning",
                )
            if steps:
                operations.append(Operation(report, complaint.pk, steps))
                plan.changes.append(
                    Change(
                        "update",
                        _("Complaint"),
                        f"{label} {complaint.receipt_code}",
                        {_("status"): (complaint.get_status_display(), str(Status(status).label))},
                        row.number,
                    )
                )
            else:
                plan.changes.append(
                    Change(
                        "unchanged",
                        _("Complaint"),
                        f"{label} {complaint.receipt_code}",
                        {},
                        row.number,
                    )
                )
        plan.payload = {"operations": operations, "root": root}
        return plan

    def write(self, plan: Plan, *, agency: Agency, actor: Any) -> None:
        root: Unit = plan.payload["root"]
        if actor is None or not can(actor, Action.LAPOR_EXCHANGE, root):
            raise PermissionDenied(_("Only the Inspektorat may import SP4N-LAPOR! reports."))
        operations: list[Operation] = plan.payload["operations"]
        for op in operations:
            report = op.report
            if op.complaint_pk is None:
                complaint = complaints.complaint_submit(
                    category=report.category,
                    description=report.description,
                    reporter=complaints.Reporter(anonymous=True),
                    unit=report.unit or root,
                    channel=Channel.LAPOR,
                    submitted_at=report.submitted_at,
                    lapor_tracking_id=report.tracking_id,
                )
            else:
                complaint = Complaint.objects.get(pk=op.complaint_pk)
            advance(complaint, op.steps, report, user=actor)
        record_exchange(
            operation="csv/import",
            direction=Exchange.Direction.PULL,
            ok=True,
            summary=", ".join(f"{k} {v}" for k, v in plan.counts().items() if v),
            actor=actor,
            object_ref=f"file:{plan.file}"[:80],
        )


def advance(complaint: Complaint, steps: Sequence[str], report: Report, *, user: Any) -> Complaint:
    """Take the complaint through `steps` with the complaints' write functions, each at the
    date LAPOR! gives for it (never before the complaint's last step)."""
    lapor_note = _("Status in SP4N-LAPOR!: %s.")

    def at(*candidates: datetime | None) -> datetime:
        moment = next((c for c in candidates if c is not None), report.submitted_at)
        return max(moment, complaint.last_event_at)

    for step in steps:
        if step == Status.DITUNDA:
            complaint = complaints.complaint_hold(
                complaint=complaint, user=user, reason=lapor_note % "Ditunda", at=at()
            )
        elif step in (Status.BUKAN_WEWENANG, Status.DIARSIPKAN):
            complaint = complaints.complaint_reject(
                complaint=complaint,
                user=user,
                reason=lapor_note % STATUS_TO_LAPOR[step],
                archive=step == Status.DIARSIPKAN,
                at=at(report.closed_at, report.disposed_at),
            )
        elif step == Status.TERVERIFIKASI:
            complaint = complaints.complaint_verify(
                complaint=complaint, user=user, at=at(report.disposed_at)
            )
        elif step == Status.DIDISPOSISIKAN:
            complaint = complaints.complaint_forward(
                complaint=complaint,
                user=user,
                unit=report.unit,
                note=_("Disposed through SP4N-LAPOR!."),
                at=at(report.disposed_at),
            )
        elif step == Status.DITINDAKLANJUTI:
            complaint = complaints.complaint_follow_up(
                complaint=complaint,
                user=user,
                response=report.follow_up or _("Followed up in SP4N-LAPOR!."),
                at=at(report.followed_up_at, report.disposed_at),
            )
        elif step == Status.SELESAI:
            complaint = complaints.complaint_close(
                complaint=complaint,
                user=user,
                note=lapor_note % "Selesai",
                at=at(report.closed_at, report.followed_up_at, report.disposed_at),
            )
    return complaint


IMPORTER = LaporImporter()
register(IMPORTER, action=Action.LAPOR_EXCHANGE)


# --- The export -----------------------------------------------------------------------------


def export_rows(complaints_: Iterable[Complaint]) -> list[list[object]]:
    """One row per complaint, in the import's columns and then EXPORT_EXTRA."""
    rows: list[list[object]] = []
    items = list(complaints_)
    follow_ups: dict[int, str] = {}
    for event in ComplaintEvent.objects.filter(
        complaint__in=[c.pk for c in items], action="follow_up"
    ).order_by("complaint_id", "seq"):
        follow_ups[event.complaint_id] = event.note  # the latest one wins
    for c in items:
        judul, isi = split_description(c)
        agency_name = c.unit.agency.name
        rows.append(
            [
                c.lapor_tracking_id,
                judul,
                isi,
                CATEGORY_TO_LAPOR.get(c.category, "Lainnya"),
                agency_name,
                STATUS_TO_LAPOR[c.status],
                moment_text(c.submitted_at),
                moment_text(c.forwarded_at),
                c.unit.siasn_id or c.unit.code,
                "Pengaduan",
                follow_ups.get(c.pk, ""),
                moment_text(c.followed_up_at),
                moment_text(c.closed_at),
                c.receipt_code,
                public_url(c.lapor_tracking_id),
            ]
        )
    return rows


def export_headers() -> list[str]:
    return [*HEADERS, *EXPORT_EXTRA]


# --- The exchange record --------------------------------------------------------------------


def record_exchange(
    *,
    operation: str,
    direction: str,
    ok: bool,
    summary: str = "",
    object_ref: str = "",
    status_code: int | None = None,
    actor: Any = None,
) -> Exchange:
    """One call to LAPOR! (or one file exchanged with it): never the payload."""
    return Exchange.objects.create(
        system=System.LAPOR,
        operation=operation[:60],
        direction=direction,
        object_ref=object_ref[:80],
        ok=ok,
        status_code=status_code,
        summary=summary[:300],
        at=timezone.now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


# --- The adapter ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LaporReport:
    """A report as LAPOR! gives it (what an import row holds)."""

    tracking_id: str
    title: str
    text: str
    category: str
    status: str
    submitted_at: datetime
    disposed_at: datetime | None = None
    unit: str = ""


@dataclass(frozen=True)
class Topic:
    id: str
    parent: str
    name: str


class LaporError(Exception):
    """LAPOR! could not be reached, refused, or answered something unreadable."""


class LaporDisabled(LaporError):
    """SIGAP_LAPOR_ENABLED is off (the default), or no token is set."""


class NotSupported(LaporError):
    """What the documented API cannot do."""


class LaporAdapter(Protocol):
    def pull_disposed(self, since: date) -> list[LaporReport]: ...

    def push_status(self, complaint: Complaint, status: str, note: str) -> None: ...


@dataclass(frozen=True)
class LaporConf:
    enabled: bool
    api_url: str
    token: str
    timeout: float


def conf() -> LaporConf:
    s: dict[str, object] = getattr(settings, "SIGAP", {})
    return LaporConf(
        enabled=str(s.get("LAPOR_ENABLED", "")).strip().lower() in {"1", "true", "yes", "on"},
        api_url=str(s.get("LAPOR_API_URL") or "https://www.lapor.go.id/api").rstrip("/"),
        token=str(s.get("LAPOR_TOKEN") or ""),
        timeout=float(str(s.get("LAPOR_TIMEOUT_SECONDS") or 20)),
    )


_NOT_DOCUMENTED = (
    "The current SP4N-LAPOR! API is documented only in the LAPOR! admin panel (developer "
    "role); the public legacy API has no way to {what}. Use the CSV export and import "
    "(docs/integrations.md, SP4N-LAPOR!)."
)


def _safe_xml(body: bytes) -> ET.Element:
    """Parse an answer as XML, refusing DTDs and entities (no expansion attacks)."""
    if b"<!DOCTYPE" in body.upper() or b"<!ENTITY" in body.upper():
        raise LaporError("LAPOR! answered XML with a DTD: refused")
    try:
        return ET.fromstring(body)
    except ET.ParseError as exc:
        raise LaporError("LAPOR! answered something that is not XML") from exc


def _find_text(root: ET.Element, name: str) -> str:
    if root.tag.lower() == name:
        return (root.text or "").strip()
    for element in root.iter():
        if element.tag.lower() == name:
            return (element.text or "").strip()
    return root.get(name, "").strip()


class LegacyLaporAdapter:
    """The legacy LAPOR! API as public sources document it (docs/integrations.md §SP4N-LAPOR!).

    - `topics()`: POST <api>/services/f01/gettopics with the KEYTOKEN (JSON; `id`, `parent`,
      `topic_name`).
    - `send(complaint)`: POST <api>/stream/addstream, the XML `<lapor token=…>` form, for a
      complaint that came in through sigap's own channels; LAPOR!'s `trackingid` is kept on the
      complaint. The reporter's identity is never sent (anonim="1": sigap keeps it and answers
      the reporter itself); a confidential complaint is sent as rahasia="1".
    - `pull_disposed` / `push_status`: NotSupported (no documented endpoint).
    """

    def __init__(self, config: LaporConf | None = None, *, actor: Any = None) -> None:
        self.conf = config or conf()
        self.actor = actor

    def _check(self) -> None:
        if not self.conf.enabled:
            raise LaporDisabled(
                "SP4N-LAPOR! exchange is off (set SIGAP_LAPOR_ENABLED=true and SIGAP_LAPOR_TOKEN)"
            )
        if not self.conf.token:
            raise LaporDisabled("SIGAP_LAPOR_TOKEN is not set")

    def _post(
        self, path: str, body: bytes, content_type: str, operation: str, object_ref: str
    ) -> bytes:
        parts = urlsplit(self.conf.api_url + path)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise LaporError("SIGAP_LAPOR_API_URL is not an http(s) URL")
        cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        conn = cls(parts.hostname, parts.port, timeout=self.conf.timeout)
        headers = {"Content-Type": content_type, "KEYTOKEN": self.conf.token}
        status: int | None = None
        try:
            conn.request("POST", parts.path or "/", body=body, headers=headers)
            response = conn.getresponse()
            status = response.status
            raw = response.read()
        except (OSError, http.client.HTTPException) as exc:
            record_exchange(
                operation=operation,
                direction=Exchange.Direction.PUSH
                if "addstream" in path
                else Exchange.Direction.PULL,
                ok=False,
                summary=f"no answer: {type(exc).__name__}",
                object_ref=object_ref,
                actor=self.actor,
            )
            raise LaporError(f"LAPOR! could not be reached: {type(exc).__name__}") from exc
        finally:
            conn.close()
        if not 200 <= status < 300:
            record_exchange(
                operation=operation,
                direction=Exchange.Direction.PUSH
                if "addstream" in path
                else Exchange.Direction.PULL,
                ok=False,
                status_code=status,
                summary=f"HTTP {status}",
                object_ref=object_ref,
                actor=self.actor,
            )
            raise LaporError(f"LAPOR! answered HTTP {status}")
        return raw

    def topics(self) -> list[Topic]:
        self._check()
        operation = "services/f01/gettopics"
        raw = self._post(
            "/services/f01/gettopics",
            json.dumps({"KEYTOKEN": self.conf.token}).encode(),
            "application/json",
            operation,
            "",
        )
        try:
            data = json.loads(raw)
            items = data.get("data", data) if isinstance(data, dict) else data
            topics = [
                Topic(str(t["id"]), str(t.get("parent") or ""), str(t["topic_name"])) for t in items
            ]
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            record_exchange(
                operation=operation,
                direction=Exchange.Direction.PULL,
                ok=False,
                status_code=200,
                summary="unreadable answer",
                actor=self.actor,
            )
            raise LaporError("LAPOR! answered topics that cannot be read") from exc
        record_exchange(
            operation=operation,
            direction=Exchange.Direction.PULL,
            ok=True,
            status_code=200,
            summary=f"{len(topics)} topics",
            actor=self.actor,
        )
        return topics

    def send(self, complaint: Complaint) -> Complaint:
        """Send a complaint filed in sigap to LAPOR!; keep the Tracking ID it answers."""
        self._check()
        if complaint.lapor_tracking_id:
            raise ValidationError(
                {
                    "lapor_tracking_id": _("The complaint is already in SP4N-LAPOR! (%s).")
                    % complaint.lapor_tracking_id
                }
            )
        if complaint.channel == Channel.LAPOR:
            raise ValidationError({"channel": _("The complaint came from SP4N-LAPOR!.")})
        operation = "stream/addstream"
        ref = f"complaint:{complaint.receipt_code}"
        body = (
            f"<lapor token={quoteattr(self.conf.token)}>"
            "<pelapor><email></email><telpon></telpon><namadepan></namadepan>"
            "<namabelakang></namabelakang></pelapor>"
            f'<laporan rahasia="{1 if complaint.is_confidential else 0}" anonim="1">'
            f"<isi>{escape(complaint.description)}</isi></laporan></lapor>"
        ).encode()
        raw = self._post("/stream/addstream", body, "application/xml", operation, ref)
        try:
            answer = _safe_xml(raw)
        except LaporError:
            record_exchange(
                operation=operation,
                direction=Exchange.Direction.PUSH,
                ok=False,
                status_code=200,
                summary="unreadable answer",
                object_ref=ref,
                actor=self.actor,
            )
            raise
        tracking_id = _find_text(answer, "trackingid")
        transaction_id = _find_text(answer, "transaksiid")
        if not TRACKING_ID.match(tracking_id):
            record_exchange(
                operation=operation,
                direction=Exchange.Direction.PUSH,
                ok=False,
                status_code=200,
                summary="no trackingid in the answer",
                object_ref=ref,
                actor=self.actor,
            )
            raise LaporError("LAPOR! answered without a Tracking ID")
        with transaction.atomic():
            taken = (
                Complaint.objects.filter(lapor_tracking_id=tracking_id)
                .exclude(pk=complaint.pk)
                .exists()
            )
            if taken:
                record_exchange(
                    operation=operation,
                    direction=Exchange.Direction.PUSH,
                    ok=False,
                    status_code=200,
                    summary=f"trackingid {tracking_id} taken",
                    object_ref=ref,
                    actor=self.actor,
                )
                raise LaporError(f"Tracking ID {tracking_id} is already on another complaint")
            Complaint.objects.filter(pk=complaint.pk).update(lapor_tracking_id=tracking_id)
            complaint.lapor_tracking_id = tracking_id
            record_exchange(
                operation=operation,
                direction=Exchange.Direction.PUSH,
                ok=True,
                status_code=200,
                summary=f"trackingid {tracking_id}, transaksiid {transaction_id[:40]}",
                object_ref=ref,
                actor=self.actor,
            )
        return complaint

    # Neither method calls LAPOR! (so no Exchange is recorded): there is nothing documented to
    # call. They say so plainly instead of guessing at an undocumented endpoint.

    def pull_disposed(self, since: date) -> list[LaporReport]:
        raise NotSupported(_NOT_DOCUMENTED.format(what="list the reports disposed to an agency"))

    def push_status(self, complaint: Complaint, status: str, note: str) -> None:
        raise NotSupported(_NOT_DOCUMENTED.format(what="set a report's status or follow-up"))
