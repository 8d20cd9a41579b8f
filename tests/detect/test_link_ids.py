"""Which meeting a link names in all its forms (guard.detect.link_ids), and a tab that walks through them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from guard.detect.identity import same_address
from guard.detect.link_ids import meeting_id
from guard.detect.observation import Observation
from guard.detect.sessions import SessionRules, SessionState, advance
from guard.events import MeetingEnded, MeetingStarted, Signal

TEAMS_THREAD = "19:meeting_NjA0YjE3ZTMtOGQ5Zi00YjY1LWE3ZTgtMmQ0YzFmOWUwYjNh@thread.v2"


@pytest.mark.parametrize(("url", "named"), [
    ("https://us02web.zoom.us/j/81234567890?pwd=abc", "zoom:81234567890"),
    ("https://app.zoom.us/wc/81234567890/join?fromPWA=1", "zoom:81234567890"),
    ("https://zoom.us/wc/join/81234567890", "zoom:81234567890"),
    ("https://acme.zoom.us/s/81234567890?zak=x", "zoom:81234567890"),
    ("https://zoom.us/join?confno=81234567890&pwd=abc", "zoom:81234567890"),
    ("zoommtg://zoom.us/join?action=join&confno=81234567890", "zoom:81234567890"),
    ("https://teams.microsoft.com/meet/2349876501234?p=Hq7m", "teams:2349876501234"),
    ("https://teams.microsoft.com/dl/launcher/launcher.html?url=/_#/meet/2349876501234?p=Hq7m&anon=true",
     "teams:2349876501234"),
    ("https://teams.microsoft.com/v2/?meetingjoin=true#/meet/2349876501234?p=Hq7m&anon=true", "teams:2349876501234"),
    ("https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjA0YjE3ZTMtOGQ5Zi00YjY1LWE3ZTgtMmQ0YzFmOWUwYjNh%40thread.v2/0"
     "?context=%7b%7d", f"teams:{TEAMS_THREAD.casefold()}"),
    ("https://teams.microsoft.com/dl/launcher/launcher.html?url=%2F_%23%2Fl%2Fmeetup-join%2F19%3Ameeting_NjA0YjE3ZTMtOGQ5Zi"
     "00YjY1LWE3ZTgtMmQ0YzFmOWUwYjNh%40thread.v2%2F0%3Fcontext%3D%257b%257d&type=meetup-join",
     f"teams:{TEAMS_THREAD.casefold()}"),
    ("https://teams.microsoft.com/v2/_#/pre-join-calling/" + TEAMS_THREAD, f"teams:{TEAMS_THREAD.casefold()}"),
    ("https://teams.live.com/v2/#/modern-calling/" + TEAMS_THREAD + "/0", f"teams:{TEAMS_THREAD.casefold()}"),
    ("https://teams.microsoft.com/v2/#/modern-calling/19%3ameeting_NjA0YjE3ZTMtOGQ5Zi00YjY1LWE3ZTgtMmQ0YzFmOWUwYjNh"
     "%40thread.v2/0", f"teams:{TEAMS_THREAD.casefold()}"),
    ("https://teams.live.com/v2/#/modern-calling/19:8f3a2b1c9d4e@thread.v2", None),  # a chat's thread: no meeting
    ("https://meet.google.com/abc-defg-hij?authuser=0", "meet:abc-defg-hij"),
    ("https://meet.google.com/_meet/abc-defg-hij?ijlm=1", "meet:abc-defg-hij"),
    ("https://meet.google.com/lookup/BIOLOGY7b", "meet:?lookup/biology7b"),
    ("https://g.co/meet/biology7b", "meet:?/meet/biology7b"),
    ("https://acme.zoom.us/my/ada.lovelace", "zoom:?my/ada.lovelace"),
    ("https://meet.google.com/landing", None),
    ("https://zoom.us/j/not-digits", None),
    ("https://zoom.us.evil.example/j/81234567890", None),
    ("https://teams.microsoft.com.evil.example/meet/2349876501234?p=x", None),
    ("https://meet.jit.si/Room", None),
    ("", None),
    ("https://[::1", None),
])
def test_a_link_names_its_meeting_in_any_form(url, named):
    assert meeting_id(url) == named


def test_one_meetings_forms_are_one_address_and_two_meetings_are_two():
    assert same_address("https://us02web.zoom.us/j/81234567890?pwd=abc", "https://app.zoom.us/wc/81234567890/join")
    assert not same_address("https://zoom.us/j/81234567890", "https://zoom.us/j/81234567891")
    assert same_address("https://teams.microsoft.com/meet/2349876501234?p=Hq7m",
                        "https://teams.microsoft.com/v2/?meetingjoin=true#/meet/2349876501234?p=Hq7m&anon=true")
    # a join link, then the web client's pre-join and call screens of the same thread: one meeting
    join = "https://teams.microsoft.com/l/meetup-join/" + TEAMS_THREAD.replace(":", "%3a").replace("@", "%40") + "/0"
    assert same_address(join, "https://teams.microsoft.com/v2/_#/pre-join-calling/" + TEAMS_THREAD)
    assert same_address(join, "https://teams.microsoft.com/v2/#/modern-calling/" + TEAMS_THREAD + "/0")
    assert not same_address(join, "https://teams.microsoft.com/v2/#/modern-calling/19:meeting_T3RoZXI@thread.v2/0")
    assert same_address("https://meet.jit.si/Room?x=1", "https://meet.jit.si/Room")  # no id: compared as written
    # a nickname or personal link lands on the meeting it redirects to, of its own provider only
    assert same_address("https://meet.google.com/lookup/biology7b", "https://meet.google.com/abc-defg-hij?authuser=1")
    assert same_address("https://acme.zoom.us/my/ada.lovelace", "https://acme.zoom.us/j/81234567890?pwd=x")
    assert not same_address("https://acme.zoom.us/my/ada.lovelace", "https://meet.google.com/abc-defg-hij")
    assert not same_address("https://meet.google.com/abc-defg-hij", "https://meet.google.com/xyz-abcd-efg")


def test_a_hostile_link_is_read_in_bounded_time():
    named = meeting_id("https://zoom.us/j/" + "9" * 1_000_000)
    assert named is not None and len(named) < 2_100  # read up to 2,000 characters
    assert meeting_id("https://teams.microsoft.com/" + "%25" * 200_000) is None


def test_a_tab_walking_from_zoom_s_join_page_to_its_web_client_stays_one_meeting():
    """Zoom's /j/<id> page hands the tab to its web client at /wc/<id>/join: the same meeting, not a new one."""
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def tab(url: str, tick: int) -> Observation:
        when = start + timedelta(seconds=2 * tick)
        return Observation("zoom", Signal.BROWSER_TAB, 300, f"tab chromium/7 shows {url}", when,
                           meeting=True, title="Zoom", url=url, tab="chromium/7", active=True)

    state, events = SessionState(), []
    urls = ["https://us02web.zoom.us/j/81234567890?pwd=abc", "https://us02web.zoom.us/wc/81234567890/join?pwd=abc",
            "https://us02web.zoom.us/wc/81234567890/join?pwd=abc&fromPWA=1"]
    for tick, url in enumerate(urls):
        state, new = advance(state, [tab(url, tick)], start + timedelta(seconds=2 * tick), SessionRules())
        events += new
    assert [type(event) for event in events if isinstance(event, MeetingStarted | MeetingEnded)] == [MeetingStarted]


