"""Which key signs the next record, and making new ones: the ledger's first key, the move
from HMAC secrets to Ed25519 (a ledger written by an older version), and ``rekey``.

A new key is itself a signed record in the ``keys`` table: its body names the ledger, the key,
the first record it signs and the hash before it, the key it follows and why, and carries
that earlier key's endorsement when the earlier key can still sign. Before the row is
committed the key is anchored outside the file (guard.ledger.anchoring), so only keys this
computer made are ever trusted.
"""

from __future__ import annotations

import dataclasses
import hmac
import logging
import sqlite3
import uuid
from pathlib import Path
from typing import Any

from guard.i18n import N_, Text
from guard.ledger import meta
from guard.ledger.anchor import AnchoredKey, AnchorError, KeyringAnchor
from guard.ledger.anchoring import Anchorer
from guard.ledger.canonical import canonical_json
from guard.ledger.errors import LedgerKeyError
from guard.ledger.head import SignedHead
from guard.ledger.keys import KeyInfo, KeyVault, LoadedKey
from guard.ledger.key_status import KeyAlgorithm, KeyState, KeyStatus
from guard.ledger.schema import INSERT_KEY, KEY_COLUMNS, key_row, row_to_key
from guard.ledger.signing import endorse_message, key_message
from guard.ledger.timeutil import format_utc, utc_now

log = logging.getLogger(__name__)

MIGRATION_REASON = "migration from HMAC-SHA256 MACs to Ed25519 signatures"


