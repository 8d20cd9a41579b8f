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

from pathlib import Path

from guard.ledger.erase import EraseReport, erase_ledger
from guard.ledger.errors import (LedgerBusyError, LedgerCorruptError, LedgerError, LedgerFullError,
                                 LedgerInputError, LedgerKeyError, RecordNotFoundError)
from guard.ledger.files import KEY_FILE, LEDGER_FILE
from guard.ledger.keys import KeyState, KeyStatus, KeyStorage
from guard.ledger.models import Decision, EvidenceItem, Meeting, Record, RecordDraft, RequestedBy, StoredRecord, TermsRef
from guard.ledger.query import Order, RecordFilter
from guard.ledger.status import EffectiveStatus
from guard.ledger.store import Ledger
from guard.ledger.verify import Problem, ProblemKind, VerifyReport
from guard.paths import AppPaths

__all__ = [
    "KEY_FILE", "LEDGER_FILE", "Decision", "EffectiveStatus", "EraseReport", "EvidenceItem", "KeyState", "KeyStatus", "KeyStorage", "Ledger",
    "LedgerBusyError", "LedgerCorruptError", "LedgerError", "LedgerFullError", "LedgerInputError", "LedgerKeyError",
    "Meeting", "Order", "Problem", "ProblemKind", "Record", "RecordDraft", "RecordFilter", "RecordNotFoundError",
    "RequestedBy", "StoredRecord", "TermsRef", "VerifyReport", "erase_ledger", "ledger_path", "open_ledger",
]


def ledger_path(paths: AppPaths) -> Path:
    """Where the ledger lives: ``<data folder>/ledger.sqlite3``."""
    return paths.data_dir / LEDGER_FILE


def open_ledger(paths: AppPaths, *, busy_timeout: float = 10.0) -> Ledger:
    """Open (or create) the user's ledger in the data folder."""
    return Ledger.open(ledger_path(paths), busy_timeout=busy_timeout)
