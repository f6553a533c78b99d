"""How an audit entry reads to a person: its action, actor, object and details as labelled lines
in the reader's language.

The stored entry keeps its codes and its JSON as they are (the chain hashes them, and a filter
or an export needs the codes); only the page translates. Codes found in the details (a status,
a predikat, a kind) are read through the choices of the field they come from, looked up in the
app registry at render time, so the audit app imports none of the apps it records.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import formats, timezone
from django.utils.dates import WEEKDAYS
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sigap.rules.ikm import element
from sigap.web import formatting

ACTIONS: dict[str, Promise] = {
    "appraisal.absence": _("Absence recorded"),
    "appraisal.correction": _("Final SKP rating corrected"),
    "appraisal.calibration": _("SKP rating calibrated by HR"),
    "appraisal.finalise": _("SKP rating made final"),
    "appraisal.integrity_justification": _("Very good rating justified despite a finding"),
    "appraisal.org_rating": _("Organisation predikat set"),
    "appraisal.potential_import": _("Potential scores imported"),
    "auth.2fa_enrol": _("Two-step verification set up"),
    "auth.2fa_failed": _("Wrong verification code"),
    "auth.2fa_recovery_renew": _("New backup codes made"),
    "auth.2fa_recovery_used": _("Backup code used"),
    "auth.2fa_reset": _("Two-step verification reset"),
    "auth.login": _("Logged in"),
    "auth.login_failed": _("Failed log-in"),
    "booking.cancel": _("Counter visit cancelled"),
    "booking.make": _("Counter visit booked"),
    "booking.move": _("Counter visit moved"),
    "booking.no_show": _("Applicant did not come"),
    "booking.plan_remove": _("Counter hours removed"),
    "booking.plan_set": _("Counter hours set"),
    "booking.remind": _("Visit reminders sent"),
    "booking.slots_generate": _("Counter visit times opened"),
    "competency.assessment_import": _("Competency assessment results imported"),
    "competency.assessment_record": _("Competency assessment result recorded"),
    "competency.certificate_download": _("Training certificate downloaded"),
    "competency.training_import": _("Training records imported from SIASN"),
    "competency.training_record": _("Training record added"),
    "competency.standard_edit": _("Required competency levels changed"),
    "competency.standard_import": _("Competency standard imported"),
    "competency.standard_new": _("New version of the competency standard"),
    "competency.step_link": _("Competencies of a procedure step changed"),
    "competency.technical_add": _("Technical competency added"),
    "competency.technical_edit": _("Technical competency edited"),
    "complaint.escalate": _("Complaint escalated"),
    "complaint.reporter_link": _("New reporter link issued"),
    "complaint.status": _("Complaint status changed"),
    "devplan.hr_approve": _("Development plan (AKPK) approved by HR"),
    "devplan.item_edit": _("Development plan (AKPK) item changed"),
    "devplan.unit_approve": _("Development plan (AKPK) approved by the unit head"),
    "document.attach": _("Document attached"),
    "document.delete": _("Document deleted"),
    "document.download": _("Document downloaded"),
    "idea.accept": _("Idea accepted into the innovation registry"),
    "iid.answers_set": _("IID answers of an innovation saved"),
    "iid.evidence_download": _("IID supporting document downloaded"),
    "iid.spd_answer_set": _("IID regional indicator answer saved"),
    "idea.decline": _("Idea not taken up"),
    "idea.endorse": _("Idea endorsed"),
    "idea.propose": _("Improvement idea proposed"),
    "innovation.create": _("Innovation registered"),
    "innovation.replication": _("Replication of an innovation recorded"),
    "innovation.stage": _("Stage of an innovation changed"),
    "innovation.update": _("Innovation profile changed"),
    "integrity.confirmed": _("Integrity signal confirmed as a finding"),
    "integrity.dismissed": _("Integrity signal dismissed"),
    "integrity.refresh": _("Integrity signals recomputed"),
    "integrity.assign": _("Integrity signal assigned to an inspector"),
    "integrity.close": _("Integrity signal closed with a note"),
    "standard.draft": _("Draft of a service standard started"),
    "standard.edit": _("Draft of a service standard edited"),
    "standard.discard": _("Draft of a service standard discarded"),
    "standard.publish": _("Service standard published"),
    "standard.consultation": _("Public consultation on a draft standard opened"),
    "standard.comment": _("Public comment on a draft standard received"),
    "standard.comment_answer": _("Public comment answered"),
    "standard.hearing": _("Consultation hearing recorded"),
    "standard.import": _("Service standard imported (onboarding)"),
    "onboarding.agency": _("Agency created or updated (onboarding)"),
    "onboarding.dry_run": _("Import checked without writing (dry run)"),
    "onboarding.apply": _("Import applied (onboarding)"),
    "onboarding.units": _("Unit tree imported (onboarding)"),
    "onboarding.employees": _("Employees imported from SIASN (onboarding)"),
    "onboarding.history": _("Request history imported (onboarding)"),
    "account.create": _("Staff account created"),
    "account.activation_link": _("Account activation link issued"),
    "account.activate": _("Account activated by its holder"),
    "document.sign": _("Service product signed electronically"),
    "lapor.export": _("SP4N-LAPOR! reconciliation list downloaded"),
    "notification.given_up": _("Message could not be delivered"),
    "payment.import": _("Bank statement imported"),
    "payment.reconcile": _("Payment matched to a request"),
    "payment.record": _("Payment recorded"),
    "privacy.breach": _("Data breach recorded"),
    "privacy.breach_notified": _("Data breach notice sent"),
    "privacy.dpo": _("Data protection officer changed"),
    "privacy.fulfil": _("Personal data request fulfilled"),
    "privacy.refuse": _("Personal data request refused"),
    "privacy.request": _("Personal data request received"),
    "privacy.retention": _("Personal data past its retention removed"),
    "request.applicant_fix": _("Applicant corrected the application"),
    "request.sla_apology": _("Apologies for late requests sent"),
    "roadmap.status": _("Roadmap action status changed"),
    "role.assign": _("Role given"),
    "role.grant_approve": _("Inspector role approved"),
    "role.grant_refuse": _("Inspector role refused"),
    "role.grant_request": _("Inspector role requested"),
    "role.revoke": _("Role taken away"),
    "settings.add": _("Setting added"),
    "settings.change": _("Setting changed"),
    "settings.delete": _("Setting deleted"),
    "survey.follow_up": _("SKM follow-up planned"),
    "wbs.attachment_read": _("Whistleblowing attachment opened"),
    "wbs.delete_expired": _("Whistleblowing report deleted after its retention"),
    "wbs.deletion_warning": _("Whistleblowing deletion announced"),
    "wbs.keys_grant": _("Whistleblowing case opened to an inspector"),
    "wbs.read": _("Whistleblowing case read"),
    "wbs.reply": _("Reply to a whistleblower"),
    "wbs.status": _("Whistleblowing case status changed"),
}

# Actors that are not a user: what the entry was made by, as a person would name it.
ACTORS: dict[str, Promise] = {
    "system": _("System"),
    "anonymous": _("Someone not logged in"),
    "applicant": _("Applicant"),
    "staff": _("Staff"),
    "sigap analyze": _("Automatic task: process analysis"),
    "sigap audit": _("Automatic task: audit trail check"),
    "sigap bookings_remind": _("Automatic task: visit reminders"),
    "sigap complaints_autoclose": _("Automatic task: closing answered complaints"),
    "sigap documents retention": _("Automatic task: document retention"),
    "sigap integrity refresh": _("Automatic task: integrity signals"),
    "sigap notify": _("Automatic task: messages"),
    "sigap privacy": _("Automatic task: personal data retention"),
    "sigap requests_sla_apology": _("Automatic task: apologies for late requests"),
    "sigap totp secret": _("Automatic task: two-step verification keys"),
    "sigap wbs retention": _("Automatic task: whistleblowing retention"),
}

# The names of the details' keys (and of the counts and fields listed inside them).
KEYS: dict[str, Promise] = {
    "action": _("Step"),
    "added": _("Added"),
    "amount": _("Amount"),
    "assignee": _("Assigned to"),
    "attachment_id": _("Attachment"),
    "attempts": _("Attempts"),
    "attendance": _("Attendance"),
    "by": _("By"),
    "capacity": _("Places"),
    "cases": _("Cases"),
    "changes": _("Changes"),
    "chars": _("Length of the justification (characters)"),
    "client": _("Device (pseudonymised)"),
    "client_hash": _("Device marks"),
    "closes_on": _("Closes on"),
    "code": _("Code"),
    "adopted_on": _("Adopted on"),
    "adopter_unit": _("Adopting unit"),
    "category": _("Category"),
    "complaint_identity": _("Reporters' names and contacts"),
    "competency": _("Competency"),
    "complaints": _("Complaints"),
    "correction": _("Correction"),
    "counts": _("Removed"),
    "created": _("Created"),
    "date": _("Date"),
    "day": _("Day"),
    "days": _("Days"),
    "delete_after": _("Deleted after"),
    "documents": _("Documents"),
    "file": _("File"),
    "due": _("Due"),
    "element": _("SKM unsur"),
    "employee": _("Employee"),
    "ended_version": _("Version ended"),
    "fields": _("Fields"),
    "first": _("From"),
    "flagged": _("Flagged"),
    "from": _("From"),
    "from_version": _("Copied from version"),
    "gap": _("Gap"),
    "grant_id": _("Grant"),
    "held_on": _("Held on"),
    "id": _("Number"),
    "innovation": _("Innovation"),
    "kind": _("Kind"),
    "last": _("Until"),
    "level": _("Level"),
    "late": _("Late"),
    "left": _("Codes left"),
    "matched": _("Matched to a record"),
    "message_id": _("Message"),
    "method": _("Method"),
    "model": _("Kind of record"),
    "name": _("Name"),
    "new": _("New"),
    "object": _("Record"),
    "object_id": _("Record number"),
    "officer": _("Officer"),
    "on": _("From"),
    "old": _("Previous"),
    "opens_on": _("Opens on"),
    "paused_seconds": _("Paused (seconds)"),
    "payments": _("Payments"),
    "period": _("Period"),
    "predikat": _("Predikat"),
    "privacy_export": _("Copies of personal data"),
    "privacy_request": _("Personal data requests"),
    "privacy_unmatched": _("Unmatched personal data requests"),
    "purpose": _("Purpose"),
    "queued": _("Messages queued"),
    "rate_counter": _("Submission counters"),
    "reason": _("Reason"),
    "region": _("Region"),
    "replica": _("Replica"),
    "roadmap_action": _("Roadmap action"),
    "recipient": _("Recipient"),
    "reconciled": _("Matched"),
    "removed": _("Removed"),
    "records": _("Records"),
    "reference": _("Reference"),
    "reopened": _("Reopened"),
    "replaced": _("Replaced an earlier link"),
    "report_id": _("Report"),
    "request": _("Request"),
    "request_identity": _("Applicants' names, contacts and NIK"),
    "requested_by_id": _("Requested by"),
    "requests": _("Requests"),
    "requirements": _("Requirements"),
    "role": _("Role"),
    "rows": _("Rows"),
    "budget": _("Budget (Rp)"),
    "jp": _("JP"),
    "month": _("Month"),
    "provider": _("Provider"),
    "route": _("Development route"),
    "seq": _("Step number"),
    "service": _("Service"),
    "services": _("Services"),
    "services_before": _("Services before"),
    "sha256": _("File fingerprint"),
    "signal": _("Signal"),
    "signals": _("Signals"),
    "size": _("Size (bytes)"),
    "skipped": _("Skipped"),
    "slot": _("Visit time"),
    "source": _("Source"),
    "start": _("Start"),
    "status": _("Status"),
    "step": _("Procedure step"),
    "steps": _("Procedure steps"),
    "subjects": _("People affected"),
    "survey_comment": _("Survey comments"),
    "consultation_contact": _("Contacts of comments on draft standards"),
    "survey_comments": _("Survey comments"),
    "surveys": _("Questionnaires"),
    "time": _("Time"),
    "to": _("To"),
    "to_unit": _("Escalated to"),
    "units": _("Units"),
    "units_before": _("Units before"),
    "tracking_lookup": _("Tracking look-ups"),
    "user": _("User"),
    "user_id": _("User"),
    "valid_from": _("In force from"),
    "version": _("Version"),
    "weekday": _("Day of the week"),
    "year": _("Year"),
    "files": _("Supporting documents (fingerprints)"),
    "parameters": _("Parameters (before, after)"),
    "indicator": _("Indicator"),
    "target_kpi": _("Indicator it aims to improve"),
    "target_kpi_before": _("Indicator it aimed to improve before"),
}

# Where a detail's code comes from: (action, or "" for any action; key) -> (model, field).
CODES: dict[tuple[str, str], tuple[str, str]] = {
    ("complaint.status", "action"): ("complaints.ComplaintEvent", "action"),
    ("complaint.status", "from"): ("complaints.Complaint", "status"),
    ("complaint.status", "to"): ("complaints.Complaint", "status"),
    ("devplan.item_edit", "route"): ("competency.PlanItem", "route"),
    ("devplan.unit_approve", "from"): ("competency.DevelopmentPlan", "status"),
    ("devplan.unit_approve", "to"): ("competency.DevelopmentPlan", "status"),
    ("devplan.hr_approve", "from"): ("competency.DevelopmentPlan", "status"),
    ("devplan.hr_approve", "to"): ("competency.DevelopmentPlan", "status"),
    ("innovation.stage", "from"): ("innovation.Innovation", "stage"),
    ("innovation.stage", "to"): ("innovation.Innovation", "stage"),
    ("", "target_kpi"): ("innovation.Innovation", "target_kpi"),
    ("", "target_kpi_before"): ("innovation.Innovation", "target_kpi"),
    ("idea.propose", "source"): ("innovation.Idea", "source"),
    ("idea.propose", "category"): ("complaints.Complaint", "category"),
    ("roadmap.status", "from"): ("leadership.RoadmapAction", "status"),
    ("roadmap.status", "to"): ("leadership.RoadmapAction", "status"),
    ("wbs.status", "old"): ("whistleblowing.Report", "status"),
    ("wbs.status", "new"): ("whistleblowing.Report", "status"),
    ("appraisal.correction", "old"): ("appraisals.Appraisal", "predikat"),
    ("appraisal.correction", "new"): ("appraisals.Appraisal", "predikat"),
    ("appraisal.calibration", "old"): ("appraisals.Appraisal", "predikat"),
    ("appraisal.calibration", "new"): ("appraisals.Appraisal", "predikat"),
    ("appraisal.org_rating", "predikat"): ("appraisals.OrgRating", "predikat"),
    ("", "predikat"): ("appraisals.Appraisal", "predikat"),
    ("integrity.confirmed", "kind"): ("integrity.IntegritySignal", "kind"),
    ("integrity.dismissed", "kind"): ("integrity.IntegritySignal", "kind"),
    ("integrity.assign", "kind"): ("integrity.IntegritySignal", "kind"),
    ("integrity.close", "kind"): ("integrity.IntegritySignal", "kind"),
    ("standard.comment_answer", "status"): ("catalogue.ConsultationComment", "status"),
    ("privacy.request", "kind"): ("privacy.PrivacyRequest", "kind"),
    ("privacy.fulfil", "kind"): ("privacy.PrivacyRequest", "kind"),
    ("privacy.refuse", "kind"): ("privacy.PrivacyRequest", "kind"),
    ("competency.assessment_record", "method"): ("competency.Assessment", "method"),
    ("competency.training_record", "route"): ("competency.TrainingRecord", "route"),
    ("", "role"): ("accounts.RoleAssignment", "role"),
    ("", "source"): ("payments.Payment", "source"),
    ("", "purpose"): ("documents.Document", "purpose"),
}
# Details that are the number of a record: shown by the record's name.
RECORDS: dict[str, tuple[str, str]] = {
    "assignee": ("auth.User", "username"),
    "competency": ("competency.Competency", "name"),
    "employee": ("organisation.Employee", "name"),
    "adopter_unit": ("organisation.Unit", "name"),
    "innovation": ("innovation.Innovation", "name"),
    "replica": ("innovation.Innovation", "name"),
    "roadmap_action": ("leadership.RoadmapAction", "title_text"),
    "services": ("catalogue.Service", "name"),
    "services_before": ("catalogue.Service", "name"),
    "units": ("organisation.Unit", "name"),
    "units_before": ("organisation.Unit", "name"),
    "officer": ("organisation.Employee", "name"),
    "to_unit": ("organisation.Unit", "name"),
    "user_id": ("auth.User", "username"),
    "requested_by_id": ("auth.User", "username"),
}
REASONS: dict[str, Promise] = {"retention": _("the retention period is over")}
# Other apps add readers of their own codes (the roadmap's gap), see `register`.
READERS: dict[str, Callable[[str], str]] = {}

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


@dataclass(frozen=True)
class Line:
    label: str
    value: str


def register(key: str, reader: Callable[[str], str]) -> None:
    """Let an app read a detail's code it owns (called from its AppConfig.ready)."""
    READERS[key] = reader


