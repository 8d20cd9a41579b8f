"""``meeting-guard terms check|diff|log`` as a real subprocess against a real local server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.terms.support.pages import fixture_text, plain_page
from tests.terms.support.server import Route, TermsServer, page

MARCH = fixture_text("zoom/tos-2023-03-section10.quoted.md")
AUG_07 = fixture_text("zoom/tos-2023-08-07-section10.quoted.md")
AUG_11 = fixture_text("zoom/tos-2023-08-11-section10.ota.md")

@pytest.fixture(autouse=True)
def _local_test_servers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Plain HTTP to this computer's test servers: from the environment, never the settings file."""
    monkeypatch.setenv("MEETING_GUARD_TEST_ALLOW_INSECURE_LOCALHOST", "1")



def settings(app_home: Path, network: bool = True) -> None:
    config = app_home / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.toml").write_text(
        f"[terms]\nnetwork_enabled = {'true' if network else 'false'}\n",
        encoding="utf-8")


def declaration(tmp_path: Path, url: str) -> str:
    path = tmp_path / "Acme.json"
    path.write_text(json.dumps({"name": "Acme", "terms": {"Terms of Service": {"fetch": url, "select": "main"}}}),
                    encoding="utf-8")
    return str(path)


@pytest.fixture
def server():  # type: ignore[no-untyped-def]
    with TermsServer() as running:
        yield running


def test_check_stores_versions_and_reports_ai_changes(cli, app_home: Path, tmp_path: Path, server) -> None:  # type: ignore[no-untyped-def]
    settings(app_home)
    decl = declaration(tmp_path, server.url("/terms"))
    server.routes["/terms"] = page(plain_page(MARCH))
    first = cli("terms", "check", "acme", "--declaration", decl, "--json")
    assert first.returncode == 0, first.stderr
    (check,) = json.loads(first.stdout)["checks"]
    assert check["result"] == "new-version" and check["event"] is None

    server.routes["/terms"] = page(plain_page(AUG_07))
    second = cli("terms", "check", "acme", "--declaration", decl, "--json")
    assert second.returncode == 0, second.stderr
    (event,) = json.loads(second.stdout)["events"]
    assert event["event"] == "terms-changed" and event["provider_id"] == "acme"
    (change,) = event["changes"]
    assert "ai-training" in change["topics"] and change["new"].startswith("Notwithstanding the above")
    assert change["summary"].startswith("AI training")

    text = cli("terms", "check", "acme", "--declaration", decl)
    assert text.returncode == 0 and "acme/terms-of-service: unchanged" in text.stdout


def test_diff_shows_old_and_new_wording(cli, app_home: Path, tmp_path: Path, server) -> None:  # type: ignore[no-untyped-def]
    settings(app_home)
    decl = declaration(tmp_path, server.url("/terms"))
    for text in (MARCH, AUG_07):
        server.routes["/terms"] = page(plain_page(text))
        assert cli("terms", "check", "acme", "--declaration", decl).returncode == 0
    result = cli("terms", "diff", "acme", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["document_id"] == "terms-of-service"
    (change,) = data["changes"]
    assert change["kind"] == "added" and change["old"] is None and "ai-training" in change["topics"]
    older = data["from"]["sha256"]
    again = cli("terms", "diff", "acme", "terms-of-service", "--from", older[:10], "--to", "latest")
    assert again.returncode == 0 and "after:  Notwithstanding the above" in again.stdout
    assert "1 clause change: 1 material and 0 minor about AI training or data use" in again.stdout


def test_diff_shows_a_reworded_clause_as_one_change_with_both_wordings(cli, app_home: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                      server) -> None:
    settings(app_home)
    decl = declaration(tmp_path, server.url("/terms"))
    for text in (AUG_07, AUG_11):
        server.routes["/terms"] = page(plain_page(text))
        assert cli("terms", "check", "acme", "--declaration", decl).returncode == 0
    data = json.loads(cli("terms", "diff", "acme", "--json").stdout)
    promise = next(c for c in data["changes"] if c["new"] and c["new"].startswith("Zoom does not use any of your"))
    assert promise["kind"] == "changed" and promise["old"].startswith("Notwithstanding the above")
    assert promise["severity"] == "material" and "no longer says “without your consent”" in promise["summary"]
    assert any(w["op"] != "equal" and "without your consent" in w["old"] for w in promise["words"])
    lines = cli("terms", "diff", "acme").stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if "no longer says “without your consent”" in line)
    before, after = lines[at + 1], lines[at + 2]
    assert before.startswith("  before: [-Notwithstanding the above, -]Zoom [-will-] not use")
    assert after.startswith("  after:  Zoom {+does+} not use {+any of your +}audio, video")
    assert "without your consent-]" in before and "{+(such as poll results" in after


