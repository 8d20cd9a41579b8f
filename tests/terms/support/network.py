"""A hostile name server and a loopback-only firewall, for the DNS-rebinding tests.

:class:`RebindingDNS` stands where a DNS answer enters the process, ``socket.getaddrinfo``: for
the names it is told about it answers one list of addresses to the first question and another to
every later one, as a rebinding attacker's server does; other names go to the real resolver.
Because it replaces the system resolver, it answers whoever asks: the watcher's own check, and
any second lookup the HTTP library might make at connect time.

:class:`LoopbackFirewall` drops (as "connection refused") every TCP connect to an address that
is not on this machine, and records it, through the interpreter's audit hook for
``socket.connect``. A test can then let the watcher connect to a public address it checked
without a packet leaving the machine, and see where it tried to go.
"""

from __future__ import annotations

import errno
import ipaddress
import socket
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

_real_getaddrinfo = socket.getaddrinfo


class RebindingDNS:
    """``first[name]`` to the first question about ``name``, ``then[name]`` to every later one."""

    def __init__(self, first: dict[str, Sequence[str]], then: dict[str, Sequence[str]]) -> None:
        self.first = first
        self.then = then
        self.asked: dict[str, int] = {}
        self._lock = threading.Lock()

    def __call__(self, host: Any, port: Any, family: int = 0, type: int = 0, proto: int = 0,  # noqa: A002
                 flags: int = 0) -> list[tuple[Any, ...]]:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name.rstrip(".").lower() not in self.first:
            return _real_getaddrinfo(host, port, family, type, proto, flags)
        key = name.rstrip(".").lower()
        with self._lock:
            count = self.asked.get(key, 0)
            self.asked[key] = count + 1
        answer = self.first[key] if count == 0 else self.then[key]
        results: list[tuple[Any, ...]] = []
        for address in answer:
            for info in _real_getaddrinfo(address, port, family, type or socket.SOCK_STREAM, proto,
                                          flags | socket.AI_NUMERICHOST):
                results.append(info)
        if not results:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return results


class LoopbackFirewall:
    """While :func:`loopback_only` is active: connects beyond this machine are refused and listed."""

    def __init__(self) -> None:
        self.blocked: list[tuple[str, int]] = []


_active: LoopbackFirewall | None = None
_installed = False


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event != "socket.connect" or _active is None:
        return
    address = args[1]
    if not isinstance(address, tuple):
        return  # a Unix socket
    try:
        ip = ipaddress.ip_address(str(address[0]).split("%")[0])
    except ValueError:
        return
    if not ip.is_loopback:
        _active.blocked.append((str(ip), int(address[1])))
        raise ConnectionRefusedError(errno.ECONNREFUSED, f"refused by the test firewall: {ip} is not on this machine")


@contextmanager
def loopback_only() -> Iterator[LoopbackFirewall]:
    """Refuse (and record) every TCP connect to a non-loopback address while the block runs."""
    global _active, _installed
    if not _installed:
        sys.addaudithook(_audit)  # hooks cannot be removed; this one does nothing outside the block
        _installed = True
    wall = LoopbackFirewall()
    _active = wall
    try:
        yield wall
    finally:
        _active = None
