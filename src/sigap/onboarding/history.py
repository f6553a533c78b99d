"""Onboarding the request history of the agency's previous application (kind "history").

A file of past events (CSV, XLSX, Parquet or XES; one row per event) becomes `ServiceRequest`s
and `ServiceEvent`s, so the analyses, scorecards and unit pages have the agency's past from
the first day. The file is read by the reader of `sigap analyze`
(`sigap.analytics.importers.import_log`) with a column mapping; events are sorted within each
case by time, ties keeping file order, as `sigap analyze` sorts them.

Options:

- `source` (required): the name of the previous application, e.g. "simpel-dukcapil". A case is
  known by (agency, source, case id) across runs (`HistoryCase`).
- `mapping`: file column of each field. Required: case, service (code or name), activity,
  timestamp. Optional: officer (NIP), outcome, applicant_name, kecamatan, channel. The defaults
  are the sample file's Indonesian headers (`DEFAULT_MAPPING`).
- `timezone` of the times without an offset (default Asia/Jakarta).

Each case becomes one request of its service, judged against the standard in force on the day
of its first event, in the service's unit; its first event is the submission ("Pengajuan", or
the standard's first step). The other events are matched to the standard's step names (case
and spacing ignored). Status, current step, due date, pauses, finished time, last event and
event count follow the write functions' rules (`sigap.service_requests.services`): a return or
a wait stops the SLA clock until the file resumes (an explicit "dilanjutkan", or implicitly the
next step event: old applications rarely record the resumption), the last step completes the
request, a rejection finishes it. Decisions a file cannot overrule:

- An activity that is no step of the standard is kept as an event without a step, with one
  warning per activity name (old applications log side activities such as "Cetak ulang"); it
  does not move the request on.
- A case whose first event is not the submission, or with events after its completion or
  rejection, is an error; so are an unknown service, an unknown officer NIP (not an employee
  of the agency), an unknown outcome word, an unparseable or future time.
- Re-running a file changes nothing ("unchanged"); a case with more events at the end gets only
  the new ones appended ("update"); a case whose earlier events changed, or whose request was
  continued in sigap since, is an error.

No personal data is invented: the applicant's name is "(riwayat <source>)" unless mapped; the
contact, NIK and the other attributes stay empty.

Writing is bulk: requests, events and cases are inserted in batches, then the case facts
(`RequestFact`) of the written requests are rebuilt with `request_facts_rebuild`.
"""

from __future__ import annotations

import hashlib
import tempfile
import zoneinfo
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pyarrow.compute as pc
import pyarrow.parquet as pq
from django.utils import timezone
from django.utils.translation import gettext as _

from sigap.accounts.roles import Action
from sigap.analytics.eventlog import ColumnMapping, EventLogError
from sigap.analytics.importers import import_log
from sigap.audit.services import audit_record
from sigap.catalogue.models import ProcedureStep, Service, ServiceStandard
from sigap.onboarding.lookup import ServiceIndex, root_unit
from sigap.onboarding.models import HistoryCase, ImportKind
from sigap.onboarding.plan import Change, Plan, Problem, register
from sigap.organisation.models import Agency, Employee
from sigap.organisation.services import agency_calendar
from sigap.rules.calendar import WorkingCalendar
from sigap.service_requests.facts import request_facts_rebuild
from sigap.service_requests.models import (
    FINISHED_STATUSES,
    PAUSED_STATUSES,
    SUBMISSION_ACTIVITY,
    Channel,
    Outcome,
    ServiceEvent,
    ServiceRequest,
    Status,
)
from sigap.service_requests.services import (
    FUTURE_TOLERANCE,
    new_receipt_code,
    pause_working_days,
    request_due_date,
)

KIND = ImportKind.HISTORY.value
BATCH = 2000
MAX_PROBLEMS = 500
"""Errors listed at most; the rest are counted in one last problem."""

