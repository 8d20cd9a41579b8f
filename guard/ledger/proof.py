"""What a stranger needs to check the ledger without this computer, its keyring or the app:
its public keys (fingerprints, which records each signs, when each was made and replaced),
each record's signature, and the signed head; and the pure check itself.

This is the API exports build on (``guard.export``: verify-export, JWS receipts). Nothing in
it names a path, a user or a keyring entry::

    with open_ledger(paths) as ledger:
        proof = ledger.proof()                  # keys + head, one snapshot
        rows = ledger.iter_stored(order="oldest")  # StoredRecord: seq, body, prev_hash, hash, signature
        problems = check_records(rows, proof)   # [] when every record and the head check out

What is signed (guard.ledger.signing): a record's signature is Ed25519 over
``"meeting-privacy-guard/ledger/record/v1\\n" + hash`` with the key whose ``from_seq``
stretch holds the record; the head's over :meth:`SignedHead.message`, which also covers the
digest of every record signature and of every key line. A key record (``PublicKey.record``)
is signed by its own key over ``"meeting-privacy-guard/ledger/key/v1\\n" + record``.
Records from before Ed25519 carry an HMAC only the ledger's owner can check.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from guard.ledger.head import SignedHead
from guard.ledger.key_info import KeyInfo
from guard.ledger.key_status import KeyAlgorithm
from guard.ledger.models import GENESIS_HASH
from guard.ledger.signing import (
    ZERO_DIGEST,
    Verifier,
    key_message,
    keys_digest,
    public_key_from_text,
    record_message,
)


@dataclass(frozen=True)
class PublicKey:
    """One of the ledger's keys as anyone may see it, with the stretch of records it signs."""

    key_id: str
    algorithm: str  # "ed25519", or "hmac-sha256" for a ledger's keys from before Ed25519
    public_key: str | None  # base64 of the 32 raw bytes (Ed25519 only)
    fingerprint: str | None  # SHA-256 (hex) of the raw public key: what a person compares
    check: str  # the value in the head's key lines (the fingerprint, or an HMAC key's check value)
    valid_from_seq: int | None  # the first record it signs (None for keys from before Ed25519: up to valid_to_seq)
    valid_to_seq: int | None  # the last record it signs (None: it still signs new records)
    created_at: str
    replaced_at: str | None  # when the next key was made (None: still in use)
    record: str | None  # the key's own signed record (canonical JSON: follows, why, endorsement)
    record_signature: str | None

    def digest_line(self) -> str:
        start = "" if self.valid_from_seq is None else self.valid_from_seq
        return f"{self.key_id}:{self.algorithm}:{self.check}:{start}"

    def to_dict(self) -> dict[str, Any]:
        return {"key_id": self.key_id, "algorithm": self.algorithm, "public_key": self.public_key,
                "fingerprint": self.fingerprint, "check": self.check, "valid_from_seq": self.valid_from_seq,
                "valid_to_seq": self.valid_to_seq, "created_at": self.created_at, "replaced_at": self.replaced_at,
                "record": self.record, "record_signature": self.record_signature}


@dataclass(frozen=True)
class LedgerProof:
    """The ledger's public keys and signed head, taken in one snapshot with the records."""

    ledger_id: str
    keys: tuple[PublicKey, ...]
    head: SignedHead | None

    def key_for(self, seq: int) -> PublicKey | None:
        """The Ed25519 key that signs record ``seq`` (None for records from before Ed25519)."""
        found = None
        for key in self.keys:
            if key.algorithm == KeyAlgorithm.ED25519 and key.valid_from_seq is not None and key.valid_from_seq <= seq:
                found = key
        return found

    @classmethod
    def from_dict(cls, data: Any) -> LedgerProof:
        """Read back :meth:`to_dict` (e.g. from an export); raises ValueError when malformed."""
        try:
            keys = tuple(PublicKey(**key) for key in data["keys"])
            head = data.get("head")
            return cls(str(data["ledger_id"]), keys, None if head is None else SignedHead.from_dict(
                {"format": 2, **head}))
        except (KeyError, TypeError) as error:
            raise ValueError(f"not a ledger proof ({error!r})") from None

    def to_dict(self) -> dict[str, Any]:
        return {"ledger_id": self.ledger_id, "keys": [key.to_dict() for key in self.keys],
                "head": None if self.head is None else {
                    "seq": self.head.seq, "hash": self.head.hash, "key_id": self.head.key_id,
                    "signature": self.head.signature, "signatures_digest": self.head.signatures_digest,
                    "keys_digest": self.head.keys_digest, "recorded_at": self.head.recorded_at}}


