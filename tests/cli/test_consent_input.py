"""Issue 19, recording a consent: nothing wrong is recorded for ever, and every mistake gets a clear answer."""

import json
import re
from datetime import UTC, datetime

import pytest

from guard.cli.status import ExitStatus
from guard.ledger import open_ledger
from guard.paths import app_paths

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def clock() -> datetime:
    return NOW


def records_kept() -> int:
    path = app_paths().data_dir / "ledger.sqlite3"
    if not path.exists():
        return 0
    with open_ledger(app_paths()) as ledger:
        return ledger.count()


def add(cli, *args: str, **kwargs):
    return cli("consent", "add", "--decision", "refused", *args, now=clock, **kwargs)


def test_misspelt_provider_is_refused_with_a_suggestion(cli):
    result = add(cli, "--provider", "zoomm")
    assert result.returncode == ExitStatus.USAGE
    assert "'zoomm' is not a provider in the catalog. Did you mean zoom" in result.stderr
    assert "--allow-unknown" in result.stderr
    assert records_kept() == 0


def test_unknown_feature_is_refused_naming_the_providers_features(cli):
    result = add(cli, "--provider", "zoom", "--feature", "meeting-sumary")
    assert result.returncode == ExitStatus.USAGE
    assert "Zoom" in result.stderr and "no AI feature 'meeting-sumary'" in result.stderr
    assert "Did you mean meeting-summary?" in result.stderr and "smart-recording" in result.stderr
    nosuch = add(cli, "--provider", "zoom", "--feature", "nosuch")
    assert nosuch.returncode == ExitStatus.USAGE and "Did you mean" not in nosuch.stderr
    assert records_kept() == 0, "a letter can never cite 'Feature: nosuch'"


