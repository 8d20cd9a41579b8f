"""The one way the app writes a file: atomically, durably and private to the user.

Everything the app writes (settings, the key file, letters, exports, the window's state) holds
personal data or decides what is shared, so files are 0600 and new folders 0700, and a reader
sees the old file or the new one, never half of one: the data goes to a temporary file in the
same folder, is fsynced, renamed over the target, and the folder is fsynced.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

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
