"""The ledger's files on disk: create a new one atomically, open an existing one without
ever writing to a file that is not a healthy ledger, translate SQLite's errors into ones a
user can act on, and remove everything on an explicit erase.

Files: ``ledger.sqlite3`` (+ ``-wal`` and ``-shm`` while open), ``ledger.anchor`` (the head
and trusted keys, see guard.ledger.anchor) and, only when no keyring is usable, ``ledger.key``.
All are private to the user (0600) and none is ever followed through a symbolic link.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import stat
import struct
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from pathlib import Path

from guard.fsutil import fsync_dir
from guard.ledger import schema
from guard.ledger.errors import (
    LedgerBusyError,
    LedgerCorruptError,
    LedgerError,
    LedgerFullError,
    LedgerPermissionError,
    LedgerReadOnlyError,
)
from guard.ledger.timeutil import format_utc, utc_now
from guard.i18n import N_, Text
from guard.storage_errors import StorageFault, advice_text, classify_os, classify_sqlite, set_aside
from guard.sqlite_schema import describe, distrust_schema

log = logging.getLogger(__name__)

LEDGER_FILE = "ledger.sqlite3"
KEY_FILE = "ledger.key"
ANCHOR_FILE = "ledger.anchor"
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")
_TEMP_PREFIX = ".ledger-new-"
_MAGIC = b"SQLite format 3\x00"
_RECOVER = ("Keep the file: move it aside (or restore it from a backup) and the app will start a new "
            "ledger; the damaged file is never overwritten.")


def key_file_for(path: Path) -> Path:
    return Path(path).with_name(KEY_FILE)


def anchor_file_for(path: Path) -> Path:
    return Path(path).with_name(ANCHOR_FILE)


def refuse_symlinks(path: Path) -> None:
    """The ledger, its side files and its key file are never symbolic links: following one
    would write the user's records (or chmod a file) wherever the link points."""
    for target in (path, *(Path(f"{path}{suffix}") for suffix in SIDE_SUFFIXES), key_file_for(path),
                   anchor_file_for(path)):
        if target.is_symlink():
            raise LedgerError(f"{target} is a symbolic link; Meeting Privacy Guard keeps the consent ledger's files "
                              "only as regular files and does not follow links. Move the link aside (or put the real "
                              "file in its place) and try again. Nothing was read or written.")
        if target.exists() and not target.is_file():  # a named pipe would make every read wait for ever
            raise LedgerError(f"{target} is not a regular file (a folder, a named pipe or a device); Meeting Privacy "
                              "Guard keeps the consent ledger's files only as regular files. Move it aside and try "
                              "again. Nothing was read or written.")
    refuse_others(path)


def refuse_others(path: Path) -> None:
    """On POSIX, the ledger's folder and files must be this user's: whoever owns the folder can replace
    or remove the ledger and its anchor file, or put a ledger (or an anchor) of their own there first,
    and a file of another user's is theirs to change. A data folder set to a shared place (/tmp, a
    folder of another account's) is refused with what to do, before anything is read or written."""
    if not hasattr(os, "getuid"):
        return
    me = os.getuid()
    for target in (Path(path).parent, path, *(Path(f"{path}{suffix}") for suffix in SIDE_SUFFIXES),
                   key_file_for(path), anchor_file_for(path)):
        try:
            owner = os.lstat(target).st_uid
        except FileNotFoundError:
            continue
        except OSError:
            continue  # said by whatever reads it next
        if owner != me:
            raise LedgerError(f"{target} belongs to another user (uid {owner}), who can replace or remove the consent "
                              "ledger's files there. Keep the ledger in a folder of your own: set general.data_dir in "
                              "the settings (or leave it empty for the default). Nothing was read or written.")


def connect(path: Path, busy_timeout: float) -> tuple[sqlite3.Connection, list[int]]:
    """Open the ledger at ``path``, creating it if there is none; never creates it by accident
    in place of a damaged file (a damaged file raises LedgerCorruptError and stays as it is).
    Returns the connection and the schema versions it was just migrated to."""
    path = Path(path)
    with translate_errors(path, "open"):
        refuse_symlinks(path)
        exists = path.exists()
    if not exists:
        with translate_errors(path, "create"):
            _create(path)
    key = _file_key(path)
    _hold(key)  # before the header is read and SQLite opens the file: nothing here may close it meanwhile
    try:
        check_header(path)
        with translate_errors(path, "open"):
            conn = sqlite3.connect(sqlite_uri(path, "rw"), uri=True, timeout=busy_timeout, isolation_level=None,
                                   check_same_thread=False, factory=_Connection)
    except BaseException:
        _let_go(key)
        raise
    conn.file_key = key
    try:
        with translate_errors(path, "open"):
            _check_identity(conn, path)
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            conn.execute("PRAGMA synchronous = FULL")
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                _check_whole(conn, path)  # switching to WAL writes the header: only to a sound file
                conn.execute("PRAGMA journal_mode = WAL")
            applied = schema.apply_migrations(conn) if schema.schema_version(conn) < schema.LATEST_VERSION else []
        if applied:
            log.info("Ledger %s migrated to schema version %s", path, applied[-1])
        restrict_permissions(path)
    except BaseException:
        conn.close()
        raise
    return conn, applied


