"""``meeting-guard verify-export``: a JSON export checked with the file alone (no ledger, no
keyring), and the Python in docs/verify-export.md that does the same with ``cryptography``."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from guard.export import ExportFilter, export_history
from guard.ledger import RecordDraft
from tests.export.conftest import utc

DOC = Path(__file__).resolve().parents[2] / "docs" / "verify-export.md"


@pytest.fixture
def exported(ledger, sample, catalog, tmp_path) -> Path:
    target = tmp_path / "history.json"
    export_history(ledger, catalog, "json", target, jurisdiction="EU")
    return target


def changed(path: Path, edit) -> Path:
    document = json.loads(path.read_text(encoding="utf-8"))
    edit(document)
    target = path.with_name("changed.json")
    target.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return target


def flip_one_byte(path: Path, old: str, new: str) -> Path:
    data = path.read_bytes()
    assert data.count(old.encode()) >= 1 and len(old.encode()) == len(new.encode())
    target = path.with_name("flipped.json")
    target.write_bytes(data.replace(old.encode(), new.encode(), 1))
    return target


@pytest.fixture
def no_ledger_here(tmp_path, monkeypatch):
    """A home with no ledger and no keyring: the check has nothing but the file."""
    home = tmp_path / "elsewhere"
    home.mkdir()
    monkeypatch.setenv("MEETING_GUARD_HOME", str(home))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    return home


def test_a_fresh_export_verifies_with_the_file_alone(exported, sample, cli, no_ledger_here):
    run = cli("verify-export", str(exported))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "intact: 8 records (the whole ledger); 8 signatures checked, the head's signature checked" in run.stdout
    assert re.search(r"key [0-9a-f]{16}: Ed25519, fingerprint [0-9a-f]{64}", run.stdout)
    assert not any(no_ledger_here.rglob("*.sqlite3"))  # nothing was opened or created
    result = json.loads(cli("verify-export", str(exported), "--json").stdout)
    assert result["ok"] and result["complete"] and result["head_checked"] and result["problems"] == []


def test_a_first_decision_exported_reads_as_one_record(ledger, catalog, tmp_path, cli, no_ledger_here):
    """A new user's first export (one decision) said "intact: 1 records ...; 1 signatures checked"."""
    ledger.append(RecordDraft("zoom", "refused", occurred_at=utc(2026, 12, 2, 2, 36), feature_id="meeting-summary"))
    target = tmp_path / "first.json"
    export_history(ledger, catalog, "json", target, jurisdiction="EU")
    run = cli("verify-export", str(target))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "intact: 1 record (the whole ledger); 1 signature checked, the head's signature checked" in run.stdout


def test_one_changed_byte_in_a_record_fails_naming_the_record(exported, sample, cli, no_ledger_here):
    flipped = flip_one_byte(exported, "Quarterly planning", "Quarterly plannin9")
    run = cli("verify-export", str(flipped))
    assert run.returncode == 1
    assert f"NOT intact: record seq {sample.given.seq} (id {sample.given.id}) was changed" in run.stdout


def test_a_changed_dpv_status_fails_naming_the_record(exported, sample, cli, no_ledger_here):
    def refuse(document):
        node = next(n for n in document["mpg:records"] if n["dct:identifier"] == sample.whereby.id)
        node["dpv:hasConsentStatus"][0]["@type"] = "dpv:ConsentRefused"
    run = cli("verify-export", str(changed(exported, refuse)))
    assert run.returncode == 1 and f"record seq {sample.whereby.seq} (id {sample.whereby.id})" in run.stdout


def test_a_hidden_withdrawal_fails(exported, sample, cli, no_ledger_here):
    def hide(document):
        node = next(n for n in document["mpg:records"] if n["dct:identifier"] == sample.given.id)
        node["dpv:hasConsentStatus"][1]["@type"] = "dpv:ConsentGiven"
    run = cli("verify-export", str(changed(exported, hide)))
    assert run.returncode == 1 and "status history does not match the signed record" in run.stdout


