"""What ``verify`` found, in the words it uses: :class:`VerifyReport` and its problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from guard.i18n import N_, Nn_, Text
from guard.ledger.key_status import KeyStatus


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


# The kinds as a summary names them: the same words in English, translated where the UI shows them.
PROBLEM_NAMES = {
    ProblemKind.MISSING: N_("missing"), ProblemKind.REORDERED: N_("reordered"), ProblemKind.EDITED: N_("edited"),
    ProblemKind.MAC_MISMATCH: N_("mac-mismatch"), ProblemKind.BAD_SIGNATURE: N_("bad-signature"),
    ProblemKind.UNKNOWN_KEY: N_("unknown-key"), ProblemKind.KEY_TAMPERED: N_("key-tampered"),
    ProblemKind.ROLLED_BACK: N_("rolled-back"), ProblemKind.REPLACED: N_("replaced"),
    ProblemKind.KEY_REPLACED: N_("key-replaced"), ProblemKind.KEY_LOST: N_("key-lost"),
    ProblemKind.KEY_UNAVAILABLE: N_("key-unavailable"), ProblemKind.CORRUPT: N_("corrupt"),
}


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
    anchored_said: Text | None = None  # ``anchored`` as a sentence in the app's language (None: say it as is)

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
        """:meth:`summary_text` in English (command line, JSON, logs)."""
        return str(self.summary_text())

    def summary_text(self) -> Text:
        """The outcome in one sentence, for a person (the UI translates it; problems' own details stay English)."""
        if self.problem is not None:
            kind = Text.of(PROBLEM_NAMES.get(self.problem.kind, str(self.problem.kind)))
            if self.problem.seq is not None:
                return Text.of(N_("NOT intact: {kind} at seq {seq}: {message}"), kind=kind, seq=self.problem.seq,
                               message=self.problem.message)
            return Text.of(N_("NOT intact: {kind} at file: {message}"), kind=kind, message=self.problem.message)
        if self.key_problem is not None:
            said = self.key_problem.message
            key_problem: Text | str = self.key.text() if said == self.key.message() else said
            if self.records_vouched == self.count and self.count:
                return Text.of(Nn_("records intact: {count} record verified with the public key(s) anchored outside "
                                   "the file, nothing was tampered with; but {problem}",
                                   "records intact: {count} records verified with the public key(s) anchored "
                                   "outside the file, nothing was tampered with; but {problem}"),
                               count=self.count, problem=key_problem)
            return Text.of(Nn_("NOT verified: hash chain intact ({count} record), but {problem}",
                               "NOT verified: hash chain intact ({count} records), but {problem}"),
                           count=self.count, problem=key_problem)
        if self.count == 0:
            return Text.of(N_("intact: no records yet; signing key: {key}"), key=self.key.text())
        return Text.of(Nn_("intact: {count} record, head seq {seq} hash {hash}; signed with {where}; anchored in "
                           "{anchored}",
                           "intact: {count} records, head seq {seq} hash {hash}; signed with {where}; anchored "
                           "in {anchored}"),
                       count=self.count, seq=self.head_seq, hash=self.head_hash or "", where=self.key.where_text(),
                       anchored=self.anchored_said or self.anchored)

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
