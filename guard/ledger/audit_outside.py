"""``verify``'s checks against what is kept outside the ledger file (step 4 of
guard.ledger.audit): the anchors in the keyring and the anchor file beside it
(guard.ledger.anchor), and the time-stamping authorities' tokens (guard.ledger.timestamp).

A ledger that ends before an anchored head was rolled back; one whose record at the anchored
seq differs, or that is not the ledger noted at its location, was replaced; an anchor gone from
where it was kept is a key problem. Each function returns what it found; the audit orders it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from guard.i18n import N_, Text
from guard.ledger import meta
from guard.ledger.anchor import Anchor, AnchorError
from guard.ledger.keychain import KeyChain
from guard.ledger.keys import KeyInfo, usable_keyring
from guard.ledger.key_status import KeyAlgorithm, KeyStorage
from guard.ledger.report import Problem, ProblemKind
from guard.ledger.verify import ChainResult


@dataclass
class Anchors:
    """What was found outside the file, and how far to trust it."""

    keyring: Anchor | None = None
    file: Anchor | None = None
    keyring_problem: str | None = None  # the keyring could not be read
    file_problem: str | None = None
    keyring_backend: str | None = None  # None: no keyring on this computer
    location: str | None = None  # the ledger id noted in the keyring for this place
    file_ledger: str | None = None  # the ledger id the anchor file beside it was written for

    @property
    def trusted(self) -> Anchor | None:
        return self.keyring or self.file

    def where(self) -> str:
        """Where the trusted keys and head were found, in English (JSON, logs, problems' details)."""
        return str(self.where_text())

    def where_text(self) -> Text:
        """The same, as a sentence the app says in its language."""
        if self.keyring is not None:
            if self.file:
                return Text.of(N_("the keyring ({backend}) and the anchor file"), backend=self.keyring_backend or "")
            return Text.of(N_("the keyring ({backend})"), backend=self.keyring_backend or "")
        if self.file is not None:
            return Text.of(N_("the anchor file only"))
        return Text.of(N_("nowhere"))


def read_anchors(keychain: KeyChain, ledger_id: str) -> Anchors:
    found = Anchors()
    backend, name = usable_keyring()
    keyring = keychain.anchorer.keyring
    if backend is not None:
        found.keyring_backend = name
        try:
            found.keyring = keyring.read() if keyring.ledger_id == ledger_id else None
            found.location = keyring.location()
        except AnchorError as error:
            found.keyring_problem = str(error)
    try:
        anchor = keychain.anchorer.file.read()
        found.file = anchor if anchor is not None and anchor.ledger_id == ledger_id else None
        found.file_ledger = anchor.ledger_id if anchor is not None else None
    except AnchorError as error:
        found.file_problem = str(error)
    return found


def rollback_problems(conn: sqlite3.Connection, ledger_id: str, chain: ChainResult, anchors: Anchors) -> list[Problem]:
    """Another ledger where this one was kept, or this one rolled back or rewritten before an anchored head."""
    problems = []
    if anchors.location is not None and anchors.location != ledger_id:
        problems.append(_replaced_here(conn, anchors.location, "the keyring notes"))
    elif anchors.file_ledger is not None and anchors.file_ledger != ledger_id:
        problems.append(_replaced_here(conn, anchors.file_ledger, "the anchor file beside it was written for"))
    for source, anchor in (("the keyring", anchors.keyring), ("the anchor file", anchors.file)):
        if anchor is None or anchor.head is None:
            continue
        anchored = anchor.head
        when = anchored.recorded_at or "an earlier date"
        if anchored.seq > chain.last_seq:
            problems.append(Problem(ProblemKind.ROLLED_BACK, chain.last_seq + 1,
                                    f"rolled back: the ledger ends at seq {chain.last_seq} but seq {anchored.seq} > "
                                    f"{chain.last_seq} was recorded on {when} (anchored in {source})"))
            break
        row = conn.execute("SELECT hash FROM records WHERE seq = ?", (anchored.seq,)).fetchone()
        if anchored.seq and (row is None or row[0] != anchored.hash):
            problems.append(Problem(ProblemKind.REPLACED, anchored.seq,
                                    f"the ledger was rewritten: record {anchored.seq} is not the one anchored in "
                                    f"{source} (recorded on {when})"))
            break
    return problems


def witness_findings(conn: sqlite3.Connection, ledger_id: str, chain: ChainResult) -> tuple[list[Problem], list[str]]:
    """Each RFC 3161 time stamp: still valid, and still stamping the record that is there.
    The problems found, and a note for each stamp that holds. The time and the signer said are
    the ones the TSA signed in its token; the columns kept beside it (time, address, name,
    fingerprint) are not signed, so only the address is repeated, as where the stamp was asked."""
    from guard.ledger.timestamp import check_token, witness_digest
    from guard.ledger.timeutil import format_utc

    problems: list[Problem] = []
    notes: list[str] = []
    rows = conn.execute("SELECT seq, hash, tsa_url, token FROM witnesses ORDER BY seq").fetchall()
    for seq, record_hash, url, token in rows:
        try:
            checked = check_token(bytes(token), witness_digest(ledger_id, int(seq), str(record_hash)))
        except (ValueError, TypeError) as error:
            problems.append(Problem(ProblemKind.EDITED, None, f"the time stamp of record {seq} from {url} was changed "
                                                              f"inside the file ({error})"))
            continue
        gen_time = format_utc(checked.gen_time)
        if seq > chain.last_seq:
            problems.append(Problem(ProblemKind.ROLLED_BACK, chain.last_seq + 1,
                                    f"rolled back: the ledger ends at seq {chain.last_seq} but seq {seq} > "
                                    f"{chain.last_seq} was time-stamped by {url} on {gen_time}"))
            continue
        found = conn.execute("SELECT hash FROM records WHERE seq = ?", (seq,)).fetchone()
        if found is None or found[0] != record_hash:
            problems.append(Problem(ProblemKind.REPLACED, seq, f"the ledger was rewritten: record {seq} is not the "
                                                               f"one {url} time-stamped on {gen_time}"))
            continue
        notes.append(f"record {seq} and all before it existed as they are on {gen_time}, says a time stamp signed by "
                     f"{checked.subject[:200]} (certificate SHA-256 {checked.certificate_sha256}), asked of {url}; its "
                     "certificate chain is not checked here: compare that fingerprint with your TSA's, or run "
                     "'openssl ts -verify' with its CA certificate")
    return problems, notes


def _replaced_here(conn: sqlite3.Connection, noted: str, how: str) -> Problem:
    return Problem(ProblemKind.REPLACED, None,
                   f"this is not the ledger this computer kept here: {how} ledger {noted}, but the file is ledger "
                   f"{meta.ledger_id(conn)} (deleted and started anew, or swapped for another file)")


def anchor_problem(anchors: Anchors, keys: Sequence[KeyInfo]) -> Problem | None:
    """The ledger's anchor is gone from where it was kept, or cannot be read."""
    signed = any(info.algorithm == KeyAlgorithm.ED25519 for info in keys)
    if not signed:
        return None
    in_keyring = any(info.storage == KeyStorage.KEYRING for info in keys) or (
        anchors.file is not None and anchors.file.in_keyring_since is not None)
    if anchors.keyring_problem and in_keyring:
        return Problem(ProblemKind.KEY_UNAVAILABLE, None, f"key unavailable: the ledger's anchor could not be read "
                                                          f"from the keyring ({anchors.keyring_problem})")
    if anchors.keyring is None and anchors.keyring_backend is not None and in_keyring:
        return Problem(ProblemKind.KEY_LOST, None,
                       "key lost: the keyring no longer holds this ledger's anchor (the fingerprints of its keys and "
                       "its latest head); forgery with a new key and rollback can only be checked against the "
                       "anchor file, which anyone who can write to the data folder can rewrite")
    if anchors.trusted is None:
        problem = f" ({anchors.file_problem})" if anchors.file_problem else ""
        return Problem(ProblemKind.KEY_LOST, None,
                       f"key lost: this ledger's anchor file is missing or unreadable{problem} and no keyring holds "
                       "its anchor, so this computer's keys cannot be told from a forger's and rollback cannot be "
                       "checked")
    return None
