"""sway without any tray host (no waybar, no swaybar tray): Wayland has no XEmbed tray, so the
real app shows its status window instead of an icon nobody would see, and ``desktop status``
says what would show the icon."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator

import pytest

from guard import APP_NAME
from guard.paths import app_paths
from tests.support.processes import log_contains, start_app, stop, wait_until
from tests.support.wayland import WaylandSession
from tests.wayland.clients import wait_for_view
from tests.wayland.conftest import _start

pytestmark = pytest.mark.desktop

SETTINGS = "[general]\nwelcome_shown = true\n\n[terms]\nnetwork_enabled = false\n"


@pytest.fixture(scope="module")
def bare_sway() -> Iterator[WaylandSession]:
    session = _start("sway", tray=False)
    yield session
    session.stop()


def test_without_a_tray_host_the_app_shows_its_status_window(bare_sway, tmp_path):
    env = dict(bare_sway.child_env(), MEETING_GUARD_HOME=str(tmp_path / "home"))
    paths = app_paths(env).ensure()
    paths.settings_file.write_text(SETTINGS, encoding="utf-8")
    status = subprocess.run([sys.executable, "-m", "guard", "desktop", "status", "--json"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert status.returncode == 0, status.stderr
    (tray,) = [c for c in json.loads(status.stdout)["capabilities"] if c["signal"] == "tray"]
    assert tray["works"] is False and "status window" in tray["detail"], tray
    assert "waybar" in tray["enable"], tray

    process = start_app(env=env)
    log = paths.log_dir / "meeting-guard.log"
    try:
        assert wait_until(lambda: log_contains(log, "No system tray on this desktop"), timeout=60), \
            process.stderr.read() if process.poll() is not None and process.stderr else log
        view = wait_for_view(bare_sway, APP_NAME)
        assert view["pid"] == process.pid
        assert not log_contains(log, "Tray icon shown")
    finally:
        assert stop(process) == 0
