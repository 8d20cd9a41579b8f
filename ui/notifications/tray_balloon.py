"""Fallback: the tray icon's own message (a balloon on X11, a toast on Windows, Notification
Center on macOS). Only the latest message can be clicked, and it has no buttons."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QSystemTrayIcon

from guard.presentation.i18n import _
from guard.presentation.notices import Notice
from ui.notifications.base import Notifier

log = logging.getLogger(__name__)


class TrayBalloonNotifier(Notifier):
    name = "tray-message"

    def __init__(self, tray: QSystemTrayIcon, msecs: int = 15000) -> None:
        super().__init__(tray)
        self._tray = tray
        self._msecs = msecs
        self._latest: str | None = None
        tray.messageClicked.connect(self._clicked)

    def show(self, notice: Notice) -> None:
        self._latest = notice.key
        self._tray.showMessage(notice.title, notice.body + "\n" + _("{action} (click)").format(
            action=notice.action_label),
                               QSystemTrayIcon.MessageIcon.Information, self._msecs)
        log.info("Notification shown (tray message): %s", notice.title)
        self.sent.emit(notice.key)

    def _clicked(self) -> None:
        if self._latest is not None:
            self.activated.emit(self._latest, "")
