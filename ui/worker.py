"""Detection and terms checks off the GUI thread.

Two worker objects each live in their own ``QThread``: :class:`DetectionWorker` builds the
app's :class:`~guard.services.Services` (opening the catalog and stores is I/O), then ticks
the :class:`~guard.monitor.Monitor` on a ``QTimer`` every ``detection.interval_seconds``;
:class:`TermsWorker` calls ``TermsWatcher.check_due`` every few minutes (the watcher decides
whether a check is due) and ``check`` when the user asks. A terms check can take minutes
(per-host pacing, timeouts), so it has a thread of its own and never delays a tick.

The GUI talks to both through :class:`Worker`, whose signals arrive on the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

if TYPE_CHECKING:
    from guard.monitor import Monitor
    from guard.services import Services
    from guard.settings import Settings
    from guard.terms import TermsWatcher

log = logging.getLogger(__name__)

TERMS_POLL_SECONDS = 300.0
TERMS_FIRST_CHECK_SECONDS = 60.0


def _ms(seconds: float) -> int:
    return max(1, int(seconds * 1000))


class DetectionWorker(QObject):
    """Lives in the detection thread: builds Services, owns the Monitor and its timer."""

    ready = Signal(object)  # Services
    events = Signal(object)  # list[MonitorEvent]
    snapshot = Signal(object)  # Snapshot
    problem = Signal(str)

    def __init__(self, services_factory: Callable[[], Services]) -> None:
        super().__init__()
        self._factory = services_factory
        self._monitor: Monitor | None = None
        self._timer: QTimer | None = None
        self._soon: QTimer | None = None

    @Slot()
    def start(self) -> None:
        try:
            services = self._factory()
        except Exception as error:
            log.exception("The app's data could not be opened")
            self.problem.emit(f"The app's data could not be opened: {error}")
            return
        self.ready.emit(services)
        try:
            self._monitor = services.make_monitor()
        except Exception as error:
            log.exception("Detection could not start")
            self.problem.emit(f"Detection could not start: {error}")
            return
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.tick)
        self._timer.start(_ms(self._monitor.interval_seconds))
        self.tick()

    @Slot()
    def tick_soon(self) -> None:
        """Tick in a moment (the browser extension's host said its tabs changed); a burst is one tick."""
        if self._soon is None:
            self._soon = QTimer(self)
            self._soon.setSingleShot(True)
            self._soon.timeout.connect(self.tick)
        if not self._soon.isActive():
            self._soon.start(20)

    @Slot()
    def tick(self) -> None:
        if self._monitor is None:
            return
        try:
            found = self._monitor.tick()
        except Exception as error:  # one bad pass must not stop detection
            log.exception("Detection pass failed")
            self.problem.emit(f"A detection pass failed: {error}")
            return
        if found:
            self.events.emit(found)
        self.snapshot.emit(self._monitor.snapshot())

    @Slot(object)
    def pause(self, until: datetime | None) -> None:
        if self._monitor is not None:
            self._monitor.pause(until)
            self.snapshot.emit(self._monitor.snapshot())

    @Slot()
    def resume(self) -> None:
        if self._monitor is not None:
            self._monitor.resume()
            self.tick()

    @Slot(object)
    def update_settings(self, settings: Settings) -> None:
        if self._monitor is None:
            return
        self._monitor.update_settings(settings)
        if self._timer is not None:
            self._timer.setInterval(_ms(self._monitor.interval_seconds))
        self.snapshot.emit(self._monitor.snapshot())

    @Slot()
    def stop(self) -> None:
        """Stop the timer, close the monitor (X connection, pactl child) and end the thread."""
        if self._timer is not None:
            self._timer.stop()
        if self._monitor is not None:
            try:
                self._monitor.close()
            except Exception:
                log.exception("Closing the monitor failed")
            self._monitor = None
        QThread.currentThread().quit()


class TermsWorker(QObject):
    """Lives in the terms thread: owns the TermsWatcher, checks when due or when asked."""

    terms_changed = Signal(object)  # list[TermsChanged]
    check_started = Signal()
    check_finished = Signal(object)  # CheckReport
    problem = Signal(str)

    def __init__(self, poll_seconds: float = TERMS_POLL_SECONDS,
                 first_check_seconds: float = TERMS_FIRST_CHECK_SECONDS) -> None:
        super().__init__()
        self._poll_seconds = poll_seconds
        self._first_check_seconds = first_check_seconds
        self._services: Services | None = None
        self._watcher: TermsWatcher | None = None
        self._timer: QTimer | None = None

    @Slot(object)
    def start(self, services: Services) -> None:
        self._services = services
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check_due)
        self._timer.start(_ms(self._poll_seconds))
        QTimer.singleShot(_ms(self._first_check_seconds), self.check_due)

    def _get_watcher(self) -> TermsWatcher | None:
        if self._watcher is None and self._services is not None:
            try:
                self._watcher = self._services.make_terms_watcher()
                log.info("Terms watcher ready: %d document(s), network %s", len(self._watcher.documents),
                         "on" if self._watcher.network_enabled else "off")
            except Exception as error:
                log.exception("The terms watcher could not start")
                self.problem.emit(f"The terms watcher could not start: {error}")
        return self._watcher

    @Slot()
    def check_due(self) -> None:
        watcher = self._get_watcher()
        if watcher is None or QThread.currentThread().isInterruptionRequested():
            return
        if watcher.is_due():
            self._run(watcher, None)

    @Slot(str)
    def check_now(self, provider_id: str = "") -> None:
        watcher = self._get_watcher()
        if watcher is None:
            self.check_finished.emit(None)
            return
        self._run(watcher, provider_id or None)

    def _run(self, watcher: TermsWatcher, provider_id: str | None) -> None:
        self.check_started.emit()
        try:
            report = watcher.check(provider_id)
        except Exception as error:  # the watcher records failures itself; this is a bug guard
            log.exception("Terms check failed")
            self.problem.emit(f"The terms check failed: {error}")
            self.check_finished.emit(None)
            return
        if report.events:
            self.terms_changed.emit(report.events)
        self.check_finished.emit(report)

    @Slot(object)
    def update_settings(self, settings: Settings) -> None:
        """The next check builds a watcher from the new settings (network on/off, interval)."""
        self._watcher = None

    @Slot()
    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        QThread.currentThread().quit()