def test_removed_records_and_replaced_signatures_fail(exported, sample, cli, no_ledger_here):
    run = cli("verify-export", str(changed(exported, lambda d: d["mpg:records"].pop())))
    assert run.returncode == 1 and "records were removed from the end" in run.stdout
    run = cli("verify-export", str(changed(exported, lambda d: d["mpg:records"].pop(3))))
    assert run.returncode == 1 and "record seq 4 is missing" in run.stdout

    def resign(document):
        node = document["mpg:records"][2]
        node["mpg:signature"] = node["mpg:signature"][::-1]
    run = cli("verify-export", str(changed(exported, resign)))
    assert run.returncode == 1 and "record seq 3" in run.stdout and "does not verify" in run.stdout
    assert "the records' signatures are not the ones the head signed" in run.stdout


def test_a_changed_record_is_not_said_to_have_a_replaced_signature(exported, sample, cli, no_ledger_here):
    """Audit 7: a record whose content was changed (its signature untouched) was also said to have had
    its signature replaced: its signature was left out of the digest checked against the head."""
    flipped = flip_one_byte(exported, "Quarterly planning", "Quarterly plannin9")
    run = cli("verify-export", str(flipped))
    assert run.returncode == 1 and f"record seq {sample.given.seq} (id {sample.given.id}) was changed" in run.stdout
    assert "signature" not in run.stdout.partition("key ")[0], run.stdout


def test_a_filtered_export_checks_each_record_and_the_head(ledger, sample, catalog, tmp_path, cli, no_ledger_here):
    target = tmp_path / "zoom.json"
    export_history(ledger, catalog, "json", target, ExportFilter(utc(2026, 4, 1), None, "zoom"))
    run = cli("verify-export", str(target))
    assert run.returncode == 0 and "a filtered part of the ledger" in run.stdout and "note: a filtered" in run.stdout


def test_an_export_narrowed_by_decision_and_search_verifies_and_a_changed_one_fails(ledger, sample, catalog, tmp_path,
                                                                                  cli, no_ledger_here):
    """What the consent history's table showed, exported: its stated decision and search are checked
    against the signed records, as the dates and provider are (the filter itself is not signed)."""
    target = tmp_path / "narrowed.json"
    export_history(ledger, catalog, "json", target, ExportFilter(decision="given", text="budget"))
    run = cli("verify-export", str(target))
    assert run.returncode == 0 and "intact: 1 of the ledger's 8 records (a filtered part" in run.stdout, run.stdout

    def search_else(document):
        document["mpg:coverage"]["filter"]["search"] = "planning"

    def decision_else(document):
        document["mpg:coverage"]["filter"]["decision"] = "refused"

    for edit in (search_else, decision_else):
        run = cli("verify-export", str(changed(target, edit)))
        assert run.returncode == 1 and "outside the filter the export states" in run.stdout, run.stdout


def test_not_an_export_is_a_usage_error(tmp_path, cli, no_ledger_here):
    (tmp_path / "x.json").write_text("[1, 2]")
    run = cli("verify-export", str(tmp_path / "x.json"))
    assert run.returncode == 2 and "not a consent history export" in run.stderr
    run = cli("verify-export", str(tmp_path / "missing.json"))
    assert run.returncode == 2 and "is not a file" in run.stderr


@pytest.mark.parametrize(("fmt", "name", "says"), [
    ("pdf", "history.pdf", "is a PDF"), ("html", "history.html", "is an HTML page"),
    ("csv", "history.csv", "is a CSV table"), ("excel", "history.csv", "is a CSV table"),
    ("receipts", "receipts.zip", "unzip it and check each receipt-ID.jws with --key ledger-public-key.pem"),
    ("receipts", "receipts", "checked one receipt at a time"),
])
def test_another_export_given_to_verify_says_which_file_to_check(ledger, sample, catalog, tmp_path, cli,
                                                                  no_ledger_here, fmt, name, says):
    """A user who checks the PDF, HTML, CSV or receipts export they just made is told what it is
    and what to check instead (it said "is not JSON (str is not valid UTF-8: surrogates not allowed...)")."""
    target = tmp_path / name
    export_history(ledger, catalog, "csv" if fmt == "excel" else fmt, target, excel=fmt == "excel", jurisdiction="EU")
    run = cli("verify-export", str(target))
    assert run.returncode == 2, run.stdout
    assert says in run.stderr and "not JSON" not in run.stderr and "UTF-8" not in run.stderr, run.stderr
    assert "consent export --format json" in run.stderr or ".jws" in run.stderr


