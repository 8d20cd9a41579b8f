"""The window shown when the desktop has no system tray (some GNOME setups): it says so
plainly and offers what the tray menu offers, so the app keeps working from here."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QPushButton, QVBoxLayout, QWidget

from guard import APP_NAME
from guard.presentation.actions import (
    Action,
    CheckTerms,
    OpenSettings,
    PauseMonitoring,
    Quit,
    RecordConsent,
    ResumeMonitoring,
)
from guard.presentation.i18n import N_, _
from guard.presentation.views import TrayStatus
from ui.tray.icons import state_icon
from ui.tray.menu import fill_menu
from ui.tray.menu_model import MenuEntry

EXPLANATION = N_("Your desktop has no system tray, so {app} shows its status in this window instead. It keeps "
                 "watching for meetings while this window is open or minimised; closing it hides it (start {app} "
                 "again to bring it back) and Quit stops the app.")


class NoTrayWindow(QWidget):
    """``action_triggered(Action, checked)`` as from the tray menu."""

    action_triggered = Signal(object, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(APP_NAME)
        self.setAccessibleName(_("{app} status").format(app=APP_NAME))
        layout = QVBoxLayout(self)
        self.explanation = QLabel(_(EXPLANATION).format(app=APP_NAME))
        self.explanation.setWordWrap(True)
        layout.addWidget(self.explanation)

        status_row = QHBoxLayout()
        self.icon = QLabel()
        self.icon.setFixedSize(32, 32)
        status_row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(_("Status"))
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        status_row.addWidget(self.status, 1)
        layout.addLayout(status_row)

        self.latest = QLabel()
        self.latest.setWordWrap(True)
        self.latest.setAccessibleName(_("Latest notification"))
        self.latest.hide()
        layout.addWidget(self.latest)

        self.details_menu = QMenu(self)
        self.details = QPushButton(_("&Details (meetings, AI features, terms)"))
        self.details.setMenu(self.details_menu)
        layout.addWidget(self.details)

        buttons = QHBoxLayout()
        self.record = self._button(_("&Record my decision…"), RecordConsent(), buttons)
        self.pause = self._button(_("&Pause monitoring for 1 hour"), PauseMonitoring(), buttons)
        self.check_terms = self._button(_("Check &terms now"), CheckTerms(), buttons)
        layout.addLayout(buttons)
        lower = QHBoxLayout()
        lower.addStretch(1)
        self.settings = self._button(_("Open &settings"), OpenSettings(), lower)
        self.quit = self._button(_("&Quit"), Quit(), lower)
        layout.addLayout(lower)
        self._pause_action: Action = PauseMonitoring()
        self.resize(560, 260)

    def _button(self, text: str, action: Action, row: QHBoxLayout) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text.replace("&", ""))
        button.clicked.connect(lambda: self.action_triggered.emit(self._action_of(button, action), False))
        row.addWidget(button)
        return button

    def _action_of(self, button: QPushButton, action: Action) -> Action:
        return self._pause_action if button is self.pause else action

    def set_status(self, status: TrayStatus, entries: Sequence[MenuEntry]) -> None:
        self.icon.setPixmap(state_icon(status.state).pixmap(32, 32))
        self.status.setText(status.tooltip)
        self._pause_action = ResumeMonitoring() if status.paused else PauseMonitoring()
        self.pause.setText(_("Resume &monitoring") if status.paused else _("&Pause monitoring for 1 hour"))
        self.pause.setAccessibleName(self.pause.text().replace("&", ""))
        by_action = {type(entry.action): entry for entry in entries if entry.action and not entry.is_submenu}
        for button, kind in ((self.record, RecordConsent), (self.check_terms, CheckTerms)):
            entry = by_action.get(kind)
            button.setEnabled(entry.enabled if entry else True)
        self.check_terms.setText(_("Checking terms…") if not self.check_terms.isEnabled() else _("Check &terms now"))
        fill_menu(self.details_menu, entries, self.action_triggered.emit)

    def show_notice(self, title: str, body: str) -> None:
        self.latest.setText(f"<b>{_escape(title)}</b><br>{_escape(body)}")
        self.latest.show()

    def bring_up(self) -> None:
        self.show()
        self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        self.raise_()
        self.activateWindow()

    def closeEvent(self, event: QCloseEvent) -> None:
        event.ignore()
        self.hide()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
