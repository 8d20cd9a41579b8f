"""Kantara Consent Receipts v1.1: a signed receipt for every consent given, valid against the
working group's own schema (tests/export/data/kantara, by commit); refusals, withdrawals, left
meetings and notices never become receipts; required fields hold real values or the spec's codes."""

from __future__ import annotations

import base64
import json
import zipfile
from datetime import datetime
from pathlib import Path

import jsonschema
import pytest
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from joserfc import jws
from joserfc.jwk import OKPKey

from guard.export import ExportError, export_history
from tests.export.conftest import ZOOM_TERMS_SHA

KANTARA = Path(__file__).parent / "data" / "kantara"
PLACEHOLDER_WORDS = ("unknown", "not in catalog", "not recorded", "n/a")


def official(name: str) -> dict:
    """A file of the working group's repository; its schema opens with '//' comment lines."""
    text = (KANTARA / name).read_text(encoding="utf-8")
    return json.loads("\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//")))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft4Validator:
    schema = official("kantara-consent-receipt-v1_1-schema.json")
    jsonschema.Draft4Validator.check_schema(schema)
    checker = jsonschema.Draft4Validator(schema)
    checker.validate(official("kantara-consent-receipt-v1_1-example.json"))  # read as its authors meant
    return checker


def export_receipts(ledger, catalog, dest: Path, **kwargs) -> tuple[dict[str, dict], dict]:
    kwargs.setdefault("jurisdiction", "EU")
    result = export_history(ledger, catalog, "receipts", dest, **kwargs)
    receipts = {json.loads(p.read_text())["consentReceiptID"]: json.loads(p.read_text())
                for p in dest.glob("receipt-*.json")}
    companion = json.loads((dest / "not-consent.json").read_text())
    assert result.records == len(receipts) + len(companion["records"])
    return receipts, companion


def test_only_consents_given_become_receipts_and_each_validates(ledger, sample, catalog, tmp_path, validator):
    receipts, companion = export_receipts(ledger, catalog, tmp_path / "r")
    # given (later withdrawn), tricky, whereby, and the correction of the refusal to given
    assert set(receipts) == {sample.given.id, sample.tricky.id, sample.whereby.id, sample.correction.id}
    others = {entry["record"]: entry for entry in companion["records"]}
    assert set(others) == {sample.refused.id, sample.notice.id, sample.left.id, sample.withdrawal.id}
    assert "refused" in others[sample.refused.id]["why_no_receipt"]
    assert "no decision" in others[sample.notice.id]["why_no_receipt"]
    assert "left the meeting" in others[sample.left.id]["why_no_receipt"]
    assert "withdrawal" in others[sample.withdrawal.id]["why_no_receipt"]
    for receipt in receipts.values():
        validator.validate(receipt)
        assert receipt["version"] == "KI-CR-v1.1.0"
        for purpose in receipt["services"][0]["purposes"]:
            assert purpose["consentType"] == "EXPLICIT"


def test_required_fields_hold_real_values_or_the_specs_codes(ledger, sample, catalog, tmp_path):
    receipts, _ = export_receipts(ledger, catalog, tmp_path / "r", subject_name="Ada Lovelace")
    for receipt in receipts.values():
        core = {key: value for key, value in receipt.items() if not key.startswith("x-")}
        text = json.dumps(core).lower()
        assert not any(word in text for word in PLACEHOLDER_WORDS), core
        assert receipt["policyUrl"].startswith("https://")
        for purpose in receipt["services"][0]["purposes"]:
            assert purpose["purposeCategory"][0] == "2 - Contracted Service"
            assert purpose["piiCategory"] == ["4 - Communications/Social"]
    given = receipts[sample.given.id]
    assert given["consentTimestamp"] == int(datetime.fromisoformat("2026-03-02T09:15:00+00:00").timestamp())
    assert given["piiPrincipalId"] == "Ada Lovelace" and given["jurisdiction"] == "EU"
    controller = given["piiControllers"][0]
    contacts = catalog.get("zoom").contacts
    assert controller["piiController"] == contacts.controller and controller["email"] == contacts.privacy_email
    assert controller["phone"] == ""  # the catalog has none: empty, not a word standing in for it
    assert given["policyUrl"] == "https://explore.zoom.us/en/terms/"
    assert given["x-meetingPrivacyGuard"]["termsVersion"]["sha256"] == ZOOM_TERMS_SHA
    assert [p["purpose"] for p in given["services"][0]["purposes"]] == ["meeting summary", "action items"]