def test_allow_unknown_records_with_a_warning(cli):
    result = add(cli, "--provider", "acme-meet", "--feature", "nosuch", "--allow-unknown", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["record"]["provider_id"] == "acme-meet"
    assert "warning:" in result.stderr and records_kept() == 1


@pytest.mark.parametrize("when", ["2030-01-01", "2026-12-01T10:00Z", "2026-12-02"])
def test_future_times_are_refused(cli, when):
    result = add(cli, "--provider", "zoom", "--occurred-at", when)
    assert result.returncode == ExitStatus.USAGE
    assert "--occurred-at" in result.stderr and "is in the future" in result.stderr
    assert records_kept() == 0


def test_a_few_minutes_of_clock_skew_is_not_the_future(cli):
    assert add(cli, "--provider", "zoom", "--occurred-at", "2026-12-01T09:03Z").returncode == 0


def test_withdrawal_in_the_future_is_refused(cli):
    given = json.loads(cli("consent", "add", "--provider", "zoom", "--decision", "given", "--json", now=clock).stdout)
    result = cli("consent", "withdraw", given["record"]["id"], "--occurred-at", "2031-05-01", now=clock)
    assert result.returncode == ExitStatus.USAGE and "is in the future" in result.stderr
    assert records_kept() == 1


def given(cli) -> dict:
    result = cli("consent", "add", "--provider", "zoom", "--decision", "given", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["record"]


def test_withdraw_by_list_number(cli):
    first, second = given(cli), given(cli)
    result = cli("consent", "withdraw", f"#{second['seq']}", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["record"]["refers_to"] == second["id"] != first["id"]
    missing = cli("consent", "withdraw", "#99")
    assert missing.returncode == ExitStatus.USAGE and "no record #99" in missing.stderr



def test_a_bare_list_number_is_answered_with_the_quoted_form(cli):
    """`consent withdraw #2` typed in a shell arrives as nothing at all (# starts a comment), and
    `consent withdraw 2` was answered "'2' is not a record id": the user never learnt to quote it."""
    given(cli)
    bare = cli("consent", "withdraw", "1")
    assert bare.returncode == ExitStatus.USAGE
    assert "for record number 1, write '#1' in quotes" in bare.stderr
    lost = cli("consent", "withdraw", "--help")
    assert "'#N' in quotes" in " ".join(lost.stdout.split())

def test_withdraw_by_unique_id_prefix(cli):
    record = given(cli)
    result = cli("consent", "withdraw", record["id"][:8], "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["record"]["refers_to"] == record["id"]
    upper = cli("consent", "withdraw", record["id"].upper())
    assert upper.returncode == ExitStatus.USAGE and "only a consent that is in force" in upper.stderr


def test_ambiguous_prefix_is_refused(cli, monkeypatch):
    records = [given(cli) for _ in range(17)]  # 17 ids, 16 hex digits: two share their first character
    firsts = [r["id"][0] for r in records]
    shared = next(c for c in firsts if firsts.count(c) > 1)
    monkeypatch.setattr("guard.cli.records.MIN_PREFIX", 1)
    result = cli("consent", "withdraw", shared)
    assert result.returncode == ExitStatus.USAGE and f"more than one record id starts with '{shared}'" in result.stderr


def test_correction_refers_to_a_record_by_number(cli):
    record = given(cli)
    result = cli("consent", "add", "--provider", "zoom", "--decision", "refused", "--refers-to", "#1", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["record"]["refers_to"] == record["id"]


@pytest.mark.parametrize("argv, option", [
    (("providers", "zoom", "--on", "2023-13-45"), "--on"),
    (("consent", "list", "--from", "2026-13-01"), "--from"),
    (("consent", "add", "--provider", "zoom", "--decision", "given", "--occurred-at", "1.5.2026"), "--occurred-at"),
    (("consent", "export", "--format", "csv", "-o", "x.csv", "--to", "tomorrow"), "--to"),
])
def test_date_errors_name_the_accepted_forms(cli, argv, option):
    result = cli(*argv)
    assert result.returncode == ExitStatus.USAGE
    assert option in result.stderr and "fromisoformat" not in result.stderr
    assert "2026-05-01" in result.stderr, "an example of the accepted form"


def test_plurals_read_right(cli):
    given(cli)
    assert cli("consent", "list").stdout.splitlines()[-1] == "1 record"
    given(cli)
    assert cli("consent", "list").stdout.splitlines()[-1] == "2 records"


def nesting(text: str) -> int:
    depth = deepest = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        deepest = max(deepest, depth)
    return deepest


def test_empty_ledger_verify_reads_without_nested_parentheses(cli):
    result = cli("consent", "verify")
    assert result.returncode == 0
    assert "Intact: no records yet." in result.stdout
    for line in result.stdout.splitlines():
        assert nesting(line) <= 1, line


def test_list_shows_hostile_titles_inert(cli):
    title = "Standup \x1b]0;owned\x07\x1b[2J\x9b31m\u202egnp.exe\u2028next line"
    cli("consent", "add", "--provider", "zoom", "--decision", "given", "--meeting-title", title)
    out = cli("consent", "list").stdout
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]", out), repr(out)
    assert "\\x1b]0;owned\\x07" in out and "\\u202e" in out
    assert len(out.splitlines()) == 2, "the title stays on its line"
    listed = json.loads(cli("consent", "list", "--json").stdout)
    assert listed["records"][0]["meeting"]["title"] == title, "JSON keeps the exact value"
    raw = cli("consent", "list", "--json").stdout
    assert "\x9b" not in raw and "\u202e" not in raw and "\x1b" not in raw


def test_the_language_the_consent_was_asked_in_is_recorded_in_its_bcp47_form_or_refused_by_name(cli):
    result = add(cli, "--provider", "zoom", "--language", "PT-br", "--json")
    assert result.returncode == ExitStatus.OK, result.stderr
    assert json.loads(result.stdout)["record"]["language"] == "pt-BR"
    without = json.loads(add(cli, "--provider", "zoom", "--json").stdout)["record"]
    assert "language" not in without  # not recorded, rather than a guess
    result = add(cli, "--provider", "zoom", "--language", "Deutsch")
    assert result.returncode != ExitStatus.OK
    assert "language" in result.stderr and "BCP 47" in result.stderr and records_kept() == 2


def test_a_withdrawal_keeps_the_language_it_was_made_in_when_given(cli):
    given = json.loads(cli("consent", "add", "--provider", "zoom", "--decision", "given", "--json", now=clock).stdout)
    result = cli("consent", "withdraw", given["record"]["id"], "--language", "fr", "--json", now=clock)
    assert result.returncode == ExitStatus.OK, result.stderr
    assert json.loads(result.stdout)["record"]["language"] == "fr"
