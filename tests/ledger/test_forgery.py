"""Issue 16 items 1 and 2, as filed: a ledger re-signed with the attacker's own key is "signed
with an unknown key (possible forgery)", and tampering is never passed off as a lost key.
The genuine key stays in the test desktop's real gnome-keyring (Secret Service)."""

from __future__ import annotations

import json

import keyring
import pytest

from guard.ledger import Ledger, ProblemKind, RecordDraft
from guard.ledger.keys import SERVICE
from tests.ledger.attacker import (
    forge_with_own_ed25519_key,
    forge_with_own_hmac_key,
    open_raw,
    rechain,
)
from tests.ledger.legacy import build_legacy_ledger

pytestmark = pytest.mark.desktop


def fill(path, count: int = 4) -> list:
    with Ledger.open(path) as ledger:
        return [ledger.append(RecordDraft(provider_id="zoom", decision="given", note=f"note {i}"))
                for i in range(1, count + 1)]


@pytest.mark.parametrize("forge", [forge_with_own_ed25519_key, forge_with_own_hmac_key])
def test_ledger_resigned_with_the_attackers_own_key_is_a_possible_forgery(path, secret_service, cli, forge):
    records = fill(path)
    attacker = forge(path, {2: {"decision": "refused"}})
    with Ledger.open(path) as ledger:
        assert ledger.get(records[1].id).decision == "refused"  # the forgery took: only verify can tell
        report = ledger.verify()
    assert (report.problem.kind, report.problem.seq) == (ProblemKind.UNKNOWN_KEY, 1)
    assert "signed with an unknown key (possible forgery)" in report.problem.message
    assert attacker in report.problem.message
    result = cli("consent", "verify")
    assert result.returncode == 1
    expected = "NOT intact: unknown-key at seq 1: record 1 is signed with an unknown key (possible forgery)"
    assert expected in result.stdout


def test_an_attacker_key_row_cannot_sign_new_records_either(path, secret_service):
    fill(path)
    forge_with_own_ed25519_key(path, {})
    with Ledger.open(path) as ledger:
        with pytest.raises(Exception, match="not one this computer made"):
            ledger.append(RecordDraft(provider_id="zoom", decision="given"))
        ledger.rekey()  # a key of this computer's signs from here on; the forgery stays reported
        ledger.append(RecordDraft(provider_id="zoom", decision="refused"))
        report = ledger.verify()
    assert report.problem.kind == ProblemKind.UNKNOWN_KEY and report.count == 5


def edit_and_rehash(path) -> None:
    """Record 2 becomes a refusal; every hash and link is recomputed (no key needed for that)."""
    conn = open_raw(path)
    records = rechain(conn, {2: {"decision": "refused"}})
    head = json.loads(conn.execute("SELECT value FROM meta WHERE key = 'head'").fetchone()[0])
    head["hash"] = records[-1][2]
    conn.execute("UPDATE meta SET value = ? WHERE key = 'head'", (json.dumps(head),))
    conn.close()


def test_edit_then_rename_the_key_row_is_tampering_not_a_lost_key(path, secret_service, cli):
    fill(path)
    edit_and_rehash(path)
    conn = open_raw(path)
    conn.execute("UPDATE keys SET username = username || '-renamed'")
    conn.close()
    with Ledger.open(path) as ledger:
        report = ledger.verify()
    assert report.problem is not None and report.problem.kind.is_tampering, report.summary()
    assert report.problem.kind == ProblemKind.KEY_TAMPERED and "username" in report.problem.message
    assert "key lost" not in report.summary() and "not tampering" not in report.summary()
    result = cli("consent", "verify")
    assert result.returncode == 1 and "NOT intact: key-tampered" in result.stdout


def test_edit_then_delete_the_key_row_is_tampering(path, secret_service):
    fill(path)
    edit_and_rehash(path)
    conn = open_raw(path)
    conn.execute("DELETE FROM keys")
    conn.close()
    with Ledger.open(path) as ledger:
        report = ledger.verify()
    assert (report.problem.kind, report.problem.seq) == (ProblemKind.KEY_TAMPERED, 1)
    assert "was removed from the file" in report.problem.message


