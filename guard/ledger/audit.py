"""``Ledger.verify()``: every check, in one read snapshot, turned into one :class:`VerifyReport`.

1. The file (SQLite's page check), the hash chain and the columns the filters repeat.
2. The keys: each Ed25519 key row's own signature; which keys are *trusted* (anchored outside
   the file: guard.ledger.anchor). A record signed by a key found only inside the file is
   "signed with an unknown key (possible forgery)"; a listed key that differs from what was
   anchored, or is gone while records name it, was tampered with.
3. The head: its signature by a trusted key over the last record, every record signature
   (through their digest) and every key row. When it fails, each signature is checked one by
   one to name the first record at fault.
4. The anchors: a ledger that ends before an anchored head was rolled back; one whose record
   at the anchored seq differs, or that is not the ledger noted at its location, was replaced.
   These checks, and the time stamps', are guard.ledger.audit_outside.
"""

from __future__ import annotations

import hmac
import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from guard.ledger import meta
from guard.ledger.audit_outside import Anchors, anchor_problem, read_anchors, rollback_problems, witness_findings
from guard.ledger.canonical import MacKey, legacy_head_message
from guard.ledger.head import SignedHead
from guard.ledger.keychain import KeyChain
from guard.ledger.key_info import KeyInfo
from guard.ledger.key_status import KeyAlgorithm, KeyState
from guard.ledger.limits import limits_of
from guard.ledger.report import Problem, ProblemKind, VerifyReport, earliest
from guard.ledger.schema import FIRST_DISAGREEING_ROW, derived_mismatch
from guard.ledger.signing import (
    Verifier,
    key_message,
    keys_digest,
    public_key_from_text,
    record_message,
)
from guard.ledger.verify import (
    CHAIN_QUERY,
    ChainResult,
    Segments,
    bad_signature,
    column_edited,
    walk_chain,
)


@dataclass
class Findings:
    problems: list[Problem | None] = field(default_factory=list)
    key_problem: Problem | None = None
    notes: list[str] = field(default_factory=list)

    def add(self, kind: ProblemKind, seq: int | None, message: str) -> None:
        self.problems.append(Problem(kind, seq, message))


def audit(conn: sqlite3.Connection, path: Path, keychain: KeyChain, *, each_signature: bool,
          check_file: bool) -> VerifyReport:
    """Run every check on ``conn`` inside one read transaction (the caller holds it)."""
    findings = Findings()
    if check_file:
        damage = conn.execute("PRAGMA quick_check").fetchone()[0]
        if damage != "ok":
            corrupt = Problem(ProblemKind.CORRUPT, None, f"the file is damaged: {damage}")
            return _report(conn, path, keychain, ChainResult(), corrupt, None, Anchors())
    ledger_id = meta.ledger_id(conn)
    anchors = read_anchors(keychain, ledger_id)
    keys = _key_rows(conn, findings)
    verifiers = _verifiers(keys, findings)
    macs = {info.key_id: _mac_key(keychain, info) for info in keys if info.algorithm == KeyAlgorithm.HMAC}
    ed25519 = sorted((info for info in keys if info.algorithm == KeyAlgorithm.ED25519 and info.key_id in verifiers),
                     key=lambda info: info.from_seq or 0)
    segments = Segments(tuple(info.from_seq or 0 for info in ed25519), tuple(info.key_id for info in ed25519))
    seq_of_hash = _seq_of_hash(conn)

    def walk(deep: bool) -> ChainResult:
        return walk_chain(conn.execute(CHAIN_QUERY), segments=segments, macs=macs, verifiers=verifiers,
                          each_signature=deep, seq_of_hash=seq_of_hash)

    chain = walk(each_signature)
    head = meta.read_head(conn)
    _check_trust(keys, chain, head, anchors, findings)  # first: an unknown key says more than what it signed
    _check_key_rows(keys, verifiers, findings)
    findings.problems += [chain.problem, _first_edited_column(conn)]
    vouched = False
    if chain.problem is None:
        vouched = _check_head(ledger_id, head, chain, keys, verifiers, macs, findings)
        if not vouched and not each_signature and head is not None and not head.legacy:
            deep = walk(True)  # name the first record whose own signature fails
            chain.signatures_checked = deep.signatures_checked
            findings.problems.insert(0, deep.problem)  # a record named by its own signature wins a tie
        elif vouched:
            chain.signatures_checked += _check_segment_ends(chain, verifiers, findings, each_signature)
        findings.problems += rollback_problems(conn, ledger_id, chain, anchors)
        stamped, notes = witness_findings(conn, ledger_id, chain)
        findings.problems += stamped
        findings.notes += notes
    vouched = vouched and _first(findings.problems) is None
    _check_lost_keys(keychain, keys, chain, vouched, findings)
    report = _report(conn, path, keychain, chain, _first(findings.problems),
                     findings.key_problem or anchor_problem(anchors, keys), anchors, findings.notes)
    return replace(report, records_vouched=chain.count if vouched else 0)


