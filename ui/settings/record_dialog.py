"""Add a consent record by hand (a decision made before the app ran, or one it did not see)."""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from guard.presentation.consent_form import REQUESTERS, provider_choices
from guard.presentation.i18n import _, current_language, format_date, say_error
from guard.presentation.records import decision_label
from guard.presentation.terms_state import shipped_only_note
from guard.services import Decision, Meeting, Record, RecordDraft, Services, TermsRef
from ui.jobs import JobRunner
from ui.settings.common import date_format, named, with_date_hint
from ui.widgets import plain_label

log = logging.getLogger(__name__)


class RecordDialog(QDialog):
    """Fields of a :class:`RecordDraft`; OK stores it (with the terms in force) and closes."""

    def __init__(self, services: Services, jobs: JobRunner, parent: QWidget | None = None,
                 provider_id: str | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.jobs = jobs
        self.record: Record | None = None
        # the draft last sent and the record id made for it: OK pressed again on the same form (after a
        # failure said once the record may have landed) reuses the id, so the ledger holds one record
        self._attempt: tuple[RecordDraft, str] | None = None
        self.setWindowTitle(_("Add a consent record"))
        named(self, _("Add a consent record"))
        form = QFormLayout()

        self.provider = named(QComboBox(), _("Provider"))
        for choice in provider_choices(services.catalog, date.today()):
            self.provider.addItem(choice.label, choice.id)
        if provider_id:
            self.provider.setCurrentIndex(max(self.provider.findData(provider_id), 0))
        self.feature = named(QComboBox(), _("AI feature"))
        self.feature.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.decision = named(QComboBox(), _("Decision"))
        for decision in Decision:
            self.decision.addItem(decision_label(decision), str(decision))
        now = QDateTime.currentDateTime()
        self.occurred = named(QDateTimeEdit(now), _("Occurred at"),
                              _("When you made the decision, in this computer's time zone (not in the future)"))
        self.occurred.setCalendarPopup(True)
        self.occurred.setDisplayFormat(f"{date_format()} HH:mm")
        with_date_hint(self.occurred)
        self.occurred.setMaximumDateTime(now)  # a decision cannot have been made in the future
        self.title = named(QLineEdit(), _("Meeting title"))
        self.link = named(QLineEdit(), _("Meeting id or link"))
        self.organiser = named(QLineEdit(), _("Organiser"))
        self.purposes = named(QLineEdit(), _("Purposes"), _("What the consent was for; separate several with commas"))
        self.purposes.setPlaceholderText(_("e.g. meeting summary, recording"))
        self.requested_by = named(QComboBox(), _("Requested by"))
        self.requested_by.addItem("—", None)
        for who, label in REQUESTERS:
            self.requested_by.addItem(_(label), str(who))
        self.note = named(QPlainTextEdit(), _("Note"))
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(70)
        self.terms = plain_label()
        self.error = plain_label()
        self.error.setVisible(False)

        for label, widget in ((_("&Provider:"), self.provider), (_("AI &feature:"), self.feature),
                              (_("&Decision:"), self.decision), (_("&Occurred:"), self.occurred),
                              (_("Meeting &title:"), self.title), (_("Meeting &id or link:"), self.link),
                              (_("Or&ganiser:"), self.organiser), (_("P&urposes:"), self.purposes),
                              (_("Requested &by:"), self.requested_by), (_("&Note:"), self.note)):
            buddy = QLabel(label)
            buddy.setBuddy(widget)
            form.addRow(buddy, widget)
        form.addRow(_("Terms in force:"), self.terms)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = named(buttons.button(QDialogButtonBox.StandardButton.Ok), _("Record"))
        self.ok_button.setText(_("&Record"))
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)  # Qt's own word, translated by Qt
        named(cancel, cancel.text().replace("&", ""))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.provider.currentIndexChanged.connect(self._provider_changed)
        self._provider_changed()

    def _provider_changed(self) -> None:
        provider = self.services.catalog.get(self.provider.currentData() or "")
        self.feature.clear()
        self.feature.addItem(_("— none —"), None)
        if provider is not None:
            for feature in provider.ai_features:
                self.feature.addItem(feature.name, feature.id)
        provider_id, services = self.provider.currentData() or "", self.services
        self.terms.setText(_("reading…"))
        self.jobs.submit(lambda: (services.terms_in_force(provider_id), services.terms_version_dates(provider_id),
                                  services.terms_shipped_only(provider_id)),
                         lambda found: self._show_refs(provider_id, *found),
                         lambda error: self.terms.setText(_("cannot be read: {error}").format(error=error)),
                         key="record-terms", owner=self)

    def _show_refs(self, provider_id: str, refs: tuple[TermsRef, ...], dates: dict[str, date],
                   shipped: frozenset[str] = frozenset()) -> None:
        if provider_id != (self.provider.currentData() or ""):
            return

        def name(ref: TermsRef) -> str:
            title, day = self.services.document_title(ref.provider_id, ref.document_id), dates.get(ref.sha256)
            return (_("{document} (version of {date})").format(document=title, date=format_date(day)) if day
                    else _("{document} (version {version})").format(document=title, version=ref.sha256[:12]))

        unchecked = [self.services.document_title(ref.provider_id, ref.document_id) for ref in refs
                     if ref.sha256 in shipped]
        self.terms.setText(" ".join(filter(None, ("; ".join(name(ref) for ref in refs), shipped_only_note(unchecked))))
                           or _("none known (no version of this provider's terms is stored)"))

    def draft(self) -> RecordDraft:
        purposes = tuple(p.strip() for p in self.purposes.text().split(",") if p.strip())
        return RecordDraft(
            provider_id=self.provider.currentData() or "",
            decision=self.decision.currentData(),
            occurred_at=self.occurred.dateTime().toPython().astimezone(),
            feature_id=self.feature.currentData(),
            meeting=Meeting(self.title.text().strip() or None, self.link.text().strip() or None,
                            self.organiser.text().strip() or None),
            purposes=purposes,
            requested_by=self.requested_by.currentData(),
            note=self.note.toPlainText().strip() or None,
            language=current_language(),  # the form's: the language this record was made in
        )

    def save(self) -> None:
        """Store the record (on the job runner); a problem is shown here and nothing is lost from the form."""
        draft, services = self.draft(), self.services
        if self._attempt is None or self._attempt[0] != draft:
            import uuid

            self._attempt = (draft, str(uuid.uuid4()))
        record_id = self._attempt[1]
        self.ok_button.setEnabled(False)
        self.error.setVisible(False)
        self.jobs.submit(lambda: services.record_decision(draft, record_id), self._saved, self._failed,
                         key="record-save", owner=self)

    def _saved(self, record: Record) -> None:
        self.record = record
        log.info("Recorded %s for %s by hand", record.decision, record.provider_id)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.ok_button.setEnabled(True)
        self.error.setText(_("Not saved: {error}").format(error=say_error(error)))
        self.error.setVisible(True)
