"""Electronic signing of service products through a BSrE "esign" server (docs/integrations.md,
"BSrE signing"; the legal basis is UU ITE Pasal 11 and PP 71/2019 Pasal 59–60).

One small interface, `Signer.sign(pdf, *, signer_nik, passphrase, reason, location) -> bytes`,
and one adapter, `BsreSigner`, for the two shapes local governments' esign servers speak:

- v2 (the default, SIGAP_SIGNING_API=v2): `POST {base}/api/v2/sign/pdf`, a JSON body with the
  signer (`nik`, or `email`), `passphrase`, `signatureProperties` (one invisible signature with
  its reason and location) and `file` (the PDF, base64); the answer's `file[0]` is the signed
  PDF, base64.
- v1 (SIGAP_SIGNING_API=v1): `POST {base}/api/sign/pdf`, multipart with `file`, `nik`,
  `passphrase` and `tampilan=invisible`; the answer is the signed PDF itself.

Both go with HTTP Basic auth (SIGAP_SIGNING_USER / SIGAP_SIGNING_PASSWORD: sigap's account on
the esign server, from the environment only) and a timeout (SIGAP_SIGNING_TIMEOUT_SECONDS).

The signer's passphrase is typed by the officer for one signature and passed straight through:
it is never stored, logged, put in an exception, an `Exchange` row or the audit trail. So is the
NIK (SIGAP_SIGNING_IDENTITY=nik, the default: BSrE knows a signer by NIK, and sigap's employee
records do not hold one, so the officer types it with the passphrase); with
SIGAP_SIGNING_IDENTITY=email the officer's sigap e-mail address names them instead (v2 only).

What comes back is checked: it must be a PDF (its bytes, `sigap.documents.sniff`) and differ from
what was sent. Every failure is a `SigningError` whose message is for the officer (Bahasa
Indonesia through gettext): the server's own words for a refusal (a wrong passphrase is a 4xx
with "Passphrase anda salah" or the like), "cannot be reached", "did not answer in time".
"""

from __future__ import annotations

import base64
import http.client
import json
import secrets
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from sigap.documents.sniff import Kind, sniff

SERVER_WORDS_MAX = 200  # of the server's own message kept for the officer and the record
API_VERSIONS = ("v2", "v1")
IDENTITIES = ("nik", "email")


class SigningError(Exception):
    """Signing failed; `message` is for the officer, `summary` for the Exchange record (both
    free of the passphrase and the NIK), `status_code` the server's HTTP status if it answered."""

    def __init__(self, message: str, *, summary: str, status_code: int | None = None) -> None:
        super().__init__(summary)
        self.message = message
        self.summary = summary[:300]
        self.status_code = status_code


@dataclass(frozen=True)
class SigningConf:
    enabled: bool
    api: str
    url: str
    user: str
    password: str
    timeout: float
    identity: str


def conf() -> SigningConf:
    """The signing settings (settings.SIGAP, read from the environment), with defaults."""
    s: dict[str, object] = getattr(settings, "SIGAP", {})

    def get(key: str, default: object) -> str:
        value = s.get(key)
        return str(default if value in (None, "") else value).strip()

    api = get("SIGNING_API", "v2").lower()
    identity = get("SIGNING_IDENTITY", "nik").lower()
    return SigningConf(
        enabled=get("SIGNING_ENABLED", "false").lower() in ("1", "true", "yes", "on"),
        api=api if api in API_VERSIONS else "v2",
        url=get("SIGNING_URL", "").rstrip("/"),
        user=get("SIGNING_USER", ""),
        password=get("SIGNING_PASSWORD", ""),
        timeout=float(get("SIGNING_TIMEOUT_SECONDS", 30)),
        identity=identity if identity in IDENTITIES else "nik",
    )


class Signer(Protocol):
    api: str

    def sign(
        self,
        pdf: bytes,
        *,
        signer_nik: str = "",
        signer_email: str = "",
        passphrase: str,
        reason: str,
        location: str,
    ) -> bytes: ...


def _server_words(raw: bytes) -> str:
    """The message of an esign server's error answer: its JSON `error`/`message` (BSrE answers
    `{"status_code": 2031, "error": "Passphrase anda salah"}`), else its text, one line, short."""
    text = raw.decode("utf-8", "replace")
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    if isinstance(body, dict):
        for key in ("error", "message", "msg", "keterangan"):
            if isinstance(body.get(key), str) and body[key].strip():
                text = body[key]
                break
    if text.lstrip().startswith("<"):  # an HTML error page: nothing worth showing
        text = ""
    return " ".join(text.split())[:SERVER_WORDS_MAX]


