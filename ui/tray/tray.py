"""The tray icon: shows the state's icon and tooltip, keeps the menu current, and reports
when the tray host has actually embedded it (logged as "Tray icon shown").

An X11 tray host gives the icon a place (a geometry). A StatusNotifierItem (KDE Plasma, waybar,
GNOME's AppIndicator extension, every Wayland desktop) has none: there the shell asks the
host's watcher and calls :meth:`TrayIcon.mark_shown`."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from guard.presentation.views import TrayState, TrayStatus
from ui.jobs import JobRunner, Lane
from ui.tray.icons import state_icon
from ui.tray.menu import fill_menu, refresh_shown
from ui.tray.menu_model import MenuEntry
from ui.tray.presence import tray_presence
from ui.widgets import plain_tooltip

log = logging.getLogger(__name__)

SHOWN_LOG_LINE = "Tray icon shown"  # i18n-ok: a log line


class TrayIcon(QObject):
    """Owns the QSystemTrayIcon and its menu. ``action_triggered(Action, checked)`` for menu picks."""

    action_triggered = Signal(object, bool)
    shown = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = TrayState.IDLE
        self.icon = QSystemTrayIcon(state_icon(self.state), self)
        self.menu = QMenu()
        self.menu.setToolTipsVisible(True)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.menu.aboutToHide.connect(self._apply_pending)
        self._entries: list[MenuEntry] = []
        self._pending: list[MenuEntry] | None = None
        self._shown_logged = False
        self._embed_polls = 0

    def show(self) -> None:
        self.icon.show()
        QTimer.singleShot(0, self._wait_embedded)

    def _wait_embedded(self) -> None:
        """Log once the tray host gave the icon a place (non-empty geometry)."""
        if self._shown_logged:
            return
        if not self.icon.geometry().isEmpty():
            self._shown_logged = True
            log.info("%s (%s)", SHOWN_LOG_LINE, self.state)
            tray_presence().mark_shown()
            self.shown.emit()
            return
        self._embed_polls += 1
        if self._embed_polls < 400:  # 20 s
            QTimer.singleShot(50, self._wait_embedded)
        else:
            log.warning("The tray icon was shown but the tray host gave it no place on the panel")

    def confirm_registration(self, jobs: JobRunner, tries: int = 40) -> None:
        """Where the icon is a StatusNotifierItem (no geometry), ask the tray host's watcher whether
        it is registered, on the job runner, every half second for up to 20 s."""
        from guard.services import tray_registered

        def answered(registered: bool) -> None:
            if self._shown_logged or not self.icon.isVisible():
                return
            if registered:
                self.mark_shown("status notifier item")  # i18n-ok: the log line's kind of icon
            elif tries > 1:
                QTimer.singleShot(500, lambda: self.confirm_registration(jobs, tries - 1))

        jobs.submit(tray_registered, answered, lambda error: log.debug("Tray host not asked: %s", error),
                    lane=Lane.IO, key="tray-registered", owner=self)

    def mark_shown(self, how: str) -> None:
        """The tray host shows the icon though Qt knows no place for it (``how``: e.g. a status notifier item)."""
        if self._shown_logged:
            return
        self._shown_logged = True
        log.info("%s (%s, %s)", SHOWN_LOG_LINE, self.state, how)
        tray_presence().mark_shown()
        self.shown.emit()

    @property
    def embedded(self) -> bool:
        return self._shown_logged

    def set_status(self, status: TrayStatus, entries: Sequence[MenuEntry]) -> None:
        if status.state != self.state:
            self.state = status.state
            self.icon.setIcon(state_icon(status.state))
        tooltip = plain_tooltip(status.tooltip)  # it quotes bot names and notices a meeting page showed
        if self.icon.toolTip() != tooltip:
            self.icon.setToolTip(tooltip)
        entries = list(entries)
        if entries == self._entries:
            return
        if self.menu.isVisible():
            # Never rebuild a menu under the user's pointer: what can be changed in place is (an open meeting
            # submenu's process ids); the rest waits until the menu closes.
            if refresh_shown(self.menu, entries, self.action_triggered.emit):
                self._entries, self._pending = entries, None
            else:
                self._pending = entries
            return
        self._fill(entries)

    def _fill(self, entries: list[MenuEntry]) -> None:
        self._entries = entries
        self._pending = None
        fill_menu(self.menu, entries, self.action_triggered.emit)

    def _apply_pending(self) -> None:
        if self._pending is not None:
            pending = self._pending
            QTimer.singleShot(0, lambda: self._fill(pending))

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        # A left click opens the same menu (X11 tray hosts only open the context menu on a right click).
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.menu.popup(QCursor.pos())

    def hide(self) -> None:
        self.icon.hide()
