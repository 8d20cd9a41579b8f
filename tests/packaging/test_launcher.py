"""The frozen app's launcher (packaging/meeting_guard.py): its hidden ``--settings-window`` entry is
how a bundle, which has no ``python -m``, starts the settings window's process; the command line
itself does not take it. (The window started through the entry script for real:
tests/ui/test_settings_process.py.)"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from guard.cli.status import ExitStatus
from guard.paths import AppPaths
from ui.settings_link import WINDOW_FLAG
from ui.settings_remote import settings_command

PATHS = AppPaths(Path("/c"), Path("/d"), Path("/k"), Path("/l"))


def test_a_frozen_app_starts_the_window_with_its_own_executable(monkeypatch: pytest.MonkeyPatch) -> None:
    assert settings_command("srv", PATHS, "history")[:4] == [sys.executable, "-P", "-m", "ui.settings_process"]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert settings_command("srv", PATHS, "history") == [sys.executable, WINDOW_FLAG, "srv", "/c", "/d", "/k", "/l",
                                                         "--tab", "history"]


def test_the_command_line_does_not_take_the_launchers_entry(cli, app_home) -> None:  # type: ignore[no-untyped-def]
    alone = cli(WINDOW_FLAG)
    assert alone.returncode == ExitStatus.USAGE and f"unrecognized arguments: {WINDOW_FLAG}" in alone.stderr
    refused = cli(WINDOW_FLAG, "srv", "/c", "/d", "/k", "/l", "--tab", "history")
    assert refused.returncode == ExitStatus.USAGE and "invalid choice: 'srv'" in refused.stderr
    assert WINDOW_FLAG not in cli("--help").stdout


def test_the_launcher_runs_the_command_line_for_everything_else(capsys: pytest.CaptureFixture[str]) -> None:
    import meeting_guard  # packaging/ is on sys.path (tests/packaging/conftest.py)

    assert meeting_guard.launch(["--version"]) == 0
    assert capsys.readouterr().out.startswith("meeting-guard ")