DEFAULT_MAPPING: dict[str, str | None] = {
    "case": "no_permohonan",
    "service": "layanan",
    "activity": "aktivitas",
    "timestamp": "waktu",
    "officer": "nip_petugas",
    "outcome": "hasil",
    "applicant_name": None,
    "kecamatan": None,
    "channel": None,
}
REQUIRED = ("case", "service", "activity", "timestamp")
# The words a person writes for each field of the mapping (the page's "Pemetaan kolom" and
# `--option mapping.<field>=`): Indonesian first, the English key accepted too. The first word
# of each is the one messages use.
FIELD_WORDS: dict[str, tuple[str, ...]] = {
    "case": ("kasus", "nomor", "no_permohonan"),
    "service": ("layanan",),
    "activity": ("aktivitas", "langkah", "tahap"),
    "timestamp": ("waktu",),
    "officer": ("petugas", "nip", "nip_petugas"),
    "outcome": ("hasil",),
    "applicant_name": ("pemohon", "nama_pemohon"),
    "kecamatan": ("kecamatan",),
    "channel": ("kanal", "saluran"),
}
_FIELD_OF = {w: key for key, words in FIELD_WORDS.items() for w in (key, *words)}
OPTIONAL_CARRIED = ("applicant_name", "kecamatan", "channel")

# The words old applications write for the result of an event (lower case, trimmed).
OUTCOME_WORDS: dict[str, str] = {
    "": Outcome.DONE,
    "selesai": Outcome.DONE,
    "done": Outcome.DONE,
    "complete": Outcome.DONE,
    "completed": Outcome.DONE,
    "ok": Outcome.DONE,
    "diterima": Outcome.RECEIVED,
    "received": Outcome.RECEIVED,
    "dikembalikan": Outcome.RETURNED,
    "returned": Outcome.RETURNED,
    "ditolak": Outcome.REJECTED,
    "rejected": Outcome.REJECTED,
    "menunggu": Outcome.WAITING,
    "waiting": Outcome.WAITING,
    "dilanjutkan": Outcome.RESUMED,
    "resumed": Outcome.RESUMED,
    "diajukan": Outcome.SUBMITTED,
    "submitted": Outcome.SUBMITTED,
}
CHANNEL_WORDS: dict[str, str] = {
    "": Channel.COUNTER,
    "loket": Channel.COUNTER,
    "counter": Channel.COUNTER,
    "online": Channel.ONLINE,
    "daring": Channel.ONLINE,
    "mobile": Channel.MOBILE,
    "seluler": Channel.MOBILE,
}


def _moment(ts_us: int, tz: zoneinfo.ZoneInfo) -> str:
    """A time of the file as a person reads it: "2025-03-02 09:00" in the agency's time zone."""
    return datetime.fromtimestamp(ts_us / 1_000_000, UTC).astimezone(tz).strftime("%Y-%m-%d %H:%M")


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


# --- the rules of one case, pure ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Step:
    pk: int
    order: int
    name: str


@dataclass(frozen=True, slots=True)
class Event:
    """One event of a case, as read: `step` is the index in the standard's steps (or None)."""

    activity: str
    step: int | None
    officer_id: int | None
    at: datetime
    outcome: str


@dataclass(slots=True)
class State:
    """What the write functions would hold on the request after these events."""

    status: str = Status.SUBMITTED
    current: int | None = 0  # index of the current step
    finished_at: datetime | None = None
    paused_since: datetime | None = None
    paused_days: int = 0
    assigned_officer_id: int | None = None


class CaseRefused(Exception):
    def __init__(self, index: int, message: str) -> None:
        super().__init__(message)
        self.index = index  # the event (in time order) the case is refused at


