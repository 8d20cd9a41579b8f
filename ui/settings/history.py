"""The consent history tab: the ledger as a table (lazy, SQL-sorted and -filtered), a chart of
decisions per month, a record's details, adding and withdrawing records, and exports."""

from __future__ import annotations

import logging
from datetime import date, datetime, time

from PySide6.QtCore import QDate, QModelIndex, Qt, QTimer, QUrl, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from guard.errors import GuardError
from guard.ledger import Decision, Order, Record, RecordFilter
from guard.presentation.records import decision_label
from guard.presentation.timeline import Timeline, build_timeline
from guard.services import Services
from ui.settings import export_adapter
from ui.settings.common import named
from ui.settings.export_panel import ExportPanel
from ui.settings.history_model import COLUMNS, HistoryModel
from ui.settings.record_details import details_html
from ui.settings.record_dialog import RecordDialog
from ui.settings.tasks import BackgroundTasks
from ui.settings.timeline_widget import TimelineChart
from ui.settings.withdraw_dialog import LetterDialog, WithdrawDialog

log = logging.getLogger(__name__)

SEARCH_DELAY_MS = 250
COLUMN_WIDTHS = (130, 120, 200, 120, 170, 220, 200, 60)


def _start_of(day: date) -> datetime:
    """Local midnight at the start of ``day``, as an aware datetime."""
    return datetime.combine(day, time()).astimezone()


