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
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import logging
import os
import stat
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from guard.ledger.head import SignedHead
from guard.keyring_call import ask
from guard.ledger.keys import SERVICE, KeyInfo, delete_keyring_entry, usable_keyring

log = logging.getLogger(__name__)

ANCHOR_FILE = "ledger.anchor"
_SLOT = 16384
_MAGIC = b"MPG-LEDGER-ANCHOR 1"
LOCK_WAIT_S = 10.0
"""How long to wait for another process's lock on the anchor file (each write holds it for a
moment); a program that holds it for good gets an AnchorError, not an app that waits for ever."""


class AnchorError(Exception):
    """An anchor could not be read or written; the message says which and why."""


@dataclass(frozen=True)
class AnchoredKey:
    """A key this computer made for the ledger (or, ``first_use``, found in it when the ledger
    was first anchored: a ledger from before anchoring, or made while there was no keyring)."""

    key_id: str
    algorithm: str
    check: str  # the public key's fingerprint (Ed25519) or the HMAC check value
    storage: str
    username: str
    anchored_at: str
    first_use: bool = False

    @classmethod
    def of(cls, info: KeyInfo, anchored_at: str, first_use: bool = False) -> AnchoredKey:
        return cls(info.key_id, str(info.algorithm), info.check, str(info.storage), info.username, anchored_at,
                   first_use)

    def differs_from(self, info: KeyInfo) -> str | None:
        """The first field of the key row that is not what was anchored, or None."""
        for name, anchored, listed in (("fingerprint" if self.algorithm == "ed25519" else "check value", self.check,
                                        info.check), ("algorithm", self.algorithm, str(info.algorithm)),
                                       ("storage", self.storage, str(info.storage)),
                                       ("username", self.username, info.username)):
            if anchored != listed:
                return name
        return None


@dataclass(frozen=True)
class Anchor:
    """One copy of what is anchored for the ledger ``ledger_id``."""

    ledger_id: str
    keys: tuple[AnchoredKey, ...] = ()
    head: SignedHead | None = None
    in_keyring_since: str | None = None  # (the file's copy) since when the keyring holds one too

    def key(self, key_id: str) -> AnchoredKey | None:
        return next((key for key in self.keys if key.key_id == key_id), None)

    def merged(self, keys: Iterable[AnchoredKey] = (), head: SignedHead | None = None,
               in_keyring_since: str | None = None) -> Anchor:
        """This anchor plus new keys (an anchored key is never changed) and a newer head."""
        known = {key.key_id for key in self.keys}
        added = tuple(key for key in keys if key.key_id not in known)
        newer = head is not None and (self.head is None or head.seq >= self.head.seq)
        return replace(self, keys=self.keys + added, head=head if newer else self.head,
                       in_keyring_since=self.in_keyring_since or in_keyring_since)

    def to_json(self) -> str:
        data: dict[str, Any] = {"format": 1, "ledger_id": self.ledger_id, "keys": [dict(vars(k)) for k in self.keys],
                                "head": self.head.to_dict() if self.head else None}
        if self.in_keyring_since:
            data["in_keyring_since"] = self.in_keyring_since
        return json.dumps(data, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Anchor:
        try:
            data = json.loads(text)
            keys = tuple(AnchoredKey(str(k["key_id"]), str(k["algorithm"]), str(k["check"]), str(k["storage"]),
                                     str(k["username"]), str(k["anchored_at"]), bool(k.get("first_use", False)))
                         for k in data["keys"])
            head = SignedHead.from_dict(data["head"]) if data.get("head") is not None else None
            since = data.get("in_keyring_since")
            return cls(str(data["ledger_id"]), keys, head, None if since is None else str(since))
        except (KeyError, TypeError, ValueError, RecursionError) as error:  # a crafted one may nest 100,000 deep
            raise ValueError(f"damaged anchor ({error!r})") from None


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
               in_keyring_since: str | None = None, *, sync: bool = True) -> Anchor:
        """Merge ``keys`` and ``head`` into the anchor; durable on disk before returning
        unless ``sync`` is False (then call :meth:`sync` soon)."""
        with self._lock:
            return self._update(ledger_id, keys, head, in_keyring_since, sync)

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
                in_keyring_since: str | None, sync: bool) -> Anchor:
        fd = self._open_for_update()
        self._lock_file(fd, fcntl.LOCK_EX)
        try:
            counter, current = self._cached if self._unchanged(fd) else self._newest(fd, ignore_damage=True)
            if current is None or current.ledger_id != ledger_id:
                current = Anchor(ledger_id)
            anchor = current.merged(keys, head, in_keyring_since)
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


