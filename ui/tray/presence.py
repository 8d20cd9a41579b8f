"""Whether this app's tray icon is on screen, for the settings window's Overview: the tray icon
reports when a tray host showed it; Qt says whether the desktop has a system tray at all.
Read, never guessed: before either is known the answer is None ("not known")."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QSystemTrayIcon


class TrayPresence(QObject):
    """One per app: ``changed`` fires when the icon is first shown."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.shown = False

    def mark_shown(self) -> None:
        if not self.shown:
            self.shown = True
            self.changed.emit()

    def state(self) -> bool | None:
        """True: a tray host shows the icon; False: the desktop has no system tray; None: not known yet."""
        if self.shown:
            return True
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return False
        return None


_PRESENCE: TrayPresence | None = None


def tray_presence() -> TrayPresence:
    global _PRESENCE
    if _PRESENCE is None:
        _PRESENCE = TrayPresence()
    return _PRESENCE
