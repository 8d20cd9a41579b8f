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
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from guard import APP_NAME
from guard.presentation import wording
from guard.presentation.consent_form import (
    DECISIONS,
    MAX_FIELD,
    REQUESTERS,
    ConsentSubject,
    cut,
    default_requested_by,
    provider_choices,
    purposes_for,
)
from guard.presentation.i18n import _, format_date, format_number, listed, ngettext
from guard.presentation.terms_state import shipped_only_note
from guard.services import AiFeature, Provider, TermsRef
from ui.dialogs.consent_saving import ConsentSaving
from ui.guithread import guard_gui_thread
from ui.jobs import JobRunner
from ui.widgets import plain_label, plain_tooltip

if TYPE_CHECKING:
    from guard.services import Services

log = logging.getLogger(__name__)

NO_FEATURE = ""
NO_PROVIDER = ""
EVIDENCE_LINE = 160  # characters of one evidence line
MAX_EVIDENCE_LINES = 8
MAX_PURPOSE_ROWS = 6  # rows the purposes list shows at once; more scroll
ERROR_COLOR = "#b00020"  # the error message: red (and bold)
MAX_NAME = 40  # characters the service box asks room for at least ("x" wide, so more than most names take)
MAX_COMBO_WIDTH = 640  # px: a feature's name shows whole up to this; longer names are elided, whole in the tooltip


def scroll_viewport(area: QScrollArea) -> QWidget:
    """Give ``area`` a viewport made in Python, as Qt's own would be (QScrollArea's: no background
    role of its own, filled), and return it: measuring it then costs no type lookups (see _build)."""
    viewport = QWidget()
    viewport.setBackgroundRole(QPalette.ColorRole.NoRole)
    viewport.setAutoFillBackground(True)
    area.setViewport(viewport)
    return viewport


