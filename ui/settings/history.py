"""The consent history tab: the ledger as a table (lazy, SQL-sorted and -filtered), a chart of
decisions per month, a record's details, adding and withdrawing records, and exports. Every
read and write goes through the door on the job runner; the GUI thread never waits."""

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
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from guard.presentation.i18n import _, format_number, ngettext
from guard.presentation.records import decision_label, local_time, status_label
from guard.presentation.timeline import build_timeline, empty_chart_words
from guard.services import Decision, Order, Record, RecordDetails, RecordFilter, Services
from ui.jobs import JobRunner, Lane
from ui.settings.common import date_format, named, with_date_hint
from ui.settings.export_panel import ExportPanel
from ui.settings.history_actions import HistoryActions
from ui.settings.history_model import COLUMNS, DECISION, OCCURRED, HistoryModel
from ui.settings.record_details import details_html
from ui.settings.timeline_widget import TimelineChart
from ui.widgets import plain_label, show_hint

log = logging.getLogger(__name__)

SEARCH_DELAY_MS = 250
COLUMN_WIDTHS = (130, 120, 200, 120, 170, 220, 200, 60)


def _start_of(day: date) -> datetime:
    """Local midnight at the start of ``day``, as an aware datetime."""
    return datetime.combine(day, time()).astimezone()


