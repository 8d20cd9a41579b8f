"""A small session-bus client for the notification backend: calls with deadlines from any
thread, signals handed to callbacks, one reader thread, and tolerant of servers that misbehave.

jeepney's threading router stops reading the bus for good when a server answers one call
twice: mako 1.7.1 (Debian 12's) sends a method return and then an ``UnknownMethod`` error
for the same call, and the router's reader thread dies on the second reply (its future is
already done), so no click on any notification would ever arrive. Here a reply to a call no
longer waited for, or answered already, is dropped, and the reader keeps going.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

log = logging.getLogger(__name__)

POLL = 0.25  # seconds the reader waits for a message before it looks whether it should stop


class BusClosed(ConnectionError):
    """The bus connection went away while a call waited for its reply."""


class BusClient:
    """One jeepney connection to a bus, read by one daemon thread."""

    def __init__(self, bus: str = "SESSION") -> None:
        from jeepney.io.blocking import open_dbus_connection

        self._conn = open_dbus_connection(bus)
        self._lock = threading.Lock()
        self._serials = itertools.count(1_000_000)  # apart from the connection's own (Hello was 1)
        self._pending: dict[int, Future[Any]] = {}
        self._handlers: list[tuple[Any, Callable[[Any], None]]] = []
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._read, name="notify-bus", daemon=True)
        self._thread.start()

    @property
    def unique_name(self) -> str:
        return str(self._conn.unique_name)

    def call(self, message: Any, timeout: float) -> Any:
        """Send a method call and return its reply (a method return or an error message)."""
        future: Future[Any] = Future()
        with self._lock:
            if self._closed.is_set():
                raise BusClosed("the bus connection is closed")
            serial = next(self._serials)
            self._pending[serial] = future
            self._conn.send(message, serial=serial)
        try:
            return future.result(timeout)
        finally:
            with self._lock:
                self._pending.pop(serial, None)

    def on_signal(self, rule: Any, callback: Callable[[Any], None]) -> None:
        """Hand every signal matching ``rule`` to ``callback`` (on the reader thread)."""
        with self._lock:
            self._handlers.append((rule, callback))

    def close(self) -> None:
        self._closed.set()
        self._thread.join(timeout=2 * POLL + 1)
        with self._lock:
            pending, self._pending = self._pending, {}
        for future in pending.values():
            if not future.done():
                future.set_exception(BusClosed("the bus connection was closed"))  # i18n-ok: logged, not shown
        self._conn.close()

    def _read(self) -> None:
        from jeepney import HeaderFields, MessageType

        while not self._closed.is_set():
            try:
                message = self._conn.receive(timeout=POLL)
            except TimeoutError:
                continue
            except (OSError, ValueError) as error:  # the bus went away, or sent what cannot be parsed
                if not self._closed.is_set():
                    log.warning("The notification bus connection ended: %s", error)
                self._closed.set()
                break
            kind = message.header.message_type
            if kind in (MessageType.method_return, MessageType.error):
                serial = message.header.fields.get(HeaderFields.reply_serial)
                with self._lock:
                    future = self._pending.get(serial)
                if future is not None and not future.done():
                    future.set_result(message)
                else:
                    log.debug("Dropped a reply to call %s that nobody waits for (a second answer?)", serial)
            elif kind == MessageType.signal:
                with self._lock:
                    handlers = list(self._handlers)
                for rule, callback in handlers:
                    if rule.matches(message):
                        try:
                            callback(message)
                        except Exception:  # noqa: BLE001 - one bad handler must not stop the reader
                            log.exception("A bus signal handler failed")
        with self._lock:
            pending = list(self._pending.values())
        for future in pending:
            if not future.done():
                future.set_exception(BusClosed("the bus connection ended"))  # i18n-ok: logged, not shown
