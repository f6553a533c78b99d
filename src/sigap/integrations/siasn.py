"""The SIASN (BKN) web-service adapter: read an employee's data-utama and riwayat kursus/diklat,
write the yearly SKP result (skp22) and training records back where the agency switches it on.

Off by default (SIGAP_SIASN_ENABLED); the credentials come from settings only, never the
repository (docs/integrations.md, "SIASN (BKN)"; docs/security.md, "Deployment settings").

What is VERIFIED and what is not (the integration notes, §1b and §2):
- Every API call carries two tokens: `Authorization: Bearer <gateway token>` and
  `Auth: bearer <SSO token>`. The gateway token comes from `POST /oauth2/token` with
  `grant_type=client_credentials` and HTTP Basic auth with the consumer key and secret.
- The SSO token: UNCERTAIN. Community code asks the SSO host's `public-siasn` realm for a
  password grant with the agency's SSO account and client id; that is what is done here.
- The reply envelope: UNCERTAIN. Reads are taken as `{"code": 1, "data": ...}` (as community
  code reads them; a bare object or list is accepted too); writes as `{"success": true,
  "mapData": {...}}`. A `code` other than 1 or `success: false` is a refusal.
- The codes sent with an SKP: hasil/perilaku 1 Diatas, 2 Sesuai, 3 Dibawah Ekspektasi
  (VERIFIED); the predikat as kuadranKinerjaNilai 1..5 (UNCERTAIN: the ids of SIASN's
  reference are not published). Both are in the tables below, one place each.

Every HTTP call (the two token requests included) is recorded as an `Exchange`: the operation,
the object it was about, the outcome and a short summary. Never the payload, never a token or
a credential. Tokens are kept in memory until shortly before they expire; a 401 from the API
drops them, fetches new ones and tries once more.
"""

from __future__ import annotations

import base64
import http.client
import json
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sigap.access import Action, can
from sigap.appraisals.models import YEARLY, Appraisal
from sigap.competency.models import TrainingRecord
from sigap.competency.records import parse_date, route_of, siasn_hours, training_record
from sigap.integrations.models import Exchange, System
from sigap.organisation.models import Employee
from sigap.rules.competency import Route
from sigap.rules.skp import Predikat, Rating

log = logging.getLogger(__name__)

TOKEN_MARGIN_SECONDS = 30  # a token is renewed this long before the expiry it was given
DEFAULT_TOKEN_SECONDS = 3600  # when the token reply does not say
SUMMARY_MAX = 300
DETAIL_MAX = 120  # of SIASN's own words kept in a message

# The hasil kerja / perilaku kerja rating as SIASN codes it (VERIFIED: two SDKs agree).
RATING_CODE: dict[str, int] = {
    Rating.DI_ATAS: 1,  # Diatas Ekspektasi
    Rating.SESUAI: 2,  # Sesuai Ekspektasi
    Rating.DI_BAWAH: 3,  # Dibawah Ekspektasi
}
# The predikat as kuadranKinerjaNilai (UNCERTAIN: names VERIFIED, the ids are community code's).
PREDIKAT_CODE: dict[str, int] = {
    Predikat.SANGAT_BAIK: 1,
    Predikat.BAIK: 2,
    Predikat.BUTUH_PERBAIKAN: 3,
    Predikat.KURANG: 4,
    Predikat.SANGAT_KURANG: 5,
}
# The route of a training as SIASN's jenisDiklatId and the jenisKursus text on /kursus/save.
# UNCERTAIN: SIASN's reference of training kinds is not published; the ids follow community
# code (1 struktural, 2 fungsional, 3 teknis, 4 workshop, 5 seminar, 6 kursus...). An agency
# should check them in the SIASN training environment before switching writes on.
JENIS_DIKLAT: dict[Route, tuple[str, str]] = {
    Route.STRUKTURAL_KEPEMIMPINAN: ("1", "Diklat Struktural"),
    Route.FUNGSIONAL: ("2", "Diklat Fungsional"),
    Route.TEKNIS: ("3", "Diklat Teknis"),
    Route.BIMBINGAN_TEKNIS: ("3", "Bimbingan Teknis"),
    Route.WORKSHOP: ("4", "Workshop"),
    Route.SEMINAR: ("5", "Seminar"),
    Route.KURSUS: ("6", "Kursus"),
}
JENIS_DIKLAT_OTHER = ("6", "Kursus")  # any other route is sent as a course


