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
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from guard.presentation.file_versions import settled
from guard.presentation.i18n import _, say_error
from guard.services import Services, Settings
from ui.jobs import JobRunner, Lane
from ui.settings.common import named
from ui.widgets import plain_label

log = logging.getLogger(__name__)

INTERVAL_MS = 2000
KEY = "settings-file-watch"
MAX_PROBLEMS_SHOWN = 5


class SettingsFileWatch(QObject):
    """Calls ``changed(version)`` once for each new version of the settings file that is not the
    one ``seen()`` names (the version the tab shows: the tray app may have read the file again
    already, through the same door, when the window runs in its process)."""

    def __init__(self, services: Services, tasks: JobRunner, widget: QWidget, changed: Callable[[str], None],
                 seen: Callable[[], str]) -> None:
        super().__init__(widget)
        self._services = services
        self._tasks = tasks
        self._widget = widget
        self._changed = changed
        self._seen = seen
        self._reported: str | None = None
        self._pending: str | None = None  # a new version seen once: used when the next look finds it again
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

    def forget(self) -> None:
        """Report the next version found twice even if it is the one reported last (it was
        written again while it was read, and not used)."""
        self._reported = self._pending = None

    def stop(self) -> None:
        self._timer.stop()
        self._tasks.cancel(KEY)

    def _answered(self, version: str) -> None:
        use, self._pending = settled(version, (self._seen(), self._reported), self._pending)
        if use:
            self._reported = version
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


class FollowsSettingsFile:
    """The Preferences tab's part that follows the file: read it again when the watch says it
    changed (and use it, as at a start), show it unless the user is editing, and the notice's two
    buttons. Mixed into :class:`ui.settings.preferences.PreferencesTab`, which sets up what is
    declared here."""

    services: Services
    tasks: JobRunner
    status: QLabel
    file_notice: FileNotice
    file_watch: SettingsFileWatch
    shown_version: str
    settings_saved: Any  # the tab's Signal(object)
    _conflict: str | None

    if TYPE_CHECKING:  # the tab's own
        def load(self) -> None: ...
        def edited(self) -> bool: ...
        def save(self, over: str | None = None) -> Settings | None: ...

    def file_changed(self, version: str) -> None:
        """The settings file is not the version this run last read or wrote: read it again (on
        the I/O lane), use its values if it is still ``version`` (the one the watch found twice),
        and show them unless the user is editing."""
        self.tasks.submit(lambda: self.services.reload_settings(version), self._file_read, self._file_unreadable,
                          lane=Lane.IO, key="prefs-reload", owner=self)

    def _file_read(self, settings: Settings | None) -> None:
        if settings is None:  # written again while it was read: the watch reports the version that stays
            self.file_watch.forget()
            return
        if self.services.settings_version == self.shown_version:
            return  # the version shown after all (e.g. this tab's own save, seen by the watch late)
        path = self.services.settings_file
        self.settings_saved.emit(settings)  # the app uses the file's values now, as at a start
        if not self.edited():
            self.load()
            self.status.setText(_("{path} was changed outside this window; its values are shown.").format(path=path))
            return
        changed = _("{path} was changed outside this window while you were editing here. Your changes are not "
                    "saved: show the file's values (your changes here are dropped), or keep editing and Save "
                    "(which asks before writing over the file).").format(path=path)
        problems = self.services.settings_problems()
        self.file_notice.say("\n\n".join([changed, problems_text(problems)]) if problems else changed, reload=True)

    def _file_unreadable(self, error: BaseException) -> None:
        log.warning("The settings file could not be read again: %s", error)
        self.status.setText(_("The settings file cannot be read again: {error}").format(error=say_error(error)))

    def show_file_values(self) -> None:
        """Drop the changes made here and show the settings file's values (read again)."""
        self.file_notice.clear()
        self.tasks.submit(self.services.reload_settings, self._shown_file, self._file_unreadable, lane=Lane.IO,
                          key="prefs-reload", owner=self)

    def _shown_file(self, settings: Settings | None) -> None:
        if settings is None:  # only when asked for one version: not here
            return
        self.settings_saved.emit(settings)
        self.load()
        self.status.setText(_("Showing the values of {path}.").format(path=self.services.settings_file))

    def save_over_file(self) -> None:
        """Save the values shown here over a file changed since they were shown (the user said so)."""
        self.file_notice.clear()
        self.save(over=self.services.settings_version if self._conflict is None else self._conflict)