def test_a_withdrawn_consent_keeps_its_receipt_with_its_termination(ledger, sample, catalog, tmp_path):
    receipts, _ = export_receipts(ledger, catalog, tmp_path / "r")
    termination = receipts[sample.given.id]["services"][0]["purposes"][0]["termination"]
    assert termination == f"withdrawn by the PII principal on 2026-05-06 (record {sample.withdrawal.id})"
    assert receipts[sample.tricky.id]["services"][0]["purposes"][0]["termination"].startswith(
        "on withdrawal by the PII principal")


def test_receipts_are_signed_as_jws_with_the_ledgers_key(ledger, sample, catalog, tmp_path):
    receipts, _ = export_receipts(ledger, catalog, tmp_path / "r")
    keys = ledger.proof().keys
    raw = base64.b64decode(keys[-1].public_key)
    for record_id, receipt in receipts.items():
        public = load_pem_public_key(receipt["publicKey"].encode())
        assert public.public_bytes_raw() == raw  # type: ignore[union-attr]
        token = (tmp_path / "r" / f"receipt-{record_id}.jws").read_text()
        key = OKPKey.import_key(receipt["publicKey"])
        verified = jws.deserialize_compact(token, key, algorithms=["EdDSA"])
        assert verified.protected["alg"] == "EdDSA" and verified.protected["kid"] == keys[-1].key_id
        assert json.loads(verified.payload) == receipt
    token = (tmp_path / "r" / f"receipt-{sample.given.id}.jws").read_text()
    head, payload, signature = token.split(".")
    forged = payload[:-4] + ("AAAA" if payload[-4:] != "AAAA" else "BBBB")
    with pytest.raises(Exception):  # noqa: B017 (joserfc raises BadSignatureError)
        jws.deserialize_compact(f"{head}.{forged}.{signature}", OKPKey.import_key(receipts[sample.given.id]
                                                                                  ["publicKey"]), algorithms=["EdDSA"])


def test_receipts_can_go_into_a_zip(ledger, sample, catalog, tmp_path, validator):
    result = export_history(ledger, catalog, "receipts", tmp_path / "receipts.zip", jurisdiction="DE")
    with zipfile.ZipFile(tmp_path / "receipts.zip") as archive:
        names = set(archive.namelist())
        receipts = [json.loads(archive.read(n)) for n in names if n.endswith(".json") and n.startswith("receipt-")]
    assert {"not-consent.json", "ledger-public-key.pem"} <= names
    assert len(receipts) == 4 and sum(n.endswith(".jws") for n in names) == 4 and result.bytes > 0
    for receipt in receipts:
        validator.validate(receipt)


def test_receipts_need_a_jurisdiction(ledger, sample, catalog, tmp_path, monkeypatch):
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.setenv(variable, "C.UTF-8")
    with pytest.raises(ExportError, match="--jurisdiction"):
        export_history(ledger, catalog, "receipts", tmp_path / "none")
    assert not (tmp_path / "none").exists()
    monkeypatch.setenv("LANG", "de_AT.UTF-8")
    monkeypatch.delenv("LC_ALL")
    monkeypatch.delenv("LANGUAGE")
    monkeypatch.delenv("LC_MESSAGES")
    receipts, _ = export_receipts(ledger, catalog, tmp_path / "at", jurisdiction=None)
    assert {r["jurisdiction"] for r in receipts.values()} == {"AT"}  # the region of the system locale


def test_receipts_refuse_a_folder_that_is_not_empty(ledger, sample, catalog, tmp_path):
    folder = tmp_path / "receipts"
    folder.mkdir()
    (folder / "mine.txt").write_text("keep me")
    with pytest.raises(ExportError, match="not an empty folder"):
        export_history(ledger, catalog, "receipts", folder, jurisdiction="EU")
    assert [p.name for p in folder.iterdir()] == ["mine.txt"]