# --- settings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SiasnConf:
    enabled: bool
    api_url: str
    token_url: str
    sso_url: str
    consumer_key: str
    consumer_secret: str
    sso_username: str
    sso_password: str
    sso_client_id: str
    write_skp: bool
    write_training: bool
    timeout: float

    def secrets(self) -> list[str]:
        """The values that must never be written anywhere (summary, log)."""
        return [
            s
            for s in (self.consumer_key, self.consumer_secret, self.sso_password)
            if s and len(s) >= 4
        ]


def _flag(value: object) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def siasn_conf() -> SiasnConf:
    s: dict[str, object] = getattr(settings, "SIGAP", {})

    def get(key: str, default: object = "") -> object:
        value = s.get(key)
        return default if value in (None, "") else value

    return SiasnConf(
        enabled=_flag(get("SIASN_ENABLED", False)),
        api_url=str(get("SIASN_API_URL", "https://apimws.bkn.go.id:8243/apisiasn/1.0")).rstrip("/"),
        token_url=str(get("SIASN_TOKEN_URL", "https://apimws.bkn.go.id/oauth2/token")),
        sso_url=str(
            get(
                "SIASN_SSO_URL",
                "https://sso-siasn.bkn.go.id/auth/realms/public-siasn/protocol/openid-connect/token",
            )
        ),
        consumer_key=str(get("SIASN_CONSUMER_KEY")),
        consumer_secret=str(get("SIASN_CONSUMER_SECRET")),
        sso_username=str(get("SIASN_SSO_USERNAME")),
        sso_password=str(get("SIASN_SSO_PASSWORD")),
        sso_client_id=str(get("SIASN_SSO_CLIENT_ID")),
        write_skp=_flag(get("SIASN_WRITE_SKP", False)),
        write_training=_flag(get("SIASN_WRITE_TRAINING", False)),
        timeout=float(str(get("SIASN_TIMEOUT_SECONDS", 20))),
    )


# --- errors -----------------------------------------------------------------------------------


