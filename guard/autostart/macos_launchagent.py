"""macOS: a LaunchAgent property list in ~/Library/LaunchAgents, loaded by launchd at log-in
(launchd.plist(5): Label, ProgramArguments, RunAtLoad)."""

from __future__ import annotations

import plistlib
from pathlib import Path

from guard import APP_RDNS_ID
from guard.autostart import AutostartError
from guard.fsutil import atomic_write_bytes


class LaunchAgentAutostart:
    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / f"{APP_RDNS_ID}.plist"

    @property
    def location(self) -> str:
        return str(self.path)

    def is_enabled(self) -> bool:
        try:
            with self.path.open("rb") as handle:
                plist = plistlib.load(handle)
        except FileNotFoundError:
            return False
        except (OSError, plistlib.InvalidFileException) as error:
            raise AutostartError(f"The launch agent {self.path} cannot be read ({error}); "
                                 "switch autostart off and on again to rewrite it.") from error
        return bool(plist.get("RunAtLoad")) and not plist.get("Disabled", False)

    def enable(self, command: list[str]) -> None:
        plist = {
            "Label": APP_RDNS_ID,
            "ProgramArguments": list(command),
            "RunAtLoad": True,
            "ProcessType": "Interactive",
            "LimitLoadToSessionType": "Aqua",
        }
        try:
            atomic_write_bytes(self.path, plistlib.dumps(plist), mode=0o644)
        except OSError as error:
            raise AutostartError(f"Cannot write the launch agent {self.path}: {error.strerror}") from error

    def disable(self) -> None:
        try:
            self.path.unlink(missing_ok=True)
        except OSError as error:
            raise AutostartError(f"Cannot remove the launch agent {self.path}: {error.strerror}") from error
