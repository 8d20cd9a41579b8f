"""JSON that someone with the data folder wrote to crash the app: arrays nested 100,000 deep in
a record's body, the stored head or the anchor file (Python's json recurses once per level and
raises RecursionError, which is not a ValueError). The next decision must still be recorded,
and ``verify`` must name what was changed, never end in a traceback."""

from __future__ import annotations

import hashlib
from pathlib import Path

from guard.ledger import Ledger, RecordDraft
from guard.ledger.anchor import _SLOT
from tests.ledger.conftest import tamper

NESTED = "[" * 100_000


def _made(path: Path) -> None:
    with Ledger.open(path) as ledger:
        ledger.append(RecordDraft(provider_id="zoom", decision="refused", note="no recording"))


def test_decision_is_recorded_after_a_newest_record_nested_deep(path, no_keyring):
    _made(path)
    tamper(path, "UPDATE records SET body = ? WHERE seq = 1", params=(NESTED,))
    with Ledger.open(path) as ledger:
        record = ledger.append(RecordDraft(provider_id="zoom", decision="given"))
        assert record.seq == 2 and ledger.get(record.id).decision == "given"
        report = ledger.verify()
    assert not report.ok and report.first_problem is not None and report.first_problem.seq == 1


def test_stored_head_nested_deep_is_reported_not_raised(path, no_keyring):
    _made(path)
    tamper(path, "UPDATE meta SET value = ? WHERE key = 'head'", params=(NESTED,))
    with Ledger.open(path) as ledger:
        report = ledger.verify()
    assert not report.ok and "head" in report.summary()


def test_anchor_file_nested_deep_is_reported_as_damaged(path, no_keyring):
    _made(path)
    payload = b'{"keys":' + b"[" * 3000  # fits one slot of the file; past json's recursion limit
    header = b"MPG-LEDGER-ANCHOR 1 99 %d %s\n" % (len(payload), hashlib.sha256(payload).hexdigest().encode())
    path.with_name("ledger.anchor").write_bytes((header + payload).ljust(_SLOT, b"\0") * 2)
    with Ledger.open(path) as ledger:
        report = ledger.verify()
    assert not report.ok and "anchor" in report.summary() and "damaged" in report.summary()
