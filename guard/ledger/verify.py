"""Walk the hash chain and name the first problem by its sequence number. Pure: stored rows
and the keys in, a :class:`ChainResult` out (guard.ledger.audit adds the keys' trust, the
head and the anchors).

The walk recomputes every record's hash and link, chains every signature into the digest
the head signs, checks the HMAC of records from before Ed25519 where the secret is at hand,
and checks that each record names the key in use at its place. Each Ed25519 signature is
checked one by one only when asked (``each_signature``): one signed head vouches for them all
through the digest, which is what makes checking 100,000 records take a fraction of a second.
"""

from __future__ import annotations

import bisect
import hashlib
import hmac
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from guard.ledger.canonical import MacKey
from guard.ledger.models import GENESIS_HASH
from guard.ledger.report import Problem, ProblemKind, VerifyReport, earliest
from guard.ledger.schema import SIGNATURE_HEX
from guard.ledger.signing import ZERO_DIGEST, Verifier, record_message

__all__ = ["CHAIN_QUERY", "ChainResult", "Problem", "ProblemKind", "VerifyReport", "column_edited", "earliest",
           "walk_chain"]

CHAIN_QUERY = f"SELECT seq, key_id, prev_hash, hash, {SIGNATURE_HEX}, body FROM records ORDER BY seq"


@dataclass
class ChainResult:
    count: int = 0
    last_seq: int = 0
    last_hash: str = GENESIS_HASH
    signatures_digest: str = ZERO_DIGEST
    macs_checked: int = 0
    signatures_checked: int = 0
    problem: Problem | None = None  # the first sign of tampering or deletion in the records
    first_seq: dict[str, int] = field(default_factory=dict)  # key id -> first record naming it
    last: dict[str, tuple[int, str, str]] = field(default_factory=dict)  # key id -> (seq, hash, signature)
    unchecked_macs: dict[str, int] = field(default_factory=dict)  # HMAC key without its secret -> first seq


@dataclass(frozen=True)
class Segments:
    """Which Ed25519 key signs which records: key ``ids[i]`` from seq ``starts[i]`` on."""

    starts: tuple[int, ...] = ()
    ids: tuple[str, ...] = ()

    def key_at(self, seq: int) -> str | None:
        i = bisect.bisect_right(self.starts, seq) - 1
        return self.ids[i] if i >= 0 else None

    def end_of(self, seq: int) -> int:
        """The first seq after the stretch that holds ``seq``."""
        i = bisect.bisect_right(self.starts, seq)
        return self.starts[i] if i < len(self.starts) else 2**63


def walk_chain(rows: Iterable[tuple[Any, ...]], *, segments: Segments, macs: Mapping[str, MacKey | None],
               verifiers: Mapping[str, Verifier], each_signature: bool,
               seq_of_hash: Callable[[str], int | None]) -> ChainResult:
    """Walk ``rows`` (from :data:`CHAIN_QUERY`, in seq order); stop at the first problem.

    ``macs`` maps each HMAC key id to its secret (None when the secret is not at hand);
    ``verifiers`` each Ed25519 key id the file lists to its public key. A key id in neither
    is collected in ``first_seq`` for the caller to judge (an unknown or removed key).
    """
    result = ChainResult()
    sha256 = hashlib.sha256
    digest = ZERO_DIGEST
    expected_seq, expected_prev = 1, GENESIS_HASH
    first_ed25519 = segments.starts[0] if segments.starts else None
    first_seq, last = result.first_seq, result.last
    fast_key, fast_until = None, 0  # the Ed25519 key that signs up to (not including) seq fast_until
    for seq, key_id, prev_hash, stored_hash, signature, body in rows:
        if seq != expected_seq:
            gap = f"{expected_seq}" if seq == expected_seq + 1 else f"{expected_seq} to {seq - 1}"
            result.problem = Problem(ProblemKind.MISSING, expected_seq,
                                     f"record {gap} is missing (deleted): the ledger jumps from seq "
                                     f"{expected_seq - 1} to {seq}")
            break
        try:
            computed: str | None = sha256((prev_hash + body).encode("utf-8")).hexdigest()
        except (TypeError, ValueError, AttributeError):  # a column holds what no record can (e.g. a number)
            computed = None
        if prev_hash != expected_prev:
            result.problem = _broken_link(seq, prev_hash, computed, stored_hash, seq_of_hash)
            break
        if computed != stored_hash:
            result.problem = Problem(ProblemKind.EDITED, seq, f"record {seq} was changed after it was written: its "
                                                              "content no longer matches its hash")
            break
        if not isinstance(signature, str):
            result.problem = Problem(ProblemKind.BAD_SIGNATURE, seq, f"record {seq} has no signature")
            break
        if key_id not in first_seq:
            first_seq[key_id] = seq
        if key_id != fast_key or seq >= fast_until or each_signature:  # the common case skips the call
            problem = _check_key(result, seq, key_id, stored_hash, signature, segments, first_ed25519, macs,
                                 verifiers, each_signature)
            if problem is not None:
                result.problem = problem
                break
            if key_id in verifiers:
                fast_key, fast_until = key_id, segments.end_of(seq)
        last[key_id] = (seq, stored_hash, signature)
        digest = sha256((digest + signature).encode("ascii")).hexdigest()
        result.count += 1
        result.last_seq, result.last_hash = seq, stored_hash
        expected_seq, expected_prev = seq + 1, stored_hash
    result.signatures_digest = digest
    return result