def _first(problems: Sequence[Problem | None]) -> Problem | None:
    replaced = [p for p in problems if p is not None and p.kind == ProblemKind.REPLACED and p.seq is None]
    return replaced[0] if replaced else earliest(*problems)


def _key_rows(conn: sqlite3.Connection, findings: Findings) -> list[KeyInfo]:
    try:
        return meta.key_rows(conn)
    except (ValueError, TypeError) as error:
        findings.add(ProblemKind.KEY_TAMPERED, None, f"a key row was changed inside the file and cannot be read "
                                                     f"({error})")
        return []


def _verifiers(keys: Sequence[KeyInfo], findings: Findings) -> dict[str, Verifier]:
    verifiers = {}
    for info in keys:
        if info.algorithm != KeyAlgorithm.ED25519:
            continue
        try:
            verifiers[info.key_id] = Verifier(public_key_from_text(info.public_key or ""))
        except ValueError as error:
            findings.add(ProblemKind.KEY_TAMPERED, info.from_seq,
                         f"the key row of key {info.key_id!r} was changed inside the file: its public key is "
                         f"damaged ({error})")
    return verifiers


def _mac_key(keychain: KeyChain, info: KeyInfo) -> MacKey | None:
    loaded = keychain.load(info)
    return MacKey(loaded.secret) if loaded.secret is not None else None


def _check_key_rows(keys: Sequence[KeyInfo], verifiers: dict[str, Verifier], findings: Findings) -> None:
    """Each Ed25519 key row is a record signed by its own key; its columns repeat its body."""
    for info in keys:
        verifier = verifiers.get(info.key_id)
        if verifier is None:
            continue
        where = f"the key row of key {info.key_id!r} was changed inside the file"
        if info.body is None or not verifier.verify(key_message(info.body), info.signature):
            findings.add(ProblemKind.KEY_TAMPERED, info.from_seq, f"{where}: its signature does not verify")
            continue
        try:
            body = json.loads(info.body)
        except ValueError:
            body = {}
        listed = {"key_id": info.key_id, "public_key": info.public_key, "fingerprint": info.check,
                  "from_seq": info.from_seq}
        differs = [name for name, value in listed.items() if body.get(name) != value]
        if differs or verifier.fingerprint != info.check:
            findings.add(ProblemKind.KEY_TAMPERED, info.from_seq,
                         f"{where}: its {', '.join(differs) or 'fingerprint'} no longer matches its signed record")


def _check_trust(keys: Sequence[KeyInfo], chain: ChainResult, head: SignedHead | None, anchors: Anchors,
                 findings: Findings) -> None:
    anchor = anchors.trusted
    listed = {info.key_id: info for info in keys}
    used = dict(chain.first_seq)
    if head is not None and head.key_id and head.key_id not in used:
        used[head.key_id] = chain.last_seq or None  # type: ignore[assignment]
    for key_id, seq in used.items():
        info = listed.get(key_id)
        anchored = anchor.key(key_id) if anchor is not None else None
        if info is None:
            if anchored is not None:
                findings.add(ProblemKind.KEY_TAMPERED, seq, f"the key row of key {key_id!r} (anchored in "
                                                            f"{anchors.where()} on {anchored.anchored_at}) was removed "
                                                            "from the file, though records name it")
            else:
                findings.add(ProblemKind.UNKNOWN_KEY, seq, f"record {seq} is signed with an unknown key (possible "
                                                           f"forgery): key {key_id!r} is not listed anywhere")
            continue
        if anchor is None:
            continue  # no anchor on this computer: reported as a key problem, trust cannot be judged
        if anchored is None:
            findings.add(ProblemKind.UNKNOWN_KEY, seq,
                         f"{'record ' + str(seq) if seq else 'the head'} is signed with an unknown key (possible "
                         f"forgery): key {key_id!r} appears only inside the ledger file, not among the keys this "
                         f"computer made for it (anchored in {anchors.where()})")
        elif field_name := anchored.differs_from(info):
            findings.add(ProblemKind.KEY_TAMPERED, seq,
                         f"the key row of key {key_id!r} was changed inside the file: its {field_name} is not "
                         f"what was anchored in {anchors.where()} on {anchored.anchored_at}")


