"""What ``verify`` found, in the words it uses: :class:`VerifyReport` and its problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from guard.ledger.keys import KeyStatus


class ProblemKind(StrEnum):
    MISSING = "missing"  # a record was deleted (a gap, a broken link, or gone from the end)
    REORDERED = "reordered"  # a record sits where another one should
    EDITED = "edited"  # a record's content no longer matches its hash
    MAC_MISMATCH = "mac-mismatch"  # (records from before Ed25519) rewritten by someone without the secret
    BAD_SIGNATURE = "bad-signature"  # a signature does not verify with the key it names
    UNKNOWN_KEY = "unknown-key"  # signed with a key this computer never made: possible forgery
    KEY_TAMPERED = "key-tampered"  # a key row was changed or removed inside the file
    ROLLED_BACK = "rolled-back"  # the file ends before a record that was anchored
    REPLACED = "replaced"  # the file is not the ledger anchored at this place, or was rewritten
    KEY_REPLACED = "key-replaced"  # the keyring (or key file) holds another key than the one listed
    KEY_LOST = "key-lost"  # the keyring itself no longer has the key (or the ledger's anchor)
    KEY_UNAVAILABLE = "key-unavailable"  # the keyring cannot be reached right now
    CORRUPT = "corrupt"  # the file is damaged (SQLite's own check failed)

    @property
    def is_tampering(self) -> bool:
        return self not in (ProblemKind.KEY_LOST, ProblemKind.KEY_UNAVAILABLE, ProblemKind.CORRUPT)


@dataclass(frozen=True)
class Problem:
    kind: ProblemKind
    seq: int | None
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"kind": str(self.kind), "seq": self.seq, "message": self.message}


def earliest(*problems: Problem | None) -> Problem | None:
    """The problem with the lowest seq (the first one given wins a tie; no seq sorts last)."""
    found = [p for p in problems if p is not None]
    if not found:
        return None
    return min(found, key=lambda p: float("inf") if p.seq is None else p.seq)


@dataclass(frozen=True)
class VerifyReport:
    """The outcome of ``Ledger.verify()``: ``ok`` only when every check passed.

    ``problem`` is the first sign of tampering, deletion, rollback or damage; ``key_problem``
    a key or anchor the keyring no longer has or cannot give right now (not proof of
    tampering, but the checks it stands for could not all be made). ``limits`` says plainly
    what this ledger's set-up cannot detect (e.g. no keyring); ``notes`` anything else worth
    knowing that is not a failure.
    """

    path: str
    count: int  # records in the ledger
    head_seq: int  # the newest record's seq (0 when empty)
    head_hash: str | None
    problem: Problem | None
    key_problem: Problem | None
    key: KeyStatus
    macs_checked: int = 0  # HMACs of records from before Ed25519
    signatures_checked: int = 0  # Ed25519 signatures checked one by one
    records_vouched: int = 0  # records covered by a valid head signature from a trusted key
    anchored: str = "nowhere"  # where the trusted keys and the head were found
    limits: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

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
            if self.records_vouched == self.count and self.count:
                return (f"records intact: {self.count} records verified with the public key(s) anchored outside "
                        f"the file, nothing was tampered with; but {self.key_problem.message}")
            return (f"NOT verified: hash chain intact ({self.count} records), but {self.key_problem.message}")
        if self.count == 0:
            return f"intact: no records yet ({self.key.message()})"
        return (f"intact: {self.count} records, head seq {self.head_seq} hash {self.head_hash}; "
                f"signed with {self.key.where()}; anchored in {self.anchored}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok, "chain_intact": self.chain_intact, "path": self.path, "count": self.count,
            "head_seq": self.head_seq, "head_hash": self.head_hash, "macs_checked": self.macs_checked,
            "signatures_checked": self.signatures_checked, "records_vouched": self.records_vouched,
            "anchored": self.anchored,
            "problem": self.problem.to_dict() if self.problem else None,
            "key_problem": self.key_problem.to_dict() if self.key_problem else None,
            "key": self.key.to_dict(), "limits": list(self.limits), "notes": list(self.notes),
            "summary": self.summary(),
        }
