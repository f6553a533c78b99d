"""A local SIASN that speaks the documented shapes (docs/integrations.md, "SIASN (BKN)").

A threaded http.server on 127.0.0.1, port 0. It serves:
- `POST /oauth2/token`: client_credentials with HTTP Basic auth of the consumer key/secret;
- `POST /sso/token`: the SSO password grant (client_id, username, password);
- `GET /apisiasn/1.0/pns/data-utama|rw-kursus|rw-diklat/{nip}` for the NIPs in `people`,
  in the `{"code": 1, "data": ...}` envelope community code reads (UNCERTAIN envelope);
- `POST /apisiasn/1.0/skp22/save` and `/kursus/save`, checking the required fields, replying
  `{"success": true, "mapData": {...}}`.
Every API call must carry `Authorization: Bearer <gateway token>` and `Auth: bearer <SSO token>`
of tokens it issued and has not expired. It can be told to expire all tokens, to answer 500,
or to be slow; it keeps every request it saw (`seen`) and every body posted (`posted`).
"""

from __future__ import annotations

import base64
import contextlib
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

KEY, SECRET = "ck-test-key", "cs-test-secret-9f3a"
SSO_USER, SSO_PASSWORD, SSO_CLIENT = "199001012015011001", "sso-pass-7c1e", "sigap-test"

NIP_1 = "198607212011011003"
NIP_2 = "199002022015032001"
PNS_ID_1 = "A8ACA7D5A3A93912E040640A040269BB"

