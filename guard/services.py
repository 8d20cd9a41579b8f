"""The core, opened once for the app: settings, catalog, terms store, ledger, monitor.

The tray app and the settings window talk to ``guard`` through this facade (and the events it
returns), so ui/ needs no knowledge of how the parts fit together. The command line uses the
same pieces directly, one at a time.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from guard.catalog.loader import Catalog, CatalogProblem, load_catalog
from guard.paths import AppPaths
from guard.settings import Settings, SettingsIssue, SettingsStore
from guard.terms.store import TermsStore
from guard.terms_in_force import terms_in_force, with_terms_in_force

if TYPE_CHECKING:  # loaded on first use: the tray app starts without the keyring, HTTP client or parser
    from guard.ledger import Ledger, Record, RecordDraft, TermsRef
    from guard.ledger.limits import TamperEvidence
    from guard.monitor import Monitor
    from guard.terms.watcher import TermsWatcher

log = logging.getLogger(__name__)


class Services:
    """What one run of the app has open. Safe to share between the GUI and one worker thread:
    the ledger serialises its own writes; the monitor and watcher belong to the worker."""

    def __init__(self, paths: AppPaths) -> None:
        self.base_paths = paths.ensure()
        self.settings_store = SettingsStore(paths.settings_file)
        self.settings: Settings = self.settings_store.load_and_repair()
        self.settings_issues: list[SettingsIssue] = list(self.settings_store.issues)
        self.paths = paths.with_data_dir(self.settings.general.data_dir or None).ensure()
        self.catalog: Catalog = load_catalog(user=paths.user_catalog_dir)
        self.terms = TermsStore.open(self.paths)
        self._ledger: Ledger | None = None
        self._lock = threading.Lock()

    @property
    def catalog_problems(self) -> list[CatalogProblem]:
        return self.catalog.problems

    def ledger(self) -> Ledger:
        """The consent ledger, opened on first use. Raises LedgerError with a readable message
        (e.g. a damaged file), which the UI shows; nothing is created or repaired silently."""
        from guard.ledger import open_ledger

        with self._lock:
            if self._ledger is None:
                self._ledger = open_ledger(self.paths)
            return self._ledger

    def reader(self) -> Ledger:
        """A second, private connection to the same ledger for one long read on a worker thread
        (verify, counts over every record), so reads on the GUI thread never wait behind it.
        The caller closes it. Raises LedgerError like :meth:`ledger`."""
        from guard.ledger import open_ledger

        self.ledger()  # the main one first: a damaged file is reported once, the same way
        return open_ledger(self.paths)

    def record_decision(self, draft: RecordDraft) -> Record:
        """Append a decision with the terms versions in force; returns the stored record."""
        return self.ledger().append(with_terms_in_force(draft, self.catalog, self.terms))

    def terms_in_force(self, provider_id: str) -> tuple[TermsRef, ...]:
        return terms_in_force(self.catalog, self.terms, provider_id)

    def make_monitor(self) -> Monitor:
        """A monitor for the worker thread (call its ``close()`` when done)."""
        from guard.monitor import Monitor

        return Monitor(self.catalog, self.settings)

    def make_terms_watcher(self) -> TermsWatcher:
        """A terms watcher for the worker thread."""
        from guard.terms.watcher import TermsWatcher

        return TermsWatcher.from_app(self.paths, self.settings, self.catalog)

    def tamper_evidence(self) -> TamperEvidence:
        """What the ledger's tamper evidence can and cannot detect on this computer (with or
        without a keyring), for the Overview. Blocks: asks the keyring."""
        from guard.ledger.keys import usable_keyring
        from guard.ledger.limits import tamper_evidence

        backend, name = usable_keyring()
        return tamper_evidence(name if backend is not None else None, self.ledger().key_status())

    def save_settings(self, settings: Settings) -> None:
        """Write the settings file atomically and use the new values from now on."""
        self.settings_store.save(settings)
        self.settings = settings

    def close(self) -> None:
        with self._lock:
            if self._ledger is not None:
                self._ledger.close()
                self._ledger = None
