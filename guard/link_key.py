"""The install's secret key for link pseudonyms (guard/detect/redaction.py ``pseudonym``).

A person's name in a link's path (``zoom.us/my/<name>``) is shown, stored and exported as
``redacted-`` and an HMAC-SHA-256 of the name under this key, so nobody holding a list of names can
turn a pseudonym back into one. The key is 32 random bytes, made on first use, kept as hex in
``link-key`` in the app's data folder with the protections of the ledger's key file (0600 in a 0700
folder, never read through a link, another user's file refused). Not in the OS keyring: every process
that redacts (the detector's tick, the browser host, the command line) must read it at once, without
an unlock prompt or a keyring's 15-second wait; it hides names from readers of exports and logs, not
from the user's own account. The browser host hands it to the extension in its ``hello`` reply, so
both sides give one name one pseudonym.

Fail closed: a key that cannot be read or made gives None, and names are then redacted with no
pseudonym at all (never with an unkeyed hash); the log says which file and what to do.
"""

from __future__ import annotations

import errno
import logging
import os
import secrets
import threading
from functools import lru_cache
from pathlib import Path

from guard.fsutil import NotRegularFile, atomic_write_bytes, private_dir, read_regular
from guard.paths import app_paths

log = logging.getLogger(__name__)

KEY_BYTES = 32
FILE_NAME = "link-key"
_LOCK = threading.Lock()  # one reader or maker at a time in this process: threads share the one key it settles on


def key_file() -> Path:
    """Where this install's link key lives (the data folder of :func:`guard.paths.app_paths`)."""
    return app_paths().data_dir / FILE_NAME


def link_key() -> bytes | None:
    """This install's link key, made on first use; None when it cannot be read or made (logged once)."""
    with _LOCK:
        return _loaded(key_file())


@lru_cache(maxsize=4)
def _loaded(path: Path) -> bytes | None:
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    except (OSError, NotRegularFile, ValueError) as error:
        log.warning("The link key %s cannot be used (%s): names in meeting links are redacted with no pseudonym. "
                    "Move the file aside and restart the app to make a new key.", path, error)
        return None
    try:
        return _make(path)
    except (OSError, NotRegularFile, ValueError) as error:
        log.warning("The link key %s could not be made (%s): names in meeting links are redacted with no pseudonym. "
                    "Check that the folder is writable.", path, error)
        return None


def _read(path: Path) -> bytes:
    raw, info = read_regular(path, 1024, follow=False)
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise ValueError("it belongs to another user")
    if info.st_mode & 0o077:
        os.chmod(path, 0o600, follow_symlinks=False)
    text = raw.decode("ascii", "replace").strip()
    if len(text) != KEY_BYTES * 2 or any(ch not in "0123456789abcdef" for ch in text):
        raise ValueError(f"not {KEY_BYTES * 2} hex digits")
    return bytes.fromhex(text)


def _make(path: Path) -> bytes:
    """A new key, written only where no file is yet: two processes starting at once keep the one written
    first (a hard link never replaces), and both read that one back."""
    private_dir(path.parent)
    draft = path.with_name(f".{FILE_NAME}.{os.getpid()}.new")
    atomic_write_bytes(draft, secrets.token_bytes(KEY_BYTES).hex().encode("ascii") + b"\n")
    try:
        os.link(draft, path)
    except OSError as error:
        if error.errno != errno.EEXIST:
            raise
    finally:
        draft.unlink(missing_ok=True)
    log.info("Made the link key %s", path)
    return _read(path)


def forget() -> None:
    """Read the key again at its next use (after the app's home moved, in tests)."""
    with _LOCK:
        _loaded.cache_clear()
