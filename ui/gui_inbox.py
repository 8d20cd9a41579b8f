"""Hand work from any thread to the GUI thread without the other thread calling into Qt.

Why not a queued signal: a signal emitted from a worker thread runs Qt's ``activate`` and
``postEvent`` on that thread, and both take Qt mutexes (a pool of mutexes picked by object
address, shared by unrelated objects). Inside them the binding may ask for Python's global
interpreter lock (a virtual method's Python override looked up, an argument copied). The GUI
thread holds that lock while Python code runs and may, at the same moment, wait for the same
pooled mutex (``QMenu.clear()`` deleting an action, which disconnects it). Each thread then waits
for the other for ever: the tray froze this way when a job finished while its menu was rebuilt.

So a worker only puts the call on a Python queue and writes one byte to a socket pair (a plain
system call; the "self-pipe" wake-up). A :class:`QSocketNotifier` on the GUI thread sees the byte
and runs what was queued, in order. No Qt code runs on the worker's side, so it never holds a
Qt mutex while it waits for Python's lock.
"""

from __future__ import annotations

import functools
import logging
import queue
import socket
import sys
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QSocketNotifier, Slot

log = logging.getLogger(__name__)

_DRAIN_BYTES = 4096  # wake-up bytes read at a time; their count does not matter, only that one came


def _close(*sockets: socket.socket) -> None:
    for sock in sockets:
        try:
            sock.close()
        except OSError:  # already closed
            pass


class GuiInbox(QObject):
    """``post(fn, *args)`` from any thread; ``fn(*args)`` then runs on the thread that made
    the inbox (the GUI thread), in the order posted. Create it on the GUI thread."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._calls: queue.SimpleQueue[tuple[Callable[..., Any], tuple[Any, ...]]] = queue.SimpleQueue()
        self._wake_in, self._wake_out = socket.socketpair()
        self._wake_in.setblocking(False)
        self._wake_out.setblocking(False)
        self._closed = threading.Event()
        self._notifier = QSocketNotifier(self._wake_in.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)
        # An inbox deleted without close() (with its window or runner) gives its descriptors back
        # too. Not when Python collects the wrapper: that can happen on any thread and before Qt
        # deletes the notifier, which would then watch a number the next socket may be given.
        self.destroyed.connect(functools.partial(_close, self._wake_in, self._wake_out))

    def post(self, fn: Callable[..., Any], *args: Any) -> None:
        """Queue ``fn(*args)`` for the GUI thread. Safe from any thread; never calls Qt."""
        if self._closed.is_set():
            log.debug("Dropped a call for the GUI thread: the inbox is closed")
            return
        self._calls.put((fn, args))
        try:
            self._wake_out.send(b"\0")
        except BlockingIOError:
            pass  # the socket is full of wake-ups already: the GUI thread will drain the queue
        except OSError:  # closed meanwhile (the app is stopping): nobody is left to run it
            log.debug("Dropped a call for the GUI thread: the inbox closed while posting")

    def close(self) -> None:
        """Stop taking calls; what is queued is dropped. Call it on the GUI thread."""
        self._closed.set()
        self._notifier.setEnabled(False)  # first: a watched descriptor is never closed under Qt
        _close(self._wake_in, self._wake_out)

    @Slot()
    def _drain(self) -> None:
        try:
            while self._wake_in.recv(_DRAIN_BYTES):
                pass
        except (BlockingIOError, InterruptedError):
            pass  # all read: a byte sent after this wakes the notifier again
        except OSError:
            return  # closed
        # Only the calls queued now: one that posts another (a callback submitting a job) runs
        # at the next wake-up, after the GUI thread has had its turn.
        for _ in range(self._calls.qsize()):
            try:
                fn, args = self._calls.get_nowait()
            except queue.Empty:
                break
            if self._closed.is_set():
                return
            try:
                fn(*args)
            except Exception:  # noqa: BLE001 - reported as Qt reports a failing slot; the calls behind it still run
                sys.excepthook(*sys.exc_info())
