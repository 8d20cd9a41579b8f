"""What someone with write access to the data folder (and the ledger's documented format) can
do to the file: the moves of issue 16's reproductions, made with plain SQLite and the
``cryptography`` package, never through the app."""

from __future__ import annotations

import base64
import hashlib
import json
import sqlite3
import uuid
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from guard.ledger.canonical import (
    canonical_json,
    head_mac,
    key_check,
    record_hash,
    record_mac,
)
from guard.ledger.keys import SERVICE
from guard.ledger.signing import (
    fingerprint,
    head_message,
    key_message,
    keys_digest,
    record_message,
)

TRIGGERS = ("records_append_only_update", "records_append_only_delete", "keys_append_only_update",
            "keys_append_only_delete")


def open_raw(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    for trigger in TRIGGERS:
        conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    return conn


def _write_key_file(path: Path, username: str, text: str) -> None:
    key_file = path.with_name("ledger.key")
    data = json.loads(key_file.read_text()) if key_file.exists() else {"format": 1, "service": SERVICE, "keys": {}}
    data["keys"][username] = text
    key_file.write_text(json.dumps(data))


def _digest_line(row: tuple) -> str:
    key_id, algorithm, check, from_seq = row
    return f"{key_id}:{algorithm}:{check}:{'' if from_seq is None else from_seq}"


def rechain(conn: sqlite3.Connection, change: dict[int, dict], key_id: str | None = None) -> list[tuple]:
    """Apply ``change`` (seq -> fields) to record bodies, set every record's key id to ``key_id``
    if given, and recompute every hash and link; returns (seq, body, hash) per record."""
    rows = conn.execute("SELECT seq, body FROM records ORDER BY seq").fetchall()
    prev, out = "0" * 64, []
    for seq, body in rows:
        content = json.loads(body)
        content.update(change.get(seq, {}))
        if key_id is not None:
            content["key_id"] = key_id
        body = canonical_json(content)
        digest = record_hash(prev, body)
        conn.execute("UPDATE records SET body = ?, prev_hash = ?, hash = ?, decision = ?, key_id = ? WHERE seq = ?",
                     (body, prev, digest, content["decision"], content["key_id"], seq))
        out.append((seq, body, digest))
        prev = digest
    return out


def forge_with_own_ed25519_key(path: Path, change: dict[int, dict]) -> str:
    """Issue 16 item 1 with Ed25519: add a key row of the attacker's (stored in ledger.key),
    change records, re-sign every record and the head with that key. Returns its key id."""
    private = Ed25519PrivateKey.generate()
    public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    raw = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
    conn = open_raw(path)
    ledger_id = conn.execute("SELECT value FROM meta WHERE key = 'ledger_id'").fetchone()[0]
    key_id = uuid.uuid4().hex[:16]
    username = f"consent-ledger-{ledger_id}-{key_id}"
    _write_key_file(path, username, "ed25519:" + base64.b64encode(raw).decode())
    public_text, fp = base64.b64encode(public).decode(), fingerprint(public)
    body = canonical_json({"format": 1, "kind": "ledger-key", "ledger_id": ledger_id, "key_id": key_id,
                           "algorithm": "ed25519", "public_key": public_text, "fingerprint": fp,
                           "created_at": "2026-01-01T00:00:00.000000Z", "from_seq": 1, "after_hash": "0" * 64,
                           "follows": None, "why": "the ledger's first key",
                           "endorsement": None})
    conn.execute("INSERT INTO keys (key_id, username, storage, check_mac, created_at, reason, algorithm, public_key, "
                 "from_seq, body, signature) VALUES (?, ?, 'file', ?, '2026-01-01T00:00:00.000000Z', "
                 "'no keyring backend is installed or running', 'ed25519', ?, 1, ?, ?)",
                 (key_id, username, fp, public_text, body, private.sign(key_message(body)).hex()))
    records = rechain(conn, change, key_id)
    digest = "0" * 64
    for seq, _, record in records:
        signature = private.sign(record_message(record)).hex()
        conn.execute("UPDATE records SET signature = ? WHERE seq = ?", (signature, seq))
        digest = hashlib.sha256((digest + signature).encode()).hexdigest()
    lines = [_digest_line(row) for row in conn.execute(
        "SELECT key_id, algorithm, check_mac, from_seq FROM keys ORDER BY rowid")]
    last_seq, last_hash = records[-1][0], records[-1][2]
    kd = keys_digest(lines)
    head = {"format": 2, "seq": last_seq, "hash": last_hash, "key_id": key_id, "signatures_digest": digest,
            "keys_digest": kd, "recorded_at": json.loads(records[-1][1])["recorded_at"],
            "signature": private.sign(head_message(ledger_id, last_seq, last_hash, digest, kd)).hex()}
    conn.execute("UPDATE meta SET value = ? WHERE key = 'head'", (json.dumps(head),))
    conn.execute("UPDATE meta SET value = ? WHERE key = 'current_key_id'", (key_id,))
    conn.close()
    return key_id


def forge_with_own_hmac_key(path: Path, change: dict[int, dict]) -> str:
    """Issue 16 item 1 exactly as filed: a key row with ``storage = file`` and the attacker's own
    check value, ``ledger.key`` written, records changed and every MAC and the head redone."""
    secret = b"attacker's own secret, 32 bytes!"
    conn = open_raw(path)
    ledger_id = conn.execute("SELECT value FROM meta WHERE key = 'ledger_id'").fetchone()[0]
    key_id = uuid.uuid4().hex[:16]
    username = f"consent-ledger-{ledger_id}-{key_id}"
    _write_key_file(path, username, base64.b64encode(secret).decode())
    conn.execute("INSERT INTO keys (key_id, username, storage, check_mac, created_at, reason) VALUES "
                 "(?, ?, 'file', ?, '2026-01-01T00:00:00.000000Z', 'no keyring')",
                 (key_id, username, key_check(secret, key_id)))
    records = rechain(conn, change, key_id)
    for seq, _, record in records:
        conn.execute("UPDATE records SET signature = ? WHERE seq = ?", (record_mac(secret, record), seq))
    last_seq, last_hash = records[-1][0], records[-1][2]
    conn.execute("UPDATE meta SET value = ? WHERE key = 'head'", (json.dumps(
        {"seq": last_seq, "hash": last_hash, "key_id": key_id, "mac": head_mac(secret, last_seq, last_hash)}),))
    conn.execute("UPDATE meta SET value = ? WHERE key = 'current_key_id'", (key_id,))
    conn.close()
    return key_id
