"""For how long a link on a command line counts as a meeting (guard.detect.links), with plain values.

Issue 14: a browser started with a Jitsi link kept being reported in a Jitsi meeting after that
tab closed. The rule: a link counts while its process is young (the page is opening), or while
the same browser instance shows that meeting's title or holds the microphone or camera; then
it is retired for good.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from guard.detect.links import LINK_GRACE, CommandLineLinks
from guard.events import Signal

STARTED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
JITSI = ("jitsi-meet", "https://meet.jit.si/WeeklyStandup")


def _links(tracker: CommandLineLinks, *extra):
    processes = [(100, STARTED.timestamp(), 100, "chromium", (JITSI,)), *extra]
    return tracker.pending(processes)


def test_a_link_counts_while_the_browser_is_opening():
    tracker = CommandLineLinks()
    (obs,) = tracker.observations(_links(tracker), STARTED + timedelta(seconds=5), shown=set(), held=set())
    assert obs.signal == Signal.COMMAND_LINE and obs.provider_id == "jitsi-meet" and obs.pid == 100
    assert obs.url == JITSI[1]


def test_a_link_counts_while_its_meeting_title_shows_or_the_browser_holds_the_microphone():
    tracker = CommandLineLinks()
    later = STARTED + LINK_GRACE * 4
    assert tracker.observations(_links(tracker), later, shown={(100, "jitsi-meet")}, held=set())
    assert tracker.observations(_links(tracker), later, shown=set(), held={(100, "jitsi-meet")})


def test_once_the_tab_is_gone_the_link_is_retired_for_good():
    tracker = CommandLineLinks()
    later = STARTED + LINK_GRACE * 4
    assert tracker.observations(_links(tracker), later, shown={(100, "jitsi-meet")}, held=set())
    assert tracker.observations(_links(tracker), later, shown=set(), held=set()) == []
    assert _links(tracker) == [], "a retired link is not even pending"
    assert tracker.observations(_links(tracker), later, shown={(100, "jitsi-meet")}, held=set()) == []


def test_a_browser_started_long_ago_with_a_link_is_no_meeting():
    tracker = CommandLineLinks()
    assert tracker.observations(_links(tracker), STARTED + timedelta(hours=3), shown=set(), held=set()) == []


def test_another_meeting_in_the_same_browser_does_not_keep_the_link():
    tracker = CommandLineLinks()
    later = STARTED + LINK_GRACE * 4
    assert tracker.observations(_links(tracker), later, shown={(100, "google-meet")}, held=set()) == []


def test_a_helper_started_with_the_browsers_command_line_adds_nothing():
    tracker = CommandLineLinks()
    helper = (101, STARTED.timestamp(), 100, "chromium", (JITSI,))
    (link,) = _links(tracker, helper)
    assert link.pid == 100, "one link per browser instance, from its own process"


def test_a_new_process_with_the_same_pid_starts_afresh():
    tracker = CommandLineLinks()
    later = STARTED + LINK_GRACE * 4
    assert tracker.observations(_links(tracker), later, shown=set(), held=set()) == []
    reused = (100, later.timestamp(), 100, "chromium", (JITSI,))
    assert tracker.observations(tracker.pending([reused]), later, shown=set(), held=set())


def test_a_personal_rooms_link_is_reported_without_its_owners_name():
    tracker = CommandLineLinks()
    room = ("webex", "https://acme.webex.com/meet/ada.lovelace")
    links = tracker.pending([(100, STARTED.timestamp(), 100, "chromium", (room,))])
    (obs,) = tracker.observations(links, STARTED + timedelta(seconds=5), shown=set(), held=set())
    assert "lovelace" not in (obs.url or "") and "lovelace" not in obs.detail
    assert (obs.url or "").startswith("https://acme.webex.com/meet/redacted-")
