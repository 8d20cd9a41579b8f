"""A crafted ledger file carries its own SQL (triggers, views in place of tables, changed
definitions). Opening it, verifying it or recording a decision into it must never run that
SQL: the file is refused as changed outside the app, and left as it is."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from guard.ledger import Ledger, LedgerCorruptError, RecordDraft, erase_ledger
from tests.ledger.conftest import tamper
from tests.ledger.test_cli import no_keyring_env


def _made(path: Path) -> None:
    with Ledger.open(path) as ledger:
        ledger.append(RecordDraft(provider_id="zoom", decision="refused", note="no recording"))


def _ran(path: Path) -> list[str]:
    """What the attacker's SQL wrote into the stored facts (the real table, not a view over it)."""
    conn = sqlite3.connect(path)
    try:
        shadowed = conn.execute("SELECT 1 FROM sqlite_schema WHERE name = 'meta_real'").fetchone()
        table = "meta_real" if shadowed else "meta"
        return [row[0] for row in conn.execute(f"SELECT key FROM {table} WHERE key LIKE 'attacker%'")]
    finally:
        conn.close()


ATTACKS = {
    # runs on the user's next decision
    "trigger on append": ("CREATE TRIGGER evil AFTER INSERT ON records "
                          "BEGIN INSERT INTO meta VALUES ('attacker ran on append', new.decision); END",),
    # a view in place of a table: reading it runs the attacker's query (here it could loop forever)
    "view shadowing a table": ("CREATE TABLE meta_real AS SELECT * FROM meta", "DROP TABLE meta",
                               "CREATE VIEW meta AS SELECT key, value FROM meta_real "
                               "UNION ALL SELECT 'attacker view', zeroblob(10)"),
    # a changed definition: an index whose expression runs on every insert
    "changed index": ("DROP INDEX records_provider",
                      "CREATE INDEX records_provider ON records (provider_id, length(zeroblob(1000000)))"),
    # our own trigger, rewritten to do the attacker's work instead of refusing
    "rewritten trigger": ("CREATE TRIGGER records_append_only_update BEFORE UPDATE ON records "
                          "BEGIN INSERT INTO meta VALUES ('attacker ran on update', 'x'); END",),
}


@pytest.mark.parametrize("attack", ATTACKS, ids=list(ATTACKS))
def test_ledger_with_foreign_sql_is_refused_before_it_runs(path, no_keyring, attack):
    _made(path)
    tamper(path, *ATTACKS[attack])
    before = path.read_bytes()
    with pytest.raises(LedgerCorruptError, match="did not write"):
        with Ledger.open(path) as ledger:
            ledger.append(RecordDraft(provider_id="zoom", decision="given"))
    assert _ran(path) == []
    assert path.read_bytes() == before  # left as it is


def test_consent_verify_names_foreign_sql_as_possible_tampering(path, no_keyring, cli):
    _made(path)
    tamper(path, ATTACKS["trigger on append"][0])
    result = cli("consent", "verify", env=no_keyring_env())
    assert result.returncode == 1
    assert "NOT intact" in result.stdout and "trigger 'evil'" in result.stdout and "tampering" in result.stdout


def test_genuine_ledger_without_its_append_only_triggers_still_opens_to_show_tampering(path, no_keyring):
    """Objects that are missing are not foreign SQL: verify must still pinpoint the edit."""
    _made(path)
    tamper(path, "UPDATE records SET note = 'edited' WHERE seq = 1")
    with Ledger.open(path) as ledger:
        assert not ledger.verify().ok


def test_erase_does_not_run_foreign_sql(path, no_keyring):
    """A view in place of ``records`` that fails when read (it could as well never finish)."""
    _made(path)
    tamper(path, "ALTER TABLE records RENAME TO records_real", "CREATE VIEW records AS SELECT json('x') AS seq")
    report = erase_ledger(path)
    assert not path.exists()
    assert any("did not write" in problem for problem in report.problems), report.problems


def test_record_body_nested_deeper_than_json_can_recurse_is_named_not_a_crash(path, no_keyring, cli):
    """A tampered body of 100,000 nested arrays (200 kB): 'consent list' died with RecursionError."""
    _made(path)
    tamper(path, "UPDATE records SET body = ? WHERE seq = 1", params=("[" * 100_000 + "]" * 100_000,))
    listed = cli("consent", "list", env=no_keyring_env())
    assert "Record seq 1" in listed.stderr and "cannot be read" in listed.stderr, listed.stderr[-500:]
    assert "Traceback" not in listed.stderr
    verified = cli("consent", "verify", env=no_keyring_env())
    assert verified.returncode == 1 and "NOT intact" in verified.stdout


@pytest.mark.parametrize("body", ["not json {", "[" * 5000 + "]" * 5000], ids=["not json", "deep"])
def test_record_body_that_is_not_json_is_pinpointed_as_edited_not_called_damage(path, no_keyring, body):
    """json_extract failed the whole check query ('malformed JSON'): verify called the healthy
    file damaged and advised starting a new ledger, instead of naming the edited record."""
    from guard.ledger import ProblemKind

    _made(path)
    tamper(path, "UPDATE records SET body = ? WHERE seq = 1", params=(body,))
    with Ledger.open(path) as ledger:
        problem = ledger.verify().first_problem
    assert problem is not None and (problem.kind, problem.seq) == (ProblemKind.EDITED, 1)


def test_key_file_nested_deeper_than_json_can_recurse_is_unreadable_not_a_crash(path, no_keyring, cli):
    """100,000 nested arrays in ledger.key (200 kB, under its 1 MB read): 'consent add' and
    'consent verify' died with RecursionError instead of saying the key file is unreadable."""
    _made(path)
    path.with_name("ledger.key").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    added = cli("consent", "add", "--provider", "zoom", "--decision", "refused", env=no_keyring_env())
    assert added.returncode != 0 and "nested too deeply to be a key file" in added.stderr, added.stderr[-400:]
    verified = cli("consent", "verify", env=no_keyring_env())
    assert "Traceback" not in verified.stderr and "Ledger:" in verified.stdout


def test_a_tampered_megabyte_title_is_cut_in_consent_list(path, no_keyring, cli):
    """Audit round four: titles are cut when recorded, but a ledger edited outside the app may
    hold a 2 MB title; 'consent list' printed all of it on one row. The row shows the start,
    cut with '…', and verify names the edit."""
    _made(path)
    title = "Budget review " + "T" * 2_000_000
    tamper(path, "UPDATE records SET body = json_set(body, '$.meeting.title', ?) WHERE seq = 1", params=(title,))
    listed = cli("consent", "list", env=no_keyring_env())
    assert listed.returncode == 0, listed.stderr[-500:]
    (row,) = [line for line in listed.stdout.splitlines() if line.startswith("#1 ")]
    assert '"Budget review TTT' in row and "…" in row and len(row) < 300, len(row)
    assert len(listed.stdout) < 2000
    verified = cli("consent", "verify", env=no_keyring_env())
    assert verified.returncode == 1 and "NOT intact" in verified.stdout
