"""A row of the ledger's ``keys`` table as a plain value, apart from guard.ledger.keys so that
reading the ledger (its records, its key rows for an export's proof) loads neither the keyring
library nor cryptography."""

from __future__ import annotations

from dataclasses import dataclass

from guard.ledger.key_status import KeyAlgorithm, KeyStorage


@dataclass(frozen=True)
class KeyInfo:
    """A row of the ledger's ``keys`` table: one signing key and where its private part lives.

    ``check`` is the Ed25519 public key's fingerprint (SHA-256 of the raw key, hex), or for an
    HMAC secret its check value. An Ed25519 row is itself a signed record: ``body`` (canonical
    JSON naming the key, the seq of the first record it signs and the key it follows) signed
    by the key itself in ``signature``.
    """

    key_id: str
    username: str
    storage: KeyStorage
    check: str
    created_at: str
    reason: str | None = None  # why the key file was used instead of the keyring
    algorithm: KeyAlgorithm = KeyAlgorithm.HMAC
    public_key: str | None = None  # Ed25519: base64 of the 32-byte public key
    from_seq: int | None = None  # Ed25519: the first record this key signs
    body: str | None = None
    signature: str | None = None

    def digest_line(self) -> str:
        """This key's line in the head's ``keys_digest`` (see guard.ledger.signing): only what
        an export may show (no keyring entry name, no storage), so anyone can recompute it."""
        return f"{self.key_id}:{self.algorithm}:{self.check}:{'' if self.from_seq is None else self.from_seq}"
