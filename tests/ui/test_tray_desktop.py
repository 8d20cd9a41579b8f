"""The real tray icon under the test desktop (Xvfb + trayer + dunst), in process and as the
real ``meeting-guard`` program driven by a fake meeting client end to end."""

from __future__ import annotations

import os
import re

import pytest

from guard.presentation.status import TrayState
from tests.detect.world import x11_window
from tests.support.catalogs import MEETING_TITLE
from tests.support.processes import log_contains, start_app, stop, wait_until
from tests.ui.conftest import dunst, start_client
from tests.ui.x11 import embedded_icon_windows, grab, share_of_colour

pytestmark = pytest.mark.desktop

# The fill colour of each state's icon (resources/icons/tray-<state>.svg).
FILL = {TrayState.CLIENT_OPEN: "#1f6feb", TrayState.AI_MEETING: "#d9480f"}


def test_the_tray_icon_is_embedded_in_the_real_tray_host(qtbot, shells, world, isolated_services):
    before = {window for window, _w, _h in embedded_icon_windows(None)}
    shell = shells.make(world.paths, services_factory=isolated_services)
    shell.show_ui()
    with qtbot.waitSignal(shell.tray.shown, timeout=20000):
        shell.open_data()
    assert shell.tray.icon.isVisible() and not shell.tray.icon.geometry().isEmpty()

    def new_icons() -> list[tuple[str, int, int]]:
        return [(w, width, height) for w, width, height in embedded_icon_windows(None) if w not in before]

    # The tray host embeds the icon a moment after Qt says it is shown: wait for it (a loaded machine is slow).
    qtbot.waitUntil(lambda: len(new_icons()) == 1 and min(new_icons()[0][1:]) >= 16, timeout=15000)


def logged(log_file, pattern: str) -> bool:
    try:
        return re.search(pattern, log_file.read_text(encoding="utf-8")) is not None
    except FileNotFoundError:
        return False


def icon_colour_share(window_id: str, state: TrayState) -> float:
    return share_of_colour(grab(window_id), FILL[state])


def test_a_meeting_client_changes_the_real_apps_tray_icon_end_to_end(world, processes, desktop):
    log_file = world.home / "logs" / "meeting-guard.log"
    before = {window for window, _w, _h in embedded_icon_windows()}
    dunst("close-all")
    app = start_app(env=dict(os.environ))
    try:
        assert wait_until(lambda: log_contains(log_file, "Tray icon shown"), timeout=30), app.stderr
        (icon,) = [w for w, _width, _height in embedded_icon_windows() if w not in before]
        # Clients that other programs on this machine run may be detected too: only TestMeet is asserted.
        client = start_client(processes, world)
        shown = r"Tray state: client-open — Meeting Privacy Guard: .*TestMeet.* open"
        assert wait_until(lambda: logged(log_file, shown))
        assert wait_until(lambda: icon_colour_share(icon, TrayState.CLIENT_OPEN) > 0.15)

        x11_window(processes, MEETING_TITLE, client.pid, env=desktop.child_env(),
                   ready_file=world.home.parent / "mapped")
        assert wait_until(lambda: logged(log_file, r"Tray state: ai-meeting — Meeting Privacy Guard: TestMeet "
                                                   r"meeting in progress — Meeting summary with Helper AI can be "
                                                   r"turned on by the host or an account admin"))
        assert wait_until(lambda: icon_colour_share(icon, TrayState.AI_MEETING) > 0.15)
        assert icon_colour_share(icon, TrayState.CLIENT_OPEN) < 0.05

        assert wait_until(lambda: re.search(r"Notification \d+ sent: meeting:", log_file.read_text()), timeout=30)
        dunst("close-all")
        history = dunst("history").stdout
        assert f"TestMeet meeting detected: {MEETING_TITLE}" in history
        assert "The host or an account admin can turn on Meeting summary with Helper AI" in history
    finally:
        assert stop(app) == 0, app.stderr.read() if app.stderr else ""
    assert log_contains(log_file, "Meeting Privacy Guard stopped")
