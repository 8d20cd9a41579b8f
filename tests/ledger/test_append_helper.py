"""The tray app records a decision in a short-lived helper process (guard.ledger.append_helper):
its memory never holds the ledger's keyring and crypto, and the decision is never lost and never
recorded twice, whatever happens to the helper. Real spawned processes, a real SQLite ledger and
the test desktop's real Secret Service keyring."""

from __future__ import annotations

import json
import multiprocessing
import multiprocessing.spawn
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import keyring
import pytest

from guard.ledger import Ledger, LedgerCorruptError, LedgerInputError, LedgerKeyError, RecordDraft, ledger_path
from guard.ledger.append_helper import TEST_HOOK_ENV, NoAnswer, _answer
from guard.ledger.keys import SERVICE
from guard.paths import app_paths
from guard.services import Services

pytestmark = pytest.mark.desktop


def draft(note: str = "asked by the host") -> RecordDraft:
    return RecordDraft(provider_id="zoom", decision="refused", note=note)


def stored(path: Path) -> list[tuple[int, str, str | None]]:
    with Ledger.open(path) as ledger:
        assert ledger.verify().ok
        return [(record.seq, record.id, record.note) for record in ledger.iter()]


def in_the_tray(work: str, answer: str, *, first: str = "") -> dict:
    """Run ``work`` with the tray app's own services (ui/shell.py), as its consent form, notifications and
    welcome use them, in a fresh interpreter (``first``: imports before the services start); the JSON of
    ``answer`` (a dict display's items) with ``loaded``: which of the ledger's heavy modules it loaded."""
    script = ("import json, sys\n"
              "from PySide6.QtWidgets import QApplication\n"
              "app = QApplication([])\n"
              "from guard.ledger import RecordDraft\n"
              "from guard.paths import app_paths\n"
              "from ui.shell import Shell\n"
              f"{first}"
              "services = Shell(app_paths())._services_factory()\n"
              f"{work}"
              "loaded = sorted(m for m in ('guard.ledger.store', 'cryptography', 'keyring', 'secretstorage')"
              " if m in sys.modules)\n"
              f"print(json.dumps({{{answer}, 'loaded': loaded}}))\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_the_tray_records_in_a_helper_and_never_loads_the_keyring_or_crypto(app_home, secret_service):
    answer = in_the_tray(
        "record = services.record_decision(RecordDraft(provider_id='zoom', decision='given', note='tray'))\n",
        "'id': record.id, 'seq': record.seq, 'terms': len(record.terms)")
    assert answer["loaded"] == [], "the tray process loaded the ledger's keyring or crypto"
    assert answer["terms"] >= 1, "the record cites the terms in force, as when recorded in the app"
    assert stored(ledger_path(app_paths())) == [(1, answer["id"], "tray")]
    with Ledger.open(ledger_path(app_paths())) as ledger:
        assert ledger.key_status().storage == "keyring", "the helper kept the key in the real Secret Service"


def test_a_helper_killed_after_its_append_leaves_exactly_one_record(app_home, secret_service, monkeypatch):
    services = Services(app_paths(), record_in_helper=True)
    monkeypatch.setenv(TEST_HOOK_ENV, "kill-after-append")
    record = services.record_decision(draft("once"))
    monkeypatch.delenv(TEST_HOOK_ENV)
    assert stored(ledger_path(app_paths())) == [(1, record.id, "once")]
    again = services.record_decision(draft("next"))  # the app goes on, with the ledger it had to open
    assert again.seq == 2
    services.close()


def test_a_helper_that_dies_before_appending_is_replaced_by_an_append_here(app_home, secret_service, monkeypatch):
    services = Services(app_paths(), record_in_helper=True)
    monkeypatch.setenv(TEST_HOOK_ENV, "exit-at-start")
    record = services.record_decision(draft("here"))
    services.close()
    assert stored(ledger_path(app_paths())) == [(1, record.id, "here")]


def test_a_helper_that_cannot_start_is_replaced_by_an_append_here(app_home, secret_service):
    services = Services(app_paths(), record_in_helper=True)
    spawn = multiprocessing.get_context("spawn")
    python = multiprocessing.spawn.get_executable()
    spawn.set_executable(str(app_home / "no-such-python"))  # starting the helper fails (FileNotFoundError)
    try:
        record = services.record_decision(draft("no helper"))
    finally:
        spawn.set_executable(python)
    services.close()
    assert stored(ledger_path(app_paths())) == [(1, record.id, "no helper")]


def test_decisions_in_quick_succession_keep_their_order(app_home, secret_service):
    services = Services(app_paths(), record_in_helper=True)
    errors: list[BaseException] = []

    def save(note: str) -> None:
        try:
            services.record_decision(draft(note))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = []
    for asked, note in enumerate(("first", "second", "third"), start=1):
        threads.append(threading.Thread(target=save, args=(note,)))
        threads[-1].start()
        # asked for in this order: the next decision is asked for once this one holds its place in
        # the queue (under load, a thread started later could otherwise ask first)
        waited_until = time.monotonic() + 60
        while services._appender._turns._next < asked and time.monotonic() < waited_until:  # noqa: SLF001
            time.sleep(0.005)
    for thread in threads:
        thread.join(120)
    assert not errors
    assert [(seq, note) for seq, _id, note in stored(ledger_path(app_paths()))] == [
        (1, "first"), (2, "second"), (3, "third")]


def test_a_damaged_ledger_is_reported_as_in_the_app_and_left_as_it_was(app_home):
    path = ledger_path(app_paths().ensure())
    path.write_bytes(b"this is not a ledger" * 100)
    with pytest.raises(LedgerCorruptError) as here:
        Services(app_paths()).record_decision(draft())
    with pytest.raises(LedgerCorruptError) as helper:
        Services(app_paths(), record_in_helper=True).record_decision(draft())
    assert str(helper.value) == str(here.value) and str(path) in str(helper.value)
    assert path.read_bytes() == b"this is not a ledger" * 100


def test_a_lost_keyring_key_is_reported_as_in_the_app(app_home, secret_service):
    services = Services(app_paths(), record_in_helper=True)
    services.record_decision(draft("signed"))
    with Ledger.open(ledger_path(app_paths())) as ledger:
        keyring.delete_password(SERVICE, ledger.key_status().username)
    with pytest.raises(LedgerKeyError) as helper:
        services.record_decision(draft("unsigned"))
    with pytest.raises(LedgerKeyError) as here:
        Services(app_paths()).record_decision(draft("unsigned"))
    assert str(helper.value) == str(here.value) and "key lost" in str(helper.value)
    assert [note for _seq, _id, note in stored_unverified(ledger_path(app_paths()))] == ["signed"]


def stored_unverified(path: Path) -> list[tuple[int, str, str | None]]:
    with Ledger.open(path) as ledger:
        return [(record.seq, record.id, record.note) for record in ledger.iter()]


def test_an_append_retried_with_its_id_is_stored_once(path, secret_service):
    record_id = str(uuid.uuid4())
    with Ledger.open(path) as ledger:
        first = ledger.append(draft("retried"), record_id=record_id)
        again = ledger.append(draft("retried"), record_id=record_id)
        assert again == first and first.id == record_id
        with pytest.raises(LedgerInputError, match="already used by record 1"):
            ledger.append(draft("another decision"), record_id=record_id)
        assert ledger.count() == 1 and ledger.verify().ok
    answer = json.dumps({"record": first.model_dump(mode="json")}).encode()
    assert _answer(answer, record_id) == first, "the record crosses as JSON and is validated back"
    with pytest.raises(NoAnswer, match="answered with record"):
        _answer(answer, str(uuid.uuid4()))  # an answer about another decision is not taken


def test_only_a_valid_record_or_a_ledger_error_is_taken_from_the_helper():
    record_id = str(uuid.uuid4())
    with pytest.raises(NoAnswer):
        _answer(b"not json", record_id)
    with pytest.raises(NoAnswer):
        _answer(json.dumps({"record": {"id": record_id, "seq": "one"}}).encode(), record_id)
    with pytest.raises(NoAnswer, match="SystemExit"):  # not a ledger error: the app appends itself
        _answer(json.dumps({"error": {"kind": "SystemExit", "message": "x"}}).encode(), record_id)
    with pytest.raises(LedgerCorruptError, match="^damaged$"):
        _answer(json.dumps({"error": {"kind": "LedgerCorruptError", "message": "damaged"}}).encode(), record_id)


def test_the_tray_reads_the_keys_status_in_a_helper_as_its_welcome_does(app_home, secret_service):
    """The welcome asks where the signing key lives on first start; in the tray app a helper reads
    it, so the keyring library and cryptography do not stay in the tray for the rest of its life."""
    answer = in_the_tray(
        "before = services.key_status()\n"
        "services.record_decision(RecordDraft(provider_id='zoom', decision='given'))\n"
        "after = services.key_status()\n",
        "'before': [str(before.state), before.usable], 'after': [str(after.storage), after.usable, after.fingerprint]",
        first="import ui.welcome\n")  # the window that asks, with the words it shows
    assert answer["loaded"] == [], "reading the key's status loaded the keyring or crypto in the tray process"
    assert answer["before"][1] is False, "no key before the first record"
    storage, usable, fingerprint = answer["after"]
    assert storage == "keyring" and usable and fingerprint
    with Ledger.open(ledger_path(app_paths())) as ledger:
        assert ledger.key_status().fingerprint == fingerprint, "the helper read the ledger's real key"
