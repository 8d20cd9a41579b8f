"""``meeting-guard consent``: the real command line against the test's own data folder."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys

import pytest

from guard.cli.consent import catalog_warnings
from tests.ledger.reaping import reaped


def no_keyring_env(**extra: str) -> dict[str, str]:
    """This test's environment (its own app home) with keyring's ``fail`` backend."""
    return dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring", **extra)


@pytest.fixture
def consent(cli):
    """``consent("add", ...)`` runs ``meeting-guard consent add ...`` without a keyring (fast)."""
    def run(*args: str, **kwargs):
        kwargs.setdefault("env", no_keyring_env())
        return cli("consent", *args, **kwargs)
    return run


def add_json(consent, *args: str) -> dict:
    result = consent("add", *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["record"]


def test_add_records_every_option(consent):
    record = add_json(consent, "--provider", "zoom", "--feature", "meeting-summary", "--decision", "given",
                      "--purpose", "meeting summary", "--purpose", "smart recording", "--requested-by", "host",
                      "--meeting-title", "Board meeting", "--meeting-id", "https://zoom.us/j/1", "--organiser", "Ada",
                      "--occurred-at", "2026-05-01T14:30:00+02:00", "--note", "asked at the start")
    assert record["seq"] == 1 and record["decision"] == "given" and record["feature_id"] == "meeting-summary"
    assert record["purposes"] == ["meeting summary", "smart recording"] and record["requested_by"] == "host"
    assert record["meeting"] == {"title": "Board meeting", "id_or_link": "https://zoom.us/j/1", "organiser": "Ada"}
    assert record["occurred_at"] == "2026-05-01T12:30:00.000000Z" and record["note"] == "asked at the start"
    listed = json.loads(consent("list", "--json").stdout)
    assert listed["total"] == 1 and listed["records"][0]["id"] == record["id"]
    assert listed["records"][0]["status"]["label"] == "given"


def test_occurred_at_without_a_zone_is_local_time(consent):
    env = no_keyring_env(TZ="XYZ-3")  # local time is UTC+3
    result = consent("add", "--provider", "zoom", "--decision", "refused", "--occurred-at", "2026-05-01T12:00",
                     "--json", env=env)
    assert json.loads(result.stdout)["record"]["occurred_at"] == "2026-05-01T09:00:00.000000Z"


def test_list_filters(consent):
    for day, provider, decision in ((1, "zoom", "given"), (2, "teams", "refused"), (3, "zoom", "left-meeting")):
        add_json(consent, "--provider", provider, "--decision", decision, "--occurred-at", f"2026-03-0{day}T10:00Z",
                 "--meeting-title", f"Day {day} review")

    def listed(*args: str) -> list[str]:
        result = consent("list", *args, "--json")
        assert result.returncode == 0, result.stderr
        return [r["meeting"]["title"] for r in json.loads(result.stdout)["records"]]

    assert listed() == ["Day 3 review", "Day 2 review", "Day 1 review"]
    assert listed("--provider", "zoom") == ["Day 3 review", "Day 1 review"]
    assert listed("--decision", "refused") == ["Day 2 review"]
    assert listed("--from", "2026-03-02", "--to", "2026-03-02") == ["Day 2 review"]
    assert listed("--search", "day 3") == ["Day 3 review"]
    assert listed("--limit", "1", "--order", "oldest") == ["Day 1 review"]
    text = consent("list").stdout
    assert "3 records" in text.splitlines()[-1] and "left-meeting" in text
    assert consent("list", "--limit", "1").stdout.splitlines()[-1] == "1 of 3 records"


def test_withdraw_adds_a_linked_record(consent):
    given = add_json(consent, "--provider", "zoom", "--decision", "given")
    result = consent("withdraw", given["id"], "--note", "no longer", "--json")
    assert result.returncode == 0, result.stderr
    withdrawal = json.loads(result.stdout)["record"]
    assert withdrawal["refers_to"] == given["id"] and withdrawal["decision"] == "withdrawn"
    labels = {r["id"]: r["status"]["label"] for r in json.loads(consent("list", "--json").stdout)["records"]}
    assert labels[given["id"]] == "given, then withdrawn"
    again = consent("withdraw", given["id"])
    assert again.returncode == 2 and "only a consent that is in force" in again.stderr


def test_add_with_refers_to_records_a_correction(consent):
    wrong = add_json(consent, "--provider", "zoom", "--decision", "refused")
    fixed = add_json(consent, "--provider", "zoom", "--decision", "given", "--refers-to", wrong["id"])
    assert fixed["refers_to"] == wrong["id"]
    labels = {r["id"]: r["status"]["label"] for r in json.loads(consent("list", "--json").stdout)["records"]}
    assert labels[wrong["id"]] == "refused, corrected to given"


@pytest.mark.parametrize("args, words", [
    (("add", "--provider", "Not An Id", "--decision", "given", "--allow-unknown"), "provider_id"),
    (("add", "--provider", "zoom", "--decision", "given", "--occurred-at", "yesterday"), "--occurred-at"),
    (("add", "--provider", "zoom", "--decision", "maybe"), "invalid choice"),
    (("list", "--from", "03/02/2026"), "--from"),
    (("withdraw", "not-a-uuid"), "not a record id"),
])
def test_bad_input_exits_2_and_says_what(consent, args, words):
    result = consent(*args)
    assert result.returncode == 2
    assert words in result.stderr


def test_verify_json_on_a_new_ledger(consent):
    result = consent("verify", "--json")
    assert result.returncode == 0
    report = json.loads(result.stdout)
    assert report["ok"] and report["count"] == 0 and report["key"]["state"] == "none"


def test_verify_says_how_many_decisions_wait_for_the_key(consent):
    """Decisions the app kept while the keyring was away are not in the ledger yet: verify says so."""
    import uuid

    from guard.ledger import RecordDraft, ledger_path
    from guard.ledger.waiting import WaitingDecisions
    from guard.paths import app_paths

    add_json(consent, "--provider", "zoom", "--decision", "given")
    WaitingDecisions(ledger_path(app_paths()).parent).keep(
        str(uuid.uuid4()), RecordDraft(provider_id="zoom", decision="refused"), "the keyring did not answer")
    report = json.loads(consent("verify", "--json").stdout)
    assert report["ok"] and report["count"] == 1 and report["waiting"] == 1
    text = consent("verify").stdout
    assert "Waiting: 1 decision kept on this computer, not yet in the ledger" in text


def test_unknown_provider_is_recorded_only_with_allow_unknown(consent):
    result = consent("add", "--provider", "no-such-provider-anywhere", "--decision", "notice-only", "--allow-unknown",
                     "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout)["record"]["provider_id"] == "no-such-provider-anywhere"
    assert "warning: provider 'no-such-provider-anywhere' is not in the catalog" in result.stderr


def test_catalog_warns_about_unknown_provider_and_feature(tmp_path):
    from guard.catalog import load_catalog

    shipped = tmp_path / "catalog"
    shipped.mkdir()
    (shipped / "example-meet.toml").write_text(
        'id = "example-meet"\nname = "Example Meet"\nvendor = "Example"\nkind = "meeting-client"\n'
        'homepage = "https://example.org/"\n')
    catalog = load_catalog(shipped=shipped)
    assert catalog_warnings(catalog, "example-meet", None) == []
    assert catalog_warnings(catalog, "other", None) == ["provider 'other' is not in the catalog; recorded anyway"]
    assert "no AI feature 'x'" in catalog_warnings(catalog, "example-meet", "x")[0]
    assert catalog_warnings(None, "anything", "x") == [], "no catalog: nothing to check against"


def test_add_with_an_unknown_feature_and_allow_unknown_warns_and_records(consent):
    result = consent("add", "--provider", "zoom", "--feature", "no-such-feature", "--decision", "refused",
                     "--allow-unknown", "--json")
    assert result.returncode == 0
    assert "no AI feature 'no-such-feature'" in result.stderr


def test_erase_without_confirmation_refuses_with_exit_2(consent, app_home):
    add_json(consent, "--provider", "zoom", "--decision", "given")
    result = consent("erase")
    assert result.returncode == 2 and "--yes-erase-all" in result.stderr
    assert (app_home / "data" / "ledger.sqlite3").exists()


def test_erase_with_flag_removes_everything(consent, app_home):
    add_json(consent, "--provider", "zoom", "--decision", "given")
    result = consent("erase", "--yes-erase-all", "--json")
    assert result.returncode == 0, result.stdout
    assert json.loads(result.stdout)["records"] == 1
    # the ledger and its key are gone; other data (the terms versions) is not the ledger's to erase
    assert [p.name for p in (app_home / "data").iterdir() if p.name.startswith("ledger")] == []


def _erase_on_a_terminal(answer: str) -> tuple[int, str]:
    """Run ``consent erase`` with a real terminal as stdin and type ``answer``."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "guard", "consent", "erase"], stdin=terminal,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=no_keyring_env(), text=True)
    os.close(terminal)
    try:
        with reaped([process]):
            os.write(controller, (answer + "\n").encode())
            out, err = process.communicate(timeout=120)
    finally:
        os.close(controller)
    return process.returncode, out + err