def replay(events: list[Event], n_steps: int, calendar: WorkingCalendar) -> State:
    """The request's state after `events` (the first is the submission), by the write
    functions' rules; raises `CaseRefused` at an event they would refuse."""
    state = State(current=0 if n_steps else None)

    def close_pause(at: datetime) -> None:
        if state.paused_since is not None:
            state.paused_days += pause_working_days(calendar, state.paused_since, at)
            state.paused_since = None

    for i, ev in enumerate(events[1:], start=1):
        if state.status in FINISHED_STATUSES:
            raise CaseRefused(
                i,
                _("The case already ended (%(status)s) at an earlier event; no event can follow.")
                % {"status": Status(state.status).label.lower()},
            )
        outcome = ev.outcome
        if outcome == Outcome.SUBMITTED:
            raise CaseRefused(i, _("Only the first event of a case can be its submission."))
        if outcome in (Outcome.DONE, Outcome.RECEIVED, Outcome.RESUMED):
            # a step after a pause: the applicant came back (the resumption is often not logged)
            close_pause(ev.at)
            state.status = Status.IN_PROGRESS
            if state.assigned_officer_id is None and ev.officer_id is not None:
                state.assigned_officer_id = ev.officer_id
            if outcome == Outcome.DONE and ev.step is not None:
                if ev.step + 1 >= n_steps:
                    state.status = Status.COMPLETED
                    state.current = None
                    state.finished_at = ev.at
                else:
                    state.current = ev.step + 1
        elif outcome in (Outcome.RETURNED, Outcome.WAITING):
            close_pause(ev.at)
            state.status = Status.RETURNED if outcome == Outcome.RETURNED else Status.WAITING
            state.paused_since = ev.at
            if outcome == Outcome.RETURNED:
                state.current = 0 if n_steps else None
        elif outcome == Outcome.REJECTED:
            close_pause(ev.at)
            state.status = Status.REJECTED
            state.finished_at = ev.at
            state.current = None
    return state


def digest(events: list[tuple[str, int, str, str]]) -> str:
    """The hash of a case's events as read (activity, time in µs, officer NIP, outcome word)."""
    h = hashlib.sha256()
    for activity, ts, nip, outcome in events:
        h.update(f"{activity}\x1f{ts}\x1f{nip}\x1f{outcome}\x1e".encode())
    return h.hexdigest()


def _standard_on(versions: list[ServiceStandard], day: date) -> ServiceStandard | None:
    """`Service.standard_on(day)` over the service's versions read once (newest first)."""
    return next((s for s in versions if s.in_force_on(day)), None)


# --- planning -----------------------------------------------------------------------------------


@dataclass(slots=True)
class CaseWrite:
    """What applying writes for one case."""

    case_id: str
    request_id: int | None  # None: a new request
    fields: dict[str, Any]
    events: list[tuple[int, str, int | None, int | None, datetime, str]]  # seq, activity, ...
    digest: str
    total_events: int


@dataclass(slots=True)
class Payload:
    source: str
    cases: list[CaseWrite] = field(default_factory=list)


class _Problems:
    def __init__(self, file: str, sheet: str = "") -> None:
        self.file = file
        self.items: list[Problem] = []
        self.errors = 0
        self.more = 0

    def add(self, row: int, column: str, message: str, severity: str = "error") -> None:
        if severity == "error":
            self.errors += 1
        if len(self.items) >= MAX_PROBLEMS:
            self.more += 1
            return
        self.items.append(Problem(self.file, row, column, message, severity))  # type: ignore[arg-type]

    def done(self) -> list[Problem]:
        if self.more:
            self.items.append(
                Problem(self.file, 0, "", _("%d more problems are not listed.") % self.more)
            )
        return self.items


def _options(options: dict[str, Any]) -> tuple[str, dict[str, str | None], str, list[str]]:
    errors: list[str] = []
    source = str(options.get("source") or "").strip()
    if not source:
        errors.append(_("Name the previous application (the source) of the history."))
    mapping = dict(DEFAULT_MAPPING)
    given = options.get("mapping") or {}
    for word, column in dict(given).items():
        key = _FIELD_OF.get(str(word).strip().casefold().replace(" ", "_"))
        if key is None:
            errors.append(
                _("Unknown field “%(field)s” in the column mapping; the fields are %(fields)s.")
                % {"field": word, "fields": ", ".join(w[0] for w in FIELD_WORDS.values())}
            )
        else:
            mapping[key] = str(column).strip() if column else None
    for key in REQUIRED:
        if not mapping.get(key):
            errors.append(_("The column mapping needs the column of “%s”.") % FIELD_WORDS[key][0])
    tz = str(options.get("timezone") or "Asia/Jakarta")
    try:
        zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        errors.append(_("Unknown time zone “%s”.") % tz)
    return source, mapping, tz, errors


