"""Another program holds ``ledger.anchor`` locked and never lets go (a stopped command, a hung or
hostile program of the user's). Every append waited on the lock for ever: in the tray app the helper
was killed after its deadline and the append here then waited for ever too, so the decision the
user made was never confirmed. Now the wait is bounded: the decision is recorded, and the anchor's
problem names the file and what to do."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from guard.ledger import Ledger, Record, RecordDraft
from guard.ledger import anchor as anchor_module
from guard.ledger.anchor import ANCHOR_FILE
from tests.support.bounded import bounded


@pytest.fixture
def locked(path: Path, no_keyring):
    """The ledger with one record, its anchor file then locked by a real ``flock`` process."""
    with Ledger.open(path) as ledger:
        ledger.append(RecordDraft(provider_id="zoom", decision="given"))
    holder = subprocess.Popen(["flock", "-x", str(path.with_name(ANCHOR_FILE)), "sleep", "600"])
    try:
        yield path
    finally:
        holder.kill()
        holder.wait()


def test_an_append_under_a_lock_held_for_good_is_recorded_not_waited_for(locked, monkeypatch):
    monkeypatch.setattr(anchor_module, "LOCK_WAIT_S", 0.5)
    done: list[Record] = []
    problems: list[str] = []

    def append() -> None:
        with Ledger.open(locked) as ledger:
            done.append(ledger.append(RecordDraft(provider_id="zoom", decision="refused", note="under a lock")))
            report = ledger.verify()
            problems.append(" ".join((report.summary(), *report.notes)))

    assert bounded(append, seconds=60, hang="the append waited for the other program's lock") is None
    assert [record.note for record in done] == ["under a lock"]
    assert "locked by another program" in problems[0] and ANCHOR_FILE in problems[0], problems
