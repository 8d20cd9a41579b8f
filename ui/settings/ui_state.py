"""The settings window's own state (geometry, current tab, splitter sizes, export format) across runs.

Kept as ``ui-state.json`` beside ``settings.toml`` and written atomically through the door
(:meth:`guard.services.Services.save_text`, on the job runner), rather than with QSettings:
all of the app's files stay in its own folder (no
Windows registry entry, which QSettings' native format would use), ``MEETING_GUARD_HOME``
isolates it like everything else, and a damaged file is simply ignored. It is not a user
setting, so it stays out of settings.toml.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

FILE_NAME = "ui-state.json"


class UiState:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.values: dict[str, Any] = {}

    @classmethod
    def load(cls, config_dir: Path) -> UiState:
        state = cls(Path(config_dir) / FILE_NAME)
        try:
            data = json.loads(state.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return state
        except (OSError, ValueError) as error:
            log.warning("Ignoring the window state file %s (%s)", state.path, error)
            return state
        if isinstance(data, dict):
            state.values = data
        return state

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def set(self, key: str, value: Any) -> None:
        self.values[key] = value

    def text(self) -> str:
        """What the file holds (written by the caller, off the GUI thread)."""
        return json.dumps(self.values, indent=1, sort_keys=True)