class KeyChain:
    """The signing keys of one open ledger (shared by its threads under the ledger's lock)."""

    def __init__(self, path: Path, vault: KeyVault, anchorer: Anchorer) -> None:
        self.path = path
        self.vault = vault
        self.anchorer = anchorer
        self._loaded: dict[str, LoadedKey] = {}
        self._trusted: set[str] = set()  # keys checked against the anchor by this process
        # the head the keyring's anchor held when this process read it (checking the signing key):
        # an append refuses a ledger that does not hold it (guard.ledger.appending.behind_anchor)
        self.keyring_head: SignedHead | None = None

    def load(self, info: KeyInfo) -> LoadedKey:
        """The key of ``info`` with its private part when readable (cached while usable)."""
        cached = self._loaded.get(info.key_id)
        if cached is not None and cached.status.usable and cached.info == info:
            return cached
        loaded = self.vault.load(info)
        self._loaded[info.key_id] = loaded
        return loaded

    def status(self, conn: sqlite3.Connection) -> KeyStatus:
        """Where the current signing key lives and whether it can be used (read afresh)."""
        key_id = meta.get(conn, "current_key_id")
        row = conn.execute(f"SELECT {KEY_COLUMNS} FROM keys WHERE key_id = ?", (key_id,)).fetchone()
        if row is None:
            return self.vault.planned_status()
        self._loaded.pop(str(key_id), None)
        return self.load(row_to_key(row)).status

    def signing_key(self, conn: sqlite3.Connection, next_seq: int, prev_hash: str) -> LoadedKey:
        """The key for record ``next_seq`` (inside the append's write transaction)."""
        key_id = meta.get(conn, "current_key_id")
        if key_id is None:
            return self.new_key(conn, next_seq, prev_hash, None, "the ledger's first key")
        row = conn.execute(f"SELECT {KEY_COLUMNS} FROM keys WHERE key_id = ?", (key_id,)).fetchone()
        if row is None:
            raise LedgerKeyError(f"The consent ledger {self.path} names a signing key ({key_id}) it has no "
                                 "record of. Run 'meeting-guard consent verify', then 'consent rekey'.")
        loaded = self.load(row_to_key(row))
        if loaded.info.algorithm == KeyAlgorithm.HMAC:
            return self.new_key(conn, next_seq, prev_hash, loaded if loaded.can_sign else None, MIGRATION_REASON)
        if not loaded.can_sign:
            raise LedgerKeyError(Text.of(N_("Cannot sign a new record in the consent ledger {path}: {status}"),
                                         path=str(self.path), status=loaded.status.text()))
        self._require_trusted(loaded.info)
        return loaded

    def is_trusted(self, info: KeyInfo) -> bool:
        try:
            self._require_trusted(info)
        except LedgerKeyError:
            return False
        return True

    def new_key(self, conn: sqlite3.Connection, next_seq: int, prev_hash: str, previous: LoadedKey | None,
                why: str) -> LoadedKey:
        """Make, anchor and list a new Ed25519 key that signs from record ``next_seq`` on."""
        key_id = uuid.uuid4().hex[:16]
        ledger_id = meta.ledger_id(conn)
        username = f"consent-ledger-{ledger_id}-{key_id}"
        signer, storage, fallback, status = self.vault.create_signing_key(username)
        created_at = format_utc(utc_now())
        body = canonical_json({
            "format": 1, "kind": "ledger-key", "ledger_id": ledger_id, "key_id": key_id, "algorithm": "ed25519",
            "public_key": signer.public_text, "fingerprint": signer.fingerprint, "created_at": created_at,
            "from_seq": next_seq, "after_hash": prev_hash,
            "follows": previous.info.key_id if previous else None, "why": why,
            "endorsement": _endorsement(previous, signer.fingerprint),
        })
        info = KeyInfo(key_id, username, storage, signer.fingerprint, created_at, fallback, KeyAlgorithm.ED25519,
                       signer.public_text, next_seq, body, signer.sign(key_message(body)))
        self._anchor_new_key(info)
        conn.execute(INSERT_KEY, key_row(info))
        meta.put(conn, "current_key_id", key_id)
        loaded = LoadedKey(info, None, status, signer)
        self._loaded[key_id] = loaded
        self._trusted.add(key_id)
        log.info("Ledger %s signs from record %s with Ed25519 key %s (%s; %s)", self.path, next_seq, key_id,
                 status.where(), why)
        return loaded

    def sign_head(self, conn: sqlite3.Connection, key: LoadedKey, seq: int, head_hash: str, signatures_digest: str,
                  recorded_at: str | None) -> SignedHead:
        assert key.signer is not None
        head = SignedHead(seq, head_hash, key.info.key_id, "", signatures_digest, meta.current_keys_digest(conn),
                          recorded_at)
        head = dataclasses.replace(head, signature=key.signer.sign(head.message(meta.ledger_id(conn))))
        meta.write_head(conn, head)
        return head

    def forget(self) -> None:
        """Read every key afresh next time (after verify found one lost or replaced)."""
        self._loaded.clear()
        self._trusted.clear()

    def go_on_from_here(self) -> None:
        """``rekey``: the user goes on from this copy; a later head the keyring held stops no append
        (the keyring keeps it, for verify to report, until the new head replaces it)."""
        self.keyring_head = None

    def _anchor_new_key(self, info: KeyInfo) -> None:
        had_anchor = False  # does the keyring hold this ledger's anchor (so it must hold the new key too)?
        if KeyringAnchor.available():
            try:
                had_anchor = self.anchorer.keyring.read() is not None
            except AnchorError:  # cannot read it now: the anchor file says whether it ever held one
                try:
                    found = self.anchorer.file.read()
                except AnchorError:
                    found = None
                had_anchor = found is not None and found.in_keyring_since is not None
        self.anchorer.problem = None
        self.anchorer.anchor_keys([AnchoredKey.of(info, info.created_at)])
        if had_anchor and self.anchorer.problem:
            raise LedgerKeyError(f"Could not start a new signing key for the consent ledger {self.path}: "
                                 f"{self.anchorer.problem}. Without its anchor a key of this computer's would "
                                 "look like a forger's. Unlock the keyring and try again; nothing was written.")

    def _require_trusted(self, info: KeyInfo) -> None:
        if info.key_id in self._trusted:
            return
        anchor, where = None, ""
        if KeyringAnchor.available():
            try:
                anchor, where = self.anchorer.keyring.read(), "the keyring"
                self.keyring_head = anchor.head if anchor is not None else None
            except AnchorError as error:
                log.warning("Could not read the ledger's anchor from the keyring (%s); using the anchor file", error)
        if anchor is None:
            try:
                anchor, where = self.anchorer.file.read(), "the anchor file"
            except AnchorError as error:
                log.warning("Could not read the ledger's anchor file: %s", error)
        if anchor is None:
            log.warning("The ledger %s has no anchor yet; its key %s is used as found", self.path, info.key_id)
            return
        anchored = anchor.key(info.key_id)
        problem = "it is not among them" if anchored is None else (
            f"its {field} differs" if (field := anchored.differs_from(info)) else None)
        if problem:
            raise LedgerKeyError(
                f"The consent ledger {self.path} asks to sign with key {info.key_id}, which is not one this computer "
                f"made for it (the keys it made are anchored in {where}; {problem}). The ledger file may have been "
                "tampered with; nothing was written. Run 'meeting-guard consent verify', then 'consent rekey' to "
                "sign new records with a new key of this computer's.")
        self._trusted.add(info.key_id)


def _endorsement(previous: LoadedKey | None, fingerprint: str) -> dict[str, Any] | None:
    """The previous key's word that the new key follows it (when it can still sign)."""
    if previous is None or previous.status.state != KeyState.OK:
        return None
    message = endorse_message(fingerprint)
    if previous.signer is not None:
        return {"key_id": previous.info.key_id, "algorithm": "ed25519", "signature": previous.signer.sign(message)}
    if previous.secret is not None:
        return {"key_id": previous.info.key_id, "algorithm": "hmac-sha256",
                "mac": hmac.digest(previous.secret, message, "sha256").hex()}
    return None
