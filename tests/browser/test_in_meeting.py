"""AI switched on in this meeting, and a note-taker bot joining it, seen in a real browser tab by the
extension and ending as a decision in the real ledger: page → content script → native host → the tray
app (told over its socket) → session machine → notification (dunst) → its button → the record.

Both browsers, one module-scoped browser each, with the shipped extension and catalog only. Firefox
ESR visits a Jitsi Meet room that announces a recording ("<name> started the recording", jitsi-meet's
own English string, cited by commit in resources/catalog/jitsi-meet.toml) and a Fathom bot joins it;
Chromium visits Google Meet showing the "Gemini is taking notes" dialog (unverified in the catalog:
seen in an open-source meeting bot's Meet adapter, cited by commit in resources/catalog/google-meet.toml)
and a Fireflies bot joins it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from guard.paths import app_paths
from tests.browser.conftest import EXTENSION, World, browser_env, install_host
from tests.browser.support.browsers import Chromium, Firefox
from tests.browser.support.site import HOSTS, Page
from tests.browser.support.tunnel import Tunnel
from tests.ui.conftest import blocking_ok, dunst

pytestmark = pytest.mark.desktop


@dataclass(frozen=True)
class Case:
    """What one browser's meeting page shows, and what the app should make of it."""

    host: str
    notice_path: str
    notice_title: str
    shown: str  # the notice as the page shows it
    sent: str  # what of the dialog may leave the page: the sentence(s) holding the catalog's words
    aside: str  # the rest of the dialog's text (a participant's name among it), which stays in the page
    words: str  # the catalog's words in it
    provider_id: str
    feature_id: str
    feature_title: str  # the notification's title
    bot_path: str
    bot_title: str
    bot: str  # the participant's display name
    bot_provider: str
    bot_service: str  # in the notification's title


CASES = {
    "chromium": Case(
        host="meet.google.com", notice_path="/not-icea-bcd", notice_title="Meet – not-icea-bcd",
        shown="Gemini is taking notes. Notes will be shared with the meeting organiser after the call.",
        sent="Gemini is taking notes.", aside="Turned on by Katherine Johnson", words="Gemini is taking notes",
        provider_id="google-meet", feature_id="take-notes-for-me",
        feature_title="Take notes for me is on in this meeting", bot_path="/bot-sjoi-nsx",
        bot_title="Meet – bot-sjoi-nsx", bot="Fireflies.ai Notetaker", bot_provider="fireflies",
        bot_service="Fireflies"),
    "firefox": Case(
        host="meet.jit.si", notice_path="/RecordedRoom", notice_title="RecordedRoom | Jitsi Meet",
        shown="Ada Lovelace started the recording", sent="Ada Lovelace started the recording",
        aside="Katherine Johnson is waiting in the lobby.", words="started the recording", provider_id="jitsi-meet",
        feature_id="recording-and-subtitles", feature_title="is on in this meeting", bot_path="/BotJoinsRoom",
        bot_title="BotJoinsRoom | Jitsi Meet", bot="Fathom AI Notetaker", bot_provider="fathom",
        bot_service="Fathom"),
}


@pytest.fixture(scope="module", params=sorted(CASES))
def world(request, tmp_path_factory, desktop, site, pulse):
    name = request.param
    root = tmp_path_factory.mktemp(f"in-meeting-{name}")
    env = browser_env(desktop, root, pulse)
    app_paths(env).ensure()
    install_host(env, name)
    if name == "chromium":
        browser = Chromium(root / "home", env, EXTENSION, site.port)
        try:
            yield World(browser, site, env, root / "home")
        finally:
            browser.stop()
        return
    with Tunnel(HOSTS, site.port) as tunnel:
        browser = Firefox(root / "home", env, EXTENSION, tunnel.port, site.certs.ca_der_b64)
        try:
            yield World(browser, site, env, root / "home")
        finally:
            browser.stop()


