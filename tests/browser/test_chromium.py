"""Real Chromium with the extension: meeting tabs opened in the running browser reach the app.

One Chromium for the module (its default profile in a private home, the host registered with
``meeting-guard browser install``, the extension loaded with ``--load-extension``); the real
meeting hostnames resolve to the local site (``--host-resolver-rules``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from guard.detect.browser_tabs import BrowserTabs
from guard.detect.redaction import pseudonym_with, redact_url
from guard.detect.windows.linux_x11 import X11WindowLister
from guard.events import Signal
from tests.browser.conftest import Lobby, World, chromium_world, observe
from tests.browser.support.browsers import CHROMIUM, wait_for
from tests.browser.support.site import LOCAL, TITLES, Page

pytestmark = pytest.mark.desktop

MEET = "https://meet.google.com/abc-defg-hij"
ZOOM = "https://zoom.us/wc/81234567890/join"


@pytest.fixture(scope="module")
def world(tmp_path_factory, desktop, site, pulse):
    with chromium_world(tmp_path_factory.mktemp("chromium"), desktop, site, pulse) as running:
        yield running


def test_a_meeting_opened_in_the_running_browser_reaches_the_app(world):
    world.site.pages[("meet.google.com", "/abc-defg-hij")] = Page(TITLES["google-meet"][0])
    probe = BrowserTabs(world.state_folder)
    world.browser.open(MEET + "?authuser=0&pwd=SECRET")
    # Meet's page can show its green room: the tab counts once its content script has said it does not.
    entry = world.wait_tab(MEET + "?authuser=0&pwd=…", lambda e: e["tab"]["title"] == "Meet – abc-defg-hij"
                           and e["tab"].get("lobby") is False)
    assert entry["tab"]["active"] is True and entry["tab"]["providers"] == ["google-meet"]
    (state,) = world.states()
    assert state["browser"] == "chromium" and state["browser_pid"] == world.browser.pid
    assert "SECRET" not in json.dumps(world.states())

    (tab,) = [o for o in observe(probe) if o.signal == Signal.BROWSER_TAB]
    assert (tab.provider_id, tab.active, tab.meeting, tab.closed) == ("google-meet", True, True, False)
    assert tab.tab == f"chromium/{entry['tab']['id']}" and tab.pid == world.browser.pid
    assert "Chromium tab 'Meet – abc-defg-hij' (in the foreground" in tab.detail

    status = {b["id"]: b for b in json.loads(world.cli("browser", "status", "--json").stdout)["browsers"]}
    assert status["chromium"]["state"] == "extension connected"
    (meeting,) = world.scan_meetings("google-meet")
    assert meeting["tab"] == tab.tab and meeting["title"] == "Meet – abc-defg-hij"
    assert meeting["url"] == MEET + "?authuser=0&pwd=…"

    world.browser.close(MEET + "?authuser=0&pwd=SECRET")
    wait_for(lambda: world.tab_state(MEET + "?authuser=0&pwd=…") is None, what="the closed tab to leave the state")
    (closed,) = observe(probe)
    assert closed.closed and closed.tab == tab.tab and closed.provider_id == "google-meet"
    assert observe(probe) == [], "a closed tab is reported once"


def test_a_background_tab_that_plays_sound_stays_a_meeting(world):
    world.site.pages[("zoom.us", "/wc/81234567890/join")] = Page(TITLES["zoom"][0], sound=True)
    world.browser.open(ZOOM)
    world.wait_tab(ZOOM, lambda e: e["tab"]["audible"], timeout=30)
    world.browser.new_blank_tab()
    entry = world.wait_tab(ZOOM, lambda e: not e["tab"]["active"])
    assert entry["tab"]["audible"] is True
    (tab,) = [o for o in observe(BrowserTabs(world.state_folder)) if o.provider_id == "zoom"]
    assert tab.active is False and tab.audible is True
    assert "(in the background, plays sound)" in tab.detail
    (meeting,) = world.scan_meetings("zoom")
    assert meeting["tab"] == tab.tab, "a background tab playing sound is a meeting in progress"
    world.browser.activate(ZOOM)
    world.wait_tab(ZOOM, lambda e: e["tab"]["active"])
    world.browser.close(ZOOM)


def test_a_bigbluebutton_listen_only_tab_is_a_meeting_and_stays_one_in_the_background_while_it_plays(world):
    """A participant who joined BigBlueButton with 'Listen only' holds no microphone or camera (the client shows its
    leave-audio button, data-test 'leaveListenOnly'). On public.senfcall.de, a server the extension sees, the client's
    page (<server>/html5client/join?sessionToken=..., sent with the token cut out; titled '<client> - <meeting> -
    <view>') is a meeting, and in the background it stays one while it plays the meeting's sound."""
    url = "https://public.senfcall.de/html5client/join?sessionToken=ls4k2q9x7v"
    sent = redact_url(url)
    world.site.pages[("public.senfcall.de", "/html5client/join")] = Page(
        "BigBlueButton - Seminar 4b - Default presentation view", sound=True,
        body='<button data-test="leaveListenOnly" aria-label="Leave audio">listen</button>')
    world.browser.open(url)
    world.wait_tab(sent, lambda e: e["tab"]["audible"], timeout=30)
    assert "ls4k2q9x7v" not in json.dumps(world.states())
    (meeting,) = world.scan_meetings("bigbluebutton")
    world.browser.new_blank_tab()
    entry = world.wait_tab(sent, lambda e: not e["tab"]["active"])
    assert entry["tab"]["audible"] is True and not entry["tab"].get("microphone")
    (tab,) = [o for o in observe(BrowserTabs(world.state_folder)) if o.provider_id == "bigbluebutton"]
    assert "(in the background, plays sound)" in tab.detail, tab.detail
    (background,) = world.scan_meetings("bigbluebutton")
    assert background["tab"] == meeting["tab"] == tab.tab, "listening in the background is the same meeting"
    world.browser.activate(url)
    world.wait_tab(sent, lambda e: e["tab"]["active"])
    world.browser.close(url)
    wait_for(lambda: world.tab_state(sent) is None, what="the closed tab to leave the state")


LOBBIES = [
    # After 'Ask to join', Meet says 'Asking to be let in...' at the meeting's link until someone lets the participant
    # in; no source names an element of that screen, so the catalog's English words count, as the whole text of one
    # shown element, on a page that declares English.
    pytest.param(Lobby("google-meet", "https://meet.google.com/wai-tnow-abc", "Meet – wai-tnow-abc",
                       '<div id="waiting"><div>Asking to be let in...</div><div>You\u2019ll join the call when someone '
                       'lets you in</div><button>Return to home screen</button></div>',
                       "document.getElementById('waiting').remove();"), id="meet-asking-to-be-let-in"),
    # Jitsi shows its pre-join screen (PreMeetingScreen's '.premeeting-screen', the catalog's lobby selector) at the
    # room's link and under its title; it goes once the participant joined.
    pytest.param(Lobby("jitsi-meet", "https://meet.jit.si/LobbyRoom", "LobbyRoom | Jitsi Meet",
                       '<div class="premeeting-screen"><h1>Join meeting</h1></div>',
                       "document.querySelector('.premeeting-screen').remove();"), id="jitsi-pre-join"),
    # Meet's green room shows its call-to-action ('Join now', jsname 'Qx7uuf', the catalog's lobby selector) at the
    # meeting's link. Once joined, the page keeps the button but hidden: a hidden lobby element is no lobby.
    pytest.param(Lobby("google-meet", "https://meet.google.com/grn-room-abc", "Meet – grn-room-abc",
                       '<div><h1>Ready to join?</h1><button jsname="Qx7uuf">Join now</button></div>',
                       "document.querySelector('[jsname=\"Qx7uuf\"]').parentElement.style.display = 'none';"),
                 id="meet-green-room"),
]


@pytest.mark.parametrize("lobby", LOBBIES)
def test_a_lobby_is_no_meeting_until_the_participant_is_let_in(world, lobby):
    """The extension says lobby and the app counts no meeting; once let in, the same tab is a meeting."""
    world.lobby_until_admitted(lobby)


def test_the_lobby_words_in_a_chat_line_a_name_or_on_a_page_in_another_language_leave_a_meet_call_a_meeting(world):
    """The words count only on a page that declares their language, never in a list (a chat line) or a participant's
    tile, and never while the page shows a participant's tile (only a call does): a participant who writes 'Asking to
    be let in' in the chat, a guest who joins under that name, a calendar event so titled shown in the call, or a page
    that declares German, stays in a meeting."""
    chat = "https://meet.google.com/cha-tlin-eab"
    world.site.pages[("meet.google.com", "/cha-tlin-eab")] = Page(
        "Meet – cha-tlin-eab", body='<ul aria-label="Chat"><li>Asking to be let in</li></ul>'
        '<div data-sender-name="Grace Hopper"><div data-message-text>Asking to be let in...</div></div>'
        '<div data-participant-id="spaces/cha-tlin-eab/devices/7"><div><span class="notranslate">'
        'Asking to be let in\u2026</span></div></div>')
    german = "https://meet.google.com/ger-mann-abc"
    world.site.pages[("meet.google.com", "/ger-mann-abc")] = Page(
        "Meet – ger-mann-abc", body="<div>Asking to be let in...</div>",
        script="document.documentElement.lang = 'de';")
    # In the call (a participant's tile shows), the words alone elsewhere are someone's text: the calendar event's
    # title an invitation chose, a caption.
    titled = "https://meet.google.com/tit-ledi-nvt"
    world.site.pages[("meet.google.com", "/tit-ledi-nvt")] = Page(
        "Meet – tit-ledi-nvt", body='<div><span>10:30</span><div>Asking to be let in</div></div>'
        '<div data-participant-id="spaces/tit-ledi-nvt/devices/3"><span class="notranslate">Grace Hopper</span></div>')
    for url in (chat, german, titled):  # one after the other: a silent tab in the background is no meeting anyway
        world.browser.open(url)
        world.wait_tab(url, lambda e: e["tab"].get("lobby") is False)
        (meeting,) = world.scan_meetings("google-meet")
        assert meeting["url"] == url, meeting
        world.browser.close(url)
        wait_for(lambda url=url: world.tab_state(url) is None, what="the closed tab to leave the state")


def test_teams_launcher_page_is_no_meeting(world):
    """A Teams meeting link first lands on the launcher ('join on the web' instead of the desktop app, data-tid
    'joinOnWeb', one of the catalog's lobby selectors), which stays open while the meeting runs in the desktop
    client: the tab is the app open, not a second meeting."""
    url = ("https://teams.microsoft.com/dl/launcher/launcher.html?url=%2f_%23%2fl%2fmeetup-join%2f19%3ameeting_Launch"
           "%40thread.v2%2f0&type=meetup-join")
    world.site.pages[("teams.microsoft.com", "/dl/launcher/launcher.html")] = Page(
        "Microsoft Teams", body='<h1>How do you want to join your Teams meeting?</h1>'
        '<button data-tid="joinOnWeb">Continue on this browser</button>')
    world.browser.open(url)
    world.wait_tab(url, lambda e: e["tab"].get("lobby") is True)
    (tab,) = [o for o in observe(BrowserTabs(world.state_folder)) if o.provider_id == "teams"]
    assert (tab.signal, tab.meeting) == (Signal.BROWSER_TAB, False), tab.detail
    assert world.scan_meetings("teams") == [], "the launcher is no meeting"
    world.browser.close(url)
    wait_for(lambda: world.tab_state(url) is None, what="the closed tab to leave the state")


def test_a_bot_joining_the_participant_list_is_reported(world):
    world.site.pages[("meet.google.com", "/bot-abcd-efg")] = Page("Meet – bot-abcd-efg", bot_after_ms=800,
                                                                   bot="Fireflies.ai Notetaker")
    url = "https://meet.google.com/bot-abcd-efg"
    world.browser.open(url)
    entry = world.wait_tab(url, lambda e: e["participants"])
    assert [p["text"] for p in entry["participants"]] == ["Fireflies.ai Notetaker"]
    assert entry["notices"] == [], "nothing but the bot's name left the page"
    bots = [o for o in observe(BrowserTabs(world.state_folder)) if o.signal == Signal.PARTICIPANT]
    assert [(o.provider_id, o.participant) for o in bots] == [("fireflies", "Fireflies.ai Notetaker")]
    (seen,) = [e for e in world.scan_events("notetaker-seen") if e["where"] == "in-meeting"]
    assert (seen["provider_id"], seen["where"], seen["participant"]) == ("fireflies", "in-meeting",
                                                                         "Fireflies.ai Notetaker"), seen
    world.browser.close(url)


def test_a_hostile_title_is_neutralised_and_everything_keeps_running(world):
    script = ("document.title = '<img src=x onerror=alert(1)>Meet – evil-evil-evi\\n\\u001b]0;pwned\\u0007\\u202e'"
              " + 'A'.repeat(100000);")
    world.site.pages[("meet.google.com", "/evi-lEvi-evi")] = Page("Meet – evi-levi-evi", script=script)
    url = "https://meet.google.com/evi-lEvi-evi"
    world.browser.open(url)
    entry = world.wait_tab(url, lambda e: "pwned" in e["tab"]["title"])
    title = entry["tab"]["title"]
    assert len(title) <= 300 and not any(ch in title for ch in "<>\n\x1b\x07\u202e"), title
    observe(BrowserTabs(world.state_folder))
    world.browser.close(url)
    world.site.pages[("meet.google.com", "/abc-defg-hij")] = Page(TITLES["google-meet"][0])
    world.browser.open(MEET)
    world.wait_tab(MEET)
    world.browser.close(MEET)


def test_a_long_title_of_emoji_is_cut_between_characters_never_inside_one(world):
    """The extension cuts a title to 300 UTF-16 units; cut inside an emoji's surrogate pair, the
    app would show the meeting's title ending in a replacement character instead of the emoji."""
    title = "Meet \u2013 emo-jiti-tle" + "\U0001F600" * 200  # 19 units, then pairs: 300 falls inside one
    world.site.pages[("meet.google.com", "/emo-jiti-tle")] = Page(title)
    url = "https://meet.google.com/emo-jiti-tle"
    world.browser.open(url)
    entry = world.wait_tab(url, lambda e: "emo-jiti-tle" in e["tab"]["title"])
    assert entry["tab"]["title"] == "Meet \u2013 emo-jiti-tle" + "\U0001F600" * 140
    world.browser.close(url)


def test_a_flood_of_bot_names_in_the_chat_does_not_hide_the_ai_notice_hostile(world):
    """Someone in the meeting posts 250 chat lines that read like a bot's name (one every 4 ms); then the
    page shows its AI notice. The notice still reaches the app: names and notices have budgets of their
    own, and a notice with catalog words not yet reported from the tab always goes out. (It did not: the
    names spent the content script's 200 reports per page and the background's 60 per tab a minute.)"""
    flood = ("let n = 0; const live = document.getElementById('live'); const t = setInterval(() => {"
             " const line = document.createElement('p'); line.textContent = 'Fireflies.ai Notetaker ' + n;"
             " live.append(line); n += 1; if (n >= 250) clearInterval(t); }, 4);")
    world.site.pages[("meet.google.com", "/flo-odfl-ood")] = Page(
        "Meet – flo-odfl-ood", script=flood, notice_after_ms=3000, notice="Gemini is taking notes.")
    url = "https://meet.google.com/flo-odfl-ood"
    world.browser.open(url)
    entry = world.wait_tab(url, lambda e: e["notices"])
    assert [n["text"] for n in entry["notices"]] == ["Gemini is taking notes."]
    assert len(entry["participants"]) == 20  # the host keeps 20 names a tab; the rest were dropped
    world.browser.close(url)


def test_a_chat_line_with_the_notices_words_raises_no_notice_hostile(world):
    """On Meet, Mallory types 'Gemini is taking notes' in the chat (Meet's message attributes, shown in a live
    region, and a Teams-style chat message posted into another); only Meet's own notice dialog is a notice."""
    chat = ('<div aria-live=polite aria-label="Chat messages"><div data-sender-name="Mallory">'
            '<div data-message-text="x">lol Gemini is taking notes, not</div></div></div>'
            '<div role=status><p>3 new messages</p><div data-sender-name="Mallory">Mallory: Gemini is taking notes!'
            '</div></div>')
    line = '<div data-tid="chat-pane-message"><span>Mallory</span> <p>Gemini is taking notes for real</p></div>'
    world.chat_lines_are_no_notice("https://meet.google.com/cha-tlin-esx", "Meet – cha-tlin-esx", chat, line,
                                   "Gemini is taking notes.")


def test_a_restart_of_the_extensions_background_leaves_the_meeting_tab_open(world):
    """Chromium stops the extension's service worker (here through DevTools, as it does an idle one): the meeting tab
    is held, not closed, until the restarted worker's host lists it again (World.background_restart_keeps_the_tab)."""
    def stop_worker() -> None:
        (worker,) = [t for t in world.browser.targets("service_worker") if t["url"].endswith("/service-worker.js")]
        world.browser._get(f"/json/close/{worker['id']}")

    world.background_restart_keeps_the_tab("google-meet", "https://meet.google.com/res-tart-bgw", "Meet – res-tart-bgw",
                                           stop_worker)


def test_the_extension_redacts_links_exactly_as_the_app_does(world):
    world.redaction_in_the_page("meet.google.com")


def test_a_name_in_a_tabs_link_reaches_the_app_under_the_apps_own_pseudonym(world):
    """The host's hello gives the extension the app's link key: a personal room's link is reported with the pseudonym
    the app gives that name (so a browser tab and a command line's link of one room are one meeting), never the name
    nor "redacted" alone."""
    world.site.pages[("zoom.us", "/my/ada.lovelace")] = Page(TITLES["zoom"][0])
    world.browser.open("https://zoom.us/my/ada.lovelace")
    key_file = Path(world.env["MEETING_GUARD_HOME"]) / "data" / "link-key"  # made by the host on hello
    wait_for(key_file.exists, what="the app's link key")
    key = bytes.fromhex(key_file.read_text().strip())
    world.wait_tab("https://zoom.us/my/" + pseudonym_with("ada.lovelace", key))
    assert "lovelace" not in json.dumps(world.states())
    world.browser.close("https://zoom.us/my/ada.lovelace")


def test_of_a_notice_dialog_only_the_matching_sentences_and_phrase_ids_leave_the_page(world):
    world.notice_excerpts_in_the_page("meet.google.com")


def test_without_the_extension_a_foreground_meeting_is_found_from_the_window_title(world):
    """The browser probe off (as without the extension): the X11 window title still shows the meeting."""
    world.meeting_seen_by_title_alone("meet.google.com", "/win-dows-tab", "Meet \u2013 win-dows-tab", "google-meet")


def test_other_pages_of_a_meeting_host_are_not_reported_but_a_meeting_title_is(world):
    """A Slack channel is not a huddle: it never leaves the browser. A Teams tab whose address is the app's
    but whose title says it is in a meeting is reported."""
    world.site.pages[("app.slack.com", "/client/T0123/C0456")] = Page("#general - Example Corp - Slack")
    world.site.pages[("teams.microsoft.com", "/v2/")] = Page(TITLES["teams"][0])
    channel, teams = "https://app.slack.com/client/T0123/C0456", "https://teams.microsoft.com/v2/"
    world.browser.open(channel)
    world.browser.open(teams)
    entry = world.wait_tab(teams)
    assert entry["tab"]["providers"] == ["teams"] and entry["tab"]["title"] == TITLES["teams"][0]
    time.sleep(0.5)
    assert world.tab_state(channel) is None
    assert "slack.com" not in json.dumps(world.states())
    (tab,) = [o for o in observe(BrowserTabs(world.state_folder)) if o.provider_id == "teams" and not o.closed]
    assert tab.title == TITLES["teams"][0]
    world.browser.close(channel)
    world.browser.close(teams)


def test_a_page_titled_like_another_services_meeting_is_not_that_meeting_hostile(world):
    """A Slack direct message with someone whose display name reads like a Google Meet tab, opened from a
    link whose query holds a huddle address, so the extension's coarse check passes the tab on. The app's
    own patterns see no huddle in the link, and a Slack tab is never a Google Meet meeting by its title
    alone. (It was: the title fallback took any service's tab title, whatever site the tab was on.)"""
    url = "https://app.slack.com/client/T0123/D0789?from=https://app.slack.com/huddle/"
    world.site.pages[("app.slack.com", "/client/T0123/D0789")] = Page("Meet – abc-defg-hij (DM) - Example Corp - Slack")
    world.browser.open(url)
    entry = world.wait_tab(url)
    assert entry["tab"]["providers"] == ["slack"]
    meetings = [o for o in observe(BrowserTabs(world.state_folder)) if o.signal == Signal.BROWSER_TAB and not o.closed]
    assert [o.provider_id for o in meetings if "D0789" in (o.url or "")] == []
    world.browser.close(url)


def test_the_running_tray_app_learns_of_a_meeting_tab_from_the_host(world, qtbot, monkeypatch):
    """The real tray shell with a 60 s detection interval: the meeting appears, goes on when its tab goes to
    the background (still playing sound), and ends when the tab closes, because the host tells the app over
    its single-instance socket, not because a timer came round."""
    from guard.paths import app_paths
    from ui.shell import Shell
    from tests.ui.conftest import dunst
    from ui.single_instance import InstanceServer, server_name

    monkeypatch.setenv("MEETING_GUARD_HOME", world.env["MEETING_GUARD_HOME"])
    paths = app_paths(world.env).ensure()
    paths.settings_file.write_text("[detection]\ninterval_seconds = 60\n[terms]\nnetwork_enabled = false\n")
    shell = Shell(paths)
    server = InstanceServer(server_name(paths.config_dir))
    server.command_received.connect(shell.handle_command)
    try:
        shell.start()
        qtbot.waitUntil(lambda: shell.snapshot is not None, timeout=30_000)  # the first pass, at start

        def meetings():
            return [m for m in shell.snapshot.meetings if m.title == "Meet – tra-ytab-app"]

        world.site.pages[("meet.google.com", "/tra-ytab-app")] = Page("Meet – tra-ytab-app", sound=True)
        url = "https://meet.google.com/tra-ytab-app"
        world.browser.open(url)
        qtbot.waitUntil(lambda: len(meetings()) == 1, timeout=15_000)
        (meeting,) = meetings()
        assert meeting.provider_id == "google-meet" and meeting.tab and meeting.tab.startswith("chromium/")

        world.wait_tab(url, lambda e: e["tab"]["audible"])
        world.browser.new_blank_tab()  # the meeting goes to the background, still playing the call's sound

        def in_background():
            return [m for m in meetings() if any("in the background" in e.detail for e in m.evidence)]
        qtbot.waitUntil(lambda: len(in_background()) == 1, timeout=15_000)
        assert in_background()[0].id == meeting.id, "the same meeting goes on in the background"
        world.browser.close(url)
        qtbot.waitUntil(lambda: not meetings(), timeout=15_000)
    finally:
        server.close()
        server.deleteLater()
        assert shell.shutdown(), "the worker threads must stop"
        qtbot.wait(50)
        dunst("close-all")  # a popup left on screen would be in the next desktop test's way


def test_a_page_titled_like_a_meeting_is_no_meeting_once_the_extension_reports(world):
    """Any page can call itself "Zoom Meeting": its window says so, but the extension shows no Zoom meeting
    tab in front, so it is no meeting (and Zoom is not running)."""
    world.spoofed_title_is_no_meeting(f"https://{LOCAL}:{world.site.port}/spoof/zoom", TITLES["zoom"][0], "zoom")


def test_a_meeting_tab_s_window_title_is_confirmed_by_the_extension(world):
    """The same title on Zoom's own meeting link is the meeting the extension shows: confirmed."""
    world.site.pages[("zoom.us", "/wc/81234567890/join")] = Page(TITLES["zoom"][0])
    world.browser.open(ZOOM)
    world.browser.activate(ZOOM)
    world.wait_tab(ZOOM, lambda e: e["tab"]["active"])
    try:
        meeting = world.meeting_by_title("zoom", TITLES["zoom"][0])
        titles = [e for e in meeting["evidence"] if e["signal"] == "window-title"]
        assert titles and all(e["confirmed"] is True for e in titles), meeting["evidence"]
        assert not any("unconfirmed" in e["detail"] or "not confirmed" in e["detail"] for e in meeting["evidence"])
    finally:
        world.browser.close(ZOOM)


def test_a_meeting_in_an_incognito_window_counts_unconfirmed_while_the_extension_runs_elsewhere(world):
    """Chromium titles an incognito window like a normal one and the extension does not run there: it says
    it sees one window while the browser shows two, so a meeting title there counts (unconfirmed), not
    refuted. Once the incognito window is gone, the same title in the normal window is refuted again."""
    title = TITLES["zoom"][0]
    url = f"https://{LOCAL}:{world.site.port}/incognito/zoom"
    world.site.pages[(LOCAL, "/incognito/zoom")] = Page(title)
    wait_for(lambda: any(state.get("synced") and state.get("windows") == 1 for state in world.states()),
             what="the extension's tab list and its one window")
    world.browser.open_incognito(url)
    try:
        meeting = world.meeting_by_title("zoom", title)
        (seen,) = [e for e in meeting["evidence"] if e["signal"] == "window-title"]
        assert seen["confirmed"] is False, seen
        assert seen["detail"].endswith("(unconfirmed: the browser has windows the browser extension does not see, "
                                       "such as incognito ones)"), seen
        assert [state.get("windows") for state in world.states()] == [1], "the extension does not see incognito"
    finally:
        world.browser.close(url)
    wait_for(lambda: "window-title" not in json.dumps(json.loads(world.cli("scan", "--json").stdout)["meetings"]),
             what="the incognito window's meeting gone")
    world.spoofed_title_is_no_meeting(f"https://{LOCAL}:{world.site.port}/spoof/zoom-again", title, "zoom")


def test_a_second_profile_s_extension_adds_its_windows_and_a_spoof_there_is_still_refuted(world):
    """A window of another profile of the same browser instance: that profile has the extension too (loaded
    for every profile here), its own host says it sees one window, and the two counts add up to the two
    windows on screen, so a page there titled like a meeting is refuted, not taken for an unseen window."""
    title = TITLES["zoom"][0]
    url = f"https://{LOCAL}:{world.site.port}/other-profile/zoom"
    world.site.pages[(LOCAL, "/other-profile/zoom")] = Page(title)
    wait_for(lambda: any(state.get("synced") for state in world.states()), what="the extension's tab list")
    subprocess.run([CHROMIUM, *world.browser.flags, "--profile-directory=Other", url], env=world.env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60, check=True)
    try:
        wait_for(lambda: world.browser.tab(url), what="the other profile's tab")
        wait_for(lambda: sorted((s.get("synced"), s.get("windows")) for s in world.states()) == [(True, 1)] * 2,
                 what="both profiles' hosts, one window each")
        reports: list[dict] = []

        def set_aside() -> list[dict]:
            reports.append(json.loads(world.cli("scan", "--json").stdout))
            return [e for e in reports[-1]["not_counted"] if title in e["detail"]]
        (aside,) = wait_for(set_aside, timeout=60, interval=0.5, what="the title set aside")
        assert aside["detail"].endswith("no meeting, title not confirmed by the browser extension"), aside
        assert [m for m in reports[-1]["meetings"] if m["provider_id"] == "zoom"] == [], reports[-1]["meetings"]
    finally:
        world.browser.close(url)


def test_while_an_incognito_window_is_open_a_spoof_in_the_focused_window_the_extension_sees_is_refuted(world):
    """An incognito window makes the browser show more windows than the extension sees, so a meeting title the
    extension does not show could be in it. With a window manager saying which window has the focus, and the
    extension saying whether the focused window is one it sees (Chromium tells an extension that cannot see an
    incognito window that no window of its own has the focus), a spoof in the focused normal window is seen
    and not counted; the incognito window, while it has the focus, is not taken for a seen one."""
    if shutil.which("openbox") is None or shutil.which("xdotool") is None:
        pytest.fail("openbox and xdotool are needed (run .ci/install --test)")
    title = TITLES["zoom"][0]
    spoof = f"https://{LOCAL}:{world.site.port}/focus/spoof"
    private = f"https://{LOCAL}:{world.site.port}/focus/private"
    world.site.pages[(LOCAL, "/focus/spoof")] = Page(title)
    world.site.pages[(LOCAL, "/focus/private")] = Page("Reading list")
    manager = subprocess.Popen(["openbox"], env=world.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        lister = X11WindowLister(env=world.env)
        wait_for(lambda: lister.windows() is not None and lister.last_source == "ewmh", what="openbox managing")
        wait_for(lambda: any(state.get("synced") and state.get("windows") == 1 for state in world.states()),
                 what="the extension's tab list and its one window")
        world.browser.open_incognito(private)
        wait_for(lambda: [state.get("focused") for state in world.states()] == [False],
                 what="the extension told that no window it sees has the focus (the incognito one has it)")
        world.browser.open(spoof)
        activate(world, f"{title} - Chromium")
        wait_for(lambda: [(s.get("windows"), s.get("focused")) for s in world.states()] == [(1, True)],
                 what="the focus back on the window the extension sees")
        reports: list[dict] = []

        def set_aside() -> list[dict]:
            reports.append(json.loads(world.cli("scan", "--json").stdout))
            return [e for e in reports[-1]["not_counted"] if title in e["detail"]]
        (aside,) = wait_for(set_aside, timeout=60, interval=0.5, what="the spoof set aside")
        assert aside["detail"].endswith("no meeting, title not confirmed by the browser extension"), aside
        assert [m for m in reports[-1]["meetings"] if m["provider_id"] == "zoom"] == [], reports[-1]["meetings"]
        lister.close()
    finally:
        for url in (spoof, private):
            if world.browser.tab(url):
                world.browser.close(url)
        manager.terminate()
        manager.wait(15)


def activate(world: World, title: str) -> None:
    """Give the focus to the window titled ``title`` (through the window manager, as a click would)."""
    def found() -> str:
        return subprocess.run(["xdotool", "search", "--name", f"^{title}$"], env=world.env, capture_output=True,
                              text=True).stdout.split()
    (window, *_rest) = wait_for(found, what=f"the window titled {title!r}")
    subprocess.run(["xdotool", "windowactivate", "--sync", window], env=world.env, check=True, timeout=30,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_a_self_hosted_call_window_counts_while_the_browser_holds_the_microphone_with_the_extension_connected(world):
    """Mattermost's Calls pop-out ('Call - <channel>') on a team's own server, which the extension asks no access
    to: with the extension connected its silence refutes nothing here; the window counts (unconfirmed) while
    the web app holds the microphone, and not once the call has let it go."""
    channel = "Town Square extension"
    app = f"https://{LOCAL}:{world.site.port}/team/channels/town-square"
    pop_out = f"https://{LOCAL}:{world.site.port}/team/com.mattermost.calls/expanded/town-square"
    world.site.pages[(LOCAL, "/team/channels/town-square")] = Page(
        f"{channel} - Team Mattermost", script="navigator.mediaDevices.getUserMedia({audio: true})"
                                               ".then((stream) => { window.callStream = stream; });")
    world.site.pages[(LOCAL, "/team/com.mattermost.calls/expanded/town-square")] = Page(f"Call - {channel}")
    wait_for(lambda: any(state.get("synced") for state in world.states()), what="the extension's tab list")
    world.browser.open(app)
    world.browser.open(pop_out)
    world.browser.activate(pop_out)
    try:
        meeting = world.meeting_by_title("mattermost", f"Call - {channel}")
        (title,) = [e for e in meeting["evidence"] if e["signal"] == "window-title"]
        assert title["confirmed"] is False and "self-hosted service" in title["detail"], title
        assert any(e["signal"] == "microphone" for e in meeting["evidence"]), meeting["evidence"]
        world.browser.close(app)  # the call ends: the web app lets the microphone go
        def calls() -> list[dict]:
            return [m for m in json.loads(world.cli("scan", "--json").stdout)["meetings"]
                    if m["provider_id"] == "mattermost"]
        wait_for(lambda: calls() == [], timeout=60, interval=0.5, what="no Mattermost call once the microphone is free")
    finally:
        for url in (app, pop_out):
            if world.browser.tab(url):
                world.browser.close(url)


def test_a_self_hosted_jitsi_room_counts_while_it_holds_the_microphone_and_a_look_alike_stays_refuted(world):
    """A Jitsi room on an organisation's own server ('<room> | Jitsi Meet', a host the extension asks no access
    to): its title, which the extension's silence refutes, counts once the room holds the microphone (as the
    call does), and is no longer listed as seen and not counted; a page so titled without it stays refuted."""
    title = "SelfHostedStandup | Jitsi Meet"
    room = f"https://{LOCAL}:{world.site.port}/SelfHostedStandup"
    world.site.pages[(LOCAL, "/SelfHostedStandup")] = Page(
        title, script="navigator.mediaDevices.getUserMedia({audio: true}).then((s) => { window.callStream = s; });")
    world.spoofed_title_is_no_meeting(f"https://{LOCAL}:{world.site.port}/look-alike/jitsi", title, "jitsi-meet")
    world.browser.open(room)
    world.browser.activate(room)
    try:
        meeting = world.meeting_by_title("jitsi-meet", title)
        (seen,) = [e for e in meeting["evidence"] if e["signal"] == "window-title"]
        assert seen["confirmed"] is False and "self-hosted service" in seen["detail"], seen
        report = json.loads(world.cli("scan", "--json").stdout)
        assert not [e for e in report["not_counted"] if title in e["detail"]], report["not_counted"]
    finally:
        world.browser.close(room)