class HistoryTab(QWidget):
    consent_recorded = Signal(object)  # a Record added here (by hand or a withdrawal)

    def __init__(self, services: Services, tasks: BackgroundTasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.current: Record | None = None
        self.model = HistoryModel(services.ledger, self._provider_name, self._feature_name, self)
        self._build()
        self.model.failed.connect(self._show_error)
        self.apply_filter()

    # -- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        self.search = named(QLineEdit(), "Search", "Search meeting titles and notes")
        self.search.setPlaceholderText("Meeting title or note")
        self.search.setClearButtonEnabled(True)
        search_label = QLabel("&Search:")
        search_label.setBuddy(self.search)
        self.provider = named(QComboBox(), "Provider filter")
        self.provider.addItem("All providers", None)
        for provider in self.services.catalog:
            self.provider.addItem(provider.name, provider.id)
        provider_label = QLabel("Pro&vider:")
        provider_label.setBuddy(self.provider)
        self.decision = named(QComboBox(), "Decision filter")
        self.decision.addItem("All decisions", None)
        for decision in Decision:
            self.decision.addItem(decision_label(decision), str(decision))
        decision_label_widget = QLabel("&Decision:")
        decision_label_widget.setBuddy(self.decision)
        today = QDate.currentDate()
        self.use_from = named(QCheckBox("&From:"), "Filter from a date")
        self.date_from = named(QDateEdit(today.addMonths(-1)), "From date", "First day shown (inclusive)")
        self.use_to = named(QCheckBox("&To:"), "Filter up to a date")
        self.date_to = named(QDateEdit(today), "To date", "Last day shown (inclusive)")
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        self.clear_button = named(QPushButton("C&lear filters"), "Clear filters")
        self.count_label = named(QLabel(), "Records shown")

        filters = QHBoxLayout()
        for widget in (search_label, self.search, provider_label, self.provider, decision_label_widget, self.decision):
            filters.addWidget(widget, 1 if widget is self.search else 0)
        dates = QHBoxLayout()
        for widget in (self.use_from, self.date_from, self.use_to, self.date_to, self.clear_button):
            dates.addWidget(widget)
        dates.addStretch(1)
        dates.addWidget(self.count_label)

        self.chart = TimelineChart()
        self.table = named(QTableView(), "Consent records")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(column, width)
        column, order = self.model.sort_column()
        header.setSortIndicator(column, order)
        header.setSortIndicatorShown(True)
        self.table.setSortingEnabled(True)
        header.sortIndicatorChanged.connect(self._sort_changed)

        self.details = named(QTextBrowser(), "Record details")
        self.details.setOpenLinks(False)
        self.details.anchorClicked.connect(self._link)
        self.details.setPlaceholderText("Choose a record to see all of it.")

        self.add_button = named(QPushButton("&Add record…"), "Add record", "Record a decision by hand")
        self.withdraw_button = named(QPushButton("&Withdraw…"), "Withdraw consent",
                                     "Withdraw the chosen consent: adds a withdrawal record that points at it")
        self.withdraw_button.setEnabled(False)
        self.export = ExportPanel(self.services, self.tasks, self.export_selection)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        self.message = named(QLabel(), "History status")
        self.message.setWordWrap(True)

        self.lower = QSplitter(Qt.Orientation.Horizontal)
        self.lower.addWidget(self.table)
        self.lower.addWidget(self.details)
        self.lower.setStretchFactor(0, 3)
        self.lower.setStretchFactor(1, 1)
        self.lower.setSizes([720, 340])
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.chart)
        self.splitter.addWidget(self.lower)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([150, 450])

        actions = QHBoxLayout()
        actions.addWidget(self.add_button)
        actions.addWidget(self.withdraw_button)
        actions.addSpacing(24)
        actions.addWidget(self.export, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(dates)
        layout.addWidget(self.error)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(actions)
        layout.addWidget(self.message)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self.apply_filter)
        for combo in (self.provider, self.decision):
            combo.currentIndexChanged.connect(self.apply_filter)
        for check, edit in ((self.use_from, self.date_from), (self.use_to, self.date_to)):
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(self.apply_filter)
            edit.dateChanged.connect(self._date_changed)
        self.clear_button.clicked.connect(self.clear_filters)
        self.chart.period_chosen.connect(self.show_period)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.add_button.clicked.connect(self.add_record)
        self.withdraw_button.clicked.connect(self.withdraw)
        self.export.finished.connect(self.message.setText)
        self.setTabOrder(self.search, self.provider)

    # -- names ------------------------------------------------------------------------------
    def _provider_name(self, provider_id: str) -> str:
        provider = self.services.catalog.get(provider_id)
        return provider.name if provider else provider_id

    def _feature_name(self, provider_id: str, feature_id: str) -> str:
        provider = self.services.catalog.get(provider_id)
        feature = provider.feature(feature_id) if provider else None
        return feature.name if feature else feature_id

    # -- filtering ---------------------------------------------------------------------------
    def record_filter(self) -> RecordFilter:
        """The filter the widgets describe; "To" is inclusive of its day."""
        occurred_from = _start_of(self.date_from.date().toPython()) if self.use_from.isChecked() else None
        occurred_to = None
        if self.use_to.isChecked():
            occurred_to = _start_of(self.date_to.date().addDays(1).toPython())
        return RecordFilter(provider_id=self.provider.currentData(), decision=self.decision.currentData(),
                            occurred_from=occurred_from, occurred_to=occurred_to,
                            text=self.search.text().strip() or None)

    def export_selection(self) -> tuple[str | None, datetime | None, datetime | None]:
        selected = self.record_filter()
        return selected.provider_id, selected.occurred_from, selected.occurred_to

    def _date_changed(self) -> None:
        if self.use_from.isChecked() or self.use_to.isChecked():
            self.apply_filter()

    def apply_filter(self) -> None:
        """Show the records matching the filter (the table now; the chart from a worker thread)."""
        self._search_timer.stop()
        selected = self.record_filter()
        self.model.set_query(selected)
        total_text = f"{self.model.count:,} records"
        if selected != RecordFilter():
            total_text += " match"
        self.count_label.setText(total_text)
        self.count_label.setAccessibleName(total_text)
        self._show_record(None)
        self.chart.set_message("Counting…")
        services = self.services

        def count() -> Timeline:
            with services.reader() as ledger:  # its own connection: the table's reads never wait for it
                return build_timeline(ledger.month_counts(selected))

        self.tasks.run("timeline", count, self.chart.set_timeline, lambda error: self.chart.set_timeline(
            build_timeline(()), f"The chart cannot be drawn: {error}"))

    def clear_filters(self) -> None:
        for widget in (self.search, self.provider, self.decision, self.use_from, self.use_to):
            widget.blockSignals(True)
        self.search.clear()
        self.provider.setCurrentIndex(0)
        self.decision.setCurrentIndex(0)
        self.use_from.setChecked(False)
        self.use_to.setChecked(False)
        self.date_from.setEnabled(False)
        self.date_to.setEnabled(False)
        for widget in (self.search, self.provider, self.decision, self.use_from, self.use_to):
            widget.blockSignals(False)
        self.apply_filter()

    def show_period(self, first: date, after: date) -> None:
        """Only decisions from ``first`` to the day before ``after`` (a bar of the chart)."""
        for widget in (self.use_from, self.use_to, self.date_from, self.date_to):
            widget.blockSignals(True)
        self.date_from.setDate(QDate(first))
        self.date_to.setDate(QDate(after).addDays(-1))
        self.use_from.setChecked(True)
        self.use_to.setChecked(True)
        self.date_from.setEnabled(True)
        self.date_to.setEnabled(True)
        for widget in (self.use_from, self.use_to, self.date_from, self.date_to):
            widget.blockSignals(False)
        self.apply_filter()

    def _sort_changed(self, column: int, order: Qt.SortOrder) -> None:
        if COLUMNS[column].ascending is None:  # not sortable: put the indicator back
            actual, actual_order = self.model.sort_column()
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(actual, actual_order)
            header.blockSignals(False)
            self.message.setText(f"The table cannot be sorted by {COLUMNS[column].title.lower()}.")

    def set_order(self, order: Order) -> None:
        self.model.set_query(order=order)
        column, direction = self.model.sort_column()
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(column, direction)
        header.blockSignals(False)

    # -- the chosen record -------------------------------------------------------------------
    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_record(self.model.record_at(current.row()) if current.isValid() else None)

    def _show_record(self, record: Record | None) -> None:
        self.current = record
        if record is None:
            self.details.clear()
            self.withdraw_button.setEnabled(False)
            return
        try:
            ledger = self.services.ledger()
            status = ledger.effective_status(record)
            refers_seq = ledger.get(record.refers_to).seq if record.refers_to else None
        except GuardError as error:
            self._show_error(str(error))
            return
        self.details.setHtml(details_html(self.services, record, status, self.details, refers_seq))
        can_withdraw = status.decision == Decision.GIVEN
        self.withdraw_button.setEnabled(can_withdraw)
        self.withdraw_button.setToolTip("Withdraw the chosen consent" if can_withdraw else
                                        f"Only a consent in force can be withdrawn; this one is '{status.label}'.")

    def show_record(self, record_id: str) -> bool:
        """Select ``record_id`` in the table (clearing filters when it is not shown), and show it.
        Returns False when no such record exists."""
        try:
            record = self.services.ledger().get(record_id)
        except GuardError as error:
            self.message.setText(str(error))
            return False
        row = self.model.find_row(record.id)
        if row is None and self.record_filter() != RecordFilter():
            self.clear_filters()
            row = self.model.find_row(record.id)
        if row is not None:
            index = self.model.index(row, 0)
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        self._show_record(record)
        return True

    def repaint_tints(self) -> None:
        """The palette changed (light/dark): redraw the details with the new tints."""
        self._show_record(self.current)

    def _link(self, url: QUrl) -> None:
        if url.scheme() == "record":
            self.show_record(url.path())

    def _show_error(self, message: str) -> None:
        self.error.setText(f"The consent ledger cannot be read: {message}")
        self.error.setVisible(True)

    # -- actions -----------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the ledger again (a record was added elsewhere, e.g. from a notification)."""
        keep = self.current.id if self.current else None
        self.apply_filter()
        if keep:
            row = self.model.find_row(keep, max_pages=1)
            if row is not None:
                self.table.setCurrentIndex(self.model.index(row, 0))

    def add_record(self) -> Record | None:
        dialog = RecordDialog(self.services, self,
                              provider_id=self.provider.currentData() or (self.current.provider_id if self.current else None))
        if dialog.exec() != RecordDialog.DialogCode.Accepted or dialog.record is None:
            return None
        self.recorded(dialog.record)
        self.show_record(dialog.record.id)
        self.message.setText(f"Recorded: {decision_label(dialog.record.decision)} for "
                             f"{self._provider_name(dialog.record.provider_id)} (record {dialog.record.seq}).")
        return dialog.record

    def recorded(self, record: Record) -> None:
        self.reload()
        self.consent_recorded.emit(record)

    def withdraw(self) -> Record | None:
        """Withdraw the chosen consent after confirmation; then offer the letter."""
        original = self.current
        if original is None:
            return None
        dialog = WithdrawDialog(original, self._provider_name(original.provider_id), self)
        if dialog.exec() != WithdrawDialog.DialogCode.Accepted:
            return None
        try:
            withdrawal = self.services.ledger().withdraw(original.id, note=dialog.note_text)
        except GuardError as error:
            self.message.setText(f"Not withdrawn: {error}")
            return None
        self.recorded(withdrawal)
        self.show_record(withdrawal.id)
        text = (f"Withdrawn: record {withdrawal.seq} withdraws record {original.seq} "
                f"({self._provider_name(original.provider_id)}).")
        if dialog.letter.isChecked():
            try:
                letter = export_adapter.withdrawal_letter(self.services, withdrawal, original)
            except Exception as error:  # the withdrawal is recorded whatever happens to the letter
                log.error("Could not prepare the withdrawal letter", exc_info=error)
                text += f" The letter could not be prepared: {error}"
            else:
                LetterDialog(letter.title, letter.text, letter.suggested_name, self, letter.mailto).exec()
        self.message.setText(text)
        return withdrawal
