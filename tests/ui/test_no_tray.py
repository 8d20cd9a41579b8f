"""Without a system tray the app says so in a small window and keeps working from it."""

from __future__ import annotations

import pytest

from guard import APP_NAME
from guard.presentation.status import TrayState
from ui.dialogs.no_tray import EXPLANATION

pytestmark = pytest.mark.desktop


@pytest.fixture
def make(shells, world, qtbot, isolated_services):
    return lambda: start(shells, world, qtbot, isolated_services)


def start(shells, world, qtbot, services_factory):
    shell = shells.make(world.paths, tray_available=lambda: False, services_factory=services_factory)
    with qtbot.waitSignal(shell.services_ready, timeout=20000):
        shell.start()
    qtbot.waitUntil(lambda: shell.snapshot is not None, timeout=10000)
    return shell


def test_the_window_says_there_is_no_tray_and_shows_the_status(qtbot, make):
    shell = make()
    assert shell.tray is None
    window = shell.window
    qtbot.waitUntil(window.isVisible, timeout=5000)
    assert window.explanation.text() == EXPLANATION.format(app=APP_NAME)
    assert "no system tray" in EXPLANATION
    assert window.status.text() == shell.status.tooltip
    assert shell.status.state == TrayState.IDLE


def test_pause_resume_and_record_consent_work_from_the_window(qtbot, make):
    shell = make()
    window = shell.window
    assert window.pause.text() == "&Pause monitoring for 1 hour"
    window.pause.click()
    qtbot.waitUntil(lambda: shell.status.paused, timeout=5000)
    assert "monitoring paused until" in window.status.text()
    assert window.pause.text() == "Resume &monitoring"
    window.pause.click()
    qtbot.waitUntil(lambda: not shell.status.paused, timeout=5000)

    with qtbot.waitSignal(shell.consent_dialog_opened, timeout=5000) as opened:
        window.record.click()
    assert opened.args[0].isVisible()


def test_closing_the_window_hides_it_and_a_second_start_brings_it_back(qtbot, make):
    shell = make()
    shell.window.close()
    assert not shell.window.isVisible()
    shell.handle_command("show-settings")
    qtbot.waitUntil(shell.window.isVisible, timeout=5000)


def test_the_details_menu_lists_what_the_tray_menu_lists(qtbot, make):
    from ui.tray.menu import menu_texts

    shell = make()
    lines = [line.strip() for line in menu_texts(shell.window.details_menu)]
    assert lines[0] == "No meeting client detected"
    assert "Check terms now" in lines and "Quit" in lines
