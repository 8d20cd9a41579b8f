"""The welcome on the first start: what the app watches and never sends, terms checks (with the
switch right there), the browsers, where the ledger and its key live; shown once, driven from the
keyboard, and again from the tray menu. Real Qt app under Xvfb with trayer, real settings file."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from guard.ledger import ledger_path
from guard.settings import SettingsStore
from tests.ui.conftest import blocking_ok
from tests.ui.test_shell import find_action

pytestmark = pytest.mark.desktop

FIRST_START = """
[detection]
interval_seconds = 0.5
"""


def started(qtbot, shells, world, settings=FIRST_START):
    world.settings(settings)
    shell = shells.make(world.paths)
    with qtbot.waitSignal(shell.welcome_opened, timeout=20000) as opened:
        shell.start()
    return shell, opened.args[0]


def test_the_first_start_shows_the_welcome_once_and_fetches_nothing_before_it_is_read(qtbot, shells, world):
    shell, welcome = started(qtbot, shells, world)
    assert welcome.isVisible() and shell.welcome is welcome
    assert not shell.terms.started, "no terms page is fetched before the user has read the welcome"
    qtbot.waitUntil(lambda: welcome.browsers is not None and welcome.key is not None, timeout=20000)
    text = welcome.text()
    assert "What the app watches on this computer" in text
    assert "never what they hear or see" in text and "no telemetry" in text
    assert "Terms checks are on: every 24 hours the app fetches" in text
    assert "microsoft.com" in text and "google.com" in text, "the sites terms pages come from are named"
    assert "Browser integration" in text
    assert str(ledger_path(shell.services.paths)) in text
    assert "signing key does not exist yet" in text and "keyring" in text
    welcome.activateWindow()
    qtbot.waitUntil(welcome.isActiveWindow, timeout=5000)
    qtbot.keyClick(welcome.windowHandle(), Qt.Key.Key_Return)  # keyboard-driven: Enter is "Got it"
    qtbot.waitUntil(lambda: shell.welcome is None and shell.terms.started, timeout=10000)
    with blocking_ok():
        saved = SettingsStore(world.paths.settings_file).load()
    assert saved.general.welcome_shown is True and saved.terms.network_enabled is True
    assert saved.detection.interval_seconds == 0.5, "the rest of the file is kept"


def test_terms_checks_can_be_switched_off_in_the_welcome_from_the_keyboard(qtbot, shells, world):
    shell, welcome = started(qtbot, shells, world)
    welcome.activateWindow()
    qtbot.waitUntil(welcome.isActiveWindow, timeout=5000)
    qtbot.keyClick(welcome.windowHandle(), Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)  # "&Check the ..."
    qtbot.waitUntil(lambda: not welcome.network.isChecked(), timeout=2000)
    assert "Terms checks are off: the app fetches nothing" in welcome.text()
    qtbot.keyClick(welcome.windowHandle(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: shell.services.settings.general.welcome_shown, timeout=10000)
    assert shell.services.settings.terms.network_enabled is False
    with blocking_ok():
        assert SettingsStore(world.paths.settings_file).load().terms.network_enabled is False


def test_answering_the_welcome_keeps_a_hand_edit_made_while_it_was_open(qtbot, shells, world):
    shell, welcome = started(qtbot, shells, world)
    world.settings(FIRST_START + "camera_probe = false\n")  # the user turned the camera probe off by hand
    qtbot.keyClick(welcome.windowHandle(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: shell.welcome is None and shell.services.settings.general.welcome_shown, timeout=10000)
    with blocking_ok():
        saved = SettingsStore(world.paths.settings_file).load()
    assert saved.general.welcome_shown is True and saved.detection.camera_probe is False
    assert shell.services.settings.detection.camera_probe is False


def test_a_later_start_shows_no_welcome_and_the_menu_shows_it_again(qtbot, shells, world):
    shell = shells.make(world.paths)  # the test world's settings say the welcome was shown
    with qtbot.waitSignal(shell.services_ready, timeout=20000):
        shell.start()
    assert shell.welcome is None
    with qtbot.waitSignal(shell.welcome_opened, timeout=5000) as opened:
        find_action(shell.tray.menu, "Welcome and privacy…").trigger()
    welcome = opened.args[0]
    assert welcome.isVisible()
    welcome.settings_button.click()  # "Open settings" closes the welcome and opens the settings window
    qtbot.waitUntil(lambda: shell.settings_host.window is not None and shell.settings_host.window.isVisible(),
                    timeout=20000)
    assert shell.welcome is None


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_welcome_is_drawn_whole_in_english_and_german(qtbot, shells, world, language):
    """Screenshot test: the welcome as Qt draws it has every section, nothing cut at the right
    edge, and its text in the chosen language."""
    from ui.language import apply_language

    try:
        shell, welcome = started(qtbot, shells, world, FIRST_START + f'\n[general]\nlanguage = "{language}"\n')
        qtbot.waitUntil(lambda: welcome.browsers is not None and welcome.key is not None, timeout=20000)
        image = welcome.grab().toImage()
        assert not image.isNull() and image.width() >= 560
        colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
        assert len(colours) > 20, "the picture shows text, not an empty window"
        viewport = welcome.body.parentWidget()
        assert welcome.body.width() <= viewport.width(), "nothing is cut at the right edge"
        for title, text in welcome.sections.values():
            assert title.isVisible() and text.isVisible() and title.text() and text.text()
            assert text.width() <= viewport.width()
        heading = "Was die App auf diesem Computer beobachtet" if language == "de" else \
            "What the app watches on this computer"
        assert heading in welcome.text()
        assert welcome.ok_button.text().replace("&", "") == ("Verstanden" if language == "de" else "Got it")
        welcome.reject()
    finally:
        apply_language("")


def test_quitting_the_app_while_the_welcome_is_open_shows_it_again_next_time(qtbot, shells, world):
    """Logout or SIGTERM closes every window (QGuiApplication::quit): that is not the user's answer."""
    shell, welcome = started(qtbot, shells, world)
    welcome.close()  # what the application's quit does: a close event the user did not make
    qtbot.waitUntil(lambda: shell.welcome is None, timeout=5000)
    shell.jobs.wait(2000)
    with blocking_ok():
        saved = SettingsStore(world.paths.settings_file).load()
    assert saved.general.welcome_shown is False and not shell.services.settings.general.welcome_shown



