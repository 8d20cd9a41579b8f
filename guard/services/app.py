"""The core, opened once for the app: the UI's one door to settings, catalog, terms, ledger,
detection, exports and the browser integration.

Properties hand out values already in memory (settings, catalog, problems) and never block.
Every method marked ``@blocking`` (its docstring starts "Blocks:") waits on files, the keyring
or the network: the UI calls it through its job runner, never on the GUI thread
(:mod:`guard.services.threads` checks). Detection and terms checks keep state between calls
(the monitor, the terms watcher); each must be called from one thread at a time, which the
runner's detection and terms lanes guarantee.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from guard.catalog.loader import Catalog, load_catalog
from guard.paths import AppPaths
from guard.services.ledger_door import LedgerDoor, ProgressFn
from guard.services.terms_door import TermsDoor
from guard.services.threads import blocking
from guard.services.values import AutostartState, BrowserIntegration
from guard.settings import Settings, SettingsStore

if TYPE_CHECKING:  # loaded on first use: the app's data opens without the keyring, HTTP client or parser
    from guard.autostart import Autostart
    from guard.ledger import Ledger
    from guard.ledger.append_helper import HelperAppender
    from guard.monitor import Monitor, MonitorEvent, ObservationSource, Snapshot
    from guard.terms.fetch import FetchPolicy
    from guard.terms.models import WatchedDocument
    from guard.terms.store import TermsStore

log = logging.getLogger(__name__)

QUIT_KEYRING_GRACE_S = 1.0  # how long closing waits for a keyring to take the ledger's newest head

__all__ = ["ProgressFn", "Services"]


class Services(LedgerDoor, TermsDoor):
    """What one run of the app has open. Thread-safe as the runner uses it: the ledger
    serialises its own writes, long reads open their own connection, and the monitor and the
    terms watcher are each used from their own lane."""

    @blocking
    def __init__(self, paths: AppPaths, *, autostart: Autostart | None = None, record_in_helper: bool = False) -> None:
        """Blocks: reads the settings, the catalog and the terms store's index. ``record_in_helper``:
        :meth:`record_decision` appends in a short-lived helper process (the tray app, which then
        never loads the ledger's keyring and crypto: guard.ledger.append_helper says why)."""
        from guard.terms.store import TermsStore

        self.base_paths = paths.ensure()
        self.settings_store = SettingsStore(paths.settings_file)
        self._settings: Settings = self.settings_store.load_and_report()
        self.settings_issues = list(self.settings_store.issues)
        data_dir = self._settings.general.data_dir
        self.paths = paths.with_data_dir(Path(data_dir) if data_dir else None).ensure()
        self.catalog: Catalog = load_catalog(user=paths.user_catalog_dir)
        self._terms: TermsStore = TermsStore.open(self.paths)
        self._autostart = autostart
        self._ledger: Ledger | None = None
        self._appender: HelperAppender | None = None
        if record_in_helper:
            from guard.ledger.append_helper import HelperAppender

            self._appender = HelperAppender(self.paths, self._open_ledger, lambda: self._ledger is not None)
        self._monitor_lock = threading.Lock()
        self._monitor: Monitor | None = None
        # Where terms checks look: None is the catalog's documents, fetched as the settings say;
        # tests and benchmarks point them at a local server.
        self.watched_documents: tuple[WatchedDocument, ...] | None = None
        self.fetch_policy: FetchPolicy | None = None
        self._sources: list[ObservationSource] = []
        self._lock = threading.Lock()
        self._quitting = threading.Event()  # set by close(): keyring calls of decisions under way give up
        self._in_flight: set[str] = set()  # ids of decisions record_decision is signing now (under _lock)
        self._answer_lock = threading.Lock()  # one notification answer looked up and recorded at a time

    # -- values in memory (never block) -----------------------------------------------------
    @property
    def settings(self) -> Settings:
        return self._settings

    @property
    def settings_file(self) -> Path:
        return self.settings_store.path

    @property
    def config_dir(self) -> Path:
        return self.base_paths.config_dir

    def problems(self) -> list[str]:
        """What is wrong with the catalog, the settings file and the terms store, in words."""
        found = [problem.message() for problem in self.catalog.problems]
        found += [issue.message(self.settings_store.path) for issue in self.settings_issues]
        found += list(self._terms.problems)
        return found

    def provider_name(self, provider_id: str) -> str:
        provider = self.catalog.get(provider_id)
        return provider.name if provider else provider_id

    def document_title(self, provider_id: str, document_id: str) -> str:
        """A terms document's title ("Terms of Service"); its id when the catalog does not list it."""
        provider = self.catalog.get(provider_id)
        document = provider.document(document_id) if provider else None
        return document.title if document else document_id

    def feature_name(self, provider_id: str, feature_id: str) -> str:
        provider = self.catalog.get(provider_id)
        feature = provider.feature(feature_id) if provider else None
        return feature.name if feature else feature_id

    @property
    def terms_store(self) -> TermsStore:
        """The terms store itself, for tests' own use; the UI never touches it (see :meth:`ledger`)."""
        return self._terms

    @property
    def default_data_dir(self) -> Path:
        """Where the ledger and terms store live when the settings name no folder."""
        return self.base_paths.data_dir
    # -- detection --------------------------------------------------------------------------
    def _monitor_for_lane(self) -> Monitor:
        from guard.monitor import Monitor

        with self._monitor_lock:
            if self._monitor is None:
                self._monitor = Monitor(self.catalog, self._settings, sources=self._sources)
            return self._monitor

    @blocking
    def detect(self) -> tuple[list[MonitorEvent], Snapshot]:
        """Blocks: one detection pass (process table, windows, microphone...); the events it
        produced and the snapshot after it. Run it on the runner's detection lane only."""
        monitor = self._monitor_for_lane()
        return monitor.tick(), monitor.snapshot()

    @blocking
    def pause_detection(self, until: datetime | None) -> Snapshot:
        """Blocks (briefly, on the detection lane): stop looking until ``until`` (None: until resumed)."""
        monitor = self._monitor_for_lane()
        monitor.pause(until)
        return monitor.snapshot()

    @blocking
    def resume_detection(self) -> tuple[list[MonitorEvent], Snapshot]:
        """Blocks: look again at once (a detection pass)."""
        monitor = self._monitor_for_lane()
        monitor.resume()
        return monitor.tick(), monitor.snapshot()

    def detection_interval(self) -> float:
        """Seconds between two detection passes, from the settings in use."""
        return self._settings.detection.interval_seconds

    @blocking
    def close_detection(self) -> None:
        """Blocks: releases what detection holds open (the X connection, the ``pactl`` child)."""
        with self._monitor_lock:
            monitor, self._monitor = self._monitor, None
        if monitor is not None:
            monitor.close()

    def add_observation_source(self, source: ObservationSource) -> None:
        """Let detection also ask ``source`` on every pass (the browser extension's tabs,
        notices and participants); see :class:`guard.monitor.ObservationSource`."""
        with self._monitor_lock:
            self._sources.append(source)
            if self._monitor is not None:
                self._monitor.add_source(source)

    # -- settings and autostart -------------------------------------------------------------
    @property
    def settings_version(self) -> str:
        """The settings file's version when this run last read or wrote it (see :meth:`save_settings`)."""
        return self.settings_store.version

    @blocking
    def settings_file_version(self) -> str:
        """Blocks: the settings file's version now (its content's hash; cheap enough to ask every
        few seconds). Differs from :attr:`settings_version` when someone else wrote the file."""
        return self.settings_store.current_version()

    @blocking
    def reload_settings(self, expected: str | None = None) -> Settings | None:
        """Blocks: reads the settings file again (edited by hand or by the command line) and uses
        its values from now on; an unreadable file means the private choices (network off), and
        its problems are in :attr:`settings_issues`. With ``expected`` (the version the watches
        found twice), only that version is used: a file found otherwise (an editor emptying it to
        write it again, whose defaults turn the network on) is not, and None says so."""
        store = self.settings_store
        before = (store.version, store.issues, store.exists)
        settings = store.load()
        if expected is not None and store.version != expected:
            store.version, store.issues, store.exists = before  # the watches look at the new version again
            log.info("The settings file %s changed again while it was read; its next version is waited for",
                     store.path)
            return None
        for issue in store.issues:
            log.warning("%s", issue.message(store.path))
        self.settings_issues = list(store.issues)
        self.use_settings(settings)
        return settings

    @blocking
    def update_settings(self, change: Callable[[Settings], Settings]) -> Settings:
        """Blocks: reads the settings file as it is now, applies ``change`` to it and writes the
        result over that version only, then uses it. For one setting changed outside the settings
        window (the tray menu): the app's copy may be older than the file, and writing it back
        would undo a hand edit, turning the network back on. A file with problems is not
        rewritten (SettingsFileProblem: fix it first); a file changed while this ran is read again."""
        from guard.settings import SettingsChangedError, SettingsFileProblem

        for _attempt in range(3):
            current = self.settings_store.load_and_report()
            self.settings_issues = list(self.settings_store.issues)
            if self.settings_issues:
                raise SettingsFileProblem(self.settings_store.path, self.settings_problems())
            updated = change(current)
            try:
                self.settings_store.save(updated, expected=self.settings_store.version)
            except SettingsChangedError:
                continue
            self.use_settings(updated)
            return updated
        raise SettingsChangedError(self.settings_store.path, self.settings_store.current_version())

    def settings_problems(self) -> list[str]:
        """What is wrong with the settings file as last read, one line each (file, line, key, what is used)."""
        return [issue.message(self.settings_store.path) for issue in self.settings_issues]

    @blocking
    def save_settings(self, settings: Settings, *, expected_version: str | None = None) -> None:
        """Blocks: writes the settings file atomically and uses the new values from now on
        (detection from its next pass, terms checks from the next check). With
        ``expected_version``, only over that version of the file: an edit made elsewhere since is
        never overwritten unseen (guard.settings.SettingsChangedError; nothing written)."""
        self.settings_store.save(settings, expected=expected_version)
        self.settings_issues = []  # the file is now what the app wrote
        self.use_settings(settings)

    def use_settings(self, settings: Settings) -> None:
        """Use ``settings`` from now on (saved elsewhere, e.g. by the settings window)."""
        self._settings = settings  # the next terms check uses them too (network on/off)
        monitor = self._monitor
        if monitor is not None:
            monitor.update_settings(settings)

    def use_autostart(self, backend: Autostart) -> None:
        """Write log-in entries through ``backend`` (tests: a folder of their own)."""
        self._autostart = backend

    def autostart_backend(self) -> Autostart:
        from guard.autostart import current_autostart

        if self._autostart is None:
            self._autostart = current_autostart()
        return self._autostart

    @blocking
    def autostart_state(self) -> AutostartState:
        """Blocks: reads the log-in entry."""
        from guard.autostart import AutostartError

        backend = self.autostart_backend()
        try:
            return AutostartState(backend.is_enabled(), backend.location)
        except AutostartError as error:
            return AutostartState(None, backend.location, str(error))

    @blocking
    def apply_autostart(self, wanted: bool, *, changed: bool) -> AutostartState:
        """Blocks: writes or removes the log-in entry to follow the setting (at start-up only a
        missing or stale entry is rewritten; when the user changed it, both ways)."""
        from guard.autostart import launch_command
        from guard.autostart.sync import sync_autostart

        backend = self.autostart_backend()
        problem = sync_autostart(wanted, backend, launch_command(), changed=changed)
        state = self.autostart_state()
        return AutostartState(state.enabled, state.location, problem or state.problem)

    # -- browser integration ----------------------------------------------------------------
    @blocking
    def browser_integration(self) -> Sequence[BrowserIntegration]:
        """Blocks: per browser, whether the companion extension's native host is installed and
        was heard from (reads the manifests; :func:`guard.browser.integration_status`)."""
        import importlib

        try:
            status = getattr(importlib.import_module("guard.browser"), "integration_status", None)
        except ImportError:
            return ()
        if status is None:
            return ()
        found: Sequence[BrowserIntegration] = status(self.paths)
        return found

    @blocking
    def install_browser_host(self, browser_ids: Sequence[str]) -> Sequence[BrowserIntegration]:
        """Blocks: registers the companion extension's native host with these browsers (a manifest
        file each, or a registry value on Windows, and the launcher), then every browser's status."""
        from guard.browser.integration import BrowserIntegration as Integration
        from guard.detect.platform import current_os

        Integration(self.paths, current_os()).install(browser_ids)
        return self.browser_integration()

    @blocking
    def remove_browser_host(self, browser_ids: Sequence[str]) -> Sequence[BrowserIntegration]:
        """Blocks: removes the host's registration from these browsers (the launcher goes with the
        last one), then every browser's status."""
        from guard.browser.integration import BrowserIntegration as Integration
        from guard.detect.platform import current_os

        Integration(self.paths, current_os()).uninstall(browser_ids)
        return self.browser_integration()

    # -- the end ----------------------------------------------------------------------------
    @blocking
    def close(self) -> None:
        """Blocks, briefly: closes the ledger and what detection holds open. Quitting does not wait
        for a keyring that does not answer: a decision waiting on it gives up and stays kept on
        disk (it was kept before it was signed, guard.ledger.waiting), and the newest head is
        anchored in the keyring at the next start if it was not now (guard.ledger.anchoring)."""
        self._quitting.set()
        self.close_detection()
        with self._lock:
            if self._ledger is not None:
                self._ledger.close(keyring_grace_s=QUIT_KEYRING_GRACE_S)
                self._ledger = None
