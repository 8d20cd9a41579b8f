"""Creates the settings window once the app's data is loaded, and carries requests both ways:
the Shell's (show a tab, a terms change, the live snapshot, "the ledger/terms changed") to the
window, and the window's (settings saved, "check terms now") back to the Shell."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from guard import APP_NAME

if TYPE_CHECKING:
    from guard.services import Services, Snapshot
    from ui.jobs import JobRunner
    from ui.settings.window import SettingsWindow

log = logging.getLogger(__name__)

SETTINGS_TITLE = f"{APP_NAME} Settings"  # i18n-ok: the English title, for tests; the window shows it translated


def default_settings_window(services: Services, jobs: JobRunner) -> SettingsWindow:
    from ui.settings.window import SettingsWindow  # loaded on first use: not needed to show the tray

    return SettingsWindow(services, jobs)


class SettingsHost(QObject):
    """Owns the settings window; requests made before Services are ready are carried out then."""

    settings_saved = Signal(object)  # Settings
    check_terms_requested = Signal(str)  # provider id, "" for every document

    def __init__(self, jobs: JobRunner,
                 factory: Callable[[Services, JobRunner], SettingsWindow] = default_settings_window,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs = jobs
        self._factory = factory
        self.window: SettingsWindow | None = None
        self.services: Services | None = None
        self._pending: list[Callable[[SettingsWindow], None]] = []
        self._snapshot: Snapshot | None = None

    def set_services(self, services: Services) -> None:
        self.services = services
        if self._pending:
            window = self._ensure()
            pending, self._pending = self._pending, []
            for request in pending:
                request(window)  # type: ignore[arg-type]

    def show(self, tab: str | None = None) -> None:
        self._present(lambda window: window.present(tab), f"tab {tab}" if tab else "")  # i18n-ok: for the log

    def show_terms_change(self, provider_id: str, document_id: str) -> None:
        def request(window: SettingsWindow) -> None:
            window.show_terms_change(provider_id, document_id)
            window.present()

        self._present(request, f"terms change {provider_id}/{document_id}")  # i18n-ok: for the log

    def set_snapshot(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot
        if self.window is not None:
            self.window.set_snapshot(snapshot)

    def ledger_updated(self) -> None:
        if self.window is not None:
            self.window.ledger_updated()

    def terms_updated(self) -> None:
        if self.window is not None:
            self.window.terms_updated()

    def close(self) -> None:
        if self.window is not None:
            self.window.shutdown()

    def close_window(self) -> None:
        """Close the window as the user would; it is destroyed (see :meth:`_window_closed`)."""
        if self.window is not None:
            self.window.close()

    def _window_closed(self) -> None:
        """A closed window is destroyed and its memory given back; the next show builds a new one
        (the tray app runs for days, and the window is most of its memory)."""
        from PySide6.QtCore import QTimer

        from ui.memory import give_back_memory

        window, self.window = self.window, None
        if window is not None:
            window.deleteLater()
            QTimer.singleShot(100, give_back_memory)

    def _present(self, request: Callable[[SettingsWindow], Any], what: str) -> None:
        window = self._ensure()
        if window is None:  # Services still loading: do it when they are ready
            self._pending.append(request)
            return
        log.info("Showing the settings window%s", f" ({what})" if what else "")
        request(window)

    def _ensure(self) -> SettingsWindow | None:
        if self.window is None and self.services is not None:
            self.window = self._factory(self.services, self._jobs)
            self.window.settings_changed.connect(self.settings_saved)
            self.window.check_terms_requested.connect(self.check_terms_requested)
            self.window.closed.connect(self._window_closed)
            if self._snapshot is not None:
                self.window.set_snapshot(self._snapshot)
        return self.window
