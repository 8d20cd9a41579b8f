"""A ledger written before Ed25519 (HMAC-SHA256 MACs) keeps verifying; its next record starts
an Ed25519 key, and that change of scheme is a signed record of its own, endorsed by the old
secret."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from guard.ledger import Ledger, LedgerReader, ProblemKind, RecordDraft, files
from guard.ledger.anchor import AnchorFile
from guard.ledger.signing import (
    Verifier,
    endorse_message,
    key_message,
    public_key_from_text,
)
from tests.ledger.conftest import tamper
from tests.ledger.legacy import build_legacy_ledger


@pytest.mark.parametrize("in_keyring", [pytest.param(True, marks=pytest.mark.desktop), False])
def test_hmac_ledger_keeps_verifying_and_new_records_are_ed25519(path, request, in_keyring):
    request.getfixturevalue("secret_service" if in_keyring else "no_keyring")
    old = build_legacy_ledger(path, ["a", "b", "c"], in_keyring=in_keyring)
    with Ledger.open(path) as ledger:
        report = ledger.verify()
        assert report.ok and report.macs_checked == 3, report.summary()
        new = ledger.append(RecordDraft(provider_id="zoom", decision="refused", note="d"))
        report = ledger.verify(each_signature=True)
        assert report.ok and report.macs_checked == 3 and report.signatures_checked == 1, report.summary()
        assert report.records_vouched == 4  # the Ed25519 head now vouches for the old records too
        rows = ledger._conn.execute("SELECT key_id, algorithm, from_seq, body, signature FROM keys "
                                    "ORDER BY rowid").fetchall()
    assert [row[1] for row in rows] == ["hmac-sha256", "ed25519"]
    key_id, _, from_seq, body, signature = rows[1]
    assert new.key_id == key_id and from_seq == 4 and len(new.signature) == 128
    content = json.loads(body)
    verifier = Verifier(public_key_from_text(content["public_key"]))
    assert verifier.verify(key_message(body), signature)  # the key row is signed by the new key
    assert content["why"] == "migration from HMAC-SHA256 MACs to Ed25519 signatures"
    assert content["follows"] == old["key_id"]
    expected = hmac.new(old["secret"], endorse_message(content["fingerprint"]), hashlib.sha256).hexdigest()
    assert content["endorsement"] == {"key_id": old["key_id"], "algorithm": "hmac-sha256", "mac": expected}


def test_old_records_edited_after_migration_are_still_caught(path, no_keyring):
    build_legacy_ledger(path, ["a", "b", "c"])
    with Ledger.open(path) as ledger:
        ledger.append(RecordDraft(provider_id="zoom", decision="given"))
    tamper(path, "UPDATE records SET body = replace(body, '\"b\"', '\"B\"'), note = 'B' WHERE seq = 2")
    with Ledger.open(path) as ledger:
        problem = ledger.verify().problem
    assert (problem.kind, problem.seq) == (ProblemKind.EDITED, 2)


def test_a_lost_hmac_secret_after_migration_is_covered_by_the_ed25519_head(path, no_keyring):
    old = build_legacy_ledger(path, ["a", "b"])
    with Ledger.open(path) as ledger:
        ledger.append(RecordDraft(provider_id="zoom", decision="given"))
        keys = json.loads(ledger.key_file.read_text())
        del keys["keys"][old["username"]]
        ledger.key_file.write_text(json.dumps(keys))
        report = ledger.verify()
    assert report.ok, report.summary()
    assert any("covered by the Ed25519 head" in note for note in report.notes)


def test_a_ledger_from_before_anchoring_first_opened_to_read_has_its_keys_anchored(path, no_keyring):
    """``consent list`` opens the ledger's read side; a file from before Ed25519 is migrated as it
    opens, and its keys must be anchored then (first use), or a key added to the file later
    would pass as one this computer made."""
    old = build_legacy_ledger(path, ["a", "b"])
    with LedgerReader.open(path) as reader:
        assert [record.note for record in reader.page(order="oldest")] == ["a", "b"]
    anchor = AnchorFile(files.anchor_file_for(path)).read()
    assert anchor is not None and [key.key_id for key in anchor.keys] == [old["key_id"]]
    with Ledger.open(path) as ledger:
        assert ledger.verify().ok
