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
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from guard.catalog.loader import Catalog, load_catalog
from guard.paths import AppPaths
from guard.services.heavy import TermsCheckPlan, check_terms, export_records
from guard.services.helper import run_in_helper
from guard.services.threads import blocking
from guard.services.values import (
    AutostartState,
    BrowserIntegration,
    ExportOutcome,
    ExportRequest,
    LedgerCheck,
    LetterText,
    RecordDetails,
    RecordRow,
    TermsLog,
    TermsOverview,
    Withdrawal,
)
from guard.settings import Settings, SettingsStore

if TYPE_CHECKING:  # loaded on first use: the app's data opens without the keyring, HTTP client or parser
    from guard.autostart import Autostart
    from guard.ledger import KeyStatus, Ledger, Order, Record, RecordDraft, RecordFilter, TermsRef
    from guard.ledger.append_helper import HelperAppender
    from guard.ledger.limits import TamperEvidence
    from guard.monitor import Monitor, MonitorEvent, ObservationSource, Snapshot
    from guard.presentation.overview import DocumentVersions
    from guard.terms.analysis import AnalysedChange
    from guard.terms.store import TermsStore
    from guard.terms.fetch import FetchPolicy
    from guard.terms.models import WatchedDocument
    from guard.terms.report import CheckReport

log = logging.getLogger(__name__)

ProgressFn = Callable[[int, int], bool]  # (done, total) -> keep going?


