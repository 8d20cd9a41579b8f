"""The browser companion as the app's settings window and the command line use it: one object per user.

It picks the OS's places and (on Windows) the real registry, and answers the three questions a
user has: is the host registered with my browsers, is the extension connected, and please
register it / remove it. Every call reads or writes a few small files (or registry values):
quick, but I/O, so the UI calls it off the GUI thread.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from guard.browser.browsers import Browser
from guard.browser.install import BrowserStatus, Installer, Places
from guard.browser.paths import state_dir
from guard.browser.registry import Registry
from guard.catalog.models import OsName
from guard.paths import AppPaths

__all__ = ["BrowserIntegration", "BrowserStatus"]


def browser_folder(paths: AppPaths) -> Path:
    """The app's folder for browser files: the host's launcher and the last-seen record (Windows: manifests)."""
    return paths.data_dir / "browser"


@dataclass
class BrowserIntegration:
    paths: AppPaths
    os_name: OsName
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    registry: Registry | None = None

    def __post_init__(self) -> None:
        if self.os_name == "windows" and self.registry is None:
            from guard.browser.registry import WindowsRegistry

            self.registry = WindowsRegistry()

    @property
    def installer(self) -> Installer:
        return Installer(Places.for_user(self.os_name, self.environ), browser_folder(self.paths), self.registry,
                         environ=dict(self.environ))

    def status(self) -> list[BrowserStatus]:
        """Per browser: not installed, host registered (or why not), extension connected now or last seen."""
        return self.installer.status(state_dir(self.environ), browser_folder(self.paths) / "seen.json")

    def install(self, browser_ids: Iterable[str] = ()) -> list[Browser]:
        """Register the host with these browsers (default: every supported browser found)."""
        return self.installer.install(browser_ids)

    def uninstall(self, browser_ids: Iterable[str] = ()) -> list[str]:
        """Remove the registration from these browsers (default: all; the launcher goes with the last)."""
        return self.installer.uninstall(browser_ids)