def documented_script(tmp_path: Path) -> Path:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 1
    script = tmp_path / "check_export.py"
    script.write_text(blocks[0], encoding="utf-8")
    return script


def test_the_documented_python_checks_an_export_with_cryptography_alone(exported, sample, tmp_path):
    script = documented_script(tmp_path)
    assert "import guard" not in script.read_text() and "from guard" not in script.read_text()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}  # not this checkout, not the app's settings
    run = subprocess.run([sys.executable, "-I", str(script), str(exported)], capture_output=True, text=True, env=env)
    assert run.returncode == 0 and run.stdout.strip().endswith("intact"), run.stdout + run.stderr
    flipped = flip_one_byte(exported, "Quarterly planning", "Quarterly plannin9")
    run = subprocess.run([sys.executable, "-I", str(script), str(flipped)], capture_output=True, text=True, env=env)
    assert run.returncode == 1 and f"record seq {sample.given.seq} (id {sample.given.id}) was changed" in run.stdout
    removed = changed(exported, lambda d: d["mpg:records"].pop())
    run = subprocess.run([sys.executable, "-I", str(script), str(removed)], capture_output=True, text=True, env=env)
    assert run.returncode == 1 and "records were removed" in run.stdout


def _rolled_back_export(tmp_path: Path, catalog) -> Path:
    """An export of a ledger an older copy was put back over: the app that exports it knows (its
    anchor names a later record) and says so in the export's mpg:verification; every record, the
    chain and the head in the file are still the older copy's own, genuinely signed."""
    import shutil

    from guard.ledger import Ledger, RecordDraft, ledger_path
    from guard.paths import app_paths

    path = ledger_path(app_paths())
    with Ledger.open(path) as opened:
        for i in range(2):
            opened.append(RecordDraft(provider_id="zoom", decision="refused", note=f"n{i}"))
    shutil.copy2(path, tmp_path / "older.sqlite3")
    with Ledger.open(path) as opened:
        opened.append(RecordDraft(provider_id="zoom", decision="given", note="the later decision"))
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.copy2(tmp_path / "older.sqlite3", path)
    target = tmp_path / "rolled-back.json"
    with Ledger.open(path) as opened:
        export_history(opened, catalog, "json", target)
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["mpg:verification"]["ok"] is False and "rolled back" in document["mpg:verification"]["summary"]
    return target


def test_an_export_its_own_app_found_rolled_back_is_not_called_intact(app_home, no_keyring, catalog, tmp_path, cli,
                                                                      no_ledger_here):
    """Audit round four: the file alone cannot show that an older copy of the ledger was put back
    (each record and the head are genuinely signed); the app that exported it could, and wrote
    'NOT intact: rolled back' into it, yet verify-export said 'intact' and exited 0."""
    exported = _rolled_back_export(tmp_path, catalog)
    run = cli("verify-export", str(exported))
    assert run.returncode == 1, run.stdout + run.stderr
    assert "NOT intact: the app that made this export found the ledger NOT intact" in run.stdout
    assert "rolled back" in run.stdout


def test_a_clean_exporting_check_is_said_to_be_the_apps_own_statement(exported, cli, no_ledger_here):
    run = cli("verify-export", str(exported))
    assert run.returncode == 0
    assert "not signed" in run.stdout and "mpg:verification" in run.stdout


