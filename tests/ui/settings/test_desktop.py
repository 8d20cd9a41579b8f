"""The settings window on the desktop in use: the Overview says what each signal can do here,
and on GNOME the Preferences tab offers the GNOME Shell extension and installs it for real."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from tests.ui.settings.conftest import wait_idle

EXTENSION_UUID = "meeting-guard-windows@meetingprivacyguard.github.io"


def test_the_overview_says_what_works_on_this_desktop(open_window, qtbot):
    window = open_window(tab="overview")
    overview = window.overview
    qtbot.waitUntil(lambda: overview.desktop is not None, timeout=30_000)
    text = overview.browser.toPlainText()
    assert "What works on this desktop" in text
    assert "Window titles (✓ works): read from the X server (EWMH)" in text  # the test desktop is Xvfb
    assert "Tray icon" in text and "Notifications" in text


def test_the_overview_says_the_tray_icon_is_shown_once_the_tray_host_shows_it(open_window, qtbot):
    """Under Xvfb with trayer the icon was on the panel while the Overview said "Tray icon (?)"."""
    from ui.tray.tray import TrayIcon

    window = open_window(tab="overview")
    overview = window.overview
    qtbot.waitUntil(lambda: overview.desktop is not None, timeout=30_000)
    tray = TrayIcon()
    try:
        tray.show()
        qtbot.waitUntil(lambda: tray.embedded, timeout=30_000)  # trayer gave it a place
        qtbot.waitUntil(lambda: "Tray icon (✓ works): shown" in overview.browser.toPlainText(), timeout=10_000)
        assert "(?)" not in overview.browser.toPlainText()
    finally:
        tray.hide()


def test_outside_gnome_the_preferences_offer_no_gnome_extension(open_window, qtbot):
    prefs = open_window(tab="preferences").preferences
    wait_idle(qtbot, prefs.window())
    assert not prefs.desktop_group.isVisible()


def test_on_gnome_the_preferences_button_installs_the_extension(open_window, qtbot, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "ubuntu:GNOME")
    monkeypatch.setenv("XDG_SESSION_TYPE", "wayland")
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    prefs = open_window(tab="preferences").preferences
    qtbot.waitUntil(prefs.desktop_group.isVisible, timeout=30_000)
    assert "cannot read window titles without its GNOME Shell extension" in prefs.gnome_status.text()
    qtbot.mouseClick(prefs.gnome_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: prefs.gnome_status.text().startswith("Installed in"), timeout=30_000)
    folder = tmp_path / "data" / "gnome-shell" / "extensions" / EXTENSION_UUID
    assert json.loads((folder / "metadata.json").read_text())["uuid"] == EXTENSION_UUID
    assert "log out and back in" in prefs.gnome_status.text()


def test_the_overview_says_the_browser_extension_is_not_set_up_not_that_it_cannot_be_here(open_window, qtbot):
    """A new user's Overview said "Browser tabs (✗ not here): Chromium: not set up": the extension
    can be set up on this desktop, and the mark has to say so."""
    overview = open_window(tab="overview").overview
    qtbot.waitUntil(lambda: overview.desktop is not None and overview.browsers is not None, timeout=30_000)
    qtbot.waitUntil(lambda: "Chromium:" in overview.browser.toPlainText(), timeout=10_000)
    text = overview.browser.toPlainText()
    assert "Chromium: not set up" in text  # the test's home has no browser set up
    assert "Browser tabs (✗ not set up)" in text
    assert "Browser tabs (✗ not here)" not in text


def test_once_the_host_is_installed_the_overview_says_the_next_step_is_adding_the_extension(
        open_window, qtbot, tmp_path, monkeypatch):
    """Walking the first hour: after Install in Preferences the Overview said "Browser tabs (not
    known): Chromium: ready: add the extension to the browser" and, as what to do, "set up the
    extension: Preferences, …" again, the step just done."""
    from PySide6.QtCore import Qt

    home = tmp_path / "home"
    (home / ".config" / "chromium").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    window = open_window(tab="preferences")
    panel = window.preferences.browsers
    qtbot.waitUntil(lambda: "chromium" in panel.buttons and panel.buttons["chromium"].text() == "Install",
                    timeout=30_000)
    qtbot.mouseClick(panel.buttons["chromium"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.buttons.get("chromium") is not None
                    and panel.buttons["chromium"].text() == "Remove", timeout=30_000)

    window.show_tab("overview")
    overview = window.overview
    qtbot.waitUntil(lambda: "Chromium: ready: add the extension to the browser" in overview.browser.toPlainText(),
                    timeout=30_000)
    text = overview.browser.toPlainText()
    assert "Browser tabs (waiting for the extension)" in text
    assert "To enable: add the extension to the browser from the folder " in text
    assert "extension (the README's “Browser integration” says how)" in text
    assert "To enable: set up the extension" not in text
