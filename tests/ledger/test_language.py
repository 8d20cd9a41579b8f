"""The language of the form a decision was recorded on: signed with the record when given,
absent (not recorded) from records made without it, and those still verify."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from guard.ledger import Ledger, LedgerInputError, RecordDraft


def test_the_language_is_signed_with_the_record_in_its_bcp47_form(ledger: Ledger, path):
    record = ledger.append(RecordDraft("zoom", "given", language="pt-br"))
    assert record.language == "pt-BR" and ledger.get(record.id).language == "pt-BR"
    assert record.to_dict()["language"] == "pt-BR"
    with sqlite3.connect(path) as conn:
        body = json.loads(conn.execute("SELECT body FROM records WHERE id = ?", (record.id,)).fetchone()[0])
    assert body["language"] == "pt-BR"  # in the content the hash and signature cover
    assert ledger.verify().ok


@pytest.mark.parametrize("tag, shaped", [("de", "de"), ("EN", "en"), ("sr-latn-rs", "sr-Latn-RS"),
                                         ("es-419", "es-419")])
def test_a_language_tag_takes_its_conventional_case(tag, shaped):
    assert RecordDraft("zoom", "given", language=tag).language == shaped


@pytest.mark.parametrize("tag", ["e", "english", "de_DE", "de-", "-de", "de--AT", "x" * 40, "d\u00e9", "de AT"])
def test_a_value_that_is_not_a_language_tag_is_refused_naming_the_field(tag):
    with pytest.raises(LedgerInputError, match="Field 'language'.*BCP 47"):
        RecordDraft("zoom", "given", language=tag)


def test_a_record_without_a_language_keeps_no_such_field_and_verifies(ledger: Ledger, path):
    record = ledger.append(RecordDraft("zoom", "refused", language=""))
    assert record.language is None and "language" not in record.to_dict()
    with sqlite3.connect(path) as conn:
        body = json.loads(conn.execute("SELECT body FROM records WHERE id = ?", (record.id,)).fetchone()[0])
    assert "language" not in body  # the same bytes a build before the field wrote
    later = ledger.append(RecordDraft("zoom", "given", language="de"))
    assert [r.language for r in ledger.iter()] == [None, "de"] and later.seq == 2
    assert ledger.verify().ok


OLD = Path(__file__).parent / "data" / "before-language"


def old_ledger(path: Path) -> Path:
    """The ledger a build before the field wrote (data/before-language/README.md), in this test's data folder."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    for name in ("ledger.sqlite3", "ledger.key", "ledger.anchor"):
        shutil.copyfile(OLD / name, path.parent / name)
        (path.parent / name).chmod(0o600)
    return path


def test_a_ledger_from_before_the_field_verifies_reads_not_recorded_and_takes_new_records(path, no_keyring,
                                                                                         tmp_path):
    from guard.catalog import load_catalog
    from guard.export import export_history
    from guard.export.verify_export import verify_export

    with Ledger.open(old_ledger(path)) as ledger:
        report = ledger.verify(each_signature=True)
        assert report.ok and report.count == 2, report.summary()
        old = list(ledger.iter())
        assert [(r.provider_id, r.language) for r in old] == [("zoom", None), ("google-meet", None)]
        assert all("language" not in r.to_dict() for r in old)
        new = ledger.append(RecordDraft("zoom", "refused", language="de"))
        assert ledger.verify(each_signature=True).ok and new.seq == 3 and new.prev_hash == old[-1].hash
        export_history(ledger, load_catalog(), "json", tmp_path / "history.json")
    document = json.loads((tmp_path / "history.json").read_text(encoding="utf-8"))
    check = verify_export(document)
    assert check.ok and check.signatures_checked == 3, check.problems
    forms = {f["@id"]: f["dct:language"] for f in document["mpg:forms"]}
    said = {n["dct:identifier"]: forms[n["dpv:hasNotice"][-1]["@id"]] for n in document["mpg:records"]}
    assert said[new.id] == "de"
    for record in old:
        assert said[record.id]["dpv:hasApplicability"] == {"@id": "dpv:NotAvailable"}
        assert said[record.id]["dct:description"].startswith("Not recorded")