def test_an_exporting_check_edited_to_name_another_head_is_caught(exported, cli, no_ledger_here):
    def edit(document):
        document["mpg:verification"]["head_seq"] = 99

    run = cli("verify-export", str(changed(exported, edit)))
    assert run.returncode == 1 and "mpg:verification" in run.stdout, run.stdout


def test_the_documented_python_says_a_replaced_hmac_signature_is_one_not_removed_records(app_home, catalog, tmp_path,
                                                                                        no_keyring):
    """Audit 7: the documented check said 'records were removed' for any difference from the signed head,
    also when the records were all there and one carried another signature (an HMAC, which only the
    owner can check, so nothing before the head's digest notices it)."""
    from guard.ledger import Ledger, RecordDraft, ledger_path
    from guard.paths import app_paths
    from tests.ledger.legacy import build_legacy_ledger

    path = ledger_path(app_paths())
    build_legacy_ledger(path, ["a", "b"])
    with Ledger.open(path) as ledger:
        ledger.append(RecordDraft("zoom", "refused"))  # signed with Ed25519, and so is the head
        target = tmp_path / "history.json"
        export_history(ledger, catalog, "json", target, jurisdiction="EU")

    def other_mac(document):
        node = document["mpg:records"][0]
        node["mpg:signature"] = "0" * len(node["mpg:signature"])
    script = documented_script(tmp_path)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    run = subprocess.run([sys.executable, "-I", str(script), str(changed(target, other_mac))], capture_output=True,
                         text=True, env=env)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "a record's signature was replaced" in run.stdout and "removed" not in run.stdout, run.stdout


@pytest.mark.parametrize("said", ["en", {"@type": "dct:LinguisticSystem", "dpv:hasApplicability":
                                         {"@id": "dpv:NotAvailable"}, "dct:description": "Not recorded."}])
def test_a_changed_form_language_fails_naming_the_record(exported, sample, cli, no_ledger_here, said):
    """The form's language is derived from the signed record: another one (or "not recorded" for a
    record that names one) is a changed export."""
    def relabel(document):  # the German form's node, which only the German record refers to
        node = next(n for n in document["mpg:records"] if n["dct:identifier"] == sample.given.id)
        form = next(f for f in document["mpg:forms"] if f["@id"] == node["dpv:hasNotice"][-1]["@id"])
        form["dct:language"] = said
    run = cli("verify-export", str(changed(exported, relabel)))
    assert run.returncode == 1, run.stdout
    assert f"record seq {sample.given.seq} (id {sample.given.id}) was changed: its DPV fields" in run.stdout


def test_a_language_given_to_a_record_that_has_none_or_a_dropped_form_fails(exported, sample, cli, no_ledger_here):
    def give(document):  # the record made without a language pointed at the English form
        english = next(n for n in document["mpg:records"] if n["dct:identifier"] == sample.whereby.id)
        node = next(n for n in document["mpg:records"] if n["dct:identifier"] == sample.refused.id)
        node["dpv:hasNotice"][-1] = english["dpv:hasNotice"][-1]
    run = cli("verify-export", str(changed(exported, give)))
    assert run.returncode == 1 and f"record seq {sample.refused.seq} (id {sample.refused.id}) was changed" in run.stdout

    def inline(document):  # written in full in the record (as builds of 2026-12-02 before mpg:forms did), wrong
        node = next(n for n in document["mpg:records"] if n["dct:identifier"] == sample.given.id)
        form = next(f for f in document["mpg:forms"] if f["@id"] == node["dpv:hasNotice"][-1]["@id"])
        node["dpv:hasNotice"][-1] = {key: value for key, value in form.items() if key != "@id"} | {"dct:language": "fr"}
    run = cli("verify-export", str(changed(exported, inline)))
    assert run.returncode == 1 and f"record seq {sample.given.seq} (id {sample.given.id}) was changed" in run.stdout

    def drop(document):
        node = next(n for n in document["mpg:records"] if n["dct:identifier"] == sample.tricky.id)
        node["dpv:hasNotice"].pop()
    run = cli("verify-export", str(changed(exported, drop)))
    assert run.returncode == 1 and f"record seq {sample.tricky.seq} (id {sample.tricky.id}) was changed" in run.stdout


