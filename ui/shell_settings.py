"""The tray app's welcome and settings: showing the welcome (first start, or from the menu),
using settings saved by it or the settings window (language, detection, terms), and keeping the
log-in entry in step with the "Start when I log in" setting. A part of :class:`ui.shell.Shell`
(it mixes this in), kept apart so each file does one job; nothing here blocks (the job runner
saves and writes)."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QApplication

from guard.presentation.file_versions import settled
from guard.presentation.i18n import _, say_error

if TYPE_CHECKING:
    from guard.events import TermsChanged
    from guard.presentation.views import TermsChangeView
    from guard.services import Autostart, AutostartState, Catalog, Services, Settings
    from ui.jobs import JobRunner
    from ui.loops import DetectionLoop, TermsLoop
    from ui.settings_host import SettingsHost
    from ui.settings_remote import ProcessSettingsHost
    from ui.welcome import WelcomeDialog

log = logging.getLogger(__name__)

SETTINGS_WATCH_MS = 5000  # how often the running app looks whether settings.toml was edited
SETTINGS_WATCH_JOB = "tray-settings-file"


class ShellSettings:
    """The welcome and settings part of the Shell; what the Shell sets up is declared here."""

    services: Services | None
    jobs: JobRunner
    detection: DetectionLoop
    terms: TermsLoop
    settings_host: SettingsHost | ProcessSettingsHost
    welcome: WelcomeDialog | None
    welcome_opened: Any  # the Shell's Signal(object)
    autostart: bool | None
    unseen_terms: OrderedDict[str, tuple[TermsChangeView, TermsChanged]]
    _autostart_factory: Callable[[], Autostart] | None
    _settings_file_pending: str | None = None  # a new version of settings.toml seen once
    _closed: bool
    catalog: Catalog | None

    if TYPE_CHECKING:  # the Shell's own
        def refresh(self) -> None: ...
        def _on_problem(self, message: str) -> None: ...
        def show_settings(self, tab: str | None = None) -> None: ...

    def show_welcome(self) -> WelcomeDialog | None:
        """The welcome (one at a time): on the first start, and from the menu."""
        from ui.welcome import WelcomeDialog

        if self.services is None:
            return None
        if self.welcome is not None:
            self.welcome.raise_()
            self.welcome.activateWindow()
            return self.welcome
        welcome = WelcomeDialog(self.services, self.jobs)
        welcome.setWindowIcon(QApplication.windowIcon())
        welcome.answered.connect(self._welcome_answered)
        welcome.settings_requested.connect(lambda: self.show_settings())
        welcome.finished.connect(lambda _result: self._welcome_closed(welcome))
        self.welcome = welcome
        log.info("Showing the welcome")
        welcome.show()
        welcome.raise_()
        welcome.activateWindow()
        self.welcome_opened.emit(welcome)
        return welcome

    def _welcome_closed(self, welcome: WelcomeDialog) -> None:
        if self.welcome is welcome:
            self.welcome = None
        welcome.deleteLater()

    def _welcome_answered(self, settings: Settings) -> None:
        """Save that the welcome was seen (and its terms switch), then start the terms checks."""
        services = self.services
        if services is None or self._closed:
            return
        before = services.settings
        first = not before.general.welcome_shown
        network = settings.terms.network_enabled
        network_changed = network != before.terms.network_enabled

        def change(current: Settings) -> Settings:
            """What the welcome changed, on the file as it is now (a hand edit made meanwhile stays)."""
            terms = current.terms.model_copy(update={"network_enabled": network}) if network_changed else current.terms
            return current.model_copy(update={"general": current.general.model_copy(update={"welcome_shown": True}),
                                              "terms": terms})

        def saved(updated: Settings) -> None:
            self.apply_settings(updated, before)
            if first and not self._closed:
                self.terms.start(services)

        def failed(error: BaseException) -> None:
            self._on_problem(_("The settings could not be saved: {error}").format(error=say_error(error)))
            services.use_settings(settings)  # in force for this run even so
            if first and not self._closed:
                self.terms.start(services)

        self.jobs.submit(lambda: services.update_settings(change), saved, failed, key="welcome-save")

    def watch_settings_file(self) -> None:
        """Use a hand edit of settings.toml (or another program's) while the app runs, as the
        settings window does while it shows: a switch turned off by hand (the network, a probe)
        must not wait for a restart. One cheap question every few seconds, on the I/O lane."""
        from PySide6.QtCore import QTimer

        timer = QTimer(self)  # the Shell, a QObject
        timer.setInterval(SETTINGS_WATCH_MS)
        timer.timeout.connect(self._look_at_settings_file)
        timer.start()

    def _look_at_settings_file(self) -> None:
        services = self.services
        if services is None or self._closed:
            return

        def answered(version: str) -> None:
            use, self._settings_file_pending = settled(version, (services.settings_version,),
                                                       self._settings_file_pending)
            if not use or self._closed:
                return
            log.info("The settings file %s was changed; using its values", services.settings_file)
            before = services.settings

            def read(settings: Settings | None) -> None:
                if settings is None:  # not the version found twice (written again meanwhile): the next looks decide
                    self._settings_file_pending = None
                    return
                self.apply_settings(settings, before)

            self.jobs.submit(lambda: services.reload_settings(version), read,
                             lambda error: log.warning("The settings file could not be read again: %s", error),
                             key="tray-settings-reload")

        self.jobs.submit(services.settings_file_version, answered,
                         lambda error: log.debug("Could not ask whether the settings file changed: %s", error),
                         key=SETTINGS_WATCH_JOB, single=True)

    def apply_settings(self, settings: Settings, before: Settings | None = None) -> None:
        """New settings were saved (e.g. by the settings window): detection, terms, autostart.
        ``before``: the settings in use until then, when the door already took the new ones."""
        if self.services is None:
            return
        before = before or self.services.settings
        self.services.use_settings(settings)
        if settings.general.language != before.general.language:
            self._use_language(settings.general.language)
        self.detection.settings_changed()
        if settings.general.autostart != before.general.autostart:
            self._sync_autostart(settings.general.autostart, changed=True)
        self.refresh()

    def _use_language(self, setting: str) -> None:
        """Show the app in the language the settings ask for (menus are rebuilt at the next refresh;
        windows opened from now on use it)."""
        from ui.language import apply_language

        apply_language(setting)
        if self.catalog is not None and self.unseen_terms:  # their summaries, said again in the new language
            from guard.presentation.status import terms_change_view

            for key, (_view, event) in list(self.unseen_terms.items()):
                self.unseen_terms[key] = (terms_change_view(event, self.catalog), event)

    def set_autostart(self, on: bool) -> None:
        """The menu's "Start when I log in": save the setting, then write or remove the entry."""
        services = self.services
        if services is None:
            return
        before = services.settings

        def change(settings: Settings) -> Settings:  # on the file as it is now: a hand edit since the start stays
            return settings.model_copy(update={"general": settings.general.model_copy(update={"autostart": on})})

        def saved(updated: Settings) -> None:
            self.apply_settings(updated, before)  # the file's other values too, as the settings window would
            if updated.general.autostart == before.general.autostart:  # else apply_settings wrote the entry
                self._sync_autostart(on, changed=True)

        def failed(error: BaseException) -> None:
            from guard.services import SettingsFileProblem

            if isinstance(error, SettingsFileProblem):
                self._on_problem(_("The setting was not saved: {path} has problems. Fix them in a text editor "
                                   "or in Preferences, then try again.").format(path=error.path))
            else:
                self._on_problem(_("The setting could not be saved: {error}").format(error=say_error(error)))
            self.refresh()  # the menu's check mark goes back to what is in force

        self.jobs.submit(lambda: services.update_settings(change), saved, failed)

    def _sync_autostart(self, wanted: bool, *, changed: bool) -> None:
        services = self.services
        if services is None:
            return
        if self._autostart_factory is not None:
            services.use_autostart(self._autostart_factory())
            self._autostart_factory = None

        def done(state: AutostartState) -> None:
            self.autostart = state.enabled
            if state.problem:
                self._on_problem(state.problem)
            self.refresh()

        self.jobs.submit(lambda: services.apply_autostart(wanted, changed=changed), done,
                         lambda error: self._on_problem(str(error)), key="autostart")
