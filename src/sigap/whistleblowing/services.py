"""Every state change of a WBS report: submit, follow up, read, reply, status, retention.

Who may act is decided here, once per function, whoever calls it (a page or a command):

- the inspector-side functions take the acting `user` and check it with `_authorise`
  (sigap.access, `Action.WBS_HANDLE` on the report's unit) before any key is unwrapped or
  anything written; a refusal raises PermissionDenied and writes nothing. The pages ask
  sigap.access only to decide what to list. Every access is audited.
- the reporter-side functions (`report_submit`, `reporter_add`, `reporter_view`) are public
  by design: the reporter is anonymous and has no account. Holding the receipt is the only
  proof, and the caller checks it (`receipts.find_report`, throttled). They record nothing
  about the reporter but the day.
- `retention_run` is the system's own daily job: no person decides, the retention period
  does, and the audit trail names the command.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from sigap.access import ACTION_ROLES, Action, can
from sigap.accounts.models import RoleAssignment
from sigap.audit.services import audit_record
from sigap.organisation.models import Unit
from sigap.whistleblowing import crypto, receipts
from sigap.whistleblowing.conf import setting
from sigap.whistleblowing.files import Evidence
from sigap.whistleblowing.models import Attachment, InspectorKey, KeyWrap, Message, Report

MAX_TEXT = 10_000


def retention_days() -> int:
    return setting("WBS_RETENTION_DAYS")


def warning_days() -> int:
    return setting("WBS_DELETION_WARNING_DAYS")


def _text(value: str, field: str, *, required: bool = True) -> str:
    value = value.strip()
    if required and not value:
        raise ValidationError({field: _("This field is required.")})
    if len(value) > MAX_TEXT:
        raise ValidationError({field: _("At most %d characters.") % MAX_TEXT})
    return value


def inspector_key(user: User) -> InspectorKey:
    """The user's key pair, made on first use. No check of its own: a key pair opens nothing
    without a wrap for it, and wraps are made only for inspectors authorised over the report
    (`authorised_inspectors`, or after `_authorise`)."""
    key = InspectorKey.objects.filter(user=user).first()
    if key is None:
        public, sealed = crypto.new_key_pair(user.pk)
        key, _created = InspectorKey.objects.get_or_create(
            user=user,
            defaults={
                "public_key": public,
                "private_key_sealed": sealed,
                "created_on": timezone.localdate(),
            },
        )
    return key


def authorised_inspectors(unit: Unit) -> list[User]:
    """Users holding a WBS role over the unit or one of its ancestors."""
    ancestor_ids = [int(p) for p in unit.path.strip("/").split("/") if p]
    user_ids = RoleAssignment.objects.filter(
        unit_id__in=ancestor_ids, role__in=list(ACTION_ROLES[Action.WBS_HANDLE])
    ).values_list("user_id", flat=True)
    return list(User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk"))


def _wrap_for(report: Report, user: User, data_key: bytes) -> None:
    key = inspector_key(user)
    KeyWrap.objects.create(
        report=report,
        user=user,
        wrapped=crypto.wrap_for(bytes(key.public_key), data_key, crypto.aad(report.locator, "dk")),
    )


def _store_files(
    report: Report, message: Message | None, data_key: bytes, files: list[Evidence]
) -> None:
    for f in files:
        att = Attachment.objects.create(report=report, message=message, meta=b"", data=b"")
        label = f"file {att.pk}"
        att.meta = crypto.seal(
            data_key,
            json.dumps({"name": f.name, "type": f.content_type, "size": len(f.data)}).encode(),
            crypto.aad(report.locator, label + " meta"),
        )
        att.data = crypto.seal(data_key, f.data, crypto.aad(report.locator, label))
        att.save(update_fields=["meta", "data"])


@transaction.atomic
def report_submit(
    *,
    unit: Unit,
    what: str,
    when: str = "",
    service: str = "",
    files: list[Evidence] | None = None,
) -> tuple[Report, str]:
    """File an anonymous report. Returns it and the receipt, which is shown once and never
    stored.

    Public by design: anyone may report, anonymously, without an account.
    """
    what = _text(what, "what")
    when = _text(when, "when", required=False)[:200]
    service = _text(service, "service", required=False)[:200]
    today = timezone.localdate()
    data_key = crypto.new_data_key()
    for _attempt in range(20):
        receipt = receipts.new_receipt()
        locator = receipt[: receipts.LOCATOR_DIGITS]
        if not Report.objects.filter(locator=locator).exists():
            break
    else:  # pragma: no cover - a million locators in use
        raise RuntimeError("no free WBS locator")
    content = json.dumps({"what": what, "when": when, "service": service}).encode()
    try:
        with transaction.atomic():
            report = Report.objects.create(
                locator=locator,
                receipt_hash=receipts.hash_receipt(receipt),
                unit=unit,
                created_on=today,
                last_activity_on=today,
                delete_after=today + timedelta(days=retention_days()),
                content=crypto.seal(data_key, content, crypto.aad(locator, "content")),
            )
    except IntegrityError:  # pragma: no cover - a concurrent report took the same locator
        raise RuntimeError("WBS locator collision, submit again") from None
    KeyWrap.objects.create(report=report, user=None, wrapped=crypto.wrap_escrow(locator, data_key))
    for inspector in authorised_inspectors(unit):
        _wrap_for(report, inspector, data_key)
    _store_files(report, None, data_key, files or [])
    return report, receipt


def _escrow_key(report: Report) -> bytes:
    wrap = KeyWrap.objects.get(report=report, user__isnull=True)
    return crypto.unwrap_escrow(report.locator, bytes(wrap.wrapped))


def _touch(report: Report) -> None:
    today = timezone.localdate()
    report.last_activity_on = today
    report.delete_after = today + timedelta(days=retention_days())
    report.deletion_warned_on = None
    report.save(update_fields=["last_activity_on", "delete_after", "deletion_warned_on"])


def _new_message(report: Report, author: str, *, inspector: User | None = None) -> Message:
    """The next message of the conversation: a random id, the day, and its place in the
    conversation (the report row is locked so a reporter and an inspector writing at once do
    not take the same place)."""
    list(Report.objects.select_for_update().filter(pk=report.pk).values_list("pk", flat=True))
    last = report.messages.aggregate(last=Max("seq"))["last"] or 0
    return Message.objects.create(
        report=report,
        author=author,
        inspector=inspector,
        created_on=timezone.localdate(),
        seq=last + 1,
        body=b"",
    )


@transaction.atomic
def reporter_add(*, report: Report, text: str, files: list[Evidence] | None = None) -> Message:
    """The reporter, holding the receipt, adds information. Only the day is recorded.

    Public by design: the anonymous reporter acts; the caller has checked the receipt.
    """
    text = _text(text, "text", required=not files)
    data_key = _escrow_key(report)
    message = _new_message(report, Message.Author.REPORTER)
    message.body = crypto.seal(
        data_key, text.encode(), crypto.aad(report.locator, f"msg {message.pk}")
    )
    message.save(update_fields=["body"])
    _store_files(report, message, data_key, files or [])
    _touch(report)
    return message


# Reading -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttachmentView:
    pk: int
    name: str
    content_type: str
    size: int


@dataclass(frozen=True)
class MessageView:
    author: str
    created_on: date
    text: str
    attachments: list[AttachmentView]


@dataclass(frozen=True)
class ReportView:
    report: Report
    what: str
    when: str
    service: str
    attachments: list[AttachmentView]
    messages: list[MessageView]


def _decrypt(report: Report, data_key: bytes) -> ReportView:
    content = json.loads(
        crypto.unseal(data_key, bytes(report.content), crypto.aad(report.locator, "content"))
    )
    by_message: dict[int | None, list[AttachmentView]] = {}
    for att in report.attachments.all():
        meta = json.loads(
            crypto.unseal(
                data_key, bytes(att.meta), crypto.aad(report.locator, f"file {att.pk} meta")
            )
        )
        by_message.setdefault(att.message_id, []).append(
            AttachmentView(att.pk, meta["name"], meta["type"], meta["size"])
        )
    for files in by_message.values():
        files.sort(key=lambda f: (f.name, f.pk))  # the ids are random: by name
    messages = [
        MessageView(
            author=m.author,
            created_on=m.created_on,
            text=crypto.unseal(
                data_key, bytes(m.body), crypto.aad(report.locator, f"msg {m.pk}")
            ).decode(),
            attachments=by_message.get(m.pk, []),
        )
        for m in report.messages.order_by("seq")
    ]
    return ReportView(
        report=report,
        what=content["what"],
        when=content["when"],
        service=content["service"],
        attachments=by_message.get(None, []),
        messages=messages,
    )


def reporter_view(*, report: Report) -> ReportView:
    """What the reporter sees after giving the receipt (the caller has checked it)."""
    return _decrypt(report, _escrow_key(report))


def _authorise(user: User, report: Report) -> None:
    """The one authorisation check of the inspector-side functions; PermissionDenied when
    `user` holds no WBS role over the report's unit."""
    if not can(user, Action.WBS_HANDLE, report.unit):
        raise PermissionDenied(_("Only the Inspektorat over this unit may handle this report."))


