"""AI switched on in this meeting, and a note-taker bot joining it, seen in a real Chromium tab by the
extension and ending as a decision in the real ledger: page → content script → native host → the tray
app (told over its socket) → session machine → notification (dunst) → its button → the record.

The catalog ships no service's notice words yet, so this module adds one in the user's own catalog
folder, as a user may: Google Meet's "take notes for me" feature with the words "Gemini is taking notes"
(as press coverage quotes them; marked unverified), and builds the extension from that catalog. The bot's
display name is the shipped catalog's (Fireflies).
"""

from __future__ import annotations

import shutil

import pytest

from guard.browser import generate
from guard.catalog.loader import load_catalog
from guard.paths import app_paths
from tests.browser.conftest import EXTENSION, World, browser_env, install_host
from tests.browser.support.browsers import Chromium
from tests.browser.support.site import Page
from tests.ui.conftest import blocking_ok, dunst

pytestmark = pytest.mark.desktop

NOTICE_WORDS = "Gemini is taking notes"
SHOWN = "Gemini is taking notes. Notes will be shared with the meeting organiser after the call."
USER_CATALOG = """
id = "google-meet"

[[ai_features]]
id = "take-notes-for-me"

[[ai_features.notices]]
text = "Gemini is taking notes"
language = "en"
place = "banner"
verified = false
note = "Test data for tests/browser/test_in_meeting.py (the words press coverage quotes); not shipped."

[[ai_features.notices.sources]]
url = "https://windowsforum.com/threads/google-meet-gemini-take-notes-for-me-expands-to-ai-pro-and-ultra-subscribers.432189/"
checked = 2026-12-01
"""


@pytest.fixture(scope="module")
def world(tmp_path_factory, desktop, site, pulse):
    root = tmp_path_factory.mktemp("in-meeting")
    env = browser_env(desktop, root, pulse)
    paths = app_paths(env).ensure()
    paths.user_catalog_dir.mkdir(parents=True, exist_ok=True)
    (paths.user_catalog_dir / "google-meet-notice.toml").write_text(USER_CATALOG, encoding="utf-8")
    catalog = load_catalog(user=paths.user_catalog_dir)
    assert not catalog.problems, [p.message() for p in catalog.problems]
    extension = root / "extension"
    shutil.copytree(EXTENSION, extension)
    generate.write(catalog, extension)  # the extension knows the words the app's catalog knows
    install_host(env, "chromium")
    browser = Chromium(root / "home", env, extension, site.port)
    try:
        yield World(browser, site, env, root / "home")
    finally:
        browser.stop()


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
    dunst("close-all")
    server.close()
    server.deleteLater()
    assert opened.shutdown(), "the app's threads must stop"
    qtbot.wait(50)


def wait_notice(qtbot, shell, prefix: str):
    qtbot.waitUntil(lambda: any(key.startswith(prefix) for key in shell.notices), timeout=30_000)
    return next(notice for key, notice in shell.notices.items() if key.startswith(prefix))


def records(shell):
    with blocking_ok():
        return list(shell.services.ledger().iter())


def test_an_ai_notice_shown_in_the_page_becomes_a_decision_with_the_notice_as_evidence(
        world, shell, qtbot, desktop):
    world.site.pages[("meet.google.com", "/not-icea-bcd")] = Page("Meet – not-icea-bcd", notice_after_ms=1500,
                                                                   notice=SHOWN)
    url = "https://meet.google.com/not-icea-bcd"
    world.browser.open(url)
    wait_notice(qtbot, shell, "meeting:")
    notice = wait_notice(qtbot, shell, "ai:")
    assert notice.title == "Take notes for me is on in this meeting"
    assert NOTICE_WORDS in notice.body
    qtbot.waitUntil(lambda: "is on in this meeting" in shell.tray.icon.toolTip(), timeout=10_000)

    with qtbot.waitSignal(shell.consent.recorded, timeout=30_000):
        desktop.press_notification_button("I only saw the notice")
    (stored,) = [r for r in records(shell) if r.feature_id == "take-notes-for-me"]
    assert (stored.provider_id, str(stored.decision)) == ("google-meet", "notice-only")
    assert stored.meeting.title == "Meet – not-icea-bcd"
    shown = [e.detail for e in stored.evidence if e.signal == "ai-notice"]
    assert len(shown) == 1 and SHOWN in shown[0], "what the participant was shown, as the page showed it"
    world.browser.close(url)


def test_a_bot_joining_the_participants_becomes_a_decision(world, shell, qtbot, desktop):
    world.site.pages[("meet.google.com", "/bot-sjoi-nsx")] = Page("Meet – bot-sjoi-nsx", bot_after_ms=1500,
                                                                   bot="Fireflies.ai Notetaker")
    url = "https://meet.google.com/bot-sjoi-nsx"
    world.browser.open(url)
    wait_notice(qtbot, shell, "meeting:")
    notice = wait_notice(qtbot, shell, "bot:")
    assert "Fireflies" in notice.title and "Fireflies.ai Notetaker" in notice.body

    with qtbot.waitSignal(shell.consent.recorded, timeout=30_000):
        desktop.press_notification_button("I decline")
    (stored,) = [r for r in records(shell) if r.provider_id == "fireflies"]
    assert str(stored.decision) == "refused"
    assert [e.signal for e in stored.evidence if e.signal == "participant"] == ["participant"]
    world.browser.close(url)
