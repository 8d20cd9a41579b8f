"""The app's top-level objects for one run, and how they talk.

Detection passes and terms checks (:mod:`ui.loops`) run on the job runner and report events
and snapshots; the tray status is recomputed with :func:`guard.presentation.status.tray_status`;
notices go out through the chosen notification backend; menu picks and notification clicks
are typed actions (:mod:`guard.presentation.actions`) dispatched in :meth:`Shell.trigger`.
No decisions about providers are made here, and nothing here blocks: every call that waits on
a file, the keyring or the network goes through :class:`ui.jobs.JobRunner`.
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
    ShowWelcome,
)
from guard.presentation.i18n import _, current_locale, say_error
from guard.presentation.icons import app_icon_path
from guard.presentation.views import TermsChangeView, TrayStatus, starting_status
from ui.consent_flow import ConsentFlow
from ui.guithread import guard_gui_thread
from ui.jobs import JobRunner, Lane
from ui.loops import DetectionLoop, TermsLoop, WaitingLoop
from ui.settings_host import SettingsHost, default_settings_window
from ui.shell_events import ShellEvents
from ui.shell_settings import ShellSettings
from ui.single_instance import BROWSER_CHANGED, SHOW_SETTINGS
from ui.tray.menu_model import MenuFlags, menu_entries

if TYPE_CHECKING:
    from guard.events import TermsChanged
    from guard.presentation.notices import Notice
    from guard.services import AppPaths, Autostart, Catalog, Record, Services, Snapshot
    from ui.dialogs.no_tray import NoTrayWindow
    from ui.notifications import Notifier
    from ui.settings.window import SettingsWindow
    from ui.settings_remote import ProcessSettingsHost
    from ui.tray.tray import TrayIcon
    from ui.welcome import WelcomeDialog

log = logging.getLogger(__name__)

PAUSE_FOR = timedelta(hours=1)
SHOWN_FILE = "notifications.json"  # in the cache folder: the notifications on screen, closed at the next start


def _build_services(paths: AppPaths) -> Services:
    from guard.services import Services

    return Services(paths, record_in_helper=True)  # the tray app never loads the ledger (issue 18)


class Shell(ShellSettings, ShellEvents, QObject):
    """Owns the tray (or the no-tray window), the job runner, notifications and dialogs. The welcome
    and settings calls are in :class:`ui.shell_settings.ShellSettings`, detection's events in
    :class:`ui.shell_events.ShellEvents`."""

    status_changed = Signal(object)  # TrayStatus
    consent_dialog_opened = Signal(object)  # ConsentDialog
    welcome_opened = Signal(object)  # WelcomeDialog
    services_ready = Signal(object)

    def __init__(self, paths: AppPaths, *, services_factory: Callable[[], Services] | None = None,
                 tray_available: Callable[[], bool] = QSystemTrayIcon.isSystemTrayAvailable,
                 notifier_factory: Callable[[QSystemTrayIcon | None], Notifier] | None = None,
                 settings_window_factory: Callable[[Services, JobRunner], SettingsWindow] = default_settings_window,
                 autostart_factory: Callable[[], Autostart] | None = None,
                 settings_process: bool = False,
                 loop_options: dict[str, Any] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.paths = paths
        self.services: Services | None = None
        self.jobs = JobRunner(self)
        self._services_factory = services_factory or (lambda: _build_services(paths))
        self.detection = DetectionLoop(self.jobs, self)
        self.terms = TermsLoop(self.jobs, parent=self, **(loop_options or {}))
        self.waiting = WaitingLoop(self.jobs, parent=self)
        self.waiting.signed.connect(lambda _records: self.settings_host.ledger_updated())
        self.settings_host: SettingsHost | ProcessSettingsHost
        if settings_process:  # the app: the window in a process of its own (ui/settings_remote.py says why)
            from ui.settings_remote import ProcessSettingsHost

            self.settings_host = ProcessSettingsHost(self.jobs, paths, settings_window_factory, parent=self)
        else:
            self.settings_host = SettingsHost(self.jobs, settings_window_factory, self)
        self.settings_host.settings_saved.connect(self.apply_settings)
        self.settings_host.check_terms_requested.connect(lambda provider_id: self.check_terms_now(provider_id or None))
        self.consent = ConsentFlow(self)
        self.consent.recorded.connect(lambda _record: self.settings_host.ledger_updated())
        self.consent.answered.connect(self.on_answer_recorded)
        self.consent.already.connect(self.on_answer_ignored)
        self.consent.dialog_opened.connect(self.consent_dialog_opened)
        self.tray: TrayIcon | None = None
        self.window: NoTrayWindow | None = None
        self.notifier: Notifier | None = None
        self._tray_available = tray_available
        self._notifier_factory = notifier_factory
        self._autostart_factory = autostart_factory
        self.snapshot: Snapshot | None = None
        self.status: TrayStatus | None = None
        self._menu_shown: tuple[MenuFlags, object] | None = None
        self.checking_terms = False
        self._check_asked = False
        self.autostart: bool | None = None
        self.problems: list[str] = []
        self.detection_problem: str | None = None  # the last pass failed; cleared by the next one that works
        self.unseen_terms: OrderedDict[str, tuple[TermsChangeView, TermsChanged]] = OrderedDict()
        self.notices: dict[str, Notice] = {}
        self.decided: dict[str, tuple[str, ...]] = {}  # by told_as: decisions found in the ledger
        self.welcome: WelcomeDialog | None = None
        self._gate: Any = None
        self._closed = False

        self.detection.events.connect(self.on_events)
        self.detection.snapshot.connect(self.on_snapshot)
        self.detection.problem.connect(self._on_detection_problem)
        self.terms.terms_changed.connect(self.on_terms_changed)
        self.terms.check_started.connect(self._on_check_started)
        self.terms.check_finished.connect(self._on_check_finished)
        self.terms.problem.connect(self._on_problem)

    @property
    def dialogs(self) -> list[Any]:
        return self.consent.dialogs

    # -- start and stop ---------------------------------------------------------------------
    def start(self) -> None:
        """Show the tray icon (or the no-tray window) at once, then open the app's data off
        the GUI thread; detection and terms checks start when it is open."""
        self.show_ui()
        self.open_data()

    def open_data(self) -> None:
        """Open the app's data (settings, catalog, stores) on the job runner; :meth:`use_services` follows."""
        self.jobs.submit(self._services_factory, self.use_services, self._services_failed, lane=Lane.IO)

    def show_ui(self) -> None:
        """The tray icon, or the no-tray window when the desktop has no tray."""
        if self._tray_available():
            from ui.tray.tray import TrayIcon

            self.tray = TrayIcon(self)
            self.tray.action_triggered.connect(self.trigger)
            self.refresh()
            self.tray.show()
            self.tray.confirm_registration(self.jobs)
        else:
            from ui.dialogs.no_tray import NoTrayWindow

            log.warning("No system tray on this desktop; showing the status window instead.")
            self.window = NoTrayWindow()
            self.window.action_triggered.connect(self.trigger)
            self.refresh()
            self.window.bring_up()

    def shutdown(self) -> bool:
        """Stop the loops, release detection, close the ledger and wait for pending writes.
        False when a lane would not stop in time (a terms fetch in flight)."""
        self._closed = True
        if self.welcome is not None:
            self.welcome.close()
        self.settings_host.close()
        self.consent.close_all()
        self.detection.stop()
        self.terms.stop()
        self.waiting.stop()
        if self.services is not None:
            self.jobs.submit(self.services.close, lane=Lane.IO)
        clean = self.jobs.shutdown(5000)
        if self.notifier is not None:
            self.notifier.close()
        if self.tray is not None:
            self.tray.hide()
        return clean

    def _services_failed(self, error: BaseException) -> None:
        log.error("The app's data could not be opened", exc_info=error)
        self._on_problem(_("The app's data could not be opened: {error}").format(error=say_error(error)))

    def use_services(self, services: Services) -> None:
        """The app's data is open: notifications, detection, terms checks, settings window, autostart."""
        from guard.presentation.notices import NotificationGate

        if self._closed:  # arrived after Quit: nothing more to start
            self.jobs.submit(services.close, lane=Lane.IO)
            return
        guard_gui_thread()  # nothing may block the GUI thread from now on
        self.services = services
        self._use_language(services.settings.general.language)
        self.consent.use(services, self.jobs)
        self._gate = NotificationGate()
        self.notifier = self._make_notifier()
        self.notifier.activated.connect(self.on_notice_activated)
        self.notifier.unknown.connect(self.on_unknown_answer)
        self.settings_host.set_services(services)
        self.detection.start(services)
        self.waiting.start(services)  # decisions kept while the keyring was away, signed once it answers
        first_start = not services.settings.general.welcome_shown
        if first_start:  # no terms page is fetched before the user has read what that means (and could say no)
            self.show_welcome()
        else:
            self.terms.start(services)
        self._sync_autostart(services.settings.general.autostart, changed=False)
        self.watch_settings_file()
        self.refresh()
        self.services_ready.emit(services)

    def _make_notifier(self) -> Notifier:
        tray_icon = self.tray.icon if self.tray is not None else None
        if self._notifier_factory is not None:
            return self._notifier_factory(tray_icon)
        from ui.notifications import choose_notifier

        shown = self.services.paths.cache_dir / SHOWN_FILE if self.services is not None else None
        return choose_notifier(tray_icon, icon=str(app_icon_path()), shown_file=shown)

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

            status = tray_status(self.snapshot, self.catalog, tuple(view for view, _ in self.unseen_terms.values()),
                                 decided=self.decided)
        flags = MenuFlags(ready=self.services is not None, checking_terms=self.checking_terms,
                          autostart=self.autostart,
                          problems=(*self.problems, *filter(None, [self.detection_problem])))
        shown = (flags, current_locale())  # the menu's words and times follow the language in use
        if status == self.status and shown == self._menu_shown:
            return  # nothing shown changed (most detection passes): the menu is not rebuilt on the GUI thread
        self._menu_shown = shown
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
        if self.decided:  # kept for meetings in progress and lately ended (one seen again after a flap shows them)
            live = {meeting.told_as for meeting in (*snapshot.meetings, *snapshot.ended)}
            self.decided = {key: lines for key, lines in self.decided.items() if key in live}
        self.detection_problem = None  # a pass worked: a failed one before it is no longer news
        self.consent.snapshot = snapshot
        self.settings_host.set_snapshot(snapshot)
        self.refresh()

    # -- events and notices -----------------------------------------------------------------
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

    def on_answer_recorded(self, record: Record) -> None:
        """A decision was saved (a notification's button, or the form, which closes): a notification says so."""
        from guard.presentation.notices import recorded_notice

        provider = self.catalog.get(record.provider_id) if self.catalog is not None else None
        self._notify(recorded_notice(record.id, record.seq, str(record.decision),
                                     provider.name if provider is not None else record.provider_id,
                                     record.recorded_at))

    def on_answer_ignored(self, record: Record, answer: str) -> None:
        """A notification's button answered a notice that ``record`` answers already: say so."""
        from guard.presentation.notices import already_notice

        provider = self.catalog.get(record.provider_id) if self.catalog is not None else None
        self._notify(already_notice(record.id, record.seq, str(record.decision), answer,
                                    provider.name if provider is not None else record.provider_id,
                                    datetime.now(UTC)))

    def on_unknown_answer(self, choice: str) -> None:
        """A button pressed on a notification this run did not show (left from before a restart):
        nothing is recorded; an answer opens the form with it chosen, saying why it was not recorded."""
        from guard.presentation.notices import ANSWERS

        decision = choice.removeprefix("answer-")
        if not choice.startswith("answer-") or decision not in dict(ANSWERS):
            return
        self.consent.open(RecordConsent(), decision, _(
            "Not recorded: that answer came from a notification shown before Meeting Privacy Guard restarted. "
            "Check the meeting and your answer here, then save."))

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
                self.consent.answer(action)
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
            case ShowWelcome():
                self.show_welcome()
            case _:
                log.error("Unknown action %r", action)

    def handle_command(self, command: str) -> None:
        """A later start of the app asked for something (see ui.single_instance)."""
        if command == SHOW_SETTINGS:
            if self.window is not None:
                self.window.bring_up()
            self.show_settings()
        elif command == BROWSER_CHANGED:
            self.detection.tick_soon()

    def record_consent(self, request: RecordConsent | None = None) -> Any:
        """Open the consent form about the meeting (and provider, feature, notice) asked for."""
        return self.consent.open(request or RecordConsent())

    def pause(self, until: datetime | None = None) -> None:
        until = until or datetime.now(UTC) + PAUSE_FOR
        log.info("Pausing monitoring until %s", until.isoformat())
        self.detection.pause(until)

    def resume(self) -> None:
        log.info("Resuming monitoring")
        self.detection.resume()

    def check_terms_now(self, provider_id: str | None = None) -> None:
        """Fetch the watched terms now (one provider's, or all) on the terms lane."""
        if self.checking_terms:
            return
        self.checking_terms = True
        self._check_asked = True
        self.refresh()
        self.terms.check_now(provider_id)

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

    def _on_detection_problem(self, message: str) -> None:
        log.warning("%s", message)
        self.detection_problem = message
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
