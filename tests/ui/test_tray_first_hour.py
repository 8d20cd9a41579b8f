"""Issue 19's tray problems: a probe that cannot read its signal is said once, in Overview, with
what to do, not in every menu; the meeting notification carries the icon of the tray's state.
Real tray (trayer), real dunst, real settings window under Xvfb."""

from __future__ import annotations

import json

import pytest
from PySide6.QtGui import QTextDocument

from guard.detect.observation import ProbeState, ProbeStatus
from guard.monitor import Snapshot
from guard.presentation.icons import state_icon_path
from tests.ui.conftest import dunst
from tests.ui.test_shell import NOW, meeting_snapshot, ready_shell, started
from ui.tray.menu import menu_texts

pytestmark = pytest.mark.desktop

REASON = "pa_context_connect() failed: Connection refused"


def no_microphone(paused: bool = False) -> Snapshot:
    probe = ProbeStatus("microphone", ProbeState.UNAVAILABLE, REASON)
    return Snapshot(at=NOW, enabled=True, paused_until=NOW if paused else None, apps=(), meetings=(),
                    probes=(probe,))


def all_menu_text(menu) -> str:  # type: ignore[no-untyped-def]
    lines = list(menu_texts(menu))
    for action in menu.actions():
        if action.menu() is not None:
            lines += menu_texts(action.menu())
    return "\n".join(lines)


def test_an_unreadable_signal_is_said_once_in_overview_with_what_to_do_not_in_the_menu(qtbot, shells, world):
    shell = ready_shell(shells, world)
    for paused in (False, True):
        shell.on_snapshot(no_microphone(paused))
        text = all_menu_text(shell.tray.menu)
        assert "unavailable" not in text and "pa_context_connect" not in text, text
    shell.on_snapshot(no_microphone())
    shell.show_settings("overview")
    qtbot.waitUntil(lambda: shell.settings_host.window is not None and shell.settings_host.window.isVisible(),
                    timeout=20000)
    overview = shell.settings_host.window.overview
    overview.set_snapshot(no_microphone())
    page = QTextDocument()
    page.setHtml(overview.browser.toHtml())
    shown = page.toPlainText()
    assert shown.count(f"Microphone check unavailable: {REASON}") == 1
    assert "needs PulseAudio, or PipeWire with pipewire-pulse" in shown and "Preferences" in shown


def test_the_meeting_notification_carries_the_icon_the_tray_shows(qtbot, shells, world):
    shell = ready_shell(shells, world)
    dunst("close-all")
    dunst("history-clear")
    with qtbot.waitSignal(shell.notifier.sent, timeout=10000):
        shell.on_events([started(shell.services)])
        shell.on_snapshot(meeting_snapshot())
    tray_state = shell.tray.state
    notice = shell.notices["meeting:s1"]
    assert notice.state == tray_state, "the notice is about what the tray shows"
    dunst("close-all")
    history = json.loads(dunst("history").stdout)
    entries = [entry for group in history["data"] for entry in group]
    ours = next(entry for entry in entries if "TestMeet meeting detected" in entry["summary"]["data"])
    assert ours["icon_path"]["data"] == str(state_icon_path(tray_state))
