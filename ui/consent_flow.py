"""Recording a decision: the consent form about a meeting, or the answer given straight from a
notification's button (consent / refuse / left / only saw the notice), saved through the
door on the job runner. If an answer cannot be saved, the form opens with it chosen, so
nothing the user said is lost; if it was kept until the signing key can be read (DecisionKept),
the form opens saying so, with nothing left to save."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from guard.presentation.actions import AnswerConsent, RecordConsent
from guard.presentation.i18n import _, say_error

if TYPE_CHECKING:
    from guard.services import Record, RecordDraft, Services, Snapshot
    from ui.dialogs.consent import ConsentDialog
    from ui.jobs import JobRunner

log = logging.getLogger(__name__)


class ConsentFlow(QObject):
    """``recorded(Record)`` once a decision is in the ledger, and ``answered(Record)`` for a
    notification that says so (a button has no form to say it worked, and the form closes once it
    is saved); ``already(Record, str)`` when a button answered a notice whose decision is that
    record already (the answer, not recorded); ``dialog_opened(ConsentDialog)``."""

    recorded = Signal(object)
    answered = Signal(object)
    already = Signal(object, str)
    dialog_opened = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services: Services | None = None
        self.jobs: JobRunner | None = None
        self.snapshot: Snapshot | None = None
        self.dialogs: list[ConsentDialog] = []

    def use(self, services: Services, jobs: JobRunner) -> None:
        self.services, self.jobs = services, jobs

    def open(self, request: RecordConsent, decision: str | None = None,
             problem: str | None = None, *, kept: bool = False,
             retry: tuple[str, RecordDraft] | None = None) -> ConsentDialog | None:
        """The form about the meeting (and provider, feature, notice) asked for; ``kept``: the
        decision was kept until the key can be read, and ``problem`` says so (not saved again);
        ``retry``: the record id and draft of the answer whose save failed (Save reuses them)."""
        from guard.presentation.consent_form import consent_subject
        from ui.dialogs.consent import ConsentDialog

        if self.services is None or self.jobs is None:
            return None
        dialog = ConsentDialog(self.services, consent_subject(request, self.snapshot), jobs=self.jobs)
        dialog.setWindowIcon(QApplication.windowIcon())
        if decision is not None:
            dialog.choose_decision(decision)
        if retry is not None:
            dialog.retry_of(*retry)
        if kept and problem:
            dialog.mark_kept(problem)
        elif problem:
            dialog.show_error(problem)
        self.dialogs.append(dialog)
        dialog.finished.connect(lambda _result, d=dialog: self._forget(d))
        dialog.recorded.connect(self.recorded)
        dialog.recorded.connect(self.answered)  # the form closes when saved: "Recorded: …" says it was
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        self.dialog_opened.emit(dialog)
        return dialog

    def answer(self, answer: AnswerConsent) -> None:
        """Record the decision given on a notification's button, without the form."""
        from guard.presentation.consent_form import build_draft, consent_subject, quick_answers
        from guard.presentation.i18n import current_language
        from guard.services import Decision

        services, jobs = self.services, self.jobs
        if services is None or jobs is None:
            return
        import uuid
        from datetime import UTC, datetime

        subject = consent_subject(answer.request, self.snapshot)
        draft = build_draft(quick_answers(subject, Decision(answer.decision), services.catalog), subject,
                            current_language()).changed(occurred_at=datetime.now(UTC))
        # its time fixed now: the form's Save after a failure sends the same decision
        record_id = str(uuid.uuid4())

        def saved(outcome: tuple[Record, bool]) -> None:
            record, was_there = outcome
            if was_there:  # one notice, one decision: the same notice told twice, answered twice
                log.warning("The answer %s from a notification was not recorded: record %d answers that notice "
                            "already", answer.decision, record.seq)
                self.already.emit(record, answer.decision)
                return
            log.info("Decision recorded from a notification: %s %s (record %d)", record.provider_id,
                     record.decision, record.seq)
            self.recorded.emit(record)
            self.answered.emit(record)

        def failed(error: BaseException) -> None:
            from guard.services import DecisionKept

            if isinstance(error, DecisionKept):  # kept until the key can be read: said in the form, not saved twice
                log.warning("The answer from a notification is kept until the signing key can be read: %s", error)
                self.failed.emit(say_error(error))
                self.open(answer.request, answer.decision, say_error(error), kept=True)
                return
            message = _("Not saved: {error}").format(error=say_error(error))
            log.warning("The answer from a notification could not be saved: %s", error)
            self.failed.emit(message)
            self.open(answer.request, answer.decision, message, retry=(record_id, draft))

        jobs.submit(lambda: services.record_answer(draft, record_id), saved, failed)

    def _forget(self, dialog: ConsentDialog) -> None:
        """A closed form is destroyed and its memory given back (ui/memory.py says why)."""
        from PySide6.QtCore import QTimer

        from ui.memory import give_back_memory

        if dialog in self.dialogs:
            self.dialogs.remove(dialog)
        dialog.deleteLater()
        QTimer.singleShot(100, lambda: give_back_memory(drawings=True))  # once the deferred delete has run

    def close_all(self) -> None:
        for dialog in list(self.dialogs):
            dialog.close()
