"""Desktop notifications behind one small interface (:class:`Notifier`), one module per
backend, chosen here and nowhere else:

* ``freedesktop``: org.freedesktop.Notifications on the session bus (Linux, BSD): actions
  and the default click work on every notification.
* ``tray_balloon``: the tray icon's own message (Windows toast, macOS Notification Center,
  or X11 desktops without a notification server): only the latest one can be clicked.
* ``log_only``: neither exists; the no-tray window shows the latest notice instead.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtWidgets import QSystemTrayIcon

from ui.notifications.base import NotificationsUnavailable, Notifier

log = logging.getLogger(__name__)

__all__ = ["Notifier", "NotificationsUnavailable", "choose_notifier"]


def choose_notifier(tray: QSystemTrayIcon | None, icon: str = "", shown_file: Path | None = None) -> Notifier:
    """The best backend for this desktop; ``tray`` is None when there is no system tray;
    ``shown_file`` keeps the ids of the notifications on screen, closed at the next start."""
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        from ui.notifications.freedesktop import FreedesktopNotifier

        try:
            return FreedesktopNotifier(icon=icon, shown_file=shown_file)
        except NotificationsUnavailable as error:
            log.warning("Desktop notifications unavailable (%s); using the tray's messages instead.", error)
    if tray is not None and QSystemTrayIcon.supportsMessages():
        from ui.notifications.tray_balloon import TrayBalloonNotifier

        return TrayBalloonNotifier(tray)
    from ui.notifications.log_only import LogNotifier

    return LogNotifier()
