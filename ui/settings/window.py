"""The settings window: one window, five tabs, everything the app knows.

The tray shell creates one :class:`SettingsWindow` and talks to it through the public methods
and signals below; the tabs talk to ``guard`` only through :class:`guard.services.Services`,
whose blocking calls they run on the shared :class:`ui.jobs.JobRunner`.
"""

from __future__ import annotations

import base64
import logging

from PySide6.QtCore import QByteArray, QEvent, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QHideEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QMainWindow, QMessageBox, QSplitter, QTabWidget, QWidget

from guard import APP_NAME
from guard.presentation.i18n import N_, _
from guard.services import Services, Snapshot
from ui.guithread import guard_gui_thread
from ui.jobs import JobRunner, Lane
from ui.settings.common import named
from ui.settings.history import HistoryTab
from ui.settings.ledger_watch import LedgerWatch, terms_watch
from ui.settings.overview import OverviewTab
from ui.settings.preferences import PreferencesTab
from ui.settings.providers import ProvidersTab
from ui.settings.terms import TermsTab
from ui.settings.ui_state import UiState

log = logging.getLogger(__name__)

TITLE = N_("{app} Settings")
TABS = ("overview", "providers", "history", "terms", "preferences")
# No mnemonics on the tabs (they would clash with the controls inside); Ctrl+1..5 switch tabs.
TAB_TITLES = (N_("Overview"), N_("Providers"), N_("Consent history"), N_("Terms changes"), N_("Preferences"))


