"""The ledger's tables, their migrations, and how a row becomes a :class:`Record`.

The schema version is SQLite's ``user_version``. ``MIGRATIONS[n]`` takes a file from
version n to n + 1; they run in one write transaction, so a migration either happens
completely or not at all. A file from a newer version of the app is refused, untouched.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import ValidationError

from guard import sqlite_schema
from guard.ledger.key_info import KeyInfo
from guard.ledger.key_status import KeyAlgorithm, KeyStorage
from guard.ledger.models import Record
from guard.sqlite_schema import SchemaRow, replayed_schema

APPLICATION_ID = 0x4D504731  # "MPG1": marks a SQLite file as a Meeting Privacy Guard ledger


@dataclass(frozen=True)
class Migration:
    to_version: int
    summary: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "records, signing keys and ledger facts", (
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
        """CREATE TABLE keys (
            key_id TEXT PRIMARY KEY,
            username TEXT NOT NULL,
            storage TEXT NOT NULL,
            check_mac TEXT NOT NULL,
            created_at TEXT NOT NULL,
            reason TEXT
        )""",
        # ``body`` holds the canonical content exactly as hashed; the other columns repeat
        # parts of it for the indexes, and verify checks that they still agree with it.
        """CREATE TABLE records (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            key_id TEXT NOT NULL,
            occurred_at TEXT NOT NULL,
            provider_id TEXT NOT NULL,
            decision TEXT NOT NULL,
            meeting_title TEXT,
            note TEXT,
            refers_to TEXT,
            body TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL,
            mac TEXT NOT NULL
        )""",
    )),
    Migration(2, "indexes for the settings window's filters; records refuse UPDATE and DELETE", (
        "CREATE INDEX records_provider ON records (provider_id, occurred_at)",
        "CREATE INDEX records_decision ON records (decision, occurred_at)",
        "CREATE INDEX records_occurred ON records (occurred_at, meeting_title, note)",  # covers text search
        "CREATE INDEX records_refers_to ON records (refers_to) WHERE refers_to IS NOT NULL",
        """CREATE TRIGGER records_append_only_update BEFORE UPDATE ON records
           BEGIN SELECT RAISE(ABORT, 'ledger records are append-only'); END""",
        """CREATE TRIGGER records_append_only_delete BEFORE DELETE ON records
           BEGIN SELECT RAISE(ABORT, 'ledger records are append-only'); END""",
    )),
    Migration(3, "Ed25519 signatures: keys carry their public key and their own signed record", (
        "ALTER TABLE records RENAME COLUMN mac TO signature",
        "ALTER TABLE keys ADD COLUMN algorithm TEXT NOT NULL DEFAULT 'hmac-sha256'",
        "ALTER TABLE keys ADD COLUMN public_key TEXT",
        "ALTER TABLE keys ADD COLUMN from_seq INTEGER",
        "ALTER TABLE keys ADD COLUMN body TEXT",
        "ALTER TABLE keys ADD COLUMN signature TEXT",
        """CREATE TRIGGER keys_append_only_update BEFORE UPDATE ON keys
           BEGIN SELECT RAISE(ABORT, 'ledger keys are append-only'); END""",
        """CREATE TRIGGER keys_append_only_delete BEFORE DELETE ON keys
           BEGIN SELECT RAISE(ABORT, 'ledger keys are append-only'); END""",
    )),
    Migration(4, "RFC 3161 time stamps of records from a TSA the user chose", (
        """CREATE TABLE witnesses (
            seq INTEGER NOT NULL,
            hash TEXT NOT NULL,
            tsa_url TEXT NOT NULL,
            token BLOB NOT NULL,
            gen_time TEXT NOT NULL,
            tsa_certificate_sha256 TEXT NOT NULL,
            tsa_subject TEXT NOT NULL
        )""",
        """CREATE TRIGGER witnesses_append_only_update BEFORE UPDATE ON witnesses
           BEGIN SELECT RAISE(ABORT, 'ledger time stamps are append-only'); END""",
    )),
)
LATEST_VERSION = MIGRATIONS[-1].to_version

# Columns that repeat a part of ``body`` (for the indexes), with the JSON path they repeat.
DERIVED_COLUMNS: tuple[tuple[str, str], ...] = (
    ("seq", "$.seq"), ("id", "$.id"), ("key_id", "$.key_id"), ("occurred_at", "$.occurred_at"),
    ("provider_id", "$.provider_id"), ("decision", "$.decision"), ("meeting_title", "$.meeting.title"),
    ("note", "$.note"), ("refers_to", "$.refers_to"),
)
RECORD_COLUMNS = (*(name for name, _ in DERIVED_COLUMNS), "body", "prev_hash", "hash", "signature")
# Ed25519 signatures are stored as their 64 raw bytes (in hex they would push a typical record
# onto a fourth of a page more); HMACs from before Ed25519 stay hex text. Read as hex either way.
SIGNATURE_HEX = "CASE WHEN typeof(signature) = 'blob' THEN lower(hex(signature)) ELSE signature END"
SELECT_RECORD = f"SELECT seq, body, prev_hash, hash, {SIGNATURE_HEX} FROM records"
INSERT_RECORD = (f"INSERT INTO records ({', '.join(RECORD_COLUMNS)}) "
                 f"VALUES ({', '.join('?' for _ in RECORD_COLUMNS)})")
# Rows whose repeated columns no longer agree with their signed body (checked in C by SQLite;
# a hit is confirmed in Python by :func:`derived_mismatch`).
FIRST_DISAGREEING_ROW = (  # a body that is not JSON (json_extract would fail the whole query) disagrees too
    "SELECT seq, body, " + ", ".join(name for name, _ in DERIVED_COLUMNS) + " FROM records WHERE "
    f"CASE WHEN json_valid(body) THEN json_extract(body, {', '.join(repr(path) for _, path in DERIVED_COLUMNS)}) "
    f"IS NOT json_array({', '.join(name for name, _ in DERIVED_COLUMNS)}) ELSE 1 END AND seq > ? "
    "ORDER BY seq LIMIT 1"
)


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


@cache
def expected_schema(version: int) -> frozenset[SchemaRow]:
    """Every object (type, name, table, SQL) a ledger of schema ``version`` has, by
    replaying the migrations in memory with this SQLite."""
    return replayed_schema(lambda conn: apply_migrations(conn, version))


def foreign_objects(conn: sqlite3.Connection, version: int) -> list[str]:
    """Schema objects in the open file that its migrations did not write (an added trigger or
    view, a table turned into a view, a changed definition): SQL stored in the file that
    SQLite would run on our reads and writes (see :mod:`guard.sqlite_schema`). ``version`` is
    what the caller read; the check uses the version read again with the objects."""
    del version  # the version is read again with the objects, in one snapshot: a migration by another
    # program between the two reads is never mistaken for tampering
    return sqlite_schema.foreign_objects(conn, lambda found: expected_schema(min(found, LATEST_VERSION)))


def apply_migrations(conn: sqlite3.Connection, target: int = LATEST_VERSION) -> list[int]:
    """Bring the schema up to ``target`` inside one write transaction; the versions applied.

    The connection must be in autocommit mode (``isolation_level=None``). The caller checks
    first that the file is not from a newer version.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = schema_version(conn)  # re-read under the lock: another process may have migrated
        applied = []
        for migration in MIGRATIONS:
            if version < migration.to_version <= target:
                for statement in migration.statements:
                    conn.execute(statement)
                version = migration.to_version
                conn.execute(f"PRAGMA user_version = {int(version)}")
                applied.append(version)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return applied


