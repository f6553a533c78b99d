"""A LAPOR! legacy API on loopback for the tests: http.server in a thread, speaking the shapes
public sources document (docs/integrations.md, "SP4N-LAPOR!").

- POST /api/services/f01/gettopics, KEYTOKEN header: JSON topics (`id`, `parent`, `topic_name`).
- POST /api/stream/addstream, the XML `<lapor token=…>` form: XML with `trackingid` and
  `transaksiid`.
A wrong token gets 401. `behaviour` "500" answers 500; "garbage" an answer that is no XML.
"""

from __future__ import annotations

import json
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOPICS = [
    {"id": "1", "parent": "0", "topic_name": "Kependudukan"},
    {"id": "2", "parent": "0", "topic_name": "Perizinan"},
    {"id": "21", "parent": "2", "topic_name": "Persetujuan Bangunan Gedung"},
]


class FakeLapor:
    def __init__(self, *, token: str = "lapor-test-token") -> None:
        self.token = token
        self.behaviour = "ok"
        self.received: list[dict[str, Any]] = []
        self.next_id = 7001
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/api"

    def handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _reply(self, status: int, body: bytes, kind: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                fake.received.append(
                    {"path": self.path, "keytoken": self.headers.get("KEYTOKEN"), "body": body}
                )
                if fake.behaviour == "500":
                    self._reply(500, b"error", "text/plain")
                elif self.path == "/api/services/f01/gettopics":
                    if self.headers.get("KEYTOKEN") != fake.token:
                        self._reply(401, b'{"error": "invalid KEYTOKEN"}', "application/json")
                        return
                    self._reply(200, json.dumps(TOPICS).encode(), "application/json")
                elif self.path == "/api/stream/addstream":
                    root = ET.fromstring(body)
                    if root.tag != "lapor" or root.get("token") != fake.token:
                        self._reply(401, b"<lapor><error>token</error></lapor>", "application/xml")
                        return
                    if fake.behaviour == "garbage":
                        self._reply(200, b"<html>maintenance", "text/html")
                        return
                    tracking = f"{fake.next_id}"
                    fake.next_id += 1
                    answer = (
                        '<?xml version="1.0" encoding="UTF-8"?><lapor><status>ok</status>'
                        f"<trackingid>{tracking}</trackingid><transaksiid>T{tracking}</transaksiid>"
                        "</lapor>"
                    )
                    self._reply(200, answer.encode(), "application/xml")
                else:
                    self._reply(404, b"not found", "text/plain")

        return Handler

    def start(self) -> FakeLapor:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self._server.daemon_threads = True
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


@contextmanager
def running(**kw: Any) -> Iterator[FakeLapor]:
    fake = FakeLapor(**kw).start()
    try:
        yield fake
    finally:
        fake.stop()