def sqlite_uri(path: Path, mode: str) -> str:
    """A SQLite URI for ``path`` that never creates the file (``mode=rw`` or ``ro``)."""
    return f"file:{urllib.parse.quote(str(path.resolve()))}?mode={mode}"


def _create(path: Path) -> None:
    """Build a new, empty ledger beside ``path`` and link it into place only if ``path`` is
    still free, so two processes starting at once never replace each other's ledger."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    _remove_stale_temp_files(path.parent)
    fd, temp_name = tempfile.mkstemp(prefix=_TEMP_PREFIX, suffix=".sqlite3", dir=path.parent)  # mode 0600
    os.close(fd)
    temp = Path(temp_name)
    try:
        with translate_errors(path, "create"):
            conn = sqlite3.connect(temp, isolation_level=None)
            try:
                conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
                conn.execute("PRAGMA journal_mode = WAL")
                schema.apply_migrations(conn)
                conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", [
                    ("ledger_id", str(uuid.uuid4())),
                    ("created_at", format_utc(utc_now())),
                    ("app", "Meeting Privacy Guard consent ledger"),
                ])
            finally:
                conn.close()  # checkpoints the WAL into the file and removes it
        _fsync(temp)
        try:
            os.link(temp, path)
        except FileExistsError:
            log.info("Another process created the ledger %s first; using it", path)
        else:
            fsync_dir(path.parent)
            log.info("Created a new consent ledger at %s", path)
    finally:
        for leftover in (temp, *(Path(f"{temp}{suffix}") for suffix in SIDE_SUFFIXES)):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


def _remove_stale_temp_files(folder: Path, age_s: float = 3600.0) -> None:
    """Half-built ledgers left by a creation that was killed (never the real ledger)."""
    now = time.time()
    for leftover in folder.glob(f"{_TEMP_PREFIX}*"):
        with contextlib.suppress(OSError):
            if now - leftover.stat().st_mtime > age_s:
                leftover.unlink()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# Closing any descriptor of a file drops every POSIX lock this process holds on it, SQLite's
# too: a connection open here would look unused to other programs, and the last of them to
# close would delete the WAL under it (its later reads stale, its appends lost). So while this
# process has the ledger open (or is opening it), its header is read through one descriptor
# that is closed only once the last connection here is closed.
_LOCK = threading.Lock()
_LIVE: dict[tuple[int, int], int] = {}  # (device, inode) -> connections open or opening here
_KEPT: dict[tuple[int, int], int] = {}  # (device, inode) -> the descriptor the header is read through


def _file_key(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino) if stat.S_ISREG(info.st_mode) and os.name == "posix" else None


def _hold(key: tuple[int, int] | None) -> None:
    if key is not None:
        with _LOCK:
            _LIVE[key] = _LIVE.get(key, 0) + 1


def _let_go(key: tuple[int, int] | None) -> None:
    """One connection here fewer; with none left, the kept descriptor can close without harm."""
    if key is None:
        return
    with _LOCK:
        left = _LIVE.get(key, 1) - 1
        if left > 0:
            _LIVE[key] = left
            return
        _LIVE.pop(key, None)
        kept = _KEPT.pop(key, None)
        if kept is not None:
            os.close(kept)


class _Connection(sqlite3.Connection):
    """A ledger connection that says when it is closed (see :func:`_let_go`)."""

    file_key: tuple[int, int] | None = None

    def close(self) -> None:
        super().close()
        key, self.file_key = self.file_key, None
        _let_go(key)


def _read_header(path: Path) -> tuple[os.stat_result, bytes]:
    """The file's status and its first 100 bytes (none for a file that is not regular)."""
    key = _file_key(path)
    with _LOCK:
        if key is not None and key in _LIVE:  # open here: read through the kept descriptor, never close one
            kept = _KEPT.get(key)
            if kept is None:
                kept = _KEPT[key] = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
            info = os.fstat(kept)
            if (info.st_dev, info.st_ino) == key:
                return info, os.pread(kept, 100, 0)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)  # a named pipe must not wait for a writer
    try:
        info = os.fstat(fd)
        return info, os.read(fd, 100) if stat.S_ISREG(info.st_mode) else b""
    finally:
        os.close(fd)