def _check_key(result: ChainResult, seq: int, key_id: str, stored_hash: str, signature: str, segments: Segments,
               first_ed25519: int | None, macs: Mapping[str, MacKey | None], verifiers: Mapping[str, Verifier],
               each_signature: bool) -> Problem | None:
    if key_id in macs:
        if first_ed25519 is not None and seq >= first_ed25519:
            return Problem(ProblemKind.BAD_SIGNATURE, seq,
                           f"record {seq} names the old HMAC key {key_id!r}, but records from seq {first_ed25519} "
                           "on are signed with Ed25519: it was not written by the app")
        signer = macs[key_id]
        if signer is None:
            result.unchecked_macs.setdefault(key_id, seq)
        elif not hmac.compare_digest(signer.hexdigest(stored_hash.encode("ascii")), signature):
            return Problem(ProblemKind.MAC_MISMATCH, seq, f"record {seq} has a valid hash but a wrong MAC: it was "
                                                          "rewritten by someone without the ledger's key")
        else:
            result.macs_checked += 1
        return None
    verifier = verifiers.get(key_id)
    if verifier is None:
        return None  # a key the file does not list: judged by the caller (unknown or removed)
    expected = segments.key_at(seq)
    if expected != key_id:
        owner = f"key {expected!r}" if expected else "no Ed25519 key"
        return Problem(ProblemKind.BAD_SIGNATURE, seq, f"record {seq} names key {key_id!r}, but {owner} signs the "
                                                       f"records at that place: it was not written by the app")
    if each_signature:
        if not verifier.verify(record_message(stored_hash), signature):
            return bad_signature(seq)
        result.signatures_checked += 1
    return None


def bad_signature(seq: int) -> Problem:
    return Problem(ProblemKind.BAD_SIGNATURE, seq, f"record {seq}'s signature does not verify with its key: it was "
                                                   "rewritten by someone without the ledger's key")


def column_edited(seq: int, column: str) -> Problem:
    """A repeated column (used by the filters) no longer agrees with the signed record."""
    return Problem(ProblemKind.EDITED, seq,
                   f"record {seq} was changed after it was written: its '{column}' column no longer matches "
                   "the signed record")


def _broken_link(seq: int, prev_hash: str, computed: str | None, stored_hash: str,
                 seq_of_hash: Callable[[str], int | None]) -> Problem:
    elsewhere = seq_of_hash(prev_hash)
    if elsewhere is not None and elsewhere != seq:
        return Problem(ProblemKind.REORDERED, seq,
                       f"record {seq} is out of order: it was written after the record now at seq {elsewhere}")
    if computed != stored_hash:
        return Problem(ProblemKind.EDITED, seq,
                       f"record {seq} was changed after it was written: its link to the previous record "
                       "and its hash no longer match")
    return Problem(ProblemKind.MISSING, seq,
                   f"the record before seq {seq} is missing: record {seq} was chained to a record that is "
                   "no longer in the ledger")
