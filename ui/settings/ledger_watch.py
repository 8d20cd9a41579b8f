"""Noticing what another process wrote while the settings window is open: records
(``meeting-guard consent add``, another copy of the app) and terms versions (``meeting-guard
terms check``). Every few seconds, while the window shows, one cheap question on the I/O lane
(the door's ``ledger_version``, SQLite's data_version, or ``terms_store_stamp``, a stat of the
terms index); when the answer changed, the window reads that store again. The GUI thread never
touches the files."""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

from guard.services import Services
from ui.jobs import JobRunner, Lane

log = logging.getLogger(__name__)

INTERVAL_MS = 2000
# The terms store is written once per document during a check (minutes, with per-host pacing):
# looking less often keeps the window from comparing versions again after every page.
TERMS_INTERVAL_MS = 10_000
KEY = "ledger-watch"


class LedgerWatch(QObject):
    """Calls ``changed()`` when the ledger was written by another connection since the last look
    (or, with ``ask`` and ``key``, when what ``ask()`` answers changed: :func:`terms_watch`).

    :meth:`settle` takes the current state as seen without calling ``changed`` (the window was
    told of a write and reloads anyway)."""

    def __init__(self, services: Services, tasks: JobRunner, window: QWidget, changed: Callable[[], None], *,
                 ask: Callable[[], Hashable] | None = None, key: str = KEY, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(window)
        self._services = services
        self._ask_store: Callable[[], Hashable] = ask or services.ledger_version
        self._key = key
        self._tasks = tasks
        self._window = window
        self._changed = changed
        self._seen: Hashable | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.look)
        self._timer.start()
        self.settle()

    def look(self) -> None:
        """Ask once, off the GUI thread, whether the ledger changed (skipped while hidden or while
        the previous question waits)."""
        if self._window.isVisible():
            self._ask(self._answered, single=True)

    def settle(self) -> None:
        """Take the ledger as it is now as seen (a newer answer than any question in flight)."""
        self._ask(self._settled, single=False)

    def stop(self) -> None:
        self._timer.stop()
        self._tasks.cancel(self._key)

    def _ask(self, then: Callable[[Hashable], None], *, single: bool) -> None:
        self._tasks.submit(self._ask_store, then, self._unreadable, lane=Lane.IO, key=self._key, single=single,
                           owner=self._window)

    def _settled(self, version: Hashable) -> None:
        self._seen = version

    def _answered(self, version: Hashable) -> None:
        seen, self._seen = self._seen, version
        if seen is not None and version != seen:
            log.debug("%s: written elsewhere, reading it again", self._key)
            self._changed()

    def _unreadable(self, error: BaseException) -> None:
        # the history tab says why the ledger cannot be read; asking again later is all there is to do
        log.debug("Could not ask whether the ledger changed: %s", error)


def terms_watch(services: Services, tasks: JobRunner, window: QWidget, changed: Callable[[], None]) -> LedgerWatch:
    """The same watch over the terms store: a version another process stored (``meeting-guard
    terms check``, ``terms import``) shows in the open window without reopening it."""
    return LedgerWatch(services, tasks, window, changed, ask=services.terms_store_stamp, key="terms-watch",
                       interval_ms=TERMS_INTERVAL_MS)
