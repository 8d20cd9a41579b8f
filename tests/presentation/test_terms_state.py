"""The terms check's state line, from the fetch log (plain values)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from guard.presentation.terms_state import network_off_line, no_change_line, terms_state_line
from guard.terms.models import FetchRecord, FetchResult

AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def record(doc: str, result: FetchResult, kind: str | None = None, minutes: int = 0,
           source: str = "provider") -> FetchRecord:
    return FetchRecord(AT + timedelta(minutes=minutes), "zoom", doc, "https://zoom.us/terms", result, error_kind=kind,
                       source=source)


def test_failures_logged_without_a_finished_check_are_never_not_checked_yet() -> None:
    line = terms_state_line(None, [record("terms", FetchResult.FAILED, "timeout")], network_enabled=True)
    assert line.startswith("Last check") and "1 of 1 document could not be fetched" in line


def test_offline_and_switched_off_say_so() -> None:
    offline = [record("a", FetchResult.SKIPPED, "offline"), record("b", FetchResult.FAILED, "offline")]
    assert terms_state_line(AT, offline, network_enabled=True).endswith("offline, 2 documents not checked.")
    off = [record("a", FetchResult.SKIPPED, "network-disabled")]
    assert terms_state_line(AT, off, network_enabled=False).endswith("skipped, network access is switched off.")
    assert terms_state_line(None, [], network_enabled=False) == "Not checked: network access is switched off."
    assert terms_state_line(None, [], network_enabled=True) == "Not checked yet."


def test_progress_while_a_check_runs_and_only_the_last_run_counts() -> None:
    assert terms_state_line(AT, [], network_enabled=True, checking=(3, 20)) == "Checking terms: 3 of 20 documents…"
    log = [record("a", FetchResult.UNCHANGED, minutes=600), record("b", FetchResult.NEW_VERSION, minutes=600),
           record("a", FetchResult.FAILED, "timeout")]  # newest first; the failure was the day before
    assert terms_state_line(AT, log, network_enabled=True).endswith(": 2 documents checked.")
    archive_then_page = [record("a", FetchResult.NEW_VERSION), record("a", FetchResult.FAILED, "rate-limited",
                                                                      source="archive")]
    assert terms_state_line(AT, archive_then_page, network_enabled=True).endswith(": 1 document checked.")


def test_network_off_says_it_once_with_the_last_real_check_and_the_box_to_tick() -> None:
    skipped = record("a", FetchResult.SKIPPED, "network-disabled", minutes=60)
    never = network_off_line([skipped])
    assert never.count("switched off") == 1 and "last check" not in never
    assert never.endswith("tick “Fetch public terms pages and time stamps you ask for” under Terms watching in "
                          "Preferences.")
    earlier = network_off_line([skipped, record("a", FetchResult.UNCHANGED)])
    assert "(last check " in earlier and earlier.count("switched off") == 1


def test_checks_close_together_count_each_document_once() -> None:
    # Check now pressed twice while offline, then one document checked again: the app watches
    # three documents here, so the line never says more than three (it said "offline, 200").
    log = [record("a", FetchResult.NEW_VERSION, minutes=10),
           *(record(doc, FetchResult.SKIPPED, "offline", minutes=5) for doc in ("b", "c")),
           record("a", FetchResult.FAILED, "offline", minutes=5),
           *(record(doc, FetchResult.SKIPPED, "offline") for doc in ("b", "c")),
           record("a", FetchResult.FAILED, "offline")]
    assert terms_state_line(AT, log, network_enabled=True).endswith("offline, 2 documents not checked.")
    failed_twice = [record("a", FetchResult.FAILED, "timeout", minutes=5), record("a", FetchResult.FAILED, "timeout"),
                    record("b", FetchResult.UNCHANGED)]
    assert "1 of 2 documents could not be fetched" in terms_state_line(AT, failed_twice, network_enabled=True)


def test_no_change_is_claimed_only_after_a_check_reached_a_page() -> None:
    # The Overview said "No watched document has changed since the versions shipped with the app"
    # on the first start and after a check that found the computer offline: nothing was known.
    never = no_change_line(None, [], network_enabled=True)
    assert never == ("No terms page has been fetched yet, so changes since the versions shipped with the app are not "
                     "known. Not checked yet.")
    offline = no_change_line(AT, [record("a", FetchResult.SKIPPED, "offline")], network_enabled=True)
    assert "not known" in offline and offline.endswith("offline, 1 document not checked.")
    switched_off = no_change_line(None, [], network_enabled=False)
    assert "not known" in switched_off and "tick “Fetch public terms pages" in switched_off
    reached = no_change_line(AT, [record("a", FetchResult.UNCHANGED)], network_enabled=True)
    assert reached.startswith("No watched document has changed since the versions shipped with the app. Last check")
