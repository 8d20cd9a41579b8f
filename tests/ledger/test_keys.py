"""Where the signing key lives, said plainly: the session's real Secret Service keyring, or a
0600 key file when there is no keyring or it fails; a lost key is reported as lost (not as
tampering) while the hash chain is still checked."""

from __future__ import annotations

import json
import os
import re
import stat

import keyring
import keyring.backend
import keyring.errors
import pytest

from guard.ledger import KeyState, Ledger, LedgerKeyError, ProblemKind, RecordDraft
from guard.ledger.keys import SERVICE
from tests.ledger.conftest import _use_backend, tamper

NO_KEYRING = "no keyring backend is installed or running"


def add(ledger: Ledger, note: str = "x"):
    return ledger.append(RecordDraft(provider_id="zoom", decision="given", note=note))


class LockedKeyring(keyring.backend.KeyringBackend):
    """A keyring that is there but refuses every request, as a locked collection does."""

    priority = 1  # type: ignore[assignment]
    viable = False  # never picked by keyring's own discovery; only set explicitly below

    def get_password(self, service, username):
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service, username, password):
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def delete_password(self, service, username):
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")


@pytest.fixture
def locked_keyring():
    yield from _use_backend(LockedKeyring())


@pytest.mark.desktop
def test_key_lives_in_the_secret_service_when_there_is_one(path, secret_service):
    with Ledger.open(path) as ledger:
        # one level of parentheses: the Overview once said "intact: no records yet (no key yet; ... (keyring: ...))"
        assert ledger.key_status().message() == "none yet; the first record creates one in the keyring (Secret Service)"
        assert ledger.verify().summary() == ("intact: no records yet; signing key: none yet; the first record "
                                             "creates one in the keyring (Secret Service)")
        add(ledger)
        status = ledger.key_status()
        assert status.state == KeyState.OK and status.message() == "keyring: Secret Service"
        assert keyring.get_password(SERVICE, status.username)
        assert not ledger.key_file.exists()
        assert ledger.verify().ok


def test_without_a_keyring_the_key_file_is_used_and_said_so(path, no_keyring):
    with Ledger.open(path) as ledger:
        add(ledger)
        status = ledger.key_status()
        assert status.message() == f"key file {ledger.key_file} (no keyring available: {NO_KEYRING})"
        assert stat.S_IMODE(os.stat(ledger.key_file).st_mode) == 0o600
        assert status.username in json.loads(ledger.key_file.read_text())["keys"]
        assert ledger.verify().ok


def test_a_locked_keyring_falls_back_to_the_key_file_and_says_why(path, locked_keyring):
    with Ledger.open(path) as ledger:
        add(ledger)
        message = ledger.key_status().message()
    assert message.startswith(f"key file {path.with_name('ledger.key')} (no keyring available: ")
    assert "Failed to unlock the collection!" in message


def test_key_file_mode_is_restored_to_0600(path, no_keyring):
    with Ledger.open(path) as ledger:
        add(ledger)
        os.chmod(ledger.key_file, 0o644)
        assert ledger.verify().ok
        assert stat.S_IMODE(os.stat(ledger.key_file).st_mode) == 0o600


def test_cli_without_keyring_backend_reports_the_key_file(cli, app_home):
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    assert cli("consent", "add", "--provider", "zoom", "--decision", "given", env=env).returncode == 0
    result = cli("consent", "verify", env=env)
    assert result.returncode == 0
    key_file = app_home / "data" / "ledger.key"
    assert f"Key: key file {key_file} (no keyring available: {NO_KEYRING})" in result.stdout
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600


def test_consent_verify_shows_the_fingerprint_a_reader_of_an_export_compares(cli, app_home, tmp_path):
    """README and docs/verify-export.md tell the reader of an export or a receipt to compare the key's
    fingerprint with the one the owner reads from `consent verify`, which did not print it."""
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    assert cli("consent", "add", "--provider", "zoom", "--decision", "given", env=env).returncode == 0
    export = tmp_path / "history.json"
    exported = cli("consent", "export", "--format", "json", "-o", str(export), "--jurisdiction", "EU", env=env)
    assert exported.returncode == 0, exported.stderr
    checked = cli("verify-export", str(export), env=env)
    (fingerprint,) = re.findall(r"fingerprint ([0-9a-f]{64})", checked.stdout)
    result = cli("consent", "verify", env=env)
    assert result.returncode == 0
    assert f"Key fingerprint (Ed25519, SHA-256 of the public key): {fingerprint}" in result.stdout


