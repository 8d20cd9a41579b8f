"""The welcome: shown on the first start (and from the tray menu later), it says what the app
watches and never sends, whether terms pages are fetched and from where (with the switch right
there), the browser integration per browser, and where the ledger and its key live.

Words come from :mod:`guard.presentation.welcome`; the browsers and the key are read on the job
runner. Closing it (Enter, Esc or a button) records ``general.welcome_shown`` so it is shown
once; a changed terms switch is saved with it (by the shell, which owns the settings).
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from guard import APP_NAME
from guard.presentation.i18n import _
from guard.presentation.welcome import WelcomeSection, welcome_sections
from ui.guithread import guard_gui_thread
from ui.jobs import JobRunner
from ui.settings.common import named
from ui.widgets import plain_label

if TYPE_CHECKING:
    from collections.abc import Sequence

    from guard.services import BrowserIntegration, KeyStatus, Services, Settings

log = logging.getLogger(__name__)


class WelcomeDialog(QDialog):
    """``answered(Settings)`` when it closes: the settings to save (the terms switch as left here,
    and ``general.welcome_shown``); ``settings_requested()`` when the user asks for the settings."""

    answered = Signal(object)
    settings_requested = Signal()

    def __init__(self, services: Services, jobs: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        guard_gui_thread()
        self.services = services
        self.jobs = jobs
        self.browsers: Sequence[BrowserIntegration] | None = None
        self.key: KeyStatus | None = None
        self._answered = False
        self.setWindowTitle(_("Welcome to {app}").format(app=APP_NAME))
        named(self, _("Welcome"))
        self.setMinimumWidth(560)
        self._build()
        self.render()
        self.jobs.submit(services.browser_integration, self._browsers_read,
                         lambda error: self._browsers_read(()), key="welcome-browsers", owner=self)
        # cancellable: quitting with the welcome open stops the helper that reads it (under load it
        # took longer than the app's shutdown waits, and the lane was left busy)
        stop_reading = threading.Event()
        self.jobs.submit(lambda: services.key_status(cancel=stop_reading), self._key_read,
                         lambda error: log.warning("Key status: %s", error), key="welcome-key", owner=self,
                         cancel=stop_reading)

    # -- layout -------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        heading = QLabel(_("Welcome to {app}").format(app=APP_NAME))
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        heading.setFont(font)
        layout.addWidget(heading)
        layout.addWidget(plain_label(_("It runs in the tray, tells you when a meeting's AI features could record, "
                                       "summarise or train on what you say, and keeps your decisions in a ledger "
                                       "on this computer.")))
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.body)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout.addWidget(scroll, 1)
        self.sections: dict[str, tuple[QLabel, QLabel]] = {}
        for key in ("watching", "terms", "browsers", "data"):
            title = QLabel()
            bold = QFont(title.font())
            bold.setBold(True)
            title.setFont(bold)
            text = plain_label()
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.body_layout.addWidget(title)
            self.body_layout.addWidget(text)
            if key == "terms":
                self.network = named(QCheckBox(_("&Check terms pages and allow time stamps you ask for (the only "
                                               "network use)")),
                                     _("Terms checks"))
                self.network.setChecked(self.services.settings.terms.network_enabled)
                self.network.toggled.connect(lambda _on: self.render())
                self.body_layout.addWidget(self.network)
            self.sections[key] = (title, text)
        self.body_layout.addStretch(1)

        self.buttons = QDialogButtonBox()
        self.settings_button: QPushButton = self.buttons.addButton(_("Open &settings"),
                                                                   QDialogButtonBox.ButtonRole.ActionRole)
        self.ok_button: QPushButton = self.buttons.addButton(_("&Got it"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setDefault(True)
        self.ok_button.setAutoDefault(True)
        self.settings_button.clicked.connect(self._open_settings)
        self.buttons.accepted.connect(self.accept)
        layout.addWidget(self.buttons)
        self.ok_button.setFocus()
        self.resize(660, 700)

    def render(self) -> None:
        settings = self.shown_settings()
        for section in welcome_sections(settings, self.services.catalog, self.services.paths,
                                        self.services.settings_file, self.browsers, self.key):
            self._show(section)

    def _show(self, section: WelcomeSection) -> None:
        title, text = self.sections[section.key]
        title.setText(section.title)
        text.setText("\n".join(section.paragraphs))
        text.setAccessibleName(section.title)

    def text(self) -> str:
        """Everything the welcome says, in order (for tests and screen readers)."""
        return "\n\n".join(f"{title.text()}\n{text.text()}" for title, text in self.sections.values())

    # -- data read on the runner ----------------------------------------------------------------
    def _browsers_read(self, browsers: Sequence[BrowserIntegration]) -> None:
        self.browsers = tuple(browsers)
        self.render()

    def _key_read(self, status: KeyStatus) -> None:
        self.key = status
        self.render()

    # -- closing --------------------------------------------------------------------------------
    def shown_settings(self) -> Settings:
        """The settings with the terms switch as shown here."""
        current = self.services.settings
        if self.network.isChecked() == current.terms.network_enabled:
            return current
        return current.model_copy(update={"terms": current.terms.model_copy(
            update={"network_enabled": self.network.isChecked()})})

    def _open_settings(self) -> None:
        self.settings_requested.emit()
        self.accept()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not event.spontaneous():  # the app is quitting (logout, SIGTERM): not the user's answer, show it again
            self._answered = True
        super().closeEvent(event)

    def done(self, result: int) -> None:
        if not self._answered:
            self._answered = True
            shown = self.shown_settings()
            self.answered.emit(shown.model_copy(update={"general": shown.general.model_copy(
                update={"welcome_shown": True})}))
        super().done(result)
