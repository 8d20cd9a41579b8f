"""The optional outside witness: RFC 3161 time stamps from a TSA the user chooses, tested
against a real ``openssl ts`` authority on 127.0.0.1. Nothing goes out unless asked for."""

from __future__ import annotations

import os

import pytest

from guard.ledger import Ledger, ProblemKind, RecordDraft
from guard.ledger.timestamp import TimestampError, check_token, witness_digest
from tests.ledger.attacker import forge_with_own_ed25519_key, open_raw
from tests.ledger.tsa import local_tsa


@pytest.fixture(scope="module")
def tsa():
    with local_tsa() as served:
        yield served


def fill(ledger: Ledger, count: int = 3) -> None:
    for i in range(count):
        ledger.append(RecordDraft(provider_id="zoom", decision="given", note=str(i)))


def test_a_time_stamp_from_the_chosen_tsa_is_checked_and_kept(path, no_keyring, tsa):
    url, authority = tsa
    with Ledger.open(path) as ledger:
        fill(ledger)
        assert authority.requests == 0  # appending never asks the network
        witness = ledger.timestamp(url, network_enabled=True)
        report = ledger.verify()
        ledger_id = ledger.proof().ledger_id
    assert (witness.seq, witness.tsa_subject) == (3, "CN=Meeting Privacy Guard test TSA")
    assert report.ok and any(note.startswith("record 3 and all before it existed as they are on")
                             for note in report.notes)
    digest = witness_digest(ledger_id, witness.seq, witness.hash)
    assert check_token(witness.token, digest).certificate_sha256 == witness.tsa_certificate_sha256
    result = authority.verify_with_openssl(witness.token, digest)  # OpenSSL agrees, with the CA's certificate
    assert result.returncode == 0 and "Verification: OK" in result.stdout, result.stdout + result.stderr


def test_without_a_keyring_only_the_time_stamp_catches_a_complete_forgery(path, no_keyring, tsa):
    """No keyring: the attacker replaces the key, re-signs everything and writes a new anchor
    file of their own. Nothing inside the data folder can tell; the TSA's stamp still can."""
    url, _ = tsa
    with Ledger.open(path) as ledger:
        fill(ledger)
        ledger.timestamp(url, network_enabled=True)
    forge_everything(path)
    with Ledger.open(path) as ledger:
        report = ledger.verify()
    assert (report.problem.kind, report.problem.seq) == (ProblemKind.REPLACED, 3)
    assert "is not the one" in report.problem.message and url in report.problem.message


def forge_everything(path) -> None:
    import json

    from guard.ledger.anchor import AnchoredKey, AnchorFile
    from guard.ledger.head import SignedHead

    attacker = forge_with_own_ed25519_key(path, {2: {"decision": "refused"}})
    conn = open_raw(path)
    ledger_id = conn.execute("SELECT value FROM meta WHERE key = 'ledger_id'").fetchone()[0]
    key = conn.execute("SELECT key_id, algorithm, check_mac, storage, username, created_at FROM keys "
                       "WHERE key_id = ?", (attacker,)).fetchone()
    head = SignedHead.from_json(conn.execute("SELECT value FROM meta WHERE key = 'head'").fetchone()[0])
    conn.close()
    path.with_name("ledger.anchor").unlink()
    AnchorFile(path.with_name("ledger.anchor")).update(ledger_id, keys=[AnchoredKey(*key)], head=head)
    assert json.loads(json.dumps(head.to_dict()))["seq"] == 3


def test_a_forged_time_stamp_is_refused(path, no_keyring, tsa):
    url, _ = tsa
    with Ledger.open(path) as ledger:
        fill(ledger, 1)
        witness = ledger.timestamp(url, network_enabled=True)
    damaged = bytearray(witness.token)
    damaged[-5] ^= 0x01  # a bit of the TSA's signature
    with pytest.raises(ValueError):
        check_token(bytes(damaged), witness_digest("x", witness.seq, witness.hash))


def test_an_unreachable_tsa_is_said_plainly_and_nothing_is_kept(path, no_keyring):
    with Ledger.open(path) as ledger:
        fill(ledger, 1)
        with pytest.raises(TimestampError, match="Could not reach the time-stamping authority"):
            ledger.timestamp("http://127.0.0.1:9/tsa", network_enabled=True, timeout_s=2)
        assert ledger.verify().ok


def test_cli_timestamp(cli, tsa, app_home):
    url, _ = tsa
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    assert cli("consent", "add", "--provider", "zoom", "--decision", "given", env=env).returncode == 0
    result = cli("consent", "timestamp", "--tsa", url, env=env)
    assert result.returncode == 0 and "Record #1 (and every record before it) time-stamped at" in result.stdout


def test_with_the_network_switched_off_the_tsa_receives_nothing(path, no_keyring, tsa):
    url, authority = tsa
    before = authority.requests
    with Ledger.open(path) as ledger:
        fill(ledger, 1)
        with pytest.raises(TimestampError, match=r"network access is switched off.*network_enabled = true"):
            ledger.timestamp(url, network_enabled=False)
        report = ledger.verify()
    assert report.ok and not any("existed as they are" in note for note in report.notes)  # nothing kept
    assert authority.requests == before


@pytest.mark.parametrize("settings", ["[terms]\nnetwork_enabled = false\n", "[terms]\nnetwork_enabled = 0\n"])
def test_cli_timestamp_obeys_the_network_switch_and_fails_closed(cli, tsa, app_home, settings):
    """Off, or not readably on: the command fails, says how to allow it, and the TSA hears nothing."""
    url, authority = tsa
    before = authority.requests
    (app_home / "config").mkdir(parents=True, exist_ok=True)
    (app_home / "config" / "settings.toml").write_text(settings)
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    assert cli("consent", "add", "--provider", "zoom", "--decision", "given", env=env).returncode == 0
    result = cli("consent", "timestamp", "--tsa", url, env=env)
    assert result.returncode != 0 and "network access is switched off" in result.stderr
    assert str(app_home / "config" / "settings.toml") in result.stderr and "network_enabled = true" in result.stderr
    assert authority.requests == before
