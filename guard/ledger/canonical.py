"""Canonical record content and the hashes over it. Pure functions, no I/O.

A record's content is one JSON object (see :func:`guard.ledger.validate.draft_content`)
written canonically: keys sorted, UTF-8, no whitespace, no floats (only strings, integers,
null, lists and objects), so the same record always gives the same bytes::

    hash = SHA-256( prev_hash (64 hex chars, ASCII) || canonical content (UTF-8) )

The ledger stores exactly these canonical bytes (the ``body`` column); anyone with the
records can recompute the hashes. Records are signed with Ed25519 over their hash
(guard.ledger.signing); ledgers written before that carry ``HMAC-SHA256(key, hash)``
instead, which the helpers below still check.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any


def canonical_json(value: Any, *, check_floats: bool = True) -> str:
    """Stable JSON text: sorted keys, no whitespace, non-ASCII kept, floats refused.

    ``check_floats=False`` skips the scan for content built by guard.ledger.validate, which
    only ever holds strings, integers, null, lists and objects.
    """
    if check_floats:
        _refuse_floats(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def _refuse_floats(value: Any) -> None:
    if isinstance(value, float):
        raise TypeError("floats are not allowed in ledger records (their text form is ambiguous)")
    if isinstance(value, dict):
        for item in value.values():
            _refuse_floats(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _refuse_floats(item)


def record_hash(prev_hash: str, body: str) -> str:
    """SHA-256 over the previous record's hash and this record's canonical content."""
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


class MacKey:
    """HMAC-SHA256 with one secret, its pads computed once (verifying 100,000 records makes
    100,000 MACs). Same result as ``hmac.new(secret, message, "sha256")``."""

    def __init__(self, secret: bytes) -> None:
        block = (hashlib.sha256(secret).digest() if len(secret) > 64 else secret).ljust(64, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in block))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in block))

    def hexdigest(self, message: bytes) -> str:
        inner = self._inner.copy()
        inner.update(message)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()


def record_mac(key: bytes | MacKey, record_hash_hex: str) -> str:
    signer = key if isinstance(key, MacKey) else MacKey(key)
    return signer.hexdigest(record_hash_hex.encode("ascii"))


def legacy_head_message(seq: int, head_hash: str) -> bytes:
    """What the HMAC of a head written before Ed25519 covers."""
    return f"head:{seq}:{head_hash}".encode("ascii")


def head_mac(key: bytes, seq: int, head_hash: str) -> str:
    """MAC over the ledger's head (last seq and hash), as versions before Ed25519 wrote it."""
    return hmac.digest(key, legacy_head_message(seq, head_hash), "sha256").hex()


def key_check(key: bytes, key_id: str) -> str:
    """A value stored next to a key's name that tells the right key from a replaced one."""
    return hmac.digest(key, f"meeting-privacy-guard ledger key check:{key_id}".encode("ascii"), "sha256").hex()