@pytest.mark.desktop
def test_lost_keyring_key_is_reported_as_lost_not_tampering(path, secret_service, cli):
    with Ledger.open(path) as ledger:
        add(ledger)
        add(ledger)
        keyring.delete_password(SERVICE, ledger.key_status().username)
        report = ledger.verify()
        assert report.chain_intact and not report.ok and report.problem is None
        assert (report.key_problem.kind, report.key_problem.seq) == (ProblemKind.KEY_LOST, 1)
        # The public key (anchored in the keyring) still checks every record: only signing is lost.
        assert report.records_vouched == 2
        assert report.summary().startswith("records intact: 2 records verified") and "key lost" in report.summary()
        assert report.key.state == KeyState.LOST
        with pytest.raises(LedgerKeyError, match="key lost"):
            add(ledger)
    result = cli("consent", "verify")
    assert result.returncode == 1 and "key lost" in result.stdout and "records intact" in result.stdout


def test_lost_key_file_still_checks_the_hash_chain(ledger, path):
    add(ledger, "one")
    add(ledger, "two")
    ledger.key_file.unlink()
    report = ledger.verify()
    assert report.key_problem.kind == ProblemKind.KEY_LOST and report.problem is None
    tamper(path, "UPDATE records SET body = replace(body, '\"two\"', '\"owt\"') WHERE seq = 2")
    report = ledger.verify()
    assert (report.problem.kind, report.problem.seq) == (ProblemKind.EDITED, 2)
    assert report.summary().startswith("NOT intact: edited at seq 2")


def test_rekey_after_a_lost_key_signs_new_records(ledger):
    add(ledger)
    ledger.key_file.unlink()
    assert ledger.key_status().state == KeyState.LOST
    with pytest.raises(LedgerKeyError, match="consent rekey"):
        add(ledger)
    status = ledger.rekey()
    assert status.state == KeyState.OK
    add(ledger)
    report = ledger.verify()
    # The lost key's record is still checked with its public key; the new key signs the rest.
    assert report.ok and report.count == 2 and report.records_vouched == 2, report.summary()
    keys = ledger._conn.execute("SELECT key_id, from_seq, body FROM keys ORDER BY rowid").fetchall()
    assert [row[1] for row in keys] == [1, 2]
    why = json.loads(keys[1][2])["why"]
    assert why.startswith("rekey requested while verify reported:") and "key lost" in why


def test_unreachable_keyring_is_reported_as_unavailable(path, secret_service_or_file):
    """A key stored in the keyring, read while the keyring refuses: unavailable, not lost."""
    with Ledger.open(path) as ledger:
        add(ledger)
        if ledger.key_status().storage != "keyring":
            pytest.skip("needs a keyring to store the key first")
        with _keyring(LockedKeyring()):
            report = ledger.verify()
            status = ledger.key_status()
    assert report.key_problem.kind == ProblemKind.KEY_UNAVAILABLE and report.problem is None
    assert status.state == KeyState.UNAVAILABLE and "Failed to unlock the collection!" in status.message()


@pytest.fixture
def secret_service_or_file(desktop):
    return keyring.get_keyring()


class _keyring:
    def __init__(self, backend):
        self._gen = _use_backend(backend)

    def __enter__(self):
        return next(self._gen)

    def __exit__(self, *exc):
        next(self._gen, None)


def test_without_a_keyring_verify_says_plainly_what_it_cannot_detect(path, no_keyring, cli, app_home):
    with Ledger.open(path) as ledger:
        add(ledger)
        report = ledger.verify()
    assert report.ok and report.anchored == "the anchor file only"
    assert any(limit.startswith("without a keyring, the signing key, the list of trusted keys and the newest head")
               for limit in report.limits)
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    result = cli("consent", "verify", env=env)
    assert result.returncode == 0 and "Cannot detect:\n  - without a keyring" in result.stdout


@pytest.mark.desktop
def test_with_the_keyring_forgery_and_rollback_are_among_what_is_detected(app_home, secret_service):
    from guard.paths import app_paths
    from guard.services import Services

    services = Services(app_paths())
    try:
        evidence = services.tamper_evidence()
    finally:
        services.close()
    assert evidence.full and evidence.keyring == "Secret Service"
    assert any("rollback" in line for line in evidence.detects)
    assert not any(line.startswith("without a keyring") for line in evidence.cannot_detect)