def _inspector_data_key(user: User, report: Report) -> bytes:
    """Unwrap with the inspector's own key; an inspector newly assigned to the unit is granted
    a wrap from the escrow first (audited)."""
    wrap = KeyWrap.objects.filter(report=report, user=user).first()
    if wrap is None:
        _wrap_for(report, user, _escrow_key(report))
        audit_record(actor=user, action="wbs.keys_grant", obj=report, data={"user_id": user.pk})
        wrap = KeyWrap.objects.get(report=report, user=user)
    key = inspector_key(user)
    return crypto.unwrap_with(
        user.pk,
        bytes(key.private_key_sealed),
        bytes(key.public_key),
        bytes(wrap.wrapped),
        crypto.aad(report.locator, "dk"),
    )


@transaction.atomic
def inspector_read(*, report: Report, user: User) -> ReportView:
    """Decrypt a report for an authorised inspector; audited (a read that writes: the audit
    entry, and the inspector's key wrap the first time)."""
    _authorise(user, report)
    view = _decrypt(report, _inspector_data_key(user, report))
    audit_record(actor=user, action="wbs.read", obj=report)
    return view


@transaction.atomic
def inspector_reply(*, report: Report, user: User, text: str) -> Message:
    _authorise(user, report)
    text = _text(text, "text")
    data_key = _inspector_data_key(user, report)
    message = _new_message(report, Message.Author.INSPECTOR, inspector=user)
    message.body = crypto.seal(
        data_key, text.encode(), crypto.aad(report.locator, f"msg {message.pk}")
    )
    message.save(update_fields=["body"])
    if report.status == Report.Status.NEW:
        report.status = Report.Status.IN_REVIEW
        report.save(update_fields=["status"])
    _touch(report)
    audit_record(actor=user, action="wbs.reply", obj=report, data={"message_id": message.pk})
    return message


