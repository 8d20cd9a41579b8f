"""Build a ledger exactly as the versions before Ed25519 wrote it (schema 2): records with
HMAC-SHA256 MACs, the secret in the key file or the keyring, a head with a MAC, no anchor.
Written here from the old format's definition (guard.ledger.canonical keeps its helpers), so
the migration is tested on the real old layout rather than on a downgraded new file."""

from __future__ import annotations

import base64
import json
import os
import secrets
import sqlite3
import uuid
from datetime import UTC, datetime
from pathlib import Path

import keyring

from guard.ledger.canonical import (
    canonical_json,
    head_mac,
    key_check,
    record_hash,
    record_mac,
)
from guard.ledger.keys import SERVICE
from guard.ledger.models import GENESIS_HASH, RecordDraft
from guard.ledger.schema import APPLICATION_ID, DERIVED_COLUMNS, MIGRATIONS
from guard.ledger.timeutil import format_utc

_V2_COLUMNS = (*(name for name, _ in DERIVED_COLUMNS), "body", "prev_hash", "hash", "mac")


def build_legacy_ledger(path: Path, notes: list[str], *, in_keyring: bool = False) -> dict:
    """Write a version-2 ledger with one record per note; returns its ids, key and secret."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA journal_mode = WAL")
    for migration in MIGRATIONS[:2]:
        for statement in migration.statements:
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 2")
    ledger_id = str(uuid.uuid4())
    created = format_utc(datetime(2026, 6, 1, tzinfo=UTC))
    conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)",
                     [("ledger_id", ledger_id), ("created_at", created),
                      ("app", "Meeting Privacy Guard consent ledger")])
    secret = secrets.token_bytes(32)
    key_id = uuid.uuid4().hex[:16]
    username = f"consent-ledger-{ledger_id}-{key_id}"
    text = base64.b64encode(secret).decode("ascii")
    if in_keyring:
        keyring.set_password(SERVICE, username, text)
    else:
        key_file = path.with_name("ledger.key")
        key_file.write_text(json.dumps({"format": 1, "service": SERVICE, "keys": {username: text}}))
        os.chmod(key_file, 0o600)
    conn.execute("INSERT INTO keys (key_id, username, storage, check_mac, created_at, reason) "
                 "VALUES (?, ?, ?, ?, ?, ?)",
                 (key_id, username, "keyring" if in_keyring else "file", key_check(secret, key_id), created,
                  None if in_keyring else "no keyring backend is installed or running"))
    prev, ids = GENESIS_HASH, []
    for seq, note in enumerate(notes, start=1):
        at = datetime(2026, 6, 1, 9, seq, tzinfo=UTC)
        content = RecordDraft(provider_id="zoom", decision="given", note=note).content(
            record_id=str(uuid.uuid4()), seq=seq, key_id=key_id, recorded_at=at)
        content.pop("notice", None)  # the content of format 1 never has these
        content.pop("cut", None)
        content["format"] = 1
        body = canonical_json(content)
        digest = record_hash(prev, body)
        values = [content["seq"], content["id"], key_id, content["occurred_at"], "zoom", "given", None, note, None,
                  body, prev, digest, record_mac(secret, digest)]
        conn.execute(f"INSERT INTO records ({', '.join(_V2_COLUMNS)}) VALUES ({', '.join('?' * len(_V2_COLUMNS))})",
                     values)
        ids.append(content["id"])
        prev = digest
    conn.execute("INSERT INTO meta (key, value) VALUES ('current_key_id', ?)", (key_id,))
    if notes:
        head = {"seq": len(notes), "hash": prev, "key_id": key_id, "mac": head_mac(secret, len(notes), prev)}
        conn.execute("INSERT INTO meta (key, value) VALUES ('head', ?)", (json.dumps(head, sort_keys=True),))
    conn.close()
    return {"ids": ids, "key_id": key_id, "username": username, "secret": secret, "ledger_id": ledger_id}
