"""Withdraw a consent (a new record pointing at it), and show the withdrawal letter.

The confirmation quotes the meeting's title, which its host chose: it is plain text, on one
line and cut, so no title can rewrite the sentence the user acts on (issue 16, item 5)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from guard.services import letter_blanks_left
from guard.presentation.i18n import _, letter_language_note, say_error
from guard.presentation.records import local_time
from guard.presentation.wording import one_line
from ui.settings.common import named
from ui.widgets import fit_wrapped_text, plain_label

if TYPE_CHECKING:
    from guard.services import LetterText, Record, Services
    from ui.jobs import JobRunner

TITLE_CHARS = 80
HOST_NAME_CHARS = 120  # as guard.export.letters_host caps them; the core caps again, whatever arrives
HOST_ADDRESS_CHARS = 300


class WithdrawDialog(QDialog):
    """Confirms the withdrawal, takes an optional note, and asks whether to prepare a letter."""

    def __init__(self, record: Record, provider_name: str, parent: QWidget | None = None, *,
                 feature_name: str | None = None) -> None:
        """``feature_name``: the catalog's name of the record's feature (a person reads it; the id when unknown)."""
        super().__init__(parent)
        self.setWindowTitle(_("Withdraw consent"))
        named(self, _("Withdraw consent"))
        feature = feature_name or record.feature_id
        when = local_time(record.occurred_at)
        if feature and record.meeting.title:  # both: which consent, in which meeting
            asked = _("Withdraw the consent you gave to {provider} for “{feature}” in the meeting “{meeting}” on "
                      "{when}? A new record is added that points at it; the original record stays as it was.").format(
                provider=provider_name, feature=one_line(feature, TITLE_CHARS),
                meeting=one_line(record.meeting.title, TITLE_CHARS), when=when)
        else:
            what = one_line(record.meeting.title or feature or _("this consent"), TITLE_CHARS)
            asked = _("Withdraw the consent you gave to {provider} for “{what}” on {when}? A new record is added that "
                      "points at it; the original record stays as it was.").format(provider=provider_name, what=what,
                                                                                  when=when)
        self.intro = intro = plain_label(asked)
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
    """A letter to complete, copy, save as a file or e-mail. ``fill_in`` says how many blanks
    ([FILL IN: ...]) it has: the text is editable so they can be completed here, and what is
    copied, saved or e-mailed is the text as edited. With ``host_letter_for`` (a record id), it
    also offers the same letter to the organisation that hosted or recorded the meeting, named by
    the user (the provider may be only that organisation's processor)."""

    def __init__(self, title: str, text: str, suggested_name: str, parent: QWidget | None = None,
                 mailto: str = "", *, services: Services | None = None, jobs: JobRunner | None = None,
                 notice: str = "", host_letter_for: str | None = None, fill_in: str = "",
                 kind: str = "withdrawal", language: str = "") -> None:
        super().__init__(parent)
        self.services, self.jobs, self.kind = services, jobs, kind
        self.saved_to: Path | None = None
        self.host_dialog: LetterDialog | None = None  # the letter to the organisation, once written
        self.setWindowTitle(title)
        named(self, title)
        self.suggested_name = suggested_name
        self.text = named(QPlainTextEdit(text), _("Letter text"))
        self.text.setMinimumSize(560, 360)  # editable: the blanks are completed here
        self.mailto = mailto
        copy = named(QPushButton(_("&Copy")), _("Copy the letter"))
        save = named(QPushButton(_("&Save as…")), _("Save the letter as a file"))
        email = named(QPushButton(_("Write &email…")), _("Write an email with this letter"))
        email.setEnabled(bool(mailto))
        email.clicked.connect(self._write_email)
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
        rewritable = bool(language) and kind in ("objection", "access")  # written again from the record at will
        self.language_note = plain_label(letter_language_note(language) if rewritable else "")
        self.language_note.setVisible(rewritable)
        layout.addWidget(self.language_note)
        layout.addWidget(self.text)
        self.fill_in = plain_label(fill_in)  # the blanks left to complete before sending
        self.fill_in.setVisible(bool(fill_in))
        if fill_in and language:  # counted again as they are completed (it said "5 places" with none left)
            self.text.textChanged.connect(lambda: self._count_blanks(language))
        layout.addWidget(self.fill_in)
        self.host_record = host_letter_for if services is not None and jobs is not None else None
        if self.host_record is not None:
            layout.addLayout(self._host_fields())
        layout.addWidget(self.status)
        layout.addWidget(buttons)

    def _count_blanks(self, language: str) -> None:
        left = letter_blanks_left(self.text.toPlainText(), language)
        if left != self.fill_in.text():
            self.fill_in.setText(left)
        self.fill_in.setVisible(bool(left))

    def _write_email(self) -> None:
        """Hand the letter to the desktop's e-mail program. Whether one opens cannot be seen from
        here (xdg-open answers before it finds one, or never), so the dialog says what to do if not."""
        if QDesktopServices.openUrl(QUrl(self.current_mailto())):
            self.status.setText(_("Your e-mail program was asked to open this letter. If none opens, copy the "
                                  "letter or save it, and send it yourself."))
        else:
            self.status.setText(_("No e-mail program could be started: copy the letter or save it, and send it "
                                  "yourself."))

    def current_mailto(self) -> str:
        """The ``mailto:`` link with the letter as it reads now (the user may have completed it)."""
        head, found, _body = self.mailto.partition("&body=")
        if not found:
            return self.mailto
        body = self.text.toPlainText().replace("\r\n", "\n").replace("\n", "\r\n")
        return f"{head}&body={quote(body, safe='')}"

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        fit_wrapped_text(self)  # the notice above the letter wraps over several lines

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        fit_wrapped_text(self)

    def _host_fields(self) -> QFormLayout:
        """Name and address of the organisation that hosted or recorded the meeting, and a button
        that writes the letter to it (the wording and every check are the core's)."""
        self.host_name = named(QLineEdit(), _("Organisation that hosted or recorded the meeting"))
        self.host_name.setMaxLength(HOST_NAME_CHARS)
        self.host_address = named(QLineEdit(), _("Its postal address"))
        self.host_address.setMaxLength(HOST_ADDRESS_CHARS)
        self.host_button = named(QPushButton(_("Write to the or&ganisation…")),
                                 _("Write the letter to the organisation"))
        self.host_button.setEnabled(False)
        self.host_name.textChanged.connect(lambda text: self.host_button.setEnabled(bool(text.strip())))
        self.host_button.clicked.connect(self._write_to_host)
        form = QFormLayout()
        form.addRow(_("Organisation (&name):"), self.host_name)
        form.addRow(_("Its &address:"), self.host_address)
        form.addRow(self.host_button)
        return form

    def _write_to_host(self) -> None:
        services, jobs, record_id = self.services, self.jobs, self.host_record
        if services is None or jobs is None or record_id is None:
            return
        name, address = self.host_name.text(), self.host_address.text()
        self.status.setText(_("Writing the letter to the organisation…"))
        kind = self.kind
        jobs.submit(lambda: services.host_letter(record_id, name, address, kind), self._show_host_letter,
                    lambda error: self.status.setText(_("Not written: {error}").format(error=say_error(error))),
                    owner=self)

    def _show_host_letter(self, letter: LetterText) -> None:
        self.status.setText("")
        self.host_dialog = LetterDialog(letter.title, letter.text, letter.suggested_name, self, letter.mailto,
                                        services=self.services, jobs=self.jobs, notice=letter.notice,
                                        fill_in=letter.fill_in, kind=letter.kind, language=letter.language)
        self.host_dialog.open()

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
