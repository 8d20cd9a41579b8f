"""The consent history table: a Qt model over the ledger that reads only the pages on screen.

The row count is one ``count`` query; rows are read ``PAGE`` at a time through the door's
``page_records`` when the view first asks for them, on the job runner: until a page arrives its
rows show "…", then the view is told they changed. Pages are kept in a small LRU cache. A page
in the second half of the list is read in the reverse order from the end (every order the
ledger offers has an exact reverse), so no page costs more than half the table's OFFSET.
Sorting and filtering are SQL, so 100,000 records behave like 100; the GUI thread never waits.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from guard.presentation.i18n import N_, _
from guard.presentation.records import decision_label, local_time, row_status
from guard.presentation.wording import one_line
from guard.services import Order, Record, RecordFilter, RecordRow, Services
from ui.jobs import JobRunner
from ui.widgets import plain_tooltip

log = logging.getLogger(__name__)

PAGE = 200
CACHE_PAGES = 40
CELL_CHARS = 200  # a cell shows at most this much of a title or note
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


COLUMNS: tuple[Column, ...] = (  # titles are marked here and translated where shown
    Column(N_("Occurred"), Order.OCCURRED_OLDEST, Order.OCCURRED_NEWEST),
    Column(N_("Provider"), Order.PROVIDER, Order.PROVIDER_DESC),
    Column(N_("AI feature")),
    Column(N_("Decision"), Order.DECISION, Order.DECISION_DESC),
    Column(N_("Status now")),
    Column(N_("Meeting")),
    Column(N_("Note")),
    Column(N_("No."), Order.OLDEST, Order.NEWEST),  # the chain position: the order of recording
)
OCCURRED, PROVIDER, FEATURE, DECISION, STATUS, MEETING, NOTE, SEQ = range(len(COLUMNS))


Row = RecordRow


class HistoryModel(QAbstractTableModel):
    """Rows of the ledger matching :attr:`filter`, in :attr:`order`. ``counted()`` after each
    new query's count arrives; ``failed(str)`` when the ledger cannot be read."""

    failed = Signal(str)
    counted = Signal(int)

    def __init__(self, services: Services, jobs: JobRunner, parent: Any = None) -> None:
        super().__init__(parent)
        self._services = services
        self._jobs = jobs
        self.filter = RecordFilter()
        self.order: Order = Order.OCCURRED_NEWEST
        self._count = 0
        self._query = 0  # bumped by every new query: pages of an older one are dropped
        self._pages: OrderedDict[int, list[RecordRow]] = OrderedDict()
        self._asked: set[int] = set()
        self.pages_read = 0
        self.error: str | None = None
        self.ready = False  # the current query's count has arrived

    # -- querying ------------------------------------------------------------------------
    def set_query(self, filter: RecordFilter | None = None, order: Order | None = None) -> None:
        """Show the records matching ``filter`` in ``order`` (either kept when None); the count
        and the pages are read on the job runner."""
        self.beginResetModel()
        if filter is not None:
            self.filter = filter
        if order is not None:
            self.order = order
        self._query += 1
        self._pages.clear()
        self._asked.clear()
        self._count = 0
        self.error = None
        self.ready = False
        self.endResetModel()
        query, services, wanted = self._query, self._services, self.filter
        self._jobs.submit(lambda: services.count_records(wanted), lambda count: self._counted(query, count),
                          lambda error: self._fail(str(error)), key="history-count", owner=self)

    def _counted(self, query: int, count: int) -> None:
        if query != self._query:
            return
        self.beginResetModel()
        self._count = count
        self.ready = True
        self.endResetModel()
        self.counted.emit(count)

    def reload(self) -> None:
        """Read the ledger again (after a record was added elsewhere)."""
        self.set_query()

    @property
    def count(self) -> int:
        return self._count

    def _fail(self, message: str) -> None:
        self.ready = True
        if message != self.error:
            self.error = message
            log.error("Consent history: %s", message)
            self.failed.emit(message)

    def _page_query(self, number: int) -> tuple[int, int, Order, bool]:
        """(offset, limit, order, reversed) that read page ``number`` with the smaller OFFSET."""
        offset = number * PAGE
        limit = max(0, min(PAGE, self._count - offset))
        if offset + limit / 2 > self._count / 2:
            return self._count - offset - limit, limit, REVERSE[self.order], True
        return offset, limit, self.order, False

    def _ask(self, number: int) -> None:
        if number in self._asked:
            return
        self._asked.add(number)
        offset, limit, order, backwards = self._page_query(number)
        query, services, wanted = self._query, self._services, self.filter

        def read() -> list[RecordRow]:
            rows = services.page_records(wanted, offset, limit, order)
            return rows[::-1] if backwards else rows

        self._jobs.submit(read, lambda rows: self._arrived(query, number, rows),
                          lambda error: self._page_failed(query, number, error), owner=self)

    def _arrived(self, query: int, number: int, rows: list[RecordRow]) -> None:
        if query != self._query:
            return
        self.pages_read += 1
        self._pages[number] = rows
        while len(self._pages) > CACHE_PAGES:
            dropped, _rows = self._pages.popitem(last=False)
            self._asked.discard(dropped)
        first, last = number * PAGE, min(self._count, (number + 1) * PAGE) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))

    def _page_failed(self, query: int, number: int, error: BaseException) -> None:
        if query == self._query:
            self._asked.discard(number)
            self._fail(str(error))

    def row(self, index: int) -> RecordRow | None:
        """The row at ``index`` if its page has arrived (it is asked for otherwise)."""
        if not 0 <= index < self._count:
            return None
        number = index // PAGE
        rows = self._pages.get(number)
        if rows is None:
            self._ask(number)
            return None
        self._pages.move_to_end(number)
        position = index % PAGE
        return rows[position] if position < len(rows) else None

    def record_at(self, index: int) -> Record | None:
        found = self.row(index)
        return found.record if found else None

    def loaded_row(self, record_id: str) -> int | None:
        """The row showing ``record_id`` among the pages already read."""
        for number, rows in list(self._pages.items()):
            for position, row in enumerate(rows):
                if row.record.id == record_id:
                    return number * PAGE + position
        return None

    def find(self, record_id: str, found: Callable[[int | None], None], max_pages: int = 5) -> None:
        """Call ``found(row)`` with the row showing ``record_id`` (None when it is not in the
        first ``max_pages`` pages): from the pages read, else after reading the first pages."""
        row = self.loaded_row(record_id)
        if row is not None:
            found(row)
            return
        query, services, wanted, order = self._query, self._services, self.filter, self.order
        pages = min(max_pages, (self._count + PAGE - 1) // PAGE)

        def search() -> tuple[int | None, dict[int, list[RecordRow]]]:
            read: dict[int, list[RecordRow]] = {}
            for number in range(pages):
                rows = read[number] = services.page_records(wanted, number * PAGE, PAGE, order)
                for position, item in enumerate(rows):
                    if item.record.id == record_id:
                        return number * PAGE + position, read
            return None, read

        def done(result: tuple[int | None, dict[int, list[RecordRow]]]) -> None:
            if query != self._query:
                return
            index, read = result
            for number, rows in read.items():
                if number not in self._pages:
                    self._arrived(query, number, rows)
            found(index)

        self._jobs.submit(search, done, lambda error: self._fail(str(error)), key="history-find", owner=self)

    # -- Qt model ------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section].title)
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            column = COLUMNS[section]
            title = _(column.title)
            return (_("Sort by {column}").format(column=title) if column.ascending
                    else _("{column} (not sortable)").format(column=title))
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
            return plain_tooltip(text) if len(text) > 30 else None  # a title may look like markup
        return text

    def _text(self, row: Row, column: int) -> str:
        record = row.record
        if column == OCCURRED:
            return local_time(record.occurred_at)
        if column == PROVIDER:
            return self._services.provider_name(record.provider_id)
        if column == FEATURE:
            return self._services.feature_name(record.provider_id, record.feature_id) if record.feature_id else ""
        if column == DECISION:
            return decision_label(record.decision)
        if column == STATUS:
            return row_status(record, row.effective)
        if column == MEETING:
            return one_line(record.meeting.title or record.meeting.id_or_link or "", CELL_CHARS)
        if column == NOTE:
            return one_line(record.note or "", CELL_CHARS)
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