def _check_head(ledger_id: str, head: SignedHead | None, chain: ChainResult,
                keys: Sequence[KeyInfo], verifiers: dict[str, Verifier], macs: dict[str, MacKey | None],
                findings: Findings) -> bool:
    """Check the signed head; True when a trusted-looking signature vouches for every record."""
    last = chain.last_seq
    if head is None:
        if last:
            findings.add(ProblemKind.MISSING, last + 1, "the ledger's signed head is missing, so deleted records at "
                                                        "the end cannot be ruled out")
        return last == 0
    if head.seq > last:
        gap = f"{last + 1}" if head.seq == last + 1 else f"{last + 1} to {head.seq}"
        findings.add(ProblemKind.MISSING, last + 1, f"record {gap} is missing (deleted from the end): the ledger's "
                                                    f"head names seq {head.seq}")
        return False
    if head.seq < last:
        findings.add(ProblemKind.EDITED, head.seq + 1, f"record {head.seq + 1} was added outside the app: the "
                                                       f"ledger's head names seq {head.seq}")
        return False
    if head.hash != chain.last_hash:
        findings.add(ProblemKind.EDITED, last, f"record {last} is not the newest record the ledger wrote")
        return False
    if head.legacy:  # written before Ed25519: an HMAC, checked when the secret is at hand; vouches for nothing
        signer = macs.get(head.key_id)
        if signer is not None and not hmac.compare_digest(signer.hexdigest(legacy_head_message(head.seq, head.hash)),
                                                          head.signature):
            findings.add(ProblemKind.MAC_MISMATCH, last, "the ledger's head has a wrong MAC: records at the end may "
                                                         "have been deleted or replaced")
        return False
    verifier = verifiers.get(head.key_id)
    if verifier is None or not verifier.verify(head.message(ledger_id), head.signature):
        findings.add(ProblemKind.BAD_SIGNATURE, None, "the ledger's head is not signed by its key: records may "
                                                      "have been deleted, replaced or re-signed")
        return False
    if head.signatures_digest != chain.signatures_digest:
        findings.add(ProblemKind.BAD_SIGNATURE, None, "record signatures were changed after the head was signed")
        return False
    if head.keys_digest != keys_digest(info.digest_line() for info in keys):
        findings.add(ProblemKind.KEY_TAMPERED, None, "the keys table was changed after the head was signed (a key "
                                                     "row added, removed or edited)")
        return False
    return True


def _check_segment_ends(chain: ChainResult, verifiers: dict[str, Verifier], findings: Findings,
                        already: bool) -> int:
    """The last record of each key's stretch, checked with that key (the head vouches for the
    rest through the signatures digest; this ties each stretch to its own key)."""
    if already:
        return 0
    checked = 0
    for key_id, (seq, record_hash, signature) in chain.last.items():
        verifier = verifiers.get(key_id)
        if verifier is None:
            continue
        checked += 1
        if not verifier.verify(record_message(record_hash), signature):
            findings.problems.append(bad_signature(seq))
    return checked


def _check_lost_keys(keychain: KeyChain, keys: Sequence[KeyInfo], chain: ChainResult, vouched: bool,
                     findings: Findings) -> None:
    """HMAC keys whose secret is gone leave their records' MACs unchecked; said plainly."""
    if not chain.unchecked_macs:
        return
    listed = {info.key_id: info for info in keys}
    key_id, seq = min(chain.unchecked_macs.items(), key=lambda item: item[1])
    status = keychain.load(listed[key_id]).status
    if vouched:
        findings.notes.append(f"records from seq {seq} were signed with an HMAC secret that is no longer at hand "
                              f"({status.message()}); they are covered by the Ed25519 head instead")
        return
    kind = {"unavailable": ProblemKind.KEY_UNAVAILABLE, "replaced": ProblemKind.KEY_REPLACED}.get(
        str(status.state), ProblemKind.KEY_LOST)
    findings.key_problem = Problem(kind, seq, f"the MACs from record {seq} on could not be checked, so "
                                              f"rewriting with re-hashing cannot be ruled out: {status.message()}")


def _report(conn: sqlite3.Connection, path: Path, keychain: KeyChain, chain: ChainResult, problem: Problem | None,
            key_problem: Problem | None, anchors: Anchors, notes: Sequence[str] = ()) -> VerifyReport:
    count = int(conn.execute("SELECT count(*) FROM records").fetchone()[0])
    status = keychain.status(conn)
    if key_problem is None and not status.usable and count and status.state != KeyState.NONE:
        kinds = {KeyState.UNAVAILABLE: ProblemKind.KEY_UNAVAILABLE, KeyState.REPLACED: ProblemKind.KEY_REPLACED}
        first = chain.first_seq.get(meta.get(conn, "current_key_id") or "")
        key_problem = Problem(kinds.get(status.state, ProblemKind.KEY_LOST), first, status.message())
    return VerifyReport(str(path), count, chain.last_seq, chain.last_hash if chain.count else None, problem,
                        key_problem, status, chain.macs_checked, chain.signatures_checked, 0, anchors.where(),
                        limits_of(anchors.keyring_backend, status), tuple(notes), anchored_said=anchors.where_text())


def _first_edited_column(conn: sqlite3.Connection) -> Problem | None:
    after = 0
    while (row := conn.execute(FIRST_DISAGREEING_ROW, (after,)).fetchone()) is not None:
        column = derived_mismatch(row)
        if column is not None:
            return column_edited(row[0], column)
        after = row[0]  # SQLite wrote the same values differently; Python says they agree
    return None


def _seq_of_hash(conn: sqlite3.Connection) -> Callable[[str], int | None]:
    def find(digest: str) -> int | None:
        row = conn.execute("SELECT seq FROM records WHERE hash = ? LIMIT 1", (digest,)).fetchone()
        return None if row is None else int(row[0])
    return find
