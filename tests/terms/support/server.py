"""A real HTTP server on 127.0.0.1 (``http.server`` in a thread) whose pages the tests change.

Each path maps to a :class:`Route` saying how to answer: a page (with ETag / Last-Modified and
304 handling), a status, a redirect, a slow drip, a stall, an oversized body. Every request
is recorded (path and headers) so tests can see what the watcher actually sent, and so is
every TCP connection accepted (``connections``) and every TLS server name asked for
(``server_names``), so a test can tell whether the watcher contacted it at all.

It listens on 127.0.0.1 by default, or on another loopback address (``127.0.0.2``) so that two
servers can share a port; with TLS it uses a throwaway self-signed certificate, or a given
certificate (one issued for real host names by a test CA).
"""

from __future__ import annotations

import os
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str | None = "text/html; charset=utf-8"
    etag: str | None = None
    last_modified: str | None = None
    location: str | None = None
    drip_interval: float = 0.0  # seconds between single bytes
    drip_headers: float = 0.0  # seconds between single bytes of the status line and headers
    stall: float = 0.0  # seconds to wait after the headers before the body
    send_length: bool = True
    extra_headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Seen:
    path: str
    headers: dict[str, str]


def page(html: str, **kwargs: object) -> Route:
    return Route(body=html.encode("utf-8"), **kwargs)  # type: ignore[arg-type]


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        owner = self.server.owner
        owner.seen.append(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}))
        route = owner.routes.get(self.path)
        if route is None:
            route = Route(body=b"<html><body>not here</body></html>", status=404)
        try:
            if route.drip_headers:
                self._drip_headers(route)
            else:
                self._answer(route)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            owner.gave_up.append(self.path)  # the client gave up, as the tests intend

    def _drip_headers(self, route: Route) -> None:
        """Status line and headers one byte at a time, forever slower than any deadline."""
        head = (f"HTTP/1.1 {route.status} OK\r\nContent-Type: text/html\r\n"
                + "".join(f"X-Padding-{i}: {'x' * 40}\r\n" for i in range(200)) + "\r\n").encode()
        for index in range(len(head)):
            self.wfile.write(head[index:index + 1])
            self.wfile.flush()
            time.sleep(route.drip_headers)
        self.server.owner.finished.append(self.path)

    def _answer(self, route: Route) -> None:
        if route.etag and self.headers.get("If-None-Match") == route.etag or (
                route.last_modified and self.headers.get("If-Modified-Since") == route.last_modified):
            self.send_response(304)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(route.status)
        if route.content_type:
            self.send_header("Content-Type", route.content_type)
        if route.etag:
            self.send_header("ETag", route.etag)
        if route.last_modified:
            self.send_header("Last-Modified", route.last_modified)
        if route.location:
            self.send_header("Location", route.location)
        for key, value in route.extra_headers.items():
            self.send_header(key, value)
        if route.send_length:
            self.send_header("Content-Length", str(len(route.body)))
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.flush()
        if route.stall:
            time.sleep(route.stall)
        if route.drip_interval:
            for index in range(len(route.body)):
                self.wfile.write(route.body[index:index + 1])
                self.wfile.flush()
                time.sleep(route.drip_interval)
            return
        self.wfile.write(route.body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: TermsServer
    tls: ssl.SSLContext | None = None

    def get_request(self) -> tuple[socket.socket, object]:
        request, address = super().get_request()
        self.owner.connections += 1  # counted before any TLS handshake: contact is contact
        return request, address

    def finish_request(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        if self.tls is None:
            super().finish_request(request, client_address)
            return
        try:  # the handshake runs in the request's own thread, so a bad client stalls no one else
            request = self.tls.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            self.owner.gave_up.append("<tls handshake>")
            return
        try:
            super().finish_request(request, client_address)
        finally:
            request.close()


class TermsServer:
    """``with TermsServer() as server: server.routes["/terms"] = page(...); server.url("/terms")``."""

    def __init__(self, tls: bool = False, cert_dir: Path | None = None, *, host: str = "127.0.0.1", port: int = 0,
                 certificate: tuple[Path, Path] | None = None) -> None:
        self.routes: dict[str, Route] = {}
        self.seen: list[Seen] = []
        self.gave_up: list[str] = []  # paths whose client hung up while being answered
        self.finished: list[str] = []  # paths answered to the end (for slow answers)
        self.connections = 0  # TCP connections accepted
        self.server_names: list[str | None] = []  # the TLS server name (SNI) of each handshake
        self.host = host
        self._httpd = _Server((host, port), _Handler)
        self._httpd.owner = self
        self.scheme = "http"
        if tls or certificate is not None:
            if certificate is None:
                assert cert_dir is not None
                certificate = self_signed_certificate(cert_dir)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*certificate)
            context.sni_callback = lambda _sock, name, _context: self.server_names.append(name)
            self._httpd.tls = context
            self.scheme = "https"
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    def url(self, path: str, host: str | None = None) -> str:
        """The address of ``path`` here, under ``host`` (a name a test resolves to this server)
        or the server's own address."""
        return f"{self.scheme}://{host or self.host}:{self.port}{path}"

    def hits(self, path: str) -> int:
        return sum(1 for seen in self.seen if seen.path == path)

    def __enter__(self) -> TermsServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A throwaway certificate made by the real ``openssl`` program (not trusted by anyone)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "1", "-subj", "/CN=127.0.0.1"], check=True, capture_output=True,
                   env=dict(os.environ), timeout=60)
    return cert, key


@contextmanager
def closed_port() -> Iterator[int]:
    """A port on 127.0.0.1 that refuses connections for as long as the block runs: bound by a socket
    that never listens. (A port bound then released could be taken meanwhile by another test's server,
    of this run or of another run on the machine, and then answer.)"""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]