def test_failed_fetch_exits_1_and_is_in_the_log(cli, app_home: Path, tmp_path: Path, server) -> None:  # type: ignore[no-untyped-def]
    settings(app_home)
    server.routes["/terms"] = Route(body=b"<html>gone</html>", status=404)
    decl = declaration(tmp_path, server.url("/terms"))
    result = cli("terms", "check", "acme", "--declaration", decl)
    assert result.returncode == 1
    assert "FAILED (http-4xx)" in result.stdout and "404" in result.stdout
    log = json.loads(cli("terms", "log", "acme", "--json").stdout)
    (record,) = log["fetches"]
    assert (record["result"], record["status"], record["error_kind"]) == ("failed", 404, "http-4xx")
    assert server.url("/terms") in record["message"]


def test_plain_http_to_the_internet_is_refused(cli, app_home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings(app_home)
    result = cli("terms", "check", "acme", "--declaration", declaration(tmp_path, "http://example.com/terms"))
    assert result.returncode == 1 and "insecure-url" in result.stdout and "http://example.com/terms" in result.stdout


def test_network_switched_off_fetches_nothing(cli, app_home: Path, tmp_path: Path, server) -> None:  # type: ignore[no-untyped-def]
    settings(app_home, network=False)
    server.routes["/terms"] = page(plain_page(MARCH))
    result = cli("terms", "check", "acme", "--declaration", declaration(tmp_path, server.url("/terms")), "--json")
    assert result.returncode == 0, "switched off is skipped, not failed"
    data = json.loads(result.stdout)
    (check,) = data["checks"]
    assert (check["result"], check["error_kind"]) == ("skipped", "network-disabled")
    assert data["summary"].startswith("skipped: network access is switched off")
    assert server.seen == []


def test_first_start_without_network_shows_the_shipped_baseline(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("terms", "log", "zoom", "--json")
    assert result.returncode == 0
    documents = {d["document_id"]: d["versions"] for d in json.loads(result.stdout)["documents"]}
    (terms,) = documents["terms"]
    assert terms["origin"] == "baseline" and terms["version_date"] == "2023-08-11"
    assert "shipped baseline" in cli("terms", "log", "zoom").stdout


def test_network_off_shows_the_shipped_microsoft_baseline_for_teams(cli, app_home: Path) -> None:  # type: ignore[no-untyped-def]
    settings(app_home, network=False)
    result = cli("terms", "log", "teams", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {d["provider_id"] for d in data["documents"]} == {"teams"}
    (terms,) = next(d["versions"] for d in data["documents"] if d["document_id"] == "terms")
    assert terms["origin"] == "baseline" and terms["version_date"] == "2024-09-30"
    assert terms["url"] == "https://www.microsoft.com/en-gb/servicesagreement/"
    assert "1515a9427e4a2678f85c901ca30c09ccf9d120e5" in terms["obtained_from"]
    assert data["fetches"] == [] and data["problems"] == []
    text = cli("terms", "log", "teams").stdout
    assert "teams/terms:" in text and "shipped baseline, text of 2024-09-30" in text


def test_bad_names_exit_2_with_a_readable_message(cli, app_home: Path) -> None:  # type: ignore[no-untyped-def]
    settings(app_home)
    unknown = cli("terms", "check", "nosuchprovider")
    assert unknown.returncode == 2 and "nosuchprovider" in unknown.stderr
    only_baseline = cli("terms", "diff", "zoom", "terms")
    assert only_baseline.returncode == 0, only_baseline.stderr
    assert "Nothing to compare yet" in only_baseline.stdout and "only version kept" in only_baseline.stdout
    assert "'meeting-guard terms check'" in only_baseline.stdout, "says what will make a second version"
    assert json.loads(cli("terms", "diff", "zoom", "terms", "--json").stdout)["from"] is None
    wrong_doc = cli("terms", "diff", "zoom", "nosuchdoc")
    assert wrong_doc.returncode == 2 and "nosuchdoc" in wrong_doc.stderr
    bad_ref = cli("terms", "diff", "zoom", "terms", "--from", "xyz")
    assert bad_ref.returncode == 2 and "not a version" in bad_ref.stderr


def test_a_detection_only_provider_says_plainly_that_no_terms_are_tracked(cli, app_home: Path) -> None:  # type: ignore[no-untyped-def]
    from guard.catalog.loader import load_catalog

    settings(app_home)
    provider = next(p for p in load_catalog() if not p.tracks_terms)
    for action in ("check", "diff", "import", "log"):
        result = cli("terms", action, provider.id)
        assert result.returncode == 0, (action, result.stderr)
        assert f"No terms are tracked for {provider.name} ({provider.id}) yet" in result.stdout, action
        assert "detection only" in result.stdout and "Watched providers" not in result.stderr
    as_json = json.loads(cli("terms", "check", provider.id, "--json").stdout)
    assert as_json["terms_tracked"] is False and as_json["checks"] == []
    assert "No terms are tracked" in as_json["summary"]
