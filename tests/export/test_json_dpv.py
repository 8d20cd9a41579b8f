"""The JSON export: DPV consent records that validate against the published schema, keep
the app's fields, and let a third party re-check every hash."""

from __future__ import annotations

import hashlib
import json

import jsonschema

from guard.export import ExportFilter, export_history
from guard.ledger import Decision
from tests.export.conftest import schema, utc

# DPV 2.1 terms the export may use, each checked against the published vocabulary
# (w3c/dpv, 2.1/dpv: modules consent_status, organisational_measures, process, entities, notice).
DPV_21_TERMS = {
    "dpv:ConsentRecord", "dpv:DataSubject", "dpv:DataController", "dpv:Process", "dpv:Purpose", "dpv:Service",
    "dpv:Notice", "dpv:ConsentGiven", "dpv:ConsentRefused", "dpv:ConsentWithdrawn", "dpv:ConsentRequested",
    "dpv:hasDataSubject", "dpv:hasProcess", "dpv:hasPurpose", "dpv:hasDataController", "dpv:hasService",
    "dpv:hasNotice", "dpv:hasConsentStatus", "dpv:isIndicatedAtTime", "dpv:isIndicatedBy", "dpv:hasName",
    "dpv:hasContact", "dpv:hasAddress",
}


def export_json(ledger, catalog, tmp_path, **kwargs) -> dict:
    result = export_history(ledger, catalog, "json", tmp_path / "history.json", **kwargs)
    document = json.loads((tmp_path / "history.json").read_text(encoding="utf-8"))
    assert result.records == len(document["mpg:records"])
    return document


