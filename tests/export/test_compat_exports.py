"""Exports written by earlier builds still verify: an honest old export is never called changed,
and an old format gets the checks it can carry, said plainly. The fixtures in data/compat were
written by those builds' own CLI (data/compat/README.md says which commit and how)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from guard.export.verify_export import canonical, verify_export
from tests.export.test_verify_export import documented_script

COMPAT = Path(__file__).parent / "data" / "compat"
SIGNED = ("a7854e1", "9ebea8e", "f72b378")  # format 2: Ed25519 records and head
UNSIGNED = "9b894ea"  # format 1 (2026-11-23): hashes and HMACs only
NO_KEYS = "a516cfc"  # format 1 written by a build whose ledger signed with Ed25519: no public key in the file


def load(build: str, name: str) -> dict[str, Any]:
    return json.loads((COMPAT / build / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("build", SIGNED)
@pytest.mark.parametrize("name", ["export.json", "export-to.json"])
def test_a_signed_export_from_an_earlier_build_is_intact(build, name, cli):
    run = cli("verify-export", str(COMPAT / build / name))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "intact: " in run.stdout and "NOT intact" not in run.stdout
    check = verify_export(load(build, name))
    assert check.ok and check.head_checked and check.signatures_checked == check.records
    assert check.complete == (name == "export.json")


@pytest.mark.parametrize("build", [UNSIGNED, NO_KEYS])
@pytest.mark.parametrize("name", ["export.json", "export-to.json"])
def test_a_format_1_export_is_consistent_and_says_what_it_cannot_show(build, name, cli):
    """Nothing found changed, and said so; but nothing signed vouches for it, so not exit 0 either."""
    run = cli("verify-export", str(COMPAT / build / name))
    assert run.returncode == 1, run.stdout + run.stderr
    first = run.stdout.split("\n")[0]
    assert "NOT verifiable (not signed), consistent" in first and "nothing found changed" in first
    assert "NOT intact" not in run.stdout and "was changed" not in run.stdout
    assert "not checked: format 1" in run.stdout and "recomputed every hash would not be caught" in run.stdout
    result = json.loads(cli("verify-export", str(COMPAT / build / name), "--json").stdout)
    assert not result["ok"] and not result["signed"] and result["problems"] == []
    assert result["format_version"] == 1
    assert result["signatures_checked"] == 0 and result["hmac_unchecked"] == result["records"]
    assert result["complete"] == (name == "export.json")


@pytest.mark.parametrize("build", SIGNED)
def test_a_receipt_from_an_earlier_build_verifies_with_its_key(build, cli):
    run = cli("verify-export", str(COMPAT / build / "receipt.jws"), "--key",
              str(COMPAT / build / "ledger-public-key.pem"))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "intact: receipt" in run.stdout


def test_an_unsigned_receipt_from_before_ed25519_is_named_not_called_changed(cli):
    run = cli("verify-export", str(COMPAT / UNSIGNED / "receipt.json"))
    assert run.returncode == 2
    assert "consent receipt as plain JSON" in run.stderr and "no signature" in run.stderr


def _first_given(document: dict[str, Any]) -> dict[str, Any]:
    return next(n for n in document["mpg:records"] if n["mpg:decision"] == "given")


def _edit_content(document: dict[str, Any]) -> None:
    _first_given(document)["mpg:record"]["note"] = "never agreed"


def _drop_last(document: dict[str, Any]) -> None:
    document["mpg:records"].pop()


def _view_decision(document: dict[str, Any]) -> None:
    _first_given(document)["mpg:decision"] = "refused"


@pytest.mark.parametrize("build", (*SIGNED, UNSIGNED, NO_KEYS))
@pytest.mark.parametrize("edit", [_edit_content, _drop_last, _view_decision])
def test_an_edited_old_export_is_caught(build, edit):
    document = load(build, "export.json")
    edit(document)
    check = verify_export(document)
    assert check.problems and check.summary().startswith("NOT intact")


def test_a_hidden_withdrawal_in_a_format_1_export_is_caught():
    """mpg:decisionNow / mpg:changedBy are outside the hash: taking them away would hide that a
    consent was withdrawn; the withdrawal record in the same export still says it was."""
    document = load(UNSIGNED, "export.json")
    given = _first_given(document)
    assert given["mpg:decisionNow"] == "withdrawn"
    for key in ("mpg:decisionNow", "mpg:changedBy", "mpg:statusNow"):
        del given[key]
    check = verify_export(document)
    assert check.problems and "standing" in check.problems[0]


def test_a_format_1_chain_head_moved_back_is_caught():
    document = load(UNSIGNED, "export.json")
    document["mpg:chainHead"]["mpg:seq"] = 6
    check = verify_export(document)
    assert check.problems and "chain head names seq 6" in check.problems[0]


@pytest.mark.parametrize("build", SIGNED)
def test_an_edited_old_receipt_is_caught(build, cli, tmp_path):
    header, payload, signature = (COMPAT / build / "receipt.jws").read_text(encoding="ascii").strip().split(".")
    flipped = "B" if payload[10] != "B" else "C"
    target = tmp_path / "receipt.jws"
    target.write_text(".".join([header, payload[:10] + flipped + payload[11:], signature]), encoding="ascii")
    run = cli("verify-export", str(target), "--key", str(COMPAT / build / "ledger-public-key.pem"))
    assert run.returncode == 1, run.stdout + run.stderr
    assert "NOT intact" in run.stdout


UPGRADED = "upgraded-9b894ea-9ebea8e"  # begun by 9b894ea (HMAC records), continued and exported by 9ebea8e


def test_a_ledger_begun_before_ed25519_exports_intact_and_its_hmac_records_are_covered_by_the_head(cli):
    run = cli("verify-export", str(COMPAT / UPGRADED / "export.json"))
    assert run.returncode == 0, run.stdout + run.stderr
    check = verify_export(load(UPGRADED, "export.json"))
    assert check.ok and check.complete and check.head_checked
    assert (check.hmac_unchecked, check.signatures_checked) == (2, 1)
    assert "the head's signature still cover their content" in " ".join(check.notes)


def test_hmac_records_in_a_filtered_export_are_said_to_be_checked_by_their_hash_only():
    check = verify_export(load(UPGRADED, "export-to.json"))
    assert check.ok and not check.complete and check.signatures_checked == 0 and check.hmac_unchecked == 2
    assert "2 records from before Ed25519 checked by their hash only" in check.summary()
    assert "nothing signed covers them" in " ".join(check.notes)
    assert "still cover their content" not in " ".join(check.notes)


def test_an_hmac_record_rewritten_with_its_hash_recomputed_is_caught_by_the_chain_and_head():
    document = load(UPGRADED, "export.json")
    node = document["mpg:records"][0]
    node["mpg:record"]["purposes"] = ["nothing"]
    node["mpg:hash"] = hashlib.sha256((node["mpg:prevHash"] + canonical(node["mpg:record"])).encode()).hexdigest()
    check = verify_export(document)
    assert not check.ok and check.summary().startswith("NOT intact")


def test_an_export_of_a_ledger_with_only_hmac_keys_is_not_called_changed(cli):
    """Begun by 9b894ea, exported by 9ebea8e before any new record (so before its first Ed25519
    key): it said 'NOT intact: the head's signature does not verify'."""
    run = cli("verify-export", str(COMPAT / UPGRADED / "export-hmac-only.json"))
    assert run.returncode == 1, run.stdout + run.stderr
    assert run.stdout.split("\n")[0].split(": ", 1)[1].startswith("NOT verifiable (not signed), consistent: 2 records")
    assert "NOT intact" not in run.stdout and "does not verify" not in run.stdout
    assert "head is signed with an HMAC" in run.stdout


def test_an_hmac_only_export_with_its_last_record_dropped_is_caught():
    document = load(UPGRADED, "export-hmac-only.json")
    document["mpg:records"].pop()
    check = verify_export(document)
    assert check.problems and check.summary().startswith("NOT intact")


@pytest.mark.parametrize(("build", "name", "verdict"), [
    ("a7854e1", "export.json", "intact"), ("9ebea8e", "export-to.json", "intact"), ("f72b378", "export.json", "intact"),
    (UPGRADED, "export.json", "intact"), (UPGRADED, "export-hmac-only.json", "not verifiable"),
    (UNSIGNED, "export.json", "not verifiable"), (NO_KEYS, "export.json", "not verifiable")])
def test_the_documented_python_agrees_on_old_exports(build, name, verdict, tmp_path):
    script = documented_script(tmp_path)
    run = subprocess.run([sys.executable, "-I", str(script), str(COMPAT / build / name)], capture_output=True,
                         text=True, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert run.stdout.splitlines()[-1].startswith(verdict), run.stdout + run.stderr
    assert run.returncode == (0 if verdict == "intact" else 1)
