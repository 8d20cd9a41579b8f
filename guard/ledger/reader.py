"""The consent ledger's read side: records by id, number or id prefix, filtered pages and
counts, the records that refer to one, the signed head and the export proof.

:class:`guard.ledger.store.Ledger` builds on it and adds what writes, signs or checks (appends,
keys, time stamps, verify). Reads share the ledger's one connection and lock, so one
``Ledger`` may be shared between threads.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Self

from guard.ledger import files, meta
from guard.ledger.errors import LedgerCorruptError, LedgerInputError, RecordNotFoundError
from guard.ledger.head import SignedHead
from guard.ledger.models import Record, StoredRecord, record_id_text
from guard.ledger.proof import LedgerProof, public_keys
from guard.ledger.query import Order, RecordFilter, order_sql, stored_page
from guard.ledger.schema import SELECT_RECORD, row_to_record
from guard.ledger.status import EffectiveStatus, effective_status

MAX_PAGE = 10_000
KEYS_ANCHORED_VERSION = 3  # the schema version from which the ledger's keys are anchored outside the file


def readable_record(row: tuple[Any, ...], path: Path) -> Record:
    """The record stored in ``row``; a row that cannot be read is reported as damage to the file."""
    try:
        return row_to_record(row)
    except (ValueError, KeyError, TypeError) as error:
        raise LedgerCorruptError(
            f"Record seq {row[0]} in the consent ledger {path} cannot be read ({error}). "
            "Run 'meeting-guard consent verify' to see what changed."
        ) from error


class LedgerReader:
    """Read-only queries on an open ledger file (see :class:`guard.ledger.store.Ledger`)."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self._conn = conn
        self._lock = threading.RLock()

    @classmethod
    def open(cls, path: Path, *, busy_timeout: float = 10.0) -> LedgerReader:
        """Open the ledger at ``path`` to read it, as :meth:`guard.ledger.store.Ledger.open` does
        (created when there is none, checked, migrated), without its keys and anchor: listing
        records then loads neither the keyring library nor cryptography. A file that the opening
        has just migrated to anchored keys is opened whole, so those keys are anchored now."""
        path = Path(path).expanduser().absolute()
        conn, migrated = files.connect(path, busy_timeout)
        if KEYS_ANCHORED_VERSION in migrated:
            from guard.ledger.store import Ledger

            return Ledger.on_connection(path, conn, migrated)
        return cls(path, conn)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, record_id: str) -> Record:
        record_id = record_id_text(record_id)
        with self._read("read") as conn:
            row = conn.execute(f"{SELECT_RECORD} WHERE id = ?", (record_id,)).fetchone()
        if row is None:
            raise RecordNotFoundError(f"No record with id {record_id} in the consent ledger {self.path}.")
        return self._record(row)

    def find_ids(self, *, seq: int | None = None, prefix: str | None = None, limit: int = 2) -> list[str]:
        """Ids of the record numbered ``seq``, or of records whose id starts with ``prefix``
        (at most ``limit``): how the command line resolves ``#N`` and short ids."""
        with self._read("read") as conn:
            if seq is not None:
                rows = conn.execute("SELECT id FROM records WHERE seq = ?", (seq,)).fetchall()
            else:
                low = (prefix or "").lower()
                high = low[:-1] + chr(ord(low[-1]) + 1) if low else "\uffff"
                rows = conn.execute("SELECT id FROM records WHERE id >= ? AND id < ? ORDER BY id LIMIT ?",
                                    (low, high, limit)).fetchall()
        return [str(row[0]) for row in rows]

    def count(self, filter: RecordFilter | None = None) -> int:
        where, params = (filter or RecordFilter()).where()
        with self._read("count the records of") as conn:
            return int(conn.execute(f"SELECT count(*) FROM records{where}", params).fetchone()[0])

    def month_counts(self, filter: RecordFilter | None = None) -> list[tuple[str, str, int]]:
        """``(YYYY-MM, decision, count)`` of the matching records, by the month (in this
        computer's time zone) in which each decision occurred; oldest month first."""
        where, params = (filter or RecordFilter()).where()
        sql = (f"SELECT strftime('%Y-%m', occurred_at, 'localtime') AS month, decision, count(*) FROM records{where} "
               "GROUP BY month, decision ORDER BY month, decision")
        with self._read("count the records of") as conn:
            return [(str(month), str(decision), int(n)) for month, decision, n in conn.execute(sql, params)]

    def page(self, filter: RecordFilter | None = None, offset: int = 0, limit: int = 100,
             order: Order | str = Order.OCCURRED_NEWEST) -> list[Record]:
        """``limit`` records matching ``filter`` from position ``offset`` in ``order``."""
        if offset < 0 or not 0 <= limit <= MAX_PAGE:
            raise LedgerInputError(f"Page offset must be >= 0 and limit between 0 and {MAX_PAGE}.")
        where, params = (filter or RecordFilter()).where()
        ordering = order_sql(order)
        # Choose the page on the narrow indexes first, then read only those rows' bodies.
        sql = (f"{SELECT_RECORD} WHERE seq IN (SELECT seq FROM records{where} ORDER BY {ordering} "
               f"LIMIT ? OFFSET ?) ORDER BY {ordering}")
        with self._read("list the records of") as conn:
            rows = conn.execute(sql, [*params, limit, offset]).fetchall()
        return [self._record(row) for row in rows]

    def iter(self, filter: RecordFilter | None = None, order: Order | str = Order.OLDEST,
             batch: int = 1000) -> Iterator[Record]:
        """Every matching record, fetched ``batch`` at a time (for exports)."""
        offset = 0
        while True:
            records = self.page(filter, offset, batch, order)
            yield from records
            if len(records) < batch:
                return
            offset += batch

    def iter_stored(self, filter: RecordFilter | None = None, order: Order | str = Order.OLDEST,
                    batch: int = 2000) -> Iterator[StoredRecord]:
        """Every matching record as stored (no parsing), ``batch`` at a time, for bulk exports."""
        where, params = (filter or RecordFilter()).where()
        last: tuple[Any, ...] | None = None
        while True:
            sql, page_params = stored_page(where, params, order, last, batch)
            with self._read("read") as conn:
                rows = conn.execute(sql, page_params).fetchall()
            yield from map(StoredRecord._make, rows)
            if len(rows) < batch:
                return
            last = rows[-1]

    def later_records(self, record_id: str) -> list[Record]:
        """Records that refer to ``record_id``, directly or through each other, in seq order."""
        sql = (f"WITH RECURSIVE chain(id) AS (SELECT ? UNION SELECT r.id FROM records r JOIN chain c "
               f"ON r.refers_to = c.id) {SELECT_RECORD} WHERE id IN (SELECT id FROM chain) AND id != ? ORDER BY seq")
        record_id = record_id_text(record_id)
        with self._read("read") as conn:
            rows = conn.execute(sql, (record_id, record_id)).fetchall()
        return [self._record(row) for row in rows]

    def effective_status(self, record: Record) -> EffectiveStatus:
        """What ``record`` means now, e.g. given, then withdrawn."""
        return effective_status(record, self.later_records(record.id))

    def proof(self) -> LedgerProof:
        """The ledger's public keys and signed head, for exports (see guard.ledger.proof).
        Records appended after this call are not covered by it."""
        with self._read("read") as conn:
            conn.execute("BEGIN")
            try:
                head = meta.read_head(conn)
                return LedgerProof(meta.ledger_id(conn), public_keys(meta.key_rows(conn)),
                                   head if head is not None and head.seq >= 0 else None)
            finally:
                conn.execute("COMMIT")

    def data_version(self) -> int:
        """SQLite's ``PRAGMA data_version`` of this connection: it changes when another connection
        (another process: the command line, the tray app's helper) committed to the file since the
        last call, and not for this connection's own writes. No record is read."""
        with self._read("read") as conn:
            return int(conn.execute("PRAGMA data_version").fetchone()[0])

    def head(self) -> SignedHead | None:
        with self._read("read") as conn:
            head = meta.read_head(conn)
        return head if isinstance(head, SignedHead) and head.seq >= 0 else None

    @contextlib.contextmanager
    def _read(self, action: str) -> Iterator[sqlite3.Connection]:
        with self._lock, files.translate_errors(self.path, action):
            yield self._conn

    def _record(self, row: tuple[Any, ...]) -> Record:
        return readable_record(row, self.path)
