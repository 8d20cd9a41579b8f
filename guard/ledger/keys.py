"""Where the ledger's signing keys live: the OS keyring, or, when there is none (or it
fails), a key file with 0600 permissions next to the ledger. The choice is always said
plainly through :class:`KeyStatus`; a key is never silently kept nowhere.

Keys are stored under service ``meeting-privacy-guard`` with a per-key username that the
ledger's ``keys`` table records, together with where the key went and a check value that
tells the right key from a replaced one (the public key's fingerprint for Ed25519 keys, an
HMAC check value for the secrets of ledgers written before Ed25519). Whether a key listed in
the file is *trusted* is decided elsewhere (guard.ledger.anchor): the file alone never says.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import errno
import json
import logging
import os
import secrets
import stat
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keyring
import keyring.backend
import keyring.errors
from keyring.backends import chainer, fail, null

from guard.fsutil import atomic_write_text
from guard.keyring_call import KeyringNoAnswer, ask, caller_gone
from guard.keyring_prompt import with_bounded_prompts
from guard.ledger.key_info import KeyInfo as KeyInfo  # importable from here, as before
from guard.ledger.key_status import KeyAlgorithm, KeyState, KeyStatus, KeyStorage
from guard.ledger.canonical import key_check
from guard.ledger.errors import LedgerKeyError
from guard.ledger.signing import SigningKey, is_signing_key_text

log = logging.getLogger(__name__)

SERVICE = "meeting-privacy-guard"
SECRET_BYTES = 32

_backend_found = threading.Event()  # keyring has chosen its backend in this process (see usable_keyring)

_BACKEND_NAMES = {
    "keyring.backends.SecretService": "Secret Service",
    "guard.keyring_prompt": "Secret Service",  # the same, its unlock prompts waited for a bounded time
    "keyring.backends.libsecret": "Secret Service (libsecret)",
    "keyring.backends.kwallet": "KWallet",
    "keyring.backends.Windows": "Windows Credential Manager",
    "keyring.backends.macOS": "macOS Keychain",
}


@dataclass(frozen=True)
class LoadedKey:
    """A key row with its private part, when it could be read: ``secret`` for an HMAC key,
    ``signer`` for an Ed25519 key."""

    info: KeyInfo
    secret: bytes | None
    status: KeyStatus
    signer: SigningKey | None = None

    @property
    def can_sign(self) -> bool:
        return self.status.state == KeyState.OK and (self.signer is not None or self.secret is not None)


def backend_name(backend: keyring.backend.KeyringBackend) -> str:
    if isinstance(backend, chainer.ChainerBackend):
        return " + ".join(backend_name(b) for b in backend.backends) or "none"
    return _BACKEND_NAMES.get(type(backend).__module__, getattr(backend, "name", type(backend).__name__))


def usable_keyring() -> tuple[keyring.backend.KeyringBackend | None, str]:
    """The OS keyring backend and its name, or None and why there is none.

    Finding the backend the first time asks D-Bus which keyrings run (so it has a deadline);
    keyring keeps the one found, and later calls answer from that without I/O. So a keyring that
    hangs later is still named here, and its calls, not its absence, are what get reported."""
    try:
        if _backend_found.is_set():
            backend = with_bounded_prompts(keyring.get_keyring())  # a type check: no I/O
        else:
            backend = with_bounded_prompts(ask("find the keyring", keyring.get_keyring, retry=False))
            _backend_found.set()
    except KeyringNoAnswer as error:
        return None, str(error)
    except Exception as error:  # noqa: BLE001  (a broken keyring configuration must not stop the ledger)
        return None, f"the keyring failed to start ({error})"
    if isinstance(backend, fail.Keyring):
        return None, "no keyring backend is installed or running"
    if isinstance(backend, null.Keyring):
        return None, "the keyring is switched off (null backend)"
    if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        return None, "no keyring backend is installed or running"
    return backend, backend_name(backend)


class KeyVault:
    """Creates, loads and deletes the ledger's signing keys."""

    def __init__(self, key_file: Path) -> None:
        self.key_file = Path(key_file)

    def planned_status(self) -> KeyStatus:
        """Where a new key would go right now (shown before the first record exists)."""
        backend, name = usable_keyring()
        if backend is None:
            return KeyStatus(KeyState.NONE, KeyStorage.FILE, key_file=self.key_file, fallback_reason=name,
                             algorithm=KeyAlgorithm.ED25519)
        return KeyStatus(KeyState.NONE, KeyStorage.KEYRING, backend=name, algorithm=KeyAlgorithm.ED25519)

    def create_signing_key(self, username: str) -> tuple[SigningKey, KeyStorage, str | None, KeyStatus]:
        """A new Ed25519 key, stored in the keyring if it works, else in the key file:
        ``(key, storage, why not the keyring, status)``."""
        signer = SigningKey.generate()
        storage, reason, status = self._store(username, signer.to_text())
        return signer, storage, reason, dataclasses.replace(status, algorithm=KeyAlgorithm.ED25519,
                                                            fingerprint=signer.fingerprint)

    def create_hmac_secret(self, key_id: str, username: str, created_at: str) -> LoadedKey:
        """A legacy HMAC secret (only to build ledgers as older versions wrote them, in tests)."""
        secret = secrets.token_bytes(SECRET_BYTES)
        storage, reason, status = self._store(username, base64.b64encode(secret).decode("ascii"))
        info = KeyInfo(key_id, username, storage, key_check(secret, key_id), created_at, reason)
        return LoadedKey(info, secret, dataclasses.replace(status, algorithm=KeyAlgorithm.HMAC))

    def _store(self, username: str, text: str) -> tuple[KeyStorage, str | None, KeyStatus]:
        backend, name = usable_keyring()
        reason = name
        if backend is not None:
            try:
                ask(f"store key {username}", lambda: backend.set_password(SERVICE, username, text))
                if ask(f"read back key {username}", lambda: backend.get_password(SERVICE, username)) != text:
                    raise RuntimeError("it did not return the key just stored")
                log.info("Ledger key %s stored in the keyring (%s)", username, name)
                return KeyStorage.KEYRING, None, KeyStatus(KeyState.OK, KeyStorage.KEYRING, backend=name,
                                                           username=username)
            except Exception as error:  # noqa: BLE001  (locked, refused, hung, D-Bus gone: fall back, say why)
                reason = f"{name} failed: {error}".rstrip(": ")
                log.warning("Could not store the ledger key in the keyring (%s); using %s", reason, self.key_file)
        if caller_gone():  # the app is quitting: a key file now would be for want of time, not of a keyring
            raise LedgerKeyError(f"The ledger's signing key was not made: {reason}. No record was written.")
        try:
            self._write_file_secret(username, text)
        except OSError as error:
            raise LedgerKeyError(
                f"Could not store the ledger's signing key: the keyring is not usable ({reason}) and the key "
                f"file {self.key_file} could not be written ({error.strerror or error}). Free disk space or fix "
                f"the folder's permissions, then try again. No record was written."
            ) from error
        log.warning("Ledger key %s stored in key file %s (no keyring available: %s)", username, self.key_file, reason)
        return KeyStorage.FILE, reason, KeyStatus(KeyState.OK, KeyStorage.FILE, key_file=self.key_file,
                                                  fallback_reason=reason, username=username)

    def load(self, info: KeyInfo) -> LoadedKey:
        """The private key for ``info`` and its status (never raises for a missing or broken store)."""
        if info.storage == KeyStorage.KEYRING:
            text, status = self._load_from_keyring(info)
        else:
            text, status = self._load_from_file(info)
        status = dataclasses.replace(status, algorithm=info.algorithm,
                                     fingerprint=info.check if info.algorithm == KeyAlgorithm.ED25519 else None)
        if text is None:
            return LoadedKey(info, None, status)
        if info.algorithm == KeyAlgorithm.ED25519:
            try:
                signer = SigningKey.from_text(text) if is_signing_key_text(text) else None
            except ValueError:
                signer = None
            if signer is None or signer.fingerprint != info.check or signer.public_text != info.public_key:
                return LoadedKey(info, None, _with_state(status, KeyState.REPLACED))
            return LoadedKey(info, None, status, signer)
        try:
            secret = base64.b64decode(text.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError, ValueError):
            secret = None
        if secret is None or key_check(secret, info.key_id) != info.check:
            return LoadedKey(info, None, _with_state(status, KeyState.REPLACED))
        return LoadedKey(info, secret, status)

    def delete(self, info: KeyInfo) -> str | None:
        """Remove the keyring entry for ``info``; returns a problem to report, or None.
        (File keys go with the key file, which erasure deletes.)"""
        if info.storage != KeyStorage.KEYRING:
            return None
        return delete_keyring_entry(info.username)

    # --- the keyring -------------------------------------------------------------------

    def _load_from_keyring(self, info: KeyInfo) -> tuple[str | None, KeyStatus]:
        backend, name = usable_keyring()
        if backend is None:
            status = KeyStatus(KeyState.UNAVAILABLE, KeyStorage.KEYRING, backend="OS keyring", problem=name,
                               username=info.username)
            return None, status
        status = KeyStatus(KeyState.OK, KeyStorage.KEYRING, backend=name, username=info.username)
        try:
            text = ask(f"read key {info.username}", lambda: backend.get_password(SERVICE, info.username))
        except Exception as error:  # noqa: BLE001  (locked or hung keyring, D-Bus failure)
            return None, _with_state(status, KeyState.UNAVAILABLE, problem=str(error) or type(error).__name__)
        if text is None:
            return None, _with_state(status, KeyState.LOST)
        return text, status

    # --- the key file ------------------------------------------------------------------

    def _load_from_file(self, info: KeyInfo) -> tuple[str | None, KeyStatus]:
        status = KeyStatus(KeyState.OK, KeyStorage.FILE, key_file=self.key_file, fallback_reason=info.reason,
                           username=info.username)
        try:
            keys = self._read_file()
        except FileNotFoundError:
            return None, _with_state(status, KeyState.LOST)
        except (OSError, ValueError) as error:
            return None, _with_state(status, KeyState.UNAVAILABLE, problem=f"key file unreadable: {error}")
        text = keys.get(info.username)
        if not isinstance(text, str):
            return None, _with_state(status, KeyState.LOST)
        return text, status

    def _read_file(self) -> dict[str, Any]:
        """The key file's keys. Never follows a symbolic link, and fixes loose permissions on
        the file it opened (not on whatever a path might point to)."""
        try:
            fd = os.open(self.key_file, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise OSError(errno.ELOOP, f"{self.key_file} is a symbolic link; the key file must be a "
                                           "regular file (refused, not followed)") from None
            raise
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise OSError(errno.EINVAL, f"{self.key_file} is not a regular file")
            mode = stat.S_IMODE(info.st_mode)
            if mode & 0o077:
                log.warning("Key file %s was readable by others (mode %o); restricting it to 0600", self.key_file, mode)
                os.fchmod(fd, 0o600)
            try:
                data = json.loads(handle.read(1_000_000).decode("utf-8"))
            except RecursionError:  # json recurses per nested array: 100,000 '[' fit in the 1 MB read
                raise ValueError("nested too deeply to be a key file") from None
        if not isinstance(data, dict) or not isinstance(data.get("keys"), dict):
            raise ValueError("not a Meeting Privacy Guard key file")  # noqa: TRY004  (bad content, not a bad call)
        keys: dict[str, Any] = data["keys"]
        return keys

    def _write_file_secret(self, username: str, text: str) -> None:
        if self.key_file.is_symlink():
            raise OSError(errno.ELOOP, f"{self.key_file} is a symbolic link; refusing to write a key through it")
        try:
            keys = self._read_file()
        except FileNotFoundError:
            keys = {}
        except ValueError as error:
            raise OSError(f"the existing key file is damaged ({error}); move it aside") from error
        keys[username] = text
        body = json.dumps({"format": 1, "service": SERVICE, "keys": keys}, indent=2, sort_keys=True)
        atomic_write_text(self.key_file, body + "\n", mode=0o600)


def delete_keyring_entry(username: str) -> str | None:
    """Delete one of the app's keyring entries; a problem to report, or None (gone already counts)."""
    backend, name = usable_keyring()
    if backend is None:
        return f"could not delete keyring entry '{username}': {name}"
    try:
        ask(f"delete {username}", lambda: backend.delete_password(SERVICE, username))
    except keyring.errors.PasswordDeleteError:
        return None  # already gone
    except Exception as error:  # noqa: BLE001  (said in the erase report)
        return f"could not delete keyring entry '{username}' from {name}: {error}"
    return None


def _with_state(status: KeyStatus, state: KeyState, problem: str | None = None) -> KeyStatus:
    return dataclasses.replace(status, state=state, problem=problem if problem is not None else status.problem)
