"""``meeting-guard`` with no command and no display: one line saying what is missing, exit 2."""

import os
import subprocess
import sys

import pytest

from guard.cli.status import ExitStatus
from guard.cli.tray import missing_display

NO_DISPLAY = {"PATH": "/usr/bin"}


@pytest.mark.parametrize("environ, platform, missing", [
    ({}, "linux", "neither DISPLAY nor WAYLAND_DISPLAY"),
    ({"DISPLAY": ":0"}, "linux", None),
    ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", None),
    ({"QT_QPA_PLATFORM": "offscreen"}, "linux", None),
    ({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0"}, "linux", "DISPLAY is not set"),
    ({"QT_QPA_PLATFORM": "wayland", "DISPLAY": ":0"}, "linux", "WAYLAND_DISPLAY is not set"),
    ({"QT_QPA_PLATFORM": "wayland;xcb", "DISPLAY": ":0"}, "linux", None),
    ({}, "freebsd14", "neither DISPLAY nor WAYLAND_DISPLAY"),
    ({}, "win32", None),
    ({}, "darwin", None),
])
def test_which_environments_have_a_display(environ, platform, missing):
    problem = missing_display(environ, platform)
    assert (problem is None) == (missing is None)
    if missing:
        assert missing in problem


def test_no_display_in_process_says_so_and_how_to_run_headless(cli):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = cli(env=env, platform="linux")
    assert result.returncode == ExitStatus.USAGE
    (line,) = result.stderr.splitlines()
    assert "no graphical display" in line and "meeting-guard scan" in line and "--help" in line


def test_no_display_real_process_exits_2_before_qt_loads():
    """As ``env -u DISPLAY -u WAYLAND_DISPLAY meeting-guard``: not Qt's abort (134) and its xcb advice."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    result = subprocess.run([sys.executable, "-m", "guard", "--verbose"], capture_output=True, text=True,
                            env=env, timeout=60, check=False)
    assert result.returncode == ExitStatus.USAGE, result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "DISPLAY is not set" in result.stderr and "xcb" not in result.stderr.replace("QT_QPA_PLATFORM=xcb", "")
