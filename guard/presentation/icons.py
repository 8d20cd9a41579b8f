"""Which picture stands for what: the tray's icon for each state, and the app's icon."""

from __future__ import annotations

from pathlib import Path

from guard.paths import resources_dir
from guard.presentation.views import TrayState


def state_icon_path(state: TrayState) -> Path:
    """``resources/icons/tray-<state>.svg``."""
    return resources_dir() / "icons" / f"tray-{state.value}.svg"


def app_icon_path() -> Path:
    return resources_dir() / "icons" / "meeting-privacy-guard.svg"
