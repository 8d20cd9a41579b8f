"""The terms changes tab: per provider and document, the versions kept (baselines marked), a
side-by-side comparison of any two with AI and data-use changes highlighted, and the fetch
log (every network request the app made). "Check now" asks the app to fetch on its terms lane;
this tab reads the store and compares versions on the job runner, never on the GUI thread."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from guard.presentation.i18n import _, format_date, format_number, ngettext
from guard.presentation.overview import DocumentVersions, version_day, version_label, version_source
from guard.presentation.records import local_time
from guard.presentation.terms_state import fetch_details, fetch_result_words, network_off_line, terms_state_line
from guard.presentation.views import document_display_title
from guard.presentation.wording import one_line
from guard.services import Services, TermsLog
from ui.jobs import JobRunner
from ui.settings.common import esc, named
from ui.settings.terms_changes_model import TermsChangesModel
from ui.settings.terms_compare import Comparison, TermsComparing
from ui.widgets import plain_label, plain_tooltip

log = logging.getLogger(__name__)

DOC_ROLE = Qt.ItemDataRole.UserRole + 1
FETCH_LOG_ROWS = 200
MAX_VERSION_BOX_PX = 480  # a "From"/"To" box is at least as wide as its longest label, up to this


class TermsTab(TermsComparing, QWidget):
    """The terms changes tab; comparing two versions is in :class:`ui.settings.terms_compare.TermsComparing`."""

    check_requested = Signal(str)  # a provider id, or "" for every watched document

    def __init__(self, services: Services, tasks: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.documents: list[DocumentVersions] = []
        self.comparison: Comparison | None = None
        self.last_check: TermsLog | None = None
        self._loaded = False
        self._wanted: tuple[str, str] | None = None  # a document to choose once the list is read
        self._build()

    def showEvent(self, event: QShowEvent) -> None:
        if not self._loaded:  # read the store when the tab is first looked at, not at window start
            self.refresh()
        super().showEvent(event)

    def _build(self) -> None:
        self.tree = named(QTreeWidget(), _("Watched documents"))
        self.tree.setHeaderLabels([_("Document"), _("Versions")])
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.versions = named(QTableWidget(0, 3), _("Versions of the document"))
        self.versions.setHorizontalHeaderLabels([_("Date"), _("Origin"), "SHA-256"])
        self.versions.verticalHeader().setVisible(False)
        self.versions.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.versions.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.versions.horizontalHeader().setStretchLastSection(True)

        self.old = named(QComboBox(), _("Compare from version"))
        self.new = named(QComboBox(), _("Compare to version"))
        for combo in (self.old, self.new):  # a version's whole label shows ("11 Aug 2023 · shipped baseline · …")
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        old_label, new_label = QLabel(_("Fro&m:")), QLabel(_("T&o:"))
        old_label.setBuddy(self.old)
        new_label.setBuddy(self.new)
        self.relevant_only = named(QCheckBox(_("Only &AI and data-use changes")), _("Only AI and data-use changes"))
        self.summary = named(plain_label(), _("Comparison summary"))
        self.model = TermsChangesModel(self.palette(), self)
        self.changes = named(QTableView(), _("Clause changes"))
        self.changes.setModel(self.model)
        self.changes.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.changes.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.changes.verticalHeader().setVisible(False)
        self.changes.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.changes.setWordWrap(False)
        header = self.changes.horizontalHeader()
        header.setStretchLastSection(True)
        for column, width in enumerate((70, 80, 220)):  # never narrower than the header's own words
            self.changes.setColumnWidth(column, max(width, header.sectionSizeHint(column)))
        self.old_text = named(QTextBrowser(), _("Old wording"))
        self.new_text = named(QTextBrowser(), _("New wording"))
        self._show_hints()

        self.check_button = named(QPushButton(_("&Check now")), _("Check terms now"),
                                  _("Fetch the watched terms pages now (on the app's worker thread)"))
        self.network_label = plain_label()
        self.log = named(QTableWidget(0, 6), _("Fetch log"))
        self.log.setHorizontalHeaderLabels([_("When"), _("Document"), _("Address"), _("Result"), "HTTP",
                                            _("Details")])
        self.log.verticalHeader().setVisible(False)
        self.log.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.log.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.log.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((140, 120, 260, 100, 50)):
            self.log.setColumnWidth(column, max(width, self.log.horizontalHeader().sectionSizeHint(column)))

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel(_("Documents:")))
        left_layout.addWidget(self.tree, 3)
        left_layout.addWidget(QLabel(_("Versions kept:")))
        left_layout.addWidget(self.versions, 2)

        picks = QHBoxLayout()  # the two versions on a row of their own, so their labels are not cut
        for widget in (old_label, self.old, new_label, self.new):
            picks.addWidget(widget)
        picks.addStretch(1)
        options = QHBoxLayout()
        options.addWidget(self.relevant_only)
        options.addStretch(1)
        side = QSplitter(Qt.Orientation.Horizontal)
        side.addWidget(self._titled(_("Old wording"), self.old_text))
        side.addWidget(self._titled(_("New wording"), self.new_text))
        self.compare_split = QSplitter(Qt.Orientation.Vertical)
        self.compare_split.addWidget(self.changes)
        self.compare_split.addWidget(side)
        self.compare_split.setSizes([200, 220])
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(picks)
        right_layout.addLayout(options)
        right_layout.addWidget(self.summary)
        right_layout.addWidget(self.compare_split, 1)

        self.top_split = QSplitter(Qt.Orientation.Horizontal)
        self.top_split.addWidget(left)
        self.top_split.addWidget(right)
        self.top_split.setStretchFactor(1, 1)
        self.top_split.setSizes([360, 740])

        log_box = QGroupBox(_("Network requests (fetch log)"))
        log_layout = QVBoxLayout(log_box)
        row = QHBoxLayout()
        row.addWidget(self.check_button)
        row.addWidget(self.network_label, 1)
        log_layout.addLayout(row)
        log_layout.addWidget(self.log)
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.addWidget(self.top_split)
        self.split.addWidget(log_box)
        self.split.setSizes([480, 160])
        layout = QVBoxLayout(self)
        layout.addWidget(self.split)

        self.tree.currentItemChanged.connect(lambda *_: self._document_changed())
        self.old.currentIndexChanged.connect(self.compare)
        self.new.currentIndexChanged.connect(self.compare)
        self.relevant_only.toggled.connect(self._relevant_toggled)
        self.changes.selectionModel().selectionChanged.connect(self._change_selected)
        self.check_button.clicked.connect(self.request_check)

    @staticmethod
    def _titled(title: str, widget: QWidget) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(f"<b>{esc(title)}</b>"))
        layout.addWidget(widget)
        return box

    # -- loading -----------------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read the documents, versions and fetch log (after a check), on the job runner."""
        self._loaded = True
        services = self.services
        self.summary.setText(_("Reading the terms store…"))
        self.tasks.submit(lambda: (services.terms_documents(), services.terms_log(FETCH_LOG_ROWS)), self._read,
                          self._read_failed, key="terms-read", owner=self)

    def _read_failed(self, error: BaseException) -> None:
        self.summary.setText(_("The terms store cannot be read: {error}").format(error=error))
        self.documents = []
        self._fill([])

    def _read(self, result: tuple[list[DocumentVersions], TermsLog]) -> None:
        documents, log_read = result
        self.summary.setText("")
        self.last_check = log_read
        self._fill(documents)
        self._fill_log(log_read)
        self.update_network_state()

    def _fill(self, documents: list[DocumentVersions]) -> None:
        chosen = self.current_document()
        key = self._wanted or ((chosen.provider_id, chosen.document_id) if chosen else None)
        self._wanted = None
        self.documents = documents
        self.tree.blockSignals(True)
        self.tree.clear()
        parents: dict[str, QTreeWidgetItem] = {}
        select: QTreeWidgetItem | None = None
        first_with_versions: QTreeWidgetItem | None = None
        kept = {doc.provider_id for doc in self.documents if doc.versions}
        ordered = sorted(enumerate(self.documents), key=lambda pair: (pair[1].provider_id not in kept, pair[0]))
        for index, doc in ordered:  # providers with versions kept first
            parent = parents.get(doc.provider_id)
            if parent is None:
                parent = QTreeWidgetItem(self.tree, [doc.provider_name, ""])
                parent.setFlags(Qt.ItemFlag.ItemIsEnabled)
                parents[doc.provider_id] = parent
            item = QTreeWidgetItem(parent, [doc.title, format_number(len(doc.versions))])
            item.setData(0, DOC_ROLE, index)
            tip = document_display_title(doc.provider_name, doc.title)
            if doc.changed:
                tip += "\n" + _("More than one version kept: choose two to compare")
            item.setToolTip(0, plain_tooltip(tip))
            if key == (doc.provider_id, doc.document_id):
                select = item
            if first_with_versions is None and doc.versions:
                first_with_versions = item
        for provider_id, parent in parents.items():
            parent.setExpanded(any(d.versions for d in self.documents if d.provider_id == provider_id))
        self.tree.blockSignals(False)
        self._fit_tree()
        target = select or first_with_versions
        if target is not None:
            self.tree.setCurrentItem(target)
        self._document_changed()
        if key is not None and select is None and self.documents:
            self.summary.setText(_("No document {provider}/{document} is watched.").format(provider=key[0],
                                                                                          document=key[1]))

    def _fit_tree(self) -> None:
        """Widen the documents pane so the longest title shows whole (up to half the tab); a
        title longer still is elided, whole in its tooltip."""
        metrics = self.tree.fontMetrics()
        widest = max((metrics.horizontalAdvance(doc.title) for doc in self.documents), default=0)
        wanted = widest + 2 * self.tree.indentation() + metrics.horizontalAdvance("0000") + 48
        sizes = self.top_split.sizes()
        total = sum(sizes) or 1100
        if sizes and sizes[0] < wanted:
            left = min(wanted, total // 2)
            self.top_split.setSizes([left, max(total - left, 1)])

    def update_network_state(self) -> None:
        settings = self.services.settings.terms
        self.check_button.setEnabled(settings.network_enabled)
        log_read = self.last_check
        if not settings.network_enabled:  # one sentence: why nothing is checked, and which box changes that
            self.network_label.setText(network_off_line(log_read.fetches if log_read else ()))
            return
        when = terms_state_line(log_read.last_check if log_read else None, log_read.fetches if log_read else (),
                                network_enabled=settings.network_enabled)
        hours = settings.check_interval_hours
        every = (ngettext("Checked every {hours} hour; only the public pages listed here are fetched, from "
                          "their copies in Open Terms Archive on GitHub where it keeps them.",
                          "Checked every {hours} hours; only the public pages listed here are fetched, from "
                          "their copies in Open Terms Archive on GitHub where it keeps them.", round(hours))
                 if settings.archive_enabled else
                 ngettext("Checked every {hours} hour; only the public pages listed here are fetched.",
                          "Checked every {hours} hours; only the public pages listed here are fetched.",
                          round(hours))).format(hours=format_number(hours))
        self.network_label.setText(f"{when} {every}")

    def refresh_log(self) -> None:
        """Re-read the fetch log alone (on the job runner)."""
        services = self.services
        self.tasks.submit(lambda: services.terms_log(FETCH_LOG_ROWS), self._log_read,
                          lambda error: self.network_label.setText(
                              _("The fetch log cannot be read: {error}").format(error=error)),
                          key="terms-log", owner=self)

    def _log_read(self, log_read: TermsLog) -> None:
        self.last_check = log_read
        self._fill_log(log_read)
        self.update_network_state()

    def _fill_log(self, log_read: TermsLog) -> None:
        records = log_read.fetches
        titles = {(doc.provider_id, doc.document_id): document_display_title(doc.provider_name, doc.title)
                  for doc in self.documents}
        self.log.setRowCount(len(records))
        for row, record in enumerate(records):
            details = fetch_details(record) or (ngettext("{count} byte", "{count} bytes", record.bytes).format(
                count=format_number(record.bytes)) if record.bytes else "")
            if record.sha256:
                details += " · " + _("version {version}").format(version=record.sha256[:8])
            document = titles.get((record.provider_id, record.document_id),
                                  f"{record.provider_id}/{record.document_id}")
            values = (local_time(record.at), document, record.final_url or record.url,
                      fetch_result_words(record.result), str(record.status or ""), details)
            for column, value in enumerate(values):
                self.log.setItem(row, column, QTableWidgetItem(one_line(value, 300)))

    def current_document(self) -> DocumentVersions | None:
        item = self.tree.currentItem()
        index = item.data(0, DOC_ROLE) if item is not None else None
        return self.documents[index] if isinstance(index, int) and index < len(self.documents) else None

    def _document_changed(self) -> None:
        doc = self.current_document()
        versions = doc.versions if doc else ()
        self.versions.setRowCount(len(versions))
        for row, version in enumerate(reversed(versions)):
            day = version_day(version)
            origin = version_source(version)
            if version.problem:
                origin += " " + _("(unreadable)")
            for column, value in enumerate((format_date(day) if day else "—", origin, version.sha256)):
                item = QTableWidgetItem(value)
                item.setToolTip(plain_tooltip(version.obtained_from or version.url))
                self.versions.setItem(row, column, item)
        for combo in (self.old, self.new):
            combo.blockSignals(True)
            combo.clear()
            for version in versions:
                combo.addItem(version_label(version), version.sha256)
                combo.setItemData(combo.count() - 1, plain_tooltip(version.obtained_from or version.url),
                                  Qt.ItemDataRole.ToolTipRole)
            combo.blockSignals(False)
            # the row may be squeezed by the splitter: keep the longest label whole (capped, for hostile ones)
            combo.setMinimumWidth(min(combo.sizeHint().width(), MAX_VERSION_BOX_PX))
        if doc and doc.previous is not None:
            self.old.setCurrentIndex(self.old.findData(doc.previous.sha256))
            self.new.setCurrentIndex(len(versions) - 1)
        elif versions:
            self.old.setCurrentIndex(len(versions) - 1)
            self.new.setCurrentIndex(len(versions) - 1)
        self.compare()

    def show_change(self, provider_id: str, document_id: str) -> None:
        """Select a document and compare its previous version with the latest one (once the
        store is read again)."""
        self._wanted = (provider_id, document_id)
        self.refresh()

    def _item_for(self, index: int) -> QTreeWidgetItem | None:
        for top in range(self.tree.topLevelItemCount()):
            parent = self.tree.topLevelItem(top)
            for child in range(parent.childCount()):
                item = parent.child(child)
                if item.data(0, DOC_ROLE) == index:
                    return item
        return None

    def request_check(self) -> None:
        """Ask the app's worker to fetch every watched page; :meth:`refresh` shows the outcome."""
        self.network_label.setText(_("Checking the terms pages…"))
        self.check_requested.emit("")