class Services:
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

    # -- the consent ledger -----------------------------------------------------------------
    @blocking
    def ledger(self) -> Ledger:
        """Blocks: the ledger itself, for the command line's and tests' own use. The UI never
        calls it (tests/test_architecture.py checks): it would bypass the thread check."""
        return self._open_ledger()

    @property
    def terms_store(self) -> TermsStore:
        """The terms store itself, for tests' own use; the UI never touches it (see :meth:`ledger`)."""
        return self._terms

    @property
    def default_data_dir(self) -> Path:
        """Where the ledger and terms store live when the settings name no folder."""
        return self.base_paths.data_dir

    def _open_ledger(self) -> Ledger:
        """The ledger, opened on first use. Raises LedgerError with a readable message (e.g. a
        damaged file), which the UI shows; nothing is created or repaired silently."""
        from guard.ledger import open_ledger

        with self._lock:
            if self._ledger is None:
                self._ledger = open_ledger(self.paths)
            return self._ledger

    def _reader(self) -> Ledger:
        """A private connection for one long read (verify, counts, export), so the main one
        never waits behind it. The caller closes it."""
        from guard.ledger import open_ledger

        self._open_ledger()  # the main one first: a damaged file is reported once, the same way
        return open_ledger(self.paths)

    @blocking
    def record_decision(self, draft: RecordDraft) -> Record:
        """Blocks: appends a decision (fsync, keyring) with the terms versions in force; with
        ``record_in_helper``, in a helper process (about half a second more), one at a time in
        the order asked for, and here if the helper fails (never twice)."""
        from guard.terms_in_force import with_terms_in_force

        draft = with_terms_in_force(draft, self.catalog, self._terms)
        if self._appender is not None:
            return self._appender.append(draft)
        return self._open_ledger().append(draft)

    @blocking
    def withdraw(self, record_id: str, note: str | None = None, *, letter: bool = True) -> Withdrawal:
        """Blocks: records the withdrawal of a consent; then prepares the letter to the provider
        (GDPR Art. 7(3)), whose failure never undoes the withdrawal."""
        ledger = self._open_ledger()
        original = ledger.get(record_id)
        record = ledger.withdraw(record_id, note=note)
        if not letter:
            return Withdrawal(record, original)
        try:
            text = self._withdrawal_letter(original)
        except Exception as error:  # noqa: BLE001 - the withdrawal is recorded whatever happens here
            log.error("Could not prepare the withdrawal letter", exc_info=error)
            return Withdrawal(record, original, letter_problem=str(error))
        return Withdrawal(record, original, letter=text)

    def _withdrawal_letter(self, original: Record, to_host: str | None = None,
                           host_address: str | None = None) -> LetterText:
        from guard.export import make_letter
        from guard.i18n import choose_language

        letter = make_letter("withdrawal", self._open_ledger(), self.catalog, record_id=original.id,
                             terms_store=self._terms, language=choose_language(None, self._settings.general.language),
                             to_host=to_host, host_address=host_address)
        to = "host-" if to_host is not None else ""
        return LetterText(title=letter.subject, text=letter.text, mailto=letter.mailto, notice=letter.notice,
                          suggested_name=f"withdrawal-{to}{original.provider_id}-{original.seq}.txt",
                          record_id=original.id, offers_host_letter=letter.offers_host_letter)

    @blocking
    def host_letter(self, record_id: str, organisation: str, address: str | None = None) -> LetterText:
        """Blocks: the withdrawal letter about ``record_id`` addressed to the organisation that hosted
        or recorded the meeting (the controller where the provider is its processor), named and
        addressed as the user typed them (plain text, capped). Raises ExportError for an empty name."""
        return self._withdrawal_letter(self._open_ledger().get(record_id), organisation, address or None)

    @blocking
    def count_records(self, filter: RecordFilter | None = None) -> int:
        """Blocks: counts the records ``filter`` selects (one SQL query)."""
        return self._open_ledger().count(filter)

    @blocking
    def page_records(self, filter: RecordFilter | None, offset: int, limit: int, order: Order) -> list[RecordRow]:
        """Blocks: one page of records in ``order``, each with what later records made of it."""
        from guard.ledger import RecordFilter

        ledger = self._open_ledger()
        rows = []
        for record in ledger.page(filter, offset, limit, order):
            changed = ledger.count(RecordFilter(refers_to=record.id))
            effective = ledger.effective_status(record) if changed else None
            rows.append(RecordRow(record, effective.label if effective else None, effective))
        return rows

    @blocking
    def record_details(self, record_id: str) -> RecordDetails:
        """Blocks: one record, what it means now, and the number of the record it changes."""
        ledger = self._open_ledger()
        record = ledger.get(record_id)
        refers_seq = ledger.get(record.refers_to).seq if record.refers_to else None
        return RecordDetails(record, ledger.effective_status(record), refers_seq)

    @blocking
    def month_counts(self, filter: RecordFilter | None = None) -> list[tuple[str, str, int]]:
        """Blocks: ``(YYYY-MM, decision, count)`` of the matching records, on a private connection."""
        with self._reader() as ledger:
            return ledger.month_counts(filter)

    @blocking
    def verify(self) -> LedgerCheck:
        """Blocks: checks every record's hash, link and signature (100,000 records: seconds)."""
        with self._reader() as ledger:
            report = ledger.verify(check_file=False)
            return LedgerCheck(report.count, report, report.key)

    @blocking
    def tamper_evidence(self) -> TamperEvidence:
        """Blocks: what the ledger's tamper evidence can and cannot detect on this computer (with or
        without a keyring), for the Overview; asks the keyring."""
        from guard.ledger.keys import usable_keyring
        from guard.ledger.limits import tamper_evidence

        backend, name = usable_keyring()
        return tamper_evidence(name if backend is not None else None, self._open_ledger().key_status())

    @blocking
    def key_status(self) -> KeyStatus:
        """Blocks: where the signing key lives and whether it can be used (asks the keyring). In
        the tray app (``record_in_helper``), while the ledger is not open here, a helper process
        asks (about half a second more): the welcome asks this on first start, and the keyring
        library and cryptography would otherwise stay in the tray app for good."""
        if self._appender is not None and self._ledger is None:
            from guard.services.heavy import read_key_status
            from guard.services.helper import HelperFailed

            try:
                return run_in_helper(read_key_status, self.paths)
            except HelperFailed as error:
                log.warning("Reading the key's status here: %s", error)
        with self._reader() as ledger:
            return ledger.key_status()

    # -- terms ------------------------------------------------------------------------------
    @blocking
    def terms_in_force(self, provider_id: str) -> tuple[TermsRef, ...]:
        """Blocks: the terms versions in force for the provider (reads the terms store)."""
        from guard.terms_in_force import terms_in_force

        return terms_in_force(self.catalog, self._terms, provider_id)

    @blocking
    def terms_documents(self) -> list[DocumentVersions]:
        """Blocks: every watched document with the versions kept (reads the terms store)."""
        from guard.presentation.overview import watched_documents

        return watched_documents(self.catalog, self._terms)

    @blocking
    def terms_log(self, limit: int = 200) -> TermsLog:
        """Blocks: when the terms were last checked, and the latest fetches."""
        return TermsLog(self._terms.last_check(), tuple(self._terms.fetch_log(limit=limit)))

    @blocking
    def compare_terms(self, old_sha256: str, new_sha256: str) -> list[AnalysedChange]:
        """Blocks: reads two versions and aligns and classifies their clauses (big documents: a second)."""
        from guard.terms.analysis import analyse

        return analyse(self._terms.get_text(old_sha256), self._terms.get_text(new_sha256))

    @blocking
    def latest_terms_changes(self) -> TermsOverview:
        """Blocks: the documents changed most recently and how many changes touch AI or data use."""
        from guard.errors import GuardError
        from guard.presentation.overview import latest_changes

        changes = latest_changes(self.terms_documents())
        relevant: dict[tuple[str, str], int | str] = {}
        for doc in changes:
            assert doc.previous is not None
            try:
                found = self.compare_terms(doc.previous.sha256, doc.latest.sha256)
                relevant[(doc.provider_id, doc.document_id)] = sum(1 for change in found if change.relevant)
            except GuardError as error:
                relevant[(doc.provider_id, doc.document_id)] = str(error)
        return TermsOverview(tuple(changes), relevant)

    def _terms_plan(self, provider_id: str | None) -> TermsCheckPlan:
        return TermsCheckPlan(self.paths, self._settings, self.base_paths.user_catalog_dir, provider_id,
                              self.watched_documents, self.fetch_policy)

    @blocking
    def check_terms(self, provider_id: str | None = None) -> CheckReport:
        """Blocks: fetches the watched terms pages (one provider's, or all) when the network is on,
        in a helper process (seconds; minutes at worst: per-host pacing, deadlines). Run it on
        the runner's terms lane."""
        return run_in_helper(check_terms, self._terms_plan(provider_id))

    @blocking
    def check_terms_if_due(self) -> CheckReport | None:
        """Blocks: :meth:`check_terms` for every document when a check is due, else None (no
        helper process is started just to find out)."""
        terms = self._settings.terms
        if not terms.network_enabled:
            return None
        last = self._terms.last_check()
        if last is not None and datetime.now(UTC) < last + timedelta(hours=terms.check_interval_hours):
            return None
        return self.check_terms(None)

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

    # -- export and letters -----------------------------------------------------------------
    @blocking
    def export(self, request: ExportRequest, progress: ProgressFn) -> ExportOutcome:
        """Blocks: exports the selected records in a helper process (100,000 records: seconds to a
        minute for PDF). ``progress`` returning False cancels (ExportCancelledByUser; nothing is
        left behind)."""
        # The helper opens the ledger itself and raises a damaged file's LedgerError here as
        # everywhere; opening it in this process first would load the ledger's keyring and
        # crypto into a tray app that only exports (about 14 MB kept for good, issue 18).
        from guard.i18n import locale_region

        # Receipts name the jurisdiction: the setting, else this app's locale (the helper has none of its own).
        jurisdiction = self._settings.general.jurisdiction or locale_region()
        return run_in_helper(export_records, self.paths, self.base_paths.user_catalog_dir, request, jurisdiction,
                             progress=progress)

    @blocking
    def save_text(self, path: Path, text: str) -> None:
        """Blocks: writes a letter or note the user saves, atomically and private to them (0600)."""
        from guard.fsutil import atomic_write_text

        atomic_write_text(Path(path), text)

    # -- settings and autostart -------------------------------------------------------------
    @blocking
    def save_settings(self, settings: Settings) -> None:
        """Blocks: writes the settings file atomically and uses the new values from now on
        (detection from its next pass, terms checks from the next check)."""
        self.settings_store.save(settings)
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
        """Blocks: closes the ledger and what detection holds open."""
        self.close_detection()
        with self._lock:
            if self._ledger is not None:
                self._ledger.close()
                self._ledger = None
