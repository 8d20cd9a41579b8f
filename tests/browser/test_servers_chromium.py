"""Real Chromium: servers the user adds in the extension's options page (a self-hosted Jitsi Meet, a BigBlueButton).

The user types the server's address, picks its service and clicks Add (the click given by the DevTools protocol,
which Chromium takes as the user's own input); Chromium asks whether the extension may read that site and the user
clicks Allow (tests/browser/support/prompt.py). From then on the extension sees that one host as the service's site:
a Jitsi room (its lobby first) and a BigBlueButton listen-only tab served there, on 127.0.0.1 under the added host
names, reach the app as that service's, the room's window title is confirmed, and the host lists the servers.
Removing one gives the access back and drops it. A page cannot add itself: without the user's click nothing is
asked, a server stored without a grant is not used, and no web page can open the options page.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from guard.browser import ids
from tests.browser.conftest import World, chromium_world
from tests.browser.support.browsers import wait_for
from tests.browser.support.devtools import DevTools
from tests.browser.support.prompt import allow
from tests.browser.support.site import LOCAL, Page
from tests.browser.support.servers import (
    BBB,
    BBB_TITLE,
    JITSI,
    JITSI_TITLE,
    assert_jitsi_joined,
    assert_jitsi_lobby,
    host_servers,
    serve_bbb_listen_only,
)

pytestmark = pytest.mark.desktop

OPTIONS = f"chrome-extension://{ids.CHROMIUM_EXTENSION_ID}/options.html"
NOT_ADDED = "https://other.example.test/PhysicsSeminar"


@pytest.fixture(scope="module")
def world(tmp_path_factory, desktop, site, pulse):
    with chromium_world(tmp_path_factory.mktemp("chromium-servers"), desktop, site, pulse) as running:
        yield running


@pytest.fixture
def options(world: World) -> Iterator[DevTools]:
    """The extension's options page, open in a tab of its own (as the browser opens it), driven by DevTools."""
    world.browser.open(OPTIONS)
    world.browser.activate(OPTIONS)
    target = world.browser.tab(OPTIONS)
    assert target is not None
    page = DevTools(target["webSocketDebuggerUrl"])
    try:
        wait_for(lambda: page.evaluate("document.querySelectorAll('#service option').length") >= 2,
                 what="the options page's services")
        yield page
    finally:
        page.close()
        world.browser.close(OPTIONS)


def stored(page: DevTools) -> list[dict[str, str]]:
    return page.evaluate("chrome.storage.local.get('servers').then((s) => s.servers || [])")


def granted(page: DevTools) -> list[str]:
    return [origin for origin in page.evaluate("chrome.permissions.getAll().then((p) => p.origins)")
            if ".example.test" in origin]


def add_server(world: World, page: DevTools, typed: str, service: str) -> None:
    """What the user does: type the address, pick the service, click Add, and Allow in Chromium's dialog."""
    page.type_into("#host", typed)
    page.evaluate(f"document.querySelector('#service').value = {json.dumps(service)}")
    page.click("#add")
    allow(world.env, "servers you add")



def test_a_page_cannot_add_itself_hostile(world, options):
    # (whatever another test of this module added is given back first)
    options.evaluate("chrome.permissions.getAll().then((p) => chrome.permissions.remove({origins: p.origins.filter("
                     "(o) => o.endsWith('.example.test/*'))})).then(() => chrome.storage.local.set({servers: []}))")
    # A click a script makes, with no input of the user's (typing would count as one): Chromium asks nothing, and
    # nothing is stored.
    options.evaluate("document.querySelector('#host').value = 'other.example.test'")
    assert options.evaluate("navigator.userActivation.isActive") is False
    options.evaluate("document.querySelector('#add').click()")
    said = wait_for(lambda: options.evaluate("document.querySelector('#status').textContent"), what="the status")
    assert said.startswith("The browser did not ask"), said
    assert stored(options) == [] and granted(options) == []
    # A server written to the extension's storage without the user's grant is not used: the app is never told it.
    options.evaluate("chrome.storage.local.set({servers: [{host: 'other.example.test', provider: 'jitsi-meet'}]})")
    assert "access not allowed: not used" in wait_for(
        lambda: options.evaluate("document.querySelector('#servers').textContent"), what="the stored server listed")
    wait_for(lambda: host_servers(world) == [], what="the extension's full state")
    world.site.pages[("other.example.test", "/PhysicsSeminar")] = Page(JITSI_TITLE)
    world.browser.open(NOT_ADDED)
    # No web page can open or read the options page (it is no web-accessible resource).
    key = "options-from-a-page"
    world.site.pages[(LOCAL, "/reach-options")] = Page("A page", script=(
        f"fetch({json.dumps(OPTIONS)}).then(() => 'read', (e) => 'refused').then((r) => "
        f"fetch('/mpg-test/result/{key}', {{method: 'POST', body: JSON.stringify(r)}}));"))
    world.browser.open(f"https://{LOCAL}:{world.site.port}/reach-options")
    assert world.site.wait_result(key) == "refused"
    world.browser.close(f"https://{LOCAL}:{world.site.port}/reach-options")
    # The tab on the server nobody granted was told before the next state below; it never reaches the host.
    options.evaluate("chrome.storage.local.set({servers: []})")
    world.browser.close(NOT_ADDED)
    assert all(entry["tab"]["url"] != NOT_ADDED for state in world.states() for entry in state["tabs"])


