"""The ledger's ``meta`` table: its id, its current signing key and its signed head."""

from __future__ import annotations

import json
import sqlite3

from guard.ledger.head import SignedHead
from guard.ledger.key_info import KeyInfo
from guard.ledger.schema import SELECT_KEYS, row_to_key
from guard.ledger.signing import keys_digest


def get(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def put(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                 (key, value))


def ledger_id(conn: sqlite3.Connection) -> str:
    return get(conn, "ledger_id") or ""


class DamagedHead(SignedHead):
    """A head that could not be read (verify reports it)."""


def read_head(conn: sqlite3.Connection) -> SignedHead | None:
    text = get(conn, "head")
    if text is None:
        return None
    try:
        return SignedHead.from_json(text)
    except ValueError:
        return DamagedHead(-1, "", "", "")


def write_head(conn: sqlite3.Connection, head: SignedHead) -> None:
    put(conn, "head", head.to_json())


def key_rows(conn: sqlite3.Connection) -> list[KeyInfo]:
    """Every key row, in the order the keys were made (raises ValueError for a damaged row)."""
    return [row_to_key(row) for row in conn.execute(SELECT_KEYS)]


def current_keys_digest(conn: sqlite3.Connection) -> str:
    return keys_digest(info.digest_line() for info in key_rows(conn))


def last_record(conn: sqlite3.Connection) -> tuple[int, str, str | None]:
    """``(seq, hash, recorded_at)`` of the newest record, ``(0, genesis, None)`` when empty
    (``recorded_at`` None too when the record cannot be read)."""
    from guard.ledger.models import GENESIS_HASH

    row = conn.execute("SELECT seq, hash, body FROM records ORDER BY seq DESC LIMIT 1").fetchone()
    if row is None:
        return 0, GENESIS_HASH, None
    try:
        recorded_at = json.loads(row[2]).get("recorded_at")
    except (TypeError, ValueError, AttributeError, RecursionError):  # a tampered body may nest 100,000 deep
        recorded_at = None
    return int(row[0]), str(row[1]), recorded_at if isinstance(recorded_at, str) else None
