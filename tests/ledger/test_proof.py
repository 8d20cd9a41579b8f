"""The export API: a stranger checks the records with the public keys and the signed head
alone (no ledger, no keyring), across a key change; one changed byte is named."""

from __future__ import annotations

import json

from guard.ledger import Ledger, RecordDraft
from guard.ledger.proof import LedgerProof, check_records
from tests.ledger.legacy import build_legacy_ledger


def rows_of(ledger: Ledger) -> list[tuple]:
    return [tuple(stored) for stored in ledger.iter_stored()]


def test_records_check_with_the_public_keys_alone_across_a_rekey(path, no_keyring):
    with Ledger.open(path) as ledger:
        for i in range(3):
            ledger.append(RecordDraft(provider_id="zoom", decision="given", note=str(i)))
        ledger.rekey()
        ledger.append(RecordDraft(provider_id="zoom", decision="refused"))
        proof, rows = ledger.proof(), rows_of(ledger)
    assert check_records(rows, proof) == []
    first, second = proof.keys
    assert (first.valid_from_seq, first.valid_to_seq, second.valid_from_seq, second.valid_to_seq) == (1, 3, 4, None)
    assert first.replaced_at == second.created_at and len(first.fingerprint) == 64
    assert json.loads(second.record)["follows"] == first.key_id and json.loads(second.record)["endorsement"]
    text = json.dumps(proof.to_dict())
    assert str(path.parent) not in text and "consent-ledger-" not in text  # no paths, no keyring entry names


def test_one_changed_byte_is_named(path, no_keyring):
    with Ledger.open(path) as ledger:
        for i in range(3):
            ledger.append(RecordDraft(provider_id="zoom", decision="given", note=str(i)))
        proof, rows = ledger.proof(), rows_of(ledger)
    seq, body, *rest = rows[1]
    rows[1] = (seq, body.replace('"given"', '"refused"'), *rest)
    problems = check_records(rows, proof)
    assert problems and problems[0] == "record 2: its content does not match its hash (changed)"
    assert check_records(rows[:1] + rows[2:], proof, complete=False) == []  # a filtered export still checks


def test_a_proof_survives_a_round_trip_through_json(path, no_keyring):
    build_legacy_ledger(path, ["a"])
    with Ledger.open(path) as ledger:
        ledger.append(RecordDraft(provider_id="zoom", decision="given"))
        proof, rows = ledger.proof(), rows_of(ledger)
    assert proof.keys[0].algorithm == "hmac-sha256" and proof.keys[0].public_key is None
    assert proof.keys[0].valid_to_seq == 1 and proof.keys[1].valid_from_seq == 2
    again = LedgerProof.from_dict(json.loads(json.dumps(proof.to_dict())))
    assert again == proof and check_records(rows, again) == []