def _header_rows(name: str) -> int:
    """What to add to the reader's data row to get the row the file shows (its header)."""
    lower = name.lower()
    return 1 if lower.endswith((".csv", ".csv.gz", ".xlsx")) else 0


class HistoryImporter:
    kind = KIND

    def plan(self, data: bytes, name: str, *, agency: Agency, options: dict[str, Any]) -> Plan:
        file = Path(name).name or "history.csv"
        plan = Plan(kind=KIND, file=file, rows=0)
        source, mapping, tz, option_errors = _options(options)
        if option_errors:
            plan.problems = [Problem(file, 0, "", m) for m in option_errors]
            return plan
        with tempfile.TemporaryDirectory(prefix="sigap-history-") as tmp:
            src = Path(tmp) / file
            src.write_bytes(data)
            column_map = ColumnMapping(
                case=str(mapping["case"]),
                activity=str(mapping["activity"]),
                timestamp=str(mapping["timestamp"]),
                resource=mapping["officer"],
                lifecycle=mapping["outcome"],
                service=mapping["service"],
                unit=None,
                transition=None,
                start_timestamp=None,
                timezone=tz,
            )
            carried = {k: str(mapping[k]) for k in OPTIONAL_CARRIED if mapping.get(k)}
            try:
                read = import_log(
                    src, Path(tmp) / "log.parquet", column_map, extra=carried, source_row=True
                )
            except EventLogError as exc:
                row = exc.row + _header_rows(file) if exc.row is not None else 0
                plan.problems = [Problem(file, row, exc.column or "", exc.reason)]
                return plan
            table = pq.read_table(read.path)
        plan.rows = table.num_rows
        problems = _Problems(file)
        cases = _plan_cases(
            table, agency=agency, source=source, mapping=mapping, carried=carried,
            problems=problems, offset=_header_rows(file), plan=plan,
        )  # fmt: skip
        plan.problems = problems.done()
        plan.payload = Payload(source=source, cases=cases)
        return plan

    def write(self, plan: Plan, *, agency: Agency, actor: Any) -> None:
        payload: Payload = plan.payload
        if not payload.cases:  # every case unchanged: nothing to write, nothing to audit
            return
        written = _write(payload, agency=agency)
        counts = plan.counts()
        audit_record(
            actor=actor,
            action="onboarding.history",
            unit=root_unit(agency),
            data={
                "file": plan.file,
                "source": payload.source,
                "requests_created": counts["create"],
                "requests_updated": counts["update"],
                "events": written,
            },
        )


def _column_array(table: Any, name: str) -> tuple[np.ndarray, list[Any]]:
    """A column as (indices into its distinct values, the distinct values); None stays None."""
    encoded = pc.dictionary_encode(table.column(name)).combine_chunks()
    indices = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)
    return indices, [*encoded.dictionary.to_pylist(), None]


