"""``meeting-guard providers``: the list, one provider's report, unknown ids and broken files (real subprocess)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from guard.catalog import load_catalog


def test_list_shows_every_provider_with_counts(cli):
    result = cli("providers", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    rows = {row["id"]: row for row in report["providers"]}
    catalog = load_catalog()
    assert set(rows) == set(catalog.providers)
    zoom = catalog.get("zoom")
    assert rows["zoom"]["features"] == len(zoom.ai_features)
    assert rows["zoom"]["unverified"] == (sum(not f.verified for f in zoom.ai_features)
                                         + sum(not c.verified for c in zoom.clauses)
                                         + int(not zoom.detect.verified))
    ringcentral = catalog.get("ringcentral")
    unverified_items = (sum(not f.verified for f in ringcentral.ai_features)
                        + sum(not c.verified for c in ringcentral.clauses))
    assert not ringcentral.detect.verified and rows["ringcentral"]["unverified"] == unverified_items + 1, \
        "unverified detection counts as one more item"
    assert report["problems"] == []


def test_list_text_has_a_header_and_one_line_per_provider(cli):
    result = cli("providers")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0].split() == ["ID", "NAME", "KIND", "FEATURES", "UNVERIFIED"]
    assert len(lines) == 1 + len(load_catalog())
    assert any(line.startswith("zoom ") for line in lines)


def test_zoom_json_shows_the_2023_clause_history_and_what_is_in_force_today(cli):
    result = cli("providers", "zoom", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["on"] == date.today().isoformat()

    threads = {(t["document"], t["section"]): t["clauses"] for t in report["clause_history"]}
    s104 = threads[("terms", "10.4")]
    assert [c["id"] for c in s104] == ["tos-10-4-2023-03", "tos-10-4-2023-08-07", "tos-10-4-2023-08-11"]
    assert [(c["effective_from"], c["effective_to"]) for c in s104] == [
        ("2023-03-31", "2023-08-11"), ("2023-08-07", "2023-08-11"), ("2023-08-11", None)]
    assert "Notwithstanding the above, Zoom will not use audio, video or chat" in s104[1]["quote"]
    s102 = threads[("terms", "10.2")]
    assert s102[0]["id"] == "tos-10-2-2023-03" and "machine learning or artificial intelligence" in s102[0]["quote"]
    assert s102[0]["verified"] is True and s102[0]["in_force"] is False
    rewrite = next(c for c in s102 if c["id"] == "tos-10-2-2023-08-11-no-training")
    assert "screen sharing, attachments or other communications-like Customer Content" in rewrite["quote"]
    assert rewrite["verified"] is True and rewrite["source"].startswith("https://github.com/OpenTermsArchive/")
    for thread in report["clause_history"]:
        for clause in thread["clauses"]:
            assert clause["source"].startswith("https://") and clause["checked"]

    in_force = {c["id"] for c in report["clauses_in_force"]}
    assert "tos-10-2-2023-08-11-no-training" in in_force
    assert "tos-10-4-2023-08-07" not in in_force and "tos-10-2-2023-03" not in in_force
    features = {f["id"]: f for f in report["features"]}
    assert {"meeting-summary", "meeting-questions", "smart-recording", "team-chat-compose"} <= set(features)
    assert all(isinstance(f["verified"], bool) and f["sources"] for f in report["features"])


def test_on_a_past_day_the_august_7_addition_is_in_force(cli):
    result = cli("providers", "zoom", "--on", "2023-08-08", "--json")
    assert result.returncode == 0, result.stderr
    in_force = {c["id"] for c in json.loads(result.stdout)["clauses_in_force"]}
    assert in_force == {"tos-10-1-2023-03", "tos-10-2-2023-03", "tos-10-4-2023-03", "tos-10-4-2023-08-07"}


def test_text_report_marks_unverified_items(cli):
    result = cli("providers", "zoom", "--on", "2023-08-08")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Clauses in force on 2023-08-08" in out and "Clause history:" in out
    notwithstanding = next(line for line in out.splitlines() if "§ 10.4 [ai-training]" in line)
    assert not notwithstanding.endswith("(unverified)")  # read in the archived 7 August 2023 text
    rewrite = next(line for line in out.splitlines() if "2023-08-11 → now" in line and "§ 10.2 [ai-training]" in line)
    assert "(unverified)" not in rewrite
    assert "who can turn it on: account-admin, host" in out


def test_unknown_provider_is_a_usage_error(cli):
    result = cli("providers", "zoomm")
    assert result.returncode == 2
    assert "'zoomm' is not a provider in the catalog. Did you mean zoom" in result.stderr
    assert result.stdout == ""


def test_broken_user_file_is_reported_on_stderr_and_the_rest_still_shown(cli, app_home: Path):
    folder = app_home / "config" / "catalog"
    folder.mkdir(parents=True)
    (folder / "mine.toml").write_text('id = "mine"\nname = "Mine"\nvendor = "Me"\nkind = "meeting-client"\n'
                                      'homepage = "ftp://nope"\n', encoding="utf-8")
    result = cli("providers", "--json")
    assert result.returncode == 1
    assert str(folder / "mine.toml") in result.stderr and "field 'homepage'" in result.stderr
    rows = {row["id"] for row in json.loads(result.stdout)["providers"]}
    assert "zoom" in rows and "mine" not in rows


def test_user_provider_shows_up_in_the_command(cli, app_home: Path):
    folder = app_home / "config" / "catalog"
    folder.mkdir(parents=True)
    (folder / "mine.toml").write_text('id = "mine"\nname = "Mine"\nvendor = "Me"\nkind = "meeting-client"\n'
                                      'homepage = "https://mine.example/"\n', encoding="utf-8")
    result = cli("providers", "mine", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["provider"]["vendor"] == "Me"


def test_a_provider_without_a_clause_in_force_says_why(cli):
    """Audit round six: 'providers jami' said "Clauses in force on ... (0): none recorded", as if
    its terms had been read and held nothing; its archived policy states no date."""
    out = cli("providers", "jami", "--on", "2026-12-01").stdout
    assert "(0)" not in out.split("Terms documents")[0]
    assert "none: Its terms are watched, but none of their clauses is listed with the date it took effect" in out


def test_a_huge_bad_date_is_cut_in_its_error_hostile(cli):
    """Audit 13: ``--on`` with 5,000 characters that are no date: the error says what to give and quotes the start
    of what was given, cut as other hostile input is (it repeated all of it)."""
    given = "2026-" + "9" * 5_000
    result = cli("providers", "--on", given)
    assert result.returncode == 2
    assert "is not a date: give YYYY-MM-DD" in result.stderr and "'2026-999" in result.stderr
    assert len(result.stderr) < 400 and "9" * 100 not in result.stderr, result.stderr[:500]
