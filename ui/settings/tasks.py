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


class BackgroundTasks(QObject):
    _finished = Signal(object, object, object)  # job, result, error

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
                result = work()
            except BaseException as error:  # delivered to the GUI thread, which shows it
                self._finished.emit(job, None, error)
            else:
                self._finished.emit(job, result, None)

        self._pool.start(runner)

    @Slot(object, object, object)
    def _deliver(self, job: _Job, result: Any, error: BaseException | None) -> None:
        if self._serials.get(job.key) != job.serial:
            return  # a newer run of the same job supersedes this one
        if error is None:
            job.on_done(result)
        elif job.on_error is not None:
            job.on_error(error)
        else:
            log.error("Background job %s failed", job.key, exc_info=error)

    def wait(self, msecs: int = -1) -> bool:
        """Wait for running jobs (window teardown, tests)."""
        return self._pool.waitForDone(msecs)
