"""Check the hash chain and the MACs, and name the first problem by its sequence number.
Pure: stored rows, keys and the ledger's head in; a :class:`ChainResult` out.

Kinds of problem, in the words ``verify`` uses:

* ``missing``: a record was deleted (a gap in seq, a record chained to one no longer there,
  or records gone from the end while the signed head still names them);
* ``reordered``: a record sits where another one should (it is chained to a record now at
  a different place);
* ``edited``: a record's content no longer matches its hash;
* ``mac-mismatch``: content and hash agree but the MAC does not: rewritten by someone
  without the key;
* ``key-replaced`` / ``key-lost`` / ``key-unavailable``: the signing key is not the one that
  signed, or cannot be found or read. A lost key is not tampering: the hash chain is still
  checked, only the MACs cannot be.
* ``corrupt``: the file itself is damaged (SQLite's own check failed).
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from guard.ledger.canonical import MacKey, head_mac, record_hash
from guard.ledger.keys import KeyState, KeyStatus, LoadedKey
from guard.ledger.models import GENESIS_HASH


class ProblemKind(StrEnum):
    MISSING = "missing"
    REORDERED = "reordered"
    EDITED = "edited"
    MAC_MISMATCH = "mac-mismatch"
    KEY_REPLACED = "key-replaced"
    KEY_LOST = "key-lost"
    KEY_UNAVAILABLE = "key-unavailable"
    CORRUPT = "corrupt"

    @property
    def is_tampering(self) -> bool:
        return self in (ProblemKind.MISSING, ProblemKind.REORDERED, ProblemKind.EDITED,
                        ProblemKind.MAC_MISMATCH, ProblemKind.KEY_REPLACED)


@dataclass(frozen=True)
class Problem:
    kind: ProblemKind
    seq: int | None
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"kind": str(self.kind), "seq": self.seq, "message": self.message}


@dataclass(frozen=True)
class Head:
    """The ledger's signed note of its newest record (kept in the meta table)."""

    seq: int
    hash: str
    key_id: str
    mac: str


@dataclass
class ChainResult:
    count: int = 0
    last_seq: int = 0
    last_hash: str = GENESIS_HASH
    macs_checked: int = 0
    problem: Problem | None = None  # the first sign of tampering or deletion
    key_problem: Problem | None = None  # the first record whose MAC could not be checked
    _keys_reported: set[str] = field(default_factory=set)


_KEY_KINDS = {KeyState.LOST: ProblemKind.KEY_LOST, KeyState.UNAVAILABLE: ProblemKind.KEY_UNAVAILABLE,
              KeyState.REPLACED: ProblemKind.KEY_REPLACED, KeyState.NONE: ProblemKind.KEY_LOST}


CHAIN_QUERY = "SELECT seq, key_id, prev_hash, hash, mac, body FROM records ORDER BY seq"


def verify_chain(rows: Iterable[tuple], keys: Mapping[str, LoadedKey], head: Head | None,
                 seq_of_hash: Callable[[str], int | None]) -> ChainResult:
    """Walk ``rows`` (from :data:`CHAIN_QUERY`, in seq order) and stop at the first problem.

    ``seq_of_hash`` finds where a record with a given hash sits now (tells a reordered
    record from one whose predecessor was deleted).
    """
    result = ChainResult()
    signers = {key_id: MacKey(key.secret) for key_id, key in keys.items() if key.secret is not None}
    expected_seq, expected_prev = 1, GENESIS_HASH
    for seq, key_id, prev_hash, stored_hash, mac, body in rows:
        if seq != expected_seq:
            gap = f"{expected_seq}" if seq == expected_seq + 1 else f"{expected_seq} to {seq - 1}"
            result.problem = Problem(ProblemKind.MISSING, expected_seq,
                                     f"record {gap} is missing (deleted): the ledger jumps from seq "
                                     f"{expected_seq - 1} to {seq}")
            return result
        try:
            computed: str | None = record_hash(prev_hash, body)
        except (TypeError, ValueError):  # a column holds what no record can (e.g. a number)
            computed = None
        if prev_hash != expected_prev:
            result.problem = _broken_link(seq, prev_hash, computed, stored_hash, seq_of_hash)
            return result
        if computed != stored_hash:
            result.problem = Problem(ProblemKind.EDITED, seq,
                                     f"record {seq} was changed after it was written: its content no longer "
                                     "matches its hash")
            return result
        key = keys.get(key_id)
        signer = signers.get(key_id)
        if key is None:
            result.problem = Problem(ProblemKind.MAC_MISMATCH, seq,
                                     f"record {seq} is signed with a key this ledger does not know "
                                     f"({key_id!r}): it was not written by the app")
            return result
        if signer is None:
            _note_key_problem(result, key.status, key_id, seq)
        elif not isinstance(mac, str) or not hmac.compare_digest(signer.hexdigest(stored_hash.encode("ascii")), mac):
            result.problem = Problem(ProblemKind.MAC_MISMATCH, seq,
                                     f"record {seq} has a valid hash but a wrong MAC: it was rewritten by "
                                     "someone without the ledger's key")
            return result
        else:
            result.macs_checked += 1
        result.count += 1
        result.last_seq, result.last_hash = seq, stored_hash
        expected_seq, expected_prev = seq + 1, stored_hash
    result.problem = _check_head(result, head, keys)
    return result