def _plan_cases(
    table: Any,
    *,
    agency: Agency,
    source: str,
    mapping: dict[str, str | None],
    carried: dict[str, str],
    problems: _Problems,
    offset: int,
    plan: Plan,
) -> list[CaseWrite]:
    n = table.num_rows
    case_idx, case_values = _column_array(table, "case_id")
    act_idx, act_values = _column_array(table, "activity")
    svc_idx, svc_values = _column_array(table, "service")
    res_idx, res_values = _column_array(table, "resource")
    out_idx, out_values = _column_array(table, "lifecycle")
    extra = {k: _column_array(table, k) for k in carried}
    ts_us = table.column("ts").cast("int64").to_numpy()
    rows = table.column("source_row").to_numpy() + offset
    col_case, col_service = str(mapping["case"]), str(mapping["service"])
    col_activity, col_ts = str(mapping["activity"]), str(mapping["timestamp"])
    col_officer, col_outcome = mapping["officer"] or "", mapping["outcome"] or ""

    # the things named in the file, resolved once each
    services = ServiceIndex(agency)
    service_of: list[Service | None] = [services.find(v) if v else None for v in svc_values]
    employees = dict(Employee.objects.filter(unit__agency=agency).values_list("nip", "pk"))
    officer_of: list[int | bool | None] = []  # False: unknown
    for v in res_values:
        nip = (v or "").strip()
        officer_of.append(employees.get(nip, False) if nip else None)
    outcome_of = [OUTCOME_WORDS.get((v or "").strip().casefold()) for v in out_values]
    reported: set[tuple[str, int]] = set()

    def once(kind: str, value: int, row: int, column: str, message: str) -> None:
        if (kind, value) not in reported:
            reported.add((kind, value))
            problems.add(row, column, message)

    standards: dict[tuple[int, date], ServiceStandard | None] = {}
    # every version of every service of the agency, newest first: `Service.standard_on` in memory
    versions: dict[int, list[ServiceStandard]] = {}
    for std in ServiceStandard.objects.filter(
        service__unit__agency=agency, valid_from__isnull=False
    ).order_by("-valid_from"):
        versions.setdefault(std.service_id, []).append(std)
    steps_of: dict[int, tuple[list[Step], dict[str, int]]] = {}
    calendar = agency_calendar(agency.pk)
    tz = timezone.get_current_timezone()
    limit = int((timezone.now() + FUTURE_TOLERANCE).timestamp() * 1_000_000)
    unknown_activity: dict[str, tuple[int, int]] = {}  # name -> (first row, count)

    existing = {
        h[0]: h[1:]
        for h in HistoryCase.objects.filter(agency=agency, source=source).values_list(
            "case_id", "request_id", "digest", "events", "request__event_count"
        )
    }
    label = _("Request")
    cases: list[CaseWrite] = []
    starts = np.flatnonzero(np.diff(case_idx, prepend=-2)) if n else np.array([], dtype=int)
    bounds = [*starts.tolist(), n]
    late = np.flatnonzero(ts_us > limit)
    for i in late[:MAX_PROBLEMS].tolist():
        problems.add(int(rows[i]), col_ts, _("The time is in the future."))
    bad_cases = {int(case_idx[i]) for i in late.tolist()}

    submission_key = _key(SUBMISSION_ACTIVITY)
    for b in range(len(bounds) - 1):
        lo, hi = bounds[b], bounds[b + 1]
        case_id = str(case_values[case_idx[lo]])
        first_row = int(rows[lo])
        if int(case_idx[lo]) in bad_cases:
            continue
        # the service: of the first event; every event of a case must name the same one
        service = service_of[svc_idx[lo]]
        if service is None:
            value = svc_values[svc_idx[lo]]
            if value:
                once("service", int(svc_idx[lo]), first_row, col_service,
                     _("Unknown service “%s” (neither a code nor a name of the agency's "
                       "services).") % value)  # fmt: skip
            else:
                problems.add(first_row, col_service, _("The service is empty."))
            continue
        other = np.flatnonzero(svc_idx[lo:hi] != svc_idx[lo])
        if other.size:
            message = _("Case %s names another service than at its first event.") % case_id
            problems.add(int(rows[lo + other[0]]), col_service, message)
            continue
        # A case goes back in time when an event is dated before the case's submission: the
        # old application's clock or data entry was wrong, and no order of the rows is right.
        submission_at = next(
            (j for j in range(lo, hi) if _key(str(act_values[act_idx[j]])) == submission_key),
            lo,
        )
        if submission_at != lo and ts_us[lo] < ts_us[submission_at]:
            problems.add(int(rows[lo]), col_ts,
                         _("Case %(case)s goes back in time: this event (%(when)s) is dated "
                           "before its submission at row %(row)d (%(submitted)s).")
                         % {"case": case_id, "row": int(rows[submission_at]),
                            "when": _moment(int(ts_us[lo]), tz),
                            "submitted": _moment(int(ts_us[submission_at]), tz)})  # fmt: skip
            continue
        submitted = datetime.fromtimestamp(ts_us[lo] / 1_000_000, UTC)
        day = submitted.astimezone(tz).date()
        key = (service.pk, day)
        if key not in standards:
            standards[key] = _standard_on(versions.get(service.pk, []), day)
        standard = standards[key]
        if standard is None:
            problems.add(first_row, col_ts,
                         _("No service standard of “%(service)s” is in force on %(day)s.")
                         % {"service": service.name, "day": day.isoformat()})  # fmt: skip
            continue
        if standard.pk not in steps_of:
            ordered = [
                Step(s.pk, s.order, s.name)
                for s in ProcedureStep.objects.filter(standard=standard).order_by("order")
            ]
            steps_of[standard.pk] = (ordered, {_key(s.name): i for i, s in enumerate(ordered)})
        steps, step_index = steps_of[standard.pk]

        events: list[Event] = []
        raw: list[tuple[str, int, str, str]] = []
        refused = False
        for j in range(lo, hi):
            row = int(rows[j])
            activity = str(act_values[act_idx[j]])
            officer = officer_of[res_idx[j]]
            if officer is False:
                once("officer", int(res_idx[j]), row, col_officer,
                     _("NIP %s is not an employee of the agency.")
                     % res_values[res_idx[j]])  # fmt: skip
                refused = True
                continue
            outcome = outcome_of[out_idx[j]]
            if outcome is None:
                once("outcome", int(out_idx[j]), row, col_outcome,
                     _("Unknown result “%s”; use selesai, dikembalikan, ditolak, menunggu or "
                       "dilanjutkan.") % out_values[out_idx[j]])  # fmt: skip
                refused = True
                continue
            step = step_index.get(_key(activity))
            if j == lo:
                if _key(activity) == _key(SUBMISSION_ACTIVITY):
                    step = None
                elif step != 0:
                    problems.add(row, col_activity,
                                 _("The first event of case %(case)s is “%(activity)s”, not the "
                                   "submission (“%(submission)s” or the first step).")
                                 % {"case": case_id, "activity": activity,
                                    "submission": SUBMISSION_ACTIVITY})  # fmt: skip
                    refused = True
                    break
                outcome = Outcome.SUBMITTED
            elif step is None:
                first, count = unknown_activity.get(activity, (row, 0))
                unknown_activity[activity] = (first, count + 1)
            events.append(Event(activity, step, officer, datetime.fromtimestamp(
                ts_us[j] / 1_000_000, UTC), outcome))  # fmt: skip
            raw.append((activity, int(ts_us[j]), str(res_values[res_idx[j]] or ""),
                        str(out_values[out_idx[j]] or "")))  # fmt: skip
        if refused:
            continue
        try:
            state = replay(events, len(steps), calendar)
        except CaseRefused as exc:
            problems.add(int(rows[lo + exc.index]), col_activity, str(exc))
            continue

        total = len(events)
        known = existing.get(case_id)
        start = 0
        request_id = None
        action: Literal["create", "update"] = "create"
        if known is not None:
            request_id, old_digest, old_events, request_events = known
            if total < old_events or digest(raw[:old_events]) != old_digest:
                problems.add(first_row, col_case,
                             _("The events of case %s differ from those imported before; only "
                               "new events at the end can be added.") % case_id)  # fmt: skip
                continue
            if total == old_events:
                plan.changes.append(
                    Change("unchanged", label, f"{source}:{case_id}", row=first_row)
                )
                continue
            if request_events != old_events:
                problems.add(first_row, col_case,
                             _("The request of case %s was continued in sigap since it was "
                               "imported; its history cannot be extended.") % case_id)  # fmt: skip
                continue
            start, action = old_events, "update"
        last = events[-1].at
        fields: dict[str, Any] = {
            "status": state.status,
            "current_step_id": steps[state.current].pk if state.current is not None else None,
            "assigned_officer_id": state.assigned_officer_id,
            "due_date": request_due_date(
                calendar, submitted, standard.sla_working_days, state.paused_days
            ),
            "finished_at": state.finished_at,
            "paused_working_days": state.paused_days,
            "paused_since": state.paused_since if state.status in PAUSED_STATUSES else None,
            "last_event_at": last,
            "event_count": total,
        }
        if request_id is None:
            values = {k: (v[1][v[0][lo]] or "").strip() for k, v in extra.items()}
            channel = CHANNEL_WORDS.get(values.get("channel", "").casefold())
            if channel is None:
                problems.add(first_row, carried["channel"],
                             _("Unknown channel “%s”; use loket, online or mobile.")
                             % values["channel"])  # fmt: skip
                continue
            fields.update(
                service_id=service.pk,
                standard_id=standard.pk,
                unit_id=service.unit_id,
                channel=channel,
                applicant_name=(values.get("applicant_name") or f"(riwayat {source})")[:200],
                region_kecamatan=values.get("kecamatan", "")[:100],
                submitted_at=submitted,
            )
        writes = [
            (seq, e.activity[:200], steps[e.step].pk if e.step is not None else None,
             e.officer_id, e.at, e.outcome)
            for seq, e in enumerate(events[start:], start=start + 1)
        ]  # fmt: skip
        cases.append(CaseWrite(case_id, request_id, fields, writes, digest(raw), total))
        plan.changes.append(
            Change(action, label, f"{source}:{case_id}",
                   {_("events"): (str(start) if start else "", str(total))}, row=first_row)
        )  # fmt: skip
    for activity, (row, count) in sorted(unknown_activity.items(), key=lambda a: a[1][0]):
        problems.add(row, col_activity,
                     _("“%(activity)s” is no step of the service's standard: its %(n)d events "
                       "are kept without a step.") % {"activity": activity, "n": count},
                     severity="warning")  # fmt: skip
    return cases


