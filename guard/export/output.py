"""Where exports are written: a file replaced atomically (a failed or cancelled export
leaves nothing half-written), or a set of files in a new folder or a ``.zip``. Files are
private to the user (0600): they hold personal data. OSError becomes an ExportError that
names the path and what to do.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from guard.export.errors import ExportError
from guard.fsutil import FILE_MODE, fsync_dir
from guard.fsutil import atomic_file as _atomic_file


def _cannot(dest: Path, error: OSError | str) -> ExportError:
    reason = error if isinstance(error, str) else (error.strerror or str(error))
    return ExportError(f"Cannot write the export to {dest}: {reason}. Choose another place with -o.")


def check_file_destination(dest: Path) -> Path:
    """``dest`` as an absolute path whose folder can take a new file; raises ExportError early
    (before any slow work) when it cannot."""
    dest = Path(dest).expanduser().absolute()
    if dest.is_dir():
        raise _cannot(dest, "it is a folder; give a file name")
    folder = dest.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _cannot(dest, error) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise _cannot(dest, f"the folder {folder} is not writable")
    return dest


@contextlib.contextmanager
def atomic_file(dest: Path) -> Iterator[BinaryIO]:
    """A binary file that becomes ``dest`` only when the block ends without an error
    (:func:`guard.fsutil.atomic_file`, the app's one atomic writer; OSError said as ExportError)."""
    dest = check_file_destination(dest)
    try:
        with _atomic_file(dest) as handle:
            yield handle
    except OSError as error:
        raise _cannot(dest, error) from None


class FileSet:
    """Many small files (consent receipts) going into a new folder or a ``.zip`` archive."""

    def __init__(self, zip_file: zipfile.ZipFile | None, folder: Path | None) -> None:
        self._zip = zip_file
        self._folder = folder
        self.count = 0

    def add(self, name: str, data: bytes) -> None:
        if self._zip is not None:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (FILE_MODE | 0o100000) << 16
            self._zip.writestr(info, data)
        else:
            assert self._folder is not None
            path = self._folder / name
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        self.count += 1


def is_zip(dest: Path) -> bool:
    return Path(dest).suffix.lower() == ".zip"


def check_set_destination(dest: Path) -> Path:
    """A ``.zip`` file, or a folder that does not exist yet or is empty."""
    dest = Path(dest).expanduser().absolute()
    if is_zip(dest):
        return check_file_destination(dest)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise _cannot(dest, "it already exists and is not an empty folder; give a new folder or a .zip file")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _cannot(dest, error) from None
    if not os.access(dest.parent, os.W_OK | os.X_OK):
        raise _cannot(dest, f"the folder {dest.parent} is not writable")
    return dest


@contextlib.contextmanager
def file_set(dest: Path) -> Iterator[FileSet]:
    """Files that appear at ``dest`` (a folder, or a ``.zip``) only when the block succeeds."""
    dest = check_set_destination(dest)
    if is_zip(dest):
        with atomic_file(dest) as handle, zipfile.ZipFile(handle, "w") as archive:
            yield FileSet(archive, None)
        return
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent))
    except OSError as error:
        raise _cannot(dest, error) from None
    try:
        yield FileSet(None, staging)
        if dest.exists():
            dest.rmdir()  # empty, checked above
        os.replace(staging, dest)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise _cannot(dest, error) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    fsync_dir(dest.parent)


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