def record_row(content: dict[str, Any], body: str, prev_hash: str, record_hash: str, signature: str) -> tuple[Any, ...]:
    """The row to insert for a record whose canonical content is ``body`` (its hex signature
    stored as raw bytes)."""
    return (*(_at(content, path) for _, path in DERIVED_COLUMNS), body, prev_hash, record_hash,
            bytes.fromhex(signature))


def _at(content: dict[str, Any], path: str) -> Any:
    value: Any = content
    for part in path[2:].split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def derived_mismatch(row: tuple[Any, ...]) -> str | None:
    """For a row from FIRST_DISAGREEING_ROW: the first column that disagrees with the body."""
    body = row[1]
    try:
        content = json.loads(body)
    except (TypeError, ValueError, RecursionError):  # a tampered body may nest arrays 100,000 deep
        return "body"
    for (name, path), value in zip(DERIVED_COLUMNS, row[2:], strict=False):
        if _at(content, path) != value or type(_at(content, path)) is not type(value):
            return name
    return None


def row_to_record(row: tuple[Any, ...]) -> Record:
    """A row selected with :data:`SELECT_RECORD` as a :class:`Record` (read from its body;
    raises ValueError when the body is not a valid record)."""
    seq, body, prev_hash, record_hash, signature = row
    try:
        content = json.loads(body)
    except RecursionError:  # json recurses per nested array: a tampered body of 100,000 '[' is 100 kB
        raise ValueError("the record's body is nested too deeply to be a record") from None
    if not isinstance(content, dict):
        raise ValueError("the record is not a JSON object")
    try:
        return Record.model_validate({**content, "seq": seq, "prev_hash": prev_hash, "hash": record_hash,
                                      "signature": signature})
    except ValidationError as error:
        raise ValueError(str(error).splitlines()[0] + "; " + "; ".join(
            f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()[:3])) from None


KEY_COLUMNS = ("key_id, username, storage, check_mac, created_at, reason, algorithm, public_key, from_seq, body, "
               "signature")
INSERT_KEY = f"INSERT INTO keys ({KEY_COLUMNS}) VALUES ({', '.join('?' * len(KEY_COLUMNS.split(',')))})"
SELECT_KEYS = f"SELECT {KEY_COLUMNS} FROM keys ORDER BY rowid"  # in the order they were made


def row_to_key(row: tuple[Any, ...]) -> KeyInfo:
    key_id, username, storage, check, created_at, reason, algorithm, public_key, from_seq, body, signature = row
    return KeyInfo(key_id, username, KeyStorage(storage), check, created_at, reason, KeyAlgorithm(algorithm),
                   public_key, from_seq, body, signature)


def key_row(info: KeyInfo) -> tuple[Any, ...]:
    return (info.key_id, info.username, str(info.storage), info.check, info.created_at, info.reason,
            str(info.algorithm), info.public_key, info.from_seq, info.body, info.signature)
