"""The clause changes between two versions of a terms document, as a table; changes to an AI
or data-use clause are tinted with the palette's highlight and name their topics."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QPalette

from guard.presentation.i18n import N_, _
from guard.presentation.terms_summary import change_words
from guard.presentation.terms_view import clause_counts, kind_words, topic_names
from guard.presentation.wording import one_line
from guard.services import AnalysedChange
from ui.settings.common import highlight_tint
from ui.widgets import plain_tooltip

HEADERS = (N_("Section"), N_("Change"), N_("Topics"), N_("In plain words"))
CHANGE_ROLE = Qt.ItemDataRole.UserRole + 1
RELEVANT_ROLE = Qt.ItemDataRole.UserRole + 2


class TermsChangesModel(QAbstractTableModel):
    def __init__(self, palette: QPalette, parent: Any = None) -> None:
        super().__init__(parent)
        self._palette = palette
        self._all: list[AnalysedChange] = []
        self.changes: list[AnalysedChange] = []
        self.relevant_only = False

    def set_palette(self, palette: QPalette) -> None:
        self._palette = palette
        if self.changes:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.changes) - 1, len(HEADERS) - 1))

    def set_changes(self, changes: list[AnalysedChange]) -> None:
        self.beginResetModel()
        self._all = list(changes)
        self._apply()
        self.endResetModel()

    def set_relevant_only(self, value: bool) -> None:
        self.beginResetModel()
        self.relevant_only = value
        self._apply()
        self.endResetModel()

    def _apply(self) -> None:
        self.changes = [c for c in self._all if c.relevant or not self.relevant_only]

    @property
    def total(self) -> int:
        """Clause changes (a section added or removed whole, one row, counts each of its clauses)."""
        return clause_counts(self._all)[0]

    @property
    def relevant_count(self) -> int:
        return clause_counts(self._all)[1]

    def topic_labels(self, change: AnalysedChange) -> str:
        return topic_names(change)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.changes)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(HEADERS[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.changes):
            return None
        change = self.changes[index.row()]
        if role == CHANGE_ROLE:
            return change
        if role == RELEVANT_ROLE:
            return change.relevant
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(highlight_tint(self._palette)) if change.relevant else None
        if role == Qt.ItemDataRole.ToolTipRole:  # shown as text: a terms page's words may look like markup
            shown = self.data(index, Qt.ItemDataRole.DisplayRole) if index.column() != 2 else self.topic_labels(change)
            return plain_tooltip(shown) if isinstance(shown, str) and shown else None
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == 0:
                return change.diff.section or "—"
            if column == 1:
                return kind_words(str(change.diff.kind))
            if column == 2:
                return self.topic_labels(change) or ("—" if role == Qt.ItemDataRole.DisplayRole else None)
            if column == 3:
                text = change_words(change) or _first_words(change.diff.new_text or change.diff.old_text or "")
                return text
        return None


def _first_words(text: str, limit: int = 140) -> str:
    return one_line(text, limit)