def test_edit_then_delete_the_key_file_is_still_caught_by_the_public_key(path, no_keyring):
    fill(path)
    edit_and_rehash(path)
    path.with_name("ledger.key").unlink()
    with Ledger.open(path) as ledger:
        report = ledger.verify()
    assert (report.problem.kind, report.problem.seq) == (ProblemKind.BAD_SIGNATURE, 2)
    assert report.summary().startswith("NOT intact: bad-signature at seq 2")


def _legacy_ledger_edited_then_key_renamed(path) -> None:
    """An HMAC ledger of an older version, opened (so anchored) by this one, then edited with its MACs
    recomputed and its key row renamed, as a forger who holds the file would."""
    build_legacy_ledger(path, ["a", "b", "c"], in_keyring=True)
    with Ledger.open(path) as ledger:
        assert ledger.verify().ok
    edit_and_rehash(path)
    conn = open_raw(path)
    conn.execute("UPDATE keys SET username = username || '-renamed'")
    conn.close()


def test_legacy_hmac_ledger_edit_then_rename_is_tampering(path, secret_service):
    """An HMAC ledger from an older version is anchored when this version first opens it; from
    then on renaming its key row is caught, though its MACs cannot say more than before."""
    _legacy_ledger_edited_then_key_renamed(path)
    with Ledger.open(path) as ledger:
        report = ledger.verify()
    assert report.problem is not None and report.problem.kind.is_tampering, report.summary()
    assert "key lost" not in report.summary()


def test_the_lost_key_is_said_only_when_the_keyring_lost_it(path, secret_service):
    records = fill(path, 2)
    with Ledger.open(path) as ledger:
        keyring.delete_password(SERVICE, ledger.key_status().username)
        report = ledger.verify()
    assert report.problem is None and report.key_problem.kind == ProblemKind.KEY_LOST
    assert report.records_vouched == len(records)


def _locked_keyring_in_place_of_ours(desktop) -> None:
    """The session's gnome-keyring dies and D-Bus activates another, whose login collection is locked."""
    import os
    import signal
    import subprocess
    import time

    from tests.support.desktop import _bus_name_owned

    env = desktop.child_env()
    os.kill(desktop.keyring_pid, signal.SIGKILL)
    gone = time.monotonic() + 10
    while _bus_name_owned(env, "org.freedesktop.secrets") and time.monotonic() < gone:
        time.sleep(0.05)
    subprocess.run(["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.StartServiceByName", "string:org.freedesktop.secrets", "uint32:0"],
                   env=env, check=True, capture_output=True)


def test_a_keyring_test_starts_with_the_unlocked_keyring_even_if_it_died_after_the_last_test(desktop, request):
    """Audit 7: test_legacy_hmac_ledger_edit_then_rename_is_tampering failed once when the session's
    gnome-keyring had died and a locked one was D-Bus activated in its place: the check after each
    test had passed, and nothing looked again before the next test used the keyring."""
    from tests.support.desktop import _name_owner_pid

    _locked_keyring_in_place_of_ours(desktop)
    request.getfixturevalue("secret_service")  # what a keyring test asks for first
    assert _name_owner_pid(desktop.child_env(), "org.freedesktop.secrets") == desktop.keyring_pid
    keyring.set_password("mpg-desktop-test", "user", "unlocked")
    assert keyring.get_password("mpg-desktop-test", "user") == "unlocked"
    keyring.delete_password("mpg-desktop-test", "user")


def test_legacy_hmac_ledger_edit_then_rename_is_tampering_with_the_keyring_locked(path, secret_service, desktop,
                                                                                 monkeypatch):
    """The same edit, checked while a locked keyring answers in place of the session's (what the flaky
    run met): the app fails closed, calling it tampering, never intact and never a lost key."""
    from guard.keyring_call import DEADLINE_ENV

    _legacy_ledger_edited_then_key_renamed(path)
    monkeypatch.setenv(DEADLINE_ENV, "2")
    monkeypatch.setenv("MEETING_GUARD_KEYRING_PROMPT_TIMEOUT", "2")
    _locked_keyring_in_place_of_ours(desktop)
    with Ledger.open(path) as ledger:
        report = ledger.verify()
    assert not report.ok, report.summary()
    assert report.problem is not None and report.problem.kind.is_tampering, report.summary()
    assert "key lost" not in report.summary()
