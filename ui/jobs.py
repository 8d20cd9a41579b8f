"""The one job runner: every blocking call of the door (:mod:`guard.services`) runs here, off
the GUI thread, and its result comes back on the GUI thread.

Work goes to a *lane*, a thread pool of its own, so a slow kind never holds up a quick one:

* ``detection``: one thread, kept for the app's life: the monitor is used from it alone;
* ``terms``: one thread: terms checks, which can take minutes (pacing, deadlines);
* ``io``: quick reads and writes (a ledger page, a record saved, the settings file);
* ``long``: long reads and writes the user waits for (verify, exports, terms comparisons).

A job may carry a ``key``: starting another job with the same key makes the older one stale
(its cancel event is set and its result dropped), so a slow answer never overwrites a newer
one. ``single=True`` starts nothing while a job with that key still runs (a detection pass
that takes longer than the timer). The result of a job tied to an ``owner`` (a widget or
dialog) is dropped when the owner is gone by then. Callbacks run on the GUI thread only.

A finished job reaches the GUI thread through a :class:`~ui.gui_inbox.GuiInbox`, not a queued
signal: the worker never calls into Qt, which could deadlock against the GUI thread (see there).
:meth:`JobRunner.post` gives work running in a lane the same way to the GUI thread (progress).
"""

from __future__ import annotations

import itertools
import logging
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool

from guard.errors import GuardError
from ui.gui_inbox import gui_inbox, post_if_alive

log = logging.getLogger(__name__)


class Lane(StrEnum):
    DETECTION = "detection"
    TERMS = "terms"
    IO = "io"
    LONG = "long"


LANE_THREADS = {Lane.DETECTION: 1, Lane.TERMS: 1, Lane.IO: 2, Lane.LONG: 2}
# How long a busy worker may keep the interpreter before the GUI thread gets it (Python's
# default is 5 ms; an export or a terms check computing in Python would then add up to 5 ms to
# every repaint). Set once, when the first runner is made.
SWITCH_INTERVAL_S = 0.001
_KEEP = {Lane.DETECTION}  # lanes whose thread is kept (the monitor stays on one thread)


@dataclass(eq=False)
class Job:
    """One piece of work. ``cancel()`` asks it to stop (work that takes a ``cancel`` event
    checks it) and drops its result."""

    number: int
    key: str | None
    lane: Lane
    on_done: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None] | None
    cancel_event: threading.Event
    owner: QObject | None = None
    cancellable: bool = False  # its work watches ``cancel_event`` (given by the caller)
    result: Any = None
    error: BaseException | None = None
    finished: bool = False
    dropped: bool = field(default=False)

    def cancel(self) -> None:
        self.dropped = True
        self.cancel_event.set()

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()


