"""The consent history table: a Qt model over the ledger that reads only the pages on screen.

The row count is one ``count`` query; rows are read ``PAGE`` at a time through
``Ledger.page`` when the view first asks for them and kept in a small LRU cache. A page in
the second half of the list is read in the reverse order from the end (every order the ledger
offers has an exact reverse), so no page costs more than half the table's OFFSET. Sorting
and filtering are SQL, so 100,000 records behave like 100.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from guard.errors import GuardError
from guard.ledger import Ledger, Order, Record, RecordFilter
from guard.presentation.records import decision_label, local_time

log = logging.getLogger(__name__)

PAGE = 200
CACHE_PAGES = 40
RECORD_ROLE = Qt.ItemDataRole.UserRole + 1

REVERSE = {
    Order.NEWEST: Order.OLDEST, Order.OLDEST: Order.NEWEST,
    Order.OCCURRED_NEWEST: Order.OCCURRED_OLDEST, Order.OCCURRED_OLDEST: Order.OCCURRED_NEWEST,
    Order.PROVIDER: Order.PROVIDER_DESC, Order.PROVIDER_DESC: Order.PROVIDER,
    Order.DECISION: Order.DECISION_DESC, Order.DECISION_DESC: Order.DECISION,
}


@dataclass(frozen=True)
class Column:
    title: str
    ascending: Order | None = None  # None: not sortable
    descending: Order | None = None


COLUMNS: tuple[Column, ...] = (
    Column("Occurred", Order.OCCURRED_OLDEST, Order.OCCURRED_NEWEST),
    Column("Provider", Order.PROVIDER, Order.PROVIDER_DESC),
    Column("AI feature"),
    Column("Decision", Order.DECISION, Order.DECISION_DESC),
    Column("Status now"),
    Column("Meeting"),
    Column("Note"),
    Column("No.", Order.OLDEST, Order.NEWEST),  # the chain position: the order of recording
)
OCCURRED, PROVIDER, FEATURE, DECISION, STATUS, MEETING, NOTE, SEQ = range(len(COLUMNS))


@dataclass(frozen=True)
class Row:
    record: Record
    status: str | None  # e.g. "given, then withdrawn"; None when no later record changed it


class HistoryModel(QAbstractTableModel):
    """Rows of the ledger matching :attr:`filter`, in :attr:`order`."""

    failed = Signal(str)  # a readable message when the ledger cannot be read

    def __init__(self, ledger: Callable[[], Ledger], provider_name: Callable[[str], str] = str,
                 feature_name: Callable[[str, str], str] | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._ledger = ledger
        self._provider_name = provider_name
        self._feature_name = feature_name
        self.filter = RecordFilter()
        self.order: Order = Order.OCCURRED_NEWEST
        self._count = 0
        self._pages: OrderedDict[int, list[Row]] = OrderedDict()
        self.pages_read = 0
        self.error: str | None = None

    # -- querying ------------------------------------------------------------------------
    def set_query(self, filter: RecordFilter | None = None, order: Order | None = None) -> None:
        """Show the records matching ``filter`` in ``order`` (either kept when None)."""
        self.beginResetModel()
        if filter is not None:
            self.filter = filter
        if order is not None:
            self.order = order
        self._pages.clear()
        self._count = 0
        self.error = None
        try:
            self._count = self._ledger().count(self.filter)
        except GuardError as error:
            self._fail(str(error))
        self.endResetModel()

    def reload(self) -> None:
        """Read the ledger again (after a record was added elsewhere)."""
        self.set_query()

    @property
    def count(self) -> int:
        return self._count

    def _fail(self, message: str) -> None:
        if message != self.error:
            self.error = message
            log.error("Consent history: %s", message)
            self.failed.emit(message)

    def _page(self, number: int) -> list[Row]:
        rows = self._pages.get(number)
        if rows is not None:
            self._pages.move_to_end(number)
            return rows
        offset = number * PAGE
        limit = max(0, min(PAGE, self._count - offset))
        try:
            ledger = self._ledger()
            if offset + limit / 2 > self._count / 2:
                records = ledger.page(self.filter, self._count - offset - limit, limit, REVERSE[self.order])
                records.reverse()
            else:
                records = ledger.page(self.filter, offset, limit, self.order)
            rows = [Row(record, self._status(ledger, record)) for record in records]
        except GuardError as error:
            self._fail(str(error))
            rows = []
        self.pages_read += 1
        self._pages[number] = rows
        while len(self._pages) > CACHE_PAGES:
            self._pages.popitem(last=False)
        return rows

    @staticmethod
    def _status(ledger: Ledger, record: Record) -> str | None:
        if not ledger.count(RecordFilter(refers_to=record.id)):
            return None
        return ledger.effective_status(record).label

    def row(self, index: int) -> Row | None:
        if not 0 <= index < self._count:
            return None
        rows = self._page(index // PAGE)
        position = index % PAGE
        return rows[position] if position < len(rows) else None

    def record_at(self, index: int) -> Record | None:
        found = self.row(index)
        return found.record if found else None

    def find_row(self, record_id: str, max_pages: int = 5) -> int | None:
        """The row showing ``record_id``: searched in the pages read, then in the first pages."""
        for number, rows in list(self._pages.items()):
            for position, row in enumerate(rows):
                if row.record.id == record_id:
                    return number * PAGE + position
        for number in range(min(max_pages, (self._count + PAGE - 1) // PAGE)):
            for position, row in enumerate(self._page(number)):
                if row.record.id == record_id:
                    return number * PAGE + position
        return None

    # -- Qt model ------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].title
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            column = COLUMNS[section]
            return f"Sort by {column.title.lower()}" if column.ascending else f"{column.title} (not sortable)"
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, RECORD_ROLE):
            return None
        row = self.row(index.row())
        if row is None:
            return "…" if role == Qt.ItemDataRole.DisplayRole else None
        if role == RECORD_ROLE:
            return row.record
        text = self._text(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return text if len(text) > 30 else None
        return text

    def _text(self, row: Row, column: int) -> str:
        record = row.record
        if column == OCCURRED:
            return local_time(record.occurred_at)
        if column == PROVIDER:
            return self._provider_name(record.provider_id)
        if column == FEATURE:
            if not record.feature_id:
                return ""
            return self._feature_name(record.provider_id, record.feature_id) if self._feature_name else record.feature_id
        if column == DECISION:
            return decision_label(record.decision)
        if column == STATUS:
            return row.status or ""
        if column == MEETING:
            return record.meeting.title or record.meeting.id_or_link or ""
        if column == NOTE:
            return (record.note or "").replace("\n", " ")
        if column == SEQ:
            return str(record.seq)
        return ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        spec = COLUMNS[column]
        chosen = spec.ascending if order == Qt.SortOrder.AscendingOrder else spec.descending
        if chosen is None or chosen == self.order:
            return
        self.set_query(order=chosen)

    def sort_column(self) -> tuple[int, Qt.SortOrder]:
        """The column and direction that show :attr:`order` (for the header's indicator)."""
        for number, spec in enumerate(COLUMNS):
            if spec.ascending == self.order:
                return number, Qt.SortOrder.AscendingOrder
            if spec.descending == self.order:
                return number, Qt.SortOrder.DescendingOrder
        return OCCURRED, Qt.SortOrder.DescendingOrder