DATA_UTAMA = {
    NIP_1: {
        "id": PNS_ID_1,
        "nipBaru": NIP_1,
        "nipLama": "010203040",
        "nama": "BUDI SANTOSO",
        "gelarDepan": "",
        "gelarBelakang": "S.Kom.",
        "tempatLahir": "CONTOH",
        "tglLahir": "21-07-1986",
        "jenisKelamin": "M",
        "nik": "3201011703850001",
        "noHp": "081234567890",
        "email": "budi@example.test",
        "jenisPegawaiNama": "PNS DAERAH KAB/KOTA YANG BEKERJA PADA KAB/KOTA",
        "kedudukanPnsNama": "Aktif",
        "golRuangAkhir": "III/b",
        "pangkatAkhir": "Penata Muda Tingkat I",
        "tmtGolAkhir": "01-04-2018",
        "jabatanNama": "Pengadministrasi Kependudukan",
        "jenisJabatan": "Jabatan Fungsional Umum",
        "eselon": "",
        "unorId": "8ae483a5-unor-0001",
        "unorNama": "Seksi Pelayanan Identitas",
        "instansiKerjaId": "A5EB03E23C2FF6A0E040640A040252AD",
        "instansiKerjaNama": "Pemerintah Kab. Contoh",
        "lokasiKerjaId": "A5EB03E2421DF6A0E040640A040252AD",
        "pendidikanTerakhirNama": "S-1 Teknik Informatika",
        "tmtPensiun": "01-04-2043",
        "gajiPokok": "3500000",
    },
}
RW_KURSUS = {
    NIP_1: [
        {
            "id": "kursus-0001",
            "idPns": PNS_ID_1,
            "jenisKursusId": "7",
            "jenisKursusNama": "Bimbingan Teknis",
            "jenisDiklatId": "3",
            "namaKursus": "Bimtek Pelayanan Adminduk",
            "institusiPenyelenggara": "Ditjen Dukcapil",
            "jumlahJam": "24",
            "noSertipikat": "DK/2024/117",
            "tahunKursus": "2024",
            "tanggalKursus": "05-02-2024",
            "tanggalSelesaiKursus": "07-02-2024",
        },
        {
            "id": "kursus-0002",
            "idPns": PNS_ID_1,
            "jenisKursusId": "5",
            "jenisKursusNama": "Seminar",
            "jenisDiklatId": "5",
            "namaKursus": "Seminar Pelayanan Publik",
            "institusiPenyelenggara": "Ombudsman RI",
            "jumlahJam": "8",
            "noSertipikat": "",
            "tahunKursus": "2024",
            "tanggalKursus": "12-03-2024",
            "tanggalSelesaiKursus": "",
        },
    ],
}
RW_DIKLAT = {
    NIP_1: [
        {
            "id": "diklat-0001",
            "idPns": PNS_ID_1,
            "latihanStrukturalId": "4",
            "latihanStrukturalNama": "Pelatihan Kepemimpinan Pengawas",
            "nomor": "PKP/2023/041",
            "tanggal": "01-08-2023",
            "tahun": "2023",
            "jumlahJam": "160",
            "tanggalSelesai": "30-10-2023",
            "institusiPenyelenggara": "BPSDM Provinsi",
        }
    ],
}
SKP_REQUIRED = (
    "tahun",
    "hasilKinerjaNilai",
    "perilakuKerjaNilai",
    "kuadranKinerjaNilai",
    "pnsDinilaiOrang",
    "penilaiNama",
    "penilaiNipNrp",
    "penilaiGolongan",
    "penilaiJabatan",
    "penilaiUnorNama",
    "statusPenilai",
)
KURSUS_REQUIRED = (
    "pnsOrangId",
    "instansiId",
    "jenisDiklatId",
    "jenisKursus",
    "jumlahJam",
    "lokasiId",
    "namaKursus",
    "tahunKursus",
    "tanggalKursus",
    "tanggalSelesaiKursus",
)


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class FakeSiasn:
    token_seconds: int = 3600
    fail_with: int | None = None  # API calls answer this status
    delay: float = 0.0  # seconds before any answer
    seen: list[Seen] = field(default_factory=list)
    posted: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    apim_tokens: set[str] = field(default_factory=set)
    sso_tokens: set[str] = field(default_factory=set)
    issued: int = 0
    server: ThreadingHTTPServer | None = None

    def expire_tokens(self) -> None:
        """Every token issued so far is refused from now on."""
        self.apim_tokens.clear()
        self.sso_tokens.clear()

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def settings(self) -> dict[str, object]:
        return {
            "SIASN_ENABLED": True,
            "SIASN_API_URL": self.url + "/apisiasn/1.0",
            "SIASN_TOKEN_URL": self.url + "/oauth2/token",
            "SIASN_SSO_URL": self.url + "/sso/token",
            "SIASN_CONSUMER_KEY": KEY,
            "SIASN_CONSUMER_SECRET": SECRET,
            "SIASN_SSO_USERNAME": SSO_USER,
            "SIASN_SSO_PASSWORD": SSO_PASSWORD,
            "SIASN_SSO_CLIENT_ID": SSO_CLIENT,
            "SIASN_TIMEOUT_SECONDS": "5",
        }

    def start(self) -> FakeSiasn:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _reply(self, status: int, body: object) -> None:
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def _handle(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                fake.seen.append(Seen(method, self.path, dict(self.headers.items()), body))
                if fake.delay:
                    time.sleep(fake.delay)
                try:
                    status, reply = fake.answer(method, self.path, self.headers, body)
                except Exception as exc:  # a bug in the fake: say so loudly
                    status, reply = 599, {"message": f"fake error {exc!r}"}
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self._reply(status, reply)

            def do_GET(self) -> None:
                self._handle("GET")

            def do_POST(self) -> None:
                self._handle("POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def _new_token(self, kind: str) -> str:
        self.issued += 1
        return f"{kind}-token-{self.issued}"

    def answer(self, method: str, path: str, headers: Any, body: bytes) -> tuple[int, object]:
        if path == "/oauth2/token":
            basic = base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()
            form = parse_qs(body.decode())
            if headers.get("Authorization") != f"Basic {basic}":
                return 401, {"error": "invalid_client"}
            if form.get("grant_type") != ["client_credentials"]:
                return 400, {"error": "unsupported_grant_type"}
            token = self._new_token("apim")
            self.apim_tokens.add(token)
            return 200, {
                "access_token": token,
                "scope": "default",
                "token_type": "Bearer",
                "expires_in": self.token_seconds,
            }
        if path == "/sso/token":
            form = parse_qs(body.decode())
            wanted = {
                "grant_type": ["password"],
                "client_id": [SSO_CLIENT],
                "username": [SSO_USER],
                "password": [SSO_PASSWORD],
            }
            if form != wanted:
                return 401, {"error": "invalid_grant"}
            token = self._new_token("sso")
            self.sso_tokens.add(token)
            return 200, {
                "access_token": token,
                "expires_in": self.token_seconds,
                "token_type": "bearer",
            }
        prefix = "/apisiasn/1.0"
        if not path.startswith(prefix):
            return 404, {"message": "not found"}
        auth, sso = headers.get("Authorization", ""), headers.get("Auth", "")
        if not (
            auth.startswith("Bearer ")
            and auth[7:] in self.apim_tokens
            and sso.startswith("bearer ")
            and sso[7:] in self.sso_tokens
        ):
            return 401, {"fault": {"code": 900901, "message": "Invalid Credentials"}}
        if self.fail_with:
            return self.fail_with, {"message": "Internal Server Error"}
        rest = path[len(prefix) :]
        if method == "GET":
            for name, table in (
                ("/pns/data-utama/", DATA_UTAMA),
                ("/pns/rw-kursus/", RW_KURSUS),
                ("/pns/rw-diklat/", RW_DIKLAT),
            ):
                if rest.startswith(name):
                    nip = rest[len(name) :]
                    if name == "/pns/data-utama/" and nip not in table:
                        return 200, {"code": 0, "message": "Data tidak ditemukan", "data": None}
                    return 200, {"code": 1, "data": table.get(nip, [])}
            return 404, {"message": "not found"}
        payload = json.loads(body.decode() or "null")
        if headers.get("Content-Type") != "application/json" or not isinstance(payload, dict):
            return 400, {"success": False, "message": "body must be JSON"}
        required = {"/skp22/save": SKP_REQUIRED, "/kursus/save": KURSUS_REQUIRED}.get(rest)
        if required is None:
            return 404, {"message": "not found"}
        missing = [k for k in required if payload.get(k) in (None, "")]
        if missing:
            return 200, {"success": False, "message": f"{', '.join(missing)} wajib diisi"}
        self.posted.append((rest, payload))
        key = "rwSkp22Id" if rest == "/skp22/save" else "rwKursusId"
        return 200, {
            "success": True,
            "message": "success",
            "mapData": {key: f"rw-{len(self.posted)}"},
        }
