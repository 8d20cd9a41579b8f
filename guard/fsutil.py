"""The one way the app writes a file: atomically, durably and private to the user; and the one
way it reads a file someone else may have put in its place (:func:`read_regular`).

Everything the app writes (settings, the key file, letters, exports, the window's state) holds
personal data or decides what is shared, so files are 0600 and new folders 0700, and a reader
sees the old file or the new one, never half of one: the data goes to a temporary file in the
same folder, is fsynced, renamed over the target, and the folder is fsynced.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

log = logging.getLogger(__name__)

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(folder: Path) -> Path:
    """Create ``folder`` (and its parents) readable by the user only; an existing one is left as it is."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    return folder


@contextlib.contextmanager
def atomic_file(path: Path, mode: int = FILE_MODE, *, buffering: int = 1 << 20) -> Iterator[BinaryIO]:
    """A binary file that becomes ``path`` only when the block ends without an error.

    Raises OSError (e.g. ENOSPC) with the original file untouched and no temporary file left.
    """
    import tempfile  # here, not at the top: reading settings (every command) needs none of it

    path = Path(path)
    private_dir(path.parent)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(fd, "wb", buffering=buffering) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    fsync_dir(path.parent)


def atomic_write_bytes(path: Path, data: bytes, mode: int = FILE_MODE) -> None:
    """Replace ``path`` with ``data`` (see :func:`atomic_file`)."""
    with atomic_file(path, mode) as handle:
        handle.write(data)


def atomic_write_text(path: Path, text: str, mode: int = FILE_MODE) -> None:
    """:func:`atomic_write_bytes` for UTF-8 text."""
    atomic_write_bytes(path, text.encode("utf-8"), mode)


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (no-op where directories cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def read_regular(path: Path, limit: int, *, follow: bool = True) -> tuple[bytes, os.stat_result]:
    """Up to ``limit + 1`` bytes of ``path`` and its ``fstat``, when it is a regular file (a link to
    one is fine unless ``follow`` is False: then a link raises OSError ``ELOOP``, never followed):
    a caller seeing more than ``limit`` bytes knows the file is too big.

    Opened without blocking (a named pipe would otherwise wait for a writer) and checked with
    ``fstat`` on the open file (no race with a swap); reading stops after ``limit + 1`` bytes (a
    link to /dev/zero would never end). Raises :class:`NotRegularFile` for anything else, and
    OSError as ``open()`` does."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags if follow else flags | getattr(os, "O_NOFOLLOW", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(info.st_mode)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks), info
    finally:
        os.close(fd)


def read_small_json(path: Path, limit: int, *, own: bool = False) -> Any:
    """The JSON value in ``path`` (UTF-8, at most ``limit`` bytes), or None when there is none
    to read: missing, a link (never followed), not a regular file, too big, another user's (with
    ``own``, on POSIX) or not JSON. Opened once; every check is on the open file."""
    import errno
    import json

    try:
        raw, info = read_regular(path, limit, follow=False)
    except FileNotFoundError:
        return None
    except (OSError, NotRegularFile) as error:
        if not isinstance(error, OSError) or error.errno == errno.ELOOP:
            log.warning("%s is not read: it is %s", path,
                        "a link" if isinstance(error, OSError) else getattr(error, "kind", "not a regular file"))
        return None
    if len(raw) > limit:
        log.warning("%s is not read: it is larger than %d bytes", path, limit)
        return None
    if own and hasattr(os, "getuid") and info.st_uid != os.getuid():
        log.warning("%s is not read: it belongs to another user", path)
        return None
    try:
        return json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):  # RecursionError: arrays nested thousands deep
        return None


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


class NotRegularFile(Exception):
    """A path that is a folder, a named pipe, a device or a socket where a file was expected."""

    def __init__(self, mode: int) -> None:
        self.kind = next((label for test, label in _KINDS if test(mode)), "not a regular file")
        super().__init__(f"is {self.kind}, not a regular file")
