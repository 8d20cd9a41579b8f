"""The ledger's files replaced by something that is not a file: a named pipe made every read wait
for ever for a writer ('consent list', 'consent add', and in the tray app the append helper, then
the append in the app after it), so the user's decision was never confirmed. Each is refused at
once, naming the file and what to do."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from guard.ledger import Ledger, LedgerCorruptError, LedgerError, RecordDraft, files
from tests.support.bounded import bounded


def _opened_or_refused(path: Path) -> BaseException | str:
    """Open the ledger and append, in a thread that the test does not wait on for ever."""

    def work() -> str:
        with Ledger.open(path) as ledger:
            ledger.append(RecordDraft(provider_id="zoom", decision="given"))
        return "appended"

    return bounded(work, hang="waited for ever on a named pipe")


@pytest.mark.parametrize("which", ["ledger", "-wal", "anchor", "key"])
def test_a_named_pipe_in_place_of_a_ledger_file_is_refused_at_once(path, no_keyring, which):
    if which != "ledger":
        with Ledger.open(path) as ledger:
            ledger.append(RecordDraft(provider_id="zoom", decision="refused"))
    target = {"ledger": path, "-wal": Path(f"{path}-wal"), "anchor": files.anchor_file_for(path),
              "key": files.key_file_for(path)}[which]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    os.mkfifo(target)
    outcome = _opened_or_refused(path)
    assert isinstance(outcome, LedgerError) and str(target) in str(outcome) and "regular file" in str(outcome)


def test_the_header_check_does_not_wait_on_a_named_pipe(tmp_path):
    pipe = tmp_path / "ledger.sqlite3"
    os.mkfifo(pipe)
    raised = bounded(lambda: files.check_header(pipe),  # as 'consent erase' and the damage report call it
                     hang="waited for ever on a named pipe")
    assert isinstance(raised, LedgerCorruptError) and "not a regular file" in str(raised)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a file to another user takes root")
@pytest.mark.parametrize("whose", ["folder", "anchor file"])
def test_a_ledger_folder_or_file_of_another_user_is_refused_before_anything_is_read(path, no_keyring, whose):
    """Audit 7: with the data folder in a place another account owns (general.data_dir set to a shared
    folder), that account can replace or remove the ledger and its anchor file, or put its own there
    first; the ledger opened and wrote there all the same."""
    with Ledger.open(path) as ledger:
        ledger.append(RecordDraft(provider_id="zoom", decision="refused"))
    target = path.parent if whose == "folder" else path.with_name("ledger.anchor")
    os.chown(target, 65534, 65534)
    try:
        with pytest.raises(LedgerError) as refused:
            Ledger.open(path)
        assert f"{target} belongs to another user (uid 65534)" in str(refused.value)
        assert "general.data_dir" in str(refused.value) and "Nothing was read or written" in str(refused.value)
    finally:
        os.chown(target, os.getuid(), os.getgid())
    with Ledger.open(path) as ledger:
        assert ledger.count() == 1
