"""The history tab's actions on records: adding one by hand (the record dialog) and withdrawing
a consent (confirmed, then written on the job runner), each followed by the table read again,
the new record chosen and, after a withdrawal, the letter offered. A part of
:class:`ui.settings.history.HistoryTab` (it mixes this in)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from guard.presentation.i18n import _, current_language, say_error
from guard.presentation.records import decision_label
from guard.services import LetterText, Record, Services, Withdrawal
from ui.jobs import JobRunner
from ui.settings.record_dialog import RecordDialog
from ui.settings.withdraw_dialog import LetterDialog, WithdrawDialog

if TYPE_CHECKING:
    from PySide6.QtWidgets import QComboBox, QLabel, QPushButton


class HistoryActions:
    """The actions part of the history tab; what the tab builds is declared here."""

    services: Services
    tasks: JobRunner
    current: Record | None
    provider: QComboBox
    message: QLabel
    withdraw_button: QPushButton
    letter_button: QPushButton
    letter_dialog: LetterDialog | None = None  # the objection or access letter shown last
    consent_recorded: Any  # the tab's Signal(object)

    if TYPE_CHECKING:  # the tab's own
        def reload(self) -> None: ...
        def show_record(self, record_id: str) -> None: ...
        def _provider_name(self, provider_id: str) -> str: ...

    def add_record(self) -> Record | None:
        provider_id = self.provider.currentData() or (self.current.provider_id if self.current else None)
        dialog = RecordDialog(self.services, self.tasks, self, provider_id=provider_id)
        if dialog.exec() != RecordDialog.DialogCode.Accepted or dialog.record is None:
            return None
        self.recorded(dialog.record)
        self.show_record(dialog.record.id)
        self.message.setText(_("Recorded: {decision} for {provider} (record {seq}).").format(
            decision=decision_label(dialog.record.decision), provider=self._provider_name(dialog.record.provider_id),
            seq=dialog.record.seq))
        return dialog.record

    def recorded(self, record: Record) -> None:
        self.reload()
        self.consent_recorded.emit(record)

    def withdraw(self) -> None:
        """Withdraw the chosen consent after confirmation (on the job runner); then offer the letter."""
        original = self.current
        if original is None:
            return
        feature = self.services.feature_name(original.provider_id, original.feature_id) if original.feature_id else None
        dialog = WithdrawDialog(original, self._provider_name(original.provider_id), self, feature_name=feature)
        if dialog.exec() != WithdrawDialog.DialogCode.Accepted:
            return
        note, letter = dialog.note_text, dialog.letter.isChecked()
        self.withdraw_button.setEnabled(False)
        self.message.setText(_("Withdrawing…"))
        services, language = self.services, current_language()  # the dialog's: the withdrawal was made in it
        self.tasks.submit(lambda: services.withdraw(original.id, note, letter=letter, language=language),
                          self._withdrawn,
                          lambda error: self.message.setText(
                              _("Not withdrawn: {error}").format(error=say_error(error))),
                          key="withdraw", owner=self)

    def _withdrawn(self, result: Withdrawal) -> None:
        withdrawal, original = result.record, result.original
        self.recorded(withdrawal)
        self.show_record(withdrawal.id)
        text = _("Withdrawn: record {new} withdraws record {old} ({provider}).").format(
            new=withdrawal.seq, old=original.seq, provider=self._provider_name(original.provider_id))
        if result.letter_problem:
            text += " " + _("The letter could not be prepared: {error}").format(error=result.letter_problem)
        self.message.setText(text)
        if result.letter is not None:
            letter = result.letter
            LetterDialog(letter.title, letter.text, letter.suggested_name, self, letter.mailto, kind=letter.kind,
                         services=self.services, jobs=self.tasks, notice=letter.notice, fill_in=letter.fill_in,
                         language=letter.language,
                         host_letter_for=letter.record_id if letter.offers_host_letter else None).exec()

    def write_letter(self, kind: str) -> None:
        """The objection (``objection``) or access-request (``access``) letter about the chosen
        record, written on the job runner and shown to complete, copy, save or e-mail."""
        record = self.current
        if record is None:
            return
        services = self.services
        self.message.setText(_("Writing the letter…"))
        self.tasks.submit(lambda: services.letter(kind, record.id), self._show_letter,
                          lambda error: self.message.setText(
                              _("The letter could not be prepared: {error}").format(error=say_error(error))),
                          key="letter", owner=self)

    def _show_letter(self, letter: LetterText) -> None:
        self.message.setText("")
        self.letter_dialog = LetterDialog(
            letter.title, letter.text, letter.suggested_name, self, letter.mailto, services=self.services,
            jobs=self.tasks, notice=letter.notice, fill_in=letter.fill_in, kind=letter.kind, language=letter.language,
            host_letter_for=letter.record_id if letter.offers_host_letter else None)
        self.letter_dialog.open()