@pytest.fixture
def case(world):
    return CASES[world.browser.name]


@pytest.fixture
def shell(world, qtbot, monkeypatch):
    """The real tray shell over the module's app home, listening where the host tells it to look."""
    from ui.shell import Shell
    from ui.single_instance import InstanceServer, server_name

    monkeypatch.setenv("MEETING_GUARD_HOME", world.env["MEETING_GUARD_HOME"])
    paths = app_paths(world.env)
    paths.settings_file.write_text("[detection]\ninterval_seconds = 2\n[terms]\nnetwork_enabled = false\n")
    opened = Shell(paths)
    server = InstanceServer(server_name(paths.config_dir))
    server.command_received.connect(opened.handle_command)
    with qtbot.waitSignal(opened.services_ready, timeout=30_000):
        opened.start()
    dunst("close-all")
    yield opened
    server.close()
    server.deleteLater()
    assert opened.shutdown(), "the app's threads must stop"
    qtbot.wait(50)
    dunst("close-all")  # after the app stopped: no popup of this test left in the next desktop test's way


def wait_notice(qtbot, shell, prefix: str):
    qtbot.waitUntil(lambda: any(key.startswith(prefix) for key in shell.notices), timeout=30_000)
    return next(notice for key, notice in shell.notices.items() if key.startswith(prefix))


def records(shell):
    with blocking_ok():
        return list(shell.services.ledger().iter())


def test_an_ai_notice_shown_in_the_page_becomes_a_decision_with_the_notice_as_evidence(
        world, case, shell, qtbot, desktop):
    world.site.pages[(case.host, case.notice_path)] = Page(case.notice_title, notice_after_ms=1500,
                                                           notice=case.shown, notice_aside=case.aside)
    url = f"https://{case.host}{case.notice_path}"
    world.browser.open(url)
    wait_notice(qtbot, shell, "meeting:")
    notice = wait_notice(qtbot, shell, "ai:")
    assert notice.title.endswith(case.feature_title), notice.title
    assert case.words in notice.body
    qtbot.waitUntil(lambda: "is on in this meeting" in shell.tray.icon.toolTip(), timeout=10_000)

    with qtbot.waitSignal(shell.consent.recorded, timeout=30_000):
        desktop.press_notification_button("I only saw the notice")
    (stored,) = [r for r in records(shell) if r.feature_id == case.feature_id]
    assert (stored.provider_id, str(stored.decision)) == (case.provider_id, "notice-only")
    assert stored.meeting.title == case.notice_title
    shown = [e.detail for e in stored.evidence if e.signal == "ai-notice"]
    assert len(shown) == 1 and case.sent in shown[0], "what the participant was shown, as the page showed it"
    entry = world.tab_state(url)
    assert [n["text"] for n in entry["notices"]] == [case.sent], "only the notice's sentence left the page"
    for rest in (case.aside, "Katherine Johnson", "Heads up", "Got it", case.shown.replace(case.sent, "").strip()):
        assert not rest or rest not in shown[0], f"{rest!r} stays in the page"
    world.browser.close(url)


def test_a_bot_joining_the_participants_becomes_a_decision(world, case, shell, qtbot, desktop):
    world.site.pages[(case.host, case.bot_path)] = Page(case.bot_title, bot_after_ms=1500, bot=case.bot)
    url = f"https://{case.host}{case.bot_path}"
    world.browser.open(url)
    wait_notice(qtbot, shell, "meeting:")
    notice = wait_notice(qtbot, shell, "bot:")
    assert case.bot_service in notice.title and case.bot in notice.body

    with qtbot.waitSignal(shell.consent.recorded, timeout=30_000):
        desktop.press_notification_button("I refuse")
    (stored,) = [r for r in records(shell) if r.provider_id == case.bot_provider]
    assert str(stored.decision) == "refused"
    assert [e.signal for e in stored.evidence if e.signal == "participant"] == ["participant"]
    world.browser.close(url)