class ConsentDialog(ConsentSaving, QDialog):
    """``recorded(Record)`` once the decision is safely in the ledger. Saving is in
    :class:`ui.dialogs.consent_saving.ConsentSaving`."""

    recorded = Signal(object)

    def __init__(self, services: Services, subject: ConsentSubject = ConsentSubject(),
                 parent: QWidget | None = None, *, jobs: JobRunner | None = None) -> None:
        super().__init__(parent)
        guard_gui_thread()
        self.services = services
        self.subject = subject
        self.jobs = jobs or JobRunner(self)
        self.saving = False
        self.kept = False  # the decision was kept until the key can be read: nothing left to save
        self._missing = ""  # what the red message asks for; it goes once that is chosen
        self._shown = False
        self.setWindowTitle(_("Record my decision — {app}").format(app=APP_NAME))
        self.setAccessibleName(_("Record my decision"))
        self.setMinimumWidth(560)
        self._build()
        self._select_provider(subject.provider_id)
        self._select_feature(subject.feature_id)

    # -- layout -----------------------------------------------------------------------------
    def _build(self) -> None:
        # Everything but the error and the buttons scrolls: wrapped text (a long feature description,
        # the evidence) can make the form taller than the screen, and a layout squeezed below what its
        # wrapped labels need draws rows over each other (the purposes list under "Other purpose").
        self.content = QWidget()
        layout = QVBoxLayout(self.content)
        layout.setContentsMargins(0, 0, 0, 0)
        self.scroll = QScrollArea()
        # The dialog measures the scroll area's viewport; a viewport made here is one PySide already knows.
        # Asking for Qt's own (QAbstractScrollArea.viewport()) makes PySide work out its class, which builds
        # the Python type of every QtWidgets class (QWizard, QFileDialog, QCalendarWidget, ~120 with their
        # enums) and keeps them for the app's life: about 1.5 MB the tray app never gave back.
        self.viewport = scroll_viewport(self.scroll)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        # The dialog widens itself to its widest row (_fit_width); where the window manager decides the size
        # (a tiling Wayland compositor such as sway), the form scrolls sideways rather than cutting its right edge.
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.scroll.setWidget(self.content)
        # A row widens in steps, each posted on its own turn of the event loop (the box takes a longer name,
        # the terms read in the background arrive): fit once the form's layout has asked, not on a timer that
        # may run between the steps and see the old width.
        self.content.installEventFilter(self)
        outer = QVBoxLayout(self)
        outer.addWidget(self.scroll, 1)
        intro = plain_label(_("Say what you decided about an AI feature in this meeting. The record is kept on this "
                              "computer, with the terms in force today and what the app detected."))
        layout.addWidget(intro)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.provider = QComboBox()
        self.provider.setAccessibleName(_("Provider"))
        self.provider.addItem(_("Choose the service…"), NO_PROVIDER)
        choices = provider_choices(self.services.catalog, datetime.now(UTC).astimezone().date())
        for choice in choices:
            self.provider.addItem(choice.label, choice.id)
        # As wide as the longest name in characters, not measured: measuring every name shapes names in
        # scripts the box does not show (钉钉, 腾讯会议), which maps fallback fonts (4.5 MB of CJK fonts
        # here) into the tray app for the rest of its run. The list that opens draws the names it shows.
        self.provider.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.provider.setMinimumContentsLength(min(max((len(c.label) for c in choices), default=20), MAX_NAME))
        self.provider.currentIndexChanged.connect(self._provider_changed)
        self._row(form, _("&Provider:"), self.provider)

        meeting = self.subject.meeting
        self.title = QLineEdit(cut(meeting.title or "", MAX_FIELD) if meeting else "")
        self.title.setAccessibleName(_("Meeting title"))
        self.title.setPlaceholderText(_("e.g. Weekly team call"))
        self._row(form, _("Meeting &title:"), self.title)

        self.link = QLineEdit(cut(meeting.url or "", MAX_FIELD) if meeting else "")
        self.link.setAccessibleName(_("Meeting link or ID"))
        self.link.setPlaceholderText(_("optional"))
        self._row(form, _("Meeting l&ink or ID:"), self.link)

        self.feature = QComboBox()
        self.feature.setAccessibleName(_("AI feature the decision is about"))
        # The whole name shows (up to MAX_COMBO_WIDTH; the list that opens is as wide as the longest).
        self.feature.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.feature.setMaximumWidth(MAX_COMBO_WIDTH)
        self.feature.currentIndexChanged.connect(self._feature_changed)
        self._row(form, _("AI &feature:"), self.feature)
        layout.addLayout(form)
        self.feature_info = plain_label()
        self.feature_info.setAccessibleName(_("About the feature"))
        self.feature_info.setContentsMargins(12, 0, 0, 4)
        layout.addWidget(self.feature_info)

        decision_box = QGroupBox(_("Your decision"))
        decision_box.setAccessibleName(_("Your decision"))
        decision_layout = QVBoxLayout(decision_box)
        self.decisions = QButtonGroup(self)
        self.decision_buttons: dict[str, QRadioButton] = {}
        for decision, label in DECISIONS:
            button = QRadioButton(_(label))
            button.setAccessibleName(_(label).replace("&", ""))
            self.decisions.addButton(button)
            self.decision_buttons[str(decision)] = button
            decision_layout.addWidget(button)
        self.decisions.buttonToggled.connect(self._decision_chosen)
        layout.addWidget(decision_box)

        lower = QFormLayout()
        self.purposes = QListWidget()
        self.purposes.setAccessibleName(_("Purposes the decision covers"))
        self.purposes.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self._row(lower, _("P&urposes:"), self.purposes)
        self.other_purpose = QLineEdit()
        self.other_purpose.setAccessibleName(_("Other purpose"))
        self.other_purpose.setPlaceholderText(_("another purpose, in your words (optional)"))
        self._row(lower, _("&Other purpose:"), self.other_purpose)

        self.requested_by = QComboBox()
        self.requested_by.setAccessibleName(_("Who asked or turned it on"))
        for requester, label in REQUESTERS:
            self.requested_by.addItem(_(label), str(requester))
        self._row(lower, _("Asked &by:"), self.requested_by)

        self.note = QPlainTextEdit()
        self.note.setAccessibleName(_("Note"))
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText(_("anything you want to remember (optional)"))
        self.note.setMaximumHeight(70)
        self._row(lower, _("Not&e:"), self.note)
        layout.addLayout(lower)

        self.terms_info = plain_label()
        self.terms_info.setAccessibleName(_("Terms recorded with the decision"))
        layout.addWidget(self.terms_info)
        self.evidence_info = plain_label()
        self.evidence_info.setAccessibleName(_("What the app detected"))
        layout.addWidget(self.evidence_info)
        layout.addStretch(1)  # room to spare goes below the form, not between its rows

        self.error = plain_label()
        self.error.setAccessibleName(_("Error"))
        # A palette and a font rather than a style sheet: they draw the same red bold text, but a style sheet makes
        # Qt build a style-sheet style, its CSS parser and rule caches, which stayed with the tray app after the form.
        palette = self.error.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor(ERROR_COLOR))
        self.error.setPalette(palette)
        bold = self.error.font()
        bold.setBold(True)
        self.error.setFont(bold)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # a screen reader reads it when it appears
        self.error.hide()
        outer.addWidget(self.error)

        self.buttons = QDialogButtonBox()
        self.save_button: QPushButton = self.buttons.addButton(_("&Save decision"),
                                                               QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setAccessibleName(_("Save decision"))
        self.save_button.setDefault(True)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)  # Qt's own word, translated by Qt
        cancel.setAccessibleName(cancel.text().replace("&", ""))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.buttons)
        outer.addLayout(row)
        self._show_evidence()
        self.resize(max(self.minimumWidth(), 620), 600)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        first = not self._shown
        self._shown = True
        self._fit_purposes()  # row heights are only known once the style has polished the list
        if first:
            self._fit_height(shrink=True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.content and event.type() == QEvent.Type.LayoutRequest and self._shown:
            QTimer.singleShot(0, self, self._fit_width)  # not after the dialog is gone
        return super().eventFilter(watched, event)

    def _fit_height(self, shrink: bool = False) -> None:
        """Grow to show the whole form (its wrapped text at the dialog's width), up to the screen's
        height; beyond that the form scrolls. Shrinks only when first shown, never under the user's hands."""
        self._fit_width()
        width = self.viewport.width()
        needed = (self.content.heightForWidth(width) if self.content.hasHeightForWidth()
                  else self.content.sizeHint().height())
        chrome = self.height() - self.viewport.height()
        screen = self.screen().availableGeometry().height() if self.screen() is not None else 800
        target = min(needed + chrome, max(screen - 48, 300))
        if target > self.height() or (shrink and target < self.height()):
            self.resize(self.width(), target)

    def _fit_width(self) -> None:
        """Grow so the form's widest row (a feature's whole name) is not cut at the right edge: the
        form does not scroll sideways where the window manager lets it grow. Up to the screen's width."""
        extra = self.content.minimumSizeHint().width() - self.viewport.width()
        if extra > 0:
            screen = self.screen().availableGeometry().width() if self.screen() is not None else 1280
            self.resize(min(self.width() + extra, max(screen - 48, self.minimumWidth())), self.height())

    @staticmethod
    def _row(form: QFormLayout, text: str, field: QWidget) -> None:
        label = QLabel(text)
        label.setBuddy(field)
        form.addRow(label, field)

    # -- choices ----------------------------------------------------------------------------
    def _select_provider(self, provider_id: str | None) -> None:
        """The meeting's provider (the one in progress, else the one seen last); none when there was none."""
        index = self.provider.findData(provider_id) if provider_id else -1
        self.provider.setCurrentIndex(max(index, 0))
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
        if provider is not None and self._missing == "provider":
            self.error.hide()
            self._missing = ""
        self.feature.blockSignals(True)
        self.feature.clear()
        for feature in provider.ai_features if provider else ():
            name = f"{feature.name}{wording.verified_mark(feature.verified)}"
            self.feature.addItem(name, feature.id)
            self.feature.setItemData(self.feature.count() - 1, plain_tooltip(name), Qt.ItemDataRole.ToolTipRole)
        self.feature.addItem(_("No particular feature"), NO_FEATURE)
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
            self.feature_info.setText(f"{wording.feature_description(feature, provider.id)}\n"
                                      f"{wording.feature_sentence(feature, provider)}")
        self.purposes.clear()
        for purpose in purposes_for(feature):
            item = QListWidgetItem(purpose)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.purposes.addItem(item)
        self._fit_purposes()
        self.feature.setToolTip(plain_tooltip(self.feature.currentText()))
        requester = default_requested_by(feature, provider)
        self.requested_by.setCurrentIndex(max(0, self.requested_by.findData(str(requester))))

    def _fit_purposes(self) -> None:
        """Show every purpose whole, up to MAX_PURPOSE_ROWS rows; with more, the list scrolls (never
        a row cut in half with nothing to say there is more)."""
        count = self.purposes.count()
        rows = min(max(count, 1), MAX_PURPOSE_ROWS)
        line = self.purposes.fontMetrics().lineSpacing() + 4
        heights = [hint if (hint := self.purposes.sizeHintForRow(row)) > 0 else line
                   for row in range(min(count, rows))] or [line]
        frame = 2 * self.purposes.frameWidth()
        self.purposes.setFixedHeight(sum(heights) + frame + (line // 2 if count > rows else 4))
        self.purposes.scrollToTop()
        self._fit_height()

    def _show_terms(self) -> None:
        provider = self.current_provider()
        if provider is None:
            self.terms_info.setText("")
            return
        self.terms_info.setText(_("Reading the terms in force…"))
        services = self.services
        self.jobs.submit(lambda: (services.terms_in_force(provider.id), services.terms_version_dates(provider.id),
                                  services.terms_shipped_only(provider.id)),
                         lambda found: self._terms_read(provider, *found),
                         lambda error: self.terms_info.setText(
                             _("The terms in force cannot be read: {error}").format(error=error)),
                         key="consent-terms", owner=self)

    def _terms_read(self, provider: Provider, refs: tuple[TermsRef, ...], dates: dict[str, date],
                    shipped: frozenset[str] = frozenset()) -> None:
        if self.current_provider() is not provider:
            return
        if not refs:
            self.terms_info.setText(_("No terms version of {provider} is stored yet; the record will say so.").format(
                provider=provider.name))
            return
        names, unchecked = [], []
        for ref in refs:
            document = provider.document(ref.document_id)
            title = document.title if document else ref.document_id
            day = dates.get(ref.sha256)
            names.append(_("{document} (version of {date})").format(document=title, date=format_date(day)) if day
                         else _("{document} (version {version})").format(document=title, version=ref.sha256[:12]))
            if ref.sha256 in shipped:
                unchecked.append(title)
        said = _("Recorded with the terms in force: {documents}.").format(documents=listed(names))
        self.terms_info.setText(" ".join(filter(None, (said, shipped_only_note(unchecked)))))
        self._fit_height()

    def _show_evidence(self) -> None:
        evidence = self.subject.evidence if self.provider.currentData() == self.subject.provider_id else ()
        if not evidence:
            self.evidence_info.setText("")
            return
        lines = "\n".join(f"• {wording.evidence_line(e, EVIDENCE_LINE)}" for e in evidence[:MAX_EVIDENCE_LINES])
        more = len(evidence) - MAX_EVIDENCE_LINES
        if more > 0:
            lines += "\n• " + ngettext("… and {count} more", "… and {count} more", more).format(
                count=format_number(more))
        self.evidence_info.setText(_("What the app detected:") + "\n" + lines)
