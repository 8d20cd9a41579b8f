"""A ledger open in this process stays visible to other programs as open: opening it a second time
here (the settings window's readers do, for counts, the chart and verify) must not drop the first
connection's locks. It did: the header check opened and closed the file, POSIX dropped every lock
this process held on it, and the next program to close the ledger deleted the WAL under the open
connection. Its reads went stale (the history table stopped at 1 record while the chart showed 3)
and its next append went into the deleted WAL: lost, and verify said "rolled back"."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from guard.ledger import Decision, Ledger, RecordDraft

APPEND = ("import sys; from guard.ledger import Ledger, RecordDraft, Decision\n"
          "with Ledger.open(sys.argv[1]) as ledger:\n"
          "    ledger.append(RecordDraft(provider_id=sys.argv[2], decision=Decision.REFUSED))\n")


def append_elsewhere(path: Path, provider: str) -> None:
    """Another program appends one record and closes the ledger, as the command line does."""
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")  # as the no_keyring fixture
    subprocess.run([sys.executable, "-c", APPEND, str(path), provider], env=env, check=True,
                   timeout=60)


def deleted_side_files() -> list[str]:
    found = []
    for entry in Path("/proc/self/fd").iterdir():
        try:
            target = os.readlink(entry)
        except OSError:
            continue
        if "sqlite3-" in target and target.endswith("(deleted)"):
            found.append(target)
    return found


def test_a_second_open_here_keeps_the_first_connection_visible_to_other_programs(path, no_keyring):
    append_elsewhere(path, "zoom")
    main = Ledger.open(path)
    try:
        assert main.count() == 1
        with Ledger.open(path) as reader:  # a reader for one count, opened and closed
            assert reader.count() == 1
        append_elsewhere(path, "teams")  # it closes last, as it sees things
        assert deleted_side_files() == [], "the WAL and its index were deleted under the open connection"
        with Ledger.open(path) as other:  # a third program holds the ledger open meanwhile
            append_elsewhere(path, "webex")
            assert main.count() == 3
            main.append(RecordDraft(provider_id="zoom", decision=Decision.GIVEN))
            assert other.count() == 4
    finally:
        main.close()
    with Ledger.open(path) as fresh:
        assert fresh.count() == 4 and fresh.verify().ok
    assert not [entry for entry in Path("/proc/self/fd").iterdir()
                if os.path.exists(entry) and os.readlink(entry).startswith(str(path))], "nothing of it left open here"