class SiasnError(Exception):
    """A call to SIASN that did not succeed, or one sigap refused to make; `message` is a
    sentence for a person (translated), `status_code` the HTTP status when there was one."""

    def __init__(self, message: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code


@dataclass(frozen=True, slots=True)
class Problem:
    """One riwayat SIASN holds that sigap cannot store, named by its list and id."""

    source: str  # "rw-kursus" or "rw-diklat"
    ref: str  # SIASN's id of the riwayat
    field: str  # SIASN's field name
    message: str


class SiasnRefused(SiasnError):
    """The import was refused as a whole (nothing written); `problems` say which and why."""

    def __init__(self, problems: list[Problem]) -> None:
        lines = [f"{p.source} {p.ref}, {p.field}: {p.message}" for p in problems]
        super().__init__(
            _("Nothing was imported from SIASN: %(n)d riwayat cannot be stored. %(list)s")
            % {"n": len(problems), "list": "; ".join(lines)}
        )
        self.problems = problems


def _require_enabled(conf: SiasnConf) -> None:
    if not conf.enabled:
        raise SiasnError(_("The connection to SIASN is switched off on this installation."))
    missing = not all(
        (
            conf.consumer_key,
            conf.consumer_secret,
            conf.sso_username,
            conf.sso_password,
            conf.sso_client_id,
        )
    )
    if missing:
        raise SiasnError(
            _(
                "The connection to SIASN lacks the agency's credentials; ask the server's "
                "administrator to set them."
            )
        )


# --- tokens -----------------------------------------------------------------------------------

_tokens: dict[tuple[str, str], tuple[str, float]] = {}  # (url, account) -> (token, expires)
_tokens_lock = threading.Lock()


def forget_tokens() -> None:
    """Drop every token kept in memory (tests; a change of credentials)."""
    with _tokens_lock:
        _tokens.clear()


def _short(value: object, conf: SiasnConf | None = None) -> str:
    text = " ".join(str(value).split())[:DETAIL_MAX]
    for secret in conf.secrets() if conf else []:
        text = text.replace(secret, "***")
    return text


# --- the client -------------------------------------------------------------------------------


@dataclass
class _Reply:
    status: int
    body: Any


@dataclass
class SiasnClient:
    """One conversation with SIASN on behalf of `actor`; each call is recorded."""

    conf: SiasnConf = field(default_factory=siasn_conf)
    actor: Any = None
    clock: Any = time.monotonic

    def __post_init__(self) -> None:
        _require_enabled(self.conf)

    # HTTP -------------------------------------------------------------------------------------

    def _http(
        self, method: str, url: str, *, headers: dict[str, str], body: bytes | None
    ) -> _Reply:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SiasnError(_("The SIASN address is not an http(s) address."))
        cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        conn = cls(parts.hostname, parts.port, timeout=self.conf.timeout)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            raw = response.read()
            status = response.status
        except TimeoutError:
            raise SiasnError(
                _("SIASN did not answer within %(s)s seconds.") % {"s": self.conf.timeout}
            ) from None
        except (OSError, http.client.HTTPException) as exc:
            raise SiasnError(_("SIASN could not be reached: %s") % _short(exc, self.conf)) from None
        finally:
            conn.close()
        try:
            parsed: Any = json.loads(raw.decode("utf-8")) if raw else None
        except (UnicodeDecodeError, ValueError):
            parsed = None
        return _Reply(status, parsed)

    def _record(
        self,
        *,
        operation: str,
        direction: str,
        object_ref: str,
        ok: bool,
        status: int | None,
        summary: str,
    ) -> None:
        summary = _short(summary, self.conf) if summary else ""
        for secret in self.conf.secrets():
            summary = summary.replace(secret, "***")
        Exchange.objects.create(
            system=System.SIASN,
            operation=operation[:60],
            direction=direction,
            object_ref=object_ref[:80],
            ok=ok,
            status_code=status,
            summary=summary[:SUMMARY_MAX],
            at=timezone.now(),
            actor=self.actor if getattr(self.actor, "is_authenticated", False) else None,
        )
        level = logging.INFO if ok else logging.WARNING
        log.log(level, "siasn %s %s %s: %s", operation, object_ref, status, summary)

    # tokens -----------------------------------------------------------------------------------

    def _token(self, kind: str, *, fresh: bool) -> str:
        if kind == "apim":
            url, account = self.conf.token_url, self.conf.consumer_key
        else:
            url, account = self.conf.sso_url, self.conf.sso_username
        key = (url, account)
        now = self.clock()
        with _tokens_lock:
            kept = _tokens.get(key)
            if kept and not fresh and kept[1] > now:
                return kept[0]
            _tokens.pop(key, None)
        token, seconds = self._fetch_token(kind)
        with _tokens_lock:
            _tokens[key] = (token, now + max(seconds - TOKEN_MARGIN_SECONDS, 1))
        return token

    def _fetch_token(self, kind: str) -> tuple[str, float]:
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
        }
        if kind == "apim":
            operation, url = "oauth2/token", self.conf.token_url
            basic = base64.b64encode(
                f"{self.conf.consumer_key}:{self.conf.consumer_secret}".encode()
            ).decode("ascii")
            headers["Authorization"] = f"Basic {basic}"
            form = {"grant_type": "client_credentials"}
        else:
            operation, url = "sso/token", self.conf.sso_url
            form = {
                "grant_type": "password",
                "client_id": self.conf.sso_client_id,
                "username": self.conf.sso_username,
                "password": self.conf.sso_password,
            }
        try:
            reply = self._http("POST", url, headers=headers, body=urlencode(form).encode())
        except SiasnError as exc:
            self._record(
                operation=operation,
                direction=Exchange.Direction.PULL,
                object_ref="",
                ok=False,
                status=None,
                summary=exc.message,
            )
            raise
        body = reply.body if isinstance(reply.body, dict) else {}
        token = body.get("access_token")
        if reply.status != 200 or not isinstance(token, str) or not token:
            if reply.status in (400, 401, 403):
                message = (
                    _("The SIASN gateway refused the agency's credentials (HTTP %d).")
                    if kind == "apim"
                    else _("SIASN's SSO refused the agency's account (HTTP %d).")
                ) % reply.status
            else:
                message = _("SIASN gave no token (HTTP %d).") % reply.status
            self._record(
                operation=operation,
                direction=Exchange.Direction.PULL,
                object_ref="",
                ok=False,
                status=reply.status,
                summary=message,
            )
            raise SiasnError(message, reply.status)
        try:
            seconds = float(body.get("expires_in", DEFAULT_TOKEN_SECONDS))
        except (TypeError, ValueError):
            seconds = DEFAULT_TOKEN_SECONDS
        self._record(
            operation=operation,
            direction=Exchange.Direction.PULL,
            object_ref="",
            ok=True,
            status=reply.status,
            summary=_("Token received, valid %d seconds.") % int(seconds),
        )
        return token, seconds

    # API calls --------------------------------------------------------------------------------

    def _api_headers(self, *, fresh: bool) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self._token('apim', fresh=fresh)}",
            "Auth": f"bearer {self._token('sso', fresh=fresh)}",
            "Accept": "application/json",
        }

    def call(
        self,
        method: str,
        path: str,
        *,
        operation: str,
        object_ref: str,
        body: dict[str, Any] | None = None,
    ) -> Any:
        """One API call, recorded; the reply's data (reads) or the whole reply (writes).
        SiasnError with a sentence for a person when it did not succeed."""
        direction = Exchange.Direction.PUSH if method == "POST" else Exchange.Direction.PULL
        data = json.dumps(body).encode() if body is not None else None
        url = self.conf.api_url + path
        renewed = False
        try:
            reply = None
            for attempt in (1, 2):
                headers = self._api_headers(fresh=attempt == 2)
                if data is not None:
                    headers["Content-Type"] = "application/json"
                reply = self._http(method, url, headers=headers, body=data)
                if reply.status != 401 or attempt == 2:
                    break
                renewed = True  # the tokens were refused: new ones, one more try
            assert reply is not None
            result = self._outcome(reply)
        except SiasnError as exc:
            self._record(
                operation=operation,
                direction=direction,
                object_ref=object_ref,
                ok=False,
                status=exc.status_code,
                summary=exc.message,
            )
            raise
        said = _("HTTP %d.") % reply.status
        if isinstance(result, list):
            said = _("HTTP %(status)d, %(n)d rows.") % {"status": reply.status, "n": len(result)}
        if renewed:
            said += " " + _("Tokens renewed after HTTP 401.")
        self._record(
            operation=operation,
            direction=direction,
            object_ref=object_ref,
            ok=True,
            status=reply.status,
            summary=said,
        )
        return result

    def _outcome(self, reply: _Reply) -> Any:
        body = reply.body
        said = body if isinstance(body, dict) else {}
        detail = _short(said.get("message") or said.get("error_description") or "", self.conf)
        if reply.status == 401:
            raise SiasnError(
                _("SIASN refused the tokens even after renewing them (HTTP 401)."), 401
            )
        if reply.status == 404:
            raise SiasnError(_("SIASN has no such record (HTTP 404)."), 404)
        if reply.status >= 500 or reply.status in (408, 429):
            raise SiasnError(
                _("SIASN answered with an error (HTTP %d); try again later.") % reply.status,
                reply.status,
            )
        if reply.status >= 400:
            raise SiasnError(
                _("SIASN refused the request (HTTP %(status)d). %(detail)s")
                % {"status": reply.status, "detail": detail},
                reply.status,
            )
        if body is None:
            raise SiasnError(_("SIASN's reply could not be read."), reply.status)
        if isinstance(body, dict):
            code = body.get("code")
            if body.get("success") is False or (code is not None and str(code) != "1"):
                raise SiasnError(
                    _("SIASN did not accept it: %s") % (detail or _("no reason given")),
                    reply.status,
                )
            if "data" in body:
                return body["data"]
        return body


