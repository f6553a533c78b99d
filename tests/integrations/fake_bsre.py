"""A local fake of a BSrE esign server: v2 `POST /api/v2/sign/pdf` (JSON) and v1
`POST /api/sign/pdf` (multipart), behind HTTP Basic auth, on 127.0.0.1 and a free port.

It checks the fields the way the real server needs them and answers with the input PDF plus an
incremental update (a signature dictionary with a /ByteRange and a marker comment, then %%EOF),
so the answer is still a valid PDF that differs from the input. A wrong passphrase is a 400 with
BSrE's words; `fail_with` makes it answer an error status, `delay` makes it slow.
Every request it receives is kept (`requests`) for the tests to read.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

USER = "sigap-esign"
PASSWORD = "rahasia-basic-auth"
SIGNERS = {"3201011703850009": "Siti Rahmawati"}
EMAILS = {"siti@contoh.go.id": "Siti Rahmawati"}
PASSPHRASE = "Benar#Sekali-123"
MARKER = b"% signed by fake BSrE"


def signed(pdf: bytes, reason: str = "") -> bytes:
    """`pdf` with an incremental update carrying a signature dictionary: a "signed" PDF."""
    update = (
        b"\n" + MARKER + b"\n"
        b"999 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached "
        b"/ByteRange [0 0 0 0] /Contents <00> /Reason ("
        + reason.encode("latin-1", "replace")
        + b") >>\nendobj\n%%EOF\n"
    )
    return pdf + update


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    fields: dict[str, Any] = field(default_factory=dict)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up (the timeout test) is not the fake's error


class FakeBsre:
    def __init__(self) -> None:
        self.requests: list[Received] = []
        self.fail_with: int | None = None
        self.delay = 0.0
        self.answer_unsigned = False
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # quiet
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                received = Received(
                    self.path, {k.lower(): v for k, v in self.headers.items()}, body
                )
                fake.requests.append(received)
                if fake.delay:
                    time.sleep(fake.delay)
                expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
                if self.headers.get("Authorization") != expected:
                    return self._json(401, {"error": "Unauthorized"})
                if fake.fail_with:
                    return self._raw(fake.fail_with, b"<html>Internal Server Error</html>")
                if self.path == "/api/v2/sign/pdf":
                    return self._v2(received)
                if self.path == "/api/sign/pdf":
                    return self._v1(received)
                return self._json(404, {"error": "Not found"})

            def _v2(self, received: Received) -> None:
                try:
                    data = json.loads(received.body)
                except ValueError:
                    return self._json(400, {"status_code": 1001, "error": "Format JSON salah"})
                received.fields = data
                who_ok = data.get("nik") in SIGNERS or data.get("email") in EMAILS
                if not who_ok:
                    return self._json(
                        400, {"status_code": 2021, "error": "Pengguna tidak terdaftar"}
                    )
                if data.get("passphrase") != PASSPHRASE:
                    return self._json(400, {"status_code": 2031, "error": "Passphrase anda salah"})
                props = data.get("signatureProperties")
                files = data.get("file")
                if not isinstance(props, list) or not props or not isinstance(files, list):
                    return self._json(400, {"error": "signatureProperties dan file wajib diisi"})
                pdf = base64.b64decode(files[0])
                if not pdf.startswith(b"%PDF-"):
                    return self._json(400, {"error": "Dokumen bukan PDF"})
                out = pdf if fake.answer_unsigned else signed(pdf, props[0].get("reason", ""))
                return self._json(200, {"file": [base64.b64encode(out).decode()], "time": 1234})

            def _v1(self, received: Received) -> None:
                ctype = self.headers.get("Content-Type", "")
                if not ctype.startswith("multipart/form-data"):
                    return self._json(400, {"error": "Harus multipart/form-data"})
                message = BytesParser(policy=HTTP).parsebytes(
                    f"Content-Type: {ctype}\r\n\r\n".encode() + received.body
                )
                parts: dict[str, Any] = {}
                for part in message.iter_parts():
                    name = part.get_param("name", header="content-disposition")
                    payload = part.get_payload(decode=True)
                    parts[str(name)] = payload if name == "file" else payload.decode()
                received.fields = parts
                if parts.get("nik") not in SIGNERS:
                    return self._json(400, {"status_code": 2021, "error": "NIK tidak terdaftar"})
                if parts.get("passphrase") != PASSPHRASE:
                    return self._json(400, {"status_code": 2031, "error": "Passphrase anda salah"})
                if parts.get("tampilan") not in ("visible", "invisible"):
                    return self._json(400, {"error": "tampilan harus visible atau invisible"})
                pdf = parts.get("file") or b""
                if not pdf.startswith(b"%PDF-"):
                    return self._json(400, {"error": "Dokumen bukan PDF"})
                return self._raw(
                    200, pdf if fake.answer_unsigned else signed(pdf), "application/pdf"
                )

            def _json(self, status: int, body: dict[str, Any]) -> None:
                self._raw(status, json.dumps(body).encode(), "application/json")

            def _raw(self, status: int, body: bytes, ctype: str = "text/html") -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> FakeBsre:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
