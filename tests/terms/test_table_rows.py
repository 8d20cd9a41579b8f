"""A table row is read by its own cells, each with its column's header (guard/terms/table_rows.py):
a tracker or recipient added to or dropped from a cookie, tracker or sub-processor table names who
receives data and what the tracker collects, but a header never gives a row a topic alone, and a
changed row is read by the cells that changed. The tables here are written in the shape of the
dev corpus's cookie and processor tables (resources/terms/README.md, "Thirteenth session: table
rows"), not copied from them. The shipped rules are used."""

from __future__ import annotations

import tomllib

import pytest

from guard.terms.analysis import analyse
from guard.terms.classify import Severity
from guard.terms.diff import split_clauses
from guard.terms.rules import RulesError, default_rules_path, load_rules, parse_rules
from guard.terms.table_rows import read_row, row_cells, table_headers

RULES = load_rules()
SHARING = "third-party-sharing"
GENERATED = "service-generated-data"

TRACKERS = """## Cookies we use

| Type | Name | Third party | Purpose | Duration |
| --- | --- | --- | --- | --- |
| Cookie | sid | First party | Keeps you signed in | session |
{rows}
"""

CCPA = """## Disclosures

| Category of personal information | Category of recipients |
| --- | --- |
| {category} | Service providers; our affiliates |
| Commercial information | Service providers |
"""


def _changes(old: str, new: str) -> list[tuple[str, tuple[str, ...], Severity]]:
    return [(change.diff.kind.value, change.topics, change.severity) for change in analyse(old, new, RULES)
            if change.relevant]


def test_a_tracker_row_naming_its_third_party_is_sharing_and_generated_data() -> None:
    old = TRACKERS.format(rows="")
    row = "| Beacon | _xa, _xb | Example Metrics (https://metrics.example/privacy) | Analytics | 2 years |"
    new = TRACKERS.format(rows=row)
    [(kind, topics, severity)] = _changes(old, new)
    assert kind == "added"
    assert SHARING in topics and GENERATED in topics
    assert severity is Severity.MATERIAL


def test_a_dropped_tracker_row_reads_the_same() -> None:
    new = TRACKERS.format(rows="")
    old = TRACKERS.format(rows="| Script | rt_id | New Metrics Corp | System monitoring | session |")
    [(kind, topics, _)] = _changes(old, new)
    assert kind == "removed" and SHARING in topics and GENERATED in topics


def test_a_first_party_tracker_names_no_recipient() -> None:
    old = TRACKERS.format(rows="")
    new = TRACKERS.format(rows="| Local storage | grid_size | First party | Remembers the grid size | persistent |")
    [(_, topics, _)] = _changes(old, new)
    assert GENERATED in topics and SHARING not in topics


@pytest.mark.parametrize("cell", ["N/A", "-", "First-party", "none", "Sharing for Targeted Advertising"])
def test_a_cell_that_names_no_one_outside_is_no_party(cell: str) -> None:
    old = "| Data | Recipient |\n| --- | --- |\n| Name | Example Pay Ltd |\n"
    new = f"{old}| Device data | {cell} |\n"
    clauses = split_clauses(new)
    headers = table_headers(clauses)
    reading = read_row(None, clauses[-1], None, headers[clauses[-1].index], RULES)
    assert reading.parties == ()


@pytest.mark.parametrize("cell", ["Example Pay Ltd", "Orbit Analytics", "Stripeling", "metrics.example.com",
                                  "advertising partners", "adtech (https://adtech.example/privacy)"])
def test_a_cell_that_names_a_company_under_a_recipients_column_is_sharing(cell: str) -> None:
    text = f"| Data | Recipient |\n| --- | --- |\n| Device data | {cell} |\n"
    clauses = split_clauses(text)
    reading = read_row(None, clauses[-1], None, table_headers(clauses)[clauses[-1].index], RULES)
    assert reading.parties == (f"Recipient: {cell}",)
    assert SHARING in reading.topics


def test_a_header_gives_no_topic_to_a_row_whose_cells_do_not_say_it() -> None:
    # the same company under a column that is not about who receives data
    text = "| Data | Purpose |\n| --- | --- |\n| Device data | Example Pay Ltd |\n"
    clauses = split_clauses(text)
    reading = read_row(None, clauses[-1], None, table_headers(clauses)[clauses[-1].index], RULES)
    assert SHARING not in reading.topics


def test_a_changed_row_whose_recipients_did_not_change_is_not_sharing() -> None:
    # a long CCPA table that re-lists the same recipients on every row: a row whose category
    # changed names no new recipient
    old = split_clauses(CCPA.format(category="Identifiers, such as your name"))
    new = split_clauses(CCPA.format(category="Geolocation data, such as your precise location"))
    reading = read_row(old[-2], new[-2], table_headers(old)[old[-2].index], table_headers(new)[new[-2].index], RULES)
    assert reading.parties == () and SHARING not in reading.topics


