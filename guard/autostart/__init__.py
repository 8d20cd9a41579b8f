"""Start the app at log-in: one small interface, one module per OS, chosen in one place.

The entries have the names the installers use (packaging/), so either can switch autostart
off: ``~/.config/autostart/<rdns id>.desktop`` (Linux), the HKCU Run value
"Meeting Privacy Guard" (Windows), ``~/Library/LaunchAgents/<rdns id>.plist`` (macOS).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Protocol

from guard.errors import GuardError


class AutostartError(GuardError):
    """The log-in entry could not be written or removed."""


class Autostart(Protocol):
    """Switches the app's start at log-in on and off."""

    @property
    def location(self) -> str:
        """Where the entry lives, said so a user could find it."""

    def is_enabled(self) -> bool: ...

    def enable(self, command: list[str]) -> None: ...

    def disable(self) -> None: ...


def launch_command() -> list[str]:
    """How to start this installation of the app: the frozen executable, the installed
    ``meeting-guard`` script next to this Python, or ``python -m guard``."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    folder = Path(sys.executable).parent
    for name in ("meeting-guard", "meeting-guard.exe"):
        if (folder / name).exists():
            return [str(folder / name)]
    found = shutil.which("meeting-guard")
    # -P: a login starts it in the home folder, which must not come first on its module path (a json.py
    # or a guard/ folder there would run instead of the app).
    return [found] if found else [sys.executable, "-P", "-m", "guard"]


def current_autostart() -> Autostart:
    """The backend for this OS: autostart's one platform switch (tests/test_contracts.py checks
    that the three backends have the same surface)."""
    if sys.platform == "win32":
        from guard.autostart.windows_run import RunKeyAutostart, WinregRunKey

        return RunKeyAutostart(WinregRunKey())
    if sys.platform == "darwin":
        from guard.autostart.macos_launchagent import LaunchAgentAutostart

        return LaunchAgentAutostart(Path.home() / "Library" / "LaunchAgents")
    from guard.autostart.linux_xdg import XdgAutostart

    config_home = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return XdgAutostart(Path(config_home) / "autostart")
