"""Check a consent receipt's JWS (``receipt-<id>.jws``, guard.export.receipts) with the file and,
ideally, the ledger owner's public key. Pure: the token's text (and the key) in, a
:class:`ReceiptCheck` out.

A JWS names its own algorithm and may carry a key, so a careless check can be made to pass by
anyone: ``alg: none``, an HMAC keyed with the public key's text, a ``jwk``/``jku``/``x5c`` in the
header, or simply a receipt signed with a key of one's own and carrying that key in
``publicKey``. Here the algorithm is EdDSA (Ed25519) whatever the header says, a header that
asks for anything else is NOT intact, and a key in the header is never used. The key is the one
given (``--key``); without one, the key the receipt carries is used and the result says that
this proves nothing until its fingerprint is compared with the owner's. The ledger record the
receipt embeds is checked too: its hash, its ledger signature by the same key, and that it is
the consent the receipt states.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from guard.export.verify_export import ExportFormatError, canonical
from guard.ledger.signing import Verifier, record_message

HEADER_FIELDS = frozenset({"alg", "kid", "typ", "cty"})  # what this app writes, nothing else
EXTENSION = "x-meetingPrivacyGuard"
_CHAIN_FIELDS = ("prev_hash", "hash", "signature")


@dataclass
class ReceiptCheck:
    """The outcome: ``ok`` only when the signature, the header and the embedded record check out."""

    receipt_id: str | None = None
    key_id: str | None = None
    fingerprint: str | None = None  # SHA-256 of the key the signature was checked with
    key_given: bool = False  # checked with the key the user gave, not the one the receipt carries
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.problems:
            return f"NOT intact: {self.problems[0]}"
        whose = "the key you gave" if self.key_given else "the key the receipt itself carries"
        return f"intact: receipt {self.receipt_id}, signed with key {self.key_id} ({whose})"

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "summary": self.summary(), "receipt": self.receipt_id, "key_id": self.key_id,
                "fingerprint": self.fingerprint, "key_given": self.key_given, "problems": list(self.problems),
                "notes": list(self.notes)}


def public_key_from_pem(data: bytes) -> bytes:
    """The 32 raw bytes of an Ed25519 public key in PEM (``ledger-public-key.pem``); ValueError if not one."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError) as error:
        raise ValueError(f"not a PEM public key ({error})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _b64(part: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError) as error:
        raise ExportFormatError(f"not a JWS compact serialisation ({error})") from None


def verify_receipt(token: str, key: bytes | None = None) -> ReceiptCheck:
    """Check a receipt's JWS ``token``; ``key``: the owner's raw Ed25519 public key, if at hand.
    Raises ExportFormatError when the text is not a JWS with a JSON header and payload."""
    parts = token.strip().split(".")
    if len(parts) != 3 or not all(parts[:2]):
        raise ExportFormatError("not a JWS compact serialisation (header.payload.signature)")
    try:
        header, payload = json.loads(_b64(parts[0])), json.loads(_b64(parts[1]))
    except (ValueError, RecursionError) as error:
        raise ExportFormatError(f"the JWS's header or payload is not JSON ({error})") from None
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise ExportFormatError("the JWS's header or payload is not a JSON object")
    check = ReceiptCheck(receipt_id=str(payload.get("consentReceiptID")), key_id=str(header.get("kid")))
    try:
        _check(check, header, payload, parts, key)
    except (AttributeError, TypeError, KeyError, ValueError) as error:
        check.problems.append(f"the receipt was changed: it is not shaped as this app writes it "
                              f"({type(error).__name__}: {str(error)[:120]})")
    return check


def _check(check: ReceiptCheck, header: dict[str, Any], payload: dict[str, Any], parts: list[str],
           key: bytes | None) -> None:
    extra = sorted(set(header) - HEADER_FIELDS)
    if header.get("alg") != "EdDSA" or extra:
        asked = f"alg {header.get('alg')!r}" + (f" and {', '.join(extra)}" if extra else "")
        check.problems.append(f"its header asks for {asked}: receipts are signed with EdDSA (Ed25519) only, and a "
                              "key named in the token itself is never trusted")
        return
    carried = payload.get("publicKey")
    if key is None:
        if not isinstance(carried, str):
            check.problems.append("it carries no public key and none was given (--key ledger-public-key.pem)")
            return
        key = public_key_from_pem(carried.encode("ascii"))
    else:
        check.key_given = True
        if isinstance(carried, str) and public_key_from_pem(carried.encode("ascii")) != key:
            check.notes.append("the public key the receipt carries is not the one you gave")
    verifier = Verifier(key)
    check.fingerprint = verifier.fingerprint
    signature = _b64(parts[2])
    if not verifier.verify(f"{parts[0]}.{parts[1]}".encode("ascii"), signature.hex()):
        whose = "the key you gave" if check.key_given else "the key it carries"
        check.problems.append(f"its signature does not verify with {whose} (fingerprint {verifier.fingerprint})")
        return
    problem = _record_problem(payload, header, verifier)
    if problem:
        check.problems.append(problem)
        return
    if not check.key_given:
        check.notes.append("checked with the key the receipt itself carries: anyone can sign a receipt with a key of "
                           "their own and put that key in it, so this proves nothing until the fingerprint is the one "
                           "the ledger's owner reads from 'meeting-guard consent verify' (or give --key)")


def _record_problem(payload: dict[str, Any], header: dict[str, Any], verifier: Verifier) -> str | None:
    """The ledger record the receipt embeds: its own hash and signature, and that it is this consent."""
    extension = payload.get(EXTENSION)
    if not isinstance(extension, dict) or not isinstance(extension.get("record"), dict):
        return "it embeds no ledger record"
    record: dict[str, Any] = extension["record"]
    signed_with = extension.get("signedWith") or {}
    if signed_with.get("key_id") != header.get("kid"):
        return f"its header names key {header.get('kid')!r} but the receipt says key {signed_with.get('key_id')!r}"
    content = {name: value for name, value in record.items() if name not in _CHAIN_FIELDS}
    record_hash = record.get("hash")
    if hashlib.sha256((str(record.get("prev_hash")) + canonical(content)).encode("utf-8")).hexdigest() != record_hash:
        return "the ledger record it embeds was changed: its content no longer matches its hash"
    if not verifier.verify(record_message(str(record_hash)), record.get("signature")):
        return "the ledger record it embeds is not signed by the same key"
    occurred = datetime.fromisoformat(str(content.get("occurred_at")).replace("Z", "+00:00"))
    if (payload.get("consentReceiptID") != content.get("id") or content.get("decision") != "given"
            or payload.get("consentTimestamp") != int(occurred.timestamp())):
        return "the receipt does not state the consent its embedded ledger record holds (id, decision or time)"
    return None
