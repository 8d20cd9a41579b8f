"""The ledger file on disk: private permissions, damaged files refused and never touched,
a full disk refused without losing earlier records, migrations, and erasure."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from guard.ledger import (
    Ledger,
    LedgerBusyError,
    LedgerCorruptError,
    LedgerError,
    LedgerFullError,
    RecordDraft,
    erase_ledger,
    schema,
)
from tests.ledger.legacy import build_legacy_ledger
from tests.ledger.reaping import reaped


def add(ledger: Ledger, note: str = "x") -> object:
    return ledger.append(RecordDraft(provider_id="zoom", decision="given", note=note))


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_ledger_and_its_side_files_are_private(ledger, path):
    add(ledger)
    for name in ("ledger.sqlite3", "ledger.sqlite3-wal", "ledger.sqlite3-shm", "ledger.key", "ledger.anchor"):
        assert mode(path.with_name(name)) == 0o600, name
    assert mode(path.parent) == 0o700


def test_a_data_folder_set_to_a_shared_sticky_folder_is_left_as_it_is(tmp_path, no_keyring):
    """A data folder set to /tmp (or another shared folder with the sticky bit) is everyone's:
    narrowing it to 0700 would lock every other user and program out. The ledger file itself is
    still private."""
    from guard.paths import AppPaths

    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    with Ledger.open(shared / "ledger.sqlite3") as ledger:
        add(ledger)
    assert mode(shared) == 0o1777
    assert mode(shared / "ledger.sqlite3") == 0o600
    AppPaths(tmp_path / "c", shared, tmp_path / "k", tmp_path / "l").ensure()
    assert mode(shared) == 0o1777
    assert mode(tmp_path / "c") == 0o700


def test_wal_and_full_sync_are_in_force(ledger, path):
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    assert ledger._conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_loose_permissions_are_tightened_on_open(ledger, path):
    add(ledger)
    ledger.close()
    os.chmod(path, 0o644)
    with Ledger.open(path):
        assert mode(path) == 0o600


def damaged_copy(path: Path, damage) -> bytes:
    """Write a healthy ledger with records, close it, damage the file; the damaged bytes."""
    with Ledger.open(path) as ledger:
        for i in range(40):
            add(ledger, f"record {i} " + "x" * 200)
    assert not Path(f"{path}-wal").exists()
    damage(path)
    return path.read_bytes()


def _garbage(path: Path) -> None:
    path.write_bytes(b"this is not a database at all\n" * 100)


def _truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 100])


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _header_only(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:60])


def _other_database(path: Path) -> None:
    path.unlink()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (text)")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("damage, words", [
    (_garbage, "not a database"),
    (_truncated, "truncated"),
    (_empty, "truncated"),
    (_header_only, "truncated"),
    (_other_database, "not a Meeting Privacy Guard consent ledger"),
])
def test_damaged_file_is_refused_clearly_and_left_untouched(path, no_keyring, damage, words):
    before = damaged_copy(path, damage)
    with pytest.raises(LedgerCorruptError) as raised:
        Ledger.open(path)
    message = str(raised.value)
    assert str(path) in message and words in message and "never overwritten" in message
    assert path.read_bytes() == before
    assert not Path(f"{path}-wal").exists()


def test_damaged_file_stays_untouched_through_the_cli(path, no_keyring, cli):
    before = damaged_copy(path, _truncated)
    added = cli("consent", "add", "--provider", "zoom", "--decision", "given")
    assert added.returncode == 2 and "truncated" in added.stderr and str(path) in added.stderr
    verified = cli("consent", "verify")
    assert verified.returncode == 1 and "truncated" in verified.stdout
    assert cli("consent", "list").returncode == 2
    assert path.read_bytes() == before


def test_damaged_page_inside_the_file_is_reported_by_verify_and_left_untouched(path, no_keyring):
    def scribble(target: Path) -> None:
        data = bytearray(target.read_bytes())
        page_size = int.from_bytes(data[16:18], "big")
        for offset in range(page_size * 3 + 8, page_size * 4 - 8):  # the fourth page's cells
            data[offset] = 0xA5
        target.write_bytes(bytes(data))

    before = damaged_copy(path, scribble)
    try:
        with Ledger.open(path) as ledger:
            report = ledger.verify()
        assert not report.ok and report.problem.kind == "corrupt"
    except LedgerCorruptError as error:
        assert str(path) in str(error)
    assert path.read_bytes() == before


def test_file_from_a_newer_version_is_refused_and_left_untouched(path, no_keyring):
    def newer(target: Path) -> None:
        conn = sqlite3.connect(target)
        conn.execute(f"PRAGMA user_version = {schema.LATEST_VERSION + 1}")
        conn.close()

    before = damaged_copy(path, newer)
    with pytest.raises(LedgerCorruptError, match="newer version"):
        Ledger.open(path)
    assert path.read_bytes() == before


def test_full_database_refuses_the_record_and_keeps_the_earlier_ones(ledger, path):
    kept = [add(ledger, f"kept {i}") for i in range(5)]
    pages = ledger._conn.execute("PRAGMA page_count").fetchone()[0]
    ledger._conn.execute(f"PRAGMA max_page_count = {pages + 2}")  # the database cannot grow past this
    with pytest.raises(LedgerFullError) as raised:
        for i in range(200):
            add(ledger, f"more {i} " + "y" * 3000)
    assert str(path) in str(raised.value) and "NOT saved" in str(raised.value)
    ledger.close()
    with Ledger.open(path) as reopened:
        assert reopened.verify().ok
        assert [reopened.get(r.id) for r in kept] == kept
        add(reopened, "after")  # works again once there is room


SMALL_DISK_SCRIPT = r"""
import os, sys
from pathlib import Path
from guard.ledger import Ledger, LedgerFullError, RecordDraft
path = Path(sys.argv[1])
ledger = Ledger.open(path)
ids = [ledger.append(RecordDraft(provider_id="zoom", decision="given", note=f"kept {i}")).id for i in range(5)]
filler = path.parent / "filler"
fd = os.open(filler, os.O_WRONLY | os.O_CREAT)  # fill the disk
try:
    while True:
        os.write(fd, b"\0" * 4096)