class _Runnable(QRunnable):
    def __init__(self, job: Job, work: Callable[[], Any], hand_over: Callable[[Job], None]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._job, self._work, self._hand_over = job, work, hand_over

    def run(self) -> None:
        job = self._job
        if not job.cancelled:
            try:
                job.result = self._work()
            except BaseException as error:  # noqa: BLE001 - handed to the GUI thread, which says what went wrong
                job.error = error
                if not isinstance(error, (GuardError, OSError)):
                    log.error("Background job %s failed", job.key or job.number, exc_info=error)
        self._work = None  # type: ignore[assignment]  # drop what the closure holds before the GUI gets it
        self._hand_over(job)  # to the GUI thread; no Qt call here (see ui.gui_inbox)


class JobRunner(QObject):
    """See the module docstring. Create it on the GUI thread."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        if sys.getswitchinterval() > SWITCH_INTERVAL_S:
            sys.setswitchinterval(SWITCH_INTERVAL_S)
        self._pools: dict[Lane, QThreadPool] = {}
        for lane, threads in LANE_THREADS.items():
            pool = QThreadPool(self)
            pool.setMaxThreadCount(threads)
            if lane in _KEEP:
                pool.setExpiryTimeout(-1)
            self._pools[lane] = pool
        self._numbers = itertools.count(1)
        self._latest: dict[str, Job] = {}
        self._running: set[Job] = set()
        self._lock = threading.Lock()
        self._closed = False
        # ``post(fn, *args)`` runs ``fn(*args)`` on the GUI thread; safe from a job's work (progress).
        self.post: Callable[..., None] = gui_inbox().post
        self._hand_over = post_if_alive(self.post, self._deliver)  # a finished job, unless the runner is gone

    # -- submitting ---------------------------------------------------------------------------
    def submit(self, work: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[BaseException], None] | None = None, *, lane: Lane = Lane.IO,
               key: str | None = None, single: bool = False, owner: QObject | None = None,
               cancel: threading.Event | None = None) -> Job | None:
        """Run ``work()`` on ``lane``; then ``on_done(result)`` or ``on_error(exception)`` on
        the GUI thread. Returns the job, or None when ``single`` and one with ``key`` runs, or
        when the runner is shut down."""
        if self._closed:
            log.debug("Job %s not started: the app is stopping", key)
            return None
        with self._lock:
            if key is not None:
                older = self._latest.get(key)
                if older is not None and not older.finished:
                    if single:
                        return None
                    older.cancel()
            job = Job(next(self._numbers), key, lane, on_done, on_error, cancel or threading.Event(), owner,
                      cancellable=cancel is not None)
            if key is not None:
                self._latest[key] = job
            self._running.add(job)
        self._pools[lane].start(_Runnable(job, work, self._hand_over))
        return job

    def busy(self, key: str) -> bool:
        """Whether a job with ``key`` is still running."""
        job = self._latest.get(key)
        return job is not None and not job.finished

    def cancel(self, key: str) -> None:
        """Cancel the job with ``key`` (its result is dropped)."""
        job = self._latest.get(key)
        if job is not None:
            job.cancel()

    def _deliver(self, job: Job) -> None:
        job.finished = True
        with self._lock:
            self._running.discard(job)
            if job.key is not None and self._latest.get(job.key) is job:
                del self._latest[job.key]
        if job.dropped or self._closed or (job.owner is not None and not shiboken6.isValid(job.owner)):
            return  # superseded, cancelled, or its widget is gone
        if job.error is None:
            if job.on_done is not None:
                job.on_done(job.result)
        elif job.on_error is not None:
            job.on_error(job.error)

    # -- stopping -----------------------------------------------------------------------------
    def wait(self, timeout_ms: int = -1, lane: Lane | None = None) -> bool:
        """Wait until ``lane`` (every lane) is idle; for tests and shutdown."""
        pools = [self._pools[lane]] if lane is not None else list(self._pools.values())
        return all(pool.waitForDone(timeout_ms) for pool in pools)

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Cancel what runs, start nothing more, wait for the lanes. False when a lane is still
        busy after ``timeout_ms`` (a terms fetch in flight); the caller decides what then."""
        self._closed = True
        with self._lock:
            running = list(self._running)
        for job in running:
            job.dropped = True  # nobody is left to show a result
            if job.cancellable:
                job.cancel_event.set()  # an export stops; writes, closing and cleanup still run
        # One deadline for all lanes (four lanes waited for in turn took up to 3.5 times the
        # timeout, and a desktop ending the session kills an app that takes too long). Decision
        # writes (the IO lane) are waited for first, so they have the whole budget.
        deadline = time.monotonic() + timeout_ms / 1000
        clean = True
        for lane in sorted(self._pools, key=lambda lane: lane != Lane.IO):
            left_ms = max(1, int((deadline - time.monotonic()) * 1000))
            if lane == Lane.TERMS:  # a fetch in flight cannot be stopped from outside: do not wait long
                left_ms = min(left_ms, max(1, timeout_ms // 2))
            if not self._wait_lane(lane, left_ms):
                log.warning("The %s lane is still busy; not waiting for it", lane)
                clean = False
        return clean

    def _wait_lane(self, lane: Lane, timeout_ms: int) -> bool:
        """Wait until ``lane`` is idle, at most ``timeout_ms``."""
        return bool(self._pools[lane].waitForDone(timeout_ms))
