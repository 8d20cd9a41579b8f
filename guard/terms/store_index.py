"""The terms store's SQLite index, opened so that storage faults are told apart from damage.

A full disk, a read-only folder, a missing permission or a lock raises a :class:`TermsStorageFault`
naming the file, the fault and what to do (:mod:`guard.storage_errors`); nothing is set aside. Only an
index that fails SQLite's integrity check (or is not a database at all) is set aside, under a
new name that never overwrites an earlier one, and a new index started. A read-only store whose
index is already in today's layout can still be read.

An index carrying SQL the app did not write (a trigger, a view in place of a table, a changed
definition: :mod:`guard.sqlite_schema`) is never used: none of that SQL runs; the file is set aside
the same way and a new index is built from the rows of its tables that are still the app's own, so
no stored version is lost. A store that can only be read refuses it instead.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from guard.sqlite_schema import SchemaRow, describe, distrust_schema, foreign_objects, replayed_schema, schema_rows
from guard.storage_errors import StorageFault, advice, classify_os, classify_sqlite, set_aside
from guard.terms.errors import TermsStorageFault
from guard.terms.store_schema import SCHEMA_VERSION, migrate

log = logging.getLogger(__name__)
_CANNOT_WRITE = (StorageFault.DISK_FULL, StorageFault.READ_ONLY, StorageFault.PERMISSION)
_DATA_TABLES = ("versions", "fetches", "meta", "archive_state")  # what a rebuilt index takes over


@cache
def _expected(version: int) -> frozenset[SchemaRow]:
    """What an index of ``version`` holds (a newer one than this app knows is held to today's)."""
    return replayed_schema(lambda connection: migrate(connection, min(version, SCHEMA_VERSION)) if version else None)


def _foreign(connection: sqlite3.Connection) -> list[str]:
    distrust_schema(connection)
    return foreign_objects(connection, _expected)  # version and objects from one snapshot


class _Foreign(Exception):
    """The index holds SQL the app did not write (the objects' descriptions)."""

    def __init__(self, found: list[str]) -> None:
        super().__init__(describe(found))
        self.found = found


def what_to_check(fault: StorageFault, path: Path, kind: str) -> str:
    """What to do about a fault :func:`~guard.storage_errors.advice` names no remedy for."""
    if fault not in (StorageFault.OTHER, StorageFault.MISSING):
        return ""
    return f"Check that {path} is {kind} you can read and write, on a disk that works, and try again."


class StoreIndex:
    """Opens ``index_path`` under ``root`` (a short-lived connection per call, any thread)."""

    root: Path
    index_path: Path
    objects: Path
    problems: list[str]
    _ready: bool
    busy_timeout: float = 10.0  # seconds to wait for another program's lock before saying it is locked
    _read_only: bool = False  # the store can only be read (read-only folder, full disk) since it was opened

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        if not self._ready:
            self._prepare()
        try:
            try:
                connection = self._connect()
            except _Foreign as foreign:  # changed since it was opened: set aside and rebuilt, or refused
                self._replace_foreign(foreign)
                connection = self._connect()
        except sqlite3.Error as error:
            raise self._fault(error, "The terms store cannot be opened") from None
        except _Foreign as foreign:
            raise TermsStorageFault(f"The terms store index {self.index_path} was changed again while being "
                                  f"rebuilt ({foreign}); none of it was run. Restart the app.") from None
        try:
            with connection:
                yield connection
        except sqlite3.Error as error:
            raise self._fault(error, "The terms store could not be read or written") from None
        finally:
            connection.close()

    def _connect(self) -> sqlite3.Connection:
        """A read-write connection; when the disk is full or the folder read-only (SQLite cannot
        even make the files it reads through), one that can still read what is stored."""
        if not self._read_only:
            connection = sqlite3.connect(self.index_path, timeout=self.busy_timeout)
            try:
                self._vetted(connection)
                connection.execute("SELECT 1 FROM meta LIMIT 1").fetchall()
                return connection
            except sqlite3.Error as error:
                connection.close()
                if classify_sqlite(error, self.index_path) not in _CANNOT_WRITE:
                    raise
            except _Foreign:
                connection.close()
                raise
        connection = sqlite3.connect(f"file:{self.index_path}?mode=ro&immutable=1", uri=True,
                                     timeout=self.busy_timeout)
        try:
            self._vetted(connection)
        except (sqlite3.Error, _Foreign):
            connection.close()
            raise
        return connection

    @staticmethod
    def _vetted(connection: sqlite3.Connection) -> None:
        """Before anything is read: raise :class:`_Foreign` when the file holds SQL the app did not write."""
        found = _foreign(connection)
        if found:
            raise _Foreign(found)

    def _fault(self, error: sqlite3.Error, what: str) -> TermsStorageFault:
        fault = classify_sqlite(error, self.index_path)
        detail = "restart the app: it checks the index and sets it aside only if it is damaged" \
            if fault.is_damage else what_to_check(fault, self.index_path, "a file")
        message = f"{what} ({error}): {advice(fault, self.index_path, 'Nothing was changed')}"
        failure = TermsStorageFault(f"{message} {detail}".strip())
        failure.fault = fault
        return failure

    def _prepare(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as error:
            fault = classify_os(error)
            failure = TermsStorageFault(f"Cannot create the terms store folder {self.root} ({error.strerror}): "
                                        f"{advice(fault, self.root / 'terms.sqlite3', 'Nothing was stored')} "
                                        f"{what_to_check(fault, self.root, 'a folder')}".strip())
            failure.fault = fault
            raise failure from None
        self._refuse_others()
        try:
            self._vet()
            self._create()
        except _Foreign as foreign:
            self._replace_foreign(foreign)
        except sqlite3.Error as error:
            fault = classify_sqlite(error, self.index_path)
            if fault.is_damage and self._damaged():
                self._start_again(error)
            elif fault in _CANNOT_WRITE and self._current_layout(fault):
                # what is stored can still be shown; a write will say why it cannot be made
                self._read_only = True  # no -shm can be made: nobody can write anyway
                log.warning("The terms store %s can only be read (%s)", self.index_path, error)
            else:
                raise self._fault(error, "The terms store cannot be opened") from None
        self._ready = True

    def _refuse_others(self) -> None:
        """On POSIX the store's folder, the folder it is in and its index must be this user's, as the ledger's
        are (:func:`guard.ledger.files.refuse_others`): whoever owns them can put versions of their own there,
        which the app would show as a provider's terms (and announce as a change), or hide a real change."""
        if not hasattr(os, "getuid"):
            return
        for target in (self.root.parent, self.root, self.objects, self.index_path,
                       *(Path(f"{self.index_path}{suffix}") for suffix in ("-wal", "-shm", "-journal"))):
            try:
                owner = os.lstat(target).st_uid
            except OSError:
                continue  # not there (yet), or said by whatever reads it next
            if owner != os.getuid():
                failure = TermsStorageFault(
                    f"{target} belongs to another user (uid {owner}), who could put terms versions of their own in "
                    f"the terms store {self.root} or remove real ones. Keep the app's data in a folder of your own: "
                    "set general.data_dir in the settings (or leave it empty for the default). Nothing was read or "
                    "written.")
                failure.fault = StorageFault.PERMISSION
                raise failure

    def _vet(self) -> None:
        """Raise :class:`_Foreign` when the index holds SQL the app did not write (read from
        ``sqlite_schema`` before anything else touches the file)."""
        if not self.index_path.exists():
            return
        connection = sqlite3.connect(f"file:{self.index_path}?mode=ro", uri=True, timeout=self.busy_timeout)
        try:
            self._vetted(connection)
        finally:
            connection.close()

    def _replace_foreign(self, foreign: _Foreign) -> None:
        """Set the index aside, start a new one and take over the rows of its own tables."""
        what = (f"The terms store index {self.index_path} contains SQL that Meeting Privacy Guard did not write "
                f"({foreign}): it was changed outside the app (possible tampering) and none of it was run.")
        if self._read_only:
            raise TermsStorageFault(f"{what} The store can only be read, so it cannot be set aside: make "
                                  f"{self.root} writable and restart the app, which rebuilds the index.")
        try:
            self._checkpoint()
            broken = set_aside(self.index_path)
        except (OSError, sqlite3.Error) as failure:
            raise TermsStorageFault(f"{what} It cannot be set aside ({failure}): move it away yourself and "
                                  "restart the app, which builds a new one.") from None
        for side in ("-wal", "-shm"):
            self.index_path.with_name(self.index_path.name + side).unlink(missing_ok=True)
        try:
            self._create()
        except sqlite3.Error as error:
            raise self._fault(error, f"{what} It was kept as {broken.name}, but a new index cannot be made") from None
        kept = self._salvage(broken)
        problem = (f"{what} It was kept as {broken.name} and a new index built from it ({kept} stored rows "
                   f"taken over); stored texts are kept in {self.objects}. If you did not change it, check what "
                   f"else on this computer can write to {self.root}.")
        log.warning("%s", problem)
        self.problems.append(problem)

    def _checkpoint(self) -> None:
        """Fold the write-ahead log into the file before it is set aside (copies pages; runs no stored SQL)."""
        connection = sqlite3.connect(self.index_path, timeout=self.busy_timeout)
        try:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        finally:
            connection.close()

    def _salvage(self, broken: Path) -> int:
        """Copy into the new index the rows of ``broken``'s tables whose definition is the app's own
        (a table replaced by a view is skipped: reading it would run its SQL); the rows copied."""
        copied = 0
        try:
            source = sqlite3.connect(f"file:{broken}?mode=ro&immutable=1", uri=True)
        except sqlite3.Error as error:
            log.warning("Nothing could be taken over from %s (%s)", broken, error)
            return 0
        target = sqlite3.connect(self.index_path, timeout=self.busy_timeout, isolation_level=None)
        try:
            distrust_schema(source)
            distrust_schema(target)
            own = _expected(int(source.execute("PRAGMA user_version").fetchone()[0]))
            tables = [name for kind, name, table, sql in schema_rows(source)
                      if kind == "table" and name in _DATA_TABLES and (kind, name, table, sql) in own]
            target.execute("BEGIN IMMEDIATE")
            for name in tables:
                old = {row[1] for row in source.execute(f"PRAGMA table_info({name})")}
                columns = [row[1] for row in target.execute(f"PRAGMA table_info({name})") if row[1] in old]
                listed = ", ".join(columns)
                rows = source.execute(f"SELECT {listed} FROM {name}")  # noqa: S608 - our own names only
                target.executemany(f"INSERT OR REPLACE INTO {name} ({listed}) "  # noqa: S608
                                   f"VALUES ({', '.join('?' for _ in columns)})", rows)
                copied += int(target.execute(f"SELECT count(*) FROM {name}").fetchone()[0])  # noqa: S608
            target.execute("COMMIT")
        except sqlite3.Error as error:
            if target.in_transaction:
                target.execute("ROLLBACK")
            log.warning("Nothing could be taken over from %s (%s)", broken, error)
            return 0
        finally:
            source.close()
            target.close()
        return copied

    def _damaged(self) -> bool:
        """True when SQLite's integrity check fails (or the file is not a database at all)."""
        try:
            connection = sqlite3.connect(f"file:{self.index_path}?mode=ro", uri=True, timeout=self.busy_timeout)
        except sqlite3.Error:
            return self.index_path.exists()
        try:
            rows = connection.execute("PRAGMA integrity_check").fetchall()
            return rows != [("ok",)]
        except sqlite3.Error as error:
            return classify_sqlite(error, self.index_path).is_damage
        finally:
            connection.close()

    def _current_layout(self, fault: StorageFault) -> bool:
        options = "mode=ro&immutable=1"
        try:
            connection = sqlite3.connect(f"file:{self.index_path}?{options}", uri=True, timeout=self.busy_timeout)
            try:
                return bool(connection.execute("PRAGMA user_version").fetchone()[0] >= SCHEMA_VERSION)
            finally:
                connection.close()
        except sqlite3.Error:
            return False

    def _start_again(self, error: sqlite3.Error) -> None:
        try:
            broken = set_aside(self.index_path)
        except OSError as failure:
            raise TermsStorageFault(f"The terms store index {self.index_path} is damaged ({error}) and cannot be set "
                                    f"aside ({failure.strerror}): make {self.root} writable, or move the file away "
                                    "yourself, and try again; the app then keeps it under a new name and starts a "
                                    "new index.") from None
        problem = (f"The terms store index {self.index_path} failed its integrity check ({error}); it was kept as "
                   f"{broken.name} and a new one started. Stored texts are kept in {self.objects}.")
        log.warning("%s", problem)
        self.problems.append(problem)
        for side in ("-wal", "-shm"):
            self.index_path.with_name(self.index_path.name + side).unlink(missing_ok=True)
        self._create()

    def _create(self) -> None:
        """Switch the index to WAL and bring it up to date. Some of SQLite's locks are not waited on by
        its busy handler (switching the journal mode, a WAL index another program is rebuilding): when
        several programs open an older index at once, "database is locked" is retried until
        :attr:`busy_timeout` has passed, as the busy handler would have waited."""
        deadline = time.monotonic() + self.busy_timeout
        pause = 0.01
        while True:
            connection = sqlite3.connect(self.index_path, timeout=self.busy_timeout)
            try:
                connection.execute("PRAGMA journal_mode=WAL")
                migrate(connection)
                break
            except sqlite3.OperationalError as error:
                if error.sqlite_errorcode & 0xFF not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) \
                        or time.monotonic() + pause > deadline:
                    raise
            finally:
                connection.close()
            time.sleep(pause)
            pause = min(pause * 2, 0.25)
        self.index_path.chmod(0o600)

