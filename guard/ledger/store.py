"""The consent ledger: an append-only, hash-chained SQLite file signed with Ed25519 and
anchored outside itself (guard.ledger.anchor).

Every append is one ``BEGIN IMMEDIATE`` transaction committed with ``synchronous=FULL``:
when :meth:`Ledger.append` returns, the record is on disk and survives a crash or SIGKILL,
its head is in the anchor file, and two processes appending at once queue behind each other
without breaking the chain.
Nothing is ever updated or deleted; :meth:`withdraw` and :meth:`correct` add records that
point at the earlier one. One ``Ledger`` may be shared between threads.

Here: opening, the write transactions, keys, time stamps and verify. How records join the
chain (and the at-most-once append) is guard.ledger.appending; the queries are
guard.ledger.reader.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from guard.ledger import appending, files, meta
from guard.ledger.anchor import AnchoredKey
from guard.ledger.anchoring import Anchorer
from guard.ledger.audit import audit
from guard.ledger.errors import LedgerError, LedgerInputError, LedgerKeyError
from guard.ledger.head import SignedHead
from guard.ledger.keychain import KeyChain
from guard.ledger.keys import KeyInfo, KeyVault, LoadedKey
from guard.ledger.key_status import KeyStatus
from guard.ledger.models import Decision, EvidenceItem, Record, RecordDraft, RequestedBy, record_id_text
from guard.ledger.reader import MAX_PAGE as MAX_PAGE  # importable from here, as before
from guard.ledger.reader import KEYS_ANCHORED_VERSION, LedgerReader
from guard.ledger.schema import KEY_COLUMNS, row_to_key, row_to_record
from guard.ledger.timeutil import format_utc, utc_now
from guard.ledger.verify import VerifyReport

if TYPE_CHECKING:
    from guard.ledger.timestamp import Witness

log = logging.getLogger(__name__)


class Ledger(LedgerReader):
    """An open consent ledger. Use :meth:`open` (or ``guard.ledger.open_ledger(paths)``).
    Its reads (get, page, count, proof, ...) come from :class:`guard.ledger.reader.LedgerReader`."""

    def __init__(self, path: Path, conn: sqlite3.Connection, vault: KeyVault, anchorer: Anchorer) -> None:
        super().__init__(path, conn)
        self._anchorer = anchorer
        self._keys = KeyChain(path, vault, anchorer)
        self._identity = _identity(path)

    @classmethod
    def open(cls, path: Path, *, busy_timeout: float = 10.0) -> Ledger:
        """Open the ledger at ``path``, creating a new one if the file does not exist.

        Raises LedgerCorruptError (file left untouched) when the file is not a healthy ledger.
        """
        path = Path(path).expanduser().absolute()
        conn, migrated = files.connect(path, busy_timeout)
        return cls.on_connection(path, conn, migrated)

    @classmethod
    def on_connection(cls, path: Path, conn: sqlite3.Connection, migrated: list[int]) -> Ledger:
        """The ledger on a connection :func:`guard.ledger.files.connect` just opened (and migrated
        to the schema versions ``migrated``); the connection is closed if this fails."""
        try:
            anchorer = Anchorer(path, files.anchor_file_for(path), meta.ledger_id(conn))
        except BaseException:
            conn.close()
            raise
        ledger = cls(path, conn, KeyVault(files.key_file_for(path)), anchorer)
        if KEYS_ANCHORED_VERSION in migrated:
            ledger._anchor_found_keys()
        return ledger

    @property
    def key_file(self) -> Path:
        return self._keys.vault.key_file

    @property
    def anchor_file(self) -> Path:
        return self._anchorer.file.path

    def close(self, *, keyring_grace_s: float = 30.0) -> None:
        """Close the file; first make sure the newest head is anchored in the anchor file and,
        within ``keyring_grace_s`` (a keyring that does not answer), in the keyring."""
        with self._lock:
            self._anchorer.close(keyring_grace_s)
            self._conn.close()

    # --- writing ---------------------------------------------------------------------------

    def append(self, draft: RecordDraft, *, record_id: str | None = None,
               answer_at: datetime | None = None) -> Record:
        """Sign and store ``draft`` as the next record; durable and anchored once this returns.

        ``record_id``: the id the caller made for it (a UUID), so the append can be retried
        without recording the decision twice: when a record with this id is stored already with
        the same content, that record is returned and nothing is added (a helper process that
        appended but died before answering: guard.ledger.append_helper). The same id with other
        content is refused (LedgerInputError).

        ``answer_at``: ``draft`` is a notification's answer given then. When the ledger holds a
        decision about the same notice (guard.ledger.answers), nothing is added and
        NoticeAnsweredError names it: looked for in the write transaction that would add it, so
        two processes answering one notice at once record one decision."""
        if record_id is not None:
            return self._append([draft], record_id_text(record_id, "record_id"), answer_at)[0]
        return self._append([draft], None, answer_at)[0]

    def append_many(self, drafts: Iterable[RecordDraft]) -> list[Record]:
        """Append several records in one transaction: all are stored, or none (e.g. an import)."""
        return self._append(drafts)

    def _append(self, drafts: Iterable[RecordDraft], record_id: str | None = None,
                answer_at: datetime | None = None) -> list[Record]:
        recorded_at = utc_now()
        drafts = list(drafts)
        checked = appending.checked_contents(drafts, recorded_at)
        if not checked:
            return []
        with self._write("add a record to") as conn:
            stored = None if record_id is None else appending.stored_again(conn, self.path, record_id, drafts[0])
            if stored is None and answer_at is not None:
                self._refuse_second_answer(drafts[0], answer_at)
            added = None if stored is not None else appending.add(conn, self._keys, self.path, checked, record_id,
                                                                  recorded_at)
        if added is None:
            assert stored is not None
            found, found_head = stored
            if isinstance(found_head, SignedHead) and found_head.seq >= found.seq:
                self._anchorer.committed(found_head)  # its writer may have died before anchoring it
            log.info("Ledger record %s (seq %s) was stored already; not adding it again", found.id, found.seq)
            return [found]
        rows, head = added
        self._anchorer.committed(head)
        records = [row_to_record(row) for row in rows]
        for record in records:
            log.info("Ledger record %s (seq %s, %s, %s) added", record.id, record.seq, record.provider_id,
                     record.decision)
        return records

    def _refuse_second_answer(self, draft: RecordDraft, answer_at: datetime) -> None:
        """Inside the write transaction: NoticeAnsweredError when a decision about the notice
        ``draft`` answers is stored. A record that cannot be read never keeps the answer out
        (verify names it)."""
        from guard.ledger.answers import answer_in_ledger
        from guard.ledger.errors import LedgerCorruptError, NoticeAnsweredError

        try:
            earlier = answer_in_ledger(self, draft, answer_at)
        except LedgerCorruptError as error:
            log.warning("Could not look for an earlier answer to this notice (%s); recording this one", error)
            return
        if earlier is not None:
            raise NoticeAnsweredError(f"Record {earlier.seq} (id {earlier.id}) of the consent ledger {self.path} "
                                      "answers this notice already; this answer was not added.")

    def withdraw(self, record_id: str, *, note: str | None = None, occurred_at: datetime | None = None,
                 evidence: tuple[EvidenceItem, ...] = (), language: str | None = None) -> Record:
        """Withdraw a consent that is in force: a new ``withdrawn`` record pointing at it
        (``language``: the one the form it was withdrawn on was shown in, as a decision's)."""
        target = self.get(record_id)
        status = self.effective_status(target)
        if status.decision != Decision.GIVEN:
            raise LedgerInputError(
                f"Record {target.id} is '{status.label}': only a consent that is in force (given) can be withdrawn."
            )
        return self.append(RecordDraft(
            provider_id=target.provider_id, decision=Decision.WITHDRAWN, occurred_at=occurred_at,
            feature_id=target.feature_id, meeting=target.meeting, purposes=target.purposes,
            requested_by=RequestedBy.SELF, terms=target.terms, evidence=evidence, note=note, refers_to=target.id,
            language=language,
        ))

    def correct(self, record_id: str, draft: RecordDraft) -> Record:
        """Record ``draft`` as the correction of an earlier record (which stays as it was)."""
        target = self.get(record_id)
        return self.append(draft.changed(refers_to=target.id))

    def rekey(self) -> KeyStatus:
        """Sign new records with a new key of this computer's (after a lost, replaced or
        untrusted key). The new key's own signed row says why, and what ``verify`` reported
        just before; earlier records keep their keys and are still checked with them."""
        before = self.verify(check_file=False)
        why = "rekey requested" + ("" if before.ok else f" while verify reported: {before.summary()}")
        with self._write("start a new key for") as conn:
            last_seq, last_hash, recorded_at = meta.last_record(conn)
            current = self._current_loaded(conn)
            previous = current if current is not None and current.can_sign and self._keys.is_trusted(
                current.info) else None
            key = self._keys.new_key(conn, last_seq + 1, last_hash, previous, why[:2000])
            head = None
            if last_seq:
                digest = appending.current_signatures_digest(conn, last_seq)
                head = self._keys.sign_head(conn, key, last_seq, last_hash, digest, recorded_at)
        if head is not None:  # the user's word: appends go on from this copy (appending.behind_anchor)
            self._anchorer.committed(head, replace_head=True)
        self._keys.go_on_from_here()
        self._anchorer.adopt_location()  # the user accepts this ledger as the one kept here
        return key.status

    # --- time stamps, signing, checking ---------------------------------------------------

    def timestamp(self, tsa_url: str, *, network_enabled: bool, timeout_s: float = 15.0,
                  settings_file: str = "the settings file") -> Witness:
        """Have the time-stamping authority at ``tsa_url`` (the user's choice: this uses the
        network, so only with ``network_enabled``, the ``[terms] network_enabled`` setting) stamp
        the newest record, check its answer and keep it (guard.ledger.timestamp)."""
        from guard.ledger.timestamp import TimestampError, Witness, check_token, fetch, witness_digest

        with self._read("read") as conn:
            seq, record_hash, _ = meta.last_record(conn)
            ledger_id = meta.ledger_id(conn)
        if seq == 0:
            raise LedgerInputError("The consent ledger has no records yet; there is nothing to time-stamp.")
        digest = witness_digest(ledger_id, seq, record_hash)
        token, nonce = fetch(tsa_url, digest, network_enabled=network_enabled, timeout_s=timeout_s,
                             settings_file=settings_file)
        try:
            checked = check_token(token, digest, nonce)
        except ValueError as error:
            raise TimestampError(f"The time-stamping authority {tsa_url} sent a time stamp that does not check out: "
                                 f"{error}. Nothing was kept.") from None
        witness = Witness(seq, record_hash, tsa_url, token, format_utc(checked.gen_time), checked.certificate_sha256,
                          checked.subject)
        with self._write("keep a time stamp in") as conn:
            conn.execute("INSERT INTO witnesses (seq, hash, tsa_url, token, gen_time, tsa_certificate_sha256, "
                         "tsa_subject) VALUES (?, ?, ?, ?, ?, ?, ?)", (
                             witness.seq, witness.hash, witness.tsa_url, witness.token, witness.gen_time,
                             witness.tsa_certificate_sha256, witness.tsa_subject))
        log.info("Ledger %s: record %s time-stamped by %s at %s", self.path, seq, tsa_url, witness.gen_time)
        return witness

    def document_signer(self) -> tuple[KeyInfo, Callable[[bytes], str]]:
        """The current Ed25519 key's row and a function that signs a document with it (hex): a
        document the ledger vouches for, such as a consent receipt's JWS signing input, never a
        ledger record (those are signed with their own context, see guard.ledger.signing).
        Raises LedgerKeyError when there is no usable Ed25519 key (none yet, lost, or a ledger
        from before Ed25519: record a decision first)."""
        with self._read("sign") as conn:
            loaded = self._current_loaded(conn)
        if loaded is None or loaded.signer is None or not loaded.can_sign or not self._keys.is_trusted(loaded.info):
            why = loaded.status.message() if loaded is not None else "the ledger has no signing key yet"
            raise LedgerKeyError(f"Cannot sign with the consent ledger's key ({why}); documents are written unsigned.")
        signer = loaded.signer

        def sign(document: bytes) -> str:
            if document.startswith(b"meeting-privacy-guard/"):  # the ledger's own contexts are never signed here
                raise ValueError("a document may not look like one of the ledger's own signed messages")
            return signer.sign(document)

        return loaded.info, sign

    def key_status(self) -> KeyStatus:
        """Where the current signing key lives and whether it can be used (read afresh)."""
        with self._read("read") as conn:
            return self._keys.status(conn)

    def verify(self, *, check_file: bool = True, each_signature: bool = False) -> VerifyReport:
        """Check every record's hash and link, the keys and their trust, the signed head and the
        anchors, all in one snapshot. ``check_file`` also runs SQLite's page check;
        ``each_signature`` checks every record's own signature too (the head's signature
        already vouches for all of them; this takes about 90 µs a record)."""
        self._anchorer.flush()  # compare against everything this process has acknowledged
        with self._lock, files.translate_errors(self.path, "verify"):
            self._keys.forget()  # a key found lost or replaced stops signing until fixed
            try:
                return self._verify(check_file, each_signature)
            except sqlite3.OperationalError as error:
                if "decode" not in str(error):
                    raise
                # A column was overwritten with bytes that are not text: read them raw so the
                # check can say which record it is.
                self._conn.text_factory = lambda data: data.decode("utf-8", "surrogateescape")
                try:
                    return self._verify(check_file, each_signature)
                finally:
                    self._conn.text_factory = str

    def _verify(self, check_file: bool, each_signature: bool) -> VerifyReport:
        conn = self._conn
        conn.execute("BEGIN")
        try:
            report = audit(conn, self.path, self._keys, each_signature=each_signature, check_file=check_file)
        finally:
            conn.execute("COMMIT")
        if self._anchorer.problem and not report.notes:
            report = replace(report, notes=(f"anchoring: {self._anchorer.problem}",))
        return report

    # --- internals -------------------------------------------------------------------------

    @contextlib.contextmanager
    def _write(self, action: str) -> Iterator[sqlite3.Connection]:
        with self._lock, files.translate_errors(self.path, action):
            self._check_same_file()
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def _check_same_file(self) -> None:
        if _identity(self.path) != self._identity:
            raise LedgerError(f"The consent ledger {self.path} was erased or replaced while it was open. "
                              "Open it again; nothing was written.")

    def _current_loaded(self, conn: sqlite3.Connection) -> LoadedKey | None:
        row = conn.execute(f"SELECT {KEY_COLUMNS} FROM keys WHERE key_id = ?",
                           (meta.get(conn, "current_key_id"),)).fetchone()
        return None if row is None else self._keys.load(row_to_key(row))

    def _anchor_found_keys(self) -> None:
        """A ledger from before anchoring: anchor the keys it lists now (first use), so any key
        added to the file from here on is caught."""
        with self._read("read") as conn:
            keys = meta.key_rows(conn)
            last_seq, last_hash, recorded_at = meta.last_record(conn)
        if not keys:
            return
        now = format_utc(utc_now())
        self._anchorer.anchor_keys([AnchoredKey(info.key_id, str(info.algorithm), info.check, str(info.storage),
                                                info.username, now, first_use=True) for info in keys])
        legacy = self.head()
        if legacy is not None and last_seq:
            self._anchorer.committed(SignedHead(last_seq, last_hash, legacy.key_id, legacy.signature,
                                                recorded_at=recorded_at))
        log.info("Ledger %s: anchored its %s existing key(s) on first use", self.path, len(keys))


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return info.st_dev, info.st_ino