def check_header(path: Path) -> None:
    """Refuse a file that is not a whole SQLite database, reading it only."""
    try:
        info, header = _read_header(path)
        size = info.st_size
    except OSError as error:
        raise ledger_error(classify_os(error), path, "read", error.strerror or str(error)) from error
    if not stat.S_ISREG(info.st_mode):
        raise LedgerCorruptError(f"The consent ledger {path} is not a regular file (a folder, a named pipe or a "
                                 f"device). {_RECOVER}")
    if len(header) < 100:
        raise LedgerCorruptError(f"The consent ledger {path} is truncated ({size} bytes, shorter than a "
                                 f"database header). {_RECOVER}")
    if not header.startswith(_MAGIC):
        raise LedgerCorruptError(f"The consent ledger {path} is not a database (its first bytes are not a "
                                 f"SQLite header; damaged or replaced). {_RECOVER}")
    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    change_counter, pages = struct.unpack(">II", header[24:32])
    valid_for = struct.unpack(">I", header[92:96])[0]
    if page_size < 512 or page_size & (page_size - 1):
        raise LedgerCorruptError(f"The consent ledger {path} has a damaged header (page size {page_size}). "
                                 f"{_RECOVER}")
    # With a -wal beside it the file may be mid-checkpoint (its header ahead of its length);
    # SQLite itself finishes that, so the length is only judged for a file on its own.
    alone = not Path(f"{path}-wal").exists()
    if alone and (size % page_size or (change_counter == valid_for and pages * page_size > size)):
        raise LedgerCorruptError(f"The consent ledger {path} is truncated ({size} bytes; its header says "
                                 f"{pages * page_size}). {_RECOVER}")
    application_id = struct.unpack(">I", header[68:72])[0]
    if application_id != schema.APPLICATION_ID:
        raise LedgerCorruptError(f"The file {path} is a database, but not a Meeting Privacy Guard consent "
                                 f"ledger. {_RECOVER}")


def _check_identity(conn: sqlite3.Connection, path: Path) -> None:
    distrust_schema(conn)  # functions with side effects never run from SQL stored in the file
    version = schema.schema_version(conn)
    if version > schema.LATEST_VERSION:
        raise LedgerCorruptError(
            f"The consent ledger {path} was written by a newer version of Meeting Privacy Guard (schema "
            f"{version}; this version knows up to {schema.LATEST_VERSION}). Update the app; the file was "
            "left as it is."
        )
    check_schema(conn, path, version)
    # Touch every table once: a malformed file fails here rather than mid-append.
    if version >= 1:
        conn.execute("SELECT count(*) FROM meta").fetchone()
        conn.execute("SELECT seq FROM records ORDER BY seq DESC LIMIT 1").fetchone()


