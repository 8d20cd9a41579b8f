"""The ledger check that runs in a helper process during exports reports exactly what an
in-process check would, tampering included, and falls back to this process if it must."""

from __future__ import annotations

import concurrent.futures

import pytest

from guard.ledger import Ledger, ProblemKind, RecordDraft
from guard.ledger.background import BackgroundVerify
from tests.ledger.conftest import tamper


def fill(ledger: Ledger, count: int = 5) -> None:
    for i in range(count):
        ledger.append(RecordDraft(provider_id="zoom", decision="given", note=f"note {i}"))


def test_helper_process_reports_an_intact_ledger_with_the_real_keyring(path, secret_service):
    with Ledger.open(path) as ledger:
        fill(ledger)
        report = BackgroundVerify(ledger).result()
        assert report.ok and report.count == 5 and report.records_vouched == 5
        assert report.to_dict() == ledger.verify().to_dict()


def test_helper_process_finds_an_edited_record(path, monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")  # the helper inherits it
    with Ledger.open(path) as ledger:
        fill(ledger)
        tamper(path, "UPDATE records SET body = replace(body, '\"note 2\"', '\"note X\"'), note = 'note X' "
                     "WHERE seq = 3")
        report = BackgroundVerify(ledger).result()
        assert not report.ok
        assert (report.first_problem.kind, report.first_problem.seq) == (ProblemKind.EDITED, 3)


def test_without_a_helper_process_the_check_runs_here(ledger, monkeypatch, caplog):
    fill(ledger)

    class NoProcesses:
        def __init__(self, *args, **kwargs):
            raise OSError(24, "Too many open files")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", NoProcesses)
    monkeypatch.setattr("guard.ledger.background.ProcessPoolExecutor", NoProcesses)
    caplog.set_level("INFO")
    report = BackgroundVerify(ledger).result()
    assert report.ok and report.count == 5
    assert "Checking the ledger in this process" in caplog.text


@pytest.mark.parametrize("records", [0, 1])
def test_small_ledgers_are_checked_too(path, monkeypatch, records):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    with Ledger.open(path) as ledger:
        fill(ledger, records)
        assert BackgroundVerify(ledger).result().count == records
