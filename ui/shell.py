"""The app's top-level objects for one run, and how they talk.

Worker signals (events, snapshots, terms changes) come in; the tray status is recomputed with
:func:`guard.presentation.status.tray_status`; notices go out through the chosen notification
backend; menu picks and notification clicks become actions (record consent, pause, check
terms, open settings, quit). No decisions about providers are made here.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from guard.paths import AppPaths, resources_dir
from guard.presentation.actions import (
    Action,
    AnswerConsent,
    CheckTerms,
    OpenSettings,
    OpenUrl,
    PauseMonitoring,
    Quit,
    RecordConsent,
    ResumeMonitoring,
    SetAutostart,
    ShowTermsChange,
)
from guard.presentation.views import TermsChangeView, TrayStatus, starting_status
from ui.settings_host import SettingsHost, default_settings_window
from ui.single_instance import BROWSER_CHANGED, SHOW_SETTINGS
from ui.tray.menu_model import MenuFlags, menu_entries
from ui.worker import Worker

if TYPE_CHECKING:
    from guard.catalog.loader import Catalog
    from guard.events import TermsChanged
    from guard.monitor import MonitorEvent, Snapshot
    from guard.presentation.notices import Notice
    from guard.services import Services
    from guard.settings import Settings
    from ui.dialogs.consent import ConsentDialog
    from ui.dialogs.no_tray import NoTrayWindow
    from ui.notifications import Notifier
    from ui.settings.window import SettingsWindow
    from ui.tray.tray import TrayIcon

log = logging.getLogger(__name__)

PAUSE_FOR = timedelta(hours=1)


def _build_services(paths: AppPaths) -> Services:
    from guard.services import Services

    return Services(paths)


class Shell(QObject):
    """Owns the tray (or the no-tray window), the worker, notifications and dialogs."""

    status_changed = Signal(object)  # TrayStatus
    consent_dialog_opened = Signal(object)  # ConsentDialog
    services_ready = Signal(object)

    def __init__(self, paths: AppPaths, *, services_factory: Callable[[], Services] | None = None,
                 tray_available: Callable[[], bool] = QSystemTrayIcon.isSystemTrayAvailable,
                 notifier_factory: Callable[[QSystemTrayIcon | None], Notifier] | None = None,
                 settings_window_factory: Callable[[Services], SettingsWindow] = default_settings_window,
                 autostart_factory: Callable[[], Any] | None = None,
                 worker_options: dict[str, Any] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.paths = paths
        self.services: Services | None = None
        self.worker = Worker(services_factory or (lambda: _build_services(paths)), **(worker_options or {}))
        self.settings_host = SettingsHost(settings_window_factory, self)
        self.settings_host.settings_saved.connect(self.apply_settings)
        self.settings_host.check_terms_requested.connect(lambda provider_id: self.check_terms_now(provider_id or None))
        self.tray: TrayIcon | None = None
        self.window: NoTrayWindow | None = None
        self.notifier: Notifier | None = None
        self._tray_available = tray_available
        self._notifier_factory = notifier_factory
        self._autostart_factory = autostart_factory
        self.snapshot: Snapshot | None = None
        self.status: TrayStatus | None = None
        self.checking_terms = False
        self._check_asked = False
        self.autostart: bool | None = None
        self.problems: list[str] = []
        self.unseen_terms: OrderedDict[str, tuple[TermsChangeView, TermsChanged]] = OrderedDict()
        self.notices: dict[str, Notice] = {}
        self.dialogs: list[ConsentDialog] = []
        self._gate: Any = None
        self._closed = False

        self.worker.ready.connect(self.use_services)
        self.worker.events.connect(self.on_events)
        self.worker.snapshot.connect(self.on_snapshot)
        self.worker.terms_changed.connect(self.on_terms_changed)
        self.worker.terms_check_started.connect(self._on_check_started)
        self.worker.terms_check_finished.connect(self._on_check_finished)
        self.worker.problem.connect(self._on_problem)

    # -- start and stop ---------------------------------------------------------------------
    def start(self) -> None:
        """Show the tray icon (or the no-tray window) at once, then start the worker."""
        self.show_ui()
        self.worker.start()

    def show_ui(self) -> None:
        """The tray icon, or the no-tray window when the desktop has no tray."""
        if self._tray_available():
            from ui.tray.tray import TrayIcon

            self.tray = TrayIcon(self)
            self.tray.action_triggered.connect(self.trigger)
            self.refresh()
            self.tray.show()
        else:
            from ui.dialogs.no_tray import NoTrayWindow

            log.warning("No system tray on this desktop; showing the status window instead.")
            self.window = NoTrayWindow()
            self.window.action_triggered.connect(self.trigger)
            self.refresh()
            self.window.bring_up()

    def shutdown(self) -> bool:
        """Stop the worker (monitor closed), notifications and pending writes. False when a
        thread would not stop in time (a terms fetch in flight)."""
        from ui.tasks import wait_for_background

        self._closed = True
        self.settings_host.close()
        clean = self.worker.stop()
        wait_for_background(5000)
        if self.notifier is not None:
            self.notifier.close()
        if self.tray is not None:
            self.tray.hide()
        if self.services is not None:
            self.services.close()
        return clean

    def use_services(self, services: Services) -> None:
        """The worker built the app's services: notifications, settings window, autostart can start."""
        from guard.presentation.notices import NotificationGate

        if self._closed:  # arrived after Quit: nothing more to start
            services.close()
            return
        self.services = services
        self._gate = NotificationGate()
        for issue in services.settings_issues:
            self.problems.append(issue.message(services.settings_store.path))
        for problem in services.catalog_problems:
            self.problems.append(problem.message())
        self.notifier = self._make_notifier()
        self.notifier.activated.connect(self.on_notice_activated)
        self.settings_host.set_services(services)
        self._sync_autostart(services.settings.general.autostart, changed=False)
        self.refresh()
        self.services_ready.emit(services)

    def _make_notifier(self) -> Notifier:
        tray_icon = self.tray.icon if self.tray is not None else None
        if self._notifier_factory is not None:
            return self._notifier_factory(tray_icon)
        from ui.notifications import choose_notifier

        return choose_notifier(tray_icon, icon=str(resources_dir() / "icons" / "meeting-privacy-guard.svg"))

    # -- status -----------------------------------------------------------------------------
    @property
    def catalog(self) -> Catalog | None:
        return self.services.catalog if self.services is not None else None

    def refresh(self) -> None:
        """Recompute the status and push it to the tray or the window."""
        if self.catalog is None:
            status = starting_status()
        else:
            from guard.presentation.status import tray_status

            status = tray_status(self.snapshot, self.catalog, tuple(view for view, _ in self.unseen_terms.values()))
        flags = MenuFlags(ready=self.services is not None, checking_terms=self.checking_terms,
                          autostart=self.autostart, problems=tuple(self.problems))
        entries = menu_entries(status, flags)
        changed = status != self.status
        if self.status is None or status.state != self.status.state or status.tooltip != self.status.tooltip:
            log.info("Tray state: %s — %s", status.state, status.tooltip.replace("\n", " | "))
        self.status = status
        if self.tray is not None:
            self.tray.set_status(status, entries)
        if self.window is not None:
            self.window.set_status(status, entries)
        if changed:
            self.status_changed.emit(status)

    def on_snapshot(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.settings_host.set_snapshot(snapshot)
        self.refresh()

    # -- events and notices -----------------------------------------------------------------
    def on_events(self, events: list[MonitorEvent]) -> None:
        from guard.events import MeetingStarted, NotetakerSeen
        from guard.presentation.notices import meeting_notice, notetaker_notice

        for item in events:
            event = item.event
            log.info("Event: %s %s %s", event.kind, event.provider_id, event.session_id)
            if isinstance(event, MeetingStarted):
                self._notify(meeting_notice(event, item.provider))
            elif isinstance(event, NotetakerSeen):
                self._notify(notetaker_notice(event, item.provider))

    def on_terms_changed(self, events: list[TermsChanged]) -> None:
        from guard.presentation.notices import terms_notice
        from guard.presentation.status import terms_change_view

        if self.catalog is None:
            return
        for event in events:
            view = terms_change_view(event, self.catalog)
            self.unseen_terms[view.key] = (view, event)
            self._notify(terms_notice(event, self.catalog))
        self.refresh()

    def _notify(self, notice: Notice) -> None:
        if self.services is None or self.notifier is None or self._gate is None:
            return
        if not self._gate.admit(notice, self.services.settings.notifications):
            log.info("Notification not shown (muted or already shown): %s", notice.key)
            return
        self.notices[notice.key] = notice
        self.notifier.show(notice)
        if self.window is not None:
            self.window.show_notice(notice.title, notice.body)

    def on_notice_activated(self, key: str, choice: str = "") -> None:
        """The user clicked a notification (``choice`` "") or one of its buttons."""
        notice = self.notices.get(key)
        if notice is not None:
            self.trigger(notice.choice(choice))

    # -- actions ----------------------------------------------------------------------------
    def trigger(self, action: Action, checked: bool = False) -> None:
        """Do what a menu item, window button or notification asked for."""
        match action:
            case RecordConsent():
                self.record_consent(action)
            case AnswerConsent():
                self.answer_consent(action)
            case PauseMonitoring():
                self.pause()
            case ResumeMonitoring():
                self.resume()
            case CheckTerms(provider_id=provider_id):
                self.check_terms_now(provider_id)
            case OpenSettings(tab=tab):
                self.show_settings(tab)
            case SetAutostart(on=on):
                self.set_autostart(checked if on is None else on)
            case Quit():
                log.info("Quit chosen")
                QApplication.quit()
            case ShowTermsChange():
                self.show_terms_change(action)
            case OpenUrl(url=url):
                QDesktopServices.openUrl(QUrl(url))
            case _:
                log.error("Unknown action %r", action)

    def handle_command(self, command: str) -> None:
        """A later start of the app asked for something (see ui.single_instance)."""
        if command == SHOW_SETTINGS:
            if self.window is not None:
                self.window.bring_up()
            self.show_settings()
        elif command == BROWSER_CHANGED:
            self.worker.detect_soon()

    def record_consent(self, request: RecordConsent = RecordConsent()) -> ConsentDialog | None:
        """Open the consent form about the meeting (and provider, feature, notice) asked for."""
        from guard.presentation.consent_form import consent_subject
        from ui.dialogs.consent import ConsentDialog

        if self.services is None:
            return None
        dialog = ConsentDialog(self.services, consent_subject(request, self.snapshot))
        dialog.setWindowIcon(QApplication.windowIcon())
        self.dialogs.append(dialog)
        dialog.finished.connect(lambda _result, d=dialog: self._forget(d))
        dialog.recorded.connect(lambda _record: self.settings_host.ledger_updated())
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        self.consent_dialog_opened.emit(dialog)
        return dialog

    def answer_consent(self, answer: AnswerConsent) -> None:
        """A notification's button answered its question: record it (filled in step 6)."""
        self.record_consent(answer.request)

    def _forget(self, dialog: ConsentDialog) -> None:
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)
        dialog.deleteLater()

    def pause(self, until: datetime | None = None) -> None:
        until = until or datetime.now(UTC) + PAUSE_FOR
        log.info("Pausing monitoring until %s", until.isoformat())
        self.worker.pause(until)

    def resume(self) -> None:
        log.info("Resuming monitoring")
        self.worker.resume()

    def check_terms_now(self, provider_id: str | None = None) -> None:
        """Fetch the watched terms now (one provider's, or all) on the worker thread."""
        if self.checking_terms:
            return
        self.checking_terms = True
        self._check_asked = True
        self.refresh()
        self.worker.check_terms_now(provider_id)

    def _on_check_started(self) -> None:
        if not self.checking_terms:
            self.checking_terms = True
            self.refresh()

    def _on_check_finished(self, report: Any) -> None:
        from guard.presentation.notices import check_notice

        self.checking_terms = False
        asked, self._check_asked = self._check_asked, False
        if report is not None:
            log.info("Terms check finished: %d document(s), %d with AI or data-use changes, %d failed",
                     len(report.checks), len(report.events), len(report.failures))
            if asked:
                self._notify(check_notice(report))
            self.settings_host.terms_updated()
        self.refresh()

    def _on_problem(self, message: str) -> None:
        log.warning("%s", message)
        if message not in self.problems:
            self.problems.append(message)
            self.refresh()

    def show_settings(self, tab: str | None = None) -> None:
        self.settings_host.show(tab)

    def show_terms_change(self, change: ShowTermsChange) -> None:
        """Open the change (settings window, terms tab) and count it as seen."""
        self.unseen_terms.pop(f"{change.provider_id}/{change.document_id}/{change.sha256}", None)
        self.settings_host.show_terms_change(change.provider_id, change.document_id)
        self.refresh()

    # -- settings ---------------------------------------------------------------------------
    def apply_settings(self, settings: Settings) -> None:
        """New settings were saved (e.g. by the settings window): detection, terms, autostart."""
        if self.services is None:
            return
        before = self.services.settings
        self.services.settings = settings
        self.worker.update_settings(settings)
        if settings.general.autostart != before.general.autostart:
            self._sync_autostart(settings.general.autostart, changed=True)
        self.refresh()

    def set_autostart(self, on: bool) -> None:
        """The menu's "Start when I log in": save the setting, then write or remove the entry."""
        if self.services is None:
            return
        from ui.tasks import run_in_background

        settings = self.services.settings
        updated = settings.model_copy(update={"general": settings.general.model_copy(update={"autostart": on})})
        run_in_background(lambda: self.services.save_settings(updated),  # type: ignore[union-attr]
                          lambda _none: self._sync_autostart(on, changed=True),
                          lambda error: self._on_problem(f"The setting could not be saved: {error}"))

    def _sync_autostart(self, wanted: bool, *, changed: bool) -> None:
        from guard.autostart import current_autostart, launch_command
        from guard.autostart.sync import sync_autostart
        from ui.tasks import run_in_background

        backend = (self._autostart_factory or current_autostart)()

        def apply() -> tuple[bool, str | None]:
            problem = sync_autostart(wanted, backend, launch_command(), changed=changed)
            return backend.is_enabled(), problem

        def done(result: tuple[bool, str | None]) -> None:
            self.autostart, problem = result
            if problem:
                self._on_problem(problem)
            self.refresh()

        run_in_background(apply, done, lambda error: self._on_problem(str(error)))