def test_erase_on_a_terminal_needs_the_typed_word(consent, app_home):
    add_json(consent, "--provider", "zoom", "--decision", "given")
    code, output = _erase_on_a_terminal("yes")
    assert code == 2 and "Type ERASE to confirm" in output and "nothing was erased" in output
    assert (app_home / "data" / "ledger.sqlite3").exists()
    code, output = _erase_on_a_terminal("ERASE")
    assert code == 0 and "Erased the consent ledger" in output
    assert not (app_home / "data" / "ledger.sqlite3").exists()


def test_help_lists_the_consent_actions(cli):
    result = cli("consent", "--help")
    assert result.returncode == 0
    for action in ("add", "list", "verify", "withdraw", "erase"):
        assert action in result.stdout


LIST_IMPORTS = """
import sys
from guard.cli.main import main
code = main(["consent", "list"])
heavy = ("keyring", "cryptography", "secretstorage", "jeepney", "guard.ledger.store", "guard.ledger.keys")
print(code, " ".join(sorted(m for m in sys.modules if any(m == h or m.startswith(h + ".") for h in heavy))))
"""


def test_list_reads_the_records_without_the_keyring_or_cryptography(consent, app_home):
    """Listing only reads: it opens the ledger's read side (guard.ledger.open_reader), not its
    keys, anchor and signatures, whose libraries took about a third of its start."""
    record = add_json(consent, "--provider", "zoom", "--decision", "given", "--note", "listed")
    run = subprocess.run([sys.executable, "-c", LIST_IMPORTS], capture_output=True, text=True, timeout=60,
                         check=False, env=no_keyring_env(MEETING_GUARD_HOME=str(app_home)))
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert record["id"] in lines[0] and lines[1] == "1 record"
    assert lines[-1].split() == ["0"], f"consent list imported {lines[-1].split()[1:]}"