def public_keys(rows: list[KeyInfo]) -> tuple[PublicKey, ...]:
    """The key rows (in the order they were made) as :class:`PublicKey` with their stretches."""
    signing = [info for info in rows if info.algorithm == KeyAlgorithm.ED25519]
    out = []
    for info in rows:
        later = [k for k in signing if (k.from_seq or 0) > (info.from_seq or 0)]
        following = min(later, key=lambda k: k.from_seq or 0) if later else None
        ed25519 = info.algorithm == KeyAlgorithm.ED25519
        if ed25519:
            until: int | None = (following.from_seq or 1) - 1 if following else None
        else:  # an HMAC key signs up to the first Ed25519 key
            until = (signing[0].from_seq or 1) - 1 if signing else None
        replaced = following.created_at if following else (signing[0].created_at if signing and not ed25519 else None)
        out.append(PublicKey(
            info.key_id, str(info.algorithm), info.public_key if ed25519 else None, info.check if ed25519 else None,
            info.check, info.from_seq, until, info.created_at, replaced,
            info.body if ed25519 else None, info.signature if ed25519 else None))
    return tuple(out)


def check_records(rows: Iterable[tuple[Any, ...]], proof: LedgerProof, *, complete: bool = True) -> list[str]:
    """Check records with the proof alone; returns what is wrong, in words, first problem
    first ([] when all is well). ``rows`` are ``(seq, body, prev_hash, hash, signature, ...)``
    in seq order (e.g. ``Ledger.iter_stored``). With ``complete`` the rows must be the whole
    ledger: links, the signatures digest and the head are checked too; a filtered selection
    (``complete=False``) checks each record's own hash and signature."""
    problems: list[str] = []
    verifiers = {key.key_id: Verifier(public_key_from_text(key.public_key)) for key in proof.keys
                 if key.public_key is not None}
    for key in proof.keys:
        verifier = verifiers.get(key.key_id)
        if verifier is not None and (key.record is None or not verifier.verify(key_message(key.record),
                                                                               key.record_signature)):
            problems.append(f"key {key.key_id}: its own record is not signed by it")
    prev, digest, last_seq, last_hash = GENESIS_HASH, ZERO_DIGEST, 0, GENESIS_HASH
    for seq, body, prev_hash, record_hash, signature, *_ in rows:
        if complete and proof.head is not None and seq > proof.head.seq:
            break  # appended after the proof was taken
        if complete and (seq != last_seq + 1 or prev_hash != prev):
            problems.append(f"record {seq}: the chain is broken before it (a record is missing, moved or changed)")
        if hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest() != record_hash:
            problems.append(f"record {seq}: its content does not match its hash (changed)")
        signer = proof.key_for(seq)
        if signer is not None:
            named = json.loads(body).get("key_id")
            if named != signer.key_id or not verifiers[signer.key_id].verify(record_message(record_hash), signature):
                problems.append(f"record {seq}: its signature does not verify with key {signer.key_id}")
        digest = hashlib.sha256((digest + signature).encode("ascii")).hexdigest()
        prev, last_seq, last_hash = record_hash, seq, record_hash
    if complete:
        problems += _check_head(proof, last_seq, last_hash, digest, verifiers)
    return problems


def _check_head(proof: LedgerProof, last_seq: int, last_hash: str, digest: str,
                verifiers: dict[str, Verifier]) -> list[str]:
    head = proof.head
    if head is None:
        return [] if last_seq == 0 else ["the head is missing"]
    if head.legacy:
        return ["the head was written before Ed25519 (an HMAC): only the ledger's owner can check it"]
    if (head.seq, head.hash) != (last_seq, last_hash):
        return [f"the head names record {head.seq}, but the records end at {last_seq} (records missing or added)"]
    if head.signatures_digest != digest:
        return ["record signatures were changed after the head was signed"]
    if head.keys_digest != keys_digest(key.digest_line() for key in proof.keys):
        return ["the list of keys was changed after the head was signed"]
    verifier = verifiers.get(head.key_id)
    if verifier is None or not verifier.verify(head.message(proof.ledger_id), head.signature):
        return ["the head's signature does not verify"]
    return []


def fingerprint_words(fingerprint: str) -> str:
    """A fingerprint grouped for reading aloud: ``SHA256:ab12 cd34 ...`` (first 16 bytes)."""
    raw = bytes.fromhex(fingerprint)[:16]
    return "SHA256:" + " ".join(raw[i:i + 2].hex() for i in range(0, len(raw), 2))


def public_key_der(public_key: str) -> bytes:
    """The raw public key as SubjectPublicKeyInfo DER (for JWK/PEM tools)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key))
    return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
