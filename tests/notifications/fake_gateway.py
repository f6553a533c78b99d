"""A real WhatsApp/SMS gateway on loopback for the tests and the benchmark: http.server in a
thread, speaking the plain HTTP JSON the adapter speaks, answering as it is told.

Behaviours, taken one per request from `plan` (then `default`):
"ok" (200 {"status": true, "id": [n]}), "500", "400", "429", "timeout" (answers only after
`slow_seconds`, longer than the client waits), "malformed" (200 with a body that is no JSON),
"refuse" (200 {"status": false, "reason": ...}), "drop" (closes the connection, no reply).
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeGateway:
    def __init__(self, *, token: str = "test-token", default: str = "ok") -> None:
        self.token = token
        self.default = default
        self.plan: deque[str] = deque()
        self.received: list[dict[str, Any]] = []  # every request that reached it, answered or not
        self.delivered: list[dict[str, Any]] = []  # those answered "ok"
        self.slow_seconds = 1.0
        self.lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/send"

    def next_behaviour(self) -> str:
        with self.lock:
            return self.plan.popleft() if self.plan else self.default

    def handler(self) -> type[BaseHTTPRequestHandler]:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as real gateways
            disable_nagle_algorithm = True  # headers and body go out at once, no 40 ms stall

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def _reply(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                """GET /stats: what it received (the benchmark runs it in another process)."""
                with gateway.lock:
                    messages = [m["message"] for m in gateway.delivered]
                    stats = {
                        "received": len(gateway.received),
                        "delivered": len(messages),
                        "unique": len(set(messages)),
                    }
                self._reply(200, json.dumps(stats).encode())

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                payload = json.loads(self.rfile.read(length) or b"{}")
                record = {**payload, "authorization": self.headers.get("Authorization")}
                behaviour = gateway.next_behaviour()
                with gateway.lock:
                    gateway.received.append(record)
                    n = len(gateway.received)
                if record["authorization"] != gateway.token:
                    self._reply(401, b'{"status": false, "reason": "invalid token"}')
                elif behaviour == "ok":
                    with gateway.lock:
                        gateway.delivered.append(record)
                    self._reply(200, json.dumps({"status": True, "id": [f"m{n}"]}).encode())
                elif behaviour == "timeout":
                    time.sleep(gateway.slow_seconds)
                    self.close_connection = True
                    self._reply(200, b'{"status": true, "id": ["late"]}')
                elif behaviour == "malformed":
                    self._reply(200, b"<html>Bad Gateway</html>")
                elif behaviour == "refuse":
                    self._reply(200, b'{"status": false, "reason": "device disconnected"}')
                elif behaviour == "drop":
                    self.close_connection = True
                    self.wfile.flush()
                    self.connection.close()
                else:
                    self._reply(int(behaviour), b'{"status": false, "reason": "target invalid"}')

        return Handler

    def start(self) -> FakeGateway:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self._server.daemon_threads = True
        # A short poll: `shutdown` waits up to one poll interval (0.5 s by default) per test.
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


@contextmanager
def running(**kw: Any) -> Iterator[FakeGateway]:
    gateway = FakeGateway(**kw).start()
    try:
        yield gateway
    finally:
        gateway.stop()


if __name__ == "__main__":  # a gateway in its own process: prints its URL, serves until killed
    import sys

    served = FakeGateway(token=sys.argv[1] if len(sys.argv) > 1 else "test-token").start()
    print(served.url, flush=True)
    threading.Event().wait()
