"""An exclusive lock between processes on a small lock file next to the file it guards
(``settings.toml.lock``), for a check-then-write that must not interleave with another's.

The lock file is created once (0600, never through a symbolic link) and never deleted: deleting
it would let a third process lock a new file while the second still holds the old one. The lock
is the open file's (``flock`` on POSIX, ``msvcrt.locking`` on Windows) and goes with it, so it is
released on every path, a crash included. Waiting has a deadline, so a process that keeps the
lock (stopped or hung) cannot hold up a save for ever.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from guard.fsutil import FILE_MODE, private_dir

WAIT_S = 10.0


class FileLocked(OSError):
    """Another process held the lock for longer than the wait allowed; its message says what to do,
    and ``strerror`` the reason alone, for windows that say "cannot write FILE (reason)"."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.strerror = reason


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


@contextlib.contextmanager
def exclusive(path: Path, *, wait_s: float = WAIT_S) -> Iterator[None]:
    """Hold the lock that guards ``path`` for the block (threads of one process exclude each
    other too: each call opens the lock file anew)."""
    target = lock_path(Path(path))
    private_dir(target.parent)
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(target, flags, FILE_MODE)
    try:
        _acquire(fd, target, path, wait_s)
        yield
    finally:
        os.close(fd)  # releases the lock


def _acquire(fd: int, target: Path, path: Path, wait_s: float) -> None:
    deadline = time.monotonic() + wait_s
    while not _try_lock(fd):
        if time.monotonic() >= deadline:
            reason = "another Meeting Privacy Guard window or command is saving it; close that one and try again"
            raise FileLocked(f"{path} was not saved: {reason} (its lock {target} was held for {wait_s:g} s).", reason)
        time.sleep(0.01)


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True
