"""Keeping the ledger anchored while it is written (see guard.ledger.anchor for what and why).

* A new key is anchored in the keyring and the anchor file *before* the record it signs is
  committed, so a key of this computer's is never mistaken for a forger's.
* After each committed append the anchor file gets the new head before the append returns
  (so a killed writer, a deleted ``-wal`` or a copied-back file is caught); a background
  thread makes it survive a power cut (``fdatasync``) at most every ``batch_s`` seconds.
  The ledger's own commit is synced first, so the anchor is never ahead of the ledger.
* The keyring gets the head from the same thread, in the same batches: a keyring round trip
  takes longer than an append, so heads that arrive meanwhile are coalesced into the newest.
  A head after a quiet spell goes out at once; during a burst, once a second (a Secret
  Service write costs the writing process about as much CPU as a dozen appends).
  :meth:`Anchorer.flush` (called by ``Ledger.close`` and at interpreter exit) waits until
  the newest head is synced and in the keyring, so a clean shutdown never leaves an
  acknowledged record unanchored. A close that must be quick (the app quitting,
  ``Ledger.close(keyring_grace_s=...)``) syncs the anchor file, waits for the keyring only that
  long and then gives its call up: the head is then in the file only, said in
  :attr:`Anchorer.problem`, and anchored in the keyring when the ledger is next opened.

Failures never stop a record from being saved: they are logged and kept in
:attr:`Anchorer.problem`, which ``verify`` reports.
"""

from __future__ import annotations

import atexit
import logging
import sqlite3
import threading
import time
import weakref
from collections.abc import Sequence
from pathlib import Path

from guard.keyring_call import cancelled_by
from guard.ledger.anchor import (
    Anchor,
    AnchoredKey,
    AnchorError,
    AnchorFile,
    KeyringAnchor,
)
from guard.ledger.head import SignedHead
from guard.ledger.timeutil import format_utc, utc_now

log = logging.getLogger(__name__)

_open_anchorers: weakref.WeakSet[Anchorer] = weakref.WeakSet()