# --- reading data-utama -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SiasnPerson:
    """An employee's data-utama as sigap reads it. Contact details, the NIK and pay are left
    out on purpose: sigap has no use for them (UU 27/2022, data minimisation)."""

    pns_id: str
    nip: str
    nip_lama: str
    name: str
    gelar_depan: str
    gelar_belakang: str
    birth_date: date | None
    gender: str
    employee_type: str  # jenisPegawaiNama
    legal_status: str  # kedudukanPnsNama
    golongan: str  # golRuangAkhir ("III/a")
    pangkat: str  # pangkatAkhir
    tmt_golongan: date | None
    position: str  # jabatanNama
    position_type: str  # jenisJabatan
    eselon: str
    unor_id: str
    unor_name: str
    instansi_kerja_id: str
    instansi_kerja_name: str
    lokasi_kerja_id: str
    education: str  # pendidikanTerakhirNama
    tmt_pensiun: date | None


# camelCase field of data-utama -> the dataclass's field.
PERSON_FIELDS: dict[str, str] = {
    "pns_id": "id",
    "nip": "nipBaru",
    "nip_lama": "nipLama",
    "name": "nama",
    "gelar_depan": "gelarDepan",
    "gelar_belakang": "gelarBelakang",
    "birth_date": "tglLahir",
    "gender": "jenisKelamin",
    "employee_type": "jenisPegawaiNama",
    "legal_status": "kedudukanPnsNama",
    "golongan": "golRuangAkhir",
    "pangkat": "pangkatAkhir",
    "tmt_golongan": "tmtGolAkhir",
    "position": "jabatanNama",
    "position_type": "jenisJabatan",
    "eselon": "eselon",
    "unor_id": "unorId",
    "unor_name": "unorNama",
    "instansi_kerja_id": "instansiKerjaId",
    "instansi_kerja_name": "instansiKerjaNama",
    "lokasi_kerja_id": "lokasiKerjaId",
    "education": "pendidikanTerakhirNama",
    "tmt_pensiun": "tmtPensiun",
}
PERSON_DATES = {"birth_date", "tmt_golongan", "tmt_pensiun"}


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def person_from(data: dict[str, Any]) -> SiasnPerson:
    values: dict[str, Any] = {}
    for name, key in PERSON_FIELDS.items():
        raw = data.get(key)
        values[name] = parse_date(_text(raw)) if name in PERSON_DATES and raw else _text(raw)
        if name in PERSON_DATES and not raw:
            values[name] = None
    return SiasnPerson(**values)


