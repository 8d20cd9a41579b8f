"""Run slow work (ledger verify, exports, terms diffs, chart counts) off the GUI thread.

A :class:`BackgroundTasks` owns a small thread pool; each job's result (or exception) comes
back through a queued signal and its callback runs on the GUI thread. A job whose ``key``
was started again meanwhile is stale and its result is dropped, so a slow answer never
overwrites a newer one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


@dataclass
class _Job:
    key: str
    serial: int
    on_done: Callable[[Any], None]
    on_error: Callable[[BaseException], None] | None
    result: Any = None
    error: BaseException | None = None


class BackgroundTasks(QObject):
    _finished = Signal(object)  # the finished job (its result or error set), to the GUI thread

    def __init__(self, parent: QObject | None = None, threads: int = 2) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._serials: dict[str, int] = {}
        self._finished.connect(self._deliver)

    def run(self, key: str, work: Callable[[], Any], on_done: Callable[[Any], None],
            on_error: Callable[[BaseException], None] | None = None) -> None:
        """Run ``work()`` on the pool; then ``on_done(result)`` or ``on_error(exc)`` on the GUI thread."""
        serial = self._serials.get(key, 0) + 1
        self._serials[key] = serial
        job = _Job(key, serial, on_done, on_error)

        def runner() -> None:
            try:
                job.result = work()
            except BaseException as error:  # delivered to the GUI thread, which shows it
                job.error = error
            self._finished.emit(job)

        self._pool.start(runner)

    @Slot(object)
    def _deliver(self, job: _Job) -> None:
        if self._serials.get(job.key) != job.serial:
            return  # a newer run of the same job supersedes this one
        if job.error is None:
            job.on_done(job.result)
        elif job.on_error is not None:
            job.on_error(job.error)
        else:
            log.error("Background job %s failed", job.key, exc_info=job.error)

    def wait(self, msecs: int = -1) -> bool:
        """Wait for running jobs (window teardown, tests)."""
        return self._pool.waitForDone(msecs)
