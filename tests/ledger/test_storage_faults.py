"""Issue 16 item 15 for the ledger: a full disk, a read-only folder, a missing permission and a
lock each get their own clear message and a non-zero exit, with no traceback; nothing is set
aside for them, and nothing already recorded is lost. Real file systems: a 1 MB tmpfs, a
read-only bind mount, and the real command line run as an unprivileged user."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from guard.cli.status import ExitStatus
from guard.ledger import Ledger, LedgerBusyError, LedgerCorruptError, LedgerError, RecordDraft
from guard.ledger.files import set_aside_damaged
from guard.storage_errors import StorageFault, classify_os, set_aside
from tests.support.disks import fill, mounted_tmpfs, needs_root

NO_KEYRING = "keyring.backends.fail.Keyring"


def run_cli(home: Path, *args: str, user: int | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, MEETING_GUARD_HOME=str(home), PYTHON_KEYRING_BACKEND=NO_KEYRING)
    command = [sys.executable, "-m", "guard", *args]
    if user is not None:
        command = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *command]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, check=False)


def add(home: Path, note: str, **kwargs: int) -> subprocess.CompletedProcess[str]:
    return run_cli(home, "consent", "add", "--provider", "zoom", "--decision", "given", "--note", note, **kwargs)


@pytest.fixture
def small_disk() -> Iterator[Path]:
    with mounted_tmpfs("mpg-full-disk-") as mount_point:
        yield mount_point


@needs_root
def test_a_full_disk_is_said_plainly_and_nothing_recorded_is_lost(small_disk):
    home = small_disk / "home"
    assert add(home, "before").returncode == 0
    filler = small_disk / "filler"
    fill(filler)
    result = add(home, "x" * 20_000)
    assert result.returncode == ExitStatus.STORAGE and "Traceback" not in result.stderr
    assert "is full" in result.stderr and "NOT saved" in result.stderr, result.stderr
    assert not list((home / "data").glob("*broken*"))  # a full disk is not damage
    filler.unlink()
    check = run_cli(home, "consent", "verify")
    assert check.returncode == 0 and "intact: 1 record," in check.stdout, check.stdout + check.stderr


@needs_root
def test_a_read_only_folder_is_said_plainly(tmp_path):
    home = tmp_path / "home"
    assert add(home, "before").returncode == 0
    data = home / "data"
    subprocess.run(["mount", "--bind", str(data), str(data)], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(data)], check=True)
        result = add(home, "after")
    finally:
        subprocess.run(["umount", "-l", str(data)], check=False)
    assert result.returncode == ExitStatus.STORAGE and "Traceback" not in result.stderr
    assert "read-only file system" in result.stderr, result.stderr
    assert not list(data.glob("*broken*"))
    with Ledger.open(data / "ledger.sqlite3") as ledger:
        assert ledger.count() == 1 and ledger.verify().ok


@needs_root
def test_a_missing_permission_is_said_plainly():
    root = Path(tempfile.mkdtemp(prefix="mpg-perm-", dir="/var/tmp"))
    try:
        os.chmod(root, 0o755)
        home = root / "home"
        assert add(home, "mine").returncode == 0  # made by root: private to root
        for name in ("config", "cache", "logs"):  # only the data folder is someone else's
            (home / name).mkdir(exist_ok=True)
            for folder in (home / name, *(home / name).rglob("*")):
                os.chown(folder, 65534, 65534)
        os.chown(home, 65534, 65534)
        result = add(home, "someone else's", user=65534)
        assert result.returncode == ExitStatus.STORAGE and "Traceback" not in result.stderr, result.stderr
        assert "you do not have permission" in result.stderr, result.stderr
        with Ledger.open(home / "data" / "ledger.sqlite3") as ledger:
            assert ledger.count() == 1
    finally:
        shutil.rmtree(root)


def test_a_lock_held_by_another_program_is_said_plainly(path, no_keyring):
    with Ledger.open(path) as ledger:
        ledger.append(RecordDraft(provider_id="zoom", decision="given"))
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1], isolation_level=None); c.execute('BEGIN IMMEDIATE'); "
        "print('locked', flush=True); sys.stdin.readline()"), str(path)], stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with Ledger.open(path, busy_timeout=0.2) as ledger, pytest.raises(LedgerBusyError, match="kept .* locked"):
            ledger.append(RecordDraft(provider_id="zoom", decision="refused"))
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
        holder.stdout.close()


def test_os_errors_are_told_apart():
    assert classify_os(OSError(28, "No space left on device")) == StorageFault.DISK_FULL
    assert classify_os(OSError(30, "Read-only file system")) == StorageFault.READ_ONLY
    assert classify_os(OSError(13, "Permission denied")) == StorageFault.PERMISSION
    assert not StorageFault.DISK_FULL.is_damage and StorageFault.DAMAGED.is_damage


def test_only_a_really_damaged_ledger_is_set_aside_and_never_over_another(path, no_keyring):
    with Ledger.open(path) as ledger:
        ledger.append(RecordDraft(provider_id="zoom", decision="given"))
    with pytest.raises(LedgerError, match="not damaged"):
        set_aside_damaged(path)  # a healthy ledger stays where it is
    assert path.exists()
    names = []
    for garbage in (b"first damaged copy" * 20, b"second damaged copy" * 20):
        path.write_bytes(garbage)
        with pytest.raises(LedgerCorruptError):
            Ledger.open(path)
        moved = set_aside_damaged(path)
        assert moved.read_bytes() == garbage and not path.exists()
        names.append(moved.name)
    assert len(set(names)) == 2 and all(".broken-" in name for name in names)


def test_set_aside_never_overwrites(tmp_path):
    target = tmp_path / "store.sqlite3"
    target.write_text("one")
    first = set_aside(target)
    target.write_text("two")
    second = set_aside(target)
    assert first != second and first.read_text() == "one" and second.read_text() == "two"
