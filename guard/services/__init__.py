"""The UI's one door to the core: :class:`Services`, and the value types the UI shows.

``ui/`` imports from ``guard`` only this package, :mod:`guard.presentation`, :mod:`guard.events`
and :mod:`guard.errors` (import-linter contracts in pyproject.toml, run by
tests/test_architecture.py). The core's own models the UI needs (records, providers, terms
versions, settings) are re-exported here, so widgets name them without reaching into the
parts that store them. Methods that block are marked and checked: see
:mod:`guard.services.threads`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from guard.services.app import ProgressFn, Services
from guard.services.desktop import desktop_capabilities, desktop_report, install_gnome_extension, tray_registered
from guard.services.heavy import ExportCancelledByUser
from guard.services.process import log_to_app_file
from guard.services.threads import BlockingCallOnGuiThread, blocking, forbid_thread, is_blocking
from guard.services.values import (AutostartState, BrowserIntegration, ExportOutcome, ExportRequest, LedgerCheck,
                                   LetterText, RecordDetails, RecordRow, TermsLog, TermsOverview, Withdrawal,
                                   letter_blanks_left)

if TYPE_CHECKING:
    from guard.autostart import Autostart, AutostartError
    from guard.catalog import clause_history, unverified_count
    from guard.catalog.loader import Catalog
    from guard.catalog.models import AiFeature, Clause, Provider, Source
    from guard.desktop import DesktopReport, ExtensionError, ExtensionInstall, ExtensionState
    from guard.export_format import ExportFormat
    from guard.ledger import (Decision, DecisionKept, EffectiveStatus, KeyStatus, KeyStorage, Meeting, Order, Record,
                              RecordDraft, RecordFilter, RequestedBy, TermsRef, VerifyReport)
    from guard.ledger.limits import TamperEvidence
    from guard.monitor import MonitorEvent, Snapshot
    from guard.paths import AppPaths, app_paths, resources_dir
    from guard.services.shown_notifications import ShownNotifications, read_shown, write_shown
    from guard.settings import (DetectionSettings, GeneralSettings, NotificationSettings, Settings,
                                SettingsChangedError, SettingsFileProblem, TermsSettings)
    from guard.snapshot_json import SnapshotFormatError, snapshot_from_json, snapshot_to_json
    from guard.terms.analysis import AnalysedChange
    from guard.terms.models import FetchRecord, Version
    from guard.terms.report import CheckReport

# The core's models, loaded when first named: the tray app idles without the ledger's keyring
# and crypto, the HTTP client and the HTML parser (issue 18: its memory when idle). Names are
# listed once here; the TYPE_CHECKING block above is the same list for type checkers.
_FROM = {
    "guard.autostart": ("Autostart", "AutostartError"),
    "guard.catalog": ("clause_history", "unverified_count"),
    "guard.catalog.loader": ("Catalog",),
    "guard.catalog.models": ("AiFeature", "Clause", "Provider", "Source"),
    "guard.desktop": ("DesktopReport", "ExtensionError", "ExtensionInstall", "ExtensionState"),
    "guard.export_format": ("ExportFormat",),
    "guard.ledger": ("Decision", "DecisionKept", "EffectiveStatus", "KeyStatus", "KeyStorage", "Meeting", "Order",
                     "Record", "RecordDraft", "RecordFilter", "RequestedBy", "TermsRef", "VerifyReport"),
    "guard.ledger.limits": ("TamperEvidence",),
    "guard.monitor": ("MonitorEvent", "Snapshot"),
    "guard.paths": ("AppPaths", "app_paths", "resources_dir"),
    "guard.services.shown_notifications": ("ShownNotifications", "read_shown", "write_shown"),
    "guard.settings": ("DetectionSettings", "GeneralSettings", "NotificationSettings", "Settings",
                       "SettingsChangedError", "SettingsFileProblem", "TermsSettings"),
    "guard.snapshot_json": ("SnapshotFormatError", "snapshot_from_json", "snapshot_to_json"),
    "guard.terms.analysis": ("AnalysedChange",),
    "guard.terms.models": ("FetchRecord", "Version"),
    "guard.terms.watcher": ("CheckReport",),
}
_WHERE = {name: module for module, names in _FROM.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'guard.services' has no attribute '{name}'")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "AiFeature", "AnalysedChange", "AppPaths", "Autostart", "AutostartError", "AutostartState",
    "BlockingCallOnGuiThread", "BrowserIntegration", "Catalog", "CheckReport", "Clause", "Decision",
    "DecisionKept", "DesktopReport", "DetectionSettings", "EffectiveStatus", "ExportCancelledByUser", "ExportFormat",
    "ExportOutcome", "ExportRequest", "ExtensionError", "ExtensionInstall", "ExtensionState", "FetchRecord",
    "GeneralSettings", "KeyStatus", "KeyStorage", "LedgerCheck", "LetterText",
    "Meeting", "MonitorEvent", "NotificationSettings", "Order", "ProgressFn", "Provider", "Record", "RecordDetails",
    "RecordDraft", "RecordFilter", "RecordRow", "RequestedBy", "Services", "Settings", "SettingsChangedError",
    "SettingsFileProblem", "ShownNotifications", "Snapshot", "SnapshotFormatError", "Source",
    "TamperEvidence", "TermsLog", "TermsOverview", "TermsRef", "TermsSettings", "VerifyReport", "Version", "Withdrawal",
    "app_paths",
    "blocking", "clause_history", "desktop_capabilities", "desktop_report", "forbid_thread", "install_gnome_extension",
    "is_blocking", "letter_blanks_left", "log_to_app_file", "read_shown", "resources_dir",
    "snapshot_from_json", "snapshot_to_json", "tray_registered", "unverified_count", "write_shown",
]