def siasn_read_person(
    nip: str, *, actor: Any = None, client: SiasnClient | None = None
) -> SiasnPerson:
    """The data-utama of the employee with this NIP."""
    nip = "".join(nip.split())
    if not (nip.isdigit() and len(nip) == 18):
        raise SiasnError(_("A NIP has 18 digits."))
    client = client or SiasnClient(actor=actor)
    data = client.call(
        "GET", f"/pns/data-utama/{nip}", operation="pns/data-utama", object_ref=f"nip:{nip}"
    )
    if not isinstance(data, dict) or not data:
        raise SiasnError(_("SIASN's reply has no data-utama."))
    return person_from(data)


# --- importing riwayat kursus/diklat ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TrainingImport:
    read: int  # riwayat SIASN returned (kursus + diklat)
    created: int
    already: int  # imported before (the same SIASN id)
    matched: int  # equal to a record already kept (title, dates, hours), imported another way


@dataclass(frozen=True, slots=True)
class _Parsed:
    ref: str  # "SIASN rw-kursus <id>": kept in TrainingRecord.source_file
    title: str
    route: Route
    starts_on: date
    ends_on: date
    hours: Decimal
    sessions: int | None
    provider: str
    certificate_number: str


def _rows(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        yield from (row for row in data if isinstance(row, dict))
    elif isinstance(data, dict) and data:
        yield data


def _parse_riwayat(source: str, row: dict[str, Any], problems: list[Problem]) -> _Parsed | None:
    ident = _text(row.get("id"))
    before = len(problems)

    def problem(fieldname: str, message: str) -> None:
        problems.append(Problem(source, ident or "?", fieldname, message))

    if not ident:
        problem("id", _("The riwayat has no id."))
    if source == "rw-kursus":
        title_key, start_key, end_key = "namaKursus", "tanggalKursus", "tanggalSelesaiKursus"
        kind = _text(row.get("jenisKursusNama") or row.get("jenisKursus"))
        route = route_of(kind)
        if route is None:
            problem(
                "jenisKursusNama",
                _("Unknown kind of training “%(value)s”: it matches no development route.")
                % {"value": kind[:60]},
            )
        certificate = _text(row.get("noSertipikat") or row.get("nomorSertipikat"))
    else:  # rw-diklat: structural (leadership) training
        title_key, start_key, end_key = "latihanStrukturalNama", "tanggal", "tanggalSelesai"
        route = Route.STRUKTURAL_KEPEMIMPINAN
        certificate = _text(row.get("nomor"))
    title = _text(row.get(title_key))
    if not title:
        problem(title_key, _("The title of the training is missing."))
    starts_on = parse_date(_text(row.get(start_key)))
    if starts_on is None:
        problem(start_key, _("“%(value)s” is not a date.") % {"value": _text(row.get(start_key))})
    ends_on = parse_date(_text(row.get(end_key))) if _text(row.get(end_key)) else starts_on
    if _text(row.get(end_key)) and ends_on is None:
        problem(end_key, _("“%(value)s” is not a date.") % {"value": _text(row.get(end_key))})
    try:
        jp = Decimal(_text(row.get("jumlahJam")).replace(",", ".") or "x")
        if not jp.is_finite() or jp < 0:
            raise ValueError
    except (ArithmeticError, ValueError):
        problem(
            "jumlahJam", _("“%(value)s” is not a number of JP.") % {"value": row.get("jumlahJam")}
        )
        jp = None
    if (
        len(problems) > before
        or route is None
        or starts_on is None
        or ends_on is None
        or jp is None
    ):
        return None
    hours, sessions = siasn_hours(route, jp)
    return _Parsed(
        ref=f"SIASN {source} {ident}",
        title=title[:300],
        route=route,
        starts_on=starts_on,
        ends_on=ends_on,
        hours=hours,
        sessions=sessions,
        provider=_text(row.get("institusiPenyelenggara"))[:300],
        certificate_number=certificate[:100],
    )


def _require_hr(actor: Any, employee: Employee) -> None:
    unit = employee.unit
    if not (can(actor, Action.ONBOARD_PEOPLE, unit) or can(actor, Action.COMPETENCY_MANAGE, unit)):
        raise PermissionDenied(_("You may not exchange this employee's records with SIASN."))


def siasn_import_training(
    employee: Employee, actor: Any, *, client: SiasnClient | None = None
) -> TrainingImport:
    """Read the employee's riwayat kursus and riwayat diklat from SIASN and keep each one sigap
    does not have yet as a training record (through `training_record`, so JP and audit are the
    same as for a record HR enters). A riwayat imported before (its SIASN id is kept in the
    record's "imported from") or equal to a record already kept (title, dates, hours) is left
    alone. All or nothing: one riwayat that cannot be stored refuses the whole import."""
    employee = Employee.objects.select_related("unit").get(pk=employee.pk)
    _require_hr(actor, employee)
    client = client or SiasnClient(actor=actor)
    ref = f"employee:{employee.pk}"
    kursus = client.call(
        "GET", f"/pns/rw-kursus/{employee.nip}", operation="pns/rw-kursus", object_ref=ref
    )
    diklat = client.call(
        "GET", f"/pns/rw-diklat/{employee.nip}", operation="pns/rw-diklat", object_ref=ref
    )
    problems: list[Problem] = []
    parsed: list[_Parsed] = []
    read = 0
    for source, data in (("rw-kursus", kursus), ("rw-diklat", diklat)):
        for row in _rows(data):
            read += 1
            item = _parse_riwayat(source, row, problems)
            if item is not None:
                parsed.append(item)
    if problems:
        raise SiasnRefused(problems)
    created = already = matched = 0
    with transaction.atomic():
        kept = TrainingRecord.objects.filter(employee=employee)
        refs = set(
            kept.filter(source=TrainingRecord.Source.SIASN).values_list("source_file", flat=True)
        )
        same = {
            (t, s, e, h)
            for t, s, e, h in kept.values_list("title", "starts_on", "ends_on", "hours")
        }
        for item in parsed:
            if item.ref in refs:
                already += 1
                continue
            if (item.title, item.starts_on, item.ends_on, item.hours) in same:
                matched += 1
                continue
            try:
                training_record(
                    employee=employee,
                    title=item.title,
                    route=item.route,
                    starts_on=item.starts_on,
                    ends_on=item.ends_on,
                    hours=item.hours,
                    sessions=item.sessions,
                    provider=item.provider,
                    certificate_number=item.certificate_number,
                    source=TrainingRecord.Source.SIASN,
                    source_file=item.ref,
                    actor=actor,
                )
            except ValidationError as exc:
                source, _siasn, ident = item.ref.partition(" ")[2].partition(" ")
                problems.extend(
                    Problem(source, ident, name, message)
                    for name, messages in exc.message_dict.items()
                    for message in messages
                )
                continue
            refs.add(item.ref)
            same.add((item.title, item.starts_on, item.ends_on, item.hours))
            created += 1
        if problems:
            transaction.set_rollback(True)
    if problems:
        raise SiasnRefused(problems)
    return TrainingImport(read=read, created=created, already=already, matched=matched)


# --- writing back -----------------------------------------------------------------------------


def skp_body(appraisal: Appraisal) -> dict[str, Any]:
    """The /skp22/save body of a final yearly appraisal (checked by `siasn_push_skp`)."""
    plan = appraisal.plan
    employee = plan.employee
    rater = plan.rater or employee.supervisor
    if rater is None:
        raise SiasnError(_("The appraisal has no rater (pejabat penilai) to send."))
    return {
        "tahun": plan.year,
        "hasilKinerjaNilai": RATING_CODE[appraisal.hasil_kerja],
        "perilakuKerjaNilai": RATING_CODE[appraisal.perilaku_kerja],
        "kuadranKinerjaNilai": PREDIKAT_CODE[appraisal.predikat],
        "pnsDinilaiOrang": employee.pns_id,
        "penilaiNama": rater.name,
        "penilaiNipNrp": rater.nip,
        "penilaiGolongan": rater.rank,
        "penilaiJabatan": rater.position.name,
        "penilaiUnorNama": rater.unit.name,
        "statusPenilai": "ASN",
        "path": [],
    }


def siasn_push_skp(
    appraisal: Appraisal, actor: Any, *, client: SiasnClient | None = None
) -> dict[str, Any]:
    """Send a final yearly SKP result to SIASN (POST /skp22/save). Only when the agency has
    switched SKP writes on; only HR over the employee's unit. Returns SIASN's reply."""
    conf = client.conf if client else siasn_conf()
    _require_enabled(conf)
    if not conf.write_skp:
        raise SiasnError(_("Sending SKP results to SIASN is switched off on this installation."))
    appraisal = Appraisal.objects.select_related(
        "plan__employee__unit",
        "plan__rater__position",
        "plan__rater__unit",
        "plan__employee__supervisor__position",
        "plan__employee__supervisor__unit",
    ).get(pk=appraisal.pk)
    employee = appraisal.plan.employee
    _require_hr(actor, employee)
    if appraisal.period != YEARLY or not appraisal.is_final:
        raise SiasnError(_("Only a final yearly appraisal is sent to SIASN."))
    if not employee.pns_id:
        raise SiasnError(_("The employee has no SIASN PNS ID yet."))
    body = skp_body(appraisal)
    client = client or SiasnClient(conf=conf, actor=actor)
    reply = client.call(
        "POST",
        "/skp22/save",
        operation="skp22/save",
        object_ref=f"appraisal:{appraisal.pk}",
        body=body,
    )
    return reply if isinstance(reply, dict) else {}


def _siasn_date(day: date) -> str:
    return day.strftime("%d-%m-%Y")  # as the SDK sends dates on writes (UNCERTAIN)


def kursus_body(record: TrainingRecord, person: SiasnPerson) -> dict[str, Any]:
    """The /kursus/save body of a training record. instansiId and lokasiId are the employee's
    own in SIASN (from data-utama): sigap keeps no SIASN reference ids of its own."""
    jenis_id, jenis = JENIS_DIKLAT.get(Route(record.route), JENIS_DIKLAT_OTHER)
    return {
        "pnsOrangId": record.employee.pns_id,
        "instansiId": person.instansi_kerja_id,
        "jenisDiklatId": jenis_id,
        "jenisKursus": jenis,
        "jenisKursusSertipikat": "",
        "jumlahJam": int(record.jp),
        "lokasiId": person.lokasi_kerja_id,
        "namaKursus": record.title,
        "institusiPenyelenggara": record.provider,
        "nomorSertipikat": record.certificate_number,
        "tahunKursus": record.starts_on.year,
        "tanggalKursus": _siasn_date(record.starts_on),
        "tanggalSelesaiKursus": _siasn_date(record.ends_on),
        "path": [],
    }


def siasn_push_training(
    record: TrainingRecord, actor: Any, *, client: SiasnClient | None = None
) -> dict[str, Any]:
    """Send a training record entered in sigap to SIASN (POST /kursus/save): only when the
    agency has switched training writes on; a record that came from SIASN is never sent back."""
    conf = client.conf if client else siasn_conf()
    _require_enabled(conf)
    if not conf.write_training:
        raise SiasnError(
            _("Sending training records to SIASN is switched off on this installation.")
        )
    record = TrainingRecord.objects.select_related("employee__unit").get(pk=record.pk)
    _require_hr(actor, record.employee)
    if record.source == TrainingRecord.Source.SIASN:
        raise SiasnError(_("This training came from SIASN: it is not sent back."))
    if not record.employee.pns_id:
        raise SiasnError(_("The employee has no SIASN PNS ID yet."))
    client = client or SiasnClient(conf=conf, actor=actor)
    person = siasn_read_person(record.employee.nip, client=client)
    reply = client.call(
        "POST",
        "/kursus/save",
        operation="kursus/save",
        object_ref=f"training:{record.pk}",
        body=kursus_body(record, person),
    )
    return reply if isinstance(reply, dict) else {}
