"""Real small and full file systems for storage-fault tests: a tmpfs mounted for the test (needs
root, as CI runs) and a helper that fills it to the last byte."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

needs_root = pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("mount"), reason="needs root to mount")


@contextmanager
def mounted_tmpfs(prefix: str, size: str = "2m") -> Iterator[Path]:
    """A fresh tmpfs of ``size`` mounted on a new folder, unmounted and removed afterwards."""
    mount_point = Path(tempfile.mkdtemp(prefix=prefix))
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount_point)], check=True)
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)
        mount_point.rmdir()


def fill(path: Path) -> None:
    """Write zeros to ``path`` until its file system refuses another byte."""
    with open(path, "wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