def forms_inlined(document):
    """The export as builds before mpg:forms wrote it: each record's form node written in the record."""
    forms = {f["@id"]: f for f in document.pop("mpg:forms")}
    for node in document["mpg:records"]:
        if node.get("@type") == "dpv:ConsentRecord":
            node["dpv:hasNotice"][-1] = {k: v for k, v in forms[node["dpv:hasNotice"][-1]["@id"]].items() if k != "@id"}


def test_a_form_written_in_full_in_the_record_as_the_first_builds_with_it_did_still_verifies(exported, sample, cli,
                                                                                      no_ledger_here):
    """Builds of main from commit 68c3a5f (2026-12-02) until mpg:forms wrote the form in each record."""
    run = cli("verify-export", str(changed(exported, forms_inlined)))
    assert run.returncode == 0, run.stdout


def test_two_forms_with_one_id_are_caught(exported, cli, no_ledger_here):
    run = cli("verify-export", str(changed(exported, lambda d: d["mpg:forms"].append(dict(d["mpg:forms"][0])))))
    assert run.returncode == 1 and "the form _:form-1 appears more than once" in run.stdout


def test_every_form_of_a_fresh_export_is_the_apps_own_and_verifies(exported, sample, cli, no_ledger_here):
    """One node per language of the records (German, Brazilian Portuguese, English, not recorded):
    each carries the app's own title and description, and the whole verifies."""
    from guard.export.dpv_terms import FORM_DESCRIPTION, FORM_TITLE

    forms = json.loads(exported.read_text(encoding="utf-8"))["mpg:forms"]
    languages = [f["dct:language"] if isinstance(f["dct:language"], str) else None for f in forms]
    assert sorted(languages, key=str) == sorted(["de", "pt-BR", "en", None], key=str)
    assert {(f["dct:title"], f["dct:description"]) for f in forms} == {(FORM_TITLE, FORM_DESCRIPTION)}
    assert cli("verify-export", str(exported)).returncode == 0


@pytest.mark.parametrize("edit", [
    lambda form: form.update({"dct:title": "Zoom's AI Companion consent (signed by the meeting host)"}),
    lambda form: form.update({"dct:description": "The provider's own form, shown by Zoom."}),
    lambda form: form.update({"dct:creator": "Zoom Video Communications"}),
    lambda form: form.update({"@type": "dpv:ConsentNotice"}),
], ids=["title", "description", "another-key", "type"])
def test_a_forged_form_node_is_reported_by_its_id(exported, sample, cli, no_ledger_here, edit):
    """The form nodes are not signed, and a reader takes their title for the form the participant
    answered: another title (say, the provider's own form) makes the decision read otherwise."""
    def forge(document):
        node = next(n for n in document["mpg:records"] if n["dct:identifier"] == sample.given.id)
        form = next(f for f in document["mpg:forms"] if f["@id"] == node["dpv:hasNotice"][-1]["@id"])
        edit(form)
    run = cli("verify-export", str(changed(exported, forge)))
    assert run.returncode == 1, run.stdout
    assert "NOT intact" in run.stdout and "the app's form _:form-" in run.stdout and "was changed" in run.stdout


def test_a_forged_title_of_a_form_written_in_the_record_is_caught(exported, sample, cli, no_ledger_here):
    """Builds of 2026-12-02 before mpg:forms wrote the form in each record: there, a forged title is
    the record's view changed."""
    def inline(document):
        forms_inlined(document)
        node = next(n for n in document["mpg:records"] if n["dct:identifier"] == sample.tricky.id)
        node["dpv:hasNotice"][-1]["dct:title"] = "Consent form of Zoom Video Communications"
    run = cli("verify-export", str(changed(exported, inline)))
    assert run.returncode == 1
    assert f"record seq {sample.tricky.seq} (id {sample.tricky.id}) was changed: its DPV fields" in run.stdout
