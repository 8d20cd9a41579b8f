"""Finds and drives the settings window.

The full window (issue 9) lives in ``ui.settings.window.SettingsWindow(services, parent=None)``
with ``show_tab(name)``, ``show_terms_change(provider_id, document_id)`` and
``set_snapshot(snapshot)``. Until it exists, a minimal window with the same title stands in
and the methods it lacks are skipped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

from guard import APP_NAME, __version__

if TYPE_CHECKING:
    from guard.services import Services

log = logging.getLogger(__name__)

SETTINGS_TITLE = f"{APP_NAME} Settings"


def minimal_settings_window(_services: "Services | None" = None) -> QWidget:
    window = QMainWindow()
    window.setWindowTitle(SETTINGS_TITLE)
    window.setCentralWidget(QLabel(f"{APP_NAME} {__version__}"))
    return window


def default_settings_window(services: "Services") -> QWidget:
    try:
        from ui.settings.window import SettingsWindow  # type: ignore[import-not-found]
    except ImportError:
        return minimal_settings_window(services)
    return SettingsWindow(services)


class SettingsHost:
    """Creates the settings window on first use (after Services are ready) and forwards calls
    to it only when it has the method."""

    def __init__(self, factory: Callable[["Services"], QWidget] = default_settings_window) -> None:
        self._factory = factory
        self.window: QWidget | None = None
        self.services: "Services | None" = None
        self._pending: list[tuple[str, tuple[Any, ...]]] = []
        self.on_settings_saved: Callable[[Any], None] | None = None

    def set_services(self, services: "Services") -> None:
        self.services = services
        pending, self._pending = self._pending, []
        for method, args in pending:
            self._call(method, *args)

    def show(self, tab: str | None = None) -> None:
        if tab:
            self._call("show_tab", tab)
        else:
            self._call(None)

    def show_terms_change(self, provider_id: str, document_id: str) -> None:
        self._call("show_terms_change", provider_id, document_id, fallback_tab="terms")

    def set_snapshot(self, snapshot: Any) -> None:
        if self.window is not None and hasattr(self.window, "set_snapshot"):
            self.window.set_snapshot(snapshot)

    def _ensure(self) -> QWidget | None:
        if self.window is None and self.services is not None:
            self.window = self._factory(self.services)
            saved = getattr(self.window, "settings_saved", None)
            if saved is not None and self.on_settings_saved is not None:
                saved.connect(self.on_settings_saved)
        return self.window

    def _call(self, method: str | None, *args: Any, fallback_tab: str | None = None) -> None:
        window = self._ensure()
        if window is None:  # Services still loading: do it when they are ready
            self._pending = [(m, a) for m, a in self._pending if m != method] + [(method, args)]  # type: ignore[list-item]
            return
        target = getattr(window, method, None) if method else None
        if target is None and fallback_tab and hasattr(window, "show_tab"):
            target, args = window.show_tab, (fallback_tab,)
        if target is not None:
            target(*args)
        log.info("Showing the settings window%s", f" ({method})" if method else "")
        window.show()
        window.raise_()
        window.activateWindow()
