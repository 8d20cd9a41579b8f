"""Ed25519 signatures over the ledger: exactly which bytes are signed, written down once so
that anyone (``meeting-guard verify-export``, a regulator with Python and ``cryptography``)
can check them with the public key alone. Pure functions and one small key class; no I/O.

What is signed (all text ASCII, fields separated by a line feed)::

    record  = "meeting-privacy-guard/ledger/record/v1\\n" + hash
    head    = "meeting-privacy-guard/ledger/head/v1\\n" + ledger_id + "\\n" + seq + "\\n" + hash
              + "\\n" + signatures_digest + "\\n" + keys_digest
    key row = "meeting-privacy-guard/ledger/key/v1\\n" + body      (the key's own canonical JSON)

``hash`` is the record's SHA-256 hex (see guard.ledger.canonical). ``signatures_digest``
chains every record's signature (``d_0`` = 64 zeros, ``d_n`` = SHA-256(d_(n-1) + signature_n)),
and ``keys_digest`` covers every key row (:func:`keys_digest`), so one head signature vouches
for every record, every record signature and every key the ledger lists. Signatures and
fingerprints are lowercase hex; a fingerprint is the SHA-256 of the 32-byte raw public key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # cryptography loads with the first key: reading the ledger's records needs none
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

RECORD_CONTEXT = "meeting-privacy-guard/ledger/record/v1"
HEAD_CONTEXT = "meeting-privacy-guard/ledger/head/v1"
KEY_CONTEXT = "meeting-privacy-guard/ledger/key/v1"
ENDORSE_CONTEXT = "meeting-privacy-guard/ledger/endorse/v1"
ZERO_DIGEST = "0" * 64
_TEXT_PREFIX = "ed25519:"


def record_message(record_hash: str) -> bytes:
    return f"{RECORD_CONTEXT}\n{record_hash}".encode("ascii")


def head_message(ledger_id: str, seq: int, head_hash: str, signatures_digest: str, keys_digest: str) -> bytes:
    return f"{HEAD_CONTEXT}\n{ledger_id}\n{seq}\n{head_hash}\n{signatures_digest}\n{keys_digest}".encode("ascii")


def key_message(body: str) -> bytes:
    return f"{KEY_CONTEXT}\n{body}".encode()


def endorse_message(fingerprint: str) -> bytes:
    """What a ledger's previous key signs (or MACs) to hand over to the next one."""
    return f"{ENDORSE_CONTEXT}\n{fingerprint}".encode("ascii")


def next_signatures_digest(previous: str, signature: str) -> str:
    return hashlib.sha256((previous + signature).encode("ascii")).hexdigest()


def signatures_digest(signatures: Iterable[str], start: str = ZERO_DIGEST) -> str:
    digest = start
    sha256 = hashlib.sha256
    for signature in signatures:
        digest = sha256((digest + signature).encode("ascii")).hexdigest()
    return digest


def keys_digest(lines: Iterable[str]) -> str:
    """SHA-256 over the ledger's key lines, joined by line feeds, in the order the keys were
    created; each line is ``key_id:algorithm:fingerprint-or-check:from_seq`` (``from_seq``
    empty for keys from before Ed25519)."""
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def fingerprint(public_raw: bytes) -> str:
    return hashlib.sha256(public_raw).hexdigest()


def public_key_from_text(text: str) -> bytes:
    """The 32 raw bytes of a base64 public key (as stored in a key row)."""
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError) as error:
        raise ValueError(f"not a base64 public key ({error})") from None
    if len(raw) != 32:
        raise ValueError(f"an Ed25519 public key has 32 bytes, not {len(raw)}")
    return raw


class Verifier:
    """An Ed25519 public key that checks the ledger's signatures."""

    __slots__ = ("_invalid", "_key", "fingerprint", "raw")

    def __init__(self, public_raw: bytes) -> None:
        self.raw = public_raw
        self.fingerprint = fingerprint(public_raw)
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        self._key = Ed25519PublicKey.from_public_bytes(public_raw)
        self._invalid = InvalidSignature

    def verify(self, message: bytes, signature_hex: object) -> bool:
        if not isinstance(signature_hex, str) or len(signature_hex) != 128:
            return False
        try:
            self._key.verify(bytes.fromhex(signature_hex), message)
        except (self._invalid, ValueError):
            return False
        return True


class SigningKey:
    """An Ed25519 private key (kept in the keyring, or the key file without one)."""

    __slots__ = ("_private", "verifier")

    def __init__(self, private: Ed25519PrivateKey) -> None:
        from cryptography.hazmat.primitives import serialization

        self._private = private
        raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.verifier = Verifier(raw)

    @classmethod
    def generate(cls) -> SigningKey:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_text(cls, text: str) -> SigningKey:
        """Read the stored form ``ed25519:<base64 of the 32-byte private key>``."""
        if not text.startswith(_TEXT_PREFIX):
            raise ValueError("not an Ed25519 ledger key")
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        try:
            raw = base64.b64decode(text[len(_TEXT_PREFIX):].encode("ascii"), validate=True)
            return cls(Ed25519PrivateKey.from_private_bytes(raw))
        except (binascii.Error, UnicodeEncodeError, ValueError) as error:
            raise ValueError(f"damaged Ed25519 ledger key ({error})") from None

    def to_text(self) -> str:
        from cryptography.hazmat.primitives import serialization

        raw = self._private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                          serialization.NoEncryption())
        return _TEXT_PREFIX + base64.b64encode(raw).decode("ascii")

    @property
    def public_text(self) -> str:
        return base64.b64encode(self.verifier.raw).decode("ascii")

    @property
    def fingerprint(self) -> str:
        return self.verifier.fingerprint

    def sign(self, message: bytes) -> str:
        return self._private.sign(message).hex()

    def sign_record(self, record_hash: str) -> str:
        return self.sign(record_message(record_hash))


def is_signing_key_text(text: str) -> bool:
    return text.startswith(_TEXT_PREFIX)
