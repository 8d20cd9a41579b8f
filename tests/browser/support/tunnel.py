"""A CONNECT-only proxy on 127.0.0.1 that "resolves" the real meeting hostnames to the local test server.

Firefox has no ``--host-resolver-rules``; pointed at this proxy for HTTPS, it asks for
``CONNECT meet.google.com:443`` and gets a tunnel to the local HTTPS server instead, so the page
keeps its real URL (and the extension's host permissions and content scripts apply as they would).
Any host not in the map is refused: nothing reaches beyond this machine.
"""

from __future__ import annotations

import select
import socket
import threading
from collections.abc import Iterable
from typing import Self


class Tunnel:
    """``with Tunnel({"meet.google.com"}, 8443) as tunnel: tunnel.port``."""

    def __init__(self, hosts: Iterable[str], target_port: int) -> None:
        self.hosts = {host.lower() for host in hosts}
        self.target_port = target_port
        self.refused: list[str] = []
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._stop = False
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop = True
        self._server.close()

    def _serve(self) -> None:
        while not self._stop:
            try:
                client, _address = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(client,), daemon=True).start()

    def _handle(self, client: socket.socket) -> None:
        with client:
            request = b""
            while b"\r\n\r\n" not in request and len(request) < 16384:
                chunk = client.recv(4096)
                if not chunk:
                    return
                request += chunk
            line = request.split(b"\r\n", 1)[0].decode("latin-1")
            parts = line.split()
            target = parts[1] if len(parts) == 3 and parts[0] == "CONNECT" else ""
            host = target.rsplit(":", 1)[0].lower()
            if host not in self.hosts:
                self.refused.append(line)
                client.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=5)
            except OSError:
                client.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                return
            with upstream:
                client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                self._pipe(client, upstream)

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        sockets = [a, b]
        while True:
            readable, _w, _x = select.select(sockets, [], [], 30)
            if not readable:
                return
            for sock in readable:
                try:
                    data = sock.recv(65536)
                except OSError:
                    return
                if not data:
                    return
                (b if sock is a else a).sendall(data)