def test_quitting_while_the_welcome_still_reads_the_key_stops_that_read(qtbot, shells, world):
    """The welcome reads the signing key's status in a helper process; on a loaded computer that read
    outlasted the app's shutdown, which then left the lane busy (it failed once under load). Here the
    helper gets no CPU at all (stopped): quitting stops the read, so the app's lanes stop in time."""
    import psutil

    shell, welcome = started(qtbot, shells, world)
    helpers: list[psutil.Process] = []

    def helper_started() -> bool:
        helpers[:] = [child for child in psutil.Process().children()
                      if any("spawn_main" in part for part in child.cmdline())]
        return bool(helpers)

    qtbot.waitUntil(helper_started, timeout=20000)
    for helper in helpers:
        helper.suspend()  # a loaded machine's worst case: the helper never gets to answer
    assert shell.jobs.busy("welcome-key"), "the key's status is still being read"
    assert shell.shutdown(), "the worker threads must stop"
    assert welcome.key is None, "nothing half-read is shown"
    assert not any(helper.is_running() and helper.status() != psutil.STATUS_ZOMBIE for helper in helpers)


def test_the_welcome_names_the_extension_folder_where_this_app_has_it(qtbot, shells, world):
    """It said "add the extension from resources/extension": a folder of the source checkout, which a
    user of the Linux tarball, the AppDir or a pip install does not have at that path."""
    from pathlib import Path

    shell, welcome = started(qtbot, shells, world)
    qtbot.waitUntil(lambda: welcome.browsers is not None, timeout=20000)
    text = welcome.text()
    if "To set it up" not in text:
        pytest.skip("every browser here has the extension connected: no set-up is asked for")
    folder = text.split("add the extension from the folder ", 1)[1].split(" (the README", 1)[0]
    assert Path(folder).is_absolute() and (Path(folder) / "manifest.json").is_file()
    # Walking the first hour: it named only "meeting-guard browser install", which a README install
    # puts in .venv/bin, not on PATH ("command not found"); the Install button needs no terminal.
    assert "To set it up, click Install under Preferences, Browser extension (or run" in text