def test_each_file_of_a_receipts_export_is_what_the_docs_say_and_checks_as_they_say(ledger, sample, catalog,
                                                                                     tmp_path):
    """Leftover of audit round five: not-consent.json and receipt-<id>.json are not signed. The
    docs (docs/verify-export.md, "Receipts exports") say which files are signed, which are not, and
    how each is checked; this holds the export to that: every file it writes is described there,
    each receipt-<id>.json is exactly its JWS's payload, and each not-consent entry is a record of
    the signed JSON export with the same decision."""
    receipts, companion = export_receipts(ledger, catalog, tmp_path / "r")
    docs = (Path(__file__).parents[2] / "docs" / "verify-export.md").read_text(encoding="utf-8")
    section = docs.split("## Receipts exports: what is signed and what is not", 1)[1].split("\n## ", 1)[0]
    written = {p.name.replace(p.name.split("-", 1)[1].rsplit(".", 1)[0], "<id>") if p.name.startswith("receipt-")
               else p.name for p in (tmp_path / "r").iterdir()}
    assert written == {"receipt-<id>.jws", "receipt-<id>.json", "not-consent.json", "ledger-public-key.pem"}
    for name in written:
        assert f"`{name}`: **" in section, f"{name} is not described in docs/verify-export.md"
    for record_id in receipts:
        token = (tmp_path / "r" / f"receipt-{record_id}.jws").read_text().split(".")[1]
        payload = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        assert (tmp_path / "r" / f"receipt-{record_id}.json").read_bytes() == payload
    export_history(ledger, catalog, "json", tmp_path / "h.json")
    signed = {node["mpg:record"]["id"]: node["mpg:record"]
              for node in json.loads((tmp_path / "h.json").read_text())["mpg:records"]}
    assert companion["records"]
    for entry in companion["records"]:
        assert signed[entry["record"]]["decision"] == entry["decision"]


@pytest.mark.parametrize("rehash", [False, True], ids=["body edited", "body edited and hash recomputed"])
def test_a_record_edited_into_a_consent_gets_no_signed_receipt(ledger, sample, catalog, tmp_path, rehash):
    """Audit round six: someone who can write the ledger file turned a 'left the meeting' into a
    consent given; the receipts export then signed a consent receipt for it with the owner's key,
    which a JOSE library given that key accepts (only the app's own check looked inside). A record
    whose hash or signature does not hold gets no receipt: not-consent.json and the export's
    warnings say why, and the other receipts are made as before."""
    import sqlite3

    from guard.ledger import ledger_path
    from guard.ledger.canonical import record_hash
    from guard.paths import app_paths
    from tests.export.test_hostile_values import tamper

    path = ledger_path(app_paths())
    tamper(path, sample.left.seq, decision="given", purposes=["everything"], requested_by="host")
    if rehash:  # a forger who recomputes the hash still cannot sign it
        with sqlite3.connect(path) as db:
            db.execute("DROP TRIGGER IF EXISTS records_append_only_update")
            prev, body = db.execute("SELECT prev_hash, body FROM records WHERE seq = ?", (sample.left.seq,)).fetchone()
            db.execute("UPDATE records SET hash = ? WHERE seq = ?", (record_hash(prev, body), sample.left.seq))
    result = export_history(ledger, catalog, "receipts", tmp_path / "r", jurisdiction="EU")
    assert not list((tmp_path / "r").glob(f"receipt-{sample.left.id}.*")), "a receipt was signed for the edited record"
    companion = json.loads((tmp_path / "r" / "not-consent.json").read_text())
    why = next(entry["why_no_receipt"] for entry in companion["records"] if entry["record"] == sample.left.id)
    assert ("changed after it was signed" in why) if not rehash else ("signature does not verify" in why)
    assert any(f"Record {sample.left.seq}:" in warning for warning in result.warnings)
    assert (tmp_path / "r" / f"receipt-{sample.whereby.id}.jws").is_file()  # the genuine consents still are


def test_a_receipt_names_the_language_the_consent_was_asked_in_only_when_recorded(ledger, sample, catalog, tmp_path,
                                                                                 validator):
    """Kantara CR v1.1 ``language``: two letters (ISO 639-1), the record's BCP 47 tag in the
    extension; a record without one gets no ``language`` rather than a guessed one."""
    receipts, _ = export_receipts(ledger, catalog, tmp_path / "r")
    assert receipts[sample.given.id]["language"] == "de"
    assert receipts[sample.tricky.id]["language"] == "pt"
    assert receipts[sample.tricky.id]["x-meetingPrivacyGuard"]["language"] == "pt-BR"
    assert receipts[sample.whereby.id]["language"] == "en"
    assert "language" not in receipts[sample.correction.id]  # corrected on a form that said no language
    assert receipts[sample.correction.id]["x-meetingPrivacyGuard"]["language"] == "not recorded"
    for receipt in receipts.values():
        validator.validate(receipt)
