"""``verify-export`` given a hostile file (audit round two): an export edited to drop records
and the head's signature, rebuilt around a made-up HMAC key, or with values of the wrong shape
where records, statuses, keys or the head belong. Each must say NOT intact and exit 1, never
"intact" and never a traceback."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest

from guard.export.verify_export import canonical
from tests.export.test_verify_export import (  # noqa: F401 (fixtures)
    changed,
    documented_script,
    exported,
    no_ledger_here,
)


def _unsigned_head_without_the_last_record(document):
    """Drop the last record (say, a withdrawal) and the head's signature; point the head at the new end."""
    document["mpg:records"].pop()
    last = document["mpg:records"][-1]
    document["mpg:head"].pop("signature")
    document["mpg:head"].pop("signatures_digest")
    document["mpg:head"].update(seq=last["mpg:seq"], hash=last["mpg:hash"])


def _rebuilt_around_an_hmac_key(document):
    """Forge the whole history: one made-up 'hmac-sha256' key, every record re-pointed to it
    and re-hashed, the chain rebuilt, the head unsigned."""
    document["mpg:publicKeys"] = [{"key_id": "f" * 16, "algorithm": "hmac-sha256"}]
    prev = "0" * 64
    for node in document["mpg:records"]:
        content = node["mpg:record"]
        content["key_id"] = node["mpg:keyId"] = "f" * 16
        node["mpg:prevHash"] = prev
        node["mpg:hash"] = prev = hashlib.sha256((prev + canonical(content)).encode("utf-8")).hexdigest()
    document["mpg:head"] = {"key_id": "f" * 16, "seq": len(document["mpg:records"]), "hash": prev}


def test_a_dropped_record_with_an_unsigned_head_fails(exported, cli, no_ledger_here):  # noqa: F811
    """It said 'intact: 7 records ... note: the head was signed before Ed25519', exit 0."""
    run = cli("verify-export", str(changed(exported, _unsigned_head_without_the_last_record)))
    assert run.returncode == 1, run.stdout
    assert "NOT intact" in run.stdout and "head" in run.stdout


def test_a_history_rebuilt_around_a_made_up_hmac_key_is_not_intact(exported, cli, no_ledger_here):  # noqa: F811
    run = cli("verify-export", str(changed(exported, _rebuilt_around_an_hmac_key)))
    assert run.returncode == 1, run.stdout
    # Indistinguishable from an honest export of an HMAC-only ledger: not vouched for, not exit 0.
    assert "NOT verifiable (not signed)" in run.stdout and "intact" not in run.stdout and "owner" in run.stdout


def _key_not_a_table(document):
    document["mpg:publicKeys"].insert(0, 1)


def _status_not_a_table(document):
    document["mpg:records"][0]["dpv:hasConsentStatus"] = ["x"]


def _head_a_list(document):
    document["mpg:head"] = [1]


def _record_not_a_table(document):
    document["mpg:records"][0]["mpg:record"] = [1]


@pytest.mark.parametrize("edit", [_key_not_a_table, _status_not_a_table, _head_a_list, _record_not_a_table],
                         ids=["key", "status", "head", "record"])
def test_values_of_the_wrong_shape_are_not_intact(exported, cli, no_ledger_here, edit):  # noqa: F811
    """A number where a key belongs, a string where a status belongs, a list for the head: it
    crashed with AttributeError (or, for the head, said 'intact')."""
    run = cli("verify-export", str(changed(exported, edit)))
    assert run.returncode == 1, run.stdout + run.stderr
    assert "NOT intact" in run.stdout and "Traceback" not in run.stderr


@pytest.mark.parametrize("edit", [_unsigned_head_without_the_last_record, _rebuilt_around_an_hmac_key],
                         ids=["unsigned head", "made-up hmac key"])
def test_the_documented_python_is_not_fooled_either(exported, tmp_path, edit):  # noqa: F811
    """docs/verify-export.md's script printed 'intact as far as a third party can tell' for both."""
    script = documented_script(tmp_path)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    run = subprocess.run([sys.executable, "-I", str(script), str(changed(exported, edit))], capture_output=True,
                         text=True, env=env)
    assert run.returncode == 1 and "intact" not in run.stdout.splitlines()[-1], run.stdout + run.stderr


@pytest.mark.parametrize("where", ["seq", "public key id"])
def test_a_huge_value_in_the_file_is_quoted_short(exported, cli, no_ledger_here, where):  # noqa: F811
    """Audit round four: problems and key lines quoted the file's values whole: a 500 kB record
    number or key id in an edited export made 500 kB of output (one line)."""
    huge = "S" * 500_000 + "\n\x1b[2J"

    def edit(document):
        if where == "seq":
            document["mpg:records"][0]["mpg:seq"] = huge
        else:
            document["mpg:publicKeys"][0]["key_id"] = huge

    run = cli("verify-export", str(changed(exported, edit)))
    assert run.returncode == 1 and "NOT intact" in run.stdout
    assert len(run.stdout) < 5000 and "SSSS" in run.stdout and "…" in run.stdout, len(run.stdout)
    assert "\x1b" not in run.stdout


def test_a_file_larger_than_any_export_is_refused_before_it_is_read(tmp_path, cli, no_ledger_here):  # noqa: F811
    """Audit 8: ``verify-export`` read up to 2 GB into memory (and checking takes several times the
    file), so a huge hostile file could exhaust the memory of whoever checks it. A file larger than
    the documented cap is refused, naming the file and saying what to do, before it is read."""
    from guard.cli.verify_export import MAX_BYTES

    huge = tmp_path / "history.json"
    with huge.open("wb") as out:  # sparse: no disk space, no time
        out.truncate(MAX_BYTES + 1)
    run = cli("verify-export", str(huge))
    assert run.returncode == 2, run.stderr
    assert str(huge) in run.stderr and f"larger than {MAX_BYTES // 1024**2} MB" in run.stderr
    assert "--from DATE --to DATE" in run.stderr, "the message says what to do with a real export this large"