def test_a_self_hosted_jitsi_room_on_a_server_the_user_added_is_a_jitsi_meeting_lobby_first(world, options):
    add_server(world, options, "https://jitsi.example.test/PhysicsSeminar", "jitsi-meet")
    wait_for(lambda: stored(options) == [{"host": "jitsi.example.test", "provider": "jitsi-meet"}],
             what="the server stored once allowed")
    assert granted(options) == ["https://jitsi.example.test/*"], "that one host, nothing wider"
    wait_for(lambda: host_servers(world) == [{"host": "jitsi.example.test", "provider": "jitsi-meet"}],
             what="the host told the server")
    # The room's pre-join screen (PreMeetingScreen's .premeeting-screen) first: the content script registered on the
    # added host finds it, so the open room is a lobby until the participant joins.
    world.site.pages[("jitsi.example.test", "/PhysicsSeminar")] = Page(
        JITSI_TITLE, body='<div class="premeeting-screen"><button>Join meeting</button></div>')
    world.browser.open(JITSI)
    world.browser.activate(JITSI)
    try:
        assert_jitsi_lobby(world)
        target = world.browser.tab(JITSI)
        assert target is not None
        with DevTools(target["webSocketDebuggerUrl"]) as room:  # the participant joins
            room.evaluate("document.querySelector('.premeeting-screen').remove()")
        assert_jitsi_joined(world)
        titled = world.meeting_by_title("jitsi-meet", JITSI_TITLE)
        windows = [e for e in titled["evidence"] if e["signal"] == "window-title"]
        assert windows and all(e["confirmed"] is True for e in windows), titled["evidence"]
    finally:
        world.browser.close(JITSI)


def test_a_bigbluebutton_listen_only_tab_on_an_added_server_is_a_meeting_until_the_server_is_removed(world, options):
    add_server(world, options, "bbb.example.test", "bigbluebutton")
    wait_for(lambda: {"host": "bbb.example.test", "provider": "bigbluebutton"} in (host_servers(world) or []),
             what="the host told the server")
    sent = serve_bbb_listen_only(world)
    world.browser.open(BBB)
    try:
        entry = world.wait_tab(sent, lambda e: e["tab"]["audible"])
        assert entry["tab"]["providers"] == ["bigbluebutton"] and "ls4k2q9x7v" not in json.dumps(world.states())
        (meeting,) = world.scan_meetings("bigbluebutton")
        assert meeting["title"] == BBB_TITLE
        status = {b["id"]: b for b in json.loads(world.cli("browser", "status", "--json").stdout)["browsers"]}
        assert {"host": "bbb.example.test", "provider": "bigbluebutton"} in status["chromium"]["servers"]
        said = world.cli("browser", "status").stdout
        assert "  servers added in the extension: " in said and "bbb.example.test (bigbluebutton)" in said, said
        # Remove gives the access back: the server is dropped, its tab no longer told, the meeting gone.
        world.browser.activate(OPTIONS)
        options.click('li[data-host="bbb.example.test"] button')
        wait_for(lambda: all(s["host"] != "bbb.example.test" for s in host_servers(world) or [{"host": "bbb"}]),
                 what="the host told the server is gone")
        assert "https://bbb.example.test/*" not in granted(options)
        wait_for(lambda: world.tab_state(sent) is None, what="the tab no longer told")
        assert world.scan_meetings("bigbluebutton") == []
    finally:
        world.browser.close(BBB)
