"""The consent ledger: every consent given, refused or withdrawn, append-only and
tamper-evident (hash chain + MAC keyed by a secret in the OS keyring). See DESIGN.md,
"The consent ledger", and the README's ``consent`` commands.

Typical use::

    from guard.ledger import open_ledger, RecordDraft, Decision
    with open_ledger(paths) as ledger:
        record = ledger.append(RecordDraft(provider_id="zoom", decision=Decision.GIVEN))
        ledger.withdraw(record.id)
        report = ledger.verify()
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guard.paths import AppPaths

if TYPE_CHECKING:
    from guard.ledger.erase import EraseReport, erase_ledger
    from guard.ledger.errors import (
        DecisionKept,
        LedgerBusyError,
        LedgerCorruptError,
        LedgerError,
        LedgerFullError,
        LedgerInputError,
        LedgerKeyError,
        LedgerPermissionError,
        LedgerReadOnlyError,
        RecordNotFoundError,
    )
    from guard.ledger.files import KEY_FILE, LEDGER_FILE
    from guard.ledger.key_status import KeyState, KeyStatus, KeyStorage
    from guard.ledger.models import (
        Decision,
        EvidenceItem,
        Meeting,
        Notice,
        Record,
        RecordDraft,
        RequestedBy,
        StoredRecord,
        TermsRef,
    )
    from guard.ledger.query import Order, RecordFilter
    from guard.ledger.reader import LedgerReader
    from guard.ledger.status import EffectiveStatus
    from guard.ledger.store import Ledger
    from guard.ledger.verify import Problem, ProblemKind, VerifyReport

# Names are imported from their modules on first use, so importing the record types (e.g. for
# the consent form) does not load the keyring and the store; the tray app opens the ledger
# only when a decision is saved.
_WHERE = {
    "EraseReport": "erase", "erase_ledger": "erase",
    "LedgerBusyError": "errors", "LedgerCorruptError": "errors", "LedgerError": "errors", "LedgerFullError": "errors",
    "LedgerInputError": "errors", "LedgerKeyError": "errors", "LedgerPermissionError": "errors",
    "LedgerReadOnlyError": "errors", "RecordNotFoundError": "errors", "DecisionKept": "errors",
    "KEY_FILE": "files", "LEDGER_FILE": "files",
    "KeyState": "key_status", "KeyStatus": "key_status", "KeyStorage": "key_status",
    "Decision": "models", "EvidenceItem": "models", "Meeting": "models", "Notice": "models", "Record": "models",
    "RecordDraft": "models",
    "RequestedBy": "models", "StoredRecord": "models", "TermsRef": "models",
    "Order": "query", "RecordFilter": "query", "LedgerReader": "reader",
    "EffectiveStatus": "status",
    "Ledger": "store",
    "Problem": "verify", "ProblemKind": "verify", "VerifyReport": "verify",
}

__all__ = [
    "KEY_FILE", "LEDGER_FILE", "Decision", "DecisionKept", "EffectiveStatus", "EraseReport", "EvidenceItem",
    "KeyState", "KeyStatus",
    "KeyStorage", "Ledger", "LedgerReader",
    "LedgerBusyError", "LedgerCorruptError", "LedgerError", "LedgerFullError", "LedgerInputError", "LedgerKeyError",
    "LedgerPermissionError", "LedgerReadOnlyError",
    "Meeting", "Notice", "Order", "Problem", "ProblemKind", "Record", "RecordDraft", "RecordFilter",
    "RecordNotFoundError",
    "RequestedBy", "StoredRecord", "TermsRef", "VerifyReport", "erase_ledger", "ledger_path", "open_ledger",
    "open_reader",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'guard.ledger' has no attribute '{name}'")
    value = getattr(importlib.import_module(f"guard.ledger.{module}"), name)
    globals()[name] = value
    return value


def ledger_path(paths: AppPaths) -> Path:
    """Where the ledger lives: ``<data folder>/ledger.sqlite3``."""
    from guard.ledger.files import LEDGER_FILE

    return paths.data_dir / LEDGER_FILE


def open_ledger(paths: AppPaths, *, busy_timeout: float = 10.0) -> Ledger:
    """Open (or create) the user's ledger in the data folder."""
    from guard.ledger.store import Ledger

    return Ledger.open(ledger_path(paths), busy_timeout=busy_timeout)


def open_reader(paths: AppPaths, *, busy_timeout: float = 10.0) -> LedgerReader:
    """Open (or create) the user's ledger to read its records only: no keys, no anchor, so
    neither the keyring library nor cryptography loads (``meeting-guard consent list``)."""
    from guard.ledger.reader import LedgerReader

    return LedgerReader.open(ledger_path(paths), busy_timeout=busy_timeout)