def dpv_terms(value, found: set[str]) -> set[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key.startswith("dpv:"):
                found.add(key)
            if key != "mpg:record":
                dpv_terms(item, found)
    elif isinstance(value, list):
        for item in value:
            dpv_terms(item, found)
    elif isinstance(value, str) and value.startswith("dpv:"):
        found.add(value)
    return found


def test_export_validates_against_the_published_schema(ledger, sample, catalog, tmp_path):
    document = export_json(ledger, catalog, tmp_path)
    jsonschema.validate(document, schema("consent-history.schema.json"))


def test_the_schema_rejects_an_export_missing_the_verification(ledger, sample, catalog, tmp_path):
    document = export_json(ledger, catalog, tmp_path)
    del document["mpg:verification"]
    try:
        jsonschema.validate(document, schema("consent-history.schema.json"))
    except jsonschema.ValidationError:
        return
    raise AssertionError("an export without its verification result passed the schema")


def test_every_dpv_term_used_is_a_published_dpv_21_term(ledger, sample, catalog, tmp_path):
    document = export_json(ledger, catalog, tmp_path)
    assert document["@context"]["dpv"] == "https://w3id.org/dpv#"
    assert document["@context"]["dpvVersion"] == "https://w3id.org/dpv/2.1"
    used = dpv_terms(document, set())
    assert used <= DPV_21_TERMS, used - DPV_21_TERMS
    assert {"dpv:ConsentRecord", "dpv:hasConsentStatus", "dpv:hasDataSubject", "dpv:hasDataController"} <= used


def test_decisions_map_to_dpv_consent_statuses(ledger, sample, catalog, tmp_path):
    records = {r["dct:identifier"]: r for r in export_json(ledger, catalog, tmp_path)["mpg:records"]}
    expected = {sample.given.id: "dpv:ConsentGiven", sample.refused.id: "dpv:ConsentRefused",
                sample.withdrawal.id: "dpv:ConsentWithdrawn", sample.left.id: "dpv:ConsentRefused",
                sample.notice.id: "dpv:ConsentRequested"}
    for record_id, status in expected.items():
        assert records[record_id]["dpv:hasConsentStatus"]["@type"] == status
    assert records[sample.left.id]["mpg:decision"] == "left-meeting"
    assert records[sample.given.id]["dpv:hasConsentStatus"]["dpv:isIndicatedAtTime"] == "2026-03-02T09:15:00.000000Z"
    assert "dpv:isIndicatedBy" not in records[sample.notice.id]["dpv:hasConsentStatus"]


def test_app_fields_are_kept_exactly_and_hashes_can_be_rechecked(ledger, sample, catalog, tmp_path):
    document = export_json(ledger, catalog, tmp_path)
    by_id = {r.id: r for r in sample.all}
    previous = "0" * 64
    for node in document["mpg:records"]:
        record = by_id[node["dct:identifier"]].to_dict()
        assert {**node["mpg:record"], "prev_hash": node["mpg:prevHash"], "hash": node["mpg:hash"],
                "signature": node["mpg:mac"]} == record
        canonical = json.dumps(node["mpg:record"], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert hashlib.sha256((node["mpg:prevHash"] + canonical).encode("utf-8")).hexdigest() == node["mpg:hash"]
        assert node["mpg:prevHash"] == previous  # unfiltered: the chain is complete
        previous = node["mpg:hash"]
    assert previous == document["mpg:chainHead"]["mpg:hash"]


def test_file_carries_the_verification_result_and_head_hash(ledger, sample, catalog, tmp_path):
    document = export_json(ledger, catalog, tmp_path)
    report = ledger.verify()
    assert document["mpg:verification"]["ok"] is True
    assert document["mpg:verification"]["head_hash"] == report.head_hash
    assert document["mpg:chainHead"] == {"mpg:seq": report.head_seq, "mpg:hash": report.head_hash}
    coverage = document["mpg:coverage"]
    assert coverage["records"] == len(sample.all) and coverage["ledger_records"] == len(sample.all)
    assert coverage["filter"] == {"from": None, "to": None, "provider": None}
    assert coverage["app"].startswith("Meeting Privacy Guard ")


def test_status_now_follows_withdrawals_and_corrections(ledger, sample, catalog, tmp_path):
    records = {r["dct:identifier"]: r for r in export_json(ledger, catalog, tmp_path)["mpg:records"]}
    assert records[sample.given.id]["mpg:statusNow"] == "given, then withdrawn"
    assert records[sample.given.id]["mpg:decisionNow"] == str(Decision.WITHDRAWN)
    assert records[sample.given.id]["mpg:changedBy"] == {"@id": f"urn:uuid:{sample.withdrawal.id}"}
    assert "mpg:statusNow" not in records[sample.tricky.id]  # nothing changed it
    assert records[sample.refused.id]["mpg:statusNow"] == "refused, corrected to given"
    correction = records[sample.correction.id]
    assert correction["dct:replaces"] == {"@id": f"urn:uuid:{sample.refused.id}"}
    assert records[sample.withdrawal.id]["mpg:refersTo"] == {"@id": f"urn:uuid:{sample.given.id}"}
    assert "dct:replaces" not in records[sample.withdrawal.id]


def test_controllers_come_from_the_catalog_with_their_sources(ledger, sample, catalog, tmp_path):
    document = export_json(ledger, catalog, tmp_path)
    controllers = {c["mpg:provider"]: c for c in document["mpg:controllers"]}
    zoom = controllers["zoom"]
    assert zoom["dpv:hasName"] == "Zoom Video Communications, Inc."
    assert "mailto:privacy@zoom.us" in zoom["dpv:hasContact"]
    assert zoom["mpg:contactSources"] and all(s["url"].startswith("https://") for s in zoom["mpg:contactSources"])
    assert controllers["whereby"]["dpv:hasAddress"].endswith("Norway")
    unknown = controllers["acme-notes"]
    assert unknown["mpg:inCatalog"] is False and "dpv:hasName" not in unknown
    services = {s["@id"]: s for s in document["mpg:services"]}
    assert services["mpg:service:zoom:meeting-summary"]["dpv:hasName"].startswith("Zoom: ")
    process = next(r for r in document["mpg:records"] if r["dct:identifier"] == sample.given.id)["dpv:hasProcess"]
    assert process["dpv:hasDataController"] == {"@id": "mpg:controller:zoom"}
    assert [p["dct:description"] for p in process["dpv:hasPurpose"]] == ["meeting summary", "action items"]


def test_filters_are_stated_in_the_file(ledger, sample, catalog, tmp_path):
    document = export_json(ledger, catalog, tmp_path, filter=ExportFilter(utc(2026, 4, 1), utc(2026, 5, 1), "zoom"))
    assert [r["dct:identifier"] for r in document["mpg:records"]] == [sample.tricky.id]
    assert document["mpg:coverage"]["filter"] == {"from": "2026-04-01T00:00:00.000000Z",
                                                  "to": "2026-05-01T00:00:00.000000Z", "provider": "zoom"}
    jsonschema.validate(document, schema("consent-history.schema.json"))


def test_an_empty_ledger_exports_a_valid_file(ledger, catalog, tmp_path):
    document = export_json(ledger, catalog, tmp_path)
    assert document["mpg:records"] == [] and document["mpg:chainHead"] == {"mpg:seq": 0, "mpg:hash": None}
    jsonschema.validate(document, schema("consent-history.schema.json"))


def test_a_tampered_ledger_still_exports_and_the_file_says_where(ledger, sample, catalog, tmp_path, cli):
    import sqlite3

    conn = sqlite3.connect(ledger.path, isolation_level=None)
    conn.execute("DROP TRIGGER records_append_only_update")
    conn.execute("UPDATE records SET body = replace(body, 'Quarterly planning', 'Quarterly plans') WHERE seq = 1")
    conn.close()
    result = export_history(ledger, catalog, "json", tmp_path / "history.json")
    document = json.loads((tmp_path / "history.json").read_text(encoding="utf-8"))
    verification = document["mpg:verification"]
    assert verification["ok"] is False and verification["problem"]["seq"] == 1
    assert verification["problem"]["kind"] == "edited" and result.warnings
    jsonschema.validate(document, schema("consent-history.schema.json"))
    from tests.export.conftest import no_keyring_env

    run = cli("consent", "export", "--format", "html", "-o", str(tmp_path / "h.html"), env=no_keyring_env())
    assert run.returncode == 1 and "NOT intact: edited at seq 1" in run.stdout
    assert (tmp_path / "h.html").exists()