class SettingsWindow(QMainWindow):
    """Public API for the tray shell:

    * :meth:`show_tab`, :meth:`show_terms_change`, :meth:`show_record`, :meth:`set_snapshot`,
      :meth:`terms_updated`, :meth:`ledger_updated`, :meth:`present`;
    * signals ``settings_changed(Settings)`` after Preferences are saved,
      ``consent_recorded(Record)`` after a record is added or a consent withdrawn here, and
      ``check_terms_requested(str)`` when the user asks for a terms check (a provider id, or ""
      for every watched document).
    """

    settings_changed = Signal(object)
    consent_recorded = Signal(object)
    check_terms_requested = Signal(str)
    closed = Signal()

    def __init__(self, services: Services, jobs: JobRunner | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        guard_gui_thread()
        self.services = services
        title = _(TITLE).format(app=APP_NAME)
        self.setWindowTitle(title)
        named(self, title)
        self.tasks = jobs or JobRunner(self)
        self.state = UiState.load(services.config_dir)
        self._ask_before_closing = True  # off once the app quits (shutdown) or the tray app closes it
        self._close_after_save = False
        self.unsaved_question: QMessageBox | None = None

        self.tab_widget = named(QTabWidget(), _("Settings sections"))
        self.overview = OverviewTab(services, self.tasks)
        self.providers = ProvidersTab(services)
        self.history = HistoryTab(services, self.tasks)
        self.terms = TermsTab(services, self.tasks)
        self.preferences = PreferencesTab(services, self.tasks)
        widgets = (self.overview, self.providers, self.history, self.terms, self.preferences)
        self._tabs: dict[str, QWidget] = dict(zip(TABS, widgets, strict=True))
        for number, (widget, tab_title) in enumerate(zip(self._tabs.values(), TAB_TITLES, strict=True), start=1):
            self.tab_widget.addTab(widget, _(tab_title))
            self.tab_widget.setTabToolTip(number - 1, f"{_(tab_title)} (Ctrl+{number})")
            QShortcut(QKeySequence(f"Ctrl+{number}"), self,
                      activated=lambda w=widget: self.tab_widget.setCurrentWidget(w))
        self.tab_widget.tabBar().setAccessibleName(_("Settings sections"))
        self.setCentralWidget(self.tab_widget)

        self.overview.link_activated.connect(self._overview_link)
        self.history.consent_recorded.connect(self._recorded_here)
        self.terms.check_requested.connect(self.check_terms_requested)
        self.preferences.settings_saved.connect(self._settings_saved)
        self.preferences.save_finished.connect(self._save_finished)
        self.tab_widget.currentChanged.connect(self._remember_tab)
        QShortcut(QKeySequence.StandardKey.Close, self, activated=self.close)
        self._restore_state()
        # records written elsewhere (the command line) show without reopening the window
        self.ledger_watch = LedgerWatch(services, self.tasks, self, self._reread_ledger)
        self.terms_watch = terms_watch(services, self.tasks, self, self._reread_terms)  # and `terms check`'s versions

    # -- public API --------------------------------------------------------------------------
    def show_tab(self, name: str) -> None:
        """Switch to ``overview``, ``providers``, ``history``, ``terms`` or ``preferences``."""
        if name not in self._tabs:
            raise ValueError(f"unknown settings tab '{name}'; one of {', '.join(TABS)}")
        self.tab_widget.setCurrentWidget(self._tabs[name])

    def current_tab(self) -> str:
        return TABS[self.tab_widget.currentIndex()]

    def present(self, tab: str | None = None) -> None:
        """Show, raise and focus the window (optionally on ``tab``)."""
        if tab:
            self.show_tab(tab)
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def show_terms_change(self, provider_id: str, document_id: str) -> None:
        """The terms tab, comparing the document's previous version with its latest."""
        self.show_tab("terms")
        self.terms.show_change(provider_id, document_id)

    def show_record(self, record_id: str) -> None:
        """The consent history with ``record_id`` chosen and its details shown."""
        self.show_tab("history")
        self.history.show_record(record_id)

    def set_snapshot(self, snapshot: Snapshot) -> None:
        """The monitor's latest snapshot (call on the GUI thread)."""
        self.overview.set_snapshot(snapshot)

    def terms_updated(self) -> None:
        """A terms check finished: re-read versions and the fetch log."""
        self.terms_watch.settle()  # told, so the watch need not notice it again
        self._reread_terms()

    def _reread_terms(self) -> None:
        self.terms.refresh()
        self.overview.refresh_terms()

    def ledger_updated(self) -> None:
        """A record was added elsewhere (e.g. from a notification): re-read the history."""
        self.ledger_watch.settle()  # told, so the watch need not notice it again
        self._reread_ledger()

    # -- internals ---------------------------------------------------------------------------
    def _reread_ledger(self) -> None:
        self.history.reload()
        self.overview.verify()
        self.preferences.refresh_key_status()  # the first record creates the signing key

    def _overview_link(self, kind: str, target: str) -> None:
        if kind == "tab" and target in self._tabs:
            self.show_tab(target)
        elif kind == "terms" and "/" in target:
            provider_id, document_id = target.split("/", 1)
            self.show_terms_change(provider_id, document_id)
        elif kind == "provider":
            self.show_tab("providers")
            self.providers.show_provider(target)
        elif kind == "record":
            self.show_record(target)

    def _recorded_here(self, record: object) -> None:
        self.ledger_watch.settle()  # (a helper process may have appended it)
        self.overview.verify()
        self.preferences.refresh_key_status()  # the first record creates the signing key
        self.consent_recorded.emit(record)

    def _settings_saved(self, settings: object) -> None:
        self.terms.update_network_state()
        self.settings_changed.emit(settings)

    def _splitters(self) -> dict[str, QSplitter]:
        return {s.objectName(): s for s in self.findChildren(QSplitter) if s.objectName()}

    def _restore_state(self) -> None:
        for name, splitter in (("history-split", self.history.splitter), ("history-lower", self.history.lower),
                               ("providers-split", self.providers.splitter), ("terms-split", self.terms.split),
                               ("terms-top", self.terms.top_split), ("terms-compare", self.terms.compare_split)):
            splitter.setObjectName(name)
        geometry = self.state.get("geometry")
        restored = False
        if isinstance(geometry, str):
            try:
                restored = self.restoreGeometry(QByteArray(base64.b64decode(geometry)))
            except ValueError:
                restored = False
        if not restored:
            self.resize(1100, 720)
        sizes = self.state.get("splitters", {})
        if isinstance(sizes, dict):
            for name, splitter in self._splitters().items():
                value = sizes.get(name)
                if isinstance(value, list) and all(isinstance(v, int) for v in value):
                    splitter.setSizes(value)
        tab = self.state.get("tab")
        if tab in self._tabs:
            self.show_tab(tab)
        chosen = self.history.export.format.findData(self.state.get("export-format"))
        if chosen >= 0:  # the format last exported in, not JSON again each time the window opens
            self.history.export.format.setCurrentIndex(chosen)

    def _remember_tab(self) -> None:
        self.state.set("tab", self.current_tab())

    def save_state(self) -> None:
        """Write geometry, tab, splitter sizes and export format to ui-state.json (on close and hide)."""
        self.state.set("geometry", base64.b64encode(bytes(self.saveGeometry())).decode("ascii"))
        self.state.set("tab", self.current_tab())
        self.state.set("export-format", self.history.export.format.currentData())
        self.state.set("splitters", {name: s.sizes() for name, s in self._splitters().items()})
        text, path, services = self.state.text(), self.state.path, self.services
        self.tasks.submit(lambda: services.save_text(path, text), None,
                          lambda error: log.warning("Could not save the window state to %s: %s", path, error),
                          key="ui-state")

    def changeEvent(self, event: QEvent) -> None:
        """Follow a switch between light and dark: re-tint what was drawn with palette colours."""
        if event.type() == QEvent.Type.PaletteChange:
            QTimer.singleShot(0, self, self._repaint_tints)  # after the children have the new palette too
        super().changeEvent(event)

    def _repaint_tints(self) -> None:
        self.overview.render()
        self.providers.render()
        self.terms.repaint_tints()
        self.history.repaint_tints()

    def hideEvent(self, event: QHideEvent) -> None:
        self.save_state()
        super().hideEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._ask_before_closing and self.preferences.edited():
            event.ignore()  # a changed setting (say, the network turned off) must not be lost unsaid
            self._ask_about_unsaved()
            return
        self.save_state()
        self._stop_reading_keyring()
        super().closeEvent(event)
        self.closed.emit()

    def close_now(self) -> None:
        """Close without asking about unsaved preferences (the tray app quits or closes the window)."""
        self._ask_before_closing = False
        self.close()

    def _ask_about_unsaved(self) -> None:
        """Save, discard or keep editing: asked without blocking (the window stays responsive)."""
        self.show_tab("preferences")
        if self.unsaved_question is not None:
            self.unsaved_question.raise_()
            return
        question = QMessageBox(QMessageBox.Icon.Question, _("Unsaved preferences"),
                               _("Preferences were changed but not saved. Save them before closing?"),
                               QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                               | QMessageBox.StandardButton.Cancel, self)
        question.setDefaultButton(QMessageBox.StandardButton.Save)
        named(question, _("Unsaved preferences"))
        question.finished.connect(lambda _result: self._unsaved_answered(question))
        self.unsaved_question = question
        question.open()

    def _unsaved_answered(self, question: QMessageBox) -> None:
        self.unsaved_question = None
        answer = question.standardButton(question.clickedButton())
        question.deleteLater()
        if answer == QMessageBox.StandardButton.Save:
            self._close_after_save = True
            if self.preferences.save() is None:
                self._close_after_save = False
        elif answer == QMessageBox.StandardButton.Discard:
            self.preferences.load()
            self.close()

    def _save_finished(self, saved: bool) -> None:
        if self._close_after_save:
            self._close_after_save = False
            if saved:  # not saved (e.g. the file was changed meanwhile): the tab says why, the window stays
                QTimer.singleShot(0, self, self.close)

    def _stop_reading_keyring(self) -> None:
        """A keyring that waits on an unlock prompt, or is hung, must not hold up the window's end
        or the app's: its reads are cancelled (their results would be dropped anyway)."""
        self.overview.stop_reading_keyring()
        self.preferences.stop_reading_key()
        self.preferences.file_watch.stop()
        self.ledger_watch.stop()  # nothing to watch for a closed window (and the ledger may be locked)
        self.terms_watch.stop()

    def shutdown(self) -> None:
        """Save the window's state and wait for its background work (app quit, tests); the reads
        that may wait on the keyring (the key's status, verify) are stopped, not waited for."""
        self._ask_before_closing = False
        if self.isVisible():
            self.save_state()
        self._stop_reading_keyring()
        for lane in (Lane.IO, Lane.LONG):  # not the terms lane: a fetch in flight is the app's to wait for
            self.tasks.wait(10000, lane)