class Anchorer:
    """Anchors one open ledger (one per ``Ledger``; several may share a file)."""

    def __init__(self, ledger_path: Path, anchor_path: Path, ledger_id: str, *, batch_s: float = 1.0) -> None:
        self.file = AnchorFile(anchor_path)
        self.keyring = KeyringAnchor(ledger_id, ledger_path)
        self.ledger_id = ledger_id
        self.batch_s = batch_s
        self.problem: str | None = None  # the last anchoring failure, for verify to report
        self._cond = threading.Condition()
        self._pending: SignedHead | None = None
        self._busy = False
        self._closed = False
        self._give_up = threading.Event()  # set: the keyring call under way is given up (a quick close)
        self._replace_head = False  # the next keyring update replaces its head whatever it is (rekey)
        self._thread: threading.Thread | None = None
        _open_anchorers.add(self)

    # --- called by the ledger ----------------------------------------------------------------

    def anchor_keys(self, keys: Sequence[AnchoredKey]) -> None:
        """Anchor new keys now, in the keyring (when there is one) and in the file."""
        keyring_since = None
        if KeyringAnchor.available():
            try:
                self.keyring.update(keys=keys, seed=self._file_anchor())
                keyring_since = format_utc(utc_now())
            except AnchorError as error:
                self._fail(f"the new signing key could not be anchored in the keyring: {error}")
        try:
            self.file.update(self.ledger_id, keys=keys, in_keyring_since=keyring_since)
        except AnchorError as error:
            self._fail(f"the new signing key could not be anchored in the anchor file: {error}")

    def committed(self, head: SignedHead, *, replace_head: bool = False) -> None:
        """A transaction ending at ``head`` was committed: anchor it (file now, keyring soon).
        ``replace_head``: in the anchor file even over a later head (``Ledger.rekey``: the user
        goes on from an older copy; the keyring keeps the later one, which verify reports)."""
        try:
            self.file.update(self.ledger_id, head=head, sync=False, replace_head=replace_head)
        except AnchorError as error:
            self._fail(f"the newest record could not be anchored in the anchor file: {error}")
        with self._cond:
            self._replace_head = self._replace_head or replace_head
            idle = self._pending is None
            if idle or head.seq >= self._pending.seq:  # type: ignore[union-attr]
                self._pending = head
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="ledger-anchor", daemon=True)
                self._thread.start()
            if idle:  # a thread already holding a head picks up this newer one by itself
                self._cond.notify_all()

    def adopt_location(self) -> None:
        """Note this ledger as the one kept at its location (``rekey``: the user's explicit word)."""
        if KeyringAnchor.available():
            try:
                self.keyring.note_location()
            except AnchorError as error:
                self._fail(f"could not note this ledger's location in the keyring: {error}")

    def flush(self, timeout: float = 30.0) -> bool:
        """Wait until the newest head is in the keyring; False if that took too long."""
        deadline = time.monotonic() + timeout
        with self._cond:
            if self._thread is None:
                return True
            self._cond.notify_all()
            while self._pending is not None or self._busy:
                left = deadline - time.monotonic()
                if left <= 0 or not self._thread.is_alive():
                    self._fail("the newest record was not anchored in the keyring before the ledger was closed")
                    return False
                self._cond.wait(left)
        return True

    def close(self, keyring_grace_s: float = 30.0) -> None:
        """Sync the anchor file, wait up to ``keyring_grace_s`` for the newest head to be in the
        keyring, then stop; a keyring call still waiting then is given up (see the module)."""
        try:
            self.file.sync()
        except AnchorError as error:
            self._fail(f"the anchor file could not be synced to disk: {error}")
        self.flush(keyring_grace_s)
        with self._cond:
            self._closed = True
            self._give_up.set()
            self._cond.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join(timeout=5)
        self.file.close()
        _open_anchorers.discard(self)

    # --- the keyring thread --------------------------------------------------------------

    def _run(self) -> None:
        last_write = 0.0
        while True:
            with self._cond:
                while self._pending is None and not self._closed:
                    self._cond.wait()
                if self._pending is None:
                    return
                wait = self.batch_s - (time.monotonic() - last_write)
                if wait > 0:
                    self._cond.wait(wait)  # let more heads arrive; a flush wakes us early
                head, self._pending, self._busy = self._pending, None, True
                replace_head, self._replace_head = self._replace_head, False
            try:
                self.file.sync()
            except AnchorError as error:
                self._fail(f"the anchor file could not be synced to disk: {error}")
            try:
                with cancelled_by(self._give_up):  # a quick close gives the keyring's call up
                    if not self._give_up.is_set() and KeyringAnchor.available():
                        self.keyring.update(head=head, seed=self._file_anchor(), holds=self._holds,
                                            replace_head=replace_head)
                        self.file.update(self.ledger_id, in_keyring_since=format_utc(utc_now()))
            except AnchorError as error:
                self._fail(f"the newest record could not be anchored in the keyring: {error}")
            except Exception as error:  # never let the thread die with heads waiting
                log.exception("Anchoring the ledger head in the keyring failed")
                self._fail(f"anchoring in the keyring failed: {error!r}")
            finally:
                last_write = time.monotonic()
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

    def _holds(self, head: SignedHead) -> bool:
        """Whether the ledger file holds ``head``'s record as anchored (a read of its own; a
        ledger that cannot be read now holds nothing back)."""
        try:
            conn = sqlite3.connect(f"{self.keyring.ledger_path.as_uri()}?mode=ro", uri=True, timeout=5)
            try:
                row = conn.execute("SELECT hash FROM records WHERE seq = ?", (head.seq,)).fetchone()
            finally:
                conn.close()
        except sqlite3.Error:
            return True
        return not head.seq or (row is not None and row[0] == head.hash)

    def _file_anchor(self) -> Anchor | None:
        try:
            return self.file.read()
        except AnchorError:
            return None

    def _fail(self, problem: str) -> None:
        if problem != self.problem:
            log.warning("Ledger anchor: %s", problem)
        self.problem = problem


@atexit.register
def _flush_all() -> None:
    """A process that exits without closing its ledger still anchors what it acknowledged."""
    for anchorer in list(_open_anchorers):
        try:
            anchorer.flush(timeout=10)
        except Exception:  # at exit: never raise
            log.exception("Could not flush the ledger anchor at exit")