# --- writing ------------------------------------------------------------------------------------


def _chunks(items: list[Any], size: int) -> Any:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _write(payload: Payload, *, agency: Agency) -> int:
    """Insert the new requests, append the events, record the cases; returns the events written."""
    written = 0
    touched: list[int] = []
    new = [c for c in payload.cases if c.request_id is None]
    updated = [c for c in payload.cases if c.request_id is not None]
    for chunk in _chunks(new, BATCH):
        requests = [ServiceRequest(receipt_code=new_receipt_code(), **c.fields) for c in chunk]
        ServiceRequest.objects.bulk_create(requests, batch_size=BATCH)
        for case, request in zip(chunk, requests, strict=True):
            case.request_id = request.pk
        written += _events(chunk)
        HistoryCase.objects.bulk_create(
            [
                HistoryCase(
                    agency=agency,
                    source=payload.source,
                    case_id=c.case_id,
                    request_id=c.request_id,
                    digest=c.digest,
                    events=c.total_events,
                )
                for c in chunk
            ],
            batch_size=BATCH,
        )
        touched += [c.request_id for c in chunk if c.request_id is not None]
    if updated:
        names = list(updated[0].fields)
        by_id = {c.request_id: c for c in updated}
        for chunk in _chunks(updated, BATCH):
            requests = list(ServiceRequest.objects.filter(pk__in=[c.request_id for c in chunk]))
            for request in requests:
                for name, value in by_id[request.pk].fields.items():
                    setattr(request, name, value)
            ServiceRequest.objects.bulk_update(requests, names, batch_size=BATCH)
            written += _events(chunk)
            cases = list(
                HistoryCase.objects.filter(agency=agency, source=payload.source,
                                           case_id__in=[c.case_id for c in chunk])
            )  # fmt: skip
            for hc in cases:
                update = next(c for c in chunk if c.case_id == hc.case_id)
                hc.digest, hc.events = update.digest, update.total_events
            HistoryCase.objects.bulk_update(cases, ["digest", "events"], batch_size=BATCH)
            touched += [c.request_id for c in chunk if c.request_id is not None]
    for ids in _chunks(touched, BATCH):
        request_facts_rebuild(ids)
    return written


def _events(cases: list[CaseWrite]) -> int:
    events = [
        ServiceEvent(request_id=c.request_id or 0, seq=seq, activity=activity, step_id=step,
                     officer_id=officer, timestamp=at, outcome=outcome)
        for c in cases
        for seq, activity, step, officer, at, outcome in c.events
    ]  # fmt: skip
    ServiceEvent.objects.bulk_create(events, batch_size=BATCH * 4)
    return len(events)


register(HistoryImporter(), action=Action.ONBOARD_ORGANISATION)
