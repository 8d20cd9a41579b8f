"""The consent dialog: what the user decided about a meeting's AI feature, saved to the ledger
with the terms versions in force and what detection saw.

Pre-filled from the meeting (provider, window title, link, evidence, the AI notice seen); the
choices and defaults come from :mod:`guard.presentation.consent_form`. Reading the terms in
force and saving run on the job runner; an error (damaged ledger, full disk, no keyring) is
shown in the dialog and nothing typed is lost. Titles and evidence come from meeting hosts and
web pages: they are shown as plain text, cut to a readable width, and never block saving.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from guard import APP_NAME
from guard.errors import GuardError
from guard.presentation import wording
from guard.presentation.consent_form import (
    DECISIONS,
    MAX_FIELD,
    REQUESTERS,
    ConsentAnswers,
    ConsentSubject,
    build_draft,
    cut,
    default_requested_by,
    purposes_for,
)
from guard.services import AiFeature, Decision, Provider, TermsRef
from ui.guithread import guard_gui_thread
from ui.jobs import JobRunner
from ui.widgets import plain_label

if TYPE_CHECKING:
    from guard.services import Record, Services

log = logging.getLogger(__name__)

NO_FEATURE = ""
EVIDENCE_LINE = 160  # characters of one evidence line
MAX_EVIDENCE_LINES = 8


class ConsentDialog(QDialog):
    """``recorded(Record)`` once the decision is safely in the ledger."""

    recorded = Signal(object)

    def __init__(self, services: Services, subject: ConsentSubject = ConsentSubject(),
                 parent: QWidget | None = None, *, jobs: JobRunner | None = None) -> None:
        super().__init__(parent)
        guard_gui_thread()
        self.services = services
        self.subject = subject
        self.jobs = jobs or JobRunner(self)
        self.saving = False
        self.setWindowTitle(f"Record my consent — {APP_NAME}")
        self.setAccessibleName("Record my consent")
        self.setMinimumWidth(560)
        self._build()
        self._select_provider(subject.provider_id)
        self._select_feature(subject.feature_id)

    # -- layout -----------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)  # wrapped labels keep their height
        intro = plain_label("Say what you decided about an AI feature in this meeting. The record is kept on this "
                            "computer, with the terms in force today and what the app detected.")
        layout.addWidget(intro)

        form = QFormLayout()
        self.provider = QComboBox()
        self.provider.setAccessibleName("Provider")
        for provider in self.services.catalog:
            self.provider.addItem(provider.name, provider.id)
        self.provider.currentIndexChanged.connect(self._provider_changed)
        self._row(form, "&Provider:", self.provider)

        meeting = self.subject.meeting
        self.title = QLineEdit(cut(meeting.title or "", MAX_FIELD) if meeting else "")
        self.title.setAccessibleName("Meeting title")
        self.title.setPlaceholderText("e.g. Weekly team call")
        self._row(form, "Meeting &title:", self.title)

        self.link = QLineEdit(cut(meeting.url or "", MAX_FIELD) if meeting else "")
        self.link.setAccessibleName("Meeting link or ID")
        self.link.setPlaceholderText("optional")
        self._row(form, "Meeting l&ink or ID:", self.link)

        self.feature = QComboBox()
        self.feature.setAccessibleName("AI feature the decision is about")
        self.feature.currentIndexChanged.connect(self._feature_changed)
        self._row(form, "AI &feature:", self.feature)
        layout.addLayout(form)
        self.feature_info = plain_label()
        self.feature_info.setAccessibleName("About the feature")
        self.feature_info.setContentsMargins(12, 0, 0, 4)
        layout.addWidget(self.feature_info)

        decision_box = QGroupBox("Your decision")
        decision_box.setAccessibleName("Your decision")
        decision_layout = QVBoxLayout(decision_box)
        self.decisions = QButtonGroup(self)
        self.decision_buttons: dict[str, QRadioButton] = {}
        for decision, label in DECISIONS:
            button = QRadioButton(label)
            button.setAccessibleName(label.replace("&", ""))
            self.decisions.addButton(button)
            self.decision_buttons[str(decision)] = button
            decision_layout.addWidget(button)
        layout.addWidget(decision_box)

        lower = QFormLayout()
        self.purposes = QListWidget()
        self.purposes.setAccessibleName("Purposes the decision covers")
        self._row(lower, "P&urposes:", self.purposes)
        self.other_purpose = QLineEdit()
        self.other_purpose.setAccessibleName("Other purpose")
        self.other_purpose.setPlaceholderText("another purpose, in your words (optional)")
        self._row(lower, "&Other purpose:", self.other_purpose)

        self.requested_by = QComboBox()
        self.requested_by.setAccessibleName("Who asked or turned it on")
        for requester, label in REQUESTERS:
            self.requested_by.addItem(label, str(requester))
        self._row(lower, "Asked &by:", self.requested_by)

        self.note = QPlainTextEdit()
        self.note.setAccessibleName("Note")
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText("anything you want to remember (optional)")
        self.note.setMaximumHeight(70)
        self._row(lower, "Not&e:", self.note)
        layout.addLayout(lower)

        self.terms_info = plain_label()
        self.terms_info.setAccessibleName("Terms recorded with the decision")
        layout.addWidget(self.terms_info)
        self.evidence_info = plain_label()
        self.evidence_info.setAccessibleName("What the app detected")
        layout.addWidget(self.evidence_info)

        self.error = plain_label()
        self.error.setAccessibleName("Error")
        self.error.setStyleSheet("color: #b00020; font-weight: bold;")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # a screen reader reads it when it appears
        self.error.hide()
        layout.addWidget(self.error)

        self.buttons = QDialogButtonBox()
        self.save_button: QPushButton = self.buttons.addButton("&Save decision", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setAccessibleName("Save decision")
        self.save_button.setDefault(True)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.buttons)
        layout.addLayout(row)
        self._show_evidence()

    @staticmethod
    def _row(form: QFormLayout, text: str, field: QWidget) -> None:
        label = QLabel(text)
        label.setBuddy(field)
        form.addRow(label, field)

    # -- choices ----------------------------------------------------------------------------
    def _select_provider(self, provider_id: str | None) -> None:
        index = self.provider.findData(provider_id) if provider_id else -1
        if index >= 0:
            self.provider.setCurrentIndex(index)
        self._provider_changed()

    def _select_feature(self, feature_id: str | None) -> None:
        index = self.feature.findData(feature_id) if feature_id else -1
        if index >= 0:
            self.feature.setCurrentIndex(index)

    def current_provider(self) -> Provider | None:
        provider_id = self.provider.currentData()
        return self.services.catalog.get(provider_id) if provider_id else None

    def current_feature(self) -> AiFeature | None:
        provider = self.current_provider()
        feature_id = self.feature.currentData()
        return provider.feature(feature_id) if provider and feature_id else None

    def _provider_changed(self) -> None:
        provider = self.current_provider()
        self.feature.blockSignals(True)
        self.feature.clear()
        for feature in provider.ai_features if provider else ():
            self.feature.addItem(f"{feature.name}{wording.verified_mark(feature.verified)}", feature.id)
        self.feature.addItem("No particular feature", NO_FEATURE)
        self.feature.blockSignals(False)
        self.feature.setCurrentIndex(0)
        self._feature_changed()
        self._show_terms()
        self._show_evidence()

    def _feature_changed(self) -> None:
        provider, feature = self.current_provider(), self.current_feature()
        if provider is None or feature is None:
            self.feature_info.setText("")
        else:
            self.feature_info.setText(f"{feature.description}\n{wording.feature_sentence(feature, provider)}")
        self.purposes.clear()
        for purpose in purposes_for(feature):
            item = QListWidgetItem(purpose)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.purposes.addItem(item)
        rows = min(max(self.purposes.count(), 1), 6)
        row_height = max(self.purposes.sizeHintForRow(0), self.purposes.fontMetrics().lineSpacing() + 6)
        self.purposes.setFixedHeight(rows * row_height + 2 * self.purposes.frameWidth() + 2)
        requester = default_requested_by(feature, provider)
        self.requested_by.setCurrentIndex(max(0, self.requested_by.findData(str(requester))))

    def _show_terms(self) -> None:
        provider = self.current_provider()
        if provider is None:
            self.terms_info.setText("")
            return
        self.terms_info.setText("Reading the terms in force…")
        services = self.services
        self.jobs.submit(lambda: services.terms_in_force(provider.id), lambda refs: self._terms_read(provider, refs),
                         lambda error: self.terms_info.setText(f"The terms in force cannot be read: {error}"),
                         key="consent-terms", owner=self)

    def _terms_read(self, provider: Provider, refs: tuple[TermsRef, ...]) -> None:
        if self.current_provider() is not provider:
            return
        if not refs:
            self.terms_info.setText(f"No terms version of {provider.name} is stored yet; the record will say so.")
            return
        names = []
        for ref in refs:
            document = provider.document(ref.document_id)
            names.append(f"{document.title if document else ref.document_id} (version {ref.sha256[:12]})")
        self.terms_info.setText("Recorded with the terms in force: " + "; ".join(names) + ".")

    def _show_evidence(self) -> None:
        evidence = self.subject.evidence if self.provider.currentData() == self.subject.provider_id else ()
        if not evidence:
            self.evidence_info.setText("")
            return
        lines = "\n".join(f"• {wording.evidence_line(e, EVIDENCE_LINE)}" for e in evidence[:MAX_EVIDENCE_LINES])
        more = len(evidence) - MAX_EVIDENCE_LINES
        if more > 0:
            lines += f"\n• … and {more} more"
        self.evidence_info.setText(f"What the app detected:\n{lines}")

    # -- saving -----------------------------------------------------------------------------
    def answers(self) -> ConsentAnswers | None:
        """The user's answers, or None (with a message) when no decision is chosen."""
        checked = self.decisions.checkedButton()
        if checked is None:
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
        if self.saving:
            return
        answers = self.answers()
        if answers is None:
            self.show_error("Choose your decision first: consented, declined, left the meeting, or only saw a notice.")
            next(iter(self.decision_buttons.values())).setFocus()
            return
        draft = build_draft(answers, self.subject)
        self.saving = True
        self.save_button.setEnabled(False)
        self.save_button.setText("Saving…")
        self.error.hide()
        services = self.services
        self.jobs.submit(lambda: services.record_decision(draft), self._saved, self._failed, owner=self)

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
        self.saving = False
        self.save_button.setEnabled(True)
        self.save_button.setText("&Save decision")
        if isinstance(error, GuardError):
            message = str(error)
        elif isinstance(error, OSError):
            message = f"The decision could not be written ({error.strerror or error}). Nothing was saved; " \
                      "free some disk space or check the data folder, then press Save again."
        else:
            message = f"The decision could not be saved ({error!r}). Nothing was saved; see the log."
        self.show_error(f"Not saved: {message}")

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.error.setFocus()
