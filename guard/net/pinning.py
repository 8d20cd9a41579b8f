"""Connections go only to addresses that were checked: no second DNS lookup between check and connect.

Checking that a name resolves to public addresses and then letting the HTTP library resolve it
again leaves a gap: a hostile DNS server can answer a public address to the check and 127.0.0.1,
10.x or 169.254.169.254 to the connection (DNS rebinding). So the terms fetcher resolves each
name once, checks the answer (:mod:`guard.terms.urlpolicy`) and runs the request under
:func:`pinned`, which maps each host name to its checked addresses. The connection classes
below (used by every pool of :class:`guard.net.deadline.DeadlineAdapter`) open their socket to
those addresses only; TLS still verifies the certificate against the host name and sends it as
SNI, and the Host header stays the name, because only the socket's address changes.

A connection to a host that has no pinned addresses is refused (fail closed): nothing in the
terms watcher reaches the network by a name nobody checked. (Moved here from guard.terms; its
names are still importable from guard.terms.pinning.)
"""

from __future__ import annotations

import ipaddress
import socket
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager

import requests
import urllib3
from requests.utils import prepend_scheme_if_needed, select_proxy
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util import parse_url
from urllib3.util.timeout import _DEFAULT_TIMEOUT

_current = threading.local()


class UnpinnedHostError(OSError):
    """A connection was asked for a host whose addresses were not checked."""


def host_key(host: str) -> str:
    """How a host is looked up among the pins: lower case, no IPv6 brackets, no final dot."""
    return host.strip("[]").rstrip(".").lower()


def connect_host(url: str) -> str:
    """The host name the HTTP library will connect to for ``url`` (IDNA-encoded, as requests
    prepares it), so the pinned addresses are found under the same name (raises ValueError)."""
    try:
        prepared = requests.models.PreparedRequest()
        prepared.prepare_url(url, None)
        host = parse_url(prepared.url or url).host
    except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError) as error:
        raise ValueError(str(error)) from None
    if not host:
        raise ValueError(f"{url} has no host")
    return host


def resolve_once(host: str, resolve: Callable[[str], Sequence[str]], wait: float) -> list[str]:
    """``host``'s addresses from ``resolve``, waited for at most ``wait`` seconds: the lookup runs
    in its own thread, since the system resolver cannot be interrupted (a thread left waiting on
    a silent DNS server ends with the system's own DNS timeout). Raises what ``resolve`` raises,
    or TimeoutError."""
    answer: list[list[str] | Exception] = []

    def ask() -> None:
        try:
            answer.append([str(address) for address in resolve(host)])
        except Exception as error:  # noqa: BLE001 - handed to the caller below
            answer.append(error)

    thread = threading.Thread(target=ask, name="terms-resolve", daemon=True)
    thread.start()
    thread.join(wait)
    if not answer:
        raise TimeoutError(f"no answer from the name server within {wait:g} s")
    if isinstance(answer[0], Exception):
        raise answer[0]
    return answer[0]


def system_addresses(host: str) -> list[str]:
    """The system resolver's addresses for ``host`` (the address itself when ``host`` is one), in
    its order of preference (raises OSError)."""
    try:
        return [str(ipaddress.ip_address(host.strip("[]")))]
    except ValueError:
        pass
    infos = socket.getaddrinfo(host, None, socket.AF_UNSPEC, socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def route_once(url: str, proxies: Mapping[str, str], wait: float,
               resolve: Callable[[str], Sequence[str]] = system_addresses) -> dict[str, tuple[str, ...]]:
    """Routes for :func:`pinned` for one request to ``url``: the host it connects to (the URL's,
    or the proxy's when one of ``proxies`` applies) with that name's addresses, looked up once
    within ``wait`` seconds. What the addresses are is not judged here (the caller decides: the
    terms watcher checks them itself). Raises ValueError, OSError or TimeoutError."""
    proxy = select_proxy(url, dict(proxies))
    host = connect_host(url if proxy is None else prepend_scheme_if_needed(proxy, "http"))
    return {host: tuple(resolve_once(host, resolve, wait))}


@contextmanager
def pinned(routes: Mapping[str, Sequence[str]]) -> Iterator[None]:
    """While active (in this thread), connections to each host of ``routes`` go to its
    addresses, tried in order, and connections to any other host are refused."""
    previous = getattr(_current, "routes", None)
    _current.routes = {host_key(host): tuple(addresses) for host, addresses in routes.items()}
    try:
        yield
    finally:
        _current.routes = previous


def pinned_addresses(host: str) -> tuple[str, ...]:
    """The checked addresses for ``host`` in the active :func:`pinned` block (raises
    :class:`UnpinnedHostError` when there are none)."""
    routes: dict[str, tuple[str, ...]] | None = getattr(_current, "routes", None)
    found = routes.get(host_key(host)) if routes is not None else None
    if not found:
        raise UnpinnedHostError(f"no checked address for {host}; the connection was not opened")
    return found


def connect(host: str, port: int, timeout: float | None | object = _DEFAULT_TIMEOUT,
            source_address: tuple[str, int] | None = None,
            socket_options: Sequence[tuple[int, int, int | bytes]] | None = None) -> socket.socket:
    """A TCP connection to ``host``'s pinned addresses (the first that answers); no name lookup."""
    error: OSError | None = None
    for address in pinned_addresses(host):
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            for option in socket_options or ():
                sock.setsockopt(*option)
            if timeout is not _DEFAULT_TIMEOUT:
                sock.settimeout(timeout)  # type: ignore[arg-type]  # a float or None here
            if source_address:
                sock.bind(source_address)
            sock.connect((address, port, 0, 0) if family == socket.AF_INET6 else (address, port))
            return sock
        except OSError as failed:
            error = failed
            sock.close()
    assert error is not None  # pinned_addresses never returns an empty tuple
    raise error


def _open(conn: HTTPConnection) -> socket.socket:
    """urllib3's ``_new_conn`` with the name lookup replaced by the pinned addresses."""
    try:
        sock = connect(conn._dns_host, conn.port or 0, conn.timeout, conn.source_address,
                       conn.socket_options)
    except TimeoutError as error:
        raise ConnectTimeoutError(
            conn, f"Connection to {conn.host} timed out. (connect timeout={conn.timeout})") from error
    except OSError as error:
        raise NewConnectionError(conn, f"Failed to establish a new connection: {error}") from error
    sys.audit("http.client.connect", conn, conn.host, conn.port)
    return sock


class PinnedHTTPConnection(HTTPConnection):
    """An HTTP connection (or one to a proxy) that opens its socket to a pinned address."""

    def _new_conn(self) -> socket.socket:
        return _open(self)


class PinnedHTTPSConnection(HTTPSConnection):
    """An HTTPS connection to a pinned address; the certificate is checked against the name."""

    def _new_conn(self) -> socket.socket:
        return _open(self)