class HistoryTab(HistoryActions, QWidget):
    """The consent history tab; adding and withdrawing records is in
    :class:`ui.settings.history_actions.HistoryActions`."""

    consent_recorded = Signal(object)  # a Record added here (by hand or a withdrawal)

    def __init__(self, services: Services, tasks: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.current: Record | None = None
        self._pending: Record | None = None  # to select once the table's count arrives
        self._keep: Record | None = None  # the choice kept across a reload
        self.model = HistoryModel(services, tasks, self)
        self._build()
        self.model.failed.connect(self._show_error)
        self.model.counted.connect(self._counted)
        self.apply_filter()

    # -- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        self.search = named(QLineEdit(), _("Search"), _("Search meeting titles and notes"))
        self.search.setPlaceholderText(_("Meeting title or note"))
        self.search.setClearButtonEnabled(True)
        search_label = QLabel(_("&Search:"))
        search_label.setBuddy(self.search)
        self.provider = named(QComboBox(), _("Provider filter"))
        self.provider.addItem(_("All providers"), None)
        for provider in sorted(self.services.catalog, key=lambda p: p.name.casefold()):
            self.provider.addItem(provider.name, provider.id)
        provider_label = QLabel(_("Pro&vider:"))
        provider_label.setBuddy(self.provider)
        self.decision = named(QComboBox(), _("Decision filter"))
        self.decision.addItem(_("All decisions"), None)
        for decision in Decision:
            self.decision.addItem(decision_label(decision), str(decision))
        decision_label_widget = QLabel(_("&Decision:"))
        decision_label_widget.setBuddy(self.decision)
        today = QDate.currentDate()
        self.use_from = named(QCheckBox(_("&From:")), _("Filter from a date"))
        self.date_from = named(QDateEdit(today.addMonths(-1)), _("From date"), _("First day shown (inclusive)"))
        self.use_to = named(QCheckBox(_("&To:")), _("Filter up to a date"))
        self.date_to = named(QDateEdit(today), _("To date"), _("Last day shown (inclusive)"))
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(date_format())
            with_date_hint(edit)
            edit.setMinimumWidth(edit.sizeHint().width())  # the whole date shows, never cut
            edit.setEnabled(False)
        self.clear_button = named(QPushButton(_("C&lear filters")), _("Clear filters"))
        self.count_label = named(QLabel(), _("Records shown"))

        filters = QHBoxLayout()
        for widget in (search_label, self.search, provider_label, self.provider, decision_label_widget, self.decision):
            filters.addWidget(widget, 1 if widget is self.search else 0)
        dates = QHBoxLayout()
        for widget in (self.use_from, self.date_from, self.use_to, self.date_to, self.clear_button):
            dates.addWidget(widget)
        dates.addStretch(1)
        dates.addWidget(self.count_label)

        self.chart = TimelineChart()
        self.table = named(QTableView(), _("Consent records"))
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
        # a decision is a few words whose length depends on the language ("Consentement donné"): never cut
        widest = max(self.table.fontMetrics().horizontalAdvance(decision_label(d)) for d in Decision)
        self.table.setColumnWidth(DECISION, max(COLUMN_WIDTHS[DECISION], widest + 16))
        # nor is a time, whatever the month and day ("1er nov. 2026, 20:30" was cut in French)
        metrics = self.table.fontMetrics()
        widest = max(metrics.horizontalAdvance(local_time(datetime(2026, month, day, 20, 58).astimezone()))
                     for month in range(1, 13) for day in (1, 28))
        self.table.setColumnWidth(OCCURRED, max(COLUMN_WIDTHS[OCCURRED], widest + 16))
        column, order = self.model.sort_column()
        header.setSortIndicator(column, order)
        header.setSortIndicatorShown(True)
        self.table.setSortingEnabled(True)
        header.sortIndicatorChanged.connect(self._sort_changed)

        self.details = named(QTextBrowser(), _("Record details"))
        self.details.setOpenLinks(False)
        self.details.anchorClicked.connect(self._link)
        self._show_hint()

        self.add_button = named(QPushButton(_("&Add record…")), _("Add record"), _("Record a decision by hand"))
        self.withdraw_button = named(QPushButton(_("&Withdraw…")), _("Withdraw consent"),
                                     _("Withdraw the chosen consent: adds a withdrawal record that points at it"))
        self.withdraw_button.setEnabled(False)
        # the letters the command line writes besides a withdrawal: objection (Art. 21), access (Art. 15)
        self.letter_button = named(QPushButton(_("Lette&r…")), _("Write a letter"),
                                   _("Write an objection or an access request to the provider of the chosen record"))
        self.letter_menu = QMenu(self.letter_button)
        self.objection_action = self.letter_menu.addAction(_("Objection to AI training on my data (GDPR Art. 21)…"))
        self.access_action = self.letter_menu.addAction(_("Access request: which of my data was used for AI (GDPR "
                                                          "Art. 15)…"))
        self.letter_button.setMenu(self.letter_menu)
        self.letter_button.setEnabled(False)
        self.export = ExportPanel(self.services, self.tasks, self.export_selection)
        self.error = plain_label()
        self.error.setVisible(False)
        self.message = named(plain_label(), _("History status"))

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
        actions.addWidget(self.letter_button)
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
        self.objection_action.triggered.connect(lambda: self.write_letter("objection"))
        self.access_action.triggered.connect(lambda: self.write_letter("access"))
        self.export.finished.connect(self.message.setText)
        self.setTabOrder(self.search, self.provider)

    def _provider_name(self, provider_id: str) -> str:
        return self.services.provider_name(provider_id)

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

    def export_selection(self) -> RecordFilter:
        """What an export holds: the records the table shows (every filter: provider, decision,
        dates and search), so a file made to be shared holds no meeting the user did not see."""
        return self.model.filter

    def _date_changed(self) -> None:
        if self.use_from.isChecked() or self.use_to.isChecked():
            self.apply_filter()

    def apply_filter(self) -> None:
        """Show the records matching the filter (the table now; the chart from a worker thread)."""
        self._search_timer.stop()
        selected = self.record_filter()
        self.model.set_query(selected)
        self.count_label.setText(_("Counting…"))
        self._show_record(None)
        self.chart.set_message(_("Counting…"))
        services = self.services
        empty = empty_chart_words(filtered=selected != RecordFilter())
        self.tasks.submit(lambda: build_timeline(services.month_counts(selected)),
                          lambda timeline: self.chart.set_timeline(timeline, "" if timeline.bars else empty),
                          lambda error: self.chart.set_timeline(build_timeline(()),
                                                                _("The chart cannot be drawn: {error}").format(
                                                                    error=error)),
                          lane=Lane.LONG, key="timeline", owner=self)

    def _counted(self, count: int) -> None:
        if self.model.filter != RecordFilter():
            total_text = ngettext("{count} record matches", "{count} records match", count)
        else:
            total_text = ngettext("{count} record", "{count} records", count)
        total_text = total_text.format(count=format_number(count))
        self.count_label.setText(total_text)
        self.count_label.setAccessibleName(total_text)

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
            self.message.setText(_("The table cannot be sorted by {column}.").format(column=_(COLUMNS[column].title)))

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
        self.withdraw_button.setEnabled(False)
        self.letter_button.setEnabled(record is not None)
        if record is None:
            self._show_hint()
            return
        self.tasks.submit(lambda: self.services.record_details(record.id), self._details,
                          lambda error: self._show_error(str(error)), key="history-details", owner=self)

    def _show_hint(self) -> None:
        """What the details pane says before a record is chosen."""
        show_hint(self.details, _("Choose a record to see all of it."))

    def _details(self, details: RecordDetails) -> None:
        record, status = details.record, details.status
        if self.current is None or self.current.id != record.id:
            return
        self.current = record
        self.details.setHtml(details_html(self.services, record, status, self.details, details.refers_to_seq,
                                          details.terms_dates))
        can_withdraw = status.decision == Decision.GIVEN
        self.withdraw_button.setEnabled(can_withdraw)
        self.withdraw_button.setToolTip(_("Withdraw the chosen consent") if can_withdraw else
                                        _("Only a consent in force can be withdrawn; this one is “{status}”.").format(
                                            status=status_label(status)))

    def show_record(self, record_id: str) -> None:
        """Select ``record_id`` in the table (clearing filters when it is not shown), and show
        it; said in the status line when no such record exists."""
        def found(details: RecordDetails) -> None:
            self._select(details.record, retry=True)

        self.tasks.submit(lambda: self.services.record_details(record_id), found,
                          lambda error: self.message.setText(str(error)), key="history-show", owner=self)

    def _select(self, record: Record, retry: bool) -> None:
        def at(row: int | None) -> None:
            if row is None and retry and self.record_filter() != RecordFilter():
                self.clear_filters()
                self.model.counted.connect(self._reselect, Qt.ConnectionType.SingleShotConnection)
                self._pending = record
                return
            if row is not None:
                index = self.model.index(row, 0)
                self.table.setCurrentIndex(index)
                self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
            self._show_record(record)

        if not self.model.ready:
            self._pending = record
            self.model.counted.connect(self._reselect, Qt.ConnectionType.SingleShotConnection)
            return
        self.model.find(record.id, at)

    def _reselect(self, _count: int) -> None:
        record, self._pending = self._pending, None
        if record is not None:
            self._select(record, retry=False)

    def repaint_tints(self) -> None:
        """The palette changed (light/dark): redraw the details with the new tints."""
        self._show_record(self.current)

    def _link(self, url: QUrl) -> None:
        if url.scheme() == "record":
            self.show_record(url.path())

    def _show_error(self, message: str) -> None:
        self.error.setText(_("The consent ledger cannot be read: {error}").format(error=message))
        self.error.setVisible(True)

    # -- actions -----------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the ledger again (a record was added elsewhere, e.g. from a notification)."""
        keep = self.current
        self.apply_filter()
        if keep is not None:
            self._keep = keep
            self.model.counted.connect(self._keep_selection, Qt.ConnectionType.SingleShotConnection)

    def _keep_selection(self, _count: int) -> None:
        record, self._keep = self._keep, None
        if record is not None:
            self.model.find(record.id, lambda row: row is not None and self.table.setCurrentIndex(
                self.model.index(row, 0)), max_pages=1)