# --- the keyring ---------------------------------------------------------------------------

def anchor_username(ledger_id: str) -> str:
    return f"consent-ledger-{ledger_id}-anchor"


def location_username(ledger_path: Path) -> str:
    digest = hashlib.sha256(str(Path(ledger_path).absolute()).encode("utf-8")).hexdigest()
    return f"consent-ledger-location-{digest[:32]}"


class KeyringAnchor:
    """The keyring's copy of the anchor of one ledger, and the note of which ledger lives at
    its location. Every method raises AnchorError when the keyring cannot be reached."""

    def __init__(self, ledger_id: str, ledger_path: Path) -> None:
        self.ledger_id = ledger_id
        self.ledger_path = Path(ledger_path)

    @staticmethod
    def available() -> bool:
        return usable_keyring()[0] is not None

    def read(self) -> Anchor | None:
        text = _get(anchor_username(self.ledger_id))
        if text is None:
            return None
        try:
            return Anchor.from_json(text)
        except ValueError as error:
            raise AnchorError(f"the keyring's anchor for this ledger is damaged ({error})") from None

    def update(self, keys: Iterable[AnchoredKey] = (), head: SignedHead | None = None,
               seed: Anchor | None = None) -> Anchor:
        """Merge into the keyring's anchor; a new one starts from ``seed`` (the file's keys,
        anchored as first seen). Also notes this ledger at its location, if none is noted."""
        current = self.read()
        created = current is None
        if current is None:
            current = Anchor(self.ledger_id)
            if seed is not None and seed.ledger_id == self.ledger_id:
                current = current.merged([replace(key, first_use=True) for key in seed.keys], seed.head)
            if self.location() is None:
                self.note_location()
        anchor = current.merged(keys, head)
        if created or anchor != current:
            _set(anchor_username(self.ledger_id), anchor.to_json())
        return anchor

    def note_location(self) -> None:
        _set(location_username(self.ledger_path),
             json.dumps({"ledger_id": self.ledger_id, "path": str(self.ledger_path)}, sort_keys=True))

    def location(self) -> str | None:
        """The id of the ledger noted at this location, or None."""
        text = _get(location_username(self.ledger_path))
        if text is None:
            return None
        try:
            return str(json.loads(text)["ledger_id"])
        except (ValueError, KeyError, TypeError, RecursionError):
            return "(damaged note)"

    def delete(self, *, location: bool = True) -> list[str]:
        names = [anchor_username(self.ledger_id)] + ([location_username(self.ledger_path)] if location else [])
        return [problem for name in names if (problem := delete_keyring_entry(name))]


def _get(username: str) -> str | None:
    backend, name = usable_keyring()
    if backend is None:
        raise AnchorError(f"no keyring: {name}")
    try:
        return ask(f"read {username}", lambda: backend.get_password(SERVICE, username))
    except Exception as error:  # noqa: BLE001  (locked or hung keyring, D-Bus failure: said, never fatal)
        raise AnchorError(f"the keyring ({name}) could not be read: {error or type(error).__name__}") from None


def _set(username: str, text: str) -> None:
    backend, name = usable_keyring()
    if backend is None:
        raise AnchorError(f"no keyring: {name}")
    try:
        ask(f"write {username}", lambda: backend.set_password(SERVICE, username, text))
    except Exception as error:  # noqa: BLE001
        raise AnchorError(f"the keyring ({name}) refused the anchor: {error or type(error).__name__}") from None


def remove_anchor_file(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
