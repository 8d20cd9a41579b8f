"""Issue 19's tray problems: a probe that cannot read its signal is said once, in Overview, with
what to do, not in every menu; the meeting notification carries the icon of the tray's state.
Real tray (trayer), real dunst, real settings window under Xvfb."""

from __future__ import annotations

import json

import pytest
from PySide6.QtGui import QTextDocument

from guard.detect.observation import ProbeState, ProbeStatus
from guard.monitor import Snapshot
from guard.presentation.actions import OpenSettings
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
    qtbot.waitUntil(lambda: overview.desktop is not None, timeout=30_000)  # "What works on this desktop" too
    overview.set_snapshot(no_microphone())
    page.setHtml(overview.browser.toHtml())
    shown = page.toPlainText()
    assert "Microphone in use (✗ not here)" in shown
    assert shown.count(REASON) == 1, "the reason is said once, not again under What works on this desktop"
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


def dunst_popup() -> tuple[int, int, int, int] | None:
    """Where dunst shows its popup (x, y, width, height), from the X server."""
    import os
    import subprocess

    found = subprocess.run(["xdotool", "search", "--onlyvisible", "--class", "Dunst"], capture_output=True,
                           text=True, env=dict(os.environ), timeout=10).stdout.split()
    for window in found:
        shape = subprocess.run(["xdotool", "getwindowgeometry", "--shell", window], capture_output=True, text=True,
                               env=dict(os.environ), timeout=10).stdout
        values = dict(line.split("=", 1) for line in shape.splitlines() if "=" in line)
        if int(values.get("WIDTH", 0)) > 10:
            return int(values["X"]), int(values["Y"]), int(values["WIDTH"]), int(values["HEIGHT"])
    return None


def test_a_click_that_runs_the_default_action_in_dunst_opens_the_consent_dialog(qtbot, shells, world):
    """dunst's shipped dunstrc runs a notification's action on a middle click (a left click only
    closes it); the click is a real one, on the popup dunst drew, and the app opens what the README says."""
    import os
    import subprocess

    shell = ready_shell(shells, world)
    dunst("close-all")
    with qtbot.waitSignal(shell.notifier.sent, timeout=10000):
        shell.on_events([started(shell.services)])
        shell.on_snapshot(meeting_snapshot())
    qtbot.waitUntil(lambda: dunst_popup() is not None, timeout=10000)
    x, y, width, height = dunst_popup()  # type: ignore[misc]
    with qtbot.waitSignal(shell.consent_dialog_opened, timeout=10000) as opened:
        subprocess.run(["xdotool", "mousemove", str(x + width // 2), str(y + height // 2), "click", "2"],
                       env=dict(os.environ), check=True, timeout=10)
    assert opened.args[0].provider.currentData() == "testmeet"
    dunst("close-all")


def test_feature_submenus_stay_under_600_px_with_the_whole_name_in_a_tooltip(qtbot, shells, world):
    """Zoom's feature submenus were about 980 px wide."""
    from tests.ui.test_hostile_values import MAX_MENU_PX, widest_menu

    shell = ready_shell(shells, world)
    shell.on_snapshot(meeting_snapshot("zoom", "Zoom Meeting"))
    menu = shell.tray.menu
    assert widest_menu(menu) < MAX_MENU_PX
    meeting = next(action.menu() for action in menu.actions() if action.menu() is not None)
    features = [action for action in meeting.actions() if action.menu() is not None]
    cut = [action for action in features if "…" in action.text()]
    assert cut, "Zoom's longest feature name does not fit 520 px: it is cut with an ellipsis"
    for action in cut:
        name = action.text().split("…")[0]
        assert action.toolTip().startswith(name) and len(action.toolTip()) > len(action.text())
    assert "Chat compose with AI Companion (formerly Zoom IQ Team Chat Compose) (unverified)" in [
        action.toolTip() for action in cut]
    # A new user does not hover: the cut line itself still says the feature was not checked
    # (it read "Chat compose with AI Companion (formerly Zoom IQ Team Chat Compose) (unverifi…").
    (chat,) = [action for action in cut if action.toolTip().startswith("Chat compose")]
    assert chat.text().endswith("… (unverified)"), chat.text()
    for action in features:
        assert widest_menu(action.menu()) < MAX_MENU_PX, action.text()


def test_a_failed_detection_pass_is_shown_until_a_pass_works_again(qtbot, shells, world):
    """Walking the first hour: one pass failed (a process ended while it was read) and the menu said
    "⚠ A detection pass failed: [Errno 3] No such process" for the rest of the session, over
    meetings that were being detected fine. The detection loop's own failure and success paths."""
    shell = ready_shell(shells, world)
    shell.detection._failed(ProcessLookupError(3, "No such process"))
    assert "A detection pass failed: [Errno 3] No such process" in all_menu_text(shell.tray.menu)
    shell.detection._passed(([], meeting_snapshot()))
    text = all_menu_text(shell.tray.menu)
    assert "detection pass failed" not in text and "TestMeet" in text, text


def test_a_decision_saved_with_the_form_is_confirmed_as_a_button_answer_is(qtbot, shells, world):
    """Walking the first hour: "Record my decision for this meeting…", I refused, Save: the form
    closed and nothing said the decision was kept (a notification's button is answered with
    "Recorded: …", which opens the history)."""
    from guard.ledger import Decision
    from guard.presentation.actions import RecordConsent

    shell = ready_shell(shells, world)
    shell.on_snapshot(meeting_snapshot())
    dialog = shell.consent.open(RecordConsent())
    assert dialog is not None
    dialog.decision_buttons[str(Decision.REFUSED)].click()
    with qtbot.waitSignal(dialog.recorded, timeout=20000) as recorded:
        dialog.save_button.click()
    record = recorded.args[0]
    qtbot.waitUntil(lambda: f"answered:{record.id}" in shell.notices, timeout=20000)
    notice = shell.notices[f"answered:{record.id}"]
    assert notice.body == f"Recorded: Refused for {shell.catalog.get(record.provider_id).name} (record 1)."
    assert notice.action == OpenSettings("history")
