"""The terms tab's comparison: two chosen versions of a document diffed clause by clause on the
job runner (big documents take a moment), AI and data-use changes highlighted, and the chosen
change's old and new wording side by side with the changed sentences tinted. A part of
:class:`ui.settings.terms.TermsTab` (it mixes this in)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from guard.presentation.i18n import _, format_number, labelled, ngettext
from guard.presentation.overview import DocumentVersions, version_label
from guard.presentation.terms_summary import change_words
from guard.presentation.terms_view import Marked, kind_words, marked_wordings
from guard.services import AnalysedChange, Services, Version
from ui.jobs import JobRunner, Lane
from ui.settings.common import css_colour, esc, highlight_tint
from ui.settings.terms_changes_model import CHANGE_ROLE, TermsChangesModel
from ui.widgets import show_hint

if TYPE_CHECKING:
    from PySide6.QtCore import QItemSelection
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QComboBox, QLabel, QTableView, QTextBrowser


@dataclass(frozen=True)
class Comparison:
    document: DocumentVersions
    old: Version
    new: Version
    changes: list[AnalysedChange]


class TermsComparing:
    """The comparing part of the terms tab; the widgets the tab builds are declared here."""

    services: Services
    tasks: JobRunner
    comparison: Comparison | None
    old: QComboBox
    new: QComboBox
    summary: QLabel
    model: TermsChangesModel
    changes: QTableView
    old_text: QTextBrowser
    new_text: QTextBrowser

    if TYPE_CHECKING:  # the tab's own, and QWidget's
        def current_document(self) -> DocumentVersions | None: ...
        def palette(self) -> QPalette: ...

    def select_versions(self, old_sha: str, new_sha: str) -> None:
        for combo, sha in ((self.old, old_sha), (self.new, new_sha)):
            combo.blockSignals(True)
            combo.setCurrentIndex(combo.findData(sha))
            combo.blockSignals(False)
        self.compare()

    def compare(self) -> None:
        """Diff the two chosen versions on a worker thread (big documents take a moment)."""
        doc = self.current_document()
        self.model.set_changes([])
        self._show_change(None)
        self.comparison = None
        if doc is None or not doc.versions:
            self.summary.setText(_("No version of this document is kept yet. Use Check now to fetch it.")
                                 if doc else _("Choose a document."))
            return
        old = next((v for v in doc.versions if v.sha256 == self.old.currentData()), None)
        new = next((v for v in doc.versions if v.sha256 == self.new.currentData()), None)
        if old is None or new is None:
            return
        if old.sha256 == new.sha256:
            self.summary.setText(_("Only one version to show ({version}). Once a newer version is fetched, its "
                                   "changes appear here.").format(version=version_label(new))
                                 if len(doc.versions) == 1 else
                                 _("The same version is chosen twice: choose two different ones."))
            return
        self.summary.setText(_("Comparing…"))
        services = self.services

        def work() -> Comparison:
            return Comparison(doc, old, new, services.compare_terms(old.sha256, new.sha256))

        self.tasks.submit(work, self._compared, self._compare_failed, lane=Lane.LONG, key="terms-diff", owner=self)

    def _compared(self, comparison: Comparison) -> None:
        self.comparison = comparison
        self.model.set_changes(comparison.changes)
        relevant = self.model.relevant_count
        self.summary.setText(ngettext(
            "{count} clause change from {old} to {new}; {relevant} touch AI or data use (highlighted).",
            "{count} clause changes from {old} to {new}; {relevant} touch AI or data use (highlighted).",
            self.model.total).format(count=format_number(self.model.total), old=version_label(comparison.old),
                                     new=version_label(comparison.new), relevant=format_number(relevant)))
        if self.model.rowCount():
            first = next((row for row, c in enumerate(self.model.changes) if c.relevant), 0)
            self.changes.selectRow(first)

    def _compare_failed(self, error: BaseException) -> None:
        self.summary.setText(_("These versions cannot be compared: {error}").format(error=error))

    def _relevant_toggled(self, value: bool) -> None:
        self.model.set_relevant_only(value)
        self._show_change(None)
        if self.model.rowCount():
            self.changes.selectRow(0)

    def _change_selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.changes.selectionModel().selectedRows()
        self._show_change(self.model.data(rows[0], CHANGE_ROLE) if rows else None)

    def _show_hints(self) -> None:
        """What the wording panes say before a change is chosen."""
        show_hint(self.old_text, _("Choose a change to see the old wording."))
        show_hint(self.new_text, _("Choose a change to see the new wording."))

    def _show_change(self, change: AnalysedChange | None) -> None:
        if change is None:
            self._show_hints()
            return
        old, new = marked_wordings(change)
        tint = css_colour(highlight_tint(self.palette(), 0.45 if change.relevant else 0.2))
        topics = self.model.topic_labels(change)
        section = esc(_("Section {section}").format(section=change.diff.section or "—"))
        head = (f"<p><b>{section}</b> · {esc(kind_words(str(change.diff.kind)))}"
                + (" · " + esc(labelled(_("topics"), topics)) if topics else "") + "</p>")
        summary = change_words(change)
        if summary:
            head += f"<p><i>{esc(_('In plain words:'))}</i> {esc(summary)}</p>"
        self.old_text.setHtml(head + _marked(old, tint, _("the clause was added")))
        self.new_text.setHtml(head + _marked(new, tint, _("the clause was removed")))

    def repaint_tints(self) -> None:
        """The palette changed (light/dark): tints are derived from it, so redo them."""
        self.model.set_palette(self.palette())
        rows = self.changes.selectionModel().selectedRows()
        self._show_change(self.model.data(rows[0], CHANGE_ROLE) if rows else None)


def _marked(parts: Marked | None, tint: str, absent: str) -> str:
    """The clause, sentence by sentence, with the changed sentences tinted."""
    if parts is None:
        return f"<p><i>{esc(_('(not in this version: {why})').format(why=absent))}</i></p>"
    shown = [f'<span style="background:{tint}">{esc(sentence)}</span>' if changed else esc(sentence)
             for sentence, changed in parts]
    return "<p>" + " ".join(shown) + "</p>"
