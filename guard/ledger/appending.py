"""Adding records to the hash chain, inside the write transaction the caller holds
(:meth:`guard.ledger.store.Ledger.append`).

Each record is linked to the one before, signed, inserted, and folded into the signatures
digest; then the new head is signed. An append that names its own record id happens at most
once: the id is looked up in the same ``BEGIN IMMEDIATE`` transaction that would add it, so no
other writer can add it in between, and a retried append (a helper process that appended but
died before answering: guard.ledger.append_helper) finds its record instead of recording the
decision twice.
"""

from __future__ import annotations

import sqlite3
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from guard.ledger import meta
from guard.ledger.canonical import canonical_json, record_hash
from guard.ledger.anchor import AnchorError
from guard.ledger.errors import LedgerInputError, LedgerRolledBackError, RecordNotFoundError
from guard.ledger.head import SignedHead
from guard.ledger.keychain import KeyChain
from guard.ledger.models import Record, RecordDraft
from guard.ledger.reader import readable_record
from guard.ledger.schema import INSERT_RECORD, SELECT_RECORD, SIGNATURE_HEX, record_row
from guard.ledger.signing import ZERO_DIGEST, next_signatures_digest, signatures_digest
from guard.ledger.timeutil import format_utc

_PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000"

StoredRow = tuple[int, str, str, str, str]  # (seq, body, prev_hash, hash, hex signature), as row_to_record reads it


def checked_contents(drafts: list[RecordDraft], recorded_at: datetime) -> list[dict[str, Any]]:
    """Each draft's record content, checked before any transaction opens (a bad draft raises
    LedgerInputError and nothing is locked); id, number and key are filled in by :func:`add`."""
    return [d.content(record_id=_PLACEHOLDER_ID, seq=1, key_id="-", recorded_at=recorded_at) for d in drafts]


def stored_again(conn: sqlite3.Connection, path: Path, record_id: str,
                 draft: RecordDraft) -> tuple[Record, SignedHead | None] | None:
    """The record already stored under ``record_id`` and the ledger's head, or None when the id
    is new. The same id with another decision is refused (LedgerInputError)."""
    row = conn.execute(f"{SELECT_RECORD} WHERE id = ?", (record_id,)).fetchone()
    if row is None:
        return None
    record = readable_record(row, path)
    # The same decision with or without the mark a kept decision is signed with: its first append
    # landed before the app stopped (stored unmarked), or another process signed it from its file
    # while this one still held it (stored marked).
    forms = [draft, draft.changed(kept=None), draft.changed(kept=record.kept)]
    if all(canonical_json(form.content(record_id=record.id, seq=record.seq, key_id=record.key_id,
                                       recorded_at=record.recorded_at), check_floats=False) != row[1]
           for form in forms):
        raise LedgerInputError(f"Record id {record.id} is already used by record {record.seq} of the consent "
                               f"ledger {path}, for another decision; nothing was added.")
    return record, meta.read_head(conn)


def add(conn: sqlite3.Connection, keys: KeyChain, path: Path, contents: list[dict[str, Any]],
        record_id: str | None, recorded_at: datetime) -> tuple[list[StoredRow], SignedHead]:
    """Sign and insert ``contents`` after the newest record; the rows as stored, and the signed
    head that now covers them (for the caller to anchor once the transaction is committed)."""
    rows: list[StoredRow] = []
    last_seq, prev_hash, _ = meta.last_record(conn)
    key = keys.signing_key(conn, last_seq + 1, prev_hash)
    behind_anchor(conn, keys, path, last_seq)
    assert key.signer is not None
    digest = current_signatures_digest(conn, last_seq)
    for content in contents:
        if content["refers_to"] is not None:
            _require(conn, path, content["refers_to"])
        last_seq += 1
        content.update(id=record_id or str(uuid.uuid4()), seq=last_seq, key_id=key.info.key_id)
        body = canonical_json(content, check_floats=False)
        this_hash = record_hash(prev_hash, body)
        signature = key.signer.sign_record(this_hash)
        conn.execute(INSERT_RECORD, record_row(content, body, prev_hash, this_hash, signature))
        rows.append((last_seq, body, prev_hash, this_hash, signature))
        digest = next_signatures_digest(digest, signature)
        prev_hash = this_hash
    head = keys.sign_head(conn, key, last_seq, prev_hash, digest, format_utc(recorded_at))
    return rows, head


def behind_anchor(conn: sqlite3.Connection, keys: KeyChain, path: Path, last_seq: int) -> None:
    """Raise LedgerRolledBackError when the ledger is older than a head anchored outside it: the
    one in its anchor file, or the one the keyring held when this process read it (the keyring
    catches a ledger put back together with its anchor file). It ends before it, or its record
    there is another: records were removed or an older copy was put back. Appending would sign a
    new record in the lost one's place and anchor it over the evidence, and verify would then call
    the ledger intact. An anchor that cannot be read stops nothing here (verify says so)."""
    anchorer = keys.anchorer
    try:
        anchor = anchorer.file.read()
    except AnchorError:
        anchor = None
    if anchor is not None and anchor.head is not None and anchor.ledger_id == anchorer.ledger_id:
        _require_holds(conn, path, last_seq, anchor.head, str(anchorer.file.path))
    if keys.keyring_head is not None:
        _require_holds(conn, path, last_seq, keys.keyring_head, "the keyring")


def _require_holds(conn: sqlite3.Connection, path: Path, last_seq: int, head: SignedHead, where: str) -> None:
    when = head.recorded_at or "an earlier date"
    if head.seq > last_seq:
        why = f"it ends at record {last_seq}, but record {head.seq} was recorded on {when}"
    else:
        row = conn.execute("SELECT hash FROM records WHERE seq = ?", (head.seq,)).fetchone()
        if not head.seq or (row is not None and row[0] == head.hash):
            return
        why = f"its record {head.seq} is not the one recorded on {when}"
    raise LedgerRolledBackError(
        f"Nothing was added to the consent ledger {path}: {why} (anchored in {where}). Records "
        "were removed from it, or an older copy was put back. Put the newest copy back; if this copy is all "
        "there is, 'meeting-guard consent rekey' goes on from it and records in the ledger what verify found.")


def current_signatures_digest(conn: sqlite3.Connection, last_seq: int) -> str:
    """The digest of every record signature up to ``last_seq``: from the signed head when it
    is current, else recomputed (the first Ed25519 head of a ledger from before it)."""
    head = meta.read_head(conn)
    if head is not None and not head.legacy and head.seq == last_seq and head.signatures_digest:
        return head.signatures_digest
    if last_seq == 0:
        return ZERO_DIGEST
    return signatures_digest(str(row[0]) for row in conn.execute(
        f"SELECT {SIGNATURE_HEX} FROM records ORDER BY seq"))


def _require(conn: sqlite3.Connection, path: Path, record_id: str) -> None:
    if conn.execute("SELECT 1 FROM records WHERE id = ?", (record_id,)).fetchone() is None:
        raise RecordNotFoundError(f"No record with id {record_id} in the consent ledger {path} "
                                  "(field 'refers_to').")
