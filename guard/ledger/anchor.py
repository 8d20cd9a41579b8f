"""What the ledger keeps outside its own file, so that a changed, replaced or rolled-back
file shows: the fingerprints of the keys this computer made for it (the *trusted* keys),
and its latest signed head.

Two copies:

* in the OS keyring (entry ``consent-ledger-<ledger id>-anchor``), out of reach of anyone
  who can only write to the data folder; plus an entry per ledger location that names the
  ledger kept there, so a ledger swapped for another one shows too;
* in ``ledger.anchor`` beside the ledger: written before an append is acknowledged, so even
  the newest record is covered, but only as safe as the folder it sits in.

A key that appears only inside the ledger file is never trusted. Without a keyring the
anchor file is all there is, and :mod:`guard.ledger.limits` says what that cannot catch.

The anchor as a value is in :mod:`guard.ledger.anchor_model`, the keyring's copy in
:mod:`guard.ledger.keyring_anchor`; both are importable from here.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import logging
import os
import stat
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from guard.ledger.anchor_model import Anchor, AnchoredKey, AnchorError
from guard.ledger.head import SignedHead
from guard.ledger.keyring_anchor import KeyringAnchor, anchor_username, location_username

__all__ = ["ANCHOR_FILE", "LOCK_WAIT_S", "Anchor", "AnchoredKey", "AnchorError", "AnchorFile", "KeyringAnchor",
           "anchor_username", "location_username", "remove_anchor_file"]

log = logging.getLogger(__name__)

ANCHOR_FILE = "ledger.anchor"
_SLOT = 16384
_MAGIC = b"MPG-LEDGER-ANCHOR 1"
LOCK_WAIT_S = 10.0
"""How long to wait for another process's lock on the anchor file (each write holds it for a
moment); a program that holds it for good gets an AnchorError, not an app that waits for ever."""


# --- the anchor file ---------------------------------------------------------------------

class AnchorFile:
    """``ledger.anchor``: two fixed-size slots, written in turn, each with its own checksum.

    An update rewrites the older slot in place (no rename), so a crash mid-write leaves the
    other slot whole: readers take the newest valid slot. Once ``update`` returns, the new head
    is in the file for every other process (a killed writer loses nothing); ``sync=False``
    leaves making it survive a power cut to a later :meth:`sync` (one ``fdatasync``), which
    the anchorer batches. Updates from several processes are serialised with ``flock`` and
    merged, so the head only moves forward. The file is 0600 and never followed through a
    symbolic link.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._fd: int | None = None
        self._identity: tuple[int, int] | None = None
        self._lock = threading.Lock()  # flock does not separate threads sharing one descriptor
        self._unsynced = False
        self._cached: tuple[int, Anchor | None] = (0, None)  # (counter, anchor) of this object's last write

    def read(self) -> Anchor | None:
        """The newest valid copy, or None when there is no anchor file."""
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except FileNotFoundError:
            return None
        except OSError as error:
            raise AnchorError(_os_problem(self.path, error)) from None
        try:
            self._lock_file(fd, fcntl.LOCK_SH)
            return self._newest(fd)[1]
        finally:
            os.close(fd)

    def update(self, ledger_id: str, keys: Iterable[AnchoredKey] = (), head: SignedHead | None = None,
               in_keyring_since: str | None = None, *, sync: bool = True, replace_head: bool = False) -> Anchor:
        """Merge ``keys`` and ``head`` into the anchor; durable on disk before returning
        unless ``sync`` is False (then call :meth:`sync` soon). ``replace_head``: see Anchor.merged."""
        with self._lock:
            return self._update(ledger_id, keys, head, in_keyring_since, sync, replace_head)

    def sync(self) -> None:
        """Make the updates so far survive a power cut. The disk flush runs on a duplicate of
        the descriptor outside the lock, so an append never waits for it."""
        with self._lock:
            if self._fd is None or not self._unsynced:
                return
            try:
                fd = os.dup(self._fd)
            except OSError as error:
                raise AnchorError(_os_problem(self.path, error)) from None
            self._unsynced = False  # updates from here on need a later sync
        try:
            os.fdatasync(fd)
        except OSError as error:
            with self._lock:
                self._unsynced = True
            raise AnchorError(_os_problem(self.path, error)) from None
        finally:
            os.close(fd)

    def _update(self, ledger_id: str, keys: Iterable[AnchoredKey], head: SignedHead | None,
                in_keyring_since: str | None, sync: bool, replace_head: bool = False) -> Anchor:
        fd = self._open_for_update()
        self._lock_file(fd, fcntl.LOCK_EX)
        try:
            counter, current = self._cached if self._unchanged(fd) else self._newest(fd, ignore_damage=True)
            if current is None or current.ledger_id != ledger_id:
                current = Anchor(ledger_id)
            anchor = current.merged(keys, head, in_keyring_since, replace_head=replace_head)
            if anchor == current and counter:
                return anchor
            payload = anchor.to_json().encode("utf-8")
            digest = hashlib.sha256(payload).hexdigest().encode("ascii")
            slot = _MAGIC + b" %d %d " % (counter + 1, len(payload)) + digest + b"\n" + payload
            if len(slot) > _SLOT:
                raise AnchorError(f"the anchor for {self.path} has grown past {_SLOT} bytes ({len(anchor.keys)} keys)")
            os.pwrite(fd, slot, ((counter + 1) % 2) * _SLOT)  # the slot's header says how much of it counts
            if sync:
                os.fdatasync(fd)
            self._unsynced = not sync
            self._cached = (counter + 1, anchor)
            return anchor
        except OSError as error:
            raise AnchorError(_os_problem(self.path, error)) from None
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)

    def _lock_file(self, fd: int, kind: int) -> None:
        """``flock`` with a deadline (:data:`LOCK_WAIT_S`), so a process that keeps the file locked
        (stopped, hung or hostile) cannot hold up an append, or the app's answer to the user, for ever."""
        deadline = time.monotonic() + LOCK_WAIT_S
        while True:
            try:
                fcntl.flock(fd, kind | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise AnchorError(f"{self.path} is locked by another program (waited {LOCK_WAIT_S:g} s); "
                                      "close other Meeting Privacy Guard windows or commands and try again") from None
                time.sleep(0.05)
            except OSError as error:
                raise AnchorError(_os_problem(self.path, error)) from None

    def _unchanged(self, fd: int) -> bool:
        """Whether the newest slot is still the one this object wrote last (its header's
        counter), so the anchor need not be read and parsed again."""
        if self._cached[1] is None:
            return False
        counters = []
        for index in (0, 1):
            header = os.pread(fd, 128, index * _SLOT).partition(b"\n")[0].split(b" ")
            counters.append(int(header[2]) if len(header) == 5 and header[2].isdigit() else 0)
        return max(counters) == self._cached[0]

    def close(self) -> None:
        with self._lock:
            self._close()

    def _close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def _open_for_update(self) -> int:
        try:
            info = os.lstat(self.path)
        except FileNotFoundError:
            info = None
        except OSError as error:
            raise AnchorError(_os_problem(self.path, error)) from None
        if self._fd is not None and (info is None or (info.st_dev, info.st_ino) != self._identity):
            self._close()  # removed or replaced since: start a new file rather than write into the old one
            self._cached = (0, None)
        if self._fd is None:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
            except OSError as error:
                raise AnchorError(_os_problem(self.path, error)) from None
            opened = os.fstat(fd)
            if not stat.S_ISREG(opened.st_mode):
                os.close(fd)
                raise AnchorError(f"{self.path} is not a regular file; move it aside")
            if stat.S_IMODE(opened.st_mode) & 0o077:
                os.fchmod(fd, 0o600)
            self._fd, self._identity = fd, (opened.st_dev, opened.st_ino)
        return self._fd

    def _newest(self, fd: int, ignore_damage: bool = False) -> tuple[int, Anchor | None]:
        best: tuple[int, Anchor | None] = (0, None)
        damaged = []
        for index in (0, 1):
            data = os.pread(fd, _SLOT, index * _SLOT)
            if not data.strip(b"\n\0"):
                continue
            try:
                counter, anchor = _parse_slot(data)
            except ValueError as error:
                damaged.append(str(error))
                continue
            if counter > best[0]:
                best = (counter, anchor)
        if best[1] is None and damaged and not ignore_damage:
            raise AnchorError(f"the anchor file {self.path} is damaged ({'; '.join(damaged)})")
        return best


def _parse_slot(data: bytes) -> tuple[int, Anchor]:
    header, _, rest = data.partition(b"\n")
    parts = header.split(b" ")
    if len(parts) != 5 or b" ".join(parts[:2]) != _MAGIC:
        raise ValueError("not an anchor slot")
    counter, length = int(parts[2]), int(parts[3])
    payload = rest[:length]
    if len(payload) != length or hashlib.sha256(payload).hexdigest().encode("ascii") != parts[4]:
        raise ValueError("checksum mismatch")
    return counter, Anchor.from_json(payload.decode("utf-8"))


def _os_problem(path: Path, error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return f"{path} is a symbolic link; the anchor file must be a regular file (refused, not followed)"
    return f"{path}: {error.strerror or error}"


def remove_anchor_file(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