def test_a_changed_row_whose_recipient_changed_is_sharing() -> None:
    old = "| Processor | Purpose |\n| --- | --- |\n| Old Host Inc. | Hosting |\n"
    new = "| Processor | Purpose |\n| --- | --- |\n| Cloudfront Hosting GmbH | Hosting |\n"
    clauses_old, clauses_new = split_clauses(old), split_clauses(new)
    reading = read_row(clauses_old[-1], clauses_new[-1], table_headers(clauses_old)[clauses_old[-1].index],
                       table_headers(clauses_new)[clauses_new[-1].index], RULES)
    assert reading.parties == ("Processor: Cloudfront Hosting GmbH", "Processor: Old Host Inc.")


def test_a_table_of_fields_and_values_reads_each_row_by_its_first_cell() -> None:
    old = "Data processors:\n\n|     |     |\n| --- | --- |\n| **Purpose** | Local representation |\n"
    new = old + "| **Processor** | Kim & Partners LLC (02-0000-0000) |\n"
    [(kind, topics, severity)] = _changes(old, new)
    assert kind == "added" and SHARING in topics and severity is Severity.MATERIAL


def test_a_cookie_named_under_a_cookie_column_is_generated_data() -> None:
    old = "| Cookie name | Purpose | Expiry |\n| --- | --- | --- |\n| sid | Keeps you signed in | session |\n"
    new = old + "| _vx | Measures visits | 13 months |\n"
    [(_, topics, _)] = _changes(old, new)
    assert GENERATED in topics


def test_the_header_row_is_not_a_row() -> None:
    clauses = split_clauses("| Cookie | Provider |\n| --- | --- |\n| _ga | Example Metrics |\n")
    headers = table_headers(clauses)
    assert clauses[0].index not in headers
    assert headers[clauses[-1].index] == ("Cookie", "Provider")
    assert read_row(None, clauses[0], None, None, RULES).topics == ()


def test_a_flattened_table_is_not_read_as_one_row() -> None:
    assert row_cells("| A | B | | --- | --- | | c | d |") is None
    assert row_cells("| Cookie | _ga |") == ("Cookie", "_ga")


def test_a_table_rule_that_is_not_a_table_is_refused() -> None:
    data = tomllib.loads(default_rules_path().read_text(encoding="utf-8"))
    data["table"] = ["party_headers"]
    with pytest.raises(RulesError, match=r"\[table\]"):
        parse_rules(data, default_rules_path())


CONSENT_LIST = """Performance cookies

| Domain | Cookies | Used as |
| --- | --- | --- |
| example.com | sid, prefs | 1st Party |
{rows}
"""


def test_a_tracker_row_whose_own_cell_says_third_party_names_its_recipient() -> None:
    old = CONSENT_LIST.format(rows="")
    new = CONSENT_LIST.format(rows="| metrics.example.net | _xid, _xsync | 3rd Party |")
    [(kind, topics, severity)] = _changes(old, new)
    assert kind == "added" and SHARING in topics and GENERATED in topics and severity is Severity.MATERIAL


def test_a_first_party_tracker_row_of_a_consent_list_is_not_sharing() -> None:
    old = CONSENT_LIST.format(rows="")
    new = CONSENT_LIST.format(rows="| help.example.com | _lang | 1st Party |")
    [(_, topics, _)] = _changes(old, new)
    assert GENERATED in topics and SHARING not in topics


def _read_changed(old_row: str, new_row: str) -> tuple[str, ...]:
    old, new = split_clauses(CONSENT_LIST.format(rows=old_row)), split_clauses(CONSENT_LIST.format(rows=new_row))
    return read_row(old[-1], new[-1], table_headers(old)[old[-1].index], table_headers(new)[new[-1].index],
                    RULES).topics


def test_a_third_party_tracker_given_other_cookies_is_sharing_and_generated_data() -> None:
    topics = _read_changed("| ads.example.net | uid | 3rd Party |",
                           "| ads.example.net | uid, uid_sync, ar_debug | 3rd Party |")
    assert SHARING in topics and GENERATED in topics


def test_a_tracker_that_became_a_third_partys_is_sharing() -> None:
    assert SHARING in _read_changed("| cdn.example.com | lb | 1st Party |", "| cdn.example.com | lb | 3rd Party |")


def test_a_third_party_marker_outside_a_tracker_table_names_no_one() -> None:
    text = "| Data | Used as |\n| --- | --- |\n| Contact details | Third party |\n"
    clauses = split_clauses(text)
    assert read_row(None, clauses[-1], None, table_headers(clauses)[clauses[-1].index], RULES).topics == ()


def test_a_short_changed_row_is_read_not_taken_for_a_heading() -> None:
    old = CONSENT_LIST.format(rows="| ads.example.net | uid | 3rd Party |")
    new = CONSENT_LIST.format(rows="| ads.example.net | uid, uid_sync, ar_debug | 3rd Party |")
    [(kind, topics, _)] = _changes(old, new)
    assert kind == "changed" and SHARING in topics and GENERATED in topics


def test_a_title_row_that_mentions_third_parties_is_no_recipients_column() -> None:
    # a table whose first row is a title, not column names: the row after it names the columns
    text = ("| Feedback provided via a third-party platform |  |\n| Data | Reasons for processing |\n"
            "| Survey Answers | To improve the app |\n")
    clauses = split_clauses(text)
    headers = table_headers(clauses)
    assert clauses[1].index not in headers and headers[clauses[-1].index] == ("Data", "Reasons for processing")
    assert read_row(None, clauses[-1], None, headers[clauses[-1].index], RULES).parties == ()
