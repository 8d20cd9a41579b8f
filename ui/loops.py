"""The app's recurring jobs: detection every few seconds, terms checks when due, and signing the
decisions kept while the ledger's key could not be read.

Each keeps a ``QTimer`` on the GUI thread and hand the work to the job runner (detection on
its own lane, whose one thread is the only one that touches the monitor; terms checks on the
terms lane, since one can take minutes). A pass still running when the timer fires is not
doubled. Results arrive as signals on the GUI thread.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from guard.presentation.i18n import _
from ui.jobs import JobRunner, Lane

if TYPE_CHECKING:
    from guard.services import Services

log = logging.getLogger(__name__)

TERMS_POLL_SECONDS = 300.0
TERMS_FIRST_CHECK_SECONDS = 60.0
# How often the tray looks whether another program stored terms versions (two stats of the
# store's index; versions are compared only when it was written).
TERMS_LOOK_SECONDS = 10.0
WAITING_POLL_SECONDS = 600.0
DETECT = "detect"
TERMS = "terms-check"
TERMS_LOOK = "terms-look"
SIGN_WAITING = "sign-waiting"


def _ms(seconds: float) -> int:
    return max(1, int(seconds * 1000))


class DetectionLoop(QObject):
    """``events(list[MonitorEvent])`` then ``snapshot(Snapshot)`` after each pass; ``problem(str)``."""

    events = Signal(object)
    snapshot = Signal(object)
    problem = Signal(str)

    def __init__(self, runner: JobRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._services: Services | None = None
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.tick)
        self._soon = QTimer(self)  # a pass asked for by the browser host; a burst of asks is one pass
        self._soon.setSingleShot(True)
        self._soon.timeout.connect(self._tick_when_free)

    def start(self, services: Services) -> None:
        self._services = services
        self._timer.start(_ms(services.detection_interval()))
        self.tick()

    def tick(self) -> None:
        services = self._services
        if services is not None:
            self._runner.submit(services.detect, self._passed, self._failed, lane=Lane.DETECTION, key=DETECT,
                                single=True)

    def tick_soon(self) -> None:
        """Run a pass in a moment rather than at the next tick (the browser extension's tabs changed).
        A pass already running may have read the tabs before the change, so this one waits for it."""
        if not self._soon.isActive():
            self._soon.start(20)

    def _tick_when_free(self) -> None:
        if self._runner.busy(DETECT):
            self._soon.start(20)
        else:
            self.tick()

    def _passed(self, result: tuple[list[Any], Any]) -> None:
        events, snapshot = result
        if events:
            self.events.emit(events)
        self.snapshot.emit(snapshot)

    def _failed(self, error: BaseException) -> None:  # one bad pass must not stop detection
        self.problem.emit(_("A detection pass failed: {error}").format(error=error))

    def pause(self, until: datetime | None) -> None:
        services = self._services
        if services is not None:
            self._runner.submit(lambda: services.pause_detection(until), self.snapshot.emit, self._failed,
                                lane=Lane.DETECTION)

    def resume(self) -> None:
        services = self._services
        if services is not None:
            self._runner.submit(services.resume_detection, self._passed, self._failed, lane=Lane.DETECTION)

    def settings_changed(self) -> None:
        """The interval may have changed (the services use the new settings already)."""
        if self._services is not None and self._timer.isActive():
            self._timer.setInterval(_ms(self._services.detection_interval()))

    def stop(self) -> None:
        """Stop the timer and release what detection holds open, on its own lane."""
        self._timer.stop()
        self._runner.cancel(DETECT)  # a pass still running reports nothing any more
        services, self._services = self._services, None
        if services is not None:
            self._runner.submit(services.close_detection, lane=Lane.DETECTION)


class TermsLoop(QObject):
    """Checks the watched terms when due (the watcher decides) and when asked, and tells of the
    versions another program stored meanwhile (``meeting-guard terms check`` in a terminal): every
    few seconds it asks whether the store was written, and compares only when it was. A change
    is told once, whichever found it first.

    ``check_started()``, ``check_finished(CheckReport | None)``, ``terms_changed(list[TermsChanged])``,
    ``problem(str)``.
    """

    terms_changed = Signal(object)
    check_started = Signal()
    check_finished = Signal(object)
    problem = Signal(str)

    def __init__(self, runner: JobRunner, poll_seconds: float = TERMS_POLL_SECONDS,
                 first_check_seconds: float = TERMS_FIRST_CHECK_SECONDS, look_seconds: float = TERMS_LOOK_SECONDS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._poll_seconds = poll_seconds
        self._first_check_seconds = first_check_seconds
        self._services: Services | None = None
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check_due)
        self._first = QTimer(self)
        self._first.setSingleShot(True)
        self._first.timeout.connect(self.check_due)
        self._look = QTimer(self)
        self._look.setInterval(_ms(look_seconds))
        self._look.timeout.connect(self.look)
        self._mark: Any = None  # guard.terms.stored_changes.StoreMark: the store as last seen
        self._told: set[tuple[str, str, str]] = set()  # (provider, document, new version) already told

    @property
    def started(self) -> bool:
        """Whether checks are scheduled (on the first start, only once the welcome is answered)."""
        return self._services is not None and self._timer.isActive()

    def start(self, services: Services) -> None:
        self._services = services
        self._timer.start(_ms(self._poll_seconds))
        self._first.start(_ms(self._first_check_seconds))
        self._look.start()
        self.look()  # the first look takes the store as it is: versions stored before the start are not news

    def look(self) -> None:
        """Ask, on the terms lane (after any check running), whether another program stored versions."""
        services = self._services
        if services is None:
            return
        mark = self._mark
        self._runner.submit(lambda: services.terms_stored_since(mark), self._looked, self._look_failed,
                            lane=Lane.TERMS, key=TERMS_LOOK, single=True)

    def _looked(self, result: tuple[Any, list[Any]]) -> None:
        if self._services is None:
            return
        self._mark, events = result
        self._tell(events)

    def _look_failed(self, error: BaseException) -> None:  # the next look asks again
        log.warning("Could not look for terms versions stored elsewhere: %s", error)

    def _tell(self, events: list[Any]) -> None:
        new = [event for event in events
               if (event.provider_id, event.document_id, event.new_sha256) not in self._told]
        self._told.update((event.provider_id, event.document_id, event.new_sha256) for event in new)
        if new:
            self.terms_changed.emit(new)

    def check_due(self) -> None:
        services = self._services
        if services is None or self._runner.busy(TERMS):
            return
        self._runner.submit(services.check_terms_if_due, self._finished_due, self._failed, lane=Lane.TERMS,
                            key=TERMS, single=True)

    def check_now(self, provider_id: str | None = None) -> None:
        services = self._services
        if services is None:
            self.check_finished.emit(None)
            return
        self.check_started.emit()
        self._runner.submit(lambda: services.check_terms(provider_id), self._finished, self._failed,
                            lane=Lane.TERMS)

    def _finished_due(self, report: Any) -> None:
        if report is not None:
            self._finished(report)

    def _finished(self, report: Any) -> None:
        self._tell(report.events)
        self.check_finished.emit(report)

    def _failed(self, error: BaseException) -> None:  # the watcher records failures itself; this is a bug guard
        self.problem.emit(_("The terms check failed: {error}").format(error=error))
        self.check_finished.emit(None)

    def stop(self) -> None:
        self._timer.stop()
        self._first.stop()
        self._look.stop()
        self._runner.cancel(TERMS)
        self._runner.cancel(TERMS_LOOK)
        self._services = None


class WaitingLoop(QObject):
    """Adds the decisions kept while the ledger's key could not be read (a keyring away) once it
    can be read again: at start, then every ten minutes (a folder listing when none waits).
    ``signed(list[Record])`` when some were added."""

    signed = Signal(object)

    def __init__(self, runner: JobRunner, poll_seconds: float = WAITING_POLL_SECONDS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._services: Services | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(_ms(poll_seconds))
        self._timer.timeout.connect(self.sign)

    def start(self, services: Services) -> None:
        self._services = services
        self._timer.start()
        self.sign()

    def sign(self) -> None:
        services = self._services
        if services is None:
            return
        self._runner.submit(services.sign_waiting, self._signed, self._failed, lane=Lane.IO, key=SIGN_WAITING,
                            single=True)

    def _signed(self, records: list[Any]) -> None:
        if records:
            log.info("%d kept decision(s) added to the ledger", len(records))
            self.signed.emit(records)

    def _failed(self, error: BaseException) -> None:  # the key still cannot be read: they stay kept
        log.info("Kept decisions still wait for the signing key: %s", error)

    def stop(self) -> None:
        self._timer.stop()
        self._services = None
