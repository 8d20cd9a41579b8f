"""Tampering with the ledger file is detected and pinpointed by sequence number: an edited
field, a deleted row, reordered rows, a forged rewrite, a replaced key."""

from __future__ import annotations

import base64
import json
import sqlite3

import keyring
import pytest

from guard.ledger import Ledger, ProblemKind, RecordDraft
from guard.ledger.canonical import canonical_json, record_hash
from guard.ledger.keys import SERVICE
from tests.ledger.conftest import tamper


def fill(ledger: Ledger, count: int = 6) -> list:
    return [ledger.append(RecordDraft(provider_id="zoom", decision="given", note=f"note {i}"))
            for i in range(1, count + 1)]


def problem_of(ledger: Ledger):
    report = ledger.verify()
    assert not report.ok
    return report.first_problem


def test_intact_ledger_verifies(ledger):
    records = fill(ledger)
    report = ledger.verify()
    assert report.ok and report.chain_intact and report.problem is None
    assert report.count == 6 and report.head_seq == 6 and report.head_hash == records[-1].hash
    assert report.records_vouched == 6 and report.signatures_checked == 1  # the head, plus its key's last record


def test_edited_field_is_pinpointed(ledger, path):
    fill(ledger)
    tamper(path, "UPDATE records SET body = replace(body, '\"note 3\"', '\"note X\"'), note = 'note X' WHERE seq = 3")
    problem = problem_of(ledger)
    assert (problem.kind, problem.seq) == (ProblemKind.EDITED, 3)


def test_edited_filter_column_is_pinpointed(ledger, path):
    fill(ledger)
    tamper(path, "UPDATE records SET provider_id = 'teams' WHERE seq = 4")
    problem = problem_of(ledger)
    assert (problem.kind, problem.seq) == (ProblemKind.EDITED, 4)
    assert "provider_id" in problem.message


def test_edited_column_with_non_text_value_is_pinpointed(ledger, path):
    fill(ledger)
    tamper(path, "UPDATE records SET body = 42 WHERE seq = 2")
    problem = problem_of(ledger)
    assert (problem.kind, problem.seq) == (ProblemKind.EDITED, 2)


def test_rewrite_with_recomputed_hashes_fails_the_signature(ledger, path):
    """Someone who knows the algorithm but not the key re-chains every later record."""
    fill(ledger)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TRIGGER records_append_only_update")
    rows = conn.execute("SELECT seq, body, prev_hash FROM records ORDER BY seq").fetchall()
    prev = rows[0][2]
    for seq, body, _ in rows:
        if seq == 3:
            content = json.loads(body)
            content["decision"] = "refused"
            body = canonical_json(content)
        digest = record_hash(prev, body)
        conn.execute("UPDATE records SET body = ?, prev_hash = ?, hash = ?, decision = json_extract(?, '$.decision') "
                     "WHERE seq = ?", (body, prev, digest, body, seq))
        prev = digest
    conn.execute("UPDATE meta SET value = json_set(value, '$.hash', ?) WHERE key = 'head'", (prev,))
    conn.close()
    problem = problem_of(ledger)
    assert (problem.kind, problem.seq) == (ProblemKind.BAD_SIGNATURE, 3)


@pytest.mark.parametrize("deleted, expected_seq", [(3, 3), (1, 1), (6, 6)])
def test_deleted_row_is_pinpointed(ledger, path, deleted, expected_seq):
    fill(ledger)
    tamper(path, f"DELETE FROM records WHERE seq = {deleted}")
    problem = problem_of(ledger)
    assert (problem.kind, problem.seq) == (ProblemKind.MISSING, expected_seq)


def test_deleted_rows_at_the_end_with_head_rolled_back_are_detected(ledger, path):
    records = fill(ledger)
    tamper(path, "DELETE FROM records WHERE seq >= 5",
           "UPDATE meta SET value = json_set(json_set(value, '$.seq', 4), '$.hash', ?) WHERE key = 'head'",
           params=(records[3].hash,))
    problem = problem_of(ledger)
    assert (problem.kind, problem.seq) == (ProblemKind.ROLLED_BACK, 5)
    assert problem.message.startswith("rolled back: the ledger ends at seq 4 but seq 6 > 4 was recorded on 20")


def test_deleted_row_with_renumbered_successors_is_pinpointed(ledger, path):
    fill(ledger)
    tamper(path, "DELETE FROM records WHERE seq = 3", "UPDATE records SET seq = seq - 1 WHERE seq > 3")
    problem = problem_of(ledger)
    assert (problem.kind, problem.seq) == (ProblemKind.MISSING, 3)


def test_reordered_rows_are_pinpointed(ledger, path):
    fill(ledger)
    tamper(path, "UPDATE records SET seq = -1 WHERE seq = 3", "UPDATE records SET seq = 3 WHERE seq = 4",
           "UPDATE records SET seq = 4 WHERE seq = -1")
    problem = problem_of(ledger)
    assert (problem.kind, problem.seq) == (ProblemKind.REORDERED, 3)


def test_forged_record_appended_without_the_key_fails_the_signature(ledger, path):
    records = fill(ledger)
    content = json.loads(canonical_json(records[-1].to_dict()))
    for key in ("prev_hash", "hash", "signature"):
        content.pop(key)
    content.update(seq=7, id="11111111-1111-1111-1111-111111111111", note="forged")
    body = canonical_json(content)
    digest = record_hash(records[-1].hash, body)
    tamper(path, "INSERT INTO records (seq, id, key_id, occurred_at, provider_id, decision, note, body, prev_hash, "
                 "hash, signature) VALUES (7, ?, ?, ?, 'zoom', 'given', 'forged', ?, ?, ?, ?)",
           params=(content["id"], content["key_id"], content["occurred_at"], body, records[-1].hash, digest, "00" * 64))
    problem = problem_of(ledger)
    assert (problem.kind, problem.seq) == (ProblemKind.BAD_SIGNATURE, 7)


def test_cli_verify_exits_1_naming_the_broken_record(ledger, path, cli):
    fill(ledger)
    assert cli("consent", "verify").returncode == 0
    tamper(path, "DELETE FROM records WHERE seq = 5")
    result = cli("consent", "verify")
    assert result.returncode == 1
    assert "missing at seq 5" in result.stdout
    report = json.loads(cli("consent", "verify", "--json").stdout)
    assert report["ok"] is False and report["problem"]["kind"] == "missing" and report["problem"]["seq"] == 5


@pytest.mark.desktop
def test_replaced_keyring_key_is_detected(path, secret_service, cli):
    with Ledger.open(path) as ledger:
        fill(ledger, 3)
        assert ledger.key_status().message() == "keyring: Secret Service"
        username = ledger.key_status().username
        keyring.set_password(SERVICE, username, base64.b64encode(b"n" * 32).decode())
        report = ledger.verify()
    assert not report.ok and report.chain_intact
    assert (report.key_problem.kind, report.key_problem.seq) == (ProblemKind.KEY_REPLACED, 1)
    assert "key replaced" in report.summary()
    result = cli("consent", "verify")
    assert result.returncode == 1 and "key replaced" in result.stdout


def test_replaced_key_file_is_detected(ledger):
    fill(ledger, 3)
    data = json.loads(ledger.key_file.read_text())
    data["keys"] = {name: base64.b64encode(b"n" * 32).decode() for name in data["keys"]}
    ledger.key_file.write_text(json.dumps(data))
    report = ledger.verify()
    assert (report.key_problem.kind, report.key_problem.seq) == (ProblemKind.KEY_REPLACED, 1)
    assert not report.ok
