"""Real Firefox ESR: servers the user adds in the extension's options page (a self-hosted Jitsi Meet, a BigBlueButton).

The extension is the addons.mozilla.org zip. The user types the server's address, picks its service and clicks Add,
each given by Marionette as WebDriver input (real input events, which Firefox takes as the user's own); the
permission's own prompt is Firefox's doorhanger, switched off here by its pref
(``extensions.webextOptionalPermissionPrompts``), so the host is granted as if the user allowed it, while the rule
that only the user's input may ask still holds. A Jitsi room and a BigBlueButton listen-only tab served under the
added host names (on 127.0.0.1, through the test tunnel) reach the app as that service's; a script's click asks
nothing; removing a server drops it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from guard.browser import ids
from tests.browser.conftest import World, firefox_world
from tests.browser.support.browsers import Firefox, wait_for
from tests.browser.support.site import Page
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



@pytest.fixture(scope="module")
def world(tmp_path_factory, desktop, site, pulse):
    with firefox_world(tmp_path_factory.mktemp("firefox-servers"), desktop, site, pulse,
                       prefs={"extensions.webextOptionalPermissionPrompts": False}) as running:
        yield running


def handles(marionette: Any) -> list[str]:
    found = marionette.command("WebDriver:GetWindowHandles")
    return list(found.get("value", found) if isinstance(found, dict) else found)


def switch_to_tab(world: World, url_start: str) -> None:
    """Make the tab whose link starts with ``url_start`` the selected one and WebDriver's current window."""
    before = handles(world.browser.marionette)
    for handle in before:
        world.browser.marionette.command("WebDriver:SwitchToWindow", {"handle": handle})
        url = world.browser.marionette.command("WebDriver:GetCurrentURL")
        url = url.get("value", url) if isinstance(url, dict) else url
        if str(url).startswith(url_start):
            return
    raise AssertionError(f"no tab showing {url_start}")


def click_in_page(world: World, selector: str) -> None:
    marionette = world.browser.marionette
    found = marionette.command("WebDriver:FindElement", {"using": "css selector", "value": selector})
    value = found.get("value", found)
    marionette.command("WebDriver:ElementClick", {"id": next(iter(value.values())) if isinstance(value, dict)
                                                  else value})


class OptionsPage:
    """The extension's options page in a tab of its own, driven by Marionette's WebDriver commands."""

    def __init__(self, browser: Firefox) -> None:
        self.marionette = browser.marionette
        self.url = browser.marionette.chrome(
            "return WebExtensionPolicy.getByID(arguments[0]).getURL('options.html');", ids.GECKO_ID)
        before = set(handles(self.marionette))
        browser.marionette.chrome("gBrowser.selectedTab = gBrowser.addTrustedTab(arguments[0]);", self.url)
        (self.handle,) = wait_for(lambda: set(handles(self.marionette)) - before, what="the options page's tab")
        self.marionette.command("WebDriver:SwitchToWindow", {"handle": self.handle})
        # (None while the new tab still shows the blank page it opens with)
        wait_for(lambda: (self.script("return document.querySelectorAll('#service option').length") or 0) >= 2,
                 what="the options page's services")

    def script(self, body: str) -> Any:
        return self.marionette.command("WebDriver:ExecuteScript", {"script": body, "args": []}).get("value")

    def element(self, selector: str) -> str:
        found = self.marionette.command("WebDriver:FindElement", {"using": "css selector", "value": selector})
        value = found.get("value", found)
        return str(next(iter(value.values())) if isinstance(value, dict) else value)

    def click(self, selector: str) -> None:
        self.marionette.command("WebDriver:ElementClick", {"id": self.element(selector)})

    def type_into(self, selector: str, text: str) -> None:
        element = self.element(selector)
        self.marionette.command("WebDriver:ElementClear", {"id": element})
        self.marionette.command("WebDriver:ElementSendKeys", {"id": element, "text": text})

    def status(self) -> str:
        return str(self.script("return document.querySelector('#status').textContent"))

    def close(self) -> None:
        self.marionette.command("WebDriver:SwitchToWindow", {"handle": self.handle})
        self.marionette.command("WebDriver:CloseWindow")
        self.marionette.command("WebDriver:SwitchToWindow", {"handle": handles(self.marionette)[0]})


@pytest.fixture
def options(world: World) -> Iterator[OptionsPage]:
    page = OptionsPage(world.browser)  # type: ignore[arg-type]
    try:
        yield page
    finally:
        page.close()


def add_server(page: OptionsPage, typed: str, service: str) -> None:
    page.type_into("#host", typed)
    page.script(f"document.querySelector('#service').value = {json.dumps(service)};")
    page.click("#add")



def test_a_script_click_asks_nothing_hostile(world, options):
    options.script("document.querySelector('#host').value = 'other.example.test';"
                   "document.querySelector('#add').click();")
    said = wait_for(options.status, what="the status")
    assert said.startswith("The browser did not ask"), said
    servers = wait_for(lambda: host_servers(world) is not None and [host_servers(world)],
                       what="the extension's full state")[0]
    assert all(server["host"] != "other.example.test" for server in servers), servers
    assert "other.example.test" not in options.script("return document.querySelector('#servers').textContent")


def test_a_self_hosted_jitsi_room_on_a_server_the_user_added_is_a_jitsi_meeting_lobby_first(world, options):
    add_server(options, "jitsi.example.test", "jitsi-meet")
    wait_for(lambda: options.status().startswith("Added jitsi.example.test"), what="the server added")
    wait_for(lambda: host_servers(world) == [{"host": "jitsi.example.test", "provider": "jitsi-meet"}],
             what="the host told the server")
    world.site.pages[("jitsi.example.test", "/PhysicsSeminar")] = Page(
        JITSI_TITLE, body='<div class="premeeting-screen"><button id="join">Join meeting</button></div>',
        script="document.getElementById('join').addEventListener('click', () => "
               "document.querySelector('.premeeting-screen').remove());")
    world.browser.open(JITSI)
    try:
        assert_jitsi_lobby(world)
        switch_to_tab(world, JITSI)  # the participant joins: the room's own button, clicked in the page
        click_in_page(world, "#join")
        assert_jitsi_joined(world)
    finally:
        world.browser.marionette.command("WebDriver:SwitchToWindow", {"handle": options.handle})
        world.browser.close(JITSI)


def test_a_bigbluebutton_listen_only_tab_on_an_added_server_is_a_meeting_until_the_server_is_removed(world, options):
    add_server(options, "https://bbb.example.test/", "bigbluebutton")
    wait_for(lambda: {"host": "bbb.example.test", "provider": "bigbluebutton"} in (host_servers(world) or []),
             what="the host told the server")
    sent = serve_bbb_listen_only(world)
    world.browser.open(BBB)
    try:
        entry = world.wait_tab(sent, lambda e: e["tab"]["audible"])
        assert entry["tab"]["providers"] == ["bigbluebutton"] and entry["tab"].get("microphone") is False
        (meeting,) = world.scan_meetings("bigbluebutton")
        assert meeting["title"] == BBB_TITLE
        world.browser.marionette.command("WebDriver:SwitchToWindow", {"handle": options.handle})
        options.click('li[data-host="bbb.example.test"] button')
        wait_for(lambda: all(s["host"] != "bbb.example.test" for s in host_servers(world) or [{"host": "bbb"}]),
                 what="the host told the server is gone")
        wait_for(lambda: world.tab_state(sent) is None, what="the tab no longer told")
        assert world.scan_meetings("bigbluebutton") == []
    finally:
        world.browser.close(BBB)
