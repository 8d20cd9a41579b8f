"""One deadline for a whole request, from connect to the last byte, headers included.

``requests`` bounds each wait for data (read timeout), not the whole exchange: a server that
drips its status line and headers a byte at a time never trips it (issue 16.12). Here every
socket a fetch opens is registered with a :class:`Deadline`; a timer shuts the sockets down
when the deadline passes, so any read blocked in them returns at once and the fetch fails as a
timeout. The adapter below makes ``requests`` open its connections through classes that
register their sockets, and connections are not reused between requests (each asks for
``Connection: close``), so no socket outlives the deadline it was opened under. The sockets
are opened to the addresses pinned for the request only (:mod:`guard.net.pinning`), so no name
lookup happens outside the caller's control either. Moved here from guard.terms (the ledger's
time stamp uses it too); its names are still importable from guard.terms.deadline.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from guard.net.pinning import PinnedHTTPConnection, PinnedHTTPSConnection

_current = threading.local()


class Deadline:
    """Sockets opened while it is active are shut down when it expires."""

    def __init__(self, seconds: float) -> None:
        self.seconds = max(0.0, seconds)
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(self.seconds, self._expire)
        self._timer.daemon = True

    def register(self, sock: socket.socket) -> None:
        with self._lock:
            if self.expired:
                _shutdown(sock)
            self._sockets.append(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shutdown(sock)

    def start(self) -> None:
        self._timer.start()

    def cancel(self) -> None:
        self._timer.cancel()


def _shutdown(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


@contextmanager
def deadline(seconds: float) -> Iterator[Deadline]:
    """Run a request under a deadline of ``seconds`` (this thread's new sockets are tracked)."""
    active = Deadline(seconds)
    previous = getattr(_current, "deadline", None)
    _current.deadline = active
    active.start()
    try:
        yield active
    finally:
        active.cancel()
        _current.deadline = previous


def _track(sock: socket.socket) -> socket.socket:
    active: Deadline | None = getattr(_current, "deadline", None)
    if active is not None:
        active.register(sock)
    return sock


class _TrackedHTTPConnection(PinnedHTTPConnection):
    def _new_conn(self) -> socket.socket:
        return _track(super()._new_conn())


class _TrackedHTTPSConnection(PinnedHTTPSConnection):
    def _new_conn(self) -> socket.socket:
        return _track(super()._new_conn())


class _TrackedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _TrackedHTTPConnection


class _TrackedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _TrackedHTTPSConnection


_POOLS = {"http": _TrackedHTTPPool, "https": _TrackedHTTPSPool}


class DeadlineAdapter(HTTPAdapter):
    """An HTTP adapter whose connections (direct or through a proxy) obey :func:`deadline`."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(_POOLS)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> urllib3.PoolManager:
        manager: urllib3.PoolManager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if not proxy.lower().startswith("socks"):  # SOCKS proxies need their own pools (read timeout only)
            manager.pool_classes_by_scheme = dict(_POOLS)
        return manager
