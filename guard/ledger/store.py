"""The consent ledger: an append-only, hash-chained, MAC-signed SQLite file.

Every append is one ``BEGIN IMMEDIATE`` transaction committed with ``synchronous=FULL``:
when :meth:`Ledger.append` returns, the record is on disk and survives a crash or SIGKILL,
and two processes appending at once queue behind each other without breaking the chain.
Nothing is ever updated or deleted; :meth:`withdraw` and :meth:`correct` add records that
point at the earlier one. One ``Ledger`` may be shared between threads.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from guard.ledger import files
from guard.ledger.canonical import MacKey, canonical_json, head_mac, record_hash, record_mac
from guard.ledger.errors import LedgerCorruptError, LedgerError, LedgerInputError, LedgerKeyError, RecordNotFoundError
from guard.ledger.keys import KeyInfo, KeyState, KeyStatus, KeyVault, LoadedKey
from guard.ledger.models import GENESIS_HASH, Decision, EvidenceItem, Record, RecordDraft, RequestedBy, StoredRecord
from guard.ledger.query import Order, RecordFilter, order_sql, stored_page
from guard.ledger.schema import (FIRST_DISAGREEING_ROW, INSERT_RECORD, KEY_COLUMNS, SELECT_RECORD,
                                 derived_mismatch, record_row, row_to_key, row_to_record)
from guard.ledger.status import EffectiveStatus, effective_status
from guard.ledger.timeutil import format_utc, utc_now
from guard.ledger.validate import draft_content, record_id_text
from guard.ledger.verify import (CHAIN_QUERY, Head, Problem, ProblemKind, VerifyReport, column_edited, earliest,
                                 verify_chain)

log = logging.getLogger(__name__)

_PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000"
MAX_PAGE = 10_000


class Ledger:
    """An open consent ledger. Use :meth:`open` (or ``guard.ledger.open_ledger(paths)``)."""

    def __init__(self, path: Path, conn: sqlite3.Connection, vault: KeyVault) -> None:
        self.path = path
        self._conn = conn
        self._vault = vault
        self._lock = threading.RLock()
        self._keys: dict[str, LoadedKey] = {}
        self._identity = _identity(path)

    @classmethod
    def open(cls, path: Path, *, busy_timeout: float = 10.0) -> "Ledger":
        """Open the ledger at ``path``, creating a new one if the file does not exist.

        Raises LedgerCorruptError (file left untouched) when the file is not a healthy ledger.
        """
        path = Path(path).expanduser().absolute()
        conn = files.connect(path, busy_timeout)
        return cls(path, conn, KeyVault(files.key_file_for(path)))

    @property
    def key_file(self) -> Path:
        return self._vault.key_file

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing ---------------------------------------------------------------------------

    def append(self, draft: RecordDraft) -> Record:
        """Sign and store ``draft`` as the next record; durable once this returns."""
        return self.append_many([draft])[0]

    def append_many(self, drafts: Iterable[RecordDraft]) -> list[Record]:
        """Append several records in one transaction: all are stored, or none (e.g. an import)."""
        recorded_at = utc_now()
        checked = [draft_content(d, record_id=_PLACEHOLDER_ID, seq=1, key_id="-", recorded_at=recorded_at)
                   for d in drafts]
        if not checked:
            return []
        rows = []
        with self._write("add a record to") as conn:
            last_seq, prev_hash = self._last(conn)
            key = self._signing_key(conn)
            assert key.secret is not None
            signer = MacKey(key.secret)
            for content in checked:
                if content["refers_to"] is not None:
                    self._require(conn, content["refers_to"])
                last_seq += 1
                content.update(id=str(uuid.uuid4()), seq=last_seq, key_id=key.info.key_id)
                body = canonical_json(content, check_floats=False)
                digest = record_hash(prev_hash, body)
                row = record_row(content, body, prev_hash, digest, record_mac(signer, digest))
                conn.execute(INSERT_RECORD, row)
                rows.append((last_seq, body, prev_hash, digest, row[-1]))
                prev_hash = digest
            self._set_head(conn, last_seq, prev_hash, key)
        records = [row_to_record(row) for row in rows]
        for record in records:
            log.info("Ledger record %s (seq %s, %s, %s) added", record.id, record.seq, record.provider_id,
                     record.decision)
        return records

    def withdraw(self, record_id: str, *, note: str | None = None, occurred_at: datetime | None = None,
                 evidence: tuple[EvidenceItem, ...] = ()) -> Record:
        """Withdraw a consent that is in force: a new ``withdrawn`` record pointing at it."""
        target = self.get(record_id)
        status = self.effective_status(target)
        if status.decision != Decision.GIVEN:
            raise LedgerInputError(
                f"Record {target.id} is '{status.label}': only a consent that is in force (given) can be withdrawn."
            )
        return self.append(RecordDraft(
            provider_id=target.provider_id, decision=Decision.WITHDRAWN, occurred_at=occurred_at,
            feature_id=target.feature_id, meeting=target.meeting, purposes=target.purposes,
            requested_by=RequestedBy.SELF, terms=target.terms, evidence=evidence, note=note, refers_to=target.id,
        ))

    def correct(self, record_id: str, draft: RecordDraft) -> Record:
        """Record ``draft`` as the correction of an earlier record (which stays as it was)."""
        target = self.get(record_id)
        return self.append(replace(draft, refers_to=target.id))

    def rekey(self) -> KeyStatus:
        """Sign new records with a new key (after a lost or replaced key). Older records keep
        their key; while it stays missing they are checked by their hash chain only."""
        with self._write("start a new key for") as conn:
            key = self._new_key(conn)
            last_seq, last_hash = self._last(conn)
            if last_seq:
                self._set_head(conn, last_seq, last_hash, key)
        return key.status

    # --- reading ---------------------------------------------------------------------------

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
        last: tuple | None = None
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

    def head(self) -> Head | None:
        with self._read("read") as conn:
            return _read_head(conn)

    # --- checking --------------------------------------------------------------------------

    def key_status(self) -> KeyStatus:
        """Where the current signing key lives and whether it can be used (read afresh)."""
        with self._read("read") as conn:
            key_id = _meta(conn, "current_key_id")
            row = conn.execute(f"SELECT {KEY_COLUMNS} FROM keys WHERE key_id = ?", (key_id,)).fetchone()
        if row is None:
            return self._vault.planned_status()
        loaded = self._vault.load(row_to_key(row))
        self._keys[loaded.info.key_id] = loaded
        return loaded.status

    def verify(self, *, check_file: bool = True) -> VerifyReport:
        """Check every record's hash, link and MAC, the columns the filters use, and the
        signed head, all in one snapshot. ``check_file`` also runs SQLite's page check."""
        with self._lock, files.translate_errors(self.path, "verify"):
            try:
                return self._verify(check_file)
            except sqlite3.OperationalError as error:
                if "decode" not in str(error):
                    raise
                # A column was overwritten with bytes that are not text: read them raw so the
                # check can say which record it is.
                self._conn.text_factory = lambda data: data.decode("utf-8", "surrogateescape")
                try:
                    return self._verify(check_file)
                finally:
                    self._conn.text_factory = str

    def _verify(self, check_file: bool) -> VerifyReport:
        conn = self._conn
        conn.execute("BEGIN")
        try:
            if check_file:
                damage = conn.execute("PRAGMA quick_check").fetchone()[0]
                if damage != "ok":
                    problem = Problem(ProblemKind.CORRUPT, None, f"the file is damaged: {damage}")
                    return self._report(conn, 0, None, problem, None, 0)
            key_rows = conn.execute(f"SELECT {KEY_COLUMNS} FROM keys").fetchall()
            keys = {info.key_id: self._vault.load(info) for info in map(row_to_key, key_rows)}
            self._keys.update(keys)  # a key found lost or replaced stops signing until fixed
            result = verify_chain(conn.execute(CHAIN_QUERY), keys, _read_head(conn),
                                  lambda digest: _seq_of_hash(conn, digest))
            problem = earliest(result.problem, _first_edited_column(conn))
            return self._report(conn, result.last_seq, result.last_hash if result.count else None,
                                problem, result.key_problem, result.macs_checked)
        finally:
            conn.execute("COMMIT")

    def _report(self, conn: sqlite3.Connection, head_seq: int, head_hash: str | None, problem: Problem | None,
                key_problem: Problem | None, macs: int) -> VerifyReport:
        count = int(conn.execute("SELECT count(*) FROM records").fetchone()[0])
        return VerifyReport(str(self.path), count, head_seq, head_hash, problem, key_problem,
                            self._current_status(conn), macs)

    def _current_status(self, conn: sqlite3.Connection) -> KeyStatus:
        key_id = _meta(conn, "current_key_id")
        row = conn.execute(f"SELECT {KEY_COLUMNS} FROM keys WHERE key_id = ?", (key_id,)).fetchone()
        if row is None:
            return self._vault.planned_status()
        cached = self._keys.get(key_id)
        return cached.status if cached is not None else self._vault.load(row_to_key(row)).status

    # --- internals -------------------------------------------------------------------------

    @contextlib.contextmanager
    def _write(self, action: str) -> Iterator[sqlite3.Connection]:
        with self._lock, files.translate_errors(self.path, action):
            self._check_same_file()
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    @contextlib.contextmanager
    def _read(self, action: str) -> Iterator[sqlite3.Connection]:
        with self._lock, files.translate_errors(self.path, action):
            yield self._conn

    def _check_same_file(self) -> None:
        if _identity(self.path) != self._identity:
            raise LedgerError(f"The consent ledger {self.path} was erased or replaced while it was open. "
                              "Open it again; nothing was written.")

    def _record(self, row: tuple) -> Record:
        try:
            return row_to_record(row)
        except (ValueError, KeyError, TypeError) as error:
            raise LedgerCorruptError(
                f"Record seq {row[0]} in the consent ledger {self.path} cannot be read ({error}). "
                "Run 'meeting-guard consent verify' to see what changed."
            ) from error

    def _require(self, conn: sqlite3.Connection, record_id: str) -> None:
        if conn.execute("SELECT 1 FROM records WHERE id = ?", (record_id,)).fetchone() is None:
            raise RecordNotFoundError(f"No record with id {record_id} in the consent ledger {self.path} "
                                      "(field 'refers_to').")

    @staticmethod
    def _last(conn: sqlite3.Connection) -> tuple[int, str]:
        row = conn.execute("SELECT seq, hash FROM records ORDER BY seq DESC LIMIT 1").fetchone()
        return (0, GENESIS_HASH) if row is None else (int(row[0]), str(row[1]))

    def _signing_key(self, conn: sqlite3.Connection) -> LoadedKey:
        key_id = _meta(conn, "current_key_id")
        if key_id is None:
            return self._new_key(conn)
        loaded = self._keys.get(key_id)
        if loaded is None or not loaded.status.usable:
            row = conn.execute(f"SELECT {KEY_COLUMNS} FROM keys WHERE key_id = ?", (key_id,)).fetchone()
            if row is None:
                raise LedgerKeyError(f"The consent ledger {self.path} names a signing key ({key_id}) it has no "
                                     "record of. Run 'meeting-guard consent verify', then 'consent rekey'.")
            loaded = self._vault.load(row_to_key(row))
            self._keys[key_id] = loaded
        if loaded.secret is None or loaded.status.state != KeyState.OK:
            raise LedgerKeyError(f"Cannot sign a new record in the consent ledger {self.path}: "
                                 f"{loaded.status.message()}")
        return loaded

    def _new_key(self, conn: sqlite3.Connection) -> LoadedKey:
        key_id = uuid.uuid4().hex[:16]
        username = f"consent-ledger-{_meta(conn, 'ledger_id')}-{key_id}"
        loaded = self._vault.create(key_id, username, format_utc(utc_now()))
        info: KeyInfo = loaded.info
        conn.execute(f"INSERT INTO keys ({KEY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
                     (info.key_id, info.username, str(info.storage), info.check, info.created_at, info.reason))
        _set_meta(conn, "current_key_id", key_id)
        self._keys[key_id] = loaded
        return loaded

    @staticmethod
    def _set_head(conn: sqlite3.Connection, seq: int, digest: str, key: LoadedKey) -> None:
        assert key.secret is not None
        head = {"seq": seq, "hash": digest, "key_id": key.info.key_id, "mac": head_mac(key.secret, seq, digest)}
        _set_meta(conn, "head", json.dumps(head, sort_keys=True))


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return info.st_dev, info.st_ino


def _meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def _set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                 (key, value))


def _read_head(conn: sqlite3.Connection) -> Head | None:
    text = _meta(conn, "head")
    if text is None:
        return None
    try:
        head = json.loads(text)
        return Head(int(head["seq"]), str(head["hash"]), str(head["key_id"]), str(head["mac"]))
    except (ValueError, KeyError, TypeError):
        return Head(-1, "", "", "")  # damaged: verify reports it


def _first_edited_column(conn: sqlite3.Connection) -> Problem | None:
    after = 0
    while (row := conn.execute(FIRST_DISAGREEING_ROW, (after,)).fetchone()) is not None:
        column = derived_mismatch(row)
        if column is not None:
            return column_edited(row[0], column)
        after = row[0]  # SQLite wrote the same values differently; Python says they agree
    return None


def _seq_of_hash(conn: sqlite3.Connection, digest: str) -> int | None:
    row = conn.execute("SELECT seq FROM records WHERE hash = ? LIMIT 1", (digest,)).fetchone()
    return None if row is None else int(row[0])