class BsreSigner:
    """A BSrE esign server, v2 (JSON) or v1 (multipart)."""

    def __init__(
        self, *, url: str, user: str, password: str, timeout: float, api: str = "v2"
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("the signing server URL must be an http(s) URL")
        if api not in API_VERSIONS:
            raise ValueError(f"unknown BSrE API {api!r}: v2 or v1")
        self.api = api
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port
        self._base = parts.path.rstrip("/")
        self._auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        self._timeout = timeout

    @property
    def operation(self) -> str:
        return "sign/pdf v2" if self.api == "v2" else "sign/pdf v1"

    def sign(
        self,
        pdf: bytes,
        *,
        signer_nik: str = "",
        signer_email: str = "",
        passphrase: str,
        reason: str,
        location: str,
    ) -> bytes:
        if not (signer_nik or signer_email):
            raise ValueError("a signer: a NIK or an e-mail address")
        if self.api == "v1":
            if not signer_nik:
                raise SigningError(
                    _("The signing server (v1) knows signers only by NIK: type your NIK."),
                    summary="v1 needs a NIK",
                )
            body, content_type = self._v1_body(pdf, signer_nik, passphrase)
            status, raw = self._post("/api/sign/pdf", body, content_type)
        else:
            body = self._v2_body(pdf, signer_nik, signer_email, passphrase, reason, location)
            status, raw = self._post("/api/v2/sign/pdf", body, "application/json")
        self._refuse_error(status, raw)
        signed = self._v1_result(raw) if self.api == "v1" else self._v2_result(raw)
        if sniff(signed[:8]) is not Kind.PDF:
            raise SigningError(
                _("The signing server did not return a PDF; nothing was recorded."),
                summary="the answer is not a PDF",
                status_code=status,
            )
        if signed == pdf:
            raise SigningError(
                _("The signing server returned the document unsigned; nothing was recorded."),
                summary="the answer is the unsigned input",
                status_code=status,
            )
        return signed

    # --- the two request shapes ---------------------------------------------------------------

    @staticmethod
    def _v2_body(
        pdf: bytes, nik: str, email: str, passphrase: str, reason: str, location: str
    ) -> bytes:
        who = {"nik": nik} if nik else {"email": email}
        return json.dumps(
            {
                **who,
                "passphrase": passphrase,
                "signatureProperties": [
                    {"tampilan": "INVISIBLE", "reason": reason, "location": location}
                ],
                "file": [base64.b64encode(pdf).decode("ascii")],
            }
        ).encode()

    @staticmethod
    def _v1_body(pdf: bytes, nik: str, passphrase: str) -> tuple[bytes, str]:
        boundary = "sigap" + secrets.token_hex(12)
        parts: list[bytes] = []
        for name, value in (("nik", nik), ("passphrase", passphrase), ("tampilan", "invisible")):
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="dokumen.pdf"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
            + pdf
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        return b"".join(parts), f"multipart/form-data; boundary={boundary}"

    # --- the call and its answer --------------------------------------------------------------

    def _post(self, path: str, body: bytes, content_type: str) -> tuple[int, bytes]:
        cls = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
        conn = cls(self._host, self._port, timeout=self._timeout)
        headers = {
            "Authorization": self._auth,
            "Content-Type": content_type,
            "Accept": "application/json, application/pdf",
        }
        try:
            conn.request("POST", self._base + path, body=body, headers=headers)
            response = conn.getresponse()
            return response.status, response.read()
        except TimeoutError:
            raise SigningError(
                _("The signing server did not answer within %(s)s seconds; try again later.")
                % {"s": f"{self._timeout:g}"},
                summary=f"no answer within {self._timeout:g} s",
            ) from None
        except (OSError, http.client.HTTPException) as exc:
            raise SigningError(
                _("The signing server cannot be reached; try again later."),
                summary=f"cannot be reached: {type(exc).__name__}",
            ) from None
        finally:
            conn.close()

    @staticmethod
    def _refuse_error(status: int, raw: bytes) -> None:
        if 200 <= status < 300:
            return
        words = _server_words(raw)
        if status == 401 or (status == 403 and not words):  # sigap's Basic account
            raise SigningError(
                _("The signing server refused sigap's access; tell the administrator."),
                summary=f"HTTP {status}: access refused",
                status_code=status,
            )
        if 400 <= status < 500:
            raise SigningError(
                _("The signing server refused: %(words)s")
                % {"words": words or _("no reason given")},
                summary=f"HTTP {status}: {words}",
                status_code=status,
            )
        raise SigningError(
            _("The signing server has a problem (HTTP %(status)s); try again later.")
            % {"status": status},
            summary=f"HTTP {status}: {words}",
            status_code=status,
        )

    @staticmethod
    def _v2_result(raw: bytes) -> bytes:
        try:
            body = json.loads(raw)
            return base64.b64decode(body["file"][0], validate=True)
        except (ValueError, KeyError, IndexError, TypeError):
            raise SigningError(
                _("The signing server's answer cannot be read; nothing was recorded."),
                summary="unreadable v2 answer",
                status_code=200,
            ) from None

    @staticmethod
    def _v1_result(raw: bytes) -> bytes:
        if raw.startswith(b"{"):  # some v1 servers answer JSON with the file in base64
            return BsreSigner._v2_result(raw)
        return raw


def configured_signer() -> BsreSigner | None:
    """The esign server sigap is configured for, or None when signing is off."""
    c = conf()
    if not c.enabled or not c.url:
        return None
    return BsreSigner(url=c.url, user=c.user, password=c.password, timeout=c.timeout, api=c.api)