except OSError:
    pass
os.close(fd)
try:
    for i in range(1000):
        ids.append(ledger.append(RecordDraft(provider_id="zoom", decision="given", note="z" * 2000)).id)
    print("NEVER FULL")
except LedgerFullError as error:
    print("FULL", error)
ledger.close()
filler.unlink()
with Ledger.open(path) as again:
    report = again.verify()
    print("VERIFY", report.ok, report.count)
    print("KEPT", all(again.get(i).id == i for i in ids), len(ids))
"""


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("mount"), reason="mounting a small tmpfs needs root")
def test_full_filesystem_refuses_the_record_and_keeps_the_earlier_ones(tmp_path):
    mount_point = Path(tempfile.mkdtemp(prefix="mpg-small-disk-"))
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount_point)],
                             capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
        result = subprocess.run([sys.executable, "-c", SMALL_DISK_SCRIPT, str(mount_point / "ledger.sqlite3")],
                                capture_output=True, text=True, env=env, timeout=120, check=False)
    finally:
        subprocess.run(["umount", str(mount_point)], check=False)
        mount_point.rmdir()
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    assert "disk is full" in lines["FULL"] and "NOT saved" in lines["FULL"]
    assert lines["VERIFY"].startswith("True")
    kept, count = lines["KEPT"].split()
    assert kept == "True" and lines["VERIFY"] == f"True {count}"


def downgrade_to_version_1(path: Path) -> sqlite3.Connection:
    """Make a version-2 file what version 1 of the app wrote: the same tables, without the later migrations."""
    conn = sqlite3.connect(path, isolation_level=None)
    for name, kind in conn.execute("SELECT name, type FROM sqlite_master WHERE type IN ('index', 'trigger') "
                                   "AND sql IS NOT NULL").fetchall():
        conn.execute(f"DROP {kind.upper()} {name}")
    conn.execute("PRAGMA user_version = 1")
    return conn


def test_version_1_file_is_migrated_with_its_records_intact(path, no_keyring):
    old = build_legacy_ledger(path, [f"old {i}" for i in range(3)])
    downgrade_to_version_1(path).close()

    with Ledger.open(path) as ledger:
        assert ledger._conn.execute("PRAGMA user_version").fetchone()[0] == schema.LATEST_VERSION
        names = {row[0] for row in ledger._conn.execute("SELECT name FROM sqlite_master")}
        assert {"records_provider", "records_decision", "records_append_only_update",
                "keys_append_only_update"} <= names
        assert [ledger.get(i).note for i in old["ids"]] == ["old 0", "old 1", "old 2"]
        assert ledger.verify().ok
        add(ledger, "new")
        assert ledger.verify().ok


def test_failed_migration_leaves_the_file_at_its_old_version(path, no_keyring):
    old = build_legacy_ledger(path, ["x"])
    conn = downgrade_to_version_1(path)
    conn.execute("CREATE TABLE records_refers_to (x)")  # migration 2 fails after its first indexes
    conn.close()
    with pytest.raises(LedgerError, match=str(path)):
        Ledger.open(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'records_provider'").fetchone()[0] == 0
    assert conn.execute("SELECT id FROM records").fetchall() == [(old["ids"][0],)]
    conn.close()


def test_two_processes_creating_the_ledger_at_once_share_one_file(path, no_keyring):
    script = ("import sys; from pathlib import Path; from guard.ledger import Ledger, RecordDraft; "
              "l = Ledger.open(Path(sys.argv[1])); "
              "print(l.append(RecordDraft(provider_id='zoom', decision='given')).id)")
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    writers = [subprocess.Popen([sys.executable, "-c", script, str(path)], stdout=subprocess.PIPE, text=True, env=env)
               for _ in range(2)]
    with reaped(writers):
        ids = [w.communicate(timeout=120)[0].strip() for w in writers]
    with Ledger.open(path) as ledger:
        assert ledger.verify().ok and ledger.count() == 2
        assert {ledger.get(i).id for i in ids} == set(ids)


def test_erase_removes_files_and_keyring_secret(path, secret_service):
    import keyring

    from guard.ledger.keys import SERVICE

    with Ledger.open(path) as ledger:
        add(ledger)
        username = ledger.key_status().username
    assert keyring.get_password(SERVICE, username)
    report = erase_ledger(path)
    assert report.records == 1 and report.problems == [] and report.removed_secrets == [username]
    assert keyring.get_password(SERVICE, username) is None
    assert list(path.parent.iterdir()) == []


def test_erase_removes_the_key_file(ledger, path):
    add(ledger)
    ledger.close()
    report = erase_ledger(path)
    assert path.with_name("ledger.key") in report.removed_files
    assert list(path.parent.iterdir()) == []


def test_erase_removes_the_decisions_kept_until_the_key_could_be_read(ledger, path):
    """A decision kept while the keyring was away is part of the ledger the user erases: it must not
    be added to the next ledger later."""
    import uuid

    from guard.ledger.waiting import WaitingDecisions

    add(ledger)
    ledger.close()
    waiting = WaitingDecisions(path.parent)
    kept = str(uuid.uuid4())
    waiting.keep(kept, RecordDraft(provider_id="zoom", decision="refused"), "the keyring did not answer")
    (waiting.folder / "left-over.tmp").write_text("a half-written copy")
    report = erase_ledger(path)
    assert waiting.folder / f"{kept}.json" in report.removed_files and not report.problems
    assert list(path.parent.iterdir()) == [] and waiting.listed() == []


def test_erase_of_a_damaged_file_still_removes_it_and_says_what_it_could_not_do(path, no_keyring):
    damaged_copy(path, _garbage)
    report = erase_ledger(path)
    assert not path.exists() and report.records is None
    assert any("keyring" in problem for problem in report.problems)


def test_erase_waits_for_a_writer_and_refuses_while_it_holds_the_lock(ledger, path):
    add(ledger)
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(LedgerBusyError, match="Nothing was erased"):
            erase_ledger(path, busy_timeout=0.2)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert path.exists() and ledger.verify().ok


def test_appending_to_an_erased_ledger_fails_loudly(ledger, path):
    add(ledger)
    erase_ledger(path)
    with pytest.raises(LedgerError, match="erased or replaced"):
        add(ledger)