def column_edited(seq: int, column: str) -> Problem:
    """A repeated column (used by the filters) no longer agrees with the signed record."""
    return Problem(ProblemKind.EDITED, seq,
                   f"record {seq} was changed after it was written: its '{column}' column no longer matches "
                   "the signed record")


def earliest(*problems: Problem | None) -> Problem | None:
    """The problem with the lowest seq (the first one given wins a tie)."""
    found = [p for p in problems if p is not None]
    if not found:
        return None
    return min(found, key=lambda p: float("inf") if p.seq is None else p.seq)


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


def _note_key_problem(result: ChainResult, status: KeyStatus, key_id: str, seq: int) -> None:
    if key_id in result._keys_reported:
        return
    result._keys_reported.add(key_id)
    if result.key_problem is None:
        kind = _KEY_KINDS.get(status.state, ProblemKind.KEY_LOST)
        result.key_problem = Problem(kind, seq, f"from record {seq}: {status.message()}")


def _check_head(result: ChainResult, head: Head | None, keys: Mapping[str, LoadedKey]) -> Problem | None:
    last = result.last_seq
    if head is None:
        if last == 0:
            return None
        return Problem(ProblemKind.MISSING, last + 1,
                       "the ledger's signed head is missing, so deleted records at the end cannot be ruled out")
    if head.seq > last:
        gap = f"{last + 1}" if head.seq == last + 1 else f"{last + 1} to {head.seq}"
        return Problem(ProblemKind.MISSING, last + 1,
                       f"record {gap} is missing (deleted from the end): the ledger's head names seq {head.seq}")
    if head.seq < last:
        return Problem(ProblemKind.EDITED, head.seq + 1,
                       f"record {head.seq + 1} was added outside the app: the ledger's head names seq {head.seq}")
    if head.hash != result.last_hash:
        return Problem(ProblemKind.EDITED, last, f"record {last} is not the newest record the ledger wrote")
    key = keys.get(head.key_id)
    if key is not None and key.secret is not None and not hmac.compare_digest(
            head_mac(key.secret, head.seq, head.hash), head.mac):
        return Problem(ProblemKind.MAC_MISMATCH, last,
                       "the ledger's head has a wrong MAC: records at the end may have been deleted or replaced")
    return None


@dataclass(frozen=True)
class VerifyReport:
    """The outcome of ``Ledger.verify()``: ``ok`` only when every record and MAC checked out."""

    path: str
    count: int  # records in the ledger
    head_seq: int  # the newest record's seq (0 when empty)
    head_hash: str | None
    problem: Problem | None  # the first sign of tampering, deletion or damage
    key_problem: Problem | None  # the signing key is lost, unreadable or replaced
    key: KeyStatus
    macs_checked: int

    @property
    def ok(self) -> bool:
        return self.problem is None and self.key_problem is None

    @property
    def chain_intact(self) -> bool:
        return self.problem is None

    @property
    def first_problem(self) -> Problem | None:
        return self.problem or self.key_problem

    def summary(self) -> str:
        if self.problem is not None:
            where = f"seq {self.problem.seq}" if self.problem.seq is not None else "file"
            return f"NOT intact: {self.problem.kind} at {where}: {self.problem.message}"
        if self.key_problem is not None:
            if self.key_problem.kind == ProblemKind.KEY_REPLACED:
                return f"NOT intact: {self.key_problem.message}"
            return (f"hash chain intact ({self.count} records), but the MACs could not be checked "
                    f"(this is not tampering): {self.key_problem.message}")
        if self.count == 0:
            return f"intact: no records yet ({self.key.message()})"
        return (f"intact: {self.count} records, head seq {self.head_seq} hash {self.head_hash}; "
                f"MACs checked with {self.key.where()}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok, "chain_intact": self.chain_intact, "path": self.path, "count": self.count,
            "head_seq": self.head_seq, "head_hash": self.head_hash, "macs_checked": self.macs_checked,
            "problem": self.problem.to_dict() if self.problem else None,
            "key_problem": self.key_problem.to_dict() if self.key_problem else None,
            "key": self.key.to_dict(), "summary": self.summary(),
        }