@transaction.atomic
def inspector_set_status(*, report: Report, user: User, status: str) -> Report:
    _authorise(user, report)
    if status not in Report.Status.values:
        raise ValidationError({"status": _("Unknown status “%s”.") % status})
    old = report.status
    if old != status:
        report.status = status
        report.save(update_fields=["status"])
        audit_record(actor=user, action="wbs.status", obj=report, data={"old": old, "new": status})
    return report


@transaction.atomic
def attachment_read(*, attachment: Attachment, user: User) -> tuple[str, str, bytes]:
    """(file name, content type, bytes) of an evidence file, for an authorised inspector."""
    report = attachment.report
    _authorise(user, report)
    data_key = _inspector_data_key(user, report)
    aad = crypto.aad(report.locator, f"file {attachment.pk}")
    meta = json.loads(crypto.unseal(data_key, bytes(attachment.meta), aad + b" meta"))
    data = crypto.unseal(data_key, bytes(attachment.data), aad)
    audit_record(
        actor=user, action="wbs.attachment_read", obj=report, data={"attachment_id": attachment.pk}
    )
    return meta["name"], meta["type"], data


# Retention -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RetentionResult:
    warned: list[str]
    deleted: list[str]


@transaction.atomic
def retention_run(
    *, today: date | None = None, actor: Any = "sigap wbs retention"
) -> RetentionResult:
    """Delete reports past their retention date; flag those within the warning period.

    The system's own daily job (`sigap wbs retention`), so it takes no user: nobody decides,
    the retention period does; `actor` is the label the audit trail gives the run.

    The flag shows on the Inspektorat's list, so a report still needed can be kept by any
    activity (a reply) before it goes.
    """
    today = today or timezone.localdate()
    notice = timedelta(days=warning_days())
    warned: list[str] = []
    for report in Report.objects.filter(
        delete_after__lte=today + notice, deletion_warned_on__isnull=True
    ):
        # The warning always comes the full notice period before the deletion.
        report.deletion_warned_on = today
        report.delete_after = max(report.delete_after, today + notice)
        report.save(update_fields=["deletion_warned_on", "delete_after"])
        audit_record(
            actor=actor,
            action="wbs.deletion_warning",
            obj=report,
            data={"delete_after": report.delete_after.isoformat()},
        )
        warned.append(report.locator)
    deleted: list[str] = []
    for report in Report.objects.filter(delete_after__lt=today, deletion_warned_on__isnull=False):
        audit_record(
            actor=actor, action="wbs.delete_expired", obj=report, data={"report_id": report.pk}
        )
        deleted.append(report.locator)
        report.delete()
    return RetentionResult(warned, deleted)
