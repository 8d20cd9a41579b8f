"""Export the consent history: format choice, a progress bar, Cancel. The export runs through
the door (:meth:`guard.services.Services.export`) on the job runner's long lane."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from guard.presentation.i18n import _, format_number, labelled, listed, ngettext, say_error
from guard.presentation.records import export_format_label
from guard.services import ExportCancelledByUser, ExportFormat, ExportOutcome, ExportRequest, RecordFilter, Services
from ui.gui_inbox import post_if_alive
from ui.jobs import JobRunner, Lane
from ui.settings.common import named
from ui.widgets import plain_label

log = logging.getLogger(__name__)


class ExportPanel(QWidget):
    progressed = Signal(int, int)
    finished = Signal(str)  # the message shown when an export ends (done, cancelled or failed)

    def __init__(self, services: Services, tasks: JobRunner, selection: Callable[[], RecordFilter],
                 parent: QWidget | None = None) -> None:
        """``selection()`` gives the history's filter: the records its table shows, which an export holds."""
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.selection = selection
        self._cancel = threading.Event()
        self.format = named(QComboBox(), _("Export format"))
        for fmt in ExportFormat:
            self.format.addItem(export_format_label(fmt.value, fmt.label), fmt.value)
        # Every format's whole name shows (it was cut to "JSON (consent records, ISO/").
        self.format.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.format.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        label = QLabel(_("For&mat:"))
        label.setBuddy(self.format)
        self.export_button = named(QPushButton(_("E&xport…")), _("Export"),
                                   _("Export the records the table shows: every filter above applies"))
        self.cancel_button = named(QPushButton(_("Cancel export")), _("Cancel export"))
        self.cancel_button.setVisible(False)
        self.progress = named(QProgressBar(), _("Export progress"))
        self.progress.setVisible(False)
        self.progress.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.status = plain_label()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (label, self.format, self.export_button, self.progress, self.cancel_button):
            layout.addWidget(widget)
        layout.addWidget(self.status, 1)
        self.export_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.progressed.connect(self._show_progress)

    @property
    def running(self) -> bool:
        return self.cancel_button.isVisible()

    def _say(self, message: str) -> None:
        """The export ended: the tab's status line says how (once; this label only said what runs)."""
        self.status.clear()
        self.status.setAccessibleName("")
        self.finished.emit(message)

    def start(self) -> None:
        """Ask where to save, then export there (button)."""
        fmt = ExportFormat(self.format.currentData())
        # The proposed file name, in the app's language like the HTML and PDF it holds (a name, not a path).
        name = _("consent-history").replace("/", "-").replace("\\", "-").strip() or "consent-history"
        default = str(Path.home() / f"{name}{fmt.suffix}")
        path, _filter = QFileDialog.getSaveFileName(self, _("Export the consent history"), default, f"*{fmt.suffix}")
        if path:
            self.export_to(Path(path), fmt)

    def export_to(self, dest: Path, fmt: ExportFormat | str) -> None:
        """Export the current selection to ``dest`` in ``fmt`` on the job runner."""
        shown = self.selection()
        request = ExportRequest(ExportFormat(fmt), dest, shown.provider_id, shown.occurred_from, shown.occurred_to,
                                decision=None if shown.decision is None else str(shown.decision), text=shown.text)
        self._cancel.clear()
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        self.export_button.setEnabled(False)
        self.status.setText(_("Exporting to {path}…").format(path=dest))

        progress, cancel = post_if_alive(self.tasks.post, self._report_progress), self._cancel  # made here

        def report(done: int, total: int) -> bool:
            progress(done, total)  # to the GUI thread; the export's thread touches no Qt object
            return not cancel.is_set()

        services = self.services
        self.tasks.submit(lambda: services.export(request, report), self._done, self._failed, lane=Lane.LONG,
                          key="export", cancel=self._cancel)

    def cancel(self) -> None:
        self._cancel.set()
        self.status.setText(_("Cancelling…"))

    @Slot(int, int)
    def _report_progress(self, done: int, total: int) -> None:
        self.progressed.emit(done, total)

    def _show_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _end(self) -> None:
        from ui.memory import give_back_memory

        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        self.export_button.setEnabled(True)
        # The export ran in a helper process, but its progress and result passed through here; a
        # long-running process hands what they left back (ui/memory.py).
        QTimer.singleShot(0, give_back_memory)

    def _done(self, outcome: ExportOutcome) -> None:
        self._end()
        said = ngettext("Exported {count} record to {path}.", "Exported {count} records to {path}.",
                        outcome.records).format(count=format_number(outcome.records), path=outcome.dest)
        if outcome.files > 1:
            said += " " + ngettext("({count} file)", "({count} files)", outcome.files).format(
                count=format_number(outcome.files))
        if outcome.warnings:
            said += " " + labelled(_("Warnings"), listed(outcome.warnings))
        self._say(said)

    def _failed(self, error: BaseException) -> None:
        self._end()
        if isinstance(error, ExportCancelledByUser):
            self._say(f"{_('Export cancelled; nothing was written.')} {error}".strip())
            return
        log.error("Export failed", exc_info=error)
        self._say(_("Export failed: {error}").format(error=say_error(error)))
