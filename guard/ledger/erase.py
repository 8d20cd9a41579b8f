"""Erase the whole ledger on the user's explicit, confirmed request: its files (anchor file
and key file included, and the decisions kept until its key could be read), its keyring keys
and its keyring anchor. The only way records ever
leave the ledger; afterwards a new ledger may start in the same place without being taken for
a swapped one."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guard.fsutil import fsync_dir
from guard.ledger import files, schema
from guard.ledger.anchor import KeyringAnchor, location_username
from guard.ledger.errors import LedgerBusyError
from guard.ledger.keys import KeyInfo, KeyVault, delete_keyring_entry
from guard.ledger.schema import KEY_COLUMNS, row_to_key
from guard.ledger.waiting import WaitingDecisions

log = logging.getLogger(__name__)


@dataclass
class EraseReport:
    path: Path
    records: int | None = None  # how many records were erased (None: the file could not be read)
    removed_files: list[Path] = field(default_factory=list)
    removed_secrets: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"path": str(self.path), "records": self.records,
                "removed_files": [str(p) for p in self.removed_files],
                "removed_secrets": self.removed_secrets, "problems": self.problems}


def erase_ledger(path: Path, *, busy_timeout: float = 10.0) -> EraseReport:
    """Remove the ledger at ``path``, its side files, its key file and its keyring secrets.

    Waits for any append in progress (takes the write lock) before removing anything. A
    damaged file is removed too; its keyring secrets then cannot be found and that is said.
    """
    path = Path(path).expanduser().absolute()
    report = EraseReport(path)
    keys: list[KeyInfo] = []
    ledger_id: str | None = None
    if path.exists():
        try:
            files.check_header(path)
            conn = sqlite3.connect(files.sqlite_uri(path, "rw"), uri=True, timeout=busy_timeout,
                                   isolation_level=None)
            try:
                files.check_schema(conn, path, schema.schema_version(conn))  # never run SQL the file brought
                conn.execute("BEGIN IMMEDIATE")  # no append is half-way through while we erase
                keys = [row_to_key(row) for row in conn.execute(f"SELECT {KEY_COLUMNS} FROM keys")]
                found = conn.execute("SELECT value FROM meta WHERE key = 'ledger_id'").fetchone()
                ledger_id = None if found is None else str(found[0])
                report.records = int(conn.execute("SELECT count(*) FROM records").fetchone()[0])
                conn.execute("ROLLBACK")
            finally:
                conn.close()
        except sqlite3.OperationalError as error:
            if "locked" in str(error):
                raise LedgerBusyError(f"Cannot erase the consent ledger {path} while another program is writing "
                                      "to it; close Meeting Privacy Guard's other windows and try again. "
                                      "Nothing was erased.") from error
            report.problems.append(_unreadable(path, error))
        except Exception as error:  # noqa: BLE001  (the user asked for erasure: a damaged file must not stop it)
            report.problems.append(_unreadable(path, error))
    vault = KeyVault(files.key_file_for(path))
    for info in keys:
        problem = vault.delete(info)
        if problem:
            report.problems.append(problem)
        elif info.storage == "keyring":
            report.removed_secrets.append(info.username)
    if KeyringAnchor.available():  # the keyring's anchor, and its note of which ledger lives here
        if ledger_id is not None:
            report.problems.extend(KeyringAnchor(ledger_id, path).delete(location=False))
        if problem := delete_keyring_entry(location_username(path)):
            report.problems.append(problem)
    for target in files.ledger_files(path):
        try:
            target.unlink()
            report.removed_files.append(target)
        except FileNotFoundError:
            continue
        except OSError as error:
            report.problems.append(f"could not delete {target}: {error.strerror or error}")
    gone, problems = WaitingDecisions(path.parent).erase()  # kept decisions would come back into a new ledger
    report.removed_files.extend(gone)
    report.problems.extend(problems)
    with contextlib.suppress(OSError):
        fsync_dir(path.parent)
    log.info("Consent ledger %s erased on request (%s files, %s keyring secrets)", path,
                len(report.removed_files), len(report.removed_secrets))
    return report


def _unreadable(path: Path, error: Exception) -> str:
    return (f"could not read {path} to find its keyring secrets ({error}); any secrets left under service "
            "'meeting-privacy-guard' in your keyring can be deleted with your keyring manager")
