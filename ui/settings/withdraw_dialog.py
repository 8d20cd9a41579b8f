"""Withdraw a consent (a new record pointing at it), and show the withdrawal letter.

The confirmation quotes the meeting's title, which its host chose: it is plain text, on one
line and cut, so no title can rewrite the sentence the user acts on (issue 16, item 5)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from guard.presentation.i18n import _, say_error
from guard.presentation.records import local_time
from guard.presentation.wording import one_line
from ui.settings.common import named
from ui.widgets import plain_label

if TYPE_CHECKING:
    from guard.services import Record, Services
    from ui.jobs import JobRunner

TITLE_CHARS = 80


class WithdrawDialog(QDialog):
    """Confirms the withdrawal, takes an optional note, and asks whether to prepare a letter."""

    def __init__(self, record: Record, provider_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Withdraw consent"))
        named(self, _("Withdraw consent"))
        what = one_line(record.meeting.title or record.feature_id or _("this consent"), TITLE_CHARS)
        self.intro = intro = plain_label(
            _("Withdraw the consent you gave to {provider} for “{what}” on {when}? A new record is added that points "
              "at it; the original record stays as it was.").format(provider=provider_name, what=what,
                                                                    when=local_time(record.occurred_at)))
        self.setMinimumWidth(420)
        note_label = QLabel(_("&Note (optional):"))
        self.note = named(QPlainTextEdit(), _("Note"))
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(60)
        note_label.setBuddy(self.note)
        self.letter = named(QCheckBox(_("Prepare a withdrawal &letter to the provider")),
                            _("Prepare a withdrawal letter"))
        self.letter.setChecked(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = named(buttons.button(QDialogButtonBox.StandardButton.Ok), _("Withdraw"))
        ok.setText(_("&Withdraw"))
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)  # Qt's own word, translated by Qt
        named(cancel, cancel.text().replace("&", ""))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (intro, note_label, self.note, self.letter, buttons):
            layout.addWidget(widget)

    @property
    def note_text(self) -> str | None:
        return self.note.toPlainText().strip() or None


class LetterDialog(QDialog):
    """A letter to read, copy or save as a file."""

    def __init__(self, title: str, text: str, suggested_name: str, parent: QWidget | None = None,
                 mailto: str = "", *, services: Services | None = None, jobs: JobRunner | None = None,
                 notice: str = "") -> None:
        super().__init__(parent)
        self.services, self.jobs = services, jobs
        self.saved_to: Path | None = None
        self.setWindowTitle(title)
        named(self, title)
        self.suggested_name = suggested_name
        self.text = named(QPlainTextEdit(text), _("Letter text"))
        self.text.setReadOnly(True)
        self.text.setMinimumSize(560, 360)
        copy = named(QPushButton(_("&Copy")), _("Copy the letter"))
        save = named(QPushButton(_("&Save as…")), _("Save the letter as a file"))
        email = named(QPushButton(_("Write &email…")), _("Write an email with this letter"))
        email.setEnabled(bool(mailto))
        email.clicked.connect(lambda: QDesktopServices.openUrl(QUrl(mailto)))
        close = named(QPushButton(_("Cl&ose")), _("Close"))
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.text.toPlainText()))
        save.clicked.connect(self._save)
        close.clicked.connect(self.accept)
        buttons = QDialogButtonBox()
        for button in (copy, save, email):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(close, QDialogButtonBox.ButtonRole.AcceptRole)
        self.status = plain_label()
        layout = QVBoxLayout(self)
        self.notice = plain_label(notice)  # e.g. no company holds the data: who to send the letter to instead
        self.notice.setVisible(bool(notice))
        layout.addWidget(self.notice)
        layout.addWidget(self.text)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

    def _save(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Save the letter"), self.suggested_name,
                                                    _("Text (*.txt)"))
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> None:
        """Write the letter to ``path``: atomically and readable by the user only (0600), off the GUI thread."""
        services, jobs, text = self.services, self.jobs, self.text.toPlainText()
        if services is None or jobs is None:
            return
        self.status.setText(_("Saving to {path}…").format(path=path))
        jobs.submit(lambda: services.save_text(path, text), lambda _none: self._saved(path),
                    lambda error: self.status.setText(_("Not saved: {error}").format(error=say_error(error))),
                    owner=self)

    def _saved(self, path: Path) -> None:
        self.saved_to = path
        self.status.setText(_("Saved to {path}.").format(path=path))
