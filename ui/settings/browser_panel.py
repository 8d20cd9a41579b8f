"""The preferences' browser-extension section: per browser, whether the extension's native host is
registered and the extension connected, with Install and Remove. Every read and write goes through
the services door on the job runner (a few small files, or registry values on Windows)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from functools import partial

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import QGridLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from guard.presentation.i18n import N_, _
from guard.presentation.records import local_time
from guard.presentation.browser_words import add_extension_steps, said_state
from guard.services import BrowserIntegration, Services
from ui.jobs import JobRunner
from ui.settings.common import named
from ui.widgets import plain_label

log = logging.getLogger(__name__)
REFRESH_MS = 5000  # while the section is shown: a few small files read on the job runner

EXPLAINED = N_(
    "The Meeting Privacy Guard extension tells this app which meeting tabs are open (in front or behind), and "
    "when a meeting page shows an AI or recording notice or a note-taker bot joins. It reads only the meeting "
    "services' own pages and sends nothing anywhere but to this app. Install registers the small program the "
    "browser starts for it; then add the extension to the browser.")


def servers_line(status: BrowserIntegration, name_of: Callable[[str], str]) -> str:
    """The servers the user added in that browser's extension (its options page), as the section lists them; ""
    when there are none (or the extension is not connected, when the list is not known)."""
    shown = [_("{host} ({service})").format(host=host, service=name_of(provider)) for host, provider in status.servers]
    text = _("Servers added in the extension: {servers}").format(servers=", ".join(shown)) if shown else ""
    if status.servers_refused:
        refused = _("{count} more refused (a bad name, or over the limit)").format(count=status.servers_refused)
        text = f"{text}; {refused}" if text else _("Servers added in the extension: {refused}").format(refused=refused)
    return text


def describe(status: BrowserIntegration) -> str:
    """One line about one browser, as the section shows it."""
    text = said_state(status)
    if status.connected:
        text += " " + _("(now)")
    elif status.last_seen is not None:
        text += "; " + _("last connected {when}").format(when=local_time(status.last_seen))
    if status.problem:
        text = _("{state}: {problem}").format(state=text, problem=status.problem)
    return text


class BrowserPanel(QGroupBox):
    """Browser extension: one row per browser found, with its state and an Install or Remove button."""

    def __init__(self, services: Services, tasks: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(_("Browser extension"), parent)
        self.services = services
        self.tasks = tasks
        self.buttons: dict[str, QPushButton] = {}
        self.states: dict[str, QLabel] = {}
        self.servers: dict[str, QLabel] = {}  # per browser, the servers its extension was granted (read-only)
        self.steps: dict[str, QLabel] = {}  # per browser whose host is registered, how to add the extension
        layout = QVBoxLayout(self)
        explained = QLabel(_(EXPLAINED))
        explained.setWordWrap(True)
        layout.addWidget(explained)
        self.rows = QWidget()
        self.grid = QGridLayout(self.rows)
        self.grid.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.rows)
        self.status = named(plain_label(_("Looking for browsers…")), _("Browser extension status"))
        self.refresh_button = named(QPushButton(_("Look aga&in")), _("Look for browsers again"))
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.refresh_button)
        layout.addLayout(bottom)
        self.refresh_button.clicked.connect(self.refresh)
        # While shown, looked at again now and then: a browser started or closed meanwhile (the extension
        # connecting) left the section saying "add the extension" until Look again was clicked.
        self.again = QTimer(self)
        self.again.setInterval(REFRESH_MS)
        self.again.timeout.connect(self._look_again)
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.again.isActive():
            self.again.start()
            self.refresh()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.again.stop()

    def refresh(self) -> None:
        self.tasks.submit(self.services.browser_integration, self.show_statuses, self._failed, key="browser-status",
                          owner=self)

    def _look_again(self) -> None:
        if not self.tasks.busy("browser-status"):  # an Install or Remove under way is not made stale
            self.refresh()

    def install(self, browser_id: str) -> None:
        self.status.setText(_("Registering…"))
        self.tasks.submit(partial(self.services.install_browser_host, [browser_id]), self.show_statuses,
                          self._failed, key="browser-status", owner=self)

    def remove(self, browser_id: str) -> None:
        self.status.setText(_("Removing…"))
        self.tasks.submit(partial(self.services.remove_browser_host, [browser_id]), self.show_statuses,
                          self._failed, key="browser-status", owner=self)

    def show_statuses(self, statuses: Sequence[BrowserIntegration]) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.buttons.clear()
        self.states.clear()
        self.servers.clear()
        self.steps.clear()
        row = -1
        for status in statuses:
            row += 1
            name = plain_label(status.browser, wrap=False)  # a wrapping label's column would collapse to nothing
            state = named(plain_label(describe(status)), _("{browser} extension status").format(browser=status.browser))
            self.states[status.id] = state
            self.grid.addWidget(name, row, 0)
            self.grid.addWidget(state, row, 1)
            if status.supported:
                registered = status.registered or status.connected
                button = named(QPushButton(_("Remove") if registered else _("Install")),
                               (_("Remove for {browser}") if registered else _("Install for {browser}")).format(
                                   browser=status.browser))
                button.clicked.connect(partial(self.remove if registered else self.install, status.id))
                self.buttons[status.id] = button
                self.grid.addWidget(button, row, 2)
            if status.state == "host registered" and status.last_seen is None:  # "add the extension": how
                row += 1
                steps = named(plain_label(add_extension_steps(status.id)),
                              _("How to add the extension to {browser}").format(browser=status.browser))
                steps.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # the folder, to copy
                self.steps[status.id] = steps
                self.grid.addWidget(steps, row, 1, 1, 2)
            listed = servers_line(status, self.services.provider_name)
            if listed:  # added and removed in the browser, where its permission prompt is: only listed here
                row += 1
                servers = named(plain_label(listed), _("Servers added in {browser}").format(browser=status.browser))
                self.servers[status.id] = servers
                self.grid.addWidget(servers, row, 1, 1, 2)
        self.grid.setColumnStretch(1, 1)
        self.status.setText("" if statuses else _("No supported browser was found for this user."))

    def _failed(self, error: BaseException) -> None:
        log.warning("Browser extension status failed: %s", error)
        self.status.setText(_("The browsers could not be looked at: {error}").format(error=error))
