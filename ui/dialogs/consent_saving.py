"""Saving the consent dialog's answers: what the user chose, checked for a service and a decision
(a red message asks for what is missing and goes once it is chosen), recorded on the job runner,
and an error (damaged ledger, full disk, no keyring) shown in the dialog with nothing typed lost.
A decision the ledger could not sign for want of its key is kept (DecisionKept): the form says so
and is not saved again.
A part of :class:`ui.dialogs.consent.ConsentDialog` (it mixes this in)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt

from guard.errors import GuardError
from guard.presentation.consent_form import ConsentAnswers, ConsentSubject, build_draft
from guard.presentation.i18n import _, current_language, say_error
from guard.services import Decision

if TYPE_CHECKING:
    from PySide6.QtWidgets import (
        QButtonGroup,
        QComboBox,
        QLabel,
        QLineEdit,
        QListWidget,
        QPlainTextEdit,
        QPushButton,
        QRadioButton,
    )

    from guard.services import Record, RecordDraft, Services
    from ui.jobs import JobRunner

log = logging.getLogger(__name__)


class ConsentSaving:
    """The dialog's saving part; the widgets the dialog builds are declared here."""

    services: Services
    subject: ConsentSubject
    jobs: JobRunner
    saving: bool
    kept: bool
    _missing: str
    provider: QComboBox
    feature: QComboBox
    requested_by: QComboBox
    title: QLineEdit
    link: QLineEdit
    other_purpose: QLineEdit
    note: QPlainTextEdit
    purposes: QListWidget
    decisions: QButtonGroup
    decision_buttons: dict[str, QRadioButton]
    save_button: QPushButton
    error: QLabel
    recorded: Any  # the dialog's Signal(object)
    # The answers last sent to be saved and the record id made for them: Save pressed again with
    # the same answers (after a failure said once the record may have landed) reuses the id, so the
    # ledger holds one record of the decision; changed answers are another decision, with a new id.
    _attempt: tuple[ConsentAnswers, str, RecordDraft] | None = None

    if TYPE_CHECKING:  # QDialog's
        def accept(self) -> None: ...

    def answers(self) -> ConsentAnswers | None:
        """The user's answers, or None when no service or no decision is chosen."""
        checked = self.decisions.checkedButton()
        if checked is None or not self.provider.currentData():
            return None
        decision = Decision(next(d for d, button in self.decision_buttons.items() if button is checked))
        purposes = tuple(self.purposes.item(i).text() for i in range(self.purposes.count())
                         if self.purposes.item(i).checkState() == Qt.CheckState.Checked)
        return ConsentAnswers(
            provider_id=self.provider.currentData(), decision=decision,
            feature_id=self.feature.currentData() or None, purposes=purposes,
            other_purpose=self.other_purpose.text(), requested_by=self.requested_by.currentData(),
            meeting_title=self.title.text(), meeting_link=self.link.text(), note=self.note.toPlainText(),
        )

    def save(self) -> None:
        if self.saving or self.kept:
            return
        answers = self.answers()
        if not self.provider.currentData():
            self.show_error(_("Choose the service the decision is about first."), missing="provider")
            self.provider.setFocus()
            return
        if answers is None:
            self.show_error(_("Choose your decision first: consented, refused, left the meeting, or only saw a "
                              "notice."), missing="decision")
            next(iter(self.decision_buttons.values())).setFocus()
            return
        if self._attempt is None or self._attempt[0] != answers:
            import uuid
            from datetime import UTC, datetime

            # its time fixed at the first press: a retry is then the same content under the same id
            self._attempt = (answers, str(uuid.uuid4()), build_draft(answers, self.subject,
                                                                                 current_language()).changed(
                occurred_at=datetime.now(UTC)))
        _answers, record_id, draft = self._attempt
        self.saving = True
        self.save_button.setEnabled(False)
        self.save_button.setText(_("Saving…"))
        self.error.hide()
        services = self.services
        self.jobs.submit(lambda: services.record_decision(draft, record_id), self._saved, self._failed, owner=self)

    def retry_of(self, record_id: str, draft: RecordDraft) -> None:
        """The form opened for an answer given on a notification whose save failed (``draft``
        under ``record_id``): Save with the answers as opened sends that same decision under its
        id, so one that had landed after all is not recorded twice; changed answers are new."""
        answers = self.answers()
        if answers is not None:
            self._attempt = (answers, record_id, draft)

    def choose_decision(self, decision: str) -> None:
        """Pre-select ``decision`` (an answer given on a notification that could not be saved)."""
        button = self.decision_buttons.get(str(decision))
        if button is not None:
            button.setChecked(True)

    def _saved(self, record: Record) -> None:
        self.saving = False
        log.info("Consent recorded: %s %s (record %s, seq %d)", record.provider_id, record.decision, record.id,
                 record.seq)
        self.recorded.emit(record)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        from guard.services import DecisionKept

        self.saving = False
        if isinstance(error, DecisionKept):
            self.mark_kept(say_error(error))
            return
        self.save_button.setEnabled(True)
        self.save_button.setText(_("&Save decision"))
        if isinstance(error, GuardError):
            message = say_error(error)
        elif isinstance(error, OSError):
            message = _("The decision could not be written ({error}). Nothing was saved; free some disk space or "
                        "check the data folder, then press Save again.").format(error=error.strerror or error)
        else:
            message = _("The decision could not be saved ({error}). Nothing was saved; see the log.").format(
                error=repr(error))
        self.show_error(_("Not saved: {error}").format(error=message))

    def mark_kept(self, message: str) -> None:
        """The decision is kept until the signing key can be read (``message`` says so): saving it
        again would keep it twice, so the form only says it and can be closed."""
        self.kept = True
        self.save_button.setEnabled(False)
        self.show_error(message)

    def show_error(self, message: str, missing: str = "") -> None:
        """Show ``message`` in red; ``missing`` ("provider", "decision") clears it once that is chosen."""
        self._missing = missing
        self.error.setText(message)
        self.error.show()
        self.error.setFocus()

    def _decision_chosen(self, _button: QRadioButton, checked: bool) -> None:
        if checked and self._missing == "decision":
            self.error.hide()
            self._missing = ""
