"""Issue 16 item 3, as filed: an older copy of the ledger put back, and the ``-wal`` file
deleted under a running writer that is then killed, are both reported as "rolled back" with
the seq and date that went missing; the anchor file alone catches them, the keyring too."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from guard.ledger import Ledger, ProblemKind, RecordDraft
from guard.ledger.anchor import AnchorFile


def add(path: Path, count: int) -> list:
    with Ledger.open(path) as ledger:
        return [ledger.append(RecordDraft(provider_id="zoom", decision="given", note=f"n{i}")) for i in range(count)]


def put_back(copy: Path, path: Path) -> None:
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.copy2(copy, path)


def both_put_back(path: Path, tmp_path: Path) -> None:
    """Two records, copies of the ledger and its anchor file, two more records, then both copies put back."""
    add(path, 2)
    shutil.copy2(path, tmp_path / "older.sqlite3")
    shutil.copy2(path.with_name("ledger.anchor"), tmp_path / "older.anchor")
    add(path, 2)
    put_back(tmp_path / "older.sqlite3", path)
    shutil.copy2(tmp_path / "older.anchor", path.with_name("ledger.anchor"))


@pytest.mark.parametrize("where", ["keyring", "anchor file only"])
def test_older_copy_put_back_is_reported_as_rolled_back(path, tmp_path, request, cli, where):
    request.getfixturevalue("secret_service" if where == "keyring" else "no_keyring")
    add(path, 3)
    older = tmp_path / "older.sqlite3"
    shutil.copy2(path, older)  # closed: everything is in the main file
    later = add(path, 3)
    put_back(older, path)
    with Ledger.open(path) as ledger:
        report = ledger.verify()
    assert (report.problem.kind, report.problem.seq) == (ProblemKind.ROLLED_BACK, 4)
    assert report.problem.message.startswith(
        f"rolled back: the ledger ends at seq 3 but seq 6 > 3 was recorded on {later[-1].recorded_at:%Y-%m-%d}")
    env = None if where == "keyring" else dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    result = cli("consent", "verify", env=env)
    assert result.returncode == 1
    assert "NOT intact: rolled-back at seq 4: rolled back: the ledger ends at seq 3" in result.stdout


def test_the_keyring_still_catches_it_when_the_anchor_file_is_put_back_too(path, tmp_path, secret_service):
    both_put_back(path, tmp_path)
    with Ledger.open(path) as ledger:
        report = ledger.verify()
    assert report.problem.kind == ProblemKind.ROLLED_BACK and "anchored in the keyring" in report.problem.message


def test_deleting_the_wal_under_a_running_writer_then_killing_it_is_caught(path, no_keyring, monkeypatch):
    """Five acknowledged records (a withdrawal among them) live only in the -wal file when it is
    deleted and the writer killed: they are gone, and verify says so."""
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    add(path, 1)  # the ledger exists, closed: its first record is in the main file
    writer = subprocess.Popen([sys.executable, "-u", "-m", "tests.ledger.writer", "append-hold", str(path), "5"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        lines = [writer.stdout.readline().strip() for _ in range(6)]
        assert lines[-1] == "held" and len([line for line in lines if line.startswith("id ")]) == 5, lines
        Path(f"{path}-wal").unlink()
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
        writer.stdin.close()
        writer.stdout.close()
    assert AnchorFile(path.with_name("ledger.anchor")).read().head.seq == 6  # anchored before each append returned
    with Ledger.open(path) as ledger:
        report = ledger.verify()
        assert ledger.count() == 1  # the five acknowledged records really are gone
    assert (report.problem.kind, report.problem.seq) == (ProblemKind.ROLLED_BACK, 2)
    assert "the ledger ends at seq 1 but seq 6 > 1 was recorded on" in report.problem.message


def test_a_ledger_swapped_for_a_new_one_is_reported_as_replaced(path, secret_service):
    add(path, 2)
    for name in ("ledger.sqlite3", "ledger.anchor"):
        path.with_name(name).unlink()
    add(path, 1)  # the app starts a new ledger in the same place
    with Ledger.open(path) as ledger:
        report = ledger.verify()
    assert report.problem.kind == ProblemKind.REPLACED
    assert "is not the ledger this computer kept here" in report.problem.message


def test_a_rewritten_ledger_of_the_same_length_is_reported_as_replaced(path, tmp_path, no_keyring):
    add(path, 3)
    with Ledger.open(path) as ledger:
        head = ledger.head()
    other = tmp_path / "other" / "ledger.sqlite3"
    add(other, 3)
    shutil.copy2(other, path)  # another ledger's file under this one's anchor
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    with Ledger.open(path) as ledger:
        report = ledger.verify()
    assert head is not None and report.problem.kind == ProblemKind.REPLACED
    assert "the anchor file beside it was written for ledger" in report.problem.message


def test_after_an_explicit_erase_a_new_ledger_in_the_same_place_is_not_taken_for_a_swap(path, secret_service):
    from guard.ledger import erase_ledger

    add(path, 2)
    assert not erase_ledger(path).problems
    add(path, 1)
    with Ledger.open(path) as ledger:
        assert ledger.verify().ok


def test_rekey_accepts_a_new_ledger_in_the_place_of_a_replaced_one(path, secret_service):
    add(path, 2)
    path.unlink()
    path.with_name("ledger.anchor").unlink()
    add(path, 1)
    with Ledger.open(path) as ledger:
        assert ledger.verify().problem.kind == ProblemKind.REPLACED
        ledger.rekey()  # the user's explicit word, kept in the new key's signed row
        report = ledger.verify()
        why = ledger._conn.execute("SELECT body FROM keys ORDER BY rowid DESC LIMIT 1").fetchone()[0]
    assert report.ok, report.summary()
    assert "is not the ledger this computer kept here" in why


def test_nothing_is_appended_to_a_rolled_back_ledger_until_the_user_says_how_to_go_on(path, tmp_path, no_keyring):
    """Audit round six: after an older copy was put back, the next decision took the lost record's
    seq, its head replaced the anchored one, and verify called the ledger intact: the lost record
    was gone without a trace. Appending is refused while the ledger is behind its anchor (the
    decision is kept on this computer, not lost); 'consent rekey' goes on from this copy, its
    signed key row saying what verify found."""
    from guard.ledger.errors import LedgerRolledBackError
    from guard.paths import app_paths
    from guard.services import Services

    add(path, 2)
    shutil.copy2(path, tmp_path / "older.sqlite3")
    lost = add(path, 1)[0]
    put_back(tmp_path / "older.sqlite3", path)
    with Ledger.open(path) as ledger:
        with pytest.raises(LedgerRolledBackError) as refused:
            ledger.append(RecordDraft(provider_id="zoom", decision="refused"))
        assert f"it ends at record 2, but record 3 was recorded on {lost.recorded_at:%Y-%m-%d}" in str(refused.value)
        assert str(path) in str(refused.value) and "consent rekey" in str(refused.value)
        report = ledger.verify()
    assert (report.problem.kind, report.problem.seq) == (ProblemKind.ROLLED_BACK, 3)  # the evidence stays

    services = Services(app_paths())  # the tray app's save: kept, not lost
    try:
        from guard.ledger import DecisionKept

        with pytest.raises(DecisionKept) as kept:
            services.record_decision(RecordDraft(provider_id="zoom", decision="left-meeting"))
        assert "Kept on this computer" in str(kept.value) and services.waiting_count() == 1
    finally:
        services.close()

    with Ledger.open(path) as ledger:
        ledger.rekey()  # the user's word: go on from this copy
        added = ledger.append(RecordDraft(provider_id="zoom", decision="refused"))
        why = ledger._conn.execute("SELECT body FROM keys ORDER BY rowid DESC LIMIT 1").fetchone()[0]
    assert added.seq == 3
    assert "rolled back: the ledger ends at seq 2 but seq 3 > 2" in why  # what was lost, signed in the ledger


def test_appending_after_both_files_were_put_back_is_refused_and_the_decision_kept(path, tmp_path, secret_service):
    """Audit rounds six and seven: with the ledger and its anchor file both put back to older copies,
    appends went on (the anchor file agrees with the copy), signing new records in the lost ones'
    places. Now an append also checks the head the keyring holds: it is refused with a message that
    says so, the tray app's decision is kept on this computer (not lost), verify still reports the
    keyring's evidence, and after 'consent rekey' the kept decision is added."""
    from guard.ledger import DecisionKept
    from guard.ledger.errors import LedgerRolledBackError
    from guard.paths import app_paths
    from guard.services import Services

    both_put_back(path, tmp_path)  # the keyring's head names record 4; the copy ends at 2
    with Ledger.open(path) as ledger:
        with pytest.raises(LedgerRolledBackError) as refused:
            ledger.append(RecordDraft(provider_id="zoom", decision="refused"))
        assert "it ends at record 2, but record 4 was recorded on" in str(refused.value)
        assert "(anchored in the keyring)" in str(refused.value) and "consent rekey" in str(refused.value)
        assert ledger.count() == 2, "nothing was added"
    services = Services(app_paths())
    try:
        with pytest.raises(DecisionKept) as kept:
            services.record_decision(RecordDraft(provider_id="zoom", decision="left-meeting"))
        assert "anchored in the keyring" in str(kept.value) and services.waiting_count() == 1
    finally:
        services.close()
    with Ledger.open(path) as ledger:
        report = ledger.verify()
    assert not report.ok and "the keyring" in report.problem.message, "the keyring's evidence stays"
    with Ledger.open(path) as ledger:
        ledger.rekey()  # the user's word: go on from this copy; the keyring's head is replaced then
    services = Services(app_paths())
    try:
        (signed,) = services.sign_waiting()
        assert signed.decision == "left-meeting" and signed.seq == 3 and services.waiting_count() == 0
    finally:
        services.close()
    with Ledger.open(path) as ledger:
        assert ledger.verify().ok, ledger.verify().summary()
