"""Run one blocking call (a ledger write, a file write) on Qt's thread pool and hand the
result back on the GUI thread, so the GUI never waits on the disk or the keyring."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from guard.errors import GuardError

log = logging.getLogger(__name__)

_running: set[_Relay] = set()


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


def run_in_background(call: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
                      on_error: Callable[[BaseException], None] | None = None) -> None:
    """Run ``call()`` off the GUI thread; ``on_done(result)`` or ``on_error(exception)`` run on the GUI thread."""
    relay = _Relay()
    _running.add(relay)

    def finish(handler: Callable[[Any], None] | None, value: Any) -> None:
        _running.discard(relay)
        relay.deleteLater()
        if handler is not None:
            handler(value)

    relay.done.connect(lambda value: finish(on_done, value))
    relay.failed.connect(lambda error: finish(on_error, error))

    def work() -> None:
        try:
            result = call()
        except Exception as error:  # handed to the GUI, which says what went wrong
            if not isinstance(error, (GuardError, OSError)):
                log.exception("Background task failed")
            relay.failed.emit(error)
        else:
            relay.done.emit(result)

    QThreadPool.globalInstance().start(QRunnable.create(work))


def wait_for_background(timeout_ms: int = 5000) -> bool:
    """Wait for running tasks (at quit, so a ledger write in flight completes)."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)

