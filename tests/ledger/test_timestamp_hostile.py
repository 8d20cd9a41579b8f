"""What ``verify`` says a time stamp proves, when someone with write access to the data folder
edits the columns kept beside the TSA's token (audit round four). The token is the TSA's signed
answer; the time, the TSA's address, name and certificate fingerprint stored next to it are
not signed. ``verify`` must state the time and the certificate the token itself carries."""

from __future__ import annotations

import sqlite3

import pytest

from guard.ledger import Ledger, RecordDraft
from tests.ledger.tsa import local_tsa


@pytest.fixture(scope="module")
def tsa():
    with local_tsa() as served:
        yield served


def restamp_columns(path, **columns: str) -> None:
    """Edit the witness row's plain columns (the table forbids UPDATE, not DELETE and INSERT)."""
    conn = sqlite3.connect(path, isolation_level=None)
    names = ("seq", "hash", "tsa_url", "token", "gen_time", "tsa_certificate_sha256", "tsa_subject")
    (row,) = conn.execute(f"SELECT {', '.join(names)} FROM witnesses").fetchall()
    values = {**dict(zip(names, row, strict=True)), **columns}
    conn.execute("DELETE FROM witnesses")
    conn.execute(f"INSERT INTO witnesses ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                 [values[name] for name in names])
    conn.close()


def test_verify_states_the_time_and_signer_the_token_carries_not_the_columns_beside_it(path, no_keyring, tsa):
    """It said 'record 2 and all before it existed as they are on 2019-01-01T00:00:00Z (time stamp by
    https://freetsa.org/tsr)': the date and the address from the edited columns, no word of who signed."""
    url, _ = tsa
    with Ledger.open(path) as ledger:
        for note in ("a", "b"):
            ledger.append(RecordDraft(provider_id="zoom", decision="given", note=note))
        witness = ledger.timestamp(url, network_enabled=True)
    restamp_columns(path, gen_time="2019-01-01T00:00:00Z", tsa_url="https://freetsa.org/tsr",
                    tsa_subject="CN=Trusted Public TSA", tsa_certificate_sha256="ab" * 32)
    with Ledger.open(path) as ledger:
        report = ledger.verify()
    (note,) = [note for note in report.notes if note.startswith("record 2 and all before it existed")]
    assert "2019" not in note and witness.gen_time in note, note
    assert "CN=Meeting Privacy Guard test TSA" in note and witness.tsa_certificate_sha256 in note, note
    assert "Trusted Public TSA" not in note and "ab" * 32 not in note
    assert "not checked" in note  # the certificate's chain: compare it, or check with openssl ts -verify


def test_a_removed_time_stamp_goes_unnoticed_and_verify_says_so(path, no_keyring, tsa):
    """Without a keyring, stamps kept in the ledger go with it: deleted, nothing shows. What verify says it
    cannot detect must not promise otherwise (it said rollback and re-signing were caught 'except for records
    a time-stamping authority has witnessed')."""
    url, _ = tsa
    with Ledger.open(path) as ledger:
        ledger.append(RecordDraft(provider_id="zoom", decision="given"))
        ledger.timestamp(url, network_enabled=True)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DELETE FROM witnesses")
    conn.close()
    with Ledger.open(path) as ledger:
        report = ledger.verify()
    assert report.ok and not [note for note in report.notes if "time stamp" in note]
    assert any("keep its answer outside the data folder" in line and "can be removed with it" in line
               for line in report.limits), report.limits
