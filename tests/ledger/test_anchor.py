"""The anchor file beside the ledger: two checksummed slots written in turn, so a torn write
never loses the anchor; private, never a symbolic link; its head only moves forward."""

from __future__ import annotations

import os
import stat

import pytest

from guard.ledger import Ledger, LedgerError, RecordDraft
from guard.ledger.anchor import AnchorError, AnchorFile
from guard.ledger.head import SignedHead


def head(seq: int) -> SignedHead:
    return SignedHead(seq, f"{seq:064x}", "k", "s" * 128, "0" * 64, "1" * 64, "2026-12-01T00:00:00.000000Z")


def test_the_newest_slot_wins_and_a_torn_one_falls_back_to_the_other(tmp_path):
    anchor = AnchorFile(tmp_path / "ledger.anchor")
    for seq in (1, 2, 3):
        anchor.update("L", head=head(seq))
    assert anchor.read().head.seq == 3
    data = bytearray((tmp_path / "ledger.anchor").read_bytes())
    data[16384 + 200] ^= 0xFF  # slot 1 holds seq 3 (counters 1, 2, 3 went to slots 1, 0, 1)
    (tmp_path / "ledger.anchor").write_bytes(bytes(data))
    assert AnchorFile(tmp_path / "ledger.anchor").read().head.seq == 2
    assert stat.S_IMODE(os.stat(tmp_path / "ledger.anchor").st_mode) == 0o600


def test_the_head_never_moves_backwards(tmp_path):
    first, second = AnchorFile(tmp_path / "a"), AnchorFile(tmp_path / "a")  # two writers, one file
    first.update("L", head=head(5))
    second.update("L", head=head(4))  # a slower writer's older head arrives late
    assert first.read().head.seq == 5


def test_a_symlinked_anchor_file_is_refused_and_its_target_untouched(tmp_path):
    target = tmp_path / "elsewhere"
    target.write_text("not yours")
    (tmp_path / "ledger.anchor").symlink_to(target)
    with pytest.raises(AnchorError, match="symbolic link"):
        AnchorFile(tmp_path / "ledger.anchor").update("L", head=head(1))
    assert target.read_text() == "not yours"


@pytest.mark.parametrize("name", ["ledger.sqlite3", "ledger.key", "ledger.anchor", "ledger.sqlite3-wal"])
def test_the_ledger_refuses_any_of_its_files_as_a_symbolic_link(path, no_keyring, tmp_path, name):
    with Ledger.open(path) as ledger:
        ledger.append(RecordDraft(provider_id="zoom", decision="given"))
    target = tmp_path / "target"
    original = path.with_name(name)
    if original.exists():
        os.replace(original, target)
    else:
        target.write_bytes(b"")
    os.chmod(target, 0o644)
    original.symlink_to(target)
    with pytest.raises(LedgerError, match="symbolic link"):
        Ledger.open(path)
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o644  # no chmod through the link


def test_an_open_data_folder_is_made_private(path, no_keyring):
    path.parent.mkdir(parents=True, mode=0o755)
    os.chmod(path.parent, 0o755)
    with Ledger.open(path) as ledger:
        ledger.append(RecordDraft(provider_id="zoom", decision="given"))
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700


def test_the_app_folders_are_made_private_even_when_they_existed_open(app_home):
    from guard.paths import app_paths

    for name in ("config", "data"):
        (app_home / name).mkdir(parents=True, mode=0o755)
        os.chmod(app_home / name, 0o755)
    app_paths().ensure()
    for name in ("config", "data", "cache", "logs"):
        assert stat.S_IMODE(os.stat(app_home / name).st_mode) == 0o700, name


@pytest.mark.desktop
def test_a_clean_close_leaves_the_newest_record_anchored_in_the_keyring(path, secret_service):
    from guard.ledger.anchor import KeyringAnchor

    with Ledger.open(path) as ledger:
        for i in range(40):  # faster than the keyring takes them: anchored in batches
            ledger.append(RecordDraft(provider_id="zoom", decision="given", note=str(i)))
        ledger_id = ledger.proof().ledger_id
    assert KeyringAnchor(ledger_id, path).read().head.seq == 40


@pytest.mark.desktop
def test_a_process_that_exits_without_closing_still_anchors_what_it_acknowledged(path, secret_service):
    import subprocess
    import sys

    from guard.ledger.anchor import KeyringAnchor

    script = ("import sys; from pathlib import Path; from guard.ledger import Ledger, RecordDraft\n"
              "ledger = Ledger.open(Path(sys.argv[1]))\n"
              "for i in range(25): ledger.append(RecordDraft(provider_id='zoom', decision='given'))\n"
              "print(ledger.proof().ledger_id)\n")  # exits without close(): the atexit flush anchors
    result = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert KeyringAnchor(result.stdout.strip(), path).read().head.seq == 25
