"""The preferences' desktop section, shown on GNOME only: whether the Guard's GNOME Shell extension
(which lets the app read window titles on GNOME Wayland) runs, and a button to install it. The
desktop is read, and the extension copied, on the job runner."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QGroupBox, QPushButton, QVBoxLayout, QWidget

from guard.presentation.i18n import _
from guard.services import DesktopReport, ExtensionInstall, ExtensionState, desktop_report, install_gnome_extension
from ui.jobs import JobRunner
from ui.settings.common import named
from ui.widgets import plain_label

log = logging.getLogger(__name__)


class DesktopPanel(QGroupBox):
    """Hidden until the desktop is read and found to be GNOME."""

    def __init__(self, tasks: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(_("Desktop"), parent)
        self.tasks = tasks
        layout = QVBoxLayout(self)
        self.status = named(plain_label(), _("GNOME Shell extension status"))
        self.status.setWordWrap(True)
        self.button = named(QPushButton(_("Install the GNOME Shell extension…")),
                            _("Install the GNOME Shell extension"),
                            _("Lets the app read window titles on GNOME Wayland (experimental)"))
        self.button.clicked.connect(self.install)
        layout.addWidget(self.status)
        layout.addWidget(self.button)
        self.setVisible(False)  # shown on GNOME, once the desktop is read
        tasks.submit(desktop_report, self._show, lambda error: log.warning("Desktop not read: %s", error),
                     key="prefs-desktop", owner=self)

    def _show(self, report: DesktopReport) -> None:
        """On GNOME: whether the Guard's extension runs, and the button to install it."""
        if not report.on_gnome:
            return
        state = report.services.gnome_extension
        self.status.setText({
            ExtensionState.ACTIVE: _("Window titles are read through the app's GNOME Shell extension "
                                     "(experimental)."),
            ExtensionState.INSTALLED: _("The app's GNOME Shell extension is installed; log out and back in, then "
                                        "turn it on in the Extensions app."),
        }.get(state, _("On GNOME Wayland the app cannot read window titles without its GNOME Shell "
                       "extension (experimental). It shares only window titles and process ids, only with this app.")))
        self.button.setEnabled(state != ExtensionState.ACTIVE)
        self.setVisible(True)

    def install(self) -> None:
        """Copy the extension into the user's GNOME Shell extensions folder (on the job runner)."""
        self.button.setEnabled(False)
        self.status.setText(_("Installing…"))
        self.tasks.submit(install_gnome_extension, self._installed, self._failed, key="prefs-gnome-extension",
                          owner=self)

    def _installed(self, done: ExtensionInstall) -> None:
        installed = _("Installed in {path}.").format(path=done.path)
        then = _("It is on now.") if done.enabled else _("Next: {step}.").format(step=done.next_step)
        self.status.setText(f"{installed} {then}")

    def _failed(self, error: BaseException) -> None:
        self.button.setEnabled(True)
        self.status.setText(_("Not installed: {error}").format(error=error))
