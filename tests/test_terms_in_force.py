"""A consent record names the terms versions in force when it was made."""

import json

from guard.paths import app_paths
from guard.services import Services
from guard.ledger import Decision, RecordDraft
from guard.terms import TermsStore
from guard.terms.models import HttpMeta


def baseline_sha(store: TermsStore, provider: str, document: str) -> str:
    version = store.baseline_version(provider, document)
    assert version is not None, f"{provider}/{document} ships a baseline"
    return version.sha256


def test_cli_consent_add_records_the_shipped_baseline_versions(cli):
    result = cli("consent", "add", "--provider", "zoom", "--decision", "given",
                 "--feature", "meeting-summary", "--json")
    assert result.returncode == 0, result.stderr
    terms = json.loads(result.stdout)["record"]["terms"]
    store = TermsStore.open(app_paths())
    by_doc = {ref["document_id"]: ref for ref in terms}
    assert by_doc["terms"]["sha256"] == baseline_sha(store, "zoom", "terms")
    assert by_doc["terms"]["url"].startswith("https://")
    assert {ref["provider_id"] for ref in terms} == {"zoom"}


def test_a_newer_fetched_version_is_the_one_in_force(app_home):
    services = Services(app_paths())
    try:
        newer = "# Terms of Service\n\nA newer text fetched by the watcher.\n"
        version, is_new = services.terms_store.record_version(
            "zoom", "terms", newer, "https://www.zoom.com/en/trust/terms/", HttpMeta(status=200))
        assert is_new
        record = services.record_decision(RecordDraft(provider_id="zoom", decision=Decision.REFUSED))
        by_doc = {ref.document_id: ref for ref in record.terms}
        assert by_doc["terms"].sha256 == version.sha256
        assert by_doc["terms"].sha256 != baseline_sha(services.terms_store, "zoom", "terms")
        stored = services.ledger().get(record.id)
        assert stored.terms == record.terms
    finally:
        services.close()


def test_unknown_provider_records_no_terms_and_still_records(cli):
    result = cli("consent", "add", "--provider", "not-in-catalog", "--decision", "notice-only", "--allow-unknown",
                 "--json")
    assert result.returncode == 0
    out = json.loads(result.stdout)
    assert out["record"]["terms"] == []
    assert any("not in the catalog" in w for w in out["warnings"])