def check_schema(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """Refuse a file carrying SQL the app did not write (a trigger that would run on every
    append, a view in place of a table), before any of it can run."""
    foreign = schema.foreign_objects(conn, version)
    if foreign:
        shown = describe(foreign)
        raise LedgerCorruptError(
            f"The consent ledger {path} contains SQL that Meeting Privacy Guard did not write ({shown}): the file "
            "was changed outside the app (possible tampering). None of it was run and the file was left as it is. "
            f"{_RECOVER}")


def _check_whole(conn: sqlite3.Connection, path: Path) -> None:
    result = conn.execute("PRAGMA quick_check").fetchone()[0]
    if result != "ok":
        raise LedgerCorruptError(f"The consent ledger {path} is damaged ({result}). {_RECOVER}")


def restrict_permissions(path: Path) -> None:
    """Make the ledger and its side files private to the user (0600), and its folder 0700.
    Only regular files are touched (lstat, never through a link)."""
    for target in (path, *(Path(f"{path}{suffix}") for suffix in SIDE_SUFFIXES)):
        try:
            info = os.lstat(target)
        except FileNotFoundError:
            continue
        mode = stat.S_IMODE(info.st_mode)
        if stat.S_ISREG(info.st_mode) and mode & 0o077:
            os.chmod(target, 0o600, follow_symlinks=False)
            log.warning("%s was readable by others (mode %o); restricted it to 0600", target, mode)
    private_folder(path.parent)


def private_folder(folder: Path) -> None:
    """The data folder is the user's alone (0700), when it is theirs to change; a shared folder
    with the sticky bit (a data folder set to /tmp) is everyone's and left as it is."""
    try:
        info = os.lstat(folder)
        if info.st_mode & stat.S_ISVTX:
            log.warning("%s is a shared folder (mode %o); left as it is: choose a folder of your own for the data",
                        folder, stat.S_IMODE(info.st_mode))
            return
        if stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & 0o077:
            os.chmod(folder, 0o700)
            log.warning("%s was open to others (mode %o); restricted it to 0700", folder, stat.S_IMODE(info.st_mode))
    except OSError as error:
        log.warning("Could not make %s private: %s", folder, error)


@contextlib.contextmanager
def translate_errors(path: Path, action: str) -> Iterator[None]:
    """Turn SQLite's (and the file system's) errors into LedgerError subclasses naming the
    file, the kind of fault (full disk, read-only folder, permission, lock, damage) and what
    to do. Only real damage is ever called damage."""
    try:
        yield
    except sqlite3.Error as error:
        raise ledger_error(classify_sqlite(error, path), path, action, str(error)) from error
    except OSError as error:
        raise ledger_error(classify_os(error), path, action, error.strerror or str(error)) from error


_ERRORS: dict[StorageFault, type[LedgerError]] = {
    StorageFault.DISK_FULL: LedgerFullError, StorageFault.READ_ONLY: LedgerReadOnlyError,
    StorageFault.PERMISSION: LedgerPermissionError, StorageFault.LOCKED: LedgerBusyError,
    StorageFault.DAMAGED: LedgerCorruptError,
}


def ledger_error(fault: StorageFault, path: Path, action: str, detail: str) -> LedgerError:
    if fault == StorageFault.DAMAGED:
        return LedgerCorruptError(f"The consent ledger {path} is damaged ({detail}). {_RECOVER}")
    what = Text.of(N_("The new record was NOT saved") if action in ("add a record to", "start a new key for") else
                   N_("Nothing was written (a decision being recorded now was NOT saved)") if action in ("open",
                                                                                                      "create")
                   else N_("Nothing changed"))
    doing = Text.of(_ACTIONS[action]) if action in _ACTIONS else action
    message = Text.of(N_("Could not {action} the consent ledger {path} ({detail}): {advice}"), action=doing,
                      path=str(path), detail=detail, advice=advice_text(fault, path, what))
    return _ERRORS.get(fault, LedgerError)(message)


# The actions ledger_error is called for, as its sentence says them ("Could not <action> the consent ledger").
_ACTIONS = {"add a record to": N_("add a record to"), "start a new key for": N_("start a new key for"),
            "open": N_("open"), "create": N_("create"), "read": N_("read"), "set aside": N_("set aside"),
            "check": N_("check"), "verify": N_("verify"), "keep a time stamp in": N_("keep a time stamp in"),
            "count the records of": N_("count the records of"), "list the records of": N_("list the records of"),
            "sign": N_("sign")}


def set_aside_damaged(path: Path) -> Path:
    """Move a ledger that is really damaged (not a database, or SQLite's ``integrity_check``
    fails) aside under a new ``.broken-<time>`` name, with its ``-wal``/``-shm`` beside it, so
    a new ledger can start; returns where it went. Never overwrites anything; refuses a
    healthy file (a full disk, a lock or a permission is never damage)."""
    path = Path(path).absolute()
    refuse_symlinks(path)
    problem = _damage(path)
    if problem is None:
        raise LedgerError(f"The consent ledger {path} is not damaged (SQLite's integrity check passed); it was left "
                          "where it is.")
    with translate_errors(path, "set aside"):
        moved = set_aside(path)
        for suffix in SIDE_SUFFIXES:
            side = Path(f"{path}{suffix}")
            if side.exists():
                os.replace(side, Path(f"{moved}{suffix}"))  # the new name is unique: nothing to overwrite
        fsync_dir(path.parent)
    log.warning("Set the damaged consent ledger %s aside as %s (%s)", path, moved, problem)
    return moved


def _damage(path: Path) -> str | None:
    try:
        check_header(path)
    except LedgerCorruptError as error:
        return str(error)
    try:
        conn = sqlite3.connect(sqlite_uri(path, "ro"), uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        if classify_sqlite(error, path).is_damage:
            return str(error)
        raise ledger_error(classify_sqlite(error, path), path, "check", str(error)) from error
    return None if result == "ok" else str(result)


def ledger_files(path: Path) -> list[Path]:
    """Every file belonging to the ledger at ``path`` that exists now."""
    path = Path(path)
    candidates = [path, *(Path(f"{path}{suffix}") for suffix in SIDE_SUFFIXES), key_file_for(path),
                  anchor_file_for(path)]
    if path.parent.is_dir():
        candidates += sorted(path.parent.glob(f"{_TEMP_PREFIX}*"))
    return [candidate for candidate in candidates if candidate.exists() or candidate.is_symlink()]
