"""What both browsers' tests of servers the user adds share: the self-hosted pages served under the added
host names, and the servers the host was told."""

from __future__ import annotations

from typing import Any

from guard.detect.redaction import redact_url
from tests.browser.support.site import Page

JITSI = "https://jitsi.example.test/PhysicsSeminar"
JITSI_TITLE = "PhysicsSeminar | Jitsi Meet"  # Conference.tsx: `${roomName} | ${interfaceConfig.APP_NAME}`
BBB = "https://bbb.example.test/html5client/join?sessionToken=ls4k2q9x7v"
BBB_TITLE = "BigBlueButton - Seminar 4b - Default presentation view"  # '<client> - <meeting> - <view>'


def host_servers(world: Any) -> list[dict[str, str]] | None:
    """The servers the browser's host was last told (None until exactly one extension has synced)."""
    states = [state for state in world.states() if state.get("synced")]
    return states[0]["servers"] if len(states) == 1 else None


def serve_bbb_listen_only(world: Any) -> str:
    """Serve a BigBlueButton client joined "listen only" (playing sound, no microphone) at :data:`BBB`; the
    link as the extension sends it (its session token cut)."""
    world.site.pages[("bbb.example.test", "/html5client/join")] = Page(
        BBB_TITLE, sound=True, body='<button data-test="leaveListenOnly" aria-label="Leave audio">listen</button>')
    return redact_url(BBB)


def assert_jitsi_lobby(world: Any) -> None:
    """Wait until the room at :data:`JITSI` is told as Jitsi's lobby, and check the app reads it so (no meeting)."""
    from guard.detect.browser_tabs import BrowserTabs
    from guard.events import Signal
    from tests.browser.conftest import observe

    entry = world.wait_tab(JITSI, lambda e: e["tab"].get("lobby") is True)
    assert entry["tab"]["providers"] == ["jitsi-meet"] and entry["tab"]["title"] == JITSI_TITLE
    (lobby,) = [o for o in observe(BrowserTabs(world.state_folder)) if o.signal == Signal.BROWSER_TAB]
    assert lobby.provider_id == "jitsi-meet" and not lobby.meeting


def assert_jitsi_joined(world: Any) -> None:
    """Wait until the room at :data:`JITSI` is no lobby, and check the app has it as the one Jitsi meeting."""
    world.wait_tab(JITSI, lambda e: e["tab"].get("lobby") is False)
    (meeting,) = world.scan_meetings("jitsi-meet")
    assert meeting["url"] == JITSI