def _walk(urls: list[str], provider: str = "zoom") -> list[type]:
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    state, events = SessionState(), []
    for tick, url in enumerate(urls):
        when = start + timedelta(seconds=2 * tick)
        seen = Observation(provider, Signal.BROWSER_TAB, 300, f"tab chromium/7 shows {url}", when,
                           meeting=True, title="Meeting", url=url, tab="chromium/7", active=True)
        state, new = advance(state, [seen], when, SessionRules())
        events += new
    return [type(event) for event in events if isinstance(event, MeetingStarted | MeetingEnded)]


def test_a_personal_link_opened_in_a_meetings_tab_starts_another_meeting_hostile():
    """A personal or nickname link is taken for the meeting it redirects to, but only as the tab's next step:
    opened in the tab of a meeting already named (or after another person's link), it leads to another
    meeting, whose notice is a new question. Taken for the same one, a host's /my/<name> link sent to a
    participant in a call carried the first meeting's decision into the second."""
    one = [MeetingStarted]
    two = [MeetingStarted, MeetingEnded, MeetingStarted]
    assert _walk(["https://acme.zoom.us/my/ada.lovelace", "https://acme.zoom.us/j/81234567890?pwd=x",
                  "https://acme.zoom.us/wc/81234567890/join"]) == one
    assert _walk(["https://acme.zoom.us/j/81234567890", "https://acme.zoom.us/my/grace.hopper",
                  "https://acme.zoom.us/j/89999999999"]) == two
    assert _walk(["https://acme.zoom.us/my/ada.lovelace", "https://acme.zoom.us/my/grace.hopper"]) == two
    assert _walk(["https://meet.google.com/abc-defg-hij", "https://meet.google.com/lookup/biology7b",
                  "https://meet.google.com/xyz-abcd-efg"], "google-meet") == two
    assert _walk(["https://meet.google.com/lookup/biology7b", "https://meet.google.com/abc-defg-hij"],
                 "google-meet") == one


def test_a_teams_link_is_the_meeting_its_path_or_route_names_not_one_in_another_parameter_hostile():
    """A Teams link is the meeting its path, its launcher's url= or its fragment's route names: another
    parameter can carry any meeting's id, and read first it made an organiser's link to meeting B the same
    meeting as A in a tab that walked from A to B (A's session, and its notifications, went on)."""
    thread_b = "19:meeting_QkJCQkJCQkJC@thread.v2"
    hostile = f"https://teams.microsoft.com/l/meetup-join/{thread_b}/0?context=%7b%7d&x=/meet/2349876501234"
    assert meeting_id(hostile) == f"teams:{thread_b.casefold()}"
    assert not same_address("https://teams.microsoft.com/meet/2349876501234?p=Hq7m", hostile)
    routed = "https://teams.microsoft.com/v2/?x=%2Fmeet%2F2349876501234#/meet/2340000000000?p=Zz9"
    assert meeting_id(routed) == "teams:2340000000000"
    app_link = "msteams:/l/meetup-join/19%3ameeting_QkJCQkJCQkJC%40thread.v2/0"
    assert meeting_id(app_link) == f"teams:{thread_b.casefold()}"