class Worker(QObject):
    """The GUI's handle on both worker threads. Every signal arrives on the GUI thread.

    Signals: ``ready(Services)``, ``events(list[MonitorEvent])``, ``snapshot(Snapshot)``,
    ``terms_changed(list[TermsChanged])``, ``terms_check_started()``,
    ``terms_check_finished(CheckReport | None)``, ``problem(str)``.
    """

    ready = Signal(object)
    events = Signal(object)
    snapshot = Signal(object)
    terms_changed = Signal(object)
    terms_check_started = Signal()
    terms_check_finished = Signal(object)
    problem = Signal(str)

    # Requests, delivered into the worker threads (queued connections).
    _start_detection = Signal()
    _start_terms = Signal(object)
    _pause = Signal(object)
    _resume = Signal()
    _tick_soon = Signal()
    _detection_settings = Signal(object)
    _terms_settings = Signal(object)
    _check_now = Signal(str)
    _stop_detection = Signal()
    _stop_terms = Signal()

    def __init__(self, services_factory: Callable[[], Services], *, terms_poll_seconds: float = TERMS_POLL_SECONDS,
                 terms_first_check_seconds: float = TERMS_FIRST_CHECK_SECONDS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services: Services | None = None
        self._detection_thread = QThread()
        self._detection_thread.setObjectName("detection")
        self._terms_thread = QThread()
        self._terms_thread.setObjectName("terms")
        self._detection = DetectionWorker(services_factory)
        self._terms = TermsWorker(terms_poll_seconds, terms_first_check_seconds)
        self._detection.moveToThread(self._detection_thread)
        self._terms.moveToThread(self._terms_thread)
        self._started = False

        self._start_detection.connect(self._detection.start)
        self._pause.connect(self._detection.pause)
        self._resume.connect(self._detection.resume)
        self._tick_soon.connect(self._detection.tick_soon)
        self._detection_settings.connect(self._detection.update_settings)
        self._stop_detection.connect(self._detection.stop)
        self._start_terms.connect(self._terms.start)
        self._terms_settings.connect(self._terms.update_settings)
        self._check_now.connect(self._terms.check_now)
        self._stop_terms.connect(self._terms.stop)

        self._detection.ready.connect(self._on_ready)
        self._detection.events.connect(self.events)
        self._detection.snapshot.connect(self.snapshot)
        self._detection.problem.connect(self.problem)
        self._terms.terms_changed.connect(self.terms_changed)
        self._terms.check_started.connect(self.terms_check_started)
        self._terms.check_finished.connect(self.terms_check_finished)
        self._terms.problem.connect(self.problem)

    def start(self) -> None:
        """Start both threads; Services are built in the detection thread (see ``ready``)."""
        if self._started:
            return
        self._started = True
        self._detection_thread.start()
        self._terms_thread.start()
        self._start_detection.emit()

    def _on_ready(self, services: Services) -> None:
        self.services = services
        self.ready.emit(services)
        self._start_terms.emit(services)

    def pause(self, until: datetime | None) -> None:
        """Stop looking until ``until`` (aware), or until :meth:`resume` when None."""
        self._pause.emit(until)

    def resume(self) -> None:
        self._resume.emit()

    def detect_soon(self) -> None:
        """Run a detection pass now rather than at the next tick (the browser's tabs changed)."""
        self._tick_soon.emit()

    def update_settings(self, settings: Settings) -> None:
        self._detection_settings.emit(settings)
        self._terms_settings.emit(settings)

    def check_terms_now(self, provider_id: str | None = None) -> None:
        self._check_now.emit(provider_id or "")

    def stop(self, timeout_ms: int = 5000) -> bool:
        """Stop timers, close the monitor, end both threads. False when the terms thread is
        still busy (a fetch in flight) after ``timeout_ms``; the caller decides what then."""
        if not self._started:
            return True
        self._started = False
        self._terms_thread.requestInterruption()
        self._stop_detection.emit()
        self._stop_terms.emit()
        detection_done = self._detection_thread.wait(timeout_ms)
        terms_done = self._terms_thread.wait(max(1, timeout_ms // 2))
        if not detection_done:
            log.error("The detection thread did not stop within %d ms", timeout_ms)
        if not terms_done:
            log.warning("A terms check is still running; not waiting for it")
        return detection_done and terms_done
