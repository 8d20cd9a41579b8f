"""Telling storage faults apart from damage (issue 16 item 15), for every store (the consent
ledger, the terms store): a full disk, a read-only folder, a missing permission and a lock
each get their own kind and their own words, and only real damage is damage.

* :func:`classify_sqlite` / :func:`classify_os` say which kind of fault an error is.
* :func:`advice` says, in a sentence for the user, what each kind means and what to do.
* :func:`set_aside` moves a really damaged file out of the way under a new name, never
  overwriting anything (not even an earlier set-aside copy). Call it only after SQLite's
  ``PRAGMA integrity_check`` (or a failed open of a file that is not SQLite at all) showed
  damage, never because of a full disk, a lock or a permission.

Pure apart from the two file-system reads that tell a read-only mount from a permission, and
:func:`set_aside` itself.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from guard.i18n import N_, Text


class StorageFault(StrEnum):
    DISK_FULL = "disk-full"
    READ_ONLY = "read-only"  # the file system (or the folder's mount) is read-only
    PERMISSION = "permission"  # the file or folder belongs to someone else or is not writable
    LOCKED = "locked"  # another program holds the file's lock
    DAMAGED = "damaged"  # the file is not a (healthy) database
    MISSING = "missing"  # the file or its folder is not there
    OTHER = "other"

    @property
    def is_damage(self) -> bool:
        return self == StorageFault.DAMAGED


_OS_FAULTS = {
    errno.ENOSPC: StorageFault.DISK_FULL, errno.EDQUOT: StorageFault.DISK_FULL, errno.EFBIG: StorageFault.DISK_FULL,
    errno.EROFS: StorageFault.READ_ONLY, errno.EACCES: StorageFault.PERMISSION, errno.EPERM: StorageFault.PERMISSION,
    errno.ENOENT: StorageFault.MISSING, errno.ENOTDIR: StorageFault.MISSING,
}


def classify_os(error: OSError) -> StorageFault:
    return _OS_FAULTS.get(error.errno or 0, StorageFault.OTHER)


def classify_sqlite(error: sqlite3.Error, path: Path) -> StorageFault:
    """Which fault a SQLite error on the file ``path`` is. SQLite reports a read-only folder,
    a missing permission and a missing folder alike ("unable to open database file"), so
    those are told apart by looking at the folder."""
    name = getattr(error, "sqlite_errorname", "") or ""
    text = str(error).lower()
    if name.startswith("SQLITE_FULL") or "disk is full" in text or "database or disk is full" in text:
        return StorageFault.DISK_FULL
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in text:
        return StorageFault.LOCKED
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in text or "not a database" in text:
        return StorageFault.DAMAGED
    if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH", "SQLITE_IOERR")) or (
            "readonly" in text or "unable to open" in text):
        return _why_not_writable(Path(path))
    return StorageFault.OTHER


_NEARLY_FULL = 64 * 1024  # bytes: SQLite reports a full disk as an I/O error when it cannot grow its side files


def _why_not_writable(path: Path) -> StorageFault:
    folder = path.parent
    try:
        if not folder.is_dir():
            return StorageFault.MISSING
        space = os.statvfs(folder)
        if space.f_flag & os.ST_RDONLY:
            return StorageFault.READ_ONLY
        if space.f_bavail * space.f_frsize < _NEARLY_FULL:
            return StorageFault.DISK_FULL
    except PermissionError:
        return StorageFault.PERMISSION
    except OSError:
        pass
    for target in (path, folder):
        if target.exists() and not os.access(target, os.W_OK):
            return StorageFault.PERMISSION
    return StorageFault.OTHER


def advice(fault: StorageFault, path: Path, what: str | Text) -> str:
    """What ``fault`` on ``path`` means for ``what`` (e.g. "The new record was NOT saved"),
    and what the user can do, in one or two sentences."""
    return str(advice_text(fault, path, what))


def advice_text(fault: StorageFault, path: Path, what: str | Text) -> Text:
    """:func:`advice` as a sentence the UI can translate (guard.i18n)."""
    folder, where = str(Path(path).parent), str(path)
    if fault == StorageFault.DISK_FULL:
        return Text.of(N_("the disk holding {folder} is full. {what}; nothing saved before is lost. Free some space "
                          "and try again."), folder=folder, what=what)
    if fault == StorageFault.READ_ONLY:
        return Text.of(N_("the folder {folder} is on a read-only file system. {what}; nothing saved before is lost. "
                          "Mount it writable again, or choose another data folder in the settings."),
                       folder=folder, what=what)
    if fault == StorageFault.PERMISSION:
        return Text.of(N_("you do not have permission to write {path} or its folder {folder}. {what}; nothing saved "
                          "before is lost. Make them yours again (e.g. chown -R \"$USER\" {folder})."),
                       path=where, folder=folder, what=what)
    if fault == StorageFault.LOCKED:
        return Text.of(N_("another program kept {path} locked. {what}; nothing was lost. Try again in a moment."),
                       path=where, what=what)
    if fault == StorageFault.MISSING:
        return Text.of(N_("{path} or its folder {folder} is missing. {what}."), path=where, folder=folder, what=what)
    if fault == StorageFault.DAMAGED:
        return Text.of(N_("{path} is damaged. {what}."), path=where, what=what)
    return Text.of(N_("{what}."), what=what)


def set_aside(path: Path, *, now: datetime | None = None) -> Path:
    """Move the damaged file ``path`` to ``<name>.broken-<UTC time>[-n]`` beside it and return
    the new path. Never overwrites: an existing name gets the next number. Raises OSError."""
    path = Path(path)
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    for n in range(1, 1000):
        target = path.with_name(f"{path.name}.broken-{stamp}" + (f"-{n}" if n > 1 else ""))
        try:
            os.link(path, target)  # fails if the name is taken; rename would replace it
        except FileExistsError:
            continue
        os.unlink(path)
        return target
    raise OSError(errno.EEXIST, f"no free name to set {path} aside")
