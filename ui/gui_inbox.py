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

The app uses one inbox, :func:`gui_inbox`, made on the GUI thread and kept with the application:
a notifier must be deleted on its own thread, and an inbox owned by a runner or a window could be
deleted wherever Python's garbage collector happened to run. :func:`post_if_alive` hands over a
call to a Qt object's method that is dropped if the object is deleted by then.
"""

from __future__ import annotations

import functools
import logging
import queue
import socket
import sys
import threading
import weakref
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QSocketNotifier, QThread, Slot

log = logging.getLogger(__name__)

_DRAIN_BYTES = 4096  # wake-up bytes read at a time; their count does not matter, only that one came


def _close(*sockets: socket.socket) -> None:
    for sock in sockets:
        try:
            sock.close()
        except OSError:  # already closed
            pass


class _Mailbox:
    """The part other threads touch: a plain Python object (a Qt object's attributes are looked
    up through the binding), a queue and the writing end of the socket pair."""

    def __init__(self) -> None:
        self.calls: queue.SimpleQueue[tuple[Callable[..., Any], tuple[Any, ...]]] = queue.SimpleQueue()
        self.wake_in, self.wake_out = socket.socketpair()
        self.wake_in.setblocking(False)
        self.wake_out.setblocking(False)
        self.closed = threading.Event()

    def post(self, fn: Callable[..., Any], *args: Any) -> None:
        if self.closed.is_set():
            log.debug("Dropped a call for the GUI thread: the inbox is closed")
            return
        self.calls.put((fn, args))
        try:
            self.wake_out.send(b"\0")
        except BlockingIOError:
            pass  # the socket is full of wake-ups already: the GUI thread will drain the queue
        except OSError:  # closed meanwhile (the app is stopping): nobody is left to run it
            log.debug("Dropped a call for the GUI thread: the inbox closed while posting")

    def close(self) -> None:
        self.closed.set()
        _close(self.wake_in, self.wake_out)


class GuiInbox(QObject):
    """``post(fn, *args)`` from any thread; ``fn(*args)`` then runs on the thread that made
    the inbox (the GUI thread), in the order posted. Create it on the GUI thread; hand other
    threads :attr:`post` taken there (a plain function: calling it touches no Qt object)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        mailbox = self._mailbox = _Mailbox()
        self.post: Callable[..., None] = mailbox.post
        self._notifier = QSocketNotifier(mailbox.wake_in.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)
        # An inbox deleted without close() (with its window or runner) gives its descriptors back
        # too. Not when Python collects the wrapper: that can happen on any thread and before Qt
        # deletes the notifier, which would then watch a number the next socket may be given.
        self.destroyed.connect(functools.partial(_close, mailbox.wake_in, mailbox.wake_out))

    def close(self) -> None:
        """Stop taking calls; what is queued is dropped. Call it on the GUI thread."""
        self._notifier.setEnabled(False)  # first: a watched descriptor is never closed under Qt
        self._mailbox.close()

    @Slot()
    def _drain(self) -> None:
        mailbox = self._mailbox
        try:
            while mailbox.wake_in.recv(_DRAIN_BYTES):
                pass
        except (BlockingIOError, InterruptedError):
            pass  # all read: a byte sent after this wakes the notifier again
        except OSError:
            return  # closed
        # Only the calls queued now: one that posts another (a callback submitting a job) runs
        # at the next wake-up, after the GUI thread has had its turn.
        for _ in range(mailbox.calls.qsize()):
            try:
                fn, args = mailbox.calls.get_nowait()
            except queue.Empty:
                break
            if mailbox.closed.is_set():
                return
            try:
                fn(*args)
            except Exception:  # noqa: BLE001 - reported as Qt reports a failing slot; the calls behind it still run
                sys.excepthook(*sys.exc_info())


_shared: GuiInbox | None = None


def gui_inbox() -> GuiInbox:
    """The application's inbox, made on first use, which must be on the GUI thread (a runner or
    a notifier being made there); it lives as long as the application."""
    global _shared
    app = QCoreApplication.instance()
    if _shared is None or not shiboken6.isValid(_shared):
        if app is None or QThread.currentThread() is not app.thread():
            raise RuntimeError("the GUI inbox is made on the GUI thread, after the application")
        _shared = GuiInbox(app)
    return _shared


def _call_if_alive(method: weakref.WeakMethod[Callable[..., Any]], *args: Any) -> None:
    bound = method()
    if bound is not None and shiboken6.isValid(bound.__self__):
        bound(*args)


def post_if_alive(post: Callable[..., None], method: Callable[..., Any]) -> Callable[..., None]:
    """A function for another thread: ``f(*args)`` has ``method(*args)`` (a method of a Qt
    object) run on the GUI thread, unless the object is deleted by then. It holds the object
    weakly (no cycle keeps a runner or a window alive until a collection on some other thread),
    and looks up nothing when called. Make it on the GUI thread."""
    return functools.partial(post, _call_if_alive, weakref.WeakMethod(method))  # type: ignore[arg-type]
