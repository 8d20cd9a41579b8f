"""Kantara Consent Receipts v1.1: one per decision, every required field, nothing invented."""

from __future__ import annotations

import json
import zipfile
from datetime import datetime

import jsonschema
import pytest

from guard.export import ExportError, export_history
from guard.export.facts import UNKNOWN
from tests.export.conftest import ZOOM_TERMS_SHA, schema

# Consent Receipt Specification v1.1.0 (Kantara Initiative, 2018-02-20): the required fields,
# as the working group's JSON schema lists them (KantaraInitiative/consent-receipt-v-next, CR_v1_1).
REQUIRED = ["version", "jurisdiction", "consentTimestamp", "collectionMethod", "consentReceiptID", "piiPrincipalId",
            "piiControllers", "services", "policyUrl", "sensitive", "spiCat"]
CONTROLLER_REQUIRED = ["piiController", "contact", "address", "email", "phone"]
PURPOSE_REQUIRED = ["consentType", "purposeCategory", "piiCategory", "termination", "thirdPartyDisclosure"]


def receipts_in(folder) -> dict[str, dict]:
    return {json.loads(p.read_text())["consentReceiptID"]: json.loads(p.read_text()) for p in folder.iterdir()}


def test_one_receipt_per_decision_with_every_required_field(ledger, sample, catalog, tmp_path):
    result = export_history(ledger, catalog, "receipts", tmp_path / "receipts")
    receipts = receipts_in(tmp_path / "receipts")
    assert result.records == result.files == len(receipts) == len(sample.all)
    assert set(receipts) == {r.id for r in sample.all}
    for receipt in receipts.values():
        assert all(field in receipt for field in REQUIRED)
        for controller in receipt["piiControllers"]:
            assert all(controller[field] for field in CONTROLLER_REQUIRED)
        for service in receipt["services"]:
            assert service["service"] and service["purposes"]
            for purpose in service["purposes"]:
                assert all(field in purpose for field in PURPOSE_REQUIRED) and purpose["purpose"]
        jsonschema.validate(receipt, schema("kantara-consent-receipt-v1.1.schema.json"))
        assert receipt["version"] == "KI-CR-v1.1.0"


def test_receipt_carries_controller_purposes_timestamp_and_terms_version(ledger, sample, catalog, tmp_path):
    export_history(ledger, catalog, "receipts", tmp_path / "receipts", subject_name="Ada Lovelace",
                   jurisdiction="EU")
    receipt = receipts_in(tmp_path / "receipts")[sample.given.id]
    assert receipt["consentTimestamp"] == int(datetime.fromisoformat("2026-03-02T09:15:00+00:00").timestamp())
    assert receipt["piiPrincipalId"] == "Ada Lovelace" and receipt["jurisdiction"] == "EU"
    controller = receipt["piiControllers"][0]
    assert controller["piiController"] == "Zoom Video Communications, Inc."
    assert controller["email"] == "privacy@zoom.us"
    assert controller["address"] == {"streetAddress": UNKNOWN}  # the catalog has no postal address for Zoom
    assert controller["phone"] == UNKNOWN
    assert receipt["policyUrl"] == "https://explore.zoom.us/en/terms/"
    extension = receipt["x-meetingPrivacyGuard"]
    assert extension["termsVersion"]["sha256"] == ZOOM_TERMS_SHA
    assert extension["record"] == sample.given.to_dict() and extension["statusNow"] == "given, then withdrawn"
    purposes = receipt["services"][0]["purposes"]
    assert [p["purpose"] for p in purposes] == ["meeting summary", "action items"]
    assert purposes[0]["consentType"] == "EXPLICIT" and purposes[0]["termination"].startswith("withdrawn")
    assert "Zoom" in receipt["services"][0]["service"]


def test_missing_catalog_values_are_marked_unknown_never_invented(ledger, sample, catalog, tmp_path):
    export_history(ledger, catalog, "receipts", tmp_path / "receipts")
    receipts = receipts_in(tmp_path / "receipts")
    unknown = receipts[sample.notice.id]  # a provider the catalog lacks
    assert unknown["piiControllers"][0]["piiController"] == UNKNOWN
    assert unknown["policyUrl"] == UNKNOWN and unknown["jurisdiction"].startswith("unknown")
    assert unknown["piiPrincipalId"].startswith("unknown")
    assert unknown["services"][0]["purposes"][0]["consentType"] == "IMPLICIT"  # notice-only
    assert "thirdPartyDisclosure" in unknown["x-meetingPrivacyGuard"]["notAssessed"]
    whereby = receipts[sample.whereby.id]
    assert whereby["piiControllers"][0]["address"]["streetAddress"].endswith("Norway")
    clauses = whereby["x-meetingPrivacyGuard"]["sharingClauses"]
    assert clauses and clauses[0]["source"].startswith("https://")  # quoted from the catalog, not judged


def test_receipts_can_go_into_a_zip(ledger, sample, catalog, tmp_path):
    result = export_history(ledger, catalog, "receipts", tmp_path / "receipts.zip")
    with zipfile.ZipFile(tmp_path / "receipts.zip") as archive:
        names = archive.namelist()
        first = json.loads(archive.read(names[0]))
    assert result.files == len(names) == len(sample.all) and result.bytes > 0
    assert all(name.startswith("receipt-") and name.endswith(".json") for name in names)
    jsonschema.validate(first, schema("kantara-consent-receipt-v1.1.schema.json"))


def test_receipts_refuse_a_folder_that_is_not_empty(ledger, sample, catalog, tmp_path):
    folder = tmp_path / "receipts"
    folder.mkdir()
    (folder / "mine.txt").write_text("keep me")
    with pytest.raises(ExportError, match="not an empty folder"):
        export_history(ledger, catalog, "receipts", folder)
    assert [p.name for p in folder.iterdir()] == ["mine.txt"]
