"""The time stamp's network exchange has one deadline from connect to the last byte: a TSA
that drips its status line and headers (each byte well within any read timeout) is cut off
when the deadline passes, the user is told which TSA and why, and the ledger is unchanged."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from guard.ledger import Ledger, RecordDraft
from guard.ledger.timestamp import TimestampError
from tests.ledger.tsa import dripping_tsa, local_tsa


def contents(path: Path) -> list[list[tuple]]:
    """Every row the ledger keeps (records, witnesses, keys, meta), read-only."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
                for table in ("records", "witnesses", "keys", "meta")]
    finally:
        conn.close()


def test_a_tsa_dripping_its_headers_is_cut_off_at_the_deadline_and_nothing_is_kept(path, no_keyring):
    with Ledger.open(path) as ledger:
        ledger.append(RecordDraft(provider_id="zoom", decision="given"))
    before = contents(path)
    with dripping_tsa() as (url, seen), Ledger.open(path) as ledger:
        with pytest.raises(TimestampError) as raised:
            ledger.timestamp(url, network_enabled=True, timeout_s=2)
        assert seen.asked.is_set(), "the query reached the TSA"
        assert seen.gave_up.wait(30), "the client hung up on the TSA while it was still sending its headers"
        assert not seen.finished.is_set()
        assert ledger.verify().ok
    assert str(raised.value) == f"The time-stamping authority {url} did not answer within 2 s; nothing was kept."
    assert contents(path) == before


def test_cli_timestamp_from_a_dripping_tsa_fails_plainly_within_its_deadline(cli, path):
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    assert cli("consent", "add", "--provider", "zoom", "--decision", "given", env=env).returncode == 0
    before = contents(path)
    with dripping_tsa() as (url, seen):
        result = cli("consent", "timestamp", "--tsa", url, "--timeout", "2", env=env)
        assert seen.gave_up.wait(30) and not seen.finished.is_set()
    assert result.returncode != 0 and result.stdout == ""
    assert f"The time-stamping authority {url} did not answer within 2 s; nothing was kept." in result.stderr
    assert contents(path) == before


@pytest.mark.parametrize("value", ["0", "301", "nan", "soon"])
def test_cli_timestamp_refuses_a_deadline_out_of_range(cli, value):
    result = cli("consent", "timestamp", "--tsa", "http://127.0.0.1:9/tsa", "--timeout", value)
    assert result.returncode != 0 and "give seconds between 1 and 300" in result.stderr


def test_a_tsa_named_on_this_computer_is_reached_within_the_deadline(path, no_keyring):
    """The TSA is the user's choice: a name for their own computer or network is not refused;
    it is looked up once and the connection goes to the address found."""
    with local_tsa() as (url, authority), Ledger.open(path) as ledger:
        ledger.append(RecordDraft(provider_id="zoom", decision="given"))
        named = url.replace("//127.0.0.1:", "//localhost:")
        witness = ledger.timestamp(named, network_enabled=True, timeout_s=20)
        assert ledger.verify().ok
    assert (witness.seq, witness.tsa_url, authority.requests) == (1, named, 1)