def action_label(code: str) -> str:
    label = ACTIONS.get(code)
    return str(label) if label is not None else _humane(code)


def actor_label(actor: str) -> str:
    label = ACTORS.get(actor)
    return str(label) if label is not None else actor


def object_label(object_type: str, object_id: str) -> str:
    if not object_type:
        return "—"
    model = _model(object_type)
    name = capfirst(str(model._meta.verbose_name)) if model is not None else _humane(object_type)
    return f"{name} {object_id}".strip()


def detail_lines(
    action: str, data: dict[str, Any], records: Mapping[tuple[str, int], str] | None = None
) -> list[Line]:
    """One labelled line per detail of the entry, its value in words (a line said twice, such
    as a user's name and number, once). `records`: the names `record_names` read for a whole
    page at once; without it each record named in `data` is read on its own."""
    lines: list[Line] = []
    for key, value in data.items():
        line = Line(_key(key), _value(action, key, value, records))
        if line not in lines:
            lines.append(line)
    return lines


def record_names(datas: Iterable[dict[str, Any]]) -> dict[tuple[str, int], str]:
    """The names of every record the entries' details point to (an employee, a user...), read
    with one query per kind of record instead of one per detail."""
    wanted: dict[str, set[int]] = {}
    for data in datas:
        for key, value in data.items():
            if key in RECORDS and isinstance(value, int) and not isinstance(value, bool):
                wanted.setdefault(key, set()).add(value)
    names: dict[tuple[str, int], str] = {}
    by_model: dict[tuple[str, str], set[int]] = {}
    for key, ids in wanted.items():
        by_model.setdefault(RECORDS[key], set()).update(ids)
    for (model_label, attribute), ids in by_model.items():
        model = _model(model_label)
        if model is None:
            continue
        found = {pk: str(getattr(obj, attribute)) for pk, obj in model.objects.in_bulk(ids).items()}
        for key, ids_of_key in wanted.items():
            if RECORDS[key] == (model_label, attribute):
                names.update({(key, pk): found[pk] for pk in ids_of_key if pk in found})
    return names


