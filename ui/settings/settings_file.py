"""Keeping the Preferences tab true to settings.toml while the window is open: the file may be
edited by hand, by the command line or from the tray menu meanwhile.

:class:`SettingsFileWatch` asks, every few seconds while the window shows, for the file's version
(the door's ``settings_file_version``: its content's hash, read on the I/O lane, never on the GUI
thread) and calls back when it is not the one the app last read or wrote. :class:`FileNotice` is
the bar above the tab's buttons that says what happened to the file and offers to show its values,
or to save over it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from guard.presentation.i18n import _
from guard.services import Services
from ui.jobs import JobRunner, Lane
from ui.settings.common import named
from ui.widgets import plain_label

log = logging.getLogger(__name__)

INTERVAL_MS = 2000
KEY = "settings-file-watch"
MAX_PROBLEMS_SHOWN = 5


class SettingsFileWatch(QObject):
    """Calls ``changed(version)`` when the settings file is no longer the version the app read or wrote."""

    def __init__(self, services: Services, tasks: JobRunner, widget: QWidget, changed: Callable[[str], None]) -> None:
        super().__init__(widget)
        self._services = services
        self._tasks = tasks
        self._widget = widget
        self._changed = changed
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.look)
        self._timer.start()
        # at once when the window first shows: a window built over the tray app's data (when no
        # process of its own could start) holds the settings read when the app started
        QTimer.singleShot(0, self, self.look)

    def look(self) -> None:
        """Ask once, off the GUI thread (skipped while the window is hidden or a question waits)."""
        if self._widget.window().isVisible():
            self._tasks.submit(self._services.settings_file_version, self._answered, self._unreadable, lane=Lane.IO,
                               key=KEY, single=True, owner=self._widget)

    def stop(self) -> None:
        self._timer.stop()
        self._tasks.cancel(KEY)

    def _answered(self, version: str) -> None:
        if version != self._services.settings_version:
            log.info("The settings file %s was changed outside the window", self._services.settings_file)
            self._changed(version)

    def _unreadable(self, error: BaseException) -> None:
        log.debug("Could not ask whether the settings file changed: %s", error)


class FileNotice(QFrame):
    """What happened to the settings file, and what the user can do about it (hidden when nothing)."""

    def __init__(self, reload: Callable[[], None], overwrite: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.text = named(plain_label(), _("Settings file notice"))
        self.text.setWordWrap(True)
        self.reload_button = named(QPushButton(_("Show the file's values")), _("Show the settings file's values"),
                                   _("Unsaved changes in this tab are dropped"))
        self.overwrite_button = named(QPushButton(_("Save over the file")), _("Save over the settings file"),
                                      _("Replaces what was written in the file with the values shown here"))
        self.reload_button.clicked.connect(reload)
        self.overwrite_button.clicked.connect(overwrite)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.reload_button)
        buttons.addWidget(self.overwrite_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addLayout(buttons)
        self.clear()

    def say(self, text: str, *, reload: bool = False, overwrite: bool = False) -> None:
        self.text.setText(text)
        self.reload_button.setVisible(reload)
        self.overwrite_button.setVisible(overwrite)
        self.setVisible(True)

    def clear(self) -> None:
        self.text.setText("")
        self.setVisible(False)


def problems_text(problems: list[str]) -> str:
    """The settings file's problems as the bar says them: a few lines, then how many more, then what to do."""
    shown = problems[:MAX_PROBLEMS_SHOWN]
    lines = [_("The settings file has problems (where a value could not be read, the app uses its default, or "
               "the more private choice):"), *(f"• {line}" for line in shown)]
    if len(problems) > len(shown):
        lines.append(_("• … (the command meeting-guard settings lists them all)"))
    lines.append(_("Fix the file in a text editor (this tab shows its values within seconds), or Save to "
                   "replace it with the values shown here."))
    return "\n".join(lines)
