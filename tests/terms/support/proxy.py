"""A real forwarding HTTP proxy on 127.0.0.1 (``http.server`` in a thread) for proxy tests.

It takes plain-HTTP requests in absolute form (``GET http://127.0.0.1:PORT/path``), forwards
them to that address and relays the answer; every request it handled is recorded. It refuses
CONNECT and any target that is not on 127.0.0.1, so it can never reach beyond this machine.
"""

from __future__ import annotations

import http.client
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HOP_BY_HOP = {"connection", "keep-alive", "proxy-authorization", "proxy-authenticate", "proxy-connection", "te",
              "trailer", "transfer-encoding", "upgrade"}


@dataclass(frozen=True)
class Forwarded:
    target: str
    headers: dict[str, str]


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def do_CONNECT(self) -> None:  # noqa: N802 - http.server's naming
        self._refuse(405, "CONNECT is not supported by this test proxy")

    def do_GET(self) -> None:  # noqa: N802
        target = urlsplit(self.path)
        if target.scheme != "http" or target.hostname != "127.0.0.1":
            self._refuse(403, f"this test proxy only forwards to http://127.0.0.1, not {self.path}")
            return
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        self.server.owner.forwarded.append(Forwarded(self.path, {k.lower(): v for k, v in self.headers.items()}))
        upstream = http.client.HTTPConnection("127.0.0.1", target.port or 80, timeout=10)
        try:
            upstream.request("GET", target.path + (f"?{target.query}" if target.query else ""), headers=headers)
            answer = upstream.getresponse()
            body = answer.read()
            self.send_response(answer.status, answer.reason)
            for key, value in answer.getheaders():
                if key.lower() not in HOP_BY_HOP and key.lower() != "content-length":
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Via", "1.1 test-proxy")
            self.end_headers()
            self.wfile.write(body)
        finally:
            upstream.close()

    def _refuse(self, status: int, message: str) -> None:
        body = message.encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: ForwardingProxy


class ForwardingProxy:
    """``with ForwardingProxy() as proxy: proxy.url`` → ``http://127.0.0.1:PORT``."""

    def __init__(self) -> None:
        self.forwarded: list[Forwarded] = []
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    def __enter__(self) -> ForwardingProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)