def _key(key: str) -> str:
    label = KEYS.get(key)
    return str(label) if label is not None else _humane(key)


def _humane(code: str) -> str:
    """A code no label was written for yet, made readable rather than shown raw."""
    return capfirst(re.sub(r"[._]+", " ", code))


def _model(label: str) -> Any:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _choice(model_label: str, field: str, code: str) -> str | None:
    model = _model(model_label)
    if model is None:
        return None
    try:
        choices = dict(model._meta.get_field(field).flatchoices)
    except FieldDoesNotExist:
        return None
    label = choices.get(code)
    return str(label) if label is not None else None


def _record(key: str, value: Any) -> str | None:
    model_label, attribute = RECORDS[key]
    model = _model(model_label)
    found = model.objects.filter(pk=value).first() if model is not None else None
    return str(getattr(found, attribute)) if found is not None else None


def _value(
    action: str, key: str, value: Any, records: Mapping[tuple[str, int], str] | None = None
) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if key == "weekday" and isinstance(value, int) and value in WEEKDAYS:
        return str(WEEKDAYS[value])
    if key in RECORDS and isinstance(value, int):
        # Read for the whole page when it could be (a detail nested deeper: on its own).
        named = records.get((key, value)) if records is not None else None
        return named or _record(key, value) or str(value)
    if action.startswith("appraisal.") and key == "period" and isinstance(value, int):
        return gettext("the year") if value == 0 else str(value)
    if key == "amount" and isinstance(value, int | float):
        return formatting.money(value)
    if isinstance(value, int) and value <= 9999:
        return str(value)  # a year or a small count: never "2.026"
    if isinstance(value, int | float):
        return formatting.number(value)
    if isinstance(value, list):
        if key == "period" and len(value) == 2:
            return " – ".join(_value(action, "", v, records) for v in value)
        if key == "fields":
            return ", ".join(_key(str(v)) for v in value)
        if key == "changes":
            return _admin_changes(value)
        return ", ".join(_value(action, key, v, records) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{_key(k)}: {_value(action, k, v, records)}" for k, v in value.items())
    return _text(action, key, str(value))


def _text(action: str, key: str, value: str) -> str:
    source = CODES.get((action, key)) or CODES.get(("", key))
    if source is not None and (label := _choice(*source, value)) is not None:
        return label
    if key in READERS:
        return READERS[key](value)
    if key == "element":
        try:
            return element(value).name
        except KeyError:
            return value
    if key == "reason" and value in REASONS:
        return str(REASONS[value])
    if key == "model":
        return object_label(value, "")
    if _DATETIME.match(value):
        try:
            moment = timezone.localtime(datetime.fromisoformat(value))
        except ValueError:
            return value
        return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
    if _DATE.match(value):
        try:
            return formats.date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
        except ValueError:
            return value
    return value


def _admin_changes(message: list[Any]) -> str:
    """The admin's own change message (a JSON list), in the reader's language."""
    import json

    from django.contrib.admin.models import LogEntry

    return LogEntry(change_message=json.dumps(message)).get_change_message() or "—"
