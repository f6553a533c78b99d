"""The ways a message leaves: one small interface, `send(recipient, text) -> Outcome`.

- `EmailChannel`: Django's mail backend (SMTP in production; the file backend in the demo, so
  nothing leaves the machine; tests capture it in memory).
- `GatewayChannel`: a WhatsApp or SMS gateway speaking plain HTTP JSON — `POST <url>` with the
  token in the `Authorization` header (as Fonnte and Wablas take it) and `{"target", "message"}`
  as the body; a 2xx JSON reply is success unless it says `"status": false`. The URL and token
  come from settings (SIGAP_NOTIFY_WHATSAPP_URL / _TOKEN, SIGAP_NOTIFY_SMS_URL / _TOKEN), never
  from the repository. One kept-alive connection per channel; every call has a timeout.

A reply we cannot read, a 5xx, 408/429, a refused connection or a timeout is a failure worth
retrying (the gateway may have sent the message anyway: the citizen may then get it twice, which
beats never). Another 4xx means the gateway refuses this message: retrying cannot help.
Reasons are written for staff, in Bahasa Indonesia like the texts (the sender sets it).
"""

from __future__ import annotations

import http.client
import json
from typing import Protocol
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils.translation import gettext as _

from sigap.notifications import contact as contacts
from sigap.notifications.services import Outcome

REASON_MAX = 120  # of the gateway's own words kept in a reason


class MessageChannel(Protocol):
    def send(self, recipient: str, text: str) -> Outcome: ...

    def close(self) -> None: ...


class EmailChannel:
    def __init__(self) -> None:
        self._connection = get_connection(fail_silently=False)

    def send(self, recipient: str, text: str) -> Outcome:
        subject = _("SIGAP notification")
        message = EmailMessage(
            subject=subject,
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[recipient.strip()],
            connection=self._connection,
        )
        try:
            message.send()
        except (OSError, ValueError) as exc:  # smtplib's errors are OSErrors
            return Outcome(ok=False, error=_("The mail server refused: %s") % str(exc)[:REASON_MAX])
        return Outcome(ok=True)

    def close(self) -> None:
        self._connection.close()


def _short(value: object) -> str:
    return " ".join(str(value).split())[:REASON_MAX]


class GatewayChannel:
    def __init__(self, *, url: str, token: str, timeout: float) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("the gateway URL must be an http(s) URL")
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port
        self._path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self._token = token
        self._timeout = timeout
        self._conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            cls = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
            self._conn = cls(self._host, self._port, timeout=self._timeout)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _post(self, body: bytes) -> tuple[int, bytes]:
        headers = {
            "Authorization": self._token,
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
        for attempt in (1, 2):
            conn = self._connection()
            try:
                conn.request("POST", self._path, body=body, headers=headers)
                response = conn.getresponse()
                return response.status, response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # A kept-alive connection the gateway had closed: one fresh try, at once.
                self.close()
                if attempt == 2:
                    raise
            except BaseException:
                self.close()
                raise
        raise AssertionError("unreachable")  # pragma: no cover

    def send(self, recipient: str, text: str) -> Outcome:
        target = contacts.phone_number(recipient)
        if not target:
            return Outcome(ok=False, permanent=True, error=_("Not a phone number."))
        body = json.dumps({"target": target, "message": text}).encode()
        try:
            status, raw = self._post(body)
        except TimeoutError:
            return Outcome(
                ok=False,
                error=_("The gateway did not answer within %(s)s seconds.") % {"s": self._timeout},
            )
        except (OSError, http.client.HTTPException) as exc:
            return Outcome(ok=False, error=_("The gateway could not be reached: %s") % _short(exc))
        try:
            reply = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            reply = None
        if status >= 500 or status in (408, 429):
            return Outcome(ok=False, error=_("The gateway answered HTTP %d.") % status)
        said = reply if isinstance(reply, dict) else {}
        if status >= 400:
            detail = _short(said.get("reason") or said.get("detail") or "")
            return Outcome(
                ok=False,
                permanent=True,
                error=_("The gateway refused the message (HTTP %(status)d). %(detail)s")
                % {"status": status, "detail": detail},
            )
        if not isinstance(reply, dict):
            return Outcome(ok=False, error=_("The gateway's reply could not be read."))
        if reply.get("status") is False:
            reason = _short(reply.get("reason") or reply.get("detail") or "")
            return Outcome(ok=False, error=_("The gateway did not send it: %s") % reason)
        ident = reply.get("id", reply.get("message_id", ""))
        if isinstance(ident, list):
            ident = ident[0] if ident else ""
        return Outcome(ok=True, provider_id=_short(ident))
