"""Preferences, browser extension: per browser found, the native host's registration and the extension's
connection, with Install and Remove writing and removing the real manifest files."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from guard.browser import ids

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
    assert panel.buttons["firefox"].text() == "Install", "only the browser asked for"

    qtbot.mouseClick(panel.buttons["chromium"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.buttons.get("chromium") is not None
                    and panel.buttons["chromium"].text() == "Install", timeout=30_000)
    assert not manifest.exists() and not list(home.rglob(HOST_FILE))
