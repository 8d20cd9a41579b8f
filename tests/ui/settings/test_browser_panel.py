"""Preferences, browser extension: per browser found, the native host's registration and the extension's
connection, with Install and Remove writing and removing the real manifest files."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from guard.browser import ids
from guard.browser.generate import extension_dir

HOST_FILE = f"{ids.HOST_NAME}.json"


def test_install_and_remove_per_browser_write_and_remove_the_manifest(open_window, qtbot, tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / ".config" / "chromium").mkdir(parents=True)
    (home / ".mozilla" / "firefox").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    panel = open_window(tab="preferences").preferences.browsers
    qtbot.waitUntil(lambda: {"chromium", "firefox"} <= set(panel.buttons), timeout=30_000)
    assert panel.buttons["chromium"].text() == "Install"
    assert panel.states["chromium"].text() == "not set up"
    assert panel.states["chromium"].textFormat() == Qt.TextFormat.PlainText
    qtbot.waitUntil(lambda: panel.isVisible())
    (name,) = [label for label in panel.rows.findChildren(QLabel) if label.text() == "Chromium"]
    wide = name.fontMetrics().horizontalAdvance("Chromium")
    qtbot.waitUntil(lambda: name.isVisible() and name.width() >= wide, timeout=5_000)  # the name is readable

    qtbot.mouseClick(panel.buttons["chromium"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.buttons.get("chromium") is not None
                    and panel.buttons["chromium"].text() == "Remove", timeout=30_000)
    manifest = home / ".config/chromium/NativeMessagingHosts" / HOST_FILE
    assert manifest.is_file() and panel.states["chromium"].text() == "ready: add the extension to the browser"
    steps = panel.steps["chromium"].text()  # what "add the extension" means, with the folder to choose
    assert "chrome://extensions" in steps and "Load unpacked" in steps
    assert str(extension_dir()) in steps and (extension_dir() / "manifest.json").is_file()
    assert "firefox" not in panel.steps, "a browser not set up is told to Install first"
    assert panel.buttons["firefox"].text() == "Install", "only the browser asked for"

    # The extension connected once, then the browser closed: the section finds out by itself, and neither says to
    # add the extension again nor repeats how
    seen = panel.services.paths.data_dir / "browser" / "seen.json"
    seen.parent.mkdir(parents=True, exist_ok=True)
    seen.write_text('{"chromium": "2026-12-02T18:33:00+00:00"}', encoding="utf-8")
    qtbot.waitUntil(lambda: "chromium" not in panel.steps, timeout=30_000)
    assert panel.states["chromium"].text().startswith("set up; the extension is not connected now; last connected ")

    qtbot.mouseClick(panel.buttons["chromium"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.buttons.get("chromium") is not None
                    and panel.buttons["chromium"].text() == "Install", timeout=30_000)
    assert not manifest.exists() and not list(home.rglob(HOST_FILE))
    assert "chromium" not in panel.steps


def test_the_servers_added_in_a_connected_extension_are_listed_read_only(open_window, qtbot, tmp_path, monkeypatch):
    """The servers the user granted the extension in its options page, per browser, as its host last heard them
    (adding and removing happen in the browser, where the permission prompt is), and how many the host refused."""
    import os
    from datetime import UTC, datetime

    import psutil

    from guard.browser.messages import State, read_servers
    from guard.browser.paths import state_dir
    from guard.browser.state import BrowserState, save

    home = tmp_path / "home"
    (home / ".config" / "chromium").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    now = datetime.now(UTC)
    state = BrowserState(browser="chromium", browser_pid=None, host_pid=os.getpid(),
                         host_started=psutil.Process().create_time(), connected_at=now, updated_at=now)
    servers = [{"host": "jitsi.example.test", "provider": "jitsi-meet"},
               {"host": "bbb.example.test", "provider": "bigbluebutton"}, {"host": "*.example.test", "provider": "x"}]
    state.apply(State(type="state", tabs=(), servers=read_servers(servers)), now)
    save(state_dir(), state)
    panel = open_window(tab="preferences").preferences.browsers
    qtbot.waitUntil(lambda: "chromium" in panel.servers, timeout=30_000)
    listed = panel.servers["chromium"]
    assert listed.text() == ("Servers added in the extension: jitsi.example.test (Jitsi Meet), bbb.example.test "
                             "(BigBlueButton); 1 more refused (a bad name, or over the limit)")
    assert listed.textFormat() == Qt.TextFormat.PlainText and listed.accessibleName() == "Servers added in Chromium"
